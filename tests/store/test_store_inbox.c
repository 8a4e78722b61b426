/* Store suite for idempotency keys, the webhook inbox and template status events (migration
 * 0003). Written against store.h only, so every backend must pass it; the fixture picks the
 * backend from PIXELS_TEST_STORE_BACKEND, each test gets a fresh database. */
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

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)

#define HOUR_MS 3600000LL
#define T0 1700000000000LL

static const struct store_fixture_backend *be;

/* ---- idempotency keys ---------------------------------------------------------------------- */

static void fill_idem(struct idem_row *r, const char *account_id, const char *key, int64_t at,
                      const char *response)
{
	memset(r, 0, sizeof(*r));
	str_copy_cstr(r->account_id, sizeof(r->account_id), account_id);
	str_copy_cstr(r->key, sizeof(r->key), key);
	sec_random_hex(32, r->request_hash);
	store_fixture_make_id(r->message_id, 0x3e55, (unsigned)(at % 1000));
	r->status_code = 202;
	str_copy_cstr(r->response, sizeof(r->response), response);
	r->created_at = at;
}

static void assert_same_idem(const struct idem_row *got, const struct idem_row *want)
{
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->key, want->key);
	assert_string_equal(got->request_hash, want->request_hash);
	assert_string_equal(got->message_id, want->message_id);
	assert_int_equal(got->status_code, want->status_code);
	assert_string_equal(got->response, want->response);
	assert_int_equal(got->created_at, want->created_at);
}

static void test_idempotency_live_expired_conflict(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct idem_row r, again, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	OK(fx, store_idem_find(fx->s, a.id, "order-42", T0, &got, &found, &fx->e));
	assert_false(found);

	fill_idem(&r, a.id, "order-42", T0, "{\"success\":true,\"data\":{\"id\":\"m1\"}}");
	OK(fx, store_idem_insert(fx->s, &r, &fx->e));
	OK(fx, store_idem_find(fx->s, a.id, "order-42", T0 + HOUR_MS, &got, &found, &fx->e));
	assert_true(found);
	assert_same_idem(&got, &r);
	OK(fx, store_idem_find(fx->s, a.id, "order-42", T0 + 24 * HOUR_MS, &got, &found, &fx->e));
	assert_true(found); /* exactly 24 h old: still live */

	/* A live duplicate is refused and changes nothing; other accounts have their own keys. */
	fill_idem(&again, a.id, "order-42", T0 + 2 * HOUR_MS, "{}");
	ERR(fx, store_idem_insert(fx->s, &again, &fx->e), ERR_CONFLICT, "IDEMPOTENCY_KEY_EXISTS");
	OK(fx, store_idem_find(fx->s, a.id, "order-42", T0 + 3 * HOUR_MS, &got, &found, &fx->e));
	assert_same_idem(&got, &r);
	fill_idem(&again, b.id, "order-42", T0, "{\"b\":1}");
	OK(fx, store_idem_insert(fx->s, &again, &fx->e));
	OK(fx, store_idem_find(fx->s, b.id, "order-42", T0, &got, &found, &fx->e));
	assert_same_idem(&got, &again);

	/* Older than 24 h: absent, and replaced by the next insert. */
	int64_t later = T0 + 24 * HOUR_MS + 1;
	OK(fx, store_idem_find(fx->s, a.id, "order-42", later, &got, &found, &fx->e));
	assert_false(found);
	fill_idem(&again, a.id, "order-42", later, "{\"second\":true}");
	OK(fx, store_idem_insert(fx->s, &again, &fx->e));
	OK(fx, store_idem_find(fx->s, a.id, "order-42", later, &got, &found, &fx->e));
	assert_true(found);
	assert_same_idem(&got, &again);
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM idempotency_keys"), 2);

	fill_idem(&again, a.id, "big", T0, "");
	memset(again.response, 'r', sizeof(again.response));
	ERR(fx, store_idem_insert(fx->s, &again, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	fill_idem(&again, a.id, "", T0, "{}");
	ERR(fx, store_idem_insert(fx->s, &again, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
}

/* Inside the caller's transaction the replace is undone with it: the expired row is back. */
static void test_idempotency_replace_is_atomic(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct idem_row r, again, got;
	bool found = false;
	store_fixture_new_account(fx, &a);
	fill_idem(&r, a.id, "k", T0, "{\"first\":1}");
	OK(fx, store_idem_insert(fx->s, &r, &fx->e));
	OK(fx, store_begin(fx->s, &fx->e));
	fill_idem(&again, a.id, "k", T0 + 25 * HOUR_MS, "{\"second\":2}");
	OK(fx, store_idem_insert(fx->s, &again, &fx->e));
	store_rollback(fx->s);
	OK(fx, store_idem_find(fx->s, a.id, "k", T0 + HOUR_MS, &got, &found, &fx->e));
	assert_true(found);
	assert_same_idem(&got, &r);
}

/* The first answer recorded for a key is the one kept. */
static void test_idempotency_set_response(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct idem_row r, got;
	bool found = false;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	fill_idem(&r, a.id, "k1", T0, "");
	r.status_code = 0; /* inserted with the message, answered later */
	OK(fx, store_idem_insert(fx->s, &r, &fx->e));
	OK(fx, store_idem_find(fx->s, a.id, "k1", T0, &got, &found, &fx->e));
	assert_same_idem(&got, &r);

	OK(fx, store_idem_set_response(fx->s, a.id, "k1", 202, "{\"status\":\"queued\"}", &fx->e));
	OK(fx, store_idem_set_response(fx->s, a.id, "k1", 500, "{\"late\":1}", &fx->e));
	OK(fx, store_idem_find(fx->s, a.id, "k1", T0, &got, &found, &fx->e));
	r.status_code = 202;
	str_copy_cstr(r.response, sizeof(r.response), "{\"status\":\"queued\"}");
	assert_same_idem(&got, &r);
	ERR(fx, store_idem_set_response(fx->s, b.id, "k1", 200, "{}", &fx->e), ERR_NOT_FOUND,
	    "IDEMPOTENCY_KEY_NOT_FOUND");
	ERR(fx, store_idem_set_response(fx->s, a.id, "k2", 200, "{}", &fx->e), ERR_NOT_FOUND,
	    "IDEMPOTENCY_KEY_NOT_FOUND");
	char big[5000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ERR(fx, store_idem_set_response(fx->s, a.id, "k1", 200, big, &fx->e), ERR_INVALID,
	    "VALUE_TOO_LONG");
}

/* ---- webhook inbox ------------------------------------------------------------------------- */

#define INBOX_MAX 8

struct fetched {
	int n;
	int64_t seq[INBOX_MAX];
	int64_t received_at[INBOX_MAX];
	char body[INBOX_MAX][64];
	size_t len[INBOX_MAX];
};

/* Copies what it needs: the body is only borrowed for the call. */
static void on_row(void *arg, const struct inbox_row *row)
{
	struct fetched *f = arg;
	assert_true(f->n < INBOX_MAX);
	assert_true(row->body_len < sizeof(f->body[0]));
	f->seq[f->n] = row->seq;
	f->received_at[f->n] = row->received_at;
	memcpy(f->body[f->n], row->body, row->body_len);
	f->len[f->n++] = row->body_len;
}

static struct fetched fetch(struct store_fixture *fx, int max)
{
	struct fetched f;
	memset(&f, 0, sizeof(f));
	OK(fx, store_inbox_fetch(fx->s, max, on_row, &f, &fx->e));
	return f;
}

static void test_inbox_order_and_mark_done(void **state)
{
	struct store_fixture *fx = *state;
	static const char *const bodies[] = {"{\"entry\":[1]}", "{\"entry\":[2]}",
	                                     "{\"entry\":[3]}"};
	int64_t seq[3] = {0};
	for (int i = 0; i < 3; i++) {
		OK(fx, store_inbox_insert(fx->s, bodies[i], strlen(bodies[i]), T0 + i, &seq[i],
		                          &fx->e));
		assert_true(i == 0 || seq[i] > seq[i - 1]);
	}
	/* A body is kept byte for byte, an embedded NUL included. */
	static const char nul_body[] = {'{', '}', '\0', 'x'};
	int64_t seq4 = 0;
	OK(fx, store_inbox_insert(fx->s, nul_body, sizeof(nul_body), T0 + 3, &seq4, &fx->e));

	struct fetched f = fetch(fx, 10);
	assert_int_equal(f.n, 4);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f.seq[i], seq[i]);
		assert_int_equal(f.received_at[i], T0 + i);
		assert_int_equal(f.len[i], strlen(bodies[i]));
		assert_string_equal(f.body[i], bodies[i]);
	}
	assert_int_equal(f.len[3], sizeof(nul_body));
	assert_memory_equal(f.body[3], nul_body, sizeof(nul_body));
	f = fetch(fx, 2);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.seq[1], seq[1]);

	OK(fx, store_inbox_mark_done(fx->s, seq[1], T0 + 100, &fx->e));
	OK(fx, store_inbox_mark_done(fx->s, seq[1], T0 + 200, &fx->e)); /* first time kept */
	OK(fx, store_inbox_mark_done(fx->s, seq[0], T0 + 100, &fx->e));
	f = fetch(fx, 10);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.seq[0], seq[2]);
	assert_int_equal(f.seq[1], seq4);
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM webhook_inbox "
	                                    "WHERE processed_at = 1700000000100"),
	                 2);
	ERR(fx, store_inbox_mark_done(fx->s, seq4 + 100, T0, &fx->e), ERR_NOT_FOUND,
	    "INBOX_ROW_NOT_FOUND");
	f = fetch(fx, 0);
	assert_int_equal(f.n, 0);
}

/* ---- template events --------------------------------------------------------------------- */

static void test_template_events(void **state)
{
	struct store_fixture *fx = *state;
	char long_name[600];
	OK(fx, store_template_event_insert(fx->s, "2000000001", "987654321", "order_update",
	                                   "en_US", "APPROVED", NULL, T0, &fx->e));
	OK(fx, store_template_event_insert(fx->s, "2000000001", "987654321", "order_update",
	                                   "en_US", "REJECTED", "INVALID_FORMAT", T0 + 1, &fx->e));
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM template_events "
	                                    "WHERE template_id = '987654321'"),
	                 2);
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM template_events "
	                                    "WHERE reason = '' AND event = 'APPROVED'"),
	                 1);
	ERR(fx,
	    store_template_event_insert(fx->s, "2000000001", "1", "x", "en", "", NULL, T0, &fx->e),
	    ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ERR(fx,
	    store_template_event_insert(fx->s, "2000000001", "1", long_name, "en", "APPROVED", NULL,
	                                T0, &fx->e),
	    ERR_INVALID, "VALUE_TOO_LONG");
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM template_events"), 2);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_idempotency_live_expired_conflict),
	    STORE_FIXTURE_MIGRATED(test_idempotency_replace_is_atomic),
	    STORE_FIXTURE_MIGRATED(test_idempotency_set_response),
	    STORE_FIXTURE_MIGRATED(test_inbox_order_and_mark_done),
	    STORE_FIXTURE_MIGRATED(test_template_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
