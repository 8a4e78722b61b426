/* The dispatcher's view of WhatsApp numbers: decrypted access tokens, throughput, and a FIFO
 * of claimed messages per number waiting for a send slot (token bucket). Owned and used by
 * the dispatcher thread only; reloaded when the numbers generation changes. */
#ifndef PIXELS_QUEUE_PACER_H
#define PIXELS_QUEUE_PACER_H

#include <stdbool.h>

#include "store/store.h"
#include "svc/svc.h"

/* A claimed message on its way to Meta (heap; owned by the pacer until submitted, then by
 * the graph request as its user pointer). */
struct outgoing {
	struct claimed_message msg;
	struct outgoing *next;
};

struct pacer;

struct pacer *pacer_new(void);
void pacer_free(struct pacer *p);
/* Reloads numbers from the store when svc's generation moved (decrypting tokens). Messages
 * waiting for a number that stopped being active are handed to orphan(), with removed true
 * when the number no longer exists at all. */
int pacer_refresh(struct pacer *p, struct ctx *c,
                  void (*orphan)(void *arg, struct outgoing *o, bool removed), void *arg,
                  struct err *e);
/* Queues a claimed message behind its number; false when the number is unknown. */
bool pacer_push(struct pacer *p, struct outgoing *o);
/* Takes the next message allowed to go now (round robin over numbers, conversation
 * traffic before bulk); NULL when none may. *wait_ms: how long until one might (or -1). */
struct outgoing *pacer_next(struct pacer *p, int64_t now_ms, int *wait_ms);
/* The access token of a number (borrowed until the next refresh), NULL if unknown. */
const char *pacer_token(struct pacer *p, const char *phone_number_id);
/* Messages waiting in all FIFOs. */
int pacer_waiting(const struct pacer *p);
/* What to claim next: for active numbers, in turns (each call starts after the number the
 * previous one stopped at), how many more messages each number's FIFO should hold to keep
 * PACER_AHEAD_MS of its rate waiting, in all at most budget, at most cap numbers. Fills
 * wants and returns how many it filled. Claiming per number (not oldest first across
 * numbers) keeps one number's backlog from filling the dispatcher's memory while the
 * others wait with empty FIFOs. */
size_t pacer_wants(struct pacer *p, int budget, struct claim_want *wants, size_t cap);
/* Removes every waiting message (all numbers, or one), handing each to fn. */
void pacer_drain(struct pacer *p, const char *phone_number_id,
                 void (*fn)(void *arg, struct outgoing *o), void *arg);

#endif
