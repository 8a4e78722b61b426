/* Store suite for accounts, users and sessions (migrations 0001-0002): insert and lookups,
 * updates scoped to their account, counts, session revocation, and the enum names. Written
 * against store.h only, so every backend must pass it; the fixture picks the backend from
 * PIXELS_TEST_STORE_BACKEND and gives each test a fresh migrated database. */
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

static void fill_user(struct user_row *u, const char *account_id, const char *email)
{
	memset(u, 0, sizeof(*u));
	ids_new(clock_real_ms(), u->id);
	str_copy_cstr(u->account_id, sizeof(u->account_id), account_id);
	str_copy_cstr(u->email, sizeof(u->email), email);
	str_copy_cstr(u->name, sizeof(u->name), "Ada O'Brien");
	str_copy_cstr(u->password_hash, sizeof(u->password_hash), "$argon2id$v=19$m=65536$x$y");
	u->role = USER_ROLE_ADMIN;
	u->created_at = u->updated_at = 1700000000001;
}

static void new_user(struct store_fixture *fx, const char *account_id, struct user_row *u)
{
	char email[STORE_EMAIL_MAX];
	char id[IDS_SIZE];
	ids_new(clock_real_ms(), id);
	snprintf(email, sizeof(email), "user-%s@acme.test", id);
	fill_user(u, account_id, email);
	STORE_FIXTURE_OK(&fx->e, store_user_insert(fx->s, u, &fx->e));
}

static void fill_session(struct session_row *r, const char *account_id, const char *user_id)
{
	memset(r, 0, sizeof(*r));
	ids_new(clock_real_ms(), r->id);
	str_copy_cstr(r->account_id, sizeof(r->account_id), account_id);
	str_copy_cstr(r->user_id, sizeof(r->user_id), user_id);
	sec_random_hex(32, r->token_hash);
	r->created_at = 1700000000002;
	r->expires_at = 1700086400002;
	str_copy_cstr(r->ip, sizeof(r->ip), "203.0.113.7");
	str_copy_cstr(r->user_agent, sizeof(r->user_agent), "Mozilla/5.0 (conformance)");
}

static void new_session(struct store_fixture *fx, const char *account_id, const char *user_id,
                        struct session_row *r)
{
	fill_session(r, account_id, user_id);
	STORE_FIXTURE_OK(&fx->e, store_session_insert(fx->s, r, &fx->e));
}

static struct session_row find_session(struct store_fixture *fx, const char *hash)
{
	struct session_row r;
	bool found = false;
	STORE_FIXTURE_OK(&fx->e, store_session_find_by_hash(fx->s, hash, &r, &found, &fx->e));
	assert_true(found);
	return r;
}

/* ---- accounts -------------------------------------------------------------------------- */

static void test_accounts(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, got;
	store_fixture_new_account(fx, &a);
	STORE_FIXTURE_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));
	assert_string_equal(got.id, a.id);
	assert_string_equal(got.name, a.name);
	assert_string_equal(got.email, a.email);
	assert_int_equal(got.status, ACCOUNT_STATUS_ACTIVE);
	assert_int_equal(got.created_at, a.created_at);
	assert_int_equal(got.deleted_at, 0);
	STORE_FIXTURE_ERR(&fx->e, store_account_insert(fx->s, &a, &fx->e), ERR_CONFLICT,
	                  "ID_EXISTS");

	STORE_FIXTURE_OK(&fx->e, store_account_set_status(fx->s, a.id, ACCOUNT_STATUS_SUSPENDED,
	                                                  1800000000000, &fx->e));
	STORE_FIXTURE_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));
	assert_int_equal(got.status, ACCOUNT_STATUS_SUSPENDED);
	assert_int_equal(got.updated_at, 1800000000000);

	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	STORE_FIXTURE_ERR(&fx->e, store_account_get(fx->s, missing, &got, &fx->e), ERR_NOT_FOUND,
	                  "ACCOUNT_NOT_FOUND");
	STORE_FIXTURE_ERR(
	    &fx->e, store_account_set_status(fx->s, missing, ACCOUNT_STATUS_ACTIVE, 1, &fx->e),
	    ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND");

	STORE_FIXTURE_OK(&fx->e, store_account_soft_delete(fx->s, a.id, 1900000000000, &fx->e));
	STORE_FIXTURE_ERR(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e), ERR_NOT_FOUND,
	                  "ACCOUNT_NOT_FOUND");
	STORE_FIXTURE_ERR(&fx->e, store_account_soft_delete(fx->s, a.id, 1900000000001, &fx->e),
	                  ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND");
	STORE_FIXTURE_ERR(&fx->e,
	                  store_account_set_status(fx->s, a.id, ACCOUNT_STATUS_ACTIVE, 1, &fx->e),
	                  ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND");
}

/* ---- users ------------------------------------------------------------------------------ */

static void assert_same_user(const struct user_row *got, const struct user_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->email, want->email);
	assert_string_equal(got->name, want->name);
	assert_string_equal(got->password_hash, want->password_hash);
	assert_int_equal(got->role, want->role);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

static void test_users_insert_and_find(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct user_row u, dup, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	fill_user(&u, a.id, "o'brien+1@acme.test");
	STORE_FIXTURE_OK(&fx->e, store_user_insert(fx->s, &u, &fx->e));

	fill_user(&dup, b.id, u.email);
	STORE_FIXTURE_ERR(&fx->e, store_user_insert(fx->s, &dup, &fx->e), ERR_CONFLICT,
	                  "EMAIL_EXISTS");

	STORE_FIXTURE_OK(&fx->e, store_user_find_by_email(fx->s, u.email, &got, &found, &fx->e));
	assert_true(found);
	assert_same_user(&got, &u);
	STORE_FIXTURE_OK(&fx->e,
	                 store_user_find_by_email(fx->s, "nobody@acme.test", &got, &found, &fx->e));
	assert_false(found);

	STORE_FIXTURE_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_same_user(&got, &u);
	STORE_FIXTURE_ERR(&fx->e, store_user_get(fx->s, b.id, u.id, &got, &fx->e), ERR_NOT_FOUND,
	                  "USER_NOT_FOUND");

	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	fill_user(&dup, missing, "orphan@acme.test");
	STORE_FIXTURE_ERR(&fx->e, store_user_insert(fx->s, &dup, &fx->e), ERR_CONFLICT,
	                  "REFERENCE_MISSING");
}

static void test_users_updates_are_scoped(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct user_row u, other, got;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	new_user(fx, a.id, &u);
	new_user(fx, b.id, &other);

	STORE_FIXTURE_ERR(
	    &fx->e, store_user_update_password(fx->s, b.id, u.id, "$argon2id$evil", 5, &fx->e),
	    ERR_NOT_FOUND, "USER_NOT_FOUND");
	STORE_FIXTURE_ERR(
	    &fx->e,
	    store_user_update_profile(fx->s, b.id, u.id, "Mallory", "m@evil.test", 5, &fx->e),
	    ERR_NOT_FOUND, "USER_NOT_FOUND");
	STORE_FIXTURE_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_same_user(&got, &u);

	STORE_FIXTURE_OK(&fx->e,
	                 store_user_update_password(fx->s, a.id, u.id, "$argon2id$new", 7, &fx->e));
	STORE_FIXTURE_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_string_equal(got.password_hash, "$argon2id$new");
	assert_int_equal(got.updated_at, 7);

	STORE_FIXTURE_OK(&fx->e, store_user_update_profile(fx->s, a.id, u.id, "Ada L",
	                                                   "ada@acme.test", 8, &fx->e));
	STORE_FIXTURE_OK(&fx->e,
	                 store_user_update_profile(fx->s, a.id, u.id, NULL, NULL, 9, &fx->e));
	STORE_FIXTURE_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_string_equal(got.name, "Ada L");
	assert_string_equal(got.email, "ada@acme.test");
	assert_string_equal(got.password_hash, "$argon2id$new");
	assert_int_equal(got.updated_at, 9);

	STORE_FIXTURE_ERR(
	    &fx->e,
	    store_user_update_profile(fx->s, b.id, other.id, NULL, "ada@acme.test", 10, &fx->e),
	    ERR_CONFLICT, "EMAIL_EXISTS");
}

static void test_user_count(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct user_row u;
	int64_t n = -1;
	STORE_FIXTURE_OK(&fx->e, store_user_count(fx->s, &n, &fx->e));
	assert_int_equal(n, 0);
	store_fixture_new_account(fx, &a);
	new_user(fx, a.id, &u);
	new_user(fx, a.id, &u);
	STORE_FIXTURE_OK(&fx->e, store_user_count(fx->s, &n, &fx->e));
	assert_int_equal(n, 2);
}

/* ---- sessions ------------------------------------------------------------------------- */

static void test_sessions_insert_find_revoke(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct user_row u;
	struct session_row r, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	new_user(fx, a.id, &u);
	new_session(fx, a.id, u.id, &r);

	got = find_session(fx, r.token_hash);
	assert_string_equal(got.id, r.id);
	assert_string_equal(got.account_id, a.id);
	assert_string_equal(got.user_id, u.id);
	assert_string_equal(got.token_hash, r.token_hash);
	assert_int_equal(got.created_at, r.created_at);
	assert_int_equal(got.expires_at, r.expires_at);
	assert_int_equal(got.revoked_at, 0);
	assert_string_equal(got.ip, r.ip);
	assert_string_equal(got.user_agent, r.user_agent);

	char other_hash[SEC_SHA256_HEX];
	sec_random_hex(32, other_hash);
	STORE_FIXTURE_OK(&fx->e,
	                 store_session_find_by_hash(fx->s, other_hash, &got, &found, &fx->e));
	assert_false(found);

	STORE_FIXTURE_ERR(&fx->e, store_session_revoke(fx->s, b.id, r.id, 100, &fx->e),
	                  ERR_NOT_FOUND, "SESSION_NOT_FOUND");
	assert_int_equal(find_session(fx, r.token_hash).revoked_at, 0);

	STORE_FIXTURE_OK(&fx->e, store_session_revoke(fx->s, a.id, r.id, 100, &fx->e));
	assert_int_equal(find_session(fx, r.token_hash).revoked_at, 100);
	STORE_FIXTURE_OK(&fx->e, store_session_revoke(fx->s, a.id, r.id, 200, &fx->e));
	assert_int_equal(find_session(fx, r.token_hash).revoked_at, 100);

	struct session_row dup;
	fill_session(&dup, a.id, u.id);
	str_copy_cstr(dup.token_hash, sizeof(dup.token_hash), r.token_hash);
	STORE_FIXTURE_ERR(&fx->e, store_session_insert(fx->s, &dup, &fx->e), ERR_CONFLICT,
	                  "SESSION_EXISTS");
	/* A session must name a user of its own account. */
	fill_session(&dup, b.id, u.id);
	STORE_FIXTURE_ERR(&fx->e, store_session_insert(fx->s, &dup, &fx->e), ERR_CONFLICT,
	                  "REFERENCE_MISSING");
}

static void test_sessions_revoke_user(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct user_row u, v;
	struct session_row s1, s2, keep, other;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	new_user(fx, a.id, &u);
	new_user(fx, a.id, &v);
	new_session(fx, a.id, u.id, &s1);
	new_session(fx, a.id, u.id, &s2);
	new_session(fx, a.id, u.id, &keep);
	new_session(fx, a.id, v.id, &other);

	STORE_FIXTURE_OK(&fx->e, store_session_revoke_user(fx->s, b.id, u.id, NULL, 50, &fx->e));
	assert_int_equal(find_session(fx, s1.token_hash).revoked_at, 0);

	STORE_FIXTURE_OK(&fx->e, store_session_revoke(fx->s, a.id, s2.id, 40, &fx->e));
	STORE_FIXTURE_OK(&fx->e, store_session_revoke_user(fx->s, a.id, u.id, keep.id, 60, &fx->e));
	assert_int_equal(find_session(fx, s1.token_hash).revoked_at, 60);
	assert_int_equal(find_session(fx, s2.token_hash).revoked_at, 40);
	assert_int_equal(find_session(fx, keep.token_hash).revoked_at, 0);
	assert_int_equal(find_session(fx, other.token_hash).revoked_at, 0);

	STORE_FIXTURE_OK(&fx->e, store_session_revoke_user(fx->s, a.id, u.id, NULL, 70, &fx->e));
	assert_int_equal(find_session(fx, keep.token_hash).revoked_at, 70);
	assert_int_equal(find_session(fx, s1.token_hash).revoked_at, 60);
	assert_int_equal(find_session(fx, other.token_hash).revoked_at, 0);
}

static void test_enum_names(void **state)
{
	(void)state;
	enum account_status st;
	enum user_role role;
	assert_string_equal(store_account_status_name(ACCOUNT_STATUS_ACTIVE), "active");
	assert_string_equal(store_account_status_name(ACCOUNT_STATUS_SUSPENDED), "suspended");
	assert_int_equal(store_account_status_parse("suspended", &st), 0);
	assert_int_equal(st, ACCOUNT_STATUS_SUSPENDED);
	assert_int_equal(store_account_status_parse("Active", &st), -1);
	assert_string_equal(store_user_role_name(USER_ROLE_OWNER), "owner");
	assert_string_equal(store_user_role_name(USER_ROLE_ADMIN), "admin");
	assert_string_equal(store_user_role_name(USER_ROLE_AGENT), "agent");
	assert_int_equal(store_user_role_parse("agent", &role), 0);
	assert_int_equal(role, USER_ROLE_AGENT);
	assert_int_equal(store_user_role_parse("root", &role), -1);
	assert_int_equal(store_user_role_parse(NULL, &role), -1);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_accounts),
	    STORE_FIXTURE_MIGRATED(test_users_insert_and_find),
	    STORE_FIXTURE_MIGRATED(test_users_updates_are_scoped),
	    STORE_FIXTURE_MIGRATED(test_user_count),
	    STORE_FIXTURE_MIGRATED(test_sessions_insert_find_revoke),
	    STORE_FIXTURE_MIGRATED(test_sessions_revoke_user),
	    cmocka_unit_test(test_enum_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
