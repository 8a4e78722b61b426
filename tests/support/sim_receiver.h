/* Test support for the Meta simulator suites: a webhook receiver on 127.0.0.1 port 0 (the
 * project's own http/server.h) that verifies every POST's X-Hub-Signature-256 with
 * meta_signature_valid, keeps each signed body parsed, answers the verification GET, and can
 * be told to answer 500 to the next N POSTs; plus helpers to start a simulator, read fixtures
 * and call the simulator over HTTP. Waiting is condition-based with a timeout, never a bare
 * sleep. */
#ifndef PIXELS_TESTS_SIM_RECEIVER_H
#define PIXELS_TESTS_SIM_RECEIVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/jsonw.h"
#include "harness.h"
#include "http/server.h"
#include "sim/sim.h"

#define RX_MAX_BODIES 4096

struct rx {
	struct http_server *srv;
	char url[96]; /* "http://127.0.0.1:PORT/webhook" */
	const char *secret;
	const char *verify_token;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	json_t *bodies[RX_MAX_BODIES]; /* signed POST bodies, in arrival order */
	char *raw[RX_MAX_BODIES];      /* the same, as received */
	size_t count;
	int posts;          /* every POST, including failed and refused ones */
	int bad_signatures; /* POSTs whose signature did not verify */
	int fail_next;      /* answer 500 to this many more POSTs */
	bool hold;          /* POST handlers wait (after counting) until released */
};

/* Starts a receiver that checks signatures against secret (borrowed). */
void rx_start(struct rx *r, const char *secret, const char *verify_token);
void rx_stop(struct rx *r);
/* Forgets what was received (counters too). */
void rx_clear(struct rx *r);
void rx_fail_next(struct rx *r, int n);
/* While held, every POST is counted in posts and then waits until rx_hold(r, false): tests
 * use it to let work pile up in the simulator deterministically. */
void rx_hold(struct rx *r, bool hold);
/* Bodies recorded so far. */
size_t rx_count(struct rx *r);
/* Copy of body i (new reference), NULL when out of range. */
json_t *rx_body(struct rx *r, size_t i);
/* How many statuses with this wamid and status ("sent" ...) arrived (NULL status = any). */
int rx_statuses(struct rx *r, const char *wamid, const char *status);
/* The first status object with wamid and status, copied (new reference) or NULL. */
json_t *rx_status(struct rx *r, const char *wamid, const char *status);
/* Waits until rx_statuses(wamid, status) >= n; false after timeout_ms. */
bool rx_wait_statuses(struct rx *r, const char *wamid, const char *status, int n, int timeout_ms);
/* Waits until at least n bodies were recorded; false after timeout_ms. */
bool rx_wait_count(struct rx *r, size_t n, int timeout_ms);
/* Waits until the receiver saw at least n POSTs (recorded or not). */
bool rx_wait_posts(struct rx *r, int n, int timeout_ms);

/* A simulator for tests: sim_config_init, then fast statuses (sent 0, delivered 5, read 10 ms),
 * webhooks to rx (NULL = none), secret, clock. Fails the test on error. */
struct sim *simt_start(struct rx *rx, const char *secret, struct clock *clock,
                       void (*tune)(struct sim_config *cfg));
/* "http://127.0.0.1:PORT" of s into out. */
void simt_url(struct sim *s, char *out, size_t cap);
/* Request to the simulator: path relative to its URL; token NULL = no Authorization. */
void simt_call(struct sim *s, const char *method, const char *path, const char *token,
               const char *body, struct th_resp *out);
/* The text of tests/fixtures/meta/<name> (caller frees), waiting up to 2 min for it to appear
 * (another engineer copies them); fails the test when it never does. */
char *simt_fixture(const char *name);
/* Replaces every occurrence of from with to in s (frees s, returns a new string). */
char *simt_replace(char *s, const char *from, const char *to);
/* The wamid of a 200 send reply ("" when absent). Borrowed from r. */
const char *simt_wamid(const struct th_resp *r);
/* error.code of a Graph error reply, -1 when absent. */
int simt_error_code(const struct th_resp *r);

#endif
