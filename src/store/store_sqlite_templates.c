/* SQLite message templates. Every query reads live rows only (deleted_at = 0) and is scoped
 * by account_id, except template_find_meta with a NULL account (webhooks name the WABA, not
 * the account). The live-name uniqueness is a partial unique index (0005_templates.sql). */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define TPL_COLUMNS                                                                                \
	"id, account_id, waba_id, name, language, category, status, components, body, variables, " \
	"var_count, meta_template_id, rejected_reason, usage_count, last_used_at, created_at, "    \
	"updated_at, deleted_at"

static int check_template(const struct template_row *t, struct err *e)
{
	if (!store_sqlite_fits(t->id, sizeof(t->id)) ||
	    !store_sqlite_fits(t->account_id, sizeof(t->account_id)) ||
	    !store_sqlite_fits(t->waba_id, sizeof(t->waba_id)) ||
	    !store_sqlite_fits(t->meta_template_id, sizeof(t->meta_template_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(t->name, sizeof(t->name)) ||
	    !store_sqlite_fits(t->language, sizeof(t->language)) ||
	    !store_sqlite_fits(t->category, sizeof(t->category)) ||
	    !store_sqlite_fits(t->status, sizeof(t->status)))
		return store_sqlite_too_long("name", e);
	if (!store_sqlite_fits(t->components, sizeof(t->components)) ||
	    !store_sqlite_fits(t->body, sizeof(t->body)) ||
	    !store_sqlite_fits(t->variables, sizeof(t->variables)) ||
	    !store_sqlite_fits(t->rejected_reason, sizeof(t->rejected_reason)))
		return store_sqlite_too_long("components", e);
	return 0;
}

/* ?1 id, ?2 account_id, ?3 waba, ?4 name, ?5 language, ?6 category, ?7 status, ?8 components,
 * ?9 body, ?10 variables, ?11 var_count, ?12 meta id, ?13 reason, ?14 usage, ?15 last used,
 * ?16 updated_at. */
static bool bind_template(sqlite3_stmt *st, const struct template_row *t)
{
	return store_sqlite_bind_text(st, 1, t->id) &&
	       store_sqlite_bind_text(st, 2, t->account_id) &&
	       store_sqlite_bind_text(st, 3, t->waba_id) &&
	       store_sqlite_bind_text(st, 4, t->name) &&
	       store_sqlite_bind_text(st, 5, t->language) &&
	       store_sqlite_bind_text(st, 6, t->category) &&
	       store_sqlite_bind_text(st, 7, t->status) &&
	       store_sqlite_bind_text(st, 8, t->components) &&
	       store_sqlite_bind_text(st, 9, t->body) &&
	       store_sqlite_bind_text(st, 10, t->variables) &&
	       store_sqlite_bind_i64(st, 11, t->var_count) &&
	       store_sqlite_bind_text(st, 12, t->meta_template_id) &&
	       store_sqlite_bind_text(st, 13, t->rejected_reason) &&
	       store_sqlite_bind_i64(st, 14, t->usage_count) &&
	       store_sqlite_bind_i64(st, 15, t->last_used_at) &&
	       store_sqlite_bind_i64(st, 16, t->updated_at);
}

static int read_template(sqlite3_stmt *st, struct template_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->waba_id, sizeof(out->waba_id), e) != 0 ||
	    store_sqlite_column_text(st, 3, out->name, sizeof(out->name), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->language, sizeof(out->language), e) != 0 ||
	    store_sqlite_column_text(st, 5, out->category, sizeof(out->category), e) != 0 ||
	    store_sqlite_column_text(st, 6, out->status, sizeof(out->status), e) != 0 ||
	    store_sqlite_column_text(st, 7, out->components, sizeof(out->components), e) != 0 ||
	    store_sqlite_column_text(st, 8, out->body, sizeof(out->body), e) != 0 ||
	    store_sqlite_column_text(st, 9, out->variables, sizeof(out->variables), e) != 0 ||
	    store_sqlite_column_text(st, 11, out->meta_template_id, sizeof(out->meta_template_id),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 12, out->rejected_reason, sizeof(out->rejected_reason),
	                             e) != 0)
		return ERR_INTERNAL;
	out->var_count = (int)sqlite3_column_int64(st, 10);
	out->usage_count = sqlite3_column_int64(st, 13);
	out->last_used_at = sqlite3_column_int64(st, 14);
	out->created_at = sqlite3_column_int64(st, 15);
	out->updated_at = sqlite3_column_int64(st, 16);
	out->deleted_at = sqlite3_column_int64(st, 17);
	return 0;
}

/* Steps a bound SELECT: one row -> *out, none -> *found false. */
static int step_template(struct store_sqlite *q, sqlite3_stmt *st, struct template_row *out,
                         bool *found, struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_template(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_templates_insert(struct store *s, const struct template_row *t, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_template(t, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_TEMPLATE_INSERT,
		    "INSERT INTO templates(id, account_id, waba_id, name, language, category, "
		    "status, components, body, variables, var_count, meta_template_id, "
		    "rejected_reason, usage_count, last_used_at, updated_at, created_at) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
		    &st, e);
	if (ret != 0)
		return ret;
	if (!bind_template(st, t) || !store_sqlite_bind_i64(st, 17, t->created_at))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, "TEMPLATE_EXISTS", e);
}

int store_sqlite_templates_get(struct store *s, const char *account_id, const char *id,
                               struct template_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_GET,
	                            "SELECT " TPL_COLUMNS " FROM templates WHERE account_id = ?1 "
	                            "AND id = ?2 AND deleted_at = 0",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id))
		return store_sqlite_bind_fail(q, st, e);
	ret = step_template(q, st, out, &found, e);
	if (ret == 0 && !found)
		ret = err_set(e, ERR_NOT_FOUND, "TEMPLATE_NOT_FOUND", "Template not found");
	return ret;
}

int store_sqlite_templates_find_by_name(struct store *s, const char *account_id, const char *name,
                                        const char *language, struct template_row *out, bool *found,
                                        struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_FIND_BY_NAME,
	                            "SELECT " TPL_COLUMNS
	                            " FROM templates WHERE account_id = ?1 AND name = ?2 "
	                            "AND (?3 IS NULL OR language = ?3) AND deleted_at = 0 "
	                            "ORDER BY (language = 'en') DESC, created_at, id LIMIT 1",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, name) ||
	    !store_sqlite_bind_text(st, 3, language))
		return store_sqlite_bind_fail(q, st, e);
	return step_template(q, st, out, found, e);
}

int store_sqlite_templates_find_meta(struct store *s, const char *account_id, const char *waba_id,
                                     const char *meta_id, const char *name, const char *language,
                                     struct template_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_TEMPLATE_FIND_META,
	    "SELECT " TPL_COLUMNS " FROM templates WHERE (?1 IS NULL OR account_id = ?1) "
	    "AND deleted_at = 0 AND ((?3 <> '' AND meta_template_id = ?3) OR "
	    "(waba_id = ?2 AND name = ?4 AND language = ?5)) "
	    "ORDER BY (meta_template_id = ?3) DESC, created_at, id LIMIT 1",
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, waba_id ? waba_id : "") ||
	    !store_sqlite_bind_text(st, 3, meta_id ? meta_id : "") ||
	    !store_sqlite_bind_text(st, 4, name ? name : "") ||
	    !store_sqlite_bind_text(st, 5, language ? language : ""))
		return store_sqlite_bind_fail(q, st, e);
	return step_template(q, st, out, found, e);
}

int store_sqlite_templates_update(struct store *s, const struct template_row *t, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = check_template(t, e);
	if (ret == 0)
		ret = store_sqlite_stmt(
		    q, STORE_SQLITE_STMT_TEMPLATE_UPDATE,
		    "UPDATE templates SET waba_id = ?3, name = ?4, language = ?5, category = ?6, "
		    "status = ?7, components = ?8, body = ?9, variables = ?10, var_count = ?11, "
		    "meta_template_id = ?12, rejected_reason = ?13, usage_count = ?14, "
		    "last_used_at = ?15, updated_at = ?16 "
		    "WHERE account_id = ?2 AND id = ?1 AND deleted_at = 0",
		    &st, e);
	if (ret != 0)
		return ret;
	if (!bind_template(st, t))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, "TEMPLATE_EXISTS", "TEMPLATE_NOT_FOUND",
	                                "Template not found", e);
}

int store_sqlite_templates_delete(struct store *s, const char *account_id, const char *id,
                                  int64_t now, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_DELETE,
	                            "UPDATE templates SET deleted_at = ?3, updated_at = ?3 "
	                            "WHERE account_id = ?1 AND id = ?2 AND deleted_at = 0",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, id) ||
	    !store_sqlite_bind_i64(st, 3, now))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "TEMPLATE_NOT_FOUND", "Template not found", e);
}

#define TPL_FILTER                                                                                 \
	"WHERE account_id = ?1 AND deleted_at = 0 AND (?2 IS NULL OR status = ?2) "                \
	"AND (?3 IS NULL OR category = ?3)"

static int template_count(struct store_sqlite *q, const char *account_id,
                          const struct template_filter *f, int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_COUNT,
	                            "SELECT count(*) FROM templates " TPL_FILTER, &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, f->status) ||
	    !store_sqlite_bind_text(st, 3, f->category))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, total, e);
}

static int template_page(struct store_sqlite *q, const char *account_id,
                         const struct template_filter *f,
                         void (*each)(void *arg, const struct template_row *row), void *arg,
                         struct err *e)
{
	sqlite3_stmt *st;
	struct template_row *row = NULL;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_LIST,
	                            "SELECT " TPL_COLUMNS " FROM templates " TPL_FILTER
	                            " ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, f->status) ||
	    !store_sqlite_bind_text(st, 3, f->category) ||
	    !store_sqlite_bind_i64(st, 4, f->limit) || !store_sqlite_bind_i64(st, 5, f->offset))
		return store_sqlite_bind_fail(q, st, e);
	row = sqlite3_malloc(sizeof(*row)); /* ~14 KiB: kept off worker stacks */
	int rc = row ? sqlite3_step(st) : SQLITE_NOMEM;
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = read_template(st, row, e);
		if (ret == 0)
			each(arg, row);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	sqlite3_free(row);
	return ret;
}

int store_sqlite_templates_list(struct store *s, const char *account_id,
                                const struct template_filter *f,
                                void (*each)(void *arg, const struct template_row *row), void *arg,
                                int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool outermost = false;
	*total = 0;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = template_count(q, account_id, f, total, e);
	if (ret == 0)
		ret = template_page(q, account_id, f, each, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

static void add_count(struct template_counts *out, const char *status, int64_t n)
{
	const char *names[] = {"draft", "pending", "approved", "rejected", "paused", "disabled"};
	int64_t *slots[] = {&out->draft,    &out->pending, &out->approved,
	                    &out->rejected, &out->paused,  &out->disabled};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(status, names[i]) == 0)
			*slots[i] += n;
	out->total += n;
}

int store_sqlite_templates_counts(struct store *s, const char *account_id,
                                  struct template_counts *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	memset(out, 0, sizeof(*out));
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_TEMPLATE_COUNTS,
	                            "SELECT status, count(*) FROM templates WHERE account_id = ?1 "
	                            "AND deleted_at = 0 GROUP BY status",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id))
		return store_sqlite_bind_fail(q, st, e);
	char status[16];
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = store_sqlite_column_text(st, 0, status, sizeof(status), e);
		if (ret == 0)
			add_count(out, status, sqlite3_column_int64(st, 1));
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}
