/* Graph request bodies; see build.h. */
#include "meta/build.h"

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
