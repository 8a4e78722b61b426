/* Unit tests for core/ratelimit. Time is a parameter, so windows expire and buckets refill by
 * moving `now` (no sleeping). Covers failure windows, clearing, retry-after values, token
 * bucket burst/refill with exact waits, LRU eviction keeping the table bounded, long keys, and
 * 4 threads hammering one table (the sanitize build runs it under ASan+UBSan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/ratelimit.h"
#include "core/sec.h"

#define MIN_MS 60000
#define WINDOW_MS (15 * MIN_MS)

static int setup(void **state)
{
	return sec_init();
}

static void test_window_counting_and_expiry(void **state)
{
	struct ratelimit *rl = ratelimit_new(16);
	const char *k = "login-email:ana@example.com";
	assert_int_equal(ratelimit_fail_count(rl, k, 0, WINDOW_MS), 0);
	assert_int_equal(ratelimit_count(rl), 0); /* reading creates nothing */

	int64_t t0 = 1700000000000LL;
	assert_int_equal(ratelimit_fail_add(rl, k, t0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, k, t0 + 1000, WINDOW_MS), 2);
	assert_int_equal(ratelimit_fail_add(rl, k, t0 + 2000, WINDOW_MS), 3);
	assert_int_equal(ratelimit_fail_count(rl, k, t0 + 2000, WINDOW_MS), 3);
	/* the window opened at the first failure; it is still open 1 ms before it ends */
	assert_int_equal(ratelimit_fail_count(rl, k, t0 + WINDOW_MS - 1, WINDOW_MS), 3);
	assert_int_equal(ratelimit_fail_count(rl, k, t0 + WINDOW_MS, WINDOW_MS), 0);
	/* a failure after expiry opens a new window */
	assert_int_equal(ratelimit_fail_add(rl, k, t0 + WINDOW_MS, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_count(rl, k, t0 + 2 * WINDOW_MS - 1, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_count(rl, k, t0 + 2 * WINDOW_MS, WINDOW_MS), 0);

	/* keys are independent; a key's prefix or extension is another key */
	assert_int_equal(ratelimit_fail_add(rl, "login-ip:10.0.0.1", t0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, "login-ip:10.0.0.12", t0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, "login-ip:10.0.0.1", t0, WINDOW_MS), 2);
	assert_int_equal(ratelimit_fail_count(rl, "login-ip:10.0.0", t0, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_count(rl, "", t0, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_add(rl, "", t0, WINDOW_MS), 1); /* empty key is a key */
	assert_int_equal(ratelimit_count(rl), 4);
	ratelimit_free(rl);
}

static void test_clear(void **state)
{
	struct ratelimit *rl = ratelimit_new(4);
	for (int i = 0; i < 5; i++)
		ratelimit_fail_add(rl, "login-email:a", 100, WINDOW_MS);
	ratelimit_fail_add(rl, "login-email:b", 100, WINDOW_MS);
	assert_int_equal(ratelimit_count(rl), 2);

	ratelimit_fail_clear(rl, "login-email:a");
	assert_int_equal(ratelimit_fail_count(rl, "login-email:a", 100, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_count(rl, "login-email:b", 100, WINDOW_MS), 1);
	assert_int_equal(ratelimit_count(rl), 1);
	ratelimit_fail_clear(rl, "login-email:a"); /* unknown key: nothing happens */
	ratelimit_fail_clear(rl, "never-seen");
	assert_int_equal(ratelimit_count(rl), 1);
	assert_int_equal(ratelimit_fail_add(rl, "login-email:a", 200, WINDOW_MS), 1);

	/* clearing frees the slot: fill, clear, refill without evicting anyone */
	ratelimit_fail_add(rl, "c", 300, WINDOW_MS);
	ratelimit_fail_add(rl, "d", 300, WINDOW_MS);
	assert_int_equal(ratelimit_count(rl), 4);
	ratelimit_fail_clear(rl, "c");
	ratelimit_fail_add(rl, "e", 300, WINDOW_MS);
	assert_int_equal(ratelimit_fail_count(rl, "login-email:b", 300, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_count(rl, "d", 300, WINDOW_MS), 1);
	ratelimit_free(rl);
}

static void test_retry_after(void **state)
{
	struct ratelimit *rl = ratelimit_new(8);
	const char *k = "token:abc";
	int64_t t0 = 5000000;
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0, WINDOW_MS, 3), 0);
	ratelimit_fail_add(rl, k, t0, WINDOW_MS);
	ratelimit_fail_add(rl, k, t0 + 1000, WINDOW_MS);
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + 1000, WINDOW_MS, 3), 0);
	ratelimit_fail_add(rl, k, t0 + 2000, WINDOW_MS);
	/* locked out until the window that opened at t0 ends */
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + 2000, WINDOW_MS, 3),
	                 WINDOW_MS - 2000);
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + WINDOW_MS - 1, WINDOW_MS, 3), 1);
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + WINDOW_MS, WINDOW_MS, 3), 0);
	/* a higher limit is not reached; a lower one is */
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + 2000, WINDOW_MS, 4), 0);
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + 2000, WINDOW_MS, 1),
	                 WINDOW_MS - 2000);
	/* more failures while locked out do not extend a fixed window */
	ratelimit_fail_add(rl, k, t0 + 60000, WINDOW_MS);
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + 60000, WINDOW_MS, 3),
	                 WINDOW_MS - 60000);
	ratelimit_fail_clear(rl, k);
	assert_int_equal(ratelimit_fail_retry_after_ms(rl, k, t0 + 60000, WINDOW_MS, 3), 0);
	ratelimit_free(rl);
}

/* Takes from key at t and checks the outcome and the reported wait. */
static void take_expect(struct ratelimit *rl, const char *key, int64_t t, double rate, double burst,
                        bool ok, int64_t wait)
{
	int64_t got = -1;
	bool r = ratelimit_take(rl, key, t, rate, burst, &got);
	if (r != ok || got != wait)
		fail_msg("%s at %lld: got %s wait %lld, want %s wait %lld", key, (long long)t,
		         r ? "ok" : "refused", (long long)got, ok ? "ok" : "refused",
		         (long long)wait);
}

static void test_bucket_burst_then_refill(void **state)
{
	struct ratelimit *rl = ratelimit_new(8);
	const char *k = "req:tok1";
	/* 2 per second, burst 3: a new key starts full */
	take_expect(rl, k, 1000, 2, 3, true, 0);
	take_expect(rl, k, 1000, 2, 3, true, 0);
	take_expect(rl, k, 1000, 2, 3, true, 0);
	take_expect(rl, k, 1000, 2, 3, false, 500);
	take_expect(rl, k, 1250, 2, 3, false, 250); /* half a token accrued */
	take_expect(rl, k, 1499, 2, 3, false, 1);
	take_expect(rl, k, 1500, 2, 3, true, 0); /* exactly at the promised time */
	take_expect(rl, k, 1500, 2, 3, false, 500);
	/* refusals do not consume: waiting the reported time always succeeds */
	take_expect(rl, k, 2000, 2, 3, true, 0);
	/* a long idle period refills to burst, never beyond */
	for (int i = 0; i < 3; i++)
		take_expect(rl, k, 1000000, 2, 3, true, 0);
	take_expect(rl, k, 1000000, 2, 3, false, 500);
	ratelimit_free(rl);
}

static void test_bucket_exact_waits(void **state)
{
	struct ratelimit *rl = ratelimit_new(8);
	/* 3/s: one token every 333.3 ms, so the wait rounds up to 334 */
	take_expect(rl, "r3", 0, 3, 1, true, 0);
	take_expect(rl, "r3", 0, 3, 1, false, 334);
	take_expect(rl, "r3", 333, 3, 1, false, 1);
	take_expect(rl, "r3", 334, 3, 1, true, 0);
	/* 10/s */
	take_expect(rl, "r10", 0, 10, 1, true, 0);
	take_expect(rl, "r10", 50, 10, 1, false, 50);
	take_expect(rl, "r10", 100, 10, 1, true, 0);
	/* slower than one per second */
	take_expect(rl, "r05", 0, 0.5, 1, true, 0);
	take_expect(rl, "r05", 0, 0.5, 1, false, 2000);
	take_expect(rl, "r05", 1999, 0.5, 1, false, 1);
	take_expect(rl, "r05", 2000, 0.5, 1, true, 0);
	/* 1000/s, burst 1: every millisecond */
	take_expect(rl, "r1000", 0, 1000, 1, true, 0);
	take_expect(rl, "r1000", 0, 1000, 1, false, 1);
	take_expect(rl, "r1000", 1, 1000, 1, true, 0);
	/* steady state: at exactly the rate, every take at the promised time succeeds */
	int64_t t = 0;
	take_expect(rl, "r7", t, 7, 1, true, 0);
	for (int i = 0; i < 1000; i++) {
		int64_t wait = 0;
		assert_false(ratelimit_take(rl, "r7", t, 7, 1, &wait));
		assert_in_range(wait, 1, 143);
		t += wait;
		assert_true(ratelimit_take(rl, "r7", t, 7, 1, &wait));
		assert_int_equal(wait, 0);
	}
	/* 1000 tokens at 7/s take at least 1000/7 s (rounding only ever adds wait) */
	assert_true(t >= 1000 * 1000 / 7);
	assert_true(t <= 1000 * 1000 / 7 + 1000);
	ratelimit_free(rl);
}

static void test_bucket_edges(void **state)
{
	struct ratelimit *rl = ratelimit_new(8);
	/* a clock that steps back refills nothing and never adds tokens later */
	take_expect(rl, "back", 10000, 2, 1, true, 0);
	take_expect(rl, "back", 5000, 2, 1, false, 500);
	take_expect(rl, "back", 10499, 2, 1, false, 1);
	take_expect(rl, "back", 10500, 2, 1, true, 0);
	/* rate 0: burst only, then never */
	take_expect(rl, "zero", 0, 0, 2, true, 0);
	take_expect(rl, "zero", 0, 0, 2, true, 0);
	take_expect(rl, "zero", 1000000000, 0, 2, false, INT64_MAX);
	/* burst below 1 behaves as 1 */
	take_expect(rl, "tiny", 0, 1, 0.2, true, 0);
	take_expect(rl, "tiny", 0, 1, 0.2, false, 1000);
	/* retry_after may be NULL */
	assert_true(ratelimit_take(rl, "null", 0, 1, 1, NULL));
	assert_false(ratelimit_take(rl, "null", 0, 1, 1, NULL));
	/* a lowered burst caps what an idle key holds */
	for (int i = 0; i < 10; i++)
		take_expect(rl, "shrink", 0, 1, 10, true, 0);
	take_expect(rl, "shrink", 100000, 1, 2, true, 0);
	take_expect(rl, "shrink", 100000, 1, 2, true, 0);
	take_expect(rl, "shrink", 100000, 1, 2, false, 1000);
	ratelimit_free(rl);
}

static void key_name(char *out, size_t cap, int i)
{
	snprintf(out, cap, "login-ip:192.0.2.%d", i);
}

static void test_eviction_bounded(void **state)
{
	enum { MAX = 100 };
	struct ratelimit *rl = ratelimit_new(MAX);
	char key[64];
	for (int i = 0; i < 10 * MAX; i++) {
		key_name(key, sizeof(key), i);
		assert_int_equal(ratelimit_fail_add(rl, key, i, WINDOW_MS), 1);
		assert_true(ratelimit_count(rl) <= MAX);
		if (i % 3 == 0)
			ratelimit_take(rl, "req:hot", i, 1, 1000, NULL);
	}
	assert_int_equal(ratelimit_count(rl), MAX);
	/* the most recently touched keys survive; the oldest are forgotten */
	key_name(key, sizeof(key), 10 * MAX - 1);
	assert_int_equal(ratelimit_fail_count(rl, key, 10 * MAX, WINDOW_MS), 1);
	key_name(key, sizeof(key), 0);
	assert_int_equal(ratelimit_fail_count(rl, key, 10 * MAX, WINDOW_MS), 0);
	int64_t wait = 0;
	assert_true(ratelimit_take(rl, "req:hot", 10 * MAX, 1, 1000, &wait)); /* kept warm */
	ratelimit_free(rl);
}

static void test_eviction_is_lru(void **state)
{
	struct ratelimit *rl = ratelimit_new(3);
	ratelimit_fail_add(rl, "a", 0, WINDOW_MS);
	ratelimit_fail_add(rl, "b", 1, WINDOW_MS);
	ratelimit_fail_add(rl, "c", 2, WINDOW_MS);
	ratelimit_fail_add(rl, "a", 3, WINDOW_MS); /* touch a: b is now the oldest */
	/* reads do not count as touches */
	assert_int_equal(ratelimit_fail_count(rl, "b", 4, WINDOW_MS), 1);
	ratelimit_fail_add(rl, "d", 5, WINDOW_MS);
	assert_int_equal(ratelimit_count(rl), 3);
	assert_int_equal(ratelimit_fail_count(rl, "a", 6, WINDOW_MS), 2);
	assert_int_equal(ratelimit_fail_count(rl, "b", 6, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_count(rl, "c", 6, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_count(rl, "d", 6, WINDOW_MS), 1);
	ratelimit_take(rl, "c", 7, 1, 1, NULL); /* take touches too: a is now the oldest */
	ratelimit_fail_add(rl, "e", 8, WINDOW_MS);
	assert_int_equal(ratelimit_fail_count(rl, "a", 9, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_count(rl, "c", 9, WINDOW_MS), 1);
	ratelimit_free(rl);

	/* max_keys 0 still holds one key */
	rl = ratelimit_new(0);
	ratelimit_fail_add(rl, "x", 0, WINDOW_MS);
	ratelimit_fail_add(rl, "y", 0, WINDOW_MS);
	assert_int_equal(ratelimit_count(rl), 1);
	assert_int_equal(ratelimit_fail_count(rl, "y", 0, WINDOW_MS), 1);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

static void test_long_keys(void **state)
{
	struct ratelimit *rl = ratelimit_new(16);
	char k128[RATELIMIT_KEY_MAX + 1], k129[RATELIMIT_KEY_MAX + 2];
	memset(k128, 'k', RATELIMIT_KEY_MAX);
	k128[RATELIMIT_KEY_MAX] = '\0';
	memset(k129, 'k', RATELIMIT_KEY_MAX + 1);
	k129[RATELIMIT_KEY_MAX + 1] = '\0';
	char big1[5000], big2[5000];
	memset(big1, 'z', sizeof(big1) - 1);
	big1[sizeof(big1) - 1] = '\0';
	memcpy(big2, big1, sizeof(big1));
	big2[sizeof(big2) - 2] = 'y'; /* differs only in the last byte */

	assert_int_equal(ratelimit_fail_add(rl, k128, 0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, k129, 0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, big1, 0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, big2, 0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_add(rl, big1, 0, WINDOW_MS), 2);
	assert_int_equal(ratelimit_fail_add(rl, k129, 0, WINDOW_MS), 2);
	assert_int_equal(ratelimit_count(rl), 4);

	/* the stored digest of a long key is not the same key as that digest typed in */
	char hex[SEC_SHA256_HEX];
	sec_sha256_hex(big1, strlen(big1), hex);
	assert_int_equal(ratelimit_fail_count(rl, hex, 0, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_add(rl, hex, 0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_count(rl, big1, 0, WINDOW_MS), 2);

	ratelimit_fail_clear(rl, big1);
	assert_int_equal(ratelimit_fail_count(rl, big1, 0, WINDOW_MS), 0);
	assert_int_equal(ratelimit_fail_count(rl, big2, 0, WINDOW_MS), 1);
	assert_int_equal(ratelimit_fail_count(rl, hex, 0, WINDOW_MS), 1);
	ratelimit_free(rl);
}

#define THREADS 4
#define OPS 10000

struct worker {
	struct ratelimit *rl;    /* roomy: counts must come out exact */
	struct ratelimit *small; /* tiny: churn forces evictions under contention */
	int id;
	int granted;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	char own[32], churn[32];
	snprintf(own, sizeof(own), "own:%d", w->id);
	for (int i = 0; i < OPS; i++) {
		ratelimit_fail_add(w->rl, "shared", i, INT64_MAX / 2);
		ratelimit_fail_add(w->rl, own, i, INT64_MAX / 2);
		if (ratelimit_take(w->rl, "bucket", 0, 0, OPS * THREADS / 2, NULL))
			w->granted++;
		snprintf(churn, sizeof(churn), "churn:%d:%d", w->id, i);
		ratelimit_fail_add(w->small, churn, i, 1000);
		ratelimit_take(w->small, churn, i, 1, 1, NULL);
		ratelimit_fail_count(w->small, churn, i, 1000);
		if (i % 7 == 0)
			ratelimit_fail_clear(w->small, churn);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct ratelimit *rl = ratelimit_new(64);
	struct ratelimit *small = ratelimit_new(8);
	pthread_t tids[THREADS];
	struct worker workers[THREADS];
	for (int i = 0; i < THREADS; i++) {
		workers[i] = (struct worker){.rl = rl, .small = small, .id = i};
		assert_int_equal(pthread_create(&tids[i], NULL, hammer, &workers[i]), 0);
	}
	int granted = 0;
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(tids[i], NULL), 0);
		granted += workers[i].granted;
	}
	assert_int_equal(ratelimit_fail_count(rl, "shared", OPS, INT64_MAX / 2), THREADS * OPS);
	for (int i = 0; i < THREADS; i++) {
		char own[32];
		snprintf(own, sizeof(own), "own:%d", i);
		assert_int_equal(ratelimit_fail_count(rl, own, OPS, INT64_MAX / 2), OPS);
	}
	/* rate 0: exactly the burst is handed out, no more, no less */
	assert_int_equal(granted, OPS * THREADS / 2);
	assert_int_equal(ratelimit_count(rl), THREADS + 2);
	assert_true(ratelimit_count(small) <= 8);
	ratelimit_free(small);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_window_counting_and_expiry),
	    cmocka_unit_test(test_clear),
	    cmocka_unit_test(test_retry_after),
	    cmocka_unit_test(test_bucket_burst_then_refill),
	    cmocka_unit_test(test_bucket_exact_waits),
	    cmocka_unit_test(test_bucket_edges),
	    cmocka_unit_test(test_eviction_bounded),
	    cmocka_unit_test(test_eviction_is_lru),
	    cmocka_unit_test(test_long_keys),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
