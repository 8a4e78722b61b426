/* Integration: media in the Meta simulator over real HTTP: multipart upload, retrieve (URL back
 * to the simulator, sha256, size), download with the bearer token only, refused when tampered
 * with or after 5 minutes (injected clock), delete; and the control API: inbound injection of
 * every message type (compared key by key with Meta's wh-incoming-*.json fixtures, media
 * downloadable), delivery failure reported then retried, webhook verification, reset. */
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
#include "sim/sim_util.h"
#include "sim_receiver.h"

#define SECRET "sim-media-secret"
#define PNID "106540352242922"
#define WABA "102290129340398"
#define DISPLAY "15550783881"
#define TO "16505551234"
#define TOKEN "EAAG-test-token"
#define WAIT_MS 10000

static struct rx rx;
static struct th_clock clk;

static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, 3};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *arg)
{
	buf_append(arg, ptr, size * nmemb);
	return size * nmemb;
}

/* Multipart upload; fields NULL are left out. Returns the status, body JSON in *out. */
static long upload(struct sim *s, const char *product, const void *data, size_t len,
                   const char *type, json_t **out)
{
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v23.0/" PNID "/media", sim_port(s));
	CURL *h = curl_easy_init();
	curl_mime *mime = curl_mime_init(h);
	if (product) {
		curl_mimepart *p = curl_mime_addpart(mime);
		curl_mime_name(p, "messaging_product");
		curl_mime_data(p, product, CURL_ZERO_TERMINATED);
	}
	if (data) {
		curl_mimepart *p = curl_mime_addpart(mime);
		curl_mime_name(p, "file");
		curl_mime_data(p, data, len);
		curl_mime_filename(p, "upload.bin");
		curl_mime_type(p, type);
	}
	struct curl_slist *hdrs = curl_slist_append(NULL, "Authorization: Bearer " TOKEN);
	struct buf body;
	buf_init(&body, 0);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	*out = json_loadb(body.ptr ? body.ptr : "", body.len, 0, NULL);
	buf_release(&body);
	curl_slist_free_all(hdrs);
	curl_mime_free(mime);
	curl_easy_cleanup(h);
	return status;
}

static void get_url(const char *url, const char *token, struct th_resp *r)
{
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {token ? auth : NULL, NULL};
	th_request("GET", url, headers, NULL, r);
}

static void tune(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
}

static struct sim *start(void)
{
	rx_clear(&rx);
	th_clock_init(&clk, 1750000000000LL);
	struct sim *s = simt_start(&rx, SECRET, &clk.clock, tune);
	struct th_resp r;
	simt_call(s, "POST", "/_sim/numbers", NULL,
	          "{\"phone_number_id\":\"" PNID "\",\"waba_id\":\"" WABA
	          "\",\"display_phone_number\":\"" DISPLAY "\"}",
	          &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	return s;
}

/* Retrieves media id: fills url (cap bytes) and checks the documented fields. */
static void retrieve(struct sim *s, const char *id, const void *data, size_t len, const char *mime,
                     char *url, size_t cap)
{
	struct th_resp r;
	char path[128], sha[SEC_SHA256_HEX], size[24];
	snprintf(path, sizeof(path), "/v23.0/%s", id);
	simt_call(s, "GET", path, TOKEN, NULL, &r);
	assert_int_equal(r.status, 200);
	sec_sha256_hex(data, len, sha);
	snprintf(size, sizeof(size), "%zu", len);
	assert_string_equal(th_json_str(&r, "sha256"), sha);
	assert_string_equal(th_json_str(&r, "file_size"), size);
	assert_string_equal(th_json_str(&r, "mime_type"), mime);
	assert_string_equal(th_json_str(&r, "id"), id);
	assert_string_equal(th_json_str(&r, "messaging_product"), "whatsapp");
	snprintf(url, cap, "%s", th_json_str(&r, "url"));
	assert_true(strstr(url, "/_media/") != NULL);
	th_resp_release(&r);
}

static void test_media_roundtrip(void **state)
{
	struct sim *s = start();
	json_t *j = NULL;
	assert_int_equal(upload(s, "whatsapp", PNG, sizeof(PNG), "image/png", &j), 200);
	char id[32], url[512];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	assert_true(strlen(id) >= 15);
	retrieve(s, id, PNG, sizeof(PNG), "image/png", url, sizeof(url));
	struct th_resp r;
	get_url(url, NULL, &r);
	assert_int_equal(r.status, 401); /* the URL alone is not enough */
	th_resp_release(&r);
	get_url(url, TOKEN, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, sizeof(PNG));
	assert_memory_equal(r.body.ptr, PNG, sizeof(PNG));
	char type[64];
	assert_true(th_resp_header(&r, "Content-Type", type, sizeof(type)));
	assert_string_equal(type, "image/png");
	th_resp_release(&r);
	char *tampered = simt_replace(strdup(url), "exp=", "exp=1");
	get_url(tampered, TOKEN, &r);
	assert_int_equal(r.status, 403); /* the expiry is signed */
	th_resp_release(&r);
	free(tampered);
	th_clock_advance(&clk, 300 * 1000);
	get_url(url, TOKEN, &r);
	assert_int_equal(r.status, 200); /* still within 5 minutes */
	th_resp_release(&r);
	th_clock_advance(&clk, 1000);
	get_url(url, TOKEN, &r);
	assert_int_equal(r.status, 404); /* expired */
	th_resp_release(&r);
	retrieve(s, id, PNG, sizeof(PNG), "image/png", url, sizeof(url)); /* a fresh URL works */
	get_url(url, TOKEN, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	char path[128];
	snprintf(path, sizeof(path), "/v23.0/%s", id);
	simt_call(s, "DELETE", path, TOKEN, NULL, &r);
	assert_true(json_is_true(json_object_get(r.json, "success")));
	th_resp_release(&r);
	simt_call(s, "GET", path, TOKEN, NULL, &r);
	assert_int_equal(simt_error_code(&r), 100); /* gone */
	th_resp_release(&r);
	get_url(url, TOKEN, &r);
	assert_int_equal(r.status, 404);
	th_resp_release(&r);
	sim_stop(s);
}

static void test_upload_refused(void **state)
{
	struct sim *s = start();
	json_t *j = NULL;
	assert_int_equal(upload(s, NULL, PNG, sizeof(PNG), "image/png", &j), 400);
	json_decref(j);
	assert_int_equal(upload(s, "whatsapp", NULL, 0, NULL, &j), 400);
	json_decref(j);
	assert_int_equal(upload(s, "whatsapp", PNG, sizeof(PNG), "application/x-evil", &j), 400);
	json_t *details =
	    json_object_get(json_object_get(json_object_get(j, "error"), "error_data"), "details");
	assert_non_null(strstr(json_string_value(details), "MIME"));
	json_decref(j);
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/media", TOKEN, "{\"file\":\"x\"}", &r);
	assert_int_equal(simt_error_code(&r), 100); /* not multipart */
	th_resp_release(&r);
	simt_call(s, "POST", "/v23.0/" PNID "/media", NULL, "{}", &r);
	assert_int_equal(r.status, 401);
	th_resp_release(&r);
	sim_stop(s);
}

/* One inbound case: the control body, the fixture to compare with, and the key that holds the
 * type's object (NULL for none). */
static const struct {
	const char *type;
	const char *extra; /* more control fields */
	const char *fixture;
} INBOUND[] = {
    {"text", ",\"text\":\"Does it come in another color?\"", "wh-incoming-text.json"},
    {"image", ",\"caption\":\"Taj Mahal\"", "wh-incoming-image.json"},
    {"location", ",\"text\":\"Philz\",\"url\":\"https://philzcoffee.com/\"",
     "wh-incoming-location.json"},
    {"contacts", "", "wh-incoming-contacts.json"},
    {"reaction", ",\"message_id\":\"wamid.abc\",\"emoji\":\"\\ud83d\\udc4d\"",
     "wh-incoming-reaction.json"},
    {"button", ",\"context_id\":\"wamid.ctx\",\"reply_id\":\"Unsubscribe\",\"text\":\"Stop\"",
     "wh-incoming-template-button.json"},
    {"interactive", ",\"context_id\":\"wamid.ctx\",\"reply_id\":\"cancel\",\"text\":\"Cancel\"",
     "wh-incoming-interactive-button-reply.json"},
    {"interactive",
     ",\"context_id\":\"wamid.ctx\",\"reply_type\":\"list_reply\",\"reply_id\":\"express\","
     "\"text\":\"Express\",\"description\":\"Next day\"",
     "wh-incoming-interactive-list-reply.json"},
    {"order", "", "wh-incoming-order.json"},
    {"system", "", "wh-incoming-system-user-changed-number.json"},
    {"unsupported", "", "wh-incoming-unsupported.json"},
    {"audio", "", NULL},
    {"video", ",\"caption\":\"clip\"", NULL},
    {"document", ",\"filename\":\"invoice.pdf\"", NULL},
    {"sticker", "", NULL},
};

/* Every key of want (recursively; arrays by their first element) is present in got. */
static void assert_keys(json_t *want, json_t *got, const char *where)
{
	if (json_is_array(want) && json_array_size(want) > 0) {
		if (!json_is_array(got) || json_array_size(got) == 0)
			fail_msg("%s: expected a non-empty array", where);
		assert_keys(json_array_get(want, 0), json_array_get(got, 0), where);
		return;
	}
	if (!json_is_object(want))
		return;
	const char *key;
	json_t *v;
	json_object_foreach(want, key, v)
	{
		char path[256];
		snprintf(path, sizeof(path), "%s.%s", where, key);
		if (!json_object_get(got, key))
			fail_msg("%s is missing", path);
		assert_keys(v, json_object_get(got, key), path);
	}
}

static const char *sget(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static json_t *first_value(json_t *body)
{
	json_t *entry = json_array_get(json_object_get(body, "entry"), 0);
	return json_object_get(json_array_get(json_object_get(entry, "changes"), 0), "value");
}

/* The media object of an inbound media message must be downloadable with its sha256. */
static void assert_media(struct sim *s, json_t *media)
{
	const char *id = sget(media, "id");
	char path[64];
	snprintf(path, sizeof(path), "/v23.0/%s", id);
	struct th_resp r, d;
	simt_call(s, "GET", path, TOKEN, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(th_json_str(&r, "mime_type"), sget(media, "mime_type"));
	get_url(th_json_str(&r, "url"), TOKEN, &d);
	assert_int_equal(d.status, 200);
	uint8_t digest[SEC_SHA256_BYTES];
	sec_sha256(d.body.ptr, d.body.len, digest);
	char b64[SIM_UTIL_B64_SIZE(SEC_SHA256_BYTES)];
	sim_util_b64(digest, sizeof(digest), false, b64);
	assert_string_equal(sget(media, "sha256"), b64); /* base64 in webhooks, like Meta */
	th_resp_release(&d);
	th_resp_release(&r);
}

static void check_inbound(struct sim *s, size_t i, const char *id, json_t *body)
{
	assert_string_equal(sget(json_array_get(json_object_get(body, "entry"), 0), "id"), WABA);
	json_t *value = first_value(body);
	json_t *md = json_object_get(value, "metadata");
	assert_string_equal(sget(md, "phone_number_id"), PNID);
	assert_string_equal(sget(md, "display_phone_number"), DISPLAY);
	json_t *msg = json_array_get(json_object_get(value, "messages"), 0);
	assert_string_equal(sget(msg, "id"), id);
	assert_string_equal(sget(msg, "from"), TO);
	assert_string_equal(sget(msg, "type"), INBOUND[i].type);
	json_t *contact = json_array_get(json_object_get(value, "contacts"), 0);
	bool system = strcmp(INBOUND[i].type, "system") == 0;
	assert_true((contact == NULL) == system); /* system messages carry no contacts */
	if (contact) {
		assert_string_equal(sget(contact, "wa_id"), TO);
		assert_string_equal(sget(json_object_get(contact, "profile"), "name"), "Sheena");
	}
	if (INBOUND[i].fixture) {
		char *text = simt_fixture(INBOUND[i].fixture);
		json_t *want = json_loads(text, 0, NULL);
		assert_non_null(want);
		assert_keys(want, body, INBOUND[i].fixture);
		json_decref(want);
		free(text);
	}
	json_t *media = json_object_get(msg, INBOUND[i].type);
	if (json_object_get(media, "sha256")) {
		assert_true(strlen(sget(media, "mime_type")) > 0);
		assert_media(s, media);
	} else {
		assert_null(INBOUND[i].fixture ? NULL : media); /* media types must carry sha256 */
	}
}

static void test_inbound_types(void **state)
{
	struct sim *s = start();
	for (size_t i = 0; i < sizeof(INBOUND) / sizeof(INBOUND[0]); i++) {
		char body[1024];
		snprintf(body, sizeof(body),
		         "{\"phone_number_id\":\"" PNID "\",\"from\":\"+" TO
		         "\",\"name\":\"Sheena\","
		         "\"type\":\"%s\"%s}",
		         INBOUND[i].type, INBOUND[i].extra);
		struct th_resp r;
		simt_call(s, "POST", "/_sim/inbound", NULL, body, &r);
		if (r.status != 200)
			fail_msg("%s -> %ld %s", INBOUND[i].type, r.status, buf_cstr(&r.body));
		assert_true(json_is_true(json_object_get(r.json, "delivered")));
		assert_int_equal(json_integer_value(json_object_get(r.json, "status")), 200);
		/* Synchronous: the receiver already has it when the control call returns. */
		assert_int_equal(rx_count(&rx), i + 1);
		json_t *got = rx_body(&rx, i);
		check_inbound(s, i, th_json_str(&r, "id"), got);
		json_decref(got);
		th_resp_release(&r);
	}
	assert_int_equal(rx.bad_signatures, 0);
	sim_stop(s);
}

static void test_inbound_options(void **state)
{
	struct sim *s = start();
	struct th_resp r;
	simt_call(
	    s, "POST", "/_sim/inbound", NULL,
	    "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\",\"type\":\"document\","
	    "\"content_base64\":\"SGVsbG8=\",\"mime_type\":\"text/plain\",\"no_profile\":true}",
	    &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	json_t *body = rx_body(&rx, 0);
	json_t *value = first_value(body);
	json_t *contact = json_array_get(json_object_get(value, "contacts"), 0);
	assert_null(json_object_get(contact, "profile"));
	assert_string_equal(sget(contact, "wa_id"), TO);
	json_t *doc =
	    json_object_get(json_array_get(json_object_get(value, "messages"), 0), "document");
	char path[64], url[512];
	snprintf(path, sizeof(path), "%s", sget(doc, "id"));
	retrieve(s, path, "Hello", 5, "text/plain", url, sizeof(url));
	json_decref(body);
	struct th_resp d;
	get_url(url, TOKEN, &d);
	assert_int_equal(d.body.len, 5);
	assert_memory_equal(d.body.ptr, "Hello", 5);
	th_resp_release(&d);
	const char *bad[] = {
	    "{\"from\":\"" TO "\"}",
	    "{\"phone_number_id\":\"" PNID "\"}",
	    "{\"phone_number_id\":\"" PNID "\",\"from\":\"x\"}",
	    "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\",\"type\":\"hologram\"}",
	    "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\",\"type\":\"reaction\"}",
	    "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO
	    "\",\"type\":\"image\",\"content_base64\":\"***\"}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		simt_call(s, "POST", "/_sim/inbound", NULL, bad[i], &r);
		assert_int_equal(r.status, 400);
		assert_true(strlen(th_json_str(&r, "error")) > 0);
		th_resp_release(&r);
	}
	simt_call(s, "POST", "/_sim/config", NULL, "{\"bsuid\":true}", &r);
	th_resp_release(&r);
	simt_call(s, "POST", "/_sim/inbound", NULL,
	          "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\"}", &r);
	th_resp_release(&r);
	body = rx_body(&rx, 1);
	contact = json_array_get(json_object_get(first_value(body), "contacts"), 0);
	assert_true(strncmp(sget(contact, "user_id"), "US.", 3) == 0);
	json_decref(body);
	sim_stop(s);
}

static void test_inbound_retried(void **state)
{
	struct sim *s = start();
	rx_fail_next(&rx, 1);
	struct th_resp r;
	simt_call(s, "POST", "/_sim/inbound", NULL,
	          "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\"}", &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_false(json_object_get(r.json, "delivered")));
	assert_int_equal(json_integer_value(json_object_get(r.json, "status")), 500);
	char id[64];
	snprintf(id, sizeof(id), "%s", th_json_str(&r, "id"));
	th_resp_release(&r);
	assert_true(rx_wait_count(&rx, 1, WAIT_MS)); /* Meta retries, so does the simulator */
	json_t *body = rx_body(&rx, 0);
	json_t *msg = json_array_get(json_object_get(first_value(body), "messages"), 0);
	assert_string_equal(sget(msg, "id"), id);
	json_decref(body);
	sim_stop(s);
}

static void tune_wrong_token(struct sim_config *cfg)
{
	cfg->verify_token = "not-the-receivers-token";
}

static void test_verify_handshake(void **state)
{
	struct sim *s = start(); /* simt_start passes the receiver's verify token */
	struct th_resp r;
	simt_call(s, "POST", "/_sim/webhook/verify", NULL, "{}", &r);
	assert_true(json_is_true(json_object_get(r.json, "verified")));
	assert_int_equal(json_integer_value(json_object_get(r.json, "status")), 200);
	th_resp_release(&r);
	sim_stop(s);
	s = simt_start(&rx, SECRET, NULL, tune_wrong_token);
	simt_call(s, "POST", "/_sim/webhook/verify", NULL, "{}", &r);
	assert_true(json_is_false(json_object_get(r.json, "verified")));
	assert_int_equal(json_integer_value(json_object_get(r.json, "status")), 403);
	th_resp_release(&r);
	sim_stop(s);
}

static void test_reset(void **state)
{
	struct sim *s = start();
	struct th_resp r;
	simt_call(s, "POST", "/_sim/inbound", NULL,
	          "{\"phone_number_id\":\"" PNID "\",\"from\":\"" TO "\"}", &r);
	th_resp_release(&r);
	simt_call(
	    s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\",\"text\":{\"body\":\"x\"}}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	simt_call(s, "POST", "/v23.0/" WABA "/message_templates", TOKEN,
	          "{\"name\":\"t\",\"language\":\"en\",\"category\":\"UTILITY\",\"components\":"
	          "[{\"type\":\"BODY\",\"text\":\"x\"}]}",
	          &r);
	th_resp_release(&r);
	simt_call(s, "POST", "/_sim/rules", NULL,
	          "{\"recipient\":\"" TO "\",\"code\":131048,\"mode\":\"sync\"}", &r);
	th_resp_release(&r);
	simt_call(s, "POST", "/_sim/reset", NULL, "{}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	simt_call(s, "GET", "/_sim/stats", NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "accepted")), 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "requests")), 0);
	th_resp_release(&r);
	simt_call(s, "GET", "/_sim/messages", NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	th_resp_release(&r);
	simt_call(s, "GET", "/v23.0/" WABA "/message_templates", TOKEN, NULL, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "data")), 0);
	th_resp_release(&r);
	/* The rule is gone and the window too: 200, then a 131047 failure. */
	simt_call(
	    s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	    "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\",\"text\":{\"body\":\"x\"}}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	simt_call(s, "GET", "/_sim/messages", NULL, NULL, &r);
	json_t *m = json_array_get(json_object_get(r.json, "messages"), 0);
	assert_int_equal(json_integer_value(json_object_get(m, "failed_code")), 131047);
	th_resp_release(&r);
	sim_stop(s);
}

static int setup(void **state)
{
	sec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_setup(NULL, LOG_LEVEL_WARN, false);
	rx_start(&rx, SECRET, "verify-me");
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
	    cmocka_unit_test(test_media_roundtrip), cmocka_unit_test(test_upload_refused),
	    cmocka_unit_test(test_inbound_types),   cmocka_unit_test(test_inbound_options),
	    cmocka_unit_test(test_inbound_retried), cmocka_unit_test(test_verify_handshake),
	    cmocka_unit_test(test_reset),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
