/* Dashboard sessions; see sessions.h. The plain token exists only in the grant handed to the
 * caller; the store keeps HMAC-SHA256(JWT_SECRET, token), so a database leak yields no usable
 * session. */
#include "svc/sessions.h"

#include <string.h>

#include "core/log.h"
#include "core/ratelimit.h"
#include "core/str.h"
#include "svc/accounts.h"
#include "svc/audit.h"
#include "svc/passwords.h"

static void token_hash(const struct ctx *c, const char *token, char out[SEC_SHA256_HEX])
{
	const char *key = c->svc->cfg->jwt_secret;
	sec_hmac_sha256_hex(key, strlen(key), token, strlen(token), out);
}

static void lock_keys(const struct login_cmd *cmd, const char *email, char *ekey, char *ikey,
                      size_t cap)
{
	snprintf(ekey, cap, "email:%s", email);
	snprintf(ikey, cap, "ip:%s", cmd->ip ? cmd->ip : "");
}

/* 429 when either the email or the client address has too many recent failures. */
static int check_lockout(struct ctx *c, const char *ekey, const char *ikey, struct err *e)
{
	const struct config *cfg = c->svc->cfg;
	struct ratelimit *rl = c->svc->login_fails;
	int64_t now = svc_now(c), win = cfg->login_window_ms;
	int64_t wait = 0;
	if (ratelimit_fail_count(rl, ekey, now, win) >= cfg->login_max_failures)
		wait = ratelimit_fail_retry_after_ms(rl, ekey, now, win, cfg->login_max_failures);
	if (ratelimit_fail_count(rl, ikey, now, win) >= cfg->login_ip_max_failures) {
		int64_t w2 =
		    ratelimit_fail_retry_after_ms(rl, ikey, now, win, cfg->login_ip_max_failures);
		wait = w2 > wait ? w2 : wait;
	}
	if (wait <= 0)
		return 0;
	int secs = (int)((wait + 999) / 1000);
	err_set(e, ERR_LIMIT, "TOO_MANY_ATTEMPTS",
	        "Too many failed login attempts. Try again in %d minute%s.", (secs + 59) / 60,
	        (secs + 59) / 60 == 1 ? "" : "s");
	e->retry_after_s = secs;
	return ERR_LIMIT;
}

int sessions_issue(struct ctx *c, const struct user_row *user, const struct account_row *acct,
                   const char *ip, const char *user_agent, struct session_grant *out, struct err *e)
{
	struct session_row row;
	memset(&row, 0, sizeof(row));
	int64_t now = svc_now(c);
	ids_new(now, row.id);
	memcpy(row.account_id, user->account_id, sizeof(row.account_id));
	memcpy(row.user_id, user->id, sizeof(row.user_id));
	row.created_at = now;
	row.expires_at = now + c->svc->cfg->jwt_expires_ms;
	str_copy_cstr(row.ip, sizeof(row.ip), ip ? ip : "");
	str_copy_cstr(row.user_agent, sizeof(row.user_agent), user_agent ? user_agent : "");
	memcpy(out->token, SESSIONS_TOKEN_PREFIX, 4);
	sec_random_hex(32, out->token + 4);
	token_hash(c, out->token, row.token_hash);
	int rc = store_session_insert(c->store, &row, e);
	if (rc != 0) {
		sec_zero(out->token, sizeof(out->token));
		return rc;
	}
	out->expires_at = row.expires_at;
	out->user = *user;
	out->account = *acct;
	return 0;
}

/* Loads the account and refuses suspended or deleted ones. */
static int load_active_account(struct ctx *c, const char *account_id, struct account_row *out,
                               struct err *e)
{
	struct err tmp = {0};
	int rc = store_account_get(c->store, account_id, out, &tmp);
	if (rc == ERR_NOT_FOUND || (rc == 0 && out->status != ACCOUNT_STATUS_ACTIVE))
		return err_set(e, ERR_FORBIDDEN, "ACCOUNT_INACTIVE",
		               "This account is suspended or deleted. Contact your administrator.");
	if (rc != 0)
		*e = tmp;
	return rc;
}

static int invalid_credentials(struct ctx *c, const char *ekey, const char *ikey, const char *ip,
                               struct err *e)
{
	int64_t now = svc_now(c), win = c->svc->cfg->login_window_ms;
	ratelimit_fail_add(c->svc->login_fails, ekey, now, win);
	ratelimit_fail_add(c->svc->login_fails, ikey, now, win);
	log_info("pixels:auth", "login failed: invalid credentials ip=%s", ip ? ip : "-");
	return err_set(e, ERR_AUTH, "INVALID_CREDENTIALS", "Invalid email or password");
}

int sessions_login(struct ctx *c, const struct login_cmd *cmd, struct session_grant *out,
                   struct err *e)
{
	char email[STORE_EMAIL_MAX], ekey[300], ikey[100];
	if (!cmd->email || !*cmd->email)
		return err_field(e, "email", "is required");
	if (!cmd->password || !*cmd->password)
		return err_field(e, "password", "is required");
	if (strlen(cmd->password) > PASSWORDS_MAX_LEN)
		return err_set(e, ERR_AUTH, "INVALID_CREDENTIALS", "Invalid email or password");
	int rc = accounts_normalize_email(cmd->email, "email", email, e);
	if (rc != 0)
		return rc;
	lock_keys(cmd, email, ekey, ikey, sizeof(ekey));
	rc = check_lockout(c, ekey, ikey, e);
	if (rc != 0)
		return rc;
	struct user_row user;
	bool found = false, ok = false;
	rc = store_user_find_by_email(c->store, email, &user, &found, e);
	if (rc != 0)
		return rc;
	rc = passwords_verify(c->svc->passwords, found ? user.password_hash : c->svc->dummy_hash,
	                      cmd->password, &ok, e);
	if (rc != 0)
		return rc;
	if (found && !ok) {
		struct audit_actor actor = {"user", user.id, user.email, cmd->ip, cmd->user_agent};
		audit_note(c, user.account_id, &actor, "auth.login_failed", user.email, NULL);
	}
	if (!found || !ok)
		return invalid_credentials(c, ekey, ikey, cmd->ip, e);
	struct account_row acct;
	rc = load_active_account(c, user.account_id, &acct, e);
	if (rc != 0)
		return rc;
	ratelimit_fail_clear(c->svc->login_fails, ekey);
	rc = sessions_issue(c, &user, &acct, cmd->ip, cmd->user_agent, out, e);
	if (rc == 0) {
		struct audit_actor actor = {"user", user.id, user.email, cmd->ip, cmd->user_agent};
		audit_note(c, acct.id, &actor, "auth.login", user.email, NULL);
		log_info("pixels:auth", "login ok user=%s account=%s ip=%s", user.id, acct.id,
		         cmd->ip ? cmd->ip : "-");
	}
	return rc;
}

static int expired(struct err *e)
{
	return err_set(e, ERR_AUTH, "SESSION_EXPIRED",
	               "Your session has expired. Please log in again.");
}

int sessions_authenticate(struct ctx *c, const char *token, struct session_auth *out, struct err *e)
{
	size_t len = strlen(token);
	if (len != SESSIONS_TOKEN_SIZE - 1 || !str_starts_with(str_from(token), "pxs_"))
		return expired(e);
	char hash[SEC_SHA256_HEX];
	token_hash(c, token, hash);
	bool found = false;
	int rc = store_session_find_by_hash(c->store, hash, &out->session, &found, e);
	if (rc != 0)
		return rc;
	/* The hash matched by index lookup; compare again in constant time as a belt. */
	if (!found || !sec_equal(hash, 64, out->session.token_hash, 64))
		return expired(e);
	if (out->session.revoked_at != 0 || out->session.expires_at <= svc_now(c))
		return expired(e);
	struct err tmp = {0};
	rc = store_user_get(c->store, out->session.account_id, out->session.user_id, &out->user,
	                    &tmp);
	if (rc == ERR_NOT_FOUND)
		return expired(e);
	if (rc != 0) {
		*e = tmp;
		return rc;
	}
	return load_active_account(c, out->session.account_id, &out->account, e);
}

int sessions_logout(struct ctx *c, const struct session_auth *auth, struct err *e)
{
	int rc = store_session_revoke(c->store, auth->session.account_id, auth->session.id,
	                              svc_now(c), e);
	if (rc == 0) {
		struct audit_actor actor = {"user", auth->user.id, auth->user.email, auth->ip,
		                            auth->user_agent};
		audit_note(c, auth->account.id, &actor, "auth.logout", auth->user.email, NULL);
		log_info("pixels:auth", "logout user=%s", auth->user.id);
	}
	return rc;
}

int sessions_change_password(struct ctx *c, const struct session_auth *auth, const char *current,
                             const char *new_password, struct err *e)
{
	if (!current || !*current)
		return err_field(e, "currentPassword", "is required");
	int rc = passwords_check_policy(new_password, "newPassword", e);
	if (rc != 0)
		return rc;
	bool ok = false;
	rc = passwords_verify(c->svc->passwords, auth->user.password_hash, current, &ok, e);
	if (rc != 0)
		return rc;
	if (!ok)
		return err_set(e, ERR_AUTH, "INVALID_CREDENTIALS", "Current password is incorrect");
	char hash[SEC_PWHASH_MAX];
	rc = passwords_hash(c->svc->passwords, new_password, hash, e);
	if (rc != 0)
		return rc;
	int64_t now = svc_now(c);
	const char *acct = auth->user.account_id, *uid = auth->user.id;
	rc = store_begin(c->store, e);
	if (rc == 0)
		rc = store_user_update_password(c->store, acct, uid, hash, now, e);
	if (rc == 0)
		rc = store_session_revoke_user(c->store, acct, uid, auth->session.id, now, e);
	if (rc == 0)
		rc = store_commit(c->store, e);
	if (rc != 0)
		store_rollback(c->store);
	else {
		struct audit_actor actor = {"user", uid, auth->user.email, auth->ip,
		                            auth->user_agent};
		audit_note(c, acct, &actor, "auth.password_changed", auth->user.email, NULL);
		log_info("pixels:auth", "password changed user=%s; other sessions revoked", uid);
	}
	return rc;
}
