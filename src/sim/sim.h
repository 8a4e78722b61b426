/* The built-in simulator of Meta's WhatsApp Cloud API: a Graph API look-alike over real HTTP
 * (send, templates, media, phone-number info) that validates like Meta, enforces Meta's limits
 * with real token buckets, and sends signed, batched status and inbound webhooks. Tests,
 * benchmarks, `pixels meta-sim` and `pixels serve --sandbox` use it. A control API under /_sim/
 * drives it. No globals: several simulators can run in one process. Rules that depend on time
 * (24-hour window, rate limits, media URL expiry, timestamps) read cfg.clock; webhook delays and
 * retry backoff run on the real monotonic clock, because they are about real HTTP delivery. */
#ifndef PIXELS_SIM_SIM_H
#define PIXELS_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/clock.h"
#include "core/err.h"

/* Fill with sim_config_init, then override. Strings are copied by sim_start. Zero counts and
 * sizes (mps, burst, interval, log, batch, threads, queue) also mean their default; zero
 * delays mean "at once". */
struct sim_config {
	const char *host;        /* bind address ["127.0.0.1"] */
	int port;                /* [0] = ephemeral */
	const char *webhook_url; /* where to POST webhooks; NULL = don't send */
	const char *app_secret;  /* required: signs webhooks (X-Hub-Signature-256) */
	const char
	    *verify_token;      /* for POST /_sim/webhook/verify (hub.verify_token); may be NULL */
	int sent_delay_ms;      /* [50] -1 = never send that status */
	int delivered_delay_ms; /* [150] */
	int read_delay_ms;      /* [400] */
	bool shuffle;           /* reorder statuses within and across batches [false] */
	double duplicate_rate;  /* probability a status is sent twice [0] */
	double skip_delivered_rate; /* probability "delivered" is skipped [0] */
	bool bsuid;                 /* statuses carry contacts:[{wa_id,user_id}] without profile */
	int default_mps;            /* per phone number [80] */
	int pair_burst;             /* per (number, recipient) burst [45] */
	int pair_interval_ms;       /* then one per interval [6000] */
	bool enforce_window;        /* 24-hour customer-service window (131047) [true] */
	size_t max_log;             /* accepted messages remembered [200000] */
	int webhook_batch;          /* statuses per webhook POST [50] */
	int template_review_ms; /* PENDING -> APPROVED after [500]; 0 = wait for the control API */
	int threads;            /* HTTP worker threads [4] */
	int webhook_threads;    /* concurrent webhook senders [4] */
	size_t max_queue;       /* webhook events held; the oldest is dropped past it [1000000] */
	struct clock clock;     /* injectable; {0} = real time */
};

struct sim;

/* Fills cfg with the defaults shown in brackets above (all strings NULL but host). */
void sim_config_init(struct sim_config *cfg);

/* Validates cfg, binds the listener and starts the HTTP and webhook threads. The process must
 * have called curl_global_init before starting threads. *out is owned by the caller (sim_stop).
 * Errors: ERR_INVALID "SIM_CONFIG" (missing app_secret, out-of-range values);
 * ERR_UNAVAILABLE "LISTEN_FAILED". */
int sim_start(const struct sim_config *cfg, struct sim **out, struct err *e);
/* The bound port (useful after port 0). */
int sim_port(const struct sim *s);
/* Stops the listener and the webhook threads (pending webhooks are dropped), frees everything.
 * NULL-safe. Blocks until in-flight requests and webhook POSTs finish. */
void sim_stop(struct sim *s);

#endif
