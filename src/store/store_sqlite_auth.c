/* SQLite accounts and users. Every user query but the login lookup by email filters by
 * account_id, so a user id from another tenant reads as missing. Text longer than the row
 * structs can hold is refused on the way in, so whatever is stored can be read back whole. */
#include "store/store_sqlite_internal.h"

#include <string.h>

static bool fits(const char *s, size_t cap)
{
	return !s || strnlen(s, cap) < cap;
}

static int too_long(const char *field, struct err *e)
{
	return err_set(e, ERR_INVALID, "VALUE_TOO_LONG", "%s is too long to store", field);
}

int store_sqlite_auth_account_insert(struct store *s, const struct account_row *a, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_ACCOUNT_INSERT,
	                            "INSERT INTO accounts(id, name, email, status, created_at, "
	                            "updated_at, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_field(st, 1, a->id, sizeof(a->id)) ||
	    !store_sqlite_bind_field(st, 2, a->name, sizeof(a->name)) ||
	    !store_sqlite_bind_field(st, 3, a->email, sizeof(a->email)) ||
	    !store_sqlite_bind_text(st, 4, store_account_status_name(a->status)) ||
	    !store_sqlite_bind_i64(st, 5, a->created_at) ||
	    !store_sqlite_bind_i64(st, 6, a->updated_at) ||
	    !store_sqlite_bind_i64(st, 7, a->deleted_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

static int read_account(sqlite3_stmt *st, struct account_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	char status[16];
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->name, sizeof(out->name), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->email, sizeof(out->email), e) != 0 ||
	    store_sqlite_column_text(st, 3, status, sizeof(status), e) != 0)
		return ERR_INTERNAL;
	if (store_account_status_parse(status, &out->status) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown account status stored");
	out->created_at = sqlite3_column_int64(st, 4);
	out->updated_at = sqlite3_column_int64(st, 5);
	out->deleted_at = sqlite3_column_int64(st, 6);
	return 0;
}

int store_sqlite_auth_account_get(struct store *s, const char *account_id, struct account_row *out,
                                  struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_ACCOUNT_GET,
	                            "SELECT id, name, email, status, created_at, updated_at, "
	                            "deleted_at FROM accounts WHERE id = ?1 AND deleted_at = 0",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ret = read_account(st, out, e);
	else if (rc == SQLITE_DONE)
		ret = err_set(e, ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND", "account not found");
	else
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_auth_account_set_status(struct store *s, const char *account_id,
                                         enum account_status status, int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_ACCOUNT_SET_STATUS,
	                            "UPDATE accounts SET status = ?2, updated_at = ?3 "
	                            "WHERE id = ?1 AND deleted_at = 0",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, store_account_status_name(status)) ||
	    !store_sqlite_bind_i64(st, 3, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "ACCOUNT_NOT_FOUND", "account not found", e);
}

int store_sqlite_auth_account_soft_delete(struct store *s, const char *account_id, int64_t now,
                                          struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_ACCOUNT_SOFT_DELETE,
	                            "UPDATE accounts SET deleted_at = ?2, updated_at = ?2 "
	                            "WHERE id = ?1 AND deleted_at = 0",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_i64(st, 2, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "ACCOUNT_NOT_FOUND", "account not found", e);
}

int store_sqlite_auth_user_insert(struct store *s, const struct user_row *u, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_USER_INSERT,
	                            "INSERT INTO users(id, account_id, email, name, password_hash, "
	                            "role, created_at, updated_at) "
	                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_field(st, 1, u->id, sizeof(u->id)) ||
	    !store_sqlite_bind_field(st, 2, u->account_id, sizeof(u->account_id)) ||
	    !store_sqlite_bind_field(st, 3, u->email, sizeof(u->email)) ||
	    !store_sqlite_bind_field(st, 4, u->name, sizeof(u->name)) ||
	    !store_sqlite_bind_field(st, 5, u->password_hash, sizeof(u->password_hash)) ||
	    !store_sqlite_bind_text(st, 6, store_user_role_name(u->role)) ||
	    !store_sqlite_bind_i64(st, 7, u->created_at) ||
	    !store_sqlite_bind_i64(st, 8, u->updated_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, "EMAIL_EXISTS", e);
}

static int read_user(sqlite3_stmt *st, struct user_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	char role[16];
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->email, sizeof(out->email), e) != 0 ||
	    store_sqlite_column_text(st, 3, out->name, sizeof(out->name), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->password_hash, sizeof(out->password_hash), e) !=
	        0 ||
	    store_sqlite_column_text(st, 5, role, sizeof(role), e) != 0)
		return ERR_INTERNAL;
	if (store_user_role_parse(role, &out->role) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown user role stored");
	out->created_at = sqlite3_column_int64(st, 6);
	out->updated_at = sqlite3_column_int64(st, 7);
	return 0;
}

/* Steps a bound user SELECT: one row -> *out, none -> *found false. Resets st. */
static int step_user(struct store_sqlite *q, sqlite3_stmt *st, struct user_row *out, bool *found,
                     struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_user(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_auth_user_find_by_email(struct store *s, const char *email, struct user_row *out,
                                         bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_USER_FIND_BY_EMAIL,
	                            "SELECT id, account_id, email, name, password_hash, role, "
	                            "created_at, updated_at FROM users WHERE email = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, email))
		return store_sqlite_bind_fail(q, st, e);
	return step_user(q, st, out, found, e);
}

int store_sqlite_auth_user_get(struct store *s, const char *account_id, const char *user_id,
                               struct user_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_USER_GET,
	                            "SELECT id, account_id, email, name, password_hash, role, "
	                            "created_at, updated_at FROM users "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, user_id))
		return store_sqlite_bind_fail(q, st, e);
	ret = step_user(q, st, out, &found, e);
	if (ret == 0 && !found)
		ret = err_set(e, ERR_NOT_FOUND, "USER_NOT_FOUND", "user not found");
	return ret;
}

int store_sqlite_auth_user_update_password(struct store *s, const char *account_id,
                                           const char *user_id, const char *password_hash,
                                           int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (!password_hash || !fits(password_hash, SEC_PWHASH_MAX))
		return too_long("password hash", e);
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_USER_UPDATE_PASSWORD,
	                            "UPDATE users SET password_hash = ?3, updated_at = ?4 "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, user_id) ||
	    !store_sqlite_bind_text(st, 3, password_hash) || !store_sqlite_bind_i64(st, 4, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "USER_NOT_FOUND", "user not found", e);
}

int store_sqlite_auth_user_update_profile(struct store *s, const char *account_id,
                                          const char *user_id, const char *name, const char *email,
                                          int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (!fits(name, STORE_NAME_MAX))
		return too_long("name", e);
	if (!fits(email, STORE_EMAIL_MAX))
		return too_long("email", e);
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_USER_UPDATE_PROFILE,
	                            "UPDATE users SET name = COALESCE(?3, name), "
	                            "email = COALESCE(?4, email), updated_at = ?5 "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, user_id) ||
	    !store_sqlite_bind_text(st, 3, name) || !store_sqlite_bind_text(st, 4, email) ||
	    !store_sqlite_bind_i64(st, 5, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, "EMAIL_EXISTS", "USER_NOT_FOUND", "user not found",
	                                e);
}

int store_sqlite_auth_user_count(struct store *s, int64_t *count, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*count = 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_USER_COUNT, "SELECT count(*) FROM users",
	                            &st, e);
	if (ret != 0)
		return ret;
	return store_sqlite_one_i64(q, st, count, e);
}
