/* Integration: broadcasts against the built-in simulator (SANDBOX=true) over real HTTP. A
 * 1,000-recipient template broadcast at 200 messages/s reaches every recipient exactly once
 * and cannot finish faster than its throttle allows; duplicates, invalid phones and opted-out
 * contacts are skipped and reported; pause, resume and cancel; a spam-limit refusal (131048)
 * pauses the broadcast with the reason; the original text form skips customers outside the
 * window; the daily limit refuses with the numbers; scheduling survives a restart; validation
 * happens before anything is written; other accounts see nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/clock.h"
#include "harness.h"

#define PW "correct horse battery"

static struct th_server srv;
static char session[80], sauth[128], token[80], auth[128], pnid[64], waba[64], number_id[32];
static const char *env[] = {"SANDBOX=true",
                            "INTEGRATION_RATE_LIMIT=100000",
                            "INTEGRATION_RATE_BURST=10000",
                            "ALLOW_SIGNUP=true",
                            "JWT_EXPIRES_IN=30d",
                            "MESSAGING_LIMIT_PER_DAY=1500",
                            NULL};

static void call(const char *hdr, const char *method, const char *path, const char *body,
                 struct th_resp *r)
{
	th_call(&srv, hdr, method, path, body, r);
}

static json_t *data_of(struct th_resp *r)
{
	return json_object_get(r->json, "data");
}

static void sim(const char *path, const char *body)
{
	struct th_resp r;
	if (th_sim(&srv, path, body, &r) != 200)
		fail_msg("sim %s: %ld %s", path, r.status, buf_cstr(&r.body));
	th_resp_release(&r);
}

static bool template_approved(json_t *j, void *arg)
{
	json_t *t = json_object_get(json_object_get(j, "data"), "template");
	const char *st = json_string_value(json_object_get(t, "status"));
	return st && strcmp(st, "approved") == 0;
}

static void approved_template(const char *body)
{
	struct th_resp r;
	call(auth, "POST", "/api/integrations/templates", body, &r);
	if (r.status != 201)
		fail_msg("template: %ld %s", r.status, buf_cstr(&r.body));
	char u[256];
	snprintf(
	    u, sizeof(u), "%s/api/integrations/templates/%s", srv.api_url,
	    json_string_value(json_object_get(json_object_get(data_of(&r), "template"), "id")));
	th_resp_release(&r);
	const char *h[] = {auth, NULL};
	assert_true(th_wait_json(u, h, 10000, template_approved, NULL));
}

static int setup(void **state)
{
	th_server_start(&srv, env);
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct th_resp r;
	call(sauth, "GET", "/api/settings/phone-numbers", NULL, &r);
	json_t *n = json_array_get(json_object_get(r.json, "phoneNumbers"), 0);
	snprintf(pnid, sizeof(pnid), "%s", json_string_value(json_object_get(n, "phoneNumberId")));
	snprintf(waba, sizeof(waba), "%s", json_string_value(json_object_get(n, "wabaId")));
	snprintf(number_id, sizeof(number_id), "%s", json_string_value(json_object_get(n, "id")));
	th_resp_release(&r);
	/* Fast enough for the broadcasts below, on both sides. */
	char path[128], body[256];
	snprintf(path, sizeof(path), "/api/settings/phone-numbers/%s", number_id);
	call(sauth, "PUT", path, "{\"throughputMps\":1000}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	snprintf(body, sizeof(body), "{\"phone_number_id\":\"%s\",\"waba_id\":\"%s\",\"mps\":1000}",
	         pnid, waba);
	sim("/_sim/numbers", body);
	sim("/_sim/config", "{\"enforce_window\":false}");
	approved_template("{\"name\":\"term_notice\",\"category\":\"UTILITY\",\"language\":\"en\","
	                  "\"content\":\"Dear {{1}}, term starts on {{2}}\","
	                  "\"examples\":[\"Asha\",\"Monday\"]}");
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

/* POSTs a broadcast; expects 202 and returns its id in id. */
static void start(const char *body, char *id, struct th_resp *r)
{
	call(auth, "POST", "/api/integrations/broadcast", body, r);
	if (r->status != 202)
		fail_msg("broadcast: %ld %s", r->status, buf_cstr(&r->body));
	snprintf(id, 32, "%s", json_string_value(json_object_get(data_of(r), "broadcastId")));
}

static bool status_is(json_t *j, void *arg)
{
	json_t *b = json_object_get(json_object_get(j, "data"), "broadcast");
	const char *st = json_string_value(json_object_get(b, "status"));
	return st && strcmp(st, arg) == 0;
}

static void wait_status(const char *id, const char *status, int timeout_ms)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/broadcasts/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	if (!th_wait_json(u, h, timeout_ms, status_is, (void *)status)) {
		struct th_resp r;
		th_request("GET", u, h, NULL, &r);
		fail_msg("broadcast %s never became %s: %s", id, status, buf_cstr(&r.body));
	}
}

static json_t *get_broadcast(const char *id, struct th_resp *r)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s", id);
	call(auth, "GET", path, NULL, r);
	assert_int_equal(r->status, 200);
	return json_object_get(data_of(r), "broadcast");
}

/* How many messages the simulator accepted for `to` (all when NULL). */
static long sim_count(const char *to)
{
	char path[160];
	snprintf(path, sizeof(path), "/_sim/messages?limit=200000&phone_number_id=%s%s%s", pnid,
	         to ? "&to=" : "", to ? to : "");
	struct th_resp r;
	assert_int_equal(th_sim(&srv, path, NULL, &r), 200);
	long n = (long)json_array_size(json_object_get(r.json, "messages"));
	th_resp_release(&r);
	return n;
}

static bool contact_opted_out(json_t *j, void *arg)
{
	json_t *c = json_array_get(json_object_get(json_object_get(j, "data"), "contacts"), 0);
	return json_is_true(json_object_get(c, "optedOut"));
}

/* A customer who wrote STOP (through Meta's inbound webhook). */
static void opt_out(const char *phone)
{
	char body[256], u[256];
	snprintf(body, sizeof(body),
	         "{\"phone_number_id\":\"%s\",\"from\":\"%s\",\"text\":\"STOP\",\"name\":\"Ravi\"}",
	         pnid, phone);
	sim("/_sim/inbound", body);
	snprintf(u, sizeof(u), "%s/api/integrations/contacts?search=%s", srv.api_url, phone);
	const char *h[] = {auth, NULL};
	assert_true(th_wait_json(u, h, 5000, contact_opted_out, NULL));
}

static void test_broadcast_reaches_each_recipient_once(void **state)
{
	opt_out("15551009999");
	struct buf body;
	buf_init(&body, 1 << 20);
	buf_append_cstr(&body, "{\"name\":\"Term notice\",\"templateName\":\"term_notice\","
	                       "\"throttleMps\":200,\"variables\":[\"Parent\",\"Monday\"],"
	                       "\"recipients\":[");
	for (int i = 0; i < 1000; i++)
		buf_appendf(&body, "{\"phone\":\"+1 555 100 %04d\",\"name\":\"P%d\"%s},", i, i,
		            i == 7 ? ",\"variables\":[\"Asha\",\"Tuesday\"]" : "");
	buf_append_cstr(&body, "{\"phone\":\"15551000001\"},{\"phone\":\"15551000002\"},"
	                       "{\"phone\":\"12\"},{\"phone\":\"not a phone\"},"
	                       "{\"phone\":\"15551009999\"}]}");
	char id[32];
	struct th_resp r;
	int64_t t0 = clock_real_ms();
	start(buf_cstr(&body), id, &r);
	buf_release(&body);
	json_t *d = data_of(&r);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "running");
	assert_int_equal(json_integer_value(json_object_get(d, "totalRecipients")), 1000);
	json_t *sk = json_object_get(d, "skipped");
	assert_int_equal(json_integer_value(json_object_get(sk, "duplicate")), 2);
	assert_int_equal(json_integer_value(json_object_get(sk, "invalidPhone")), 2);
	assert_int_equal(json_integer_value(json_object_get(sk, "optedOut")), 1);
	th_resp_release(&r);
	wait_status(id, "completed", 60000);
	int64_t elapsed = clock_real_ms() - t0;
	/* 1,000 messages at 200/s cannot go out in less than ~5 s (one tick of burst). */
	assert_true(elapsed >= 4800);
	for (int i = 0; i < 1000; i += 97) {
		char to[16];
		snprintf(to, sizeof(to), "1555100%04d", i);
		assert_int_equal(sim_count(to), 1);
	}
	assert_int_equal(sim_count("15551009999"), 0);
	json_t *b = get_broadcast(id, &r);
	json_t *p = json_object_get(b, "progress");
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 1000);
	assert_int_equal(json_integer_value(json_object_get(p, "queued")), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "skipped")), 3);
	assert_true(json_real_value(json_object_get(p, "percent")) >= 99.9);
	th_resp_release(&r);
	/* The report: every recipient line, the skipped ones with their reason. */
	char path[160];
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/recipients?status=skipped",
	         id);
	call(auth, "GET", path, NULL, &r);
	json_t *list = json_object_get(data_of(&r), "recipients");
	assert_int_equal(json_array_size(list), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(list, 2), "skipReason")), "optedOut");
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/recipients?limit=1&offset=7",
	         id);
	call(auth, "GET", path, NULL, &r);
	json_t *one = json_array_get(json_object_get(data_of(&r), "recipients"), 0);
	assert_string_equal(json_string_value(json_object_get(one, "phone")), "15551000007");
	assert_true(json_is_string(json_object_get(one, "waMessageId")));
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(data_of(&r), "pagination"), "total")),
	                 1003);
	th_resp_release(&r);
}

static void test_validation_before_anything_is_written(void **state)
{
	struct th_resp r;
	call(auth, "POST", "/api/integrations/broadcast",
	     "{\"templateName\":\"term_notice\",\"phones\":[\"15551230001\"],"
	     "\"recipients\":[{\"phone\":\"15551230002\",\"variables\":[\"only one\"]}],"
	     "\"variables\":[\"a\",\"b\"]}",
	     &r);
	th_assert_error(&r, 400, "TEMPLATE_PARAMS_MISMATCH");
	assert_non_null(strstr(th_json_str(&r, "message"), "Recipient 1"));
	th_resp_release(&r);
	call(auth, "POST", "/api/integrations/broadcast",
	     "{\"templateName\":\"no_such\",\"phones\":[\"15551230001\"]}", &r);
	th_assert_error(&r, 404, "TEMPLATE_NOT_FOUND");
	th_resp_release(&r);
	call(auth, "POST", "/api/integrations/broadcast", "{\"message\":\"hi\"}", &r);
	th_assert_error(&r, 400, "NO_RECIPIENTS");
	th_resp_release(&r);
	call(auth, "POST", "/api/integrations/broadcast", "{\"phones\":[\"15551230001\"]}", &r);
	th_assert_error(&r, 400, "MESSAGE_REQUIRED");
	th_resp_release(&r);
	call(auth, "POST", "/api/integrations/broadcast",
	     "{\"templateName\":\"term_notice\",\"variables\":[\"a\",\"b\"],"
	     "\"phones\":[\"1\",\"2\"]}",
	     &r);
	th_assert_error(&r, 400, "NO_RECIPIENTS");
	th_resp_release(&r);
	/* Filters name real statuses. */
	const char *bogus[] = {"/api/integrations/broadcasts?status=bogus",
	                       "/api/integrations/templates?status=bogus"};
	for (int i = 0; i < 2; i++) {
		call(auth, "GET", bogus[i], NULL, &r);
		th_assert_error(&r, 400, "VALIDATION_ERROR");
		assert_string_equal(th_json_str(&r, "field"), "status");
		th_resp_release(&r);
	}
	/* None of the refused ones is listed. */
	call(auth, "GET", "/api/integrations/broadcasts", NULL, &r);
	json_t *list = json_object_get(data_of(&r), "broadcasts");
	for (size_t i = 0; i < json_array_size(list); i++)
		assert_string_not_equal(
		    json_string_value(json_object_get(json_array_get(list, i), "status")),
		    "accepting");
	size_t before = json_array_size(list);
	th_resp_release(&r);
	call(auth, "GET", "/api/integrations/broadcasts", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(data_of(&r), "broadcasts")), before);
	th_resp_release(&r);
}

static void phones_body(struct buf *b, const char *head, int from, int n, const char *tail)
{
	buf_reset(b);
	buf_append_cstr(b, head);
	for (int i = 0; i < n; i++)
		buf_appendf(b, "%s\"1555200%04d\"", i ? "," : "", from + i);
	buf_append_cstr(b, tail);
}

static void test_pause_resume_cancel(void **state)
{
	struct buf body;
	buf_init(&body, 1 << 20);
	phones_body(&body,
	            "{\"templateName\":\"term_notice\",\"throttleMps\":40,"
	            "\"variables\":[\"Parent\",\"Monday\"],\"phones\":[",
	            0, 120, "]}");
	char id[32], path[160];
	struct th_resp r;
	start(buf_cstr(&body), id, &r);
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/pause", id);
	call(auth, "POST", path, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *b = json_object_get(data_of(&r), "broadcast");
	assert_string_equal(json_string_value(json_object_get(b, "status")), "paused");
	th_resp_release(&r);
	call(auth, "POST", path, NULL, &r); /* twice: a conflict, said clearly */
	th_assert_error(&r, 409, "BROADCAST_NOT_PAUSABLE");
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/resume", id);
	call(auth, "POST", path, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	wait_status(id, "completed", 30000);
	for (int i = 0; i < 120; i++) {
		char to[16];
		snprintf(to, sizeof(to), "1555200%04d", i);
		assert_int_equal(sim_count(to), 1);
	}
	/* Cancel: what was not sent never is; the rest is accounted for. */
	phones_body(&body,
	            "{\"templateName\":\"term_notice\",\"throttleMps\":10,"
	            "\"variables\":[\"Parent\",\"Monday\"],\"phones\":[",
	            500, 200, "]}");
	start(buf_cstr(&body), id, &r);
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/cancel", id);
	call(auth, "POST", path, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	call(auth, "POST", path, NULL, &r);
	th_assert_error(&r, 409, "BROADCAST_NOT_CANCELLABLE");
	th_resp_release(&r);
	snprintf(path, sizeof(path),
	         "/api/integrations/broadcasts/%s/recipients?status=cancelled&limit=1000", id);
	call(auth, "GET", path, NULL, &r);
	json_t *list = json_object_get(data_of(&r), "recipients");
	assert_true(json_array_size(list) >= 150); /* at 10/s, most never became messages */
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *to =
		    json_string_value(json_object_get(json_array_get(list, i), "phone"));
		assert_int_equal(sim_count(to), 0);
	}
	th_resp_release(&r);
	buf_release(&body);
}

static bool paused_for(json_t *j, void *arg)
{
	json_t *b = json_object_get(json_object_get(j, "data"), "broadcast");
	const char *st = json_string_value(json_object_get(b, "status"));
	const char *why = json_string_value(json_object_get(b, "statusReason"));
	return st && strcmp(st, "paused") == 0 && why && strstr(why, arg);
}

static void test_spam_limit_pauses_broadcast(void **state)
{
	char body[512], id[32], u[256], path[128];
	snprintf(body, sizeof(body),
	         "{\"recipient\":\"15553000002\",\"code\":131048,"
	         "\"mode\":\"sync\",\"count\":1}");
	sim("/_sim/rules", body);
	struct th_resp r;
	start("{\"templateName\":\"term_notice\",\"variables\":[\"P\",\"M\"],\"throttleMps\":5,"
	      "\"phones\":[\"15553000001\",\"15553000002\",\"15553000003\",\"15553000004\"]}",
	      id, &r);
	th_resp_release(&r);
	snprintf(u, sizeof(u), "%s/api/integrations/broadcasts/%s", srv.api_url, id);
	const char *h[] = {auth, NULL};
	assert_true(th_wait_json(u, h, 10000, paused_for, "131048"));
	/* Resuming while the number is still paused is refused with the reason. */
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/resume", id);
	call(auth, "POST", path, NULL, &r);
	th_assert_error(&r, 409, "NUMBER_PAUSED");
	th_resp_release(&r);
	/* Reconnect the number (a new token), resume: everyone gets it once. */
	snprintf(path, sizeof(path), "/api/settings/phone-numbers/%s", number_id);
	call(sauth, "PUT", path, "{\"accessToken\":\"new-sandbox-token\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/broadcasts/%s/resume", id);
	call(auth, "POST", path, NULL, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	wait_status(id, "completed", 20000);
	assert_int_equal(sim_count("15553000001"), 1);
	assert_int_equal(sim_count("15553000002"), 1);
	assert_int_equal(sim_count("15553000004"), 1);
}

static bool window_open(json_t *j, void *arg)
{
	json_t *c = json_array_get(json_object_get(json_object_get(j, "data"), "conversations"), 0);
	return json_is_string(json_object_get(c, "serviceWindowExpiresAt"));
}

static void test_text_broadcast_skips_closed_windows(void **state)
{
	struct th_resp r;
	char ids[2][32];
	const char *phones[] = {"15554000001", "15554000002"};
	for (int i = 0; i < 2; i++) {
		char body[256];
		snprintf(body, sizeof(body),
		         "{\"name\":\"Parent %d\",\"phone\":\"%s\",\"tags\":[\"p5\"]}", i,
		         phones[i]);
		call(auth, "POST", "/api/integrations/contacts", body, &r);
		assert_int_equal(r.status, 201);
		json_t *ct = json_object_get(data_of(&r), "contact");
		snprintf(ids[i], sizeof(ids[i]), "%s",
		         json_string_value(json_object_get(ct ? ct : data_of(&r), "id")));
		th_resp_release(&r);
	}
	/* Only the first has written in the last 24 hours. */
	char body[256];
	snprintf(body, sizeof(body),
	         "{\"phone_number_id\":\"%s\",\"from\":\"%s\",\"text\":\"hello\"}", pnid,
	         phones[0]);
	sim("/_sim/inbound", body);
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/conversations?search=%s", srv.api_url,
	         phones[0]);
	const char *h[] = {auth, NULL};
	assert_true(th_wait_json(u, h, 5000, window_open, NULL));
	char id[32];
	start("{\"message\":\"School is closed tomorrow\",\"tags\":[\"p5\"]}", id, &r);
	assert_int_equal(json_integer_value(json_object_get(data_of(&r), "totalRecipients")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(data_of(&r), "skipped"),
	                                                    "outsideWindow")),
	                 1);
	th_resp_release(&r);
	wait_status(id, "completed", 20000);
	assert_int_equal(sim_count(phones[0]), 1);
	assert_int_equal(sim_count(phones[1]), 0);
	/* The original body with contactIds and no open window: nobody to send to. */
	snprintf(body, sizeof(body), "{\"message\":\"x\",\"contactIds\":[\"%s\"]}", ids[1]);
	call(auth, "POST", "/api/integrations/broadcast", body, &r);
	th_assert_error(&r, 400, "NO_RECIPIENTS");
	th_resp_release(&r);
}

static void test_daily_limit(void **state)
{
	/* The first test reached 1,000 customers with a template; the limit is 1,500. */
	struct buf body;
	buf_init(&body, 1 << 20);
	phones_body(&body,
	            "{\"templateName\":\"term_notice\",\"variables\":[\"P\",\"M\"],\"phones\":[", 0,
	            600, "]}");
	struct th_resp r;
	call(auth, "POST", "/api/integrations/broadcast", buf_cstr(&body), &r);
	th_assert_error(&r, 422, "MESSAGING_LIMIT_EXCEEDED");
	assert_non_null(strstr(th_json_str(&r, "message"), "1500"));
	th_resp_release(&r);
	buf_release(&body);
}

static bool total_is_two(json_t *j, void *arg)
{
	json_t *p = json_object_get(json_object_get(j, "data"), "pagination");
	return json_integer_value(json_object_get(p, "total")) == 2;
}

static void test_schedule_survives_restart(void **state)
{
	char body[512], id[32];
	int64_t at = clock_now_ms(&srv.app->svc->clock) + 3600 * 1000;
	snprintf(body, sizeof(body),
	         "{\"templateName\":\"term_notice\",\"variables\":[\"P\",\"M\"],"
	         "\"scheduleAt\":%lld,\"phones\":[\"15555000001\",\"15555000002\"]}",
	         (long long)at);
	struct th_resp r;
	start(body, id, &r);
	assert_string_equal(json_string_value(json_object_get(data_of(&r), "status")), "scheduled");
	th_resp_release(&r);
	th_server_restart(&srv, env);
	/* The sandbox restores its number and approved templates in the new simulator (it keeps
	 * its state in memory); only the rate set in setup is not part of that. */
	snprintf(body, sizeof(body), "{\"phone_number_id\":\"%s\",\"waba_id\":\"%s\",\"mps\":1000}",
	         pnid, waba);
	sim("/_sim/numbers", body);
	json_t *b = get_broadcast(id, &r);
	assert_string_equal(json_string_value(json_object_get(b, "status")), "scheduled");
	th_resp_release(&r);
	assert_int_equal(sim_count("15555000001"), 0);
	th_clock_advance(&srv.clock, 3601 * 1000);
	wait_status(id, "completed", 20000);
	assert_int_equal(sim_count("15555000001"), 1);
	/* The new simulator's status webhooks are accepted: the same webhook secret. */
	char u2[256];
	snprintf(u2, sizeof(u2), "%s/api/integrations/broadcasts/%s/recipients?status=read",
	         srv.api_url, id);
	const char *h2[] = {auth, NULL};
	assert_true(th_wait_json(u2, h2, 10000, total_is_two, NULL));
}

static void keyed(const char *key, const char *body, struct th_resp *r)
{
	char u[256], k[128];
	snprintf(u, sizeof(u), "%s/api/integrations/broadcast", srv.api_url);
	snprintf(k, sizeof(k), "Idempotency-Key: %s", key);
	const char *h[] = {auth, k, "Content-Type: application/json", NULL};
	th_request("POST", u, h, body, r);
}

static void test_idempotency_key(void **state)
{
	const char *body = "{\"templateName\":\"term_notice\",\"variables\":[\"P\",\"M\"],"
	                   "\"phones\":[\"15556000001\",\"15556000002\"]}";
	struct th_resp r;
	keyed("term-notice-42", body, &r);
	assert_int_equal(r.status, 202);
	char id[32], replayed[8];
	snprintf(id, sizeof(id), "%s",
	         json_string_value(json_object_get(data_of(&r), "broadcastId")));
	assert_false(th_resp_header(&r, "Idempotent-Replayed", replayed, sizeof(replayed)));
	th_resp_release(&r);
	/* The retry of a request whose answer was lost: the same broadcast, nothing new. */
	keyed("term-notice-42", body, &r);
	assert_int_equal(r.status, 202);
	assert_string_equal(json_string_value(json_object_get(data_of(&r), "broadcastId")), id);
	assert_true(th_resp_header(&r, "Idempotent-Replayed", replayed, sizeof(replayed)));
	th_resp_release(&r);
	keyed("term-notice-42", "{\"message\":\"other\",\"phones\":[\"15556000003\"]}", &r);
	th_assert_error(&r, 422, "IDEMPOTENCY_KEY_REUSED");
	th_resp_release(&r);
	wait_status(id, "completed", 20000);
	assert_int_equal(sim_count("15556000001"), 1);
}

static void test_csv_upload(void **state)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/broadcasts?templateName=term_notice&name=CSV%%20list",
	         srv.api_url);
	const char *h[] = {sauth, "Content-Type: text/csv", NULL};
	struct th_resp r;
	th_request("POST", u, h,
	           "phone,name,var1,var2\r\n15557000001,\"Asha, M\",Asha,Monday\r\n"
	           "15557000002,Ravi,Ravi,Tuesday\r\nnot-a-phone,X,a,b\r\n",
	           &r);
	if (r.status != 202)
		fail_msg("csv: %ld %s", r.status, buf_cstr(&r.body));
	json_t *d = data_of(&r);
	assert_int_equal(json_integer_value(json_object_get(d, "totalRecipients")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(d, "skipped"), "invalidPhone")), 1);
	char id[32];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "broadcastId")));
	th_resp_release(&r);
	/* A line with the wrong number of variables names its line. */
	th_request("POST", u, h, "15557000003,Mina,only-one\n", &r);
	th_assert_error(&r, 400, "TEMPLATE_PARAMS_MISMATCH");
	th_resp_release(&r);
	wait_status(id, "completed", 20000);
	assert_int_equal(sim_count("15557000001"), 1);
	assert_int_equal(sim_count("15557000002"), 1);
	json_t *b = get_broadcast(id, &r);
	assert_string_equal(json_string_value(json_object_get(b, "name")), "CSV list");
	th_resp_release(&r);
}

static void test_other_accounts_see_nothing(void **state)
{
	struct th_resp r;
	call(auth, "GET", "/api/integrations/broadcasts?limit=1", NULL, &r);
	char id[32], path[160], other[80], oauth[128];
	snprintf(id, sizeof(id), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(data_of(&r), "broadcasts"), 0), "id")));
	th_resp_release(&r);
	th_signup(&srv, "Ravi", "ravi@other.edu", PW, other);
	snprintf(oauth, sizeof(oauth), "Authorization: Bearer %s", other);
	const char *suffix[] = {"", "/recipients", "/report.csv"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/api/broadcasts/%s%s", id, suffix[i]);
		call(oauth, "GET", path, NULL, &r);
		th_assert_error(&r, 404, "BROADCAST_NOT_FOUND");
		th_resp_release(&r);
	}
	snprintf(path, sizeof(path), "/api/broadcasts/%s/cancel", id);
	call(oauth, "POST", path, NULL, &r);
	th_assert_error(&r, 404, "BROADCAST_NOT_FOUND");
	th_resp_release(&r);
	call(oauth, "GET", "/api/broadcasts", NULL, &r);
	assert_int_equal(json_array_size(json_object_get(data_of(&r), "broadcasts")), 0);
	th_resp_release(&r);
	/* The owner gets the report as CSV. */
	snprintf(path, sizeof(path), "/api/broadcasts/%s/report.csv", id);
	call(sauth, "GET", path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(buf_cstr(&r.body), "phone,name,status"));
	th_resp_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_broadcast_reaches_each_recipient_once),
	    cmocka_unit_test(test_validation_before_anything_is_written),
	    cmocka_unit_test(test_pause_resume_cancel),
	    cmocka_unit_test(test_spam_limit_pauses_broadcast),
	    cmocka_unit_test(test_text_broadcast_skips_closed_windows),
	    cmocka_unit_test(test_daily_limit),
	    cmocka_unit_test(test_schedule_survives_restart),
	    cmocka_unit_test(test_idempotency_key),
	    cmocka_unit_test(test_csv_upload),
	    cmocka_unit_test(test_other_accounts_see_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
