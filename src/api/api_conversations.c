/* Conversation handlers; see api_conversations.h. */
#include "api/api_conversations.h"

#include <stdio.h>
#include <string.h>

#include "api/api_messages.h"
#include "svc/conversations.h"

/* Written as a stream (jsonout), not as a jansson tree: lists are the hottest read path. */
static void conversation_write(struct jsonout *w, const struct api_call *c,
                               const struct conversation_row *r)
{
	char composite[IDS_SIZE + STORE_META_ID_MAX + STORE_PHONE_MAX + 4];
	snprintf(composite, sizeof(composite), "%s_%s_%s", r->account_id, r->phone_number_id,
	         r->user_phone);
	int64_t expires = r->last_inbound_at ? r->last_inbound_at + CONVERSATIONS_WINDOW_MS : 0;
	jsonout_object_open(w);
	jsonout_kstr(w, "id", r->id);
	jsonout_kstr(w, "_id", r->id);
	jsonout_kstr(w, "conversationId", composite);
	jsonout_kstr(w, "accountId", r->account_id);
	jsonout_kstr(w, "phoneNumberId", r->phone_number_id);
	jsonout_kstr(w, "userPhone", r->user_phone);
	jsonout_kstr(w, "userName", r->user_name);
	jsonout_kstr(w, "userProfileName", r->user_profile_name);
	jsonout_ktime(w, "lastMessageAt", r->last_message_at);
	jsonout_kstr(w, "lastMessagePreview", r->last_message_preview);
	jsonout_kstr(w, "lastMessageType", r->last_message_type);
	jsonout_kint(w, "unreadCount", r->unread_count);
	jsonout_kstr(w, "status", r->status == CONV_STATUS_OPEN ? "open" : "closed");
	jsonout_ktime(w, "serviceWindowExpiresAt", expires);
	jsonout_kbool(w, "serviceWindowOpen", expires > svc_now(c->ctx));
	jsonout_ktime(w, "createdAt", r->created_at);
	jsonout_ktime(w, "updatedAt", r->updated_at);
	jsonout_object_close(w);
}

/* One conversation as the reply's data. */
static int reply_conversation(struct api_call *c, const char *message,
                              const struct conversation_row *r)
{
	struct jsonout w;
	api_out_begin(&w, message);
	conversation_write(&w, c, r);
	return api_out_send(c, 200, &w);
}

struct list_ctx {
	const struct api_call *c;
	struct jsonout *w;
};

static void add_conversation(void *arg, const struct conversation_row *r)
{
	struct list_ctx *l = arg;
	conversation_write(l->w, l->c, r);
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
	struct jsonout w;
	api_out_list_begin(&w, "conversations");
	struct list_ctx l = {c, &w};
	int64_t total = 0;
	int rc =
	    conversations_list(c->ctx, c->account_id, &f, add_conversation, &l, &total, &c->err);
	if (rc != 0) {
		jsonout_release(&w);
		return rc;
	}
	return api_out_list_send(c, &w, total, f.limit, f.offset);
}

int api_conversations_get(struct api_call *c)
{
	char id[160];
	struct conversation_row r;
	int rc =
	    conversations_get(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &r, &c->err);
	return rc != 0 ? rc : reply_conversation(c, NULL, &r);
}

static void add_message(void *arg, const struct message_row *m)
{
	api_message_write(arg, m, NULL);
}

int api_conversations_messages(struct api_call *c)
{
	int64_t limit = 0, offset = 0, total = 0;
	char id[160];
	if (api_query_int(c, "limit", 50, 1, 200, &limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &offset))
		return c->err.code;
	struct jsonout w;
	api_out_list_begin(&w, "messages");
	int rc = conversations_messages(c->ctx, c->account_id, api_param(c, id, sizeof(id)), limit,
	                                offset, add_message, &w, &total, &c->err);
	if (rc != 0) {
		jsonout_release(&w);
		return rc;
	}
	return api_out_list_send(c, &w, total, limit, offset);
}

int api_conversations_read(struct api_call *c)
{
	char id[160];
	struct conversation_row r;
	int rc = conversations_mark_read(c->ctx, c->account_id, api_param(c, id, sizeof(id)), &r,
	                                 &c->err);
	return rc != 0 ? rc : reply_conversation(c, "Conversation marked as read", &r);
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
	return rc != 0 ? rc : reply_conversation(c, "Conversation updated", &r);
}
