/* Internal to meta/webhook*.c: the decoding context of one payload and the tolerant field
 * readers shared by webhook.c (entries, statuses, templates, errors) and webhook_messages.c
 * (inbound messages). Readers never fail: a missing or mistyped field reads as "" or 0. */
#ifndef PIXELS_META_WEBHOOK_INTERNAL_H
#define PIXELS_META_WEBHOOK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "meta/webhook.h"

struct meta_webhook_ctx {
	const struct meta_webhook_handler *h;
	const char *waba_id;         /* entry.id of the entry being decoded */
	const char *phone_number_id; /* value.metadata of the change being decoded */
	const char *display_phone;
	json_t *contacts; /* value.contacts (borrowed; may be NULL or not an array) */
	size_t events;    /* events delivered so far */
	size_t dropped;   /* events over META_WEBHOOK_MAX_EVENTS */
};

/* obj[key] when it is a string, else "" (obj may be NULL or not an object). Borrowed. */
const char *meta_webhook_str(json_t *obj, const char *key);
/* obj[key] as an int: an integer or a decimal string within int range, else fallback. */
int meta_webhook_int(json_t *obj, const char *key, int fallback);
/* obj[key] as unix seconds: "1750263776" or 1750263776; 0 when absent or junk. */
int64_t meta_webhook_time(json_t *obj, const char *key);
/* Reads errors (an errors[] array, may be NULL) into out. */
void meta_webhook_error(json_t *errors, struct meta_event_error *out);
/* The value.contacts[] element of the user with this wa_id or BSUID ("" never matches); when
 * none matches and there is exactly one contact, that one. NULL when there are no contacts. */
json_t *meta_webhook_contact(const struct meta_webhook_ctx *c, const char *wa_id,
                             const char *user_id);
/* Counts one event against META_WEBHOOK_MAX_EVENTS; false (and counted as dropped) when the
 * budget is spent. */
bool meta_webhook_take(struct meta_webhook_ctx *c);

/* Decodes one value.messages[] element and calls h->message (webhook_messages.c). */
void meta_webhook_message(struct meta_webhook_ctx *c, json_t *m);

#endif
