/* The API's entry points for the composition root: the request handler both listeners use,
 * and the 413 builder. The route table itself is in api_routes.c: one readable map. */
#ifndef PIXELS_API_API_ROUTES_H
#define PIXELS_API_API_ROUTES_H

#include "api/api.h"

enum api_auth {
	API_AUTH_NONE,        /* public */
	API_AUTH_SESSION,     /* dashboard session: cookie or Authorization: Bearer pxs_... */
	API_AUTH_ADMIN,       /* dashboard session of an owner or admin */
	API_AUTH_INTEGRATION, /* integration token: Bearer wpi_int_... or X-Integration-Token */
};

enum api_flags {
	API_JSON_BODY = 1 << 0,    /* body must be a JSON object (parsed into c->body) */
	API_CTX_OPTIONAL = 1 << 1, /* handler runs even when the database is unreachable */
	/* The handler waits on something slow (Meta's API, password hashing, a large
	 * broadcast's group commits): it runs on the blocking pool (api_env.blocking) with the
	 * connection suspended, so the server's threads keep serving other requests. Such a
	 * handler must not defer its own reply. */
	API_BLOCKING = 1 << 2,
};

struct api_route {
	enum http_method method;
	const char *pattern;
	int (*handler)(struct api_call *c);
	enum api_auth auth;
	unsigned flags;
};

/* The table, terminated by a {0} entry with a NULL pattern. */
extern const struct api_route api_routes[];

/* http_handler_fn for both listeners; env is a struct api_env *. */
void api_handle(void *env, struct http_req *req, struct http_resp *resp);
/* The body limit for a path: 3 MiB for Meta's webhooks, MAX_BODY_BYTES otherwise. */
size_t api_body_limit(void *env, const char *path);
/* http_handler_fn for bodies over the limit: 413 PAYLOAD_TOO_LARGE. */
void api_too_large(void *env, struct http_req *req, struct http_resp *resp);
/* http_handler_fn for requests that arrive while the server stops: 503 SHUTTING_DOWN. */
void api_shutting_down(void *env, struct http_req *req, struct http_resp *resp);

#endif
