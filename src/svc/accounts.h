/* Accounts (tenants) and their users: first-run and open signup, CLI user creation, profile
 * updates, password resets. Emails are validated and lower-cased here, once. */
#ifndef PIXELS_SVC_ACCOUNTS_H
#define PIXELS_SVC_ACCOUNTS_H

#include <stdbool.h>

#include "svc/sessions.h"
#include "svc/svc.h"

struct signup_cmd {
	const char *name;
	const char *email;
	const char *password;
	const char *company; /* optional: the account's name; defaults to the user's name */
	const char *ip;
	const char *user_agent;
};

struct user_create_cmd {
	const char *email;
	const char *name;
	const char *password;
	const char *account; /* existing account id to join, or a name for a new account; NULL
	                        = new account named after the user */
	const char *role;    /* owner|admin|agent; NULL = owner of a new account, agent when
	                        joining */
};

/* Validates and lower-cases an email into out. VALIDATION_ERROR naming field otherwise. */
int accounts_normalize_email(const char *in, const char *field, char out[STORE_EMAIL_MAX],
                             struct err *e);
/* needs_setup: no user exists yet. signup_allowed: signup would be accepted now. */
int accounts_signup_status(struct ctx *c, bool *needs_setup, bool *signup_allowed, struct err *e);
/* Creates an account and its owner, then a session. Allowed when no user exists or
 * ALLOW_SIGNUP is on (checked inside the write transaction, so two first-run signups cannot
 * both win). Errors: VALIDATION_ERROR, ERR_FORBIDDEN "SIGNUP_DISABLED", ERR_CONFLICT
 * "EMAIL_EXISTS". */
int accounts_signup(struct ctx *c, const struct signup_cmd *cmd, struct session_grant *out,
                    struct err *e);
/* For `pixels user create`. Errors as signup, plus ERR_INVALID "INVALID_ROLE". */
int accounts_create_user(struct ctx *c, const struct user_create_cmd *cmd, struct user_row *out,
                         struct account_row *acct_out, struct err *e);
/* Sets a user's password by email and revokes all their sessions (`pixels user
 * reset-password`). ERR_NOT_FOUND "USER_NOT_FOUND". */
int accounts_reset_password(struct ctx *c, const char *email, const char *password, struct err *e);
/* Updates the caller's name and/or email (NULL = keep). ERR_CONFLICT "EMAIL_EXISTS". */
int accounts_update_profile(struct ctx *c, const struct session_auth *auth, const char *name,
                            const char *email, struct user_row *out, struct err *e);

#endif
