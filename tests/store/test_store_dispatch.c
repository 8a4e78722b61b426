/* Store suite for the send pipeline (migration 0003): claiming due messages (order, number
 * status; two handles at once are in test_store_dispatch_race.c), recording send outcomes, applying
 * status reports forward-only (also those that arrive before the wamid is known), crash recovery
 * and the delivery report. Written against store.h only, so every backend must pass it; the fixture
 * picks the backend from PIXELS_TEST_STORE_BACKEND, each test gets a fresh database. */
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
#include "store/store.h"
#include "store_fixture.h"
#include "wa_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)
#define IDS(...) STORE_FIXTURE_LIST(__VA_ARGS__)

static const struct store_fixture_backend *be;

#define CLAIMS_MAX 512

/* What claim calls handed to their callback, in order (the first one in full). */
struct claims {
	int n;
	char ids[CLAIMS_MAX][IDS_SIZE];
	int attempts[CLAIMS_MAX];
	struct claimed_message first;
};

static void on_claim(void *arg, const struct claimed_message *m)
{
	struct claims *c = arg;
	assert_true(c->n < CLAIMS_MAX);
	if (c->n == 0)
		c->first = *m;
	str_copy_cstr(c->ids[c->n], IDS_SIZE, m->id);
	c->attempts[c->n++] = m->attempts;
}

/* Claims by number (the dispatcher's claim) into a fresh (static) struct claims. */
static struct claims *claim_numbers(struct store_fixture *fx, int64_t now,
                                    const struct claim_want *wants, size_t n)
{
	static struct claims c;
	memset(&c, 0, sizeof(c));
	OK(fx, store_message_claim_numbers(fx->s, now, wants, n, on_claim, &c, &fx->e));
	return &c;
}

/* Claims up to max of w's number's due messages at now. */
static struct claims *claim(struct store_fixture *fx, const struct wa_world *w, int64_t now,
                            int max)
{
	struct claim_want want = {.max = max};
	str_copy_cstr(want.phone_number_id, sizeof(want.phone_number_id), w->n.phone_number_id);
	return claim_numbers(fx, now, &want, 1);
}

static void assert_claimed(const struct claims *c, size_t count, const unsigned *want)
{
	char id[IDS_SIZE];
	assert_int_equal(c->n, count);
	for (size_t i = 0; i < count; i++) {
		store_fixture_make_id(id, WA_KIND_MESSAGE, want[i]);
		assert_string_equal(c->ids[i], id);
	}
}

static const char *msg_id(unsigned k)
{
	static char id[IDS_SIZE];
	store_fixture_make_id(id, WA_KIND_MESSAGE, k);
	return id;
}

#define EVENTS_MAX 8

struct events {
	int n;
	struct message_event_row ev[EVENTS_MAX];
};

static void on_event(void *arg, const struct message_event_row *ev)
{
	struct events *s = arg;
	assert_true(s->n < EVENTS_MAX);
	s->ev[s->n++] = *ev;
}

/* Asserts the message's events are want[0..count) (status and timestamp) in that order. */
static void assert_events(struct store_fixture *fx, const char *account_id, const char *id,
                          size_t count, const struct message_event_row *want)
{
	struct events s = {0};
	OK(fx, store_message_events(fx->s, account_id, id, on_event, &s, &fx->e));
	assert_int_equal(s.n, count);
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(s.ev[i].status, want[i].status);
		assert_int_equal(s.ev[i].timestamp, want[i].timestamp);
		assert_int_equal(s.ev[i].error_code, want[i].error_code);
	}
}
#define EVENTS(...)                                                                                \
	(sizeof((struct message_event_row[]){__VA_ARGS__}) / sizeof(struct message_event_row)),    \
	    ((const struct message_event_row[]){__VA_ARGS__})

static struct send_result outcome(const struct wa_world *w, unsigned k, enum send_outcome o,
                                  int64_t at)
{
	struct send_result r;
	memset(&r, 0, sizeof(r));
	str_copy_cstr(r.account_id, sizeof(r.account_id), w->a.id);
	str_copy_cstr(r.message_id, sizeof(r.message_id), msg_id(k));
	r.outcome = o;
	r.at = at;
	return r;
}

static void accept(struct store_fixture *fx, const struct wa_world *w, unsigned k,
                   const char *wamid, int64_t at)
{
	struct send_result r = outcome(w, k, SEND_ACCEPTED, at);
	str_copy_cstr(r.wa_message_id, sizeof(r.wa_message_id), wamid);
	OK(fx, store_message_record_send(fx->s, &r, &fx->e));
}

/* Applies a status report; returns *applied. */
static bool report(struct store_fixture *fx, const char *wamid, enum msg_status st, int64_t ts,
                   int error_code)
{
	struct status_update u;
	bool applied = false;
	memset(&u, 0, sizeof(u));
	str_copy_cstr(u.wa_message_id, sizeof(u.wa_message_id), wamid);
	u.status = st;
	u.timestamp = ts;
	u.error_code = error_code;
	if (error_code)
		snprintf(u.error_title, sizeof(u.error_title), "error %d", error_code);
	u.pricing_billable = -1;
	OK(fx, store_message_apply_status(fx->s, &u, ts + 5, &applied, &fx->e));
	return applied;
}

static int64_t pending_rows(struct store_fixture *fx)
{
	return be->count(&fx->db, "SELECT count(*) FROM pending_statuses");
}

/* ---- claim ---------------------------------------------------------------------------- */

static void test_claim_order_and_fields(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct message_row m;
	wa_world_new(fx, &w, 1);
	wa_queue_message(fx, &w, 1, 100, 1, NULL); /* bulk: after all conversation traffic */
	wa_queue_message(fx, &w, 2, 300, 0, &m);
	wa_queue_message(fx, &w, 3, 200, 0, NULL);
	wa_queue_message(fx, &w, 4, 20000, 0, NULL); /* not due before 20000 */
	wa_fill_message(&m, &w.c, 5, MSG_DIR_OUT, 250);
	m.next_attempt_at = 300; /* same time as 2, created earlier */
	OK(fx, store_message_insert(fx->s, &m, &fx->e));
	wa_fill_message(&m, &w.c, 6, MSG_DIR_IN, 50); /* inbound: never claimed */
	OK(fx, store_message_insert(fx->s, &m, &fx->e));

	struct claims *c = claim(fx, &w, 10000, 3);
	assert_claimed(c, IDS(3, 5, 2));
	assert_string_equal(c->first.account_id, w.a.id);
	assert_string_equal(c->first.phone_number_id, w.n.phone_number_id);
	assert_string_equal(c->first.user_phone, w.c.user_phone);
	wa_fill_message(&m, &w.c, 3, MSG_DIR_OUT, 200);
	assert_string_equal(c->first.request, m.request);
	assert_int_equal(c->first.attempts, 1);
	assert_int_equal(c->first.queued_at, 200);
	assert_int_equal(c->first.priority, 0);
	const struct message_row *got = wa_get_message(fx, w.a.id, msg_id(2));
	assert_int_equal(got->status, MSG_STATUS_SENDING);
	assert_int_equal(got->attempts, 1);
	assert_int_equal(got->updated_at, 10000);

	assert_claimed(claim(fx, &w, 10000, 10), IDS(1));
	assert_claimed(claim(fx, &w, 10000, 10), 0, NULL);
	assert_claimed(claim(fx, &w, 20000, 0), 0, NULL);
	assert_claimed(claim(fx, &w, 20000, 10), IDS(4));
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(6))->status, MSG_STATUS_RECEIVED);
}

static void test_claim_skips_inactive_numbers(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w1, w2, w3;
	struct conversation_row orphan;
	struct message_row m;
	wa_world_new(fx, &w1, 1);
	wa_world_new(fx, &w2, 2);
	wa_world_new(fx, &w3, 3);
	OK(fx, store_number_set_status(fx->s, w2.n.phone_number_id, NUMBER_STATUS_PAUSED, "spam",
	                               10, &fx->e));
	OK(fx, store_number_set_status(fx->s, w3.n.phone_number_id, NUMBER_STATUS_REAUTH, "token",
	                               10, &fx->e));
	wa_queue_message(fx, &w2, 2, 100, 0, NULL);
	wa_queue_message(fx, &w3, 3, 100, 0, NULL);
	wa_queue_message(fx, &w1, 1, 300, 1, NULL);
	/* A conversation on a number no longer connected: its messages stay queued. */
	wa_fill_conversation(&orphan, w1.a.id, "1000000000999", 9, 10);
	OK(fx, store_conversation_insert(fx->s, &orphan, &fx->e));
	wa_fill_message(&m, &orphan, 4, MSG_DIR_OUT, 50);
	OK(fx, store_message_insert(fx->s, &m, &fx->e));

	/* Every number asked for, the one no longer connected too. */
	struct claim_want wants[4] = {{"", 10}, {"", 10}, {"", 10}, {"1000000000999", 10}};
	str_copy_cstr(wants[0].phone_number_id, STORE_META_ID_MAX, w1.n.phone_number_id);
	str_copy_cstr(wants[1].phone_number_id, STORE_META_ID_MAX, w2.n.phone_number_id);
	str_copy_cstr(wants[2].phone_number_id, STORE_META_ID_MAX, w3.n.phone_number_id);
	assert_claimed(claim_numbers(fx, 1000, wants, 4), IDS(1));
	assert_claimed(claim_numbers(fx, 1000, wants, 4), 0, NULL);
	OK(fx, store_number_set_status(fx->s, w2.n.phone_number_id, NUMBER_STATUS_ACTIVE, "", 20,
	                               &fx->e));
	assert_claimed(claim_numbers(fx, 1000, wants, 4), IDS(2));
	assert_int_equal(wa_get_message(fx, w3.a.id, msg_id(3))->status, MSG_STATUS_QUEUED);
	assert_int_equal(wa_get_message(fx, w1.a.id, msg_id(4))->status, MSG_STATUS_QUEUED);
}

/* Each listed number gives at most its own max, in the global claim order; unlisted and
 * inactive numbers give nothing. */
static void test_claim_numbers_takes_each_numbers_max(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w1, w2, w3;
	wa_world_new(fx, &w1, 1);
	wa_world_new(fx, &w2, 2);
	wa_world_new(fx, &w3, 3);
	OK(fx, store_number_set_status(fx->s, w3.n.phone_number_id, NUMBER_STATUS_PAUSED, "spam",
	                               10, &fx->e));
	for (unsigned k = 1; k <= 4; k++)
		wa_queue_message(fx, &w1, k, 100 * k, 0, NULL);
	wa_queue_message(fx, &w2, 5, 50, 0, NULL);
	wa_queue_message(fx, &w2, 6, 60, 0, NULL);
	wa_queue_message(fx, &w3, 7, 10, 0, NULL);
	struct claim_want wants[3] = {{"", 1}, {"", 2}, {"", 5}};
	str_copy_cstr(wants[0].phone_number_id, STORE_META_ID_MAX, w2.n.phone_number_id);
	str_copy_cstr(wants[1].phone_number_id, STORE_META_ID_MAX, w1.n.phone_number_id);
	str_copy_cstr(wants[2].phone_number_id, STORE_META_ID_MAX, w3.n.phone_number_id);
	assert_claimed(claim_numbers(fx, 1000, wants, 3), IDS(5, 1, 2));
	assert_claimed(claim_numbers(fx, 1000, wants + 1, 1), IDS(3, 4));
	assert_claimed(claim_numbers(fx, 1000, wants + 1, 1), 0, NULL);
	assert_claimed(claim_numbers(fx, 1000, wants, 0), 0, NULL);
	assert_int_equal(wa_get_message(fx, w2.a.id, msg_id(6))->status, MSG_STATUS_QUEUED);
	assert_int_equal(wa_get_message(fx, w3.a.id, msg_id(7))->status, MSG_STATUS_QUEUED);
	assert_int_equal(wa_get_message(fx, w1.a.id, msg_id(1))->attempts, 1);
}

static void test_requeue_inflight(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	int count = -1;
	wa_world_new(fx, &w, 1);
	for (unsigned k = 1; k <= 3; k++)
		wa_queue_message(fx, &w, k, 100 * k, 0, NULL);
	assert_claimed(claim(fx, &w, 1000, 2), IDS(1, 2));
	OK(fx, store_message_requeue_inflight(fx->s, 2000, &count, &fx->e));
	assert_int_equal(count, 2);
	const struct message_row *got = wa_get_message(fx, w.a.id, msg_id(1));
	assert_int_equal(got->status, MSG_STATUS_QUEUED);
	assert_int_equal(got->updated_at, 2000);
	OK(fx, store_message_requeue_inflight(fx->s, 2001, &count, &fx->e));
	assert_int_equal(count, 0);
	struct claims *c = claim(fx, &w, 3000, 10);
	assert_claimed(c, IDS(1, 2, 3));
	assert_int_equal(c->attempts[0], 2);
	assert_int_equal(c->attempts[1], 2);
	assert_int_equal(c->attempts[2], 1);
}

/* ---- send outcomes ------------------------------------------------------------------------ */

static void test_record_send_outcomes(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct message_row got;
	bool found = false;
	wa_world_new(fx, &w, 1);
	for (unsigned k = 1; k <= 3; k++)
		wa_queue_message(fx, &w, k, 100, 0, NULL);
	assert_claimed(claim(fx, &w, 1000, 10), IDS(1, 2, 3));

	accept(fx, &w, 1, "wamid.A1", 1100);
	const struct message_row *m = wa_get_message(fx, w.a.id, msg_id(1));
	assert_int_equal(m->status, MSG_STATUS_ACCEPTED);
	assert_string_equal(m->wa_message_id, "wamid.A1");
	assert_int_equal(m->accepted_at, 1100);
	assert_int_equal(m->updated_at, 1100);
	assert_events(fx, w.a.id, msg_id(1), EVENTS({MSG_STATUS_ACCEPTED, 1100, 0}));
	OK(fx, store_message_find_by_wamid(fx->s, w.a.id, "wamid.A1", &got, &found, &fx->e));
	assert_true(found);
	assert_string_equal(got.id, msg_id(1));

	/* RETRY: queued again, due at next_attempt_at, the last error kept, no event. */
	struct send_result r = outcome(&w, 2, SEND_RETRY, 1200);
	r.next_attempt_at = 5000;
	r.error_code = 131000;
	str_copy_cstr(r.error_title, sizeof(r.error_title), "Something went wrong");
	OK(fx, store_message_record_send(fx->s, &r, &fx->e));
	m = wa_get_message(fx, w.a.id, msg_id(2));
	assert_int_equal(m->status, MSG_STATUS_QUEUED);
	assert_int_equal(m->next_attempt_at, 5000);
	assert_int_equal(m->error_code, 131000);
	assert_string_equal(m->error_title, "Something went wrong");
	assert_int_equal(m->failed_at, 0);
	assert_events(fx, w.a.id, msg_id(2), 0, NULL);
	assert_claimed(claim(fx, &w, 4999, 10), 0, NULL);
	struct claims *c = claim(fx, &w, 5000, 10);
	assert_claimed(c, IDS(2));
	assert_int_equal(c->attempts[0], 2);

	/* FAILED: failed_at, the error, one event carrying the code. */
	r = outcome(&w, 3, SEND_FAILED, 1300);
	r.error_code = 131026;
	str_copy_cstr(r.error_title, sizeof(r.error_title), "Message undeliverable");
	str_copy_cstr(r.error_message, sizeof(r.error_message), "not on WhatsApp");
	str_copy_cstr(r.error_details, sizeof(r.error_details), "{\"to\":\"4915\"}");
	OK(fx, store_message_record_send(fx->s, &r, &fx->e));
	m = wa_get_message(fx, w.a.id, msg_id(3));
	assert_int_equal(m->status, MSG_STATUS_FAILED);
	assert_int_equal(m->failed_at, 1300);
	assert_int_equal(m->error_code, 131026);
	assert_string_equal(m->error_message, "not on WhatsApp");
	assert_string_equal(m->error_details, "{\"to\":\"4915\"}");
	assert_events(fx, w.a.id, msg_id(3), EVENTS({MSG_STATUS_FAILED, 1300, 131026}));

	/* A wamid already taken, another account, an accepted send without a wamid. */
	r = outcome(&w, 2, SEND_ACCEPTED, 5100);
	str_copy_cstr(r.wa_message_id, sizeof(r.wa_message_id), "wamid.A1");
	ERR(fx, store_message_record_send(fx->s, &r, &fx->e), ERR_CONFLICT, "MESSAGE_EXISTS");
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(2))->status, MSG_STATUS_SENDING);
	assert_events(fx, w.a.id, msg_id(2), 0, NULL);
	r.wa_message_id[0] = '\0';
	ERR(fx, store_message_record_send(fx->s, &r, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	struct wa_world other;
	wa_world_new(fx, &other, 2);
	r = outcome(&other, 2, SEND_FAILED, 5200);
	ERR(fx, store_message_record_send(fx->s, &r, &fx->e), ERR_NOT_FOUND, "MESSAGE_NOT_FOUND");
	r = outcome(&other, 2, SEND_ACCEPTED, 5200);
	str_copy_cstr(r.wa_message_id, sizeof(r.wa_message_id), "wamid.X");
	ERR(fx, store_message_record_send(fx->s, &r, &fx->e), ERR_NOT_FOUND, "MESSAGE_NOT_FOUND");
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(2))->status, MSG_STATUS_SENDING);
}

/* ---- status reports ------------------------------------------------------------------- */

static void test_apply_status_forward_only(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	wa_world_new(fx, &w, 1);
	for (unsigned k = 1; k <= 4; k++) {
		char wamid[32];
		snprintf(wamid, sizeof(wamid), "wamid.%u", k);
		wa_queue_message(fx, &w, k, 10, 0, NULL);
		accept(fx, &w, k, wamid, 50);
	}
	/* read, then a late delivered and sent: still read, each time recorded once. */
	assert_true(report(fx, "wamid.1", MSG_STATUS_READ, 300, 0));
	assert_true(report(fx, "wamid.1", MSG_STATUS_DELIVERED, 200, 0));
	assert_true(report(fx, "wamid.1", MSG_STATUS_SENT, 100, 0));
	const struct message_row *m = wa_get_message(fx, w.a.id, msg_id(1));
	assert_int_equal(m->status, MSG_STATUS_READ);
	assert_int_equal(m->sent_at, 100);
	assert_int_equal(m->delivered_at, 200);
	assert_int_equal(m->read_at, 300);
	assert_int_equal(m->updated_at, 105);
	assert_events(fx, w.a.id, msg_id(1),
	              EVENTS({MSG_STATUS_ACCEPTED, 50, 0}, {MSG_STATUS_SENT, 100, 0},
	                     {MSG_STATUS_DELIVERED, 200, 0}, {MSG_STATUS_READ, 300, 0}));

	/* delivered, then sent: delivered. A duplicate report adds nothing. */
	assert_true(report(fx, "wamid.2", MSG_STATUS_DELIVERED, 200, 0));
	assert_true(report(fx, "wamid.2", MSG_STATUS_SENT, 100, 0));
	assert_true(report(fx, "wamid.2", MSG_STATUS_DELIVERED, 200, 0));
	assert_true(report(fx, "wamid.2", MSG_STATUS_DELIVERED, 250, 0));
	m = wa_get_message(fx, w.a.id, msg_id(2));
	assert_int_equal(m->status, MSG_STATUS_DELIVERED);
	assert_int_equal(m->sent_at, 100);
	assert_int_equal(m->delivered_at, 200); /* the first report wins */
	assert_events(fx, w.a.id, msg_id(2),
	              EVENTS({MSG_STATUS_ACCEPTED, 50, 0}, {MSG_STATUS_SENT, 100, 0},
	                     {MSG_STATUS_DELIVERED, 200, 0}, {MSG_STATUS_DELIVERED, 250, 0}));

	/* failed after delivered: kept as an event only, the error is not the message's. */
	assert_true(report(fx, "wamid.3", MSG_STATUS_DELIVERED, 200, 0));
	assert_true(report(fx, "wamid.3", MSG_STATUS_FAILED, 300, 131047));
	m = wa_get_message(fx, w.a.id, msg_id(3));
	assert_int_equal(m->status, MSG_STATUS_DELIVERED);
	assert_int_equal(m->failed_at, 300); /* when it was reported, like every status */
	assert_int_equal(m->error_code, 0);
	assert_string_equal(m->error_title, "");
	assert_events(fx, w.a.id, msg_id(3),
	              EVENTS({MSG_STATUS_ACCEPTED, 50, 0}, {MSG_STATUS_DELIVERED, 200, 0},
	                     {MSG_STATUS_FAILED, 300, 131047}));

	/* sent, then failed: failed with the error; a later delivered still ranks higher. */
	assert_true(report(fx, "wamid.4", MSG_STATUS_SENT, 100, 0));
	assert_true(report(fx, "wamid.4", MSG_STATUS_FAILED, 200, 131026));
	m = wa_get_message(fx, w.a.id, msg_id(4));
	assert_int_equal(m->status, MSG_STATUS_FAILED);
	assert_int_equal(m->failed_at, 200);
	assert_int_equal(m->error_code, 131026);
	assert_string_equal(m->error_title, "error 131026");
	assert_true(report(fx, "wamid.4", MSG_STATUS_DELIVERED, 300, 0));
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(4))->status, MSG_STATUS_DELIVERED);
	assert_int_equal(pending_rows(fx), 0);
}

static void test_apply_status_pricing_and_bad_reports(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct status_update u;
	bool applied = true;
	wa_world_new(fx, &w, 1);
	wa_queue_message(fx, &w, 1, 10, 0, NULL);
	accept(fx, &w, 1, "wamid.1", 50);
	memset(&u, 0, sizeof(u));
	str_copy_cstr(u.wa_message_id, sizeof(u.wa_message_id), "wamid.1");
	u.status = MSG_STATUS_SENT;
	u.timestamp = 100;
	str_copy_cstr(u.pricing_category, sizeof(u.pricing_category), "utility");
	u.pricing_billable = 1;
	OK(fx, store_message_apply_status(fx->s, &u, 110, &applied, &fx->e));
	assert_true(applied);
	assert_true(report(fx, "wamid.1", MSG_STATUS_DELIVERED, 200, 0)); /* no pricing given */
	const struct message_row *m = wa_get_message(fx, w.a.id, msg_id(1));
	assert_string_equal(m->pricing_category, "utility");
	assert_int_equal(m->pricing_billable, 1);

	u.status = MSG_STATUS_ACCEPTED;
	ERR(fx, store_message_apply_status(fx->s, &u, 110, &applied, &fx->e), ERR_CONFLICT,
	    "CONSTRAINT_VIOLATION");
	assert_false(applied);
	u.status = MSG_STATUS_READ;
	u.wa_message_id[0] = '\0';
	ERR(fx, store_message_apply_status(fx->s, &u, 110, &applied, &fx->e), ERR_CONFLICT,
	    "CONSTRAINT_VIOLATION");
	memset(u.wa_message_id, 'w', sizeof(u.wa_message_id));
	ERR(fx, store_message_apply_status(fx->s, &u, 110, &applied, &fx->e), ERR_INVALID,
	    "VALUE_TOO_LONG");
	assert_int_equal(pending_rows(fx), 0);
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(1))->status, MSG_STATUS_DELIVERED);
}

/* Reports that beat the send's answer are held, then applied when the send is recorded. */
static void test_status_before_wamid(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	wa_world_new(fx, &w, 1);
	wa_queue_message(fx, &w, 1, 10, 0, NULL);
	wa_queue_message(fx, &w, 2, 10, 0, NULL);
	assert_claimed(claim(fx, &w, 100, 10), IDS(1, 2));
	assert_false(report(fx, "wamid.early", MSG_STATUS_DELIVERED, 200, 0));
	assert_false(report(fx, "wamid.early", MSG_STATUS_SENT, 120, 0));
	assert_false(report(fx, "wamid.failing", MSG_STATUS_FAILED, 130, 131026));
	assert_false(report(fx, "wamid.unrelated", MSG_STATUS_READ, 300, 0));
	assert_int_equal(pending_rows(fx), 4);
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(1))->status, MSG_STATUS_SENDING);

	/* Rolled back with the caller's transaction: the held reports stay held. */
	OK(fx, store_begin(fx->s, &fx->e));
	accept(fx, &w, 1, "wamid.early", 150);
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(1))->status, MSG_STATUS_DELIVERED);
	store_rollback(fx->s);
	assert_int_equal(pending_rows(fx), 4);
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(1))->status, MSG_STATUS_SENDING);

	accept(fx, &w, 1, "wamid.early", 150);
	const struct message_row *m = wa_get_message(fx, w.a.id, msg_id(1));
	assert_int_equal(m->status, MSG_STATUS_DELIVERED);
	assert_int_equal(m->accepted_at, 150);
	assert_int_equal(m->sent_at, 120);
	assert_int_equal(m->delivered_at, 200);
	assert_events(fx, w.a.id, msg_id(1),
	              EVENTS({MSG_STATUS_SENT, 120, 0}, {MSG_STATUS_ACCEPTED, 150, 0},
	                     {MSG_STATUS_DELIVERED, 200, 0}));
	assert_int_equal(pending_rows(fx), 2);

	accept(fx, &w, 2, "wamid.failing", 140);
	m = wa_get_message(fx, w.a.id, msg_id(2));
	assert_int_equal(m->status, MSG_STATUS_FAILED);
	assert_int_equal(m->failed_at, 130);
	assert_int_equal(m->error_code, 131026);
	assert_string_equal(m->error_title, "error 131026");
	assert_int_equal(pending_rows(fx), 1);

	/* From now on reports apply at once. */
	assert_true(report(fx, "wamid.early", MSG_STATUS_READ, 400, 0));
	assert_int_equal(wa_get_message(fx, w.a.id, msg_id(1))->status, MSG_STATUS_READ);
	assert_int_equal(pending_rows(fx), 1);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_claim_order_and_fields),
	    STORE_FIXTURE_MIGRATED(test_claim_skips_inactive_numbers),
	    STORE_FIXTURE_MIGRATED(test_claim_numbers_takes_each_numbers_max),
	    STORE_FIXTURE_MIGRATED(test_requeue_inflight),
	    STORE_FIXTURE_MIGRATED(test_record_send_outcomes),
	    STORE_FIXTURE_MIGRATED(test_apply_status_forward_only),
	    STORE_FIXTURE_MIGRATED(test_apply_status_pricing_and_bad_reports),
	    STORE_FIXTURE_MIGRATED(test_status_before_wamid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
