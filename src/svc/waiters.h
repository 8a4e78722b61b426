/* API requests waiting for Meta's verdict on a message they queued (up to SEND_WAIT_MS):
 * the request registers before its message becomes claimable, the dispatcher notifies after
 * recording the outcome. Thread-safe; waiters live on their requests' stacks. */
#ifndef PIXELS_SVC_WAITERS_H
#define PIXELS_SVC_WAITERS_H

#include <pthread.h>
#include <stdbool.h>

#include "store/store.h"

struct waiters;

struct waiter {
	char message_id[IDS_SIZE];
	pthread_cond_t cond;
	bool done;
	struct send_result result; /* valid once done */
	struct waiter *next;
};

struct waiters *waiters_new(void);
void waiters_free(struct waiters *ws);
/* Registers w for message_id (w is initialised here). */
void waiters_add(struct waiters *ws, struct waiter *w, const char *message_id);
/* Waits up to timeout_ms for the verdict; true when it arrived (w->result). */
bool waiters_wait(struct waiters *ws, struct waiter *w, int timeout_ms);
/* Unregisters and destroys w. */
void waiters_remove(struct waiters *ws, struct waiter *w);
/* Hands the outcome to the request waiting for r->message_id, if any. */
void waiters_notify(struct waiters *ws, const struct send_result *r);

#endif
