/* Applying one webhook body from the inbox to the store (inside the caller's transaction):
 * status reports onto outbound messages, inbound messages into conversations and contacts,
 * template status events into their table. */
#ifndef PIXELS_SVC_INBOUND_H
#define PIXELS_SVC_INBOUND_H

#include <stddef.h>

#include "svc/svc.h"

/* ERR_INVALID for a body that is not a WhatsApp webhook (the caller skips it); store errors
 * otherwise (the caller retries the batch). */
int inbound_apply(struct ctx *c, const char *body, size_t len, struct err *e);

#endif
