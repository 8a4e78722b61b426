/* Integration: the rest of a template's life against the built-in simulator (SANDBOX=true):
 * a rejected template edited and submitted again is edited at Meta (POST /{template-id}) and
 * approved; sync keeps a local edit and the rejection reason, and removes what Meta no longer
 * lists; named variables and a media header reach Meta as Meta expects them. */
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
static char session[80], token[80], auth[128], sauth[128], waba[64];

static void call(const char *hdr, const char *method, const char *path, const char *body,
                 struct th_resp *r)
{
	th_call(&srv, hdr, method, path, body, r);
}

static json_t *tpl_of(struct th_resp *r)
{
	return json_object_get(json_object_get(r->json, "data"), "template");
}

static int setup(void **state)
{
	const char *env[] = {"SANDBOX=true", "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000", "ENFORCE_SERVICE_WINDOW=false", NULL};
	th_server_start(&srv, env);
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct th_resp r;
	call(sauth, "GET", "/api/settings/phone-numbers", NULL, &r);
	snprintf(waba, sizeof(waba), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(r.json, "phoneNumbers"), 0), "wabaId")));
	th_resp_release(&r);
	/* Reviews only when told (POST /_sim/templates/status). */
	assert_int_equal(th_sim(&srv, "/_sim/config", "{\"template_review_ms\":0}", &r), 200);
	th_resp_release(&r);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

static void create(const char *body, char *id)
{
	struct th_resp r;
	call(auth, "POST", "/api/integrations/templates", body, &r);
	if (r.status != 201)
		fail_msg("create: %ld %s", r.status, buf_cstr(&r.body));
	snprintf(id, 32, "%s", json_string_value(json_object_get(tpl_of(&r), "id")));
	th_resp_release(&r);
}

static void review(const char *name, const char *status, const char *reason)
{
	char body[300];
	snprintf(body, sizeof(body),
	         "{\"waba_id\":\"%s\",\"name\":\"%s\",\"language\":\"en\",\"status\":\"%s\"%s%s%s}",
	         waba, name, status, reason ? ",\"reason\":\"" : "", reason ? reason : "",
	         reason ? "\"" : "");
	struct th_resp r;
	assert_int_equal(th_sim(&srv, "/_sim/templates/status", body, &r), 200);
	th_resp_release(&r);
}

static bool status_is(json_t *j, void *arg)
{
	const char *st = json_string_value(
	    json_object_get(json_object_get(json_object_get(j, "data"), "template"), "status"));
	return st && strcmp(st, arg) == 0;
}

static void wait_status(const char *id, const char *status)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/templates/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	if (!th_wait_json(u, h, 10000, status_is, (void *)status))
		fail_msg("template %s never became %s", id, status);
}

static void get(const char *id, struct th_resp *r)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", id);
	call(auth, "GET", path, NULL, r);
	assert_int_equal(r->status, 200);
}

static void sync(struct th_resp *r)
{
	call(auth, "POST", "/api/integrations/templates/sync", NULL, r);
	if (r->status != 200)
		fail_msg("sync: %ld %s", r->status, buf_cstr(&r->body));
}

static void test_rejected_edited_and_resubmitted(void **state)
{
	char id[32], path[128];
	struct th_resp r;
	create("{\"name\":\"fee_due\",\"content\":\"Fee due\"}", id);
	review("fee_due", "REJECTED", "INVALID_FORMAT");
	wait_status(id, "rejected");
	get(id, &r);
	char meta_id[64];
	snprintf(meta_id, sizeof(meta_id), "%s",
	         json_string_value(json_object_get(tpl_of(&r), "metaTemplateId")));
	th_resp_release(&r);
	/* Sync keeps the reason the webhook gave. */
	sync(&r);
	th_resp_release(&r);
	get(id, &r);
	assert_string_equal(json_string_value(json_object_get(tpl_of(&r), "rejectedReason")),
	                    "INVALID_FORMAT");
	th_resp_release(&r);
	/* Edited here: a draft that keeps its Meta id; sync does not undo the edit. */
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", id);
	call(auth, "PUT", path, "{\"content\":\"Your fee of {{1}} is due\",\"examples\":[\"$10\"]}",
	     &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	sync(&r);
	th_resp_release(&r);
	get(id, &r);
	assert_string_equal(json_string_value(json_object_get(tpl_of(&r), "status")), "draft");
	assert_string_equal(json_string_value(json_object_get(tpl_of(&r), "content")),
	                    "Your fee of {{1}} is due");
	th_resp_release(&r);
	/* Submitted again: edited at Meta under the same id, reviewed, approved. */
	snprintf(path, sizeof(path), "/api/templates/%s/submit", id);
	call(sauth, "POST", path, NULL, &r);
	if (r.status != 200)
		fail_msg("resubmit: %ld %s", r.status, buf_cstr(&r.body));
	assert_string_equal(json_string_value(json_object_get(tpl_of(&r), "status")), "pending");
	assert_string_equal(json_string_value(json_object_get(tpl_of(&r), "metaTemplateId")),
	                    meta_id);
	th_resp_release(&r);
	review("fee_due", "APPROVED", NULL);
	wait_status(id, "approved");
	call(auth, "POST", "/api/integrations/templates/send",
	     "{\"templateName\":\"fee_due\",\"recipientPhone\":\"15556000001\",\"variables\":[\"$"
	     "10\"]}",
	     &r);
	if (r.status != 200)
		fail_msg("send: %ld %s", r.status, buf_cstr(&r.body));
	th_resp_release(&r);
}

static void test_sync_removes_what_meta_deleted(void **state)
{
	char id[32], u[256];
	struct th_resp r;
	create("{\"name\":\"old_notice\",\"content\":\"Old\"}", id);
	review("old_notice", "APPROVED", NULL);
	wait_status(id, "approved");
	/* Deleted in WhatsApp Manager, not through Pixels. */
	snprintf(u, sizeof(u), "%s/v21.0/%s/message_templates?name=old_notice", srv.sim_url, waba);
	const char *h[] = {"Authorization: Bearer sim-token", NULL};
	th_request("DELETE", u, h, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	sync(&r);
	assert_true(
	    json_integer_value(json_object_get(json_object_get(r.json, "data"), "removed")) >= 1);
	th_resp_release(&r);
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/templates/%s", id);
	call(auth, "GET", path, NULL, &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
}

/* The last message the simulator accepted for `to`, as JSON text. */
static char *last_sent(const char *to)
{
	char path[128];
	snprintf(path, sizeof(path), "/_sim/messages?to=%s&limit=1", to);
	struct th_resp r;
	assert_int_equal(th_sim(&srv, path, NULL, &r), 200);
	json_t *m = json_array_get(json_object_get(r.json, "messages"), 0);
	char *text = json_dumps(json_object_get(m, "body"), JSON_COMPACT);
	th_resp_release(&r);
	assert_non_null(text);
	return text;
}

static void test_named_variables_and_media_header(void **state)
{
	char id[32];
	struct th_resp r;
	create("{\"name\":\"exam_day\",\"content\":\"Hello {{student}}, your exam is on {{date}}\","
	       "\"examples\":{\"student\":\"Asha\",\"date\":\"Monday\"}}",
	       id);
	review("exam_day", "APPROVED", NULL);
	wait_status(id, "approved");
	call(auth, "POST", "/api/integrations/templates/send",
	     "{\"templateName\":\"exam_day\",\"recipientPhone\":\"15556000002\","
	     "\"variables\":{\"date\":\"Friday\",\"student\":\"Ravi\"}}",
	     &r);
	if (r.status != 200)
		fail_msg("named send: %ld %s", r.status, buf_cstr(&r.body));
	th_resp_release(&r);
	char *body = last_sent("15556000002");
	assert_non_null(strstr(body, "\"parameter_name\":\"student\""));
	assert_non_null(strstr(body, "\"text\":\"Ravi\""));
	assert_non_null(strstr(body, "\"parameter_name\":\"date\""));
	free(body);

	create("{\"name\":\"report_card\",\"components\":[{\"type\":\"HEADER\",\"format\":"
	       "\"DOCUMENT\","
	       "\"example\":{\"header_handle\":[\"4::aW1hZ2U=\"]}},{\"type\":\"BODY\",\"text\":"
	       "\"Report card for {{1}}\",\"example\":{\"body_text\":[[\"Asha\"]]}}]}",
	       id);
	review("report_card", "APPROVED", NULL);
	wait_status(id, "approved");
	call(auth, "POST", "/api/integrations/templates/send",
	     "{\"templateName\":\"report_card\",\"recipientPhone\":\"15556000003\","
	     "\"variables\":[\"Ravi\"]}",
	     &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	assert_string_equal(th_json_str(&r, "field"), "headerMedia");
	th_resp_release(&r);
	call(auth, "POST", "/api/integrations/templates/send",
	     "{\"templateName\":\"report_card\",\"recipientPhone\":\"15556000003\","
	     "\"variables\":[\"Ravi\"],\"headerMedia\":\"https://school.example/r/ravi.pdf\"}",
	     &r);
	if (r.status != 200)
		fail_msg("header send: %ld %s", r.status, buf_cstr(&r.body));
	th_resp_release(&r);
	body = last_sent("15556000003");
	assert_non_null(strstr(body, "\"type\":\"header\""));
	assert_non_null(strstr(body, "\"link\":\"https://school.example/r/ravi.pdf\""));
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rejected_edited_and_resubmitted),
	    cmocka_unit_test(test_sync_removes_what_meta_deleted),
	    cmocka_unit_test(test_named_variables_and_media_header),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
