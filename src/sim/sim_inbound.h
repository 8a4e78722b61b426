/* POST /_sim/inbound: a user writes to a business number. Builds the inbound webhook in the
 * shape of the matching wh-incoming-*.json fixture (text, media, location, contacts, reaction,
 * button, interactive, order, system, unsupported), stores generated media for media types,
 * signs and POSTs it synchronously so the caller knows the outcome, and opens that pair's
 * 24-hour window. */
#ifndef PIXELS_SIM_SIM_INBOUND_H
#define PIXELS_SIM_SIM_INBOUND_H

#include "http/http.h"
#include "sim/sim_state.h"

/* Replies {"id":"wamid...","delivered":bool,"status":<receiver's HTTP status>} or 400
 * {"error":...}. Blocks for the webhook POST (up to its timeout). */
void sim_inbound_handle(struct sim *s, struct http_req *req, struct http_resp *resp);

#endif
