/* Retention and clean-up writes: purging processed webhook bodies and held statuses that never
 * found their message, and failing the queued messages of a removed number. */
#include "store/store_sqlite.h"

#include "store/store_sqlite_internal.h"

static int exec_count(struct store_sqlite *q, sqlite3_stmt *st, int64_t *count, struct err *e)
{
	int rc = sqlite3_step(st);
	int ret = 0;
	if (rc == SQLITE_DONE)
		*count += sqlite3_changes(q->db);
	else
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_inbox_purge(struct store *s, int64_t processed_before, int64_t held_before,
                             int64_t *deleted, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*deleted = 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_INBOX_PURGE,
	                            "DELETE FROM webhook_inbox WHERE processed_at > 0 AND "
	                            "processed_at < ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, processed_before))
		return store_sqlite_bind_fail(q, st, e);
	ret = exec_count(q, st, deleted, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_HELD_PURGE,
	                        "DELETE FROM pending_statuses WHERE received_at < ?1", &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, held_before))
		return store_sqlite_bind_fail(q, st, e);
	return exec_count(q, st, deleted, e);
}

int store_sqlite_message_fail_queued(struct store *s, const char *account_id,
                                     const char *phone_number_id, int64_t now, int code,
                                     const char *title, const char *message, int *count,
                                     struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int64_t n = 0;
	int ret =
	    store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_FAIL_QUEUED,
	                      "UPDATE messages SET status = 'failed', failed_at = ?3, "
	                      "updated_at = ?3, error_code = ?4, error_title = ?5, "
	                      "error_message = ?6 WHERE account_id = ?1 AND "
	                      "phone_number_id = ?2 AND status = 'queued' AND direction = 'out'",
	                      &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, phone_number_id) || !store_sqlite_bind_i64(st, 3, now) ||
	    !store_sqlite_bind_i64(st, 4, code) || !store_sqlite_bind_text(st, 5, title) ||
	    !store_sqlite_bind_text(st, 6, message))
		return store_sqlite_bind_fail(q, st, e);
	ret = exec_count(q, st, &n, e);
	*count = (int)n;
	return ret;
}
