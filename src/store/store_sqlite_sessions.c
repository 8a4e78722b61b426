/* SQLite dashboard sessions. The lookup by token hash is global (it is how a request finds
 * its tenant); revocation is always scoped by account_id. Revoking is idempotent: an already
 * revoked session keeps its first revoked_at. */
#include "store/store_sqlite_internal.h"

#include <string.h>

int store_sqlite_sessions_insert(struct store *s, const struct session_row *r, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_SESSION_INSERT,
	                            "INSERT INTO sessions(id, account_id, user_id, token_hash, "
	                            "created_at, expires_at, revoked_at, ip, user_agent) "
	                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_field(st, 1, r->id, sizeof(r->id)) ||
	    !store_sqlite_bind_field(st, 2, r->account_id, sizeof(r->account_id)) ||
	    !store_sqlite_bind_field(st, 3, r->user_id, sizeof(r->user_id)) ||
	    !store_sqlite_bind_field(st, 4, r->token_hash, sizeof(r->token_hash)) ||
	    !store_sqlite_bind_i64(st, 5, r->created_at) ||
	    !store_sqlite_bind_i64(st, 6, r->expires_at) ||
	    !store_sqlite_bind_i64(st, 7, r->revoked_at) ||
	    !store_sqlite_bind_field(st, 8, r->ip, sizeof(r->ip)) ||
	    !store_sqlite_bind_field(st, 9, r->user_agent, sizeof(r->user_agent)))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, "SESSION_EXISTS", e);
}

static int read_session(sqlite3_stmt *st, struct session_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->user_id, sizeof(out->user_id), e) != 0 ||
	    store_sqlite_column_text(st, 3, out->token_hash, sizeof(out->token_hash), e) != 0 ||
	    store_sqlite_column_text(st, 7, out->ip, sizeof(out->ip), e) != 0 ||
	    store_sqlite_column_text(st, 8, out->user_agent, sizeof(out->user_agent), e) != 0)
		return ERR_INTERNAL;
	out->created_at = sqlite3_column_int64(st, 4);
	out->expires_at = sqlite3_column_int64(st, 5);
	out->revoked_at = sqlite3_column_int64(st, 6);
	return 0;
}

int store_sqlite_sessions_find_by_hash(struct store *s, const char *token_hash,
                                       struct session_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_SESSION_FIND_BY_HASH,
	                            "SELECT id, account_id, user_id, token_hash, created_at, "
	                            "expires_at, revoked_at, ip, user_agent FROM sessions "
	                            "WHERE token_hash = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, token_hash))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_session(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_sessions_revoke(struct store *s, const char *account_id, const char *session_id,
                                 int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_SESSION_REVOKE,
	                            "UPDATE sessions SET revoked_at = "
	                            "CASE WHEN revoked_at = 0 THEN ?3 ELSE revoked_at END "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, session_id) || !store_sqlite_bind_i64(st, 3, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "SESSION_NOT_FOUND", "session not found", e);
}

int store_sqlite_sessions_revoke_user(struct store *s, const char *account_id, const char *user_id,
                                      const char *keep_session_id, int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_SESSION_REVOKE_USER,
	                            "UPDATE sessions SET revoked_at = ?4 "
	                            "WHERE account_id = ?1 AND user_id = ?2 AND revoked_at = 0 "
	                            "AND (?3 IS NULL OR id <> ?3)",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, user_id) ||
	    !store_sqlite_bind_text(st, 3, keep_session_id) || !store_sqlite_bind_i64(st, 4, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}
