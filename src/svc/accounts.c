/* Accounts and users; see accounts.h. Password hashing happens before any write transaction
 * opens, so a slow argon2id never holds the database's write lock. */
#include "svc/accounts.h"

#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "svc/audit.h"
#include "svc/passwords.h"

int accounts_normalize_email(const char *in, const char *field, char out[STORE_EMAIL_MAX],
                             struct err *e)
{
	if (!in || !*in)
		return err_field(e, field, "is required");
	size_t len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	while (len > 0 && (*in == ' ' || *in == '\t')) {
		in++;
		len--;
	}
	if (len < 3 || len > 254)
		return err_field(e, field, "must be a valid email address");
	const char *at = memchr(in, '@', len);
	if (!at || at == in || memchr(at + 1, '@', len - (size_t)(at - in) - 1))
		return err_field(e, field, "must be a valid email address");
	size_t domain_len = len - (size_t)(at - in) - 1;
	const char *dot = memchr(at + 1, '.', domain_len);
	if (!dot || dot == at + 1 || at[domain_len] == '.')
		return err_field(e, field, "must be a valid email address");
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (ch <= ' ' || ch == 0x7F || ch == '<' || ch == '>' || ch == ',' || ch == ';')
			return err_field(e, field, "must be a valid email address");
	}
	str_copy(out, STORE_EMAIL_MAX, (struct str){in, len});
	str_lower_inplace(out);
	return 0;
}

static int check_name(const char *name, const char *field, bool required, struct err *e)
{
	if (!name || !*name)
		return required ? err_field(e, field, "is required") : 0;
	size_t len = strlen(name);
	if (len >= STORE_NAME_MAX)
		return err_field(e, field, "must be at most %d characters", STORE_NAME_MAX - 1);
	if (!str_is_clean_utf8((struct str){name, len}))
		return err_field(e, field, "must be plain text");
	return 0;
}

int accounts_signup_status(struct ctx *c, bool *needs_setup, bool *signup_allowed, struct err *e)
{
	int64_t users = 0;
	int rc = store_user_count(c->store, &users, e);
	if (rc != 0)
		return rc;
	*needs_setup = users == 0;
	*signup_allowed = users == 0 || c->svc->cfg->allow_signup;
	return 0;
}

static void fill_account(struct ctx *c, const char *name, const char *email, struct account_row *a)
{
	memset(a, 0, sizeof(*a));
	int64_t now = svc_now(c);
	ids_new(now, a->id);
	str_copy_cstr(a->name, sizeof(a->name), name);
	str_copy_cstr(a->email, sizeof(a->email), email);
	a->status = ACCOUNT_STATUS_ACTIVE;
	a->created_at = a->updated_at = now;
}

static void fill_user(struct ctx *c, const char *account_id, const char *name, const char *email,
                      const char *hash, enum user_role role, struct user_row *u)
{
	memset(u, 0, sizeof(*u));
	int64_t now = svc_now(c);
	ids_new(now, u->id);
	str_copy_cstr(u->account_id, sizeof(u->account_id), account_id);
	str_copy_cstr(u->name, sizeof(u->name), name);
	str_copy_cstr(u->email, sizeof(u->email), email);
	str_copy_cstr(u->password_hash, sizeof(u->password_hash), hash);
	u->role = role;
	u->created_at = u->updated_at = now;
}

/* Inserts account (when new_account) and user in one transaction; with gate_signup, refuses
 * unless no user exists or signup is open. */
static int insert_owner(struct ctx *c, struct account_row *a, bool new_account, struct user_row *u,
                        bool gate_signup, struct err *e)
{
	int rc = store_begin(c->store, e);
	if (rc != 0)
		return rc;
	if (gate_signup) {
		int64_t users = 0;
		rc = store_user_count(c->store, &users, e);
		if (rc == 0 && users > 0 && !c->svc->cfg->allow_signup)
			rc = err_set(e, ERR_FORBIDDEN, "SIGNUP_DISABLED",
			             "Signup is disabled on this server. Ask an administrator "
			             "for an account.");
	}
	if (rc == 0 && new_account)
		rc = store_account_insert(c->store, a, e);
	if (rc == 0)
		rc = store_user_insert(c->store, u, e);
	if (rc == 0)
		rc = store_commit(c->store, e);
	if (rc != 0)
		store_rollback(c->store);
	if (rc == ERR_CONFLICT) {
		err_clear(e);
		err_set(e, ERR_CONFLICT, "EMAIL_EXISTS",
		        "Email already registered. Please login instead.");
	}
	return rc;
}

int accounts_signup(struct ctx *c, const struct signup_cmd *cmd, struct session_grant *out,
                    struct err *e)
{
	char email[STORE_EMAIL_MAX], hash[SEC_PWHASH_MAX];
	int rc = check_name(cmd->name, "name", true, e);
	if (rc == 0)
		rc = accounts_normalize_email(cmd->email, "email", email, e);
	if (rc == 0)
		rc = passwords_check_policy(cmd->password, "password", e);
	if (rc == 0)
		rc = check_name(cmd->company, "company", false, e);
	if (rc != 0)
		return rc;
	bool needs_setup = false, allowed = false;
	rc = accounts_signup_status(c, &needs_setup, &allowed, e);
	if (rc == 0 && !allowed)
		rc = err_set(e, ERR_FORBIDDEN, "SIGNUP_DISABLED",
		             "Signup is disabled on this server. Ask an administrator for an "
		             "account.");
	if (rc == 0)
		rc = passwords_hash(c->svc->passwords, cmd->password, hash, e);
	if (rc != 0)
		return rc;
	struct account_row acct;
	struct user_row user;
	const char *acct_name = cmd->company && *cmd->company ? cmd->company : cmd->name;
	fill_account(c, acct_name, email, &acct);
	fill_user(c, acct.id, cmd->name, email, hash, USER_ROLE_OWNER, &user);
	rc = insert_owner(c, &acct, true, &user, true, e);
	if (rc != 0)
		return rc;
	log_info("pixels:auth", "signup: account=%s owner=%s", acct.id, user.id);
	struct audit_actor actor = {"user", user.id, user.email, cmd->ip, cmd->user_agent};
	audit_note(c, acct.id, &actor, "account.created", acct.name, NULL);
	return sessions_issue(c, &user, &acct, cmd->ip, cmd->user_agent, out, e);
}

/* Resolves --account: an existing account id to join, else a name for a new account. */
static int resolve_account(struct ctx *c, const struct user_create_cmd *cmd, const char *email,
                           struct account_row *acct, bool *is_new, struct err *e)
{
	*is_new = true;
	if (cmd->account && ids_is_valid(str_from(cmd->account))) {
		struct err tmp = {0};
		int rc = store_account_get(c->store, cmd->account, acct, &tmp);
		if (rc == 0) {
			*is_new = false;
			return 0;
		}
		if (rc != ERR_NOT_FOUND) {
			*e = tmp;
			return rc;
		}
	}
	const char *name = cmd->account && *cmd->account ? cmd->account : cmd->name;
	int rc = check_name(name, "account", true, e);
	if (rc == 0)
		fill_account(c, name, email, acct);
	return rc;
}

int accounts_create_user(struct ctx *c, const struct user_create_cmd *cmd, struct user_row *out,
                         struct account_row *acct_out, struct err *e)
{
	char email[STORE_EMAIL_MAX], hash[SEC_PWHASH_MAX];
	int rc = check_name(cmd->name, "name", true, e);
	if (rc == 0)
		rc = accounts_normalize_email(cmd->email, "email", email, e);
	if (rc == 0)
		rc = passwords_check_policy(cmd->password, "password", e);
	if (rc != 0)
		return rc;
	bool is_new = true;
	rc = resolve_account(c, cmd, email, acct_out, &is_new, e);
	if (rc != 0)
		return rc;
	enum user_role role = is_new ? USER_ROLE_OWNER : USER_ROLE_AGENT;
	if (cmd->role && store_user_role_parse(cmd->role, &role) != 0)
		return err_set(e, ERR_INVALID, "INVALID_ROLE",
		               "role must be owner, admin or agent");
	rc = passwords_hash(c->svc->passwords, cmd->password, hash, e);
	if (rc != 0)
		return rc;
	fill_user(c, acct_out->id, cmd->name, email, hash, role, out);
	return insert_owner(c, acct_out, is_new, out, false, e);
}

int accounts_reset_password(struct ctx *c, const char *email_in, const char *password,
                            struct err *e)
{
	char email[STORE_EMAIL_MAX], hash[SEC_PWHASH_MAX];
	int rc = accounts_normalize_email(email_in, "email", email, e);
	if (rc == 0)
		rc = passwords_check_policy(password, "password", e);
	if (rc != 0)
		return rc;
	struct user_row user;
	bool found = false;
	rc = store_user_find_by_email(c->store, email, &user, &found, e);
	if (rc != 0)
		return rc;
	if (!found)
		return err_set(e, ERR_NOT_FOUND, "USER_NOT_FOUND", "No user with email %s", email);
	rc = passwords_hash(c->svc->passwords, password, hash, e);
	if (rc != 0)
		return rc;
	int64_t now = svc_now(c);
	rc = store_begin(c->store, e);
	if (rc == 0)
		rc = store_user_update_password(c->store, user.account_id, user.id, hash, now, e);
	if (rc == 0)
		rc = store_session_revoke_user(c->store, user.account_id, user.id, NULL, now, e);
	if (rc == 0)
		rc = store_commit(c->store, e);
	if (rc != 0)
		store_rollback(c->store);
	return rc;
}

int accounts_update_profile(struct ctx *c, const struct session_auth *auth, const char *name,
                            const char *email_in, struct user_row *out, struct err *e)
{
	char email[STORE_EMAIL_MAX];
	int rc = check_name(name, "name", false, e);
	if (rc == 0 && email_in)
		rc = accounts_normalize_email(email_in, "email", email, e);
	if (rc != 0)
		return rc;
	const char *new_name = name && *name ? name : auth->user.name;
	const char *new_email = email_in ? email : auth->user.email;
	rc = store_user_update_profile(c->store, auth->user.account_id, auth->user.id, new_name,
	                               new_email, svc_now(c), e);
	if (rc == ERR_CONFLICT) {
		err_clear(e);
		return err_set(e, ERR_CONFLICT, "EMAIL_EXISTS",
		               "This email is already used by another user.");
	}
	if (rc != 0)
		return rc;
	struct audit_actor actor = {"user", auth->user.id, auth->user.email, auth->ip,
	                            auth->user_agent};
	audit_note(c, auth->user.account_id, &actor, "settings.profile_updated", new_email, NULL);
	return store_user_get(c->store, auth->user.account_id, auth->user.id, out, e);
}
