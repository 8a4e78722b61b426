/* Store: retention and clean-up writes — purging processed webhook bodies and held statuses
 * by age, and failing the queued messages of a removed number (scoped to its account). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store_fixture.h"
#include "wa_fixture.h"

static void test_purge_by_age(void **state)
{
	struct store_fixture *fx = *state;
	const struct store_fixture_backend *b = store_fixture_backend();
	int64_t seq = 0, deleted = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_inbox_insert(fx->s, "{}", 2, 1000 + i, &seq, &fx->e), 0);
	/* Two processed long ago, one processed recently; one still waiting. */
	assert_int_equal(store_inbox_mark_done(fx->s, 1, 1000, &fx->e), 0);
	assert_int_equal(store_inbox_mark_done(fx->s, 2, 5000, &fx->e), 0);
	assert_int_equal(store_inbox_insert(fx->s, "{}", 2, 9000, &seq, &fx->e), 0);
	assert_int_equal(store_inbox_mark_done(fx->s, 3, 100000, &fx->e), 0);
	struct status_update u = {
	    .status = MSG_STATUS_DELIVERED, .timestamp = 1, .pricing_billable = -1};
	snprintf(u.wa_message_id, sizeof(u.wa_message_id), "wamid.NEVER");
	bool applied = true;
	assert_int_equal(store_message_apply_status(fx->s, &u, 2000, &applied, &fx->e), 0);
	assert_false(applied);
	assert_int_equal(store_inbox_purge(fx->s, 6000, 3000, &deleted, &fx->e), 0);
	assert_int_equal(deleted, 3); /* rows 1 and 2, and the held status */
	assert_int_equal(b->count(&fx->db, "SELECT count(*) FROM webhook_inbox"), 2);
	assert_int_equal(b->count(&fx->db, "SELECT count(*) FROM pending_statuses"), 0);
	assert_int_equal(store_inbox_purge(fx->s, 6000, 3000, &deleted, &fx->e), 0);
	assert_int_equal(deleted, 0);
}

static void test_fail_queued_of_removed_number(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world a, other;
	wa_world_new(fx, &a, 1);
	wa_world_new(fx, &other, 2);
	struct message_row m1, m2, m3;
	wa_queue_message(fx, &a, 1, 100, 0, &m1);
	wa_queue_message(fx, &a, 2, 100, 0, &m2);
	wa_queue_message(fx, &other, 3, 100, 0, &m3);
	int count = 0;
	/* Another account's id changes nothing. */
	assert_int_equal(store_message_fail_queued(fx->s, other.a.id, a.n.phone_number_id, 500, 0,
	                                           "Phone number removed", "gone", &count, &fx->e),
	                 0);
	assert_int_equal(count, 0);
	assert_int_equal(store_message_fail_queued(fx->s, a.a.id, a.n.phone_number_id, 500, 0,
	                                           "Phone number removed", "gone", &count, &fx->e),
	                 0);
	assert_int_equal(count, 2);
	const struct message_row *r = wa_get_message(fx, a.a.id, m1.id);
	assert_int_equal(r->status, MSG_STATUS_FAILED);
	assert_int_equal(r->failed_at, 500);
	assert_string_equal(r->error_title, "Phone number removed");
	r = wa_get_message(fx, other.a.id, m3.id);
	assert_int_equal(r->status, MSG_STATUS_QUEUED);
}

int main(void)
{
	if (store_fixture_select() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_purge_by_age),
	    STORE_FIXTURE_MIGRATED(test_fail_queued_of_removed_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
