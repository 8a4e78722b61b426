/* Message handlers; see api_messages.h. */
#include "api/api_messages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "svc/media.h"
#include "svc/messages.h"

static int decode_send(struct api_call *c, struct send_cmd *cmd)
{
	struct err *e = &c->err;
	bool preview = false;
	if (jsonw_str(c->body, "recipientPhone", cmd->conversation_id == NULL, 64, &cmd->recipient,
	              e) ||
	    jsonw_str(c->body, "message", false, 65536, &cmd->text, e) ||
	    jsonw_str(c->body, "mediaUrl", false, 4096, &cmd->media_url, e) ||
	    jsonw_str(c->body, "mediaType", false, 32, &cmd->media_type, e) ||
	    jsonw_str(c->body, "caption", false, 65536, &cmd->caption, e) ||
	    jsonw_str(c->body, "filename", false, 240, &cmd->filename, e) ||
	    jsonw_bool(c->body, "previewUrl", false, &preview, e) ||
	    jsonw_str(c->body, "replyToMessageId", false, 200, &cmd->reply_to, e) ||
	    jsonw_str(c->body, "phoneNumberId", false, 64, &cmd->phone_number_id, e))
		return e->code;
	cmd->preview_url = preview;
	return api_messages_send_headers(c, cmd);
}

int api_messages_send_headers(struct api_call *c, struct send_cmd *cmd)
{
	struct err *e = &c->err;
	const char *key = http_header(c->req, "Idempotency-Key");
	if (key && (strlen(key) == 0 || strlen(key) > 255 || !str_is_clean_utf8(str_from(key))))
		return err_set(e, ERR_INVALID, "VALIDATION_ERROR",
		               "Idempotency-Key must be 1 to 255 printable characters");
	cmd->idempotency_key = key;
	const char *prefer = http_header(c->req, "Prefer");
	cmd->async = prefer && strstr(prefer, "respond-async") != NULL;
	return 0;
}

/* Writes a send's answer into resp: the replayed first answer, or the JSON of a, or Meta's
 * refusal (422 WHATSAPP_ERROR). Returns rc for any other error (the caller writes it). */
static int write_answer(struct http_resp *resp, const struct err *e, const struct send_answer *a,
                        int rc)
{
	if (a->replayed) {
		http_resp_set(resp, a->replay_status, "application/json; charset=utf-8",
		              a->replay_body, strlen(a->replay_body));
		http_resp_header(resp, "Idempotent-Replayed", "true");
		return 0;
	}
	if (rc != 0 && !(rc == ERR_UNPROCESSABLE && strcmp(e->key, "WHATSAPP_ERROR") == 0))
		return rc;
	json_t *body;
	if (rc != 0) {
		body = json_pack("{s:b, s:s, s:s, s:s, s:i}", "success", 0, "code",
		                 "WHATSAPP_ERROR", "message", e->message, "messageId",
		                 a->message_id, "whatsappCode", a->error_code);
	} else {
		json_t *data =
		    json_pack("{s:s, s:o, s:s, s:o}", "messageId", a->message_id, "waMessageId",
		              jsonw_string_or_null(a->wa_message_id[0] ? a->wa_message_id : NULL),
		              "status", store_msg_status_name(a->status), "timestamp",
		              jsonw_time_or_null(a->timestamp));
		body = json_pack("{s:b, s:s, s:o}", "success", 1, "message",
		                 a->http_status == 200 ? "Message sent successfully"
		                                       : "Message queued",
		                 "data", data);
	}
	size_t len = 0;
	char *text = jsonw_dump(body, &len);
	json_decref(body);
	http_resp_take(resp, rc != 0 ? 422 : a->http_status, "application/json; charset=utf-8",
	               text, len);
	return 0;
}

/* A deferred send: the reply is written when the answer comes (the group commit that makes
 * the message durable, or Meta's verdict, or SEND_WAIT_MS); no HTTP thread waits for it. */
struct async_send {
	struct http_deferred *d;
	struct svc *svc;
	char account_id[IDS_SIZE];
	char *key; /* Idempotency-Key, or NULL */
	/* The outcome, handed over from the completing thread. */
	int rc;
	struct send_answer answer;
	struct err err;
};

static void free_async(struct async_send *as)
{
	free(as->key);
	free(as);
}

/* Runs on the HTTP thread that resumes the connection: builds and logs the reply. */
static void build_async(void *arg, struct http_req *req, struct http_resp *resp)
{
	struct async_send *as = arg;
	if (write_answer(resp, &as->err, &as->answer, as->rc) != 0)
		api_error(req, resp, &as->err, NULL);
	api_log_request(req, resp);
	free_async(as);
}

/* The writer's completer, once a keyed send's answer is recorded: now it may be seen. */
static void remembered(void *arg)
{
	struct async_send *as = arg;
	api_log_request(http_deferred_req(as->d), http_deferred_resp(as->d));
	http_complete(as->d);
	free_async(as);
}

/* Any thread: hands the outcome to the HTTP layer. A fresh answer to a keyed send is
 * recorded for its Idempotency-Key first, so a retry that follows the answer is always
 * answered as its replay. */
static void finish_async(struct async_send *as, int rc, const struct send_answer *a,
                         const struct err *e)
{
	as->rc = rc;
	as->answer = *a;
	if (e)
		as->err = *e;
	struct http_resp *resp = http_deferred_resp(as->d);
	if (as->key && !a->replayed && write_answer(resp, &as->err, a, rc) == 0) {
		messages_remember_answer(as->svc, as->account_id, as->key, resp->status,
		                         buf_cstr(&resp->body), remembered, as);
		return;
	}
	http_complete_build(as->d, build_async, as);
}

static void on_queued(void *arg, int rc, const struct send_answer *a, const struct err *e)
{
	finish_async(arg, rc, a, e);
}

int api_messages_deferred(struct api_call *c, struct send_cmd *cmd,
                          int (*send)(struct api_call *c, void *arg, struct send_answer *a),
                          void *arg)
{
	struct async_send *as = xcalloc(1, sizeof(*as));
	as->svc = c->ctx->svc;
	str_copy_cstr(as->account_id, sizeof(as->account_id), c->account_id);
	as->key = cmd->idempotency_key ? xstrdup(cmd->idempotency_key) : NULL;
	as->d = http_defer(c->req, c->resp);
	cmd->queued = on_queued;
	cmd->queued_arg = as;
	struct send_answer a;
	int rc = send(c, arg, &a);
	if (rc != 0 || !a.pending) /* refused, or a replay: answer now */
		finish_async(as, rc, &a, &c->err);
	return 0;
}

static int send_plain(struct api_call *c, void *arg, struct send_answer *a)
{
	return messages_send(c->ctx, c->account_id, arg, a, &c->err);
}

static int send_common(struct api_call *c, struct send_cmd *cmd)
{
	char hash[SEC_SHA256_HEX];
	int rc = decode_send(c, cmd);
	if (rc != 0)
		return rc;
	sec_sha256_hex(c->req->body.ptr ? c->req->body.ptr : "", c->req->body.len, hash);
	cmd->request_hash = hash;
	return api_messages_deferred(c, cmd, send_plain, cmd);
}

int api_messages_send(struct api_call *c)
{
	struct send_cmd cmd = {0};
	return send_common(c, &cmd);
}

int api_messages_reply(struct api_call *c)
{
	char id[128];
	str_copy(id, sizeof(id), c->params.values[0]);
	struct send_cmd cmd = {.conversation_id = id};
	return send_common(c, &cmd);
}

int api_query_time(struct api_call *c, const char *name, int64_t *out)
{
	const char *v = http_query(c->req, name);
	*out = 0;
	if (!v || clock_parse_time(v, out) == 0)
		return 0;
	return err_field(&c->err, name,
	                 "must be unix milliseconds or an ISO-8601 UTC time such as 2026-11-24 or "
	                 "2026-11-24T09:30:00Z");
}

static void add_event(void *arg, const struct message_event_row *ev)
{
	json_array_append_new(
	    arg, json_pack("{s:s, s:o, s:o}", "status", store_msg_status_name(ev->status),
	                   "timestamp", jsonw_time_or_null(ev->timestamp), "errorCode",
	                   ev->error_code ? json_integer(ev->error_code) : json_null()));
}

void api_message_write(struct jsonout *w, const struct message_row *m, const json_t *events)
{
	bool out = m->direction == MSG_DIR_OUT;
	json_t *content = json_loads(m->content, 0, NULL);
	jsonout_object_open(w);
	jsonout_kstr(w, "messageId", m->id);
	jsonout_kstr(w, "_id", m->id);
	jsonout_kstr(w, "waMessageId", m->wa_message_id[0] ? m->wa_message_id : NULL);
	jsonout_kstr(w, "direction", out ? "outbound" : "inbound");
	jsonout_kstr(w, "type", m->type);
	jsonout_kstr(w, "phoneNumberId", m->phone_number_id);
	jsonout_kstr(w, "conversationId", m->conversation_id);
	jsonout_kstr(w, out ? "to" : "from", m->user_phone);
	jsonout_key(w, "content");
	if (!json_is_object(content)) { /* never stored that way; an empty object if it were */
		json_decref(content);
		content = json_object();
	}
	jsonout_json(w, content);
	json_decref(content);
	jsonout_kstr(w, "status", store_msg_status_name(m->status));
	jsonout_key(w, "timestamps");
	jsonout_object_open(w);
	jsonout_ktime(w, "queuedAt", m->queued_at);
	jsonout_ktime(w, "acceptedAt", m->accepted_at);
	jsonout_ktime(w, "sentAt", m->sent_at);
	jsonout_ktime(w, "deliveredAt", m->delivered_at);
	jsonout_ktime(w, "readAt", m->read_at);
	jsonout_ktime(w, "failedAt", m->failed_at);
	jsonout_object_close(w);
	jsonout_kint(w, "attempts", m->attempts);
	jsonout_ktime(w, "createdAt", m->created_at);
	jsonout_kstr(w, "recipientPhone", m->user_phone);
	jsonout_key(w, "error");
	if (m->error_code || m->error_message[0]) {
		jsonout_object_open(w);
		jsonout_kint(w, "code", m->error_code);
		jsonout_kstr(w, "title", m->error_title);
		jsonout_kstr(w, "message", m->error_message);
		jsonout_kstr(w, "details", m->error_details);
		jsonout_object_close(w);
	} else
		jsonout_null(w);
	jsonout_key(w, "pricing");
	if (m->pricing_billable >= 0 || m->pricing_category[0]) {
		jsonout_object_open(w);
		jsonout_kstr(w, "category", m->pricing_category);
		jsonout_key(w, "billable");
		if (m->pricing_billable < 0)
			jsonout_null(w);
		else
			jsonout_bool(w, m->pricing_billable);
		jsonout_object_close(w);
	} else
		jsonout_null(w);
	if (events) {
		jsonout_key(w, "events");
		jsonout_json(w, events);
	}
	jsonout_object_close(w);
}

int api_messages_get(struct api_call *c)
{
	char id[STORE_WAMID_MAX];
	str_copy(id, sizeof(id), c->params.values[0]);
	struct message_row *m = xcalloc(1, sizeof(*m));
	json_t *events = json_array();
	int rc = messages_get(c->ctx, c->account_id, id, m, &c->err);
	if (rc == 0)
		rc = messages_events(c->ctx, c->account_id, m->id, add_event, events, &c->err);
	if (rc == 0) {
		struct jsonout w;
		api_out_begin(&w, NULL);
		api_message_write(&w, m, events);
		api_out_send(c, 200, &w);
	}
	json_decref(events);
	free(m);
	return rc;
}

static void add_message(void *arg, const struct message_row *m)
{
	api_message_write(arg, m, NULL);
}

static int parse_enum(struct api_call *c, const char *name, int *out)
{
	const char *v = NULL;
	*out = -1;
	if (api_query_str(c, name, 32, &v) != 0 || !v)
		return c->err.code;
	enum msg_status st;
	if (strcmp(name, "direction") == 0) {
		if (strcmp(v, "outbound") == 0 || strcmp(v, "inbound") == 0) {
			*out = strcmp(v, "inbound") == 0 ? MSG_DIR_IN : MSG_DIR_OUT;
			return 0;
		}
		return err_field(&c->err, name, "must be outbound or inbound");
	}
	if (store_msg_status_parse(v, &st) != 0)
		return err_field(
		    &c->err, name,
		    "must be queued, sending, accepted, sent, delivered, read, failed or "
		    "received");
	*out = (int)st;
	return 0;
}

int api_messages_list(struct api_call *c)
{
	struct message_filter f = {.status = -1, .direction = -1};
	if (api_query_int(c, "limit", 50, 1, 500, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &f.offset) ||
	    parse_enum(c, "status", &f.status) || parse_enum(c, "direction", &f.direction) ||
	    api_query_time(c, "since", &f.since) || api_query_time(c, "until", &f.until) ||
	    api_query_str(c, "conversationId", 64, &f.conversation_id))
		return c->err.code;
	struct jsonout w;
	api_out_list_begin(&w, "messages");
	int64_t total = 0;
	int rc = messages_list(c->ctx, c->account_id, &f, add_message, &w, &total, &c->err);
	if (rc != 0) {
		jsonout_release(&w);
		return rc;
	}
	return api_out_list_send(c, &w, total, f.limit, f.offset);
}

struct report {
	json_t *days;
	json_t *errors;
	int64_t totals[8];
};

static json_t *rates(const int64_t *n)
{
	int64_t sent = n[MSG_STATUS_SENT] + n[MSG_STATUS_DELIVERED] + n[MSG_STATUS_READ];
	int64_t delivered = n[MSG_STATUS_DELIVERED] + n[MSG_STATUS_READ];
	int64_t all = 0;
	for (int i = 0; i < 8; i++)
		all += n[i];
	return json_pack("{s:f, s:f, s:f}", "delivered",
	                 sent ? (double)delivered / (double)sent : 0.0, "read",
	                 delivered ? (double)n[MSG_STATUS_READ] / (double)delivered : 0.0, "failed",
	                 all ? (double)n[MSG_STATUS_FAILED] / (double)all : 0.0);
}

static json_t *counts(const int64_t *n)
{
	json_t *o = json_object();
	int64_t total = 0;
	for (int i = 0; i < 8; i++) {
		if (i == MSG_STATUS_RECEIVED)
			continue;
		json_object_set_new(o, store_msg_status_name((enum msg_status)i),
		                    json_integer(n[i]));
		total += n[i];
	}
	json_object_set_new(o, "total", json_integer(total));
	return o;
}

static void add_day(void *arg, const struct delivery_day *d)
{
	struct report *r = arg;
	for (int i = 0; i < 8; i++)
		r->totals[i] += d->counts[i];
	json_array_append_new(r->days, json_pack("{s:s, s:o, s:o}", "day", d->day, "counts",
	                                         counts(d->counts), "rates", rates(d->counts)));
}

static void add_error(void *arg, int code, int64_t count)
{
	struct report *r = arg;
	json_array_append_new(r->errors,
	                      json_pack("{s:i, s:I}", "code", code, "count", (json_int_t)count));
}

int api_messages_report(struct api_call *c)
{
	int64_t since = 0, until = 0;
	const char *pnid = NULL;
	if (api_query_time(c, "since", &since) || api_query_time(c, "until", &until) ||
	    api_query_str(c, "phoneNumberId", 64, &pnid))
		return c->err.code;
	int64_t now = svc_now(c->ctx);
	if (until == 0)
		until = now + 1;
	if (since == 0)
		since = until - INT64_C(30) * 86400000;
	if (since >= until)
		return err_field(&c->err, "since", "must be before until");
	struct report r = {.days = json_array(), .errors = json_array()};
	int rc = messages_report(c->ctx, c->account_id, since, until, pnid, add_day, add_error, &r,
	                         &c->err);
	if (rc != 0) {
		json_decref(r.days);
		json_decref(r.errors);
		return rc;
	}
	json_t *data =
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "since", jsonw_time_or_null(since), "until",
	              jsonw_time_or_null(until), "totals", counts(r.totals), "rates",
	              rates(r.totals), "topErrors", r.errors, "days", r.days);
	return api_ok(c, 200, NULL, data);
}

int api_messages_media(struct api_call *c)
{
	char id[160], ctype[128];
	const char *pnid = NULL;
	str_copy(id, sizeof(id), c->params.values[0]);
	if (api_query_str(c, "phoneNumberId", 64, &pnid))
		return c->err.code;
	struct buf bytes;
	buf_init(&bytes, 0);
	int rc =
	    media_fetch(c->ctx, c->account_id, id, pnid, &bytes, ctype, sizeof(ctype), &c->err);
	if (rc != 0) {
		buf_release(&bytes);
		return rc;
	}
	size_t len = 0;
	char *data = buf_detach(&bytes, &len);
	http_resp_take(c->resp, 200, ctype[0] ? ctype : "application/octet-stream", data, len);
	http_resp_header(c->resp, "Cache-Control", "private, no-store");
	return 0;
}
