/* System endpoints; see api_system.h. Not wrapped in the envelope, like the original. */
#include "api/api_system.h"

#include "core/clock.h"

int api_system_root(struct api_call *c)
{
	api_reply_raw(
	    c->resp, 200,
	    json_pack("{s:s, s:s}", "message", "Pixels API is running", "version", PIXELS_VERSION));
	return 0;
}

int api_system_health(struct api_call *c)
{
	struct err e = {0};
	bool db_ok = c->ctx && store_ping(c->ctx->store, &e) == 0;
	double uptime = (double)(clock_real_ms() - c->env->started_at_ms) / 1000.0;
	api_reply_raw(c->resp, db_ok ? 200 : 503,
	              json_pack("{s:s, s:s, s:f, s:s}", "status", db_ok ? "OK" : "UNAVAILABLE",
	                        "version", PIXELS_VERSION, "uptime", uptime, "database",
	                        db_ok ? "ok" : "unavailable"));
	return 0;
}
