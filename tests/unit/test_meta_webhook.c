/* Unit tests for meta/webhook: every wh-*.json fixture (Meta's examples and the derived status,
 * error and template payloads) yields the expected callbacks and fields (a table; the test
 * fails if a fixture is missing from it); batched payloads; malformed or foreign bodies;
 * escaped and raw UTF-8; previews; tolerance of odd shapes; the per-payload event cap.
 * The recorder turns each callback into a JSON object of strings so rows can name fields. */
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

struct rec {
	json_t *events; /* [{"kind":"s|m|t|e|o", field: "text", ...}] in callback order */
	char order[64]; /* the kinds of the first 63 events */
};

static json_t *event(struct rec *r, const char *kind)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind));
	json_array_append_new(r->events, o);
	size_t n = strlen(r->order);
	if (n + 1 < sizeof(r->order))
		r->order[n] = kind[0];
	return o;
}

static void put(json_t *o, const char *key, const char *value)
{
	assert_non_null(value); /* every string the decoder hands out is non-NULL */
	json_t *v = json_string(value);
	assert_non_null(v); /* ... and valid UTF-8 */
	json_object_set_new(o, key, v);
}

static void put_int(json_t *o, const char *key, int64_t n)
{
	char text[32];
	snprintf(text, sizeof(text), "%" PRId64, n);
	put(o, key, text);
}

static void put_error(json_t *o, const struct meta_event_error *err)
{
	put_int(o, "error_count", err->count);
	put_int(o, "error_code", err->code);
	put(o, "error_title", err->title);
	put(o, "error_message", err->message);
	put(o, "error_details", err->details);
}

static void on_status(void *arg, const struct meta_status_event *ev)
{
	json_t *o = event(arg, "s");
	put(o, "waba_id", ev->waba_id);
	put(o, "phone_number_id", ev->phone_number_id);
	put(o, "display_phone", ev->display_phone);
	put(o, "wa_message_id", ev->wa_message_id);
	put(o, "status", ev->status);
	put_int(o, "timestamp", ev->timestamp);
	put(o, "recipient_id", ev->recipient_id);
	put(o, "recipient_user_id", ev->recipient_user_id);
	put(o, "conversation_id", ev->conversation_id);
	put(o, "conversation_origin", ev->conversation_origin);
	put(o, "has_pricing", ev->has_pricing ? "true" : "false");
	put(o, "billable", ev->billable ? "true" : "false");
	put(o, "pricing_category", ev->pricing_category);
	put(o, "pricing_model", ev->pricing_model);
	put(o, "biz_opaque_callback_data", ev->biz_opaque_callback_data);
	put_error(o, &ev->error);
}

static void on_message(void *arg, const struct meta_inbound_message *m)
{
	json_t *o = event(arg, "m");
	put(o, "waba_id", m->waba_id);
	put(o, "phone_number_id", m->phone_number_id);
	put(o, "display_phone", m->display_phone);
	put(o, "from", m->from);
	put(o, "user_id", m->user_id);
	put(o, "profile_name", m->profile_name);
	put(o, "wa_message_id", m->wa_message_id);
	put_int(o, "timestamp", m->timestamp);
	put(o, "type", m->type);
	put(o, "text", m->text);
	put(o, "media_id", m->media.id);
	put(o, "mime_type", m->media.mime_type);
	put(o, "sha256", m->media.sha256);
	put(o, "caption", m->media.caption);
	put(o, "filename", m->media.filename);
	char loc[96] = "";
	if (m->location.present)
		snprintf(loc, sizeof(loc), "%.6f,%.6f", m->location.latitude,
		         m->location.longitude);
	put(o, "location", loc);
	put(o, "location_name", m->location.name);
	put(o, "location_address", m->location.address);
	put(o, "interactive_id", m->interactive_id);
	put(o, "context_message_id", m->context_message_id);
	put(o, "reaction_message_id", m->reaction_message_id);
	put_error(o, &m->error);
	assert_int_equal(strlen(m->raw), m->raw_len);
	put(o, "raw", m->raw);
	put(o, "preview", m->preview);
}

static void on_template(void *arg, const struct meta_template_event *ev)
{
	json_t *o = event(arg, "t");
	put(o, "waba_id", ev->waba_id);
	put(o, "event", ev->event);
	put(o, "message_template_id", ev->message_template_id);
	put(o, "name", ev->name);
	put(o, "language", ev->language);
	put(o, "reason", ev->reason);
	put(o, "category", ev->category);
}

static void on_value_error(void *arg, const struct meta_value_error *ev)
{
	json_t *o = event(arg, "e");
	put(o, "waba_id", ev->waba_id);
	put(o, "phone_number_id", ev->phone_number_id);
	put_int(o, "code", ev->code);
	put(o, "title", ev->title);
	put(o, "message", ev->message);
	put(o, "details", ev->details);
}

static void on_other(void *arg, const char *field)
{
	put(event(arg, "o"), "field", field);
}

/* Parses into r (released by the next parse or rec_release). */
static int parse(const char *body, size_t len, struct rec *r, struct err *e)
{
	json_decref(r->events);
	memset(r, 0, sizeof(*r));
	r->events = json_array();
	struct meta_webhook_handler h = {
	    .status = on_status,
	    .message = on_message,
	    .template_status = on_template,
	    .value_error = on_value_error,
	    .other = on_other,
	    .arg = r,
	};
	err_clear(e);
	return meta_webhook_parse(body, len, &h, e);
}

static void rec_release(struct rec *r)
{
	json_decref(r->events);
	r->events = NULL;
}

/* Field key of the i-th event; fails the test when there is no such event or field. */
static const char *ev(const struct rec *r, size_t i, const char *key)
{
	json_t *o = json_array_get(r->events, i);
	if (!o)
		fail_msg("no event %zu (order \"%s\")", i, r->order);
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("event %zu has no field %s", i, key);
	return s;
}

static char *read_fixture(const char *name, size_t *len)
{
	const char *root = getenv("PIXELS_SOURCE_DIR");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/fixtures/meta/%s", root, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *data = malloc(1 << 16);
	assert_non_null(data);
	*len = fread(data, 1, (1 << 16) - 1, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

#define SHEENA                                                                                     \
	{"phone_number_id", "106540352242922"}, {"display_phone", "15550783881"},                  \
	    {"from", "16505551234"}, {"profile_name", "Sheena Nelson"},                            \
	{                                                                                          \
		"user_id", ""                                                                      \
	}
#define STATUS_COMMON                                                                              \
	{"waba_id", "102290129340398"}, {"phone_number_id", "106540352242922"},                    \
	    {"display_phone", "15550783881"},                                                      \
	    {"wa_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"},       \
	{                                                                                          \
		"recipient_id", "16505551234"                                                      \
	}

/* One row per fixture: the callbacks in order, then fields of the first event that must match
 * exactly (a value starting with '~' must only be contained). */
struct fixture_case {
	const char *file;
	const char *order;
	const char *fields[24][2];
};

static const struct fixture_case fixture_cases[] = {
    {"wh-incoming-text.json",
     "m",
     {SHEENA,
      {"waba_id", "419561257915477"},
      {"wa_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="},
      {"timestamp", "1749416383"},
      {"type", "text"},
      {"text", "Does it come in another color?"},
      {"preview", "Does it come in another color?"},
      {"context_message_id", ""},
      {"error_count", "0"},
      {"media_id", ""},
      {"location", ""}}},
    {"wh-incoming-text-context-product.json",
     "m",
     {SHEENA,
      {"waba_id", "102290129340398"},
      {"text", "Is this still available?"},
      {"context_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA"}}},
    {"wh-incoming-text-ctwa-referral.json",
     "m",
     {SHEENA,
      {"text", "Hello! Can I get more info on this?"},
      {"timestamp", "1750275992"},
      {"raw", "~\"ctwa_clid\":\"Aff-n8ZTODiE79d22KtAwQKj9e_"}}},
    {"wh-incoming-reaction.json",
     "m",
     {SHEENA,
      {"type", "reaction"},
      {"text", "👍"},
      {"reaction_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA"},
      {"preview", "👍 reaction"}}},
    {"wh-incoming-image.json",
     "m",
     {SHEENA,
      {"type", "image"},
      {"media_id", "1003383421387256"},
      {"mime_type", "image/jpeg"},
      {"sha256", "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI="},
      {"caption", "Taj Mahal"},
      {"filename", ""},
      {"text", ""},
      {"preview", "📷 Photo"}}},
    {"wh-incoming-location.json",
     "m",
     {SHEENA,
      {"type", "location"},
      {"location", "37.442215,-122.161659"},
      {"location_name", "Philz Coffee"},
      {"location_address", "101 Forest Ave, Palo Alto, CA 94301"},
      {"preview", "📍 Location"}}},
    {"wh-incoming-contacts.json",
     "m",
     {SHEENA, {"type", "contacts"}, {"preview", "👤 Contact"}, {"raw", "~Lucía Gómez"}}},
    {"wh-incoming-unsupported.json",
     "m",
     {SHEENA,
      {"type", "unsupported"},
      {"error_count", "1"},
      {"error_code", "131051"},
      {"error_title", "Message type unknown"},
      {"error_details", "Message type is currently not supported."},
      {"preview", "[unsupported message]"}}},
    {"wh-incoming-template-button.json",
     "m",
     {SHEENA,
      {"type", "button"},
      {"text", "Unsubscribe"},
      {"interactive_id", "Unsubscribe"},
      {"context_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA"},
      {"preview", "Unsubscribe"}}},
    {"wh-incoming-interactive-list-reply.json",
     "m",
     {SHEENA,
      {"type", "interactive"},
      {"interactive_id", "priority_express"},
      {"text", "Priority Mail Express"},
      {"preview", "Priority Mail Express"},
      {"context_message_id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMzEyNzhENTZDMzNGODlDRDgA"}}},
    {"wh-incoming-interactive-button-reply.json",
     "m",
     {SHEENA,
      {"interactive_id", "cancel-button"},
      {"text", "Cancel"},
      {"timestamp", "1750025136"}}},
    {"wh-incoming-order.json",
     "m",
     {SHEENA,
      {"type", "order"},
      {"text", ""},
      {"preview", "🛒 Order"},
      {"raw", "~\"product_retailer_id\":\"nqryix03ez\""}}},
    /* a system message has no contacts array: no profile name, and no crash */
    {"wh-incoming-system-user-changed-number.json",
     "m",
     {{"from", "16505551234"},
      {"profile_name", ""},
      {"type", "system"},
      {"text", "User Sheena Nelson changed from 16505551234 to 12195555358"},
      {"preview", "[system] User Sheena Nelson changed from 16505551234 to 12195555358"},
      {"timestamp", "1750269342"}}},
    /* status contacts carry wa_id + user_id but no "profile" */
    {"derived/wh-status-sent.json",
     "s",
     {STATUS_COMMON,
      {"status", "sent"},
      {"timestamp", "1750263773"},
      {"recipient_user_id", "US.13491208655302741918"},
      {"conversation_id", "b1b4c2a6c6a9a1c4d3e2f1a0b9c8d7e6"},
      {"conversation_origin", "utility"},
      {"has_pricing", "true"},
      {"billable", "true"},
      {"pricing_category", "utility"},
      {"pricing_model", "PMP"},
      {"biz_opaque_callback_data", "order-4711"},
      {"error_count", "0"}}},
    {"derived/wh-status-delivered.json",
     "s",
     {STATUS_COMMON,
      {"status", "delivered"},
      {"timestamp", "1750263774"},
      {"recipient_user_id", "US.13491208655302741918"},
      {"has_pricing", "true"},
      {"biz_opaque_callback_data", ""}}},
    {"derived/wh-status-read.json",
     "s",
     {STATUS_COMMON,
      {"status", "read"},
      {"timestamp", "1750263790"},
      {"recipient_user_id", "US.13491208655302741918"},
      {"has_pricing", "false"},
      {"billable", "false"},
      {"conversation_id", ""},
      {"pricing_model", ""}}},
    {"derived/wh-status-failed-131047.json",
     "s",
     {STATUS_COMMON,
      {"status", "failed"},
      {"timestamp", "1750263775"},
      {"recipient_user_id", ""},
      {"error_count", "1"},
      {"error_code", "131047"},
      {"error_title", "Re-engagement message"},
      {"error_message", "Re-engagement message"},
      {"error_details", "~more than 24 hours have passed"}}},
    {"derived/wh-status-failed-131026.json",
     "s",
     {STATUS_COMMON,
      {"status", "failed"},
      {"timestamp", "1750263776"},
      {"error_count", "1"},
      {"error_code", "131026"},
      {"error_title", "Message undeliverable"},
      {"error_details", "Message Undeliverable."}}},
    {"derived/wh-value-errors-130429.json",
     "e",
     {{"waba_id", "102290129340398"},
      {"phone_number_id", "106540352242922"},
      {"code", "130429"},
      {"title", "Rate limit hit"},
      {"details", "~too many messages sent from this phone number"}}},
    {"derived/wh-template-status-approved.json",
     "t",
     {{"waba_id", "102290129340398"},
      {"event", "APPROVED"},
      {"message_template_id", "1689556908129832"}, /* a JSON number, as text */
      {"name", "order_update"},
      {"language", "en_US"},
      {"reason", "NONE"},
      {"category", "UTILITY"}}},
    {"derived/wh-template-status-rejected.json",
     "t",
     {{"event", "REJECTED"},
      {"message_template_id", "1689556908129833"},
      {"name", "summer_promo"},
      {"reason", "INVALID_FORMAT"},
      {"category", "MARKETING"}}},
};

/* Every wh-*.json under the fixtures directory sub must have a row. */
static void assert_all_listed(const char *sub, const char *prefix)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/fixtures/meta%s", getenv("PIXELS_SOURCE_DIR"), sub);
	DIR *d = opendir(path);
	assert_non_null(d);
	int seen = 0;
	for (struct dirent *de = readdir(d); de; de = readdir(d)) {
		if (strncmp(de->d_name, "wh-", 3) != 0)
			continue;
		char name[300];
		snprintf(name, sizeof(name), "%s%s", prefix, de->d_name);
		bool found = false;
		for (size_t i = 0; i < sizeof(fixture_cases) / sizeof(fixture_cases[0]); i++)
			found = found || strcmp(fixture_cases[i].file, name) == 0;
		if (!found)
			fail_msg("fixture %s has no row in fixture_cases", name);
		seen++;
	}
	closedir(d);
	assert_true(seen > 0);
}

/* raw of each message is that message object, compact. */
static void check_raw(const struct rec *r, size_t i)
{
	json_t *raw = NULL;
	const char *text = ev(r, i, "raw");
	assert_int_equal(jsonw_parse_object(text, strlen(text), &raw, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(raw, "id")),
	                    ev(r, i, "wa_message_id"));
	assert_null(strchr(text, '\n'));
	json_decref(raw);
}

static void check_fixture(const struct fixture_case *c)
{
	size_t len = 0;
	char *body = read_fixture(c->file, &len);
	struct rec r = {0};
	struct err e;
	if (parse(body, len, &r, &e) != 0)
		fail_msg("%s: %s", c->file, e.message);
	if (strcmp(r.order, c->order) != 0)
		fail_msg("%s: callbacks \"%s\", want \"%s\"", c->file, r.order, c->order);
	for (size_t k = 0; k < 24 && c->fields[k][0]; k++) {
		const char *got = ev(&r, 0, c->fields[k][0]);
		const char *want = c->fields[k][1];
		bool ok = want[0] == '~' ? strstr(got, want + 1) != NULL : strcmp(got, want) == 0;
		if (!ok)
			fail_msg("%s: %s = \"%s\", want \"%s\"", c->file, c->fields[k][0], got,
			         want);
	}
	if (r.order[0] == 'm')
		check_raw(&r, 0);
	rec_release(&r);
	free(body);
}

static void test_every_fixture(void **state)
{
	assert_all_listed("", "");
	assert_all_listed("/derived", "derived/");
	for (size_t i = 0; i < sizeof(fixture_cases) / sizeof(fixture_cases[0]); i++)
		check_fixture(&fixture_cases[i]);
}

static const char batched[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":["
    "{\"id\":\"111\",\"changes\":["
    "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"P1\","
    "\"display_phone_number\":\"D1\"},\"statuses\":["
    "{\"id\":\"wamid.A\",\"status\":\"sent\",\"timestamp\":1700000001,\"recipient_id\":\"1\"},"
    "{\"id\":\"wamid.B\",\"status\":\"delivered\",\"timestamp\":\"1700000002\","
    "\"recipient_id\":\"2\"}]}},"
    "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"P2\"},"
    "\"messages\":[{\"from\":\"3\",\"id\":\"wamid.C\",\"timestamp\":\"1700000003\","
    "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]},"
    "{\"id\":222,\"changes\":["
    "{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"PAUSED\","
    "\"message_template_id\":\"42\",\"message_template_name\":\"promo\"}},"
    "{\"field\":\"account_update\",\"value\":{\"event\":\"VERIFIED_ACCOUNT\"}}]}]}";

static void test_batched_payload(void **state)
{
	struct rec r = {0};
	struct err e;
	assert_int_equal(parse(batched, strlen(batched), &r, &e), 0);
	assert_string_equal(r.order, "ssmto");
	assert_string_equal(ev(&r, 0, "wa_message_id"), "wamid.A");
	assert_string_equal(ev(&r, 0, "timestamp"), "1700000001"); /* a number works too */
	assert_string_equal(ev(&r, 0, "waba_id"), "111");
	assert_string_equal(ev(&r, 0, "phone_number_id"), "P1");
	assert_string_equal(ev(&r, 1, "status"), "delivered");
	assert_string_equal(ev(&r, 1, "timestamp"), "1700000002");
	assert_string_equal(ev(&r, 1, "display_phone"), "D1");
	assert_string_equal(ev(&r, 2, "phone_number_id"), "P2");
	assert_string_equal(ev(&r, 2, "display_phone"), ""); /* its own change's metadata only */
	assert_string_equal(ev(&r, 2, "waba_id"), "111");
	assert_string_equal(ev(&r, 2, "text"), "hi");
	assert_string_equal(ev(&r, 3, "waba_id"), "222"); /* a numeric entry id, as text */
	assert_string_equal(ev(&r, 3, "event"), "PAUSED");
	assert_string_equal(ev(&r, 3, "message_template_id"), "42");
	assert_string_equal(ev(&r, 3, "language"), "");
	assert_string_equal(ev(&r, 4, "field"), "account_update");
	rec_release(&r);
}

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
		if (parse(cases[i].body, strlen(cases[i].body), &r, &e) != ERR_INVALID)
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
	assert_int_equal(parse(deep.ptr, deep.len, &r, &e), ERR_INVALID);
	assert_string_equal(e.key, "INVALID_JSON");
	buf_release(&deep);
	rec_release(&r);
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
	if (parse(b.ptr, b.len, r, &e) != 0)
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
	assert_string_equal(ev(&r, 0, "text"), want);
	assert_string_equal(ev(&r, 0, "preview"), want);
	assert_string_equal(ev(&r, 0, "profile_name"), "Jos\xc3\xa9");
	one_value("[{\"wa_id\":\"1\",\"profile\":{\"name\":\"Jos\xc3\xa9\"}}]", "messages",
	          "{\"from\":\"1\",\"id\":\"w1\",\"type\":\"text\","
	          "\"text\":{\"body\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xc3\xbc\"}}",
	          &r);
	assert_string_equal(ev(&r, 0, "text"), want);
	assert_string_equal(ev(&r, 0, "profile_name"), "Jos\xc3\xa9");
	assert_non_null(strstr(ev(&r, 0, "raw"), want)); /* raw keeps UTF-8, not escapes */
	rec_release(&r);
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
		if (strcmp(ev(&r, 0, "preview"), cases[i].preview) != 0)
			fail_msg("%s: preview \"%s\"", cases[i].message, ev(&r, 0, "preview"));
		assert_string_equal(ev(&r, 0, "text"), cases[i].text);
	}
	rec_release(&r);
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
	const char *p = ev(&r, 0, "preview");
	assert_int_equal(strlen(ev(&r, 0, "text")), 401);
	assert_int_equal(strlen(p), 1 + 49 * 4); /* the 50th emoji would end at byte 201 */
	assert_true(str_is_clean_utf8(str_from(p)));
	assert_memory_equal(p, ev(&r, 0, "text"), strlen(p));
	buf_release(&msg);

	buf_init(&msg, 0);
	buf_append_cstr(&msg, "{\"type\":\"system\",\"system\":{\"body\":\"");
	for (int i = 0; i < 150; i++)
		buf_append_cstr(&msg, "\\u00e9"); /* 2 bytes once decoded */
	buf_append_cstr(&msg, "\"}}");
	one_value(NULL, "messages", msg.ptr, &r);
	p = ev(&r, 0, "preview");
	assert_int_equal(strlen(p), 199); /* "[system] " is 9 bytes; 95 whole characters follow */
	assert_true(str_is_clean_utf8(str_from(p)));
	assert_memory_equal(p, "[system] \xc3\xa9", 11);
	buf_release(&msg);
	rec_release(&r);
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
		if (parse(no_events[i], strlen(no_events[i]), &r, &e) != 0)
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
	assert_string_equal(ev(&r, 0, "timestamp"), "0");
	assert_string_equal(ev(&r, 0, "error_count"), "1");
	assert_string_equal(ev(&r, 0, "error_code"), "131047"); /* a code sent as a string */
	assert_string_equal(ev(&r, 0, "error_title"), "");
	assert_string_equal(ev(&r, 1, "timestamp"), "0");
	assert_string_equal(ev(&r, 1, "error_count"), "0");
	assert_string_equal(ev(&r, 2, "timestamp"), "0");
	assert_string_equal(ev(&r, 2, "has_pricing"), "false");
	assert_string_equal(ev(&r, 3, "status"), "played"); /* unknown statuses pass through */
	one_value("[{\"wa_id\":\"1\"}]", "messages",
	          "{\"from\":\"1\",\"type\":\"location\",\"location\":{\"latitude\":\"x\"},"
	          "\"text\":\"not an object\",\"context\":5}",
	          &r);
	assert_string_equal(ev(&r, 0, "profile_name"), ""); /* contact without profile */
	assert_string_equal(ev(&r, 0, "location"), "0.000000,0.000000");
	assert_string_equal(ev(&r, 0, "preview"), "📍 Location");
	rec_release(&r);
}

static void test_identity_without_phone(void **state)
{
	struct rec r = {0};
	/* a username-only user: no "from"; the BSUID is on the message and the contact */
	one_value("[{\"user_id\":\"US.123\",\"profile\":{\"name\":\"Ana\"}}]", "messages",
	          "{\"from_user_id\":\"US.123\",\"id\":\"w\",\"type\":\"text\","
	          "\"text\":{\"body\":\"hi\"}}",
	          &r);
	assert_string_equal(ev(&r, 0, "from"), "");
	assert_string_equal(ev(&r, 0, "user_id"), "US.123");
	assert_string_equal(ev(&r, 0, "profile_name"), "Ana");
	/* two senders in one value: each gets its own contact */
	one_value("[{\"wa_id\":\"1\",\"user_id\":\"US.1\",\"profile\":{\"name\":\"One\"}},"
	          "{\"wa_id\":\"2\",\"profile\":{\"name\":\"Two\"}}]",
	          "messages",
	          "{\"from\":\"2\",\"type\":\"text\",\"text\":{\"body\":\"b\"}},"
	          "{\"from\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"a\"}}",
	          &r);
	assert_string_equal(ev(&r, 0, "profile_name"), "Two");
	assert_string_equal(ev(&r, 0, "user_id"), "");
	assert_string_equal(ev(&r, 1, "profile_name"), "One");
	assert_string_equal(ev(&r, 1, "user_id"), "US.1");
	/* a status naming the BSUID itself, without a phone number */
	one_value(NULL, "statuses",
	          "{\"id\":\"w\",\"status\":\"read\",\"recipient_user_id\":\"US.9\"}", &r);
	assert_string_equal(ev(&r, 0, "recipient_id"), "");
	assert_string_equal(ev(&r, 0, "recipient_user_id"), "US.9");
	rec_release(&r);
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
	assert_string_equal(ev(&r, META_WEBHOOK_MAX_EVENTS - 1, "wa_message_id"), "w999");
	buf_release(&items);
	rec_release(&r);
}

static void test_null_handler(void **state)
{
	size_t len = 0;
	char *body = read_fixture("wh-incoming-image.json", &len);
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
	    cmocka_unit_test(test_every_fixture),
	    cmocka_unit_test(test_batched_payload),
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
