/* SQLite messages: insert, lookups, lists and the status events of one message. A message
 * is inserted only into a conversation of its own account (checked in the INSERT itself).
 * Lists choose between two index paths, per conversation or per account, so the SQL stays
 * constant text while each shape uses its own index. The send pipeline (claim, outcomes,
 * status reports) lives in store_sqlite_dispatch.c. */
#include "store/store_sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define MSG_COLUMNS                                                                                \
	"id, account_id, conversation_id, phone_number_id, direction, type, user_phone, content, " \
	"request, status, wa_message_id, queued_at, accepted_at, sent_at, delivered_at, read_at, " \
	"failed_at, error_code, error_title, error_message, error_details, pricing_category, "     \
	"pricing_billable, attempts, next_attempt_at, priority, broadcast_id, created_at, "        \
	"updated_at"

#define MSG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *direction_name(enum msg_direction d)
{
	return d == MSG_DIR_OUT ? "out" : d == MSG_DIR_IN ? "in" : "unknown";
}

/* One bounded text field of a message row: its column, the struct field and the name used
 * in VALUE_TOO_LONG. */
struct msg_text {
	int col;
	char *dst;
	size_t cap;
	const char *field;
};

#define MSG_TEXTS_MAX 16

/* The text columns of MSG_COLUMNS but direction and status, with the fields they fill. */
static size_t msg_texts(struct message_row *m, struct msg_text *out)
{
	const struct msg_text t[] = {
	    {0, m->id, sizeof(m->id), "id"},
	    {1, m->account_id, sizeof(m->account_id), "id"},
	    {2, m->conversation_id, sizeof(m->conversation_id), "id"},
	    {3, m->phone_number_id, sizeof(m->phone_number_id), "phone number id"},
	    {5, m->type, sizeof(m->type), "type"},
	    {6, m->user_phone, sizeof(m->user_phone), "user phone"},
	    {7, m->content, sizeof(m->content), "content"},
	    {8, m->request, sizeof(m->request), "request"},
	    {10, m->wa_message_id, sizeof(m->wa_message_id), "wa_message_id"},
	    {18, m->error_title, sizeof(m->error_title), "error title"},
	    {19, m->error_message, sizeof(m->error_message), "error message"},
	    {20, m->error_details, sizeof(m->error_details), "error details"},
	    {21, m->pricing_category, sizeof(m->pricing_category), "pricing category"},
	    {26, m->broadcast_id, sizeof(m->broadcast_id), "id"},
	};
	_Static_assert(MSG_COUNT(t) <= MSG_TEXTS_MAX, "raise MSG_TEXTS_MAX");
	memcpy(out, t, sizeof(t));
	return MSG_COUNT(t);
}

/* Checks that every text field fits, then binds ?1..?29 in MSG_COLUMNS order. The cast is
 * safe: msg_texts only records the fields' addresses, which are read, never written, here. */
static int bind_message(struct store_sqlite *q, sqlite3_stmt *st, const struct message_row *m,
                        struct err *e)
{
	struct msg_text t[MSG_TEXTS_MAX];
	size_t n = msg_texts((struct message_row *)m, t);
	for (size_t i = 0; i < n; i++)
		if (!store_sqlite_fits(t[i].dst, t[i].cap))
			return store_sqlite_too_long(t[i].field, e);
	const struct {
		int idx;
		int64_t v;
	} ints[] = {{12, m->queued_at},       {13, m->accepted_at},      {14, m->sent_at},
	            {15, m->delivered_at},    {16, m->read_at},          {17, m->failed_at},
	            {18, m->error_code},      {23, m->pricing_billable}, {24, m->attempts},
	            {25, m->next_attempt_at}, {26, m->priority},         {28, m->created_at},
	            {29, m->updated_at}};
	bool ok = store_sqlite_bind_text(st, 5, direction_name(m->direction)) &&
	          store_sqlite_bind_text(st, 10, store_msg_status_name(m->status));
	for (size_t i = 0; ok && i < n; i++)
		ok = store_sqlite_bind_text(st, t[i].col + 1, t[i].dst);
	for (size_t i = 0; ok && i < MSG_COUNT(ints); i++)
		ok = store_sqlite_bind_i64(st, ints[i].idx, ints[i].v);
	return ok ? 0 : store_sqlite_bind_fail(q, st, e);
}

static int read_message(sqlite3_stmt *st, struct message_row *out, struct err *e)
{
	struct msg_text t[MSG_TEXTS_MAX];
	char direction[8], status[16];
	memset(out, 0, sizeof(*out));
	size_t n = msg_texts(out, t);
	for (size_t i = 0; i < n; i++)
		if (store_sqlite_column_text(st, t[i].col, t[i].dst, t[i].cap, e) != 0)
			return ERR_INTERNAL;
	if (store_sqlite_column_text(st, 4, direction, sizeof(direction), e) != 0 ||
	    store_sqlite_column_text(st, 9, status, sizeof(status), e) != 0)
		return ERR_INTERNAL;
	if (store_msg_status_parse(status, &out->status) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown message status stored");
	out->direction = strcmp(direction, "in") == 0 ? MSG_DIR_IN : MSG_DIR_OUT;
	int64_t *times[] = {&out->queued_at,    &out->accepted_at, &out->sent_at,
	                    &out->delivered_at, &out->read_at,     &out->failed_at};
	for (int i = 0; i < 6; i++)
		*times[i] = sqlite3_column_int64(st, 11 + i);
	out->error_code = sqlite3_column_int(st, 17);
	out->pricing_billable = sqlite3_column_int(st, 22);
	out->attempts = sqlite3_column_int(st, 23);
	out->next_attempt_at = sqlite3_column_int64(st, 24);
	out->priority = sqlite3_column_int(st, 25);
	out->created_at = sqlite3_column_int64(st, 27);
	out->updated_at = sqlite3_column_int64(st, 28);
	return 0;
}

/* Steps a bound message SELECT: one row -> *out, none -> *found false. Resets st. */
static int step_message(struct store_sqlite *q, sqlite3_stmt *st, struct message_row *out,
                        bool *found, struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_message(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

/* The SELECT inserts nothing when the conversation is not the account's: REFERENCE_MISSING.
 * A duplicate id is MESSAGE_EXISTS like a duplicate wamid (the contract of message_insert),
 * not the generic ID_EXISTS. */
int store_sqlite_messages_insert(struct store *s, const struct message_row *m, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret =
	    store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_INSERT,
	                      "INSERT INTO messages(" MSG_COLUMNS ") SELECT ?1, ?2, ?3, ?4, ?5, "
	                      "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	                      "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29 "
	                      "WHERE EXISTS (SELECT 1 FROM conversations "
	                      "WHERE id = ?3 AND account_id = ?2)",
	                      &st, e);
	if (ret != 0)
		return ret;
	ret = bind_message(q, st, m, e);
	if (ret != 0)
		return ret;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		ret = err_set(e, ERR_CONFLICT, "MESSAGE_EXISTS", "message id already exists");
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, "MESSAGE_EXISTS", e);
	else if (sqlite3_changes(q->db) == 0)
		ret = err_set(e, ERR_CONFLICT, "REFERENCE_MISSING",
		              "the conversation does not exist in this account");
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_messages_get(struct store *s, const char *account_id, const char *id,
                              struct message_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_GET,
	                            "SELECT " MSG_COLUMNS " FROM messages "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	ret = step_message(q, st, out, &found, e);
	if (ret == 0 && !found)
		ret = err_set(e, ERR_NOT_FOUND, "MESSAGE_NOT_FOUND", "message not found");
	return ret;
}

/* "wa_message_id <> ''" lets SQLite use the partial unique index (and makes "" a miss). */
int store_sqlite_messages_find_by_wamid(struct store *s, const char *account_id, const char *wamid,
                                        struct message_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_FIND_BY_WAMID,
	                            "SELECT " MSG_COLUMNS " FROM messages "
	                            "WHERE wa_message_id = ?2 AND wa_message_id <> '' "
	                            "AND account_id = ?1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, wamid))
		return store_sqlite_bind_fail(q, st, e);
	return step_message(q, st, out, found, e);
}

/* ?1 account, ?2 conversation (only in the per-conversation shape), ?3 status name,
 * ?4 direction name (NULL = any), ?5 since, ?6 until (0 = open). */
#define MSG_FILTER_REST                                                                            \
	"AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR direction = ?4) "                      \
	"AND (?5 = 0 OR created_at >= ?5) AND (?6 = 0 OR created_at < ?6)"
#define MSG_FILTER_ALL "WHERE account_id = ?1 " MSG_FILTER_REST
#define MSG_FILTER_CONV "WHERE account_id = ?1 AND conversation_id = ?2 " MSG_FILTER_REST
#define MSG_PAGE " LIMIT ?7 OFFSET ?8"

struct msg_sql {
	enum store_sqlite_stmt id;
	const char *sql;
};

/* [per conversation][oldest first]: the page statements; then the two counts. */
static const struct msg_sql msg_pages[2][2] = {
    {{STORE_SQLITE_STMT_MESSAGE_LIST_NEWEST, "SELECT " MSG_COLUMNS " FROM messages " MSG_FILTER_ALL
                                             " ORDER BY created_at DESC, id DESC" MSG_PAGE},
     {STORE_SQLITE_STMT_MESSAGE_LIST_OLDEST,
      "SELECT " MSG_COLUMNS " FROM messages " MSG_FILTER_ALL " ORDER BY created_at, id" MSG_PAGE}},
    {{STORE_SQLITE_STMT_MESSAGE_LIST_CONV_NEWEST,
      "SELECT " MSG_COLUMNS " FROM messages " MSG_FILTER_CONV
      " ORDER BY created_at DESC, id DESC" MSG_PAGE},
     {STORE_SQLITE_STMT_MESSAGE_LIST_CONV_OLDEST,
      "SELECT " MSG_COLUMNS " FROM messages " MSG_FILTER_CONV " ORDER BY created_at, id" MSG_PAGE}},
};
static const struct msg_sql msg_counts[2] = {
    {STORE_SQLITE_STMT_MESSAGE_COUNT, "SELECT count(*) FROM messages " MSG_FILTER_ALL},
    {STORE_SQLITE_STMT_MESSAGE_COUNT_CONV, "SELECT count(*) FROM messages " MSG_FILTER_CONV},
};

static bool bind_filter(sqlite3_stmt *st, const char *account_id, const struct message_filter *f)
{
	const char *status = f->status < 0 ? NULL : store_msg_status_name(f->status);
	const char *direction = f->direction < 0 ? NULL : direction_name(f->direction);
	return store_sqlite_bind_text(st, 1, account_id) &&
	       (!f->conversation_id || store_sqlite_bind_text(st, 2, f->conversation_id)) &&
	       store_sqlite_bind_text(st, 3, status) && store_sqlite_bind_text(st, 4, direction) &&
	       store_sqlite_bind_i64(st, 5, f->since) && store_sqlite_bind_i64(st, 6, f->until);
}

static int message_count(struct store_sqlite *q, const char *account_id,
                         const struct message_filter *f, int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	const struct msg_sql *c = &msg_counts[f->conversation_id != NULL];
	int ret = store_sqlite_stmt(q, c->id, c->sql, &st, e);
	if (ret != 0)
		return ret;
	if (!bind_filter(st, account_id, f))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, total, e);
}

static int message_page(struct store_sqlite *q, const char *account_id,
                        const struct message_filter *f,
                        void (*each)(void *arg, const struct message_row *row), void *arg,
                        struct err *e)
{
	sqlite3_stmt *st;
	struct message_row *row = NULL;
	const struct msg_sql *p = &msg_pages[f->conversation_id != NULL][f->oldest_first];
	int ret = store_sqlite_stmt(q, p->id, p->sql, &st, e);
	if (ret != 0)
		return ret;
	if (!bind_filter(st, account_id, f) || !store_sqlite_bind_i64(st, 7, f->limit) ||
	    !store_sqlite_bind_i64(st, 8, f->offset))
		return store_sqlite_bind_fail(q, st, e);
	row = xmalloc(sizeof(*row)); /* ~22 KB: kept off the stack of worker threads */
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = read_message(st, row, e);
		if (ret == 0)
			each(arg, row);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	free(row);
	return ret;
}

/* The page and its total are read in one snapshot (a savepoint). */
int store_sqlite_messages_list(struct store *s, const char *account_id,
                               const struct message_filter *f,
                               void (*each)(void *arg, const struct message_row *row), void *arg,
                               int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool outermost = false;
	*total = 0;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = message_count(q, account_id, f, total, e);
	if (ret == 0)
		ret = message_page(q, account_id, f, each, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

int store_sqlite_messages_events(struct store *s, const char *account_id, const char *message_id,
                                 void (*each)(void *arg, const struct message_event_row *ev),
                                 void *arg, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	struct message_event_row ev;
	char status[16];
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_MESSAGE_EVENTS,
	                            "SELECT status, timestamp, error_code FROM message_events "
	                            "WHERE message_id = ?2 AND account_id = ?1 "
	                            "ORDER BY timestamp, id",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, message_id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		memset(&ev, 0, sizeof(ev));
		ret = store_sqlite_column_text(st, 0, status, sizeof(status), e);
		if (ret == 0 && store_msg_status_parse(status, &ev.status) != 0)
			ret = err_set(e, ERR_INTERNAL, "DATABASE_ERROR",
			              "unknown event status stored");
		ev.timestamp = sqlite3_column_int64(st, 1);
		ev.error_code = sqlite3_column_int(st, 2);
		if (ret == 0)
			each(arg, &ev);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}
