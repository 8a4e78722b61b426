/* Unit: the simulator's webhook queue (a bounded binary min-heap): events come out in due
 * order with ties in insertion order, a full queue drops the earliest-due event and hands it
 * back, payloads are owned and released, and became_first reports a new head. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sec.h"
#include "core/xalloc.h"
#include "sim/sim_queue.h"

static struct sim_event post_at(int64_t due, const char *text)
{
	struct sim_event ev = {.due_ms = due, .kind = SIM_EVENT_POST};
	ev.u.post.body = xstrdup(text);
	ev.u.post.len = strlen(text);
	return ev;
}

static void test_order(void **state)
{
	struct sim_queue *q = sim_queue_new(1000);
	int64_t dues[500];
	for (int i = 0; i < 500; i++) {
		dues[i] = sec_random_below(100); /* many ties */
		struct sim_event ev = post_at(dues[i], "x");
		ev.u.post.attempts = i; /* remembers the insertion order */
		sim_queue_push(q, &ev, NULL, NULL);
	}
	assert_int_equal(sim_queue_count(q), 500);
	struct sim_event prev = {.due_ms = -1}, ev;
	int n = 0;
	while (sim_queue_pop(q, &ev)) {
		assert_true(ev.due_ms >= prev.due_ms);
		if (ev.due_ms == prev.due_ms)
			assert_true(ev.u.post.attempts > prev.u.post.attempts);
		assert_int_equal(dues[ev.u.post.attempts], ev.due_ms);
		prev = ev;
		sim_queue_event_release(&ev);
		n++;
	}
	assert_int_equal(n, 500);
	assert_null(sim_queue_peek(q));
	sim_queue_free(q);
}

static void test_bound_drops_earliest(void **state)
{
	struct sim_queue *q = sim_queue_new(3);
	struct sim_event ev, dropped;
	bool first = false;
	ev = post_at(30, "c");
	assert_false(sim_queue_push(q, &ev, &dropped, &first));
	assert_true(first);
	ev = post_at(10, "a");
	sim_queue_push(q, &ev, &dropped, &first);
	assert_true(first);
	ev = post_at(20, "b");
	sim_queue_push(q, &ev, &dropped, &first);
	assert_false(first);
	ev = post_at(40, "d");
	assert_true(sim_queue_push(q, &ev, &dropped, &first)); /* full: "a" goes */
	assert_string_equal(dropped.u.post.body, "a");
	sim_queue_event_release(&dropped);
	assert_int_equal(sim_queue_count(q), 3);
	assert_int_equal(sim_queue_peek(q)->due_ms, 20);
	sim_queue_free(q); /* frees b, c, d (checked by the sanitizer build) */
}

static void test_status_payload_released(void **state)
{
	struct sim_queue *q = sim_queue_new(10);
	struct sim_event ev = {.due_ms = 1, .kind = SIM_EVENT_STATUS};
	ev.u.st.biz_opaque = xstrdup("order-4711");
	sim_queue_push(q, &ev, NULL, NULL);
	sim_queue_clear(q);
	assert_int_equal(sim_queue_count(q), 0);
	sim_queue_free(q);
	sim_queue_free(NULL);
}

int main(void)
{
	sec_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order),
	    cmocka_unit_test(test_bound_drops_earliest),
	    cmocka_unit_test(test_status_payload_released),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
