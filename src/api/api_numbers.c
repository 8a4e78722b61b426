/* Phone number handlers; see api_numbers.h. Access tokens and app secrets go in, never out:
 * the JSON says only whether an app secret is set. */
#include "api/api_numbers.h"

#include <stdio.h>

#include "svc/numbers.h"

json_t *api_number_json(const struct number_row *n)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:s, s:b, s:b}",
	                      "id", n->id, "phoneNumberId", n->phone_number_id, "wabaId",
	                      n->waba_id, "displayName", n->display_name, "displayPhone",
	                      n->display_phone, "verifiedName", n->verified_name, "qualityRating",
	                      n->quality_rating, "throughputMps", n->throughput_mps, "isDefault",
	                      n->is_default, "isActive", n->status == NUMBER_STATUS_ACTIVE,
	                      "status", store_number_status_name(n->status), "sandbox", n->sandbox,
	                      "hasAppSecret", n->app_secret_sealed[0] != '\0');
	json_object_set_new(o, "statusReason",
	                    jsonw_string_or_null(n->status_reason[0] ? n->status_reason : NULL));
	json_object_set_new(o, "reconnectRequired",
	                    json_boolean(n->status == NUMBER_STATUS_REAUTH));
	json_object_set_new(o, "lastTestedAt", jsonw_time_or_null(n->last_tested_at));
	json_object_set_new(o, "createdAt", jsonw_time_or_null(n->created_at));
	json_object_set_new(o, "updatedAt", jsonw_time_or_null(n->updated_at));
	return o;
}

static void add_number(void *arg, const struct number_row *n)
{
	json_array_append_new(arg, api_number_json(n));
}

/* Where Meta must send webhooks: this server's API origin as the request reached it. */
static json_t *webhook_info(struct api_call *c)
{
	char url[512];
	const char *host = http_header(c->req, "Host");
	const char *proto = http_header(c->req, "X-Forwarded-Proto");
	snprintf(url, sizeof(url), "%s://%s/api/webhooks/whatsapp", proto ? proto : "http",
	         host ? host : "localhost:5050");
	const struct config *cfg = c->env->svc->cfg;
	/* The verify token is shown (to owners and admins only: this route) because it is the
	 * value they paste into Meta's dashboard; the app secret never is. */
	const char *vt = cfg->meta_verify_token;
	return json_pack("{s:s, s:b, s:o, s:b}", "url", url, "verifyTokenSet", vt[0] != '\0',
	                 "verifyToken", jsonw_string_or_null(vt[0] ? vt : NULL), "appSecretSet",
	                 cfg->meta_app_secret[0] != '\0');
}

int api_numbers_list(struct api_call *c)
{
	json_t *list = json_array();
	int rc = numbers_list(c->ctx, c->account_id, add_number, list, &c->err);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	return api_reply(c, 200,
	                 json_pack("{s:o, s:o, s:b}", "phoneNumbers", list, "webhook",
	                           webhook_info(c), "sandbox",
	                           c->env->svc->sandbox_secret[0] != 0));
}

static int decode(struct api_call *c, struct number_cmd *cmd)
{
	struct err *e = &c->err;
	if (jsonw_str(c->body, "phoneNumberId", false, 64, &cmd->phone_number_id, e) ||
	    jsonw_str(c->body, "wabaId", false, 64, &cmd->waba_id, e) ||
	    jsonw_str(c->body, "accessToken", false, 1024, &cmd->access_token, e) ||
	    jsonw_str(c->body, "displayName", false, 200, &cmd->display_name, e) ||
	    jsonw_str(c->body, "displayPhone", false, 64, &cmd->display_phone, e) ||
	    jsonw_str(c->body, "appSecret", false, 1024, &cmd->app_secret, e) ||
	    jsonw_int(c->body, "throughputMps", false, 1, 1000, &cmd->throughput_mps, e))
		return e->code;
	return 0;
}

int api_numbers_create(struct api_call *c)
{
	struct number_cmd cmd = {0};
	struct number_row n;
	int rc = decode(c, &cmd);
	if (rc == 0)
		rc = numbers_create(c->ctx, c->account_id, &cmd, &n, &c->err);
	return rc != 0 ? rc : api_ok(c, 201, "Phone number added", api_number_json(&n));
}

static const char *param(const struct api_call *c, char *out, size_t cap)
{
	str_copy(out, cap, c->params.values[0]);
	return out;
}

int api_numbers_update(struct api_call *c)
{
	struct number_cmd cmd = {0};
	struct number_row n;
	char id[64];
	int rc = decode(c, &cmd);
	if (rc == 0)
		rc = numbers_update(c->ctx, c->account_id, param(c, id, sizeof(id)), &cmd, &n,
		                    &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Phone number updated", api_number_json(&n));
}

int api_numbers_delete(struct api_call *c)
{
	char id[64];
	int rc = numbers_delete(c->ctx, c->account_id, param(c, id, sizeof(id)), &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Phone number removed", NULL);
}

int api_numbers_set_default(struct api_call *c)
{
	char id[64];
	struct number_row n;
	int rc = numbers_set_default(c->ctx, c->account_id, param(c, id, sizeof(id)), &c->err);
	if (rc == 0)
		rc = numbers_get(c->ctx, c->account_id, id, &n, &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Default phone number set", api_number_json(&n));
}

int api_numbers_test(struct api_call *c)
{
	char id[64];
	struct number_row n;
	int rc = numbers_test(c->ctx, c->account_id, param(c, id, sizeof(id)), &n, &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Connection test successful", api_number_json(&n));
}
