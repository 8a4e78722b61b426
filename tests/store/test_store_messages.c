/* Store suite for messages (migration 0003): insert with its de-duplication rules, lookups by
 * id and by wamid, the filtered lists, tenant isolation and the delivery report. Status
 * changes and events are in test_store_dispatch.c. Written against store.h only, so every backend
 * must pass it; the fixture picks the backend from PIXELS_TEST_STORE_BACKEND, each test gets a
 * fresh database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/sec.h"
#include "core/str.h"
#include "store/store.h"
#include "store_fixture.h"
#include "wa_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)
#define IDS(...) STORE_FIXTURE_LIST(__VA_ARGS__)

static const struct store_fixture_backend *be;

#define SEEN_MAX 16

/* Ids a list call handed to its callback, in order. */
struct seen {
	int n;
	char ids[SEEN_MAX][IDS_SIZE];
};

static void seen_message(void *arg, const struct message_row *row)
{
	struct seen *s = arg;
	assert_true(s->n < SEEN_MAX);
	str_copy_cstr(s->ids[s->n++], IDS_SIZE, row->id);
}

static void seen_event(void *arg, const struct message_event_row *ev)
{
	(void)ev;
	(*(int *)arg)++;
}

/* Asserts the ids seen are message ids k = want[0..count) in that order. */
static void assert_seen(const struct seen *s, size_t count, const unsigned *want)
{
	char id[IDS_SIZE];
	assert_int_equal(s->n, count);
	for (size_t i = 0; i < count; i++) {
		store_fixture_make_id(id, WA_KIND_MESSAGE, want[i]);
		assert_string_equal(s->ids[i], id);
	}
}

static void assert_same_message(const struct message_row *got, const struct message_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->conversation_id, want->conversation_id);
	assert_string_equal(got->phone_number_id, want->phone_number_id);
	assert_int_equal(got->direction, want->direction);
	assert_string_equal(got->type, want->type);
	assert_string_equal(got->user_phone, want->user_phone);
	assert_string_equal(got->content, want->content);
	assert_string_equal(got->request, want->request);
	assert_int_equal(got->status, want->status);
	assert_string_equal(got->wa_message_id, want->wa_message_id);
	assert_int_equal(got->queued_at, want->queued_at);
	assert_int_equal(got->accepted_at, want->accepted_at);
	assert_int_equal(got->sent_at, want->sent_at);
	assert_int_equal(got->delivered_at, want->delivered_at);
	assert_int_equal(got->read_at, want->read_at);
	assert_int_equal(got->failed_at, want->failed_at);
	assert_int_equal(got->error_code, want->error_code);
	assert_string_equal(got->error_title, want->error_title);
	assert_string_equal(got->error_message, want->error_message);
	assert_string_equal(got->error_details, want->error_details);
	assert_string_equal(got->pricing_category, want->pricing_category);
	assert_int_equal(got->pricing_billable, want->pricing_billable);
	assert_int_equal(got->attempts, want->attempts);
	assert_int_equal(got->next_attempt_at, want->next_attempt_at);
	assert_int_equal(got->priority, want->priority);
	assert_string_equal(got->broadcast_id, want->broadcast_id);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

/* Every field set to something other than its default, text at full length where it is
 * cheap to build. */
static void fill_everything(struct message_row *m, const struct conversation_row *c)
{
	wa_fill_message(m, c, 1, MSG_DIR_OUT, 100);
	m->status = MSG_STATUS_FAILED;
	memset(m->content, 'c', sizeof(m->content) - 1);
	memset(m->request, 'r', sizeof(m->request) - 1);
	str_copy_cstr(m->wa_message_id, sizeof(m->wa_message_id),
	              "wamid.HBgLMTIzNDU2Nzg5MDEyFQIAERgS");
	m->accepted_at = 110;
	m->sent_at = 120;
	m->delivered_at = 130;
	m->read_at = 140;
	m->failed_at = 150;
	m->error_code = 131026;
	str_copy_cstr(m->error_title, sizeof(m->error_title), "Message undeliverable");
	str_copy_cstr(m->error_message, sizeof(m->error_message), "Receiver is incapable");
	str_copy_cstr(m->error_details, sizeof(m->error_details), "O'Brien \"quoted\" %s _ \\");
	str_copy_cstr(m->pricing_category, sizeof(m->pricing_category), "marketing");
	m->pricing_billable = 1;
	m->attempts = 3;
	m->next_attempt_at = 160;
	m->priority = 1;
	store_fixture_make_id(m->broadcast_id, 0xb0, 1);
	m->updated_at = 170;
}

static void test_messages_insert_get_find(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct message_row *m = calloc(3, sizeof(*m));
	struct message_row got;
	bool found = false;
	assert_non_null(m);
	wa_world_new(fx, &w, 1);
	fill_everything(&m[0], &w.c);
	OK(fx, store_message_insert(fx->s, &m[0], &fx->e));
	OK(fx, store_message_get(fx->s, w.a.id, m[0].id, &got, &fx->e));
	assert_same_message(&got, &m[0]);
	OK(fx,
	   store_message_find_by_wamid(fx->s, w.a.id, m[0].wa_message_id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_message(&got, &m[0]);

	wa_fill_message(&m[1], &w.c, 2, MSG_DIR_IN, 200);
	OK(fx, store_message_insert(fx->s, &m[1], &fx->e));
	OK(fx, store_message_find_by_wamid(fx->s, w.a.id, "wamid.in.2", &got, &found, &fx->e));
	assert_true(found);
	assert_same_message(&got, &m[1]);
	/* Any number of messages may wait for a wamid; "" is never found. */
	wa_fill_message(&m[2], &w.c, 3, MSG_DIR_OUT, 300);
	OK(fx, store_message_insert(fx->s, &m[2], &fx->e));
	wa_fill_message(&got, &w.c, 4, MSG_DIR_OUT, 300);
	OK(fx, store_message_insert(fx->s, &got, &fx->e));
	OK(fx, store_message_find_by_wamid(fx->s, w.a.id, "", &got, &found, &fx->e));
	assert_false(found);
	OK(fx, store_message_find_by_wamid(fx->s, w.a.id, "wamid.none", &got, &found, &fx->e));
	assert_false(found);
	ERR(fx, store_message_get(fx->s, w.a.id, "00000000000000000000dead", &got, &fx->e),
	    ERR_NOT_FOUND, "MESSAGE_NOT_FOUND");

	/* Duplicates: same id, or same wamid (inbound de-duplication), both MESSAGE_EXISTS. */
	wa_fill_message(&got, &w.c, 2, MSG_DIR_IN, 900);
	ERR(fx, store_message_insert(fx->s, &got, &fx->e), ERR_CONFLICT, "MESSAGE_EXISTS");
	store_fixture_make_id(got.id, WA_KIND_MESSAGE, 9);
	ERR(fx, store_message_insert(fx->s, &got, &fx->e), ERR_CONFLICT, "MESSAGE_EXISTS");
	wa_fill_message(&got, &w.c, 3, MSG_DIR_OUT, 900);
	ERR(fx, store_message_insert(fx->s, &got, &fx->e), ERR_CONFLICT, "MESSAGE_EXISTS");
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM messages"), 4);
	free(m);
}

static void count_conversation(void *arg, const struct conversation_row *row)
{
	(void)row;
	(*(int *)arg)++;
}

/* The outbound upsert: inserts once, then touches only the last-message fields; the
 * per-account conversation counter counts the conversation once. */
static void test_conversation_touch_outbound(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	wa_world_new(fx, &w, 1);
	struct conversation_row c, got;
	wa_fill_conversation(&c, w.a.id, w.n.phone_number_id, 7, 1000);
	str_copy_cstr(c.user_name, sizeof(c.user_name), "Asha");
	char id[IDS_SIZE];
	OK(fx, store_conversation_touch_outbound(fx->s, &c, id, &fx->e));
	assert_string_equal(id, c.id);

	struct conversation_row again = c;
	ids_new(2000, again.id); /* a fresh id, as each send makes one: the existing row wins */
	again.last_message_at = again.updated_at = 2000;
	str_copy_cstr(again.last_message_preview, sizeof(again.last_message_preview), "later");
	str_copy_cstr(again.last_message_type, sizeof(again.last_message_type), "image");
	str_copy_cstr(again.user_name, sizeof(again.user_name), "Not applied");
	again.unread_count = 9;
	OK(fx, store_conversation_touch_outbound(fx->s, &again, id, &fx->e));
	assert_string_equal(id, c.id);
	OK(fx, store_conversation_get(fx->s, w.a.id, c.id, &got, &fx->e));
	assert_int_equal(got.last_message_at, 2000);
	assert_int_equal(got.updated_at, 2000);
	assert_string_equal(got.last_message_preview, "later");
	assert_string_equal(got.last_message_type, "image");
	assert_string_equal(got.user_name, "Asha");
	assert_int_equal(got.unread_count, c.unread_count);
	assert_int_equal(got.created_at, 1000);

	int n = 0;
	int64_t total = 0;
	struct conversation_filter f = {.status = -1, .limit = 10};
	OK(fx, store_conversation_list(fx->s, w.a.id, &f, count_conversation, &n, &total, &fx->e));
	assert_int_equal(n, 2); /* the world's own conversation and this one */
	assert_int_equal(total, 2);
	str_copy_cstr(again.user_phone, sizeof(again.user_phone),
	              "12ab"); /* refused as by insert */
	ERR(fx, store_conversation_touch_outbound(fx->s, &again, id, &fx->e), ERR_CONFLICT,
	    "CONSTRAINT_VIOLATION");
}

static void test_messages_bad_values(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w, other;
	struct message_row m;
	wa_world_new(fx, &w, 1);
	wa_world_new(fx, &other, 2);
	/* The conversation must exist in the message's account. */
	wa_fill_message(&m, &other.c, 1, MSG_DIR_OUT, 100);
	str_copy_cstr(m.account_id, sizeof(m.account_id), w.a.id);
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	store_fixture_make_id(m.conversation_id, WA_KIND_CONV, 77);
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");

	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	memset(m.content, '{', sizeof(m.content));
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	memset(m.request, '{', sizeof(m.request));
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	memset(m.wa_message_id, 'w', sizeof(m.wa_message_id));
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	m.status = (enum msg_status)42;
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	m.direction = (enum msg_direction)5;
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	str_copy_cstr(m.user_phone, sizeof(m.user_phone), "+4915");
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	wa_fill_message(&m, &w.c, 1, MSG_DIR_OUT, 100);
	m.type[0] = '\0';
	ERR(fx, store_message_insert(fx->s, &m, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM messages"), 0);
}

static struct seen list(struct store_fixture *fx, const char *account_id,
                        const struct message_filter *f, int64_t *total)
{
	struct seen s = {0};
	*total = -1;
	OK(fx, store_message_list(fx->s, account_id, f, seen_message, &s, total, &fx->e));
	return s;
}

/* Six messages in two conversations: k, conversation, direction, created_at, status. */
static void insert_six(struct store_fixture *fx, const struct wa_world *w,
                       const struct conversation_row *c2)
{
	static const struct {
		int conv;
		enum msg_direction dir;
		int64_t at;
		enum msg_status st;
	} rows[] = {
	    {1, MSG_DIR_OUT, 100, MSG_STATUS_QUEUED},  {1, MSG_DIR_IN, 200, MSG_STATUS_RECEIVED},
	    {2, MSG_DIR_OUT, 300, MSG_STATUS_FAILED},  {1, MSG_DIR_OUT, 400, MSG_STATUS_QUEUED},
	    {2, MSG_DIR_IN, 200, MSG_STATUS_RECEIVED}, {1, MSG_DIR_OUT, 500, MSG_STATUS_DELIVERED},
	};
	struct message_row m;
	for (unsigned k = 1; k <= 6; k++) {
		wa_fill_message(&m, rows[k - 1].conv == 1 ? &w->c : c2, k, rows[k - 1].dir,
		                rows[k - 1].at);
		m.status = rows[k - 1].st;
		OK(fx, store_message_insert(fx->s, &m, &fx->e));
	}
}

static void test_messages_list_filters(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct conversation_row c2;
	int64_t total = 0;
	wa_world_new(fx, &w, 1);
	wa_fill_conversation(&c2, w.a.id, w.n.phone_number_id, 2, 100);
	OK(fx, store_conversation_insert(fx->s, &c2, &fx->e));
	insert_six(fx, &w, &c2);

	struct message_filter f = {NULL, -1, -1, 0, 0, 50, 0, false};
	struct seen s = list(fx, w.a.id, &f, &total); /* newest first; ties by id, descending */
	assert_int_equal(total, 6);
	assert_seen(&s, IDS(6, 4, 3, 5, 2, 1));
	f.oldest_first = true;
	s = list(fx, w.a.id, &f, &total);
	assert_seen(&s, IDS(1, 2, 5, 3, 4, 6));
	f.limit = 2;
	f.offset = 2;
	s = list(fx, w.a.id, &f, &total);
	assert_int_equal(total, 6);
	assert_seen(&s, IDS(5, 3));

	f = (struct message_filter){w.c.id, -1, -1, 0, 0, 50, 0, false};
	s = list(fx, w.a.id, &f, &total);
	assert_int_equal(total, 4);
	assert_seen(&s, IDS(6, 4, 2, 1));
	f.oldest_first = true;
	f.limit = 2;
	f.offset = 1;
	s = list(fx, w.a.id, &f, &total);
	assert_int_equal(total, 4);
	assert_seen(&s, IDS(2, 4));

	f = (struct message_filter){NULL, MSG_STATUS_QUEUED, -1, 0, 0, 50, 0, false};
	s = list(fx, w.a.id, &f, &total);
	assert_seen(&s, IDS(4, 1));
	f = (struct message_filter){NULL, -1, MSG_DIR_IN, 0, 0, 50, 0, false};
	s = list(fx, w.a.id, &f, &total);
	assert_int_equal(total, 2);
	assert_seen(&s, IDS(5, 2));
	f = (struct message_filter){NULL, -1, -1, 200, 400, 50, 0, false}; /* [200, 400) */
	s = list(fx, w.a.id, &f, &total);
	assert_int_equal(total, 3);
	assert_seen(&s, IDS(3, 5, 2));
	f = (struct message_filter){c2.id, -1, MSG_DIR_OUT, 0, 0, 50, 0, false};
	s = list(fx, w.a.id, &f, &total);
	assert_seen(&s, IDS(3));
	f = (struct message_filter){w.c.id, MSG_STATUS_DELIVERED, MSG_DIR_OUT, 500, 501, 50, 0,
	                            true};
	s = list(fx, w.a.id, &f, &total);
	assert_int_equal(total, 1);
	assert_seen(&s, IDS(6));
}

static void test_messages_tenant_scoping(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct account_row b;
	struct message_row m, got;
	bool found = true;
	int64_t total = 0;
	int events = 0;
	wa_world_new(fx, &w, 1);
	store_fixture_new_account(fx, &b);
	wa_fill_message(&m, &w.c, 1, MSG_DIR_IN, 100);
	OK(fx, store_message_insert(fx->s, &m, &fx->e));

	ERR(fx, store_message_get(fx->s, b.id, m.id, &got, &fx->e), ERR_NOT_FOUND,
	    "MESSAGE_NOT_FOUND");
	OK(fx, store_message_find_by_wamid(fx->s, b.id, m.wa_message_id, &got, &found, &fx->e));
	assert_false(found);
	struct message_filter f = {NULL, -1, -1, 0, 0, 50, 0, false};
	struct seen s = list(fx, b.id, &f, &total);
	assert_int_equal(total, 0);
	assert_int_equal(s.n, 0);
	f.conversation_id = w.c.id;
	s = list(fx, b.id, &f, &total);
	assert_int_equal(total, 0);
	OK(fx, store_message_events(fx->s, b.id, m.id, seen_event, &events, &fx->e));
	assert_int_equal(events, 0);
	/* B cannot file a message into A's conversation. */
	wa_fill_message(&got, &w.c, 2, MSG_DIR_OUT, 100);
	str_copy_cstr(got.account_id, sizeof(got.account_id), b.id);
	ERR(fx, store_message_insert(fx->s, &got, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
	OK(fx, store_message_get(fx->s, w.a.id, m.id, &got, &fx->e));
	assert_same_message(&got, &m);
}

/* ---- delivery report ------------------------------------------------------------------ */

#define DAY1 1704067200000LL /* 2024-01-01T00:00:00Z */
#define DAY_MS 86400000LL

struct report {
	int ndays;
	struct delivery_day days[4];
	int nerrors;
	int codes[8];
	int64_t counts[8];
};

static void on_day(void *arg, const struct delivery_day *d)
{
	struct report *r = arg;
	assert_true(r->ndays < 4);
	r->days[r->ndays++] = *d;
}

static void on_error(void *arg, int code, int64_t count)
{
	struct report *r = arg;
	assert_true(r->nerrors < 8);
	r->codes[r->nerrors] = code;
	r->counts[r->nerrors++] = count;
}

/* Inserts an outbound message k in c created at `at` with status st and error_code code. */
static void sent_row(struct store_fixture *fx, const struct conversation_row *c, unsigned k,
                     int64_t at, enum msg_status st, int code)
{
	struct message_row m;
	wa_fill_message(&m, c, k, MSG_DIR_OUT, at);
	m.status = st;
	m.error_code = code;
	OK(fx, store_message_insert(fx->s, &m, &fx->e));
}

static void assert_day(const struct delivery_day *d, const char *day, const int64_t want[8])
{
	assert_string_equal(d->day, day);
	for (int i = 0; i < 8; i++)
		assert_int_equal(d->counts[i], want[i]);
}

/* Two days of one number plus noise the report must leave out: inbound, another account,
 * outside the range; a second number only when no number is asked for. */
static void test_delivery_report(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w, other;
	struct conversation_row c2;
	struct message_row in;
	struct report r;
	unsigned k = 0;
	wa_world_new(fx, &w, 1);
	wa_world_new(fx, &other, 2);
	wa_fill_conversation(&c2, w.a.id, "1000000000555", 3, 10);
	OK(fx, store_conversation_insert(fx->s, &c2, &fx->e));
	static const struct {
		int64_t at;
		enum msg_status st;
		int code;
	} rows[] = {
	    {DAY1 + 1, MSG_STATUS_DELIVERED, 0},
	    {DAY1 + 5000, MSG_STATUS_DELIVERED, 0},
	    {DAY1 + 9000, MSG_STATUS_READ, 0},
	    {DAY1 + 100, MSG_STATUS_FAILED, 131026},
	    {DAY1 + DAY_MS, MSG_STATUS_FAILED, 131026},
	    {DAY1 + DAY_MS + 1, MSG_STATUS_FAILED, 131026},
	    {DAY1 + DAY_MS + 2, MSG_STATUS_FAILED, 131047},
	    {DAY1 + DAY_MS + 3, MSG_STATUS_FAILED, 0},
	    {DAY1 + 2 * DAY_MS - 1, MSG_STATUS_SENT, 0},
	    {DAY1 - 1, MSG_STATUS_DELIVERED, 0},
	    {DAY1 + 2 * DAY_MS, MSG_STATUS_QUEUED, 0},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		sent_row(fx, &w.c, ++k, rows[i].at, rows[i].st, rows[i].code);
	for (int code = 1; code <= 5; code++)
		sent_row(fx, &c2, ++k, DAY1 + DAY_MS + 10, MSG_STATUS_FAILED, code);
	sent_row(fx, &other.c, ++k, DAY1 + 10, MSG_STATUS_DELIVERED, 0);
	wa_fill_message(&in, &w.c, ++k, MSG_DIR_IN, DAY1 + 10);
	OK(fx, store_message_insert(fx->s, &in, &fx->e));

	memset(&r, 0, sizeof(r));
	OK(fx, store_message_delivery_report(fx->s, w.a.id, DAY1, DAY1 + 2 * DAY_MS,
	                                     w.n.phone_number_id, on_day, on_error, &r, &fx->e));
	assert_int_equal(r.ndays, 2);
	assert_day(&r.days[0], "2024-01-01",
	           (const int64_t[8]){
	               [MSG_STATUS_DELIVERED] = 2, [MSG_STATUS_READ] = 1, [MSG_STATUS_FAILED] = 1});
	assert_day(&r.days[1], "2024-01-02",
	           (const int64_t[8]){[MSG_STATUS_FAILED] = 4, [MSG_STATUS_SENT] = 1});
	assert_int_equal(r.nerrors, 2);
	assert_int_equal(r.codes[0], 131026);
	assert_int_equal(r.counts[0], 3);
	assert_int_equal(r.codes[1], 131047);
	assert_int_equal(r.counts[1], 1);

	/* Every number, open end: at most five codes, most frequent first, ties by code. */
	memset(&r, 0, sizeof(r));
	OK(fx, store_message_delivery_report(fx->s, w.a.id, DAY1, 0, NULL, on_day, on_error, &r,
	                                     &fx->e));
	assert_int_equal(r.ndays, 3);
	assert_day(&r.days[1], "2024-01-02",
	           (const int64_t[8]){[MSG_STATUS_FAILED] = 9, [MSG_STATUS_SENT] = 1});
	assert_day(&r.days[2], "2024-01-03", (const int64_t[8]){[MSG_STATUS_QUEUED] = 1});
	assert_int_equal(r.nerrors, 5);
	static const int codes[] = {131026, 1, 2, 3, 4};
	for (int i = 0; i < 5; i++)
		assert_int_equal(r.codes[i], codes[i]);

	memset(&r, 0, sizeof(r));
	OK(fx, store_message_delivery_report(fx->s, other.a.id, DAY1 + DAY_MS, DAY1 + 2 * DAY_MS,
	                                     NULL, on_day, on_error, &r, &fx->e));
	assert_int_equal(r.ndays, 0);
	assert_int_equal(r.nerrors, 0);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_messages_insert_get_find),
	    STORE_FIXTURE_MIGRATED(test_messages_bad_values),
	    STORE_FIXTURE_MIGRATED(test_conversation_touch_outbound),
	    STORE_FIXTURE_MIGRATED(test_messages_list_filters),
	    STORE_FIXTURE_MIGRATED(test_messages_tenant_scoping),
	    STORE_FIXTURE_MIGRATED(test_delivery_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
