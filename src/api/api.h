/* What every api/ handler sees: one struct api_call per request, with the thread's service
 * context, the request, the response being built, the parsed JSON body, route parameters and
 * the authenticated caller. Handlers are glue: decode, call one svc function, encode. They
 * return 0 after writing a reply, or an err code with c->err set; the dispatcher then writes
 * the error body (api_reply.c is the only place that builds one). */
#ifndef PIXELS_API_API_H
#define PIXELS_API_API_H

#include <stdbool.h>

#include "core/jsonout.h"
#include "core/jsonw.h"
#include "http/http.h"
#include "http/router.h"
#include "svc/sessions.h"
#include "svc/tokens.h"
#include "svc/svc.h"

/* Wiring from the composition root (app.c): how api/ reaches process and thread state. */
struct pool;

struct api_env {
	struct svc *svc;
	/* The calling thread's context (its own store handle), created on first use. NULL
	 * with e set when the database cannot be opened. */
	struct ctx *(*thread_ctx)(void *owner, struct err *e);
	void *owner;
	int64_t started_at_ms;
	struct pool *blocking; /* runs API_BLOCKING routes; NULL = on the server's thread */
};

struct api_call {
	const struct api_env *env;
	struct ctx *ctx;
	struct http_req *req;
	struct http_resp *resp;
	json_t *body; /* parsed JSON object for routes that take one; owned, released after */
	struct router_params params;
	struct session_auth session;   /* filled for session-authenticated routes */
	struct token_auth integration; /* filled for integration-token routes */
	const char *account_id;        /* the caller's tenant, for any authenticated route */
	bool via_cookie;               /* session came from the cookie (CSRF rules apply) */
	struct err err;
};

/* Replies 'status' with {"success":true, ...obj}. Takes ownership of obj. Returns 0. */
int api_reply(struct api_call *c, int status, json_t *obj);
/* Replies with the envelope {"success":true,"message":message,"data":data}; data may be
 * NULL (omitted). Takes ownership of data. Returns 0. */
int api_ok(struct api_call *c, int status, const char *message, json_t *data);
/* The same envelope written as a stream (lists, the hot read paths): api_out_begin starts
 * w and writes {"success":true[,"message":message],"data": ; the handler writes the data
 * value into w; api_out_send closes the envelope and replies with it. Returns 0. */
void api_out_begin(struct jsonout *w, const char *message);
int api_out_send(struct api_call *c, int status, struct jsonout *w);
/* A page of a list in that envelope: api_out_list_begin writes up to the opening of the
 * array named name inside data; the handler writes the elements; api_out_list_send closes the
 * array, adds "pagination" ({total, limit, offset, hasMore}) and replies 200. */
void api_out_list_begin(struct jsonout *w, const char *name);
int api_out_list_send(struct api_call *c, struct jsonout *w, int64_t total, int64_t limit,
                      int64_t offset);
/* Writes a JSON reply without the envelope (GET /, /health). Takes ownership. */
void api_reply_raw(struct http_resp *resp, int status, json_t *obj);
/* The one error writer: {"success":false,"code","message"} plus "field" for validation
 * errors and "retryAfter" (and the Retry-After header) for limits. extra: more members to
 * merge (borrowed, may be NULL). 5xx bodies never carry internal detail: the detail is
 * logged with the request id instead. */
void api_error(struct http_req *req, struct http_resp *resp, const struct err *e, json_t *extra);
/* The access-log line of a request (method, path, status, duration, request id). */
void api_log_request(const struct http_req *req, const struct http_resp *resp);
/* The one table mapping error codes to HTTP statuses. */
int api_http_status(enum err_code code);
/* Integer query parameter name in [min, max], def when absent. VALIDATION_ERROR naming
 * the parameter for junk, signs where not allowed, and out-of-range values. */
int api_query_int(struct api_call *c, const char *name, int64_t def, int64_t min, int64_t max,
                  int64_t *out);
/* Query parameter as text, NULL when absent; VALIDATION_ERROR if longer than max_len or not
 * clean text. */
int api_query_str(struct api_call *c, const char *name, size_t max_len, const char **out);
/* Query parameter that must be one of allowed (NULL-terminated); *out points into allowed,
 * NULL when absent. VALIDATION_ERROR listing the allowed values otherwise. */
int api_query_enum(struct api_call *c, const char *name, const char *const *allowed,
                   const char **out);
/* The route's first parameter (":id"), copied into out (cut to cap); returns out. */
const char *api_param(const struct api_call *c, char *out, size_t cap);
/* {total, limit, offset, hasMore}. New reference. */
json_t *api_pagination_json(int64_t total, int64_t limit, int64_t offset);
/* JSON of a user and an account as the API shows them. New references. */
json_t *api_user_json(const struct user_row *u);
json_t *api_account_json(const struct account_row *a);

#endif
