/* Webhook application; see inbound.h. Every write here is idempotent under Meta's
 * at-least-once delivery: statuses are de-duplicated by the store, inbound messages by
 * Meta's message id (checked before the conversation is touched). */
#include "svc/inbound.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/jsonw.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "meta/webhook.h"
#include "svc/messages.h"
#include "svc/templates.h"

struct apply_ctx {
	struct ctx *c;
	int rc; /* first store failure; later events are skipped */
	struct err err;
};

static int status_of(const char *s, enum msg_status *out)
{
	static const struct {
		const char *name;
		enum msg_status st;
	} map[] = {{"sent", MSG_STATUS_SENT},
	           {"delivered", MSG_STATUS_DELIVERED},
	           {"read", MSG_STATUS_READ},
	           {"failed", MSG_STATUS_FAILED}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].name) == 0) {
			*out = map[i].st;
			return 0;
		}
	return -1;
}

static void on_status(void *arg, const struct meta_status_event *ev)
{
	struct apply_ctx *a = arg;
	struct status_update u;
	memset(&u, 0, sizeof(u));
	if (a->rc != 0 || status_of(ev->status, &u.status) != 0 || !ev->wa_message_id[0])
		return; /* e.g. "deleted", "warning": nothing to apply */
	str_copy_cstr(u.wa_message_id, sizeof(u.wa_message_id), ev->wa_message_id);
	u.timestamp = ev->timestamp > 0 ? ev->timestamp * 1000 : svc_now(a->c);
	u.pricing_billable = ev->has_pricing ? ev->billable : -1;
	if (ev->has_pricing && ev->pricing_category)
		str_copy_cstr(u.pricing_category, sizeof(u.pricing_category), ev->pricing_category);
	if (ev->error.count > 0) {
		u.error_code = ev->error.code;
		str_copy_cstr(u.error_title, sizeof(u.error_title), ev->error.title);
		str_copy_cstr(u.error_message, sizeof(u.error_message), ev->error.message);
		str_copy_cstr(u.error_details, sizeof(u.error_details), ev->error.details);
	}
	bool applied = false;
	a->rc = store_message_apply_status(a->c->store, &u, svc_now(a->c), &applied, &a->err);
	if (a->rc == 0 && !applied)
		log_debug("pixels:webhook", "status %s for unknown %s held until it is known",
		          ev->status, ev->wa_message_id);
}

static void on_template(void *arg, const struct meta_template_event *ev)
{
	struct apply_ctx *a = arg;
	if (a->rc == 0)
		a->rc = store_template_event_insert(a->c->store, ev->waba_id,
		                                    ev->message_template_id, ev->name, ev->language,
		                                    ev->event, ev->reason, svc_now(a->c), &a->err);
	if (a->rc == 0)
		a->rc = templates_apply_status(a->c, ev->waba_id, ev->message_template_id, ev->name,
		                               ev->language, ev->event, ev->reason, &a->err);
}

static void on_value_error(void *arg, const struct meta_value_error *ev)
{
	log_warn("pixels:webhook", "Meta reported error %d for number %s: %s", ev->code,
	         ev->phone_number_id, ev->message);
}

static void on_other(void *arg, const char *field)
{
	log_debug("pixels:webhook", "ignored webhook field %s", field);
}

static void inbound_message(struct apply_ctx *a, const struct meta_inbound_message *m);

static void on_message(void *arg, const struct meta_inbound_message *m)
{
	struct apply_ctx *a = arg;
	if (a->rc == 0)
		inbound_message(a, m);
}

int inbound_apply(struct ctx *c, json_t *doc, struct err *e)
{
	struct apply_ctx a = {.c = c};
	struct meta_webhook_handler h = {.status = on_status,
	                                 .message = on_message,
	                                 .template_status = on_template,
	                                 .value_error = on_value_error,
	                                 .other = on_other,
	                                 .arg = &a};
	meta_webhook_decode(doc, &h);
	if (a.rc != 0)
		*e = a.err;
	return a.rc;
}

/* Is text (trimmed, any case) one of the comma-separated keywords? */
static bool keyword(const char *text, const char *list)
{
	while (*text == ' ')
		text++;
	size_t tlen = strlen(text);
	while (tlen > 0 && (text[tlen - 1] == ' ' || text[tlen - 1] == '\n'))
		tlen--;
	while (*list) {
		size_t n = strcspn(list, ",");
		if (n == tlen && tlen > 0 && strncasecmp(text, list, n) == 0)
			return true;
		list += n;
		if (*list == ',')
			list++;
	}
	return false;
}

/* Creates the contact on first contact; keeps the profile name fresh; STOP / START. */
static void upsert_contact(struct apply_ctx *a, const char *account_id,
                           const struct meta_inbound_message *m, int64_t now)
{
	struct contact_row ct;
	bool found = false;
	struct store *s = a->c->store;
	const struct config *cfg = a->c->svc->cfg;
	a->rc = store_contact_find_by_phone(s, account_id, m->from, &ct, &found, &a->err);
	if (a->rc != 0)
		return;
	bool out = keyword(m->text, cfg->opt_out_keywords),
	     in = keyword(m->text, cfg->opt_in_keywords);
	if (!found) {
		memset(&ct, 0, sizeof(ct));
		ids_new(now, ct.id);
		str_copy_cstr(ct.account_id, sizeof(ct.account_id), account_id);
		str_copy_cstr(ct.phone, sizeof(ct.phone), m->from);
		str_copy_cstr(ct.name, sizeof(ct.name),
		              m->profile_name[0] ? m->profile_name : m->from);
		ct.opted_out = out;
		ct.created_at = ct.updated_at = now;
		a->rc = store_contact_insert(s, &ct, &a->err);
	} else if (out || in) {
		ct.opted_out = out;
		ct.updated_at = now;
		a->rc = store_contact_update(s, &ct, &a->err);
	}
	if (out || in)
		log_info("pixels:webhook", "contact %s opted %s by keyword", ct.id,
		         out ? "out" : "in");
}

/* Finds or creates the conversation and records the new inbound message on it. */
static void touch_conversation(struct apply_ctx *a, const char *account_id,
                               const struct meta_inbound_message *m, int64_t ts,
                               struct conversation_row *conv)
{
	bool found = false;
	struct store *s = a->c->store;
	a->rc = store_conversation_find(s, account_id, m->phone_number_id, m->from, conv, &found,
	                                &a->err);
	if (a->rc != 0)
		return;
	if (!found) {
		memset(conv, 0, sizeof(*conv));
		ids_new(ts, conv->id);
		str_copy_cstr(conv->account_id, sizeof(conv->account_id), account_id);
		str_copy_cstr(conv->phone_number_id, sizeof(conv->phone_number_id),
		              m->phone_number_id);
		str_copy_cstr(conv->user_phone, sizeof(conv->user_phone), m->from);
		conv->created_at = svc_now(a->c);
	}
	if (m->profile_name[0]) {
		str_copy_cstr(conv->user_profile_name, sizeof(conv->user_profile_name),
		              m->profile_name);
		if (!conv->user_name[0])
			str_copy_cstr(conv->user_name, sizeof(conv->user_name), m->profile_name);
	}
	if (ts >= conv->last_message_at) {
		conv->last_message_at = ts;
		str_copy_cstr(conv->last_message_preview, sizeof(conv->last_message_preview),
		              m->preview);
		str_copy_cstr(conv->last_message_type, sizeof(conv->last_message_type), m->type);
	}
	if (ts > conv->last_inbound_at)
		conv->last_inbound_at = ts;
	conv->unread_count++;
	conv->status = CONV_STATUS_OPEN;
	conv->updated_at = svc_now(a->c);
	a->rc = found ? store_conversation_update(s, conv, &a->err)
	              : store_conversation_insert(s, conv, &a->err);
}

static void content_json(const struct meta_inbound_message *m, char *out, size_t cap)
{
	json_t *o = json_pack("{s:s}", "text", m->text);
	if (m->media.id && m->media.id[0])
		json_object_set_new(o, "media",
		                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", m->media.id,
		                              "mimeType", m->media.mime_type, "sha256",
		                              m->media.sha256, "caption", m->media.caption,
		                              "filename", m->media.filename));
	if (m->location.present)
		json_object_set_new(o, "location",
		                    json_pack("{s:f, s:f, s:s, s:s}", "latitude",
		                              m->location.latitude, "longitude",
		                              m->location.longitude, "name", m->location.name,
		                              "address", m->location.address));
	if (m->interactive_id[0])
		json_object_set_new(o, "replyId", json_string(m->interactive_id));
	if (m->context_message_id[0])
		json_object_set_new(o, "context", json_string(m->context_message_id));
	json_t *raw = json_loadb(m->raw, m->raw_len, 0, NULL);
	if (raw)
		json_object_set_new(o, "raw", raw);
	char *text = jsonw_dump(o, NULL);
	if (str_copy_cstr(out, cap, text) != 0) {
		json_object_del(o, "raw"); /* keep what fits: the decoded fields */
		free(text);
		text = jsonw_dump(o, NULL);
		str_copy_cstr(out, cap, text);
	}
	free(text);
	json_decref(o);
}

static void inbound_message(struct apply_ctx *a, const struct meta_inbound_message *m)
{
	struct number_row num;
	bool found = false;
	struct store *s = a->c->store;
	if (!m->from[0] || !m->wa_message_id[0])
		return; /* username-only senders: nothing to address them by yet */
	a->rc = store_number_find_global(s, m->phone_number_id, &num, &found, &a->err);
	if (a->rc != 0 || !found) {
		if (!found)
			log_warn("pixels:webhook",
			         "message for unknown number %s acknowledged and dropped",
			         m->phone_number_id);
		return;
	}
	struct message_row *msg = xcalloc(1, sizeof(*msg));
	a->rc =
	    store_message_find_by_wamid(s, num.account_id, m->wa_message_id, msg, &found, &a->err);
	if (a->rc != 0 || found) {
		free(msg); /* a duplicate delivery from Meta: already stored */
		return;
	}
	int64_t now = svc_now(a->c), ts = m->timestamp > 0 ? m->timestamp * 1000 : now;
	struct conversation_row conv;
	upsert_contact(a, num.account_id, m, now);
	if (a->rc == 0)
		touch_conversation(a, num.account_id, m, ts, &conv);
	if (a->rc == 0) {
		ids_new(now, msg->id);
		memcpy(msg->account_id, num.account_id, sizeof(msg->account_id));
		memcpy(msg->conversation_id, conv.id, sizeof(msg->conversation_id));
		str_copy_cstr(msg->phone_number_id, sizeof(msg->phone_number_id),
		              m->phone_number_id);
		msg->direction = MSG_DIR_IN;
		str_copy_cstr(msg->type, sizeof(msg->type), m->type);
		str_copy_cstr(msg->user_phone, sizeof(msg->user_phone), m->from);
		content_json(m, msg->content, sizeof(msg->content));
		msg->status = MSG_STATUS_RECEIVED;
		str_copy_cstr(msg->wa_message_id, sizeof(msg->wa_message_id), m->wa_message_id);
		msg->pricing_billable = -1;
		msg->created_at = ts;
		msg->updated_at = now;
		a->rc = store_message_insert(s, msg, &a->err);
	}
	free(msg);
}
