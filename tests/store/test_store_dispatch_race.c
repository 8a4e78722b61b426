/* Store suite for the send pipeline under concurrency (migration 0003): threads, each with
 * its own handle on one database, (1) claim from the same queue: no message is claimed
 * twice and none is lost; (2) record sends while status reports for the same wamids arrive:
 * whichever comes first, every report ends up applied exactly once and none stays held.
 * Outcomes are checked through store.h and row counts, never through timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sec.h"
#include "core/str.h"
#include "store/store.h"
#include "store_fixture.h"
#include "wa_fixture.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)

static const struct store_fixture_backend *be;

#define RACE_MESSAGES 500

/* One thread's work: its own handle on url, started together with the other through start. */
struct job {
	const char *url;
	pthread_barrier_t *start;
	const struct wa_world *w;
	int rc;
	struct err e;
	int n;                             /* claimed so far */
	char ids[RACE_MESSAGES][IDS_SIZE]; /* claimed ids */
};

static void on_claim(void *arg, const struct claimed_message *m)
{
	struct job *job = arg;
	if (job->n < RACE_MESSAGES)
		str_copy_cstr(job->ids[job->n], IDS_SIZE, m->id);
	job->n++;
}

/* Claims small batches until a claim finds nothing due. */
static void *claim_thread(void *arg)
{
	struct job *job = arg;
	struct store *s = NULL;
	job->rc = store_open(job->url, &s, &job->e);
	pthread_barrier_wait(job->start);
	while (job->rc == 0) {
		int before = job->n;
		struct claim_want want = {.max = 7};
		str_copy_cstr(want.phone_number_id, sizeof(want.phone_number_id),
		              job->w->n.phone_number_id);
		job->rc = store_message_claim_numbers(s, 5000, &want, 1, on_claim, job, &job->e);
		if (job->n == before)
			break;
	}
	store_close(s);
	return NULL;
}

/* Runs fn in two threads on fx's database and fails the test if either reported an error. */
static void run_pair(struct store_fixture *fx, const struct wa_world *w, struct job *jobs,
                     void *(*fn0)(void *), void *(*fn1)(void *))
{
	pthread_t threads[2];
	pthread_barrier_t start;
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	for (int i = 0; i < 2; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].url = fx->db.url;
		jobs[i].start = &start;
		jobs[i].w = w;
	}
	assert_int_equal(pthread_create(&threads[0], NULL, fn0, &jobs[0]), 0);
	assert_int_equal(pthread_create(&threads[1], NULL, fn1, &jobs[1]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < 2; i++)
		if (jobs[i].rc != 0)
			fail_msg("thread %d: %s: %s", i, jobs[i].e.key, jobs[i].e.message);
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void queue_all(struct store_fixture *fx, const struct wa_world *w)
{
	OK(fx, store_begin(fx->s, &fx->e));
	for (unsigned k = 1; k <= RACE_MESSAGES; k++)
		wa_queue_message(fx, w, k, 100 + k % 17, (int)(k % 2), NULL);
	OK(fx, store_commit(fx->s, &fx->e));
}

static void test_claim_concurrently(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	static struct job jobs[2];
	static char all[RACE_MESSAGES][IDS_SIZE];
	wa_world_new(fx, &w, 1);
	queue_all(fx, &w);
	run_pair(fx, &w, jobs, claim_thread, claim_thread);

	int n = 0;
	for (int i = 0; i < 2; i++) {
		assert_true(n + jobs[i].n <= RACE_MESSAGES);
		memcpy(all[n], jobs[i].ids, (size_t)jobs[i].n * IDS_SIZE);
		n += jobs[i].n;
	}
	assert_int_equal(n, RACE_MESSAGES);
	qsort(all, RACE_MESSAGES, IDS_SIZE, cmp_ids);
	for (int i = 1; i < RACE_MESSAGES; i++)
		assert_string_not_equal(all[i - 1], all[i]);
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM messages "
	                                    "WHERE status = 'sending' AND attempts = 1"),
	                 RACE_MESSAGES);
}

/* Records ACCEPTED with wamid.<k> at 1000 + k for every message. */
static void *accept_thread(void *arg)
{
	struct job *job = arg;
	struct store *s = NULL;
	struct send_result r;
	job->rc = store_open(job->url, &s, &job->e);
	pthread_barrier_wait(job->start);
	for (unsigned k = 1; job->rc == 0 && k <= RACE_MESSAGES; k++) {
		memset(&r, 0, sizeof(r));
		str_copy_cstr(r.account_id, sizeof(r.account_id), job->w->a.id);
		store_fixture_make_id(r.message_id, WA_KIND_MESSAGE, k);
		r.outcome = SEND_ACCEPTED;
		snprintf(r.wa_message_id, sizeof(r.wa_message_id), "wamid.%u", k);
		r.at = 1000 + k;
		job->rc = store_message_record_send(s, &r, &job->e);
	}
	store_close(s);
	return NULL;
}

/* Reports DELIVERED for wamid.<k> at 2000 + k; counts in n the reports applied at once. */
static void *report_thread(void *arg)
{
	struct job *job = arg;
	struct store *s = NULL;
	struct status_update u;
	bool applied = false;
	job->rc = store_open(job->url, &s, &job->e);
	pthread_barrier_wait(job->start);
	for (unsigned k = 1; job->rc == 0 && k <= RACE_MESSAGES; k++) {
		memset(&u, 0, sizeof(u));
		snprintf(u.wa_message_id, sizeof(u.wa_message_id), "wamid.%u", k);
		u.status = MSG_STATUS_DELIVERED;
		u.timestamp = 2000 + k;
		u.pricing_billable = -1;
		job->rc = store_message_apply_status(s, &u, 3000, &applied, &job->e);
		job->n += applied;
	}
	store_close(s);
	return NULL;
}

static void test_accept_races_status_reports(void **state)
{
	struct store_fixture *fx = *state;
	struct wa_world w;
	static struct job jobs[2];
	struct message_row m;
	wa_world_new(fx, &w, 1);
	queue_all(fx, &w);
	run_pair(fx, &w, jobs, accept_thread, report_thread);

	for (unsigned k = 1; k <= RACE_MESSAGES; k++) {
		char id[IDS_SIZE];
		store_fixture_make_id(id, WA_KIND_MESSAGE, k);
		OK(fx, store_message_get(fx->s, w.a.id, id, &m, &fx->e));
		assert_int_equal(m.status, MSG_STATUS_DELIVERED);
		assert_int_equal(m.accepted_at, 1000 + k);
		assert_int_equal(m.delivered_at, 2000 + k);
	}
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM pending_statuses"), 0);
	assert_int_equal(be->count(&fx->db, "SELECT count(*) FROM message_events"),
	                 2 * RACE_MESSAGES);
	print_message("%d of %d reports found their wamid at once\n", jobs[1].n, RACE_MESSAGES);
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	be = store_fixture_backend();
	const struct CMUnitTest tests[] = {
	    STORE_FIXTURE_MIGRATED(test_claim_concurrently),
	    STORE_FIXTURE_MIGRATED(test_accept_races_status_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
