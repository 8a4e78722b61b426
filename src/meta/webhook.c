/* Webhook payload decoding: the envelope (object, entry[], changes[]), statuses, template
 * status updates, system-level errors and other fields. Inbound messages are decoded in
 * webhook_messages.c. Every array is walked in full (Meta batches), bounded by
 * META_WEBHOOK_MAX_EVENTS; only a non-JSON body or a foreign object is an error. */
#include "meta/webhook.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "meta/webhook_internal.h"

const char *meta_webhook_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

int meta_webhook_int(json_t *obj, const char *key, int fallback)
{
	json_t *v = json_object_get(obj, key);
	int64_t n = 0;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (!json_is_string(v) ||
	         str_parse_i64(str_from(json_string_value(v)), INT32_MIN, INT32_MAX, &n) != 0)
		return fallback;
	return n < INT32_MIN || n > INT32_MAX ? fallback : (int)n;
}

int64_t meta_webhook_time(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	int64_t n = 0;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_string(v))
		str_parse_i64(str_from(json_string_value(v)), 0, INT64_MAX, &n);
	return n > 0 ? n : 0;
}

void meta_webhook_error(json_t *errors, struct meta_event_error *out)
{
	json_t *first = json_array_get(errors, 0);
	out->count =
	    (int)(json_array_size(errors) > INT32_MAX ? INT32_MAX : json_array_size(errors));
	out->code = meta_webhook_int(first, "code", 0);
	out->title = meta_webhook_str(first, "title");
	out->message = meta_webhook_str(first, "message");
	out->details = meta_webhook_str(json_object_get(first, "error_data"), "details");
}

json_t *meta_webhook_contact(const struct meta_webhook_ctx *c, const char *wa_id,
                             const char *user_id)
{
	size_t i;
	json_t *contact;
	json_array_foreach(c->contacts, i, contact)
	{
		if (wa_id[0] && strcmp(meta_webhook_str(contact, "wa_id"), wa_id) == 0)
			return contact;
		if (user_id[0] && strcmp(meta_webhook_str(contact, "user_id"), user_id) == 0)
			return contact;
	}
	return json_array_size(c->contacts) == 1 ? json_array_get(c->contacts, 0) : NULL;
}

bool meta_webhook_take(struct meta_webhook_ctx *c)
{
	if (c->events >= META_WEBHOOK_MAX_EVENTS) {
		c->dropped++;
		return false;
	}
	c->events++;
	return true;
}

static void decode_status(struct meta_webhook_ctx *c, json_t *s)
{
	json_t *conversation = json_object_get(s, "conversation");
	json_t *pricing = json_object_get(s, "pricing");
	struct meta_status_event ev = {
	    .waba_id = c->waba_id,
	    .phone_number_id = c->phone_number_id,
	    .display_phone = c->display_phone,
	    .wa_message_id = meta_webhook_str(s, "id"),
	    .status = meta_webhook_str(s, "status"),
	    .timestamp = meta_webhook_time(s, "timestamp"),
	    .recipient_id = meta_webhook_str(s, "recipient_id"),
	    .recipient_user_id = meta_webhook_str(s, "recipient_user_id"),
	    .conversation_id = meta_webhook_str(conversation, "id"),
	    .conversation_origin =
	        meta_webhook_str(json_object_get(conversation, "origin"), "type"),
	    .has_pricing = json_is_object(pricing),
	    .billable = json_is_true(json_object_get(pricing, "billable")),
	    .pricing_category = meta_webhook_str(pricing, "category"),
	    .pricing_model = meta_webhook_str(pricing, "pricing_model"),
	    .biz_opaque_callback_data = meta_webhook_str(s, "biz_opaque_callback_data"),
	};
	if (!ev.recipient_user_id[0]) {
		json_t *contact = meta_webhook_contact(c, ev.recipient_id, "");
		ev.recipient_user_id = meta_webhook_str(contact, "user_id");
	}
	meta_webhook_error(json_object_get(s, "errors"), &ev.error);
	if (c->h->status)
		c->h->status(c->h->arg, &ev);
}

static void decode_value_error(struct meta_webhook_ctx *c, json_t *err)
{
	struct meta_value_error ev = {
	    .waba_id = c->waba_id,
	    .phone_number_id = c->phone_number_id,
	    .code = meta_webhook_int(err, "code", 0),
	    .title = meta_webhook_str(err, "title"),
	    .message = meta_webhook_str(err, "message"),
	    .details = meta_webhook_str(json_object_get(err, "error_data"), "details"),
	};
	if (c->h->value_error)
		c->h->value_error(c->h->arg, &ev);
}

/* Field "messages": statuses[], messages[] and errors[] of one value, in that order. */
static void decode_messages_value(struct meta_webhook_ctx *c, json_t *value)
{
	json_t *metadata = json_object_get(value, "metadata");
	c->phone_number_id = meta_webhook_str(metadata, "phone_number_id");
	c->display_phone = meta_webhook_str(metadata, "display_phone_number");
	c->contacts = json_object_get(value, "contacts");
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(value, "statuses"), i, item)
	{
		if (json_is_object(item) && meta_webhook_take(c))
			decode_status(c, item);
	}
	json_array_foreach(json_object_get(value, "messages"), i, item)
	{
		if (json_is_object(item) && meta_webhook_take(c))
			meta_webhook_message(c, item);
	}
	json_array_foreach(json_object_get(value, "errors"), i, item)
	{
		if (json_is_object(item) && meta_webhook_take(c))
			decode_value_error(c, item);
	}
	c->contacts = NULL;
}

static void decode_template_status(struct meta_webhook_ctx *c, json_t *value)
{
	char id_text[32];
	const char *id = meta_webhook_str(value, "message_template_id");
	json_t *id_num = json_object_get(value, "message_template_id");
	if (json_is_integer(id_num)) {
		snprintf(id_text, sizeof(id_text), "%" PRId64, (int64_t)json_integer_value(id_num));
		id = id_text;
	}
	struct meta_template_event ev = {
	    .waba_id = c->waba_id,
	    .event = meta_webhook_str(value, "event"),
	    .message_template_id = id,
	    .name = meta_webhook_str(value, "message_template_name"),
	    .language = meta_webhook_str(value, "message_template_language"),
	    .reason = meta_webhook_str(value, "reason"),
	    .category = meta_webhook_str(value, "message_template_category"),
	};
	if (c->h->template_status)
		c->h->template_status(c->h->arg, &ev);
}

static void decode_change(struct meta_webhook_ctx *c, json_t *change)
{
	const char *field = meta_webhook_str(change, "field");
	json_t *value = json_object_get(change, "value");
	if (strcmp(field, "messages") == 0) {
		decode_messages_value(c, value);
	} else if (strcmp(field, "message_template_status_update") == 0) {
		if (meta_webhook_take(c))
			decode_template_status(c, value);
	} else if (field[0] && meta_webhook_take(c) && c->h->other) {
		c->h->other(c->h->arg, field);
	}
}

static void decode_entry(struct meta_webhook_ctx *c, json_t *entry)
{
	char id_text[32];
	json_t *id = json_object_get(entry, "id");
	c->waba_id = meta_webhook_str(entry, "id");
	if (json_is_integer(id)) {
		snprintf(id_text, sizeof(id_text), "%" PRId64, (int64_t)json_integer_value(id));
		c->waba_id = id_text;
	}
	size_t i;
	json_t *change;
	json_array_foreach(json_object_get(entry, "changes"), i, change)
	{
		if (json_is_object(change))
			decode_change(c, change);
	}
	c->waba_id = "";
}

void meta_webhook_decode(json_t *root, const struct meta_webhook_handler *h)
{
	static const struct meta_webhook_handler none;
	struct meta_webhook_ctx c = {
	    .h = h ? h : &none, .waba_id = "", .phone_number_id = "", .display_phone = ""};
	size_t i;
	json_t *entry;
	json_array_foreach(json_object_get(root, "entry"), i, entry)
	{
		if (json_is_object(entry))
			decode_entry(&c, entry);
	}
	if (c.dropped > 0)
		log_warn("pixels:meta", "webhook payload: %zu events over the limit of %d dropped",
		         c.dropped, META_WEBHOOK_MAX_EVENTS);
}

int meta_webhook_load(const char *body, size_t len, json_t **root, struct err *e)
{
	*root = NULL;
	json_t *doc = NULL;
	int rc = jsonw_parse_object(body, len, &doc, e);
	if (rc != 0)
		return rc;
	if (strcmp(meta_webhook_str(doc, "object"), "whatsapp_business_account") != 0) {
		json_decref(doc);
		return err_set(e, ERR_INVALID, "UNSUPPORTED_OBJECT",
		               "Webhook object must be \"whatsapp_business_account\"");
	}
	*root = doc;
	return 0;
}

int meta_webhook_parse(const char *body, size_t len, const struct meta_webhook_handler *h,
                       struct err *e)
{
	json_t *root = NULL;
	int rc = meta_webhook_load(body, len, &root, e);
	if (rc != 0)
		return rc;
	meta_webhook_decode(root, h);
	json_decref(root);
	return 0;
}
