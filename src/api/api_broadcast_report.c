/* The per-recipient report of a broadcast: JSON pages for integrations and the dashboard, and
 * the whole report as a CSV download (written page by page, never one query for all). */
#include "api/api_broadcasts.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "svc/broadcasts.h"

#define API_RECIPIENTS_MAX_LIMIT 1000
#define API_REPORT_PAGE 1000
#define API_REPORT_MAX_BYTES (256u * 1024 * 1024)

/* The recipient's state: its message's status once it has one, else its own. */
static const char *state_of(const struct broadcast_report_row *r)
{
	return r->has_message ? store_msg_status_name(r->status) : r->r.status;
}

static json_t *recipient_json(const struct broadcast_report_row *r)
{
	json_t *err = r->has_message && (r->error_code || r->error_title[0])
	                  ? json_pack("{s:i, s:s, s:s}", "code", r->error_code, "title",
	                              r->error_title, "message", r->error_message)
	                  : json_null();
	json_t *ts = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o}", "acceptedAt", jsonw_time_or_null(r->accepted_at), "sentAt",
	    jsonw_time_or_null(r->sent_at), "deliveredAt", jsonw_time_or_null(r->delivered_at),
	    "readAt", jsonw_time_or_null(r->read_at), "failedAt", jsonw_time_or_null(r->failed_at));
	return json_pack(
	    "{s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "seq", (json_int_t)r->r.seq, "phone",
	    r->r.phone, "name", jsonw_string_or_null(r->r.name[0] ? r->r.name : NULL), "status",
	    state_of(r), "skipReason",
	    jsonw_string_or_null(r->r.skip_reason[0] ? r->r.skip_reason : NULL), "messageId",
	    jsonw_string_or_null(r->r.message_id[0] ? r->r.message_id : NULL), "waMessageId",
	    jsonw_string_or_null(r->wa_message_id[0] ? r->wa_message_id : NULL), "error", err,
	    "timestamps", ts);
}

static void add_recipient(void *arg, const struct broadcast_report_row *r)
{
	json_array_append_new(arg, recipient_json(r));
}

static const char *const recipient_states[] = {"pending", "skipped",  "cancelled", "queued",
                                               "sending", "accepted", "sent",      "delivered",
                                               "read",    "failed",   NULL};

int api_broadcasts_recipients(struct api_call *c)
{
	struct broadcast_report_filter f = {0};
	if (api_query_int(c, "limit", 100, 1, API_RECIPIENTS_MAX_LIMIT, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 100000000, &f.offset) ||
	    api_query_enum(c, "status", recipient_states, &f.status))
		return c->err.code;
	char id[64];
	api_param(c, id, sizeof(id));
	json_t *list = json_array();
	int64_t total = 0;
	int rc =
	    broadcasts_report(c->ctx, c->account_id, id, &f, add_recipient, list, &total, &c->err);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:s, s:o, s:o}", "broadcastId", id, "recipients", list,
	                        "pagination", api_pagination_json(total, f.limit, f.offset)));
}

/* A CSV field: quoted when it holds a comma, a quote or a line break; a leading = + - @ is
 * prefixed with ' so spreadsheets never run it as a formula. */
static void csv_field(struct buf *out, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_append_cstr(out, "\"");
	if (s[0] && strchr("=+-@", s[0]))
		buf_append_cstr(out, "'");
	for (; *s; s++)
		buf_append(out, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	if (quote)
		buf_append_cstr(out, "\"");
	buf_append_cstr(out, last ? "\r\n" : ",");
}

static void csv_time(struct buf *out, int64_t ms)
{
	char t[40] = "";
	if (ms > 0)
		clock_format_iso(ms, t, sizeof(t));
	csv_field(out, t, false);
}

static void csv_row(void *arg, const struct broadcast_report_row *r)
{
	struct buf *out = arg;
	char code[16] = "";
	if (r->error_code)
		snprintf(code, sizeof(code), "%d", r->error_code);
	csv_field(out, r->r.phone, false);
	csv_field(out, r->r.name, false);
	csv_field(out, state_of(r), false);
	csv_field(out, r->r.skip_reason, false);
	csv_field(out, r->r.message_id, false);
	csv_field(out, r->wa_message_id, false);
	csv_time(out, r->sent_at);
	csv_time(out, r->delivered_at);
	csv_time(out, r->read_at);
	csv_time(out, r->failed_at);
	csv_field(out, code, false);
	csv_field(out, r->error_title, false);
	csv_field(out, r->error_message, true);
}

int api_broadcasts_report_csv(struct api_call *c)
{
	char id[64];
	api_param(c, id, sizeof(id));
	struct buf out;
	buf_init(&out, API_REPORT_MAX_BYTES);
	buf_append_cstr(&out, "phone,name,status,skipReason,messageId,waMessageId,sentAt,"
	                      "deliveredAt,readAt,failedAt,errorCode,errorTitle,errorMessage\r\n");
	int64_t total = 0;
	int rc = 0;
	for (int64_t off = 0; rc == 0 && (off == 0 || off < total); off += API_REPORT_PAGE) {
		struct broadcast_report_filter f = {.limit = API_REPORT_PAGE, .offset = off};
		rc = broadcasts_report(c->ctx, c->account_id, id, &f, csv_row, &out, &total,
		                       &c->err);
	}
	if (rc != 0) {
		buf_release(&out);
		return rc;
	}
	size_t len = 0;
	char *text = buf_detach(&out, &len);
	http_resp_take(c->resp, 200, "text/csv; charset=utf-8", text, len);
	char disp[128];
	snprintf(disp, sizeof(disp), "attachment; filename=\"broadcast-%.24s.csv\"", id);
	http_resp_header(c->resp, "Content-Disposition", disp);
	http_resp_header(c->resp, "Cache-Control", "private, no-store");
	return 0;
}
