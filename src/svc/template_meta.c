/* Template Graph calls; see template_meta.h. Each call opens the number's token, makes one
 * synchronous request through meta_graph_call and zeroes the token again. Replies are bounded
 * (1 MiB: a page of 100 templates fits). */
#include "svc/template_meta.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/sec.h"
#include "core/str.h"
#include "meta/control.h"
#include "meta/graph.h"
#include "svc/numbers.h"

#define REPLY_MAX (1024 * 1024)

int template_meta_number(struct ctx *c, const char *account_id, struct number_row *out,
                         struct err *e)
{
	int rc = numbers_resolve(c, account_id, NULL, out, e);
	if (rc == 0 && !out->waba_id[0])
		rc = err_set(e, ERR_INVALID, "MISSING_WABA_CONFIG",
		             "The default WhatsApp number has no WhatsApp Business Account id");
	/* Sandbox: the embedded simulator forgets numbers when the process restarts; make sure
	 * it files templates under this number's WABA (idempotent, loopback). */
	struct err se = {0};
	if (rc == 0 && out->sandbox &&
	    meta_sim_register_number(c->svc->cfg->graph_base_url, out->phone_number_id,
	                             out->waba_id, out->display_phone, "Sandbox", &se) != 0)
		log_warn("pixels:templates", "%s", se.message);
	return rc;
}

/* One Graph call with n's token; *reply (caller decrefs) is the parsed JSON answer when
 * Meta accepted it. */
static int call(struct ctx *c, const struct number_row *n, struct meta_request *req, json_t **reply,
                struct err *e)
{
	char token[800];
	*reply = NULL;
	int rc = numbers_token(c, n, token, sizeof(token), e);
	if (rc != 0)
		return rc;
	const struct config *cfg = c->svc->cfg;
	struct meta_graph_config gc = {.base_url = cfg->graph_base_url,
	                               .version = cfg->graph_version,
	                               .connect_timeout_ms = 5000,
	                               .timeout_ms = 15000,
	                               .max_reply_bytes = REPLY_MAX,
	                               .max_in_flight = 1};
	struct meta_result res;
	struct buf body;
	buf_init(&body, REPLY_MAX);
	req->access_token = token;
	rc = meta_graph_call(&gc, req, &res, &body, e);
	sec_zero(token, sizeof(token));
	if (rc == 0 && res.outcome != META_OK)
		rc = err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta answered %d: %s", res.http_status,
		             res.transport_error ? res.transport_text : res.message);
	if (rc == 0 && jsonw_parse_object(res.body, res.body_len, reply, e) != 0)
		rc = err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta's answer was not a JSON object");
	buf_release(&body);
	return rc;
}

/* Meta's edit of a template it has (a rejected one, edited here): POST /{template-id}. */
static int edit(struct ctx *c, const struct number_row *n, struct template_row *t, struct err *e)
{
	char path[STORE_META_ID_MAX + 8];
	json_t *comps = json_loads(t->components, 0, NULL), *reply = NULL;
	json_t *req = json_pack("{s:s, s:o}", "category", t->category, "components",
	                        comps ? comps : json_array());
	char *body = jsonw_dump(req, NULL);
	json_decref(req);
	snprintf(path, sizeof(path), "/%s", t->meta_template_id);
	struct meta_request r = {
	    .method = "POST", .path = path, .body = body, .body_len = strlen(body)};
	int rc = call(c, n, &r, &reply, e);
	free(body);
	if (rc == 0 && !json_is_true(json_object_get(reply, "success")))
		rc = err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta did not confirm the edit");
	if (rc == 0)
		str_copy_cstr(t->status, sizeof(t->status), "pending");
	json_decref(reply);
	return rc;
}

int template_meta_submit(struct ctx *c, const struct number_row *n, struct template_row *t,
                         struct err *e)
{
	if (t->meta_template_id[0])
		return edit(c, n, t, e);
	char path[STORE_META_ID_MAX + 32];
	json_t *comps = json_loads(t->components, 0, NULL), *reply = NULL;
	json_t *req =
	    json_pack("{s:s, s:s, s:s, s:o}", "name", t->name, "language", t->language, "category",
	              t->category, "components", comps ? comps : json_array());
	char *body = jsonw_dump(req, NULL);
	json_decref(req);
	snprintf(path, sizeof(path), "/%s/message_templates", n->waba_id);
	struct meta_request r = {
	    .method = "POST", .path = path, .body = body, .body_len = strlen(body)};
	int rc = call(c, n, &r, &reply, e);
	free(body);
	const char *id = json_string_value(json_object_get(reply, "id"));
	const char *status = json_string_value(json_object_get(reply, "status"));
	if (rc == 0 &&
	    (!id || str_copy_cstr(t->meta_template_id, sizeof(t->meta_template_id), id) != 0))
		rc = err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta's answer had no template id");
	if (rc == 0) {
		str_copy_cstr(t->status, sizeof(t->status), status ? status : "pending");
		str_lower_inplace(t->status);
	}
	json_decref(reply);
	return rc;
}

/* Reads one page; copies the next cursor into after ("" when it was the last page). */
static int list_page(struct ctx *c, const struct number_row *n, char *after, size_t cap,
                     void (*each)(void *arg, const json_t *tpl), void *arg, struct err *e)
{
	char path[STORE_META_ID_MAX + 32], query[600];
	snprintf(path, sizeof(path), "/%s/message_templates", n->waba_id);
	snprintf(query, sizeof(query),
	         "limit=100&fields=id,name,language,status,category,components,rejected_reason%s%s",
	         after[0] ? "&after=" : "", after);
	struct meta_request r = {.method = "GET", .path = path, .query = query};
	json_t *reply = NULL;
	int rc = call(c, n, &r, &reply, e);
	if (rc != 0)
		return rc;
	size_t i;
	json_t *tpl, *data = json_object_get(reply, "data");
	json_array_foreach(data, i, tpl) each(arg, tpl);
	json_t *paging = json_object_get(reply, "paging");
	const char *next =
	    json_string_value(json_object_get(json_object_get(paging, "cursors"), "after"));
	bool more = json_array_size(data) > 0 && json_object_get(paging, "next") && next;
	bool safe = more && strspn(next, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                 "0123456789-_=.") == strlen(next);
	if (!safe || str_copy_cstr(after, cap, next) != 0)
		after[0] = '\0';
	json_decref(reply);
	return 0;
}

int template_meta_list(struct ctx *c, const struct number_row *n,
                       void (*each)(void *arg, const json_t *tpl), void *arg, int *pages,
                       struct err *e)
{
	char after[512] = "";
	int rc = 0;
	*pages = 0;
	do {
		rc = list_page(c, n, after, sizeof(after), each, arg, e);
		(*pages)++;
	} while (rc == 0 && after[0] && *pages < TEMPLATE_META_MAX_PAGES);
	return rc;
}

int template_meta_delete(struct ctx *c, const struct number_row *n, const char *name, struct err *e)
{
	char path[STORE_META_ID_MAX + 32], query[600];
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
		return err_set(e, ERR_INVALID, "INVALID_TEMPLATE_NAME", "invalid template name");
	snprintf(path, sizeof(path), "/%s/message_templates", n->waba_id);
	snprintf(query, sizeof(query), "name=%s", name); /* name is [a-z0-9_]: no encoding */
	struct meta_request r = {.method = "DELETE", .path = path, .query = query};
	json_t *reply = NULL;
	int rc = call(c, n, &r, &reply, e);
	json_decref(reply);
	return rc;
}
