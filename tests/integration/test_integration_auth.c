/* Integration: the integration API's front door and the token lifecycle over real HTTP: the
 * whole 401 matrix with exact codes, both credential headers, regeneration revoking the old
 * token at once, revocation, expiry (injectable clock), deleted and suspended accounts, the
 * per-address failure lockout, the per-token rate limit, last-use and new-address tracking,
 * roles, the health/config shapes, the audit log, and tokens never reaching a log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "harness.h"
#include "store/store.h"
#include "svc/accounts.h"

#define PW "correct horse battery"
#define UNKNOWN "wpi_int_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct fixture {
	struct th_server s;
	char session[80];
	char token[80];
};

static void start(struct fixture *f, const char *const *env)
{
	th_server_start(&f->s, env);
	th_signup(&f->s, "Asha", "asha@school.edu", PW, f->session);
	th_generate_token(&f->s, f->session, f->token);
}

/* GET path on the API with one extra header line (may be NULL). */
static void call_from(struct fixture *f, const char *ip, const char *path, const char *header,
                      struct th_resp *r)
{
	char u[256];
	snprintf(u, sizeof(u), "%s%s", f->s.api_url, path);
	const char *h[] = {header, NULL};
	th_request_from(ip, "GET", u, header ? h : NULL, NULL, r);
}

static void call(struct fixture *f, const char *path, const char *header, struct th_resp *r)
{
	call_from(f, NULL, path, header, r);
}

static long health_with(struct fixture *f, const char *token)
{
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct th_resp r;
	call(f, "/api/integrations/health", auth, &r);
	long status = r.status;
	th_resp_release(&r);
	return status;
}

static void expect_code(struct fixture *f, const char *header, long status, const char *code)
{
	struct th_resp r;
	call(f, "/api/integrations/health", header, &r);
	th_assert_error(&r, status, code);
	th_resp_release(&r);
}

static void session_call(struct fixture *f, const char *method, const char *path, struct th_resp *r)
{
	char u[256], auth[128];
	snprintf(u, sizeof(u), "%s%s", f->s.api_url, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", f->session);
	const char *h[] = {auth, NULL};
	th_request(method, u, h, NULL, r);
}

static void test_401_matrix(void **state)
{
	struct fixture f;
	start(&f, NULL);
	struct th_resp r;
	call(&f, "/api/integrations/health", NULL, &r);
	th_assert_error(&r, 401, "TOKEN_NOT_PROVIDED");
	assert_string_equal(
	    th_json_str(&r, "message"),
	    "Integration token required. Provide: Authorization: Bearer wpi_int_... "
	    "or X-Integration-Token: wpi_int_...");
	th_resp_release(&r);
	expect_code(&f, "Authorization: Bearer ", 401, "TOKEN_NOT_PROVIDED");
	expect_code(&f, "Authorization: Bearer abc", 401, "INVALID_TOKEN_FORMAT");
	expect_code(&f, "Authorization: Bearer wpk_live_0123", 401, "INVALID_TOKEN_FORMAT");
	char bad[200];
	snprintf(bad, sizeof(bad), "Authorization: Bearer %.71s", f.token); /* one short */
	expect_code(&f, bad, 401, "INVALID_TOKEN_FORMAT");
	snprintf(bad, sizeof(bad), "Authorization: Bearer %sa", f.token); /* one long */
	expect_code(&f, bad, 401, "INVALID_TOKEN_FORMAT");
	expect_code(&f,
	            "Authorization: Bearer "
	            "wpi_int_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	            401, "INVALID_TOKEN_FORMAT");
	expect_code(&f,
	            "Authorization: Bearer "
	            "wpi_int_0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",
	            401, "INVALID_TOKEN_FORMAT");
	call(&f, "/api/integrations/health", "Authorization: Bearer " UNKNOWN, &r);
	th_assert_error(&r, 401, "INVALID_TOKEN");
	assert_non_null(strstr(th_json_str(&r, "message"), "Settings -> API Keys"));
	th_resp_release(&r);

	/* Both headers work; a raw Authorization value without "Bearer " too. */
	char h[200];
	snprintf(h, sizeof(h), "X-Integration-Token: %s", f.token);
	call(&f, "/api/integrations/health", h, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	snprintf(h, sizeof(h), "Authorization: %s", f.token);
	call(&f, "/api/integrations/verify", h, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	/* Authorization wins over X-Integration-Token. */
	char u[256], x[200];
	snprintf(u, sizeof(u), "%s/api/integrations/health", f.s.api_url);
	snprintf(x, sizeof(x), "X-Integration-Token: %s", f.token);
	const char *both[] = {"Authorization: Bearer " UNKNOWN, x, NULL};
	th_request("GET", u, both, NULL, &r);
	th_assert_error(&r, 401, "INVALID_TOKEN");
	th_resp_release(&r);
	/* A dashboard session is not an integration credential, nor the reverse. */
	assert_int_equal(health_with(&f, f.session), 401);
	th_server_stop(&f.s);
}

static void test_health_and_config_shapes(void **state)
{
	struct fixture f;
	start(&f, NULL);
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", f.token);
	struct th_resp r;
	call(&f, "/api/integrations/health", auth, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Integration connection healthy");
	json_t *d = json_object_get(r.json, "data");
	assert_true(json_is_true(json_object_get(d, "authenticated")));
	assert_string_equal(json_string_value(json_object_get(d, "email")), "asha@school.edu");
	assert_string_equal(json_string_value(json_object_get(d, "accountName")), "Asha");
	assert_int_equal(strlen(json_string_value(json_object_get(d, "accountId"))), 24);
	assert_memory_equal(json_string_value(json_object_get(d, "tokenPrefix")), f.token, 12);
	assert_true(json_is_string(json_object_get(d, "tokenExpiresAt")));
	assert_true(json_is_array(json_object_get(d, "phoneNumbers")));
	assert_true(json_is_string(json_object_get(d, "timestamp")));
	/* The token itself is never echoed. */
	assert_null(strstr(buf_cstr(&r.body), f.token + 12));
	th_resp_release(&r);

	call(&f, "/api/integrations/account/config", auth, &r);
	assert_int_equal(r.status, 200);
	d = json_object_get(r.json, "data");
	json_t *acct = json_object_get(d, "account");
	assert_string_equal(json_string_value(json_object_get(acct, "status")), "active");
	assert_string_equal(json_string_value(json_object_get(acct, "email")), "asha@school.edu");
	assert_true(json_is_array(json_object_get(d, "phoneNumbers")));
	assert_true(
	    json_is_string(json_object_get(json_object_get(d, "integrationToken"), "prefix")));
	th_resp_release(&r);
	th_server_stop(&f.s);
}

static void test_regenerate_and_revoke(void **state)
{
	struct fixture f;
	start(&f, NULL);
	/* Used first, so the server has it in its authentication cache (svc/authcache.h):
	 * regenerating must still refuse it at the very next request. */
	assert_int_equal(health_with(&f, f.token), 200);
	char second[80];
	th_generate_token(&f.s, f.session, second);
	assert_string_not_equal(second, f.token);
	char h[200];
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	expect_code(&f, h, 401, "TOKEN_REVOKED");
	assert_int_equal(health_with(&f, second), 200);

	struct th_resp r;
	session_call(&f, "GET", "/api/account/integration-token", &r);
	assert_int_equal(r.status, 200);
	json_t *info = json_object_get(r.json, "integrationToken");
	assert_true(json_is_true(json_object_get(info, "exists")));
	assert_memory_equal(json_string_value(json_object_get(info, "prefix")), second, 12);
	assert_string_equal(json_string_value(json_object_get(info, "status")), "active");
	assert_string_equal(json_string_value(json_object_get(info, "lastUsedIp")), "127.0.0.1");
	assert_true(json_is_string(json_object_get(info, "lastUsedAt")));
	assert_null(strstr(buf_cstr(&r.body), second + 12));
	th_resp_release(&r);

	session_call(&f, "DELETE", "/api/account/integration-token", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Integration token revoked successfully");
	th_resp_release(&r);
	snprintf(h, sizeof(h), "Authorization: Bearer %s", second);
	expect_code(&f, h, 401, "TOKEN_REVOKED");
	session_call(&f, "GET", "/api/account/integration-token", &r);
	info = json_object_get(r.json, "integrationToken");
	assert_true(json_is_false(json_object_get(info, "exists")));
	assert_string_equal(json_string_value(json_object_get(info, "status")), "none");
	th_resp_release(&r);
	session_call(&f, "DELETE", "/api/account/integration-token", &r);
	th_assert_error(&r, 404, "TOKEN_NOT_FOUND");
	th_resp_release(&r);
	th_server_stop(&f.s);
}

static void test_expiry(void **state)
{
	const char *env[] = {"INTEGRATION_TOKEN_TTL_DAYS=1", "JWT_EXPIRES_IN=30d", NULL};
	struct fixture f;
	start(&f, env);
	assert_int_equal(health_with(&f, f.token), 200);
	th_clock_advance(&f.s.clock, 23 * 3600 * 1000LL);
	assert_int_equal(health_with(&f, f.token), 200);
	th_clock_advance(&f.s.clock, 2 * 3600 * 1000LL);
	char h[200];
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	struct th_resp r;
	call(&f, "/api/integrations/health", h, &r);
	th_assert_error(&r, 401, "TOKEN_EXPIRED");
	assert_string_equal(th_json_str(&r, "message"),
	                    "Token Expired: generate a new token in Settings -> API Keys.");
	th_resp_release(&r);
	session_call(&f, "GET", "/api/account/integration-token", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(r.json, "integrationToken"), "status")),
	                    "expired");
	th_resp_release(&r);
	session_call(&f, "GET", "/api/audit-log?action=token.expired_use", &r);
	assert_int_equal(r.status, 200);
	json_t *events = json_object_get(json_object_get(r.json, "data"), "events");
	assert_int_equal(json_array_size(events), 1);
	th_resp_release(&r);
	/* A fresh token works again. */
	char fresh[80];
	th_generate_token(&f.s, f.session, fresh);
	assert_int_equal(health_with(&f, fresh), 200);
	th_server_stop(&f.s);

	const char *never[] = {"INTEGRATION_TOKEN_TTL_DAYS=0", NULL};
	start(&f, never);
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	call(&f, "/api/integrations/health", h, &r);
	assert_true(
	    json_is_null(json_object_get(json_object_get(r.json, "data"), "tokenExpiresAt")));
	th_resp_release(&r);
	th_clock_advance(&f.s.clock, 3650 * 86400 * 1000LL);
	assert_int_equal(health_with(&f, f.token), 200);
	th_server_stop(&f.s);
}

static void test_deleted_and_suspended_accounts(void **state)
{
	struct fixture f;
	start(&f, NULL);
	struct err e = {0};
	struct ctx *c = app_ctx(f.s.app, &e);
	struct user_row u;
	bool found = false;
	assert_int_equal(store_user_find_by_email(c->store, "asha@school.edu", &u, &found, &e), 0);
	char h[200];
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	assert_int_equal(store_account_set_status(c->store, u.account_id, ACCOUNT_STATUS_SUSPENDED,
	                                          clock_real_ms(), &e),
	                 0);
	expect_code(&f, h, 401, "ACCOUNT_INACTIVE");
	assert_int_equal(store_account_soft_delete(c->store, u.account_id, clock_real_ms(), &e), 0);
	struct th_resp r;
	call(&f, "/api/integrations/health", h, &r);
	th_assert_error(&r, 401, "ACCOUNT_NOT_FOUND");
	assert_string_equal(th_json_str(&r, "message"), "Account not found");
	th_resp_release(&r);
	th_server_stop(&f.s);
}

static void test_failure_lockout_per_address(void **state)
{
	const char *env[] = {"INTEGRATION_AUTH_MAX_FAILURES=5", NULL};
	struct fixture f;
	start(&f, env);
	for (int i = 0; i < 5; i++)
		expect_code(&f, "Authorization: Bearer " UNKNOWN, 401, "INVALID_TOKEN");
	char h[200];
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	struct th_resp r;
	call(&f, "/api/integrations/health", h, &r);
	th_assert_error(&r, 429, "TOO_MANY_ATTEMPTS");
	char retry[16];
	assert_true(th_resp_header(&r, "Retry-After", retry, sizeof(retry)));
	assert_true((int)strtol(retry, NULL, 10) >= 1 && (int)strtol(retry, NULL, 10) <= 60);
	th_resp_release(&r);
	/* Another client address is not locked out by this one's guessing. */
	call_from(&f, "127.0.0.2", "/api/integrations/health", h, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	th_clock_advance(&f.s.clock, 61 * 1000);
	assert_int_equal(health_with(&f, f.token), 200);
	/* Expired or revoked real tokens are honest mistakes, not guesses: not counted. */
	char second[80];
	th_generate_token(&f.s, f.session, second);
	for (int i = 0; i < 8; i++)
		expect_code(&f, h, 401, "TOKEN_REVOKED");
	assert_int_equal(health_with(&f, second), 200);
	th_server_stop(&f.s);
}

static void test_rate_limit_per_token(void **state)
{
	const char *env[] = {"INTEGRATION_RATE_LIMIT=60", "INTEGRATION_RATE_BURST=3", NULL};
	struct fixture f;
	start(&f, env);
	for (int i = 0; i < 3; i++)
		assert_int_equal(health_with(&f, f.token), 200);
	char h[200];
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	struct th_resp r;
	call(&f, "/api/integrations/health", h, &r);
	th_assert_error(&r, 429, "RATE_LIMIT_EXCEEDED");
	char retry[16];
	assert_true(th_resp_header(&r, "Retry-After", retry, sizeof(retry)));
	assert_int_equal((int)strtol(retry, NULL, 10), 1);
	assert_int_equal(json_integer_value(json_object_get(r.json, "retryAfter")), 1);
	th_resp_release(&r);
	th_clock_advance(&f.s.clock, 1000);
	assert_int_equal(health_with(&f, f.token), 200);
	assert_int_equal(health_with(&f, f.token), 429);
	th_server_stop(&f.s);
}

static void test_new_address_is_audited(void **state)
{
	struct fixture f;
	start(&f, NULL);
	char h[200];
	snprintf(h, sizeof(h), "Authorization: Bearer %s", f.token);
	struct th_resp r;
	for (int i = 0; i < 3; i++) {
		call(&f, "/api/integrations/health", h, &r);
		th_resp_release(&r);
	}
	call_from(&f, "127.0.0.3", "/api/integrations/health", h, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	session_call(&f, "GET", "/api/audit-log?action=token.first_use", &r);
	json_t *ev = json_object_get(json_object_get(r.json, "data"), "events");
	assert_int_equal(json_array_size(ev), 1);
	th_resp_release(&r);
	session_call(&f, "GET", "/api/audit-log?action=token.new_ip", &r);
	ev = json_object_get(json_object_get(r.json, "data"), "events");
	assert_int_equal(json_array_size(ev), 1);
	json_t *e0 = json_array_get(ev, 0);
	assert_string_equal(json_string_value(json_object_get(e0, "ip")), "127.0.0.3");
	json_t *actor = json_object_get(e0, "actor");
	assert_string_equal(json_string_value(json_object_get(actor, "type")), "token");
	assert_memory_equal(json_string_value(json_object_get(actor, "label")), f.token, 12);
	th_resp_release(&r);
	th_server_stop(&f.s);
}

static void test_roles_and_audit_log(void **state)
{
	struct fixture f;
	start(&f, NULL);
	struct err e = {0};
	struct ctx *c = app_ctx(f.s.app, &e);
	struct user_row owner, agent;
	struct account_row acct;
	bool found = false;
	assert_int_equal(store_user_find_by_email(c->store, "asha@school.edu", &owner, &found, &e),
	                 0);
	struct user_create_cmd cmd = {"agent@school.edu", "Agent", "agent password 1",
	                              owner.account_id, "agent"};
	assert_int_equal(accounts_create_user(c, &cmd, &agent, &acct, &e), 0);
	char agent_session[80];
	char body[200], u[256];
	snprintf(body, sizeof(body),
	         "{\"email\":\"agent@school.edu\",\"password\":\"agent password 1\"}");
	snprintf(u, sizeof(u), "%s/api/auth/login", f.s.api_url);
	struct th_resp r;
	th_request("POST", u, NULL, body, &r);
	assert_int_equal(r.status, 200);
	snprintf(agent_session, sizeof(agent_session), "%s", th_json_str(&r, "token"));
	th_resp_release(&r);
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", agent_session);
	const char *h[] = {auth, NULL};
	const char *paths[][2] = {{"POST", "/api/account/integration-token"},
	                          {"GET", "/api/account/integration-token"},
	                          {"DELETE", "/api/account/integration-token"},
	                          {"GET", "/api/audit-log"}};
	for (size_t i = 0; i < 4; i++) {
		snprintf(u, sizeof(u), "%s%s", f.s.api_url, paths[i][1]);
		th_request(paths[i][0], u, h, NULL, &r);
		th_assert_error(&r, 403, "INSUFFICIENT_ROLE");
		th_resp_release(&r);
	}
	/* The owner sees what happened, newest first, with pagination. */
	session_call(&f, "GET", "/api/audit-log?limit=2", &r);
	assert_int_equal(r.status, 200);
	json_t *d = json_object_get(r.json, "data");
	json_t *ev = json_object_get(d, "events");
	assert_int_equal(json_array_size(ev), 2);
	json_t *pg = json_object_get(d, "pagination");
	assert_int_equal(json_integer_value(json_object_get(pg, "total")), 3);
	assert_true(json_is_true(json_object_get(pg, "hasMore")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "action")),
	                    "auth.login");
	th_resp_release(&r);
	const char *actions[] = {"account.created", "token.generated", "auth.login"};
	for (size_t i = 0; i < 3; i++) {
		char path[128];
		snprintf(path, sizeof(path), "/api/audit-log?action=%s", actions[i]);
		session_call(&f, "GET", path, &r);
		ev = json_object_get(json_object_get(r.json, "data"), "events");
		if (json_array_size(ev) < 1)
			fail_msg("no %s event", actions[i]);
		th_resp_release(&r);
	}
	const char *bad[] = {"/api/audit-log?limit=0", "/api/audit-log?limit=201",
	                     "/api/audit-log?offset=-1", "/api/audit-log?limit=abc"};
	for (size_t i = 0; i < 4; i++) {
		session_call(&f, "GET", bad[i], &r);
		th_assert_error(&r, 400, "VALIDATION_ERROR");
		th_resp_release(&r);
	}
	th_server_stop(&f.s);
}

static void test_tokens_never_logged(void **state)
{
	const char *env[] = {"DEBUG=pixels:*", "LOG_LEVEL=debug", "INTEGRATION_TOKEN_TTL_DAYS=1",
	                     "JWT_EXPIRES_IN=30d", NULL};
	th_log_capture_start();
	struct fixture f;
	start(&f, env);
	assert_int_equal(health_with(&f, f.token), 200);
	struct th_resp r;
	call(&f, "/api/integrations/health", NULL, &r);
	th_resp_release(&r);
	call(&f, "/api/integrations/health", "Authorization: Bearer wpi_nope", &r);
	th_resp_release(&r);
	call(&f, "/api/integrations/health", "Authorization: Bearer " UNKNOWN, &r);
	th_resp_release(&r);
	th_clock_advance(&f.s.clock, 2 * 86400 * 1000LL);
	assert_int_equal(health_with(&f, f.token), 401);
	struct err e = {0};
	struct ctx *c = app_ctx(f.s.app, &e);
	struct user_row u;
	bool found = false;
	store_user_find_by_email(c->store, "asha@school.edu", &u, &found, &e);
	char fresh[80];
	th_generate_token(&f.s, f.session, fresh);
	store_account_soft_delete(c->store, u.account_id, clock_real_ms(), &e);
	assert_int_equal(health_with(&f, fresh), 401);
	th_server_stop(&f.s);
	char *logs = th_log_capture_stop();
	const char *lines[] = {"Integration Token Check: ✅ Valid",
	                       "→ ✅ Token verified for: asha@school.edu",
	                       "❌ Token not provided",
	                       "❌ Invalid token format",
	                       "❌ Invalid token (ip",
	                       "❌ Token expired",
	                       "❌ Account not found"};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strstr(logs, lines[i]))
			fail_msg("log line missing: %s", lines[i]);
	assert_null(strstr(logs, f.token + 12));
	assert_null(strstr(logs, fresh + 12));
	assert_null(strstr(logs, &UNKNOWN[12]));
	free(logs);
}

/* `pixels token-test` against this real server: 0 valid, 1 refused, 2 unreachable. */
static int token_test(const char *url, const char *token, char *out, size_t cap)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "'%s' token-test '%s' --url '%s' 2>&1", getenv("PIXELS_BIN"),
	         token, url);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_token_test_command(void **state)
{
	struct fixture f;
	start(&f, NULL);
	char out[8192];
	assert_int_equal(token_test(f.s.api_url, f.token, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "✅ Token is valid and working!"));
	assert_non_null(strstr(out, "asha@school.edu"));
	assert_null(strstr(out, f.token + 15));
	assert_int_equal(token_test(f.s.api_url, UNKNOWN, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "❌ Token test failed."));
	char second[80];
	th_generate_token(&f.s, f.session, second);
	assert_int_equal(token_test(f.s.api_url, f.token, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "TOKEN_REVOKED"));
	char url[64];
	snprintf(url, sizeof(url), "%s", f.s.api_url);
	th_server_stop(&f.s);
	assert_int_equal(token_test(url, second, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "❌ Connection error"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_401_matrix),
	    cmocka_unit_test(test_health_and_config_shapes),
	    cmocka_unit_test(test_regenerate_and_revoke),
	    cmocka_unit_test(test_expiry),
	    cmocka_unit_test(test_deleted_and_suspended_accounts),
	    cmocka_unit_test(test_failure_lockout_per_address),
	    cmocka_unit_test(test_rate_limit_per_token),
	    cmocka_unit_test(test_new_address_is_audited),
	    cmocka_unit_test(test_roles_and_audit_log),
	    cmocka_unit_test(test_tokens_never_logged),
	    cmocka_unit_test(test_token_test_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
