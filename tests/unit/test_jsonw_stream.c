/* Unit tests for core/jsonw_stream: a large object's lists kept as text and read one element
 * at a time, the other members parsed at once, and malformed input refused as INVALID_JSON
 * whether the fault is in a member, between members, or inside a list element. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jsonw.h"

static const char *const lazy[] = {"phones", "recipients", NULL};

struct seen {
	int n;
	char last[64];
	int stop_at; /* answer ERR_INVALID at this element (0 = never) */
};

static int count(void *arg, json_t *elem, struct err *e)
{
	struct seen *s = arg;
	s->n++;
	char *text = json_dumps(elem, JSON_ENCODE_ANY);
	snprintf(s->last, sizeof(s->last), "%s", text);
	free(text);
	return s->n == s->stop_at ? err_field(e, "phones", "stop") : 0;
}

static int parse(const char *text, struct jsonw_span *spans, json_t **out, struct err *e)
{
	memset(e, 0, sizeof(*e));
	return jsonw_parse_object_lazy(text, strlen(text), lazy, spans, out, e);
}

static void test_lists_stay_text(void **state)
{
	struct jsonw_span spans[2];
	json_t *obj;
	struct err e;
	const char *text = " {\"name\":\"T\\u00e9rm\", \"phones\" : [\"1\", 2 ,{\"a\":[1,\"]\"]}],"
	                   "\"n\":3,\"recipients\":[]}\n";
	assert_int_equal(parse(text, spans, &obj, &e), 0);
	assert_string_equal(json_string_value(json_object_get(obj, "name")), "T\xc3\xa9rm");
	assert_int_equal(json_integer_value(json_object_get(obj, "n")), 3);
	assert_null(json_object_get(obj, "phones"));
	assert_non_null(spans[0].p);
	assert_int_equal(spans[1].len, 2);
	struct seen s = {0};
	assert_int_equal(jsonw_each_element(spans[0], count, &s, &e), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.last, "{\"a\": [1, \"]\"]}");
	s.n = 0;
	assert_int_equal(jsonw_each_element(spans[1], count, &s, &e), 0);
	assert_int_equal(s.n, 0);
	json_decref(obj);
	/* A lazy name whose value is not an array is parsed like any member. */
	assert_int_equal(parse("{\"phones\":\"x\"}", spans, &obj, &e), 0);
	assert_null(spans[0].p);
	assert_string_equal(json_string_value(json_object_get(obj, "phones")), "x");
	json_decref(obj);
}

static void test_malformed(void **state)
{
	static const char *bad[] = {
	    "",
	    "[]",
	    "{",
	    "{\"a\":1,}",
	    "{\"a\" 1}",
	    "{,}",
	    "{\"a\":1}x",
	    "{\"a\":tru}",
	    "{\"a\":1 \"b\":2}",
	    "{\"a\":1,\"a\":2}",
	    "{\"phones\":[1],\"phones\":[2]}",
	    "{\"phones\":[1}",
	    "{\"a\":\"\x01\"}",
	    "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jsonw_span spans[2];
		json_t *obj = NULL;
		struct err e;
		if (parse(bad[i], spans, &obj, &e) != ERR_INVALID)
			fail_msg("accepted: %s", bad[i]);
		assert_string_equal(e.key, "INVALID_JSON");
		assert_null(obj);
	}
}

static void test_bad_elements_and_stops(void **state)
{
	struct jsonw_span spans[2];
	json_t *obj;
	struct err e;
	assert_int_equal(parse("{\"phones\":[1, 2, nope, 4]}", spans, &obj, &e), 0);
	struct seen s = {0};
	assert_int_equal(jsonw_each_element(spans[0], count, &s, &e), ERR_INVALID);
	assert_string_equal(e.key, "INVALID_JSON");
	assert_int_equal(s.n, 2); /* the ones before the fault were handed over */
	json_decref(obj);
	assert_int_equal(parse("{\"phones\":[1,,2]}", spans, &obj, &e), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(jsonw_each_element(spans[0], count, &s, &e), ERR_INVALID);
	json_decref(obj);
	assert_int_equal(parse("{\"phones\":[1,2,3]}", spans, &obj, &e), 0);
	struct seen stop = {.stop_at = 2};
	assert_int_equal(jsonw_each_element(spans[0], count, &stop, &e), ERR_INVALID);
	assert_string_equal(e.key, "VALIDATION_ERROR");
	assert_int_equal(stop.n, 2);
	json_decref(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists_stay_text),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_bad_elements_and_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
