/* Meta's error codes as the simulator reports them: title, details text, HTTP status and
 * subcode of the synchronous Graph error envelope, and whether Meta marks it transient. One
 * table feeds both the sync envelopes (sim_reply) and the failed-status webhooks (sim_payload),
 * so the two always agree. Texts follow Meta's documentation and captured payloads. */
#ifndef PIXELS_SIM_SIM_CODES_H
#define PIXELS_SIM_SIM_CODES_H

#include <stdbool.h>

struct sim_code_info {
	int code;
	int http_status;     /* of the sync envelope */
	int subcode;         /* error_subcode; 0 = none */
	bool transient;      /* is_transient:true in the envelope */
	const char *title;   /* "Rate limit hit"; the envelope message is "(#code) title" */
	const char *details; /* error_data.details */
};

/* The entry for code; unknown codes get a generic entry (HTTP 400, title "Unknown error")
 * carrying that code. Never NULL; points to static or thread-local storage valid until the
 * next call on this thread. */
const struct sim_code_info *sim_codes_find(int code);
/* Is code one the simulator knows (so the control API can accept it in a rule)? */
bool sim_codes_known(int code);

#endif
