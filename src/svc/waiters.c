/* Verdict waiters; see waiters.h. Under one mutex: a chained hash table of the waiters still
 * expecting a verdict (found by message id) and a deadline-ordered list of the armed ones
 * (the timer thread's queue). Callbacks always run after the mutex is released. */
#include "svc/waiters.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/str.h"
#include "core/xalloc.h"

#define WAITERS_BUCKETS 4096

struct waiter {
	char message_id[IDS_SIZE];
	waiter_fn fn;
	void *arg;
	bool done;  /* the verdict arrived (result) */
	bool armed; /* in the timer list */
	struct send_result result;
	int64_t deadline_ns;
	struct waiter *hnext, **hprev; /* hash chain; hprev NULL once out of it */
	struct waiter *tnext, *tprev;  /* timer list */
};

struct waiters {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* a new earliest deadline, or stopping */
	pthread_t timer;
	bool stopping, quit;
	size_t count;
	struct waiter *thead, *ttail;
	struct waiter *buckets[WAITERS_BUCKETS];
};

static size_t bucket_of(const char *id)
{
	size_t h = 5381;
	for (; *id; id++)
		h = h * 33 + (unsigned char)*id;
	return h % WAITERS_BUCKETS;
}

static void hash_unlink(struct waiter *w)
{
	if (!w->hprev)
		return;
	*w->hprev = w->hnext;
	if (w->hnext)
		w->hnext->hprev = w->hprev;
	w->hprev = NULL;
}

static void timer_unlink(struct waiters *ws, struct waiter *w)
{
	if (w->tprev)
		w->tprev->tnext = w->tnext;
	else
		ws->thead = w->tnext;
	if (w->tnext)
		w->tnext->tprev = w->tprev;
	else
		ws->ttail = w->tprev;
	w->tnext = w->tprev = NULL;
	w->armed = false;
}

/* Inserted from the tail: with one SEND_WAIT_MS for everyone, deadlines arrive in order. */
static void timer_insert(struct waiters *ws, struct waiter *w)
{
	struct waiter *after = ws->ttail;
	while (after && after->deadline_ns > w->deadline_ns)
		after = after->tprev;
	w->tprev = after;
	w->tnext = after ? after->tnext : ws->thead;
	if (w->tnext)
		w->tnext->tprev = w;
	else
		ws->ttail = w;
	if (after)
		after->tnext = w;
	else
		ws->thead = w;
	w->armed = true;
}

/* Runs a waiter taken out of every list (the mutex released), then frees it. */
static void fire(struct waiter *w)
{
	w->fn(w->arg, w->done ? &w->result : NULL);
	free(w);
}

/* Fires a chain linked through tnext. */
static void fire_chain(struct waiter *w)
{
	while (w) {
		struct waiter *next = w->tnext;
		fire(w);
		w = next;
	}
}

static void deadline_to_timespec(int64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

static void *timer_main(void *arg)
{
	struct waiters *ws = arg;
	pthread_mutex_lock(&ws->lock);
	while (!ws->quit) {
		int64_t now = clock_mono_ns();
		struct waiter *due = NULL, **tail = &due;
		while (ws->thead && ws->thead->deadline_ns <= now) {
			struct waiter *w = ws->thead;
			timer_unlink(ws, w);
			hash_unlink(w);
			ws->count--;
			*tail = w;
			tail = &w->tnext;
		}
		if (due) {
			pthread_mutex_unlock(&ws->lock);
			fire_chain(due);
			pthread_mutex_lock(&ws->lock);
			continue;
		}
		if (ws->thead) {
			struct timespec ts;
			deadline_to_timespec(ws->thead->deadline_ns, &ts);
			pthread_cond_timedwait(&ws->wake, &ws->lock, &ts);
		} else {
			pthread_cond_wait(&ws->wake, &ws->lock);
		}
	}
	pthread_mutex_unlock(&ws->lock);
	return NULL;
}

struct waiters *waiters_new(void)
{
	struct waiters *ws = xcalloc(1, sizeof(*ws));
	pthread_mutex_init(&ws->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* clock_mono_ns's clock */
	pthread_cond_init(&ws->wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_create(&ws->timer, NULL, timer_main, ws);
	pthread_setname_np(ws->timer, "px-waiters");
	return ws;
}

void waiters_free(struct waiters *ws)
{
	if (!ws)
		return;
	waiters_expire_all(ws);
	pthread_mutex_lock(&ws->lock);
	ws->quit = true;
	pthread_cond_signal(&ws->wake);
	pthread_mutex_unlock(&ws->lock);
	pthread_join(ws->timer, NULL);
	for (size_t b = 0; b < WAITERS_BUCKETS; b++) { /* registered, never armed nor cancelled */
		while (ws->buckets[b]) {
			struct waiter *w = ws->buckets[b];
			hash_unlink(w);
			free(w);
		}
	}
	pthread_cond_destroy(&ws->wake);
	pthread_mutex_destroy(&ws->lock);
	free(ws);
}

struct waiter *waiters_add(struct waiters *ws, const char *message_id, waiter_fn fn, void *arg)
{
	struct waiter *w = xcalloc(1, sizeof(*w));
	str_copy_cstr(w->message_id, sizeof(w->message_id), message_id);
	w->fn = fn;
	w->arg = arg;
	struct waiter **head = &ws->buckets[bucket_of(message_id)];
	pthread_mutex_lock(&ws->lock);
	w->hnext = *head;
	if (*head)
		(*head)->hprev = &w->hnext;
	w->hprev = head;
	*head = w;
	ws->count++;
	pthread_mutex_unlock(&ws->lock);
	return w;
}

void waiters_arm(struct waiters *ws, struct waiter *w, int timeout_ms)
{
	pthread_mutex_lock(&ws->lock);
	if (w->done || ws->stopping || timeout_ms <= 0) {
		hash_unlink(w);
		ws->count--;
		pthread_mutex_unlock(&ws->lock);
		fire(w);
		return;
	}
	w->deadline_ns = clock_mono_ns() + (int64_t)timeout_ms * 1000000;
	timer_insert(ws, w);
	if (ws->thead == w)
		pthread_cond_signal(&ws->wake);
	pthread_mutex_unlock(&ws->lock);
}

void waiters_cancel(struct waiters *ws, struct waiter *w)
{
	pthread_mutex_lock(&ws->lock);
	hash_unlink(w);
	ws->count--;
	pthread_mutex_unlock(&ws->lock);
	free(w);
}

void waiters_notify(struct waiters *ws, const struct send_result *r)
{
	struct waiter *ready = NULL;
	pthread_mutex_lock(&ws->lock);
	for (struct waiter *w = ws->buckets[bucket_of(r->message_id)]; w; w = w->hnext) {
		if (strcmp(w->message_id, r->message_id) != 0)
			continue;
		hash_unlink(w);
		w->result = *r;
		w->done = true;
		if (w->armed) {
			timer_unlink(ws, w);
			ws->count--;
			ready = w;
		} /* else the arm delivers it */
		break;
	}
	pthread_mutex_unlock(&ws->lock);
	if (ready)
		fire(ready);
}

void waiters_expire_all(struct waiters *ws)
{
	pthread_mutex_lock(&ws->lock);
	ws->stopping = true;
	struct waiter *all = ws->thead;
	for (struct waiter *w = all; w; w = w->tnext) {
		hash_unlink(w);
		w->armed = false;
		ws->count--;
	}
	ws->thead = ws->ttail = NULL;
	pthread_mutex_unlock(&ws->lock);
	fire_chain(all);
}

size_t waiters_count(struct waiters *ws)
{
	pthread_mutex_lock(&ws->lock);
	size_t n = ws->count;
	pthread_mutex_unlock(&ws->lock);
	return n;
}
