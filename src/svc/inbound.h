/* Applying one webhook body from the inbox to the store (inside the caller's transaction,
 * a writer job): status reports onto outbound messages, inbound messages into conversations
 * and contacts, template status events into their table. */
#ifndef PIXELS_SVC_INBOUND_H
#define PIXELS_SVC_INBOUND_H

#include "core/jsonw.h"
#include "svc/svc.h"

/* doc is the body as meta_webhook_load gave it (a body it refused is skipped by the caller).
 * Returns 0 or the first store error (the caller undoes the job and retries the body). */
int inbound_apply(struct ctx *c, json_t *doc, struct err *e);

#endif
