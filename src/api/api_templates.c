/* Template handlers; see api_templates.h. Templates carry both "id" and "_id" like the
 * original system's Mongo documents; components are Meta's JSON as stored. */
#include "api/api_templates.h"

#include <stdio.h>
#include <string.h>

#include "api/api_messages.h"
#include "core/xalloc.h"
#include "svc/template_send.h"
#include "svc/templates.h"

#define API_TEMPLATES_MAX_LIMIT 500

static json_t *template_json(const struct template_row *t)
{
	json_t *comps = json_loads(t->components, 0, NULL);
	json_t *vars = json_loads(t->variables, 0, NULL);
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "id",
	    t->id, "_id", t->id, "name", t->name, "language", t->language, "category", t->category,
	    "status", t->status, "content", t->body, "variables", vars ? vars : json_array(),
	    "components", comps ? comps : json_array(), "metaTemplateId",
	    jsonw_string_or_null(t->meta_template_id[0] ? t->meta_template_id : NULL),
	    "rejectedReason",
	    jsonw_string_or_null(t->rejected_reason[0] ? t->rejected_reason : NULL), "usageCount",
	    (json_int_t)t->usage_count, "lastUsedAt", jsonw_time_or_null(t->last_used_at),
	    "createdAt", jsonw_time_or_null(t->created_at), "updatedAt",
	    jsonw_time_or_null(t->updated_at));
}

static json_t *stats_json(const struct template_counts *n)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "approved", (json_int_t)n->approved,
	                 "pending", (json_int_t)n->pending, "rejected", (json_int_t)n->rejected,
	                 "draft", (json_int_t)n->draft, "paused", (json_int_t)n->paused, "disabled",
	                 (json_int_t)n->disabled, "total", (json_int_t)n->total);
}

static void add_template(void *arg, const struct template_row *t)
{
	json_array_append_new(arg, template_json(t));
}

static const char *const template_statuses[] = {"draft",  "pending",  "approved", "rejected",
                                                "paused", "disabled", NULL};
static const char *const template_categories[] = {"MARKETING", "UTILITY", "AUTHENTICATION", NULL};

int api_templates_list(struct api_call *c)
{
	struct template_filter f = {0};
	struct template_counts n;
	if (api_query_int(c, "limit", 100, 1, API_TEMPLATES_MAX_LIMIT, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &f.offset) ||
	    api_query_enum(c, "status", template_statuses, &f.status) ||
	    api_query_enum(c, "category", template_categories, &f.category))
		return c->err.code;
	json_t *list = json_array();
	int64_t total = 0;
	int rc = templates_list(c->ctx, c->account_id, &f, add_template, list, &total, &n, &c->err);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o, s:o}", "templates", list, "pagination",
	                        api_pagination_json(total, f.limit, f.offset), "stats",
	                        stats_json(&n)));
}

int api_templates_get(struct api_call *c)
{
	char id[64];
	struct template_row *t = xmalloc(sizeof(*t));
	int rc = templates_get(c->ctx, c->account_id, api_param(c, id, sizeof(id)), t, &c->err);
	json_t *data = rc == 0 ? template_json(t) : NULL;
	free(t);
	return rc != 0 ? rc : api_ok(c, 200, NULL, json_pack("{s:o}", "template", data));
}

static int decode(struct api_call *c, struct template_cmd *cmd)
{
	struct err *e = &c->err;
	if (jsonw_str(c->body, "name", false, 600, &cmd->name, e) ||
	    jsonw_str(c->body, "language", false, 15, &cmd->language, e) ||
	    jsonw_str(c->body, "category", false, 23, &cmd->category, e) ||
	    jsonw_str(c->body, "content", false, 8192, &cmd->content, e) ||
	    jsonw_str(c->body, "headerText", false, 1024, &cmd->header_text, e) ||
	    jsonw_str(c->body, "footerText", false, 1024, &cmd->footer_text, e) ||
	    jsonw_bool(c->body, "submit", false, &cmd->submit, e))
		return e->code;
	cmd->examples = json_object_get(c->body, "examples");
	cmd->buttons = json_object_get(c->body, "buttons");
	cmd->components = json_object_get(c->body, "components");
	if (cmd->buttons && !json_is_array(cmd->buttons))
		return err_field(e, "buttons", "must be an array");
	if (cmd->examples && !json_is_array(cmd->examples) && !json_is_object(cmd->examples))
		return err_field(e, "examples", "must be an array or an object");
	return 0;
}

/* mode: 0 create (draft unless "submit"), 1 create and submit, 2 update. */
static int save(struct api_call *c, int mode)
{
	struct template_cmd cmd = {0};
	struct template_row *t = xmalloc(sizeof(*t));
	char id[64];
	int rc = decode(c, &cmd);
	if (mode == 1)
		cmd.submit = true;
	if (rc == 0 && mode < 2)
		rc = templates_create(c->ctx, c->account_id, &cmd, t, &c->err);
	else if (rc == 0)
		rc = templates_update(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &cmd, t,
		                      &c->err);
	json_t *data = rc == 0 ? template_json(t) : NULL;
	free(t);
	if (rc != 0)
		return rc;
	return api_ok(c, mode < 2 ? 201 : 200,
	              mode == 2 ? "Template updated successfully"
	                        : (cmd.submit ? "Template created and submitted for review"
	                                      : "Template created successfully"),
	              json_pack("{s:o}", "template", data));
}

int api_templates_create(struct api_call *c)
{
	return save(c, 0);
}

int api_templates_create_submit(struct api_call *c)
{
	return save(c, 1);
}

int api_templates_update(struct api_call *c)
{
	return save(c, 2);
}

int api_templates_delete(struct api_call *c)
{
	char id[64];
	int rc = templates_delete(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Template deleted successfully", NULL);
}

int api_templates_submit(struct api_call *c)
{
	char id[64];
	struct template_row *t = xmalloc(sizeof(*t));
	int rc = templates_submit(c->ctx, c->account_id, api_param(c, id, sizeof(id)), t, &c->err);
	json_t *data = rc == 0 ? template_json(t) : NULL;
	free(t);
	return rc != 0 ? rc
	               : api_ok(c, 200, "Template submitted for review",
	                        json_pack("{s:o}", "template", data));
}

int api_templates_sync(struct api_call *c)
{
	struct templates_sync_result r;
	char msg[128];
	int rc = templates_sync(c->ctx, c->account_id, &r, &c->err);
	if (rc != 0)
		return rc;
	snprintf(msg, sizeof(msg), "Successfully synced %d template%s from WhatsApp Manager",
	         r.synced, r.synced == 1 ? "" : "s");
	return api_ok(c, 200, msg,
	              json_pack("{s:i, s:i, s:i, s:i, s:i}", "synced", r.synced, "created",
	                        r.created, "updated", r.updated, "removed", r.removed, "pages",
	                        r.pages));
}

static int send_template(struct api_call *c, void *arg, struct send_answer *a)
{
	return template_send(c->ctx, c->account_id, arg, a, &c->err);
}

int api_templates_send(struct api_call *c)
{
	struct err *e = &c->err;
	struct template_send_cmd cmd = {0};
	char hash[SEC_SHA256_HEX];
	if (jsonw_str(c->body, "templateName", false, 600, &cmd.template_name, e) ||
	    jsonw_str(c->body, "templateId", false, 64, &cmd.template_id, e) ||
	    jsonw_str(c->body, "recipientPhone", true, 64, &cmd.base.recipient, e) ||
	    jsonw_str(c->body, "language", false, 15, &cmd.language, e) ||
	    jsonw_str(c->body, "headerMedia", false, 4096, &cmd.header_media, e) ||
	    jsonw_str(c->body, "phoneNumberId", false, 64, &cmd.base.phone_number_id, e) ||
	    api_messages_send_headers(c, &cmd.base))
		return e->code;
	if (!cmd.template_name && !cmd.template_id)
		return err_field(e, "templateName", "is required (or templateId)");
	cmd.variables = json_object_get(c->body, "variables");
	if (json_is_null(cmd.variables))
		cmd.variables = NULL;
	cmd.buttons = json_object_get(c->body, "buttons");
	sec_sha256_hex(c->req->body.ptr ? c->req->body.ptr : "", c->req->body.len, hash);
	cmd.base.request_hash = hash;
	return api_messages_deferred(c, &cmd.base, send_template, &cmd);
}
