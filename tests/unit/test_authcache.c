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
#include <stdlib.h>
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

/* A cache, the rows every test stores, and room for what a get copies out. */
struct fx {
	struct authcache *ac;
	struct token_row t, got_t;
	struct account_row a, got_a;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->ac = authcache_new();
	make_rows(&f->t, &f->a, "tok");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	authcache_free(f->ac);
	free(f);
	return 0;
}

static bool get(struct fx *f, const char *hash, int64_t now)
{
	return authcache_get(f->ac, hash, now, &f->got_t, &f->got_a);
}

/* Stores f's rows under hash, as a lookup that started at the current epoch would. */
static void put(struct fx *f, const char *hash, int64_t now)
{
	authcache_put(f->ac, hash, authcache_epoch(f->ac), now, &f->t, &f->a);
}

static void test_put_then_get(void **state)
{
	struct fx *f = *state;
	char h[SEC_SHA256_HEX], other[SEC_SHA256_HEX], twin[SEC_SHA256_HEX];
	make_hash(h, 7, 'a');
	make_hash(other, 8, 'a');
	make_hash(twin, 7, 'b'); /* same slot, another hash */
	assert_false(get(f, h, T0));
	put(f, h, T0);
	assert_true(get(f, h, T0));
	assert_memory_equal(&f->got_t, &f->t, sizeof(f->t));
	assert_memory_equal(&f->got_a, &f->a, sizeof(f->a));
	assert_false(get(f, other, T0));
	assert_false(get(f, twin, T0));
	/* Malformed hashes are never looked up or stored. */
	assert_false(get(f, "07aa", T0));
	assert_false(get(f, NULL, T0));
	put(f, "07", T0);
	assert_true(get(f, h, T0));
	authcache_free(NULL);
}

static void test_ttl(void **state)
{
	struct fx *f = *state;
	char h[SEC_SHA256_HEX];
	make_hash(h, 1, 'c');
	put(f, h, T0);
	assert_true(get(f, h, T0 + AUTHCACHE_TTL_MS - 1));
	assert_false(get(f, h, T0 + AUTHCACHE_TTL_MS));
	/* A clock read before the entry was stored (another thread's earlier now) is no hit. */
	assert_false(get(f, h, T0 - 1));
}

static void test_invalidate(void **state)
{
	struct fx *f = *state;
	char h1[SEC_SHA256_HEX], h2[SEC_SHA256_HEX];
	make_hash(h1, 1, 'd');
	make_hash(h2, 2, 'd');
	uint64_t before = authcache_epoch(f->ac);
	put(f, h1, T0);
	put(f, h2, T0);
	authcache_invalidate(f->ac);
	assert_int_not_equal(authcache_epoch(f->ac), before);
	assert_false(get(f, h1, T0));
	assert_false(get(f, h2, T0));
	/* A lookup that read the store before the invalidation stores nothing after it. */
	authcache_put(f->ac, h1, before, T0, &f->t, &f->a);
	assert_false(get(f, h1, T0));
	put(f, h1, T0);
	assert_true(get(f, h1, T0));
}

static void test_slot_replacement(void **state)
{
	struct fx *f = *state;
	char h1[SEC_SHA256_HEX], h2[SEC_SHA256_HEX];
	make_hash(h1, 0x42, 'e');
	make_hash(h2, 0x42, 'f');
	put(f, h1, T0);
	make_rows(&f->t, &f->a, "two");
	put(f, h2, T0);
	assert_false(get(f, h1, T0));
	assert_true(get(f, h2, T0));
	assert_string_equal(f->got_t.id, "two");
	assert_string_equal(f->got_a.email, "two@school.edu");
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
	    cmocka_unit_test_setup_teardown(test_put_then_get, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_ttl, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_invalidate, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_slot_replacement, fx_setup, fx_teardown),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
