/* Requests waiting for Meta's verdict on a message they queued (up to SEND_WAIT_MS), without
 * holding a thread: a waiter is registered before its message becomes claimable, armed with
 * a timeout once the message is durable, and its callback runs exactly once — with the
 * verdict the dispatcher hands over (accepted or failed), or with none when the time is up.
 * A verdict that arrives before the waiter is armed is kept and delivered by the arm.
 * One timer thread (px-waiters) expires the waits. Thread-safe. */
#ifndef PIXELS_SVC_WAITERS_H
#define PIXELS_SVC_WAITERS_H

#include <stdbool.h>

#include "store/store.h"

struct waiters;
struct waiter;

/* r is the verdict, or NULL when the wait timed out (or the waiters are stopping). Runs on
 * the dispatcher's, the timer's or the arming thread: it must be quick and must not call
 * back into the waiters. */
typedef void (*waiter_fn)(void *arg, const struct send_result *r);

struct waiters *waiters_new(void);
/* Fires every armed waiter without a verdict (waiters_expire_all), joins the timer thread,
 * frees. A waiter added and neither armed nor cancelled is freed without running. */
void waiters_free(struct waiters *ws);
/* Registers a waiter for message_id; fn(arg, ...) will run once it is armed. */
struct waiter *waiters_add(struct waiters *ws, const char *message_id, waiter_fn fn, void *arg);
/* Starts the wait: fn runs with the verdict when it arrives (at once if it already has),
 * or with NULL after timeout_ms. w belongs to the waiters from here on. */
void waiters_arm(struct waiters *ws, struct waiter *w, int timeout_ms);
/* Drops a waiter that was never armed (its message was not queued); fn never runs. */
void waiters_cancel(struct waiters *ws, struct waiter *w);
/* Hands the outcome to the waiter for r->message_id, if any. */
void waiters_notify(struct waiters *ws, const struct send_result *r);
/* Shutdown: every armed waiter fires now without a verdict, and so do later arms. */
void waiters_expire_all(struct waiters *ws);
/* Waiters registered and not yet fired or cancelled (for tests and stats). */
size_t waiters_count(struct waiters *ws);

#endif
