/* Service-layer state. struct svc is process-wide (owned by struct app, shared by threads,
 * internally synchronised); struct ctx is one thread's view: the svc, plus that thread's own
 * store handle. Every svc function takes a struct ctx * first. */
#ifndef PIXELS_SVC_SVC_H
#define PIXELS_SVC_SVC_H

#include "config/config.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/store.h"

struct ratelimit;
struct passwords;
struct vault;
struct writer;
struct waiters;
struct authcache;

struct svc {
	const struct config *cfg;        /* borrowed from struct app, immutable */
	struct clock clock;              /* injectable for tests */
	struct ratelimit *login_fails;   /* failed logins per "email:" and "ip:" key */
	struct ratelimit *token_fails;   /* failed integration-token checks per client address */
	struct ratelimit *token_limits;  /* per-token request buckets and write throttles */
	struct authcache *auth_cache;    /* tokens that passed authentication, briefly */
	struct passwords *passwords;     /* bounded argon2id gate */
	char dummy_hash[SEC_PWHASH_MAX]; /* verified against for unknown emails: same timing */
	struct vault *vault;             /* seals Meta tokens and app secrets (ENCRYPTION_KEY) */
	struct writer *writer;           /* group commit for acknowledged writes */
	struct waiters *waiters;         /* API requests waiting for a send verdict */
	/* Wakes the dispatcher when messages were queued (set by the app; may be NULL). */
	void (*kick)(void *arg);
	void *kick_arg;
	/* Bumped whenever a number changes, so the dispatcher reloads its number cache. */
	int numbers_generation;
	struct webhooks *webhooks;                 /* the inbox processor (set by the app) */
	struct broadcast_runner *broadcast_runner; /* set by the app; may be NULL */
	/* Sandbox mode: the app secret shared with the embedded simulator ("" otherwise). */
	char sandbox_secret[65];
};

struct ctx {
	struct svc *svc;
	struct store *store; /* this thread's handle, owned by the thread's ctx */
};

/* Builds the process-wide service state. cfg must outlive it. Errors: ERR_INTERNAL. */
int svc_new(const struct config *cfg, const struct clock *clock, struct svc **out, struct err *e);
void svc_free(struct svc *svc);
/* Health: whether the thread's database answers, and every number that is not active (with
 * its reason), across all accounts. each may be NULL. */
int svc_health(struct ctx *c, void (*each)(void *arg, const struct number_row *n), void *arg,
               struct err *e);
/* Current time through the injectable clock. */
int64_t svc_now(const struct ctx *c);

#endif
