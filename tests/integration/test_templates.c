/* Integration: message templates against the built-in simulator (SANDBOX=true): create ->
 * pending -> approved through Meta's signed status webhook, rejected with a reason, sync
 * across several pages of Meta's list, validation before Meta sees anything, the edit rule,
 * sending (with parameters, refused locally on a count mismatch, by templateId, idempotent, outside
 * the 24-hour window), delete, and tenant isolation of every template endpoint. */
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
static char session[80], token[80], auth[128], pnid[64], waba[64];

static void api_as(const char *hdr, const char *method, const char *path, const char *body,
                   struct th_resp *r)
{
	th_call(&srv, hdr, method, path, body, r);
}

static void api(const char *method, const char *path, const char *body, struct th_resp *r)
{
	api_as(auth, method, path, body, r);
}

static json_t *data_of(struct th_resp *r)
{
	return json_object_get(r->json, "data");
}

static int setup(void **state)
{
	const char *env[] = {"SANDBOX=true", "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000", "ALLOW_SIGNUP=true", NULL};
	th_server_start(&srv, env);
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct th_resp r;
	api("GET", "/api/integrations/account/config", NULL, &r);
	json_t *n = json_array_get(json_object_get(data_of(&r), "phoneNumbers"), 0);
	snprintf(pnid, sizeof(pnid), "%s", json_string_value(json_object_get(n, "phoneNumberId")));
	th_resp_release(&r);
	char hs[128];
	snprintf(hs, sizeof(hs), "Authorization: Bearer %s", session);
	api_as(hs, "GET", "/api/settings/phone-numbers", NULL, &r);
	json_t *nums = json_object_get(r.json, "phoneNumbers");
	const char *w = json_string_value(json_object_get(json_array_get(nums, 0), "wabaId"));
	if (!w)
		fail_msg("no wabaId: %s", buf_cstr(&r.body));
	snprintf(waba, sizeof(waba), "%s", w);
	assert_true(pnid[0] && waba[0]);
	th_resp_release(&r);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

/* Creates (and submits) a template through the integration API; its id into id. */
static void create(const char *body, char *id, size_t cap)
{
	struct th_resp r;
	api("POST", "/api/integrations/templates", body, &r);
	if (r.status != 201)
		fail_msg("create answered %ld: %s", r.status, buf_cstr(&r.body));
	json_t *t = json_object_get(data_of(&r), "template");
	assert_string_equal(json_string_value(json_object_get(t, "status")), "pending");
	assert_true(json_is_string(json_object_get(t, "metaTemplateId")));
	snprintf(id, cap, "%s", json_string_value(json_object_get(t, "id")));
	th_resp_release(&r);
}

static bool status_is(json_t *j, void *arg)
{
	json_t *t = json_object_get(json_object_get(j, "data"), "template");
	const char *st = json_string_value(json_object_get(t, "status"));
	return st && strcmp(st, arg) == 0;
}

static void wait_template(const char *id, const char *status)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/templates/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	if (!th_wait_json(u, h, 10000, status_is, (void *)status))
		fail_msg("template %s never became %s", id, status);
}

static char approved_id[32];

static void test_create_pending_then_approved(void **state)
{
	create(
	    "{\"name\":\"order_ready\",\"category\":\"UTILITY\",\"language\":\"en\","
	    "\"content\":\"Hi {{1}}, your order {{2}} is ready\",\"examples\":[\"Asha\",\"A-1\"],"
	    "\"footerText\":\"Reply STOP to opt out\"}",
	    approved_id, sizeof(approved_id));
	wait_template(approved_id, "approved");
	struct th_resp r;
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", approved_id);
	api("GET", path, NULL, &r);
	json_t *t = json_object_get(data_of(&r), "template");
	assert_string_equal(json_string_value(json_object_get(t, "_id")), approved_id);
	assert_string_equal(json_string_value(json_object_get(t, "content")),
	                    "Hi {{1}}, your order {{2}} is ready");
	json_t *vars = json_object_get(t, "variables");
	assert_int_equal(json_array_size(vars), 2);
	assert_string_equal(json_string_value(json_array_get(vars, 1)), "2");
	assert_int_equal(json_array_size(json_object_get(t, "components")), 2);
	th_resp_release(&r);
	api("GET", "/api/integrations/templates?status=approved", NULL, &r);
	json_t *stats = json_object_get(data_of(&r), "stats");
	assert_int_equal(json_integer_value(json_object_get(stats, "approved")), 1);
	assert_true(json_integer_value(json_object_get(stats, "total")) >= 1);
	assert_int_equal(json_array_size(json_object_get(data_of(&r), "templates")), 1);
	th_resp_release(&r);
}

static void expect_invalid(const char *body, const char *field)
{
	struct th_resp r;
	api("POST", "/api/integrations/templates", body, &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	if (strcmp(th_json_str(&r, "field"), field) != 0)
		fail_msg("expected field %s: %s", field, buf_cstr(&r.body));
	th_resp_release(&r);
}

static void test_validation(void **state)
{
	expect_invalid("{\"name\":\"Bad Name\",\"content\":\"hello\"}", "name");
	expect_invalid("{\"name\":\"gaps\",\"content\":\"a {{1}} b {{3}}\","
	               "\"examples\":[\"x\",\"y\"]}",
	               "content");
	expect_invalid("{\"name\":\"no_examples\",\"content\":\"Hi {{1}}\"}", "examples");
	expect_invalid("{\"name\":\"bad_cat\",\"category\":\"SPAM\",\"content\":\"Hi\"}",
	               "category");
	expect_invalid("{\"name\":\"bad_lang\",\"language\":\"english\",\"content\":\"Hi\"}",
	               "language");
	char body[1400];
	int n = snprintf(body, sizeof(body), "{\"name\":\"too_long\",\"content\":\"");
	memset(body + n, 'a', 1100);
	snprintf(body + n + 1100, sizeof(body) - (size_t)n - 1100, "\"}");
	expect_invalid(body, "content");
	/* Nothing of it reached Meta. */
	struct th_resp r;
	api("GET", "/api/integrations/templates", NULL, &r);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(data_of(&r), "stats"), "draft")), 0);
	th_resp_release(&r);
}

static void test_edit_rules(void **state)
{
	struct th_resp r;
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", approved_id);
	api("PUT", path, "{\"name\":\"order_ready\",\"content\":\"changed\"}", &r);
	th_assert_error(&r, 409, "TEMPLATE_NOT_EDITABLE");
	assert_string_equal(th_json_str(&r, "message"),
	                    "Approved templates cannot be edited; create a new version");
	th_resp_release(&r);
	/* A dashboard draft is editable, then deleted locally only. */
	char u[256], hs[128];
	snprintf(u, sizeof(u), "%s/api/templates", srv.api_url);
	snprintf(hs, sizeof(hs), "Authorization: Bearer %s", session);
	api_as(hs, "POST", "/api/templates", "{\"name\":\"draft_one\",\"content\":\"Hello\"}", &r);
	assert_int_equal(r.status, 201);
	json_t *t = json_object_get(data_of(&r), "template");
	assert_string_equal(json_string_value(json_object_get(t, "status")), "draft");
	char id[32];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(t, "id")));
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/templates/%s", id);
	api_as(hs, "PUT", path, "{\"content\":\"Hello {{1}}\",\"examples\":[\"you\"]}", &r);
	assert_int_equal(r.status, 200);
	t = json_object_get(data_of(&r), "template");
	assert_string_equal(json_string_value(json_object_get(t, "name")), "draft_one");
	assert_string_equal(json_string_value(json_object_get(t, "content")), "Hello {{1}}");
	th_resp_release(&r);
	api_as(hs, "DELETE", path, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	api_as(hs, "GET", path, NULL, &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
}

static size_t sim_count(const char *to)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/_sim/messages?to=%s&limit=100", srv.sim_url, to);
	struct th_resp r;
	th_request("GET", u, NULL, NULL, &r);
	size_t n = json_array_size(json_object_get(r.json, "messages"));
	th_resp_release(&r);
	return n;
}

static void test_send(void **state)
{
	struct th_resp r;
	/* A customer who never wrote: the window is closed, templates are still allowed. */
	api("POST", "/api/integrations/templates/send",
	    "{\"templateName\":\"order_ready\",\"recipientPhone\":\"+1 415 555 0777\","
	    "\"variables\":[\"Asha\",\"B-42\"]}",
	    &r);
	if (r.status != 200)
		fail_msg("send answered %ld: %s", r.status, buf_cstr(&r.body));
	assert_non_null(
	    strstr(json_string_value(json_object_get(data_of(&r), "waMessageId")), "wamid."));
	th_resp_release(&r);
	char u[256];
	snprintf(u, sizeof(u), "%s/_sim/messages?to=14155550777", srv.sim_url);
	th_request("GET", u, NULL, NULL, &r);
	json_t *m = json_array_get(json_object_get(r.json, "messages"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "type")), "template");
	json_t *tpl = json_object_get(json_object_get(m, "body"), "template");
	assert_string_equal(json_string_value(json_object_get(tpl, "name")), "order_ready");
	json_t *params =
	    json_object_get(json_array_get(json_object_get(tpl, "components"), 0), "parameters");
	assert_string_equal(json_string_value(json_object_get(json_array_get(params, 1), "text")),
	                    "B-42");
	th_resp_release(&r);

	/* Wrong count: refused locally, nothing reaches Meta. */
	size_t before = sim_count("14155550778");
	api("POST", "/api/integrations/templates/send",
	    "{\"templateName\":\"order_ready\",\"recipientPhone\":\"14155550778\","
	    "\"variables\":{\"1\":\"only one\"}}",
	    &r);
	th_assert_error(&r, 400, "TEMPLATE_PARAMS_MISMATCH");
	assert_non_null(strstr(th_json_str(&r, "message"), "has 2 variable(s) but 1 were given"));
	th_resp_release(&r);
	assert_int_equal(sim_count("14155550778"), before);

	api("POST", "/api/integrations/templates/send",
	    "{\"templateName\":\"no_such\",\"recipientPhone\":\"14155550778\"}", &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);

	char body[256];
	snprintf(body, sizeof(body),
	         "{\"templateId\":\"%s\",\"recipientPhone\":\"14155550779\","
	         "\"variables\":{\"1\":\"Ben\",\"2\":\"C-7\"}}",
	         approved_id);
	api("POST", "/api/integrations/send-template", body, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	assert_int_equal(sim_count("14155550779"), 1);

	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", approved_id);
	api("GET", path, NULL, &r);
	json_t *t = json_object_get(data_of(&r), "template");
	assert_int_equal(json_integer_value(json_object_get(t, "usageCount")), 2);
	assert_true(json_is_string(json_object_get(t, "lastUsedAt")));
	th_resp_release(&r);
}

static void test_send_idempotency(void **state)
{
	struct th_resp r;
	char body[256];
	/* Idempotency-Key: the second request replays the first answer; one send reaches Meta. */
	char u2[256], first[64], hv[16];
	snprintf(u2, sizeof(u2), "%s/api/integrations/send-template", srv.api_url);
	const char *hk[] = {auth, "Content-Type: application/json", "Idempotency-Key: tpl-once-1",
	                    NULL};
	snprintf(body, sizeof(body),
	         "{\"templateId\":\"%s\",\"recipientPhone\":\"14155550782\","
	         "\"variables\":[\"Ida\",\"D-1\"]}",
	         approved_id);
	th_request("POST", u2, hk, body, &r);
	assert_int_equal(r.status, 200);
	snprintf(first, sizeof(first), "%s",
	         json_string_value(json_object_get(data_of(&r), "messageId")));
	th_resp_release(&r);
	th_request("POST", u2, hk, body, &r);
	assert_int_equal(r.status, 200);
	assert_true(th_resp_header(&r, "Idempotent-Replayed", hv, sizeof(hv)));
	assert_string_equal(json_string_value(json_object_get(data_of(&r), "messageId")), first);
	th_resp_release(&r);
	assert_int_equal(sim_count("14155550782"), 1);
}

static bool rejected_with_reason(json_t *j, void *arg)
{
	json_t *t = json_object_get(json_object_get(j, "data"), "template");
	const char *st = json_string_value(json_object_get(t, "status"));
	const char *why = json_string_value(json_object_get(t, "rejectedReason"));
	return st && why && strcmp(st, "rejected") == 0 && strcmp(why, arg) == 0;
}

static void test_rejected_through_webhook(void **state)
{
	char id[32], body[256], u[256];
	struct th_resp r;
	/* Slow review, so the status is still pending when we reject it. */
	assert_int_equal(th_sim(&srv, "/_sim/config", "{\"template_review_ms\":600000}", &r), 200);
	th_resp_release(&r);
	create("{\"name\":\"promo_blast\",\"category\":\"MARKETING\",\"content\":\"Big sale\"}", id,
	       sizeof(id));
	/* Pending is not sendable. */
	api("POST", "/api/integrations/templates/send",
	    "{\"templateName\":\"promo_blast\",\"recipientPhone\":\"14155550780\"}", &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	assert_string_equal(th_json_str(&r, "message"),
	                    "Template 'promo_blast' not found or not approved");
	th_resp_release(&r);
	snprintf(body, sizeof(body),
	         "{\"waba_id\":\"%s\",\"name\":\"promo_blast\",\"language\":\"en\","
	         "\"status\":\"REJECTED\",\"reason\":\"INVALID_FORMAT\"}",
	         waba);
	assert_int_equal(th_sim(&srv, "/_sim/templates/status", body, &r), 200);
	th_resp_release(&r);
	snprintf(u, sizeof(u), "%s/api/integrations/templates/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	if (!th_wait_json(u, h, 10000, rejected_with_reason, "INVALID_FORMAT"))
		fail_msg("template never became rejected with its reason");
	assert_int_equal(th_sim(&srv, "/_sim/config", "{\"template_review_ms\":500}", &r), 200);
	th_resp_release(&r);
}

static void test_sync_reads_every_page(void **state)
{
	char u[256], body[256];
	snprintf(u, sizeof(u), "%s/v21.0/%s/message_templates", srv.sim_url, waba);
	const char *h[] = {"Authorization: Bearer sim-token", "Content-Type: application/json",
	                   NULL};
	for (int i = 0; i < 120; i++) { /* made at Meta directly: Pixels does not know them */
		struct th_resp r;
		snprintf(
		    body, sizeof(body),
		    "{\"name\":\"imported_%03d\",\"language\":\"en_US\",\"category\":\"UTILITY\","
		    "\"components\":[{\"type\":\"BODY\",\"text\":\"Imported %d\"}]}",
		    i, i);
		th_request("POST", u, h, body, &r);
		if (r.status != 200)
			fail_msg("simulator refused template %d: %s", i, buf_cstr(&r.body));
		th_resp_release(&r);
	}
	struct th_resp r;
	api("POST", "/api/integrations/templates/sync", NULL, &r);
	if (r.status != 200)
		fail_msg("sync answered %ld: %s", r.status, buf_cstr(&r.body));
	json_t *d = data_of(&r);
	assert_int_equal(json_integer_value(json_object_get(d, "created")), 120);
	assert_true(json_integer_value(json_object_get(d, "pages")) >= 2);
	assert_int_equal(json_integer_value(json_object_get(d, "synced")),
	                 120 + json_integer_value(json_object_get(d, "updated")));
	th_resp_release(&r);
	api("GET", "/api/integrations/templates?limit=1", NULL, &r);
	assert_true(json_integer_value(
	                json_object_get(json_object_get(data_of(&r), "stats"), "total")) >= 122);
	th_resp_release(&r);
	/* A second sync finds nothing new. */
	api("POST", "/api/integrations/templates/sync", NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(data_of(&r), "created")), 0);
	th_resp_release(&r);
}

static void test_tenant_isolation(void **state)
{
	char other_session[80], other_token[80], other[128], path[128], body[256];
	th_signup(&srv, "Ben", "ben@other.edu", PW, other_session);
	th_generate_token(&srv, other_session, other_token);
	snprintf(other, sizeof(other), "Authorization: Bearer %s", other_token);
	struct th_resp r;
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", approved_id);
	const char *methods[] = {"GET", "PUT", "DELETE"};
	for (int i = 0; i < 3; i++) {
		api_as(other, methods[i], path, "{\"name\":\"x\",\"content\":\"y\"}", &r);
		th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
		th_resp_release(&r);
	}
	char dash[128], other_dash[128];
	snprintf(dash, sizeof(dash), "/api/templates/%s/submit", approved_id);
	snprintf(other_dash, sizeof(other_dash), "Authorization: Bearer %s", other_session);
	api_as(other_dash, "POST", dash, NULL, &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
	api_as(other, "GET", "/api/integrations/templates", NULL, &r);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(data_of(&r), "stats"), "total")), 0);
	th_resp_release(&r);
	snprintf(body, sizeof(body),
	         "{\"templateId\":\"%s\",\"recipientPhone\":\"14155550781\","
	         "\"variables\":[\"a\",\"b\"]}",
	         approved_id);
	api_as(other, "POST", "/api/integrations/send-template", body, &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
	api_as(other, "POST", "/api/integrations/templates/send",
	       "{\"templateName\":\"order_ready\",\"recipientPhone\":\"14155550781\","
	       "\"variables\":[\"a\",\"b\"]}",
	       &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
}

static void test_delete_at_meta(void **state)
{
	struct th_resp r;
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", approved_id);
	api("DELETE", path, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	api("GET", path, NULL, &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
	char u[256];
	snprintf(u, sizeof(u), "%s/v21.0/%s/message_templates?name=order_ready", srv.sim_url, waba);
	const char *h[] = {"Authorization: Bearer sim-token", NULL};
	th_request("GET", u, h, NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	th_resp_release(&r);
}

/* Meta refuses the submission (the name exists there already): 502 with Meta's message, and
 * the template stays a local draft that can be fixed and submitted again. */
static void test_meta_refusal_keeps_draft(void **state)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/v21.0/%s/message_templates", srv.sim_url, waba);
	const char *h[] = {"Authorization: Bearer sim-token", "Content-Type: application/json",
	                   NULL};
	struct th_resp r;
	th_request("POST", u, h,
	           "{\"name\":\"taken_at_meta\",\"language\":\"en\",\"category\":\"UTILITY\","
	           "\"components\":[{\"type\":\"BODY\",\"text\":\"Meta's\"}]}",
	           &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	api("POST", "/api/integrations/templates",
	    "{\"name\":\"taken_at_meta\",\"content\":\"Ours\"}", &r);
	th_assert_error(&r, 502, "META_ERROR");
	th_resp_release(&r);
	api("GET", "/api/integrations/templates?status=draft", NULL, &r);
	json_t *t = json_array_get(json_object_get(data_of(&r), "templates"), 0);
	assert_string_equal(json_string_value(json_object_get(t, "name")), "taken_at_meta");
	assert_true(json_is_null(json_object_get(t, "metaTemplateId")));
	th_resp_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_pending_then_approved),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_edit_rules),
	    cmocka_unit_test(test_send),
	    cmocka_unit_test(test_send_idempotency),
	    cmocka_unit_test(test_rejected_through_webhook),
	    cmocka_unit_test(test_tenant_isolation),
	    cmocka_unit_test(test_sync_reads_every_page),
	    cmocka_unit_test(test_delete_at_meta),
	    cmocka_unit_test(test_meta_refusal_keeps_draft),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
