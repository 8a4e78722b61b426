/* Unit: the simulator's helpers: base64 both alphabets (round trips and known vectors), junk
 * refused, WhatsApp ids from recipients as sent, UTF-8 length, substring search, and the send
 * validator's accepted minimum bodies (table-driven; refusals are covered end to end by
 * tests/integration/test_sim_send.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sec.h"
#include "sim/sim_util.h"
#include "sim/sim_validate.h"

static void test_b64_vectors(void **state)
{
	char out[SIM_UTIL_B64_SIZE(16)];
	sim_util_b64("foobar", 6, false, out);
	assert_string_equal(out, "Zm9vYmFy");
	sim_util_b64("fo", 2, false, out);
	assert_string_equal(out, "Zm8=");
	sim_util_b64("f", 1, false, out);
	assert_string_equal(out, "Zg==");
	sim_util_b64("\xfb\xff", 2, true, out);
	assert_string_equal(out, "-_8");
	sim_util_b64("\xfb\xff", 2, false, out);
	assert_string_equal(out, "+/8=");
}

static void test_b64_round_trip(void **state)
{
	for (size_t len = 0; len < 40; len++) {
		unsigned char raw[40];
		sec_random(raw, len);
		for (int url = 0; url < 2; url++) {
			char text[SIM_UTIL_B64_SIZE(40)];
			sim_util_b64(raw, len, url, text);
			struct buf back;
			buf_init(&back, 64);
			assert_int_equal(sim_util_unb64(text, strlen(text), &back), 0);
			assert_int_equal(back.len, len);
			if (len)
				assert_memory_equal(back.ptr, raw, len);
			buf_release(&back);
		}
	}
	struct buf b;
	buf_init(&b, 4);
	assert_int_equal(sim_util_unb64("a b", 3, &b), -1);
	assert_int_equal(sim_util_unb64("Z", 1, &b), -1);
	buf_reset(&b);
	assert_int_equal(sim_util_unb64("Zm9vYmFy", 8, &b), -1); /* 6 bytes > max 4 */
	buf_release(&b);
}

static void test_wa_id(void **state)
{
	static const struct {
		const char *to;
		const char *want; /* NULL = refused */
	} cases[] = {
	    {"+1 (650) 555-1234", "16505551234"},
	    {"16505551234", "16505551234"},
	    {"49.151.234.5678", "491512345678"},
	    {"123456", NULL},
	    {"1234567890123456", NULL},
	    {"+1 650 555 1234 ext", NULL},
	    {"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[16];
		int rc = sim_util_wa_id(cases[i].to, out, sizeof(out));
		if (cases[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].want);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(out, "");
		}
	}
}

static void test_text_helpers(void **state)
{
	assert_int_equal(sim_util_utf8_len("h\xc3\xa9llo \xf0\x9f\x98\x80", 11), 7);
	const char hay[] = "abc\0def--boundary";
	assert_ptr_equal(sim_util_find(hay, sizeof(hay) - 1, "--b", 3), hay + 7);
	assert_null(sim_util_find(hay, sizeof(hay) - 1, "zz", 2));
	const char *h = "Content-TYPE: x";
	assert_ptr_equal(sim_util_find_nocase(h, strlen(h), "content-type:", 13), h);
	assert_null(sim_util_find_nocase(h, strlen(h), "content-length", 14));
}

static void test_validate_accepts(void **state)
{
	static const struct {
		const char *body;
		const char *type;
		int body_params;
	} cases[] = {
	    {"{\"messaging_product\":\"whatsapp\",\"to\":\"+1 650 555 "
	     "1234\",\"text\":{\"body\":\"a\"}}",
	     "text", 0},
	    {"{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"document\","
	     "\"document\":{\"id\":\"1\",\"filename\":\"a.pdf\",\"caption\":\"c\"}}",
	     "document", 0},
	    {"{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"location\","
	     "\"location\":{\"latitude\":1,\"longitude\":-2}}",
	     "location", 0},
	    {"{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"reaction\","
	     "\"reaction\":{\"message_id\":\"wamid.1\",\"emoji\":\"\"}}",
	     "reaction", 0},
	    {"{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"interactive\","
	     "\"interactive\":{\"type\":\"cta_url\",\"action\":{\"name\":\"cta_url\"}}}",
	     "interactive", 0},
	    {"{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"type\":\"template\","
	     "\"template\":{\"name\":\"t\",\"language\":{\"code\":\"en\"},\"components\":["
	     "{\"type\":\"header\",\"parameters\":[{\"type\":\"text\",\"text\":\"h\"}]},"
	     "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"},"
	     "{\"type\":\"text\",\"text\":\"b\"}]}]}}",
	     "template", 2},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *body = json_loads(cases[i].body, 0, NULL);
		assert_non_null(body);
		struct sim_send_req req;
		char details[256];
		if (sim_validate_send(body, &req, details, sizeof(details)) != 0)
			fail_msg("case %zu refused: %s", i, details);
		assert_string_equal(req.type, cases[i].type);
		assert_string_equal(req.wa_id, "16505551234");
		assert_int_equal(req.body_params, cases[i].body_params);
		assert_false(req.mark_read);
		json_decref(body);
	}
}

int main(void)
{
	sec_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_b64_vectors),
	    cmocka_unit_test(test_b64_round_trip),
	    cmocka_unit_test(test_wa_id),
	    cmocka_unit_test(test_text_helpers),
	    cmocka_unit_test(test_validate_accepts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
