/* Integration: message templates in the Meta simulator over real HTTP: create (the three
 * fixtures Meta publishes, validation errors, duplicates with subcode 2388024), review
 * (PENDING -> APPROVED after template_review_ms with a signed message_template_status_update
 * webhook, or held PENDING until the control API decides), listing with cursor paging over
 * 250 templates, deletion, and template sends (132001 missing or not approved, 132000
 * parameter count, 132015 paused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "core/log.h"
#include "core/sec.h"
#include "sim_receiver.h"

#define SECRET "sim-template-secret"
#define PNID "106540352242922"
#define WABA "102290129340398"
#define TO "16505551234"
#define TOKEN "EAAG-test-token"
#define WAIT_MS 10000
#define TPL_PATH "/v23.0/" WABA "/message_templates"

static struct rx rx;

static void control(struct sim *s, const char *path, const char *body)
{
	struct th_resp r;
	simt_call(s, "POST", path, NULL, body, &r);
	if (r.status != 200)
		fail_msg("%s -> %ld %s", path, r.status, buf_cstr(&r.body));
	th_resp_release(&r);
}

static void create(struct sim *s, const char *name, const char *lang, const char *body_text,
                   struct th_resp *r)
{
	char body[1024];
	snprintf(body, sizeof(body),
	         "{\"name\":\"%s\",\"language\":\"%s\",\"category\":\"UTILITY\",\"components\":["
	         "{\"type\":\"BODY\",\"text\":\"%s\"}]}",
	         name, lang, body_text);
	simt_call(s, "POST", TPL_PATH, TOKEN, body, r);
}

static void tune_review(struct sim_config *cfg)
{
	cfg->template_review_ms = 30;
}

static void tune_hold(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->enforce_window = false;
}

static struct sim *start(void (*tune)(struct sim_config *cfg))
{
	rx_clear(&rx);
	struct sim *s = simt_start(&rx, SECRET, NULL, tune);
	control(s, "/_sim/numbers", "{\"phone_number_id\":\"" PNID "\",\"waba_id\":\"" WABA "\"}");
	return s;
}

static const char *sget(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* The value of the template webhook number i, checking its envelope. */
static json_t *template_update(size_t i, const char *id)
{
	json_t *b = rx_body(&rx, i);
	assert_non_null(b);
	assert_string_equal(sget(b, "object"), "whatsapp_business_account");
	json_t *entry = json_array_get(json_object_get(b, "entry"), 0);
	assert_string_equal(sget(entry, "id"), WABA);
	assert_true(json_integer_value(json_object_get(entry, "time")) > 1700000000);
	json_t *change = json_array_get(json_object_get(entry, "changes"), 0);
	assert_string_equal(sget(change, "field"), "message_template_status_update");
	json_t *v = json_incref(json_object_get(change, "value"));
	char idbuf[32];
	snprintf(idbuf, sizeof(idbuf), "%lld",
	         (long long)json_integer_value(json_object_get(v, "message_template_id")));
	assert_string_equal(idbuf, id); /* a number in the webhook, a string in the API */
	json_decref(b);
	return v;
}

static void test_create_review_approve(void **state)
{
	struct sim *s = start(tune_review);
	char *body = simt_fixture("req-template-create-marketing-text-quick-replies.json");
	struct th_resp r;
	simt_call(s, "POST", TPL_PATH, TOKEN, body, &r);
	free(body);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "status"), "PENDING");
	assert_string_equal(th_json_str(&r, "category"), "MARKETING");
	char id[32];
	snprintf(id, sizeof(id), "%s", th_json_str(&r, "id"));
	assert_true(strlen(id) >= 15 && strspn(id, "0123456789") == strlen(id));
	th_resp_release(&r);
	assert_true(rx_wait_count(&rx, 1, WAIT_MS));
	json_t *v = template_update(0, id);
	assert_string_equal(sget(v, "event"), "APPROVED");
	assert_string_equal(sget(v, "message_template_name"), "seasonal_promotion_text_only");
	assert_string_equal(sget(v, "message_template_language"), "en");
	assert_string_equal(sget(v, "reason"), "NONE");
	assert_string_equal(sget(v, "message_template_category"), "MARKETING");
	json_decref(v);
	simt_call(s, "GET", TPL_PATH "?name=seasonal", TOKEN, NULL, &r);
	json_t *t = json_array_get(json_object_get(r.json, "data"), 0);
	assert_string_equal(sget(t, "status"), "APPROVED");
	assert_string_equal(sget(t, "id"), id);
	assert_int_equal(json_array_size(json_object_get(t, "components")), 4);
	th_resp_release(&r);
	assert_int_equal(rx.bad_signatures, 0);
	sim_stop(s);
}

static void test_held_until_control(void **state)
{
	struct sim *s = start(tune_hold);
	struct th_resp r;
	create(s, "order_update", "en_US", "Order {{1}} shipped", &r);
	char id[32];
	snprintf(id, sizeof(id), "%s", th_json_str(&r, "id"));
	th_resp_release(&r);
	simt_call(s, "GET", TPL_PATH, TOKEN, NULL, &r);
	json_t *t = json_array_get(json_object_get(r.json, "data"), 0);
	assert_string_equal(sget(t, "status"), "PENDING");
	th_resp_release(&r);
	assert_int_equal(rx_count(&rx), 0);
	control(s, "/_sim/templates/status",
	        "{\"waba_id\":\"" WABA "\",\"name\":\"order_update\",\"language\":\"en_US\","
	        "\"status\":\"REJECTED\",\"reason\":\"INVALID_FORMAT\"}");
	assert_int_equal(rx_count(&rx), 1); /* sent synchronously */
	json_t *v = template_update(0, id);
	assert_string_equal(sget(v, "event"), "REJECTED");
	assert_string_equal(sget(v, "reason"), "INVALID_FORMAT");
	assert_string_equal(sget(v, "message_template_category"), "UTILITY");
	json_decref(v);
	simt_call(s, "POST", "/_sim/templates/status", NULL,
	          "{\"waba_id\":\"" WABA "\",\"name\":\"nope\",\"language\":\"en_US\","
	          "\"status\":\"APPROVED\"}",
	          &r);
	assert_int_equal(r.status, 404);
	th_resp_release(&r);
	sim_stop(s);
}

static void assert_code100(const struct th_resp *r, const char *what)
{
	if (r->status != 400 || simt_error_code(r) != 100)
		fail_msg("%s: expected 400/100, got %ld %s", what, r->status, buf_cstr(&r->body));
}

static void test_create_validation(void **state)
{
	struct sim *s = start(tune_hold);
	const char *fixtures[] = {"req-template-create-marketing-text-quick-replies.json",
	                          "req-template-create-marketing-image-cta.json",
	                          "req-template-create-authentication-otp.json"};
	struct th_resp r;
	for (size_t i = 0; i < 3; i++) {
		char *body = simt_fixture(fixtures[i]);
		simt_call(s, "POST", TPL_PATH, TOKEN, body, &r);
		if (r.status != 200)
			fail_msg("%s -> %ld %s", fixtures[i], r.status, buf_cstr(&r.body));
		th_resp_release(&r);
		simt_call(s, "POST", TPL_PATH, TOKEN, body, &r); /* again: a duplicate */
		assert_code100(&r, "duplicate");
		json_t *err = json_object_get(r.json, "error");
		assert_int_equal(json_integer_value(json_object_get(err, "error_subcode")),
		                 2388024);
		assert_non_null(strstr(sget(err, "error_user_title"), "Already Exists"));
		th_resp_release(&r);
		free(body);
	}
	const char *bad_names[] = {"Upper", "with-dash", "", "sp ace"};
	for (size_t i = 0; i < 4; i++) {
		create(s, bad_names[i], "en_US", "Hi", &r);
		assert_code100(&r, bad_names[i]);
		th_resp_release(&r);
	}
	const char *bad_bodies[] = {
	    "{\"name\":\"a\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[{"
	    "\"type\":"
	    "\"HEADER\",\"format\":\"TEXT\",\"text\":\"h\"}]}",
	    "{\"name\":\"a\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":[]}",
	    "{\"name\":\"a\",\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":"
	    "\"x\"}]}",
	    "{\"name\":\"a\",\"language\":\"en\",\"category\":\"PROMO\",\"components\":[{\"type\":"
	    "\"BODY\",\"text\":\"x\"}]}",
	    "[]"};
	for (size_t i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
		simt_call(s, "POST", TPL_PATH, TOKEN, bad_bodies[i], &r);
		assert_code100(&r, bad_bodies[i]);
		th_resp_release(&r);
	}
	create(s, "order_update", "en_US", "x", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	create(s, "order_update", "pt_BR", "x", &r); /* same name, another language */
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	sim_stop(s);
}

/* Fetches url (absolute) and adds each name to seen; returns paging.next (caller frees) or
 * NULL. */
static char *page(const char *url, char seen[][16], int *nseen, size_t expect)
{
	const char *headers[] = {"Authorization: Bearer " TOKEN, NULL};
	struct th_resp r;
	th_request("GET", url, headers, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *data = json_object_get(r.json, "data"), *t;
	assert_int_equal(json_array_size(data), expect);
	size_t i;
	json_array_foreach(data, i, t)
	{
		for (int k = 0; k < *nseen; k++)
			assert_string_not_equal(seen[k], sget(t, "name"));
		snprintf(seen[(*nseen)++], 16, "%s", sget(t, "name"));
	}
	json_t *paging = json_object_get(r.json, "paging");
	json_t *cursors = json_object_get(paging, "cursors");
	assert_true(strlen(sget(cursors, "before")) > 0 && strlen(sget(cursors, "after")) > 0);
	const char *next = json_string_value(json_object_get(paging, "next"));
	char *out = next ? strdup(next) : NULL;
	th_resp_release(&r);
	return out;
}

static void test_paging(void **state)
{
	struct sim *s = start(tune_hold);
	struct th_resp r;
	for (int i = 0; i < 250; i++) {
		char name[32];
		snprintf(name, sizeof(name), "tpl_%03d", i);
		create(s, name, "en_US", "Hello {{1}}", &r);
		assert_int_equal(r.status, 200);
		th_resp_release(&r);
	}
	char seen[250][16], url[256];
	int nseen = 0;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d" TPL_PATH "?limit=100", sim_port(s));
	char *next = page(url, seen, &nseen, 100);
	assert_non_null(next);
	char *third = page(next, seen, &nseen, 100);
	assert_non_null(third);
	assert_null(page(third, seen, &nseen, 50)); /* the last page has no next */
	assert_int_equal(nseen, 250);
	free(next);
	free(third);
	simt_call(s, "GET", TPL_PATH, TOKEN, NULL, &r); /* default limit 25 */
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 25);
	th_resp_release(&r);
	simt_call(s, "GET", TPL_PATH "?limit=1000", TOKEN, NULL, &r); /* capped at 100 */
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 100);
	th_resp_release(&r);
	simt_call(s, "GET", TPL_PATH "?name=tpl_24", TOKEN, NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 10); /* 240..249 */
	th_resp_release(&r);
	simt_call(s, "GET", TPL_PATH "?after=garbage!", TOKEN, NULL, &r);
	assert_code100(&r, "bad cursor");
	th_resp_release(&r);
	simt_call(s, "GET", "/v23.0/999/message_templates", TOKEN, NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0); /* other WABA */
	th_resp_release(&r);
	sim_stop(s);
}

static void test_delete(void **state)
{
	struct sim *s = start(tune_hold);
	struct th_resp r;
	create(s, "bye", "en_US", "x", &r);
	th_resp_release(&r);
	create(s, "bye", "de", "x", &r);
	char de_id[32];
	snprintf(de_id, sizeof(de_id), "%s", th_json_str(&r, "id"));
	th_resp_release(&r);
	create(s, "stay", "en_US", "x", &r);
	th_resp_release(&r);
	char path[256];
	snprintf(path, sizeof(path), TPL_PATH "?name=bye&hsm_id=%s", de_id);
	simt_call(s, "DELETE", path, TOKEN, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "success")));
	th_resp_release(&r);
	simt_call(s, "GET", TPL_PATH, TOKEN, NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 2);
	th_resp_release(&r);
	simt_call(s, "DELETE", TPL_PATH "?name=bye", TOKEN, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	simt_call(s, "GET", TPL_PATH, TOKEN, NULL, &r);
	json_t *data = json_object_get(r.json, "data");
	assert_int_equal(json_array_size(data), 1);
	assert_string_equal(sget(json_array_get(data, 0), "name"), "stay");
	th_resp_release(&r);
	simt_call(s, "DELETE", TPL_PATH "?name=bye", TOKEN, NULL, &r);
	assert_code100(&r, "delete unknown");
	th_resp_release(&r);
	sim_stop(s);
}

static long send_template(struct sim *s, const char *name, int params, struct th_resp *r)
{
	char body[1024], list[512] = "";
	size_t n = 0;
	for (int i = 0; i < params; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n,
		                      "%s{\"type\":\"text\",\"text\":\"p%d\"}", i ? "," : "", i);
	snprintf(body, sizeof(body),
	         "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\",\"type\":\"template\","
	         "\"template\":{\"name\":\"%s\",\"language\":{\"code\":\"en_US\"},\"components\":"
	         "[{\"type\":\"body\",\"parameters\":[%s]}]}}",
	         name, list);
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN, body, r);
	return r->status;
}

static void assert_template_error(struct sim *s, const char *name, int params, long status,
                                  int code, const char *details)
{
	struct th_resp r;
	send_template(s, name, params, &r);
	if (r.status != status || simt_error_code(&r) != code)
		fail_msg("%s: expected %ld/%d, got %ld %s", name, status, code, r.status,
		         buf_cstr(&r.body));
	json_t *data = json_object_get(json_object_get(r.json, "error"), "error_data");
	assert_non_null(strstr(sget(data, "details"), details));
	th_resp_release(&r);
}

static void test_template_send_checks(void **state)
{
	struct sim *s = start(tune_hold);
	assert_template_error(s, "missing", 0, 404, 132001,
	                      "template name (missing) does not exist in en_US");
	struct th_resp r;
	create(s, "order_update", "en_US", "Order {{1}} ships {{2}}; again {{1}}", &r);
	th_resp_release(&r);
	assert_template_error(s, "order_update", 2, 404, 132001, "does not exist"); /* PENDING */
	control(s, "/_sim/templates/status",
	        "{\"waba_id\":\"" WABA "\",\"name\":\"order_update\",\"language\":\"en_US\","
	        "\"status\":\"APPROVED\"}");
	assert_template_error(s, "order_update", 1, 400, 132000,
	                      "number of localizable_params (1) does not match the expected "
	                      "number of params (2)");
	assert_template_error(s, "order_update", 3, 400, 132000, "(3)");
	assert_int_equal(send_template(s, "order_update", 2, &r), 200);
	assert_true(strncmp(simt_wamid(&r), "wamid.", 6) == 0);
	th_resp_release(&r);
	control(s, "/_sim/templates/status",
	        "{\"waba_id\":\"" WABA "\",\"name\":\"order_update\",\"language\":\"en_US\","
	        "\"status\":\"PAUSED\"}");
	assert_template_error(s, "order_update", 2, 400, 132015, "paused");
	simt_call(s, "GET", "/_sim/stats", NULL, NULL, &r);
	json_t *by_code = json_object_get(r.json, "rejected_by_code");
	assert_int_equal(json_integer_value(json_object_get(by_code, "132001")), 2);
	assert_int_equal(json_integer_value(json_object_get(by_code, "132000")), 2);
	th_resp_release(&r);
	sim_stop(s);
}

static int setup(void **state)
{
	sec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_setup(NULL, LOG_LEVEL_WARN, false);
	rx_start(&rx, SECRET, NULL);
	return 0;
}

static int teardown(void **state)
{
	rx_stop(&rx);
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_review_approve),
	    cmocka_unit_test(test_held_until_control),
	    cmocka_unit_test(test_create_validation),
	    cmocka_unit_test(test_paging),
	    cmocka_unit_test(test_delete),
	    cmocka_unit_test(test_template_send_checks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
