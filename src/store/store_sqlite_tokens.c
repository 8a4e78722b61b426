/* SQLite integration tokens and the IPs each token was used from. The lookup by hash is the
 * one global query (it is how an API request finds its tenant); every other statement is
 * scoped by account_id, so another account's token id reads as missing. Only a keyed hash
 * of a token is ever stored. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define TOKEN_COLUMNS                                                                              \
	"id, account_id, token_hash, prefix, created_by, created_at, expires_at, "                 \
	"last_used_at, last_used_ip, revoked_at"

static int check_token(const struct token_row *t, struct err *e)
{
	if (!store_sqlite_fits(t->id, sizeof(t->id)) ||
	    !store_sqlite_fits(t->account_id, sizeof(t->account_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(t->token_hash, sizeof(t->token_hash)))
		return store_sqlite_too_long("token hash", e);
	if (!store_sqlite_fits(t->prefix, sizeof(t->prefix)))
		return store_sqlite_too_long("prefix", e);
	if (!store_sqlite_fits(t->created_by, sizeof(t->created_by)))
		return store_sqlite_too_long("created_by", e);
	if (!store_sqlite_fits(t->last_used_ip, sizeof(t->last_used_ip)))
		return store_sqlite_too_long("last used ip", e);
	return 0;
}

int store_sqlite_tokens_insert(struct store *s, const struct token_row *t, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_token(t, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_INSERT,
	                        "INSERT INTO integration_tokens(" TOKEN_COLUMNS ") "
	                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                        &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, t->id) ||
	    !store_sqlite_bind_text(st, 2, t->account_id) ||
	    !store_sqlite_bind_text(st, 3, t->token_hash) ||
	    !store_sqlite_bind_text(st, 4, t->prefix) ||
	    !store_sqlite_bind_text(st, 5, t->created_by) ||
	    !store_sqlite_bind_i64(st, 6, t->created_at) ||
	    !store_sqlite_bind_i64(st, 7, t->expires_at) ||
	    !store_sqlite_bind_i64(st, 8, t->last_used_at) ||
	    !store_sqlite_bind_text(st, 9, t->last_used_ip) ||
	    !store_sqlite_bind_i64(st, 10, t->revoked_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, "TOKEN_EXISTS", e);
}

int store_sqlite_tokens_revoke_all(struct store *s, const char *account_id, int64_t now, int *count,
                                   struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*count = 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_REVOKE_ALL,
	                            "UPDATE integration_tokens SET revoked_at = ?2 "
	                            "WHERE account_id = ?1 AND revoked_at = 0",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_i64(st, 2, now))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0)
		*count = sqlite3_changes(q->db);
	return ret;
}

static int read_token(sqlite3_stmt *st, struct token_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->token_hash, sizeof(out->token_hash), e) != 0 ||
	    store_sqlite_column_text(st, 3, out->prefix, sizeof(out->prefix), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->created_by, sizeof(out->created_by), e) != 0 ||
	    store_sqlite_column_text(st, 8, out->last_used_ip, sizeof(out->last_used_ip), e) != 0)
		return ERR_INTERNAL;
	out->created_at = sqlite3_column_int64(st, 5);
	out->expires_at = sqlite3_column_int64(st, 6);
	out->last_used_at = sqlite3_column_int64(st, 7);
	out->revoked_at = sqlite3_column_int64(st, 9);
	return 0;
}

/* Steps a bound token SELECT: its first row -> *out, none -> *found false. Resets st. */
static int step_token(struct store_sqlite *q, sqlite3_stmt *st, struct token_row *out, bool *found,
                      struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_token(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_tokens_find_by_hash(struct store *s, const char *token_hash, struct token_row *out,
                                     bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_FIND_BY_HASH,
	                            "SELECT " TOKEN_COLUMNS " FROM integration_tokens "
	                            "WHERE token_hash = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, token_hash))
		return store_sqlite_bind_fail(q, st, e);
	return step_token(q, st, out, found, e);
}

int store_sqlite_tokens_find_current(struct store *s, const char *account_id, struct token_row *out,
                                     bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_FIND_CURRENT,
	                            "SELECT " TOKEN_COLUMNS " FROM integration_tokens "
	                            "WHERE account_id = ?1 AND revoked_at = 0 "
	                            "ORDER BY created_at DESC, id DESC LIMIT 1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id))
		return store_sqlite_bind_fail(q, st, e);
	return step_token(q, st, out, found, e);
}

int store_sqlite_tokens_touch(struct store *s, const char *account_id, const char *token_id,
                              int64_t now, const char *ip, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (!store_sqlite_fits(ip, STORE_IP_MAX))
		return store_sqlite_too_long("ip", e);
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_TOUCH,
	                            "UPDATE integration_tokens SET last_used_at = ?3, "
	                            "last_used_ip = COALESCE(?4, '') "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, token_id) || !store_sqlite_bind_i64(st, 3, now) ||
	    !store_sqlite_bind_text(st, 4, ip))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "TOKEN_NOT_FOUND", "token not found", e);
}

/* Is token_id a token of account_id? */
static int token_exists(struct store_sqlite *q, const char *account_id, const char *token_id,
                        bool *exists, struct err *e)
{
	sqlite3_stmt *st;
	*exists = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_EXISTS,
	                            "SELECT 1 FROM integration_tokens "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, token_id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	*exists = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

/* The row is copied from the token itself, so nothing is inserted unless the token belongs
 * to account_id. ON CONFLICT DO NOTHING (rather than INSERT OR IGNORE) skips only a known
 * (token, ip) pair: any other constraint still fails loudly. When nothing was inserted, a
 * second query tells "already known" from "no such token". */
int store_sqlite_tokens_ip_remember(struct store *s, const char *account_id, const char *token_id,
                                    const char *ip, int64_t now, bool *is_new, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*is_new = false;
	if (!store_sqlite_fits(ip, STORE_IP_MAX))
		return store_sqlite_too_long("ip", e);
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TOKEN_IP_INSERT,
	                            "INSERT INTO integration_token_ips(account_id, token_id, ip, "
	                            "first_seen_at) SELECT account_id, id, ?3, ?4 "
	                            "FROM integration_tokens WHERE account_id = ?1 AND id = ?2 "
	                            "ON CONFLICT (token_id, ip) DO NOTHING",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, token_id) || !store_sqlite_bind_text(st, 3, ip) ||
	    !store_sqlite_bind_i64(st, 4, now))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret != 0)
		return ret;
	*is_new = sqlite3_changes(q->db) == 1;
	if (*is_new)
		return 0;
	bool exists = false;
	ret = token_exists(q, account_id, token_id, &exists, e);
	if (ret == 0 && !exists)
		ret = err_set(e, ERR_NOT_FOUND, "TOKEN_NOT_FOUND", "token not found");
	return ret;
}
