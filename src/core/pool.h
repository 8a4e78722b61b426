/* A fixed set of worker threads running submitted jobs in order of submission: for work that
 * must wait on something slow (Meta's API, password hashing) without holding a thread that
 * serves other requests. The queue is unbounded: callers bound what they submit (each HTTP
 * job is a suspended connection, which the server's connection limit bounds). */
#ifndef PIXELS_CORE_POOL_H
#define PIXELS_CORE_POOL_H

#include <stddef.h>

struct pool;

typedef void (*pool_fn)(void *arg);

/* Starts threads workers named name (at most 15 characters, e.g. "px-blocking"). */
struct pool *pool_new(int threads, const char *name);
/* Runs fn(arg) on a worker. Any thread. */
void pool_submit(struct pool *p, pool_fn fn, void *arg);
/* Runs every job already submitted, then joins the workers and frees. NULL-safe. */
void pool_free(struct pool *p);
/* Jobs submitted and not yet finished. */
size_t pool_pending(struct pool *p);

#endif
