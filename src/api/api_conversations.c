/* Conversation handlers; see api_conversations.h. */
#include "api/api_conversations.h"

#include <stdio.h>
#include <string.h>

#include "api/api_messages.h"
#include "svc/conversations.h"

/* Built member by member (not json_pack): lists are the hottest read path. Keys and our own
 * ASCII values (ids, digits, enum names) skip jansson's UTF-8 check; customer text keeps it. */
static json_t *conversation_json(const struct api_call *c, const struct conversation_row *r)
{
	char composite[IDS_SIZE + STORE_META_ID_MAX + STORE_PHONE_MAX + 4];
	snprintf(composite, sizeof(composite), "%s_%s_%s", r->account_id, r->phone_number_id,
	         r->user_phone);
	int64_t expires = r->last_inbound_at ? r->last_inbound_at + CONVERSATIONS_WINDOW_MS : 0;
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "id", json_string_nocheck(r->id));
	json_object_set_new_nocheck(o, "_id", json_string_nocheck(r->id));
	json_object_set_new_nocheck(o, "conversationId", json_string_nocheck(composite));
	json_object_set_new_nocheck(o, "accountId", json_string_nocheck(r->account_id));
	json_object_set_new_nocheck(o, "phoneNumberId", json_string_nocheck(r->phone_number_id));
	json_object_set_new_nocheck(o, "userPhone", json_string_nocheck(r->user_phone));
	json_object_set_new_nocheck(o, "userName", jsonw_string_or_null(r->user_name));
	json_object_set_new_nocheck(o, "userProfileName",
	                            jsonw_string_or_null(r->user_profile_name));
	json_object_set_new_nocheck(o, "lastMessageAt", jsonw_time_or_null(r->last_message_at));
	json_object_set_new_nocheck(o, "lastMessagePreview",
	                            jsonw_string_or_null(r->last_message_preview));
	json_object_set_new_nocheck(o, "lastMessageType",
	                            jsonw_string_or_null(r->last_message_type));
	json_object_set_new_nocheck(o, "unreadCount", json_integer(r->unread_count));
	json_object_set_new_nocheck(
	    o, "status", json_string_nocheck(r->status == CONV_STATUS_OPEN ? "open" : "closed"));
	json_object_set_new_nocheck(o, "serviceWindowExpiresAt", jsonw_time_or_null(expires));
	json_object_set_new_nocheck(o, "serviceWindowOpen",
	                            json_boolean(expires > svc_now(c->ctx)));
	json_object_set_new_nocheck(o, "createdAt", jsonw_time_or_null(r->created_at));
	json_object_set_new_nocheck(o, "updatedAt", jsonw_time_or_null(r->updated_at));
	return o;
}

struct list_ctx {
	const struct api_call *c;
	json_t *list;
};

static void add_conversation(void *arg, const struct conversation_row *r)
{
	struct list_ctx *l = arg;
	json_array_append_new(l->list, conversation_json(l->c, r));
}

int api_conversations_list(struct api_call *c)
{
	struct conversation_filter f = {.status = -1};
	const char *status = NULL;
	if (api_query_int(c, "limit", 50, 1, 100, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &f.offset) ||
	    api_query_str(c, "search", 200, &f.search) ||
	    api_query_str(c, "phoneNumberId", 64, &f.phone_number_id) ||
	    api_query_str(c, "status", 16, &status))
		return c->err.code;
	if (status && strcmp(status, "open") != 0 && strcmp(status, "closed") != 0)
		return err_field(&c->err, "status", "must be open or closed");
	if (status)
		f.status = strcmp(status, "open") == 0 ? CONV_STATUS_OPEN : CONV_STATUS_CLOSED;
	struct list_ctx l = {c, json_array()};
	int64_t total = 0;
	int rc =
	    conversations_list(c->ctx, c->account_id, &f, add_conversation, &l, &total, &c->err);
	if (rc != 0) {
		json_decref(l.list);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o}", "conversations", l.list, "pagination",
	                        api_pagination_json(total, f.limit, f.offset)));
}

int api_conversations_get(struct api_call *c)
{
	char id[160];
	struct conversation_row r;
	int rc =
	    conversations_get(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &r, &c->err);
	return rc != 0 ? rc : api_ok(c, 200, NULL, conversation_json(c, &r));
}

static void add_message(void *arg, const struct message_row *m)
{
	json_array_append_new(arg, api_message_json(m, NULL));
}

int api_conversations_messages(struct api_call *c)
{
	int64_t limit = 0, offset = 0, total = 0;
	char id[160];
	if (api_query_int(c, "limit", 50, 1, 200, &limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &offset))
		return c->err.code;
	json_t *list = json_array();
	int rc = conversations_messages(c->ctx, c->account_id, api_param(c, id, sizeof(id)), limit,
	                                offset, add_message, list, &total, &c->err);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o}", "messages", list, "pagination",
	                        api_pagination_json(total, limit, offset)));
}

int api_conversations_read(struct api_call *c)
{
	char id[160];
	struct conversation_row r;
	int rc = conversations_mark_read(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &r,
	                                 &c->err);
	return rc != 0 ? rc
	               : api_ok(c, 200, "Conversation marked as read", conversation_json(c, &r));
}

int api_conversations_status(struct api_call *c)
{
	char id[160];
	const char *status = NULL;
	struct conversation_row r;
	if (jsonw_str(c->body, "status", true, 16, &status, &c->err))
		return c->err.code;
	int rc = conversations_set_status(c->ctx, c->account_id, api_param(c, id, sizeof(id)),
	                                  status, &r, &c->err);
	return rc != 0 ? rc : api_ok(c, 200, "Conversation updated", conversation_json(c, &r));
}
