/* Decoding of Meta's webhook POST bodies (object "whatsapp_business_account") into one
 * callback per status, inbound message, template-status change, system error or other field.
 * Tolerant by design: Meta adds and drops fields (status contacts without "profile", users
 * without a phone number), so a missing or oddly typed field is left empty, never an error.
 * Every string in the event structs is non-NULL ("" when absent) and borrowed: valid during
 * the callback only. The signature is checked before this runs (meta/signature.h). */
#ifndef PIXELS_META_WEBHOOK_H
#define PIXELS_META_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/jsonw.h"

/* At most this many events (statuses + messages + template updates + value errors + other
 * fields together) are delivered per payload; the rest are dropped with a warning. Meta
 * batches a few dozen at most; the HTTP body cap bounds the payload long before this. */
#define META_WEBHOOK_MAX_EVENTS 1000

/* The first of an event's errors[] (Meta's {code, title, message, error_data:{details}}). */
struct meta_event_error {
	int count; /* number of entries in errors[]; the fields below are the first one's */
	int code;  /* 0 when count is 0 (0 is also Meta's "auth failed": check count) */
	const char *title;
	const char *message;
	const char *details;
};

/* value.statuses[i] of field "messages": what happened to a message we sent. */
struct meta_status_event {
	const char *waba_id;         /* entry.id */
	const char *phone_number_id; /* value.metadata */
	const char *display_phone;
	const char *wa_message_id; /* statuses[].id, "wamid...." */
	const char *status;        /* "sent" | "delivered" | "read" | "failed" | other as sent */
	int64_t timestamp;         /* unix seconds; 0 when absent or unparseable */
	const char *recipient_id;  /* wa_id of the recipient; may be "" (username-only users) */
	const char *recipient_user_id; /* BSUID (recipient_user_id or contacts[].user_id), or "" */
	const char *conversation_id;
	const char *conversation_origin; /* conversation.origin.type */
	bool has_pricing;                /* a pricing object was present */
	bool billable;
	const char *pricing_category;
	const char *pricing_model; /* "CBP" | "PMP" */
	const char *biz_opaque_callback_data;
	struct meta_event_error error;
};

/* Media of image/audio/video/document/sticker messages (all "" for other types). */
struct meta_inbound_media {
	const char *id; /* fetch with GET /{id} (reference A.1) */
	const char *mime_type;
	const char *sha256;
	const char *caption;
	const char *filename; /* documents */
};

struct meta_inbound_location {
	bool present;
	double latitude;
	double longitude;
	const char *name;
	const char *address;
};

/* value.messages[i] of field "messages": a message a user sent us. */
struct meta_inbound_message {
	const char *waba_id;
	const char *phone_number_id;
	const char *display_phone;
	const char *from;         /* wa_id; "" for username-only users without a phone number */
	const char *user_id;      /* BSUID (message.from_user_id or contacts[].user_id), or "" */
	const char *profile_name; /* contacts[].profile.name of the sender, or "" */
	const char *wa_message_id;
	int64_t timestamp; /* unix seconds; 0 when absent or unparseable */
	const char *type;  /* as sent: "text", "image", ..., "system", "unsupported", ... */
	const char *text;  /* text.body, button.text, button_reply/list_reply title,
	                      reaction.emoji, system.body, order.text; else "" */
	struct meta_inbound_media media;
	struct meta_inbound_location location;
	const char *interactive_id;      /* button_reply.id, list_reply.id or button.payload */
	const char *context_message_id;  /* context.id: the message this one replies to */
	const char *reaction_message_id; /* reaction.message_id */
	struct meta_event_error error;   /* messages[].errors (type "unsupported") */
	const char *raw;                 /* the message object as compact JSON */
	size_t raw_len;
	const char *preview; /* short human text (<= 200 bytes, whole UTF-8 characters, one line):
	                        the text, or "📷 Photo", "📄 Document: name", "[system] ..." ... */
};

/* Field "message_template_status_update". */
struct meta_template_event {
	const char *waba_id;
	const char *event;               /* "APPROVED", "REJECTED", "PAUSED", "DISABLED", ... */
	const char *message_template_id; /* as text (Meta sends a number) */
	const char *name;
	const char *language;
	const char *reason; /* "NONE" or a rejection reason */
	const char *category;
};

/* value.errors[i]: a system-level error not tied to one message (e.g. 130429). */
struct meta_value_error {
	const char *waba_id;
	const char *phone_number_id;
	int code;
	const char *title;
	const char *message;
	const char *details;
};

/* Callbacks, each optional (NULL = ignore), called in payload order with arg. */
struct meta_webhook_handler {
	void (*status)(void *arg, const struct meta_status_event *ev);
	void (*message)(void *arg, const struct meta_inbound_message *msg);
	void (*template_status)(void *arg, const struct meta_template_event *ev);
	void (*value_error)(void *arg, const struct meta_value_error *ev);
	void (*other)(void *arg, const char *field); /* any other field, e.g. "account_update" */
	void *arg;
};

/* Decodes body (len bytes, the raw POST body) and calls h's callbacks for every entry[] and
 * changes[] in it (h may be NULL: validation only). Errors: ERR_INVALID "INVALID_JSON" (not a JSON
 * object, or nested deeper than JSONW_MAX_DEPTH), ERR_INVALID "UNSUPPORTED_OBJECT" (object is not
 * "whatsapp_business_account"); no callback runs then. Anything else is tolerated. */
int meta_webhook_parse(const char *body, size_t len, const struct meta_webhook_handler *h,
                       struct err *e);
/* meta_webhook_parse in two steps, so the decoding can run later on another thread: load
 * checks body as above and gives its document (*root, the caller's to json_decref; NULL on
 * error); decode calls h's callbacks for it. */
int meta_webhook_load(const char *body, size_t len, json_t **root, struct err *e);
void meta_webhook_decode(json_t *root, const struct meta_webhook_handler *h);

#endif
