/* Integration tokens; see tokens.h. The authentication path reads the token and its account
 * at most once a second per token (svc/authcache.h; every change to a token here drops the
 * cache); last-use bookkeeping is throttled to once a minute per token (and per token and
 * address) so reads never turn into write storms. */
#include "svc/tokens.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "core/str.h"
#include "svc/authcache.h"

#define TOKENS_DAY_MS INT64_C(86400000)
#define TOKENS_MINUTE_MS 60000

static void hash_token(const char *token, char out[SEC_SHA256_HEX])
{
	sec_sha256_hex(token, strlen(token), out);
}

static struct audit_actor user_actor(const struct session_auth *by, const char *ip, const char *ua)
{
	return (struct audit_actor){"user", by->user.id, by->user.email, ip, ua};
}

static int require_admin(const struct session_auth *by, struct err *e)
{
	if (by->user.role == USER_ROLE_OWNER || by->user.role == USER_ROLE_ADMIN)
		return 0;
	return err_set(e, ERR_FORBIDDEN, "INSUFFICIENT_ROLE",
	               "Only an owner or an admin of this account can manage integration tokens.");
}

int tokens_generate(struct ctx *c, const struct session_auth *by, const char *ip,
                    const char *user_agent, struct token_grant *out, struct err *e)
{
	int rc = require_admin(by, e);
	if (rc != 0)
		return rc;
	struct token_row *t = &out->row;
	memset(out, 0, sizeof(*out));
	int64_t now = svc_now(c);
	memcpy(out->token, TOKENS_PREFIX, 8);
	sec_random_hex(32, out->token + 8);
	ids_new(now, t->id);
	memcpy(t->account_id, by->account.id, sizeof(t->account_id));
	hash_token(out->token, t->token_hash);
	str_copy(t->prefix, sizeof(t->prefix), (struct str){out->token, TOKENS_SHOWN});
	memcpy(t->created_by, by->user.id, sizeof(t->created_by));
	t->created_at = now;
	int ttl = c->svc->cfg->token_ttl_days;
	t->expires_at = ttl > 0 ? now + ttl * TOKENS_DAY_MS : 0;
	struct audit_actor actor = user_actor(by, ip, user_agent);
	char details[128];
	int revoked = 0;
	rc = store_begin(c->store, e);
	if (rc == 0)
		rc = store_token_revoke_all(c->store, t->account_id, now, &revoked, e);
	if (rc == 0)
		rc = store_token_insert(c->store, t, e);
	snprintf(details, sizeof(details), "{\"prefix\":\"%s\",\"revokedPrevious\":%d}", t->prefix,
	         revoked);
	if (rc == 0)
		rc = audit_record(c, t->account_id, &actor, "token.generated", t->prefix, details,
		                  e);
	if (rc == 0)
		rc = store_commit(c->store, e);
	if (rc != 0) {
		store_rollback(c->store);
		sec_zero(out, sizeof(*out));
		return rc;
	}
	authcache_invalidate(c->svc->auth_cache); /* the previous token is revoked */
	log_info("pixels:auth", "🔐 Integration token generated for account %s, prefix: %s%s",
	         t->account_id, t->prefix, revoked ? " (previous token revoked)" : "");
	return 0;
}

int tokens_current(struct ctx *c, const char *account_id, struct token_row *out, bool *found,
                   struct err *e)
{
	return store_token_find_current(c->store, account_id, out, found, e);
}

int tokens_revoke(struct ctx *c, const struct session_auth *by, const char *ip,
                  const char *user_agent, struct err *e)
{
	int rc = require_admin(by, e);
	if (rc != 0)
		return rc;
	struct token_row cur;
	bool found = false;
	int count = 0;
	struct audit_actor actor = user_actor(by, ip, user_agent);
	rc = store_begin(c->store, e);
	if (rc == 0)
		rc = store_token_find_current(c->store, by->account.id, &cur, &found, e);
	if (rc == 0 && !found)
		rc = err_set(e, ERR_NOT_FOUND, "TOKEN_NOT_FOUND",
		             "This account has no integration token to revoke.");
	if (rc == 0)
		rc = store_token_revoke_all(c->store, by->account.id, svc_now(c), &count, e);
	if (rc == 0)
		rc = audit_record(c, by->account.id, &actor, "token.revoked", cur.prefix, NULL, e);
	if (rc == 0)
		rc = store_commit(c->store, e);
	if (rc != 0) {
		store_rollback(c->store);
		return rc;
	}
	authcache_invalidate(c->svc->auth_cache);
	log_info("pixels:auth", "Integration token %s revoked for account %s", cur.prefix,
	         by->account.id);
	return 0;
}

const char *tokens_status(struct ctx *c, const struct token_row *t)
{
	if (t->revoked_at != 0)
		return "revoked";
	if (t->expires_at != 0 && t->expires_at <= svc_now(c))
		return "expired";
	return "active";
}

static int fail(struct ctx *c, const char *ip, bool count, const char *key, const char *logmsg,
                const char *msg, struct err *e)
{
	if (count)
		ratelimit_fail_add(c->svc->token_fails, ip, svc_now(c), TOKENS_MINUTE_MS);
	log_info("pixels:auth", "🔑 Integration Token Check: ❌ %s (ip %s)", logmsg, ip);
	return err_set(e, ERR_AUTH, key, "%s", msg);
}

/* Syntax only: "wpi_int_" + 64 lower-case hex digits. */
static bool well_formed(const char *t)
{
	if (strlen(t) != TOKENS_LEN || strncmp(t, TOKENS_PREFIX, 8) != 0)
		return false;
	for (const char *p = t + 8; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* At most once a minute per token (and per token and address): last use, first use from a
 * new address (audited), so a busy integration does not write on every request. */
static void note_use(struct ctx *c, const struct token_auth *a, const char *ip, const char *ua)
{
	struct ratelimit *rl = c->svc->token_limits;
	const struct token_row *t = &a->token;
	int64_t now = svc_now(c);
	char key[160];
	struct err e = {0};
	snprintf(key, sizeof(key), "touch:%s", t->id);
	if (ratelimit_take(rl, key, now, 1.0 / 60.0, 1, NULL)) {
		if (store_token_touch(c->store, t->account_id, t->id, now, ip, &e) != 0)
			log_warn("pixels:auth", "could not record token use: %s", e.message);
		else /* cached rows would still show the previous last use */
			authcache_invalidate(c->svc->auth_cache);
	}
	snprintf(key, sizeof(key), "ip:%s:%s", t->id, ip);
	bool is_new = false;
	if (!ratelimit_take(rl, key, now, 1.0 / 60.0, 1, NULL) ||
	    store_token_ip_remember(c->store, t->account_id, t->id, ip, now, &is_new, &e) != 0 ||
	    !is_new)
		return;
	struct audit_actor actor = {"token", t->id, t->prefix, ip, ua};
	bool first = t->last_used_at == 0;
	audit_note(c, t->account_id, &actor, first ? "token.first_use" : "token.new_ip", t->prefix,
	           NULL);
	if (!first)
		log_warn("pixels:auth", "Integration token %s used from a new address %s",
		         t->prefix, ip);
}

/* out->account is read from the store unless have_account (a cached entry holds it). */
static int check_token_state(struct ctx *c, struct token_auth *out, bool have_account,
                             const char *ip, const char *ua, struct err *e)
{
	const struct token_row *t = &out->token;
	if (t->revoked_at != 0)
		return fail(
		    c, ip, false, "TOKEN_REVOKED", "Token revoked",
		    "Token Revoked: this token was revoked. Generate a new token in Settings "
		    "-> API Keys.",
		    e);
	if (t->expires_at != 0 && t->expires_at <= svc_now(c)) {
		char key[64];
		snprintf(key, sizeof(key), "expired:%s", t->id);
		if (ratelimit_take(c->svc->token_limits, key, svc_now(c), 1.0 / 60.0, 1, NULL)) {
			struct audit_actor actor = {"token", t->id, t->prefix, ip, ua};
			audit_note(c, t->account_id, &actor, "token.expired_use", t->prefix, NULL);
		}
		return fail(c, ip, false, "TOKEN_EXPIRED", "Token expired",
		            "Token Expired: generate a new token in Settings -> API Keys.", e);
	}
	struct err tmp = {0};
	int rc = have_account ? 0 : store_account_get(c->store, t->account_id, &out->account, &tmp);
	if (rc == ERR_NOT_FOUND)
		return fail(c, ip, false, "ACCOUNT_NOT_FOUND", "Account not found",
		            "Account not found", e);
	if (rc != 0) {
		*e = tmp;
		return rc;
	}
	if (out->account.status != ACCOUNT_STATUS_ACTIVE)
		return fail(
		    c, ip, false, "ACCOUNT_INACTIVE", "Account inactive",
		    "Account inactive: this account is suspended. Contact your administrator.", e);
	return 0;
}

static int rate_limited(struct ctx *c, const struct token_row *t, struct err *e)
{
	const struct config *cfg = c->svc->cfg;
	char key[64];
	int64_t wait = 0;
	snprintf(key, sizeof(key), "rate:%s", t->id);
	if (ratelimit_take(c->svc->token_limits, key, svc_now(c),
	                   cfg->integration_rate_per_min / 60.0, cfg->integration_rate_burst,
	                   &wait))
		return 0;
	err_set(e, ERR_LIMIT, "RATE_LIMIT_EXCEEDED",
	        "Rate limit exceeded: at most %d requests per minute for this token. Retry later.",
	        cfg->integration_rate_per_min);
	e->retry_after_s = (int)((wait + 999) / 1000);
	return ERR_LIMIT;
}

int tokens_authenticate(struct ctx *c, const char *presented, const char *ip,
                        const char *user_agent, struct token_auth *out, struct err *e)
{
	int64_t now = svc_now(c);
	int max = c->svc->cfg->integration_auth_max_failures;
	if (ratelimit_fail_count(c->svc->token_fails, ip, now, TOKENS_MINUTE_MS) >= max) {
		err_set(e, ERR_LIMIT, "TOO_MANY_ATTEMPTS",
		        "Too many failed token checks from this address. Try again in a minute.");
		e->retry_after_s = (int)((ratelimit_fail_retry_after_ms(
		                              c->svc->token_fails, ip, now, TOKENS_MINUTE_MS, max) +
		                          999) /
		                         1000);
		return ERR_LIMIT;
	}
	if (!presented || !*presented)
		return fail(
		    c, ip, false, "TOKEN_NOT_PROVIDED", "Token not provided",
		    "Integration token required. Provide: Authorization: Bearer wpi_int_... or "
		    "X-Integration-Token: wpi_int_...",
		    e);
	if (!well_formed(presented))
		return fail(
		    c, ip, true, "INVALID_TOKEN_FORMAT", "Invalid token format",
		    "Invalid integration token format. Must start with: wpi_int_ (followed by "
		    "64 lower-case hex characters)",
		    e);
	char hash[SEC_SHA256_HEX];
	hash_token(presented, hash);
	struct authcache *cache = c->svc->auth_cache;
	int64_t mono_ms = clock_mono_ns() / 1000000;
	bool cached = authcache_get(cache, hash, mono_ms, &out->token, &out->account);
	uint64_t epoch = cached ? 0 : authcache_epoch(cache);
	bool found = cached;
	int rc = cached ? 0 : store_token_find_by_hash(c->store, hash, &out->token, &found, e);
	if (rc != 0)
		return rc;
	if (!found || !sec_equal(hash, 64, out->token.token_hash, 64))
		return fail(c, ip, true, "INVALID_TOKEN", "Invalid token",
		            "Invalid Token: the token is not recognized. Generate a new token in "
		            "Settings -> API Keys.",
		            e);
	rc = check_token_state(c, out, cached, ip, user_agent, e);
	if (rc == 0 && !cached)
		authcache_put(cache, hash, epoch, mono_ms, &out->token, &out->account);
	if (rc == 0)
		rc = rate_limited(c, &out->token, e);
	if (rc != 0)
		return rc;
	log_debug("pixels:auth", "🔑 Integration Token Check: ✅ Valid (%s)", out->token.prefix);
	log_debug("pixels:auth", "→ ✅ Token verified for: %s", out->account.email);
	note_use(c, out, ip, user_agent);
	return 0;
}
