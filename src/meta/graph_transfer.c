/* One Graph API transfer: request validation and copying, curl options, the bounded reply
 * buffer, and decoding of the reply (Meta's error envelope) into struct meta_result. The
 * access token is only ever put into the Authorization header list, which is zeroed on free. */
#include "meta/graph_transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/sec.h"
#include "core/str.h"
#include "core/xalloc.h"

#define LOG_NS "pixels:meta"
#define MAX_PATH_BYTES 1024
#define MAX_QUERY_BYTES 8192
#define MAX_TOKEN_BYTES 4096
#define MAX_CONTENT_TYPE_BYTES 256

void meta_graph_transfer_settings(const struct meta_graph_config *cfg,
                                  struct meta_graph_settings *out)
{
	static const struct meta_graph_config none;
	if (!cfg)
		cfg = &none;
	out->base_url =
	    cfg->base_url && cfg->base_url[0] ? cfg->base_url : META_GRAPH_DEFAULT_BASE_URL;
	out->base_len = strlen(out->base_url);
	while (out->base_len > 0 && out->base_url[out->base_len - 1] == '/')
		out->base_len--;
	out->version = cfg->version && cfg->version[0] ? cfg->version : META_GRAPH_DEFAULT_VERSION;
	out->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 5000;
	out->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
	out->max_reply_bytes = cfg->max_reply_bytes > 0 ? cfg->max_reply_bytes : 1024 * 1024;
	out->max_in_flight = cfg->max_in_flight > 0 ? cfg->max_in_flight : 64;
	out->max_connections = cfg->max_connections > 0 ? cfg->max_connections : out->max_in_flight;
}

/* Is every byte of s in [lo, 0x7E] and not one of the bytes in banned? */
static bool ascii_ok(const char *s, size_t max_len, unsigned char lo, const char *banned)
{
	size_t len = strlen(s);
	if (len > max_len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < lo || c > 0x7E || strchr(banned, c))
			return false;
	}
	return true;
}

static int validate(const struct meta_request *req, struct err *e)
{
	const char *m = req->method ? req->method : "";
	if (strcmp(m, "GET") != 0 && strcmp(m, "POST") != 0 && strcmp(m, "DELETE") != 0)
		return err_set(e, ERR_INVALID, "BAD_METHOD", "Method must be GET, POST or DELETE");
	if (!req->path || req->path[0] != '/' || !ascii_ok(req->path, MAX_PATH_BYTES, 0x21, "?#"))
		return err_set(
		    e, ERR_INVALID, "BAD_PATH",
		    "Path must start with '/' and hold printable ASCII without '?' or '#'");
	if (req->query && !ascii_ok(req->query, MAX_QUERY_BYTES, 0x21, "#"))
		return err_set(e, ERR_INVALID, "BAD_QUERY",
		               "Query must be URL-encoded printable ASCII without '#'");
	if (req->access_token && !ascii_ok(req->access_token, MAX_TOKEN_BYTES, 0x21, ""))
		return err_set(e, ERR_INVALID, "BAD_HEADER", "Access token has invalid characters");
	if (req->content_type && !ascii_ok(req->content_type, MAX_CONTENT_TYPE_BYTES, 0x20, ""))
		return err_set(e, ERR_INVALID, "BAD_HEADER", "Content type has invalid characters");
	return 0;
}

static size_t on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct meta_graph_transfer *t = arg;
	size_t len = size * n;
	if (buf_append(&t->reply, ptr, len) != 0) {
		t->overflow = true;
		return 0; /* anything but len makes curl abort the transfer */
	}
	return len;
}

static struct curl_slist *build_headers(const struct meta_request *req)
{
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip for large bodies */
	bool has_body = req->body && req->body_len > 0;
	if (has_body || strcmp(req->method, "POST") == 0) {
		char ct[MAX_CONTENT_TYPE_BYTES + 32];
		snprintf(ct, sizeof(ct), "Content-Type: %s",
		         req->content_type ? req->content_type : "application/json");
		h = curl_slist_append(h, ct);
	}
	if (req->access_token) {
		char *auth = xasprintf("Authorization: Bearer %s", req->access_token);
		h = curl_slist_append(h, auth);
		sec_zero(auth, strlen(auth));
		free(auth);
	}
	if (!h)
		abort(); /* curl_slist_append fails only when out of memory */
	return h;
}

static void set_method(CURL *c, const struct meta_request *req)
{
	bool has_body = req->body && req->body_len > 0;
	if (strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(req->method, "DELETE") == 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
	if (strcmp(req->method, "POST") == 0 || has_body) {
		/* Size first: COPYPOSTFIELDS copies exactly that many bytes (binary-safe). */
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)(has_body ? req->body_len : 0));
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS,
		                 has_body ? (const char *)req->body : "");
	}
}

static void set_options(struct meta_graph_transfer *t, const struct meta_graph_settings *s,
                        const char *url)
{
	CURL *c = t->easy;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, s->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s->timeout_ms);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	/* HTTP/2 (Meta speaks it over TLS): wait for a connection that can multiplex rather than
	 * opening one per request. */
	curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(c, CURLOPT_PRIVATE, t);
}

int meta_graph_transfer_new(const struct meta_graph_settings *s, const struct meta_request *req,
                            struct meta_graph_transfer **out, struct err *e)
{
	*out = NULL;
	int rc = validate(req, e);
	if (rc != 0)
		return rc;
	struct meta_graph_transfer *t = xcalloc(1, sizeof(*t));
	t->easy = curl_easy_init();
	if (!t->easy)
		abort(); /* fails only when out of memory */
	buf_init(&t->reply, s->max_reply_bytes);
	str_copy_cstr(t->method, sizeof(t->method), req->method);
	t->path = xstrdup(req->path);
	t->headers = build_headers(req);
	t->start_ns = clock_mono_ns();
	bool has_query = req->query && req->query[0];
	char *url = xasprintf("%.*s/%s%s%s%s", (int)s->base_len, s->base_url, s->version, req->path,
	                      has_query ? "?" : "", has_query ? req->query : "");
	set_options(t, s, url);
	set_method(t->easy, req);
	free(url); /* curl copied it */
	*out = t;
	return 0;
}

void meta_graph_transfer_free(struct meta_graph_transfer *t)
{
	if (!t)
		return;
	if (t->easy)
		curl_easy_cleanup(t->easy);
	for (struct curl_slist *h = t->headers; h; h = h->next)
		sec_zero(h->data, strlen(h->data));
	curl_slist_free_all(t->headers);
	buf_release(&t->reply);
	free(t->path);
	free(t);
}

/* Copies src into dst (cap bytes), cutting on a UTF-8 character boundary. */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (len >= cap) {
		len = cap - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

static const char *jstr(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

static int jint(json_t *obj, const char *key, int fallback)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		return fallback;
	json_int_t n = json_integer_value(v);
	return n < -2147483647 || n > 2147483647 ? fallback : (int)n;
}

/* {"error":{...}} -> the error fields of r. */
static void decode_envelope(struct meta_result *r, json_t *error)
{
	r->code = jint(error, "code", META_CODE_NONE);
	r->subcode = jint(error, "error_subcode", 0);
	r->is_transient = json_is_true(json_object_get(error, "is_transient"));
	copy_text(r->type, sizeof(r->type), jstr(error, "type"));
	const char *message = jstr(error, "message");
	if (!message[0])
		message = jstr(error, "error_user_msg");
	copy_text(r->message, sizeof(r->message), message);
	const char *title = jstr(error, "error_user_title");
	copy_text(r->title, sizeof(r->title), title[0] ? title : message);
	json_t *data = json_object_get(error, "error_data");
	/* Older Graph replies carry error_data as a string; keep it as the details then. */
	const char *details =
	    json_is_string(data) ? json_string_value(data) : jstr(data, "details");
	copy_text(r->details, sizeof(r->details), details);
	copy_text(r->fbtrace_id, sizeof(r->fbtrace_id), jstr(error, "fbtrace_id"));
}

/* A complete HTTP reply in r->body: decode and classify it. */
static void decode_reply(struct meta_result *r)
{
	bool success = r->http_status >= 200 && r->http_status < 300;
	json_t *root = NULL;
	if (jsonw_parse_object(r->body, r->body_len, &root, NULL) != 0) {
		r->outcome = success ? META_FAIL : meta_classify(r->http_status, r->code, false);
		if (success)
			copy_text(r->message, sizeof(r->message), "unexpected reply");
		else
			snprintf(r->message, sizeof(r->message), "HTTP %d", r->http_status);
		copy_text(r->title, sizeof(r->title), r->message);
		return;
	}
	json_t *error = json_object_get(root, "error");
	if (json_is_object(error))
		decode_envelope(r, error);
	r->outcome = meta_classify(r->http_status, r->code, false);
	if (r->outcome != META_OK && !r->message[0]) {
		snprintf(r->message, sizeof(r->message), "HTTP %d", r->http_status);
		copy_text(r->title, sizeof(r->title), r->message);
	}
	json_decref(root);
}

static void result_reset(struct meta_graph_transfer *t, struct meta_result *r)
{
	memset(r, 0, sizeof(*r));
	r->code = META_CODE_NONE;
	r->body = buf_cstr(&t->reply);
	r->body_len = t->reply.len;
	r->elapsed_ms = (double)(clock_mono_ns() - t->start_ns) / 1e6;
}

static void log_result(const struct meta_graph_transfer *t, const struct meta_result *r)
{
	log_debug(LOG_NS, "%s %s -> %d %s code=%d in %.1f ms%s%s", t->method, t->path,
	          r->http_status, meta_outcome_name(r->outcome), r->code, r->elapsed_ms,
	          r->transport_error ? ": " : "", r->transport_text);
}

void meta_graph_transfer_fail(struct meta_graph_transfer *t, const char *text,
                              struct meta_result *r)
{
	result_reset(t, r);
	r->transport_error = true;
	r->outcome = meta_classify(0, META_CODE_NONE, true);
	copy_text(r->transport_text, sizeof(r->transport_text), text);
	copy_text(r->message, sizeof(r->message), text);
	copy_text(r->title, sizeof(r->title), text);
	log_result(t, r);
}

void meta_graph_transfer_finish(struct meta_graph_transfer *t, CURLcode res, struct meta_result *r)
{
	if (t->overflow) {
		char text[96];
		snprintf(text, sizeof(text), "reply larger than %zu bytes", t->reply.max);
		meta_graph_transfer_fail(t, text, r);
		return;
	}
	if (res != CURLE_OK) {
		meta_graph_transfer_fail(t, t->errbuf[0] ? t->errbuf : curl_easy_strerror(res), r);
		return;
	}
	result_reset(t, r);
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	r->http_status = (int)status;
	decode_reply(r);
	log_result(t, r);
}
