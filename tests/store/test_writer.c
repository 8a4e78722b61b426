/* The group-commit writer (svc/writer.c) over a real database: a failing job undoes only its
 * own writes; asynchronous jobs complete in submission order once their batch is committed;
 * a synchronous job's writes are visible to another handle when writer_run returns; and
 * writer_free completes every queued job before it returns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/sec.h"
#include "store/store.h"
#include "store_fixture.h"
#include "svc/writer.h"

#define OK(fx, call) STORE_FIXTURE_OK(&(fx)->e, call)
#define JOBS 100

/* One job: inserts account a, then fails when fail is set (so its insert must be undone). */
struct job {
	int k;
	struct account_row a;
	bool fail;
	int rc; /* as reported to done */
};

/* What the done callbacks saw, in order. */
struct completions {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int n;
	int order[JOBS];
};

static struct completions done_log;

static void fill_account(struct account_row *a, unsigned k)
{
	memset(a, 0, sizeof(*a));
	ids_new(clock_real_ms(), a->id);
	snprintf(a->name, sizeof(a->name), "Writer test %u", k);
	snprintf(a->email, sizeof(a->email), "writer-%u-%s@acme.test", k, a->id);
	a->status = ACCOUNT_STATUS_ACTIVE;
	a->created_at = a->updated_at = 1700000000000;
}

static int insert_job(struct store *s, void *arg, struct err *e)
{
	struct job *j = arg;
	int rc = store_account_insert(s, &j->a, e);
	if (rc == 0 && j->fail)
		return err_set(e, ERR_CONFLICT, "TEST_FAILURE", "this job fails after its insert");
	return rc;
}

static void on_done(void *arg, int rc, const struct err *e)
{
	(void)e;
	struct job *j = arg;
	j->rc = rc;
	pthread_mutex_lock(&done_log.lock);
	done_log.order[done_log.n++] = j->k;
	pthread_cond_broadcast(&done_log.cond);
	pthread_mutex_unlock(&done_log.lock);
}

static void wait_done(int n)
{
	pthread_mutex_lock(&done_log.lock);
	while (done_log.n < n)
		pthread_cond_wait(&done_log.cond, &done_log.lock);
	pthread_mutex_unlock(&done_log.lock);
}

static bool exists(struct store_fixture *fx, const char *id)
{
	struct account_row got;
	struct err e = {0};
	return store_account_get(fx->s, id, &got, &e) == 0;
}

static int setup(void **state)
{
	memset(&done_log, 0, sizeof(done_log));
	pthread_mutex_init(&done_log.lock, NULL);
	pthread_cond_init(&done_log.cond, NULL);
	return store_fixture_setup_migrated(state);
}

/* Submits JOBS asynchronous inserts to w; those with k % fail_every == fail_at fail. */
static void submit_all(struct store_fixture *fx, struct writer *w, struct job *jobs,
                       unsigned fail_every, unsigned fail_at)
{
	for (unsigned k = 0; k < JOBS; k++) {
		fill_account(&jobs[k].a, k);
		jobs[k].k = (int)k;
		jobs[k].fail = fail_every && k % fail_every == fail_at;
		OK(fx, writer_submit(w, insert_job, &jobs[k], on_done, &fx->e));
	}
}

static void test_failing_job_undoes_only_itself(void **state)
{
	struct store_fixture *fx = *state;
	struct writer *w = NULL;
	OK(fx, writer_new(fx->db.url, &w, &fx->e));
	static struct job jobs[JOBS];
	submit_all(fx, w, jobs, 7, 3);
	wait_done(JOBS);
	for (int k = 0; k < JOBS; k++) {
		assert_int_equal(done_log.order[k], k); /* submission (= commit) order */
		assert_int_equal(jobs[k].rc, jobs[k].fail ? ERR_CONFLICT : 0);
		assert_int_equal(exists(fx, jobs[k].a.id), !jobs[k].fail);
	}

	/* A synchronous job: committed and visible elsewhere when writer_run returns. */
	struct job sync = {0};
	fill_account(&sync.a, JOBS);
	OK(fx, writer_run(w, insert_job, &sync, &fx->e));
	assert_true(exists(fx, sync.a.id));
	sync.fail = true;
	fill_account(&sync.a, JOBS + 1);
	struct err e = {0};
	assert_int_equal(writer_run(w, insert_job, &sync, &e), ERR_CONFLICT);
	assert_string_equal(e.key, "TEST_FAILURE");
	assert_false(exists(fx, sync.a.id));
	writer_free(w);
}

static void test_free_completes_queued_jobs(void **state)
{
	struct store_fixture *fx = *state;
	struct writer *w = NULL;
	OK(fx, writer_new(fx->db.url, &w, &fx->e));
	static struct job jobs[JOBS];
	submit_all(fx, w, jobs, 0, 0);
	writer_free(w); /* no waiting first */
	assert_int_equal(done_log.n, JOBS);
	for (int k = 0; k < JOBS; k++)
		assert_true(exists(fx, jobs[k].a.id));
}

int main(void)
{
	if (store_fixture_select() != 0 || sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_failing_job_undoes_only_itself, setup,
	                                    store_fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_free_completes_queued_jobs, setup,
	                                    store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
