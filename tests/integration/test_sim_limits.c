/* Integration: the Meta simulator's limits and failure rules over real HTTP, with an injected
 * clock instead of sleeping: throughput per number (130429 from a real token bucket), pair rate
 * (131056 after the burst, one per interval), the 24-hour window (131047 as a failed status
 * webhook after a 200; opened by /_sim/inbound, closed 24 h later), and the control API's
 * rules (131026 async, 131048/368/190 sync, 131000 with a count, then success). */
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

#define SECRET "sim-limits-secret"
#define PNID "106540352242922"
#define WABA "102290129340398"
#define TO "16505551234"
#define TOKEN "EAAG-test-token"
#define WAIT_MS 10000
#define HOUR_MS (3600LL * 1000)

static struct rx rx;
static struct th_clock clk;

static void control(struct sim *s, const char *path, const char *body)
{
	struct th_resp r;
	simt_call(s, "POST", path, NULL, body, &r);
	if (r.status != 200)
		fail_msg("%s -> %ld %s", path, r.status, buf_cstr(&r.body));
	th_resp_release(&r);
}

/* Sends a text to `to`; returns the HTTP status, the wamid or the error code in *out. */
static long send_text(struct sim *s, const char *to, char *wamid, size_t cap, int *code)
{
	char body[256];
	snprintf(body, sizeof(body),
	         "{\"messaging_product\":\"whatsapp\",\"to\":\"%s\",\"type\":\"text\","
	         "\"text\":{\"body\":\"hi\"}}",
	         to);
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN, body, &r);
	long status = r.status;
	if (wamid)
		snprintf(wamid, cap, "%s", simt_wamid(&r));
	if (code)
		*code = simt_error_code(&r);
	th_resp_release(&r);
	return status;
}

static void inbound(struct sim *s, const char *from)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"phone_number_id\":\"%s\",\"from\":\"%s\"}", PNID, from);
	control(s, "/_sim/inbound", body);
}

static void tune(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->enforce_window = false;
}

static struct sim *start(void (*t)(struct sim_config *cfg))
{
	rx_clear(&rx);
	th_clock_init(&clk, 1750000000000LL);
	return simt_start(&rx, SECRET, &clk.clock, t ? t : tune);
}

static void test_mps_130429(void **state)
{
	struct sim *s = start(NULL);
	control(s, "/_sim/numbers", "{\"phone_number_id\":\"" PNID "\",\"mps\":5}");
	int accepted = 0, limited = 0;
	for (int i = 0; i < 20; i++) {
		char to[16];
		snprintf(to, sizeof(to), "1650555%04d", i); /* other recipients: no pair limit */
		int code = 0;
		long status = send_text(s, to, NULL, 0, &code);
		accepted += status == 200;
		limited += status == 400 && code == 130429;
	}
	assert_int_equal(accepted, 5); /* the clock stands still: the bucket holds 5 */
	assert_int_equal(limited, 15);
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	          "{\"messaging_product\":\"whatsapp\",\"to\":\"1\",\"text\":{}}", &r);
	assert_int_equal(simt_error_code(&r), 100); /* validation comes before the limit */
	th_resp_release(&r);
	int code = 0;
	send_text(s, "16505559999", NULL, 0, &code);
	simt_call(s, "GET", "/_sim/stats", NULL, NULL, &r);
	json_t *by_code = json_object_get(r.json, "rejected_by_code");
	assert_int_equal(json_integer_value(json_object_get(by_code, "130429")), 16);
	th_resp_release(&r);
	th_clock_advance(&clk, 1000); /* one second refills 5 tokens */
	for (int i = 0; i < 5; i++)
		assert_int_equal(send_text(s, "16505558888", NULL, 0, NULL), 200);
	assert_int_equal(send_text(s, "16505558888", NULL, 0, &code), 400);
	assert_int_equal(code, 130429);
	sim_stop(s);
}

static void assert_rate_envelope(struct sim *s)
{
	control(s, "/_sim/numbers", "{\"phone_number_id\":\"" PNID "\",\"mps\":1}");
	send_text(s, "16505550001", NULL, 0, NULL);
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	          "{\"messaging_product\":\"whatsapp\",\"to\":\"16505550002\",\"type\":\"text\","
	          "\"text\":{\"body\":\"x\"}}",
	          &r);
	json_t *err = json_object_get(r.json, "error");
	assert_int_equal(r.status, 400);
	assert_int_equal(json_integer_value(json_object_get(err, "code")), 130429);
	assert_int_equal(json_integer_value(json_object_get(err, "error_subcode")), 2494055);
	assert_string_equal(json_string_value(json_object_get(err, "message")),
	                    "(#130429) Rate limit hit");
	json_t *data = json_object_get(err, "error_data");
	assert_string_equal(json_string_value(json_object_get(data, "messaging_product")),
	                    "whatsapp");
	assert_non_null(strstr(json_string_value(json_object_get(data, "details")),
	                       "too many messages sent from this phone number"));
	th_resp_release(&r);
}

static void test_rate_envelope(void **state)
{
	struct sim *s = start(NULL);
	assert_rate_envelope(s);
	sim_stop(s);
}

static void tune_pair(struct sim_config *cfg)
{
	tune(cfg);
	cfg->pair_burst = 3;
	cfg->pair_interval_ms = 6000;
}

static void test_pair_131056(void **state)
{
	struct sim *s = start(tune_pair);
	int code = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(send_text(s, TO, NULL, 0, NULL), 200);
	assert_int_equal(send_text(s, TO, NULL, 0, &code), 400);
	assert_int_equal(code, 131056);
	assert_int_equal(send_text(s, "+1 650 555 4321", NULL, 0, NULL), 200); /* another user */
	th_clock_advance(&clk, 5999);
	assert_int_equal(send_text(s, TO, NULL, 0, &code), 400);
	th_clock_advance(&clk, 1);
	assert_int_equal(send_text(s, TO, NULL, 0, NULL), 200); /* one per 6 s after the burst */
	assert_int_equal(send_text(s, TO, NULL, 0, &code), 400);
	assert_int_equal(code, 131056);
	sim_stop(s);
}

static void tune_window(struct sim_config *cfg)
{
	cfg->template_review_ms = 0;
	cfg->enforce_window = true;
}

static void assert_failed(const char *wamid, int code, const char *title)
{
	assert_true(rx_wait_statuses(&rx, wamid, "failed", 1, WAIT_MS));
	json_t *st = rx_status(&rx, wamid, "failed");
	assert_string_equal(json_string_value(json_object_get(st, "recipient_id")), TO);
	assert_null(json_object_get(st, "pricing"));
	json_t *e = json_array_get(json_object_get(st, "errors"), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "code")), code);
	assert_string_equal(json_string_value(json_object_get(e, "title")), title);
	assert_string_equal(json_string_value(json_object_get(e, "message")), title);
	assert_true(
	    json_string_length(json_object_get(json_object_get(e, "error_data"), "details")) > 10);
	assert_non_null(strstr(json_string_value(json_object_get(e, "href")), "error-codes"));
	json_decref(st);
	assert_int_equal(rx_statuses(&rx, wamid, "sent"), 0);
}

static long send_template(struct sim *s, char *wamid, size_t cap)
{
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	          "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\",\"type\":\"template\","
	          "\"template\":{\"name\":\"hello\",\"language\":{\"code\":\"en_US\"}}}",
	          &r);
	long status = r.status;
	snprintf(wamid, cap, "%s", simt_wamid(&r));
	th_resp_release(&r);
	return status;
}

static void test_window_131047(void **state)
{
	struct sim *s = start(tune_window);
	control(s, "/_sim/numbers", "{\"phone_number_id\":\"" PNID "\",\"waba_id\":\"" WABA "\"}");
	char wamid[64];
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200); /* Meta says 200 */
	assert_failed(wamid, 131047, "Re-engagement message");
	struct th_resp r;
	simt_call(s, "GET", "/_sim/messages?to=%2B" TO, NULL, NULL, &r);
	json_t *m = json_array_get(json_object_get(r.json, "messages"), 0);
	assert_int_equal(json_integer_value(json_object_get(m, "failed_code")), 131047);
	th_resp_release(&r);
	/* A template needs no window. */
	simt_call(s, "POST", "/v23.0/" WABA "/message_templates", TOKEN,
	          "{\"name\":\"hello\",\"language\":\"en_US\",\"category\":\"UTILITY\","
	          "\"components\":[{\"type\":\"BODY\",\"text\":\"Hello\"}]}",
	          &r);
	th_resp_release(&r);
	control(s, "/_sim/templates/status",
	        "{\"waba_id\":\"" WABA "\",\"name\":\"hello\",\"language\":\"en_US\","
	        "\"status\":\"APPROVED\"}");
	assert_int_equal(send_template(s, wamid, sizeof(wamid)), 200);
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	/* The user writes: the window opens for 24 hours. */
	inbound(s, "+" TO);
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200);
	assert_true(rx_wait_statuses(&rx, wamid, "read", 1, WAIT_MS));
	assert_int_equal(rx_statuses(&rx, wamid, "failed"), 0);
	th_clock_advance(&clk, 24 * HOUR_MS - 1);
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200);
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	th_clock_advance(&clk, 1);
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200);
	assert_failed(wamid, 131047, "Re-engagement message");
	/* Switched off at run time: free-form messages go through. */
	control(s, "/_sim/config", "{\"enforce_window\":false}");
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200);
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	sim_stop(s);
}

static void rule(struct sim *s, int code, const char *mode, int count)
{
	char body[256], extra[32] = "";
	if (count > 0)
		snprintf(extra, sizeof(extra), ",\"count\":%d", count);
	snprintf(body, sizeof(body), "{\"recipient\":\"+" TO "\",\"code\":%d,\"mode\":\"%s\"%s}",
	         code, mode, extra);
	control(s, "/_sim/rules", body);
}

static void assert_sync_error(struct sim *s, long status, int code, int subcode)
{
	struct th_resp r;
	simt_call(s, "POST", "/v23.0/" PNID "/messages", TOKEN,
	          "{\"messaging_product\":\"whatsapp\",\"to\":\"" TO "\",\"type\":\"text\","
	          "\"text\":{\"body\":\"x\"}}",
	          &r);
	assert_int_equal(r.status, status);
	assert_int_equal(simt_error_code(&r), code);
	json_t *err = json_object_get(r.json, "error");
	if (subcode)
		assert_int_equal(json_integer_value(json_object_get(err, "error_subcode")),
		                 subcode);
	assert_true(json_is_true(json_object_get(err, "is_transient")) == (code == 131000));
	th_resp_release(&r);
}

static void test_rules(void **state)
{
	struct sim *s = start(NULL);
	char wamid[64];
	rule(s, 131026, "async", 0);
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200);
	assert_failed(wamid, 131026, "Message undeliverable");
	rule(s, 131048, "sync", 0);
	assert_sync_error(s, 400, 131048, 0);
	assert_sync_error(s, 400, 131048, 0); /* without a count a rule stays */
	rule(s, 368, "sync", 0);
	assert_sync_error(s, 400, 368, 0);
	rule(s, 190, "sync", 0);
	assert_sync_error(s, 401, 190, 463);
	rule(s, 131000, "sync", 2);
	assert_sync_error(s, 500, 131000, 0);
	assert_sync_error(s, 500, 131000, 0);
	assert_int_equal(send_text(s, TO, wamid, sizeof(wamid), NULL), 200); /* count used up */
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	rule(s, 131048, "sync", 0);
	struct th_resp r;
	simt_call(s, "DELETE", "/_sim/rules", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	assert_int_equal(send_text(s, TO, NULL, 0, NULL), 200);
	assert_int_equal(send_text(s, "16505550000", NULL, 0, NULL), 200); /* rules are per user */
	simt_call(s, "POST", "/_sim/rules", NULL, "{\"recipient\":\"x\",\"code\":1}", &r);
	assert_int_equal(r.status, 400);
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
	    cmocka_unit_test(test_mps_130429),  cmocka_unit_test(test_rate_envelope),
	    cmocka_unit_test(test_pair_131056), cmocka_unit_test(test_window_131047),
	    cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
