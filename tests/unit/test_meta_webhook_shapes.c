/* Unit tests for meta/webhook beyond the fixtures: malformed or foreign bodies; escaped and
 * raw UTF-8; previews and where they are cut; tolerance of odd shapes (contacts without a
 * profile, identities without a phone); the per-payload event cap; a handler without
 * callbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <inttypes.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "meta/webhook.h"
#include "meta_fixtures.h"
#include "webhook_recorder.h"

static void test_rejected_bodies(void **state)
{
	static const struct {
		const char *body;
		const char *key;
	} cases[] = {
	    {"", "INVALID_JSON"},
	    {"not json", "INVALID_JSON"},
	    {"{\"object\":\"whatsapp_business_account\",\"entry\":[", "INVALID_JSON"},
	    {"[{\"object\":\"whatsapp_business_account\"}]", "INVALID_JSON"},
	    {"{\"object\":\"page\",\"entry\":[]}", "UNSUPPORTED_OBJECT"},
	    {"{\"entry\":[]}", "UNSUPPORTED_OBJECT"},
	    {"{\"object\":42}", "UNSUPPORTED_OBJECT"},
	    {"{\"object\":\"whatsapp_business_account\",\"object\":\"x\"}", "INVALID_JSON"},
	};
	struct rec r = {0};
	struct err e;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (wr_parse(cases[i].body, strlen(cases[i].body), &r, &e) != ERR_INVALID)
			fail_msg("accepted %s", cases[i].body);
		assert_string_equal(e.key, cases[i].key);
		assert_string_equal(r.order, "");
	}
	struct buf deep; /* nested deeper than JSONW_MAX_DEPTH */
	buf_init(&deep, 0);
	buf_append_cstr(&deep, "{\"object\":\"whatsapp_business_account\",\"entry\":");
	for (int i = 0; i < 40; i++)
		buf_append_cstr(&deep, "[");
	for (int i = 0; i < 40; i++)
		buf_append_cstr(&deep, "]");
	buf_append_cstr(&deep, "}");
	assert_int_equal(wr_parse(deep.ptr, deep.len, &r, &e), ERR_INVALID);
	assert_string_equal(e.key, "INVALID_JSON");
	buf_release(&deep);
	wr_release(&r);
}

/* Parses a payload with one change whose value holds metadata, contacts (NULL = none) and the
 * array key (messages or statuses) with items; fails the test if it is rejected. */
static void one_value(const char *contacts, const char *key, const char *items, struct rec *r)
{
	struct buf b;
	buf_init(&b, 0);
	buf_appendf(
	    &b,
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":"
	    "[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"P\"}%s%s"
	    ",\"%s\":[%s]}}]}]}",
	    contacts ? ",\"contacts\":" : "", contacts ? contacts : "", key, items);
	struct err e;
	if (wr_parse(b.ptr, b.len, r, &e) != 0)
		fail_msg("%s: %s", b.ptr, e.message);
	buf_release(&b);
}

static void test_unicode_text(void **state)
{
	static const char want[] = "caf\xc3\xa9 \xf0\x9f\x98\x80 \xc3\xbc";
	struct rec r = {0};
	one_value("[{\"wa_id\":\"1\",\"profile\":{\"name\":\"Jos\\u00e9\"}}]", "messages",
	          "{\"from\":\"1\",\"id\":\"w1\",\"type\":\"text\","
	          "\"text\":{\"body\":\"caf\\u00e9 \\ud83d\\ude00 \\u00fc\"}}",
	          &r);
	assert_string_equal(wr_ev(&r, 0, "text"), want);
	assert_string_equal(wr_ev(&r, 0, "preview"), want);
	assert_string_equal(wr_ev(&r, 0, "profile_name"), "Jos\xc3\xa9");
	one_value("[{\"wa_id\":\"1\",\"profile\":{\"name\":\"Jos\xc3\xa9\"}}]", "messages",
	          "{\"from\":\"1\",\"id\":\"w1\",\"type\":\"text\","
	          "\"text\":{\"body\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xc3\xbc\"}}",
	          &r);
	assert_string_equal(wr_ev(&r, 0, "text"), want);
	assert_string_equal(wr_ev(&r, 0, "profile_name"), "Jos\xc3\xa9");
	assert_non_null(strstr(wr_ev(&r, 0, "raw"), want)); /* raw keeps UTF-8, not escapes */
	wr_release(&r);
}

static void test_previews(void **state)
{
	static const struct {
		const char *message, *preview, *text;
	} cases[] = {
	    {"{\"type\":\"video\",\"video\":{\"id\":\"9\"}}", "🎥 Video", ""},
	    {"{\"type\":\"audio\",\"audio\":{\"id\":\"9\",\"voice\":true}}", "🎵 Audio", ""},
	    {"{\"type\":\"document\",\"document\":{\"id\":\"9\",\"filename\":\"report.pdf\"}}",
	     "📄 Document: report.pdf", ""},
	    {"{\"type\":\"document\",\"document\":{\"id\":\"9\"}}", "📄 Document", ""},
	    {"{\"type\":\"sticker\",\"sticker\":{\"id\":\"9\"}}", "🏷️ Sticker", ""},
	    {"{\"type\":\"reaction\",\"reaction\":{\"message_id\":\"w\",\"emoji\":\"\"}}",
	     "Reaction removed", ""},
	    {"{\"type\":\"text\",\"text\":{\"body\":\"line1\\nline2\\ttab\"}}", "line1 line2 tab",
	     "line1\nline2\ttab"},
	    {"{\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":"
	     "{\"name\":\"flow\",\"body\":\"Sent\"}}}",
	     "Sent", "Sent"},
	    {"{\"type\":\"request_welcome\"}", "[request_welcome message]", ""},
	    {"{\"type\":\"unknown\",\"errors\":[{\"code\":131051}]}", "[unsupported message]", ""},
	    {"{\"id\":\"no-type\"}", "[empty message]", ""},
	};
	struct rec r = {0};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		one_value(NULL, "messages", cases[i].message, &r);
		assert_string_equal(r.order, "m");
		if (strcmp(wr_ev(&r, 0, "preview"), cases[i].preview) != 0)
			fail_msg("%s: preview \"%s\"", cases[i].message, wr_ev(&r, 0, "preview"));
		assert_string_equal(wr_ev(&r, 0, "text"), cases[i].text);
	}
	wr_release(&r);
}

static void test_preview_cut(void **state)
{
	struct buf msg;
	buf_init(&msg, 0);
	buf_append_cstr(&msg, "{\"type\":\"text\",\"text\":{\"body\":\"a");
	for (int i = 0; i < 100; i++)
		buf_append_cstr(&msg, "\xf0\x9f\x98\x80"); /* a 4-byte emoji */
	buf_append_cstr(&msg, "\"}}");
	struct rec r = {0};
	one_value(NULL, "messages", msg.ptr, &r);
	const char *p = wr_ev(&r, 0, "preview");
	assert_int_equal(strlen(wr_ev(&r, 0, "text")), 401);
	assert_int_equal(strlen(p), 1 + 49 * 4); /* the 50th emoji would end at byte 201 */
	assert_true(str_is_clean_utf8(str_from(p)));
	assert_memory_equal(p, wr_ev(&r, 0, "text"), strlen(p));
	buf_release(&msg);

	buf_init(&msg, 0);
	buf_append_cstr(&msg, "{\"type\":\"system\",\"system\":{\"body\":\"");
	for (int i = 0; i < 150; i++)
		buf_append_cstr(&msg, "\\u00e9"); /* 2 bytes once decoded */
	buf_append_cstr(&msg, "\"}}");
	one_value(NULL, "messages", msg.ptr, &r);
	p = wr_ev(&r, 0, "preview");
	assert_int_equal(strlen(p), 199); /* "[system] " is 9 bytes; 95 whole characters follow */
	assert_true(str_is_clean_utf8(str_from(p)));
	assert_memory_equal(p, "[system] \xc3\xa9", 11);
	buf_release(&msg);
	wr_release(&r);
}

static void test_tolerates_odd_shapes(void **state)
{
	static const char *const no_events[] = {
	    "{\"object\":\"whatsapp_business_account\"}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":{}}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[1,\"x\",null,{\"changes\":\"no\"}"
	    "]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":"
	    "\"messages\"},{\"value\":{}},7,{\"field\":\"messages\",\"value\":[]}]}]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":"
	    "\"messages\",\"value\":{\"metadata\":5,\"contacts\":\"x\",\"statuses\":{},"
	    "\"messages\":[1,[]]}}]}]}",
	};
	struct rec r = {0};
	struct err e;
	for (size_t i = 0; i < sizeof(no_events) / sizeof(no_events[0]); i++) {
		if (wr_parse(no_events[i], strlen(no_events[i]), &r, &e) != 0)
			fail_msg("rejected %s: %s", no_events[i], e.message);
		assert_string_equal(r.order, "");
	}
	one_value("[{\"wa_id\":\"1\"},{\"wa_id\":\"2\",\"profile\":{}}]", "statuses",
	          "7,{\"id\":\"w\",\"timestamp\":\"abc\",\"errors\":[{\"code\":\"131047\","
	          "\"title\":5,\"error_data\":\"x\"}]},{\"timestamp\":-5,\"errors\":\"no\"},"
	          "{\"timestamp\":\"+5\",\"pricing\":\"free\",\"conversation\":[]},"
	          "{\"timestamp\":1.5,\"status\":\"played\"}",
	          &r);
	assert_string_equal(r.order, "ssss");
	assert_string_equal(wr_ev(&r, 0, "timestamp"), "0");
	assert_string_equal(wr_ev(&r, 0, "error_count"), "1");
	assert_string_equal(wr_ev(&r, 0, "error_code"), "131047"); /* a code sent as a string */
	assert_string_equal(wr_ev(&r, 0, "error_title"), "");
	assert_string_equal(wr_ev(&r, 1, "timestamp"), "0");
	assert_string_equal(wr_ev(&r, 1, "error_count"), "0");
	assert_string_equal(wr_ev(&r, 2, "timestamp"), "0");
	assert_string_equal(wr_ev(&r, 2, "has_pricing"), "false");
	assert_string_equal(wr_ev(&r, 3, "status"), "played"); /* unknown statuses pass through */
	one_value("[{\"wa_id\":\"1\"}]", "messages",
	          "{\"from\":\"1\",\"type\":\"location\",\"location\":{\"latitude\":\"x\"},"
	          "\"text\":\"not an object\",\"context\":5}",
	          &r);
	assert_string_equal(wr_ev(&r, 0, "profile_name"), ""); /* contact without profile */
	assert_string_equal(wr_ev(&r, 0, "location"), "0.000000,0.000000");
	assert_string_equal(wr_ev(&r, 0, "preview"), "📍 Location");
	wr_release(&r);
}

static void test_identity_without_phone(void **state)
{
	struct rec r = {0};
	/* a username-only user: no "from"; the BSUID is on the message and the contact */
	one_value("[{\"user_id\":\"US.123\",\"profile\":{\"name\":\"Ana\"}}]", "messages",
	          "{\"from_user_id\":\"US.123\",\"id\":\"w\",\"type\":\"text\","
	          "\"text\":{\"body\":\"hi\"}}",
	          &r);
	assert_string_equal(wr_ev(&r, 0, "from"), "");
	assert_string_equal(wr_ev(&r, 0, "user_id"), "US.123");
	assert_string_equal(wr_ev(&r, 0, "profile_name"), "Ana");
	/* two senders in one value: each gets its own contact */
	one_value("[{\"wa_id\":\"1\",\"user_id\":\"US.1\",\"profile\":{\"name\":\"One\"}},"
	          "{\"wa_id\":\"2\",\"profile\":{\"name\":\"Two\"}}]",
	          "messages",
	          "{\"from\":\"2\",\"type\":\"text\",\"text\":{\"body\":\"b\"}},"
	          "{\"from\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"a\"}}",
	          &r);
	assert_string_equal(wr_ev(&r, 0, "profile_name"), "Two");
	assert_string_equal(wr_ev(&r, 0, "user_id"), "");
	assert_string_equal(wr_ev(&r, 1, "profile_name"), "One");
	assert_string_equal(wr_ev(&r, 1, "user_id"), "US.1");
	/* a status naming the BSUID itself, without a phone number */
	one_value(NULL, "statuses",
	          "{\"id\":\"w\",\"status\":\"read\",\"recipient_user_id\":\"US.9\"}", &r);
	assert_string_equal(wr_ev(&r, 0, "recipient_id"), "");
	assert_string_equal(wr_ev(&r, 0, "recipient_user_id"), "US.9");
	wr_release(&r);
}

static void test_event_cap(void **state)
{
	struct buf items;
	buf_init(&items, 0);
	for (int i = 0; i < META_WEBHOOK_MAX_EVENTS + 5; i++)
		buf_appendf(&items, "%s{\"id\":\"w%d\",\"status\":\"sent\"}", i ? "," : "", i);
	struct rec r = {0};
	one_value(NULL, "statuses", items.ptr, &r);
	assert_int_equal(json_array_size(r.events), META_WEBHOOK_MAX_EVENTS);
	assert_string_equal(wr_ev(&r, META_WEBHOOK_MAX_EVENTS - 1, "wa_message_id"), "w999");
	buf_release(&items);
	wr_release(&r);
}

static void test_null_handler(void **state)
{
	size_t len = 0;
	char *body = meta_fixture_read("wh-incoming-image.json", &len);
	struct err e;
	err_clear(&e);
	assert_int_equal(meta_webhook_parse(body, len, NULL, &e), 0);
	struct meta_webhook_handler none = {0};
	assert_int_equal(meta_webhook_parse(body, len, &none, &e), 0);
	assert_int_equal(meta_webhook_parse("{}", 2, NULL, &e), ERR_INVALID);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rejected_bodies),
	    cmocka_unit_test(test_unicode_text),
	    cmocka_unit_test(test_previews),
	    cmocka_unit_test(test_preview_cut),
	    cmocka_unit_test(test_tolerates_odd_shapes),
	    cmocka_unit_test(test_identity_without_phone),
	    cmocka_unit_test(test_event_cap),
	    cmocka_unit_test(test_null_handler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
