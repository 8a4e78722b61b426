/* The Graph API client: a curl multi handle driven by one dispatcher thread (submit, poll,
 * cancel), plus the synchronous helper and send-reply accessors. Transfers and reply decoding
 * live in graph_transfer.c. Only meta_graph_wakeup may be called from another thread. */
#include "meta/graph.h"

#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "meta/graph_transfer.h"

struct meta_graph {
	struct meta_graph_settings set;   /* base_url and version point at the copies below */
	char *base_url;                   /* owned */
	char *version;                    /* owned */
	CURLM *multi;                     /* owned */
	struct meta_graph_transfer *head; /* in-flight transfers, owned */
	size_t in_flight;
};

struct meta_graph *meta_graph_new(const struct meta_graph_config *cfg)
{
	struct meta_graph *g = xcalloc(1, sizeof(*g));
	struct meta_graph_settings s;
	meta_graph_transfer_settings(cfg, &s);
	g->base_url = xstrndup(s.base_url, s.base_len);
	g->version = xstrdup(s.version);
	g->set = s;
	g->set.base_url = g->base_url;
	g->set.version = g->version;
	g->multi = curl_multi_init();
	if (!g->multi)
		abort(); /* fails only when out of memory */
	curl_multi_setopt(g->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)s.max_connections);
	/* Keep every connection we may open in the cache so keep-alive reuse never misses. */
	curl_multi_setopt(g->multi, CURLMOPT_MAXCONNECTS, (long)s.max_connections);
	return g;
}

static void unlink_transfer(struct meta_graph *g, struct meta_graph_transfer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		g->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->prev = t->next = NULL;
	g->in_flight--;
}

void meta_graph_free(struct meta_graph *g)
{
	if (!g)
		return;
	while (g->head) {
		struct meta_graph_transfer *t = g->head;
		unlink_transfer(g, t);
		curl_multi_remove_handle(g->multi, t->easy);
		meta_graph_transfer_free(t);
	}
	curl_multi_cleanup(g->multi);
	free(g->base_url);
	free(g->version);
	free(g);
}

int meta_graph_submit(struct meta_graph *g, const struct meta_request *req, void *user,
                      struct err *e)
{
	if (g->in_flight >= (size_t)g->set.max_in_flight)
		return err_set(e, ERR_LIMIT, "TOO_MANY_IN_FLIGHT",
		               "%d Graph API requests are already in flight", g->set.max_in_flight);
	struct meta_graph_transfer *t = NULL;
	int rc = meta_graph_transfer_new(&g->set, req, &t, e);
	if (rc != 0)
		return rc;
	t->user = user;
	CURLMcode mc = curl_multi_add_handle(g->multi, t->easy);
	if (mc != CURLM_OK) {
		meta_graph_transfer_free(t);
		return err_set(e, ERR_INTERNAL, "CURL_MULTI", "curl_multi_add_handle: %s",
		               curl_multi_strerror(mc));
	}
	t->next = g->head;
	if (g->head)
		g->head->prev = t;
	g->head = t;
	g->in_flight++;
	return 0;
}

/* Hands every finished transfer to done; returns how many. */
static int drain(struct meta_graph *g, meta_graph_done_fn done, void *arg)
{
	int n = 0;
	int left = 0;
	for (;;) {
		CURLMsg *msg = curl_multi_info_read(g->multi, &left);
		if (!msg)
			break;
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *easy = msg->easy_handle;
		CURLcode res = msg->data.result; /* msg is invalid once the handle is removed */
		struct meta_graph_transfer *t = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
		curl_multi_remove_handle(g->multi, easy);
		unlink_transfer(g, t);
		struct meta_result r;
		meta_graph_transfer_finish(t, res, &r);
		if (done)
			done(arg, t->user, &r);
		meta_graph_transfer_free(t);
		n++;
	}
	return n;
}

int meta_graph_poll(struct meta_graph *g, int timeout_ms, meta_graph_done_fn done, void *arg)
{
	int running = 0;
	curl_multi_perform(g->multi, &running);
	int n = drain(g, done, arg);
	if (n > 0)
		return n;
	CURLMcode mc = curl_multi_poll(g->multi, NULL, 0, timeout_ms > 0 ? timeout_ms : 0, NULL);
	if (mc != CURLM_OK)
		log_debug("pixels:meta", "curl_multi_poll: %s", curl_multi_strerror(mc));
	curl_multi_perform(g->multi, &running);
	return drain(g, done, arg);
}

int meta_graph_cancel_all(struct meta_graph *g, meta_graph_done_fn done, void *arg)
{
	/* Detach the list first: callbacks may submit new requests, which stay in flight. */
	struct meta_graph_transfer *list = g->head;
	g->head = NULL;
	int n = 0;
	while (list) {
		struct meta_graph_transfer *t = list;
		list = t->next;
		g->in_flight--;
		curl_multi_remove_handle(g->multi, t->easy);
		struct meta_result r;
		meta_graph_transfer_fail(t, "cancelled", &r);
		if (done)
			done(arg, t->user, &r);
		meta_graph_transfer_free(t);
		n++;
	}
	return n;
}

void meta_graph_wakeup(struct meta_graph *g)
{
	curl_multi_wakeup(g->multi);
}

size_t meta_graph_in_flight(const struct meta_graph *g)
{
	return g->in_flight;
}

int meta_graph_call(const struct meta_graph_config *cfg, const struct meta_request *req,
                    struct meta_result *out, struct buf *body_out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->code = META_CODE_NONE;
	struct meta_graph_settings s;
	meta_graph_transfer_settings(cfg, &s);
	struct meta_graph_transfer *t = NULL;
	int rc = meta_graph_transfer_new(&s, req, &t, e);
	if (rc != 0)
		return rc;
	CURLcode res = curl_easy_perform(t->easy);
	meta_graph_transfer_finish(t, res, out);
	if (body_out) {
		buf_release(body_out);
		*body_out = t->reply; /* out->body already points at these bytes */
		buf_init(&t->reply, 0);
	} else {
		out->body = NULL;
		out->body_len = 0;
	}
	meta_graph_transfer_free(t);
	return 0;
}

/* Copies messages[0].<key> of a send reply (a non-empty string) into out; 0 or -1. */
static int extract_first_message(const struct meta_result *r, const char *key, char *out,
                                 size_t cap)
{
	if (cap > 0)
		out[0] = '\0';
	json_t *root = NULL;
	if (cap == 0 || !r->body || jsonw_parse_object(r->body, r->body_len, &root, NULL) != 0)
		return -1;
	json_t *first = json_array_get(json_object_get(root, "messages"), 0);
	const char *s = json_string_value(json_object_get(first, key));
	int rc = s && s[0] ? str_copy_cstr(out, cap, s) : -1;
	if (rc != 0)
		out[0] = '\0';
	json_decref(root);
	return rc;
}

int meta_graph_extract_message_id(const struct meta_result *r, char *out, size_t cap)
{
	return extract_first_message(r, "id", out, cap);
}

int meta_graph_extract_message_status(const struct meta_result *r, char *out, size_t cap)
{
	return extract_first_message(r, "message_status", out, cap);
}
