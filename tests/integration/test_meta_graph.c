/* Integration test of meta/graph against a scripted Graph API double (libmicrohttpd on
 * 127.0.0.1, port 0): success replies and message ids, Meta's error envelopes
 * from the fixtures, 5xx, non-JSON, a reply over the cap, a server that does not answer in time,
 * connection refused, 200 requests in flight over few reused connections, the in-flight limit,
 * cancel, wakeup, the synchronous call, request validation, and the token staying out of URLs
 * and log lines. The double is tests/support/graph_double.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "meta/graph.h"
#include "graph_double.h"

#define TOKEN "EAAG-test-token-42"

/* ---- client side helpers --------------------------------------------------------------- */

struct done_rec {
	bool done;
	struct meta_result r; /* r.body cleared: it is only valid during the callback */
	char body[256];
	char id[128];
	char status[32];
};

struct collector {
	struct done_rec recs[256];
	size_t count;
};

static void on_done(void *arg, void *user, const struct meta_result *r)
{
	struct collector *c = arg;
	size_t i = (size_t)(uintptr_t)user;
	assert_true(i < 256);
	assert_false(c->recs[i].done);
	struct done_rec *d = &c->recs[i];
	d->done = true;
	d->r = *r;
	d->r.body = NULL;
	snprintf(d->body, sizeof(d->body), "%.*s", (int)(r->body_len < 255 ? r->body_len : 255),
	         r->body ? r->body : "");
	meta_graph_extract_message_id(r, d->id, sizeof(d->id));
	meta_graph_extract_message_status(r, d->status, sizeof(d->status));
	c->count++;
}

static struct meta_graph_config config(void)
{
	return (struct meta_graph_config){
	    .base_url = graph_double_url(),
	    .version = "v21.0",
	    .connect_timeout_ms = 2000,
	    .timeout_ms = 5000,
	    .max_reply_bytes = 64 * 1024,
	    .max_in_flight = 256,
	};
}

static void submit(struct meta_graph *g, const char *method, const char *path, size_t user)
{
	struct meta_request req = {.method = method, .path = path, .access_token = TOKEN};
	struct err e;
	err_clear(&e);
	if (meta_graph_submit(g, &req, (void *)(uintptr_t)user, &e) != 0)
		fail_msg("submit %s: %s", path, e.message);
}

/* Polls until c has want completions (fails after 10 s). */
static void run_until(struct meta_graph *g, struct collector *c, size_t want)
{
	int64_t deadline = clock_mono_ns() + 10 * 1000000000LL;
	while (c->count < want) {
		if (clock_mono_ns() > deadline)
			fail_msg("only %zu of %zu requests completed", c->count, want);
		meta_graph_poll(g, 1000, on_done, c);
	}
	assert_int_equal(meta_graph_in_flight(g), 0);
}

static struct done_rec *one(const char *method, const char *path, struct meta_graph_config cfg,
                            struct collector *c)
{
	struct meta_graph *g = meta_graph_new(&cfg);
	memset(c, 0, sizeof(*c));
	submit(g, method, path, 0);
	assert_int_equal(meta_graph_in_flight(g), 1);
	run_until(g, c, 1);
	meta_graph_free(g);
	return &c->recs[0];
}

static struct collector col; /* big: static, one test at a time */

/* ---- tests ---------------------------------------------------------------------------- */

static void capture_line(void *arg, const char *line, size_t len)
{
	buf_append(arg, line, len);
	buf_append(arg, "\n", 1);
}

static void test_send_reply_headers_and_logs(void **state)
{
	struct buf logs;
	buf_init(&logs, 0);
	log_setup("pixels:meta", LOG_LEVEL_INFO, false);
	log_set_sink(capture_line, &logs);

	struct meta_graph *g = meta_graph_new(&(struct meta_graph_config){
	    .base_url = graph_double_url(), .version = "v21.0", .max_in_flight = 8});
	memset(&col, 0, sizeof(col));
	static const char body[] = "{\"messaging_product\":\"whatsapp\",\"to\":\"1\"}";
	char *copy = strdup(body); /* freed right after submit: the client must have copied it */
	struct meta_request req = {.method = "POST",
	                           .path = "/123/messages",
	                           .access_token = TOKEN,
	                           .body = copy,
	                           .body_len = strlen(copy)};
	struct err e;
	assert_int_equal(meta_graph_submit(g, &req, (void *)0, &e), 0);
	free(copy);
	struct meta_request get = {.method = "GET",
	                           .path = "/status",
	                           .query = "fields=id,name&x=1",
	                           .access_token = TOKEN};
	assert_int_equal(meta_graph_submit(g, &get, (void *)1, &e), 0);
	submit(g, "DELETE", "/send", 2);
	run_until(g, &col, 3);
	meta_graph_free(g);
	log_set_sink(NULL, NULL);
	log_setup(NULL, LOG_LEVEL_WARN, false);

	struct done_rec *d = &col.recs[0];
	assert_int_equal(d->r.http_status, 200);
	assert_int_equal(d->r.outcome, META_OK);
	assert_int_equal(d->r.code, META_CODE_NONE);
	assert_false(d->r.transport_error);
	assert_string_equal(d->id, "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA");
	assert_true(d->r.elapsed_ms > 0);
	assert_string_equal(col.recs[1].id, "wamid.gBGGSFcCNEOPAgkO_KJ55r4w_ww");
	assert_string_equal(col.recs[1].status, "accepted");
	assert_int_equal(col.recs[2].r.outcome, META_OK);

	struct graph_double_seen s = graph_double_seen("/v21.0/123/messages");
	assert_string_equal(s.method, "POST");
	assert_string_equal(s.auth, "Bearer " TOKEN);
	assert_string_equal(s.ctype, "application/json");
	assert_string_equal(s.body, body);
	s = graph_double_seen("/v21.0/status");
	assert_string_equal(s.method, "GET");
	assert_string_equal(s.fields, "id,name");
	assert_string_equal(s.body, "");
	assert_string_equal(graph_double_seen("/v21.0/send").method, "DELETE");

	/* debug lines name method, path and status; never the token or the body */
	assert_non_null(strstr(buf_cstr(&logs), "POST /123/messages -> 200 ok"));
	assert_non_null(strstr(buf_cstr(&logs), "GET /status -> 200"));
	assert_null(strstr(buf_cstr(&logs), TOKEN));
	assert_null(strstr(buf_cstr(&logs), "whatsapp"));
	assert_null(strstr(buf_cstr(&logs), "fields="));
	buf_release(&logs);
}

struct envelope_case {
	const char *path; /* /err/<fixture>?s=<status> */
	int status;
	enum meta_outcome outcome;
	int code, subcode;
	bool transient;
	const char *type, *message, *details, *fbtrace;
};

static const struct envelope_case envelopes[] = {
    {"/err/err-100-invalid-parameter.json", 400, META_FAIL, 100, 0, false, "OAuthException",
     "Invalid parameter: application_id must be a valid numeric string", "",
     "AXsgnV2Cm3ZMGF3dF_cfYIn"},
    {"/err/err-190-invalid-token.json", 401, META_REAUTH, 190, 463, false, "OAuthException",
     "Invalid OAuth access token", "", "AXsgnV2Cm3ZMGF3dF_cfYIn"},
    {"/err/err-4-rate-limit.json", 429, META_RETRY, 4, 2446079, true, "OAuthException",
     "Application request limit reached", "", "AXsgnV2Cm3ZMGF3dF_cfYIn"},
    {"/err/err-2-transient.json", 500, META_RETRY, 2, 0, true, "GraphMethodException",
     "An unexpected error occurred. Please retry your request", "", "AXsgnV2Cm3ZMGF3dF_cfYIn"},
    {"/err/derived/err-sync-100-invalid-param-2494010.json", 400, META_FAIL, 100, 2494010, false,
     "OAuthException", "(#100) Invalid parameter", "Parameter Invalid", "AwmiSOCojlAkqvjCTjGt37r"},
    {"/err/derived/err-sync-130429-rate-limit.json", 400, META_RETRY, 130429, 2494055, false,
     "OAuthException", "(#130429) Rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "in a short period of time",
     "Az8or2yhqkZfEZ-_4Qn_Bam"},
    {"/err/derived/err-sync-132001-template-missing.json", 404, META_FAIL, 132001, 2494073, false,
     "OAuthException", "(#132001) Template name does not exist in the translation",
     "template name (YOUR_TEMPLATE_NAME) does not exist in en", "AE9jPfwk6-lgxrhmyNUuovy"},
    /* the same expired-token envelope on a 500 is still REAUTH: the code decides */
    {"/err/derived/err-sync-190-token-expired.json", 500, META_REAUTH, 190, 463, false,
     "OAuthException", "~Error validating access token: Session has expired", "",
     "AZ-HzGEkqc5Vf3E0gy-eAcV"},
};

static void test_error_envelopes(void **state)
{
	size_t n = sizeof(envelopes) / sizeof(envelopes[0]);
	struct meta_graph_config cfg = config();
	struct meta_graph *g = meta_graph_new(&cfg);
	memset(&col, 0, sizeof(col));
	for (size_t i = 0; i < n; i++) {
		char query[16];
		snprintf(query, sizeof(query), "s=%d", envelopes[i].status);
		struct meta_request req = {.method = "POST",
		                           .path = envelopes[i].path,
		                           .query = query,
		                           .access_token = TOKEN};
		assert_int_equal(meta_graph_submit(g, &req, (void *)(uintptr_t)i, NULL), 0);
	}
	run_until(g, &col, n); /* all in flight together */
	meta_graph_free(g);
	for (size_t i = 0; i < n; i++) {
		const struct envelope_case *c = &envelopes[i];
		const struct meta_result *r = &col.recs[i].r;
		if (r->outcome != c->outcome)
			fail_msg("%s: outcome %s", c->path, meta_outcome_name(r->outcome));
		assert_int_equal(r->http_status, c->status);
		assert_int_equal(r->code, c->code);
		assert_int_equal(r->subcode, c->subcode);
		assert_int_equal(r->is_transient, c->transient);
		assert_false(r->transport_error);
		assert_string_equal(r->type, c->type);
		if (c->message[0] == '~')
			assert_non_null(strstr(r->message, c->message + 1));
		else
			assert_string_equal(r->message, c->message);
		/* no error_user_title in these: the title is the message, cut to its field */
		assert_true(strlen(r->title) > 0);
		assert_memory_equal(r->title, r->message, strlen(r->title));
		assert_string_equal(r->details, c->details);
		assert_string_equal(r->fbtrace_id, c->fbtrace);
		assert_string_equal(col.recs[i].id, ""); /* no message id in an error */
	}
}

static void test_non_envelope_replies(void **state)
{
	struct done_rec *d = one("GET", "/boom", config(), &col);
	assert_int_equal(d->r.http_status, 500);
	assert_int_equal(d->r.outcome, META_RETRY);
	assert_int_equal(d->r.code, META_CODE_NONE);
	assert_false(d->r.transport_error);
	assert_string_equal(d->body, "<html>oops</html>"); /* the raw body was lent to done */

	d = one("GET", "/html200", config(), &col);
	assert_int_equal(d->r.http_status, 200);
	assert_int_equal(d->r.outcome, META_FAIL);
	assert_string_equal(d->r.message, "unexpected reply");

	d = one("GET", "/nocode404", config(), &col);
	assert_int_equal(d->r.http_status, 404);
	assert_int_equal(d->r.outcome, META_FAIL);
	assert_string_equal(d->r.message, "HTTP 404");
}

static void test_reply_over_cap(void **state)
{
	struct meta_graph_config cfg = config();
	cfg.max_reply_bytes = GRAPH_DOUBLE_BIG_BYTES - 1;
	struct done_rec *d = one("GET", "/big", cfg, &col);
	assert_true(d->r.transport_error);
	assert_int_equal(d->r.http_status, 0);
	assert_int_equal(d->r.outcome, META_RETRY);
	assert_non_null(strstr(d->r.transport_text, "larger than"));
	/* exactly at the cap is fine */
	cfg.max_reply_bytes = GRAPH_DOUBLE_BIG_BYTES;
	d = one("GET", "/big", cfg, &col);
	assert_false(d->r.transport_error);
	assert_int_equal(d->r.outcome, META_OK);
}

static void test_timeout(void **state)
{
	struct meta_graph_config cfg = config();
	cfg.timeout_ms = 300;
	struct done_rec *d = one("GET", "/slow", cfg, &col);
	assert_true(d->r.transport_error);
	assert_int_equal(d->r.http_status, 0);
	assert_int_equal(d->r.outcome, META_RETRY);
	assert_true(d->r.elapsed_ms >= 290 && d->r.elapsed_ms < 1000);
	assert_true(d->r.transport_text[0] != '\0');
	graph_double_release_slow();
}

/* A loopback port nobody listens on: bound, read, closed. */
static void refused_url(char *out, size_t cap)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t len = sizeof(a);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	snprintf(out, cap, "http://127.0.0.1:%u/", (unsigned)ntohs(a.sin_port));
}

static void test_connection_refused(void **state)
{
	char url[64];
	refused_url(url, sizeof(url));
	struct meta_graph_config cfg = config();
	cfg.base_url = url; /* the trailing '/' is ignored */
	struct done_rec *d = one("POST", "/send", cfg, &col);
	assert_true(d->r.transport_error);
	assert_int_equal(d->r.http_status, 0);
	assert_int_equal(d->r.outcome, META_RETRY);
	assert_true(d->r.transport_text[0] != '\0');
	assert_int_equal(d->r.code, META_CODE_NONE);
}

static void test_many_in_flight_reuse_connections(void **state)
{
	struct meta_graph_config cfg = config();
	cfg.max_connections = 8;
	struct meta_graph *g = meta_graph_new(&cfg);
	memset(&col, 0, sizeof(col));
	int before = graph_double_connections();
	for (size_t i = 0; i < 200; i++)
		submit(g, "POST", "/send", i);
	assert_int_equal(meta_graph_in_flight(g), 200);
	run_until(g, &col, 200);
	for (size_t i = 0; i < 200; i++) {
		assert_true(col.recs[i].done);
		assert_int_equal(col.recs[i].r.outcome, META_OK);
		assert_string_equal(col.recs[i].id,
		                    "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA");
	}
	int opened = graph_double_connections() - before;
	assert_true(opened >= 1 && opened <= 8);

	/* A second wave reuses the kept-alive connections: 400 requests never open more than
	 * the cap (how many of the 8 each wave needs depends on scheduling, so that is not
	 * asserted). */
	memset(&col, 0, sizeof(col));
	for (size_t i = 0; i < 200; i++)
		submit(g, "POST", "/send", i);
	run_until(g, &col, 200);
	int total = graph_double_connections() - before;
	assert_true(total >= opened && total <= 8);
	meta_graph_free(g);
}

static void test_in_flight_limit_and_cancel(void **state)
{
	struct meta_graph_config cfg = config();
	cfg.max_in_flight = 4;
	struct meta_graph *g = meta_graph_new(&cfg);
	memset(&col, 0, sizeof(col));
	for (size_t i = 0; i < 4; i++)
		submit(g, "POST", "/send", i);
	struct meta_request req = {.method = "POST", .path = "/send"};
	struct err e;
	err_clear(&e);
	assert_int_equal(meta_graph_submit(g, &req, (void *)9, &e), ERR_LIMIT);
	assert_string_equal(e.key, "TOO_MANY_IN_FLIGHT");
	assert_int_equal(meta_graph_in_flight(g), 4);
	run_until(g, &col, 4);
	submit(g, "POST", "/send", 4); /* room again */

	/* cancel_all completes what is left with "cancelled" */
	submit(g, "POST", "/send", 5);
	assert_int_equal(meta_graph_cancel_all(g, on_done, &col), 2);
	assert_int_equal(meta_graph_in_flight(g), 0);
	for (size_t i = 4; i < 6; i++) {
		assert_true(col.recs[i].r.transport_error);
		assert_int_equal(col.recs[i].r.outcome, META_RETRY);
		assert_string_equal(col.recs[i].r.transport_text, "cancelled");
	}
	meta_graph_free(g);
}

static void test_free_with_requests_in_flight(void **state)
{
	struct meta_graph_config cfg = config();
	struct meta_graph *g = meta_graph_new(&cfg);
	memset(&col, 0, sizeof(col));
	for (size_t i = 0; i < 3; i++)
		submit(g, "GET", "/slow", i);
	meta_graph_poll(g, 50, on_done, &col); /* get them onto the wire */
	meta_graph_free(g);                    /* no callbacks; sanitizers check nothing leaks */
	assert_int_equal(col.count, 0);
	meta_graph_free(NULL);
	graph_double_release_slow();
}

struct waker {
	struct meta_graph *g;
};

static void *wake_later(void *arg)
{
	struct waker *w = arg;
	struct timespec ts = {.tv_sec = 0, .tv_nsec = 100 * 1000000L};
	nanosleep(&ts, NULL); /* usually lands inside the poll; before it works the same */
	meta_graph_wakeup(w->g);
	return NULL;
}

static void test_wakeup_interrupts_poll(void **state)
{
	struct meta_graph_config cfg = config();
	struct waker w = {.g = meta_graph_new(&cfg)};
	pthread_t t;
	int64_t start = clock_mono_ns();
	assert_int_equal(pthread_create(&t, NULL, wake_later, &w), 0);
	assert_int_equal(meta_graph_poll(w.g, 20000, on_done, &col), 0);
	int64_t took_ms = (clock_mono_ns() - start) / 1000000;
	pthread_join(t, NULL);
	assert_true(took_ms < 5000); /* far below the 20 s the poll would otherwise wait */
	meta_graph_free(w.g);
}

static void test_sync_call(void **state)
{
	struct meta_graph_config cfg = config();
	struct meta_request req = {.method = "POST", .path = "/send", .access_token = TOKEN};
	struct meta_result r;
	struct buf body;
	buf_init(&body, 0);
	struct err e;
	err_clear(&e);
	assert_int_equal(meta_graph_call(&cfg, &req, &r, &body, &e), 0);
	assert_int_equal(r.outcome, META_OK);
	assert_ptr_equal(r.body, body.ptr);
	char id[128];
	assert_int_equal(meta_graph_extract_message_id(&r, id, sizeof(id)), 0);
	assert_string_equal(id, "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA");
	assert_int_equal(meta_graph_extract_message_status(&r, id, sizeof(id)), -1);
	assert_int_equal(meta_graph_extract_message_id(&r, id, 8), -1); /* too small */
	assert_string_equal(id, "");

	/* Meta's refusals and transport errors are results, not call errors */
	req.path = "/err/err-190-invalid-token.json";
	req.query = "s=401";
	assert_int_equal(meta_graph_call(&cfg, &req, &r, &body, &e), 0);
	assert_int_equal(r.http_status, 401);
	assert_int_equal(r.code, 190);
	assert_int_equal(r.outcome, META_REAUTH);
	assert_ptr_equal(r.body, body.ptr);
	assert_non_null(strstr(body.ptr, "Invalid OAuth access token"));

	char url[64];
	refused_url(url, sizeof(url));
	cfg.base_url = url;
	assert_int_equal(meta_graph_call(&cfg, &req, &r, NULL, &e), 0);
	assert_true(r.transport_error);
	assert_int_equal(r.outcome, META_RETRY);
	assert_null(r.body);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(e.key, ""); /* e untouched */
	buf_release(&body);
}

static void test_request_validation(void **state)
{
	static const struct {
		struct meta_request req;
		const char *key;
	} bad[] = {
	    {{.method = "PUT", .path = "/x"}, "BAD_METHOD"},
	    {{.method = NULL, .path = "/x"}, "BAD_METHOD"},
	    {{.method = "post", .path = "/x"}, "BAD_METHOD"},
	    {{.method = "GET", .path = NULL}, "BAD_PATH"},
	    {{.method = "GET", .path = "x"}, "BAD_PATH"},
	    {{.method = "GET", .path = "/a b"}, "BAD_PATH"},
	    {{.method = "GET", .path = "/a?b=1"}, "BAD_PATH"},
	    {{.method = "GET", .path = "/a#frag"}, "BAD_PATH"},
	    {{.method = "GET", .path = "/a\r\nX: y"}, "BAD_PATH"},
	    {{.method = "GET", .path = "/a", .query = "a=b c"}, "BAD_QUERY"},
	    {{.method = "GET", .path = "/a", .access_token = "tok\r\nX-Evil: 1"}, "BAD_HEADER"},
	    {{.method = "GET", .path = "/a", .access_token = "tok en"}, "BAD_HEADER"},
	    {{.method = "POST", .path = "/a", .content_type = "a/b\r\nX: 1"}, "BAD_HEADER"},
	};
	struct meta_graph_config cfg = config();
	struct meta_graph *g = meta_graph_new(&cfg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e;
		err_clear(&e);
		assert_int_equal(meta_graph_submit(g, &bad[i].req, NULL, &e), ERR_INVALID);
		assert_string_equal(e.key, bad[i].key);
		struct meta_result r;
		err_clear(&e);
		assert_int_equal(meta_graph_call(&cfg, &bad[i].req, &r, NULL, &e), ERR_INVALID);
		assert_string_equal(e.key, bad[i].key);
	}
	assert_int_equal(meta_graph_in_flight(g), 0);
	meta_graph_free(g);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_send_reply_headers_and_logs),
	    cmocka_unit_test(test_error_envelopes),
	    cmocka_unit_test(test_non_envelope_replies),
	    cmocka_unit_test(test_reply_over_cap),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_connection_refused),
	    cmocka_unit_test(test_many_in_flight_reuse_connections),
	    cmocka_unit_test(test_in_flight_limit_and_cancel),
	    cmocka_unit_test(test_free_with_requests_in_flight),
	    cmocka_unit_test(test_wakeup_interrupts_poll),
	    cmocka_unit_test(test_sync_call),
	    cmocka_unit_test(test_request_validation),
	};
	int rc = cmocka_run_group_tests(tests, graph_double_start, graph_double_stop);
	curl_global_cleanup();
	return rc;
}
