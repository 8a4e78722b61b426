/* Unit: route pattern matching, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

static void test_patterns(void **state)
{
	static const struct {
		const char *pattern, *path;
		bool match;
		size_t nparams;
		const char *p0, *p1;
	} cases[] = {
	    {"/", "/", true, 0, NULL, NULL},
	    {"/health", "/health", true, 0, NULL, NULL},
	    {"/health", "/health/", true, 0, NULL, NULL},
	    {"/health", "/healthz", false, 0, NULL, NULL},
	    {"/api/auth/login", "/api/auth/login", true, 0, NULL, NULL},
	    {"/api/auth/login", "/api/auth", false, 0, NULL, NULL},
	    {"/api/auth", "/api/auth/login", false, 0, NULL, NULL},
	    {"/api/contacts/:id", "/api/contacts/abc", true, 1, "abc", NULL},
	    {"/api/contacts/:id", "/api/contacts/", false, 0, NULL, NULL},
	    {"/api/c/:id/messages/:mid", "/api/c/1/messages/2", true, 2, "1", "2"},
	    {"/api/c/:id/messages", "/api/c/1/replies", false, 0, NULL, NULL},
	    {"/", "/x", false, 0, NULL, NULL},
	    {"/x", "x", false, 0, NULL, NULL},
	    {"/a/:1/:2/:3/:4/:5", "/a/1/2/3/4/5", false, 0, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct router_params p;
		bool m = router_match(cases[i].pattern, cases[i].path, &p);
		if (m != cases[i].match)
			fail_msg("%s vs %s: got %d", cases[i].pattern, cases[i].path, m);
		if (!m)
			continue;
		assert_int_equal(p.count, cases[i].nparams);
		if (cases[i].p0)
			assert_true(str_eq_cstr(p.values[0], cases[i].p0));
		if (cases[i].p1)
			assert_true(str_eq_cstr(p.values[1], cases[i].p1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_patterns)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
