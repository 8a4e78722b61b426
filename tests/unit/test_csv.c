/* Unit tests for core/csv: plain and quoted fields, doubled quotes, quoted commas and line
 * breaks, CRLF, blank lines, and the bounds (too many fields, a field too long, a broken
 * quote) flagged rather than overrun. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

static struct csv_row *row;

static int setup(void **state)
{
	row = calloc(1, sizeof(*row));
	return row ? 0 : -1;
}

static int teardown(void **state)
{
	free(row);
	return 0;
}

static void test_plain_and_quoted(void **state)
{
	const char *in = "phone,name,var1\r\n"
	                 "15551230001,\"Asha, Mother\",\"say \"\"hi\"\"\"\n"
	                 "\n"
	                 "  \n"
	                 "15551230002,,\"two\nlines\"";
	struct csv_reader r;
	csv_init(&r, in, strlen(in));
	assert_true(csv_next(&r, row));
	assert_int_equal(row->n, 3);
	assert_string_equal(row->field[2], "var1");
	assert_true(csv_next(&r, row));
	assert_int_equal(r.line, 2);
	assert_string_equal(row->field[0], "15551230001");
	assert_string_equal(row->field[1], "Asha, Mother");
	assert_string_equal(row->field[2], "say \"hi\"");
	assert_false(row->bad_quote);
	assert_true(csv_next(&r, row)); /* blank lines skipped */
	assert_int_equal(r.line, 5);
	assert_int_equal(row->n, 3);
	assert_string_equal(row->field[1], "");
	assert_string_equal(row->field[2], "two\nlines");
	assert_false(csv_next(&r, row));
}

static void test_bounds_are_flagged(void **state)
{
	char *in = malloc(200000);
	size_t n = 0;
	for (int i = 0; i < CSV_FIELDS_MAX + 5; i++)
		in[n++] = 'x', in[n++] = ',';
	in[n++] = '\n';
	memset(in + n, 'y', CSV_FIELD_MAX + 10);
	n += CSV_FIELD_MAX + 10;
	in[n++] = '\n';
	memcpy(in + n, "\"open,never closed\n", 19);
	n += 19;
	struct csv_reader r;
	csv_init(&r, in, n);
	assert_true(csv_next(&r, row));
	assert_true(row->too_wide);
	assert_int_equal(row->n, CSV_FIELDS_MAX + 6);
	assert_true(csv_next(&r, row));
	assert_true(row->cut);
	assert_int_equal(strlen(row->field[0]), CSV_FIELD_MAX - 1);
	assert_true(csv_next(&r, row));
	assert_true(row->bad_quote);
	assert_false(csv_next(&r, row));
	const char *junk = "\"a\"b,c\n";
	csv_init(&r, junk, strlen(junk));
	assert_true(csv_next(&r, row));
	assert_true(row->bad_quote);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_quoted),
	    cmocka_unit_test(test_bounds_are_flagged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
