/* The dispatcher's pacer (queue/pacer.c) over a real store: which numbers it loads (active,
 * with a token it can open), how much each number's FIFO asks the next claim for
 * (pacer_wants: PACER_AHEAD_MS of its rate, within a budget, in turns), and that pacer_next
 * holds a number to its rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sec.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "queue/pacer.h"
#include "store/store.h"
#include "store_fixture.h"
#include "svc/vault.h"
#include "wa_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)

static const char KEY[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/* Number k of w's account at mps, its token sealed with svc's vault, in status st. */
static void add_number(struct store_fixture *fx, struct svc *svc, const struct wa_world *w,
                       unsigned k, int mps, enum number_status st)
{
	struct number_row n;
	wa_fill_number(&n, w->a.id, k, 100 + k);
	OK(fx, vault_seal(svc->vault, "meta-token", n.access_token_sealed,
	                  sizeof(n.access_token_sealed), &fx->e));
	n.throughput_mps = mps;
	n.status = st;
	OK(fx, store_number_insert(fx->s, &n, &fx->e));
}

static void no_orphans(void *arg, struct outgoing *o, bool removed)
{
	(void)arg;
	(void)removed;
	free(o);
	fail_msg("nothing was waiting");
}

static void push(struct pacer *p, const char *pnid, int count)
{
	for (int i = 0; i < count; i++) {
		struct outgoing *o = xcalloc(1, sizeof(*o));
		str_copy_cstr(o->msg.phone_number_id, sizeof(o->msg.phone_number_id), pnid);
		assert_true(pacer_push(p, o));
	}
}

static void free_outgoing(void *arg, struct outgoing *o)
{
	(void)arg;
	free(o);
}

/* The want of number pnid in wants[0..n), or -1 when it is not there. */
static int want_of(const struct claim_want *wants, size_t n, const char *pnid)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(wants[i].phone_number_id, pnid) == 0)
			return wants[i].max;
	return -1;
}

static void test_wants_and_pacing(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	wa_world_new(fx, &w, 1); /* number 1: a token this vault cannot open, so not used */
	struct svc svc = {.vault = vault_new(KEY)};
	struct ctx c = {.svc = &svc, .store = fx->s};
	add_number(fx, &svc, &w, 2, 1000, NUMBER_STATUS_ACTIVE);
	add_number(fx, &svc, &w, 3, 10, NUMBER_STATUS_ACTIVE);
	add_number(fx, &svc, &w, 4, 1000, NUMBER_STATUS_PAUSED);
	struct pacer *p = pacer_new();
	OK(fx, pacer_refresh(p, &c, no_orphans, NULL, &fx->e));

	/* 100 ms ahead: 100 messages at 1000/s, at least one at 10/s; paused and unusable
	 * numbers ask for nothing. */
	struct claim_want wants[8];
	size_t n = pacer_wants(p, 1000, wants, 8);
	assert_int_equal(n, 2);
	assert_int_equal(want_of(wants, n, "10000000002"), 100);
	assert_int_equal(want_of(wants, n, "10000000003"), 1);
	assert_false(pacer_push(p, &(struct outgoing){.msg.phone_number_id = "10000000004"}));

	/* What waits counts against the want; a full FIFO asks for nothing. */
	push(p, "10000000002", 40);
	push(p, "10000000003", 1);
	n = pacer_wants(p, 1000, wants, 8);
	assert_int_equal(n, 1);
	assert_int_equal(want_of(wants, n, "10000000002"), 60);

	/* A small budget goes to the numbers in turn: the next call starts after the last
	 * number the previous one reached. */
	pacer_drain(p, NULL, free_outgoing, NULL);
	n = pacer_wants(p, 30, wants, 8);
	assert_int_equal(n, 1);
	char first[STORE_META_ID_MAX];
	str_copy_cstr(first, sizeof(first), wants[0].phone_number_id);
	assert_int_equal(wants[0].max, 30);
	n = pacer_wants(p, 30, wants, 8);
	assert_true(n >= 1);
	assert_string_not_equal(wants[0].phone_number_id, first);
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += wants[i].max;
	assert_int_equal(total, 30); /* 1 for number 3, the rest for number 2 */

	/* pacer_next holds number 3 to 10/s: one message now (its burst), the next ~100 ms on. */
	push(p, "10000000003", 3);
	int wait = 0;
	struct outgoing *o = pacer_next(p, 1000000, &wait);
	assert_non_null(o);
	free(o);
	assert_null(pacer_next(p, 1000000, &wait));
	assert_in_range(wait, 1, 100);
	o = pacer_next(p, 1000000 + 100, &wait);
	assert_non_null(o);
	free(o);
	pacer_drain(p, NULL, free_outgoing, NULL);
	pacer_free(p);
	vault_free(svc.vault);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_wants_and_pacing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
