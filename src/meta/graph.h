/* Graph API client (libcurl). Asynchronous: one dispatcher thread submits requests and polls
 * for their completion, with many transfers in flight over reused keep-alive connections
 * (curl multi). Every reply is bounded by max_reply_bytes and decoded into a struct meta_result
 * classified by meta/errors. The access token travels only in the Authorization header: never
 * in a URL, never in a log line. A synchronous helper serves rare calls (tests, media). */
#ifndef PIXELS_META_GRAPH_H
#define PIXELS_META_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "meta/errors.h"

#define META_GRAPH_DEFAULT_BASE_URL "https://graph.facebook.com"
#define META_GRAPH_DEFAULT_VERSION "v21.0"

/* Zero or NULL fields take the defaults in brackets. Strings are copied by meta_graph_new. */
struct meta_graph_config {
	const char *base_url;    /* ["https://graph.facebook.com"]; a trailing '/' is ignored */
	const char *version;     /* ["v21.0"] */
	long connect_timeout_ms; /* [5000] */
	long timeout_ms;         /* [30000] whole request, connect included */
	size_t max_reply_bytes;  /* [1 MiB] a longer reply is a transport error */
	int max_in_flight;       /* [64] submit refuses more than this many running requests */
	int max_connections;     /* [max_in_flight] open connections to the host; with HTTP/1.1
	                            transfers beyond this wait inside curl for a free one */
};

/* One request. Everything is copied by submit/call: the caller's buffers may be freed after. */
struct meta_request {
	const char *method;       /* "GET", "POST" or "DELETE" */
	const char *path;         /* "/1234/messages"; sent as base_url "/" version path */
	const char *query;        /* NULL or "a=b&c=d", already URL-encoded */
	const char *access_token; /* NULL = no Authorization header */
	const char *content_type; /* NULL = "application/json" (used when there is a body) */
	const void *body;         /* may be NULL */
	size_t body_len;
};

/* The decoded reply. Meta's error envelope {"error":{message, type, code, error_subcode,
 * error_data:{details}, fbtrace_id, is_transient, error_user_title, error_user_msg}} fills the
 * error fields; text fields are "" when absent and cut (on a UTF-8 boundary) to their size. */
struct meta_result {
	int http_status; /* 0 on transport error */
	enum meta_outcome outcome;
	int code;    /* error.code, META_CODE_NONE when the reply had none */
	int subcode; /* error.error_subcode, 0 when absent */
	bool is_transient;
	char type[64];     /* error.type, e.g. "OAuthException" */
	char title[128];   /* error.error_user_title, else error.message */
	char message[512]; /* error.message (or error_user_msg when message is absent) */
	char details[512]; /* error.error_data.details */
	char fbtrace_id[64];
	bool transport_error; /* no complete reply: connect failure, timeout, over the cap */
	char transport_text[128];
	const char *body; /* the raw reply, borrowed: valid during the callback only (see call) */
	size_t body_len;
	double elapsed_ms; /* from submit to completion */
};

struct meta_graph;

/* Creates a client (never NULL; aborts on OOM). The process should call curl_global_init once
 * before starting threads (Debian 12's libcurl is built "threadsafe", so its implicit
 * initialisation is safe too). The client belongs to one thread: every function below except
 * meta_graph_wakeup must be called from it. */
struct meta_graph *meta_graph_new(const struct meta_graph_config *cfg);
/* Frees the client; NULL-safe. Requests still in flight are aborted WITHOUT callbacks: call
 * meta_graph_cancel_all first to learn which ones they were. */
void meta_graph_free(struct meta_graph *g);

/* Starts one request; user is handed back to the done callback of meta_graph_poll. Does not
 * block. Errors: ERR_LIMIT "TOO_MANY_IN_FLIGHT" when max_in_flight requests are running;
 * ERR_INVALID "BAD_METHOD"; "BAD_PATH" (must start with '/', printable ASCII without spaces,
 * '?' or '#', at most 1024 bytes); "BAD_QUERY" (printable ASCII without spaces or '#', at most
 * 8192 bytes); "BAD_HEADER" (token with spaces or control characters, or content type with
 * control characters). */
int meta_graph_submit(struct meta_graph *g, const struct meta_request *req, void *user,
                      struct err *e);

/* Callback for a completed request. r and everything it points to is valid during the call
 * only. The callback may submit new requests; it must not free the client. */
typedef void (*meta_graph_done_fn)(void *arg, void *user, const struct meta_result *r);

/* Drives transfers, waiting at most timeout_ms for progress (returns at once when something
 * already completed, or when meta_graph_wakeup is called), and calls done for each completed
 * request. Returns how many completed. Blocks up to timeout_ms. */
int meta_graph_poll(struct meta_graph *g, int timeout_ms, meta_graph_done_fn done, void *arg);

/* Completes every in-flight request now with a transport error "cancelled" (outcome RETRY),
 * calling done for each; returns how many. For an orderly shutdown. */
int meta_graph_cancel_all(struct meta_graph *g, meta_graph_done_fn done, void *arg);

/* Makes a meta_graph_poll running (or the next one to start) return promptly. The only
 * function that is safe to call from any thread. */
void meta_graph_wakeup(struct meta_graph *g);

/* Requests submitted and not yet completed. */
size_t meta_graph_in_flight(const struct meta_graph *g);

/* Performs one request synchronously (blocks up to cfg->timeout_ms; thread-safe) and decodes it
 * into *out, exactly as the asynchronous client would. body_out (may be NULL): released, then set
 * to the reply (bounded by cfg->max_reply_bytes); out->body points into it, so it stays valid until
 * the caller releases body_out (out->body is NULL without body_out). Returns 0 whenever *out was
 * filled, including Meta errors and transport errors: check out->outcome. Errors (out reset, code
 * META_CODE_NONE): the ERR_INVALID keys of meta_graph_submit. */
int meta_graph_call(const struct meta_graph_config *cfg, const struct meta_request *req,
                    struct meta_result *out, struct buf *body_out, struct err *e);

/* From a send reply {"messages":[{"id":"wamid...","message_status":"accepted"}], ...} copies
 * messages[0].id (resp. messages[0].message_status) into out. 0, or -1 when absent, not a
 * string, or longer than cap-1 bytes (out is then ""). */
int meta_graph_extract_message_id(const struct meta_result *r, char *out, size_t cap);
int meta_graph_extract_message_status(const struct meta_result *r, char *out, size_t cap);

#endif
