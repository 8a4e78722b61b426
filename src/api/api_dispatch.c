/* The request pipeline shared by both listeners: security headers, CORS, routing (404/405),
 * the thread's context, JSON body decoding, authentication (with the CSRF Origin rule for
 * cookie sessions), the handler, the error body, and one access-log line. */
#include "api/api_routes.h"

#include <string.h>

#include "api/api_static.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/pool.h"
#include "core/xalloc.h"
#include "svc/webhooks.h"

#define API_SESSION_COOKIE "pixels_session"

static void security_headers(struct http_resp *resp)
{
	http_resp_header(resp, "X-Content-Type-Options", "nosniff");
	http_resp_header(resp, "X-Frame-Options", "DENY");
	http_resp_header(resp, "Referrer-Policy", "same-origin");
	http_resp_header(resp, "Content-Security-Policy",
	                 "default-src 'self'; img-src 'self' data:; style-src 'self'; "
	                 "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
	                 "base-uri 'none'; form-action 'self'");
}

/* Is origin the dashboard's own origin (same host:port as the Host header) or FRONTEND_URL? */
static bool origin_allowed(const struct api_env *env, const struct http_req *req,
                           const char *origin)
{
	const char *frontend = env->svc->cfg->frontend_url;
	if (frontend[0] && strcmp(origin, frontend) == 0)
		return true;
	const char *host = http_header(req, "Host");
	const char *sep = strstr(origin, "://");
	return host && sep && strcmp(sep + 3, host) == 0;
}

static void fail(struct http_req *req, struct http_resp *resp, enum err_code code, const char *key,
                 const char *msg)
{
	struct err e = {0};
	err_set(&e, code, key, "%s", msg);
	api_error(req, resp, &e, NULL);
}

/* Returns false when the request was refused (reply written). */
static bool apply_cors(const struct api_env *env, struct http_req *req, struct http_resp *resp)
{
	const char *origin = http_header(req, "Origin");
	if (!origin)
		return true; /* server to server, or a same-origin GET */
	if (!origin_allowed(env, req, origin)) {
		fail(req, resp, ERR_FORBIDDEN, "CORS_ORIGIN_DENIED",
		     "This origin is not allowed. Set FRONTEND_URL to the dashboard's origin.");
		return false;
	}
	http_resp_header(resp, "Access-Control-Allow-Origin", origin);
	http_resp_header(resp, "Access-Control-Allow-Credentials", "true");
	http_resp_header(resp, "Vary", "Origin");
	if (req->method == HTTP_OPTIONS) {
		http_resp_header(resp, "Access-Control-Allow-Methods",
		                 "GET, POST, PUT, PATCH, DELETE, OPTIONS");
		http_resp_header(resp, "Access-Control-Allow-Headers",
		                 "Content-Type, Authorization, X-Integration-Token, "
		                 "Idempotency-Key, Prefer");
		http_resp_header(resp, "Access-Control-Max-Age", "600");
		http_resp_set(resp, 204, NULL, "", 0);
		return false;
	}
	return true;
}

static bool method_matches(enum http_method route, enum http_method req)
{
	return route == req || (route == HTTP_GET && req == HTTP_HEAD);
}

/* Finds the route; on a path match with the wrong method fills allow ("GET, POST"). */
static const struct api_route *find_route(const char *path, enum http_method m,
                                          struct router_params *params, char *allow, size_t cap)
{
	struct router_params tmp;
	allow[0] = '\0';
	for (const struct api_route *r = api_routes; r->pattern; r++) {
		if (!router_match(r->pattern, path, &tmp))
			continue;
		if (method_matches(r->method, m)) {
			*params = tmp;
			return r;
		}
		size_t used = strlen(allow);
		snprintf(allow + used, cap - used, "%s%s", used ? ", " : "",
		         http_method_name(r->method));
	}
	return NULL;
}

static const char *presented_session(struct api_call *c, char *cookie, size_t cap)
{
	const char *h = http_header(c->req, "Authorization");
	if (h && strncmp(h, "Bearer ", 7) == 0) {
		c->via_cookie = false;
		return h + 7;
	}
	if (http_cookie(c->req, API_SESSION_COOKIE, cookie, cap)) {
		c->via_cookie = true;
		return cookie;
	}
	return NULL;
}

static int authenticate(struct api_call *c)
{
	char cookie[128];
	const char *token = presented_session(c, cookie, sizeof(cookie));
	if (!token)
		return err_set(&c->err, ERR_AUTH, "AUTH_REQUIRED",
		               "Authentication required. Please log in.");
	int rc = sessions_authenticate(c->ctx, token, &c->session, &c->err);
	sec_zero(cookie, sizeof(cookie));
	if (rc != 0)
		return rc;
	c->session.ip = c->req->client_ip;
	c->session.user_agent = http_header(c->req, "User-Agent");
	bool unsafe = c->req->method != HTTP_GET && c->req->method != HTTP_HEAD;
	/* A cookie rides along with cross-site requests; a matching Origin proves the
	 * request came from our own pages. Bearer tokens are never sent implicitly. */
	if (c->via_cookie && unsafe && !http_header(c->req, "Origin"))
		return err_set(&c->err, ERR_FORBIDDEN, "CSRF_REJECTED",
		               "Cross-site request refused: the Origin header is missing.");
	return 0;
}

/* Authorization wins over X-Integration-Token; a "Bearer " prefix is optional. */
static int authenticate_integration(struct api_call *c)
{
	const char *h = http_header(c->req, "Authorization");
	if (!h || !*h)
		h = http_header(c->req, "X-Integration-Token");
	if (h && strncmp(h, "Bearer ", 7) == 0)
		h += 7;
	int rc = tokens_authenticate(c->ctx, h, c->req->client_ip,
	                             http_header(c->req, "User-Agent"), &c->integration, &c->err);
	if (rc == 0)
		c->account_id = c->integration.account.id;
	return rc;
}

static int authorize(struct api_call *c, enum api_auth mode)
{
	int rc = 0;
	switch (mode) {
	case API_AUTH_NONE:
		break;
	case API_AUTH_INTEGRATION:
		rc = authenticate_integration(c);
		break;
	case API_AUTH_SESSION:
	case API_AUTH_ADMIN:
		rc = authenticate(c);
		if (rc == 0)
			c->account_id = c->session.account.id;
		if (rc == 0 && mode == API_AUTH_ADMIN && c->session.user.role == USER_ROLE_AGENT)
			rc = err_set(&c->err, ERR_FORBIDDEN, "INSUFFICIENT_ROLE",
			             "This needs the owner or admin role in this account.");
		break;
	}
	return rc;
}

static int run(struct api_call *c, const struct api_route *route)
{
	c->ctx = c->env->thread_ctx(c->env->owner, &c->err);
	if (!c->ctx && !(route->flags & API_CTX_OPTIONAL))
		return c->err.code ? c->err.code : ERR_UNAVAILABLE;
	int rc = authorize(c, route->auth);
	if (rc == 0 && (route->flags & API_JSON_BODY))
		rc = jsonw_parse_object(buf_cstr(&c->req->body), c->req->body.len, &c->body,
		                        &c->err);
	return rc != 0 ? rc : route->handler(c);
}

static void end_call(struct api_call *c)
{
	json_decref(c->body);
	sec_zero(&c->session, sizeof(c->session));
	sec_zero(&c->integration, sizeof(c->integration));
}

/* An API_BLOCKING route's call, suspended until a pool thread has run it. */
struct offload {
	const struct api_env *env;
	const struct api_route *route;
	struct router_params params; /* borrowed from the path, valid until http_complete */
	struct http_deferred *d;
};

/* A blocking-pool thread: the whole call (context, authentication, body, handler), then
 * the reply. The connection is suspended meanwhile, so nothing else touches it. */
static void run_offloaded(void *arg)
{
	struct offload *o = arg;
	struct http_req *req = http_deferred_req(o->d);
	struct http_resp *resp = http_deferred_resp(o->d);
	struct api_call c = {.env = o->env, .req = req, .resp = resp, .params = o->params};
	if (run(&c, o->route) != 0)
		api_error(req, resp, &c.err, NULL);
	end_call(&c);
	api_log_request(req, resp);
	http_complete(o->d);
	free(o);
}

static void offload(const struct api_env *env, const struct api_route *route,
                    const struct router_params *params, struct http_req *req,
                    struct http_resp *resp)
{
	struct offload *o = xcalloc(1, sizeof(*o));
	o->env = env;
	o->route = route;
	o->params = *params;
	o->d = http_defer(req, resp);
	pool_submit(env->blocking, run_offloaded, o);
}

static void route_request(const struct api_env *env, struct http_req *req, struct http_resp *resp)
{
	struct api_call c = {.env = env, .req = req, .resp = resp};
	char allow[128];
	const struct api_route *route =
	    find_route(req->path, req->method, &c.params, allow, sizeof(allow));
	if (!route && allow[0]) {
		http_resp_header(resp, "Allow", allow);
		fail(req, resp, ERR_METHOD, "METHOD_NOT_ALLOWED",
		     "This method is not allowed on this path.");
		return;
	}
	if (!route) {
		struct err e = {0};
		err_set(&e, ERR_NOT_FOUND, "ROUTE_NOT_FOUND", "Route not found");
		json_t *extra = json_pack("{s:s}", "path", req->path);
		api_error(req, resp, &e, extra);
		json_decref(extra);
		return;
	}
	if ((route->flags & API_BLOCKING) && env->blocking) {
		offload(env, route, &c.params, req, resp);
		return;
	}
	if (run(&c, route) != 0)
		api_error(req, resp, &c.err, NULL);
	end_call(&c);
}

static bool is_api_path(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
	       strcmp(path, "/health") == 0;
}

void api_log_request(const struct http_req *req, const struct http_resp *resp)
{
	double ms = (double)(clock_mono_ns() - req->start_ns) / 1e6;
	log_info("pixels:http", "%s %s %d %.1fms rid=%s ip=%s", req->method_name, req->path,
	         resp->status, ms, req->request_id, req->client_ip);
}

void api_handle(void *arg, struct http_req *req, struct http_resp *resp)
{
	const struct api_env *env = arg;
	security_headers(resp);
	if (apply_cors(env, req, resp)) {
		if (req->listener == HTTP_LISTENER_DASHBOARD && !is_api_path(req->path))
			api_static_serve(env, req, resp);
		else
			route_request(env, req, resp);
	}
	if (!resp->deferred) /* a deferred reply is logged when it is sent */
		api_log_request(req, resp);
}

size_t api_body_limit(void *arg, const char *path)
{
	const struct api_env *env = arg;
	if (strcmp(path, "/api/webhooks/whatsapp") == 0)
		return WEBHOOKS_MAX_BODY;
	if (strcmp(path, "/api/integrations/broadcast") == 0 ||
	    strcmp(path, "/api/integrations/broadcasts") == 0 ||
	    strcmp(path, "/api/broadcasts") == 0)
		return env->svc->cfg->broadcast_max_body_bytes;
	return env->svc->cfg->max_body_bytes;
}

void api_shutting_down(void *arg, struct http_req *req, struct http_resp *resp)
{
	(void)arg;
	struct err e = {0};
	err_set(&e, ERR_UNAVAILABLE, "SHUTTING_DOWN", "The server is shutting down.");
	api_error(req, resp, &e, NULL);
	api_log_request(req, resp);
}

void api_too_large(void *arg, struct http_req *req, struct http_resp *resp)
{
	struct err e = {0};
	err_set(&e, ERR_TOO_LARGE, "PAYLOAD_TOO_LARGE",
	        "Request body is larger than the limit of %zu bytes",
	        api_body_limit(arg, req->path));
	api_error(req, resp, &e, NULL);
	api_log_request(req, resp);
}
