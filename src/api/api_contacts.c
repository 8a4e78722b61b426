/* Contact handlers; see api_contacts.h. Contacts carry both "id" and "_id" (the original
 * system returned Mongo documents, and existing clients read "_id"). */
#include "api/api_contacts.h"

#include <string.h>

#include "svc/contacts.h"

#define API_CONTACTS_MAX_LIMIT 500

static json_t *contact_json(const struct contact_row *r)
{
	json_t *tags = json_array();
	for (int i = 0; i < r->ntags; i++)
		json_array_append_new(tags, json_string(r->tags[i]));
	json_t *attrs = r->attributes[0] ? json_loads(r->attributes, 0, NULL) : NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o}", "id", r->id,
	                 "_id", r->id, "name", r->name, "phone", r->phone, "whatsappNumber",
	                 r->phone, "email", jsonw_string_or_null(r->email[0] ? r->email : NULL),
	                 "tags", tags, "attributes", attrs ? attrs : json_object(), "optedOut",
	                 r->opted_out, "createdAt", jsonw_time_or_null(r->created_at), "updatedAt",
	                 jsonw_time_or_null(r->updated_at));
}

static void add_contact(void *arg, const struct contact_row *r)
{
	json_array_append_new(arg, contact_json(r));
}

int api_contacts_list(struct api_call *c)
{
	struct contact_filter f = {0};
	if (api_query_int(c, "limit", 100, 1, API_CONTACTS_MAX_LIMIT, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &f.offset) ||
	    api_query_str(c, "search", 200, &f.search) ||
	    api_query_str(c, "tag", STORE_TAG_MAX - 1, &f.tag))
		return c->err.code;
	json_t *list = json_array();
	int64_t total = 0;
	int rc = contacts_list(c->ctx, c->account_id, &f, add_contact, list, &total, &c->err);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o}", "contacts", list, "pagination",
	                        api_pagination_json(total, f.limit, f.offset)));
}

int api_contacts_get(struct api_call *c)
{
	char id[64];
	struct contact_row r;
	int rc = contacts_get(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &r, &c->err);
	return rc != 0 ? rc : api_ok(c, 200, NULL, contact_json(&r));
}

/* tags: array of strings; attributes: object, kept as compact JSON text in attrs. */
static int decode(struct api_call *c, struct contact_cmd *cmd, char **attrs)
{
	struct err *e = &c->err;
	if (jsonw_str(c->body, "name", false, 300, &cmd->name, e) ||
	    jsonw_str(c->body, "phone", false, 64, &cmd->phone, e) ||
	    jsonw_str(c->body, "email", false, 300, &cmd->email, e))
		return e->code;
	if (!cmd->phone && jsonw_str(c->body, "whatsappNumber", false, 64, &cmd->phone, e))
		return e->code;
	json_t *tags = json_object_get(c->body, "tags");
	if (tags && !json_is_null(tags)) {
		if (!json_is_array(tags) || json_array_size(tags) > STORE_TAGS_MAX)
			return err_field(e, "tags", "must be an array of at most %d strings",
			                 STORE_TAGS_MAX);
		cmd->has_tags = true;
		for (size_t i = 0; i < json_array_size(tags); i++) {
			json_t *t = json_array_get(tags, i);
			if (!json_is_string(t))
				return err_field(e, "tags", "must contain only strings");
			cmd->tags[cmd->ntags++] = json_string_value(t);
		}
	}
	json_t *a = json_object_get(c->body, "attributes");
	if (a && !json_is_null(a)) {
		if (!json_is_object(a))
			return err_field(e, "attributes", "must be an object");
		*attrs = jsonw_dump(a, NULL);
		cmd->attributes = *attrs;
		cmd->has_attributes = true;
	}
	return 0;
}

/* 409 CONTACT_EXISTS names the contact that already has the phone number. */
static int reply_conflict(struct api_call *c, const struct contact_row *r)
{
	json_t *extra = json_pack("{s:s}", "existingId", r->id);
	api_error(c->req, c->resp, &c->err, extra);
	json_decref(extra);
	return 0;
}

static int save(struct api_call *c, bool creating)
{
	struct contact_cmd cmd = {0};
	char *attrs = NULL, id[64];
	struct contact_row r;
	int rc = decode(c, &cmd, &attrs);
	if (rc == 0 && creating)
		rc = contacts_create(c->ctx, c->account_id, &cmd, &r, &c->err);
	else if (rc == 0)
		rc = contacts_update(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &cmd, &r,
		                     &c->err);
	free(attrs);
	if (rc == ERR_CONFLICT && strcmp(c->err.key, "CONTACT_EXISTS") == 0)
		return reply_conflict(c, &r);
	if (rc != 0)
		return rc;
	return api_ok(c, creating ? 201 : 200,
	              creating ? "Contact created successfully" : "Contact updated successfully",
	              contact_json(&r));
}

int api_contacts_create(struct api_call *c)
{
	return save(c, true);
}

int api_contacts_update(struct api_call *c)
{
	return save(c, false);
}

int api_contacts_delete(struct api_call *c)
{
	char id[64];
	int rc = contacts_delete(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Contact deleted successfully", NULL);
}
