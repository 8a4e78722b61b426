/* The HTTP layer's request and response, independent of libmicrohttpd so api/ handlers and
 * tests never see MHD types. A request's body is bounded by the server's max_body_bytes; a
 * response owns its body and extra headers until the server hands them to the connection.
 * Lifetime: both live for one request, on one thread. */
#ifndef PIXELS_HTTP_HTTP_H
#define PIXELS_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/str.h"

#define HTTP_MAX_RESP_HEADERS 16
#define HTTP_REQUEST_ID_SIZE 33

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,
};

/* Which listener a request arrived on. */
enum http_listener { HTTP_LISTENER_API, HTTP_LISTENER_DASHBOARD };

struct http_req {
	enum http_method method;
	const char *method_name; /* borrowed from the connection */
	const char *path;        /* decoded path without the query; borrowed */
	struct buf body;         /* owned; bounded by max_body_bytes */
	char request_id[HTTP_REQUEST_ID_SIZE];
	char client_ip[64];
	enum http_listener listener;
	int64_t start_ns; /* monotonic, for the access log */
	void *conn;       /* the server's connection handle, for header lookups */
	void *server;     /* the server's per-request state (http_defer) */
};

struct http_header_kv {
	char *name;  /* owned */
	char *value; /* owned */
};

struct http_resp {
	bool deferred;            /* the reply will come later through http_complete */
	int status;               /* 0 until a reply is set */
	const char *content_type; /* static string */
	struct buf body;          /* owned body, unless static_body is set */
	const void *static_body;  /* borrowed for the process lifetime (embedded files) */
	size_t static_len;
	struct http_header_kv headers[HTTP_MAX_RESP_HEADERS];
	size_t nheaders;
};

/* Request header value (case-insensitive name), or NULL. Borrowed for the request. */
const char *http_header(const struct http_req *req, const char *name);
/* Decoded query-string argument, or NULL. Borrowed for the request. */
const char *http_query(const struct http_req *req, const char *name);
/* Cookie value by name from the Cookie header, copied into out; true if present and it
 * fits. */
bool http_cookie(const struct http_req *req, const char *name, char *out, size_t cap);
enum http_method http_method_parse(const char *name);
const char *http_method_name(enum http_method m);
/* The reason phrase for a status code ("Not Found"). */
const char *http_status_text(int status);

void http_resp_init(struct http_resp *resp);
void http_resp_release(struct http_resp *resp);
/* Adds a header (copied). Silently ignored past HTTP_MAX_RESP_HEADERS: callers add few. */
void http_resp_header(struct http_resp *resp, const char *name, const char *value);
/* Replaces the body with a copy of data. */
void http_resp_set(struct http_resp *resp, int status, const char *content_type, const void *data,
                   size_t len);
/* Takes ownership of a malloc'd body (freed by the response). */
void http_resp_take(struct http_resp *resp, int status, const char *content_type, char *data,
                    size_t len);
/* Points the body at static data (embedded files): no copy. */
void http_resp_static(struct http_resp *resp, int status, const char *content_type,
                      const void *data, size_t len);

/* Deferred replies: a handler that must wait for something (a group commit) without holding
 * its thread calls http_defer, returns, and later — from any thread — http_complete. The
 * connection is suspended meanwhile. http_defer takes over resp (its headers so far are
 * kept and the reply built later adds to them); resp is left marked deferred and empty. */
struct http_deferred;
struct http_deferred *http_defer(struct http_req *req, struct http_resp *resp);
/* The deferred reply being built: add headers or a body to it before http_complete. */
struct http_resp *http_deferred_resp(struct http_deferred *d);
/* The request (valid until http_complete returns). */
struct http_req *http_deferred_req(struct http_deferred *d);
/* Sends the reply built in http_deferred_resp(d). Any thread; exactly once per defer. */
void http_complete(struct http_deferred *d);
/* Like http_complete, but the reply is built by build(arg, req, resp) on the server's own
 * thread when the connection resumes: the completing thread only signals. */
void http_complete_build(struct http_deferred *d,
                         void (*build)(void *arg, struct http_req *req, struct http_resp *resp),
                         void *arg);

#endif
