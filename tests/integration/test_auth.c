/* Integration: dashboard accounts and sessions over real HTTP: first-run signup, the signup
 * gate, login with a real password check, lockout, sessions (cookie and bearer), logout and
 * password change revoking sessions, expiry through the injectable clock, CSRF, suspended
 * accounts, and that no password or token ever reaches a log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "store/store.h"

#define PW "correct horse battery"

static void post(const struct th_server *s, const char *path, const char *const *headers,
                 const char *body, struct th_resp *r)
{
	char u[256];
	snprintf(u, sizeof(u), "%s%s", s->api_url, path);
	th_request("POST", u, headers, body, r);
}

static void get(const struct th_server *s, const char *path, const char *const *headers,
                struct th_resp *r)
{
	char u[256];
	snprintf(u, sizeof(u), "%s%s", s->api_url, path);
	th_request("GET", u, headers, NULL, r);
}

static long login(const struct th_server *s, const char *email, const char *pw, char *token)
{
	char body[256];
	struct th_resp r;
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", email, pw);
	post(s, "/api/auth/login", NULL, body, &r);
	long status = r.status;
	if (token)
		snprintf(token, 80, "%s", th_json_str(&r, "token"));
	th_resp_release(&r);
	return status;
}

static long me(const struct th_server *s, const char *token)
{
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *h[] = {auth, NULL};
	struct th_resp r;
	get(s, "/api/auth/me", h, &r);
	long status = r.status;
	th_resp_release(&r);
	return status;
}

static void test_first_run_signup_then_gate(void **state)
{
	struct th_server s;
	th_server_start(&s, NULL);
	struct th_resp r;
	get(&s, "/api/auth/status", NULL, &r);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "data"), "needsSetup")));
	th_resp_release(&r);

	post(&s, "/api/auth/signup", NULL,
	     "{\"name\":\"Asha Rao\",\"email\":\" Asha@School.EDU \",\"password\":\"" PW
	     "\",\"company\":\"Sunrise School\"}",
	     &r);
	assert_int_equal(r.status, 201);
	json_t *user = json_object_get(r.json, "user");
	assert_string_equal(json_string_value(json_object_get(user, "email")), "asha@school.edu");
	assert_string_equal(json_string_value(json_object_get(user, "role")), "owner");
	assert_int_equal(strlen(json_string_value(json_object_get(user, "accountId"))), 24);
	char cookie[256];
	assert_true(th_resp_header(&r, "Set-Cookie", cookie, sizeof(cookie)));
	assert_non_null(strstr(cookie, "pixels_session=pxs_"));
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_non_null(strstr(cookie, "SameSite=Strict"));
	th_resp_release(&r);

	/* A second signup is refused once a user exists and ALLOW_SIGNUP is off. */
	post(&s, "/api/auth/signup", NULL,
	     "{\"name\":\"Eve\",\"email\":\"eve@x.io\",\"password\":\"" PW "\"}", &r);
	th_assert_error(&r, 403, "SIGNUP_DISABLED");
	th_resp_release(&r);
	assert_int_equal(login(&s, "eve@x.io", PW, NULL), 401);
	th_server_stop(&s);
}

static void test_signup_validation_and_duplicates(void **state)
{
	const char *env[] = {"ALLOW_SIGNUP=true", NULL};
	struct th_server s;
	th_server_start(&s, env);
	struct {
		const char *body;
		const char *field;
	} cases[] = {
	    {"{\"name\":\"A\",\"email\":\"not-an-email\",\"password\":\"" PW "\"}", "email"},
	    {"{\"name\":\"A\",\"email\":\"a@b\",\"password\":\"" PW "\"}", "email"},
	    {"{\"name\":\"A\",\"email\":\"a@b.co\",\"password\":\"short\"}", "password"},
	    {"{\"email\":\"a@b.co\",\"password\":\"" PW "\"}", "name"},
	    {"{\"name\":\"A\",\"email\":\"a@b.co\",\"password\":12345678}", "password"},
	};
	struct th_resp r;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		post(&s, "/api/auth/signup", NULL, cases[i].body, &r);
		th_assert_error(&r, 400, "VALIDATION_ERROR");
		assert_string_equal(th_json_str(&r, "field"), cases[i].field);
		th_resp_release(&r);
	}
	char token[80];
	th_signup(&s, "A", "a@b.co", PW, token);
	post(&s, "/api/auth/signup", NULL,
	     "{\"name\":\"B\",\"email\":\"A@B.CO\",\"password\":\"" PW "\"}", &r);
	th_assert_error(&r, 409, "EMAIL_EXISTS");
	th_resp_release(&r);
	th_server_stop(&s);
}

static void test_login_me_logout(void **state)
{
	struct th_server s;
	th_server_start(&s, NULL);
	char token[80], t2[80];
	th_signup(&s, "Asha", "asha@school.edu", PW, token);

	struct th_resp r;
	post(&s, "/api/auth/login", NULL, "{\"email\":\"ASHA@school.edu\",\"password\":\"" PW "\"}",
	     &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Login successful");
	json_t *user = json_object_get(r.json, "user");
	const char *keys[] = {"id", "email", "name", "accountId", "role"};
	for (size_t i = 0; i < 5; i++)
		assert_true(json_is_string(json_object_get(user, keys[i])));
	snprintf(t2, sizeof(t2), "%s", th_json_str(&r, "token"));
	th_resp_release(&r);

	/* Wrong password and unknown email: the same answer. */
	post(&s, "/api/auth/login", NULL,
	     "{\"email\":\"asha@school.edu\",\"password\":\"wrong password\"}", &r);
	th_assert_error(&r, 401, "INVALID_CREDENTIALS");
	assert_string_equal(th_json_str(&r, "message"), "Invalid email or password");
	th_resp_release(&r);
	post(&s, "/api/auth/login", NULL,
	     "{\"email\":\"nobody@school.edu\",\"password\":\"wrong password\"}", &r);
	th_assert_error(&r, 401, "INVALID_CREDENTIALS");
	assert_string_equal(th_json_str(&r, "message"), "Invalid email or password");
	th_resp_release(&r);

	/* Bearer and cookie both authenticate. */
	assert_int_equal(me(&s, t2), 200);
	char cookie[128];
	snprintf(cookie, sizeof(cookie), "Cookie: pixels_session=%s", t2);
	const char *ch[] = {cookie, NULL};
	get(&s, "/api/auth/me", ch, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "account"), "status")),
	    "active");
	th_resp_release(&r);

	get(&s, "/api/auth/me", NULL, &r);
	th_assert_error(&r, 401, "AUTH_REQUIRED");
	th_resp_release(&r);
	assert_int_equal(
	    me(&s, "pxs_0000000000000000000000000000000000000000000000000000000000000000"), 401);

	/* Logout kills that token only. */
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t2);
	const char *h[] = {auth, NULL};
	post(&s, "/api/auth/logout", h, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Logged out successfully");
	th_resp_release(&r);
	get(&s, "/api/auth/me", h, &r);
	th_assert_error(&r, 401, "SESSION_EXPIRED");
	th_resp_release(&r);
	assert_int_equal(me(&s, token), 200);
	th_server_stop(&s);
}

static void test_session_expiry_with_clock(void **state)
{
	const char *env[] = {"JWT_EXPIRES_IN=1h", NULL};
	struct th_server s;
	th_server_start(&s, env);
	char token[80];
	th_signup(&s, "Asha", "asha@school.edu", PW, token);
	assert_int_equal(me(&s, token), 200);
	th_clock_advance(&s.clock, 59 * 60 * 1000);
	assert_int_equal(me(&s, token), 200);
	th_clock_advance(&s.clock, 2 * 60 * 1000);
	assert_int_equal(me(&s, token), 401);
	th_server_stop(&s);
}

static void test_csrf_on_cookie_sessions(void **state)
{
	struct th_server s;
	th_server_start(&s, NULL);
	char token[80], cookie[128], origin[128];
	th_signup(&s, "Asha", "asha@school.edu", PW, token);
	snprintf(cookie, sizeof(cookie), "Cookie: pixels_session=%s", token);
	struct th_resp r;
	const char *no_origin[] = {cookie, NULL};
	post(&s, "/api/auth/logout", no_origin, NULL, &r);
	th_assert_error(&r, 403, "CSRF_REJECTED");
	th_resp_release(&r);
	const char *evil[] = {cookie, "Origin: https://evil.example", NULL};
	post(&s, "/api/auth/logout", evil, NULL, &r);
	assert_int_equal(r.status, 403);
	th_resp_release(&r);
	assert_int_equal(me(&s, token), 200);
	/* The dashboard's own origin (same host as the request) is accepted. */
	snprintf(origin, sizeof(origin), "Origin: %s", s.api_url);
	const char *ok[] = {cookie, origin, NULL};
	post(&s, "/api/auth/logout", ok, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	assert_int_equal(me(&s, token), 401);
	th_server_stop(&s);
}

static void test_lockout_per_email_and_ip(void **state)
{
	const char *env[] = {"LOGIN_MAX_FAILURES=3", "LOGIN_IP_MAX_FAILURES=6",
	                     "LOGIN_LOCKOUT_WINDOW=10m", NULL};
	struct th_server s;
	th_server_start(&s, env);
	char token[80];
	th_signup(&s, "Asha", "asha@school.edu", PW, token);
	for (int i = 0; i < 3; i++)
		assert_int_equal(login(&s, "asha@school.edu", "bad password", NULL), 401);
	struct th_resp r;
	post(&s, "/api/auth/login", NULL, "{\"email\":\"asha@school.edu\",\"password\":\"" PW "\"}",
	     &r);
	th_assert_error(&r, 429, "TOO_MANY_ATTEMPTS");
	char retry[16];
	assert_true(th_resp_header(&r, "Retry-After", retry, sizeof(retry)));
	assert_true(strtol(retry, NULL, 10) > 0 && strtol(retry, NULL, 10) <= 600);
	th_resp_release(&r);
	th_clock_advance(&s.clock, 11 * 60 * 1000);
	assert_int_equal(login(&s, "asha@school.edu", PW, NULL), 200);

	/* Per IP: failures spread over many emails still lock the address out. */
	for (int i = 0; i < 6; i++) {
		char email[64];
		snprintf(email, sizeof(email), "guess%d@school.edu", i);
		assert_int_equal(login(&s, email, "bad password", NULL), 401);
	}
	assert_int_equal(login(&s, "asha@school.edu", PW, NULL), 429);
	th_server_stop(&s);
}

static void test_change_password_revokes_other_sessions(void **state)
{
	struct th_server s;
	th_server_start(&s, NULL);
	char a[80], b[80], auth[128];
	th_signup(&s, "Asha", "asha@school.edu", PW, a);
	assert_int_equal(login(&s, "asha@school.edu", PW, b), 200);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a);
	const char *h[] = {auth, NULL};
	struct th_resp r;
	post(&s, "/api/settings/change-password", h,
	     "{\"currentPassword\":\"nope nope\",\"newPassword\":\"another secret 1\"}", &r);
	th_assert_error(&r, 401, "INVALID_CREDENTIALS");
	th_resp_release(&r);
	post(&s, "/api/settings/change-password", h,
	     "{\"currentPassword\":\"" PW "\",\"newPassword\":\"short\"}", &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	assert_string_equal(th_json_str(&r, "field"), "newPassword");
	th_resp_release(&r);
	post(&s, "/api/settings/change-password", h,
	     "{\"currentPassword\":\"" PW "\",\"newPassword\":\"another secret 1\"}", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Password changed successfully");
	th_resp_release(&r);
	assert_int_equal(me(&s, a), 200);
	assert_int_equal(me(&s, b), 401);
	assert_int_equal(login(&s, "asha@school.edu", PW, NULL), 401);
	assert_int_equal(login(&s, "asha@school.edu", "another secret 1", NULL), 200);
	th_server_stop(&s);
}

static void test_profile_update(void **state)
{
	const char *env[] = {"ALLOW_SIGNUP=1", NULL};
	struct th_server s;
	th_server_start(&s, env);
	char a[80], b[80], auth[128];
	th_signup(&s, "Asha", "asha@school.edu", PW, a);
	th_signup(&s, "Ben", "ben@school.edu", PW, b);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", a);
	const char *h[] = {auth, NULL};
	char u[256];
	snprintf(u, sizeof(u), "%s/api/settings/profile", s.api_url);
	struct th_resp r;
	th_request("PUT", u, h, "{\"name\":\"Asha R.\",\"email\":\"BEN@school.edu\"}", &r);
	th_assert_error(&r, 409, "EMAIL_EXISTS");
	th_resp_release(&r);
	th_request("PUT", u, h, "{\"name\":\"Asha R.\",\"email\":\"asha.r@school.edu\"}", &r);
	assert_int_equal(r.status, 200);
	json_t *user = json_object_get(r.json, "user");
	assert_string_equal(json_string_value(json_object_get(user, "name")), "Asha R.");
	th_resp_release(&r);
	assert_int_equal(login(&s, "asha.r@school.edu", PW, NULL), 200);
	th_server_stop(&s);
}

static void test_suspended_and_deleted_accounts(void **state)
{
	struct th_server s;
	th_server_start(&s, NULL);
	char token[80];
	th_signup(&s, "Asha", "asha@school.edu", PW, token);
	struct err e = {0};
	struct ctx *c = app_ctx(s.app, &e);
	assert_non_null(c);
	struct user_row u;
	bool found = false;
	assert_int_equal(store_user_find_by_email(c->store, "asha@school.edu", &u, &found, &e), 0);
	assert_true(found);
	assert_int_equal(store_account_set_status(c->store, u.account_id, ACCOUNT_STATUS_SUSPENDED,
	                                          clock_real_ms(), &e),
	                 0);
	struct th_resp r;
	post(&s, "/api/auth/login", NULL, "{\"email\":\"asha@school.edu\",\"password\":\"" PW "\"}",
	     &r);
	th_assert_error(&r, 403, "ACCOUNT_INACTIVE");
	th_resp_release(&r);
	assert_int_equal(me(&s, token), 403);
	assert_int_equal(store_account_set_status(c->store, u.account_id, ACCOUNT_STATUS_ACTIVE,
	                                          clock_real_ms(), &e),
	                 0);
	assert_int_equal(me(&s, token), 200);
	assert_int_equal(store_account_soft_delete(c->store, u.account_id, clock_real_ms(), &e), 0);
	assert_int_equal(login(&s, "asha@school.edu", PW, NULL), 403);
	th_server_stop(&s);
}

static void test_secrets_never_logged(void **state)
{
	const char *env[] = {"DEBUG=pixels:*", "LOG_LEVEL=debug", NULL};
	th_log_capture_start();
	struct th_server s;
	th_server_start(&s, env);
	char a[80], b[80], auth[128];
	th_signup(&s, "Asha", "asha@school.edu", PW, a);
	assert_int_equal(login(&s, "asha@school.edu", PW, b), 200);
	assert_int_equal(login(&s, "asha@school.edu", "wrong guess 123", NULL), 401);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", b);
	const char *h[] = {auth, NULL};
	struct th_resp r;
	post(&s, "/api/settings/change-password", h,
	     "{\"currentPassword\":\"" PW "\",\"newPassword\":\"brand new secret\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	th_server_stop(&s);
	char *logs = th_log_capture_stop();
	assert_non_null(strstr(logs, "pixels:http")); /* the capture did see traffic */
	assert_non_null(strstr(logs, "login ok"));
	assert_null(strstr(logs, PW));
	assert_null(strstr(logs, "wrong guess 123"));
	assert_null(strstr(logs, "brand new secret"));
	assert_null(strstr(logs, a + 4));
	assert_null(strstr(logs, b + 4));
	assert_null(strstr(logs, "pxs_"));
	free(logs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_run_signup_then_gate),
	    cmocka_unit_test(test_signup_validation_and_duplicates),
	    cmocka_unit_test(test_login_me_logout),
	    cmocka_unit_test(test_session_expiry_with_clock),
	    cmocka_unit_test(test_csrf_on_cookie_sessions),
	    cmocka_unit_test(test_lockout_per_email_and_ip),
	    cmocka_unit_test(test_change_password_revokes_other_sessions),
	    cmocka_unit_test(test_profile_update),
	    cmocka_unit_test(test_suspended_and_deleted_accounts),
	    cmocka_unit_test(test_secrets_never_logged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
