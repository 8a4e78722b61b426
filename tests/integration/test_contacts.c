/* Integration: contacts through the integration API and the dashboard API: create, read,
 * update, delete, search (plain text, never a pattern), tags, validation and phone
 * normalisation, duplicate phones, pagination bounds, and tenant isolation: account A's token
 * or session can never read or change account B's contacts, on any endpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PW "correct horse battery"

static struct th_server srv;
static char session_a[80], session_b[80], token_a[80], token_b[80];

static int setup(void **state)
{
	const char *env[] = {"ALLOW_SIGNUP=true", "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000", NULL};
	th_server_start(&srv, env);
	th_signup(&srv, "Asha", "asha@a.example", PW, session_a);
	th_signup(&srv, "Ben", "ben@b.example", PW, session_b);
	th_generate_token(&srv, session_a, token_a);
	th_generate_token(&srv, session_b, token_b);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

/* Integration API call with a token. */
static void api(const char *token, const char *method, const char *path, const char *body,
                struct th_resp *r)
{
	char u[512], auth[128];
	snprintf(u, sizeof(u), "%s%s", srv.api_url, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *h[] = {auth, NULL};
	th_request(method, u, h, body, r);
}

static void create(const char *token, const char *body, char *id_out)
{
	struct th_resp r;
	api(token, "POST", "/api/integrations/contacts", body, &r);
	if (r.status != 201)
		fail_msg("create %s: %ld %s", body, r.status, buf_cstr(&r.body));
	if (id_out)
		snprintf(id_out, 32, "%s",
		         json_string_value(json_object_get(json_object_get(r.json, "data"), "id")));
	th_resp_release(&r);
}

static json_t *data_of(struct th_resp *r)
{
	return json_object_get(r->json, "data");
}

static void test_crud_and_normalisation(void **state)
{
	char id[32], path[128];
	struct th_resp r;
	api(token_a, "POST", "/api/integrations/contacts",
	    "{\"name\":\"Priya Shah\",\"phone\":\"+91 (98765) "
	    "432-10\",\"email\":\"Priya@Mail.com\","
	    "\"tags\":[\"parent\",\"grade-5\",\"parent\"],\"attributes\":{\"student\":\"Rohan\"}}",
	    &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(th_json_str(&r, "message"), "Contact created successfully");
	json_t *d = data_of(&r);
	assert_string_equal(json_string_value(json_object_get(d, "phone")), "919876543210");
	assert_string_equal(json_string_value(json_object_get(d, "email")), "priya@mail.com");
	assert_int_equal(json_array_size(json_object_get(d, "tags")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(d, "attributes"), "student")),
	    "Rohan");
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "id")));
	assert_string_equal(json_string_value(json_object_get(d, "_id")), id);
	th_resp_release(&r);

	snprintf(path, sizeof(path), "/api/integrations/contacts/%s", id);
	api(token_a, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(data_of(&r), "name")), "Priya Shah");
	th_resp_release(&r);

	api(token_a, "PUT", path, "{\"name\":\"Priya S.\",\"tags\":[\"alumni\"]}", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Contact updated successfully");
	d = data_of(&r);
	assert_string_equal(json_string_value(json_object_get(d, "name")), "Priya S.");
	assert_string_equal(json_string_value(json_object_get(d, "phone")), "919876543210");
	assert_string_equal(json_string_value(json_array_get(json_object_get(d, "tags"), 0)),
	                    "alumni");
	th_resp_release(&r);

	/* The dashboard API sees the same contact. */
	char u[256], auth[128];
	snprintf(u, sizeof(u), "%s/api/contacts/%s", srv.api_url, id);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", session_a);
	const char *h[] = {auth, NULL};
	th_request("GET", u, h, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);

	api(token_a, "DELETE", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "message"), "Contact deleted successfully");
	th_resp_release(&r);
	api(token_a, "GET", path, NULL, &r);
	th_assert_error(&r, 404, "CONTACT_NOT_FOUND");
	th_resp_release(&r);
	api(token_a, "GET", "/api/integrations/contacts/not-an-id", NULL, &r);
	th_assert_error(&r, 404, "CONTACT_NOT_FOUND");
	th_resp_release(&r);
}

static void test_validation(void **state)
{
	static const struct {
		const char *body, *code, *field;
	} cases[] = {
	    {"{\"phone\":\"14155550123\"}", "VALIDATION_ERROR", "name"},
	    {"{\"name\":\"X\"}", "INVALID_PHONE", "phone"},
	    {"{\"name\":\"X\",\"phone\":\"1234567\"}", "INVALID_PHONE", "phone"},
	    {"{\"name\":\"X\",\"phone\":\"1234567890123456\"}", "INVALID_PHONE", "phone"},
	    {"{\"name\":\"X\",\"phone\":\"14155abc123\"}", "INVALID_PHONE", "phone"},
	    {"{\"name\":\"X\",\"phone\":14155550123}", "VALIDATION_ERROR", "phone"},
	    {"{\"name\":\"X\",\"phone\":\"14155550123\",\"email\":\"nope\"}", "VALIDATION_ERROR",
	     "email"},
	    {"{\"name\":\"X\",\"phone\":\"14155550123\",\"tags\":\"a\"}", "VALIDATION_ERROR",
	     "tags"},
	    {"{\"name\":\"X\",\"phone\":\"14155550123\",\"tags\":[1]}", "VALIDATION_ERROR", "tags"},
	    {"{\"name\":\"X\",\"phone\":\"14155550123\",\"tags\":[\"a,b\"]}", "VALIDATION_ERROR",
	     "tags"},
	    {"{\"name\":\"X\",\"phone\":\"14155550123\",\"attributes\":[1]}", "VALIDATION_ERROR",
	     "attributes"},
	    {"{\"name\":\"line\\nbreak\",\"phone\":\"14155550123\"}", "VALIDATION_ERROR", "name"},
	};
	struct th_resp r;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		api(token_a, "POST", "/api/integrations/contacts", cases[i].body, &r);
		th_assert_error(&r, 400, cases[i].code);
		if (strcmp(th_json_str(&r, "field"), cases[i].field) != 0)
			fail_msg("%s: field %s", cases[i].body, buf_cstr(&r.body));
		th_resp_release(&r);
	}
	char tags[1024] = "{\"name\":\"X\",\"phone\":\"14155550123\",\"tags\":[";
	for (int i = 0; i < 21; i++) {
		size_t n = strlen(tags);
		snprintf(tags + n, sizeof(tags) - n, "%s\"t%d\"", i ? "," : "", i);
	}
	size_t n = strlen(tags);
	snprintf(tags + n, sizeof(tags) - n, "]}");
	api(token_a, "POST", "/api/integrations/contacts", tags, &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	th_resp_release(&r);
}

static void test_duplicates(void **state)
{
	char id1[32], id2[32], path[128];
	create(token_a, "{\"name\":\"One\",\"phone\":\"447700900001\"}", id1);
	struct th_resp r;
	api(token_a, "POST", "/api/integrations/contacts",
	    "{\"name\":\"Again\",\"phone\":\"+44 7700 900001\"}", &r);
	th_assert_error(&r, 409, "CONTACT_EXISTS");
	assert_string_equal(th_json_str(&r, "existingId"), id1);
	th_resp_release(&r);
	/* Another account may hold the same phone. */
	create(token_b, "{\"name\":\"B's\",\"phone\":\"447700900001\"}", NULL);
	create(token_a, "{\"name\":\"Two\",\"phone\":\"447700900002\"}", id2);
	snprintf(path, sizeof(path), "/api/integrations/contacts/%s", id2);
	api(token_a, "PUT", path, "{\"phone\":\"447700900001\"}", &r);
	th_assert_error(&r, 409, "CONTACT_EXISTS");
	assert_string_equal(th_json_str(&r, "existingId"), id1);
	th_resp_release(&r);
}

static int64_t list_total(const char *token, const char *query)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/integrations/contacts%s", query);
	struct th_resp r;
	api(token, "GET", path, NULL, &r);
	if (r.status != 200)
		fail_msg("list %s: %ld %s", query, r.status, buf_cstr(&r.body));
	int64_t total = json_integer_value(
	    json_object_get(json_object_get(data_of(&r), "pagination"), "total"));
	th_resp_release(&r);
	return total;
}

static void test_search_tags_pagination(void **state)
{
	const char *token = token_b;
	create(token, "{\"name\":\"Zed 100%\",\"phone\":\"15550000001\",\"tags\":[\"vip\"]}", NULL);
	create(token, "{\"name\":\"Under_score\",\"phone\":\"15550000002\",\"email\":\"u@x.io\"}",
	       NULL);
	create(token, "{\"name\":\"Plain\",\"phone\":\"15550000003\",\"tags\":[\"vip\",\"b\"]}",
	       NULL);
	int64_t all = list_total(token, "");
	assert_int_equal(list_total(token, "?search=zed"), 1);
	assert_int_equal(list_total(token, "?search=100%25"), 1); /* '%' is literal */
	assert_int_equal(list_total(token, "?search=%25"), 1);
	assert_int_equal(list_total(token, "?search=_"), 1); /* '_' is literal */
	assert_int_equal(list_total(token, "?search=5550000003"), 1);
	assert_int_equal(list_total(token, "?search=U%40X.IO"), 1);
	assert_int_equal(list_total(token, "?search=.*"), 0); /* never a regex */
	assert_int_equal(list_total(token, "?tag=vip"), 2);
	assert_int_equal(list_total(token, "?tag=vip&search=plain"), 1);

	struct th_resp r;
	api(token, "GET", "/api/integrations/contacts?limit=2&offset=0", NULL, &r);
	json_t *d = data_of(&r);
	assert_int_equal(json_array_size(json_object_get(d, "contacts")), 2);
	json_t *pg = json_object_get(d, "pagination");
	assert_int_equal(json_integer_value(json_object_get(pg, "total")), all);
	assert_int_equal(json_integer_value(json_object_get(pg, "limit")), 2);
	assert_true(json_is_true(json_object_get(pg, "hasMore")) == (all > 2));
	/* Newest first. */
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(d, "contacts"), 0), "name")),
	                    "Plain");
	th_resp_release(&r);

	static const char *const bad[] = {"limit=-1",  "limit=0",   "limit=501",
	                                  "limit=abc", "limit=1e3", "limit=99999999999999999999",
	                                  "offset=-1", "offset=x",  "offset=99999999999",
	                                  "limit=",    "limit=%2B5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/api/integrations/contacts?%s", bad[i]);
		api(token, "GET", path, NULL, &r);
		if (r.status != 400 || strcmp(th_json_str(&r, "code"), "VALIDATION_ERROR") != 0)
			fail_msg("%s: %ld %s", bad[i], r.status, buf_cstr(&r.body));
		assert_true(strlen(th_json_str(&r, "field")) > 0);
		th_resp_release(&r);
	}
	api(token, "GET", "/api/integrations/contacts?limit=500&offset=10000", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(data_of(&r), "contacts")), 0);
	assert_true(
	    json_is_false(json_object_get(json_object_get(data_of(&r), "pagination"), "hasMore")));
	th_resp_release(&r);
}

static void test_tenant_isolation(void **state)
{
	char a_id[32], path[128], u[256], auth[128];
	create(token_a, "{\"name\":\"Secret of A\",\"phone\":\"33600000001\"}", a_id);
	struct th_resp r;
	snprintf(path, sizeof(path), "/api/integrations/contacts/%s", a_id);
	const char *methods[] = {"GET", "PUT", "DELETE"};
	for (size_t i = 0; i < 3; i++) {
		api(token_b, methods[i], path, i == 1 ? "{\"name\":\"Hijacked\"}" : NULL, &r);
		th_assert_error(&r, 404, "CONTACT_NOT_FOUND");
		th_resp_release(&r);
	}
	/* Same through B's dashboard session. */
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", session_b);
	const char *h[] = {auth, NULL};
	snprintf(u, sizeof(u), "%s/api/contacts/%s", srv.api_url, a_id);
	for (size_t i = 0; i < 3; i++) {
		th_request(methods[i], u, h, i == 1 ? "{\"name\":\"Hijacked\"}" : NULL, &r);
		th_assert_error(&r, 404, "CONTACT_NOT_FOUND");
		th_resp_release(&r);
	}
	/* B's lists and searches never include A's contact. */
	assert_int_equal(list_total(token_b, "?search=Secret"), 0);
	snprintf(u, sizeof(u), "%s/api/contacts?search=Secret", srv.api_url);
	th_request("GET", u, h, NULL, &r);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(data_of(&r), "pagination"), "total")),
	                 0);
	th_resp_release(&r);
	/* And A's contact is untouched. */
	api(token_a, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(data_of(&r), "name")), "Secret of A");
	th_resp_release(&r);
	assert_int_equal(list_total(token_a, "?search=Secret"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crud_and_normalisation),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_search_tags_pagination),
	    cmocka_unit_test(test_tenant_isolation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
