/* Broadcast handlers; see api_broadcasts.h. */
#include "api/api_broadcasts.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"

#include "core/xalloc.h"
#include "api/api_messages.h"
#include "core/sec.h"
#include "svc/broadcasts.h"

#define API_BROADCASTS_MAX_LIMIT 100

static json_t *progress_json(const struct broadcast_row *b, int64_t now)
{
	struct broadcast_progress p;
	broadcasts_progress(b, now, &p);
	json_t *o = json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "total", (json_int_t)p.total,
	    "queued", (json_int_t)p.queued, "accepted", (json_int_t)p.accepted, "sent",
	    (json_int_t)p.sent, "delivered", (json_int_t)p.delivered, "read", (json_int_t)p.read,
	    "failed", (json_int_t)p.failed, "skipped", (json_int_t)p.skipped, "cancelled",
	    (json_int_t)p.cancelled, "percent", (double)(int)(p.percent * 10) / 10);
	json_object_set_new(o, "startedAt", jsonw_time_or_null(b->started_at));
	json_object_set_new(o, "finishedAt", jsonw_time_or_null(b->finished_at));
	json_object_set_new(o, "etaSeconds",
	                    p.eta_seconds >= 0 ? json_integer(p.eta_seconds) : json_null());
	return o;
}

static json_t *skipped_json(int64_t invalid, int64_t duplicate, int64_t opted_out, int64_t window)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "invalidPhone", (json_int_t)invalid, "duplicate",
	                 (json_int_t)duplicate, "optedOut", (json_int_t)opted_out, "outsideWindow",
	                 (json_int_t)window);
}

static json_t *broadcast_json(const struct broadcast_row *b, int64_t now)
{
	bool tpl = strcmp(b->kind, "template") == 0;
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:I, s:o, s:I, s:o, s:o}", "id",
	    b->id, "_id", b->id, "name", b->name, "status", b->status, "statusReason",
	    jsonw_string_or_null(b->status_reason[0] ? b->status_reason : NULL), "messageType",
	    b->kind, "templateName", jsonw_string_or_null(tpl ? b->template_name : NULL),
	    "language", jsonw_string_or_null(tpl ? b->language : NULL), "message",
	    jsonw_string_or_null(tpl ? NULL : b->text), "phoneNumberId", b->phone_number_id,
	    "throttleMps", (json_int_t)b->throttle_mps, "scheduleAt",
	    jsonw_time_or_null(b->schedule_at), "totalRecipients", (json_int_t)b->total, "skipped",
	    skipped_json(b->skipped_invalid, b->skipped_duplicate, b->skipped_opted_out,
	                 b->skipped_window),
	    "progress", progress_json(b, now));
	json_object_set_new(o, "startedAt", jsonw_time_or_null(b->started_at));
	json_object_set_new(o, "finishedAt", jsonw_time_or_null(b->finished_at));
	json_object_set_new(o, "createdAt", jsonw_time_or_null(b->created_at));
	json_object_set_new(o, "updatedAt", jsonw_time_or_null(b->updated_at));
	return o;
}

static int read_schedule(struct api_call *c, int64_t *out)
{
	json_t *v = json_object_get(c->body, "scheduleAt");
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && clock_parse_time(json_string_value(v), out) == 0)
		return 0;
	return err_field(&c->err, "scheduleAt",
	                 "must be unix milliseconds or an ISO-8601 UTC time such as "
	                 "2026-11-24T09:30:00Z");
}

static const json_t *list_field(struct api_call *c, const char *name)
{
	json_t *v = json_object_get(c->body, name);
	return json_is_null(v) ? NULL : v;
}

/* The lists stay unparsed text, read one element at a time by the service. */
static const char *const lists[] = {"recipients", "phones", "contactIds", "tags", NULL};

/* A CSV file posted as the body (Content-Type: text/csv): the other fields come from the
 * query string; *body gets them as the object the JSON form would have. */
static int csv_upload(struct api_call *c, struct broadcast_cmd *cmd, struct jsonw_span *spans,
                      char hash[SEC_SHA256_HEX])
{
	static const char *const text[] = {"name",          "templateName", "templateId",
	                                   "language",      "message",      "headerMedia",
	                                   "phoneNumberId", "scheduleAt",   NULL};
	c->body = json_object();
	for (int i = 0; text[i]; i++) {
		const char *v = NULL;
		if (api_query_str(c, text[i], 2048, &v) != 0)
			return c->err.code;
		if (v)
			json_object_set_new(c->body, text[i], json_string(v));
	}
	int64_t throttle = 0;
	if (api_query_int(c, "throttleMps", 0, 0, 1000, &throttle) != 0)
		return c->err.code;
	if (throttle)
		json_object_set_new(c->body, "throttleMps", json_integer(throttle));
	for (int i = 0; i < 4; i++)
		spans[i] = (struct jsonw_span){NULL, 0};
	cmd->csv = buf_cstr(&c->req->body);
	cmd->csv_len = c->req->body.len;
	/* The Idempotency-Key compares the parameters and the file. */
	struct buf all;
	buf_init(&all, 0);
	char *head = jsonw_dump(c->body, NULL);
	buf_append_cstr(&all, head);
	buf_append(&all, cmd->csv, cmd->csv_len);
	sec_sha256_hex(buf_cstr(&all), all.len, hash);
	free(head);
	buf_release(&all);
	return 0;
}

static bool is_csv(const struct api_call *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	return ct && strncasecmp(ct, "text/csv", 8) == 0;
}

int api_broadcasts_create(struct api_call *c)
{
	struct err *e = &c->err;
	struct broadcast_cmd cmd = {0};
	struct jsonw_span spans[4];
	char hash[SEC_SHA256_HEX];
	int64_t throttle = 0;
	bool csv = is_csv(c);
	if (csv ? csv_upload(c, &cmd, spans, hash) != 0
	        : jsonw_parse_object_lazy(buf_cstr(&c->req->body), c->req->body.len, lists, spans,
	                                  &c->body, e) != 0)
		return e->code;
	if (!csv)
		sec_sha256_hex(c->req->body.ptr ? c->req->body.ptr : "", c->req->body.len, hash);
	if (jsonw_str(c->body, "name", false, 200, &cmd.name, e) ||
	    jsonw_str(c->body, "templateName", false, 600, &cmd.template_name, e) ||
	    jsonw_str(c->body, "templateId", false, 64, &cmd.template_id, e) ||
	    jsonw_str(c->body, "language", false, 15, &cmd.language, e) ||
	    jsonw_str(c->body, "message", false, 20000, &cmd.text, e) ||
	    jsonw_str(c->body, "headerMedia", false, 2048, &cmd.header_media, e) ||
	    jsonw_str(c->body, "phoneNumberId", false, 64, &cmd.phone_number_id, e) ||
	    (!csv && jsonw_str(c->body, "csv", false, SIZE_MAX, &cmd.csv, e)) ||
	    jsonw_int(c->body, "throttleMps", false, 0, 1000, &throttle, e) ||
	    read_schedule(c, &cmd.schedule_at))
		return e->code;
	if (!csv)
		cmd.csv_len = cmd.csv ? strlen(cmd.csv) : 0;
	cmd.throttle_mps = (int)throttle;
	cmd.recipients = spans[0];
	cmd.phones = spans[1];
	cmd.contact_ids = spans[2];
	cmd.tags = spans[3];
	for (int i = 0; lists[i]; i++) /* present but not an array */
		if (!spans[i].p && json_object_get(c->body, lists[i]) &&
		    !json_is_null(json_object_get(c->body, lists[i])))
			return err_field(e, lists[i], "must be an array");
	cmd.variables = list_field(c, "variables");
	cmd.buttons = list_field(c, "buttons");
	cmd.created_by = c->session.user.id[0] ? c->session.user.id : NULL;
	struct send_cmd keys = {0};
	if (api_messages_send_headers(c, &keys) != 0)
		return e->code;
	cmd.idempotency_key = keys.idempotency_key;
	cmd.request_hash = hash;
	struct broadcast_accepted a;
	int rc = broadcasts_create(c->ctx, c->account_id, &cmd, &a, e);
	if (rc != 0)
		return rc;
	if (a.replayed)
		http_resp_header(c->resp, "Idempotent-Replayed", "true");
	bool later = strcmp(a.status, "scheduled") == 0;
	json_t *data = json_pack(
	    "{s:s, s:s, s:I, s:I, s:o}", "broadcastId", a.id, "status", a.status, "totalRecipients",
	    (json_int_t)a.total, "totalContacts", (json_int_t)a.total, "skipped",
	    skipped_json(a.invalid, a.duplicate, a.opted_out, a.outside_window));
	return api_ok(c, 202, later ? "Broadcast scheduled" : "Broadcast started", data);
}

struct list_acc {
	json_t *list;
	int64_t now;
};

static void add_broadcast(void *arg, const struct broadcast_row *b)
{
	struct list_acc *acc = arg;
	json_array_append_new(acc->list, broadcast_json(b, acc->now));
}

static const char *const statuses[] = {"scheduled", "running", "paused", "completed",
                                       "cancelled", "failed",  NULL};

int api_broadcasts_list(struct api_call *c)
{
	struct broadcast_filter f = {0};
	if (api_query_int(c, "limit", 20, 1, API_BROADCASTS_MAX_LIMIT, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &f.offset) ||
	    api_query_enum(c, "status", statuses, &f.status))
		return c->err.code;
	struct list_acc acc = {json_array(), svc_now(c->ctx)};
	int64_t total = 0;
	int rc = broadcasts_list(c->ctx, c->account_id, &f, add_broadcast, &acc, &total, &c->err);
	if (rc != 0) {
		json_decref(acc.list);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o, s:I}", "broadcasts", acc.list, "pagination",
	                        api_pagination_json(total, f.limit, f.offset), "total",
	                        (json_int_t)total));
}

static int reply_broadcast(struct api_call *c, int rc, struct broadcast_row *b, const char *message)
{
	json_t *data =
	    rc == 0 ? json_pack("{s:o}", "broadcast", broadcast_json(b, svc_now(c->ctx))) : NULL;
	free(b);
	return rc != 0 ? rc : api_ok(c, 200, message, data);
}

int api_broadcasts_get(struct api_call *c)
{
	char id[64];
	struct broadcast_row *b = xmalloc(sizeof(*b));
	int rc = broadcasts_get(c->ctx, c->account_id, api_param(c, id, sizeof(id)), b, &c->err);
	return reply_broadcast(c, rc, b, NULL);
}

int api_broadcasts_pause(struct api_call *c)
{
	char id[64];
	struct broadcast_row *b = xmalloc(sizeof(*b));
	int rc =
	    broadcasts_pause(c->ctx, c->account_id, api_param(c, id, sizeof(id)), NULL, b, &c->err);
	return reply_broadcast(c, rc, b, "Broadcast paused");
}

int api_broadcasts_resume(struct api_call *c)
{
	char id[64];
	struct broadcast_row *b = xmalloc(sizeof(*b));
	int rc = broadcasts_resume(c->ctx, c->account_id, api_param(c, id, sizeof(id)), b, &c->err);
	return reply_broadcast(c, rc, b, "Broadcast resumed");
}

int api_broadcasts_cancel(struct api_call *c)
{
	char id[64];
	struct broadcast_row *b = xmalloc(sizeof(*b));
	int rc = broadcasts_cancel(c->ctx, c->account_id, api_param(c, id, sizeof(id)), b, &c->err);
	return reply_broadcast(c, rc, b, "Broadcast cancelled");
}
