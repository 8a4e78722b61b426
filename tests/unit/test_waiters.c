/* Verdict waiters (svc/waiters.c): each armed waiter's callback runs exactly once — with the
 * verdict whether it came before or after the arm, or without one when its time is up or
 * the waiters stop; a cancelled waiter never runs; deadlines are kept in order; and
 * verdicts racing arms from another thread are never lost nor delivered twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "svc/waiters.h"

#define MANY 2000
#define LONG_MS 60000 /* never reached in these tests */

/* What one waiter's callback saw. */
struct seen {
	int calls;
	bool verdict;
	enum send_outcome outcome;
	int order; /* 1-based position among the callbacks of a test */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int fired;

static void on_fire(void *arg, const struct send_result *r)
{
	struct seen *s = arg;
	pthread_mutex_lock(&lock);
	s->calls++;
	s->verdict = r != NULL;
	if (r)
		s->outcome = r->outcome;
	s->order = ++fired;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static int calls_of(struct seen *s)
{
	pthread_mutex_lock(&lock);
	int n = s->calls;
	pthread_mutex_unlock(&lock);
	return n;
}

/* Waits (without a deadline: the timer must deliver) until s has fired. */
static void await_fire(struct seen *s)
{
	pthread_mutex_lock(&lock);
	while (s->calls == 0)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static struct send_result verdict(const char *id, enum send_outcome outcome)
{
	struct send_result r;
	memset(&r, 0, sizeof(r));
	snprintf(r.message_id, sizeof(r.message_id), "%s", id);
	r.outcome = outcome;
	return r;
}

static int setup(void **state)
{
	fired = 0;
	*state = waiters_new();
	return 0;
}

static int teardown(void **state)
{
	struct waiters *ws = *state;
	assert_int_equal(waiters_count(ws), 0);
	waiters_free(ws);
	return 0;
}

static void verdict_after_arm(void **state)
{
	struct waiters *ws = *state;
	struct seen s = {0};
	struct waiter *w = waiters_add(ws, "msg-a", on_fire, &s);
	waiters_arm(ws, w, LONG_MS);
	assert_int_equal(calls_of(&s), 0);
	struct send_result r = verdict("msg-a", SEND_ACCEPTED);
	waiters_notify(ws, &r);
	assert_int_equal(calls_of(&s), 1); /* on the notifying thread */
	assert_true(s.verdict);
	assert_int_equal(s.outcome, SEND_ACCEPTED);
	waiters_notify(ws, &r); /* a second verdict finds nobody */
	assert_int_equal(calls_of(&s), 1);
}

static void verdict_before_arm(void **state)
{
	struct waiters *ws = *state;
	struct seen s = {0};
	struct waiter *w = waiters_add(ws, "msg-b", on_fire, &s);
	struct send_result r = verdict("msg-b", SEND_FAILED);
	waiters_notify(ws, &r);
	assert_int_equal(calls_of(&s), 0); /* kept until the arm */
	assert_int_equal(waiters_count(ws), 1);
	waiters_arm(ws, w, LONG_MS);
	assert_int_equal(calls_of(&s), 1);
	assert_true(s.verdict);
	assert_int_equal(s.outcome, SEND_FAILED);
}

static void timeout_without_verdict(void **state)
{
	struct waiters *ws = *state;
	struct seen s = {0};
	struct waiter *w = waiters_add(ws, "msg-c", on_fire, &s);
	int64_t t0 = clock_mono_ns();
	waiters_arm(ws, w, 50);
	await_fire(&s);
	assert_true(clock_mono_ns() - t0 >= INT64_C(50000000)); /* not before its deadline */
	assert_int_equal(s.calls, 1);
	assert_false(s.verdict);
	struct send_result r = verdict("msg-c", SEND_ACCEPTED); /* too late: nobody waits */
	waiters_notify(ws, &r);
	assert_int_equal(calls_of(&s), 1);
}

static void cancelled_never_runs(void **state)
{
	struct waiters *ws = *state;
	struct seen s = {0};
	struct waiter *w = waiters_add(ws, "msg-d", on_fire, &s);
	waiters_cancel(ws, w);
	struct send_result r = verdict("msg-d", SEND_ACCEPTED);
	waiters_notify(ws, &r);
	assert_int_equal(calls_of(&s), 0);
	assert_int_equal(waiters_count(ws), 0);
}

/* Deadlines are kept in order whatever the arming order: expiring everything fires them
 * earliest first; a later arm fires at once. */
static void expire_all_in_deadline_order(void **state)
{
	struct waiters *ws = *state;
	struct seen s[3] = {{0}};
	const int timeouts[3] = {3 * LONG_MS, LONG_MS, 2 * LONG_MS};
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof(id), "msg-e%d", i);
		waiters_arm(ws, waiters_add(ws, id, on_fire, &s[i]), timeouts[i]);
	}
	assert_int_equal(waiters_count(ws), 3);
	waiters_expire_all(ws);
	assert_int_equal(s[1].order, 1);
	assert_int_equal(s[2].order, 2);
	assert_int_equal(s[0].order, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(s[i].calls, 1);
		assert_false(s[i].verdict);
	}
	struct seen late = {0};
	waiters_arm(ws, waiters_add(ws, "msg-late", on_fire, &late), LONG_MS);
	assert_int_equal(calls_of(&late), 1);
	assert_false(late.verdict);
}

struct race {
	struct waiters *ws;
	struct waiter *w[MANY];
	struct seen s[MANY];
};

static void *notify_all(void *arg)
{
	struct race *r = arg;
	for (int i = MANY - 1; i >= 0; i--) { /* the other end first: both orders happen */
		char id[16];
		snprintf(id, sizeof(id), "race-%d", i);
		struct send_result v = verdict(id, SEND_ACCEPTED);
		waiters_notify(r->ws, &v);
	}
	return NULL;
}

static void verdicts_racing_arms(void **state)
{
	static struct race r;
	memset(&r, 0, sizeof(r));
	r.ws = *state;
	for (int i = 0; i < MANY; i++) {
		char id[16];
		snprintf(id, sizeof(id), "race-%d", i);
		r.w[i] = waiters_add(r.ws, id, on_fire, &r.s[i]);
	}
	pthread_t t;
	pthread_create(&t, NULL, notify_all, &r);
	for (int i = 0; i < MANY; i++)
		waiters_arm(r.ws, r.w[i], LONG_MS);
	pthread_join(t, NULL);
	for (int i = 0; i < MANY; i++) {
		assert_int_equal(r.s[i].calls, 1);
		assert_true(r.s[i].verdict);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(verdict_after_arm, setup, teardown),
	    cmocka_unit_test_setup_teardown(verdict_before_arm, setup, teardown),
	    cmocka_unit_test_setup_teardown(timeout_without_verdict, setup, teardown),
	    cmocka_unit_test_setup_teardown(cancelled_never_runs, setup, teardown),
	    cmocka_unit_test_setup_teardown(expire_all_in_deadline_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(verdicts_racing_arms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
