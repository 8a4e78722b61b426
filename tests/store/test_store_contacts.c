/* Store suite for contacts and their tags (migration 0002). Written against store.h only, so
 * every backend must pass it unchanged; the fixture (tests/support/store_fixture.h) picks the
 * backend from PIXELS_TEST_STORE_BACKEND and gives each test a fresh database. Tenant
 * isolation is tested op by op: another account's id must never see or change a row, and a
 * write failing half-way must leave nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/sec.h"
#include "core/str.h"
#include "store/store.h"
#include "store_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)
#define IDS(...) STORE_FIXTURE_LIST(__VA_ARGS__)

static const struct store_fixture_backend *be;

/* ---- builders ---------------------------------------------------------------------------- */

/* Contact n of account_id: phone and created_at derive from n unless changed afterwards. */
static void fill_contact(struct contact_row *c, const char *account_id, unsigned n,
                         const char *name)
{
	memset(c, 0, sizeof(*c));
	store_fixture_make_id(c->id, 0xc0, n);
	str_copy_cstr(c->account_id, sizeof(c->account_id), account_id);
	str_copy_cstr(c->name, sizeof(c->name), name);
	snprintf(c->phone, sizeof(c->phone), "4915%08u", n);
	snprintf(c->email, sizeof(c->email), "c%u@acme.test", n);
	str_copy_cstr(c->attributes, sizeof(c->attributes), "{\"plan\":\"gold\"}");
	c->created_at = c->updated_at = 1000 + (int64_t)n * 10;
}

static void set_tags(struct contact_row *c, int n, const char *const *tags)
{
	c->ntags = n;
	for (int i = 0; i < n; i++)
		str_copy_cstr(c->tags[i], sizeof(c->tags[i]), tags[i]);
}

static void assert_same_contact(const struct contact_row *got, const struct contact_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->name, want->name);
	assert_string_equal(got->phone, want->phone);
	assert_string_equal(got->email, want->email);
	assert_string_equal(got->attributes, want->attributes);
	assert_int_equal(got->opted_out, want->opted_out);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
	assert_int_equal(got->ntags, want->ntags);
	for (int i = 0; i < want->ntags; i++)
		assert_string_equal(got->tags[i], want->tags[i]);
}

#define SEEN_MAX 16

/* What a list call handed to its callback, in order. */
struct seen {
	int n;
	char ids[SEEN_MAX][IDS_SIZE];
	struct contact_row rows[SEEN_MAX];
};

static void seen_row(void *arg, const struct contact_row *row)
{
	struct seen *s = arg;
	assert_true(s->n < SEEN_MAX);
	str_copy_cstr(s->ids[s->n], IDS_SIZE, row->id);
	s->rows[s->n++] = *row;
}

/* Asserts the rows seen carry ids store_fixture_make_id(kind, want[0..count)) in that order. */
static void assert_seen(const struct seen *s, unsigned kind, size_t count, const unsigned *want)
{
	char id[IDS_SIZE];
	assert_int_equal(s->n, count);
	for (size_t i = 0; i < count; i++) {
		store_fixture_make_id(id, kind, want[i]);
		assert_string_equal(s->ids[i], id);
	}
}

static struct seen *list_contacts(struct store_fixture *fx, const char *account_id,
                                  const char *search, const char *tag, int64_t limit,
                                  int64_t offset, int64_t *total)
{
	static struct seen s;
	struct contact_filter f = {search, tag, limit, offset};
	memset(&s, 0, sizeof(s));
	OK(fx, store_contact_list(fx->s, account_id, &f, seen_row, &s, total, &fx->e));
	return &s;
}

static int64_t tag_rows(struct store_fixture *fx)
{
	return be->count(&fx->db, "SELECT count(*) FROM contact_tags");
}

/* ---- contacts: single rows -------------------------------------------------------------- */

static void test_contacts_crud(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct contact_row c, d, got;
	bool found = false;
	store_fixture_new_account(fx, &a);
	fill_contact(&c, a.id, 1, "Ada Lovelace");
	set_tags(&c, 3, (const char *const[]){"vip", "lead", "2024 import"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	fill_contact(&d, a.id, 2, "Grace Hopper");
	OK(fx, store_contact_insert(fx->s, &d, &fx->e));

	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);
	OK(fx, store_contact_find_by_phone(fx->s, a.id, c.phone, &got, &found, &fx->e));
	assert_true(found);
	assert_same_contact(&got, &c);
	OK(fx, store_contact_find_by_phone(fx->s, a.id, "4915000000000", &got, &found, &fx->e));
	assert_false(found);

	/* Everything but created_at is replaced, tags included. */
	str_copy_cstr(c.name, sizeof(c.name), "Ada King");
	str_copy_cstr(c.phone, sizeof(c.phone), "447700900123");
	c.email[0] = '\0';
	str_copy_cstr(c.attributes, sizeof(c.attributes), "{\"plan\":\"free\"}");
	c.opted_out = true;
	c.updated_at = 5000;
	set_tags(&c, 2, (const char *const[]){"customer", "vip"});
	OK(fx, store_contact_update(fx->s, &c, &fx->e));
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);
	OK(fx, store_contact_find_by_phone(fx->s, a.id,
	                                   "4915"
	                                   "00000001",
	                                   &got, &found, &fx->e));
	assert_false(found);
	assert_int_equal(tag_rows(fx), 2);

	/* Taking another contact's phone fails and changes nothing. */
	struct contact_row clash = c;
	str_copy_cstr(clash.phone, sizeof(clash.phone), d.phone);
	str_copy_cstr(clash.name, sizeof(clash.name), "Clash");
	set_tags(&clash, 1, (const char *const[]){"clash"});
	ERR(fx, store_contact_update(fx->s, &clash, &fx->e), ERR_CONFLICT, "CONTACT_EXISTS");
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);

	c.ntags = 0;
	OK(fx, store_contact_update(fx->s, &c, &fx->e));
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_int_equal(got.ntags, 0);

	struct contact_row ghost;
	fill_contact(&ghost, a.id, 9, "Nobody");
	ERR(fx, store_contact_update(fx->s, &ghost, &fx->e), ERR_NOT_FOUND, "CONTACT_NOT_FOUND");

	set_tags(&d, 2, (const char *const[]){"a", "b"});
	OK(fx, store_contact_update(fx->s, &d, &fx->e));
	assert_int_equal(tag_rows(fx), 2);
	OK(fx, store_contact_delete(fx->s, a.id, d.id, &fx->e));
	ERR(fx, store_contact_get(fx->s, a.id, d.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	assert_int_equal(tag_rows(fx), 0);
	ERR(fx, store_contact_delete(fx->s, a.id, d.id, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
}

static void test_contacts_duplicates_and_bad_values(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct contact_row c, dup, got;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	fill_contact(&c, a.id, 1, "Ada");
	set_tags(&c, 1, (const char *const[]){"vip"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));

	fill_contact(&dup, a.id, 2, "Ada again");
	str_copy_cstr(dup.phone, sizeof(dup.phone), c.phone);
	set_tags(&dup, 2, (const char *const[]){"x", "y"});
	ERR(fx, store_contact_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "CONTACT_EXISTS");
	ERR(fx, store_contact_get(fx->s, a.id, dup.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	assert_int_equal(tag_rows(fx), 1);

	fill_contact(&dup, a.id, 3, "Same id");
	str_copy_cstr(dup.id, sizeof(dup.id), c.id);
	ERR(fx, store_contact_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "ID_EXISTS");
	fill_contact(&dup, b.id, 3, "Other account, same phone");
	str_copy_cstr(dup.phone, sizeof(dup.phone), c.phone);
	OK(fx, store_contact_insert(fx->s, &dup, &fx->e));

	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	fill_contact(&dup, missing, 4, "Orphan");
	ERR(fx, store_contact_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
	fill_contact(&dup, a.id, 4, "Letters in phone");
	str_copy_cstr(dup.phone, sizeof(dup.phone), "4915abc12345");
	ERR(fx, store_contact_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	fill_contact(&dup, a.id, 4, "Unterminated name");
	memset(dup.name, 'n', sizeof(dup.name));
	ERR(fx, store_contact_insert(fx->s, &dup, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	fill_contact(&dup, a.id, 4, "Too many tags");
	dup.ntags = STORE_TAGS_MAX + 1;
	ERR(fx, store_contact_insert(fx->s, &dup, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	assert_int_equal(tag_rows(fx), 1);
}

/* 20 tags of the longest length come back whole and in the caller's order. */
static void test_contacts_twenty_tags(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct contact_row c, got;
	int64_t total = 0;
	store_fixture_new_account(fx, &a);
	fill_contact(&c, a.id, 1, "Tagged");
	c.ntags = STORE_TAGS_MAX;
	for (int i = 0; i < STORE_TAGS_MAX; i++) {
		memset(c.tags[i], 'a' + (i % 26), STORE_TAG_MAX - 1);
		c.tags[i][STORE_TAG_MAX - 1] = '\0';
		snprintf(c.tags[i], 8, "%02d-tag", STORE_TAGS_MAX - i); /* descending order */
		c.tags[i][7] = 'z';
	}
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);
	struct seen *s = list_contacts(fx, a.id, NULL, NULL, 10, 0, &total);
	assert_int_equal(s->n, 1);
	assert_same_contact(&s->rows[0], &c);
	assert_int_equal(tag_rows(fx), STORE_TAGS_MAX);

	/* A tag given twice is stored once, at its first place. */
	set_tags(&c, 4, (const char *const[]){"b", "a", "b", "c"});
	OK(fx, store_contact_update(fx->s, &c, &fx->e));
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_int_equal(got.ntags, 3);
	assert_string_equal(got.tags[0], "b");
	assert_string_equal(got.tags[1], "a");
	assert_string_equal(got.tags[2], "c");
	assert_int_equal(tag_rows(fx), 3);
}

/* A write failing half-way (the empty tag is refused after the row and the first tag were
 * written) leaves nothing behind, alone or inside the caller's transaction. */
static void test_contacts_writes_are_atomic(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct contact_row c, bad, later, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	fill_contact(&bad, a.id, 1, "Half written");
	set_tags(&bad, 3, (const char *const[]){"ok", "fine", ""});
	ERR(fx, store_contact_insert(fx->s, &bad, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	ERR(fx, store_contact_get(fx->s, a.id, bad.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	OK(fx, store_contact_find_by_phone(fx->s, a.id, bad.phone, &got, &found, &fx->e));
	assert_false(found);
	assert_int_equal(tag_rows(fx), 0);

	fill_contact(&c, a.id, 2, "Kept");
	set_tags(&c, 2, (const char *const[]){"old", "tags"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	struct contact_row change = c;
	str_copy_cstr(change.name, sizeof(change.name), "Changed");
	set_tags(&change, 2, (const char *const[]){"new", ""});
	ERR(fx, store_contact_update(fx->s, &change, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);

	/* Inside a transaction: the failed write is undone, the others stay until commit. */
	OK(fx, store_begin(fx->s, &fx->e));
	fill_contact(&later, a.id, 3, "In transaction");
	set_tags(&later, 1, (const char *const[]){"tx"});
	OK(fx, store_contact_insert(fx->s, &later, &fx->e));
	ERR(fx, store_contact_insert(fx->s, &bad, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	ERR(fx, store_contact_update(fx->s, &change, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	OK(fx, store_commit(fx->s, &fx->e));
	OK(fx, store_contact_get(fx->s, a.id, later.id, &got, &fx->e));
	assert_same_contact(&got, &later);
	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);
	ERR(fx, store_contact_get(fx->s, a.id, bad.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	assert_int_equal(tag_rows(fx), 3);

	/* A successful write inside a transaction the caller rolls back is gone too. */
	OK(fx, store_begin(fx->s, &fx->e));
	fill_contact(&bad, a.id, 4, "Rolled back");
	set_tags(&bad, 1, (const char *const[]){"gone"});
	OK(fx, store_contact_insert(fx->s, &bad, &fx->e));
	store_rollback(fx->s);
	ERR(fx, store_contact_get(fx->s, a.id, bad.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	assert_int_equal(tag_rows(fx), 3);
}

/* ---- contacts: lists -------------------------------------------------------------------- */

static void test_contacts_list_order_and_pages(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct contact_row c;
	int64_t total = -1;
	static const int64_t created[] = {200, 200, 100, 400, 300, 400, 500};
	store_fixture_new_account(fx, &a);
	for (unsigned n = 1; n <= 7; n++) {
		fill_contact(&c, a.id, n, "Someone");
		c.created_at = created[n - 1];
		OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	}
	struct seen *s = list_contacts(fx, a.id, NULL, NULL, 500, 0, &total);
	assert_int_equal(total, 7);
	assert_seen(s, 0xc0, IDS(7, 6, 4, 5, 2, 1, 3));

	/* Pages of 3: hasMore is offset + rows < total. */
	s = list_contacts(fx, a.id, NULL, NULL, 3, 0, &total);
	assert_seen(s, 0xc0, IDS(7, 6, 4));
	assert_true(0 + s->n < total);
	s = list_contacts(fx, a.id, NULL, NULL, 3, 3, &total);
	assert_seen(s, 0xc0, IDS(5, 2, 1));
	assert_true(3 + s->n < total);
	s = list_contacts(fx, a.id, NULL, NULL, 3, 6, &total);
	assert_seen(s, 0xc0, IDS(3));
	assert_int_equal(total, 7);
	assert_false(6 + s->n < total);
	s = list_contacts(fx, a.id, NULL, NULL, 3, 7, &total);
	assert_int_equal(s->n, 0);
	assert_int_equal(total, 7);
}

static void test_contacts_list_search(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct contact_row c;
	int64_t total = -1;
	static const char *const names[] = {"Ada Lovelace", "GRACE Hopper",    "100% Pure",
	                                    "snake_case",   "O'Brien \"Bob\"", "Percent"};
	static const char *const emails[] = {"ada@Example.COM", "",           "pure@shop.test",
	                                     "snake@x.test",    "bob@x.test", "p100x@x.test"};
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	for (unsigned n = 1; n <= 6; n++) {
		fill_contact(&c, a.id, n, names[n - 1]);
		str_copy_cstr(c.email, sizeof(c.email), emails[n - 1]);
		OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	}
	fill_contact(&c, b.id, 7, "Ada of another account");
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));

	struct {
		const char *search;
		size_t count;
		unsigned want[6];
	} cases[] = {
	    {"ada", 1, {1}},
	    {"LOVELACE", 1, {1}},
	    {"grace hop", 1, {2}},
	    {"example.com", 1, {1}},
	    {"4915"
	     "0000000",
	     6,
	     {6, 5, 4, 3, 2, 1}},
	    {"00000002", 1, {2}},
	    {"x.test", 3, {6, 5, 4}},
	    {"%", 1, {3}},
	    {"100%", 1, {3}},
	    {"_", 1, {4}},
	    {"e_c", 1, {4}},
	    {"'", 1, {5}},
	    {"\"bob\"", 1, {5}},
	    {"a%e", 0, {0}},
	    {"%%", 0, {0}},
	    {"s_a", 0, {0}},
	    {"*", 0, {0}},
	    {"zzz", 0, {0}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct seen *s = list_contacts(fx, a.id, cases[i].search, NULL, 50, 0, &total);
		if (total != (int64_t)cases[i].count)
			fail_msg("search \"%s\": total %lld, want %zu", cases[i].search,
			         (long long)total, cases[i].count);
		assert_seen(s, 0xc0, (int)cases[i].count, cases[i].want);
	}
	/* Search and paging together: total counts every match, the page only its rows. */
	struct seen *s = list_contacts(fx, a.id, "x.test", NULL, 2, 1, &total);
	assert_int_equal(total, 3);
	assert_seen(s, 0xc0, IDS(5, 4));
	s = list_contacts(fx, b.id, "ada", NULL, 50, 0, &total);
	assert_int_equal(total, 1);
	assert_seen(s, 0xc0, IDS(7));
}

static void test_contacts_list_tag_filter(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct contact_row c;
	int64_t total = -1;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	fill_contact(&c, a.id, 1, "Alpha");
	set_tags(&c, 2, (const char *const[]){"vip", "lead"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	fill_contact(&c, a.id, 2, "Beta");
	set_tags(&c, 1, (const char *const[]){"lead"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	fill_contact(&c, a.id, 3, "Gamma");
	set_tags(&c, 1, (const char *const[]){"vip"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	fill_contact(&c, a.id, 4, "Delta");
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	fill_contact(&c, b.id, 5, "Alpha elsewhere");
	set_tags(&c, 1, (const char *const[]){"vip"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));

	struct seen *s = list_contacts(fx, a.id, NULL, "vip", 50, 0, &total);
	assert_int_equal(total, 2);
	assert_seen(s, 0xc0, IDS(3, 1));
	assert_int_equal(s->rows[1].ntags, 2);
	assert_string_equal(s->rows[1].tags[0], "vip");
	assert_string_equal(s->rows[1].tags[1], "lead");
	s = list_contacts(fx, a.id, NULL, "lead", 50, 0, &total);
	assert_seen(s, 0xc0, IDS(2, 1));
	s = list_contacts(fx, a.id, NULL, "vip", 1, 1, &total);
	assert_int_equal(total, 2);
	assert_seen(s, 0xc0, IDS(1));
	s = list_contacts(fx, a.id, "alp", "vip", 50, 0, &total);
	assert_int_equal(total, 1);
	assert_seen(s, 0xc0, IDS(1));
	s = list_contacts(fx, a.id, "gamma", "lead", 50, 0, &total);
	assert_int_equal(total, 0);
	s = list_contacts(fx, a.id, NULL, "VIP", 50, 0, &total); /* exact tag */
	assert_int_equal(total, 0);
	s = list_contacts(fx, a.id, NULL, "vi", 50, 0, &total);
	assert_int_equal(total, 0);
	s = list_contacts(fx, b.id, NULL, "vip", 50, 0, &total);
	assert_int_equal(total, 1);
	assert_seen(s, 0xc0, IDS(5));
}

/* Every contact op given account B's id and account A's contact sees nothing, changes
 * nothing. */
static void test_contacts_tenant_isolation(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct contact_row c, got, evil;
	bool found = true;
	int64_t total = -1;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	fill_contact(&c, a.id, 1, "Ada");
	set_tags(&c, 2, (const char *const[]){"vip", "lead"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));

	ERR(fx, store_contact_get(fx->s, b.id, c.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	OK(fx, store_contact_find_by_phone(fx->s, b.id, c.phone, &got, &found, &fx->e));
	assert_false(found);
	evil = c;
	str_copy_cstr(evil.account_id, sizeof(evil.account_id), b.id);
	str_copy_cstr(evil.name, sizeof(evil.name), "Mallory");
	set_tags(&evil, 1, (const char *const[]){"owned"});
	ERR(fx, store_contact_update(fx->s, &evil, &fx->e), ERR_NOT_FOUND, "CONTACT_NOT_FOUND");
	ERR(fx, store_contact_delete(fx->s, b.id, c.id, &fx->e), ERR_NOT_FOUND,
	    "CONTACT_NOT_FOUND");
	struct seen *s = list_contacts(fx, b.id, NULL, NULL, 50, 0, &total);
	assert_int_equal(total, 0);
	assert_int_equal(s->n, 0);
	list_contacts(fx, b.id, "ada", "vip", 50, 0, &total);
	assert_int_equal(total, 0);
	/* B inserting a row with A's contact id is refused, not merged. */
	ERR(fx, store_contact_insert(fx->s, &evil, &fx->e), ERR_CONFLICT, "ID_EXISTS");

	OK(fx, store_contact_get(fx->s, a.id, c.id, &got, &fx->e));
	assert_same_contact(&got, &c);
	assert_int_equal(tag_rows(fx), 2);
	s = list_contacts(fx, a.id, NULL, NULL, 50, 0, &total);
	assert_int_equal(total, 1);
	assert_same_contact(&s->rows[0], &c);
}

/* Lists inside the caller's transaction see its uncommitted writes and leave it open. */

/* A list inside the caller's transaction sees its uncommitted rows and leaves it open. */
static void test_contacts_list_inside_transaction(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct contact_row c;
	int64_t total = -1;
	store_fixture_new_account(fx, &a);
	OK(fx, store_begin(fx->s, &fx->e));
	fill_contact(&c, a.id, 1, "Uncommitted");
	set_tags(&c, 1, (const char *const[]){"new"});
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	struct seen *s = list_contacts(fx, a.id, NULL, "new", 50, 0, &total);
	assert_int_equal(total, 1);
	assert_same_contact(&s->rows[0], &c);
	fill_contact(&c, a.id, 2, "Second");
	OK(fx, store_contact_insert(fx->s, &c, &fx->e));
	OK(fx, store_commit(fx->s, &fx->e));
	list_contacts(fx, a.id, NULL, NULL, 50, 0, &total);
	assert_int_equal(total, 2);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_contacts_crud),
	    STORE_FIXTURE_MIGRATED(test_contacts_duplicates_and_bad_values),
	    STORE_FIXTURE_MIGRATED(test_contacts_twenty_tags),
	    STORE_FIXTURE_MIGRATED(test_contacts_writes_are_atomic),
	    STORE_FIXTURE_MIGRATED(test_contacts_list_order_and_pages),
	    STORE_FIXTURE_MIGRATED(test_contacts_list_search),
	    STORE_FIXTURE_MIGRATED(test_contacts_list_tag_filter),
	    STORE_FIXTURE_MIGRATED(test_contacts_tenant_isolation),
	    STORE_FIXTURE_MIGRATED(test_contacts_list_inside_transaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
