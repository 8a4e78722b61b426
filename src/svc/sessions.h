/* Dashboard sessions: login with a real argon2id check, opaque random session tokens of which
 * only a keyed hash (HMAC-SHA256 with JWT_SECRET) is stored, expiry after JWT_EXPIRES_IN,
 * revocation at logout and password change, lockout after repeated failures per email and
 * per client IP. A token is "pxs_" + 64 hex characters. */
#ifndef PIXELS_SVC_SESSIONS_H
#define PIXELS_SVC_SESSIONS_H

#include "svc/svc.h"

#define SESSIONS_TOKEN_PREFIX "pxs_"
#define SESSIONS_TOKEN_SIZE (4 + 64 + 1)

/* A freshly issued session. token is a secret: callers zero the struct (sec_zero) after
 * writing the reply. */
struct session_grant {
	char token[SESSIONS_TOKEN_SIZE];
	int64_t expires_at;
	struct user_row user;
	struct account_row account;
};

/* What an authenticated dashboard request knows about its caller. */
struct session_auth {
	struct session_row session;
	struct user_row user;
	struct account_row account;
	const char *ip;         /* the current request's client address (borrowed) */
	const char *user_agent; /* the current request's User-Agent, may be NULL (borrowed) */
};

struct login_cmd {
	const char *email;
	const char *password;
	const char *ip;         /* client address, for lockout and the session record */
	const char *user_agent; /* may be NULL */
};

/* Checks the password and issues a session. Errors: VALIDATION_ERROR; ERR_AUTH
 * "INVALID_CREDENTIALS" (same answer and similar timing for unknown email and wrong
 * password); ERR_LIMIT "TOO_MANY_ATTEMPTS" with retry_after_s; ERR_FORBIDDEN
 * "ACCOUNT_INACTIVE"; ERR_UNAVAILABLE "SERVER_BUSY". Blocks for one argon2id verification. */
int sessions_login(struct ctx *c, const struct login_cmd *cmd, struct session_grant *out,
                   struct err *e);
/* Issues a session for an already verified user (used right after signup). */
int sessions_issue(struct ctx *c, const struct user_row *user, const struct account_row *acct,
                   const char *ip, const char *user_agent, struct session_grant *out,
                   struct err *e);
/* Resolves a presented token. Errors: ERR_AUTH "SESSION_EXPIRED" (unknown, revoked or
 * expired token, or deleted user); ERR_FORBIDDEN "ACCOUNT_INACTIVE". */
int sessions_authenticate(struct ctx *c, const char *token, struct session_auth *out,
                          struct err *e);
/* Revokes the caller's session. */
int sessions_logout(struct ctx *c, const struct session_auth *auth, struct err *e);
/* Verifies current, stores the new hash, revokes every other session of the user.
 * Errors: VALIDATION_ERROR, ERR_AUTH "INVALID_CREDENTIALS" "Current password is incorrect". */
int sessions_change_password(struct ctx *c, const struct session_auth *auth, const char *current,
                             const char *new_password, struct err *e);

#endif
