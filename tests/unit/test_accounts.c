/* Unit: email normalisation rules (the one place emails are validated and lower-cased) and
 * the password policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "svc/accounts.h"
#include "svc/passwords.h"

static void test_emails(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL = rejected */
	} cases[] = {
	    {"a@b.co", "a@b.co"},
	    {"  Asha@School.EDU\t", "asha@school.edu"},
	    {"first.last+tag@sub.example.org", "first.last+tag@sub.example.org"},
	    {"", NULL},
	    {"plain", NULL},
	    {"a@b", NULL},
	    {"@b.co", NULL},
	    {"a@.co", NULL},
	    {"a@b.co.", NULL},
	    {"a@@b.co", NULL},
	    {"a@b@c.co", NULL},
	    {"a b@c.co", NULL},
	    {"a<b@c.co", NULL},
	    {"a@b.co\n", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[STORE_EMAIL_MAX];
		struct err e = {0};
		int rc = accounts_normalize_email(cases[i].in, "email", out, &e);
		if (cases[i].out) {
			if (rc != 0)
				fail_msg("'%s' rejected: %s", cases[i].in, e.message);
			assert_string_equal(out, cases[i].out);
		} else {
			if (rc == 0)
				fail_msg("'%s' accepted as '%s'", cases[i].in, out);
			assert_string_equal(e.key, "VALIDATION_ERROR");
			assert_string_equal(e.field, "email");
		}
	}
	char longmail[400];
	memset(longmail, 'a', sizeof(longmail));
	memcpy(longmail + 380, "@example.com", 13);
	struct err e = {0};
	char out[STORE_EMAIL_MAX];
	assert_int_equal(accounts_normalize_email(longmail, "email", out, &e), ERR_INVALID);
}

static void test_password_policy(void **state)
{
	struct err e = {0};
	assert_int_equal(passwords_check_policy("1234567", "password", &e), ERR_INVALID);
	assert_string_equal(e.field, "password");
	err_clear(&e);
	assert_int_equal(passwords_check_policy("12345678", "password", &e), 0);
	char huge[PASSWORDS_MAX_LEN + 2];
	memset(huge, 'x', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	assert_int_equal(passwords_check_policy(huge, "password", &e), ERR_INVALID);
	assert_int_equal(passwords_check_policy(NULL, "password", &e), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_emails),
	    cmocka_unit_test(test_password_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
