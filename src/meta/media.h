/* Downloading media bytes from the URL Meta's GET /{media-id} returns: an absolute URL, valid
 * for about five minutes, that needs the number's bearer token. Bounded by max_bytes. */
#ifndef PIXELS_META_MEDIA_H
#define PIXELS_META_MEDIA_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

/* GETs url with Authorization: Bearer token into out (whose max must be set by the caller);
 * content_type receives the reply's Content-Type. Errors: ERR_UPSTREAM "MEDIA_DOWNLOAD_FAILED"
 * (transport, non-2xx) and ERR_UPSTREAM "MEDIA_TOO_LARGE" (over out->max). */
int meta_media_download(const char *url, const char *token, long timeout_ms, struct buf *out,
                        char *content_type, size_t cap, struct err *e);

#endif
