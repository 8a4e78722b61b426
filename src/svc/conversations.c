/* Conversations; see conversations.h. */
#include "svc/conversations.h"

#include <stdio.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/log.h"
#include "core/sec.h"
#include "core/xalloc.h"
#include "meta/build.h"
#include "meta/graph.h"
#include "svc/messages.h"
#include "svc/numbers.h"

int conversations_list(struct ctx *c, const char *account_id, const struct conversation_filter *f,
                       void (*each)(void *arg, const struct conversation_row *row), void *arg,
                       int64_t *total, struct err *e)
{
	return store_conversation_list(c->store, account_id, f, each, arg, total, e);
}

int conversations_get(struct ctx *c, const char *account_id, const char *id,
                      struct conversation_row *out, struct err *e)
{
	return messages_find_conversation(c, account_id, id, out, e);
}

/* The newest page is collected, then handed out oldest first. */
struct page {
	struct message_row *rows;
	int count;
};

static void collect(void *arg, const struct message_row *row)
{
	struct page *p = arg;
	p->rows = xrealloc(p->rows, (size_t)(p->count + 1) * sizeof(*p->rows));
	p->rows[p->count++] = *row;
}

int conversations_messages(struct ctx *c, const char *account_id, const char *id, int64_t limit,
                           int64_t offset, void (*each)(void *arg, const struct message_row *row),
                           void *arg, int64_t *total, struct err *e)
{
	struct conversation_row conv;
	int rc = conversations_get(c, account_id, id, &conv, e);
	if (rc != 0)
		return rc;
	struct message_filter f = {.conversation_id = conv.id,
	                           .status = -1,
	                           .direction = -1,
	                           .limit = limit,
	                           .offset = offset};
	struct page p = {0};
	rc = store_message_list(c->store, account_id, &f, collect, &p, total, e);
	for (int i = p.count - 1; rc == 0 && i >= 0; i--)
		each(arg, &p.rows[i]);
	free(p.rows);
	return rc;
}

static void newest_inbound(void *arg, const struct message_row *row)
{
	struct message_row *m = arg;
	if (!m->id[0])
		*m = *row;
}

/* Meta's read receipt for the customer's latest message (the blue ticks they see). */
static void send_read_receipt(struct ctx *c, const struct conversation_row *conv)
{
	struct message_row *m = xcalloc(1, sizeof(*m));
	struct message_filter f = {
	    .conversation_id = conv->id, .status = -1, .direction = MSG_DIR_IN, .limit = 1};
	struct number_row num;
	char token[800], path[STORE_META_ID_MAX + 16];
	int64_t total = 0;
	struct err e = {0};
	bool found = false;
	if (store_message_list(c->store, conv->account_id, &f, newest_inbound, m, &total, &e) !=
	        0 ||
	    !m->wa_message_id[0] ||
	    store_number_find(c->store, conv->account_id, conv->phone_number_id, &num, &found,
	                      &e) != 0 ||
	    !found || numbers_token(c, &num, token, sizeof(token), &e) != 0) {
		free(m);
		return;
	}
	json_t *body = meta_build_mark_read(m->wa_message_id);
	char *text = jsonw_dump(body, NULL);
	snprintf(path, sizeof(path), "/%s/messages", conv->phone_number_id);
	const struct config *cfg = c->svc->cfg;
	struct meta_graph_config gc = {.base_url = cfg->graph_base_url,
	                               .version = cfg->graph_version,
	                               .connect_timeout_ms = 3000,
	                               .timeout_ms = 5000,
	                               .max_reply_bytes = 16384,
	                               .max_in_flight = 1};
	struct meta_request req = {.method = "POST",
	                           .path = path,
	                           .access_token = token,
	                           .body = text,
	                           .body_len = strlen(text)};
	struct meta_result res;
	struct buf reply;
	buf_init(&reply, gc.max_reply_bytes);
	if (meta_graph_call(&gc, &req, &res, &reply, &e) != 0 || res.outcome != META_OK)
		log_warn("pixels:messages", "read receipt for %s not accepted by Meta: %s",
		         m->wa_message_id, res.transport_error ? res.transport_text : res.message);
	buf_release(&reply);
	sec_zero(token, sizeof(token));
	free(text);
	json_decref(body);
	free(m);
}

int conversations_mark_read(struct ctx *c, const char *account_id, const char *id,
                            struct conversation_row *out, struct err *e)
{
	int rc = conversations_get(c, account_id, id, out, e);
	if (rc != 0)
		return rc;
	bool had_unread = out->unread_count > 0;
	out->unread_count = 0;
	out->updated_at = svc_now(c);
	rc = store_conversation_update(c->store, out, e);
	if (rc == 0 && had_unread)
		send_read_receipt(c, out);
	return rc;
}

int conversations_set_status(struct ctx *c, const char *account_id, const char *id,
                             const char *status, struct conversation_row *out, struct err *e)
{
	enum conv_status st;
	if (status && strcmp(status, "open") == 0)
		st = CONV_STATUS_OPEN;
	else if (status && strcmp(status, "closed") == 0)
		st = CONV_STATUS_CLOSED;
	else
		return err_field(e, "status", "must be open or closed");
	int rc = conversations_get(c, account_id, id, out, e);
	if (rc != 0)
		return rc;
	out->status = st;
	out->updated_at = svc_now(c);
	return store_conversation_update(c->store, out, e);
}
