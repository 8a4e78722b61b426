/* Unit tests for core/jsonout: commas and nesting, every escape, UTF-8 passed through or
 * replaced, integers at their limits, times and null, jansson values embedded, and the same
 * text jansson writes for the same document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jsonout.h"

/* Detaches w's text, compares it with want, frees it. */
static void assert_text(struct jsonout *w, const char *want)
{
	size_t len = 0;
	char *text = jsonout_detach(w, &len);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	free(text);
}

static void test_nesting_and_commas(void **state)
{
	struct jsonout w;
	jsonout_init(&w);
	jsonout_object_open(&w);
	jsonout_kstr(&w, "a", "x");
	jsonout_key(&w, "list");
	jsonout_array_open(&w);
	jsonout_int(&w, 1);
	jsonout_object_open(&w);
	jsonout_object_close(&w);
	jsonout_array_open(&w);
	jsonout_array_close(&w);
	jsonout_null(&w);
	jsonout_array_close(&w);
	jsonout_kbool(&w, "t", true);
	jsonout_kbool(&w, "f", false);
	jsonout_kstr(&w, "none", NULL);
	jsonout_object_close(&w);
	assert_text(&w,
	            "{\"a\":\"x\",\"list\":[1,{},[],null],\"t\":true,\"f\":false,\"none\":null}");
}

static void test_escapes(void **state)
{
	struct jsonout w;
	jsonout_init(&w);
	jsonout_array_open(&w);
	jsonout_str(&w, "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f");
	jsonout_strn(&w, "nul\0in", 6);
	jsonout_array_close(&w);
	assert_text(&w, "[\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\",\"nul\\u0000in\"]");
}

static void test_utf8_kept_and_invalid_replaced(void **state)
{
	struct jsonout w;
	jsonout_init(&w);
	jsonout_array_open(&w);
	/* é, €, an emoji (2, 3 and 4 bytes): passed through. */
	jsonout_str(&w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* Overlong '/', a surrogate, past U+10FFFF, a cut sequence, a lone continuation. */
	jsonout_str(&w, "\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82|\x80");
	jsonout_array_close(&w);
	const char *r = "\xef\xbf\xbd";
	char want[256];
	snprintf(want, sizeof(want),
	         "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"%s%s|%s%s%s|%s%s%s%s|%s%s|%s\"]",
	         r, r, r, r, r, r, r, r, r, r, r, r);
	assert_text(&w, want);
}

static void test_integers_and_times(void **state)
{
	struct jsonout w;
	jsonout_init(&w);
	jsonout_array_open(&w);
	jsonout_int(&w, 0);
	jsonout_int(&w, -7);
	jsonout_int(&w, INT64_MAX);
	jsonout_int(&w, INT64_MIN);
	jsonout_time(&w, 0);
	jsonout_time(&w, 1700000000123);
	jsonout_array_close(&w);
	assert_text(&w, "[0,-7,9223372036854775807,-9223372036854775808,null,"
	                "\"2023-11-14T22:13:20.123Z\"]");
}

static void test_embedded_jansson_value(void **state)
{
	json_t *content = json_pack("{s:s, s:[i, b]}", "text", "hi", "n", 1, 0);
	struct jsonout w;
	jsonout_init(&w);
	jsonout_object_open(&w);
	jsonout_key(&w, "content");
	jsonout_json(&w, content);
	jsonout_key(&w, "missing");
	jsonout_json(&w, NULL);
	jsonout_kint(&w, "after", 2);
	jsonout_object_close(&w);
	json_decref(content);
	assert_text(&w,
	            "{\"content\":{\"text\":\"hi\",\"n\":[1,false]},\"missing\":null,\"after\":2}");
}

/* The same document written both ways reads back equal (jansson is the reference). */
static void test_same_as_jansson(void **state)
{
	const char *texts[] = {"plain", "tab\there", "quote \" and \\", "\xe0\xa4\x95\xe0\xa4\xbe",
	                       ""};
	json_t *ref = json_array();
	struct jsonout w;
	jsonout_init(&w);
	jsonout_array_open(&w);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_array_append_new(ref, json_string(texts[i]));
		jsonout_str(&w, texts[i]);
	}
	jsonout_array_close(&w);
	size_t len = 0;
	char *text = jsonout_detach(&w, &len);
	char *want = json_dumps(ref, JSON_COMPACT);
	assert_string_equal(text, want);
	free(want);
	free(text);
	json_decref(ref);
}

static void test_release_discards(void **state)
{
	struct jsonout w;
	jsonout_init(&w);
	jsonout_object_open(&w);
	jsonout_key(&w, "half");
	jsonout_release(&w); /* an error part-way: nothing leaks, the writer is reusable */
	jsonout_array_open(&w);
	jsonout_array_close(&w);
	assert_text(&w, "[]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nesting_and_commas),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_utf8_kept_and_invalid_replaced),
	    cmocka_unit_test(test_integers_and_times),
	    cmocka_unit_test(test_embedded_jansson_value),
	    cmocka_unit_test(test_same_as_jansson),
	    cmocka_unit_test(test_release_discards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
