/* SQLite WhatsApp numbers. Meta's phone_number_id is unique across all accounts (a partial
 * unique index also keeps one default per account), so a write that makes a number the
 * default first clears the account's other default, inside a savepoint: all of it lands or
 * none. Every query but the global lookup, the list of all numbers and set_status (both for
 * the dispatcher) is scoped by account_id. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define NUMBER_COLUMNS                                                                             \
	"id, account_id, phone_number_id, waba_id, display_name, display_phone, verified_name, "   \
	"quality_rating, access_token_sealed, app_secret_sealed, throughput_mps, is_default, "     \
	"sandbox, status, status_reason, last_tested_at, created_at, updated_at"

#define NUMBER_STATUS_REASON_MAX sizeof(((struct number_row *)0)->status_reason)

static int check_number(const struct number_row *n, struct err *e)
{
	if (!store_sqlite_fits(n->id, sizeof(n->id)) ||
	    !store_sqlite_fits(n->account_id, sizeof(n->account_id)) ||
	    !store_sqlite_fits(n->phone_number_id, sizeof(n->phone_number_id)) ||
	    !store_sqlite_fits(n->waba_id, sizeof(n->waba_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(n->display_name, sizeof(n->display_name)) ||
	    !store_sqlite_fits(n->display_phone, sizeof(n->display_phone)) ||
	    !store_sqlite_fits(n->verified_name, sizeof(n->verified_name)))
		return store_sqlite_too_long("name", e);
	if (!store_sqlite_fits(n->quality_rating, sizeof(n->quality_rating)))
		return store_sqlite_too_long("quality rating", e);
	if (!store_sqlite_fits(n->access_token_sealed, sizeof(n->access_token_sealed)) ||
	    !store_sqlite_fits(n->app_secret_sealed, sizeof(n->app_secret_sealed)))
		return store_sqlite_too_long("sealed secret", e);
	if (!store_sqlite_fits(n->status_reason, sizeof(n->status_reason)))
		return store_sqlite_too_long("status reason", e);
	return 0;
}

/* Binds the columns insert and update share: ?1 id, ?2 account_id, ?3 phone_number_id,
 * ?4 waba_id, ?5 display_name, ?6 display_phone, ?7 verified_name, ?8 quality_rating,
 * ?9 access_token_sealed, ?10 app_secret_sealed, ?11 throughput_mps, ?12 is_default,
 * ?13 sandbox, ?14 status, ?15 status_reason, ?16 last_tested_at, ?17 updated_at. */
static bool bind_number(sqlite3_stmt *st, const struct number_row *n)
{
	return store_sqlite_bind_text(st, 1, n->id) &&
	       store_sqlite_bind_text(st, 2, n->account_id) &&
	       store_sqlite_bind_text(st, 3, n->phone_number_id) &&
	       store_sqlite_bind_text(st, 4, n->waba_id) &&
	       store_sqlite_bind_text(st, 5, n->display_name) &&
	       store_sqlite_bind_text(st, 6, n->display_phone) &&
	       store_sqlite_bind_text(st, 7, n->verified_name) &&
	       store_sqlite_bind_text(st, 8, n->quality_rating) &&
	       store_sqlite_bind_text(st, 9, n->access_token_sealed) &&
	       store_sqlite_bind_text(st, 10, n->app_secret_sealed) &&
	       store_sqlite_bind_i64(st, 11, n->throughput_mps) &&
	       store_sqlite_bind_i64(st, 12, n->is_default ? 1 : 0) &&
	       store_sqlite_bind_i64(st, 13, n->sandbox ? 1 : 0) &&
	       store_sqlite_bind_text(st, 14, store_number_status_name(n->status)) &&
	       store_sqlite_bind_text(st, 15, n->status_reason) &&
	       store_sqlite_bind_i64(st, 16, n->last_tested_at) &&
	       store_sqlite_bind_i64(st, 17, n->updated_at);
}

static int read_number(sqlite3_stmt *st, struct number_row *out, struct err *e)
{
	char status[16];
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->phone_number_id, sizeof(out->phone_number_id),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 3, out->waba_id, sizeof(out->waba_id), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->display_name, sizeof(out->display_name), e) != 0 ||
	    store_sqlite_column_text(st, 5, out->display_phone, sizeof(out->display_phone), e) !=
	        0 ||
	    store_sqlite_column_text(st, 6, out->verified_name, sizeof(out->verified_name), e) !=
	        0 ||
	    store_sqlite_column_text(st, 7, out->quality_rating, sizeof(out->quality_rating), e) !=
	        0 ||
	    store_sqlite_column_text(st, 8, out->access_token_sealed,
	                             sizeof(out->access_token_sealed), e) != 0 ||
	    store_sqlite_column_text(st, 9, out->app_secret_sealed, sizeof(out->app_secret_sealed),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 13, status, sizeof(status), e) != 0 ||
	    store_sqlite_column_text(st, 14, out->status_reason, sizeof(out->status_reason), e) !=
	        0)
		return ERR_INTERNAL;
	if (store_number_status_parse(status, &out->status) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown number status stored");
	out->throughput_mps = sqlite3_column_int(st, 10);
	out->is_default = sqlite3_column_int64(st, 11) != 0;
	out->sandbox = sqlite3_column_int64(st, 12) != 0;
	out->last_tested_at = sqlite3_column_int64(st, 15);
	out->created_at = sqlite3_column_int64(st, 16);
	out->updated_at = sqlite3_column_int64(st, 17);
	return 0;
}

/* Steps a bound number SELECT: one row -> *out, none -> *found false. Resets st. */
static int step_number(struct store_sqlite *q, sqlite3_stmt *st, struct number_row *out,
                       bool *found, struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_number(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

/* Clears the default flag of every number of account_id but keep_id, so keep_id can take it
 * without tripping the one-default index. The caller's savepoint undoes it on failure. */
static int clear_default(struct store_sqlite *q, const char *account_id, const char *keep_id,
                         int64_t now, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_CLEAR_DEFAULT,
	                            "UPDATE phone_numbers SET is_default = 0, updated_at = ?3 "
	                            "WHERE account_id = ?1 AND is_default = 1 AND id <> ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, keep_id) ||
	    !store_sqlite_bind_i64(st, 3, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

int store_sqlite_numbers_insert(struct store *s, const struct number_row *n, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	int ret = check_number(n, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_INSERT,
	                        "INSERT INTO phone_numbers(" NUMBER_COLUMNS ") VALUES (?1, ?2, ?3, "
	                        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?18, "
	                        "?17)",
	                        &st, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	if (n->is_default)
		ret = clear_default(q, n->account_id, n->id, n->updated_at, e);
	if (ret == 0 && (!bind_number(st, n) || !store_sqlite_bind_i64(st, 18, n->created_at)))
		ret = store_sqlite_bind_fail(q, st, e);
	else if (ret == 0)
		ret = store_sqlite_exec_stmt(q, st, "PHONE_NUMBER_IN_USE", e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

/* phone_number_id is the number's identity at Meta (conversations and messages refer to it)
 * and is not changed here: ?3 is bound but unused (SQLite allows gaps). */
int store_sqlite_numbers_update(struct store *s, const struct number_row *n, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	int ret = check_number(n, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_UPDATE,
	                        "UPDATE phone_numbers SET waba_id = ?4, display_name = ?5, "
	                        "display_phone = ?6, verified_name = ?7, quality_rating = ?8, "
	                        "access_token_sealed = ?9, app_secret_sealed = ?10, "
	                        "throughput_mps = ?11, is_default = ?12, sandbox = ?13, "
	                        "status = ?14, status_reason = ?15, last_tested_at = ?16, "
	                        "updated_at = ?17 WHERE account_id = ?2 AND id = ?1",
	                        &st, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	if (n->is_default)
		ret = clear_default(q, n->account_id, n->id, n->updated_at, e);
	if (ret == 0 && !bind_number(st, n))
		ret = store_sqlite_bind_fail(q, st, e);
	else if (ret == 0)
		ret = store_sqlite_exec_update(q, st, NULL, "PHONE_NUMBER_NOT_FOUND",
		                               "phone number not found", e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

int store_sqlite_numbers_delete(struct store *s, const char *account_id, const char *id,
                                struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_DELETE,
	                            "DELETE FROM phone_numbers WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "PHONE_NUMBER_NOT_FOUND",
	                                "phone number not found", e);
}

int store_sqlite_numbers_get(struct store *s, const char *account_id, const char *id,
                             struct number_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_GET,
	                            "SELECT " NUMBER_COLUMNS " FROM phone_numbers "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	ret = step_number(q, st, out, &found, e);
	if (ret == 0 && !found)
		ret = err_set(e, ERR_NOT_FOUND, "PHONE_NUMBER_NOT_FOUND", "phone number not found");
	return ret;
}

int store_sqlite_numbers_find(struct store *s, const char *account_id, const char *phone_number_id,
                              struct number_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_FIND,
	                            "SELECT " NUMBER_COLUMNS " FROM phone_numbers "
	                            "WHERE account_id = ?1 AND phone_number_id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, phone_number_id))
		return store_sqlite_bind_fail(q, st, e);
	return step_number(q, st, out, found, e);
}

int store_sqlite_numbers_find_global(struct store *s, const char *phone_number_id,
                                     struct number_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_FIND_GLOBAL,
	                            "SELECT " NUMBER_COLUMNS " FROM phone_numbers "
	                            "WHERE phone_number_id = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, phone_number_id))
		return store_sqlite_bind_fail(q, st, e);
	return step_number(q, st, out, found, e);
}

int store_sqlite_numbers_find_default(struct store *s, const char *account_id,
                                      struct number_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_FIND_DEFAULT,
	                            "SELECT " NUMBER_COLUMNS " FROM phone_numbers "
	                            "WHERE account_id = ?1 AND is_default = 1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id))
		return store_sqlite_bind_fail(q, st, e);
	return step_number(q, st, out, found, e);
}

/* Clearing first, then setting, in one savepoint: when id is not the account's, the
 * savepoint undoes the clearing and the old default stays. */
int store_sqlite_numbers_set_default(struct store *s, const char *account_id, const char *id,
                                     int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_SET_DEFAULT,
	                            "UPDATE phone_numbers SET is_default = 1, updated_at = ?3 "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = clear_default(q, account_id, id, now, e);
	if (ret == 0 && (!store_sqlite_bind_text(st, 1, account_id) ||
	                 !store_sqlite_bind_text(st, 2, id) || !store_sqlite_bind_i64(st, 3, now)))
		ret = store_sqlite_bind_fail(q, st, e);
	else if (ret == 0)
		ret = store_sqlite_exec_update(q, st, NULL, "PHONE_NUMBER_NOT_FOUND",
		                               "phone number not found", e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

int store_sqlite_numbers_list(struct store *s, const char *account_id,
                              void (*each)(void *arg, const struct number_row *row), void *arg,
                              struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	struct number_row row;
	int ret = account_id ? store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_LIST,
	                                         "SELECT " NUMBER_COLUMNS " FROM phone_numbers "
	                                         "WHERE account_id = ?1 ORDER BY created_at, id",
	                                         &st, e)
	                     : store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_LIST_ALL,
	                                         "SELECT " NUMBER_COLUMNS " FROM phone_numbers "
	                                         "ORDER BY created_at, id",
	                                         &st, e);
	if (ret != 0)
		return ret;
	if (account_id && !store_sqlite_bind_text(st, 1, account_id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = read_number(st, &row, e);
		if (ret == 0)
			each(arg, &row);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_numbers_set_status(struct store *s, const char *phone_number_id,
                                    enum number_status status, const char *reason, int64_t now,
                                    struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (!store_sqlite_fits(reason, NUMBER_STATUS_REASON_MAX))
		return store_sqlite_too_long("status reason", e);
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_NUMBER_SET_STATUS,
	                            "UPDATE phone_numbers SET status = ?2, status_reason = ?3, "
	                            "updated_at = ?4 WHERE phone_number_id = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, phone_number_id) ||
	    !store_sqlite_bind_text(st, 2, store_number_status_name(status)) ||
	    !store_sqlite_bind_text(st, 3, reason ? reason : "") ||
	    !store_sqlite_bind_i64(st, 4, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "PHONE_NUMBER_NOT_FOUND",
	                                "phone number not found", e);
}
