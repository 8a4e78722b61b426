/* The broadcast runner thread; see broadcast_runner.h. Turning recipients into messages is
 * in broadcast_feed.c. */
#include "svc/broadcast_runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/broadcast_internal.h"
#include "svc/writer.h"

#define RUNNER_TICK_MS 50
#define RUNNER_BATCH 64         /* broadcasts looked at per status per tick */
#define RUNNER_STALE_MS 3600000 /* an "accepting" broadcast this old was abandoned */
#define RUNNER_SWEEP_MS 60000   /* how often abandoned ones are looked for */
#define RUNNER_BUCKETS 64

struct bucket { /* a throttled broadcast's token bucket (real time) */
	char id[IDS_SIZE];
	double tokens;
	int64_t at_ms;
};

struct broadcast_runner {
	struct svc *svc;
	struct ctx ctx;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping, kicked;
	int64_t last_sweep;
	struct bucket buckets[RUNNER_BUCKETS];
	/* The rows of one status listing (copied: the rows are large). */
	struct broadcast_row *rows;
	int nrows;
};

static void collect(void *arg, const struct broadcast_row *row)
{
	struct broadcast_runner *r = arg;
	if (r->nrows < RUNNER_BATCH)
		r->rows[r->nrows++] = *row;
}

static int list(struct broadcast_runner *r, const char *status)
{
	struct err e = {0};
	r->nrows = 0;
	if (store_broadcast_list_status(r->ctx.store, status, RUNNER_BATCH, collect, r, &e) != 0) {
		log_error("pixels:broadcasts", "listing %s broadcasts failed: %s", status,
		          e.message);
		r->nrows = 0;
	}
	return r->nrows;
}

/* How many more messages the throttle allows now (real time), at most cap. */
static int64_t throttle_allows(struct broadcast_runner *r, const struct broadcast_row *b,
                               int64_t cap)
{
	if (b->throttle_mps <= 0)
		return cap;
	int64_t now = clock_mono_ns() / 1000000;
	struct bucket *k = NULL, *empty = NULL;
	for (int i = 0; i < RUNNER_BUCKETS && !k; i++) {
		if (strcmp(r->buckets[i].id, b->id) == 0)
			k = &r->buckets[i];
		else if (!empty && (!r->buckets[i].id[0] || now - r->buckets[i].at_ms > 10000))
			empty = &r->buckets[i];
	}
	if (!k) {
		k = empty ? empty : &r->buckets[0];
		memcpy(k->id, b->id, sizeof(k->id));
		k->tokens = 1;
		k->at_ms = now;
	}
	double burst = b->throttle_mps * (RUNNER_TICK_MS / 1000.0) + 1;
	k->tokens += (double)(now - k->at_ms) * b->throttle_mps / 1000.0;
	k->tokens = k->tokens > burst ? burst : k->tokens;
	k->at_ms = now;
	int64_t n = (int64_t)k->tokens;
	n = n < cap ? n : cap;
	k->tokens -= (double)n;
	return n;
}

static void run_one(struct broadcast_runner *r, const struct broadcast_row *b)
{
	struct number_row num;
	bool found = false;
	struct err e = {0};
	int rate = b->throttle_mps;
	if (store_number_find(r->ctx.store, b->account_id, b->phone_number_id, &num, &found, &e) ==
	        0 &&
	    found && num.throughput_mps > 0 && (rate == 0 || num.throughput_mps < rate))
		rate = (int)num.throughput_mps;
	rate = rate > 0 ? rate : 80;
	int64_t ahead = 2 * (int64_t)rate; /* about two seconds of sending queued ahead */
	ahead = ahead < 50 ? 50 : ahead;
	int64_t want = ahead - (b->n_queued + b->n_sending);
	want = want > BROADCAST_FEED_MAX ? BROADCAST_FEED_MAX : want;
	want = want > 0 ? throttle_allows(r, b, want) : 0;
	int fed = 0;
	if (broadcast_feed(r->svc, &r->ctx, b->id, want, &fed, &e) != 0)
		log_error("pixels:broadcasts", "broadcast %s: %s", b->id, e.message);
	if (fed > 0 && r->svc->kick)
		r->svc->kick(r->svc->kick_arg);
}

struct start_job {
	const char *id;
	int64_t now;
	struct broadcast_row *b;
};

static int start_in_writer(struct store *s, void *arg, struct err *e)
{
	struct start_job *j = arg;
	int rc = store_broadcast_get(s, NULL, j->id, j->b, e);
	if (rc != 0 || strcmp(j->b->status, "scheduled") != 0 || j->b->schedule_at > j->now)
		return rc;
	str_copy_cstr(j->b->status, sizeof(j->b->status), "running");
	j->b->started_at = j->b->updated_at = j->now;
	return store_broadcast_update(s, j->b, e);
}

static int discard_in_writer(struct store *s, void *arg, struct err *e)
{
	return store_broadcast_discard(s, arg, e);
}

static void start_due(struct broadcast_runner *r, int64_t now)
{
	int n = list(r, "scheduled");
	for (int i = 0; i < n && r->rows[i].schedule_at <= now; i++) {
		struct broadcast_row *b = xcalloc(1, sizeof(*b));
		struct start_job j = {r->rows[i].id, now, b};
		struct err e = {0};
		if (writer_run(r->svc->writer, start_in_writer, &j, &e) != 0)
			log_error("pixels:broadcasts", "starting broadcast %s failed: %s", j.id,
			          e.message);
		else
			log_info("pixels:broadcasts", "scheduled broadcast %s started", j.id);
		free(b);
	}
}

static void sweep_abandoned(struct broadcast_runner *r, int64_t now)
{
	if (now - r->last_sweep < RUNNER_SWEEP_MS)
		return;
	r->last_sweep = now;
	int n = list(r, "accepting");
	for (int i = 0; i < n; i++) {
		if (now - r->rows[i].created_at < RUNNER_STALE_MS)
			continue;
		struct err e = {0};
		if (writer_run(r->svc->writer, discard_in_writer, r->rows[i].id, &e) != 0)
			log_error("pixels:broadcasts", "removing abandoned broadcast %s failed: %s",
			          r->rows[i].id, e.message);
		else
			log_warn("pixels:broadcasts",
			         "removed broadcast %s: its acceptance never finished",
			         r->rows[i].id);
	}
}

static void tick(struct broadcast_runner *r)
{
	int64_t now = svc_now(&r->ctx);
	sweep_abandoned(r, now);
	start_due(r, now);
	int n = list(r, "running");
	for (int i = 0; i < n; i++)
		run_one(r, &r->rows[i]);
}

static void *runner_main(void *arg)
{
	struct broadcast_runner *r = arg;
	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		pthread_mutex_unlock(&r->lock);
		tick(r);
		pthread_mutex_lock(&r->lock);
		if (r->stopping || r->kicked) {
			r->kicked = false;
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += RUNNER_TICK_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&r->wake, &r->lock, &ts);
		r->kicked = false;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int broadcast_runner_start(struct svc *svc, struct broadcast_runner **out, struct err *e)
{
	struct broadcast_runner *r = xcalloc(1, sizeof(*r));
	r->svc = svc;
	r->ctx.svc = svc;
	int rc = store_open(svc->cfg->database_url, &r->ctx.store, e);
	if (rc != 0) {
		free(r);
		return rc;
	}
	r->rows = xcalloc(RUNNER_BATCH, sizeof(*r->rows));
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	pthread_create(&r->thread, NULL, runner_main, r);
	pthread_setname_np(r->thread, "px-broadcasts");
	*out = r;
	return 0;
}

void broadcast_runner_kick(struct broadcast_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->kicked = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

void broadcast_runner_stop(struct broadcast_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	store_close(r->ctx.store);
	free(r->rows);
	free(r);
}
