/* Handlers for dashboard authentication; see api_auth.h. The session token goes out twice:
 * in the JSON body (for API clients, as the original system did) and in an HttpOnly,
 * SameSite=Strict cookie (for the dashboard, whose scripts never see it). */
#include "api/api_auth.h"

#include <stdio.h>
#include <string.h>

#include "svc/accounts.h"

#define API_SESSION_COOKIE "pixels_session"

static void set_cookie(struct api_call *c, const char *token, int64_t max_age_s)
{
	char cookie[256];
	const char *proto = http_header(c->req, "X-Forwarded-Proto");
	bool secure = proto && strcmp(proto, "https") == 0;
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
	         API_SESSION_COOKIE, token, (long long)max_age_s, secure ? "; Secure" : "");
	http_resp_header(c->resp, "Set-Cookie", cookie);
	sec_zero(cookie, sizeof(cookie));
}

static int reply_grant(struct api_call *c, int status, const char *message, struct session_grant *g)
{
	int64_t max_age = (g->expires_at - svc_now(c->ctx)) / 1000;
	set_cookie(c, g->token, max_age > 0 ? max_age : 0);
	json_t *obj =
	    json_pack("{s:s, s:s, s:o, s:o}", "message", message, "token", g->token, "user",
	              api_user_json(&g->user), "account", api_account_json(&g->account));
	sec_zero(g, sizeof(*g));
	return api_reply(c, status, obj);
}

int api_auth_status(struct api_call *c)
{
	bool needs_setup = false, allowed = false;
	int rc = accounts_signup_status(c->ctx, &needs_setup, &allowed, &c->err);
	if (rc != 0)
		return rc;
	return api_ok(c, 200, NULL,
	              json_pack("{s:b, s:b, s:s}", "needsSetup", needs_setup, "signupAllowed",
	                        allowed, "version", PIXELS_VERSION));
}

int api_auth_signup(struct api_call *c)
{
	struct signup_cmd cmd = {.ip = c->req->client_ip,
	                         .user_agent = http_header(c->req, "User-Agent")};
	struct err *e = &c->err;
	if (jsonw_str(c->body, "name", true, 200, &cmd.name, e) ||
	    jsonw_str(c->body, "email", true, 300, &cmd.email, e) ||
	    jsonw_str(c->body, "password", true, 2048, &cmd.password, e) ||
	    jsonw_str(c->body, "company", false, 200, &cmd.company, e))
		return e->code;
	struct session_grant g;
	int rc = accounts_signup(c->ctx, &cmd, &g, e);
	if (rc != 0)
		return rc;
	return reply_grant(c, 201, "Account created", &g);
}

int api_auth_login(struct api_call *c)
{
	struct login_cmd cmd = {.ip = c->req->client_ip,
	                        .user_agent = http_header(c->req, "User-Agent")};
	struct err *e = &c->err;
	if (jsonw_str(c->body, "email", true, 300, &cmd.email, e) ||
	    jsonw_str(c->body, "password", true, 2048, &cmd.password, e))
		return e->code;
	struct session_grant g;
	int rc = sessions_login(c->ctx, &cmd, &g, e);
	if (rc != 0)
		return rc;
	return reply_grant(c, 200, "Login successful", &g);
}

int api_auth_logout(struct api_call *c)
{
	int rc = sessions_logout(c->ctx, &c->session, &c->err);
	if (rc != 0)
		return rc;
	set_cookie(c, "", 0);
	return api_ok(c, 200, "Logged out successfully", NULL);
}

int api_auth_me(struct api_call *c)
{
	return api_reply(c, 200,
	                 json_pack("{s:o, s:o}", "user", api_user_json(&c->session.user), "account",
	                           api_account_json(&c->session.account)));
}

int api_auth_update_profile(struct api_call *c)
{
	const char *name = NULL, *email = NULL;
	if (jsonw_str(c->body, "name", false, 200, &name, &c->err) ||
	    jsonw_str(c->body, "email", false, 300, &email, &c->err))
		return c->err.code;
	struct user_row updated;
	int rc = accounts_update_profile(c->ctx, &c->session, name, email, &updated, &c->err);
	if (rc != 0)
		return rc;
	return api_reply(
	    c, 200,
	    json_pack("{s:s, s:o}", "message", "Profile updated", "user", api_user_json(&updated)));
}

int api_auth_change_password(struct api_call *c)
{
	const char *current = NULL, *next = NULL;
	if (jsonw_str(c->body, "currentPassword", true, 2048, &current, &c->err) ||
	    jsonw_str(c->body, "newPassword", true, 2048, &next, &c->err))
		return c->err.code;
	int rc = sessions_change_password(c->ctx, &c->session, current, next, &c->err);
	if (rc != 0)
		return rc;
	return api_ok(c, 200, "Password changed successfully", NULL);
}
