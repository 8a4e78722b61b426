/* The worker pool (core/pool.c): one worker runs jobs in submission order; pool_free runs
 * every job already queued before it returns; n workers run n jobs at the same time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/pool.h"

#define JOBS 100
#define WORKERS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int order[JOBS], ran, started;
static bool released, timed_out;

static void record(void *arg)
{
	pthread_mutex_lock(&lock);
	order[ran++] = (int)(intptr_t)arg;
	pthread_mutex_unlock(&lock);
}

static void reset(void)
{
	memset(order, 0, sizeof(order));
	ran = started = 0;
	released = timed_out = false;
}

static void fifo_on_one_worker(void **state)
{
	reset();
	struct pool *p = pool_new(1, "px-test");
	for (int i = 0; i < JOBS; i++)
		pool_submit(p, record, (void *)(intptr_t)i);
	pool_free(p);
	assert_int_equal(ran, JOBS);
	for (int i = 0; i < JOBS; i++)
		assert_int_equal(order[i], i);
}

/* Blocks its worker until the test releases it. */
static void hold(void *arg)
{
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&cond);
	while (!released)
		pthread_cond_wait(&cond, &lock);
	order[ran++] = (int)(intptr_t)arg;
	pthread_mutex_unlock(&lock);
}

static void free_runs_queued_jobs(void **state)
{
	reset();
	struct pool *p = pool_new(1, "px-test");
	pool_submit(p, hold, (void *)(intptr_t)0);
	for (int i = 1; i < JOBS; i++)
		pool_submit(p, record, (void *)(intptr_t)i);
	pthread_mutex_lock(&lock);
	while (started == 0)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	assert_int_equal(pool_pending(p), JOBS); /* one running, the rest queued */
	pthread_mutex_lock(&lock);
	released = true;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pool_free(p);
	assert_int_equal(ran, JOBS);
}

/* Waits until WORKERS jobs have started; with fewer workers it would never happen, so a
 * generous deadline turns that into a failure instead of a hang. */
static void rendezvous(void *arg)
{
	(void)arg;
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&cond);
	while (started < WORKERS && !timed_out)
		if (pthread_cond_timedwait(&cond, &lock, &deadline) == ETIMEDOUT)
			timed_out = true;
	ran++;
	pthread_mutex_unlock(&lock);
}

static void workers_run_at_once(void **state)
{
	reset();
	struct pool *p = pool_new(WORKERS, "px-test");
	for (int i = 0; i < WORKERS; i++)
		pool_submit(p, rendezvous, NULL);
	pool_free(p);
	assert_int_equal(ran, WORKERS);
	assert_false(timed_out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fifo_on_one_worker),
	    cmocka_unit_test(free_runs_queued_jobs),
	    cmocka_unit_test(workers_run_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
