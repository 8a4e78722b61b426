/* Unit tests for core/err: first writer wins, field errors name the field, NULL errs are
 * accepted, long texts are cut safely, and every code has a name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"

static void test_set_and_clear(void **state)
{
	struct err e;
	err_clear(&e);
	assert_int_equal(e.code, ERR_OK);
	assert_string_equal(e.key, "");
	assert_string_equal(e.message, "");
	assert_string_equal(e.field, "");
	assert_int_equal(e.retry_after_s, 0);

	assert_int_equal(err_set(&e, ERR_NOT_FOUND, "USER_NOT_FOUND", "no user %s", "bob"),
	                 ERR_NOT_FOUND);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_string_equal(e.key, "USER_NOT_FOUND");
	assert_string_equal(e.message, "no user bob");
	assert_string_equal(e.field, "");

	err_clear(&e);
	assert_int_equal(e.code, ERR_OK);
	assert_string_equal(e.key, "");
	err_clear(NULL);
}

static void test_first_writer_wins(void **state)
{
	struct err e;
	err_clear(&e);
	err_set(&e, ERR_UPSTREAM, "META_DOWN", "inner cause");
	/* the outer layer's call returns its own code but keeps the inner detail */
	assert_int_equal(err_set(&e, ERR_INTERNAL, "OUTER", "outer"), ERR_INTERNAL);
	assert_int_equal(e.code, ERR_UPSTREAM);
	assert_string_equal(e.key, "META_DOWN");
	assert_string_equal(e.message, "inner cause");

	assert_int_equal(err_field(&e, "email", "is required"), ERR_INVALID);
	assert_int_equal(e.code, ERR_UPSTREAM);
	assert_string_equal(e.field, "");

	/* a field error first, then a plain one */
	err_clear(&e);
	err_field(&e, "phone", "must be E.164");
	err_set(&e, ERR_CONFLICT, "DUP", "dup");
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.key, "VALIDATION_ERROR");
	assert_string_equal(e.field, "phone");
}

static void test_field(void **state)
{
	struct err e;
	err_clear(&e);
	assert_int_equal(err_field(&e, "email", "must be at most %d bytes", 254), ERR_INVALID);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.key, "VALIDATION_ERROR");
	assert_string_equal(e.field, "email");
	assert_string_equal(e.message, "email: must be at most 254 bytes");
}

static void test_null_err(void **state)
{
	assert_int_equal(err_set(NULL, ERR_AUTH, "X", "y"), ERR_AUTH);
	assert_int_equal(err_field(NULL, "f", "bad"), ERR_INVALID);
}

static void test_truncation(void **state)
{
	char long_text[600];
	memset(long_text, 'k', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	struct err e;

	err_clear(&e);
	err_set(&e, ERR_INVALID, long_text, "%s", long_text);
	assert_int_equal(strlen(e.key), sizeof(e.key) - 1);
	assert_int_equal(strlen(e.message), sizeof(e.message) - 1);

	err_clear(&e);
	err_field(&e, long_text, "%s", long_text);
	assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
	assert_int_equal(strlen(e.message), sizeof(e.message) - 1);
	assert_string_equal(e.key, "VALIDATION_ERROR");

	err_clear(&e);
	err_set(&e, ERR_INTERNAL, NULL, "no key");
	assert_string_equal(e.key, "");
	assert_string_equal(e.message, "no key");
}

static void test_code_names(void **state)
{
	static const struct {
		enum err_code code;
		const char *name;
	} names[] = {
	    {ERR_OK, "ERR_OK"},
	    {ERR_INVALID, "ERR_INVALID"},
	    {ERR_AUTH, "ERR_AUTH"},
	    {ERR_FORBIDDEN, "ERR_FORBIDDEN"},
	    {ERR_NOT_FOUND, "ERR_NOT_FOUND"},
	    {ERR_METHOD, "ERR_METHOD"},
	    {ERR_CONFLICT, "ERR_CONFLICT"},
	    {ERR_TOO_LARGE, "ERR_TOO_LARGE"},
	    {ERR_UNPROCESSABLE, "ERR_UNPROCESSABLE"},
	    {ERR_LIMIT, "ERR_LIMIT"},
	    {ERR_INTERNAL, "ERR_INTERNAL"},
	    {ERR_UPSTREAM, "ERR_UPSTREAM"},
	    {ERR_UNAVAILABLE, "ERR_UNAVAILABLE"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(err_code_name(names[i].code), names[i].name);
	assert_string_equal(err_code_name((enum err_code)999), "ERR_UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_set_and_clear), cmocka_unit_test(test_first_writer_wins),
	    cmocka_unit_test(test_field),         cmocka_unit_test(test_null_err),
	    cmocka_unit_test(test_truncation),    cmocka_unit_test(test_code_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
