/* Webhook payload builders; see sim_payload.h. Batches are small (webhook_batch statuses), so
 * grouping by WABA and phone number uses linear searches over what was built so far. */
#include "sim/sim_payload.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sim/sim_codes.h"
#include "sim/sim_util.h"

#define ERROR_HREF "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"

static const char *const STATUS_NAMES[] = {"sent", "delivered", "read", "failed"};

const char *sim_payload_category_name(enum sim_category c)
{
	static const char *const names[] = {"service", "marketing", "utility", "authentication"};
	return names[c];
}

void sim_payload_user_id(const char *wa_id, char *out, size_t cap)
{
	uint64_t h = sim_util_hash(wa_id) % 10000000000000000000ull;
	snprintf(out, cap, "US.%020" PRIu64, h);
}

json_t *sim_payload_error(int code)
{
	const struct sim_code_info *c = sim_codes_find(code);
	return json_pack("{s:i, s:s, s:s, s:{s:s}, s:s}", "code", code, "title", c->title,
	                 "message", c->title, "error_data", "details", c->details, "href",
	                 ERROR_HREF);
}

json_t *sim_payload_value(const char *pnid, const char *display)
{
	return json_pack("{s:s, s:{s:s, s:s}}", "messaging_product", "whatsapp", "metadata",
	                 "display_phone_number", display, "phone_number_id", pnid);
}

json_t *sim_payload_envelope(const char *waba, const char *field, json_t *value, int64_t time_s)
{
	json_t *entry = json_pack("{s:s}", "id", waba);
	if (time_s >= 0)
		json_object_set_new(entry, "time", json_integer(time_s));
	json_object_set_new(entry, "changes",
	                    json_pack("[{s:o, s:s}]", "value", value, "field", field));
	return json_pack("{s:s, s:[o]}", "object", "whatsapp_business_account", "entry", entry);
}

static json_t *conversation(const struct sim_status *st)
{
	char key[96], id[33];
	snprintf(key, sizeof(key), "%s|%s|%d", st->pnid, st->recipient, (int)st->category);
	uint64_t a = sim_util_hash(key);
	snprintf(key, sizeof(key), "conv|%s|%s|%d", st->pnid, st->recipient, (int)st->category);
	snprintf(id, sizeof(id), "%016" PRIx64 "%016" PRIx64, a, sim_util_hash(key));
	json_t *c = json_pack("{s:s}", "id", id);
	if (st->status == SIM_STATUS_SENT) {
		char exp[24];
		snprintf(exp, sizeof(exp), "%" PRId64, st->sent_at_ms / 1000 + 24 * 3600);
		json_object_set_new(c, "expiration_timestamp", json_string(exp));
	}
	json_object_set_new(c, "origin",
	                    json_pack("{s:s}", "type", sim_payload_category_name(st->category)));
	return c;
}

static json_t *pricing(const struct sim_status *st)
{
	bool service = st->category == SIM_CATEGORY_SERVICE;
	/* Per-message pricing (July 2025): service replies inside the customer-service window
	 * are free; templates are billed per category. */
	return json_pack("{s:b, s:s, s:s, s:s}", "billable", !service, "pricing_model", "PMP",
	                 "category", sim_payload_category_name(st->category), "type",
	                 service ? "free_customer_service" : "regular");
}

static json_t *status_json(const struct sim_status *st, int64_t now_ms)
{
	char ts[24];
	snprintf(ts, sizeof(ts), "%" PRId64, now_ms / 1000);
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s}", "id", st->wamid, "status", STATUS_NAMES[st->status],
	              "timestamp", ts, "recipient_id", st->recipient);
	if (st->status == SIM_STATUS_SENT || st->status == SIM_STATUS_DELIVERED) {
		json_object_set_new(o, "conversation", conversation(st));
		json_object_set_new(o, "pricing", pricing(st));
	}
	if (st->status == SIM_STATUS_FAILED)
		json_object_set_new(o, "errors",
		                    json_pack("[o]", sim_payload_error(st->error_code)));
	if (st->biz_opaque)
		json_object_set_new(o, "biz_opaque_callback_data", json_string(st->biz_opaque));
	return o;
}

static void add_contact(json_t *value, const char *wa_id)
{
	json_t *contacts = json_object_get(value, "contacts");
	if (!contacts) {
		contacts = json_array();
		json_object_set_new(value, "contacts", contacts);
	}
	size_t i;
	json_t *c;
	json_array_foreach(contacts, i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "wa_id")), wa_id) == 0)
			return;
	}
	char user_id[32];
	sim_payload_user_id(wa_id, user_id, sizeof(user_id));
	json_array_append_new(contacts,
	                      json_pack("{s:s, s:s}", "wa_id", wa_id, "user_id", user_id));
}

/* The value object for st's phone number inside entries, created on first use. */
static json_t *value_for(json_t *entries, const struct sim_status *st)
{
	json_t *entry = NULL, *e;
	size_t i;
	json_array_foreach(entries, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "id")), st->waba) == 0)
			entry = e;
	}
	if (!entry) {
		entry = json_pack("{s:s, s:[]}", "id", st->waba, "changes");
		json_array_append_new(entries, entry);
	}
	json_t *changes = json_object_get(entry, "changes"), *ch;
	json_array_foreach(changes, i, ch)
	{
		json_t *v = json_object_get(ch, "value");
		json_t *md = json_object_get(v, "metadata");
		if (strcmp(json_string_value(json_object_get(md, "phone_number_id")), st->pnid) ==
		    0)
			return v;
	}
	json_t *v = sim_payload_value(st->pnid, st->display);
	json_array_append_new(changes, json_pack("{s:o, s:s}", "value", v, "field", "messages"));
	return v;
}

char *sim_payload_statuses(struct sim_status *const *st, size_t n, bool bsuid, int64_t now_ms,
                           size_t *len_out)
{
	json_t *entries = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *v = value_for(entries, st[i]);
		if (bsuid && st[i]->status != SIM_STATUS_FAILED)
			add_contact(v, st[i]->recipient);
		json_t *statuses = json_object_get(v, "statuses");
		if (!statuses) {
			statuses = json_array();
			json_object_set_new(v, "statuses", statuses);
		}
		json_array_append_new(statuses, status_json(st[i], now_ms));
	}
	json_t *root =
	    json_pack("{s:s, s:o}", "object", "whatsapp_business_account", "entry", entries);
	char *body = jsonw_dump(root, len_out);
	json_decref(root);
	return body;
}
