/* Integration token endpoints; see api_tokens.h. The plain token appears in exactly one
 * response: the one that creates it. */
#include "api/api_tokens.h"

int api_tokens_generate(struct api_call *c)
{
	struct token_grant g;
	int rc = tokens_generate(c->ctx, &c->session, c->req->client_ip,
	                         http_header(c->req, "User-Agent"), &g, &c->err);
	if (rc != 0)
		return rc;
	json_t *obj = json_pack(
	    "{s:s, s:s, s:s, s:o, s:o, s:s}", "message", "Integration token generated successfully",
	    "integrationToken", g.token, "tokenPrefix", g.row.prefix, "createdAt",
	    jsonw_time_or_null(g.row.created_at), "expiresAt", jsonw_time_or_null(g.row.expires_at),
	    "warning", "Save this token securely. It will not be shown again.");
	sec_zero(&g, sizeof(g));
	return api_reply(c, 201, obj);
}

int api_tokens_show(struct api_call *c)
{
	struct token_row t;
	bool found = false;
	int rc = tokens_current(c->ctx, c->account_id, &t, &found, &c->err);
	if (rc != 0)
		return rc;
	json_t *info;
	if (!found) {
		info = json_pack("{s:b, s:n, s:n, s:n, s:n, s:n, s:s}", "exists", 0, "prefix",
		                 "createdAt", "expiresAt", "lastUsedAt", "lastUsedIp", "status",
		                 "none");
	} else {
		info = json_pack("{s:b, s:s, s:o, s:o, s:o, s:o, s:s}", "exists", 1, "prefix",
		                 t.prefix, "createdAt", jsonw_time_or_null(t.created_at),
		                 "expiresAt", jsonw_time_or_null(t.expires_at), "lastUsedAt",
		                 jsonw_time_or_null(t.last_used_at), "lastUsedIp",
		                 jsonw_string_or_null(t.last_used_ip[0] ? t.last_used_ip : NULL),
		                 "status", tokens_status(c->ctx, &t));
	}
	return api_reply(c, 200, json_pack("{s:o}", "integrationToken", info));
}

int api_tokens_revoke(struct api_call *c)
{
	int rc = tokens_revoke(c->ctx, &c->session, c->req->client_ip,
	                       http_header(c->req, "User-Agent"), &c->err);
	if (rc != 0)
		return rc;
	return api_ok(c, 200, "Integration token revoked successfully", NULL);
}
