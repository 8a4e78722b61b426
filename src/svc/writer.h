/* Group commit: one thread owns a store handle and runs every acknowledged write (messages
 * accepted by the API, webhook bodies received from Meta) in batches: BEGIN; each job in its
 * own savepoint; COMMIT — one fsync for the whole batch. A caller returns only after the
 * batch holding its job is durable, so "acknowledged" still means "survives kill -9", while
 * throughput is bounded by batches per second instead of fsyncs per request. A failing job
 * rolls back only its own savepoint. Thread-safe. */
#ifndef PIXELS_SVC_WRITER_H
#define PIXELS_SVC_WRITER_H

#include "core/err.h"
#include "store/store.h"

struct writer;

/* A job: runs on the writer thread inside the batch transaction. Returns 0 to keep its
 * writes, or an error (set in e) to undo them. It must not begin/commit itself. */
typedef int (*writer_job_fn)(struct store *s, void *arg, struct err *e);

/* Opens the writer's own handle on database_url and starts its thread. Errors of
 * store_open. */
int writer_new(const char *database_url, struct writer **out, struct err *e);
/* Finishes queued jobs, stops the thread, closes the handle. NULL-safe. */
void writer_free(struct writer *w);
/* Runs fn(arg) in the next batch and blocks until that batch is committed (returns 0) or
 * the job failed (its error) or the commit failed (ERR_UNAVAILABLE / the store's error; the
 * job's writes are then not durable). */
int writer_run(struct writer *w, writer_job_fn fn, void *arg, struct err *e);
/* Asynchronous form: queues fn(arg) and returns at once; done(arg, rc, e) is called once
 * the batch holding the job is committed (rc 0) or the job or the commit failed, on the
 * writer's completion thread (px-completer), in commit order, while the writer already runs
 * the next batch. done must not call writer_run. Returns ERR_UNAVAILABLE "SHUTTING_DOWN"
 * (done is then not called) when the writer is stopping; writer_free calls every pending
 * done before it returns. */
int writer_submit(struct writer *w, writer_job_fn fn, void *arg,
                  void (*done)(void *arg, int rc, const struct err *e), struct err *e);
/* Batches committed and jobs run so far (for metrics and benchmarks). */
void writer_stats(struct writer *w, long long *batches, long long *jobs);

#endif
