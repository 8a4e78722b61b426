/* System endpoints; see api_system.h. Not wrapped in the envelope, like the original. */
#include "api/api_system.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"

int api_system_root(struct api_call *c)
{
	api_reply_raw(
	    c->resp, 200,
	    json_pack("{s:s, s:s}", "message", "Pixels API is running", "version", PIXELS_VERSION));
	return 0;
}

/* /health is public: a number shows only its last four digits, enough for its owner to
 * recognise it, not enough to learn another tenant's numbers. */
static void add_paused(void *arg, const struct number_row *n)
{
	char masked[16];
	size_t len = strlen(n->phone_number_id);
	snprintf(masked, sizeof(masked), "...%s", len > 4 ? n->phone_number_id + len - 4 : "");
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s}", "phoneNumberId", masked, "status",
	                                     store_number_status_name(n->status), "reason",
	                                     n->status_reason));
}

int api_system_health(struct api_call *c)
{
	struct err e = {0};
	/* Numbers Meta stopped (spam limit, policy) or that need a new token, and why. */
	json_t *paused = json_array();
	bool db_ok = c->ctx && svc_health(c->ctx, add_paused, paused, &e) == 0;
	double uptime = (double)(clock_real_ms() - c->env->started_at_ms) / 1000.0;
	json_t *body =
	    json_pack("{s:s, s:s, s:f, s:s}", "status", db_ok ? "OK" : "UNAVAILABLE", "version",
	              PIXELS_VERSION, "uptime", uptime, "database", db_ok ? "ok" : "unavailable");
	json_object_set_new(body, "pausedNumbers", paused);
	api_reply_raw(c->resp, db_ok ? 200 : 503, body);
	return 0;
}
