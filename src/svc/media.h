/* Inbound media (photos, documents... customers sent): fetched from Meta on demand for the
 * caller, through the number's token: GET /{media-id} gives a short-lived URL, then the
 * bytes. Nothing is stored; at most MEDIA_MAX_BYTES per file. */
#ifndef PIXELS_SVC_MEDIA_H
#define PIXELS_SVC_MEDIA_H

#include "core/buf.h"
#include "svc/svc.h"

#define MEDIA_MAX_BYTES (32u * 1024 * 1024)

/* media_id: Meta's id (from an inbound message's content.media.id). phone_number_id: the
 * receiving number (NULL = the account's default). out receives the bytes (the function sets
 * its max), content_type the MIME type. Errors: VALIDATION_ERROR, NO_PHONE_NUMBER,
 * ERR_NOT_FOUND "MEDIA_NOT_FOUND" (Meta does not know it, or it expired), ERR_UPSTREAM. */
int media_fetch(struct ctx *c, const char *account_id, const char *media_id,
                const char *phone_number_id, struct buf *out, char *content_type, size_t cap,
                struct err *e);

#endif
