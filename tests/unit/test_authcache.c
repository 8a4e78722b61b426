/* Unit tests for svc/authcache. Time is a parameter (no sleeping). Covers: a stored entry
 * comes back whole; nothing for another hash, an unknown one, or a malformed one; the TTL
 * boundary; invalidation drops every entry; a put that started before an invalidation stores
 * nothing; two hashes sharing a slot replace each other; and 4 threads racing gets, puts and
 * invalidations (the sanitize build runs it under ASan+UBSan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/sec.h"
#include "svc/authcache.h"

#define T0 1000000

static int setup(void **state)
{
	return sec_init();
}

/* A hash (64 hex digits) starting with the two digits of slot, then fill. */
static void make_hash(char out[SEC_SHA256_HEX], unsigned slot, char fill)
{
	snprintf(out, SEC_SHA256_HEX, "%02x", slot & 0xFF);
	memset(out + 2, fill, SEC_SHA256_HEX - 3);
	out[SEC_SHA256_HEX - 1] = '\0';
}

static void make_rows(struct token_row *t, struct account_row *a, const char *id)
{
	memset(t, 0, sizeof(*t));
	memset(a, 0, sizeof(*a));
	snprintf(t->id, sizeof(t->id), "%s", id);
	snprintf(t->account_id, sizeof(t->account_id), "acct-%s", id);
	snprintf(t->prefix, sizeof(t->prefix), "wpi_int_%.4s", id);
	t->expires_at = 123456;
	snprintf(a->id, sizeof(a->id), "acct-%s", id);
	snprintf(a->email, sizeof(a->email), "%s@school.edu", id);
	a->status = ACCOUNT_STATUS_ACTIVE;
}

static void test_put_then_get(void **state)
{
	struct authcache *ac = authcache_new();
	char h[SEC_SHA256_HEX], other[SEC_SHA256_HEX];
	make_hash(h, 7, 'a');
	make_hash(other, 8, 'a');
	struct token_row t, got_t;
	struct account_row a, got_a;
	make_rows(&t, &a, "tok1");
	assert_false(authcache_get(ac, h, T0, &got_t, &got_a));
	authcache_put(ac, h, authcache_epoch(ac), T0, &t, &a);
	assert_true(authcache_get(ac, h, T0, &got_t, &got_a));
	assert_memory_equal(&got_t, &t, sizeof(t));
	assert_memory_equal(&got_a, &a, sizeof(a));
	assert_false(authcache_get(ac, other, T0, &got_t, &got_a));
	/* Same slot, another hash: not a hit. */
	char twin[SEC_SHA256_HEX];
	make_hash(twin, 7, 'b');
	assert_false(authcache_get(ac, twin, T0, &got_t, &got_a));
	/* Malformed hashes are never looked up or stored. */
	assert_false(authcache_get(ac, "07aa", T0, &got_t, &got_a));
	assert_false(authcache_get(ac, NULL, T0, &got_t, &got_a));
	authcache_put(ac, "07", authcache_epoch(ac), T0, &t, &a);
	assert_true(authcache_get(ac, h, T0, &got_t, &got_a));
	authcache_free(ac);
	authcache_free(NULL);
}

static void test_ttl(void **state)
{
	struct authcache *ac = authcache_new();
	char h[SEC_SHA256_HEX];
	make_hash(h, 1, 'c');
	struct token_row t, got_t;
	struct account_row a, got_a;
	make_rows(&t, &a, "tok2");
	authcache_put(ac, h, authcache_epoch(ac), T0, &t, &a);
	assert_true(authcache_get(ac, h, T0 + AUTHCACHE_TTL_MS - 1, &got_t, &got_a));
	assert_false(authcache_get(ac, h, T0 + AUTHCACHE_TTL_MS, &got_t, &got_a));
	/* A clock read before the entry was stored (another thread's earlier now) is no hit. */
	assert_false(authcache_get(ac, h, T0 - 1, &got_t, &got_a));
	authcache_free(ac);
}

static void test_invalidate(void **state)
{
	struct authcache *ac = authcache_new();
	char h1[SEC_SHA256_HEX], h2[SEC_SHA256_HEX];
	make_hash(h1, 1, 'd');
	make_hash(h2, 2, 'd');
	struct token_row t, got_t;
	struct account_row a, got_a;
	make_rows(&t, &a, "tok3");
	uint64_t before = authcache_epoch(ac);
	authcache_put(ac, h1, before, T0, &t, &a);
	authcache_put(ac, h2, before, T0, &t, &a);
	authcache_invalidate(ac);
	assert_int_not_equal(authcache_epoch(ac), before);
	assert_false(authcache_get(ac, h1, T0, &got_t, &got_a));
	assert_false(authcache_get(ac, h2, T0, &got_t, &got_a));
	/* A lookup that read the store before the invalidation stores nothing after it. */
	authcache_put(ac, h1, before, T0, &t, &a);
	assert_false(authcache_get(ac, h1, T0, &got_t, &got_a));
	authcache_put(ac, h1, authcache_epoch(ac), T0, &t, &a);
	assert_true(authcache_get(ac, h1, T0, &got_t, &got_a));
	authcache_free(ac);
}

static void test_slot_replacement(void **state)
{
	struct authcache *ac = authcache_new();
	char h1[SEC_SHA256_HEX], h2[SEC_SHA256_HEX];
	make_hash(h1, 0x42, 'e');
	make_hash(h2, 0x42, 'f');
	struct token_row t1, t2, got_t;
	struct account_row a1, a2, got_a;
	make_rows(&t1, &a1, "one");
	make_rows(&t2, &a2, "two");
	authcache_put(ac, h1, authcache_epoch(ac), T0, &t1, &a1);
	authcache_put(ac, h2, authcache_epoch(ac), T0, &t2, &a2);
	assert_false(authcache_get(ac, h1, T0, &got_t, &got_a));
	assert_true(authcache_get(ac, h2, T0, &got_t, &got_a));
	assert_string_equal(got_t.id, "two");
	assert_string_equal(got_a.email, "two@school.edu");
	authcache_free(ac);
}

struct race {
	struct authcache *ac;
	int seed;
	int hits;
};

/* Every hit must return the rows stored for that very hash (no torn or mixed entries). */
static void *racer(void *arg)
{
	struct race *r = arg;
	for (int i = 0; i < 20000; i++) {
		unsigned slot = (unsigned)(i * 7 + r->seed) % 300;
		char h[SEC_SHA256_HEX], id[16];
		make_hash(h, slot, (char)('a' + slot % 6));
		snprintf(id, sizeof(id), "%c%u", h[2], slot & 0xFF);
		struct token_row t, got_t;
		struct account_row a, got_a;
		if (authcache_get(r->ac, h, T0, &got_t, &got_a)) {
			r->hits++;
			assert_string_equal(got_t.id, id);
			assert_string_equal(got_a.id + 5, id);
		} else {
			make_rows(&t, &a, id);
			authcache_put(r->ac, h, authcache_epoch(r->ac), T0, &t, &a);
		}
		if (i % 997 == r->seed)
			authcache_invalidate(r->ac);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct authcache *ac = authcache_new();
	pthread_t th[4];
	struct race r[4];
	for (int i = 0; i < 4; i++) {
		r[i] = (struct race){ac, i, 0};
		pthread_create(&th[i], NULL, racer, &r[i]);
	}
	int hits = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		hits += r[i].hits;
	}
	assert_true(hits > 0);
	authcache_free(ac);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_then_get), cmocka_unit_test(test_ttl),
	    cmocka_unit_test(test_invalidate),   cmocka_unit_test(test_slot_replacement),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
