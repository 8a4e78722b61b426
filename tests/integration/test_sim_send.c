/* Integration: the Meta simulator's send endpoint over real HTTP. Every req-send-*.json
 * fixture Meta publishes is accepted (placeholders filled, window open, template approved)
 * with the documented 200 shape and logged; invalid bodies get code 100 with details naming
 * the problem; tokens are checked (190, 190/463 after expiry); mark-as-read and phone-number
 * info answer like Meta. */
#include <dirent.h>
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

#define SECRET "sim-test-secret"
#define PNID "106540352242922"
#define WABA "102290129340398"
#define TO "16505551234"
#define TOKEN "EAAG-test-token"

static void post(struct sim *s, const char *path, const char *body, struct th_resp *r)
{
	simt_call(s, "POST", path, TOKEN, body, r);
}

static void control(struct sim *s, const char *path, const char *body)
{
	struct th_resp r;
	simt_call(s, "POST", path, NULL, body, &r);
	if (r.status != 200)
		fail_msg("%s -> %ld %s", path, r.status, buf_cstr(&r.body));
	th_resp_release(&r);
}

/* Number PNID in WABA, an open window with TO, and an approved 3-parameter template. */
static void prepare(struct sim *s)
{
	control(s, "/_sim/numbers",
	        "{\"phone_number_id\":\"" PNID "\",\"waba_id\":\"" WABA
	        "\",\"display_phone_number\":\"15550783881\"}");
	control(s, "/_sim/inbound", "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\"}");
	struct th_resp r;
	post(s, "/v23.0/" WABA "/message_templates",
	     "{\"name\":\"fixture_template\",\"language\":\"en_US\",\"category\":\"UTILITY\","
	     "\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, {{2}} on {{3}}\"}]}",
	     &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	control(s, "/_sim/templates/status",
	        "{\"waba_id\":\"" WABA "\",\"name\":\"fixture_template\",\"language\":\"en_US\","
	        "\"status\":\"APPROVED\"}");
}

static char *fixture_body(const char *name)
{
	char *body = simt_fixture(name);
	body = simt_replace(body, "{{Recipient-Phone-Number}}", "+" TO);
	body = simt_replace(body, "\"template-name\"", "\"fixture_template\"");
	return simt_replace(body, "language-and-locale-code", "en_US");
}

static void assert_accepted(const struct th_resp *r, const char *name)
{
	if (r->status != 200)
		fail_msg("%s -> %ld %s", name, r->status, buf_cstr(&r->body));
	assert_string_equal(th_json_str(r, "messaging_product"), "whatsapp");
	json_t *c = json_array_get(json_object_get(r->json, "contacts"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "input")), "+" TO);
	assert_string_equal(json_string_value(json_object_get(c, "wa_id")), TO);
	json_t *m = json_array_get(json_object_get(r->json, "messages"), 0);
	assert_string_equal(json_string_value(json_object_get(m, "message_status")), "accepted");
	assert_true(strncmp(simt_wamid(r), "wamid.", 6) == 0);
	assert_true(strlen(simt_wamid(r)) > 20);
}

static int send_fixtures(struct sim *s)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/meta", getenv("PIXELS_SOURCE_DIR"));
	free(simt_fixture("req-send-text.json")); /* waits for the fixtures to be there */
	DIR *d = opendir(dir);
	assert_non_null(d);
	int sent = 0;
	char seen[64][80];
	for (struct dirent *de = readdir(d); de; de = readdir(d)) {
		if (strncmp(de->d_name, "req-send-", 9) != 0)
			continue;
		char *body = fixture_body(de->d_name);
		struct th_resp r;
		post(s, "/v23.0/" PNID "/messages", body, &r);
		assert_accepted(&r, de->d_name);
		for (int i = 0; i < sent; i++)
			assert_string_not_equal(seen[i], simt_wamid(&r)); /* ids are unique */
		snprintf(seen[sent++], sizeof(seen[0]), "%s", simt_wamid(&r));
		th_resp_release(&r);
		free(body);
	}
	closedir(d);
	return sent;
}

static void test_fixtures_accepted(void **state)
{
	struct sim *s = simt_start(NULL, SECRET, NULL, NULL);
	prepare(s);
	int sent = send_fixtures(s);
	assert_true(sent >= 21); /* every req-send-*.json fixture (21 today) */
	struct th_resp r;
	simt_call(s, "GET", "/_sim/messages?limit=1000", NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), sent);
	json_t *first = json_array_get(json_object_get(r.json, "messages"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "to")), TO);
	assert_string_equal(json_string_value(json_object_get(first, "phone_number_id")), PNID);
	assert_true(json_is_object(json_object_get(first, "body")));
	assert_null(json_object_get(first, "failed_code")); /* the window was open */
	th_resp_release(&r);
	char *read = simt_fixture("req-mark-read-typing-indicator.json");
	post(s, "/v23.0/" PNID "/messages", read, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "success")));
	th_resp_release(&r);
	free(read);
	sim_stop(s);
}

#define ENV "\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\""

static const struct {
	const char *body;
	const char *details; /* a substring of error_data.details */
} INVALID[] = {
    {"not json", "JSON object"},
    {"{\"to\":\"" TO "\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}", "messaging_product"},
    {"{\"messaging_product\":\"whatsapp\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}", "to"},
    {"{\"messaging_product\":\"whatsapp\",\"to\":\"abc\",\"text\":{\"body\":\"x\"}}", "to"},
    {"{" ENV ",\"type\":\"carrier_pigeon\",\"carrier_pigeon\":{}}", "carrier_pigeon"},
    {"{" ENV ",\"type\":\"text\"}", "text"},
    {"{" ENV ",\"type\":\"text\",\"text\":{\"body\":\"\"}}", "body"},
    {"{" ENV ",\"type\":\"text\",\"text\":{\"body\":\"x\",\"preview_url\":\"yes\"}}",
     "preview_url"},
    {"{" ENV ",\"type\":\"image\",\"image\":{\"id\":\"1\",\"link\":\"https://x/y.png\"}}",
     "exactly one of 'id' or 'link'"},
    {"{" ENV ",\"type\":\"image\",\"image\":{}}", "exactly one of 'id' or 'link'"},
    {"{" ENV ",\"type\":\"audio\",\"audio\":{\"id\":\"1\",\"caption\":\"c\"}}", "caption"},
    {"{" ENV ",\"type\":\"image\",\"image\":{\"id\":\"1\",\"filename\":\"a.png\"}}", "filename"},
    {"{" ENV ",\"type\":\"location\",\"location\":{\"latitude\":\"1\",\"longitude\":2}}",
     "latitude"},
    {"{" ENV ",\"type\":\"location\",\"location\":{\"latitude\":1}}", "longitude"},
    {"{" ENV ",\"type\":\"contacts\",\"contacts\":[]}", "contacts"},
    {"{" ENV ",\"type\":\"contacts\",\"contacts\":[{\"name\":{}}]}", "formatted_name"},
    {"{" ENV ",\"type\":\"reaction\",\"reaction\":{\"emoji\":\"x\"}}", "message_id"},
    {"{" ENV ",\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
     "\"b\"},\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"1\",\"title\":"
     "\"t\"}},{\"type\":\"reply\",\"reply\":{\"id\":\"2\",\"title\":\"t\"}},{\"type\":\"reply\","
     "\"reply\":{\"id\":\"3\",\"title\":\"t\"}},{\"type\":\"reply\",\"reply\":{\"id\":\"4\","
     "\"title\":\"t\"}}]}}}",
     "at most 3 buttons"},
    {"{" ENV ",\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"body\":{\"text\":"
     "\"b\"},\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"1\",\"title\":"
     "\"123456789012345678901\"}}]}}}",
     "title"},
    {"{" ENV ",\"type\":\"interactive\",\"interactive\":{\"type\":\"list\",\"body\":{\"text\":"
     "\"b\"},\"action\":{\"button\":\"Pick\",\"sections\":[{\"rows\":[{\"id\":\"1\",\"title\":"
     "\"a\"},{\"id\":\"2\",\"title\":\"a\"},{\"id\":\"3\",\"title\":\"a\"},{\"id\":\"4\","
     "\"title\":\"a\"},{\"id\":\"5\",\"title\":\"a\"},{\"id\":\"6\",\"title\":\"a\"},{\"id\":"
     "\"7\",\"title\":\"a\"},{\"id\":\"8\",\"title\":\"a\"},{\"id\":\"9\",\"title\":\"a\"},"
     "{\"id\":\"10\",\"title\":\"a\"},{\"id\":\"11\",\"title\":\"a\"}]}]}}}",
     "at most 10 rows"},
    {"{" ENV ",\"type\":\"interactive\",\"interactive\":{\"type\":\"button\",\"action\":{}}}",
     "body"},
    {"{" ENV ",\"type\":\"template\",\"template\":{\"name\":\"t\"}}", "language"},
    {"{" ENV ",\"type\":\"template\",\"template\":{\"language\":{\"code\":\"en\"}}}", "name"},
    {"{" ENV ",\"type\":\"text\",\"text\":{\"body\":\"x\"},\"context\":\"wamid.1\"}", "context"},
    {"{\"messaging_product\":\"whatsapp\",\"status\":\"read\"}", "message_id"},
    {"{\"messaging_product\":\"whatsapp\",\"status\":\"delivered\",\"message_id\":\"w\"}",
     "status"},
};

static void assert_invalid(const struct th_resp *r, const char *details)
{
	json_t *err = json_object_get(r->json, "error");
	const char *got =
	    json_string_value(json_object_get(json_object_get(err, "error_data"), "details"));
	if (r->status != 400 || simt_error_code(r) != 100 || !got || !strstr(got, details))
		fail_msg("expected 400/100 mentioning '%s', got %ld %s", details, r->status,
		         buf_cstr(&r->body));
	assert_string_equal(json_string_value(json_object_get(err, "type")), "OAuthException");
	assert_true(strlen(json_string_value(json_object_get(err, "fbtrace_id"))) > 10);
	assert_true(strncmp(json_string_value(json_object_get(err, "message")), "(#100)", 6) == 0);
}

static void test_invalid_bodies(void **state)
{
	struct sim *s = simt_start(NULL, SECRET, NULL, NULL);
	struct th_resp r;
	for (size_t i = 0; i < sizeof(INVALID) / sizeof(INVALID[0]); i++) {
		post(s, "/v23.0/" PNID "/messages", INVALID[i].body, &r);
		assert_invalid(&r, INVALID[i].details);
		th_resp_release(&r);
	}
	/* 4096 characters (here 2-byte ones) are the limit, 4097 are refused. */
	struct buf body;
	buf_init(&body, 0);
	buf_append_cstr(&body, "{" ENV ",\"type\":\"text\",\"text\":{\"body\":\"");
	for (int i = 0; i < 4096; i++)
		buf_append_cstr(&body, "\xc3\xa9");
	buf_append_cstr(&body, "\"}}");
	post(s, "/v23.0/" PNID "/messages", buf_cstr(&body), &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	char *longer = simt_replace(buf_detach(&body, NULL), "\"}}", "e\"}}");
	post(s, "/v23.0/" PNID "/messages", longer, &r);
	assert_invalid(&r, "at most 4096 characters");
	th_resp_release(&r);
	free(longer);
	simt_call(s, "GET", "/_sim/stats", NULL, NULL, &r);
	json_t *by_code = json_object_get(r.json, "rejected_by_code");
	assert_int_equal(json_integer_value(json_object_get(by_code, "100")),
	                 sizeof(INVALID) / sizeof(INVALID[0]) + 1);
	th_resp_release(&r);
	sim_stop(s);
}

static const char *const TEXT = "{" ENV ",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}";

static void assert_auth_error(const struct th_resp *r, int subcode)
{
	assert_int_equal(r->status, 401);
	assert_int_equal(simt_error_code(r), 190);
	json_t *sub = json_object_get(json_object_get(r->json, "error"), "error_subcode");
	if (subcode)
		assert_int_equal(json_integer_value(sub), subcode);
	else
		assert_null(sub);
}

static void test_auth(void **state)
{
	struct sim *s = simt_start(NULL, SECRET, NULL, NULL);
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", NULL, TEXT, &r);
	assert_auth_error(&r, 0);
	th_resp_release(&r);
	simt_call(s, "POST", "/v23.0/" PNID "/messages", "old-token", TEXT, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	control(s, "/_sim/tokens/expired", "{\"token\":\"old-token\"}");
	simt_call(s, "POST", "/v23.0/" PNID "/messages", "old-token", TEXT, &r);
	assert_auth_error(&r, 463);
	th_resp_release(&r);
	simt_call(s, "GET", "/v21.0/" PNID, "old-token", NULL, &r);
	assert_auth_error(&r, 463); /* every Graph endpoint checks the token */
	th_resp_release(&r);
	simt_call(s, "POST", "/v23.0/" PNID "/messages", "new-token", TEXT, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	simt_call(s, "POST", "/v23.0/" PNID "/messages?access_token=new-token", NULL, TEXT, &r);
	assert_int_equal(r.status, 200); /* Graph also takes the token as a query parameter */
	th_resp_release(&r);
	sim_stop(s);
}

static void test_number_info_and_paths(void **state)
{
	struct sim *s = simt_start(NULL, SECRET, NULL, NULL);
	struct th_resp r;
	simt_call(s, "GET", "/v23.0/" PNID, TOKEN, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "id"), PNID);
	assert_string_equal(th_json_str(&r, "quality_rating"), "GREEN");
	assert_string_equal(th_json_str(&r, "code_verification_status"), "VERIFIED");
	assert_true(strlen(th_json_str(&r, "display_phone_number")) >= 10);
	assert_true(strlen(th_json_str(&r, "verified_name")) > 0);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "throughput"), "level")),
	    "STANDARD");
	th_resp_release(&r);
	control(s, "/_sim/numbers",
	        "{\"phone_number_id\":\"" PNID "\",\"display_phone_number\":\"15550783881\","
	        "\"verified_name\":\"Acme\",\"quality_rating\":\"YELLOW\",\"mps\":1000}");
	simt_call(s, "GET", "/v19.0/" PNID "/", TOKEN, NULL, &r);
	assert_string_equal(th_json_str(&r, "display_phone_number"), "15550783881");
	assert_string_equal(th_json_str(&r, "verified_name"), "Acme");
	assert_string_equal(th_json_str(&r, "quality_rating"), "YELLOW");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "throughput"), "level")),
	    "HIGH");
	th_resp_release(&r);
	const char *bad[] = {"/" PNID "/messages", "/vX/" PNID "/messages", "/v23.0/a/b/c", "/"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		simt_call(s, "POST", bad[i], TOKEN, TEXT, &r);
		assert_int_equal(r.status, 400);
		assert_int_equal(simt_error_code(&r), 2500);
		th_resp_release(&r);
	}
	simt_call(s, "GET", "/v23.0/" PNID "/messages", TOKEN, NULL, &r);
	assert_int_equal(simt_error_code(&r), 100); /* unsupported operation */
	th_resp_release(&r);
	simt_call(s, "GET", "/_sim/nothing", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	th_resp_release(&r);
	sim_stop(s);
}

static void test_two_simulators(void **state)
{
	/* No globals: two simulators in one process keep separate state and ids. */
	struct sim *a = simt_start(NULL, SECRET, NULL, NULL);
	struct sim *b = simt_start(NULL, "other-secret", NULL, NULL);
	assert_int_not_equal(sim_port(a), sim_port(b));
	struct th_resp r1, r2;
	post(a, "/v23.0/" PNID "/messages", TEXT, &r1);
	post(b, "/v23.0/" PNID "/messages", TEXT, &r2);
	assert_string_not_equal(simt_wamid(&r1), simt_wamid(&r2));
	th_resp_release(&r1);
	th_resp_release(&r2);
	simt_call(a, "GET", "/_sim/messages", NULL, NULL, &r1);
	assert_int_equal(json_integer_value(json_object_get(r1.json, "total")), 1);
	th_resp_release(&r1);
	sim_stop(b);
	sim_stop(a);
	sim_stop(NULL);
}

static void test_config_refused(void **state)
{
	struct sim_config cfg;
	sim_config_init(&cfg);
	struct sim *s = NULL;
	struct err e = {0};
	assert_int_equal(sim_start(&cfg, &s, &e), ERR_INVALID); /* no app secret */
	assert_null(s);
	assert_non_null(strstr(e.message, "app_secret"));
	cfg.app_secret = SECRET;
	cfg.duplicate_rate = 2;
	err_clear(&e);
	assert_int_equal(sim_start(&cfg, &s, &e), ERR_INVALID);
	cfg.duplicate_rate = 0;
	cfg.webhook_url = "ftp://x";
	err_clear(&e);
	assert_int_equal(sim_start(&cfg, &s, &e), ERR_INVALID);
}

static int setup(void **state)
{
	sec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_setup(NULL, LOG_LEVEL_WARN, false);
	return 0;
}

static int teardown(void **state)
{
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_accepted),
	    cmocka_unit_test(test_invalid_bodies),
	    cmocka_unit_test(test_auth),
	    cmocka_unit_test(test_number_info_and_paths),
	    cmocka_unit_test(test_two_simulators),
	    cmocka_unit_test(test_config_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
