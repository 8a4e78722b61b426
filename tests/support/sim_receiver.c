/* Webhook receiver and simulator helpers for the simulator suites; see sim_receiver.h. */
#include "sim_receiver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "meta/signature.h"

static void reply(struct http_resp *resp, int status, const char *text)
{
	http_resp_set(resp, status, "text/plain", text, strlen(text));
}

static void on_get(struct rx *r, struct http_req *req, struct http_resp *resp)
{
	const char *mode = http_query(req, "hub.mode");
	const char *token = http_query(req, "hub.verify_token");
	const char *challenge = http_query(req, "hub.challenge");
	if (mode && strcmp(mode, "subscribe") == 0 && token && r->verify_token &&
	    strcmp(token, r->verify_token) == 0 && challenge)
		reply(resp, 200, challenge);
	else
		reply(resp, 403, "forbidden");
}

static void on_request(void *arg, struct http_req *req, struct http_resp *resp)
{
	struct rx *r = arg;
	if (req->method == HTTP_GET) {
		on_get(r, req, resp);
		return;
	}
	const char *sig = http_header(req, "X-Hub-Signature-256");
	const char *type = http_header(req, "Content-Type");
	bool signed_ok = meta_signature_valid(sig, req->body.ptr, req->body.len, r->secret);
	json_t *body = signed_ok && type && strcmp(type, "application/json") == 0
	                   ? json_loadb(req->body.ptr, req->body.len, 0, NULL)
	                   : NULL;
	pthread_mutex_lock(&r->lock);
	r->posts++;
	pthread_cond_broadcast(&r->cond);
	while (r->hold)
		pthread_cond_wait(&r->cond, &r->lock);
	int status = 200;
	if (r->fail_next > 0) {
		r->fail_next--;
		status = 500;
	} else if (!body) {
		r->bad_signatures++;
		status = 401;
	} else if (r->count < RX_MAX_BODIES) {
		r->raw[r->count] = xstrndup(req->body.ptr ? req->body.ptr : "", req->body.len);
		r->bodies[r->count++] = body;
		body = NULL;
	}
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	json_decref(body);
	reply(resp, status, status == 200 ? "EVENT_RECEIVED" : "no");
}

static void on_too_large(void *arg, struct http_req *req, struct http_resp *resp)
{
	reply(resp, 413, "too large");
}

void rx_start(struct rx *r, const char *secret, const char *verify_token)
{
	memset(r, 0, sizeof(*r));
	r->secret = secret;
	r->verify_token = verify_token;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &attr);
	pthread_condattr_destroy(&attr);
	struct http_server_config cfg = {.host = "127.0.0.1",
	                                 .port = 0,
	                                 .threads = 4,
	                                 .max_body_bytes = 16u * 1024 * 1024,
	                                 .handler = on_request,
	                                 .handler_arg = r,
	                                 .too_large = on_too_large};
	struct err e = {0};
	if (http_server_start(&cfg, &r->srv, &e) != 0)
		fail_msg("receiver: %s", e.message);
	snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%d/webhook", http_server_port(r->srv));
}

void rx_clear(struct rx *r)
{
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->count; i++) {
		json_decref(r->bodies[i]);
		free(r->raw[i]);
	}
	r->count = 0;
	r->posts = 0;
	r->bad_signatures = 0;
	r->fail_next = 0;
	r->hold = false;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

void rx_stop(struct rx *r)
{
	http_server_stop(r->srv);
	r->srv = NULL;
	rx_clear(r);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
}

void rx_fail_next(struct rx *r, int n)
{
	pthread_mutex_lock(&r->lock);
	r->fail_next = n;
	pthread_mutex_unlock(&r->lock);
}

void rx_hold(struct rx *r, bool hold)
{
	pthread_mutex_lock(&r->lock);
	r->hold = hold;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

size_t rx_count(struct rx *r)
{
	pthread_mutex_lock(&r->lock);
	size_t n = r->count;
	pthread_mutex_unlock(&r->lock);
	return n;
}

json_t *rx_body(struct rx *r, size_t i)
{
	pthread_mutex_lock(&r->lock);
	json_t *b = i < r->count ? json_deep_copy(r->bodies[i]) : NULL;
	pthread_mutex_unlock(&r->lock);
	return b;
}

/* Counts into *count the statuses in body with wamid (and status, unless NULL); returns the
 * first of them, borrowed from body. */
static json_t *find_status(json_t *body, const char *wamid, const char *status, int *count)
{
	json_t *entry, *change, *st, *found = NULL;
	size_t i, j, k;
	json_array_foreach(json_object_get(body, "entry"), i, entry)
	{
		json_array_foreach(json_object_get(entry, "changes"), j, change)
		{
			json_t *sts = json_object_get(json_object_get(change, "value"), "statuses");
			json_array_foreach(sts, k, st)
			{
				const char *id = json_string_value(json_object_get(st, "id"));
				const char *s = json_string_value(json_object_get(st, "status"));
				if (!id || strcmp(id, wamid) != 0 ||
				    (status && strcmp(s, status) != 0))
					continue;
				(*count)++;
				found = found ? found : st;
			}
		}
	}
	return found;
}

int rx_statuses(struct rx *r, const char *wamid, const char *status)
{
	int n = 0;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->count; i++)
		find_status(r->bodies[i], wamid, status, &n);
	pthread_mutex_unlock(&r->lock);
	return n;
}

json_t *rx_status(struct rx *r, const char *wamid, const char *status)
{
	json_t *copy = NULL;
	int n = 0;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < r->count && !copy; i++) {
		json_t *st = find_status(r->bodies[i], wamid, status, &n);
		copy = st ? json_deep_copy(st) : NULL;
	}
	pthread_mutex_unlock(&r->lock);
	return copy;
}

static void deadline(struct timespec *ts, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Waits on the receiver's condition until pred holds (checked under the lock). */
static bool wait_for(struct rx *r, bool (*pred)(struct rx *r, const void *arg), const void *arg,
                     int timeout_ms)
{
	struct timespec ts;
	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&r->lock);
	bool ok = pred(r, arg);
	while (!ok && pthread_cond_timedwait(&r->cond, &r->lock, &ts) == 0)
		ok = pred(r, arg);
	ok = ok || pred(r, arg);
	pthread_mutex_unlock(&r->lock);
	return ok;
}

struct status_want {
	const char *wamid;
	const char *status;
	int n;
};

static bool have_statuses(struct rx *r, const void *arg)
{
	const struct status_want *w = arg;
	int n = 0;
	for (size_t i = 0; i < r->count; i++)
		find_status(r->bodies[i], w->wamid, w->status, &n);
	return n >= w->n;
}

static bool have_count(struct rx *r, const void *arg)
{
	return r->count >= *(const size_t *)arg;
}

static bool have_posts(struct rx *r, const void *arg)
{
	return r->posts >= *(const int *)arg;
}

bool rx_wait_statuses(struct rx *r, const char *wamid, const char *status, int n, int timeout_ms)
{
	struct status_want w = {wamid, status, n};
	return wait_for(r, have_statuses, &w, timeout_ms);
}

bool rx_wait_count(struct rx *r, size_t n, int timeout_ms)
{
	return wait_for(r, have_count, &n, timeout_ms);
}

bool rx_wait_posts(struct rx *r, int n, int timeout_ms)
{
	return wait_for(r, have_posts, &n, timeout_ms);
}

struct sim *simt_start(struct rx *rx, const char *secret, struct clock *clock,
                       void (*tune)(struct sim_config *cfg))
{
	struct sim_config cfg;
	sim_config_init(&cfg);
	cfg.webhook_url = rx ? rx->url : NULL;
	cfg.app_secret = secret;
	cfg.verify_token = rx ? rx->verify_token : NULL;
	cfg.sent_delay_ms = 0;
	cfg.delivered_delay_ms = 5;
	cfg.read_delay_ms = 10;
	cfg.threads = 4;
	cfg.webhook_threads = 2;
	if (clock)
		cfg.clock = *clock;
	if (tune)
		tune(&cfg);
	struct sim *s = NULL;
	struct err e = {0};
	if (sim_start(&cfg, &s, &e) != 0)
		fail_msg("sim_start: %s", e.message);
	return s;
}

void simt_url(struct sim *s, char *out, size_t cap)
{
	snprintf(out, cap, "http://127.0.0.1:%d", sim_port(s));
}

void simt_call(struct sim *s, const char *method, const char *path, const char *token,
               const char *body, struct th_resp *out)
{
	char url[1024], auth[512];
	int n = snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", sim_port(s), path);
	assert_true(n > 0 && (size_t)n < sizeof(url));
	const char *headers[2] = {NULL, NULL};
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		headers[0] = auth;
	}
	th_request(method, url, headers, body, out);
}

char *simt_fixture(const char *name)
{
	const char *root = getenv("PIXELS_SOURCE_DIR");
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/fixtures/meta/%s", root ? root : ".", name);
	for (int waited = 0; waited <= 120; waited++) {
		FILE *f = fopen(path, "rb");
		if (!f) {
			sleep(1); /* the fixtures are being copied in by another engineer */
			continue;
		}
		struct buf b;
		buf_init(&b, 0);
		char chunk[4096];
		for (size_t got = fread(chunk, 1, sizeof(chunk), f); got > 0;
		     got = fread(chunk, 1, sizeof(chunk), f))
			buf_append(&b, chunk, got);
		fclose(f);
		return buf_detach(&b, NULL);
	}
	fail_msg("fixture %s never appeared", path);
	return NULL;
}

char *simt_replace(char *s, const char *from, const char *to)
{
	struct buf b;
	buf_init(&b, 0);
	size_t flen = strlen(from);
	const char *p = s;
	for (const char *hit = strstr(p, from); hit; hit = strstr(p, from)) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_append_cstr(&b, to);
		p = hit + flen;
	}
	buf_append_cstr(&b, p);
	free(s);
	return buf_detach(&b, NULL);
}

const char *simt_wamid(const struct th_resp *r)
{
	json_t *m = json_array_get(json_object_get(r->json, "messages"), 0);
	const char *id = json_string_value(json_object_get(m, "id"));
	return id ? id : "";
}

int simt_error_code(const struct th_resp *r)
{
	json_t *code = json_object_get(json_object_get(r->json, "error"), "code");
	return json_is_integer(code) ? (int)json_integer_value(code) : -1;
}
