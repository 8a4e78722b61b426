/* Inbound messages of a webhook payload (value.messages[]): sender identity (wa_id, BSUID,
 * profile name from value.contacts, which may lack "profile" or be absent), the type-specific
 * fields, the raw JSON, and a one-line human preview cut to 200 bytes on a UTF-8 boundary. */
#include "meta/webhook_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREVIEW_MAX_BYTES 200

static bool is_media_type(const char *type)
{
	static const char *const media[] = {"image", "audio", "video", "document", "sticker"};
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++) {
		if (strcmp(type, media[i]) == 0)
			return true;
	}
	return false;
}

static void decode_media(struct meta_inbound_message *msg, json_t *obj)
{
	msg->media.id = meta_webhook_str(obj, "id");
	msg->media.mime_type = meta_webhook_str(obj, "mime_type");
	msg->media.sha256 = meta_webhook_str(obj, "sha256");
	msg->media.caption = meta_webhook_str(obj, "caption");
	msg->media.filename = meta_webhook_str(obj, "filename");
}

static void decode_location(struct meta_inbound_message *msg, json_t *obj)
{
	if (!json_is_object(obj))
		return;
	msg->location.present = true;
	msg->location.latitude = json_number_value(json_object_get(obj, "latitude"));
	msg->location.longitude = json_number_value(json_object_get(obj, "longitude"));
	msg->location.name = meta_webhook_str(obj, "name");
	msg->location.address = meta_webhook_str(obj, "address");
}

/* interactive: {type:"button_reply"|"list_reply"|..., <type>:{id, title}} (flow replies,
 * nfm_reply, carry body instead of title). */
static void decode_interactive(struct meta_inbound_message *msg, json_t *obj)
{
	json_t *reply = json_object_get(obj, meta_webhook_str(obj, "type"));
	msg->interactive_id = meta_webhook_str(reply, "id");
	msg->text = meta_webhook_str(reply, "title");
	if (!msg->text[0])
		msg->text = meta_webhook_str(reply, "body");
}

static void decode_type(struct meta_inbound_message *msg, json_t *m)
{
	const char *type = msg->type;
	json_t *obj = json_object_get(m, type); /* the type's own object, e.g. m.text */
	if (strcmp(type, "text") == 0 || strcmp(type, "system") == 0) {
		msg->text = meta_webhook_str(obj, "body");
	} else if (is_media_type(type)) {
		decode_media(msg, obj);
	} else if (strcmp(type, "location") == 0) {
		decode_location(msg, obj);
	} else if (strcmp(type, "reaction") == 0) {
		msg->text = meta_webhook_str(obj, "emoji");
		msg->reaction_message_id = meta_webhook_str(obj, "message_id");
	} else if (strcmp(type, "button") == 0) {
		msg->text = meta_webhook_str(obj, "text");
		msg->interactive_id = meta_webhook_str(obj, "payload");
	} else if (strcmp(type, "interactive") == 0) {
		decode_interactive(msg, obj);
	} else if (strcmp(type, "order") == 0) {
		msg->text = meta_webhook_str(obj, "text");
	}
}

/* The preview before cleaning: a fixed label for non-text types, else the text. */
static void preview_label(const struct meta_inbound_message *msg, char *out, size_t cap)
{
	static const struct {
		const char *type, *label;
	} labels[] = {
	    {"image", "📷 Photo"},
	    {"video", "🎥 Video"},
	    {"audio", "🎵 Audio"},
	    {"sticker", "🏷️ Sticker"},
	    {"location", "📍 Location"},
	    {"contacts", "👤 Contact"},
	    {"order", "🛒 Order"},
	    {"unsupported", "[unsupported message]"},
	    {"unknown", "[unsupported message]"},
	};
	const char *type = msg->type;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(type, labels[i].type) == 0) {
			snprintf(out, cap, "%s", labels[i].label);
			return;
		}
	}
	if (strcmp(type, "document") == 0)
		snprintf(out, cap, "📄 Document%s%s", msg->media.filename[0] ? ": " : "",
		         msg->media.filename);
	else if (strcmp(type, "reaction") == 0 && msg->text[0])
		snprintf(out, cap, "%s reaction", msg->text);
	else if (strcmp(type, "reaction") == 0)
		snprintf(out, cap, "Reaction removed");
	else if (strcmp(type, "system") == 0)
		snprintf(out, cap, "[system] %s", msg->text);
	else if (msg->text[0])
		snprintf(out, cap, "%s", msg->text);
	else
		snprintf(out, cap, "[%s message]", type[0] ? type : "empty");
}

/* One line, at most PREVIEW_MAX_BYTES, whole UTF-8 characters (jansson only hands out valid
 * UTF-8, so cutting before a lead byte keeps it valid). */
static void preview_clean(char *s)
{
	size_t len = strlen(s);
	if (len > PREVIEW_MAX_BYTES) {
		len = PREVIEW_MAX_BYTES;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		s[len] = '\0';
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			s[i] = ' ';
	}
}

static void decode_sender(struct meta_webhook_ctx *c, struct meta_inbound_message *msg, json_t *m)
{
	msg->from = meta_webhook_str(m, "from");
	msg->user_id = meta_webhook_str(m, "from_user_id");
	json_t *contact = meta_webhook_contact(c, msg->from, msg->user_id);
	if (!msg->user_id[0])
		msg->user_id = meta_webhook_str(contact, "user_id");
	msg->profile_name = meta_webhook_str(json_object_get(contact, "profile"), "name");
}

void meta_webhook_message(struct meta_webhook_ctx *c, json_t *m)
{
	struct meta_inbound_message msg = {
	    .waba_id = c->waba_id,
	    .phone_number_id = c->phone_number_id,
	    .display_phone = c->display_phone,
	    .wa_message_id = meta_webhook_str(m, "id"),
	    .timestamp = meta_webhook_time(m, "timestamp"),
	    .type = meta_webhook_str(m, "type"),
	    .text = "",
	    .media = {"", "", "", "", ""},
	    .location = {.name = "", .address = ""},
	    .interactive_id = "",
	    .context_message_id = meta_webhook_str(json_object_get(m, "context"), "id"),
	    .reaction_message_id = "",
	};
	decode_sender(c, &msg, m);
	decode_type(&msg, m);
	meta_webhook_error(json_object_get(m, "errors"), &msg.error);
	if (!c->h->message)
		return;
	char preview[512];
	preview_label(&msg, preview, sizeof(preview));
	preview_clean(preview);
	msg.preview = preview;
	char *raw = jsonw_dump(m, &msg.raw_len);
	msg.raw = raw;
	c->h->message(c->h->arg, &msg);
	free(raw);
}
