/* Unit: the one error writer and the status table: every error shape, 5xx bodies that
 * carry no internals, and the logged 503 of a request that arrives while the server stops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/api_routes.h"
#include "core/buf.h"
#include "core/log.h"

static json_t *write_error(const struct err *e, json_t *extra, struct http_resp *resp)
{
	struct http_req req = {.method_name = "GET", .path = "/x", .request_id = "rid"};
	http_resp_init(resp);
	api_error(&req, resp, e, extra);
	return json_loadb(resp->body.ptr, resp->body.len, 0, NULL);
}

static void test_status_table(void **state)
{
	static const struct {
		enum err_code code;
		int status;
	} cases[] = {{ERR_INVALID, 400},   {ERR_AUTH, 401},          {ERR_FORBIDDEN, 403},
	             {ERR_NOT_FOUND, 404}, {ERR_METHOD, 405},        {ERR_CONFLICT, 409},
	             {ERR_TOO_LARGE, 413}, {ERR_UNPROCESSABLE, 422}, {ERR_LIMIT, 429},
	             {ERR_INTERNAL, 500},  {ERR_UPSTREAM, 502},      {ERR_UNAVAILABLE, 503}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(api_http_status(cases[i].code), cases[i].status);
}

static void test_error_shape(void **state)
{
	struct err e = {0};
	err_field(&e, "email", "must be a valid email address");
	struct http_resp resp;
	json_t *j = write_error(&e, NULL, &resp);
	assert_int_equal(resp.status, 400);
	assert_true(json_is_false(json_object_get(j, "success")));
	assert_string_equal(json_string_value(json_object_get(j, "code")), "VALIDATION_ERROR");
	assert_string_equal(json_string_value(json_object_get(j, "field")), "email");
	assert_non_null(strstr(json_string_value(json_object_get(j, "message")), "email"));
	json_decref(j);
	http_resp_release(&resp);
}

static void test_limit_has_retry_after(void **state)
{
	struct err e = {0};
	err_set(&e, ERR_LIMIT, "TOO_MANY_ATTEMPTS", "slow down");
	e.retry_after_s = 42;
	struct http_resp resp;
	json_t *j = write_error(&e, NULL, &resp);
	assert_int_equal(resp.status, 429);
	assert_int_equal(json_integer_value(json_object_get(j, "retryAfter")), 42);
	bool found = false;
	for (size_t i = 0; i < resp.nheaders; i++)
		if (strcmp(resp.headers[i].name, "Retry-After") == 0) {
			assert_string_equal(resp.headers[i].value, "42");
			found = true;
		}
	assert_true(found);
	json_decref(j);
	http_resp_release(&resp);
}

static void test_internal_errors_hide_details(void **state)
{
	log_setup(NULL, LOG_LEVEL_ERROR, false);
	struct err e = {0};
	err_set(&e, ERR_INTERNAL, "DATABASE_ERROR", "sqlite: no such table: secrets_table");
	struct http_resp resp;
	json_t *j = write_error(&e, NULL, &resp);
	assert_int_equal(resp.status, 500);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "INTERNAL_ERROR");
	assert_null(strstr(resp.body.ptr, "sqlite"));
	assert_null(strstr(resp.body.ptr, "secrets_table"));
	json_decref(j);
	http_resp_release(&resp);
}

static void test_extra_members(void **state)
{
	struct err e = {0};
	err_set(&e, ERR_NOT_FOUND, "ROUTE_NOT_FOUND", "Route not found");
	json_t *extra = json_pack("{s:s}", "path", "/nope");
	struct http_resp resp;
	json_t *j = write_error(&e, extra, &resp);
	json_decref(extra);
	assert_string_equal(json_string_value(json_object_get(j, "path")), "/nope");
	json_decref(j);
	http_resp_release(&resp);
}

static void capture(void *arg, const char *line, size_t len)
{
	buf_append(arg, line, len);
}

/* A request that arrives while the server stops: 503 SHUTTING_DOWN, and an access-log line
 * like every other reply. */
static void test_shutting_down_is_logged(void **state)
{
	struct buf lines;
	buf_init(&lines, 1 << 16);
	log_setup(NULL, LOG_LEVEL_INFO, false);
	log_set_sink(capture, &lines);
	struct http_req req = {.method_name = "POST",
	                       .path = "/api/integrations/send-message",
	                       .request_id = "rid-503",
	                       .client_ip = "127.0.0.1"};
	struct http_resp resp;
	http_resp_init(&resp);
	api_shutting_down(NULL, &req, &resp);
	log_set_sink(NULL, NULL);
	assert_int_equal(resp.status, 503);
	json_t *j = json_loadb(resp.body.ptr, resp.body.len, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "SHUTTING_DOWN");
	assert_non_null(strstr(buf_cstr(&lines), "POST /api/integrations/send-message 503"));
	assert_non_null(strstr(buf_cstr(&lines), "rid=rid-503"));
	json_decref(j);
	http_resp_release(&resp);
	buf_release(&lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_table),
	    cmocka_unit_test(test_error_shape),
	    cmocka_unit_test(test_limit_has_retry_after),
	    cmocka_unit_test(test_internal_errors_hide_details),
	    cmocka_unit_test(test_extra_members),
	    cmocka_unit_test(test_shutting_down_is_logged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
