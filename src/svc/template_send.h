/* Sending an approved template through the same durable path as messages_send (idempotency
 * keys, group commit, the dispatcher, the same answers), but without the 24-hour window
 * check: templates are what WhatsApp allows outside it. Everything is checked before the
 * durable write, so a refused send never reaches Meta. */
#ifndef PIXELS_SVC_TEMPLATE_SEND_H
#define PIXELS_SVC_TEMPLATE_SEND_H

#include "core/jsonw.h"
#include "svc/messages.h"

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

/* Errors: those of messages_send, plus ERR_NOT_FOUND "TEMPLATE_NOT_FOUND" ("Template '<name>'
 * not found or not approved"), ERR_INVALID "TEMPLATE_PARAMS_MISMATCH" ("Template '<name>' has
 * N variable(s) but M were given"), VALIDATION_ERROR (variables, headerMedia, buttons). On
 * success the template's usage count and last use are updated. Blocks up to SEND_WAIT_MS. */
int template_send(struct ctx *c, const char *account_id, const struct template_send_cmd *cmd,
                  struct send_answer *out, struct err *e);

#endif
