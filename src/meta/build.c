/* Graph request bodies; see build.h. */
#include "meta/build.h"

#include <stdio.h>
#include <string.h>

bool meta_build_media_type_ok(const char *type)
{
	static const char *const types[] = {"image", "video", "document", "audio", "sticker"};
	for (size_t i = 0; type && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

static json_t *envelope(const char *to, const char *type, const char *reply_wamid,
                        const char *opaque)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "messaging_product", "whatsapp",
	                      "recipient_type", "individual", "to", to, "type", type);
	if (reply_wamid && *reply_wamid)
		json_object_set_new(o, "context", json_pack("{s:s}", "message_id", reply_wamid));
	if (opaque && *opaque)
		json_object_set_new(o, "biz_opaque_callback_data", json_string(opaque));
	return o;
}

json_t *meta_build_text(const char *to, const char *body, bool preview_url, const char *reply_wamid,
                        const char *opaque)
{
	json_t *o = envelope(to, "text", reply_wamid, opaque);
	json_object_set_new(o, "text",
	                    json_pack("{s:s, s:b}", "body", body, "preview_url", preview_url));
	return o;
}

json_t *meta_build_media(const char *to, const char *type, const char *link, const char *caption,
                         const char *filename, const char *reply_wamid, const char *opaque)
{
	json_t *o = envelope(to, type, reply_wamid, opaque);
	json_t *m = json_pack("{s:s}", "link", link);
	bool captioned = strcmp(type, "image") == 0 || strcmp(type, "video") == 0 ||
	                 strcmp(type, "document") == 0;
	if (captioned && caption && *caption)
		json_object_set_new(m, "caption", json_string(caption));
	if (strcmp(type, "document") == 0 && filename && *filename)
		json_object_set_new(m, "filename", json_string(filename));
	json_object_set_new(o, type, m);
	return o;
}

json_t *meta_build_mark_read(const char *wamid)
{
	return json_pack("{s:s, s:s, s:s}", "messaging_product", "whatsapp", "status", "read",
	                 "message_id", wamid);
}

static json_t *template_buttons(json_t *comps, const json_t *buttons)
{
	size_t i;
	const json_t *b;
	json_array_foreach(buttons, i, b)
	{
		const char *type = json_string_value(json_object_get(b, "type"));
		json_int_t index = json_integer_value(json_object_get(b, "index"));
		char idx[24];
		snprintf(idx, sizeof(idx), "%lld", (long long)index);
		bool quick = type && strcmp(type, "quick_reply") == 0;
		const char *v = json_string_value(json_object_get(b, quick ? "payload" : "text"));
		json_t *param =
		    quick ? json_pack("{s:s, s:s}", "type", "payload", "payload", v ? v : "")
		          : json_pack("{s:s, s:s}", "type", "text", "text", v ? v : "");
		json_array_append_new(comps, json_pack("{s:s, s:s, s:s, s:[o]}", "type", "button",
		                                       "sub_type", quick ? "quick_reply" : "url",
		                                       "index", idx, "parameters", param));
	}
	return comps;
}

json_t *meta_build_template(const char *to, const char *name, const char *language,
                            const struct meta_template_params *p, const char *opaque)
{
	json_t *o = envelope(to, "template", NULL, opaque);
	json_t *t = json_pack("{s:s, s:{s:s}}", "name", name, "language", "code", language);
	json_t *comps = json_array();
	if (p->header_type && p->header_link)
		json_array_append_new(comps,
		                      json_pack("{s:s, s:[{s:s, s:{s:s}}]}", "type", "header",
		                                "parameters", "type", p->header_type,
		                                p->header_type, "link", p->header_link));
	if (p->nbody > 0) {
		json_t *params = json_array();
		for (size_t i = 0; i < p->nbody; i++) {
			json_t *v = json_pack("{s:s, s:s}", "type", "text", "text", p->body[i]);
			if (p->names)
				json_object_set_new(v, "parameter_name", json_string(p->names[i]));
			json_array_append_new(params, v);
		}
		json_array_append_new(
		    comps, json_pack("{s:s, s:o}", "type", "body", "parameters", params));
	}
	if (p->buttons)
		template_buttons(comps, p->buttons);
	if (json_array_size(comps) > 0)
		json_object_set_new(t, "components", comps);
	else
		json_decref(comps);
	json_object_set_new(o, "template", t);
	return o;
}
