/* Verdict waiters; see waiters.h. A small chained hash table under one mutex: the
 * critical sections are a few pointer moves. */
#include "svc/waiters.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "core/xalloc.h"

#define WAITERS_BUCKETS 1024

struct waiters {
	pthread_mutex_t lock;
	struct waiter *buckets[WAITERS_BUCKETS];
};

static size_t bucket_of(const char *id)
{
	size_t h = 5381;
	for (; *id; id++)
		h = h * 33 + (unsigned char)*id;
	return h % WAITERS_BUCKETS;
}

struct waiters *waiters_new(void)
{
	struct waiters *ws = xcalloc(1, sizeof(*ws));
	pthread_mutex_init(&ws->lock, NULL);
	return ws;
}

void waiters_free(struct waiters *ws)
{
	if (!ws)
		return;
	pthread_mutex_destroy(&ws->lock);
	free(ws);
}

void waiters_add(struct waiters *ws, struct waiter *w, const char *message_id)
{
	memset(w, 0, sizeof(*w));
	str_copy_cstr(w->message_id, sizeof(w->message_id), message_id);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	size_t b = bucket_of(message_id);
	pthread_mutex_lock(&ws->lock);
	w->next = ws->buckets[b];
	ws->buckets[b] = w;
	pthread_mutex_unlock(&ws->lock);
}

bool waiters_wait(struct waiters *ws, struct waiter *w, int timeout_ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ws->lock);
	while (!w->done && pthread_cond_timedwait(&w->cond, &ws->lock, &deadline) != ETIMEDOUT)
		;
	bool done = w->done;
	pthread_mutex_unlock(&ws->lock);
	return done;
}

void waiters_remove(struct waiters *ws, struct waiter *w)
{
	size_t b = bucket_of(w->message_id);
	pthread_mutex_lock(&ws->lock);
	for (struct waiter **p = &ws->buckets[b]; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&ws->lock);
	pthread_cond_destroy(&w->cond);
}

void waiters_notify(struct waiters *ws, const struct send_result *r)
{
	size_t b = bucket_of(r->message_id);
	pthread_mutex_lock(&ws->lock);
	for (struct waiter *w = ws->buckets[b]; w; w = w->next) {
		if (strcmp(w->message_id, r->message_id) == 0) {
			w->result = *r;
			w->done = true;
			pthread_cond_signal(&w->cond);
		}
	}
	pthread_mutex_unlock(&ws->lock);
}
