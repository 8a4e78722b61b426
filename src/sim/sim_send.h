/* POST /{version}/{phone-number-id}/messages: the hot path. Validates the body, applies the
 * control API's rules, Meta's limits (130429 per number, 131056 per pair, 131047 window) and
 * template checks (132001/132000), then answers 200 with a new wamid, logs the message and
 * schedules its status webhooks. O(1) per request: no scans, a handful of short locks. */
#ifndef PIXELS_SIM_SIM_SEND_H
#define PIXELS_SIM_SIM_SEND_H

#include "http/http.h"
#include "sim/sim_state.h"

/* Handles one send (or mark-as-read) for phone number pnid. The bearer token was checked. */
void sim_send_handle(struct sim *s, const char *pnid, struct http_req *req, struct http_resp *resp);

#endif
