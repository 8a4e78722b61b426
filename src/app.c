/* Composition root; see app.h. Thread contexts hang off a pthread key so every MHD pool
 * thread gets its own SQLite handle without a lock on the request path. */
#include "app.h"

#include <string.h>

#include "config/datadir.h"
#include "core/log.h"
#include "core/pool.h"
#include "core/sec.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "queue/dispatcher.h"
#include "svc/broadcast_runner.h"
#include "sim/sim.h"
#include "store/store.h"
#include "svc/numbers.h"
#include "svc/waiters.h"
#include "svc/webhooks.h"
#include "svc/writer.h"

struct app_ctx_node {
	struct ctx ctx;
	struct app *app;
	struct app_ctx_node *next;
	bool closed;
};

static void close_ctx(struct app_ctx_node *n)
{
	if (!n->closed) {
		store_close(n->ctx.store);
		n->ctx.store = NULL;
		n->closed = true;
	}
}

/* pthread key destructor: the thread is ending, close its handle (the node stays listed and
 * is freed by app_free). */
static void on_thread_exit(void *arg)
{
	struct app_ctx_node *n = arg;
	pthread_mutex_lock(&n->app->ctx_lock);
	close_ctx(n);
	pthread_mutex_unlock(&n->app->ctx_lock);
}

struct ctx *app_ctx(struct app *app, struct err *e)
{
	struct app_ctx_node *n = pthread_getspecific(app->ctx_key);
	if (n)
		return &n->ctx;
	struct store *store = NULL;
	if (store_open(app->cfg.database_url, &store, e) != 0)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	n->app = app;
	n->ctx.svc = app->svc;
	n->ctx.store = store;
	pthread_mutex_lock(&app->ctx_lock);
	n->next = app->ctxs;
	app->ctxs = n;
	pthread_mutex_unlock(&app->ctx_lock);
	pthread_setspecific(app->ctx_key, n);
	return &n->ctx;
}

static struct ctx *api_thread_ctx(void *owner, struct err *e)
{
	return app_ctx(owner, e);
}

int app_new(const struct config *cfg, const struct clock *clock, struct app **out, struct err *e)
{
	struct app *app = xcalloc(1, sizeof(*app));
	app->cfg = *cfg;
	pthread_mutex_init(&app->ctx_lock, NULL);
	pthread_key_create(&app->ctx_key, on_thread_exit);
	int rc = svc_new(&app->cfg, clock, &app->svc, e);
	struct ctx *c = rc == 0 ? app_ctx(app, e) : NULL;
	if (rc == 0 && !c)
		rc = e->code ? e->code : ERR_UNAVAILABLE;
	if (rc == 0)
		rc = store_migrate(c->store, e);
	if (rc == 0)
		rc = writer_new(app->cfg.database_url, &app->svc->writer, e);
	if (rc != 0) {
		app_free(app);
		*out = NULL;
		return rc;
	}
	app->api = (struct api_env){.svc = app->svc,
	                            .thread_ctx = api_thread_ctx,
	                            .owner = app,
	                            .started_at_ms = clock_real_ms()};
	*out = app;
	return 0;
}

static int listen_one(struct app *app, int port, enum http_listener which, struct http_server **out,
                      struct err *e)
{
	struct http_server_config sc = {
	    .host = app->cfg.host,
	    .port = port,
	    .threads = app->cfg.http_threads,
	    .max_body_bytes = app->cfg.max_body_bytes,
	    .listener = which,
	    .handler = api_handle,
	    .handler_arg = &app->api,
	    .too_large = api_too_large,
	    .shutting_down = api_shutting_down,
	    .body_limit = api_body_limit,
	};
	return http_server_start(&sc, out, e);
}

/* Sandbox: the simulator plays Meta. Pixels sends to it, it signs its webhooks with a
 * secret generated once into DATA_DIR (sandbox numbers keep it as their app secret, so it
 * must survive restarts) and posts them back to our own API port. */
static int start_sandbox(struct app *app, struct err *e)
{
	char webhook[128], base[64];
	bool created = false;
	int src = datadir_load_secret(app->cfg.data_dir, "sandbox_webhook_secret",
	                              app->svc->sandbox_secret, sizeof(app->svc->sandbox_secret),
	                              &created, e);
	if (src != 0)
		return src;
	snprintf(webhook, sizeof(webhook), "http://127.0.0.1:%d/api/webhooks/whatsapp",
	         http_server_port(app->api_server));
	struct sim_config sc;
	sim_config_init(&sc);
	sc.host = "127.0.0.1";
	sc.webhook_url = webhook;
	sc.app_secret = app->svc->sandbox_secret;
	int rc = sim_start(&sc, &app->sim, e);
	if (rc != 0)
		return rc;
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", sim_port(app->sim));
	str_copy_cstr(app->cfg.graph_base_url, sizeof(app->cfg.graph_base_url), base);
	log_info("pixels:serve", "sandbox: Cloud API simulator on %s", base);
	return 0;
}

int app_start(struct app *app, struct err *e)
{
	app->api.blocking = pool_new(app->cfg.blocking_threads, "px-blocking"); /* serving only */
	int rc = listen_one(app, app->cfg.port, HTTP_LISTENER_API, &app->api_server, e);
	if (rc == 0)
		rc = listen_one(app, app->cfg.dashboard_port, HTTP_LISTENER_DASHBOARD,
		                &app->dashboard_server, e);
	if (rc == 0 && app->cfg.sandbox)
		rc = start_sandbox(app, e);
	if (rc == 0 && app->cfg.sandbox) {
		struct ctx *c = api_thread_ctx(app, e);
		rc = c ? numbers_sandbox_restore(c, e) : (int)e->code;
	}
	if (rc == 0)
		rc = webhooks_start(app->svc, &app->webhooks, e);
	if (rc == 0)
		rc = dispatcher_start(app->svc, &app->dispatcher, e);
	if (rc == 0)
		rc = broadcast_runner_start(app->svc, &app->svc->broadcast_runner, e);
	if (rc == 0) {
		app->svc->webhooks = app->webhooks;
		app->svc->kick_arg = app->dispatcher;
		app->svc->kick = dispatcher_kick;
	}
	return rc;
}

int app_api_port(const struct app *app)
{
	return app->api_server ? http_server_port(app->api_server) : 0;
}

int app_dashboard_port(const struct app *app)
{
	return app->dashboard_server ? http_server_port(app->dashboard_server) : 0;
}

void app_free(struct app *app)
{
	if (!app)
		return;
	/* Listeners first (no new work), then the workers, then the simulator. Sends waiting
	 * for Meta's verdict are answered now (202 queued: they are durable), not after
	 * SEND_WAIT_MS. */
	if (app->svc)
		waiters_expire_all(app->svc->waiters);
	http_server_stop(app->api_server);
	http_server_stop(app->dashboard_server);
	pool_free(app->api.blocking); /* idle: the servers waited for its replies */
	if (app->svc)
		app->svc->kick = NULL;
	if (app->svc) {
		broadcast_runner_stop(app->svc->broadcast_runner);
		app->svc->broadcast_runner = NULL;
	}
	dispatcher_stop(app->dispatcher);
	webhooks_stop(app->webhooks);
	sim_stop(app->sim);
	if (app->svc)
		writer_free(app->svc->writer);
	pthread_setspecific(app->ctx_key, NULL);
	pthread_key_delete(app->ctx_key);
	struct app_ctx_node *n = app->ctxs;
	while (n) {
		struct app_ctx_node *next = n->next;
		close_ctx(n);
		free(n);
		n = next;
	}
	svc_free(app->svc);
	pthread_mutex_destroy(&app->ctx_lock);
	config_release(&app->cfg);
	free(app);
}
