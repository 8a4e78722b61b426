/* WhatsApp numbers of an account: connect (Meta phone-number id, WABA id, access token,
 * optional app secret and throughput), test against Meta, pick the default, remove. Access
 * tokens and app secrets are sealed by the vault and never returned. In sandbox mode every
 * account gets a "Sandbox" number wired to the built-in simulator. */
#ifndef PIXELS_SVC_NUMBERS_H
#define PIXELS_SVC_NUMBERS_H

#include <stdbool.h>

#include "svc/svc.h"

struct number_cmd {
	const char *phone_number_id;
	const char *waba_id;
	const char *access_token;
	const char *display_name;
	const char *display_phone;
	const char *app_secret;
	int64_t throughput_mps; /* 0 = keep / default 80 */
};

/* Errors: VALIDATION_ERROR; ERR_CONFLICT "PHONE_NUMBER_IN_USE". The first number of an
 * account becomes its default. */
int numbers_create(struct ctx *c, const char *account_id, const struct number_cmd *cmd,
                   struct number_row *out, struct err *e);
/* Changes the given fields (NULL/0 = keep). A new token clears "reconnect required". */
int numbers_update(struct ctx *c, const char *account_id, const char *id,
                   const struct number_cmd *cmd, struct number_row *out, struct err *e);
/* Removes a number; if it was the default, the oldest remaining one becomes default. */
int numbers_delete(struct ctx *c, const char *account_id, const char *id, struct err *e);
int numbers_get(struct ctx *c, const char *account_id, const char *id, struct number_row *out,
                struct err *e);
int numbers_set_default(struct ctx *c, const char *account_id, const char *id, struct err *e);
int numbers_list(struct ctx *c, const char *account_id,
                 void (*each)(void *arg, const struct number_row *row), void *arg, struct err *e);
/* Calls Meta's GET /{phone-number-id} with the number's token; stores display number,
 * verified name and quality rating. Meta's 190 marks the number "reconnect required"
 * (ERR_UPSTREAM "META_TOKEN_EXPIRED"); other failures ERR_UPSTREAM "META_ERROR". */
int numbers_test(struct ctx *c, const char *account_id, const char *id, struct number_row *out,
                 struct err *e);
/* The number a send uses: phone_number_id (Meta's id) when given, else the default.
 * ERR_INVALID "NO_PHONE_NUMBER" "No active WhatsApp phone number configured for this
 * account"; ERR_UNPROCESSABLE "PHONE_NUMBER_UNAVAILABLE" when it needs reconnecting or is
 * paused. */
int numbers_resolve(struct ctx *c, const char *account_id, const char *phone_number_id,
                    struct number_row *out, struct err *e);
/* Opens the access token of a number into out (zero it after use). */
int numbers_token(struct ctx *c, const struct number_row *n, char *out, size_t cap, struct err *e);
/* Sandbox: makes sure the account has its "Sandbox" number. */
int numbers_ensure_sandbox(struct ctx *c, const char *account_id, struct err *e);

/* Sandbox: tells the (fresh) embedded simulator every sandbox number and the templates
 * submitted under it, with their ids and statuses (see sandbox_restore.c). Failures to reach
 * the simulator are logged, not returned. */
int numbers_sandbox_restore(struct ctx *c, struct err *e);

#endif
