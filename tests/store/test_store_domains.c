/* Store suite for the tokens and audit domains of migration 0002 (contacts have their own
 * suite, test_store_contacts.c): the migration itself, integration tokens and the IPs they
 * were used from, the audit log. Written against store.h only, so every backend must pass it
 * unchanged; the fixture (tests/support/store_fixture.h) picks the backend from
 * PIXELS_TEST_STORE_BACKEND and gives each test a fresh database. */
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

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)
#define IDS(...) STORE_FIXTURE_LIST(__VA_ARGS__)

static const struct store_fixture_backend *be;

/* ---- builders ---------------------------------------------------------------------------- */

static void fill_token(struct token_row *t, const char *account_id, int64_t created_at)
{
	memset(t, 0, sizeof(*t));
	ids_new(clock_real_ms(), t->id);
	str_copy_cstr(t->account_id, sizeof(t->account_id), account_id);
	sec_random_hex(32, t->token_hash);
	snprintf(t->prefix, sizeof(t->prefix), "wpi_int_%.4s", t->token_hash);
	t->created_at = created_at;
	t->expires_at = created_at + 90LL * 86400000;
}

static void new_token(struct store_fixture *fx, const char *account_id, int64_t created_at,
                      struct token_row *t)
{
	fill_token(t, account_id, created_at);
	OK(fx, store_token_insert(fx->s, t, &fx->e));
}

static struct token_row find_token(struct store_fixture *fx, const char *hash)
{
	struct token_row t;
	bool found = false;
	OK(fx, store_token_find_by_hash(fx->s, hash, &t, &found, &fx->e));
	assert_true(found);
	return t;
}

static void assert_same_token(const struct token_row *got, const struct token_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->token_hash, want->token_hash);
	assert_string_equal(got->prefix, want->prefix);
	assert_string_equal(got->created_by, want->created_by);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->expires_at, want->expires_at);
	assert_int_equal(got->last_used_at, want->last_used_at);
	assert_string_equal(got->last_used_ip, want->last_used_ip);
	assert_int_equal(got->revoked_at, want->revoked_at);
}

static void fill_audit(struct audit_row *a, const char *account_id, unsigned n, int64_t at,
                       const char *action)
{
	memset(a, 0, sizeof(*a));
	store_fixture_make_id(a->id, 0xa0d17, n);
	str_copy_cstr(a->account_id, sizeof(a->account_id), account_id);
	str_copy_cstr(a->actor_type, sizeof(a->actor_type), "user");
	store_fixture_make_id(a->actor_id, 0x05e1, n);
	str_copy_cstr(a->actor_label, sizeof(a->actor_label), "ada@acme.test");
	str_copy_cstr(a->action, sizeof(a->action), action);
	snprintf(a->target, sizeof(a->target), "contact:%u", n);
	str_copy_cstr(a->ip, sizeof(a->ip), "2001:db8::7");
	str_copy_cstr(a->user_agent, sizeof(a->user_agent), "Mozilla/5.0 (domains)");
	str_copy_cstr(a->details, sizeof(a->details), "{\"name\":\"O'Brien \\\"Bob\\\"\",\"n\":1}");
	a->created_at = at;
}

#define SEEN_MAX 16

/* What a list call handed to its callback, in order. */
struct seen {
	int n;
	char ids[SEEN_MAX][IDS_SIZE];
	struct audit_row rows[SEEN_MAX];
};

static void seen_row(void *arg, const struct audit_row *row)
{
	struct seen *s = arg;
	assert_true(s->n < SEEN_MAX);
	str_copy_cstr(s->ids[s->n], IDS_SIZE, row->id);
	s->rows[s->n++] = *row;
}

/* Asserts the rows seen carry ids store_fixture_make_id(kind, want[0..count)) in that order. */
static void assert_seen(const struct seen *s, unsigned kind, size_t count, const unsigned *want)
{
	char id[IDS_SIZE];
	assert_int_equal(s->n, count);
	for (size_t i = 0; i < count; i++) {
		store_fixture_make_id(id, kind, want[i]);
		assert_string_equal(s->ids[i], id);
	}
}

static struct seen *list_audit(struct store_fixture *fx, const char *account_id, const char *action,
                               int64_t limit, int64_t offset, int64_t *total)
{
	static struct seen s;
	struct audit_filter f = {action, limit, offset};
	memset(&s, 0, sizeof(s));
	OK(fx, store_audit_list(fx->s, account_id, &f, seen_row, &s, total, &fx->e));
	return &s;
}

/* ---- migrations ------------------------------------------------------------------------- */

static const char *const domain_tables[] = {"integration_tokens", "integration_token_ips",
                                            "audit_events", "contacts", "contact_tags"};

static void test_migrate_from_empty(void **state)
{
	struct store_fixture *fx = *state;
	int v = -1;
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, 0);
	OK(fx, store_migrate(fx->s, &fx->e));
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_true(v >= 2);
	assert_int_equal(v, be->expected_version());
	for (size_t i = 0; i < sizeof(domain_tables) / sizeof(domain_tables[0]); i++)
		assert_true(be->table_exists(&fx->db, domain_tables[i]));
}

/* A database left at version 1 with data in it is brought up to date without loss. */
static void test_migrate_from_version_1(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, got;
	struct token_row t;
	int v = -1;
	be->migrate_to(&fx->db, 1);
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, 1);
	assert_false(be->table_exists(&fx->db, "contacts"));
	store_fixture_new_account(fx, &a);

	OK(fx, store_migrate(fx->s, &fx->e));
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, be->expected_version());
	for (size_t i = 0; i < sizeof(domain_tables) / sizeof(domain_tables[0]); i++)
		assert_true(be->table_exists(&fx->db, domain_tables[i]));
	OK(fx, store_account_get(fx->s, a.id, &got, &fx->e));
	new_token(fx, a.id, 100, &t);
	struct token_row back = find_token(fx, t.token_hash);
	assert_same_token(&back, &t);
}

/* ---- integration tokens ----------------------------------------------------------------- */

static void test_tokens_insert_and_find(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct token_row t, plain, dup, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	fill_token(&t, a.id, 100);
	store_fixture_make_id(t.created_by, 0x05e1, 1);
	OK(fx, store_token_insert(fx->s, &t, &fx->e));
	got = find_token(fx, t.token_hash);
	assert_same_token(&got, &t);

	new_token(fx, a.id, 200, &plain); /* created_by "" (outside a session) */
	got = find_token(fx, plain.token_hash);
	assert_same_token(&got, &plain);

	char other[SEC_SHA256_HEX];
	sec_random_hex(32, other);
	OK(fx, store_token_find_by_hash(fx->s, other, &got, &found, &fx->e));
	assert_false(found);

	fill_token(&dup, a.id, 300);
	str_copy_cstr(dup.token_hash, sizeof(dup.token_hash), t.token_hash);
	ERR(fx, store_token_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "TOKEN_EXISTS");
	fill_token(&dup, a.id, 300);
	str_copy_cstr(dup.id, sizeof(dup.id), t.id);
	ERR(fx, store_token_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "ID_EXISTS");
	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	fill_token(&dup, missing, 300);
	ERR(fx, store_token_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
	fill_token(&dup, a.id, 300);
	memset(dup.prefix, 'w', sizeof(dup.prefix)); /* no room for the terminator */
	ERR(fx, store_token_insert(fx->s, &dup, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
}

static void test_tokens_current_and_revoke_all(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b, c;
	struct token_row oldest, expired, revoked, middle, other, fresh, got;
	bool found = false;
	int count = -1;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	store_fixture_new_account(fx, &c);
	new_token(fx, a.id, 100, &oldest);
	fill_token(&expired, a.id, 300);
	expired.expires_at = 150;
	OK(fx, store_token_insert(fx->s, &expired, &fx->e));
	fill_token(&revoked, a.id, 400);
	revoked.revoked_at = 450;
	OK(fx, store_token_insert(fx->s, &revoked, &fx->e));
	new_token(fx, a.id, 200, &middle);
	new_token(fx, b.id, 500, &other);

	/* The newest live token, expired or not; a revoked newer one does not count. */
	OK(fx, store_token_find_current(fx->s, a.id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_token(&got, &expired);
	OK(fx, store_token_find_current(fx->s, b.id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_token(&got, &other);
	OK(fx, store_token_find_current(fx->s, c.id, &got, &found, &fx->e));
	assert_false(found);

	OK(fx, store_token_revoke_all(fx->s, c.id, 900, &count, &fx->e));
	assert_int_equal(count, 0);
	OK(fx, store_token_revoke_all(fx->s, a.id, 1000, &count, &fx->e));
	assert_int_equal(count, 3);
	OK(fx, store_token_revoke_all(fx->s, a.id, 1100, &count, &fx->e));
	assert_int_equal(count, 0);
	OK(fx, store_token_find_current(fx->s, a.id, &got, &found, &fx->e));
	assert_false(found);
	assert_int_equal(find_token(fx, oldest.token_hash).revoked_at, 1000);
	assert_int_equal(find_token(fx, expired.token_hash).revoked_at, 1000);
	assert_int_equal(find_token(fx, middle.token_hash).revoked_at, 1000);
	assert_int_equal(find_token(fx, revoked.token_hash).revoked_at, 450);
	/* Another account's tokens are untouched. */
	assert_int_equal(find_token(fx, other.token_hash).revoked_at, 0);
	OK(fx, store_token_find_current(fx->s, b.id, &got, &found, &fx->e));
	assert_true(found);

	new_token(fx, a.id, 600, &fresh);
	OK(fx, store_token_find_current(fx->s, a.id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_token(&got, &fresh);
}

static void test_tokens_touch_and_ips(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct token_row ta, tb, got;
	bool is_new = false;
	char missing[IDS_SIZE], long_ip[STORE_IP_MAX + 1];
	memset(long_ip, '1', STORE_IP_MAX);
	long_ip[STORE_IP_MAX] = '\0';
	ids_new(clock_real_ms(), missing);
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	new_token(fx, a.id, 100, &ta);
	new_token(fx, b.id, 100, &tb);

	OK(fx, store_token_touch(fx->s, a.id, ta.id, 700, "198.51.100.4", &fx->e));
	got = find_token(fx, ta.token_hash);
	assert_int_equal(got.last_used_at, 700);
	assert_string_equal(got.last_used_ip, "198.51.100.4");
	ERR(fx, store_token_touch(fx->s, b.id, ta.id, 800, "203.0.113.66", &fx->e), ERR_NOT_FOUND,
	    "TOKEN_NOT_FOUND");
	ERR(fx, store_token_touch(fx->s, a.id, missing, 800, "203.0.113.66", &fx->e), ERR_NOT_FOUND,
	    "TOKEN_NOT_FOUND");
	ERR(fx, store_token_touch(fx->s, a.id, ta.id, 800, long_ip, &fx->e), ERR_INVALID,
	    "VALUE_TOO_LONG");
	got = find_token(fx, ta.token_hash);
	assert_int_equal(got.last_used_at, 700);
	assert_string_equal(got.last_used_ip, "198.51.100.4");
	assert_int_equal(find_token(fx, tb.token_hash).last_used_at, 0);

	OK(fx, store_token_ip_remember(fx->s, a.id, ta.id, "198.51.100.4", 700, &is_new, &fx->e));
	assert_true(is_new);
	OK(fx, store_token_ip_remember(fx->s, a.id, ta.id, "198.51.100.4", 710, &is_new, &fx->e));
	assert_false(is_new);
	OK(fx, store_token_ip_remember(fx->s, a.id, ta.id, "2001:db8::1", 720, &is_new, &fx->e));
	assert_true(is_new);
	/* An IP is new per token: B's token has never been used from it. */
	OK(fx, store_token_ip_remember(fx->s, b.id, tb.id, "198.51.100.4", 730, &is_new, &fx->e));
	assert_true(is_new);
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM integration_token_ips"), 3);

	is_new = true;
	ERR(fx, store_token_ip_remember(fx->s, b.id, ta.id, "203.0.113.9", 740, &is_new, &fx->e),
	    ERR_NOT_FOUND, "TOKEN_NOT_FOUND");
	assert_false(is_new);
	ERR(fx, store_token_ip_remember(fx->s, b.id, ta.id, "198.51.100.4", 740, &is_new, &fx->e),
	    ERR_NOT_FOUND, "TOKEN_NOT_FOUND");
	ERR(fx, store_token_ip_remember(fx->s, a.id, missing, "203.0.113.9", 740, &is_new, &fx->e),
	    ERR_NOT_FOUND, "TOKEN_NOT_FOUND");
	ERR(fx, store_token_ip_remember(fx->s, a.id, ta.id, long_ip, 740, &is_new, &fx->e),
	    ERR_INVALID, "VALUE_TOO_LONG");
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM integration_token_ips"), 3);
}

/* ---- audit log -------------------------------------------------------------------------- */

static void test_audit_list(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b, c;
	struct audit_row ev[5], other;
	int64_t total = -1;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	store_fixture_new_account(fx, &c);
	fill_audit(&ev[0], a.id, 1, 100, "auth.login");
	fill_audit(&ev[1], a.id, 2, 300, "token.generated");
	fill_audit(&ev[2], a.id, 3, 200, "auth.login");
	fill_audit(&ev[3], a.id, 4, 300, "auth.login");
	fill_audit(&ev[4], a.id, 5, 50, "contact.created");
	str_copy_cstr(ev[4].actor_type, sizeof(ev[4].actor_type), "system");
	ev[4].actor_id[0] = ev[4].actor_label[0] = ev[4].details[0] = '\0';
	for (int i = 0; i < 5; i++)
		OK(fx, store_audit_insert(fx->s, &ev[i], &fx->e));
	fill_audit(&other, b.id, 6, 999, "auth.login");
	OK(fx, store_audit_insert(fx->s, &other, &fx->e));
	fill_audit(&other, b.id, 7, 1, "contact.created");
	OK(fx, store_audit_insert(fx->s, &other, &fx->e));

	/* Newest first; equal times fall back to the id, newest first too. */
	struct seen *s = list_audit(fx, a.id, NULL, 50, 0, &total);
	assert_int_equal(total, 5);
	assert_seen(s, 0xa0d17, IDS(4, 2, 3, 1, 5));
	for (int i = 0; i < 5; i++) {
		const struct audit_row *want = &ev[(s->ids[i][23] - '0') - 1];
		assert_string_equal(s->rows[i].account_id, want->account_id);
		assert_string_equal(s->rows[i].actor_type, want->actor_type);
		assert_string_equal(s->rows[i].actor_id, want->actor_id);
		assert_string_equal(s->rows[i].actor_label, want->actor_label);
		assert_string_equal(s->rows[i].action, want->action);
		assert_string_equal(s->rows[i].target, want->target);
		assert_string_equal(s->rows[i].ip, want->ip);
		assert_string_equal(s->rows[i].user_agent, want->user_agent);
		assert_string_equal(s->rows[i].details, want->details);
		assert_int_equal(s->rows[i].created_at, want->created_at);
	}

	s = list_audit(fx, a.id, "auth.login", 50, 0, &total);
	assert_int_equal(total, 3);
	assert_seen(s, 0xa0d17, IDS(4, 3, 1));
	s = list_audit(fx, a.id, "auth.login", 1, 1, &total);
	assert_int_equal(total, 3);
	assert_seen(s, 0xa0d17, IDS(3));
	s = list_audit(fx, a.id, "auth", 50, 0, &total); /* exact match, not a prefix */
	assert_int_equal(total, 0);
	assert_int_equal(s->n, 0);

	s = list_audit(fx, a.id, NULL, 2, 1, &total);
	assert_int_equal(total, 5);
	assert_seen(s, 0xa0d17, IDS(2, 3));
	s = list_audit(fx, a.id, NULL, 2, 4, &total);
	assert_int_equal(total, 5);
	assert_seen(s, 0xa0d17, IDS(5));
	s = list_audit(fx, a.id, NULL, 2, 10, &total);
	assert_int_equal(total, 5);
	assert_int_equal(s->n, 0);

	s = list_audit(fx, b.id, NULL, 50, 0, &total);
	assert_int_equal(total, 2);
	assert_seen(s, 0xa0d17, IDS(6, 7));
	s = list_audit(fx, b.id, "token.generated", 50, 0, &total);
	assert_int_equal(total, 0);
	s = list_audit(fx, c.id, NULL, 50, 0, &total);
	assert_int_equal(total, 0);
	assert_int_equal(s->n, 0);
}

static void test_audit_insert_errors(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct audit_row ev;
	char missing[IDS_SIZE];
	int64_t total = -1;
	store_fixture_new_account(fx, &a);
	fill_audit(&ev, a.id, 1, 100, "auth.login");
	OK(fx, store_audit_insert(fx->s, &ev, &fx->e));
	ERR(fx, store_audit_insert(fx->s, &ev, &fx->e), ERR_CONFLICT, "ID_EXISTS");
	ids_new(clock_real_ms(), missing);
	fill_audit(&ev, missing, 2, 100, "auth.login");
	ERR(fx, store_audit_insert(fx->s, &ev, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
	fill_audit(&ev, a.id, 3, 100, "auth.login");
	memset(ev.details, '{', sizeof(ev.details));
	ERR(fx, store_audit_insert(fx->s, &ev, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	list_audit(fx, a.id, NULL, 50, 0, &total);
	assert_int_equal(total, 1);
}

/* A list inside the caller's transaction sees its uncommitted rows and leaves it open. */
static void test_audit_list_inside_transaction(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct audit_row ev;
	int64_t total = -1;
	store_fixture_new_account(fx, &a);
	OK(fx, store_begin(fx->s, &fx->e));
	fill_audit(&ev, a.id, 1, 100, "contact.created");
	OK(fx, store_audit_insert(fx->s, &ev, &fx->e));
	list_audit(fx, a.id, NULL, 50, 0, &total);
	assert_int_equal(total, 1);
	fill_audit(&ev, a.id, 2, 200, "contact.updated");
	OK(fx, store_audit_insert(fx->s, &ev, &fx->e));
	OK(fx, store_commit(fx->s, &fx->e));
	list_audit(fx, a.id, NULL, 50, 0, &total);
	assert_int_equal(total, 2);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrate_from_empty, store_fixture_setup_empty,
	                                    store_fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_from_version_1, store_fixture_setup_empty,
	                                    store_fixture_teardown),
	    STORE_FIXTURE_MIGRATED(test_tokens_insert_and_find),
	    STORE_FIXTURE_MIGRATED(test_tokens_current_and_revoke_all),
	    STORE_FIXTURE_MIGRATED(test_tokens_touch_and_ips),
	    STORE_FIXTURE_MIGRATED(test_audit_list),
	    STORE_FIXTURE_MIGRATED(test_audit_insert_errors),
	    STORE_FIXTURE_MIGRATED(test_audit_list_inside_transaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
