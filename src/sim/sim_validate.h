/* Validation of a send-message body (POST /{phone-number-id}/messages) the way Meta checks it:
 * messaging_product, to, type and the per-type object (text, media oneOf id/link, location,
 * contacts, reaction, interactive buttons/lists, template), context and mark-as-read. Pure and
 * thread-safe; the limits (4096-character text, 3 buttons, 10 rows ...) are Meta's. */
#ifndef PIXELS_SIM_SIM_VALIDATE_H
#define PIXELS_SIM_SIM_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/jsonw.h"

/* What the sender needs from a valid body. Strings are borrowed from the JSON object. */
struct sim_send_req {
	bool mark_read;            /* {status:"read", message_id}: no message is created */
	const char *to;            /* as sent */
	char wa_id[16];            /* its digits */
	const char *type;          /* "text" when absent */
	const char *template_name; /* type template */
	const char *template_lang;
	int body_params;        /* parameters of the template's body component */
	const char *biz_opaque; /* biz_opaque_callback_data or NULL */
};

/* Checks body. 0 and *out filled, or -1 with a sentence naming the problem in details
 * (cap bytes), which becomes error_data.details of a code 100 envelope. */
int sim_validate_send(json_t *body, struct sim_send_req *out, char *details, size_t cap);

#endif
