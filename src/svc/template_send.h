/* Sending an approved template through the same durable path as messages_send (idempotency
 * keys, group commit, the dispatcher, the same answers), but without the 24-hour window
 * check: templates are what WhatsApp allows outside it. Everything is checked before the
 * durable write, so a refused send never reaches Meta. */
#ifndef PIXELS_SVC_TEMPLATE_SEND_H
#define PIXELS_SVC_TEMPLATE_SEND_H

#include "core/jsonw.h"
#include "svc/messages.h"
#include "svc/templates.h"

/* Everything borrowed for the call. */
struct template_send_cmd {
	struct send_cmd base;      /* recipient, phone_number_id, idempotency_key, request_hash,
	                              async (the text and media fields are ignored) */
	const char *template_name; /* either this (with language) ... */
	const char *template_id;   /* ... or our template id */
	const char *language;      /* NULL: "en", else the template's only language */
	const json_t *variables; /* array (in order) or object (by name or "1", "2"); NULL = none */
	const char *header_media; /* link for an IMAGE/VIDEO/DOCUMENT header */
	const json_t *buttons;    /* [{index, type:"url"|"quick_reply", text|payload}] */
};

/* The variable values of one send in the template's order (pointers into the given JSON or
 * into this struct: valid while both live). */
struct template_values {
	const char *v[TEMPLATE_VARS_MAX];
	const char *names[TEMPLATE_VARS_MAX]; /* named templates only, else NULL */
	char name_buf[TEMPLATE_VARS_MAX][64];
	char scratch[TEMPLATE_VARS_MAX][24]; /* numbers given as JSON integers */
	size_t n;
	bool named;
};

/* The approved template by our id, or by name and language (NULL: "en" first, else the
 * template's only language). ERR_NOT_FOUND "TEMPLATE_NOT_FOUND". */
int template_send_resolve(struct ctx *c, const char *account_id, const char *name, const char *id,
                          const char *language, struct template_row *t, struct err *e);
/* Orders given (array in order, or object by name or "1", "2"; NULL = none) by the
 * template's variables. ERR_INVALID "TEMPLATE_PARAMS_MISMATCH" for a different count,
 * VALIDATION_ERROR "variables" for a value that is not text or a number. */
int template_send_collect(const struct template_row *t, const json_t *given,
                          struct template_values *out, struct err *e);
/* The header media link and button parameters alone (VALIDATION_ERROR headerMedia, buttons). */
int template_send_check_extras(const struct template_row *t, const char *header_media,
                               const json_t *buttons, struct err *e);
/* Fills msg: a queued template message from num to user (normalised), with its content and
 * Graph request. VALIDATION_ERROR headerMedia, buttons, variables (too large). */
int template_send_prepare(struct ctx *c, const char *account_id, const struct template_row *t,
                          const struct template_values *v, const char *header_media,
                          const json_t *buttons, const struct number_row *num, const char *user,
                          struct message_row *msg, struct err *e);

/* Errors: those of messages_send, plus ERR_NOT_FOUND "TEMPLATE_NOT_FOUND" ("Template '<name>'
 * not found or not approved"), ERR_INVALID "TEMPLATE_PARAMS_MISMATCH" ("Template '<name>' has
 * N variable(s) but M were given"), VALIDATION_ERROR (variables, headerMedia, buttons). On
 * success the template's usage count and last use are updated. The answer comes as for
 * messages_send (cmd->base.queued). */
int template_send(struct ctx *c, const char *account_id, const struct template_send_cmd *cmd,
                  struct send_answer *out, struct err *e);

#endif
