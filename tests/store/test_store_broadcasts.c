/* Store suite for broadcasts (migration 0007): an "accepting" broadcast is invisible to its
 * account and can be discarded; recipients keep their order and a phone once; the pending
 * window, queued marks (never twice), the message counters and stop_code kept by triggers,
 * hold/release and cancel of queued messages, the report joined with messages and its
 * filter, the daily usage, and tenant isolation. Written against store.h only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "core/sec.h"
#include "core/str.h"
#include "store/store.h"
#include "store_fixture.h"
#include "wa_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)
#define T0 1750000000000LL

static struct broadcast_row *new_broadcast(struct store_fixture *fx, const struct wa_world *w,
                                           unsigned n, const char *status)
{
	struct broadcast_row *b = calloc(1, sizeof(*b));
	store_fixture_make_id(b->id, 0xb0, n);
	memcpy(b->account_id, w->a.id, sizeof(b->account_id));
	str_copy_cstr(b->name, sizeof(b->name), "Term notice");
	memcpy(b->phone_number_id, w->n.phone_number_id, sizeof(b->phone_number_id));
	str_copy_cstr(b->kind, sizeof(b->kind), "text");
	str_copy_cstr(b->text, sizeof(b->text), "School closed");
	str_copy_cstr(b->status, sizeof(b->status), status);
	b->created_at = b->updated_at = T0 + n;
	OK(fx, store_broadcast_insert(fx->s, b, &fx->e));
	return b;
}

static void add(struct store_fixture *fx, const char *bid, int64_t seq, const char *phone,
                const char *status, bool want_dup)
{
	struct broadcast_recipient_row r = {0};
	memcpy(r.broadcast_id, bid, IDS_SIZE);
	r.seq = seq;
	str_copy_cstr(r.phone, sizeof(r.phone), phone);
	str_copy_cstr(r.status, sizeof(r.status), status);
	bool dup = !want_dup;
	OK(fx, store_broadcast_recipient_add(fx->s, &r, &dup, &fx->e));
	assert_int_equal(dup, want_dup);
}

struct seqs {
	int n;
	int64_t seq[16];
};

static void take(void *arg, const struct broadcast_recipient_row *r)
{
	struct seqs *s = arg;
	if (s->n < 16)
		s->seq[s->n++] = r->seq;
}

static void count_b(void *arg, const struct broadcast_row *b)
{
	(void)b;
	(*(int *)arg)++;
}

static void test_accepting_hidden_recipients_ordered(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w, other;
	wa_world_new(fx, &w, 1);
	wa_world_new(fx, &other, 2);
	struct broadcast_row *b = new_broadcast(fx, &w, 1, "accepting"),
	                     *got = calloc(1, sizeof(*got));
	ERR(fx, store_broadcast_get(fx->s, w.a.id, b->id, got, &fx->e), ERR_NOT_FOUND,
	    "BROADCAST_NOT_FOUND");
	OK(fx, store_broadcast_get(fx->s, NULL, b->id, got, &fx->e)); /* the runner sees it */
	add(fx, b->id, 0, "15550000001", "pending", false);
	add(fx, b->id, 1, "15550000002", "skipped", false);
	add(fx, b->id, 2, "15550000003", "pending", false);
	add(fx, b->id, 9, "15550000001", "pending", true); /* a phone once */
	struct seqs s = {0};
	OK(fx, store_broadcast_recipients_pending(fx->s, b->id, 0, 10, take, &s, &fx->e));
	assert_int_equal(s.n, 2);
	assert_int_equal(s.seq[0], 0);
	assert_int_equal(s.seq[1], 2);
	/* Visible once it runs; discard only while accepting. */
	str_copy_cstr(b->status, sizeof(b->status), "running");
	b->total = 2;
	OK(fx, store_broadcast_update(fx->s, b, &fx->e));
	OK(fx, store_broadcast_discard(fx->s, b->id, &fx->e));
	OK(fx, store_broadcast_get(fx->s, w.a.id, b->id, got, &fx->e));
	assert_int_equal(got->total, 2);
	ERR(fx, store_broadcast_get(fx->s, other.a.id, b->id, got, &fx->e), ERR_NOT_FOUND,
	    "BROADCAST_NOT_FOUND");
	struct broadcast_row *gone = new_broadcast(fx, &w, 2, "accepting");
	add(fx, gone->id, 0, "15550000009", "pending", false);
	OK(fx, store_broadcast_discard(fx->s, gone->id, &fx->e));
	ERR(fx, store_broadcast_get(fx->s, NULL, gone->id, got, &fx->e), ERR_NOT_FOUND,
	    "BROADCAST_NOT_FOUND");
	int n = 0;
	int64_t total = 0;
	struct broadcast_filter f = {.limit = 10};
	OK(fx, store_broadcast_list(fx->s, w.a.id, &f, count_b, &n, &total, &fx->e));
	assert_int_equal(n, 1);
	n = 0;
	OK(fx, store_broadcast_list(fx->s, other.a.id, &f, count_b, &n, &total, &fx->e));
	assert_int_equal(n, 0);
	n = 0;
	OK(fx, store_broadcast_list_status(fx->s, "running", 10, count_b, &n, &fx->e));
	assert_int_equal(n, 1);
	free(b);
	free(gone);
	free(got);
}

/* Queues recipient seq of b as message k (priority 1, the broadcast's id). */
static void queue(struct store_fixture *fx, const struct wa_world *w, const char *bid, int64_t seq,
                  unsigned k, struct message_row *m)
{
	wa_fill_message(m, &w->c, k, MSG_DIR_OUT, T0);
	m->priority = 1;
	memcpy(m->broadcast_id, bid, IDS_SIZE);
	OK(fx, store_message_insert(fx->s, m, &fx->e));
	OK(fx, store_broadcast_recipient_queued(fx->s, bid, seq, m->id, &fx->e));
}

static void take_report(void *arg, const struct broadcast_report_row *r)
{
	struct seqs *s = arg;
	if (s->n < 16)
		s->seq[s->n++] = r->r.seq;
}

static void test_counters_hold_cancel_report(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	wa_world_new(fx, &w, 3);
	struct broadcast_row *b = new_broadcast(fx, &w, 3, "running"),
	                     *got = calloc(1, sizeof(*got));
	for (int i = 0; i < 4; i++) {
		char phone[16];
		snprintf(phone, sizeof(phone), "1555000010%d", i);
		add(fx, b->id, i, phone, "pending", false);
	}
	struct message_row m[3];
	for (int i = 0; i < 3; i++)
		queue(fx, &w, b->id, i, 50 + (unsigned)i, &m[i]);
	/* Never queued twice. */
	ERR(fx, store_broadcast_recipient_queued(fx->s, b->id, 0, m[0].id, &fx->e), ERR_NOT_FOUND,
	    "RECIPIENT_NOT_PENDING");
	OK(fx, store_broadcast_get(fx->s, w.a.id, b->id, got, &fx->e));
	assert_int_equal(got->n_queued, 3);
	/* Held: never due; released: due now. */
	OK(fx, store_broadcast_hold(fx->s, b->id, true, T0 + 10, &fx->e));
	assert_true(wa_get_message(fx, w.a.id, m[0].id)->next_attempt_at > T0 + 86400000LL * 365);
	OK(fx, store_broadcast_hold(fx->s, b->id, false, T0 + 20, &fx->e));
	assert_int_equal(wa_get_message(fx, w.a.id, m[0].id)->next_attempt_at, T0 + 20);
	assert_int_equal(wa_get_message(fx, w.a.id, m[0].id)->queued_at, T0 + 20);
	/* Cancel: queued messages fail, the pending recipient is cancelled. */
	OK(fx, store_broadcast_cancel(fx->s, b->id, T0 + 30, &fx->e));
	OK(fx, store_broadcast_get(fx->s, w.a.id, b->id, got, &fx->e));
	assert_int_equal(got->n_queued, 0);
	assert_int_equal(got->n_failed, 3);
	struct broadcast_report_filter f = {.status = "cancelled", .limit = 10};
	struct seqs s = {0};
	int64_t total = 0;
	OK(fx, store_broadcast_report(fx->s, w.a.id, b->id, &f, take_report, &s, &total, &fx->e));
	assert_int_equal(total, 1);
	assert_int_equal(s.seq[0], 3);
	f.status = "failed";
	memset(&s, 0, sizeof(s));
	OK(fx, store_broadcast_report(fx->s, w.a.id, b->id, &f, take_report, &s, &total, &fx->e));
	assert_int_equal(total, 3);
	assert_int_equal(s.n, 3);
	/* Another account's report is empty. */
	struct wa_world other;
	wa_world_new(fx, &other, 4);
	f.status = NULL;
	OK(fx,
	   store_broadcast_report(fx->s, other.a.id, b->id, &f, take_report, &s, &total, &fx->e));
	assert_int_equal(total, 0);
	free(b);
	free(got);
}

static void test_stop_code_and_daily_usage(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	wa_world_new(fx, &w, 5);
	struct broadcast_row *b = new_broadcast(fx, &w, 5, "running"),
	                     *got = calloc(1, sizeof(*got));
	add(fx, b->id, 0, "15550000201", "pending", false);
	add(fx, b->id, 1, "15550000202", "pending", false);
	struct message_row m;
	queue(fx, &w, b->id, 0, 70, &m);
	/* Meta refused it: the template is paused (132015). */
	struct send_result r = {.outcome = SEND_FAILED, .at = T0 + 5, .error_code = 132015};
	memcpy(r.account_id, w.a.id, IDS_SIZE);
	memcpy(r.message_id, m.id, IDS_SIZE);
	OK(fx, store_message_record_send(fx->s, &r, &fx->e));
	OK(fx, store_broadcast_get(fx->s, w.a.id, b->id, got, &fx->e));
	assert_int_equal(got->stop_code, 132015);
	assert_int_equal(got->n_failed, 1);
	assert_int_equal(got->n_queued, 0);
	/* Daily usage: the one pending recipient (the failed template message does not count). */
	int64_t used = -1;
	OK(fx, store_broadcast_daily_usage(fx->s, w.a.id, T0 - 1000, &used, &fx->e));
	assert_int_equal(used, 1);
	struct message_row t;
	wa_fill_message(&t, &w.c, 71, MSG_DIR_OUT, T0);
	str_copy_cstr(t.type, sizeof(t.type), "template");
	OK(fx, store_message_insert(fx->s, &t, &fx->e));
	OK(fx, store_broadcast_daily_usage(fx->s, w.a.id, T0 - 1000, &used, &fx->e));
	assert_int_equal(used, 2);
	OK(fx, store_broadcast_daily_usage(fx->s, w.a.id, T0 + 1000, &used, &fx->e));
	assert_int_equal(used, 1); /* outside the window: only the pending one */
	free(b);
	free(got);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_accepting_hidden_recipients_ordered),
	    STORE_FIXTURE_MIGRATED(test_counters_hold_cancel_report),
	    STORE_FIXTURE_MIGRATED(test_stop_code_and_daily_usage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
