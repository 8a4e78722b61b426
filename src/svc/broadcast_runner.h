/* The broadcast runner: one thread that moves broadcasts along. Every RUNNER_TICK_MS it
 * starts scheduled broadcasts that are due, and for each running broadcast turns the next
 * pending recipients into queued messages (priority 1: one-to-one traffic is claimed and
 * paced first), keeping about two seconds of its rate queued ahead of the dispatcher and, with
 * throttleMps, no more than that rate. It pauses a broadcast whose number stopped (131048,
 * 368, a lost token) or whose template Meta paused (132015/132016), completes it when every
 * message is settled, and removes broadcasts a crash left half-accepted. All its writes are
 * writer jobs that re-read the broadcast first, so a user's pause or cancel always wins. */
#ifndef PIXELS_SVC_BROADCAST_RUNNER_H
#define PIXELS_SVC_BROADCAST_RUNNER_H

#include "core/err.h"
#include "svc/svc.h"

struct broadcast_runner;

/* Opens its own store handle and starts the thread. svc must outlive it. */
int broadcast_runner_start(struct svc *svc, struct broadcast_runner **out, struct err *e);
/* Stops and joins the thread. NULL-safe. */
void broadcast_runner_stop(struct broadcast_runner *r);
/* Wakes the thread now (a broadcast was accepted or resumed). Any thread. */
void broadcast_runner_kick(struct broadcast_runner *r);

#endif
