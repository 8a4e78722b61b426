/* Webhook delivery: a time-ordered queue (sim_queue) drained by a few sender threads, each with
 * its own keep-alive libcurl handle. Due statuses are batched (up to batch per POST, optionally
 * shuffled); every body is signed with X-Hub-Signature-256 over its exact bytes; a non-2xx reply
 * or a timeout is retried with exponential backoff (200 ms doubling to 30 s, 10 attempts in all),
 * resending the same bytes. Due times are monotonic ms. Thread-safe. */
#ifndef PIXELS_SIM_SIM_WEBHOOK_H
#define PIXELS_SIM_SIM_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "sim/sim_queue.h"

struct sim_webhook_config {
	const char *url;        /* NULL = webhooks are discarded; copied */
	const char *app_secret; /* copied */
	int threads;            /* sender threads (>= 1) */
	int batch;              /* statuses per POST (>= 1) */
	size_t max_queue;       /* events held before the oldest is dropped */
	bool shuffle;
	bool bsuid;
	const struct clock *clock; /* for webhook timestamps; borrowed for the engine's life */
};

struct sim_webhook_stats {
	uint64_t posts_ok;     /* POSTs answered 2xx */
	uint64_t posts_failed; /* attempts that got non-2xx or no reply */
	uint64_t retries;      /* retries scheduled */
	uint64_t gave_up;      /* bodies abandoned after the last attempt */
	uint64_t dropped;      /* events dropped because the queue was full */
	uint64_t scheduled;    /* statuses queued */
	uint64_t statuses;     /* statuses delivered (counted on 2xx) */
	size_t in_queue;
};

struct sim_webhook;

/* Starts the sender threads. Never NULL (aborts on OOM). */
struct sim_webhook *sim_webhook_start(const struct sim_webhook_config *cfg);
/* Stops and joins the threads, drops what is queued, frees. NULL-safe. */
void sim_webhook_stop(struct sim_webhook *w);

/* Run-time settings (from POST /_sim/config). url NULL = stop sending. */
void sim_webhook_set_url(struct sim_webhook *w, const char *url);
void sim_webhook_set_options(struct sim_webhook *w, bool shuffle, bool bsuid);
bool sim_webhook_enabled(struct sim_webhook *w);

/* Queues ev (its payload ownership passes to the engine) to be due delay_ms from now. With
 * shuffle on, statuses get up to 25 ms of random extra delay so batches interleave. */
void sim_webhook_schedule(struct sim_webhook *w, struct sim_event *ev, int64_t delay_ms);
/* Signs and POSTs body now on the calling thread (takes ownership of body). On failure the
 * body is queued for the usual retries. Returns the receiver's HTTP status, 0 when no reply
 * came (or webhooks are disabled). Blocks up to the 10 s request timeout. */
int sim_webhook_post_now(struct sim_webhook *w, char *body, size_t len);
/* Performs Meta's verification handshake: GET url?hub.mode=subscribe&hub.verify_token=token&
 * hub.challenge=<random>; true when the reply is 200 with the challenge as its body. */
bool sim_webhook_verify(struct sim_webhook *w, const char *token, int *status_out);

void sim_webhook_stats_get(struct sim_webhook *w, struct sim_webhook_stats *out);
/* Empties the queue and zeroes the counters. */
void sim_webhook_reset(struct sim_webhook *w);

#endif
