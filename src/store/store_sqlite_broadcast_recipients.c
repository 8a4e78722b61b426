/* SQLite broadcast recipients: adding them (a phone once per broadcast), the runner's pending
 * window, the per-recipient report joined with each message, and the account's daily use of
 * business-initiated conversations. */
#include "store/store_sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

int store_sqlite_broadcasts_recipient_add(struct store *s, const struct broadcast_recipient_row *r,
                                          bool *duplicate, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*duplicate = false;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_BROADCAST_RECIPIENT_ADD,
	    "INSERT INTO broadcast_recipients(broadcast_id, seq, phone, name, variables, status, "
	    "skip_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (broadcast_id, phone) DO NOTHING",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_field(st, 1, r->broadcast_id, sizeof(r->broadcast_id)) ||
	    !store_sqlite_bind_i64(st, 2, r->seq) ||
	    !store_sqlite_bind_field(st, 3, r->phone, sizeof(r->phone)) ||
	    !store_sqlite_bind_field(st, 4, r->name, sizeof(r->name)) ||
	    !store_sqlite_bind_field(st, 5, r->variables, sizeof(r->variables)) ||
	    !store_sqlite_bind_field(st, 6, r->status, sizeof(r->status)) ||
	    !store_sqlite_bind_field(st, 7, r->skip_reason, sizeof(r->skip_reason)))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0)
		*duplicate = sqlite3_changes(q->db) == 0;
	return ret;
}

static int read_recipient(sqlite3_stmt *st, struct broadcast_recipient_row *o, struct err *e)
{
	memset(o, 0, sizeof(*o));
	o->seq = sqlite3_column_int64(st, 1);
	if (store_sqlite_column_text(st, 0, o->broadcast_id, sizeof(o->broadcast_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, o->phone, sizeof(o->phone), e) != 0 ||
	    store_sqlite_column_text(st, 3, o->name, sizeof(o->name), e) != 0 ||
	    store_sqlite_column_text(st, 4, o->variables, sizeof(o->variables), e) != 0 ||
	    store_sqlite_column_text(st, 5, o->status, sizeof(o->status), e) != 0 ||
	    store_sqlite_column_text(st, 6, o->skip_reason, sizeof(o->skip_reason), e) != 0 ||
	    store_sqlite_column_text(st, 7, o->message_id, sizeof(o->message_id), e) != 0)
		return ERR_INTERNAL;
	return 0;
}

struct pending_job {
	void (*each)(void *arg, const struct broadcast_recipient_row *row);
	void *arg;
	struct broadcast_recipient_row row;
};

static int pending_row(void *arg, sqlite3_stmt *st, struct err *e)
{
	struct pending_job *j = arg;
	int ret = read_recipient(st, &j->row, e);
	if (ret == 0)
		j->each(j->arg, &j->row);
	return ret;
}

int store_sqlite_broadcasts_recipients_pending(
    struct store *s, const char *broadcast_id, int64_t from_seq, int64_t limit,
    void (*each)(void *arg, const struct broadcast_recipient_row *row), void *arg, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_BROADCAST_RECIPIENTS_PENDING,
	    "SELECT broadcast_id, seq, phone, name, variables, status, skip_reason, message_id "
	    "FROM broadcast_recipients WHERE broadcast_id = ?1 AND seq >= ?2 AND status = "
	    "'pending' ORDER BY seq LIMIT ?3",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, broadcast_id) ||
	    !store_sqlite_bind_i64(st, 2, from_seq) || !store_sqlite_bind_i64(st, 3, limit))
		return store_sqlite_bind_fail(q, st, e);
	struct pending_job *j = xcalloc(1, sizeof(*j));
	j->each = each;
	j->arg = arg;
	ret = store_sqlite_each_row(q, st, pending_row, j, e);
	free(j);
	return ret;
}

int store_sqlite_broadcasts_recipient_queued(struct store *s, const char *broadcast_id, int64_t seq,
                                             const char *message_id, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_RECIPIENT_QUEUED,
	                            "UPDATE broadcast_recipients SET status = 'queued', "
	                            "message_id = ?3 WHERE broadcast_id = ?1 AND seq = ?2 AND "
	                            "status = 'pending'",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, broadcast_id) || !store_sqlite_bind_i64(st, 2, seq) ||
	    !store_sqlite_bind_text(st, 3, message_id))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "RECIPIENT_NOT_PENDING",
	                                "Recipient is not pending", e);
}

/* Report columns: the recipient's 8, then the message's (NULL without one). */
#define REPORT_SELECT                                                                              \
	"SELECT r.broadcast_id, r.seq, r.phone, r.name, r.variables, r.status, r.skip_reason, "    \
	"r.message_id, m.status, m.wa_message_id, m.error_code, m.error_title, "                   \
	"m.error_message, m.accepted_at, m.sent_at, m.delivered_at, m.read_at, m.failed_at "       \
	"FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = b.id "                  \
	"LEFT JOIN messages m ON m.id = r.message_id AND r.message_id <> '' "                      \
	"WHERE b.id = ?1 AND b.account_id = ?2 AND (?3 IS NULL OR r.status = ?3 OR m.status = "    \
	"?3) "

struct report_job {
	void (*each)(void *arg, const struct broadcast_report_row *row);
	void *arg;
	struct broadcast_report_row row;
};

static int report_row(void *arg, sqlite3_stmt *st, struct err *e)
{
	struct report_job *j = arg;
	struct broadcast_report_row *o = &j->row;
	memset(o, 0, sizeof(*o));
	int ret = read_recipient(st, &o->r, e);
	o->has_message = sqlite3_column_type(st, 8) != SQLITE_NULL;
	char status[16] = "";
	if (ret == 0 && o->has_message &&
	    (store_sqlite_column_text(st, 8, status, sizeof(status), e) != 0 ||
	     store_msg_status_parse(status, &o->status) != 0 ||
	     store_sqlite_column_text(st, 9, o->wa_message_id, sizeof(o->wa_message_id), e) != 0 ||
	     store_sqlite_column_text(st, 11, o->error_title, sizeof(o->error_title), e) != 0 ||
	     store_sqlite_column_text(st, 12, o->error_message, sizeof(o->error_message), e) != 0))
		ret = err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unreadable broadcast message");
	o->error_code = (int)sqlite3_column_int64(st, 10);
	int64_t *times[] = {&o->accepted_at, &o->sent_at, &o->delivered_at, &o->read_at,
	                    &o->failed_at};
	for (int i = 0; i < 5; i++)
		*times[i] = sqlite3_column_int64(st, 13 + i);
	if (ret == 0)
		j->each(j->arg, o);
	return ret;
}

static int report_count(struct store_sqlite *q, const char *account_id, const char *broadcast_id,
                        const char *status, int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_BROADCAST_REPORT_COUNT,
	    "SELECT count(*) FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = "
	    "b.id "
	    "LEFT JOIN messages m ON m.id = r.message_id AND r.message_id <> '' "
	    "WHERE b.id = ?1 AND b.account_id = ?2 AND (?3 IS NULL OR r.status = ?3 OR m.status = "
	    "?3)",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, broadcast_id) ||
	    !store_sqlite_bind_text(st, 2, account_id) || !store_sqlite_bind_text(st, 3, status))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, total, e);
}

int store_sqlite_broadcasts_report(struct store *s, const char *account_id,
                                   const char *broadcast_id,
                                   const struct broadcast_report_filter *f,
                                   void (*each)(void *arg, const struct broadcast_report_row *row),
                                   void *arg, int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	*total = 0;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret == 0)
		ret = report_count(q, account_id, broadcast_id, f->status, total, e);
	if (ret == 0)
		ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_REPORT,
		                        REPORT_SELECT "ORDER BY r.seq LIMIT ?4 OFFSET ?5", &st, e);
	if (ret == 0 &&
	    (!store_sqlite_bind_text(st, 1, broadcast_id) ||
	     !store_sqlite_bind_text(st, 2, account_id) ||
	     !store_sqlite_bind_text(st, 3, f->status) || !store_sqlite_bind_i64(st, 4, f->limit) ||
	     !store_sqlite_bind_i64(st, 5, f->offset)))
		ret = store_sqlite_bind_fail(q, st, e);
	if (ret == 0) {
		struct report_job *j = xcalloc(1, sizeof(*j));
		j->each = each;
		j->arg = arg;
		ret = store_sqlite_each_row(q, st, report_row, j, e);
		free(j);
	}
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

int store_sqlite_broadcasts_daily_usage(struct store *s, const char *account_id, int64_t since,
                                        int64_t *used, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*used = 0;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_BROADCAST_DAILY_USAGE,
	    "SELECT (SELECT count(DISTINCT user_phone) FROM messages WHERE account_id = ?1 AND "
	    "created_at >= ?2 AND direction = 'out' AND type = 'template' AND status <> 'failed') "
	    "+ "
	    "(SELECT count(*) FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = "
	    "b.id WHERE b.account_id = ?1 AND b.status IN ('scheduled', 'running', 'paused') AND "
	    "r.status = 'pending')",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_i64(st, 2, since))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, used, e);
}
