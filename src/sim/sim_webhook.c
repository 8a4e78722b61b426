/* Webhook sender threads; see sim_webhook.h. A worker takes the earliest due work under the
 * lock: one prepared POST or timer, or up to `batch` due statuses. Statuses linger LINGER_MS
 * after their due time so that concurrent sends share a POST (Meta batches too); the lock is
 * never held during HTTP. */
#include "sim/sim_webhook.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/log.h"
#include "core/sec.h"
#include "core/xalloc.h"
#include "meta/signature.h"
#include "sim/sim_payload.h"

#define RETRY_START_MS 200
#define RETRY_MAX_MS 30000
#define MAX_ATTEMPTS 10
#define LINGER_MS 5
#define SHUFFLE_JITTER_MS 25
#define POST_TIMEOUT_MS 10000L
#define MAX_BATCH 1000
#define URL_MAX 1024

struct sim_webhook {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC */
	struct sim_queue *queue;
	char url[URL_MAX]; /* "" = disabled */
	char *secret;      /* owned */
	int batch;
	bool shuffle;
	bool bsuid;
	bool stopping;
	const struct clock *clock;
	pthread_t *threads; /* owned, nthreads */
	int nthreads;
	struct sim_webhook_stats stats;
};

static int64_t mono_ms(void)
{
	return clock_mono_ns() / 1000000;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
	return size * nmemb;
}

/* POSTs body signed; returns the HTTP status, 0 when no reply arrived. */
static int post(CURL *h, const char *url, const char *secret, const char *body, size_t len)
{
	char sig[META_SIGNATURE_SIZE];
	meta_signature_compute(secret, body, len, sig);
	char sig_header[META_SIGNATURE_SIZE + 32];
	snprintf(sig_header, sizeof(sig_header), "X-Hub-Signature-256: %s", sig);
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, sig_header);
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, POST_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "facebookexternalua");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	return (int)status;
}

static int64_t backoff_ms(int attempts)
{
	int64_t ms = RETRY_START_MS;
	for (int i = 1; i < attempts && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	return ms < RETRY_MAX_MS ? ms : RETRY_MAX_MS;
}

static void push_locked(struct sim_webhook *w, struct sim_event *ev)
{
	struct sim_event dropped;
	bool first = false;
	if (sim_queue_push(w->queue, ev, &dropped, &first)) {
		sim_queue_event_release(&dropped);
		w->stats.dropped++;
	}
	if (first)
		pthread_cond_signal(&w->cond);
}

/* Records the outcome of one attempt; queues a retry or gives up. Takes body. */
static void settle(struct sim_webhook *w, int status, char *body, size_t len, int attempts,
                   int items)
{
	pthread_mutex_lock(&w->lock);
	if (status >= 200 && status < 300) {
		w->stats.posts_ok++;
		w->stats.statuses += (uint64_t)items;
		free(body);
	} else if (attempts >= MAX_ATTEMPTS) {
		w->stats.posts_failed++;
		w->stats.gave_up++;
		log_warn("pixels:sim", "webhook abandoned after %d attempts (last status %d)",
		         attempts, status);
		free(body);
	} else {
		w->stats.posts_failed++;
		w->stats.retries++;
		if (attempts == 1) /* later attempts only at debug: a dead receiver is noisy */
			log_info("pixels:sim", "webhook POST got status %d; retrying with backoff",
			         status);
		else
			log_debug("pixels:sim",
			          "webhook attempt %d got status %d; retrying in %lld ms", attempts,
			          status, (long long)backoff_ms(attempts));
		struct sim_event ev = {.due_ms = mono_ms() + backoff_ms(attempts),
		                       .kind = SIM_EVENT_POST};
		ev.u.post.body = body;
		ev.u.post.len = len;
		ev.u.post.attempts = attempts;
		ev.u.post.items = items;
		push_locked(w, &ev);
	}
	pthread_mutex_unlock(&w->lock);
}

static bool copy_url(struct sim_webhook *w, char *out)
{
	pthread_mutex_lock(&w->lock);
	memcpy(out, w->url, URL_MAX);
	pthread_mutex_unlock(&w->lock);
	return out[0] != '\0';
}

static void deliver(struct sim_webhook *w, CURL *h, char *body, size_t len, int attempts, int items)
{
	char url[URL_MAX];
	if (!copy_url(w, url)) {
		free(body); /* webhooks were switched off meanwhile */
		return;
	}
	int status = post(h, url, w->secret, body, len);
	settle(w, status, body, len, attempts + 1, items);
}

static void deliver_statuses(struct sim_webhook *w, CURL *h, struct sim_event *batch, size_t n)
{
	struct sim_status *ptrs[MAX_BATCH];
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &batch[i].u.st;
	pthread_mutex_lock(&w->lock);
	bool shuffle = w->shuffle, bsuid = w->bsuid;
	pthread_mutex_unlock(&w->lock);
	for (size_t i = n; shuffle && i > 1; i--) {
		size_t j = sec_random_below((uint32_t)i);
		struct sim_status *t = ptrs[i - 1];
		ptrs[i - 1] = ptrs[j];
		ptrs[j] = t;
	}
	size_t len = 0;
	char *body = sim_payload_statuses(ptrs, n, bsuid, clock_now_ms(w->clock), &len);
	for (size_t i = 0; i < n; i++)
		sim_queue_event_release(&batch[i]);
	deliver(w, h, body, len, 0, (int)n);
}

/* Under the lock: moves due work into batch and returns how many events; 0 with *wait_until
 * set (monotonic ms, -1 = until signalled) when nothing is due. */
static size_t take_due(struct sim_webhook *w, struct sim_event *batch, int64_t *wait_until)
{
	const struct sim_event *top = sim_queue_peek(w->queue);
	*wait_until = -1;
	if (!top)
		return 0;
	int64_t now = mono_ms();
	int64_t ready_at = top->due_ms + (top->kind == SIM_EVENT_STATUS ? LINGER_MS : 0);
	if (ready_at > now) {
		*wait_until = ready_at;
		return 0;
	}
	size_t n = 0;
	sim_queue_pop(w->queue, &batch[n++]);
	if (batch[0].kind != SIM_EVENT_STATUS)
		return n;
	for (top = sim_queue_peek(w->queue);
	     n < (size_t)w->batch && top && top->kind == SIM_EVENT_STATUS && top->due_ms <= now;
	     top = sim_queue_peek(w->queue))
		sim_queue_pop(w->queue, &batch[n++]);
	return n;
}

static void wait_locked(struct sim_webhook *w, int64_t until_ms)
{
	if (until_ms < 0) {
		pthread_cond_wait(&w->cond, &w->lock);
		return;
	}
	struct timespec ts = {.tv_sec = (time_t)(until_ms / 1000),
	                      .tv_nsec = (long)(until_ms % 1000) * 1000000L};
	pthread_cond_timedwait(&w->cond, &w->lock, &ts);
}

static void process(struct sim_webhook *w, CURL *h, struct sim_event *batch, size_t n)
{
	if (batch[0].kind == SIM_EVENT_STATUS)
		deliver_statuses(w, h, batch, n);
	else if (batch[0].kind == SIM_EVENT_POST)
		deliver(w, h, batch[0].u.post.body, batch[0].u.post.len, batch[0].u.post.attempts,
		        batch[0].u.post.items);
	else
		batch[0].u.timer.fn(batch[0].u.timer.arg, batch[0].u.timer.id);
}

static void *worker(void *arg)
{
	struct sim_webhook *w = arg;
	CURL *h = curl_easy_init();
	struct sim_event *batch = xcalloc((size_t)w->batch, sizeof(*batch));
	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		int64_t until = -1;
		size_t n = take_due(w, batch, &until);
		if (n == 0) {
			wait_locked(w, until);
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		process(w, h, batch, n);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	free(batch);
	curl_easy_cleanup(h);
	return NULL;
}

struct sim_webhook *sim_webhook_start(const struct sim_webhook_config *cfg)
{
	struct sim_webhook *w = xcalloc(1, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	w->queue = sim_queue_new(cfg->max_queue);
	if (cfg->url)
		snprintf(w->url, sizeof(w->url), "%s", cfg->url);
	w->secret = xstrdup(cfg->app_secret);
	w->batch = cfg->batch < 1 ? 1 : cfg->batch > MAX_BATCH ? MAX_BATCH : cfg->batch;
	w->shuffle = cfg->shuffle;
	w->bsuid = cfg->bsuid;
	w->clock = cfg->clock;
	w->nthreads = cfg->threads < 1 ? 1 : cfg->threads;
	w->threads = xcalloc((size_t)w->nthreads, sizeof(*w->threads));
	for (int i = 0; i < w->nthreads; i++)
		pthread_create(&w->threads[i], NULL, worker, w);
	return w;
}

void sim_webhook_stop(struct sim_webhook *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	sim_queue_free(w->queue);
	sec_zero(w->secret, strlen(w->secret));
	free(w->secret);
	free(w->threads);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void sim_webhook_set_url(struct sim_webhook *w, const char *url)
{
	pthread_mutex_lock(&w->lock);
	snprintf(w->url, sizeof(w->url), "%s", url ? url : "");
	pthread_mutex_unlock(&w->lock);
}

void sim_webhook_set_options(struct sim_webhook *w, bool shuffle, bool bsuid)
{
	pthread_mutex_lock(&w->lock);
	w->shuffle = shuffle;
	w->bsuid = bsuid;
	pthread_mutex_unlock(&w->lock);
}

bool sim_webhook_enabled(struct sim_webhook *w)
{
	pthread_mutex_lock(&w->lock);
	bool on = w->url[0] != '\0';
	pthread_mutex_unlock(&w->lock);
	return on;
}

void sim_webhook_schedule(struct sim_webhook *w, struct sim_event *ev, int64_t delay_ms)
{
	pthread_mutex_lock(&w->lock);
	if (w->shuffle && ev->kind == SIM_EVENT_STATUS)
		delay_ms += sec_random_below(SHUFFLE_JITTER_MS + 1);
	ev->due_ms = mono_ms() + (delay_ms > 0 ? delay_ms : 0);
	w->stats.scheduled += ev->kind == SIM_EVENT_STATUS;
	push_locked(w, ev);
	pthread_mutex_unlock(&w->lock);
}

int sim_webhook_post_now(struct sim_webhook *w, char *body, size_t len)
{
	char url[URL_MAX];
	if (!copy_url(w, url)) {
		free(body);
		return 0;
	}
	CURL *h = curl_easy_init();
	int status = post(h, url, w->secret, body, len);
	curl_easy_cleanup(h);
	settle(w, status, body, len, 1, 0); /* not statuses: counted as a POST only */
	return status;
}

struct verify_reply {
	char body[128];
	size_t len;
};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct verify_reply *r = arg;
	size_t n = size * nmemb;
	size_t room = sizeof(r->body) - 1 - r->len;
	memcpy(r->body + r->len, ptr, n < room ? n : room);
	r->len += n < room ? n : room;
	r->body[r->len] = '\0';
	return n;
}

bool sim_webhook_verify(struct sim_webhook *w, const char *token, int *status_out)
{
	char url[URL_MAX], challenge[24], full[URL_MAX + 512];
	*status_out = 0;
	if (!copy_url(w, url))
		return false;
	snprintf(challenge, sizeof(challenge), "%u", sec_random_below(2000000000u) + 1);
	CURL *h = curl_easy_init();
	char *esc = curl_easy_escape(h, token ? token : "", 0);
	snprintf(full, sizeof(full), "%s%shub.mode=subscribe&hub.verify_token=%s&hub.challenge=%s",
	         url, strchr(url, '?') ? "&" : "?", esc ? esc : "", challenge);
	curl_free(esc);
	struct verify_reply r = {{0}, 0};
	curl_easy_setopt(h, CURLOPT_URL, full);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, POST_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "facebookplatform/1.0");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	*status_out = (int)status;
	return status == 200 && strcmp(r.body, challenge) == 0;
}

void sim_webhook_stats_get(struct sim_webhook *w, struct sim_webhook_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	out->in_queue = sim_queue_count(w->queue);
	pthread_mutex_unlock(&w->lock);
}

void sim_webhook_reset(struct sim_webhook *w)
{
	pthread_mutex_lock(&w->lock);
	sim_queue_clear(w->queue);
	memset(&w->stats, 0, sizeof(w->stats));
	pthread_mutex_unlock(&w->lock);
}
