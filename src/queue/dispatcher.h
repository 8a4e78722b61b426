/* The dispatcher: one thread that claims durable queued messages, paces them per WhatsApp
 * number with a token bucket (the number's throughputMps, default 80/s), sends them to Meta
 * with many requests in flight (curl multi), and records each outcome: accepted (Meta's
 * wamid), retry later (exponential backoff with jitter, bounded by SEND_MAX_ATTEMPTS and
 * SEND_MAX_AGE), failed (Meta's code, title and details kept), or the number paused
 * (131048, 368) / needing reconnection (0, 190). Conversation traffic is claimed before bulk.
 *
 * Crash window: a message whose request was in flight when the process died is sent again
 * once after the restart (Meta has no idempotency key); a message Meta accepted is never
 * sent again, because its wamid is committed before anything else happens to it. */
#ifndef PIXELS_QUEUE_DISPATCHER_H
#define PIXELS_QUEUE_DISPATCHER_H

#include "core/err.h"
#include "svc/svc.h"

struct dispatcher;

/* Requeues messages left in flight by a previous crash, then starts the thread with its own
 * store handle. svc must outlive the dispatcher. */
int dispatcher_start(struct svc *svc, struct dispatcher **out, struct err *e);
/* Wakes the thread: new messages were queued or a number changed. Any thread; arg is the
 * struct dispatcher *. */
void dispatcher_kick(void *arg);
/* Stops claiming, lets in-flight requests finish (a few seconds at most), records their
 * outcomes, puts claimed-but-unsent messages back in the queue, joins. NULL-safe. */
void dispatcher_stop(struct dispatcher *d);
/* Counters for metrics and benchmarks. */
struct dispatcher_stats {
	long long claimed, accepted, retried, failed, paused;
};
void dispatcher_get_stats(struct dispatcher *d, struct dispatcher_stats *out);

#endif
