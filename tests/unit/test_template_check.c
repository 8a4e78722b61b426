/* Unit tests for svc/template_check: table-driven validation of templates given as Meta's
 * components or as the original system's fields, the variables it extracts, and the
 * description of templates listed by Meta. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "svc/template_check.h"

struct check_case {
	const char *name;
	const char *language;
	const char *category;
	const char *components; /* JSON array text */
	const char *field;      /* NULL = valid */
};

static const struct check_case cases[] = {
    {"ok", "en", "UTILITY", "[{\"type\":\"BODY\",\"text\":\"Hello\"}]", NULL},
    {"ok_lower_category", "en_US", "marketing", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", NULL},
    {"Bad", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "name"},
    {"has space", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "name"},
    {"", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "name"},
    {"lang", "EN", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "language"},
    {"lang", "en_us", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "language"},
    {"cat", "en", "PROMO", "[{\"type\":\"BODY\",\"text\":\"Hi\"}]", "category"},
    {"nobody", "en", NULL, "[{\"type\":\"FOOTER\",\"text\":\"x\"}]", "content"},
    {"empty", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"\"}]", "content"},
    {"vars", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"{{1}} {{2}}\",\"example\":{\"body_text\":[[\"a\",\"b\"]]}}]",
     NULL},
    {"gap", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"{{1}} {{3}}\",\"example\":{\"body_text\":[[\"a\",\"b\"]]}}]",
     "content"},
    {"zero", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"{{0}}\",\"example\":{\"body_text\":[[\"a\"]]}}]", "content"},
    {"few_examples", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"{{1}} {{2}}\",\"example\":{\"body_text\":[[\"a\"]]}}]",
     "examples"},
    {"no_examples", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"{{1}}\"}]", "examples"},
    {"mixed", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"{{1}} {{name}}\",\"example\":{\"body_text\":[[\"a\"]]}}]",
     "content"},
    {"named", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"Hi {{first_name}}\",\"example\":{\"body_text_named_"
     "params\":[{\"param_name\":\"first_name\",\"example\":\"Asha\"}]}}]",
     NULL},
    {"named_no_example", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi {{first_name}}\"}]",
     "examples"},
    {"unclosed", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi {{1\"}]", "content"},
    {"header_long", "en", NULL,
     "[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"0123456789012345678901234567890123"
     "456789012345678901234567890\"},{\"type\":\"BODY\",\"text\":\"Hi\"}]",
     "headerText"},
    {"header_image_no_example", "en", NULL,
     "[{\"type\":\"HEADER\",\"format\":\"IMAGE\"},{\"type\":\"BODY\",\"text\":\"Hi\"}]",
     "examples"},
    {"header_image", "en", NULL,
     "[{\"type\":\"HEADER\",\"format\":\"IMAGE\",\"example\":{\"header_handle\":[\"4::aW\"]}},"
     "{\"type\":\"BODY\",\"text\":\"Hi\"}]",
     NULL},
    {"footer_var", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"Hi\"},{\"type\":\"FOOTER\",\"text\":\"{{1}}\"}]",
     "footerText"},
    {"buttons_ok", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"Hi\"},{\"type\":\"BUTTONS\",\"buttons\":["
     "{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"},"
     "{\"type\":\"URL\",\"text\":\"Track\",\"url\":\"https://x.example/{{1}}\",\"example\":"
     "[\"https://x.example/1\"]},"
     "{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\",\"phone_number\":\"+14155550100\"}]}]",
     NULL},
    {"url_two_vars", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"Hi\"},{\"type\":\"BUTTONS\",\"buttons\":["
     "{\"type\":\"URL\",\"text\":\"T\",\"url\":\"https://x/{{1}}/{{2}}\",\"example\":[\"a\"]}]}]",
     "buttons"},
    {"phone_missing", "en", NULL,
     "[{\"type\":\"BODY\",\"text\":\"Hi\"},{\"type\":\"BUTTONS\",\"buttons\":["
     "{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\"}]}]",
     "buttons"},
    {"unknown_type", "en", NULL, "[{\"type\":\"BODY\",\"text\":\"Hi\"},{\"type\":\"CAROUSEL\"}]",
     "components"},
};

static void test_check_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct check_case *k = &cases[i];
		json_t *comps = json_loads(k->components, 0, NULL);
		assert_non_null(comps);
		struct template_cmd cmd = {.name = k->name,
		                           .language = k->language,
		                           .category = k->category,
		                           .components = comps};
		struct template_row *t = calloc(1, sizeof(*t));
		struct err e = {0};
		int rc = template_check_build(&cmd, t, &e);
		if (k->field && (rc != ERR_INVALID || strcmp(e.field, k->field) != 0))
			fail_msg("case %zu (%s): want field %s, got rc %d field '%s' (%s)", i,
			         k->name, k->field, rc, e.field, e.message);
		if (!k->field && rc != 0)
			fail_msg("case %zu (%s): refused: %s %s", i, k->name, e.field, e.message);
		free(t);
		json_decref(comps);
	}
}

static void test_fields_and_variables(void **state)
{
	(void)state;
	json_t *examples = json_pack("[s, s]", "Asha", "A-1");
	struct template_cmd cmd = {.name = "order_ready",
	                           .category = "utility",
	                           .content = "Hi {{2}}, {{1}} and {{2}} again",
	                           .header_text = "Order",
	                           .footer_text = "Thanks",
	                           .examples = examples};
	struct template_row *t = calloc(1, sizeof(*t));
	struct err e = {0};
	assert_int_equal(template_check_build(&cmd, t, &e), 0);
	assert_string_equal(t->language, "en");
	assert_string_equal(t->category, "UTILITY");
	assert_string_equal(t->body, "Hi {{2}}, {{1}} and {{2}} again");
	assert_string_equal(t->variables, "[\"1\",\"2\"]");
	assert_int_equal(t->var_count, 2);
	json_t *comps = json_loads(t->components, 0, NULL);
	assert_int_equal(json_array_size(comps), 3);
	json_t *body = json_array_get(comps, 1);
	assert_string_equal(json_string_value(json_object_get(body, "type")), "BODY");
	json_decref(comps);
	/* No content, no components: refused. */
	struct template_cmd none = {.name = "x"};
	assert_int_equal(template_check_build(&none, t, &e), ERR_INVALID);
	assert_string_equal(e.field, "content");
	json_decref(examples);
	free(t);
}

static void test_describe(void **state)
{
	(void)state;
	json_t *comps = json_loads("[{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"T\"},"
	                           "{\"type\":\"BODY\",\"text\":\"Dear {{1}}, {{2}}\"}]",
	                           0, NULL);
	struct template_row *t = calloc(1, sizeof(*t));
	template_check_describe(comps, t);
	assert_string_equal(t->body, "Dear {{1}}, {{2}}");
	assert_int_equal(t->var_count, 2);
	assert_non_null(strstr(t->components, "HEADER"));
	json_decref(comps);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_table),
	    cmocka_unit_test(test_fields_and_variables),
	    cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
