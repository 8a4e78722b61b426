/* Internal to meta/: one Graph API transfer (a configured curl easy handle with its copied
 * request and bounded reply buffer) and the decoding of its reply, shared by the asynchronous
 * client and the synchronous helper in graph.c. Nothing outside src/meta/ includes this. */
#ifndef PIXELS_META_GRAPH_TRANSFER_H
#define PIXELS_META_GRAPH_TRANSFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/err.h"
#include "meta/graph.h"

/* A config with the defaults applied. Strings are borrowed from whoever resolved it. */
struct meta_graph_settings {
	const char *base_url;
	size_t base_len; /* without trailing '/' */
	const char *version;
	long connect_timeout_ms;
	long timeout_ms;
	size_t max_reply_bytes;
	int max_in_flight;
	int max_connections;
};

struct meta_graph_transfer {
	CURL *easy;                 /* owned */
	struct curl_slist *headers; /* owned; holds the token, zeroed before it is freed */
	struct buf reply;           /* owned; max = max_reply_bytes */
	bool overflow;              /* the reply passed max_reply_bytes */
	void *user;                 /* the submitter's, handed back untouched */
	char method[8];
	char *path;       /* owned copy for log lines (no query: it is not logged) */
	int64_t start_ns; /* clock_mono_ns at creation */
	char errbuf[CURL_ERROR_SIZE];
	struct meta_graph_transfer *prev, *next; /* the client's in-flight list */
};

/* Applies the defaults of struct meta_graph_config to cfg (NULL = all defaults). */
void meta_graph_transfer_settings(const struct meta_graph_config *cfg,
                                  struct meta_graph_settings *out);

/* Validates and copies req into a new transfer with a ready easy handle. Errors: the
 * ERR_INVALID keys listed at meta_graph_submit. *out is NULL on error. */
int meta_graph_transfer_new(const struct meta_graph_settings *s, const struct meta_request *req,
                            struct meta_graph_transfer **out, struct err *e);

/* Fills *r from the finished transfer: res is curl's result for it. r->body borrows t->reply.
 * Writes one debug line (method, path, status, outcome, elapsed). */
void meta_graph_transfer_finish(struct meta_graph_transfer *t, CURLcode res, struct meta_result *r);

/* Fills *r as a transport error with text (e.g. "cancelled"). */
void meta_graph_transfer_fail(struct meta_graph_transfer *t, const char *text,
                              struct meta_result *r);

/* Frees the transfer (NULL-safe); the easy handle must not be in a multi handle. */
void meta_graph_transfer_free(struct meta_graph_transfer *t);

#endif
