/* Webhook recorder; see webhook_recorder.h. */
#include "webhook_recorder.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

#include <cmocka.h>

#include "meta/webhook.h"

static json_t *event(struct rec *r, const char *kind)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind));
	json_array_append_new(r->events, o);
	size_t n = strlen(r->order);
	if (n + 1 < sizeof(r->order))
		r->order[n] = kind[0];
	return o;
}

static void put(json_t *o, const char *key, const char *value)
{
	assert_non_null(value); /* every string the decoder hands out is non-NULL */
	json_t *v = json_string(value);
	assert_non_null(v); /* ... and valid UTF-8 */
	json_object_set_new(o, key, v);
}

static void put_int(json_t *o, const char *key, int64_t n)
{
	char text[32];
	snprintf(text, sizeof(text), "%" PRId64, n);
	put(o, key, text);
}

static void put_error(json_t *o, const struct meta_event_error *err)
{
	put_int(o, "error_count", err->count);
	put_int(o, "error_code", err->code);
	put(o, "error_title", err->title);
	put(o, "error_message", err->message);
	put(o, "error_details", err->details);
}

static void on_status(void *arg, const struct meta_status_event *ev)
{
	json_t *o = event(arg, "s");
	put(o, "waba_id", ev->waba_id);
	put(o, "phone_number_id", ev->phone_number_id);
	put(o, "display_phone", ev->display_phone);
	put(o, "wa_message_id", ev->wa_message_id);
	put(o, "status", ev->status);
	put_int(o, "timestamp", ev->timestamp);
	put(o, "recipient_id", ev->recipient_id);
	put(o, "recipient_user_id", ev->recipient_user_id);
	put(o, "conversation_id", ev->conversation_id);
	put(o, "conversation_origin", ev->conversation_origin);
	put(o, "has_pricing", ev->has_pricing ? "true" : "false");
	put(o, "billable", ev->billable ? "true" : "false");
	put(o, "pricing_category", ev->pricing_category);
	put(o, "pricing_model", ev->pricing_model);
	put(o, "biz_opaque_callback_data", ev->biz_opaque_callback_data);
	put_error(o, &ev->error);
}

static void on_message(void *arg, const struct meta_inbound_message *m)
{
	json_t *o = event(arg, "m");
	put(o, "waba_id", m->waba_id);
	put(o, "phone_number_id", m->phone_number_id);
	put(o, "display_phone", m->display_phone);
	put(o, "from", m->from);
	put(o, "user_id", m->user_id);
	put(o, "profile_name", m->profile_name);
	put(o, "wa_message_id", m->wa_message_id);
	put_int(o, "timestamp", m->timestamp);
	put(o, "type", m->type);
	put(o, "text", m->text);
	put(o, "media_id", m->media.id);
	put(o, "mime_type", m->media.mime_type);
	put(o, "sha256", m->media.sha256);
	put(o, "caption", m->media.caption);
	put(o, "filename", m->media.filename);
	char loc[96] = "";
	if (m->location.present)
		snprintf(loc, sizeof(loc), "%.6f,%.6f", m->location.latitude,
		         m->location.longitude);
	put(o, "location", loc);
	put(o, "location_name", m->location.name);
	put(o, "location_address", m->location.address);
	put(o, "interactive_id", m->interactive_id);
	put(o, "context_message_id", m->context_message_id);
	put(o, "reaction_message_id", m->reaction_message_id);
	put_error(o, &m->error);
	assert_int_equal(strlen(m->raw), m->raw_len);
	put(o, "raw", m->raw);
	put(o, "preview", m->preview);
}

static void on_template(void *arg, const struct meta_template_event *ev)
{
	json_t *o = event(arg, "t");
	put(o, "waba_id", ev->waba_id);
	put(o, "event", ev->event);
	put(o, "message_template_id", ev->message_template_id);
	put(o, "name", ev->name);
	put(o, "language", ev->language);
	put(o, "reason", ev->reason);
	put(o, "category", ev->category);
}

static void on_value_error(void *arg, const struct meta_value_error *ev)
{
	json_t *o = event(arg, "e");
	put(o, "waba_id", ev->waba_id);
	put(o, "phone_number_id", ev->phone_number_id);
	put_int(o, "code", ev->code);
	put(o, "title", ev->title);
	put(o, "message", ev->message);
	put(o, "details", ev->details);
}

static void on_other(void *arg, const char *field)
{
	put(event(arg, "o"), "field", field);
}

int wr_parse(const char *body, size_t len, struct rec *r, struct err *e)
{
	json_decref(r->events);
	memset(r, 0, sizeof(*r));
	r->events = json_array();
	struct meta_webhook_handler h = {
	    .status = on_status,
	    .message = on_message,
	    .template_status = on_template,
	    .value_error = on_value_error,
	    .other = on_other,
	    .arg = r,
	};
	err_clear(e);
	return meta_webhook_parse(body, len, &h, e);
}

void wr_release(struct rec *r)
{
	json_decref(r->events);
	r->events = NULL;
}

const char *wr_ev(const struct rec *r, size_t i, const char *key)
{
	json_t *o = json_array_get(r->events, i);
	if (!o)
		fail_msg("no event %zu (order \"%s\")", i, r->order);
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("event %zu has no field %s", i, key);
	return s;
}
