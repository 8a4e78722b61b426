/* SQLite audit log: append-only rows, listed newest first per account. With and without an
 * action filter the list and the count are separate constant statements, so each can use
 * its own index ((account_id, created_at) or (account_id, action, created_at)). The page and
 * its total are read in one snapshot. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define AUDIT_COLUMNS                                                                              \
	"id, account_id, actor_type, actor_id, actor_label, action, target, ip, user_agent, "      \
	"details, created_at"

static int check_audit(const struct audit_row *a, struct err *e)
{
	if (!store_sqlite_fits(a->id, sizeof(a->id)) ||
	    !store_sqlite_fits(a->account_id, sizeof(a->account_id)) ||
	    !store_sqlite_fits(a->actor_id, sizeof(a->actor_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(a->actor_type, sizeof(a->actor_type)) ||
	    !store_sqlite_fits(a->actor_label, sizeof(a->actor_label)))
		return store_sqlite_too_long("actor", e);
	if (!store_sqlite_fits(a->action, sizeof(a->action)))
		return store_sqlite_too_long("action", e);
	if (!store_sqlite_fits(a->target, sizeof(a->target)))
		return store_sqlite_too_long("target", e);
	if (!store_sqlite_fits(a->ip, sizeof(a->ip)))
		return store_sqlite_too_long("ip", e);
	if (!store_sqlite_fits(a->user_agent, sizeof(a->user_agent)))
		return store_sqlite_too_long("user agent", e);
	if (!store_sqlite_fits(a->details, sizeof(a->details)))
		return store_sqlite_too_long("details", e);
	return 0;
}

int store_sqlite_audit_insert(struct store *s, const struct audit_row *a, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_audit(a, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_AUDIT_INSERT,
	                        "INSERT INTO audit_events(" AUDIT_COLUMNS ") "
	                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	                        &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, a->id) ||
	    !store_sqlite_bind_text(st, 2, a->account_id) ||
	    !store_sqlite_bind_text(st, 3, a->actor_type) ||
	    !store_sqlite_bind_text(st, 4, a->actor_id) ||
	    !store_sqlite_bind_text(st, 5, a->actor_label) ||
	    !store_sqlite_bind_text(st, 6, a->action) ||
	    !store_sqlite_bind_text(st, 7, a->target) || !store_sqlite_bind_text(st, 8, a->ip) ||
	    !store_sqlite_bind_text(st, 9, a->user_agent) ||
	    !store_sqlite_bind_text(st, 10, a->details) ||
	    !store_sqlite_bind_i64(st, 11, a->created_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

static int read_audit(sqlite3_stmt *st, struct audit_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->actor_type, sizeof(out->actor_type), e) != 0 ||
	    store_sqlite_column_text(st, 3, out->actor_id, sizeof(out->actor_id), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->actor_label, sizeof(out->actor_label), e) != 0 ||
	    store_sqlite_column_text(st, 5, out->action, sizeof(out->action), e) != 0 ||
	    store_sqlite_column_text(st, 6, out->target, sizeof(out->target), e) != 0 ||
	    store_sqlite_column_text(st, 7, out->ip, sizeof(out->ip), e) != 0 ||
	    store_sqlite_column_text(st, 8, out->user_agent, sizeof(out->user_agent), e) != 0 ||
	    store_sqlite_column_text(st, 9, out->details, sizeof(out->details), e) != 0)
		return ERR_INTERNAL;
	out->created_at = sqlite3_column_int64(st, 10);
	return 0;
}

/* Binds ?1 account_id and, when action is not NULL, ?2 action. */
static bool bind_scope(sqlite3_stmt *st, const char *account_id, const char *action)
{
	return store_sqlite_bind_text(st, 1, account_id) &&
	       (!action || store_sqlite_bind_text(st, 2, action));
}

static int audit_count(struct store_sqlite *q, const char *account_id, const char *action,
                       int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	int ret = action ? store_sqlite_stmt(q, STORE_SQLITE_STMT_AUDIT_COUNT_ACTION,
	                                     "SELECT count(*) FROM audit_events "
	                                     "WHERE account_id = ?1 AND action = ?2",
	                                     &st, e)
	                 : store_sqlite_stmt(q, STORE_SQLITE_STMT_AUDIT_COUNT,
	                                     "SELECT count(*) FROM audit_events "
	                                     "WHERE account_id = ?1",
	                                     &st, e);
	if (ret != 0)
		return ret;
	if (!bind_scope(st, account_id, action))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, total, e);
}

static int audit_page(struct store_sqlite *q, const char *account_id, const struct audit_filter *f,
                      void (*each)(void *arg, const struct audit_row *row), void *arg,
                      struct err *e)
{
	sqlite3_stmt *st;
	struct audit_row row;
	int ret = f->action ? store_sqlite_stmt(q, STORE_SQLITE_STMT_AUDIT_LIST_ACTION,
	                                        "SELECT " AUDIT_COLUMNS " FROM audit_events "
	                                        "WHERE account_id = ?1 AND action = ?2 "
	                                        "ORDER BY created_at DESC, id DESC "
	                                        "LIMIT ?3 OFFSET ?4",
	                                        &st, e)
	                    : store_sqlite_stmt(q, STORE_SQLITE_STMT_AUDIT_LIST,
	                                        "SELECT " AUDIT_COLUMNS " FROM audit_events "
	                                        "WHERE account_id = ?1 "
	                                        "ORDER BY created_at DESC, id DESC "
	                                        "LIMIT ?3 OFFSET ?4",
	                                        &st, e);
	if (ret != 0)
		return ret;
	if (!bind_scope(st, account_id, f->action) || !store_sqlite_bind_i64(st, 3, f->limit) ||
	    !store_sqlite_bind_i64(st, 4, f->offset))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = read_audit(st, &row, e);
		if (ret == 0)
			each(arg, &row);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_audit_list(struct store *s, const char *account_id, const struct audit_filter *f,
                            void (*each)(void *arg, const struct audit_row *row), void *arg,
                            int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool outermost = false;
	*total = 0;
	if (!store_sqlite_fits(f->action, STORE_AUDIT_ACTION_MAX))
		return store_sqlite_too_long("action", e);
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = audit_count(q, account_id, f->action, total, e);
	if (ret == 0)
		ret = audit_page(q, account_id, f, each, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}
