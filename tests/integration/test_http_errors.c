/* Integration: the HTTP contract every endpoint shares: envelope and error shapes, 404/405,
 * malformed and oversized bodies, X-Request-Id, CORS, security headers, the dashboard files.
 * Real server in-process on ephemeral ports, driven over HTTP with libcurl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static struct th_server srv;

static int setup(void **state)
{
	const char *env[] = {"MAX_BODY_BYTES=2048", "FRONTEND_URL=https://app.example.com", NULL};
	th_server_start(&srv, env);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

static void url(char *out, const char *base, const char *path)
{
	snprintf(out, 256, "%s%s", base, path);
}

static void test_root_and_health(void **state)
{
	char u[256], rid[64];
	struct th_resp r;
	url(u, srv.api_url, "/");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "version"), PIXELS_VERSION);
	assert_true(strlen(th_json_str(&r, "message")) > 0);
	assert_true(th_resp_header(&r, "X-Request-Id", rid, sizeof(rid)));
	assert_int_equal(strlen(rid), 16);
	th_resp_release(&r);

	url(u, srv.api_url, "/health");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "status"), "OK");
	assert_string_equal(th_json_str(&r, "database"), "ok");
	assert_true(json_is_number(json_object_get(r.json, "uptime")));
	th_resp_release(&r);
}

static void test_unknown_route_and_method(void **state)
{
	char u[256], allow[64];
	struct th_resp r;
	url(u, srv.api_url, "/api/nope/here");
	th_request("GET", u, NULL, NULL, &r);
	th_assert_error(&r, 404, "ROUTE_NOT_FOUND");
	assert_string_equal(th_json_str(&r, "path"), "/api/nope/here");
	th_resp_release(&r);

	url(u, srv.api_url, "/api/auth/login");
	th_request("DELETE", u, NULL, NULL, &r);
	th_assert_error(&r, 405, "METHOD_NOT_ALLOWED");
	assert_true(th_resp_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "POST");
	th_resp_release(&r);
}

static void test_malformed_bodies(void **state)
{
	char u[256];
	struct th_resp r;
	url(u, srv.api_url, "/api/auth/login");
	const char *bad[] = {"{", "[1,2]", "\"str\"", "{\"email\":}", "", "{\"a\":1,\"a\":2}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		th_request("POST", u, NULL, bad[i], &r);
		th_assert_error(&r, 400, "INVALID_JSON");
		th_resp_release(&r);
	}
	char deep[41];
	memset(deep, '[', 40);
	deep[40] = '\0';
	char body[300];
	snprintf(body, sizeof(body), "{\"email\":%s}", deep);
	th_request("POST", u, NULL, body, &r);
	th_assert_error(&r, 400, "INVALID_JSON");
	th_resp_release(&r);
}

static void test_validation_errors_name_the_field(void **state)
{
	char u[256];
	struct th_resp r;
	url(u, srv.api_url, "/api/auth/login");
	th_request("POST", u, NULL, "{\"email\":\"a@b.co\"}", &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	assert_string_equal(th_json_str(&r, "field"), "password");
	th_resp_release(&r);
	th_request("POST", u, NULL, "{\"email\":42,\"password\":\"x\"}", &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	assert_string_equal(th_json_str(&r, "field"), "email");
	assert_non_null(strstr(th_json_str(&r, "message"), "email"));
	th_resp_release(&r);
}

static void test_oversized_body(void **state)
{
	char u[256];
	struct th_resp r;
	url(u, srv.api_url, "/api/auth/login");
	char *big = malloc(5000);
	memset(big, ' ', 4999);
	big[0] = '{';
	big[4998] = '}';
	big[4999] = '\0';
	th_request("POST", u, NULL, big, &r);
	th_assert_error(&r, 413, "PAYLOAD_TOO_LARGE");
	th_resp_release(&r);
	/* Without Content-Length (chunked), the cap applies while reading. */
	const char *chunked[] = {"Transfer-Encoding: chunked", NULL};
	th_request("POST", u, chunked, big, &r);
	th_assert_error(&r, 413, "PAYLOAD_TOO_LARGE");
	th_resp_release(&r);
	free(big);
	/* The server is still healthy afterwards. */
	url(u, srv.api_url, "/health");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

static void test_cors(void **state)
{
	char u[256], v[128];
	struct th_resp r;
	url(u, srv.api_url, "/api/auth/status");
	const char *evil[] = {"Origin: https://evil.example", NULL};
	th_request("GET", u, evil, NULL, &r);
	th_assert_error(&r, 403, "CORS_ORIGIN_DENIED");
	th_resp_release(&r);

	const char *good[] = {"Origin: https://app.example.com", NULL};
	th_request("GET", u, good, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(th_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof(v)));
	assert_string_equal(v, "https://app.example.com");
	th_resp_release(&r);

	const char *pre[] = {"Origin: https://app.example.com",
	                     "Access-Control-Request-Method: POST", NULL};
	th_request("OPTIONS", u, pre, NULL, &r);
	assert_int_equal(r.status, 204);
	assert_true(th_resp_header(&r, "Access-Control-Allow-Headers", v, sizeof(v)));
	assert_non_null(strstr(v, "X-Integration-Token"));
	th_resp_release(&r);

	/* No Origin: server to server, allowed. */
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_false(th_resp_header(&r, "Access-Control-Allow-Origin", v, sizeof(v)));
	th_resp_release(&r);
}

static void test_dashboard_files(void **state)
{
	char u[256], v[512];
	struct th_resp r;
	url(u, srv.dash_url, "/");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(th_resp_header(&r, "Content-Type", v, sizeof(v)));
	assert_non_null(strstr(v, "text/html"));
	assert_true(th_resp_header(&r, "Content-Security-Policy", v, sizeof(v)));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_true(th_resp_header(&r, "X-Content-Type-Options", v, sizeof(v)));
	assert_true(th_resp_header(&r, "X-Frame-Options", v, sizeof(v)));
	assert_non_null(strstr(buf_cstr(&r.body), "<html"));
	th_resp_release(&r);

	/* Client-side routes get the shell; unknown files and traversal get 404. */
	url(u, srv.dash_url, "/settings/profile");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	const char *missing[] = {"/nope.js", "/%2e%2e/etc/passwd.txt", "/.env.txt"};
	for (size_t i = 0; i < 3; i++) {
		url(u, srv.dash_url, missing[i]);
		th_request("GET", u, NULL, NULL, &r);
		th_assert_error(&r, 404, "ROUTE_NOT_FOUND");
		th_resp_release(&r);
	}
	/* The API answers on the dashboard port too. */
	url(u, srv.dash_url, "/api/auth/status");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

/* --web-dir serves the dashboard from disk (for development) instead of the embedded copy. */
static void test_web_dir(void **state)
{
	char dir[] = "/tmp/pixels-web-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], env_web[160];
	snprintf(path, sizeof(path), "%s/index.html", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("<html>from disk marker-7731</html>", f);
	fclose(f);
	snprintf(env_web, sizeof(env_web), "WEB_DIR=%s", dir);
	const char *env[] = {env_web, NULL};
	struct th_server s;
	th_server_start(&s, env);
	char u[256];
	struct th_resp r;
	url(u, s.dash_url, "/");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(buf_cstr(&r.body), "marker-7731"));
	th_resp_release(&r);
	url(u, s.dash_url, "/missing.css");
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	th_resp_release(&r);
	th_server_stop(&s);
	remove(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_root_and_health),
	    cmocka_unit_test(test_unknown_route_and_method),
	    cmocka_unit_test(test_malformed_bodies),
	    cmocka_unit_test(test_validation_errors_name_the_field),
	    cmocka_unit_test(test_oversized_body),
	    cmocka_unit_test(test_cors),
	    cmocka_unit_test(test_dashboard_files),
	    cmocka_unit_test(test_web_dir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
