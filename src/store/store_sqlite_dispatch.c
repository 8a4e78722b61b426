/* SQLite send pipeline after the claim (store_sqlite_claim.c): recording send outcomes,
 * applying Meta's status reports (status only moves up in store_msg_rank; reports for a wamid
 * not known yet are held in pending_statuses until the send is recorded) and crash
 * recovery. Status reports and recovery work across accounts (webhooks, the dispatcher).
 * Each write reads before it writes, so it runs in store_sqlite_write_begin's scope. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#include "core/str.h"

/* ---- status reports ------------------------------------------------------------------ */

/* The message a status report addresses, with its status as the report is applied. */
struct msg_target {
	char account_id[IDS_SIZE];
	char id[IDS_SIZE];
	enum msg_status status;
};

/* Stores an event; the same (message, status, timestamp) twice is ignored. */
static int insert_event(struct store_sqlite *q, const struct msg_target *t, enum msg_status status,
                        int64_t timestamp, int64_t received_at, int error_code, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_EVENT_INSERT,
	                            "INSERT INTO message_events(account_id, message_id, status, "
	                            "timestamp, received_at, error_code) "
	                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	                            "ON CONFLICT (message_id, status, timestamp) DO NOTHING",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, t->account_id) ||
	    !store_sqlite_bind_text(st, 2, t->id) ||
	    !store_sqlite_bind_text(st, 3, store_msg_status_name(status)) ||
	    !store_sqlite_bind_i64(st, 4, timestamp) ||
	    !store_sqlite_bind_i64(st, 5, received_at) || !store_sqlite_bind_i64(st, 6, error_code))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

/* Applies u to the message t: its event, the first time of each status, pricing when given,
 * the status (and for FAILED the error) only when u ranks higher. received_at dates the
 * event. t->status follows. */
static int apply_update(struct store_sqlite *q, struct msg_target *t, const struct status_update *u,
                        int64_t received_at, struct err *e)
{
	sqlite3_stmt *st;
	bool moves = store_msg_rank(u->status) > store_msg_rank(t->status);
	enum msg_status next = moves ? u->status : t->status;
	int ret = insert_event(q, t, u->status, u->timestamp, received_at, u->error_code, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_MESSAGE_APPLY_STATUS,
		    "UPDATE messages SET status = ?3, "
		    "sent_at = CASE WHEN ?4 = 'sent' AND sent_at = 0 THEN ?5 ELSE sent_at END, "
		    "delivered_at = CASE WHEN ?4 = 'delivered' AND delivered_at = 0 THEN ?5 "
		    "ELSE delivered_at END, "
		    "read_at = CASE WHEN ?4 = 'read' AND read_at = 0 THEN ?5 ELSE read_at END, "
		    "failed_at = CASE WHEN ?4 = 'failed' AND failed_at = 0 THEN ?5 ELSE failed_at "
		    "END, "
		    "pricing_category = CASE WHEN ?6 <> '' THEN ?6 ELSE pricing_category END, "
		    "pricing_billable = CASE WHEN ?7 >= 0 THEN ?7 ELSE pricing_billable END, "
		    "error_code = CASE WHEN ?8 THEN ?9 ELSE error_code END, "
		    "error_title = CASE WHEN ?8 THEN ?10 ELSE error_title END, "
		    "error_message = CASE WHEN ?8 THEN ?11 ELSE error_message END, "
		    "error_details = CASE WHEN ?8 THEN ?12 ELSE error_details END, updated_at = "
		    "?13 "
		    "WHERE account_id = ?1 AND id = ?2",
		    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, t->account_id) ||
	    !store_sqlite_bind_text(st, 2, t->id) ||
	    !store_sqlite_bind_text(st, 3, store_msg_status_name(next)) ||
	    !store_sqlite_bind_text(st, 4, store_msg_status_name(u->status)) ||
	    !store_sqlite_bind_i64(st, 5, u->timestamp) ||
	    !store_sqlite_bind_text(st, 6, u->pricing_category) ||
	    !store_sqlite_bind_i64(st, 7, u->pricing_billable) ||
	    !store_sqlite_bind_i64(st, 8, moves && u->status == MSG_STATUS_FAILED) ||
	    !store_sqlite_bind_i64(st, 9, u->error_code) ||
	    !store_sqlite_bind_text(st, 10, u->error_title) ||
	    !store_sqlite_bind_text(st, 11, u->error_message) ||
	    !store_sqlite_bind_text(st, 12, u->error_details) ||
	    !store_sqlite_bind_i64(st, 13, received_at))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0)
		t->status = next;
	return ret;
}

/* The status reports Meta may send, and text that fits every column it is copied into. */
static int check_update(const struct status_update *u, struct err *e)
{
	if (u->status != MSG_STATUS_SENT && u->status != MSG_STATUS_DELIVERED &&
	    u->status != MSG_STATUS_READ && u->status != MSG_STATUS_FAILED)
		return err_set(e, ERR_CONFLICT, "CONSTRAINT_VIOLATION",
		               "a status report is sent, delivered, read or failed, not %s",
		               store_msg_status_name(u->status));
	if (!store_sqlite_fits(u->wa_message_id, sizeof(u->wa_message_id)) ||
	    !store_sqlite_fits(u->error_title, sizeof(u->error_title)) ||
	    !store_sqlite_fits(u->error_message, sizeof(u->error_message)) ||
	    !store_sqlite_fits(u->error_details, sizeof(u->error_details)) ||
	    !store_sqlite_fits(u->pricing_category, sizeof(u->pricing_category)))
		return store_sqlite_too_long("status report", e);
	if (u->wa_message_id[0] == '\0')
		return err_set(e, ERR_CONFLICT, "CONSTRAINT_VIOLATION",
		               "a status report needs a wa_message_id");
	return 0;
}

/* The outbound message carrying wamid, in any account. */
static int find_outbound(struct store_sqlite *q, const char *wamid, struct msg_target *t,
                         bool *found, struct err *e)
{
	sqlite3_stmt *st;
	char status[16];
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_FIND_OUTBOUND,
	                            "SELECT account_id, id, status FROM messages "
	                            "WHERE wa_message_id = ?1 AND wa_message_id <> '' "
	                            "AND direction = 'out'",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, wamid))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW &&
	    (store_sqlite_column_text(st, 0, t->account_id, sizeof(t->account_id), e) != 0 ||
	     store_sqlite_column_text(st, 1, t->id, sizeof(t->id), e) != 0 ||
	     store_sqlite_column_text(st, 2, status, sizeof(status), e) != 0 ||
	     store_msg_status_parse(status, &t->status) != 0))
		ret = err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unreadable message row");
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

static int hold_pending(struct store_sqlite *q, const struct status_update *u, int64_t now,
                        struct err *e)
{
	sqlite3_stmt *st;
	int ret =
	    store_sqlite_stmt(q, STORE_SQLITE_STMT_PENDING_INSERT,
	                      "INSERT INTO pending_statuses(wa_message_id, status, timestamp, "
	                      "error_code, error_title, error_message, error_details, "
	                      "pricing_category, pricing_billable, received_at) "
	                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                      &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, u->wa_message_id) ||
	    !store_sqlite_bind_text(st, 2, store_msg_status_name(u->status)) ||
	    !store_sqlite_bind_i64(st, 3, u->timestamp) ||
	    !store_sqlite_bind_i64(st, 4, u->error_code) ||
	    !store_sqlite_bind_text(st, 5, u->error_title) ||
	    !store_sqlite_bind_text(st, 6, u->error_message) ||
	    !store_sqlite_bind_text(st, 7, u->error_details) ||
	    !store_sqlite_bind_text(st, 8, u->pricing_category) ||
	    !store_sqlite_bind_i64(st, 9, u->pricing_billable) ||
	    !store_sqlite_bind_i64(st, 10, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

int store_sqlite_dispatch_apply_status(struct store *s, const struct status_update *u, int64_t now,
                                       bool *applied, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	struct msg_target t;
	bool own = false, found = false;
	*applied = false;
	int ret = check_update(u, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_write_begin(q, &own, e);
	if (ret != 0)
		return ret;
	memset(&t, 0, sizeof(t));
	ret = find_outbound(q, u->wa_message_id, &t, &found, e);
	if (ret == 0)
		ret = found ? apply_update(q, &t, u, now, e) : hold_pending(q, u, now, e);
	ret = store_sqlite_write_end(q, own, ret, e);
	*applied = ret == 0 && found;
	return ret;
}

/* ---- send outcomes -------------------------------------------------------------------- */

/* The status of message id in account_id; ERR_NOT_FOUND "MESSAGE_NOT_FOUND". */
static int message_status(struct store_sqlite *q, const char *account_id, const char *id,
                          enum msg_status *status, struct err *e)
{
	sqlite3_stmt *st;
	char name[16];
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_STATUS,
	                            "SELECT status FROM messages WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		ret = err_set(e, ERR_NOT_FOUND, "MESSAGE_NOT_FOUND", "message not found");
	else if (rc != SQLITE_ROW)
		ret = store_sqlite_fail(q, rc, NULL, e);
	else if (store_sqlite_column_text(st, 0, name, sizeof(name), e) != 0 ||
	         store_msg_status_parse(name, status) != 0)
		ret = err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown message status stored");
	store_sqlite_done(st);
	return ret;
}

/* Reads a pending_statuses row (columns as next_pending selects them) into *u. */
static int read_pending(sqlite3_stmt *st, struct status_update *u, struct err *e)
{
	char status[16];
	memset(u, 0, sizeof(*u));
	if (store_sqlite_column_text(st, 1, status, sizeof(status), e) != 0 ||
	    store_sqlite_column_text(st, 4, u->error_title, sizeof(u->error_title), e) != 0 ||
	    store_sqlite_column_text(st, 5, u->error_message, sizeof(u->error_message), e) != 0 ||
	    store_sqlite_column_text(st, 6, u->error_details, sizeof(u->error_details), e) != 0 ||
	    store_sqlite_column_text(st, 7, u->pricing_category, sizeof(u->pricing_category), e) !=
	        0)
		return ERR_INTERNAL;
	if (store_msg_status_parse(status, &u->status) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown pending status stored");
	u->timestamp = sqlite3_column_int64(st, 2);
	u->error_code = sqlite3_column_int(st, 3);
	u->pricing_billable = sqlite3_column_int(st, 8);
	return 0;
}

/* Reads the oldest report held for wamid into *u (its arrival into *received_at, its row id
 * into *id); *found false when none is left. */
static int next_pending(struct store_sqlite *q, const char *wamid, struct status_update *u,
                        int64_t *received_at, int64_t *id, bool *found, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_PENDING_NEXT,
	                            "SELECT id, status, timestamp, error_code, error_title, "
	                            "error_message, error_details, pricing_category, "
	                            "pricing_billable, received_at FROM pending_statuses "
	                            "WHERE wa_message_id = ?1 ORDER BY id LIMIT 1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, wamid))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		ret = read_pending(st, u, e);
		*id = sqlite3_column_int64(st, 0);
		*received_at = sqlite3_column_int64(st, 9);
	} else if (rc != SQLITE_DONE) {
		ret = store_sqlite_fail(q, rc, NULL, e);
	}
	store_sqlite_done(st);
	return ret;
}

static int delete_pending(struct store_sqlite *q, int64_t id, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_PENDING_DELETE,
	                            "DELETE FROM pending_statuses WHERE id = ?1", &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, id))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

/* Applies, oldest first, every report held for wamid to t, deleting each once applied: the
 * loop ends because every turn removes one row. */
static int apply_pending(struct store_sqlite *q, struct msg_target *t, const char *wamid,
                         struct err *e)
{
	struct status_update u;
	int64_t received_at = 0, id = 0;
	bool found = true;
	int ret = 0;
	while (ret == 0 && found) {
		ret = next_pending(q, wamid, &u, &received_at, &id, &found, e);
		if (ret == 0 && found)
			ret = apply_update(q, t, &u, received_at, e);
		if (ret == 0 && found)
			ret = delete_pending(q, id, e);
	}
	return ret;
}

/* The message r is about (status not known yet). check_send made sure the ids fit. */
static void target_of(const struct send_result *r, struct msg_target *t)
{
	memset(t, 0, sizeof(*t));
	str_copy_cstr(t->account_id, sizeof(t->account_id), r->account_id);
	str_copy_cstr(t->id, sizeof(t->id), r->message_id);
}

static int record_accepted(struct store_sqlite *q, const struct send_result *r, struct err *e)
{
	sqlite3_stmt *st;
	struct msg_target t;
	target_of(r, &t);
	int ret = message_status(q, r->account_id, r->message_id, &t.status, e);
	if (ret != 0)
		return ret;
	if (store_msg_rank(t.status) < store_msg_rank(MSG_STATUS_ACCEPTED))
		t.status = MSG_STATUS_ACCEPTED;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_ACCEPTED,
	                        "UPDATE messages SET wa_message_id = ?3, accepted_at = ?4, "
	                        "status = ?5, updated_at = ?4 WHERE account_id = ?1 AND id = ?2",
	                        &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, r->account_id) ||
	    !store_sqlite_bind_text(st, 2, r->message_id) ||
	    !store_sqlite_bind_text(st, 3, r->wa_message_id) ||
	    !store_sqlite_bind_i64(st, 4, r->at) ||
	    !store_sqlite_bind_text(st, 5, store_msg_status_name(t.status)))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, "MESSAGE_EXISTS", e);
	if (ret == 0)
		ret = insert_event(q, &t, MSG_STATUS_ACCEPTED, r->at, r->at, 0, e);
	if (ret == 0)
		ret = apply_pending(q, &t, r->wa_message_id, e);
	return ret;
}

/* RETRY (back to QUEUED, not before next_attempt_at) and FAILED (plus its event) share one
 * statement: ?3 the status, ?4 failed_at (0 keeps it), ?5 next_attempt_at (-1 keeps it). */
static int record_other(struct store_sqlite *q, const struct send_result *r, struct err *e)
{
	sqlite3_stmt *st;
	struct msg_target t;
	bool failed = r->outcome == SEND_FAILED;
	target_of(r, &t);
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_MESSAGE_RETRY_OR_FAIL,
	    "UPDATE messages SET status = ?3, "
	    "failed_at = CASE WHEN ?4 <> 0 THEN ?4 ELSE failed_at END, "
	    "next_attempt_at = CASE WHEN ?5 >= 0 THEN ?5 ELSE next_attempt_at END, "
	    "error_code = ?6, error_title = ?7, error_message = ?8, error_details = ?9, "
	    "updated_at = ?10 WHERE account_id = ?1 AND id = ?2",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, r->account_id) ||
	    !store_sqlite_bind_text(st, 2, r->message_id) ||
	    !store_sqlite_bind_text(st, 3, failed ? "failed" : "queued") ||
	    !store_sqlite_bind_i64(st, 4, failed ? r->at : 0) ||
	    !store_sqlite_bind_i64(st, 5, failed ? -1 : r->next_attempt_at) ||
	    !store_sqlite_bind_i64(st, 6, r->error_code) ||
	    !store_sqlite_bind_text(st, 7, r->error_title) ||
	    !store_sqlite_bind_text(st, 8, r->error_message) ||
	    !store_sqlite_bind_text(st, 9, r->error_details) ||
	    !store_sqlite_bind_i64(st, 10, r->at))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_update(q, st, NULL, "MESSAGE_NOT_FOUND", "message not found", e);
	if (ret == 0 && failed)
		ret = insert_event(q, &t, MSG_STATUS_FAILED, r->at, r->at, r->error_code, e);
	return ret;
}

static int check_send(const struct send_result *r, struct err *e)
{
	if (!store_sqlite_fits(r->account_id, sizeof(r->account_id)) ||
	    !store_sqlite_fits(r->message_id, sizeof(r->message_id)) ||
	    !store_sqlite_fits(r->wa_message_id, sizeof(r->wa_message_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(r->error_title, sizeof(r->error_title)) ||
	    !store_sqlite_fits(r->error_message, sizeof(r->error_message)) ||
	    !store_sqlite_fits(r->error_details, sizeof(r->error_details)))
		return store_sqlite_too_long("error", e);
	if (r->outcome == SEND_ACCEPTED && r->wa_message_id[0] == '\0')
		return err_set(e, ERR_CONFLICT, "CONSTRAINT_VIOLATION",
		               "an accepted send needs a wa_message_id");
	if (r->outcome != SEND_ACCEPTED && r->outcome != SEND_RETRY && r->outcome != SEND_FAILED)
		return err_set(e, ERR_CONFLICT, "CONSTRAINT_VIOLATION", "unknown send outcome");
	return 0;
}

int store_sqlite_dispatch_record_send(struct store *s, const struct send_result *r, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool own = false;
	int ret = check_send(r, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_write_begin(q, &own, e);
	if (ret != 0)
		return ret;
	ret = r->outcome == SEND_ACCEPTED ? record_accepted(q, r, e) : record_other(q, r, e);
	return store_sqlite_write_end(q, own, ret, e);
}

/* One statement, atomic on its own. */
int store_sqlite_dispatch_requeue_inflight(struct store *s, int64_t now, int *count, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*count = 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_REQUEUE_INFLIGHT,
	                            "UPDATE messages SET status = 'queued', updated_at = ?1 "
	                            "WHERE status = 'sending'",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, now))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0)
		*count = sqlite3_changes(q->db);
	return ret;
}
