/* Integration tokens: the credential an integration such as Enromatics uses. Format
 * "wpi_int_" + 64 lower-case hex characters (32 bytes from libsodium's CSPRNG), 72 in all.
 * Only SHA-256(token) is stored (a 256-bit random token cannot be recovered from its hash,
 * and a plain hash keeps working across instances and JWT_SECRET rotations), plus the first
 * 12 characters as a prefix to recognise it. One live token per account: generating revokes
 * the previous one in the same transaction. */
#ifndef PIXELS_SVC_TOKENS_H
#define PIXELS_SVC_TOKENS_H

#include <stdbool.h>

#include "svc/audit.h"
#include "svc/sessions.h"
#include "svc/svc.h"

#define TOKENS_PREFIX "wpi_int_"
#define TOKENS_LEN 72
#define TOKENS_SHOWN 12 /* characters kept as the prefix */

/* A freshly generated token. token is secret: zero the struct after replying. */
struct token_grant {
	char token[TOKENS_LEN + 1];
	struct token_row row;
};

/* The caller of an integration request. */
struct token_auth {
	struct token_row token;
	struct account_row account;
};

/* Generates a token for the caller's account, revoking the current one, and audits it.
 * ERR_FORBIDDEN "INSUFFICIENT_ROLE" unless owner or admin. */
int tokens_generate(struct ctx *c, const struct session_auth *by, const char *ip,
                    const char *user_agent, struct token_grant *out, struct err *e);
/* The account's current (not revoked) token; *found false when none. */
int tokens_current(struct ctx *c, const char *account_id, struct token_row *out, bool *found,
                   struct err *e);
/* Revokes the account's token. ERR_NOT_FOUND "TOKEN_NOT_FOUND" when there is none. */
int tokens_revoke(struct ctx *c, const struct session_auth *by, const char *ip,
                  const char *user_agent, struct err *e);
/* Checks a presented credential (NULL = none was sent) for an integration request from ip.
 * Errors (ERR_AUTH unless noted): TOKEN_NOT_PROVIDED, INVALID_TOKEN_FORMAT, INVALID_TOKEN,
 * TOKEN_REVOKED, TOKEN_EXPIRED, ACCOUNT_NOT_FOUND, ACCOUNT_INACTIVE; ERR_LIMIT
 * TOO_MANY_ATTEMPTS (too many failed checks from ip) and RATE_LIMIT_EXCEEDED (the token's
 * request rate), both with retry_after_s. Logs under pixels:auth without the token. */
int tokens_authenticate(struct ctx *c, const char *presented, const char *ip,
                        const char *user_agent, struct token_auth *out, struct err *e);
/* "active", "expired" or "revoked" for a row at the current time. */
const char *tokens_status(struct ctx *c, const struct token_row *t);

#endif
