/* Send-body validation; see sim_validate.h. Each check writes the first problem it finds into
 * the caller's details buffer and returns -1; the Graph error details name the parameter the
 * way Meta's do ("Param text['body'] is required"). */
#include "sim/sim_validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_util.h"

struct checker {
	char *details;
	size_t cap;
};

static int fail(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct checker *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->details, c->cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* A string member of at most max_chars characters; required fails when absent. *out may be
 * NULL. Empty strings count as absent when required. */
static int text_field(struct checker *c, json_t *obj, const char *parent, const char *key,
                      bool required, size_t max_chars, const char **out)
{
	json_t *v = json_object_get(obj, key);
	if (out)
		*out = NULL;
	if (!v)
		return required ? fail(c, "Param %s['%s'] is required.", parent, key) : 0;
	if (!json_is_string(v))
		return fail(c, "Param %s['%s'] must be a string.", parent, key);
	size_t len = json_string_length(v);
	if (required && len == 0)
		return fail(c, "Param %s['%s'] must not be empty.", parent, key);
	if (sim_util_utf8_len(json_string_value(v), len) > max_chars)
		return fail(c, "Param %s['%s'] must be at most %zu characters long.", parent, key,
		            max_chars);
	if (out)
		*out = json_string_value(v);
	return 0;
}

static json_t *object_field(struct checker *c, json_t *obj, const char *parent, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		fail(c, "Param %s['%s'] is required.", parent, key);
		return NULL;
	}
	if (!json_is_object(v)) {
		fail(c, "Param %s['%s'] must be an object.", parent, key);
		return NULL;
	}
	return v;
}

static int check_text(struct checker *c, json_t *text)
{
	if (text_field(c, text, "text", "body", true, 4096, NULL) != 0)
		return -1;
	json_t *p = json_object_get(text, "preview_url");
	if (p && !json_is_boolean(p))
		return fail(c, "Param text['preview_url'] must be a boolean.");
	return 0;
}

static int check_media(struct checker *c, const char *type, json_t *m)
{
	json_t *id = json_object_get(m, "id"), *link = json_object_get(m, "link");
	if ((id != NULL) == (link != NULL))
		return fail(c, "Param %s must have exactly one of 'id' or 'link'.", type);
	if (text_field(c, m, type, id ? "id" : "link", true, 2048, NULL) != 0)
		return -1;
	bool captioned = strcmp(type, "image") == 0 || strcmp(type, "video") == 0 ||
	                 strcmp(type, "document") == 0;
	if (!captioned && json_object_get(m, "caption"))
		return fail(c, "Param %s['caption'] is not allowed for %s messages.", type, type);
	if (text_field(c, m, type, "caption", false, 1024, NULL) != 0)
		return -1;
	if (strcmp(type, "document") != 0 && json_object_get(m, "filename"))
		return fail(c, "Param %s['filename'] is only allowed for documents.", type);
	return text_field(c, m, type, "filename", false, 240, NULL);
}

static int check_coordinate(struct checker *c, json_t *loc, const char *key, double limit)
{
	json_t *v = json_object_get(loc, key);
	if (!v)
		return fail(c, "Param location['%s'] is required.", key);
	if (!json_is_number(v))
		return fail(c, "Param location['%s'] must be a number.", key);
	double d = json_number_value(v);
	if (d < -limit || d > limit)
		return fail(c, "Param location['%s'] must be between %g and %g.", key, -limit,
		            limit);
	return 0;
}

static int check_location(struct checker *c, json_t *loc)
{
	if (check_coordinate(c, loc, "latitude", 90) != 0 ||
	    check_coordinate(c, loc, "longitude", 180) != 0)
		return -1;
	if (text_field(c, loc, "location", "name", false, 1000, NULL) != 0)
		return -1;
	return text_field(c, loc, "location", "address", false, 1000, NULL);
}

static int check_contacts(struct checker *c, json_t *arr)
{
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 257)
		return fail(c, "Param contacts must be a non-empty array.");
	size_t i;
	json_t *card;
	json_array_foreach(arr, i, card)
	{
		json_t *name = json_is_object(card) ? json_object_get(card, "name") : NULL;
		if (!json_is_object(name))
			return fail(c, "Param contacts[%zu]['name'] is required.", i);
		if (text_field(c, name, "name", "formatted_name", true, 1024, NULL) != 0)
			return -1;
	}
	return 0;
}

static int check_reaction(struct checker *c, json_t *r)
{
	if (text_field(c, r, "reaction", "message_id", true, 256, NULL) != 0)
		return -1;
	json_t *emoji = json_object_get(r, "emoji");
	if (!emoji || !json_is_string(emoji))
		return fail(c, "Param reaction['emoji'] is required.");
	if (sim_util_utf8_len(json_string_value(emoji), json_string_length(emoji)) > 10)
		return fail(c, "Param reaction['emoji'] must be a single emoji.");
	return 0;
}

static int check_buttons(struct checker *c, json_t *action)
{
	json_t *buttons = json_object_get(action, "buttons");
	if (!json_is_array(buttons) || json_array_size(buttons) == 0)
		return fail(c, "Param interactive['action']['buttons'] is required.");
	if (json_array_size(buttons) > 3)
		return fail(c,
		            "Param interactive['action']['buttons'] must have at most 3 buttons.");
	size_t i;
	json_t *b;
	json_array_foreach(buttons, i, b)
	{
		json_t *reply = json_is_object(b) ? json_object_get(b, "reply") : NULL;
		const char *type = json_string_value(json_object_get(b, "type"));
		if (!type || strcmp(type, "reply") != 0 || !json_is_object(reply))
			return fail(
			    c, "Param buttons[%zu] must be {type:'reply', reply:{id,title}}.", i);
		if (text_field(c, reply, "reply", "id", true, 256, NULL) != 0 ||
		    text_field(c, reply, "reply", "title", true, 20, NULL) != 0)
			return -1;
	}
	return 0;
}

static int check_rows(struct checker *c, json_t *section, size_t *rows_seen)
{
	json_t *rows = json_object_get(section, "rows");
	if (!json_is_array(rows) || json_array_size(rows) == 0)
		return fail(c, "Param sections[]['rows'] is required.");
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		if (++*rows_seen > 10)
			return fail(c,
			            "Param interactive['action']['sections'] must have at most 10 "
			            "rows in total.");
		if (!json_is_object(row) || text_field(c, row, "row", "id", true, 200, NULL) != 0 ||
		    text_field(c, row, "row", "title", true, 24, NULL) != 0 ||
		    text_field(c, row, "row", "description", false, 72, NULL) != 0)
			return json_is_object(row) ? -1 : fail(c, "Param rows[] must be objects.");
	}
	return 0;
}

static int check_list(struct checker *c, json_t *action)
{
	if (text_field(c, action, "action", "button", true, 20, NULL) != 0)
		return -1;
	json_t *sections = json_object_get(action, "sections");
	if (!json_is_array(sections) || json_array_size(sections) == 0 ||
	    json_array_size(sections) > 10)
		return fail(c,
		            "Param interactive['action']['sections'] must hold 1 to 10 sections.");
	size_t i, rows = 0;
	json_t *s;
	json_array_foreach(sections, i, s)
	{
		if (!json_is_object(s))
			return fail(c, "Param sections[%zu] must be an object.", i);
		if (text_field(c, s, "section", "title", json_array_size(sections) > 1, 24, NULL) !=
		        0 ||
		    check_rows(c, s, &rows) != 0)
			return -1;
	}
	return 0;
}

static int check_interactive(struct checker *c, json_t *it)
{
	const char *type = NULL;
	if (text_field(c, it, "interactive", "type", true, 32, &type) != 0)
		return -1;
	json_t *action = object_field(c, it, "interactive", "action");
	if (!action)
		return -1;
	bool button = strcmp(type, "button") == 0, list = strcmp(type, "list") == 0;
	if (button || list) {
		json_t *body = object_field(c, it, "interactive", "body");
		if (!body || text_field(c, body, "body", "text", true, 1024, NULL) != 0)
			return -1;
	}
	json_t *footer = json_object_get(it, "footer");
	if (footer && (!json_is_object(footer) ||
	               text_field(c, footer, "footer", "text", true, 60, NULL) != 0))
		return json_is_object(footer) ? -1
		                              : fail(c, "Param interactive['footer'] invalid.");
	if (button)
		return check_buttons(c, action);
	if (list)
		return check_list(c, action);
	return 0;
}

static int check_component(struct checker *c, json_t *comp, size_t i, int *body_params)
{
	const char *type = NULL;
	if (!json_is_object(comp))
		return fail(c, "Param template['components'][%zu] must be an object.", i);
	if (text_field(c, comp, "component", "type", true, 16, &type) != 0)
		return -1;
	json_t *params = json_object_get(comp, "parameters");
	if (params && !json_is_array(params))
		return fail(c, "Param components[%zu]['parameters'] must be an array.", i);
	size_t j;
	json_t *p;
	json_array_foreach(params, j, p)
	{
		if (!json_is_object(p) || !json_is_string(json_object_get(p, "type")))
			return fail(c,
			            "Param components[%zu]['parameters'][%zu]['type'] is required.",
			            i, j);
	}
	if (strcasecmp(type, "body") == 0)
		*body_params += (int)json_array_size(params);
	return 0;
}

static int check_template(struct checker *c, json_t *t, struct sim_send_req *out)
{
	if (text_field(c, t, "template", "name", true, 512, &out->template_name) != 0)
		return -1;
	json_t *lang = object_field(c, t, "template", "language");
	if (!lang || text_field(c, lang, "language", "code", true, 32, &out->template_lang) != 0)
		return -1;
	json_t *comps = json_object_get(t, "components");
	if (comps && !json_is_array(comps))
		return fail(c, "Param template['components'] must be an array.");
	size_t i;
	json_t *comp;
	json_array_foreach(comps, i, comp)
	{
		if (check_component(c, comp, i, &out->body_params) != 0)
			return -1;
	}
	return 0;
}

static int check_type(struct checker *c, json_t *body, struct sim_send_req *out)
{
	static const char *const media[] = {"image", "video", "audio", "document", "sticker"};
	const char *type = out->type;
	json_t *obj = json_object_get(body, type);
	if (strcmp(type, "contacts") == 0)
		return obj ? check_contacts(c, obj) : fail(c, "Param contacts is required.");
	if (!obj)
		return fail(c, "Param %s is required for messages of type %s.", type, type);
	if (!json_is_object(obj))
		return fail(c, "Param %s must be an object.", type);
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (strcmp(type, media[i]) == 0)
			return check_media(c, type, obj);
	if (strcmp(type, "text") == 0)
		return check_text(c, obj);
	if (strcmp(type, "location") == 0)
		return check_location(c, obj);
	if (strcmp(type, "reaction") == 0)
		return check_reaction(c, obj);
	if (strcmp(type, "interactive") == 0)
		return check_interactive(c, obj);
	if (strcmp(type, "template") == 0)
		return check_template(c, obj, out);
	return fail(c, "Param type '%s' is not a supported message type.", type);
}

static int check_mark_read(struct checker *c, json_t *body)
{
	const char *status = json_string_value(json_object_get(body, "status"));
	if (!status || strcmp(status, "read") != 0)
		return fail(c, "Param status must be 'read'.");
	if (text_field(c, body, "body", "message_id", true, 256, NULL) != 0)
		return -1;
	json_t *ti = json_object_get(body, "typing_indicator");
	const char *ti_type = json_string_value(json_object_get(ti, "type"));
	if (ti && (!ti_type || strcmp(ti_type, "text") != 0))
		return fail(c, "Param typing_indicator['type'] must be 'text'.");
	return 0;
}

static int check_envelope(struct checker *c, json_t *body, struct sim_send_req *out)
{
	const char *rt = NULL;
	if (text_field(c, body, "body", "recipient_type", false, 16, &rt) != 0)
		return -1;
	if (rt && strcmp(rt, "individual") != 0 && strcmp(rt, "group") != 0)
		return fail(c, "Param recipient_type must be 'individual' or 'group'.");
	if (text_field(c, body, "body", "to", true, 64, &out->to) != 0)
		return -1;
	if (sim_util_wa_id(out->to, out->wa_id, sizeof(out->wa_id)) != 0)
		return fail(c, "Param to must be a phone number (7 to 15 digits).");
	if (text_field(c, body, "body", "type", false, 32, &out->type) != 0)
		return -1;
	if (!out->type)
		out->type = "text";
	if (text_field(c, body, "body", "biz_opaque_callback_data", false, 512, &out->biz_opaque))
		return -1;
	json_t *ctx = json_object_get(body, "context");
	if (ctx && (!json_is_object(ctx) ||
	            text_field(c, ctx, "context", "message_id", true, 256, NULL) != 0))
		return json_is_object(ctx) ? -1 : fail(c, "Param context must be an object.");
	return 0;
}

int sim_validate_send(json_t *body, struct sim_send_req *out, char *details, size_t cap)
{
	struct checker c = {details, cap};
	memset(out, 0, sizeof(*out));
	details[0] = '\0';
	const char *mp = json_string_value(json_object_get(body, "messaging_product"));
	if (!mp || strcmp(mp, "whatsapp") != 0)
		return fail(&c, "Param messaging_product must be 'whatsapp'.");
	if (json_object_get(body, "status")) {
		out->mark_read = true;
		return check_mark_read(&c, body);
	}
	if (check_envelope(&c, body, out) != 0)
		return -1;
	return check_type(&c, body, out);
}
