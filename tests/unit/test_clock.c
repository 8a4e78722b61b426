/* Unit tests for core/clock: duration parsing (table-driven: every unit, junk, zero, overflow),
 * ISO-8601 formatting of known instants including negative times, and clock injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"

struct dur_case {
	const char *in;
	int rc;
	int64_t want_ms;
};

static void test_parse_duration_table(void **state)
{
	static const struct dur_case cases[] = {
	    {"500ms", 0, 500},
	    {"1ms", 0, 1},
	    {"30s", 0, 30000},
	    {"15m", 0, 900000},
	    {"24h", 0, 86400000},
	    {"7d", 0, 604800000},
	    {"90", 0, 90000}, /* plain number = seconds */
	    {"1", 0, 1000},
	    {"007s", 0, 7000},
	    {"106751991167d", 0, 106751991167LL * 86400000}, /* largest accepted count */
	    {"106751991168d", -1, 0},
	    {"99999999999999999999s", -1, 0},
	    {"0", -1, 0},
	    {"0s", -1, 0},
	    {"0ms", -1, 0},
	    {"-5s", -1, 0},
	    {"+5s", -1, 0},
	    {"", -1, 0},
	    {"s", -1, 0},
	    {"ms", -1, 0},
	    {"5x", -1, 0},
	    {"5S", -1, 0},
	    {"5 s", -1, 0},
	    {" 5s", -1, 0},
	    {"5s ", -1, 0},
	    {"5sec", -1, 0},
	    {"5hh", -1, 0},
	    {"1.5h", -1, 0},
	    {"5m5s", -1, 0},
	    {"1w", -1, 0},
	    {"abc", -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t out = -7;
		int rc = clock_parse_duration_ms(cases[i].in, &out);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc, cases[i].rc);
		if (rc == 0 && out != cases[i].want_ms)
			fail_msg("\"%s\": got %lld ms", cases[i].in, (long long)out);
		if (rc != 0 && out != -7)
			fail_msg("\"%s\": output written on failure", cases[i].in);
	}
}

struct iso_case {
	int64_t ms;
	const char *want;
};

static void test_format_iso_table(void **state)
{
	static const struct iso_case cases[] = {
	    {0, "1970-01-01T00:00:00.000Z"},
	    {1, "1970-01-01T00:00:00.001Z"},
	    {999, "1970-01-01T00:00:00.999Z"},
	    {1000, "1970-01-01T00:00:01.000Z"},
	    {-1, "1969-12-31T23:59:59.999Z"},
	    {-999, "1969-12-31T23:59:59.001Z"},
	    {-1000, "1969-12-31T23:59:59.000Z"},
	    {-1001, "1969-12-31T23:59:58.999Z"},
	    {-86400000, "1969-12-31T00:00:00.000Z"},
	    {951782400000, "2000-02-29T00:00:00.000Z"}, /* leap day */
	    {1700000000123, "2023-11-14T22:13:20.123Z"},
	    {1795510800123, "2026-11-24T09:00:00.123Z"},
	    {4102444799999, "2099-12-31T23:59:59.999Z"},
	    {253402300799999, "9999-12-31T23:59:59.999Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		clock_format_iso(cases[i].ms, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%lld: got %s, want %s", (long long)cases[i].ms, out,
			         cases[i].want);
	}
}

static void test_format_iso_small_cap(void **state)
{
	char out[11];
	memset(out, 'x', sizeof(out));
	clock_format_iso(0, out, sizeof(out));
	assert_string_equal(out, "1970-01-01"); /* cut, but terminated inside cap */
}

static void test_format_iso_extremes(void **state)
{
	/* far outside any real date: must stay within 32 bytes and not crash */
	char out[32];
	clock_format_iso(INT64_MAX, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	clock_format_iso(INT64_MIN, out, sizeof(out));
	assert_true(strlen(out) < sizeof(out));
	assert_int_equal(out[strlen(out) - 1], 'Z');
}

static int64_t fake_now(void *arg)
{
	return *(const int64_t *)arg;
}

static void test_injection(void **state)
{
	int64_t t = 1234567;
	struct clock c = {.now_ms = fake_now, .arg = &t};
	assert_int_equal(clock_now_ms(&c), 1234567);
	t += 86400000;
	assert_int_equal(clock_now_ms(&c), 1234567 + 86400000);

	/* NULL clock and NULL function mean real time: after 2020, close to clock_real_ms */
	struct clock real = {0};
	int64_t a = clock_real_ms();
	int64_t b = clock_now_ms(NULL);
	int64_t d = clock_now_ms(&real);
	assert_true(a > 1577836800000LL);
	assert_true(b >= a && d >= b && d - a < 60000);

	int64_t m1 = clock_mono_ns();
	int64_t m2 = clock_mono_ns();
	assert_true(m2 >= m1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_duration_table),
	    cmocka_unit_test(test_format_iso_table),
	    cmocka_unit_test(test_format_iso_small_cap),
	    cmocka_unit_test(test_format_iso_extremes),
	    cmocka_unit_test(test_injection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
