/* Integration: what happens after a message is queued, against the simulator (SANDBOX=true)
 * over real HTTP: retryable errors retried until accepted, permanent errors kept with Meta's
 * code, a spam-limit refusal pausing the number (visible in /health and the numbers list),
 * an expired token marking the number "reconnect required", asynchronous failures from
 * status webhooks, and status webhooks that arrive out of order or twice converging on the
 * right state. Time-based backoff is driven by the injectable clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "meta/signature.h"

#define PW "correct horse battery"

static struct th_server srv;
static char session[80], token[80], auth[128], sauth[128], pnid[64];

static void api(const char *method, const char *path, const char *hdr, const char *body,
                struct th_resp *r)
{
	char u[512];
	snprintf(u, sizeof(u), "%s%s", srv.api_url, path);
	const char *h[] = {hdr ? hdr : auth, NULL};
	th_request(method, u, h, body, r);
}

static int setup(void **state)
{
	const char *env[] = {"SANDBOX=true",
	                     "ENFORCE_SERVICE_WINDOW=false",
	                     "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000",
	                     "JWT_EXPIRES_IN=30d",
	                     "SEND_WAIT_MS=2000",
	                     NULL};
	th_server_start(&srv, env);
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	struct th_resp r;
	api("GET", "/api/integrations/account/config", NULL, NULL, &r);
	json_t *n =
	    json_array_get(json_object_get(json_object_get(r.json, "data"), "phoneNumbers"), 0);
	snprintf(pnid, sizeof(pnid), "%s", json_string_value(json_object_get(n, "phoneNumberId")));
	th_resp_release(&r);
	/* The simulator's own window check is off too: these tests are about delivery. */
	th_sim(&srv, "/_sim/config", "{\"enforce_window\":false}", &r);
	th_resp_release(&r);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

static void rule(const char *recipient, int code, const char *mode, int count)
{
	char body[256], tail[32] = "";
	if (count > 0) /* 0 = the rule applies to every message */
		snprintf(tail, sizeof(tail), ",\"count\":%d", count);
	snprintf(body, sizeof(body), "{\"recipient\":\"%s\",\"code\":%d,\"mode\":\"%s\"%s}",
	         recipient, code, mode, tail);
	struct th_resp r;
	assert_int_equal(th_sim(&srv, "/_sim/rules", body, &r), 200);
	th_resp_release(&r);
}

/* Sends asynchronously; returns the message id in id. */
static void send_to(const char *to, char *id)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"recipientPhone\":\"%s\",\"message\":\"hello %s\"}", to,
	         to);
	struct th_resp r;
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/send-message", srv.api_url);
	const char *h[] = {auth, "Prefer: respond-async", NULL};
	th_request("POST", u, h, body, &r);
	if (r.status != 202)
		fail_msg("send: %ld %s", r.status, buf_cstr(&r.body));
	snprintf(id, 32, "%s",
	         json_string_value(json_object_get(json_object_get(r.json, "data"), "messageId")));
	th_resp_release(&r);
}

struct expect {
	const char *status;
	int code;
};

static bool message_is(json_t *j, void *arg)
{
	struct expect *x = arg;
	json_t *d = json_object_get(j, "data");
	const char *st = json_string_value(json_object_get(d, "status"));
	if (!st || strcmp(st, x->status) != 0)
		return false;
	json_t *err = json_object_get(d, "error");
	return x->code == 0 || json_integer_value(json_object_get(err, "code")) == x->code;
}

static void wait_message(const char *id, const char *status, int code, bool advance)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/messages/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	struct expect x = {status, code};
	for (int i = 0; i < 40; i++) {
		if (th_wait_json(u, h, 250, message_is, &x))
			return;
		if (advance) /* make the next backoff due without waiting for it */
			th_clock_advance(&srv.clock, 15 * 60 * 1000);
	}
	struct th_resp r;
	th_request("GET", u, h, NULL, &r);
	fail_msg("message %s never became %s (%d): %s", id, status, code, buf_cstr(&r.body));
}

static void test_transient_errors_are_retried(void **state)
{
	char id[32];
	rule("15550001001", 131000, "sync", 2);
	send_to("15550001001", id);
	wait_message(id, "read", 0, true);
	struct th_resp r;
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/messages/%s", id);
	api("GET", path, NULL, NULL, &r);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r.json, "data"), "attempts")), 3);
	th_resp_release(&r);
}

static void test_permanent_errors_fail(void **state)
{
	char id[32];
	rule("15550001002", 131026, "async", 0); /* 200, then a failed status webhook */
	send_to("15550001002", id);
	wait_message(id, "failed", 131026, false);
	rule("15550001003", 100, "sync", 0); /* refused at once: not retried */
	send_to("15550001003", id);
	wait_message(id, "failed", 100, false);
	/* The synchronous path answers 422 WHATSAPP_ERROR with Meta's code and our id. */
	rule("15550001004", 100, "sync", 0);
	struct th_resp r;
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"15550001004\",\"message\":\"x\"}", &r);
	th_assert_error(&r, 422, "WHATSAPP_ERROR");
	assert_int_equal(json_integer_value(json_object_get(r.json, "whatsappCode")), 100);
	assert_int_equal(strlen(th_json_str(&r, "messageId")), 24);
	th_resp_release(&r);
}

static bool number_status(json_t *j, void *arg)
{
	json_t *n = json_array_get(json_object_get(j, "phoneNumbers"), 0);
	const char *st = json_string_value(json_object_get(n, "status"));
	return st && strcmp(st, arg) == 0;
}

static void test_spam_limit_pauses_number(void **state)
{
	char id[32], u[256];
	rule("15550001005", 131048, "sync", 1);
	send_to("15550001005", id);
	snprintf(u, sizeof(u), "%s/api/settings/phone-numbers", srv.api_url);
	const char *h[] = {sauth, NULL};
	assert_true(th_wait_json(u, h, 5000, number_status, "paused"));
	/* The message waits, it is not lost; /health says why the number is paused. */
	struct th_resp r;
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/messages/%s", id);
	api("GET", path, NULL, NULL, &r);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "data"), "status")),
	    "queued");
	th_resp_release(&r);
	api("GET", "/health", NULL, NULL, &r);
	json_t *paused = json_object_get(r.json, "pausedNumbers");
	assert_int_equal(json_array_size(paused), 1);
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_array_get(paused, 0), "reason")), "131048"));
	th_resp_release(&r);
	/* New sends from a paused number are refused up front. */
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"15550001006\",\"message\":\"x\"}", &r);
	th_assert_error(&r, 422, "PHONE_NUMBER_UNAVAILABLE");
	th_resp_release(&r);
	/* Reconnecting (a new token) resumes the number and the waiting message goes out. */
	api("GET", "/api/settings/phone-numbers", sauth, NULL, &r);
	char nid[32], upath[128];
	snprintf(nid, sizeof(nid), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(r.json, "phoneNumbers"), 0), "id")));
	th_resp_release(&r);
	snprintf(upath, sizeof(upath), "/api/settings/phone-numbers/%s", nid);
	api("PUT", upath, sauth, "{\"accessToken\":\"new-sandbox-token\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	wait_message(id, "read", 0, false);
}

static void post_status(const char *wamid, const char *status, long ts, const char *recipient)
{
	char body[1024], sig[80], header[120], u[256];
	snprintf(
	    body, sizeof(body),
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
	    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
	    "\"display_phone_number\":\"15550100\",\"phone_number_id\":\"%s\"},\"statuses\":[{"
	    "\"id\":\"%s\",\"status\":\"%s\",\"timestamp\":\"%ld\",\"recipient_id\":\"%s\"}]}}]}]}",
	    pnid, wamid, status, ts, recipient);
	meta_signature_compute(srv.app->svc->sandbox_secret, body, strlen(body), sig);
	snprintf(header, sizeof(header), "X-Hub-Signature-256: %s", sig);
	snprintf(u, sizeof(u), "%s/api/webhooks/whatsapp", srv.api_url);
	const char *h[] = {header, NULL};
	struct th_resp r;
	th_request("POST", u, h, body, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

static bool events_count(json_t *j, void *arg)
{
	return json_array_size(json_object_get(json_object_get(j, "data"), "events")) ==
	       (size_t)(intptr_t)arg;
}

static void test_out_of_order_statuses_converge(void **state)
{
	struct th_resp r;
	th_sim(&srv, "/_sim/config",
	       "{\"sent_delay_ms\":-1,\"delivered_delay_ms\":-1,\"read_delay_ms\":-1}", &r);
	th_resp_release(&r);
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"15550001010\",\"message\":\"order\"}", &r);
	assert_int_equal(r.status, 200);
	json_t *d = json_object_get(r.json, "data");
	char id[32], wamid[160], u[256];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "messageId")));
	snprintf(wamid, sizeof(wamid), "%s", json_string_value(json_object_get(d, "waMessageId")));
	th_resp_release(&r);
	post_status(wamid, "read", 1750000300, "15550001010");
	post_status(wamid, "delivered", 1750000200, "15550001010");
	post_status(wamid, "delivered", 1750000200, "15550001010"); /* Meta repeats itself */
	post_status(wamid, "sent", 1750000100, "15550001010");
	/* accepted + sent + delivered + read: the duplicate adds nothing */
	snprintf(u, sizeof(u), "%s/api/integrations/messages/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	assert_true(th_wait_json(u, h, 5000, events_count, (void *)(intptr_t)4));
	th_request("GET", u, h, NULL, &r);
	d = json_object_get(r.json, "data");
	assert_string_equal(json_string_value(json_object_get(d, "status")), "read");
	json_t *ts = json_object_get(d, "timestamps");
	assert_string_equal(json_string_value(json_object_get(ts, "sentAt")),
	                    "2025-06-15T15:08:20.000Z");
	assert_string_equal(json_string_value(json_object_get(ts, "readAt")),
	                    "2025-06-15T15:11:40.000Z");
	th_resp_release(&r);
	/* A late failure after read is recorded as an event but never demotes the message. */
	post_status(wamid, "failed", 1750000400, "15550001010");
	assert_true(th_wait_json(u, h, 5000, events_count, (void *)(intptr_t)5));
	th_request("GET", u, h, NULL, &r);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "data"), "status")), "read");
	th_resp_release(&r);
	th_sim(&srv, "/_sim/config",
	       "{\"sent_delay_ms\":0,\"delivered_delay_ms\":0,\"read_delay_ms\":0}", &r);
	th_resp_release(&r);
}

static void test_expired_token_needs_reconnect(void **state)
{
	char id[32], u[256];
	rule("15550001020", 190, "sync", 1);
	send_to("15550001020", id);
	snprintf(u, sizeof(u), "%s/api/settings/phone-numbers", srv.api_url);
	const char *h[] = {sauth, NULL};
	assert_true(th_wait_json(u, h, 5000, number_status, "reauth"));
	struct th_resp r;
	api("GET", "/api/settings/phone-numbers", sauth, NULL, &r);
	json_t *n = json_array_get(json_object_get(r.json, "phoneNumbers"), 0);
	assert_true(json_is_true(json_object_get(n, "reconnectRequired")));
	th_resp_release(&r);
}

static bool settled(json_t *j, void *arg)
{
	const char *st = json_string_value(json_object_get(json_object_get(j, "data"), "status"));
	return st && strcmp(st, "queued") != 0 && strcmp(st, "sending") != 0;
}

/* Removing a number leaves none of its messages stranded: the ones not yet sent fail with a
 * clear reason. */
static void test_removed_number_fails_its_queue(void **state)
{
	struct th_resp r;
	api("POST", "/api/settings/phone-numbers", sauth,
	    "{\"phoneNumberId\":\"123123123123\",\"wabaId\":\"456456\",\"accessToken\":\"t\","
	    "\"throughputMps\":1}",
	    &r);
	assert_int_equal(r.status, 201);
	char nid[32];
	snprintf(nid, sizeof(nid), "%s",
	         json_string_value(json_object_get(json_object_get(r.json, "data"), "id")));
	th_resp_release(&r);
	char ids[4][32], u[256];
	const char *h[] = {auth, "Prefer: respond-async", NULL};
	snprintf(u, sizeof(u), "%s/api/integrations/send-message", srv.api_url);
	for (int i = 0; i < 4; i++) {
		char body[160];
		snprintf(body, sizeof(body),
		         "{\"recipientPhone\":\"1555000900%d\",\"message\":\"x\",\"phoneNumberId\":"
		         "\"123123123123\"}",
		         i);
		th_request("POST", u, h, body, &r);
		assert_int_equal(r.status, 202);
		snprintf(ids[i], 32, "%s",
		         json_string_value(
		             json_object_get(json_object_get(r.json, "data"), "messageId")));
		th_resp_release(&r);
	}
	char path[128];
	snprintf(path, sizeof(path), "/api/settings/phone-numbers/%s", nid);
	api("DELETE", path, sauth, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	int failed = 0;
	for (int i = 0; i < 4; i++) {
		snprintf(u, sizeof(u), "%s/api/integrations/messages/%s", srv.api_url, ids[i]);
		const char *g[] = {auth, NULL};
		if (!th_wait_json(u, g, 5000, settled, NULL))
			fail_msg("message %s stranded after its number was removed", ids[i]);
		th_request("GET", u, g, NULL, &r);
		json_t *d = json_object_get(r.json, "data");
		if (strcmp(json_string_value(json_object_get(d, "status")), "failed") == 0) {
			failed++;
			assert_string_equal(json_string_value(json_object_get(
			                        json_object_get(d, "error"), "title")),
			                    "Phone number removed");
		}
		th_resp_release(&r);
	}
	assert_true(failed >= 2); /* at 1 message/s, most were still waiting */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_transient_errors_are_retried),
	    cmocka_unit_test(test_permanent_errors_fail),
	    cmocka_unit_test(test_out_of_order_statuses_converge),
	    cmocka_unit_test(test_spam_limit_pauses_number),
	    cmocka_unit_test(test_expired_token_needs_reconnect),
	    cmocka_unit_test(test_removed_number_fails_its_queue),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
