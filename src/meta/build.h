/* Request bodies for POST /{phone-number-id}/messages, exactly as Meta documents them
 * (shared/meta-examples/req-send-*.json): text, media by link, and mark-as-read. Every body
 * carries biz_opaque_callback_data = our message id, which Meta echoes on status webhooks. */
#ifndef PIXELS_META_BUILD_H
#define PIXELS_META_BUILD_H

#include <stdbool.h>

#include "core/jsonw.h"

/* Media types a message may carry by link. */
bool meta_build_media_type_ok(const char *type);
/* {"messaging_product":"whatsapp","recipient_type":"individual","to",..."type":"text",
 * "text":{"body","preview_url"}}; context.message_id when reply_wamid is set. New ref. */
json_t *meta_build_text(const char *to, const char *body, bool preview_url, const char *reply_wamid,
                        const char *opaque);
/* image|video|document|audio|sticker by link; caption for image, video and document;
 * filename for document. New reference. */
json_t *meta_build_media(const char *to, const char *type, const char *link, const char *caption,
                         const char *filename, const char *reply_wamid, const char *opaque);
/* What a template send fills in: body variables in order (names non-NULL for named variables:
 * parameter_name is set), an optional header media by link (image|video|document), and
 * button parameters: each {"index":N, "type":"url"|"quick_reply", "text"|"payload":...}. */
struct meta_template_params {
	const char *const *body;
	const char *const *names; /* NULL = positional {{1}}.. */
	size_t nbody;
	const char *header_type; /* NULL = no header media */
	const char *header_link;
	const json_t *buttons; /* borrowed array or NULL */
};
/* {"messaging_product":"whatsapp","recipient_type":"individual","to","type":"template",
 * "template":{"name","language":{"code"},"components":[header, body, buttons...]}};
 * components only when there are parameters. New reference. */
json_t *meta_build_template(const char *to, const char *name, const char *language,
                            const struct meta_template_params *p, const char *opaque);
/* {"messaging_product":"whatsapp","status":"read","message_id":wamid}. New reference. */
json_t *meta_build_mark_read(const char *wamid);

#endif
