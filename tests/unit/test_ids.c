/* Unit tests for core/ids: shape (24 lower-case hex), the time prefix, ordering by creation time,
 * uniqueness over 10k ids in one millisecond, and ids_is_valid (table-driven). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ids.h"
#include "core/sec.h"

#define MANY 10000

static int setup(void **state)
{
	return sec_init();
}

static void test_format(void **state)
{
	char id[IDS_SIZE];
	memset(id, 'X', sizeof(id));
	ids_new(0x0123456789abLL, id);
	assert_int_equal(strlen(id), IDS_LEN);
	assert_true(ids_is_valid(str_from(id)));
	/* the first 12 hex digits are the 48-bit unix-ms time, big-endian */
	assert_memory_equal(id, "0123456789ab", 12);

	ids_new(1700000000123LL, id);
	assert_memory_equal(id, "018bcfe5687b", 12);
	ids_new(0, id);
	assert_memory_equal(id, "000000000000", 12);
	assert_true(ids_is_valid(str_from(id)));
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_unique_same_ms(void **state)
{
	char(*ids)[IDS_SIZE] = calloc(MANY, IDS_SIZE);
	assert_non_null(ids);
	for (int i = 0; i < MANY; i++)
		ids_new(1700000000000LL, ids[i]);
	qsort(ids, MANY, IDS_SIZE, cmp_id);
	for (int i = 1; i < MANY; i++) {
		if (strcmp(ids[i - 1], ids[i]) == 0)
			fail_msg("duplicate id %s", ids[i]);
	}
	free(ids);
}

static void test_same_ms_in_creation_order(void **state)
{
	char prev[IDS_SIZE], cur[IDS_SIZE];
	ids_new(1750000000000LL, prev);
	for (int i = 0; i < MANY; i++) {
		ids_new(1750000000000LL, cur);
		if (strcmp(prev, cur) >= 0)
			fail_msg("%s !< %s", prev, cur);
		memcpy(prev, cur, sizeof(cur));
	}
}

static void test_ordered_by_time(void **state)
{
	char prev[IDS_SIZE], cur[IDS_SIZE];
	ids_new(1600000000000LL, prev);
	/* later milliseconds always sort after earlier ones, random tail notwithstanding */
	for (int64_t t = 1600000000001LL; t < 1600000000001LL + MANY; t++) {
		ids_new(t, cur);
		if (strcmp(prev, cur) >= 0)
			fail_msg("%s !< %s", prev, cur);
		memcpy(prev, cur, sizeof(cur));
	}
	/* across byte boundaries of the time field too */
	char a[IDS_SIZE], b[IDS_SIZE];
	ids_new(0xffLL, a);
	ids_new(0x100LL, b);
	assert_true(strcmp(a, b) < 0);
	ids_new(0xffffffffffLL, a);
	ids_new(0x10000000000LL, b);
	assert_true(strcmp(a, b) < 0);
}

static void test_is_valid_table(void **state)
{
	static const struct {
		const char *s;
		bool want;
	} cases[] = {
	    {"0123456789abcdef01234567", true},
	    {"000000000000000000000000", true},
	    {"ffffffffffffffffffffffff", true},
	    {"0123456789ABCDEF01234567", false},  /* upper case */
	    {"0123456789abcdef0123456", false},   /* 23 */
	    {"0123456789abcdef012345678", false}, /* 25 */
	    {"0123456789abcdeg01234567", false},
	    {"0123456789abcdef0123456 ", false},
	    {" 123456789abcdef01234567", false},
	    {"0123456789abcdef-1234567", false},
	    {"", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (ids_is_valid(str_from(cases[i].s)) != cases[i].want)
			fail_msg("\"%s\": want %d", cases[i].s, cases[i].want);
	}
	/* exactly the view: a valid prefix of a longer string, and an embedded NUL */
	assert_true(ids_is_valid((struct str){"0123456789abcdef01234567zz", 24}));
	assert_false(ids_is_valid((struct str){"0123456789abcdef0123456\0", 24}));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_unique_same_ms),
	    cmocka_unit_test(test_ordered_by_time),
	    cmocka_unit_test(test_same_ms_in_creation_order),
	    cmocka_unit_test(test_is_valid_table),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
