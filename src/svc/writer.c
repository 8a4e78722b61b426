/* Group commit writer; see writer.h. Synchronous jobs live on their callers' stacks: the
 * queue holds pointers, and a caller does not return (so its job stays valid) until the
 * writer marked the job done. Asynchronous jobs are heap-allocated; after their batch the
 * completer thread calls their done callbacks and frees them. */
#include "svc/writer.h"

#include <pthread.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"

#define WRITER_MAX_BATCH 1024

struct writer_job {
	writer_job_fn fn;
	void *arg;
	/* Asynchronous jobs: called after the commit; the job is heap-allocated and freed by
	 * the writer. Synchronous jobs (NULL) live on their caller's stack. */
	void (*on_done)(void *arg, int rc, const struct err *e);
	struct err err;
	int rc;
	bool done;
	pthread_cond_t cond; /* only this job's caller waits on it: no thundering herd */
	struct writer_job *next;
};

struct writer {
	struct store *store;
	pthread_t thread;
	pthread_t completer; /* runs the asynchronous jobs' done callbacks */
	pthread_mutex_t lock;
	pthread_cond_t work;      /* jobs queued, or stopping */
	pthread_cond_t completed; /* asynchronous jobs finished, or the writer has stopped */
	struct writer_job *head, *tail;
	struct writer_job *done_head, *done_tail; /* finished asynchronous jobs, in commit order */
	bool stopping;
	bool writer_stopped;
	long long batches, jobs;
};

/* Takes up to WRITER_MAX_BATCH queued jobs; NULL when stopping with nothing queued. */
static struct writer_job *take_batch(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->head && !w->stopping)
		pthread_cond_wait(&w->work, &w->lock);
	struct writer_job *first = w->head, *last = first;
	int n = first ? 1 : 0;
	while (last && last->next && n < WRITER_MAX_BATCH) {
		last = last->next;
		n++;
	}
	if (last) {
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
	}
	pthread_mutex_unlock(&w->lock);
	return first;
}

static void run_job(struct writer *w, struct writer_job *j)
{
	j->rc = store_job_begin(w->store, &j->err);
	if (j->rc == 0) {
		j->rc = j->fn(w->store, j->arg, &j->err);
		int end = store_job_end(w->store, j->rc == 0, j->rc == 0 ? &j->err : NULL);
		if (j->rc == 0)
			j->rc = end;
	}
}

static void run_batch(struct writer *w, struct writer_job *batch)
{
	struct err e = {0};
	int rc = store_begin(w->store, &e);
	long long n = 0;
	for (struct writer_job *j = batch; j; j = j->next, n++)
		if (rc == 0)
			run_job(w, j);
	if (rc == 0)
		rc = store_commit(w->store, &e);
	if (rc != 0) {
		store_rollback(w->store);
		log_error("pixels:store", "group commit of %lld jobs failed: %s", n, e.message);
	}
	for (struct writer_job *j = batch; j; j = j->next)
		if (rc != 0 && j->rc == 0) {
			j->rc = rc;
			j->err = e;
		}
	/* Waiting callers are woken here; asynchronous jobs go to the completer thread, so
	 * their callbacks (resuming connections, freeing what the job held) run while this
	 * thread already executes the next batch. */
	bool any_async = false;
	pthread_mutex_lock(&w->lock);
	for (struct writer_job *j = batch, *next; j; j = next) {
		next = j->next; /* a synchronous job is gone once its caller wakes */
		if (j->on_done) {
			j->next = NULL;
			if (w->done_tail)
				w->done_tail->next = j;
			else
				w->done_head = j;
			w->done_tail = j;
			any_async = true;
			continue;
		}
		j->done = true;
		pthread_cond_signal(&j->cond);
	}
	if (any_async)
		pthread_cond_signal(&w->completed);
	w->batches++;
	w->jobs += n;
	pthread_mutex_unlock(&w->lock);
}

/* Calls the finished asynchronous jobs' done callbacks in commit order, outside the lock,
 * until the writer has stopped and nothing is left. */
static void *completer_main(void *arg)
{
	struct writer *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->done_head && !w->writer_stopped)
			pthread_cond_wait(&w->completed, &w->lock);
		struct writer_job *list = w->done_head;
		w->done_head = w->done_tail = NULL;
		pthread_mutex_unlock(&w->lock);
		if (!list)
			return NULL; /* stopped, and everything was completed */
		for (struct writer_job *j = list, *next; j; j = next) {
			next = j->next;
			j->on_done(j->arg, j->rc, &j->err);
			free(j);
		}
	}
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct writer_job *batch;
	while ((batch = take_batch(w)) != NULL)
		run_batch(w, batch);
	return NULL;
}

int writer_new(const char *database_url, struct writer **out, struct err *e)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	int rc = store_open(database_url, &w->store, e);
	if (rc != 0) {
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->completed, NULL);
	pthread_create(&w->thread, NULL, writer_main, w);
	pthread_setname_np(w->thread, "px-writer");
	pthread_create(&w->completer, NULL, completer_main, w);
	pthread_setname_np(w->completer, "px-completer");
	*out = w;
	return 0;
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_lock(&w->lock);
	w->writer_stopped = true;
	pthread_cond_signal(&w->completed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->completer, NULL);
	store_close(w->store);
	pthread_cond_destroy(&w->completed);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int writer_run(struct writer *w, writer_job_fn fn, void *arg, struct err *e)
{
	struct writer_job job = {.fn = fn, .arg = arg};
	pthread_cond_init(&job.cond, NULL);
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		pthread_cond_destroy(&job.cond);
		return err_set(e, ERR_UNAVAILABLE, "SHUTTING_DOWN", "The server is shutting down.");
	}
	if (w->tail)
		w->tail->next = &job;
	else
		w->head = &job;
	w->tail = &job;
	pthread_cond_signal(&w->work);
	while (!job.done)
		pthread_cond_wait(&job.cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	pthread_cond_destroy(&job.cond);
	if (job.rc != 0 && e)
		*e = job.err;
	return job.rc;
}

int writer_submit(struct writer *w, writer_job_fn fn, void *arg,
                  void (*done)(void *arg, int rc, const struct err *e), struct err *e)
{
	struct writer_job *job = xcalloc(1, sizeof(*job));
	job->fn = fn;
	job->arg = arg;
	job->on_done = done;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		free(job);
		return err_set(e, ERR_UNAVAILABLE, "SHUTTING_DOWN", "The server is shutting down.");
	}
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void writer_stats(struct writer *w, long long *batches, long long *jobs)
{
	pthread_mutex_lock(&w->lock);
	*batches = w->batches;
	*jobs = w->jobs;
	pthread_mutex_unlock(&w->lock);
}
