/* Unit tests for core/buf: growth, the owner's maximum (exact fit, one over, formatted appends
 * over the limit leaving the buffer untouched), detach and reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"

static void test_empty(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
	buf_release(&b); /* releasing twice is harmless */
	assert_string_equal(buf_cstr(&b), "");
}

static void test_append_grows(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_append_cstr(&b, "hello"), 0);
	assert_int_equal(buf_append(&b, ", ", 2), 0);
	assert_int_equal(buf_appendf(&b, "%s #%d", "world", 42), 0);
	assert_string_equal(buf_cstr(&b), "hello, world #42");
	assert_int_equal(b.len, strlen("hello, world #42"));

	/* Past the initial capacity, many times over; content stays exact and terminated. */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_appendf(&b, "%03d", i % 1000), 0);
	assert_int_equal(b.len, 16 + 3000);
	assert_int_equal(b.ptr[b.len], '\0');
	assert_memory_equal(b.ptr + 16 + 3 * 999, "999", 3);
	assert_true(b.cap > b.len);
	buf_release(&b);
}

static void test_binary_and_empty_appends(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.ptr, "a\0b\0", 4);
	assert_int_equal(buf_appendf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 3);
	buf_release(&b);
}

static void test_max_exact_fit_and_one_over(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_append_cstr(&b, "1234"), 0);
	assert_int_equal(buf_append_cstr(&b, "5678"), 0); /* exactly max */
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_append(&b, "9", 1), -1); /* one over */
	assert_int_equal(buf_append(&b, "", 0), 0);   /* nothing is not over */
	assert_string_equal(buf_cstr(&b), "12345678");
	assert_int_equal(b.len, 8);
	buf_release(&b);

	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "123456789", 9), -1); /* one over from empty */
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_append(&b, "123456789", 8), 0);
	buf_release(&b);

	/* max survives release, so a reused buffer is still bounded */
	assert_int_equal(b.max, 8);
	assert_int_equal(buf_append(&b, "123456789", 9), -1);
	buf_release(&b);
}

static void test_appendf_over_limit_unchanged(void **state)
{
	struct buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_append_cstr(&b, "abcdef"), 0);
	size_t cap = b.cap;
	assert_int_equal(buf_appendf(&b, "%d", 12345), -1); /* 6 + 5 = 11 > 10 */
	assert_string_equal(buf_cstr(&b), "abcdef");
	assert_int_equal(b.len, 6);
	assert_int_equal(b.cap, cap);
	assert_int_equal(buf_appendf(&b, "%d", 1234), 0); /* 10: exact fit */
	assert_string_equal(buf_cstr(&b), "abcdef1234");
	assert_int_equal(buf_appendf(&b, "%c", 'x'), -1);
	assert_string_equal(buf_cstr(&b), "abcdef1234");
	buf_release(&b);
}

static void test_huge_lengths_refused(void **state)
{
	struct buf b;
	buf_init(&b, 0); /* unbounded still refuses sizes that overflow */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(buf_append_cstr(&b, "abc"), 0);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 2), -1);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 3), -1);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_release(&b);
	buf_init(&b, 16);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_detach(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	size_t len = 99;
	char *p = buf_detach(&b, &len); /* never allocated: still a valid empty string */
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);

	assert_int_equal(buf_append_cstr(&b, "owned text"), 0);
	p = buf_detach(&b, &len);
	assert_string_equal(p, "owned text");
	assert_int_equal(len, 10);
	/* the buffer is reset and keeps its max */
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	assert_string_equal(buf_cstr(&b), "");
	free(p);

	assert_int_equal(buf_append_cstr(&b, "x"), 0);
	p = buf_detach(&b, NULL);
	assert_string_equal(p, "x");
	free(p);
	buf_release(&b);
}

static void test_reset_and_secret(void **state)
{
	struct buf b;
	buf_init(&b, 16);
	buf_reset(&b); /* on an unallocated buffer */
	assert_int_equal(buf_append_cstr(&b, "0123456789abcdef"), 0);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	/* after reset the full max is available again */
	assert_int_equal(buf_append_cstr(&b, "0123456789abcdef"), 0);
	assert_int_equal(buf_append_cstr(&b, "!"), -1);
	buf_release_secret(&b);
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	buf_release_secret(&b); /* NULL-safe */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_append_grows),
	    cmocka_unit_test(test_binary_and_empty_appends),
	    cmocka_unit_test(test_max_exact_fit_and_one_over),
	    cmocka_unit_test(test_appendf_over_limit_unchanged),
	    cmocka_unit_test(test_huge_lengths_refused),
	    cmocka_unit_test(test_detach),
	    cmocka_unit_test(test_reset_and_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
