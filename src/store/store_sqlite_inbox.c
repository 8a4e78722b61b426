/* SQLite idempotency keys, the webhook inbox and template status events. An idempotency row
 * lives 24 hours: older ones read as absent and the next insert of that key replaces them.
 * The inbox and template events are global (webhooks arrive before any tenant is known);
 * idempotency keys are scoped by account_id. */
#include "store/store_sqlite_internal.h"

#include <limits.h>
#include <string.h>

#define IDEM_TTL_MS (24LL * 60 * 60 * 1000)

/* Bounds for template event text (no row struct holds it): Meta's template names are at
 * most 512 characters, its reasons short sentences. */
#define TEMPLATE_NAME_MAX 513
#define TEMPLATE_LANGUAGE_MAX 32
#define TEMPLATE_EVENT_MAX 64
#define TEMPLATE_REASON_MAX 1024

int store_sqlite_inbox_idem_find(struct store *s, const char *account_id, const char *key,
                                 int64_t now, struct idem_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_IDEM_FIND,
	                            "SELECT account_id, key, request_hash, status_code, response, "
	                            "created_at, message_id FROM idempotency_keys "
	                            "WHERE account_id = ?1 AND key = ?2 AND created_at >= ?3",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, key) ||
	    !store_sqlite_bind_i64(st, 3, now - IDEM_TTL_MS))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		if (store_sqlite_column_text(st, 0, out->account_id, sizeof(out->account_id), e) !=
		        0 ||
		    store_sqlite_column_text(st, 1, out->key, sizeof(out->key), e) != 0 ||
		    store_sqlite_column_text(st, 2, out->request_hash, sizeof(out->request_hash),
		                             e) != 0 ||
		    store_sqlite_column_text(st, 4, out->response, sizeof(out->response), e) != 0 ||
		    store_sqlite_column_text(st, 6, out->message_id, sizeof(out->message_id), e) !=
		        0)
			ret = ERR_INTERNAL;
		out->status_code = sqlite3_column_int(st, 3);
		out->created_at = sqlite3_column_int64(st, 5);
	} else if (rc != SQLITE_DONE) {
		ret = store_sqlite_fail(q, rc, NULL, e);
	}
	store_sqlite_done(st);
	return ret;
}

static int check_idem(const struct idem_row *r, struct err *e)
{
	if (!store_sqlite_fits(r->account_id, sizeof(r->account_id)) ||
	    !store_sqlite_fits(r->message_id, sizeof(r->message_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(r->key, sizeof(r->key)))
		return store_sqlite_too_long("idempotency key", e);
	if (!store_sqlite_fits(r->request_hash, sizeof(r->request_hash)))
		return store_sqlite_too_long("request hash", e);
	if (!store_sqlite_fits(r->response, sizeof(r->response)))
		return store_sqlite_too_long("response", e);
	return 0;
}

/* Removes the key's row when it expired by r->created_at (the insert's "now"). */
static int idem_expire(struct store_sqlite *q, const struct idem_row *r, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_IDEM_EXPIRE,
	                            "DELETE FROM idempotency_keys "
	                            "WHERE account_id = ?1 AND key = ?2 AND created_at < ?3",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, r->account_id) ||
	    !store_sqlite_bind_text(st, 2, r->key) ||
	    !store_sqlite_bind_i64(st, 3, r->created_at - IDEM_TTL_MS))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

static bool bind_idem(sqlite3_stmt *st, const struct idem_row *r)
{
	return store_sqlite_bind_text(st, 1, r->account_id) &&
	       store_sqlite_bind_text(st, 2, r->key) &&
	       store_sqlite_bind_text(st, 3, r->request_hash) &&
	       store_sqlite_bind_i64(st, 4, r->status_code) &&
	       store_sqlite_bind_text(st, 5, r->response) &&
	       store_sqlite_bind_i64(st, 6, r->created_at) &&
	       store_sqlite_bind_text(st, 7, r->message_id);
}

/* DELETE first, then INSERT, in a savepoint. The insert ignores a key conflict and reports
 * it by having changed no row, so a live duplicate is IDEMPOTENCY_KEY_EXISTS rather than
 * the generic ID_EXISTS. */
int store_sqlite_inbox_idem_insert(struct store *s, const struct idem_row *r, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	int ret = check_idem(r, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_IDEM_INSERT,
	    "INSERT INTO idempotency_keys(account_id, key, request_hash, "
	    "status_code, response, created_at, message_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (account_id, key) DO NOTHING",
	    &st, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = idem_expire(q, r, e);
	if (ret == 0 && !bind_idem(st, r))
		ret = store_sqlite_bind_fail(q, st, e);
	else if (ret == 0)
		ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0 && sqlite3_changes(q->db) == 0)
		ret = err_set(e, ERR_CONFLICT, "IDEMPOTENCY_KEY_EXISTS",
		              "a request with this Idempotency-Key was already made");
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

/* The first answer wins: a row that already holds one (status_code <> 0) keeps it. Both
 * CASEs read the row as it was before this UPDATE. */
int store_sqlite_inbox_idem_set_response(struct store *s, const char *account_id, const char *key,
                                         int status_code, const char *response, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (!store_sqlite_fits(response, sizeof(((struct idem_row *)0)->response)))
		return store_sqlite_too_long("response", e);
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_IDEM_SET_RESPONSE,
	    "UPDATE idempotency_keys SET "
	    "status_code = CASE WHEN status_code = 0 THEN ?3 ELSE status_code END, "
	    "response = CASE WHEN status_code = 0 THEN ?4 ELSE response END "
	    "WHERE account_id = ?1 AND key = ?2",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, key) ||
	    !store_sqlite_bind_i64(st, 3, status_code) ||
	    !store_sqlite_bind_text(st, 4, response ? response : ""))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "IDEMPOTENCY_KEY_NOT_FOUND",
	                                "idempotency key not found", e);
}

int store_sqlite_inbox_insert(struct store *s, const char *body, size_t len, int64_t now,
                              int64_t *seq, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*seq = 0;
	if (len > INT_MAX)
		return store_sqlite_too_long("webhook body", e);
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_INBOX_INSERT,
	                            "INSERT INTO webhook_inbox(received_at, body) VALUES (?1, ?2)",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, now) ||
	    sqlite3_bind_text(st, 2, body ? body : "", body ? (int)len : 0, SQLITE_STATIC) !=
	        SQLITE_OK)
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0)
		*seq = sqlite3_last_insert_rowid(q->db);
	return ret;
}

/* The body handed to each points into SQLite's row buffer: valid until the next step. The
 * cast drops a const the row struct does not carry; callers only read it. */
int store_sqlite_inbox_fetch(struct store *s, int max,
                             void (*each)(void *arg, const struct inbox_row *row), void *arg,
                             struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	struct inbox_row row;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_INBOX_FETCH,
	                            "SELECT seq, received_at, body FROM webhook_inbox "
	                            "WHERE processed_at = 0 ORDER BY seq LIMIT ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, max < 0 ? 0 : max))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (rc == SQLITE_ROW) {
		const unsigned char *body = sqlite3_column_text(st, 2);
		row.seq = sqlite3_column_int64(st, 0);
		row.received_at = sqlite3_column_int64(st, 1);
		row.body = body ? (char *)body : "";
		row.body_len = body ? (size_t)sqlite3_column_bytes(st, 2) : 0;
		each(arg, &row);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

/* Marking a row done twice keeps the first processed_at. */
int store_sqlite_inbox_mark_done(struct store *s, int64_t seq, int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_INBOX_MARK_DONE,
	                            "UPDATE webhook_inbox SET processed_at = "
	                            "CASE WHEN processed_at = 0 THEN ?2 ELSE processed_at END "
	                            "WHERE seq = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, seq) || !store_sqlite_bind_i64(st, 2, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "INBOX_ROW_NOT_FOUND",
	                                "no webhook inbox row with that seq", e);
}

static int check_template_event(const char *waba_id, const char *template_id, const char *name,
                                const char *language, const char *event, const char *reason,
                                struct err *e)
{
	if (!store_sqlite_fits(waba_id, STORE_META_ID_MAX) ||
	    !store_sqlite_fits(template_id, STORE_META_ID_MAX))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(name, TEMPLATE_NAME_MAX))
		return store_sqlite_too_long("template name", e);
	if (!store_sqlite_fits(language, TEMPLATE_LANGUAGE_MAX))
		return store_sqlite_too_long("language", e);
	if (!store_sqlite_fits(event, TEMPLATE_EVENT_MAX))
		return store_sqlite_too_long("event", e);
	if (!store_sqlite_fits(reason, TEMPLATE_REASON_MAX))
		return store_sqlite_too_long("reason", e);
	return 0;
}

/* NULL text is stored as "" (event must not be empty: CONSTRAINT_VIOLATION). */
int store_sqlite_inbox_template_event_insert(struct store *s, const char *waba_id,
                                             const char *template_id, const char *name,
                                             const char *language, const char *event,
                                             const char *reason, int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_template_event(waba_id, template_id, name, language, event, reason, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_EVENT_INSERT,
	                        "INSERT INTO template_events(waba_id, template_id, name, language, "
	                        "event, reason, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                        &st, e);
	if (ret != 0)
		return ret;
	const char *text[] = {waba_id, template_id, name, language, event, reason};
	for (int i = 0; i < 6; i++)
		if (!store_sqlite_bind_text(st, i + 1, text[i] ? text[i] : ""))
			return store_sqlite_bind_fail(q, st, e);
	if (!store_sqlite_bind_i64(st, 7, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}
