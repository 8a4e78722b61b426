/* Unit tests for core/jsonw: bounded parsing (malformed input, nesting depth 32 vs 33 with
 * brackets inside strings not counted, non-object top levels, duplicate keys) and the field
 * helpers, which must name the offending field in err.field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/jsonw.h"

/* Parses text; on success returns the object, on failure NULL with e filled. */
static json_t *parse(const char *text, struct err *e)
{
	json_t *obj = (json_t *)1;
	err_clear(e);
	int rc = jsonw_parse_object(text, strlen(text), &obj, e);
	if (rc != 0) {
		assert_int_equal(rc, ERR_INVALID);
		assert_null(obj); /* *out is cleared on failure */
		return NULL;
	}
	assert_int_equal(e->code, ERR_OK);
	return obj;
}

static void assert_invalid_json(const char *text)
{
	struct err e;
	json_t *obj = parse(text, &e);
	if (obj) {
		json_decref(obj);
		fail_msg("accepted: %s", text);
	}
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.key, "INVALID_JSON");
	assert_string_equal(e.field, "");
	assert_true(strlen(e.message) > 0);
}

static void test_malformed_and_non_objects(void **state)
{
	static const char *const bad[] = {
	    "",
	    " ",
	    "{",
	    "}",
	    "{\"a\":}",
	    "{\"a\" 1}",
	    "{\"a\":1,}",
	    "{a:1}",
	    "{'a':1}",
	    "{\"a\":01}",
	    "{\"a\":1} trailing",
	    "{\"a\":1}{}",
	    "{\"a\":\"unterminated}",
	    "{\"a\":\"bad escape \\x\"}",
	    "{\"a\":\"\\u0000\"}",
	    "{\"a\":\"\xff\"}",
	    "{\"a\":NaN}",
	    "{\"a\":99999999999999999999999}",
	    "not json",
	    /* valid JSON but not an object */
	    "[]",
	    "[{\"a\":1}]",
	    "1",
	    "\"string\"",
	    "null",
	    "true",
	    /* duplicate keys */
	    "{\"a\":1,\"a\":2}",
	    "{\"a\":1,\"b\":{\"c\":1,\"c\":1}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_invalid_json(bad[i]);
}

static void test_valid_objects(void **state)
{
	struct err e;
	json_t *obj = parse(" {\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {}} \n", &e);
	assert_non_null(obj);
	assert_int_equal(json_object_size(obj), 3);
	json_decref(obj);

	obj = parse("{}", &e);
	assert_non_null(obj);
	json_decref(obj);

	/* only len bytes are read: the rest of the buffer is not part of the body */
	const char *text = "{\"a\":1}garbage";
	json_t *out = NULL;
	assert_int_equal(jsonw_parse_object(text, 7, &out, &e), 0);
	json_decref(out);
}

/* An object nesting arrays to a total depth, with `inner` inside the innermost array. */
static char *nested(int depth, const char *inner)
{
	struct buf b;
	buf_init(&b, 0);
	buf_append_cstr(&b, "{\"a\":");
	for (int i = 1; i < depth; i++)
		buf_append_cstr(&b, "[");
	buf_append_cstr(&b, inner);
	for (int i = 1; i < depth; i++)
		buf_append_cstr(&b, "]");
	buf_append_cstr(&b, "}");
	return buf_detach(&b, NULL);
}

static void test_depth(void **state)
{
	struct err e;
	char *s = nested(JSONW_MAX_DEPTH, "");
	json_t *obj = parse(s, &e);
	assert_non_null(obj);
	json_decref(obj);
	free(s);

	s = nested(JSONW_MAX_DEPTH + 1, "");
	assert_invalid_json(s);
	parse(s, &e);
	assert_non_null(strstr(e.message, "deeper than 32"));
	free(s);

	/* objects count like arrays */
	s = nested(JSONW_MAX_DEPTH, "{}");
	assert_invalid_json(s);
	free(s);

	/* brackets inside strings are text, not nesting, also after escaped quotes */
	s = nested(JSONW_MAX_DEPTH, "\"[[[[{{{{ \\\" [[[[ \\\\\"");
	obj = parse(s, &e);
	assert_non_null(obj);
	json_decref(obj);
	free(s);

	/* an escaped backslash ends before the closing quote: brackets after it count again */
	s = nested(JSONW_MAX_DEPTH, "\"\\\\\",[]");
	assert_invalid_json(s);
	free(s);

	/* a long flat body with many sibling containers is fine */
	struct buf b;
	buf_init(&b, 0);
	buf_append_cstr(&b, "{\"a\":[");
	for (int i = 0; i < 1000; i++)
		buf_appendf(&b, "%s[[{}]]", i ? "," : "");
	buf_append_cstr(&b, "]}");
	obj = parse(buf_cstr(&b), &e);
	assert_non_null(obj);
	json_decref(obj);
	buf_release(&b);

	/* far too deep but balanced: rejected by the pre-scan, not by exhausting the stack */
	for (int i = 0; i < 100000; i++)
		buf_append_cstr(&b, "[");
	for (int i = 0; i < 100000; i++)
		buf_append_cstr(&b, "]");
	char *deep = buf_detach(&b, NULL);
	char *wrapped = nested(2, deep);
	assert_invalid_json(wrapped);
	parse(wrapped, &e);
	assert_non_null(strstr(e.message, "deeper than 32"));
	free(wrapped);
	free(deep);
}

static void assert_field_error(const struct err *e, int rc, const char *field, const char *msg)
{
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(e->code, ERR_INVALID);
	assert_string_equal(e->key, "VALIDATION_ERROR");
	assert_string_equal(e->field, field);
	if (!strstr(e->message, msg))
		fail_msg("message \"%s\" lacks \"%s\"", e->message, msg);
}

static void test_str(void **state)
{
	struct err e;
	json_t *obj =
	    parse("{\"name\":\"Ana\",\"n\":5,\"nul\":null,\"b\":true,\"o\":{},\"a\":[],"
	          "\"long\":\"abcdef\",\"utf\":\"\xc3\xa9\xc3\xa9\",\"ctl\":\"a\\u0001b\","
	          "\"del\":\"a\\u007fb\",\"ws\":\" a\\tb\\nc\\r \",\"empty\":\"\"}",
	          &e);
	assert_non_null(obj);
	const char *out = "unset";

	err_clear(&e);
	assert_int_equal(jsonw_str(obj, "name", true, 10, &out, &e), 0);
	assert_string_equal(out, "Ana");
	assert_int_equal(e.code, ERR_OK);
	assert_int_equal(jsonw_str(obj, "ws", true, 100, &out, &e), 0);
	assert_string_equal(out, " a\tb\nc\r "); /* spaces kept, tab/newline allowed */
	assert_int_equal(jsonw_str(obj, "empty", true, 0, &out, &e), 0);
	assert_string_equal(out, "");
	assert_int_equal(jsonw_str(obj, "long", true, 6, &out, &e), 0); /* exactly max */
	assert_int_equal(jsonw_str(obj, "utf", true, 4, &out, &e), 0);  /* bytes, not chars */

	/* missing or null: NULL, error only when required */
	out = "unset";
	assert_int_equal(jsonw_str(obj, "missing", false, 10, &out, &e), 0);
	assert_null(out);
	out = "unset";
	assert_int_equal(jsonw_str(obj, "nul", false, 10, &out, &e), 0);
	assert_null(out);
	assert_int_equal(e.code, ERR_OK);

	static const struct {
		const char *field;
		bool required;
		size_t max;
		const char *msg;
	} bad[] = {
	    {"missing", true, 10, "is required"},     {"nul", true, 10, "is required"},
	    {"n", false, 10, "must be a string"},     {"b", false, 10, "must be a string"},
	    {"o", false, 10, "must be a string"},     {"a", false, 10, "must be a string"},
	    {"long", false, 5, "at most 5 bytes"},    {"utf", false, 3, "at most 3 bytes"},
	    {"ctl", false, 10, "control characters"}, {"del", false, 10, "control characters"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		out = "unset";
		int rc = jsonw_str(obj, bad[i].field, bad[i].required, bad[i].max, &out, &e);
		assert_field_error(&e, rc, bad[i].field, bad[i].msg);
		assert_null(out);
	}
	json_decref(obj);

	/* an embedded NUL (only possible from values built in code) counts as a control char */
	obj = json_object();
	json_object_set_new(obj, "nul", json_stringn("a\0b", 3));
	err_clear(&e);
	assert_field_error(&e, jsonw_str(obj, "nul", true, 10, &out, &e), "nul",
	                   "control characters");
	json_decref(obj);
}

static void test_int(void **state)
{
	struct err e;
	json_t *obj =
	    parse("{\"n\":5,\"neg\":-3,\"zero\":0,\"big\":9223372036854775807,\"real\":5.0,"
	          "\"s\":\"5\",\"b\":true,\"nul\":null}",
	          &e);
	assert_non_null(obj);
	int64_t out = 77;

	err_clear(&e);
	assert_int_equal(jsonw_int(obj, "n", true, 0, 10, &out, &e), 0);
	assert_int_equal(out, 5);
	assert_int_equal(jsonw_int(obj, "n", true, 5, 5, &out, &e), 0); /* bounds inclusive */
	assert_int_equal(jsonw_int(obj, "neg", true, -3, 0, &out, &e), 0);
	assert_int_equal(out, -3);
	assert_int_equal(jsonw_int(obj, "big", true, INT64_MIN, INT64_MAX, &out, &e), 0);
	assert_int_equal(out, INT64_MAX);

	out = 77;
	assert_int_equal(jsonw_int(obj, "missing", false, 0, 10, &out, &e), 0);
	assert_int_equal(out, 77); /* absent leaves out unchanged */
	assert_int_equal(jsonw_int(obj, "nul", false, 0, 10, &out, &e), 0);
	assert_int_equal(out, 77);
	assert_int_equal(e.code, ERR_OK);

	static const struct {
		const char *field;
		bool required;
		int64_t min, max;
		const char *msg;
	} bad[] = {
	    {"missing", true, 0, 10, "is required"},
	    {"nul", true, 0, 10, "is required"},
	    {"n", false, 6, 10, "between 6 and 10"},
	    {"n", false, 0, 4, "between 0 and 4"},
	    {"neg", false, 0, 10, "between 0 and 10"},
	    {"zero", false, 1, 100, "between 1 and 100"},
	    {"real", false, 0, 10, "must be an integer"},
	    {"s", false, 0, 10, "must be an integer"},
	    {"b", false, 0, 10, "must be an integer"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		out = 77;
		int rc =
		    jsonw_int(obj, bad[i].field, bad[i].required, bad[i].min, bad[i].max, &out, &e);
		assert_field_error(&e, rc, bad[i].field, bad[i].msg);
		assert_int_equal(out, 77);
	}
	json_decref(obj);
}

static void test_bool(void **state)
{
	struct err e;
	json_t *obj = parse("{\"t\":true,\"f\":false,\"one\":1,\"s\":\"true\",\"nul\":null}", &e);
	assert_non_null(obj);
	bool out = false;
	err_clear(&e);
	assert_int_equal(jsonw_bool(obj, "t", true, &out, &e), 0);
	assert_true(out);
	assert_int_equal(jsonw_bool(obj, "f", true, &out, &e), 0);
	assert_false(out);
	out = true;
	assert_int_equal(jsonw_bool(obj, "missing", false, &out, &e), 0);
	assert_true(out);
	assert_int_equal(jsonw_bool(obj, "nul", false, &out, &e), 0);
	assert_true(out);

	err_clear(&e);
	assert_field_error(&e, jsonw_bool(obj, "missing", true, &out, &e), "missing",
	                   "is required");
	err_clear(&e);
	assert_field_error(&e, jsonw_bool(obj, "one", false, &out, &e), "one", "true or false");
	err_clear(&e);
	assert_field_error(&e, jsonw_bool(obj, "s", false, &out, &e), "s", "true or false");
	assert_true(out);
	json_decref(obj);
}

static void test_first_error_kept(void **state)
{
	struct err e;
	json_t *obj = parse("{\"a\":1,\"b\":2}", &e);
	const char *s = NULL;
	err_clear(&e);
	jsonw_str(obj, "a", true, 10, &s, &e);
	jsonw_str(obj, "b", true, 10, &s, &e);
	assert_string_equal(e.field, "a");
	json_decref(obj);
}

static void test_builders(void **state)
{
	json_t *v = jsonw_time_or_null(0);
	assert_true(json_is_null(v));
	json_decref(v);
	v = jsonw_time_or_null(-5);
	assert_true(json_is_null(v));
	json_decref(v);
	v = jsonw_time_or_null(1700000000123LL);
	assert_string_equal(json_string_value(v), "2023-11-14T22:13:20.123Z");
	json_decref(v);
	v = jsonw_time_or_null(1);
	assert_string_equal(json_string_value(v), "1970-01-01T00:00:00.001Z");
	json_decref(v);

	v = jsonw_string_or_null(NULL);
	assert_true(json_is_null(v));
	json_decref(v);
	v = jsonw_string_or_null("x\"y");
	assert_string_equal(json_string_value(v), "x\"y");
	json_decref(v);
	v = jsonw_string_or_null("bad \xff");
	assert_true(json_is_null(v));
	json_decref(v);

	json_t *obj = json_object();
	json_object_set_new(obj, "s", jsonw_string_or_null("a\"b\n"));
	json_object_set_new(obj, "t", jsonw_time_or_null(0));
	json_object_set_new(obj, "n", json_integer(-1));
	size_t len = 0;
	char *text = jsonw_dump(obj, &len);
	assert_string_equal(text, "{\"s\":\"a\\\"b\\n\",\"t\":null,\"n\":-1}");
	assert_int_equal(len, strlen(text));
	free(text);
	text = jsonw_dump(obj, NULL);
	assert_non_null(text);
	free(text);
	json_decref(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_malformed_and_non_objects),
	    cmocka_unit_test(test_valid_objects),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_str),
	    cmocka_unit_test(test_int),
	    cmocka_unit_test(test_bool),
	    cmocka_unit_test(test_first_error_kept),
	    cmocka_unit_test(test_builders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
