/* SQLite conversations: one per (account, business number, customer), listed by latest
 * activity. Every query is scoped by account_id; the list search is a literal substring
 * match (instr), never a LIKE pattern, so '%' and '_' in user text mean themselves. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define CONV_COLUMNS                                                                               \
	"id, account_id, phone_number_id, user_phone, user_name, user_profile_name, "              \
	"last_message_at, last_message_preview, last_message_type, last_inbound_at, "              \
	"unread_count, status, created_at, updated_at"

static int check_conversation(const struct conversation_row *c, struct err *e)
{
	if (!store_sqlite_fits(c->id, sizeof(c->id)) ||
	    !store_sqlite_fits(c->account_id, sizeof(c->account_id)) ||
	    !store_sqlite_fits(c->phone_number_id, sizeof(c->phone_number_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(c->user_phone, sizeof(c->user_phone)))
		return store_sqlite_too_long("user phone", e);
	if (!store_sqlite_fits(c->user_name, sizeof(c->user_name)) ||
	    !store_sqlite_fits(c->user_profile_name, sizeof(c->user_profile_name)))
		return store_sqlite_too_long("user name", e);
	if (!store_sqlite_fits(c->last_message_preview, sizeof(c->last_message_preview)) ||
	    !store_sqlite_fits(c->last_message_type, sizeof(c->last_message_type)))
		return store_sqlite_too_long("last message", e);
	return 0;
}

/* Binds the columns insert and update share: ?1 id, ?2 account_id, ?3 user_name,
 * ?4 user_profile_name, ?5 last_message_at, ?6 last_message_preview, ?7 last_message_type,
 * ?8 last_inbound_at, ?9 unread_count, ?10 status, ?11 updated_at. */
static bool bind_conversation(sqlite3_stmt *st, const struct conversation_row *c)
{
	return store_sqlite_bind_text(st, 1, c->id) &&
	       store_sqlite_bind_text(st, 2, c->account_id) &&
	       store_sqlite_bind_text(st, 3, c->user_name) &&
	       store_sqlite_bind_text(st, 4, c->user_profile_name) &&
	       store_sqlite_bind_i64(st, 5, c->last_message_at) &&
	       store_sqlite_bind_text(st, 6, c->last_message_preview) &&
	       store_sqlite_bind_text(st, 7, c->last_message_type) &&
	       store_sqlite_bind_i64(st, 8, c->last_inbound_at) &&
	       store_sqlite_bind_i64(st, 9, c->unread_count) &&
	       store_sqlite_bind_text(st, 10, store_conv_status_name(c->status)) &&
	       store_sqlite_bind_i64(st, 11, c->updated_at);
}

static int read_conversation(sqlite3_stmt *st, struct conversation_row *out, struct err *e)
{
	char status[16];
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->phone_number_id, sizeof(out->phone_number_id),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 3, out->user_phone, sizeof(out->user_phone), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->user_name, sizeof(out->user_name), e) != 0 ||
	    store_sqlite_column_text(st, 5, out->user_profile_name, sizeof(out->user_profile_name),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 7, out->last_message_preview,
	                             sizeof(out->last_message_preview), e) != 0 ||
	    store_sqlite_column_text(st, 8, out->last_message_type, sizeof(out->last_message_type),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 11, status, sizeof(status), e) != 0)
		return ERR_INTERNAL;
	if (store_conv_status_parse(status, &out->status) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR",
		               "unknown conversation status stored");
	out->last_message_at = sqlite3_column_int64(st, 6);
	out->last_inbound_at = sqlite3_column_int64(st, 9);
	out->unread_count = sqlite3_column_int64(st, 10);
	out->created_at = sqlite3_column_int64(st, 12);
	out->updated_at = sqlite3_column_int64(st, 13);
	return 0;
}

/* Steps a bound conversation SELECT: one row -> *out, none -> *found false. Resets st. */
static int step_conversation(struct store_sqlite *q, sqlite3_stmt *st, struct conversation_row *out,
                             bool *found, struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_conversation(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

#define CONV_INSERT                                                                                \
	"INSERT INTO conversations(id, account_id, user_name, "                                    \
	"user_profile_name, last_message_at, last_message_preview, "                               \
	"last_message_type, last_inbound_at, unread_count, status, "                               \
	"updated_at, phone_number_id, user_phone, created_at) "                                    \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"

/* Checks c, then prepares statement id (an insert of every column of c) with c bound. */
static int prepare_insert(struct store_sqlite *q, enum store_sqlite_stmt id, const char *sql,
                          const struct conversation_row *c, sqlite3_stmt **st, struct err *e)
{
	int ret = check_conversation(c, e);
	if (ret == 0)
		ret = store_sqlite_stmt(q, id, sql, st, e);
	if (ret != 0)
		return ret;
	if (!bind_conversation(*st, c) || !store_sqlite_bind_text(*st, 12, c->phone_number_id) ||
	    !store_sqlite_bind_text(*st, 13, c->user_phone) ||
	    !store_sqlite_bind_i64(*st, 14, c->created_at))
		return store_sqlite_bind_fail(q, *st, e);
	return 0;
}

int store_sqlite_conversations_insert(struct store *s, const struct conversation_row *c,
                                      struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = prepare_insert(q, STORE_SQLITE_STMT_CONVERSATION_INSERT, CONV_INSERT, c, &st, e);
	return ret != 0 ? ret : store_sqlite_exec_stmt(q, st, "CONVERSATION_EXISTS", e);
}

static int copy_id(void *arg, sqlite3_stmt *st, struct err *e)
{
	return store_sqlite_column_text(st, 0, arg, IDS_SIZE, e);
}

int store_sqlite_conversations_touch_outbound(struct store *s, const struct conversation_row *c,
                                              char id[IDS_SIZE], struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = prepare_insert(
	    q, STORE_SQLITE_STMT_CONVERSATION_TOUCH_OUTBOUND,
	    CONV_INSERT " ON CONFLICT (account_id, phone_number_id, user_phone) DO UPDATE SET "
	                "last_message_at = excluded.last_message_at, "
	                "last_message_preview = excluded.last_message_preview, "
	                "last_message_type = excluded.last_message_type, "
	                "updated_at = excluded.updated_at RETURNING id",
	    c, &st, e);
	if (ret != 0)
		return ret;
	id[0] = '\0';
	ret = store_sqlite_each_row(q, st, copy_id, id, e);
	if (ret == 0 && !id[0])
		return err_set(e, ERR_INTERNAL, "NO_ROW",
		               "the conversation upsert returned no row");
	return ret;
}

int store_sqlite_conversations_find(struct store *s, const char *account_id,
                                    const char *phone_number_id, const char *user_phone,
                                    struct conversation_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONVERSATION_FIND,
	                            "SELECT " CONV_COLUMNS " FROM conversations "
	                            "WHERE account_id = ?1 AND phone_number_id = ?2 "
	                            "AND user_phone = ?3",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, phone_number_id) ||
	    !store_sqlite_bind_text(st, 3, user_phone))
		return store_sqlite_bind_fail(q, st, e);
	return step_conversation(q, st, out, found, e);
}

int store_sqlite_conversations_get(struct store *s, const char *account_id, const char *id,
                                   struct conversation_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONVERSATION_GET,
	                            "SELECT " CONV_COLUMNS " FROM conversations "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	ret = step_conversation(q, st, out, &found, e);
	if (ret == 0 && !found)
		ret = err_set(e, ERR_NOT_FOUND, "CONVERSATION_NOT_FOUND", "conversation not found");
	return ret;
}

int store_sqlite_conversations_update(struct store *s, const struct conversation_row *c,
                                      struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_conversation(c, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONVERSATION_UPDATE,
	                        "UPDATE conversations SET user_name = ?3, user_profile_name = ?4, "
	                        "last_message_at = ?5, last_message_preview = ?6, "
	                        "last_message_type = ?7, last_inbound_at = ?8, unread_count = ?9, "
	                        "status = ?10, updated_at = ?11 WHERE account_id = ?2 AND id = ?1",
	                        &st, e);
	if (ret != 0)
		return ret;
	if (!bind_conversation(st, c))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "CONVERSATION_NOT_FOUND",
	                                "conversation not found", e);
}

/* The filter both the page and the count apply: ?1 account, ?2 search (NULL = any),
 * ?3 phone_number_id (NULL = any), ?4 status name (NULL = any). lower() folds ASCII only. */
#define CONV_FILTER                                                                                \
	"WHERE account_id = ?1 "                                                                   \
	"AND (?2 IS NULL OR instr(lower(user_phone), lower(?2)) > 0 "                              \
	"OR instr(lower(user_name), lower(?2)) > 0 "                                               \
	"OR instr(lower(user_profile_name), lower(?2)) > 0) "                                      \
	"AND (?3 IS NULL OR phone_number_id = ?3) AND (?4 IS NULL OR status = ?4)"

static bool bind_filter(sqlite3_stmt *st, const char *account_id,
                        const struct conversation_filter *f)
{
	const char *status = f->status < 0 ? NULL : store_conv_status_name(f->status);
	return store_sqlite_bind_text(st, 1, account_id) &&
	       store_sqlite_bind_text(st, 2, f->search) &&
	       store_sqlite_bind_text(st, 3, f->phone_number_id) &&
	       store_sqlite_bind_text(st, 4, status);
}

static int conversation_count(struct store_sqlite *q, const char *account_id,
                              const struct conversation_filter *f, int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	bool unfiltered = !f->search && !f->phone_number_id && f->status < 0;
	int ret = unfiltered ? store_sqlite_stmt(q, STORE_SQLITE_STMT_CONVERSATION_COUNT_ALL,
	                                         "SELECT coalesce((SELECT conversations FROM "
	                                         "account_counters WHERE account_id = ?1), 0)",
	                                         &st, e)
	                     : store_sqlite_stmt(q, STORE_SQLITE_STMT_CONVERSATION_COUNT,
	                                         "SELECT count(*) FROM conversations " CONV_FILTER,
	                                         &st, e);
	if (ret != 0)
		return ret;
	if (unfiltered ? !store_sqlite_bind_text(st, 1, account_id)
	               : !bind_filter(st, account_id, f))
		return store_sqlite_bind_fail(q, st, e);
	*total = 0;
	return store_sqlite_one_i64(q, st, total, e);
}

static int conversation_page(struct store_sqlite *q, const char *account_id,
                             const struct conversation_filter *f,
                             void (*each)(void *arg, const struct conversation_row *row), void *arg,
                             struct err *e)
{
	sqlite3_stmt *st;
	struct conversation_row row;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONVERSATION_LIST,
	                            "SELECT " CONV_COLUMNS " FROM conversations " CONV_FILTER
	                            " ORDER BY last_message_at DESC, id DESC LIMIT ?5 OFFSET ?6",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!bind_filter(st, account_id, f) || !store_sqlite_bind_i64(st, 5, f->limit) ||
	    !store_sqlite_bind_i64(st, 6, f->offset))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = read_conversation(st, &row, e);
		if (ret == 0)
			each(arg, &row);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

/* The page and its total are read in one snapshot (a savepoint). */
int store_sqlite_conversations_list(struct store *s, const char *account_id,
                                    const struct conversation_filter *f,
                                    void (*each)(void *arg, const struct conversation_row *row),
                                    void *arg, int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool outermost = false;
	*total = 0;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = conversation_count(q, account_id, f, total, e);
	if (ret == 0)
		ret = conversation_page(q, account_id, f, each, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}
