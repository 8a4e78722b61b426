/* Meta's webhooks: GET verification, and POSTs verified over the raw body bytes (with
 * META_APP_SECRET or a number's own app secret, in constant time, before parsing), persisted
 * to the inbox in a group commit and only then acknowledged. A processor thread reads and
 * decodes the inbox and has the writer apply it, in order: statuses (forward-only, duplicates
 * harmless, early ones held), inbound messages (de-duplicated by Meta's id; contact and
 * conversation updated; STOP/START), and template status events. */
#ifndef PIXELS_SVC_WEBHOOKS_H
#define PIXELS_SVC_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"

#define WEBHOOKS_MAX_BODY (3 * 1024 * 1024)

struct webhooks;

/* GET: true (answer the challenge as text) when mode is "subscribe" and token equals
 * META_VERIFY_TOKEN (constant time); false (403) otherwise, also when no token is set. */
bool webhooks_verify(const struct svc *svc, const char *mode, const char *token);
/* POST: ERR_AUTH "INVALID_WEBHOOK_SIGNATURE" unless signature_header is a valid
 * X-Hub-Signature-256 for body; else persists it durably and wakes the processor. */
int webhooks_receive(struct ctx *c, struct webhooks *w, const char *signature_header,
                     const char *body, size_t len, struct err *e);

/* Asynchronous form of webhooks_receive: checks the signature now (ERR_AUTH as above, done
 * not called), then persists a copy of body in the next group commit and calls
 * done(arg, rc, e) on the writer's thread once it is durable (or failed). */
int webhooks_receive_async(struct ctx *c, struct webhooks *w, const char *signature_header,
                           const char *body, size_t len,
                           void (*done)(void *arg, int rc, const struct err *e), void *arg,
                           struct err *e);
/* The processor thread: its own store handle reads and purges the inbox; every change it
 * applies is a job on svc->writer (the one connection that writes acknowledged data). */
int webhooks_start(struct svc *svc, struct webhooks **out, struct err *e);
void webhooks_stop(struct webhooks *w);
/* Counters: bodies refused for their signature, bodies applied. */
void webhooks_stats(struct webhooks *w, long long *bad_signatures, long long *applied);

#endif
