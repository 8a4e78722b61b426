/* Unit: GET /health reports 503 when the database cannot answer (a store whose ping fails
 * stands in for a broken database) and 200 when it can; and when no thread context could be
 * opened at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_system.h"
#include "core/clock.h"

static int ping_fails(struct store *s, struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE, "DATABASE_UNAVAILABLE", "disk I/O error");
}

static int ping_ok(struct store *s, struct err *e)
{
	return 0;
}

/* One active and one paused number. */
static int list_numbers(struct store *s, const char *account_id,
                        void (*each)(void *arg, const struct number_row *row), void *arg,
                        struct err *e)
{
	struct number_row n = {.status = NUMBER_STATUS_ACTIVE};
	snprintf(n.phone_number_id, sizeof(n.phone_number_id), "111");
	each(arg, &n);
	n.status = NUMBER_STATUS_PAUSED;
	snprintf(n.phone_number_id, sizeof(n.phone_number_id), "1234567890222");
	snprintf(n.status_reason, sizeof(n.status_reason),
	         "Meta error 131048: Spam rate limit hit");
	each(arg, &n);
	return 0;
}

static json_t *health(struct store *store, long *status)
{
	struct api_env env = {.started_at_ms = clock_real_ms() - 1500};
	struct ctx ctx = {.store = store};
	struct http_req req = {.method_name = "GET", .path = "/health"};
	struct http_resp resp;
	http_resp_init(&resp);
	struct api_call c = {.env = &env, .ctx = store ? &ctx : NULL, .req = &req, .resp = &resp};
	assert_int_equal(api_system_health(&c), 0);
	*status = resp.status;
	json_t *j = json_loadb(resp.body.ptr, resp.body.len, 0, NULL);
	http_resp_release(&resp);
	return j;
}

static void test_health_states(void **state)
{
	struct store_ops bad_ops = {.ping = ping_fails},
	                 good_ops = {.ping = ping_ok, .number_list = list_numbers};
	struct store bad = {.ops = &bad_ops}, good = {.ops = &good_ops};
	long status = 0;
	json_t *j = health(&good, &status);
	assert_int_equal(status, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "OK");
	assert_string_equal(json_string_value(json_object_get(j, "database")), "ok");
	assert_true(json_real_value(json_object_get(j, "uptime")) >= 1.5);
	assert_string_equal(json_string_value(json_object_get(j, "version")), PIXELS_VERSION);
	json_t *paused = json_object_get(j, "pausedNumbers");
	assert_int_equal(json_array_size(paused), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(paused, 0), "phoneNumberId")),
	    "...0222");
	json_decref(j);

	j = health(&bad, &status);
	assert_int_equal(status, 503);
	assert_string_equal(json_string_value(json_object_get(j, "database")), "unavailable");
	json_decref(j);

	j = health(NULL, &status);
	assert_int_equal(status, 503);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_health_states)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
