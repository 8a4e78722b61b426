/* Store suite for message templates (migration 0005): insert, get, find by name and by Meta id
 * or (WABA, name, language), update, soft delete (and re-creating the name afterwards), list
 * filters with totals, per-status counts, and tenant isolation of every scoped operation.
 * Written against store.h only; the fixture picks the backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "core/sec.h"
#include "core/str.h"
#include "store/store.h"
#include "store_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)

static void fill(struct template_row *t, const char *account_id, unsigned n, const char *name,
                 const char *lang, const char *status)
{
	memset(t, 0, sizeof(*t));
	store_fixture_make_id(t->id, 0x7e3, n);
	str_copy_cstr(t->account_id, sizeof(t->account_id), account_id);
	str_copy_cstr(t->waba_id, sizeof(t->waba_id), "555000111");
	str_copy_cstr(t->name, sizeof(t->name), name);
	str_copy_cstr(t->language, sizeof(t->language), lang);
	str_copy_cstr(t->category, sizeof(t->category), "UTILITY");
	str_copy_cstr(t->status, sizeof(t->status), status);
	str_copy_cstr(t->components, sizeof(t->components),
	              "[{\"type\":\"BODY\",\"text\":\"Hi {{1}}\"}]");
	str_copy_cstr(t->body, sizeof(t->body), "Hi {{1}}");
	str_copy_cstr(t->variables, sizeof(t->variables), "[\"1\"]");
	t->var_count = 1;
	t->created_at = t->updated_at = 1700000000000LL + n;
}

static void count_row(void *arg, const struct template_row *row)
{
	(void)row;
	(*(int *)arg)++;
}

static void test_templates_crud_and_find(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct template_row *t = calloc(3, sizeof(*t)), *got = &t[2];
	bool found = false;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	fill(&t[0], a.id, 1, "order_ready", "pt_BR", "draft");
	fill(&t[1], a.id, 2, "order_ready", "en", "approved");
	OK(fx, store_template_insert(fx->s, &t[0], &fx->e));
	OK(fx, store_template_insert(fx->s, &t[1], &fx->e));
	OK(fx, store_template_get(fx->s, a.id, t[0].id, got, &fx->e));
	assert_string_equal(got->name, "order_ready");
	assert_string_equal(got->components, t[0].components);
	assert_int_equal(got->var_count, 1);
	ERR(fx, store_template_get(fx->s, b.id, t[0].id, got, &fx->e), ERR_NOT_FOUND,
	    "TEMPLATE_NOT_FOUND");
	/* Any language: English first. */
	OK(fx, store_template_find_by_name(fx->s, a.id, "order_ready", NULL, got, &found, &fx->e));
	assert_true(found);
	assert_string_equal(got->language, "en");
	OK(fx,
	   store_template_find_by_name(fx->s, a.id, "order_ready", "pt_BR", got, &found, &fx->e));
	assert_true(found);
	assert_string_equal(got->id, t[0].id);
	OK(fx, store_template_find_by_name(fx->s, b.id, "order_ready", NULL, got, &found, &fx->e));
	assert_false(found);
	/* The same name and language twice is refused while the first is live. */
	struct template_row dup;
	fill(&dup, a.id, 3, "order_ready", "en", "draft");
	ERR(fx, store_template_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "TEMPLATE_EXISTS");
	/* Meta id, globally and scoped. */
	str_copy_cstr(t[1].meta_template_id, sizeof(t[1].meta_template_id), "98765");
	t[1].usage_count = 4;
	OK(fx, store_template_update(fx->s, &t[1], &fx->e));
	OK(fx, store_template_find_meta(fx->s, NULL, "other", "98765", NULL, NULL, got, &found,
	                                &fx->e));
	assert_true(found);
	assert_int_equal(got->usage_count, 4);
	OK(fx, store_template_find_meta(fx->s, b.id, "555000111", "98765", "order_ready", "en", got,
	                                &found, &fx->e));
	assert_false(found);
	OK(fx, store_template_find_meta(fx->s, NULL, "555000111", "", "order_ready", "pt_BR", got,
	                                &found, &fx->e));
	assert_true(found);
	assert_string_equal(got->id, t[0].id);
	/* Soft delete: invisible, the name is free again, other accounts cannot delete. */
	ERR(fx, store_template_delete(fx->s, b.id, t[1].id, 5, &fx->e), ERR_NOT_FOUND,
	    "TEMPLATE_NOT_FOUND");
	OK(fx, store_template_delete(fx->s, a.id, t[1].id, 5, &fx->e));
	ERR(fx, store_template_get(fx->s, a.id, t[1].id, got, &fx->e), ERR_NOT_FOUND,
	    "TEMPLATE_NOT_FOUND");
	ERR(fx, store_template_update(fx->s, &t[1], &fx->e), ERR_NOT_FOUND, "TEMPLATE_NOT_FOUND");
	OK(fx, store_template_insert(fx->s, &dup, &fx->e));
	free(t);
}

static void test_templates_list_and_counts(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct template_row t;
	const char *statuses[] = {"draft", "pending", "approved", "approved", "rejected"};
	char name[32];
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	for (unsigned i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "tpl_%u", i);
		fill(&t, a.id, i + 10, name, "en", statuses[i]);
		OK(fx, store_template_insert(fx->s, &t, &fx->e));
	}
	fill(&t, b.id, 20, "tpl_b", "en", "approved");
	OK(fx, store_template_insert(fx->s, &t, &fx->e));
	struct template_filter f = {.limit = 2};
	int64_t total = 0;
	int seen = 0;
	OK(fx, store_template_list(fx->s, a.id, &f, count_row, &seen, &total, &fx->e));
	assert_int_equal(total, 5);
	assert_int_equal(seen, 2);
	f.status = "approved";
	f.limit = 50;
	seen = 0;
	OK(fx, store_template_list(fx->s, a.id, &f, count_row, &seen, &total, &fx->e));
	assert_int_equal(total, 2);
	assert_int_equal(seen, 2);
	f.status = NULL;
	f.category = "MARKETING";
	OK(fx, store_template_list(fx->s, a.id, &f, count_row, &seen, &total, &fx->e));
	assert_int_equal(total, 0);
	struct template_counts n;
	OK(fx, store_template_counts(fx->s, a.id, &n, &fx->e));
	assert_int_equal(n.approved, 2);
	assert_int_equal(n.draft, 1);
	assert_int_equal(n.pending, 1);
	assert_int_equal(n.rejected, 1);
	assert_int_equal(n.total, 5);
	OK(fx, store_template_counts(fx->s, b.id, &n, &fx->e));
	assert_int_equal(n.total, 1);
	/* A status outside the schema's list is refused. */
	fill(&t, a.id, 30, "bad_status", "en", "archived");
	ERR(fx, store_template_insert(fx->s, &t, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_templates_crud_and_find),
	    STORE_FIXTURE_MIGRATED(test_templates_list_and_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
