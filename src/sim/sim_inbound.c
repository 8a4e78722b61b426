/* Inbound message injection; see sim_inbound.h. Every optional field has a default taken from
 * the fixtures, so {"phone_number_id","from","type"} alone yields a realistic payload. */
#include "sim/sim_inbound.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_media.h"
#include "sim/sim_payload.h"
#include "sim/sim_reply.h"
#include "sim/sim_util.h"
#include "sim/sim_webhook.h"

#define MAX_FIELD_BYTES 4096
#define MAX_MEDIA_BYTES (16u * 1024 * 1024)

struct inbound {
	json_t *in; /* the control request, borrowed */
	struct sim_number number;
	char wa_id[16];
	const char *type;
	char wamid[64];
	int64_t now_ms;
	bool bsuid;
};

static const char *arg(const struct inbound *ib, const char *key, const char *def)
{
	const char *v = json_string_value(json_object_get(ib->in, key));
	return v ? v : def;
}

static double num_arg(const struct inbound *ib, const char *key, double def)
{
	json_t *v = json_object_get(ib->in, key);
	return json_is_number(v) ? json_number_value(v) : def;
}

static json_t *context(const struct inbound *ib)
{
	const char *id = arg(ib, "context_id", NULL);
	if (!id)
		return NULL;
	return json_pack("{s:s, s:s}", "from", ib->number.display, "id", id);
}

/* Stores the media file (given base64 content or a generated sample); NULL + *problem on bad
 * base64. */
static json_t *media_object(struct sim *s, const struct inbound *ib, const char **problem)
{
	const void *data;
	size_t len;
	const char *mime;
	sim_media_sample(ib->type, &data, &len, &mime);
	struct buf decoded;
	buf_init(&decoded, MAX_MEDIA_BYTES);
	const char *b64 = arg(ib, "content_base64", NULL);
	if (b64 && sim_util_unb64(b64, strlen(b64), &decoded) != 0) {
		buf_release(&decoded);
		*problem = "content_base64 is not valid base64 (or over 16 MiB)";
		return NULL;
	}
	if (b64) {
		data = decoded.ptr ? decoded.ptr : "";
		len = decoded.len;
	}
	mime = arg(ib, "mime_type", mime);
	char id[24];
	struct sim_media_info info;
	sim_state_numeric_id(s, id, sizeof(id));
	sim_media_add(s->media, id, data, len, mime, &info);
	buf_release(&decoded);
	json_t *o = json_object();
	const char *caption = arg(ib, "caption", NULL);
	bool captioned = strcmp(ib->type, "audio") != 0 && strcmp(ib->type, "sticker") != 0;
	if (caption && captioned)
		json_object_set_new(o, "caption", json_string(caption));
	if (strcmp(ib->type, "document") == 0)
		json_object_set_new(o, "filename",
		                    json_string(arg(ib, "filename", "document.pdf")));
	json_object_set_new(o, "mime_type", json_string(info.mime));
	json_object_set_new(o, "sha256", json_string(info.sha256_b64));
	json_object_set_new(o, "id", json_string(info.id));
	if (strcmp(ib->type, "audio") == 0)
		json_object_set_new(o, "voice", json_false());
	if (strcmp(ib->type, "sticker") == 0)
		json_object_set_new(o, "animated", json_false());
	return o;
}

static json_t *contacts_card(const struct inbound *ib)
{
	const char *name = arg(ib, "text", "Lucía Gómez");
	char first[128];
	size_t n = strcspn(name, " ");
	snprintf(first, sizeof(first), "%.*s", (int)(n < sizeof(first) ? n : sizeof(first) - 1),
	         name);
	json_t *names = json_pack("{s:s, s:s}", "first_name", first, "formatted_name", name);
	if (name[n] == ' ')
		json_object_set_new(names, "last_name", json_string(name + n + 1));
	return json_pack("[{s:o, s:{s:s}, s:[{s:s, s:s, s:s}]}]", "name", names, "org", "company",
	                 "Google", "phones", "phone", "+1 (983) 555-2319", "wa_id", "19835552319",
	                 "type", "MOBILE");
}

static json_t *location(const struct inbound *ib)
{
	json_t *o = json_pack("{s:f, s:f, s:s, s:s}", "latitude", num_arg(ib, "latitude", 37.4422),
	                      "longitude", num_arg(ib, "longitude", -122.1617), "name",
	                      arg(ib, "text", "Philz Coffee"), "address",
	                      arg(ib, "caption", "101 Forest Ave, Palo Alto, CA 94301"));
	const char *url = arg(ib, "url", NULL);
	if (url)
		json_object_set_new(o, "url", json_string(url));
	return o;
}

static json_t *interactive(const struct inbound *ib)
{
	const char *kind = arg(ib, "reply_type", "button_reply");
	bool list = strcmp(kind, "list_reply") == 0;
	json_t *reply = json_pack("{s:s, s:s}", "id", arg(ib, "reply_id", "button-1"), "title",
	                          arg(ib, "text", "Yes"));
	const char *desc = arg(ib, "description", NULL);
	if (list && desc)
		json_object_set_new(reply, "description", json_string(desc));
	return json_pack("{s:s, s:o}", "type", list ? "list_reply" : "button_reply",
	                 list ? "list_reply" : "button_reply", reply);
}

static json_t *order(const struct inbound *ib)
{
	return json_pack("{s:s, s:s, s:[{s:s, s:i, s:i, s:s}]}", "catalog_id", "194836987003835",
	                 "text", arg(ib, "text", ""), "product_items", "product_retailer_id",
	                 "di9ozbzfi4", "quantity", 2, "item_price", 30, "currency", "USD");
}

static json_t *system_change(const struct inbound *ib)
{
	char body[256], fallback[16];
	snprintf(fallback, sizeof(fallback), "1%.10s", ib->wa_id + 1);
	const char *new_id = arg(ib, "new_wa_id", fallback);
	snprintf(body, sizeof(body), "User %s changed from %s to %s", arg(ib, "name", "Sim User"),
	         ib->wa_id, new_id);
	return json_pack("{s:s, s:s, s:s}", "body", body, "wa_id", new_id, "type",
	                 "user_changed_number");
}

static bool is_media(const char *type)
{
	static const char *const media[] = {"image", "video", "audio", "document", "sticker"};
	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (strcmp(type, media[i]) == 0)
			return true;
	return false;
}

/* The object stored under message[type]; NULL with *problem set on bad input, NULL without
 * it for types that carry none (unsupported). */
static json_t *type_object(struct sim *s, const struct inbound *ib, const char **problem)
{
	const char *t = ib->type;
	if (strcmp(t, "text") == 0)
		return json_pack("{s:s}", "body", arg(ib, "text", "Hello"));
	if (is_media(t))
		return media_object(s, ib, problem);
	if (strcmp(t, "location") == 0)
		return location(ib);
	if (strcmp(t, "contacts") == 0)
		return contacts_card(ib);
	if (strcmp(t, "reaction") == 0) {
		const char *target = arg(ib, "message_id", NULL);
		if (!target)
			*problem = "reaction needs message_id (the wamid reacted to)";
		return target ? json_pack("{s:s, s:s}", "message_id", target, "emoji",
		                          arg(ib, "emoji", "\xF0\x9F\x91\x8D"))
		              : NULL;
	}
	if (strcmp(t, "button") == 0)
		return json_pack("{s:s, s:s}", "payload",
		                 arg(ib, "reply_id", arg(ib, "text", "OK")), "text",
		                 arg(ib, "text", "OK"));
	if (strcmp(t, "interactive") == 0)
		return interactive(ib);
	if (strcmp(t, "order") == 0)
		return order(ib);
	if (strcmp(t, "system") == 0)
		return system_change(ib);
	if (strcmp(t, "unsupported") != 0)
		*problem = "unknown type";
	return NULL;
}

static json_t *message(struct sim *s, const struct inbound *ib, const char **problem)
{
	json_t *body = type_object(s, ib, problem);
	if (*problem)
		return NULL;
	char ts[24];
	snprintf(ts, sizeof(ts), "%" PRId64, ib->now_ms / 1000);
	json_t *m = json_object();
	json_t *ctx = context(ib);
	if (ctx)
		json_object_set_new(m, "context", ctx);
	json_object_set_new(m, "from", json_string(ib->wa_id));
	json_object_set_new(m, "id", json_string(ib->wamid));
	json_object_set_new(m, "timestamp", json_string(ts));
	json_object_set_new(m, "type", json_string(ib->type));
	if (body)
		json_object_set_new(m, ib->type, body);
	if (strcmp(ib->type, "unsupported") == 0)
		json_object_set_new(m, "errors", json_pack("[o]", sim_payload_error(131051)));
	return m;
}

static json_t *contacts(const struct inbound *ib)
{
	json_t *c = json_object();
	if (!json_is_true(json_object_get(ib->in, "no_profile")))
		json_object_set_new(c, "profile",
		                    json_pack("{s:s}", "name", arg(ib, "name", "Sim User")));
	json_object_set_new(c, "wa_id", json_string(ib->wa_id));
	if (ib->bsuid) {
		char user_id[32];
		sim_payload_user_id(ib->wa_id, user_id, sizeof(user_id));
		json_object_set_new(c, "user_id", json_string(user_id));
	}
	return json_pack("[o]", c);
}

/* Every string member is bounded; content_base64 by the body cap and the media limit. */
static const char *check_input(json_t *in)
{
	const char *key;
	json_t *v;
	json_object_foreach(in, key, v)
	{
		if (json_is_string(v) && json_string_length(v) > MAX_FIELD_BYTES &&
		    strcmp(key, "content_base64") != 0)
			return "a field is longer than 4096 bytes";
	}
	return NULL;
}

static int prepare(struct sim *s, json_t *in, struct inbound *ib, const char **problem)
{
	const char *pnid = json_string_value(json_object_get(in, "phone_number_id"));
	const char *from = json_string_value(json_object_get(in, "from"));
	*problem = check_input(in);
	if (!*problem && (!pnid || !*pnid || strlen(pnid) >= sizeof(ib->number.id)))
		*problem = "phone_number_id is required";
	if (!*problem && (!from || sim_util_wa_id(from, ib->wa_id, sizeof(ib->wa_id)) != 0))
		*problem = "from must be a phone number (7 to 15 digits)";
	if (*problem)
		return -1;
	ib->in = in;
	ib->type = arg(ib, "type", "text");
	ib->now_ms = clock_now_ms(&s->cfg.clock);
	sim_state_number(s, pnid, &ib->number);
	sim_state_wamid(s, ib->wamid, sizeof(ib->wamid));
	struct sim_runtime rt;
	sim_state_runtime(s, &rt);
	ib->bsuid = rt.bsuid;
	return 0;
}

void sim_inbound_handle(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = NULL;
	struct inbound ib;
	memset(&ib, 0, sizeof(ib));
	const char *problem = NULL;
	if (jsonw_parse_object(req->body.ptr, req->body.len, &in, NULL) != 0)
		problem = "the body must be a JSON object";
	json_t *msg =
	    problem || prepare(s, in, &ib, &problem) != 0 ? NULL : message(s, &ib, &problem);
	if (!msg) {
		json_decref(in);
		sim_reply_control(resp, 400, "inbound: %s", problem);
		return;
	}
	json_t *value = sim_payload_value(ib.number.id, ib.number.display);
	if (strcmp(ib.type, "system") != 0)
		json_object_set_new(value, "contacts", contacts(&ib));
	json_object_set_new(value, "messages", json_pack("[o]", msg));
	json_t *root = sim_payload_envelope(ib.number.waba, "messages", value, -1);
	size_t len = 0;
	char *body = jsonw_dump(root, &len);
	json_decref(root);
	if (strcmp(ib.type, "system") != 0)
		sim_state_window_open(s, ib.number.id, ib.wa_id, ib.now_ms);
	sim_state_count_inbound(s);
	int status = sim_webhook_post_now(s->webhook, body, len);
	sim_reply_json(resp, 200,
	               json_pack("{s:s, s:b, s:i}", "id", ib.wamid, "delivered",
	                         status >= 200 && status < 300, "status", status));
	json_decref(in);
}
