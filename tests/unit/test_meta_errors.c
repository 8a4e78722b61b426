/* Unit tests for meta/errors: every code of the reference table (meta-cloud-api.md A.4) maps to
 * its outcome whatever HTTP status Meta pairs it with; replies without a known code fall back
 * on the HTTP status; transport errors retry; names and the three code predicates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "meta/errors.h"

struct code_case {
	int code;
	enum meta_outcome want;
	const char *why;
};

/* The reference table, row by row. */
static const struct code_case reference[] = {
    {0, META_REAUTH, "auth failed"},
    {190, META_REAUTH, "token expired"},
    {3, META_FAIL, "capability"},
    {10, META_FAIL, "permission"},
    {200, META_FAIL, "permission range start"},
    {250, META_FAIL, "permission range"},
    {299, META_FAIL, "permission range end"},
    {1, META_RETRY, "unknown, transient"},
    {2, META_RETRY, "service down"},
    {4, META_RETRY, "app call-rate limit"},
    {80007, META_RETRY, "WABA rate limit"},
    {130429, META_RETRY, "throughput"},
    {131056, META_RETRY, "pair rate limit"},
    {131048, META_PAUSE_NUMBER, "spam rate limit"},
    {131049, META_FAIL, "Meta chose not to deliver (retry >= 24 h is a campaign decision)"},
    {131047, META_FAIL, "24-hour window closed"},
    {131026, META_FAIL, "undeliverable"},
    {131050, META_FAIL, "user opted out of marketing"},
    {131051, META_FAIL, "unsupported type"},
    {131053, META_FAIL, "media error"},
    {131000, META_RETRY, "something went wrong"},
    {132000, META_FAIL, "template parameter count"},
    {132001, META_FAIL, "template missing"},
    {132015, META_FAIL, "template paused"},
    {100, META_FAIL, "invalid parameter"},
    {368, META_PAUSE_NUMBER, "policy block"},
    {133010, META_FAIL, "number not registered"},
};

static void test_reference_codes(void **state)
{
	/* Meta's HTTP status per code is inconsistent: the code must decide alone. */
	static const int statuses[] = {200, 400, 401, 403, 429, 500, 503};
	for (size_t i = 0; i < sizeof(reference) / sizeof(reference[0]); i++) {
		for (size_t j = 0; j < sizeof(statuses) / sizeof(statuses[0]); j++) {
			enum meta_outcome got =
			    meta_classify(statuses[j], reference[i].code, false);
			if (got != reference[i].want)
				fail_msg("code %d (%s) with HTTP %d: got %s, want %s",
				         reference[i].code, reference[i].why, statuses[j],
				         meta_outcome_name(got),
				         meta_outcome_name(reference[i].want));
		}
	}
}

static void test_without_known_code(void **state)
{
	static const struct {
		int status, code;
		enum meta_outcome want;
	} cases[] = {
	    {200, META_CODE_NONE, META_OK},
	    {201, META_CODE_NONE, META_OK},
	    {204, META_CODE_NONE, META_OK},
	    {200, 777777, META_FAIL}, /* an error envelope on a 2xx is not a success */
	    {500, META_CODE_NONE, META_RETRY},
	    {502, META_CODE_NONE, META_RETRY},
	    {503, 999999, META_RETRY}, /* 5xx with an unknown code */
	    {500, 131026, META_FAIL},  /* 5xx with a known FAIL code */
	    {500, 190, META_REAUTH},
	    {400, META_CODE_NONE, META_FAIL},
	    {404, 999999, META_FAIL}, /* any other 4xx */
	    {401, META_CODE_NONE, META_FAIL},
	    {408, META_CODE_NONE, META_RETRY}, /* request timeout */
	    {429, META_CODE_NONE, META_RETRY}, /* too many requests */
	    {301, META_CODE_NONE, META_FAIL},  /* redirects are not followed */
	    {0, META_CODE_NONE, META_RETRY},   /* no status at all */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum meta_outcome got = meta_classify(cases[i].status, cases[i].code, false);
		if (got != cases[i].want)
			fail_msg("HTTP %d code %d: got %s, want %s", cases[i].status, cases[i].code,
			         meta_outcome_name(got), meta_outcome_name(cases[i].want));
	}
}

static void test_transport_errors_retry(void **state)
{
	assert_int_equal(meta_classify(0, META_CODE_NONE, true), META_RETRY);
	/* Even a half-received reply that looked like success or a FAIL code is retried. */
	assert_int_equal(meta_classify(200, META_CODE_NONE, true), META_RETRY);
	assert_int_equal(meta_classify(400, 100, true), META_RETRY);
}

static void test_names(void **state)
{
	assert_string_equal(meta_outcome_name(META_OK), "ok");
	assert_string_equal(meta_outcome_name(META_RETRY), "retry");
	assert_string_equal(meta_outcome_name(META_FAIL), "fail");
	assert_string_equal(meta_outcome_name(META_PAUSE_NUMBER), "pause_number");
	assert_string_equal(meta_outcome_name(META_REAUTH), "reauth");
	assert_string_equal(meta_outcome_name((enum meta_outcome)99), "unknown");
}

static void test_predicates(void **state)
{
	for (size_t i = 0; i < sizeof(reference) / sizeof(reference[0]); i++) {
		int code = reference[i].code;
		assert_int_equal(meta_is_pair_rate_limit(code), code == 131056);
		assert_int_equal(meta_is_window_closed(code), code == 131047);
		assert_int_equal(meta_is_opt_out(code), code == 131050);
	}
	assert_false(meta_is_pair_rate_limit(META_CODE_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reference_codes),
	    cmocka_unit_test(test_without_known_code),
	    cmocka_unit_test(test_transport_errors_retry),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_predicates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
