/* Meta's webhook endpoint: GET (verification) and POST (events) /api/webhooks/whatsapp. */
#ifndef PIXELS_API_API_WEBHOOKS_H
#define PIXELS_API_API_WEBHOOKS_H

#include "api/api.h"

int api_webhooks_verify(struct api_call *c);
int api_webhooks_receive(struct api_call *c);

#endif
