/* The composition root: builds the whole server from a config. Process state lives in struct
 * app; each thread's state (its own store handle) in a struct ctx created on first use and
 * closed when the thread ends. Two complete apps can run in one process (tests do). */
#ifndef PIXELS_APP_H
#define PIXELS_APP_H

#include <pthread.h>

#include "api/api_routes.h"
#include "config/config.h"
#include "http/server.h"
#include "svc/svc.h"

struct app {
	struct config cfg; /* owned copy; immutable after app_new */
	struct svc *svc;
	struct api_env api;
	pthread_key_t ctx_key;
	pthread_mutex_t ctx_lock;
	struct app_ctx_node *ctxs; /* every thread ctx, closed by app_free */
	struct http_server *api_server;
	struct http_server *dashboard_server;
	struct dispatcher *dispatcher;
	struct webhooks *webhooks;
	struct sim *sim; /* sandbox mode: the embedded Cloud API simulator */
};

/* Copies cfg (which must have passed config_ensure_secrets), opens the database once to
 * apply migrations, and builds the services. clock: NULL for the real clock. Nothing
 * listens yet. Errors: those of store_open/store_migrate, ERR_INTERNAL. */
int app_new(const struct config *cfg, const struct clock *clock, struct app **out, struct err *e);
/* Starts both listeners (PORT and DASHBOARD_PORT; 0 = ephemeral), then (in sandbox mode)
 * the simulator wired to them, then the dispatcher and the webhook processor.
 * ERR_UNAVAILABLE "LISTEN_FAILED" when a port cannot be bound. */
int app_start(struct app *app, struct err *e);
int app_api_port(const struct app *app);
int app_dashboard_port(const struct app *app);
/* The calling thread's context, opening its store handle on first use. NULL with e set if
 * the database cannot be opened. The ctx lives until the thread exits or app_free. */
struct ctx *app_ctx(struct app *app, struct err *e);
/* Stops listeners, closes every thread's store, frees. NULL-safe. */
void app_free(struct app *app);

#endif
