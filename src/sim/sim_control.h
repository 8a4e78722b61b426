/* The control API under /_sim/ (no auth, JSON) that tests, benchmarks and the sandbox use to
 * drive the simulator: inbound messages, the message log, counters, reset, failure rules,
 * expired tokens, phone numbers, template decisions, run-time settings and the webhook
 * verification handshake. Meant for loopback use only. */
#ifndef PIXELS_SIM_SIM_CONTROL_H
#define PIXELS_SIM_SIM_CONTROL_H

#include "http/http.h"
#include "sim/sim_state.h"

/* Handles a request whose path starts with "/_sim/". */
void sim_control_handle(struct sim *s, struct http_req *req, struct http_resp *resp);

#endif
