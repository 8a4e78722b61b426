/* Process-wide service state; see svc.h. */
#include "svc/svc.h"

#include <string.h>

#include "core/ratelimit.h"
#include "core/xalloc.h"
#include "svc/authcache.h"
#include "svc/passwords.h"
#include "svc/vault.h"
#include "svc/waiters.h"

#define SVC_LOGIN_KEYS 65536

int svc_new(const struct config *cfg, const struct clock *clock, struct svc **out, struct err *e)
{
	struct svc *svc = xcalloc(1, sizeof(*svc));
	svc->cfg = cfg;
	if (clock)
		svc->clock = *clock;
	svc->login_fails = ratelimit_new(SVC_LOGIN_KEYS);
	svc->token_fails = ratelimit_new(SVC_LOGIN_KEYS);
	svc->token_limits = ratelimit_new(SVC_LOGIN_KEYS);
	svc->auth_cache = authcache_new();
	svc->passwords = passwords_new(cfg->password_hash_concurrency);
	svc->vault = vault_new(cfg->encryption_key);
	svc->waiters = waiters_new();
	if (!svc->vault) {
		svc_free(svc);
		return err_set(e, ERR_INVALID, "CONFIG_INVALID", "ENCRYPTION_KEY is not usable");
	}
	/* A hash of random bytes: verifying an unknown email against it costs what a real
	 * verification costs, so response time does not reveal which emails exist. */
	char random_pw[33];
	sec_random_hex(16, random_pw);
	int rc = sec_password_hash(random_pw, strlen(random_pw), svc->dummy_hash);
	sec_zero(random_pw, sizeof(random_pw));
	if (rc != 0) {
		svc_free(svc);
		return err_set(e, ERR_INTERNAL, "INTERNAL_ERROR", "password hashing unavailable");
	}
	*out = svc;
	return 0;
}

void svc_free(struct svc *svc)
{
	if (!svc)
		return;
	ratelimit_free(svc->login_fails);
	ratelimit_free(svc->token_fails);
	ratelimit_free(svc->token_limits);
	authcache_free(svc->auth_cache);
	passwords_free(svc->passwords);
	vault_free(svc->vault);
	waiters_free(svc->waiters);
	free(svc);
}

int64_t svc_now(const struct ctx *c)
{
	return clock_now_ms(&c->svc->clock);
}

struct health_filter {
	void (*each)(void *arg, const struct number_row *n);
	void *arg;
};

static void not_active(void *arg, const struct number_row *n)
{
	struct health_filter *h = arg;
	if (n->status != NUMBER_STATUS_ACTIVE)
		h->each(h->arg, n);
}

int svc_health(struct ctx *c, void (*each)(void *arg, const struct number_row *n), void *arg,
               struct err *e)
{
	int rc = store_ping(c->store, e);
	if (rc != 0 || !each)
		return rc;
	struct health_filter h = {each, arg};
	struct err ignored = {0}; /* the database answered; a failed list only shortens it */
	store_number_list(c->store, NULL, not_active, &h, &ignored);
	return 0;
}
