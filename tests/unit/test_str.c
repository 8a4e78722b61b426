/* Unit tests for core/str: views, the checked integer and boolean parsers (table-driven),
 * bounded copies and the clean-UTF-8 check. Inputs are explicit views so embedded NULs and
 * truncated sequences are exercised exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/str.h"

#define VIEW(lit) ((struct str){(lit), sizeof(lit) - 1})

struct i64_case {
	const char *in;
	int64_t min;
	int64_t max;
	int rc;
	int64_t want;
};

static void test_parse_i64_table(void **state)
{
	static const struct i64_case cases[] = {
	    {"0", INT64_MIN, INT64_MAX, 0, 0},
	    {"-0", INT64_MIN, INT64_MAX, 0, 0},
	    {"7", INT64_MIN, INT64_MAX, 0, 7},
	    {"-42", INT64_MIN, INT64_MAX, 0, -42},
	    {"000123", INT64_MIN, INT64_MAX, 0, 123},
	    {"9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX},
	    {"-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN},
	    {"9223372036854775808", INT64_MIN, INT64_MAX, -1, 0},
	    {"-9223372036854775809", INT64_MIN, INT64_MAX, -1, 0},
	    {"18446744073709551616", INT64_MIN, INT64_MAX, -1, 0},
	    {"99999999999999999999999", INT64_MIN, INT64_MAX, -1, 0},
	    {"-99999999999999999999999", INT64_MIN, INT64_MAX, -1, 0},
	    {"", INT64_MIN, INT64_MAX, -1, 0},
	    {"-", INT64_MIN, INT64_MAX, -1, 0},
	    {"+", INT64_MIN, INT64_MAX, -1, 0},
	    {"+1", INT64_MIN, INT64_MAX, -1, 0},
	    {"--1", INT64_MIN, INT64_MAX, -1, 0},
	    {"-+1", INT64_MIN, INT64_MAX, -1, 0},
	    {" 1", INT64_MIN, INT64_MAX, -1, 0},
	    {"1 ", INT64_MIN, INT64_MAX, -1, 0},
	    {"1a", INT64_MIN, INT64_MAX, -1, 0},
	    {"a1", INT64_MIN, INT64_MAX, -1, 0},
	    {"0x10", INT64_MIN, INT64_MAX, -1, 0},
	    {"1.5", INT64_MIN, INT64_MAX, -1, 0},
	    {"1e3", INT64_MIN, INT64_MAX, -1, 0},
	    {"1_000", INT64_MIN, INT64_MAX, -1, 0},
	    {"junk", INT64_MIN, INT64_MAX, -1, 0},
	    /* range bounds are inclusive */
	    {"1", 1, 65535, 0, 1},
	    {"65535", 1, 65535, 0, 65535},
	    {"0", 1, 65535, -1, 0},
	    {"65536", 1, 65535, -1, 0},
	    {"-1", 0, 10, -1, 0},
	    {"-10", -10, -5, 0, -10},
	    {"-4", -10, -5, -1, 0},
	    {"-11", -10, -5, -1, 0},
	    {"5", 5, 5, 0, 5},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct i64_case *c = &cases[i];
		int64_t out = 12345;
		int rc = str_parse_i64(str_from(c->in), c->min, c->max, &out);
		if (rc != c->rc)
			fail_msg("case %zu \"%s\": rc %d, want %d", i, c->in, rc, c->rc);
		if (c->rc == 0 && out != c->want)
			fail_msg("case %zu \"%s\": got %lld", i, c->in, (long long)out);
		if (c->rc != 0 && out != 12345)
			fail_msg("case %zu \"%s\": out written on failure", i, c->in);
	}
}

static void test_parse_i64_view_bounds(void **state)
{
	int64_t out = 0;
	/* Only the view's bytes count: "12" out of "123", and an embedded NUL is junk. */
	assert_int_equal(str_parse_i64((struct str){"123", 2}, 0, 100, &out), 0);
	assert_int_equal(out, 12);
	assert_int_equal(str_parse_i64(VIEW("1\0002"), 0, 1000, &out), -1);
	assert_int_equal(str_parse_i64((struct str){NULL, 0}, 0, 1, &out), -1);
}

struct bool_case {
	const char *in;
	int rc;
	bool want;
};

static void test_parse_bool_table(void **state)
{
	static const struct bool_case cases[] = {
	    {"true", 0, true},    {"TRUE", 0, true},      {"True", 0, true},
	    {"1", 0, true},       {"yes", 0, true},       {"YeS", 0, true},
	    {"on", 0, true},      {"ON", 0, true},        {"false", 0, false},
	    {"FALSE", 0, false},  {"0", 0, false},        {"no", 0, false},
	    {"No", 0, false},     {"off", 0, false},      {"OFF", 0, false},
	    {"", -1, false},      {"t", -1, false},       {"y", -1, false},
	    {"2", -1, false},     {"true ", -1, false},   {" true", -1, false},
	    {"truex", -1, false}, {"enabled", -1, false}, {"-1", -1, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool out = !cases[i].want;
		int rc = str_parse_bool(str_from(cases[i].in), &out);
		if (rc != cases[i].rc)
			fail_msg("case \"%s\": rc %d, want %d", cases[i].in, rc, cases[i].rc);
		if (rc == 0 && out != cases[i].want)
			fail_msg("case \"%s\": got %d", cases[i].in, out);
	}
}

static void test_views(void **state)
{
	struct str empty = str_from(NULL);
	assert_non_null(empty.ptr);
	assert_int_equal(empty.len, 0);
	assert_true(str_eq(empty, STR_LIT("")));
	assert_true(str_eq(str_from("abc"), STR_LIT("abc")));
	assert_false(str_eq(str_from("abc"), STR_LIT("abd")));
	assert_false(str_eq(str_from("abc"), STR_LIT("ab")));
	assert_true(str_eq_cstr(STR_LIT("x"), "x"));
	assert_true(str_eq_cstr(empty, NULL));
	assert_true(str_starts_with(STR_LIT("Bearer abc"), "Bearer "));
	assert_true(str_starts_with(STR_LIT("abc"), ""));
	assert_false(str_starts_with(STR_LIT("Bear"), "Bearer"));
	assert_true(str_eq_nocase(STR_LIT("Content-Type"), "content-type"));
	assert_false(str_eq_nocase(STR_LIT("Content-Type"), "content-typ"));
	assert_false(str_eq_nocase(STR_LIT("a"), "b"));

	char s[] = "MiXeD-Case_123";
	str_lower_inplace(s);
	assert_string_equal(s, "mixed-case_123");
}

static void test_copy(void **state)
{
	char dst[8];
	memset(dst, 'x', sizeof(dst));
	assert_int_equal(str_copy(dst, sizeof(dst), STR_LIT("1234567")), 0);
	assert_string_equal(dst, "1234567");

	/* One byte too long: cut to cap-1, still terminated, reported. */
	assert_int_equal(str_copy(dst, sizeof(dst), STR_LIT("12345678")), -1);
	assert_string_equal(dst, "1234567");

	assert_int_equal(str_copy(dst, sizeof(dst), STR_LIT("")), 0);
	assert_string_equal(dst, "");

	assert_int_equal(str_copy(dst, 1, STR_LIT("a")), -1);
	assert_string_equal(dst, "");

	dst[0] = 'q';
	assert_int_equal(str_copy(dst, 0, STR_LIT("a")), -1);
	assert_int_equal(dst[0], 'q'); /* cap 0 writes nothing */

	assert_int_equal(str_copy_cstr(dst, sizeof(dst), "hello"), 0);
	assert_string_equal(dst, "hello");
	assert_int_equal(str_copy_cstr(dst, sizeof(dst), "hello world"), -1);
	assert_string_equal(dst, "hello w");
	assert_int_equal(str_copy_cstr(dst, sizeof(dst), NULL), 0);
	assert_string_equal(dst, "");
}

struct utf8_case {
	struct str in;
	bool want;
	const char *what;
};

static void test_clean_utf8_table(void **state)
{
	const struct utf8_case cases[] = {
	    {VIEW(""), true, "empty"},
	    {VIEW("plain ascii"), true, "ascii"},
	    {VIEW("tab\tnewline\ncr\r"), true, "tab, LF and CR allowed"},
	    {VIEW("caf\xc3\xa9"), true, "2-byte e-acute"},
	    {VIEW("\xe2\x82\xac"), true, "3-byte euro"},
	    {VIEW("\xf0\x9f\x98\x80"), true, "4-byte emoji"},
	    {VIEW("\xef\xbf\xbf"), true, "U+FFFF"},
	    {VIEW("\xf4\x8f\xbf\xbf"), true, "U+10FFFF, the last code point"},
	    {VIEW("\xc2\xa0"), true, "U+00A0, first after C1"},
	    {VIEW("\xed\x9f\xbf"), true, "U+D7FF, just below surrogates"},
	    {VIEW("\xee\x80\x80"), true, "U+E000, just above surrogates"},
	    {VIEW("a\x01z"), false, "SOH"},
	    {VIEW("a\0z"), false, "embedded NUL"},
	    {VIEW("\x1b[31m"), false, "ESC"},
	    {VIEW("\x7f"), false, "DEL"},
	    {VIEW("\xc2\x80"), false, "U+0080 (C1 control)"},
	    {VIEW("\xc2\x85"), false, "U+0085 NEL (C1 control)"},
	    {VIEW("\xc2\x9f"), false, "U+009F (C1 control)"},
	    {VIEW("\xc0\xaf"), false, "overlong '/' (2 bytes)"},
	    {VIEW("\xc1\xbf"), false, "overlong 2-byte"},
	    {VIEW("\xe0\x80\xaf"), false, "overlong '/' (3 bytes)"},
	    {VIEW("\xe0\x9f\xbf"), false, "overlong U+07FF"},
	    {VIEW("\xf0\x80\x80\xaf"), false, "overlong '/' (4 bytes)"},
	    {VIEW("\xf0\x8f\xbf\xbf"), false, "overlong U+FFFF"},
	    {VIEW("\xed\xa0\x80"), false, "U+D800 high surrogate"},
	    {VIEW("\xed\xbf\xbf"), false, "U+DFFF low surrogate"},
	    {VIEW("\xf4\x90\x80\x80"), false, "U+110000 past the end"},
	    {VIEW("\xf5\x80\x80\x80"), false, "lead byte F5"},
	    {VIEW("\xf8\x88\x80\x80\x80"), false, "5-byte form"},
	    {VIEW("\xff"), false, "FF"},
	    {VIEW("\x80"), false, "lone continuation"},
	    {VIEW("a\xbf"), false, "continuation after ASCII"},
	    {VIEW("\xc3"), false, "truncated 2-byte"},
	    {VIEW("\xe2\x82"), false, "truncated 3-byte"},
	    {VIEW("\xf0\x9f\x98"), false, "truncated 4-byte"},
	    {VIEW("\xe2\x82z"), false, "3-byte cut by ASCII"},
	    {VIEW("\xc3\xc3\xa9"), false, "lead followed by lead"},
	    /* the view is the whole input: a sequence cut by the length is truncated */
	    {(struct str){"\xc3\xa9", 1}, false, "view ends inside a sequence"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (str_is_clean_utf8(cases[i].in) != cases[i].want)
			fail_msg("%s: want %s", cases[i].what,
			         cases[i].want ? "clean" : "rejected");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_i64_table),
	    cmocka_unit_test(test_parse_i64_view_bounds),
	    cmocka_unit_test(test_parse_bool_table),
	    cmocka_unit_test(test_views),
	    cmocka_unit_test(test_copy),
	    cmocka_unit_test(test_clean_utf8_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
