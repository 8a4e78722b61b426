/* Integration: the WhatsApp engine end to end against the built-in Cloud API simulator over
 * real HTTP (SANDBOX=true): sending text and media, Meta's verdict and the status webhooks
 * moving messages forward, inbound customer messages creating conversations and contacts,
 * the 24-hour window, idempotency keys, asynchronous answers, validation, and tenant
 * isolation of messages and conversations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define PW "correct horse battery"
#define CUSTOMER "14155550123"

static struct th_server srv;
static char session[80], token[80], auth[128], pnid[64];

static void api(const char *method, const char *path, const char *const *extra, const char *body,
                struct th_resp *r)
{
	char u[512];
	snprintf(u, sizeof(u), "%s%s", srv.api_url, path);
	const char *h[8] = {auth};
	for (int i = 0; extra && extra[i] && i < 6; i++)
		h[i + 1] = extra[i];
	th_request(method, u, h, body, r);
}

static json_t *data_of(struct th_resp *r)
{
	return json_object_get(r->json, "data");
}

static bool preview_is(json_t *j, void *arg)
{
	json_t *cv =
	    json_array_get(json_object_get(json_object_get(j, "data"), "conversations"), 0);
	const char *p = json_string_value(json_object_get(cv, "lastMessagePreview"));
	return p && strcmp(p, arg) == 0;
}

/* The customer writes first: opens the 24-hour window. */
static void customer_says(const char *from, const char *text)
{
	char body[512];
	snprintf(body, sizeof(body),
	         "{\"phone_number_id\":\"%s\",\"from\":\"%s\",\"name\":\"Parent %s\",\"type\":"
	         "\"text\",\"text\":\"%s\"}",
	         pnid, from, from + strlen(from) - 6, text);
	struct th_resp r;
	assert_int_equal(th_sim(&srv, "/_sim/inbound", body, &r), 200);
	assert_true(json_is_true(json_object_get(r.json, "delivered")));
	th_resp_release(&r);
	/* Webhooks are applied asynchronously (persisted first, then processed). */
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/conversations?search=%s", srv.api_url, from);
	const char *h[] = {auth, NULL};
	if (!th_wait_json(u, h, 5000, preview_is, (void *)text))
		fail_msg("the customer's message \"%s\" never reached the conversation", text);
}

static int setup(void **state)
{
	const char *env[] = {"SANDBOX=true", "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000", "ALLOW_SIGNUP=true", NULL};
	th_server_start(&srv, env);
	assert_true(srv.sim_url[0] != '\0');
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct th_resp r;
	api("GET", "/api/integrations/account/config", NULL, NULL, &r);
	json_t *nums = json_object_get(data_of(&r), "phoneNumbers");
	assert_int_equal(json_array_size(nums), 1);
	json_t *n = json_array_get(nums, 0);
	assert_true(json_is_true(json_object_get(n, "sandbox")));
	snprintf(pnid, sizeof(pnid), "%s", json_string_value(json_object_get(n, "phoneNumberId")));
	th_resp_release(&r);
	return 0;
}

static int teardown(void **state)
{
	th_server_stop(&srv);
	return 0;
}

struct want_status {
	const char *status;
};

static bool has_status(json_t *j, void *arg)
{
	const char *st = json_string_value(json_object_get(json_object_get(j, "data"), "status"));
	return st && strcmp(st, ((struct want_status *)arg)->status) == 0;
}

static void wait_status(const char *message_id, const char *status)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/messages/%s", srv.api_url, message_id);
	const char *h[] = {auth, NULL};
	struct want_status w = {status};
	if (!th_wait_json(u, h, 10000, has_status, &w))
		fail_msg("message %s never reached %s", message_id, status);
}

static void test_send_text_reaches_read(void **state)
{
	customer_says(CUSTOMER, "Hello school");
	struct th_resp r;
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"+1 (415) 555-0123\",\"message\":\"Hello from Enromatics!\"}",
	    &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "message")),
	                    "Message sent successfully");
	json_t *d = data_of(&r);
	char id[32];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "messageId")));
	assert_non_null(strstr(json_string_value(json_object_get(d, "waMessageId")), "wamid."));
	th_resp_release(&r);
	wait_status(id, "read");

	char path[128];
	snprintf(path, sizeof(path), "/api/integrations/messages/%s", id);
	api("GET", path, NULL, NULL, &r);
	d = data_of(&r);
	assert_string_equal(json_string_value(json_object_get(d, "direction")), "outbound");
	assert_string_equal(json_string_value(json_object_get(d, "to")), CUSTOMER);
	json_t *ts = json_object_get(d, "timestamps");
	const char *keys[] = {"queuedAt", "acceptedAt", "sentAt", "deliveredAt", "readAt"};
	for (int i = 0; i < 5; i++)
		if (!json_is_string(json_object_get(ts, keys[i])))
			fail_msg("%s missing: %s", keys[i], buf_cstr(&r.body));
	assert_true(json_array_size(json_object_get(d, "events")) >= 4);
	assert_true(json_is_object(json_object_get(d, "pricing")));
	th_resp_release(&r);

	/* The simulator received exactly what Meta documents, tagged with our id. */
	char q[128];
	snprintf(q, sizeof(q), "/_sim/messages?to=%s", CUSTOMER);
	th_sim(&srv, q, NULL, &r);
	json_t *msgs = json_object_get(r.json, "messages");
	json_t *last = json_array_get(msgs, json_array_size(msgs) - 1);
	json_t *body = json_object_get(last, "body");
	assert_string_equal(json_string_value(json_object_get(body, "type")), "text");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(body, "text"), "body")),
	    "Hello from Enromatics!");
	assert_string_equal(json_string_value(json_object_get(body, "biz_opaque_callback_data")),
	                    id);
	th_resp_release(&r);
}

static void test_inbound_creates_conversation_and_contact(void **state)
{
	customer_says("447700900123", "Is school open tomorrow?");
	struct th_resp r;
	api("GET", "/api/integrations/conversations?search=447700900123", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *convs = json_object_get(data_of(&r), "conversations");
	assert_int_equal(json_array_size(convs), 1);
	json_t *cv = json_array_get(convs, 0);
	assert_string_equal(json_string_value(json_object_get(cv, "lastMessagePreview")),
	                    "Is school open tomorrow?");
	assert_int_equal(json_integer_value(json_object_get(cv, "unreadCount")), 1);
	assert_true(json_is_true(json_object_get(cv, "serviceWindowOpen")));
	assert_string_equal(json_string_value(json_object_get(cv, "userProfileName")),
	                    "Parent 900123");
	char composite[128], path[256];
	snprintf(composite, sizeof(composite), "%s",
	         json_string_value(json_object_get(cv, "conversationId")));
	th_resp_release(&r);

	/* The original composite id works, the messages come back, read clears unread. */
	snprintf(path, sizeof(path), "/api/integrations/conversations/%s/messages", composite);
	api("GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *msgs = json_object_get(data_of(&r), "messages");
	assert_int_equal(json_array_size(msgs), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(msgs, 0), "direction")), "inbound");
	th_resp_release(&r);
	th_sim(&srv, "/_sim/stats", NULL, &r);
	json_int_t receipts = json_integer_value(json_object_get(r.json, "mark_read"));
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/conversations/%s/read", composite);
	api("PATCH", path, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(data_of(&r), "unreadCount")), 0);
	th_resp_release(&r);
	/* ... and Meta got the read receipt (the blue ticks) for the customer's message. */
	th_sim(&srv, "/_sim/stats", NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "mark_read")), receipts + 1);
	th_resp_release(&r);
	/* The contact exists with the profile name. */
	api("GET", "/api/integrations/contacts?search=447700900123", NULL, NULL, &r);
	json_t *contacts = json_object_get(data_of(&r), "contacts");
	assert_int_equal(json_array_size(contacts), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(contacts, 0), "name")),
	                    "Parent 900123");
	th_resp_release(&r);
	/* Reply in the conversation. */
	snprintf(path, sizeof(path), "/api/integrations/conversations/%s/reply", composite);
	api("POST", path, NULL, "{\"message\":\"Yes, from 8 am.\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

static void test_window_closed(void **state)
{
	struct th_resp r;
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"15551230000\",\"message\":\"Hi stranger\"}", &r);
	th_assert_error(&r, 422, "OUTSIDE_CUSTOMER_SERVICE_WINDOW");
	assert_non_null(strstr(th_json_str(&r, "message"), "template"));
	th_resp_release(&r);
	/* 24 hours after the customer's last message the window closes again. */
	customer_says("15551230001", "hi");
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"15551230001\",\"message\":\"within\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	th_clock_advance(&srv.clock, 25 * 3600 * 1000LL); /* past 24 h however long the run took */
	api("POST", "/api/integrations/send-message", NULL,
	    "{\"recipientPhone\":\"15551230001\",\"message\":\"too late\"}", &r);
	th_assert_error(&r, 422, "OUTSIDE_CUSTOMER_SERVICE_WINDOW");
	th_resp_release(&r);
}

static void test_validation(void **state)
{
	static const struct {
		const char *body, *code, *field;
	} cases[] = {
	    {"{\"message\":\"x\"}", "VALIDATION_ERROR", "recipientPhone"},
	    {"{\"recipientPhone\":\"123\",\"message\":\"x\"}", "INVALID_PHONE", "recipientPhone"},
	    {"{\"recipientPhone\":\"14155550123\"}", "VALIDATION_ERROR", "message"},
	    {"{\"recipientPhone\":\"14155550123\",\"message\":\"x\",\"mediaUrl\":\"ftp://a/"
	     "b.png\"}",
	     "VALIDATION_ERROR", "mediaUrl"},
	    {"{\"recipientPhone\":\"14155550123\",\"mediaUrl\":\"https://a/b.png\",\"mediaType\":"
	     "\"hologram\"}",
	     "VALIDATION_ERROR", "mediaType"},
	    {"{\"recipientPhone\":\"14155550123\",\"message\":\"x\",\"phoneNumberId\":\"999\"}",
	     "NO_PHONE_NUMBER", NULL},
	};
	struct th_resp r;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		api("POST", "/api/integrations/send-message", NULL, cases[i].body, &r);
		th_assert_error(&r, 400, cases[i].code);
		if (cases[i].field && strcmp(th_json_str(&r, "field"), cases[i].field) != 0)
			fail_msg("%s: %s", cases[i].body, buf_cstr(&r.body));
		th_resp_release(&r);
	}
	char *big = malloc(4200 + 80);
	int n = snprintf(big, 80, "{\"recipientPhone\":\"14155550123\",\"message\":\"");
	memset(big + n, 'a', 4097);
	snprintf(big + n + 4097, 8, "\"}");
	api("POST", "/api/integrations/send-message", NULL, big, &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	th_resp_release(&r);
	free(big);
}

static void test_media_and_async(void **state)
{
	customer_says("14155550199", "send me the report");
	struct th_resp r;
	const char *async[] = {"Prefer: respond-async", NULL};
	api("POST", "/api/integrations/send-message", async,
	    "{\"recipientPhone\":\"14155550199\",\"mediaUrl\":\"https://example.com/r.pdf\","
	    "\"mediaType\":\"document\",\"message\":\"Term report\",\"filename\":\"r.pdf\"}",
	    &r);
	assert_int_equal(r.status, 202);
	assert_string_equal(th_json_str(&r, "message"), "Message queued");
	json_t *d = data_of(&r);
	assert_true(json_is_null(json_object_get(d, "waMessageId")));
	char id[32];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(d, "messageId")));
	th_resp_release(&r);
	wait_status(id, "read");
	th_sim(&srv, "/_sim/messages?to=14155550199", NULL, &r);
	json_t *msgs = json_object_get(r.json, "messages");
	json_t *body = json_object_get(json_array_get(msgs, json_array_size(msgs) - 1), "body");
	json_t *doc = json_object_get(body, "document");
	assert_string_equal(json_string_value(json_object_get(doc, "link")),
	                    "https://example.com/r.pdf");
	assert_string_equal(json_string_value(json_object_get(doc, "caption")), "Term report");
	assert_string_equal(json_string_value(json_object_get(doc, "filename")), "r.pdf");
	th_resp_release(&r);
}

static void test_idempotency(void **state)
{
	customer_says("14155550777", "hi");
	const char *key[] = {"Idempotency-Key: order-42", NULL};
	const char *body = "{\"recipientPhone\":\"14155550777\",\"message\":\"Fee due\"}";
	struct th_resp a, b;
	api("POST", "/api/integrations/send-message", key, body, &a);
	assert_int_equal(a.status, 200);
	api("POST", "/api/integrations/send-message", key, body, &b);
	assert_int_equal(b.status, 200);
	assert_string_equal(buf_cstr(&a.body), buf_cstr(&b.body));
	char v[16];
	assert_true(th_resp_header(&b, "Idempotent-Replayed", v, sizeof(v)));
	th_resp_release(&a);
	th_resp_release(&b);
	api("POST", "/api/integrations/send-message", key,
	    "{\"recipientPhone\":\"14155550777\",\"message\":\"Different\"}", &a);
	th_assert_error(&a, 422, "IDEMPOTENCY_KEY_REUSED");
	th_resp_release(&a);
	/* Only one message reached "Meta". */
	th_sim(&srv, "/_sim/messages?to=14155550777", NULL, &a);
	assert_int_equal(json_integer_value(json_object_get(a.json, "total")), 1);
	th_resp_release(&a);
}

static void test_tenant_isolation(void **state)
{
	char other_session[80], other_token[80], other_auth[128];
	th_signup(&srv, "Ben", "ben@other.edu", PW, other_session);
	th_generate_token(&srv, other_session, other_token);
	snprintf(other_auth, sizeof(other_auth), "Authorization: Bearer %s", other_token);
	customer_says("14155550888", "private");
	struct th_resp r;
	api("GET", "/api/integrations/conversations?search=14155550888", NULL, NULL, &r);
	json_t *cv = json_array_get(json_object_get(data_of(&r), "conversations"), 0);
	char conv_id[32], composite[128];
	snprintf(conv_id, sizeof(conv_id), "%s", json_string_value(json_object_get(cv, "id")));
	snprintf(composite, sizeof(composite), "%s",
	         json_string_value(json_object_get(cv, "conversationId")));
	th_resp_release(&r);
	api("GET", "/api/integrations/messages?limit=1", NULL, NULL, &r);
	char msg_id[32];
	snprintf(msg_id, sizeof(msg_id), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(data_of(&r), "messages"), 0), "messageId")));
	th_resp_release(&r);
	const char *paths[][2] = {
	    {"GET", ""}, {"GET", "/messages"}, {"PATCH", "/read"}, {"POST", "/reply"}};
	const char *h[] = {other_auth, NULL};
	for (size_t i = 0; i < 4; i++) {
		for (int form = 0; form < 2; form++) {
			char path[256], u[512];
			snprintf(path, sizeof(path), "/api/integrations/conversations/%s%s",
			         form ? composite : conv_id, paths[i][1]);
			snprintf(u, sizeof(u), "%s%s", srv.api_url, path);
			th_request(paths[i][0], u, h, i == 3 ? "{\"message\":\"x\"}" : NULL, &r);
			th_assert_error(&r, 404, "CONVERSATION_NOT_FOUND");
			th_resp_release(&r);
		}
	}
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/messages/%s", srv.api_url, msg_id);
	th_request("GET", u, h, NULL, &r);
	th_assert_error(&r, 404, "MESSAGE_NOT_FOUND");
	th_resp_release(&r);
	snprintf(u, sizeof(u), "%s/api/integrations/conversations", srv.api_url);
	th_request("GET", u, h, NULL, &r);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(data_of(&r), "pagination"), "total")),
	                 0);
	th_resp_release(&r);
}

static void test_inbound_media_fetch(void **state)
{
	char body[512];
	snprintf(body, sizeof(body),
	         "{\"phone_number_id\":\"%s\",\"from\":\"14155550444\",\"name\":\"P\","
	         "\"type\":\"image\",\"caption\":\"homework\"}",
	         pnid);
	struct th_resp r;
	assert_int_equal(th_sim(&srv, "/_sim/inbound", body, &r), 200);
	th_resp_release(&r);
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/conversations?search=14155550444", srv.api_url);
	const char *h[] = {auth, NULL};
	assert_true(th_wait_json(u, h, 5000, preview_is, "📷 Photo"));
	/* Meta's timestamps have second resolution: look in the photo's own conversation. */
	api("GET", "/api/integrations/conversations?search=14155550444", NULL, NULL, &r);
	char conv[32], cpath[128];
	snprintf(conv, sizeof(conv), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(data_of(&r), "conversations"), 0), "id")));
	th_resp_release(&r);
	snprintf(cpath, sizeof(cpath), "/api/integrations/conversations/%s/messages", conv);
	api("GET", cpath, NULL, NULL, &r);
	json_t *m = json_array_get(json_object_get(data_of(&r), "messages"), 0);
	json_t *media = json_object_get(json_object_get(m, "content"), "media");
	char media_id[128], path[256];
	snprintf(media_id, sizeof(media_id), "%s", json_string_value(json_object_get(media, "id")));
	const char *caption = json_string_value(json_object_get(media, "caption"));
	if (!caption || strcmp(caption, "homework") != 0)
		fail_msg("newest inbound message is not the photo: %s", buf_cstr(&r.body));
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/media/%s", media_id);
	api("GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.body.len > 0);
	char ct[128];
	assert_true(th_resp_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "image/"));
	th_resp_release(&r);
	api("GET", "/api/integrations/media/999999999", NULL, NULL, &r);
	th_assert_error(&r, 404, "MEDIA_NOT_FOUND");
	th_resp_release(&r);
}

static bool opted(json_t *j, void *arg)
{
	json_t *c = json_array_get(json_object_get(json_object_get(j, "data"), "contacts"), 0);
	return c && json_is_true(json_object_get(c, "optedOut")) == (arg != NULL);
}

static void test_stop_and_start_keywords(void **state)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/integrations/contacts?search=14155550555", srv.api_url);
	const char *h[] = {auth, NULL};
	customer_says("14155550555", "hello");
	assert_true(th_wait_json(u, h, 5000, opted, NULL));
	customer_says("14155550555", " stop ");
	assert_true(th_wait_json(u, h, 5000, opted, (void *)1));
	customer_says("14155550555", "START");
	assert_true(th_wait_json(u, h, 5000, opted, NULL));
}

static void test_every_media_type(void **state)
{
	static const char *const types[] = {"image", "video", "audio", "document", "sticker"};
	customer_says("14155550666", "send everything");
	for (size_t i = 0; i < 5; i++) {
		char body[256];
		snprintf(
		    body, sizeof(body),
		    "{\"recipientPhone\":\"14155550666\",\"mediaUrl\":\"https://example.com/f\","
		    "\"mediaType\":\"%s\",\"message\":\"caption\"}",
		    types[i]);
		struct th_resp r;
		api("POST", "/api/integrations/send-message", NULL, body, &r);
		if (r.status != 200)
			fail_msg("%s: %ld %s", types[i], r.status, buf_cstr(&r.body));
		th_resp_release(&r);
	}
	struct th_resp r;
	th_sim(&srv, "/_sim/messages?to=14155550666", NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 5);
	th_resp_release(&r);
}

static void test_reports_and_status(void **state)
{
	struct th_resp r;
	api("GET", "/api/integrations/reports/delivery", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *d = data_of(&r);
	assert_true(json_integer_value(json_object_get(json_object_get(d, "totals"), "total")) > 0);
	assert_true(json_is_number(json_object_get(json_object_get(d, "rates"), "delivered")));
	assert_true(json_array_size(json_object_get(d, "days")) >= 1);
	th_resp_release(&r);
	api("GET", "/api/integrations/reports/delivery?since=2026-13-01", NULL, NULL, &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	th_resp_release(&r);
	/* Close a conversation, find it by status, reopen it. */
	api("GET", "/api/integrations/conversations?search=14155550123", NULL, NULL, &r);
	char id[32], path[128];
	snprintf(id, sizeof(id), "%s",
	         json_string_value(json_object_get(
	             json_array_get(json_object_get(data_of(&r), "conversations"), 0), "id")));
	th_resp_release(&r);
	snprintf(path, sizeof(path), "/api/integrations/conversations/%s/status", id);
	api("PATCH", path, NULL, "{\"status\":\"closed\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	api("GET", "/api/integrations/conversations?status=closed&search=14155550123", NULL, NULL,
	    &r);
	assert_int_equal(json_array_size(json_object_get(data_of(&r), "conversations")), 1);
	th_resp_release(&r);
	api("PATCH", path, NULL, "{\"status\":\"archived\"}", &r);
	th_assert_error(&r, 400, "VALIDATION_ERROR");
	th_resp_release(&r);
	api("PATCH", path, NULL, "{\"status\":\"open\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

/* Prefer: respond-async answers through a deferred reply: errors, replays and access logging
 * must behave exactly as on the blocking path. */
static void test_async_errors_and_replays(void **state)
{
	const char *async[] = {"Prefer: respond-async", NULL};
	struct th_resp r;
	api("POST", "/api/integrations/send-message", async,
	    "{\"recipientPhone\":\"12\",\"message\":\"x\"}", &r);
	th_assert_error(&r, 400, "INVALID_PHONE");
	char rid[64];
	assert_true(th_resp_header(&r, "X-Request-Id", rid, sizeof(rid)));
	th_resp_release(&r);
	api("POST", "/api/integrations/send-message", async,
	    "{\"recipientPhone\":\"15550009999\",\"message\":\"never wrote\"}", &r);
	th_assert_error(&r, 422, "OUTSIDE_CUSTOMER_SERVICE_WINDOW");
	th_resp_release(&r);
	customer_says("14155550321", "hi");
	const char *keyed[] = {"Prefer: respond-async", "Idempotency-Key: async-7", NULL};
	const char *body = "{\"recipientPhone\":\"14155550321\",\"message\":\"once\"}";
	struct th_resp a, b;
	api("POST", "/api/integrations/send-message", keyed, body, &a);
	assert_int_equal(a.status, 202);
	/* The first answer is recorded by a later writer job: wait for the replay to show it. */
	for (int i = 0; i < 100; i++) {
		api("POST", "/api/integrations/send-message", keyed, body, &b);
		char v[16];
		if (b.status == 202 && th_resp_header(&b, "Idempotent-Replayed", v, sizeof(v)))
			break;
		th_resp_release(&b);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	assert_string_equal(th_json_str(&b, "message"), "Message queued");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(a.json, "data"), "messageId")),
	    json_string_value(json_object_get(json_object_get(b.json, "data"), "messageId")));
	th_resp_release(&a);
	th_resp_release(&b);
	th_sim(&srv, "/_sim/messages?to=14155550321", NULL, &r);
	assert_true(json_integer_value(json_object_get(r.json, "total")) <= 1);
	th_resp_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_send_text_reaches_read),
	    cmocka_unit_test(test_inbound_creates_conversation_and_contact),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_media_and_async),
	    cmocka_unit_test(test_idempotency),
	    cmocka_unit_test(test_tenant_isolation),
	    cmocka_unit_test(test_inbound_media_fetch),
	    cmocka_unit_test(test_stop_and_start_keywords),
	    cmocka_unit_test(test_every_media_type),
	    cmocka_unit_test(test_reports_and_status),
	    cmocka_unit_test(test_async_errors_and_replays),
	    cmocka_unit_test(test_window_closed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
