/* Store suite for the WhatsApp rows of migration 0003: the migration itself, phone numbers,
 * conversations and the enum names (messages have test_store_messages.c, the send pipeline
 * test_store_dispatch.c, idempotency and the webhook inbox test_store_inbox.c). Written against
 * store.h only, so every backend must pass it unchanged; the fixture picks the backend from
 * PIXELS_TEST_STORE_BACKEND and gives each test a fresh database. Tenant isolation is tested op by
 * op. */
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
#include "wa_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define ERR(fx, call, code, key) STORE_FIXTURE_ERR(&(fx)->e, call, code, key)

static const struct store_fixture_backend *be;

#define SEEN_MAX 16

/* Ids (and numbers' default flags) a list call handed to its callback, in order. */
struct seen {
	int n;
	char ids[SEEN_MAX][IDS_SIZE];
	bool is_default[SEEN_MAX];
};

static void seen_id(struct seen *s, const char *id)
{
	assert_true(s->n < SEEN_MAX);
	str_copy_cstr(s->ids[s->n++], IDS_SIZE, id);
}

static void seen_number(void *arg, const struct number_row *row)
{
	struct seen *s = arg;
	s->is_default[s->n] = row->is_default;
	seen_id(s, row->id);
}

static void seen_conversation(void *arg, const struct conversation_row *row)
{
	seen_id(arg, row->id);
}

/* Asserts the ids seen are store_fixture_make_id(kind, want[0..count)) in that order. */
static void assert_seen(const struct seen *s, unsigned kind, size_t count, const unsigned *want)
{
	char id[IDS_SIZE];
	assert_int_equal(s->n, count);
	for (size_t i = 0; i < count; i++) {
		store_fixture_make_id(id, kind, want[i]);
		assert_string_equal(s->ids[i], id);
	}
}
#define IDS(...) STORE_FIXTURE_LIST(__VA_ARGS__)

static void assert_same_number(const struct number_row *got, const struct number_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->phone_number_id, want->phone_number_id);
	assert_string_equal(got->waba_id, want->waba_id);
	assert_string_equal(got->display_name, want->display_name);
	assert_string_equal(got->display_phone, want->display_phone);
	assert_string_equal(got->verified_name, want->verified_name);
	assert_string_equal(got->quality_rating, want->quality_rating);
	assert_string_equal(got->access_token_sealed, want->access_token_sealed);
	assert_string_equal(got->app_secret_sealed, want->app_secret_sealed);
	assert_int_equal(got->throughput_mps, want->throughput_mps);
	assert_int_equal(got->is_default, want->is_default);
	assert_int_equal(got->sandbox, want->sandbox);
	assert_int_equal(got->status, want->status);
	assert_string_equal(got->status_reason, want->status_reason);
	assert_int_equal(got->last_tested_at, want->last_tested_at);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

static void assert_same_conversation(const struct conversation_row *got,
                                     const struct conversation_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->phone_number_id, want->phone_number_id);
	assert_string_equal(got->user_phone, want->user_phone);
	assert_string_equal(got->user_name, want->user_name);
	assert_string_equal(got->user_profile_name, want->user_profile_name);
	assert_int_equal(got->last_message_at, want->last_message_at);
	assert_string_equal(got->last_message_preview, want->last_message_preview);
	assert_string_equal(got->last_message_type, want->last_message_type);
	assert_int_equal(got->last_inbound_at, want->last_inbound_at);
	assert_int_equal(got->unread_count, want->unread_count);
	assert_int_equal(got->status, want->status);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

/* ---- migrations ------------------------------------------------------------------------- */

static const char *const wa_tables[] = {"phone_numbers",  "conversations",    "messages",
                                        "message_events", "pending_statuses", "idempotency_keys",
                                        "webhook_inbox",  "template_events"};

static void test_migrate_from_empty(void **state)
{
	struct store_fixture *fx = *state;
	int v = -1;
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, 0);
	OK(fx, store_migrate(fx->s, &fx->e));
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_true(v >= 3);
	assert_int_equal(v, be->expected_version());
	for (size_t i = 0; i < sizeof(wa_tables) / sizeof(wa_tables[0]); i++)
		assert_true(be->table_exists(&fx->db, wa_tables[i]));
}

/* A database at version 2 with data in it is brought up to date without loss. */
static void test_migrate_from_version_2(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, got;
	struct number_row n, back;
	int v = -1;
	be->migrate_to(&fx->db, 2);
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, 2);
	for (size_t i = 0; i < sizeof(wa_tables) / sizeof(wa_tables[0]); i++)
		assert_false(be->table_exists(&fx->db, wa_tables[i]));
	store_fixture_new_account(fx, &a);

	OK(fx, store_migrate(fx->s, &fx->e));
	OK(fx, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, be->expected_version());
	for (size_t i = 0; i < sizeof(wa_tables) / sizeof(wa_tables[0]); i++)
		assert_true(be->table_exists(&fx->db, wa_tables[i]));
	OK(fx, store_account_get(fx->s, a.id, &got, &fx->e));
	wa_fill_number(&n, a.id, 1, 100);
	OK(fx, store_number_insert(fx->s, &n, &fx->e));
	OK(fx, store_number_get(fx->s, a.id, n.id, &back, &fx->e));
	assert_same_number(&back, &n);
}

/* ---- numbers ------------------------------------------------------------------------------ */

static void test_numbers_crud(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a;
	struct number_row n1, n2, got;
	bool found = false;
	store_fixture_new_account(fx, &a);
	wa_fill_number(&n1, a.id, 1, 100);
	n1.is_default = true;
	str_copy_cstr(n1.app_secret_sealed, sizeof(n1.app_secret_sealed), "sealed-secret");
	OK(fx, store_number_insert(fx->s, &n1, &fx->e));
	wa_fill_number(&n2, a.id, 2, 200);
	n2.sandbox = true;
	OK(fx, store_number_insert(fx->s, &n2, &fx->e));

	OK(fx, store_number_get(fx->s, a.id, n1.id, &got, &fx->e));
	assert_same_number(&got, &n1);
	OK(fx, store_number_find(fx->s, a.id, n2.phone_number_id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_number(&got, &n2);
	OK(fx, store_number_find_global(fx->s, n2.phone_number_id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_number(&got, &n2);
	OK(fx, store_number_find_global(fx->s, "999", &got, &found, &fx->e));
	assert_false(found);
	OK(fx, store_number_find_default(fx->s, a.id, &got, &found, &fx->e));
	assert_true(found);
	assert_same_number(&got, &n1);

	/* Every field but id, account, Meta's id and created_at is replaced. */
	struct number_row change = n2;
	str_copy_cstr(change.phone_number_id, sizeof(change.phone_number_id), "777");
	str_copy_cstr(change.display_name, sizeof(change.display_name), "Support");
	str_copy_cstr(change.quality_rating, sizeof(change.quality_rating), "YELLOW");
	str_copy_cstr(change.access_token_sealed, sizeof(change.access_token_sealed), "rotated");
	change.throughput_mps = 250;
	change.sandbox = false;
	change.status = NUMBER_STATUS_REAUTH;
	str_copy_cstr(change.status_reason, sizeof(change.status_reason), "token expired (190)");
	change.last_tested_at = 900;
	change.updated_at = 1000;
	OK(fx, store_number_update(fx->s, &change, &fx->e));
	str_copy_cstr(change.phone_number_id, sizeof(change.phone_number_id), n2.phone_number_id);
	OK(fx, store_number_get(fx->s, a.id, n2.id, &got, &fx->e));
	assert_same_number(&got, &change);

	OK(fx, store_number_delete(fx->s, a.id, n2.id, &fx->e));
	ERR(fx, store_number_get(fx->s, a.id, n2.id, &got, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	ERR(fx, store_number_delete(fx->s, a.id, n2.id, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	ERR(fx, store_number_update(fx->s, &change, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	/* Meta's id is free again once its number is gone. */
	wa_fill_number(&n2, a.id, 2, 300);
	store_fixture_make_id(n2.id, WA_KIND_NUMBER, 3);
	OK(fx, store_number_insert(fx->s, &n2, &fx->e));
}

static void test_numbers_duplicates_and_bad_values(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct number_row n, dup;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	wa_fill_number(&n, a.id, 1, 100);
	OK(fx, store_number_insert(fx->s, &n, &fx->e));

	/* Meta's id is unique across accounts: another account cannot connect it. */
	wa_fill_number(&dup, b.id, 1, 100);
	store_fixture_make_id(dup.id, WA_KIND_NUMBER, 2);
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "PHONE_NUMBER_IN_USE");
	str_copy_cstr(dup.account_id, sizeof(dup.account_id), a.id);
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "PHONE_NUMBER_IN_USE");
	wa_fill_number(&dup, b.id, 3, 100);
	str_copy_cstr(dup.id, sizeof(dup.id), n.id);
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "ID_EXISTS");

	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	wa_fill_number(&dup, missing, 4, 100);
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
	wa_fill_number(&dup, a.id, 4, 100);
	memset(dup.access_token_sealed, 'x', sizeof(dup.access_token_sealed));
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	wa_fill_number(&dup, a.id, 4, 100);
	dup.phone_number_id[0] = '\0';
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	wa_fill_number(&dup, a.id, 4, 100);
	dup.status = (enum number_status)7;
	ERR(fx, store_number_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM phone_numbers"), 1);
}

static bool is_default(struct store_fixture *fx, const char *account_id, const char *id)
{
	struct number_row got;
	OK(fx, store_number_get(fx->s, account_id, id, &got, &fx->e));
	return got.is_default;
}

/* One default per account: inserting, updating or setting a default moves the flag, and a
 * failed switch leaves the old default in place. */
static void test_numbers_default_switching(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct number_row n1, n2, n3, nb, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	wa_fill_number(&nb, b.id, 9, 50);
	nb.is_default = true;
	OK(fx, store_number_insert(fx->s, &nb, &fx->e));
	wa_fill_number(&n1, a.id, 1, 100);
	OK(fx, store_number_insert(fx->s, &n1, &fx->e));
	OK(fx, store_number_find_default(fx->s, a.id, &got, &found, &fx->e));
	assert_false(found);

	OK(fx, store_number_set_default(fx->s, a.id, n1.id, 150, &fx->e));
	assert_true(is_default(fx, a.id, n1.id));
	OK(fx, store_number_set_default(fx->s, a.id, n1.id, 160, &fx->e)); /* idempotent */
	wa_fill_number(&n2, a.id, 2, 200);
	n2.is_default = true;
	OK(fx, store_number_insert(fx->s, &n2, &fx->e));
	assert_false(is_default(fx, a.id, n1.id));
	assert_true(is_default(fx, a.id, n2.id));
	wa_fill_number(&n3, a.id, 3, 300);
	OK(fx, store_number_insert(fx->s, &n3, &fx->e));

	OK(fx, store_number_set_default(fx->s, a.id, n3.id, 400, &fx->e));
	struct seen s = {0};
	OK(fx, store_number_list(fx->s, a.id, seen_number, &s, &fx->e));
	assert_seen(&s, WA_KIND_NUMBER, IDS(1, 2, 3));
	assert_false(s.is_default[0]);
	assert_false(s.is_default[1]);
	assert_true(s.is_default[2]);
	OK(fx, store_number_get(fx->s, a.id, n2.id, &got, &fx->e));
	assert_int_equal(got.updated_at, 400);

	/* Another account's number (or none) cannot become the default; nothing changes. */
	ERR(fx, store_number_set_default(fx->s, a.id, nb.id, 500, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	assert_true(is_default(fx, a.id, n3.id));
	assert_true(is_default(fx, b.id, nb.id));
	ERR(fx, store_number_set_default(fx->s, b.id, n1.id, 500, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	assert_true(is_default(fx, b.id, nb.id));

	/* An update that sets the flag moves it too; the failed one (unknown row) does not. */
	n1.is_default = true;
	n1.updated_at = 600;
	OK(fx, store_number_update(fx->s, &n1, &fx->e));
	assert_true(is_default(fx, a.id, n1.id));
	assert_false(is_default(fx, a.id, n3.id));
	struct number_row ghost;
	wa_fill_number(&ghost, a.id, 8, 100);
	ghost.is_default = true;
	ERR(fx, store_number_update(fx->s, &ghost, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	assert_true(is_default(fx, a.id, n1.id));
}

static void test_numbers_status_and_lists(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct number_row n, got;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	wa_fill_number(&n, b.id, 4, 50);
	OK(fx, store_number_insert(fx->s, &n, &fx->e));
	wa_fill_number(&n, a.id, 2, 300);
	OK(fx, store_number_insert(fx->s, &n, &fx->e));
	wa_fill_number(&n, a.id, 3, 100);
	OK(fx, store_number_insert(fx->s, &n, &fx->e));
	wa_fill_number(&n, a.id, 1, 300);
	OK(fx, store_number_insert(fx->s, &n, &fx->e));

	struct seen s = {0};
	OK(fx, store_number_list(fx->s, a.id, seen_number, &s, &fx->e));
	assert_seen(&s, WA_KIND_NUMBER, IDS(3, 1, 2));
	memset(&s, 0, sizeof(s));
	OK(fx, store_number_list(fx->s, NULL, seen_number, &s, &fx->e));
	assert_seen(&s, WA_KIND_NUMBER, IDS(4, 3, 1, 2));

	OK(fx, store_number_set_status(fx->s, n.phone_number_id, NUMBER_STATUS_PAUSED,
	                               "spam limit reached", 700, &fx->e));
	OK(fx, store_number_get(fx->s, a.id, n.id, &got, &fx->e));
	assert_int_equal(got.status, NUMBER_STATUS_PAUSED);
	assert_string_equal(got.status_reason, "spam limit reached");
	assert_int_equal(got.updated_at, 700);
	OK(fx, store_number_set_status(fx->s, n.phone_number_id, NUMBER_STATUS_ACTIVE, NULL, 800,
	                               &fx->e));
	OK(fx, store_number_get(fx->s, a.id, n.id, &got, &fx->e));
	assert_int_equal(got.status, NUMBER_STATUS_ACTIVE);
	assert_string_equal(got.status_reason, "");
	ERR(fx, store_number_set_status(fx->s, "404", NUMBER_STATUS_PAUSED, "x", 1, &fx->e),
	    ERR_NOT_FOUND, "PHONE_NUMBER_NOT_FOUND");
}

static void test_numbers_tenant_scoping(void **state)
{
	struct store_fixture *fx = *state;
	struct account_row a, b;
	struct number_row n, got;
	bool found = true;
	store_fixture_new_account(fx, &a);
	store_fixture_new_account(fx, &b);
	wa_fill_number(&n, a.id, 1, 100);
	n.is_default = true;
	OK(fx, store_number_insert(fx->s, &n, &fx->e));

	ERR(fx, store_number_get(fx->s, b.id, n.id, &got, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	OK(fx, store_number_find(fx->s, b.id, n.phone_number_id, &got, &found, &fx->e));
	assert_false(found);
	OK(fx, store_number_find_default(fx->s, b.id, &got, &found, &fx->e));
	assert_false(found);
	struct number_row evil = n;
	str_copy_cstr(evil.account_id, sizeof(evil.account_id), b.id);
	str_copy_cstr(evil.display_name, sizeof(evil.display_name), "Mallory");
	ERR(fx, store_number_update(fx->s, &evil, &fx->e), ERR_NOT_FOUND, "PHONE_NUMBER_NOT_FOUND");
	ERR(fx, store_number_delete(fx->s, b.id, n.id, &fx->e), ERR_NOT_FOUND,
	    "PHONE_NUMBER_NOT_FOUND");
	struct seen s = {0};
	OK(fx, store_number_list(fx->s, b.id, seen_number, &s, &fx->e));
	assert_int_equal(s.n, 0);
	OK(fx, store_number_get(fx->s, a.id, n.id, &got, &fx->e));
	assert_same_number(&got, &n);
}

/* ---- conversations -------------------------------------------------------------------- */

static void test_conversations_crud(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct conversation_row c, got;
	bool found = false;
	wa_world_new(fx, &w, 1);
	OK(fx, store_conversation_get(fx->s, w.a.id, w.c.id, &got, &fx->e));
	assert_same_conversation(&got, &w.c);
	OK(fx, store_conversation_find(fx->s, w.a.id, w.n.phone_number_id, w.c.user_phone, &got,
	                               &found, &fx->e));
	assert_true(found);
	assert_same_conversation(&got, &w.c);
	OK(fx, store_conversation_find(fx->s, w.a.id, "42", w.c.user_phone, &got, &found, &fx->e));
	assert_false(found);

	/* Mutable fields are replaced; number, customer and created_at are not. */
	c = w.c;
	str_copy_cstr(c.user_name, sizeof(c.user_name), "Ada L.");
	str_copy_cstr(c.user_profile_name, sizeof(c.user_profile_name), "ada");
	c.last_message_at = c.last_inbound_at = 5000;
	str_copy_cstr(c.last_message_preview, sizeof(c.last_message_preview), "Where is my order?");
	str_copy_cstr(c.last_message_type, sizeof(c.last_message_type), "image");
	c.unread_count = 3;
	c.status = CONV_STATUS_CLOSED;
	c.updated_at = 5001;
	OK(fx, store_conversation_update(fx->s, &c, &fx->e));
	OK(fx, store_conversation_get(fx->s, w.a.id, c.id, &got, &fx->e));
	assert_same_conversation(&got, &c);

	/* One per (account, number, customer). */
	wa_fill_conversation(&c, w.a.id, w.n.phone_number_id, 1, 10);
	store_fixture_make_id(c.id, WA_KIND_CONV, 2);
	ERR(fx, store_conversation_insert(fx->s, &c, &fx->e), ERR_CONFLICT, "CONVERSATION_EXISTS");
	str_copy_cstr(c.phone_number_id, sizeof(c.phone_number_id), "1000000000777");
	OK(fx, store_conversation_insert(fx->s, &c, &fx->e));
	wa_fill_conversation(&c, w.a.id, w.n.phone_number_id, 3, 10);
	str_copy_cstr(c.id, sizeof(c.id), w.c.id);
	ERR(fx, store_conversation_insert(fx->s, &c, &fx->e), ERR_CONFLICT, "ID_EXISTS");
	wa_fill_conversation(&c, w.a.id, w.n.phone_number_id, 3, 10);
	str_copy_cstr(c.user_phone, sizeof(c.user_phone), "49-151");
	ERR(fx, store_conversation_insert(fx->s, &c, &fx->e), ERR_CONFLICT, "CONSTRAINT_VIOLATION");
	wa_fill_conversation(&c, w.a.id, w.n.phone_number_id, 3, 10);
	memset(c.last_message_preview, 'p', sizeof(c.last_message_preview));
	ERR(fx, store_conversation_insert(fx->s, &c, &fx->e), ERR_INVALID, "VALUE_TOO_LONG");
	wa_fill_conversation(&c, w.a.id, w.n.phone_number_id, 4, 10);
	store_fixture_make_id(c.id, WA_KIND_CONV, 4);
	c.id[0] = 'z';
	ERR(fx, store_conversation_get(fx->s, w.a.id, c.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONVERSATION_NOT_FOUND");
	ERR(fx, store_conversation_update(fx->s, &c, &fx->e), ERR_NOT_FOUND,
	    "CONVERSATION_NOT_FOUND");
}

static struct seen list_convs(struct store_fixture *fx, const char *account_id, const char *search,
                              const char *pnid, int status, int64_t limit, int64_t offset,
                              int64_t *total)
{
	struct seen s = {0};
	struct conversation_filter f = {search, pnid, status, limit, offset};
	*total = -1;
	OK(fx,
	   store_conversation_list(fx->s, account_id, &f, seen_conversation, &s, total, &fx->e));
	return s;
}

static void test_conversations_list(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct conversation_row c;
	int64_t total = 0;
	static const int64_t last[] = {0, 300, 100, 300, 500, 200};
	wa_world_new(fx, &w, 1); /* conversation 1, last_message_at 1000 */
	for (unsigned k = 2; k <= 6; k++) {
		wa_fill_conversation(&c, w.a.id, k == 6 ? "555" : w.n.phone_number_id, k,
		                     last[k - 1]);
		if (k == 3)
			str_copy_cstr(c.user_profile_name, sizeof(c.user_profile_name),
			              "100% ADA_x");
		c.status = k == 4 ? CONV_STATUS_CLOSED : CONV_STATUS_OPEN;
		OK(fx, store_conversation_insert(fx->s, &c, &fx->e));
	}
	struct seen s = list_convs(fx, w.a.id, NULL, NULL, -1, 50, 0, &total);
	assert_int_equal(total, 6);
	assert_seen(&s, WA_KIND_CONV, IDS(1, 5, 4, 2, 6, 3));
	s = list_convs(fx, w.a.id, NULL, NULL, -1, 2, 2, &total);
	assert_int_equal(total, 6);
	assert_seen(&s, WA_KIND_CONV, IDS(4, 2));
	s = list_convs(fx, w.a.id, NULL, NULL, -1, 2, 6, &total);
	assert_int_equal(total, 6);
	assert_int_equal(s.n, 0);

	/* Search: case-insensitive plain text in phone, name or profile name. */
	s = list_convs(fx, w.a.id, "customer 5", NULL, -1, 50, 0, &total);
	assert_int_equal(total, 1);
	assert_seen(&s, WA_KIND_CONV, IDS(5));
	s = list_convs(fx, w.a.id, "00000004", NULL, -1, 50, 0, &total);
	assert_seen(&s, WA_KIND_CONV, IDS(4));
	s = list_convs(fx, w.a.id, "% ada_", NULL, -1, 50, 0, &total);
	assert_int_equal(total, 1);
	assert_seen(&s, WA_KIND_CONV, IDS(3));
	s = list_convs(fx, w.a.id, "%", NULL, -1, 50, 0, &total);
	assert_seen(&s, WA_KIND_CONV, IDS(3));
	s = list_convs(fx, w.a.id, "_", NULL, -1, 50, 0, &total);
	assert_seen(&s, WA_KIND_CONV, IDS(3));

	s = list_convs(fx, w.a.id, NULL, "555", -1, 50, 0, &total);
	assert_int_equal(total, 1);
	assert_seen(&s, WA_KIND_CONV, IDS(6));
	s = list_convs(fx, w.a.id, NULL, NULL, CONV_STATUS_CLOSED, 50, 0, &total);
	assert_seen(&s, WA_KIND_CONV, IDS(4));
	s = list_convs(fx, w.a.id, "profile", w.n.phone_number_id, CONV_STATUS_OPEN, 2, 0, &total);
	assert_int_equal(total, 3);
	assert_seen(&s, WA_KIND_CONV, IDS(1, 5));
}

static void test_conversations_tenant_scoping(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	struct account_row b;
	struct conversation_row got, evil;
	bool found = true;
	int64_t total = 0;
	wa_world_new(fx, &w, 1);
	store_fixture_new_account(fx, &b);
	ERR(fx, store_conversation_get(fx->s, b.id, w.c.id, &got, &fx->e), ERR_NOT_FOUND,
	    "CONVERSATION_NOT_FOUND");
	OK(fx, store_conversation_find(fx->s, b.id, w.n.phone_number_id, w.c.user_phone, &got,
	                               &found, &fx->e));
	assert_false(found);
	evil = w.c;
	str_copy_cstr(evil.account_id, sizeof(evil.account_id), b.id);
	evil.unread_count = 99;
	ERR(fx, store_conversation_update(fx->s, &evil, &fx->e), ERR_NOT_FOUND,
	    "CONVERSATION_NOT_FOUND");
	struct seen s = list_convs(fx, b.id, NULL, NULL, -1, 50, 0, &total);
	assert_int_equal(total, 0);
	assert_int_equal(s.n, 0);
	/* B may hold its own conversation with the same customer on the same number id. */
	store_fixture_make_id(evil.id, WA_KIND_CONV, 2);
	OK(fx, store_conversation_insert(fx->s, &evil, &fx->e));
	OK(fx, store_conversation_get(fx->s, w.a.id, w.c.id, &got, &fx->e));
	assert_same_conversation(&got, &w.c);
}

/* ---- names ------------------------------------------------------------------------------ */

static void test_enum_names_and_ranks(void **state)
{
	(void)state;
	static const char *const msg[] = {"queued", "sending",   "accepted", "sent",
	                                  "failed", "delivered", "read",     "received"};
	enum msg_status ms;
	enum number_status ns;
	enum conv_status cs;
	for (int i = 0; i < 8; i++) {
		assert_string_equal(store_msg_status_name((enum msg_status)i), msg[i]);
		assert_int_equal(store_msg_status_parse(msg[i], &ms), 0);
		assert_int_equal(ms, i);
	}
	assert_string_equal(store_msg_status_name((enum msg_status)8), "unknown");
	assert_int_equal(store_msg_status_parse("Read", &ms), -1);
	assert_int_equal(store_msg_status_parse(NULL, &ms), -1);
	/* queued = sending < accepted < sent < failed < delivered < read */
	assert_int_equal(store_msg_rank(MSG_STATUS_QUEUED), store_msg_rank(MSG_STATUS_SENDING));
	assert_true(store_msg_rank(MSG_STATUS_SENDING) < store_msg_rank(MSG_STATUS_ACCEPTED));
	assert_true(store_msg_rank(MSG_STATUS_ACCEPTED) < store_msg_rank(MSG_STATUS_SENT));
	assert_true(store_msg_rank(MSG_STATUS_SENT) < store_msg_rank(MSG_STATUS_FAILED));
	assert_true(store_msg_rank(MSG_STATUS_FAILED) < store_msg_rank(MSG_STATUS_DELIVERED));
	assert_true(store_msg_rank(MSG_STATUS_DELIVERED) < store_msg_rank(MSG_STATUS_READ));
	assert_int_equal(store_msg_rank((enum msg_status)99), -1);

	assert_string_equal(store_number_status_name(NUMBER_STATUS_ACTIVE), "active");
	assert_string_equal(store_number_status_name(NUMBER_STATUS_REAUTH), "reauth");
	assert_string_equal(store_number_status_name(NUMBER_STATUS_PAUSED), "paused");
	assert_int_equal(store_number_status_parse("paused", &ns), 0);
	assert_int_equal(ns, NUMBER_STATUS_PAUSED);
	assert_int_equal(store_number_status_parse("stopped", &ns), -1);
	assert_string_equal(store_conv_status_name(CONV_STATUS_CLOSED), "closed");
	assert_int_equal(store_conv_status_parse("open", &cs), 0);
	assert_int_equal(cs, CONV_STATUS_OPEN);
	assert_int_equal(store_conv_status_parse("", &cs), -1);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
#define EMPTY(t)                                                                                   \
	cmocka_unit_test_setup_teardown(t, store_fixture_setup_empty, store_fixture_teardown)
	const struct CMUnitTest tests[] = {
	    EMPTY(test_migrate_from_empty),
	    EMPTY(test_migrate_from_version_2),
	    STORE_FIXTURE_MIGRATED(test_numbers_crud),
	    STORE_FIXTURE_MIGRATED(test_numbers_duplicates_and_bad_values),
	    STORE_FIXTURE_MIGRATED(test_numbers_default_switching),
	    STORE_FIXTURE_MIGRATED(test_numbers_status_and_lists),
	    STORE_FIXTURE_MIGRATED(test_numbers_tenant_scoping),
	    STORE_FIXTURE_MIGRATED(test_conversations_crud),
	    STORE_FIXTURE_MIGRATED(test_conversations_list),
	    STORE_FIXTURE_MIGRATED(test_conversations_tenant_scoping),
	    cmocka_unit_test(test_enum_names_and_ranks),
	};
#undef EMPTY
	return cmocka_run_group_tests(tests, NULL, NULL);
}
