/* Unit tests for meta/webhook: every wh-*.json fixture (Meta's examples and the derived status,
 * error and template payloads) yields the expected callbacks and fields (a table; the test
 * fails if a fixture is missing from it), and batched payloads. Malformed bodies, Unicode,
 * previews and odd shapes are in test_meta_webhook_shapes.c; the recorder is
 * tests/support/webhook_recorder.c. */
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
	const char *text = wr_ev(r, i, "raw");
	assert_int_equal(jsonw_parse_object(text, strlen(text), &raw, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(raw, "id")),
	                    wr_ev(r, i, "wa_message_id"));
	assert_null(strchr(text, '\n'));
	json_decref(raw);
}

static void check_fixture(const struct fixture_case *c)
{
	size_t len = 0;
	char *body = meta_fixture_read(c->file, &len);
	struct rec r = {0};
	struct err e;
	if (wr_parse(body, len, &r, &e) != 0)
		fail_msg("%s: %s", c->file, e.message);
	if (strcmp(r.order, c->order) != 0)
		fail_msg("%s: callbacks \"%s\", want \"%s\"", c->file, r.order, c->order);
	for (size_t k = 0; k < 24 && c->fields[k][0]; k++) {
		const char *got = wr_ev(&r, 0, c->fields[k][0]);
		const char *want = c->fields[k][1];
		bool ok = want[0] == '~' ? strstr(got, want + 1) != NULL : strcmp(got, want) == 0;
		if (!ok)
			fail_msg("%s: %s = \"%s\", want \"%s\"", c->file, c->fields[k][0], got,
			         want);
	}
	if (r.order[0] == 'm')
		check_raw(&r, 0);
	wr_release(&r);
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
	assert_int_equal(wr_parse(batched, strlen(batched), &r, &e), 0);
	assert_string_equal(r.order, "ssmto");
	assert_string_equal(wr_ev(&r, 0, "wa_message_id"), "wamid.A");
	assert_string_equal(wr_ev(&r, 0, "timestamp"), "1700000001"); /* a number works too */
	assert_string_equal(wr_ev(&r, 0, "waba_id"), "111");
	assert_string_equal(wr_ev(&r, 0, "phone_number_id"), "P1");
	assert_string_equal(wr_ev(&r, 1, "status"), "delivered");
	assert_string_equal(wr_ev(&r, 1, "timestamp"), "1700000002");
	assert_string_equal(wr_ev(&r, 1, "display_phone"), "D1");
	assert_string_equal(wr_ev(&r, 2, "phone_number_id"), "P2");
	assert_string_equal(wr_ev(&r, 2, "display_phone"), ""); /* its own change's metadata only */
	assert_string_equal(wr_ev(&r, 2, "waba_id"), "111");
	assert_string_equal(wr_ev(&r, 2, "text"), "hi");
	assert_string_equal(wr_ev(&r, 3, "waba_id"), "222"); /* a numeric entry id, as text */
	assert_string_equal(wr_ev(&r, 3, "event"), "PAUSED");
	assert_string_equal(wr_ev(&r, 3, "message_template_id"), "42");
	assert_string_equal(wr_ev(&r, 3, "language"), "");
	assert_string_equal(wr_ev(&r, 4, "field"), "account_update");
	wr_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_fixture),
	    cmocka_unit_test(test_batched_payload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
