/* The template registry; see templates.h. Local rows are written only after Meta agreed
 * (submit, delete), so a Meta failure leaves the registry as it was. Meta statuses are
 * upper-case; ours are their lower-case names (REINSTATED reads as approved). */
#include "svc/templates.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/template_meta.h"

const char *templates_local_status(const char *meta)
{
	static const char *const known[] = {"draft",    "pending", "approved",
	                                    "rejected", "paused",  "disabled"};
	if (!meta)
		return NULL;
	if (strcasecmp(meta, "REINSTATED") == 0)
		return "approved";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(meta, known[i]) == 0)
			return known[i];
	return NULL;
}

int templates_get(struct ctx *c, const char *account_id, const char *id, struct template_row *out,
                  struct err *e)
{
	if (!ids_is_valid(str_from(id)))
		return err_set(e, ERR_NOT_FOUND, "TEMPLATE_NOT_FOUND", "Template not found");
	return store_template_get(c->store, account_id, id, out, e);
}

int templates_list(struct ctx *c, const char *account_id, const struct template_filter *f,
                   void (*each)(void *arg, const struct template_row *row), void *arg,
                   int64_t *total, struct template_counts *counts, struct err *e)
{
	int rc = store_template_list(c->store, account_id, f, each, arg, total, e);
	return rc != 0 ? rc : store_template_counts(c->store, account_id, counts, e);
}

/* Submits t under n and records Meta's id and status. */
static int submit_row(struct ctx *c, const struct number_row *n, struct template_row *t,
                      struct err *e)
{
	struct template_row *sent = xmalloc(sizeof(*sent));
	memcpy(sent, t, sizeof(*sent));
	int rc = template_meta_submit(c, n, sent, e);
	if (rc == 0) {
		if (!templates_local_status(sent->status))
			str_copy_cstr(sent->status, sizeof(sent->status), "pending");
		sent->rejected_reason[0] = '\0';
		sent->updated_at = svc_now(c);
		rc = store_template_update(c->store, sent, e);
	}
	if (rc == 0)
		memcpy(t, sent, sizeof(*t));
	free(sent);
	return rc;
}

int templates_create(struct ctx *c, const char *account_id, const struct template_cmd *cmd,
                     struct template_row *out, struct err *e)
{
	struct number_row num;
	memset(out, 0, sizeof(*out));
	int rc = template_check_build(cmd, out, e);
	if (rc == 0)
		rc = template_meta_number(c, account_id, &num, e);
	if (rc != 0)
		return rc;
	int64_t now = svc_now(c);
	ids_new(now, out->id);
	str_copy_cstr(out->account_id, sizeof(out->account_id), account_id);
	str_copy_cstr(out->waba_id, sizeof(out->waba_id), num.waba_id);
	str_copy_cstr(out->status, sizeof(out->status), "draft");
	out->created_at = out->updated_at = now;
	rc = store_template_insert(c->store, out, e);
	if (rc == ERR_CONFLICT && strcmp(e->key, "TEMPLATE_EXISTS") == 0)
		err_set(e, ERR_CONFLICT, "TEMPLATE_EXISTS",
		        "Template with this name and language already exists");
	if (rc == 0 && cmd->submit)
		rc = submit_row(c, &num, out, e);
	return rc;
}

static bool editable(const struct template_row *t)
{
	return strcmp(t->status, "draft") == 0 || strcmp(t->status, "rejected") == 0;
}

int templates_update(struct ctx *c, const char *account_id, const char *id,
                     const struct template_cmd *cmd, struct template_row *out, struct err *e)
{
	int rc = templates_get(c, account_id, id, out, e);
	if (rc != 0)
		return rc;
	if (!editable(out))
		return err_set(e, ERR_CONFLICT, "TEMPLATE_NOT_EDITABLE",
		               "Approved templates cannot be edited; create a new version");
	struct template_row *t = xmalloc(sizeof(*t));
	memcpy(t, out, sizeof(*t));
	struct template_cmd merged = *cmd; /* name, language and category default to the row's */
	merged.name = cmd->name ? cmd->name : out->name;
	merged.language = cmd->language ? cmd->language : out->language;
	merged.category = cmd->category ? cmd->category : out->category;
	rc = template_check_build(&merged, t, e);
	if (rc == 0) {
		str_copy_cstr(t->status, sizeof(t->status), "draft");
		/* Meta edits a submitted template in place (same name and language); a renamed
		 * one is a new template. */
		if (strcmp(t->name, out->name) != 0 || strcmp(t->language, out->language) != 0)
			t->meta_template_id[0] = '\0';
		t->rejected_reason[0] = '\0';
		t->updated_at = svc_now(c);
		rc = store_template_update(c->store, t, e);
	}
	if (rc == 0)
		memcpy(out, t, sizeof(*out));
	free(t);
	return rc;
}

int templates_submit(struct ctx *c, const char *account_id, const char *id,
                     struct template_row *out, struct err *e)
{
	struct number_row num;
	int rc = templates_get(c, account_id, id, out, e);
	if (rc == 0 && !editable(out))
		rc = err_set(e, ERR_CONFLICT, "INVALID_TEMPLATE_STATUS",
		             "Only draft or rejected templates can be submitted");
	if (rc == 0)
		rc = template_meta_number(c, account_id, &num, e);
	if (rc == 0)
		rc = submit_row(c, &num, out, e);
	return rc;
}

int templates_delete(struct ctx *c, const char *account_id, const char *id, struct err *e)
{
	struct template_row *t = xmalloc(sizeof(*t));
	struct number_row num;
	int rc = templates_get(c, account_id, id, t, e);
	if (rc == 0 && t->meta_template_id[0]) /* a draft never submitted is only ours */
		rc = template_meta_number(c, account_id, &num, e);
	if (rc == 0 && t->meta_template_id[0])
		rc = template_meta_delete(c, &num, t->name, e);
	if (rc == 0)
		rc = store_template_delete(c->store, account_id, id, svc_now(c), e);
	free(t);
	return rc;
}

int templates_apply_status(struct ctx *c, const char *waba_id, const char *meta_id,
                           const char *name, const char *language, const char *event,
                           const char *reason, struct err *e)
{
	const char *status = templates_local_status(event);
	if (!status)
		return 0; /* e.g. FLAGGED: a warning, not a status change */
	struct template_row *t = xmalloc(sizeof(*t));
	bool found = false;
	int rc = store_template_find_meta(c->store, NULL, waba_id, meta_id, name, language, t,
	                                  &found, e);
	if (rc == 0 && found) {
		str_copy_cstr(t->status, sizeof(t->status), status);
		str_copy_cstr(t->rejected_reason, sizeof(t->rejected_reason),
		              strcmp(status, "rejected") == 0 && reason &&
		                      strcmp(reason, "NONE") != 0
		                  ? reason
		                  : "");
		if (meta_id && *meta_id && !t->meta_template_id[0])
			str_copy_cstr(t->meta_template_id, sizeof(t->meta_template_id), meta_id);
		t->updated_at = svc_now(c);
		rc = store_template_update(c->store, t, e);
	}
	free(t);
	return rc;
}
