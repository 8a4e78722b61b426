/* Worker pool; see pool.h. One mutex, one FIFO of heap-allocated jobs. */
#include "core/pool.h"

#include <pthread.h>
#include <stdbool.h>

#include "core/xalloc.h"

struct pool_job {
	pool_fn fn;
	void *arg;
	struct pool_job *next;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct pool_job *head, *tail;
	size_t pending; /* queued or running */
	bool stopping;
	int nthreads;
	pthread_t *threads;
};

static void *worker_main(void *arg)
{
	struct pool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		struct pool_job *j = p->head;
		if (!j)
			break; /* stopping, and nothing left to run */
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&p->lock);
		p->pending--;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct pool *pool_new(int threads, const char *name)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	p->nthreads = threads > 0 ? threads : 1;
	p->threads = xcalloc((size_t)p->nthreads, sizeof(*p->threads));
	for (int i = 0; i < p->nthreads; i++) {
		pthread_create(&p->threads[i], NULL, worker_main, p);
		pthread_setname_np(p->threads[i], name);
	}
	return p;
}

void pool_submit(struct pool *p, pool_fn fn, void *arg)
{
	struct pool_job *j = xcalloc(1, sizeof(*j));
	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->pending++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	free(p->threads);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

size_t pool_pending(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->pending;
	pthread_mutex_unlock(&p->lock);
	return n;
}
