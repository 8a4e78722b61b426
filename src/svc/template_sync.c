/* templates_sync: reads every page of Meta's template list for the default number's WABA and
 * brings the registry in line: new templates are added, known ones take Meta's status,
 * content and rejection reason, and live templates of that WABA that Meta no longer lists
 * (deleted in WhatsApp Manager) are removed. A local draft edited from a submitted template
 * keeps its edit: Meta still shows the old version until it is submitted again. */
#include "svc/templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/template_check.h"
#include "svc/template_meta.h"

#define SYNC_PAGE 500

struct sync_ctx {
	struct ctx *c;
	const char *account_id;
	const struct number_row *num;
	struct templates_sync_result *res;
	struct template_row row; /* scratch */
	int rc;
	struct err err;
	char (*seen)[STORE_META_ID_MAX]; /* Meta ids listed by Meta */
	size_t nseen, capseen;
	char (*gone)[IDS_SIZE]; /* our ids of templates Meta no longer lists */
	size_t ngone, capgone;
};

static void remember(struct sync_ctx *s, const char *meta_id)
{
	if (s->nseen == s->capseen) {
		s->capseen = s->capseen ? s->capseen * 2 : 128;
		s->seen = xrealloc(s->seen, s->capseen * sizeof(*s->seen));
	}
	str_copy_cstr(s->seen[s->nseen++], STORE_META_ID_MAX, meta_id);
}

/* Copies Meta's fields of tpl into s->row; false when tpl lacks what a row needs. */
static bool sync_fields(struct sync_ctx *s, const json_t *tpl)
{
	struct template_row *t = &s->row;
	const char *id = json_string_value(json_object_get(tpl, "id"));
	const char *name = json_string_value(json_object_get(tpl, "name"));
	const char *lang = json_string_value(json_object_get(tpl, "language"));
	const char *cat = json_string_value(json_object_get(tpl, "category"));
	const char *status =
	    templates_local_status(json_string_value(json_object_get(tpl, "status")));
	const char *reason = json_string_value(json_object_get(tpl, "rejected_reason"));
	if (!id || !name || !lang || !status ||
	    str_copy_cstr(t->meta_template_id, sizeof(t->meta_template_id), id) != 0 ||
	    str_copy_cstr(t->name, sizeof(t->name), name) != 0 ||
	    str_copy_cstr(t->language, sizeof(t->language), lang) != 0)
		return false;
	str_copy_cstr(t->category, sizeof(t->category), cat ? cat : "UTILITY");
	bool keep_reason = strcmp(status, "rejected") == 0 && strcmp(t->status, "rejected") == 0;
	str_copy_cstr(t->status, sizeof(t->status), status);
	if (reason && strcmp(reason, "NONE") != 0 && strcmp(status, "rejected") == 0)
		str_copy_cstr(t->rejected_reason, sizeof(t->rejected_reason), reason);
	else if (!keep_reason) /* Meta did not say why: keep what its webhook told us */
		t->rejected_reason[0] = '\0';
	template_check_describe(json_object_get(tpl, "components"), t);
	return true;
}

static void sync_one(void *arg, const json_t *tpl)
{
	struct sync_ctx *s = arg;
	const char *id = json_string_value(json_object_get(tpl, "id"));
	const char *name = json_string_value(json_object_get(tpl, "name"));
	const char *lang = json_string_value(json_object_get(tpl, "language"));
	bool found = false;
	if (s->rc != 0 || !id || !name || !lang)
		return;
	remember(s, id);
	s->rc = store_template_find_meta(s->c->store, s->account_id, s->num->waba_id, id, name,
	                                 lang, &s->row, &found, &s->err);
	if (s->rc != 0 || (found && strcmp(s->row.status, "draft") == 0))
		return; /* a local edit waiting to be submitted again wins */
	int64_t now = svc_now(s->c);
	if (!found) {
		memset(&s->row, 0, sizeof(s->row));
		ids_new(now, s->row.id);
		str_copy_cstr(s->row.account_id, sizeof(s->row.account_id), s->account_id);
		str_copy_cstr(s->row.waba_id, sizeof(s->row.waba_id), s->num->waba_id);
		s->row.created_at = now;
	}
	if (!sync_fields(s, tpl))
		return; /* a status we do not track (e.g. DELETED) or a malformed entry */
	s->row.updated_at = now;
	s->rc = found ? store_template_update(s->c->store, &s->row, &s->err)
	              : store_template_insert(s->c->store, &s->row, &s->err);
	s->res->synced++;
	if (found)
		s->res->updated++;
	else
		s->res->created++;
}

static bool was_listed(const struct sync_ctx *s, const char *meta_id)
{
	for (size_t i = 0; i < s->nseen; i++)
		if (strcmp(s->seen[i], meta_id) == 0)
			return true;
	return false;
}

static void check_gone(void *arg, const struct template_row *t)
{
	struct sync_ctx *s = arg;
	if (!t->meta_template_id[0] || strcmp(t->waba_id, s->num->waba_id) != 0 ||
	    was_listed(s, t->meta_template_id))
		return;
	if (s->ngone == s->capgone) {
		s->capgone = s->capgone ? s->capgone * 2 : 16;
		s->gone = xrealloc(s->gone, s->capgone * sizeof(*s->gone));
	}
	memcpy(s->gone[s->ngone++], t->id, IDS_SIZE);
}

/* After a complete listing: removes the live templates of this WABA Meta did not list. */
static int remove_gone(struct sync_ctx *s, struct err *e)
{
	int64_t total = 0;
	int rc = 0;
	for (int64_t off = 0; rc == 0 && (off == 0 || off < total); off += SYNC_PAGE) {
		struct template_filter f = {.limit = SYNC_PAGE, .offset = off};
		rc = store_template_list(s->c->store, s->account_id, &f, check_gone, s, &total, e);
	}
	int64_t now = svc_now(s->c);
	for (size_t i = 0; rc == 0 && i < s->ngone; i++) {
		rc = store_template_delete(s->c->store, s->account_id, s->gone[i], now, e);
		s->res->removed += rc == 0;
	}
	if (s->ngone > 0)
		log_info("pixels:templates", "sync removed %zu template(s) Meta no longer lists",
		         s->ngone);
	return rc;
}

int templates_sync(struct ctx *c, const char *account_id, struct templates_sync_result *out,
                   struct err *e)
{
	struct number_row num;
	memset(out, 0, sizeof(*out));
	int rc = template_meta_number(c, account_id, &num, e);
	if (rc != 0)
		return rc;
	struct sync_ctx *s = xcalloc(1, sizeof(*s));
	s->c = c;
	s->account_id = account_id;
	s->num = &num;
	s->res = out;
	rc = template_meta_list(c, &num, sync_one, s, &out->pages, e);
	if (rc == 0 && s->rc != 0) {
		*e = s->err;
		rc = s->rc;
	}
	if (rc == 0)
		rc = remove_gone(s, e);
	free(s->seen);
	free(s->gone);
	free(s);
	return rc;
}
