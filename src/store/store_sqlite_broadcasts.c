/* SQLite broadcasts: the broadcast rows and their runner-facing queries. Recipients and the
 * per-recipient report are in store_sqlite_broadcast_recipients.c. Message counters (n_*) and
 * stop_code are written by the triggers of 0007_broadcasts.sql, never here. */
#include "store/store_sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define BC_COLUMNS                                                                                 \
	"id, account_id, name, phone_number_id, kind, template_id, template_name, language, "      \
	"text, "                                                                                   \
	"header_media, buttons, throttle_mps, status, status_reason, schedule_at, total, "         \
	"skipped_invalid, skipped_duplicate, skipped_opted_out, skipped_window, next_seq, "        \
	"n_queued, n_sending, n_accepted, n_sent, n_delivered, n_read, n_failed, stop_code, "      \
	"created_by, started_at, finished_at, created_at, updated_at"

/* Far in the future: a held message is never due. */
#define BC_HELD_AT INT64_C(253402300799000)

static int check_broadcast(const struct broadcast_row *b, struct err *e)
{
	if (!store_sqlite_fits(b->name, sizeof(b->name)) ||
	    !store_sqlite_fits(b->template_name, sizeof(b->template_name)) ||
	    !store_sqlite_fits(b->text, sizeof(b->text)) ||
	    !store_sqlite_fits(b->header_media, sizeof(b->header_media)) ||
	    !store_sqlite_fits(b->buttons, sizeof(b->buttons)) ||
	    !store_sqlite_fits(b->status_reason, sizeof(b->status_reason)))
		return store_sqlite_too_long("broadcast", e);
	return 0;
}

static int read_broadcast(sqlite3_stmt *st, struct broadcast_row *o, struct err *e)
{
	memset(o, 0, sizeof(*o));
	struct {
		char *dst;
		size_t cap;
	} text[] = {{o->id, sizeof(o->id)},
	            {o->account_id, sizeof(o->account_id)},
	            {o->name, sizeof(o->name)},
	            {o->phone_number_id, sizeof(o->phone_number_id)},
	            {o->kind, sizeof(o->kind)},
	            {o->template_id, sizeof(o->template_id)},
	            {o->template_name, sizeof(o->template_name)},
	            {o->language, sizeof(o->language)},
	            {o->text, sizeof(o->text)},
	            {o->header_media, sizeof(o->header_media)},
	            {o->buttons, sizeof(o->buttons)}};
	for (int i = 0; i < (int)(sizeof(text) / sizeof(text[0])); i++)
		if (store_sqlite_column_text(st, i, text[i].dst, text[i].cap, e) != 0)
			return ERR_INTERNAL;
	o->throttle_mps = (int)sqlite3_column_int64(st, 11);
	if (store_sqlite_column_text(st, 12, o->status, sizeof(o->status), e) != 0 ||
	    store_sqlite_column_text(st, 13, o->status_reason, sizeof(o->status_reason), e) != 0 ||
	    store_sqlite_column_text(st, 29, o->created_by, sizeof(o->created_by), e) != 0)
		return ERR_INTERNAL;
	int64_t *nums[] = {&o->schedule_at,
	                   &o->total,
	                   &o->skipped_invalid,
	                   &o->skipped_duplicate,
	                   &o->skipped_opted_out,
	                   &o->skipped_window,
	                   &o->next_seq,
	                   &o->n_queued,
	                   &o->n_sending,
	                   &o->n_accepted,
	                   &o->n_sent,
	                   &o->n_delivered,
	                   &o->n_read,
	                   &o->n_failed};
	for (int i = 0; i < (int)(sizeof(nums) / sizeof(nums[0])); i++)
		*nums[i] = sqlite3_column_int64(st, 14 + i);
	o->stop_code = (int)sqlite3_column_int64(st, 28);
	o->started_at = sqlite3_column_int64(st, 30);
	o->finished_at = sqlite3_column_int64(st, 31);
	o->created_at = sqlite3_column_int64(st, 32);
	o->updated_at = sqlite3_column_int64(st, 33);
	return 0;
}

int store_sqlite_broadcasts_insert(struct store *s, const struct broadcast_row *b, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_broadcast(b, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_BROADCAST_INSERT,
		    "INSERT INTO broadcasts(id, account_id, name, phone_number_id, kind, "
		    "template_id, "
		    "template_name, language, text, header_media, buttons, throttle_mps, status, "
		    "schedule_at, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		    "?6, "
		    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
		    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, b->id) ||
	    !store_sqlite_bind_text(st, 2, b->account_id) ||
	    !store_sqlite_bind_text(st, 3, b->name) ||
	    !store_sqlite_bind_text(st, 4, b->phone_number_id) ||
	    !store_sqlite_bind_text(st, 5, b->kind) ||
	    !store_sqlite_bind_text(st, 6, b->template_id) ||
	    !store_sqlite_bind_text(st, 7, b->template_name) ||
	    !store_sqlite_bind_text(st, 8, b->language) ||
	    !store_sqlite_bind_text(st, 9, b->text) ||
	    !store_sqlite_bind_text(st, 10, b->header_media) ||
	    !store_sqlite_bind_text(st, 11, b->buttons) ||
	    !store_sqlite_bind_i64(st, 12, b->throttle_mps) ||
	    !store_sqlite_bind_text(st, 13, b->status) ||
	    !store_sqlite_bind_i64(st, 14, b->schedule_at) ||
	    !store_sqlite_bind_text(st, 15, b->created_by) ||
	    !store_sqlite_bind_i64(st, 16, b->created_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

static int one_row(void *arg, sqlite3_stmt *st, struct err *e)
{
	struct broadcast_row *out = arg;
	int ret = read_broadcast(st, out, e);
	return ret != 0 ? ret : 1; /* 1: found, stop */
}

int store_sqlite_broadcasts_get(struct store *s, const char *account_id, const char *id,
                                struct broadcast_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_GET,
	                            "SELECT " BC_COLUMNS " FROM broadcasts WHERE id = ?2 AND "
	                            "(?1 IS NULL OR (account_id = ?1 AND status <> 'accepting'))",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	ret = store_sqlite_each_row(q, st, one_row, out, e);
	if (ret == 0)
		return err_set(e, ERR_NOT_FOUND, "BROADCAST_NOT_FOUND", "Broadcast not found");
	return ret == 1 ? 0 : ret;
}

int store_sqlite_broadcasts_update(struct store *s, const struct broadcast_row *b, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_broadcast(b, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_BROADCAST_UPDATE,
		    "UPDATE broadcasts SET status = ?2, status_reason = ?3, schedule_at = ?4, "
		    "total = ?5, skipped_invalid = ?6, skipped_duplicate = ?7, skipped_opted_out = "
		    "?8, "
		    "skipped_window = ?9, next_seq = ?10, stop_code = ?11, started_at = ?12, "
		    "finished_at = ?13, updated_at = ?14 WHERE id = ?1",
		    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, b->id) || !store_sqlite_bind_text(st, 2, b->status) ||
	    !store_sqlite_bind_text(st, 3, b->status_reason) ||
	    !store_sqlite_bind_i64(st, 4, b->schedule_at) ||
	    !store_sqlite_bind_i64(st, 5, b->total) ||
	    !store_sqlite_bind_i64(st, 6, b->skipped_invalid) ||
	    !store_sqlite_bind_i64(st, 7, b->skipped_duplicate) ||
	    !store_sqlite_bind_i64(st, 8, b->skipped_opted_out) ||
	    !store_sqlite_bind_i64(st, 9, b->skipped_window) ||
	    !store_sqlite_bind_i64(st, 10, b->next_seq) ||
	    !store_sqlite_bind_i64(st, 11, b->stop_code) ||
	    !store_sqlite_bind_i64(st, 12, b->started_at) ||
	    !store_sqlite_bind_i64(st, 13, b->finished_at) ||
	    !store_sqlite_bind_i64(st, 14, b->updated_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "BROADCAST_NOT_FOUND", "Broadcast not found",
	                                e);
}

int store_sqlite_broadcasts_discard(struct store *s, const char *id, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_DISCARD,
	                            "DELETE FROM broadcasts WHERE id = ?1 AND status = 'accepting'",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, id))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

struct each_job {
	void (*each)(void *arg, const struct broadcast_row *row);
	void *arg;
	struct broadcast_row row;
};

static int each_row(void *arg, sqlite3_stmt *st, struct err *e)
{
	struct each_job *j = arg;
	int ret = read_broadcast(st, &j->row, e);
	if (ret == 0)
		j->each(j->arg, &j->row);
	return ret;
}

static int run_each(struct store_sqlite *q, sqlite3_stmt *st,
                    void (*each)(void *arg, const struct broadcast_row *row), void *arg,
                    struct err *e)
{
	struct each_job *j = xcalloc(1, sizeof(*j)); /* rows are ~25 KB: not on the stack */
	j->each = each;
	j->arg = arg;
	int ret = store_sqlite_each_row(q, st, each_row, j, e);
	free(j);
	return ret;
}

static int count_broadcasts(struct store_sqlite *q, const char *account_id,
                            const struct broadcast_filter *f, int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_COUNT,
	                            "SELECT count(*) FROM broadcasts WHERE account_id = ?1 AND "
	                            "status <> 'accepting' AND (?2 IS NULL OR status = ?2)",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, f->status))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, total, e);
}

int store_sqlite_broadcasts_list(struct store *s, const char *account_id,
                                 const struct broadcast_filter *f,
                                 void (*each)(void *arg, const struct broadcast_row *row),
                                 void *arg, int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	*total = 0;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret == 0)
		ret = count_broadcasts(q, account_id, f, total, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_BROADCAST_LIST,
		    "SELECT " BC_COLUMNS " FROM broadcasts WHERE account_id = ?1 AND status <> "
		    "'accepting' AND (?2 IS NULL OR status = ?2) ORDER BY created_at DESC, id DESC "
		    "LIMIT ?3 OFFSET ?4",
		    &st, e);
	if (ret == 0 &&
	    (!store_sqlite_bind_text(st, 1, account_id) ||
	     !store_sqlite_bind_text(st, 2, f->status) || !store_sqlite_bind_i64(st, 3, f->limit) ||
	     !store_sqlite_bind_i64(st, 4, f->offset)))
		ret = store_sqlite_bind_fail(q, st, e);
	if (ret == 0)
		ret = run_each(q, st, each, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

int store_sqlite_broadcasts_list_status(struct store *s, const char *status, int64_t limit,
                                        void (*each)(void *arg, const struct broadcast_row *row),
                                        void *arg, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_LIST_STATUS,
	                            "SELECT " BC_COLUMNS " FROM broadcasts WHERE status = ?1 "
	                            "ORDER BY schedule_at, created_at, id LIMIT ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, status) || !store_sqlite_bind_i64(st, 2, limit))
		return store_sqlite_bind_fail(q, st, e);
	return run_each(q, st, each, arg, e);
}

int store_sqlite_broadcasts_hold(struct store *s, const char *broadcast_id, bool hold, int64_t now,
                                 struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	/* Released messages count their age from now: SEND_MAX_AGE must not expire a message
	 * for the time its broadcast was paused. */
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_BROADCAST_HOLD,
	    "UPDATE messages SET next_attempt_at = ?2, updated_at = ?3, "
	    "queued_at = CASE WHEN ?2 = ?3 THEN ?3 ELSE queued_at END "
	    "WHERE broadcast_id = ?1 AND status = 'queued' AND broadcast_id <> ''",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, broadcast_id) ||
	    !store_sqlite_bind_i64(st, 2, hold ? BC_HELD_AT : now) ||
	    !store_sqlite_bind_i64(st, 3, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

int store_sqlite_broadcasts_cancel(struct store *s, const char *broadcast_id, int64_t now,
                                   struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool own = false;
	int ret = store_sqlite_write_begin(q, &own, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_BROADCAST_CANCEL_MESSAGES,
		    "UPDATE messages SET status = 'failed', failed_at = ?2, updated_at = ?2, "
		    "error_title = 'Cancelled', error_message = 'The broadcast was cancelled "
		    "before "
		    "this message was sent.' WHERE broadcast_id = ?1 AND status = 'queued' AND "
		    "broadcast_id <> ''",
		    &st, e);
	if (ret == 0 &&
	    (!store_sqlite_bind_text(st, 1, broadcast_id) || !store_sqlite_bind_i64(st, 2, now)))
		ret = store_sqlite_bind_fail(q, st, e);
	if (ret == 0)
		ret = store_sqlite_exec_stmt(q, st, NULL, e);
	if (ret == 0)
		ret =
		    store_sqlite_stmt(q, STORE_SQLITE_STMT_BROADCAST_CANCEL_RECIPIENTS,
		                      "UPDATE broadcast_recipients SET status = 'cancelled' WHERE "
		                      "broadcast_id = ?1 AND status = 'pending'",
		                      &st, e);
	if (ret == 0 && !store_sqlite_bind_text(st, 1, broadcast_id))
		ret = store_sqlite_bind_fail(q, st, e);
	if (ret == 0)
		ret = store_sqlite_exec_stmt(q, st, NULL, e);
	return store_sqlite_write_end(q, own, ret, e);
}
