/* Bounded binary min-heap of webhook events; see sim_queue.h. The array grows by doubling up
 * to the cap, so an idle simulator holds little memory. */
#include "sim/sim_queue.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct sim_queue {
	struct sim_event *heap; /* owned; count used of alloc */
	size_t count;
	size_t alloc;
	size_t cap;
	uint64_t next_seq;
};

struct sim_queue *sim_queue_new(size_t cap)
{
	struct sim_queue *q = xcalloc(1, sizeof(*q));
	q->cap = cap ? cap : 1;
	return q;
}

void sim_queue_event_release(struct sim_event *ev)
{
	if (ev->kind == SIM_EVENT_POST) {
		free(ev->u.post.body);
		ev->u.post.body = NULL;
	} else if (ev->kind == SIM_EVENT_STATUS) {
		free(ev->u.st.biz_opaque);
		ev->u.st.biz_opaque = NULL;
	}
}

void sim_queue_clear(struct sim_queue *q)
{
	for (size_t i = 0; i < q->count; i++)
		sim_queue_event_release(&q->heap[i]);
	q->count = 0;
}

void sim_queue_free(struct sim_queue *q)
{
	if (!q)
		return;
	sim_queue_clear(q);
	free(q->heap);
	free(q);
}

static bool before(const struct sim_event *a, const struct sim_event *b)
{
	if (a->due_ms != b->due_ms)
		return a->due_ms < b->due_ms;
	return a->seq < b->seq;
}

static void swap(struct sim_event *a, struct sim_event *b)
{
	struct sim_event t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(struct sim_queue *q, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&q->heap[i], &q->heap[parent]))
			break;
		swap(&q->heap[i], &q->heap[parent]);
		i = parent;
	}
}

static void sift_down(struct sim_queue *q, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < q->count && before(&q->heap[l], &q->heap[m]))
			m = l;
		if (r < q->count && before(&q->heap[r], &q->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
}

bool sim_queue_pop(struct sim_queue *q, struct sim_event *out)
{
	if (q->count == 0)
		return false;
	*out = q->heap[0];
	q->count--;
	if (q->count > 0) {
		q->heap[0] = q->heap[q->count];
		sift_down(q, 0);
	}
	return true;
}

bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev, struct sim_event *dropped,
                    bool *became_first)
{
	bool full = q->count >= q->cap;
	if (full)
		sim_queue_pop(q, dropped);
	if (q->count == q->alloc) {
		q->alloc = q->alloc ? q->alloc * 2 : 64;
		if (q->alloc > q->cap)
			q->alloc = q->cap;
		q->heap = xrealloc(q->heap, q->alloc * sizeof(*q->heap));
	}
	size_t i = q->count++;
	q->heap[i] = *ev;
	q->heap[i].seq = q->next_seq++;
	sift_up(q, i);
	if (became_first)
		*became_first = q->heap[0].seq == q->next_seq - 1;
	return full;
}

const struct sim_event *sim_queue_peek(const struct sim_queue *q)
{
	return q->count ? &q->heap[0] : NULL;
}

size_t sim_queue_count(const struct sim_queue *q)
{
	return q->count;
}
