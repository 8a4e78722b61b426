/* libmicrohttpd glue: one server per listener, each with MHD's internal epoll thread pool.
 * The server reads the request (headers bounded by MHD's connection memory limit, body by
 * max_body_bytes: larger bodies get 413 PAYLOAD_TOO_LARGE without being stored) and then
 * calls the handler once, on a pool thread, with the complete request. The reply is queued
 * only after the body is complete: queueing on the first access-handler call would make MHD
 * close the connection every time. */
#ifndef PIXELS_HTTP_SERVER_H
#define PIXELS_HTTP_SERVER_H

#include <stddef.h>

#include "core/err.h"
#include "http/http.h"

struct http_server;

/* Fills resp for req. Runs on any pool thread; must be thread-safe. The server adds
 * X-Request-Id and logs nothing itself: the handler owns the access log. */
typedef void (*http_handler_fn)(void *arg, struct http_req *req, struct http_resp *resp);

struct http_server_config {
	const char *host; /* bind address, e.g. "0.0.0.0", "127.0.0.1", "::" */
	int port;         /* 0 = ephemeral */
	int threads;
	size_t max_body_bytes;
	enum http_listener listener;
	http_handler_fn handler;
	void *handler_arg;
	/* Called when a body is refused as too large, to build the 413 body. */
	http_handler_fn too_large;
	/* Optional: builds (and logs) the 503 a request gets once the server is stopping;
	 * NULL = a fixed SHUTTING_DOWN body. The server adds "Connection: close". */
	http_handler_fn shutting_down;
	/* Optional: the body limit for a path (e.g. larger for webhooks); NULL = always
	 * max_body_bytes. */
	size_t (*body_limit)(void *arg, const char *path);
};

/* Binds and starts serving. Errors: ERR_UNAVAILABLE "LISTEN_FAILED" (port in use, bad
 * host) with the address in the message. */
int http_server_start(const struct http_server_config *cfg, struct http_server **out,
                      struct err *e);
/* The bound port (useful after port 0). */
int http_server_port(const struct http_server *srv);
/* Stops accepting, finishes in-flight requests, joins threads, frees. NULL-safe. */
void http_server_stop(struct http_server *srv);

#endif
