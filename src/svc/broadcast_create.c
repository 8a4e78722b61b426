/* broadcasts_create: checks the message (approved template or text) and the number, writes
 * the broadcast as "accepting" (never shown), streams every recipient source into it
 * (broadcast_accept.c), checks the daily messaging limit, then makes it "running" or
 * "scheduled". Any failure discards it; a crash before the end leaves an "accepting" row
 * that the runner removes. */
#include "svc/broadcasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/csv.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/broadcast_internal.h"
#include "svc/broadcast_runner.h"
#include "svc/messages.h"
#include "svc/numbers.h"
#include "svc/writer.h"

#define TAG_PAGE 500
#define DAY_MS INT64_C(86400000)

/* A phone given as a string or a JSON integer. */
static const char *phone_of(const json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

static int recipient_elem(void *arg, json_t *v, struct err *e)
{
	struct bc_accept *a = arg;
	char buf[32];
	const json_t *obj = json_is_object(v) ? v : NULL;
	if (!obj && !json_is_string(v) && !json_is_integer(v))
		return err_field(e, "recipients", "must be an array of {phone, name?, variables?}");
	const char *phone = phone_of(obj ? json_object_get(obj, "phone") : v, buf, sizeof(buf));
	const json_t *name = obj ? json_object_get(obj, "name") : NULL;
	return broadcast_accept_add(a, phone, json_string_value(name),
	                            obj ? json_object_get(obj, "variables") : NULL, e);
}

static int phone_elem(void *arg, json_t *v, struct err *e)
{
	char buf[32];
	return broadcast_accept_add(arg, phone_of(v, buf, sizeof(buf)), NULL, NULL, e);
}

static int contact_elem(void *arg, json_t *v, struct err *e)
{
	struct bc_accept *a = arg;
	const char *id = json_string_value(v);
	struct contact_row *ct = xcalloc(1, sizeof(*ct));
	struct err tmp = {0};
	int rc = 0;
	if (!id || store_contact_get(a->c->store, a->account_id, id, ct, &tmp) != 0)
		rc = tmp.code == ERR_NOT_FOUND || !id
		         ? err_field(e, "contactIds", "contact %.40s was not found",
		                     id ? id : "(not a string)")
		         : err_set(e, tmp.code, tmp.key, "%s", tmp.message);
	else
		rc = broadcast_accept_add(a, ct->phone, ct->name, NULL, e);
	free(ct);
	return rc;
}

struct tag_walk {
	struct bc_accept *a;
	int rc;
	struct err *e;
};

static void tag_contact(void *arg, const struct contact_row *row)
{
	struct tag_walk *w = arg;
	if (w->rc == 0)
		w->rc = broadcast_accept_add(w->a, row->phone, row->name, NULL, w->e);
}

static int tag_elem(void *arg, json_t *v, struct err *e)
{
	struct bc_accept *a = arg;
	if (!json_is_string(v))
		return err_field(e, "tags", "must be an array of tags");
	struct tag_walk w = {a, 0, e};
	int64_t total = 0;
	for (int64_t off = 0; w.rc == 0; off += TAG_PAGE) {
		struct contact_filter f = {
		    .tag = json_string_value(v), .limit = TAG_PAGE, .offset = off};
		int rc =
		    store_contact_list(a->c->store, a->account_id, &f, tag_contact, &w, &total, e);
		if (rc != 0)
			return rc;
		if (off + TAG_PAGE >= total)
			break;
	}
	return w.rc;
}

static int csv_line(struct bc_accept *a, const struct csv_row *row, size_t line, struct err *e)
{
	if (row->bad_quote || row->too_wide || row->cut)
		return err_field(e, "csv", "line %zu: %s", line,
		                 row->bad_quote  ? "a quote is not closed or text follows it"
		                 : row->too_wide ? "too many columns"
		                                 : "a value is too long");
	json_t *vars = NULL;
	if (row->n > 2) {
		vars = json_array();
		for (size_t i = 2; i < row->n; i++)
			json_array_append_new(vars, json_string(row->field[i]));
	}
	int rc = broadcast_accept_add(a, row->field[0], row->n > 1 ? row->field[1] : NULL, vars, e);
	json_decref(vars);
	return rc;
}

static int from_csv(struct bc_accept *a, const char *csv, size_t len, struct err *e)
{
	if (!str_is_clean_utf8((struct str){csv, len}))
		return err_field(e, "csv", "must be UTF-8 text");
	struct csv_reader r;
	struct csv_row *row = xcalloc(1, sizeof(*row));
	csv_init(&r, csv, len);
	int rc = 0;
	while (rc == 0 && csv_next(&r, row)) {
		bool header = r.line == 1 && strcasecmp(row->field[0], "phone") == 0;
		if (!header)
			rc = csv_line(a, row, r.line, e);
	}
	free(row);
	return rc;
}

static int read_sources(struct bc_accept *a, struct err *e)
{
	const struct broadcast_cmd *cmd = a->cmd;
	int rc = 0;
	if (rc == 0 && cmd->recipients.p)
		rc = jsonw_each_element(cmd->recipients, recipient_elem, a, e);
	if (rc == 0 && cmd->phones.p)
		rc = jsonw_each_element(cmd->phones, phone_elem, a, e);
	if (rc == 0 && cmd->contact_ids.p)
		rc = jsonw_each_element(cmd->contact_ids, contact_elem, a, e);
	if (rc == 0 && cmd->tags.p)
		rc = jsonw_each_element(cmd->tags, tag_elem, a, e);
	if (rc == 0 && cmd->csv)
		rc = from_csv(a, cmd->csv, cmd->csv_len, e);
	if (rc == 0)
		rc = broadcast_accept_flush(a, e);
	broadcast_accept_clear(a);
	return rc;
}

/* The message: an approved template (with its header and buttons) or a text. */
static int check_message(struct bc_accept *a, struct err *e)
{
	const struct broadcast_cmd *cmd = a->cmd;
	struct broadcast_row *b = a->b;
	if (cmd->template_name || cmd->template_id) {
		a->tpl = xcalloc(1, sizeof(*a->tpl));
		int rc = template_send_resolve(a->c, a->account_id, cmd->template_name,
		                               cmd->template_id, cmd->language, a->tpl, e);
		if (rc == 0)
			rc = template_send_check_extras(a->tpl, cmd->header_media, cmd->buttons, e);
		if (rc != 0)
			return rc;
		char *buttons = cmd->buttons ? jsonw_dump(cmd->buttons, NULL) : NULL;
		rc = str_copy_cstr(b->buttons, sizeof(b->buttons), buttons ? buttons : "");
		free(buttons);
		if (rc != 0)
			return err_field(e, "buttons", "are too long");
		if (str_copy_cstr(b->header_media, sizeof(b->header_media),
		                  cmd->header_media ? cmd->header_media : "") != 0)
			return err_field(e, "headerMedia", "is too long");
		str_copy_cstr(b->kind, sizeof(b->kind), "template");
		memcpy(b->template_id, a->tpl->id, sizeof(b->template_id));
		str_copy_cstr(b->template_name, sizeof(b->template_name), a->tpl->name);
		str_copy_cstr(b->language, sizeof(b->language), a->tpl->language);
		return 0;
	}
	if (!cmd->text || !*cmd->text)
		return err_set(e, ERR_INVALID, "MESSAGE_REQUIRED",
		               "Message content is required: give message (text) or templateName");
	if (str_utf8_chars(cmd->text) > MESSAGES_TEXT_MAX)
		return err_field(e, "message", "must be at most %d characters", MESSAGES_TEXT_MAX);
	str_copy_cstr(b->kind, sizeof(b->kind), "text");
	str_copy_cstr(b->text, sizeof(b->text), cmd->text);
	a->skip_closed = a->c->svc->cfg->enforce_service_window;
	return 0;
}

static int check_request(struct bc_accept *a, struct err *e)
{
	const struct broadcast_cmd *cmd = a->cmd;
	struct broadcast_row *b = a->b;
	if (!cmd->recipients.p && !cmd->phones.p && !cmd->contact_ids.p && !cmd->tags.p &&
	    !cmd->csv)
		return err_set(
		    e, ERR_INVALID, "NO_RECIPIENTS",
		    "Recipients are required: give recipients, phones, contactIds or tags");
	if (cmd->throttle_mps < 0 || cmd->throttle_mps > 1000)
		return err_field(
		    e, "throttleMps",
		    "must be 1 to 1000 messages a second, or 0 for the number's own rate");
	if (cmd->name && str_copy_cstr(b->name, sizeof(b->name), cmd->name) != 0)
		return err_field(e, "name", "must be at most %d bytes", STORE_NAME_MAX - 1);
	struct number_row num;
	int rc = numbers_resolve(a->c, a->account_id, cmd->phone_number_id, &num, e);
	if (rc != 0)
		return rc;
	memcpy(b->phone_number_id, num.phone_number_id, sizeof(b->phone_number_id));
	return check_message(a, e);
}

static void fill_row(struct bc_accept *a)
{
	struct broadcast_row *b = a->b;
	ids_new(a->now, b->id);
	str_copy_cstr(b->account_id, sizeof(b->account_id), a->account_id);
	if (!b->name[0]) {
		time_t t = (time_t)(a->now / 1000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(b->name, sizeof(b->name), "Broadcast %Y-%m-%d %H:%M UTC", &tm);
	}
	b->throttle_mps = a->cmd->throttle_mps;
	b->schedule_at = a->cmd->schedule_at > a->now ? a->cmd->schedule_at : 0;
	str_copy_cstr(b->status, sizeof(b->status), "accepting");
	str_copy_cstr(b->created_by, sizeof(b->created_by),
	              a->cmd->created_by ? a->cmd->created_by : "");
	b->created_at = b->updated_at = a->now;
}

static int insert_job(struct store *s, void *arg, struct err *e)
{
	return store_broadcast_insert(s, arg, e);
}

/* Makes the broadcast visible and records its Idempotency-Key, in one transaction. */
static int update_job(struct store *s, void *arg, struct err *e)
{
	struct bc_accept *a = arg;
	int rc = store_broadcast_update(s, a->b, e);
	if (rc == 0 && a->cmd->idempotency_key) {
		struct idem_row r = {.created_at = a->now};
		memcpy(r.account_id, a->b->account_id, sizeof(r.account_id));
		str_copy_cstr(r.key, sizeof(r.key), a->cmd->idempotency_key);
		str_copy_cstr(r.request_hash, sizeof(r.request_hash), a->cmd->request_hash);
		memcpy(r.message_id, a->b->id, sizeof(r.message_id)); /* the broadcast's id */
		rc = store_idem_insert(s, &r, e);
	}
	return rc;
}

static int discard_job(struct store *s, void *arg, struct err *e)
{
	return store_broadcast_discard(s, arg, e);
}

/* Meta's limit counts unique customers reached by business-initiated messages in 24 hours. */
static int check_limit(struct bc_accept *a, struct err *e)
{
	int limit = a->c->svc->cfg->messaging_limit_per_day;
	int64_t used = 0;
	if (limit <= 0 || a->closed == 0)
		return 0;
	int rc = store_broadcast_daily_usage(a->c->store, a->account_id, a->now - DAY_MS, &used, e);
	if (rc != 0 || used + a->closed <= limit)
		return rc;
	return err_set(e, ERR_UNPROCESSABLE, "MESSAGING_LIMIT_EXCEEDED",
	               "This broadcast would reach %lld customers outside their 24-hour window, "
	               "but the account's daily messaging limit is %d and %lld are already used "
	               "in the last 24 hours (%lld left). Send to fewer recipients, or wait.",
	               (long long)a->closed, limit, (long long)used,
	               (long long)(used < limit ? limit - used : 0));
}

static int no_recipients(const struct bc_accept *a, struct err *e)
{
	const struct broadcast_row *b = a->b;
	const struct broadcast_cmd *cmd = a->cmd;
	bool contacts_only = !cmd->recipients.p && !cmd->phones.p && !cmd->csv;
	return err_set(e, ERR_INVALID, "NO_RECIPIENTS",
	               "%s (%lld invalid phone, %lld opted out, %lld outside the 24-hour window, "
	               "%lld duplicate)",
	               contacts_only ? "No contacts found matching criteria"
	                             : "No valid recipient to send to",
	               (long long)b->skipped_invalid, (long long)b->skipped_opted_out,
	               (long long)b->skipped_window, (long long)b->skipped_duplicate);
}

static int accept_recipients(struct bc_accept *a, struct err *e)
{
	struct broadcast_row *b = a->b;
	int rc = read_sources(a, e);
	if (rc == 0 && a->pending == 0)
		rc = no_recipients(a, e);
	if (rc == 0)
		rc = check_limit(a, e);
	if (rc != 0)
		return rc;
	b->total = a->pending;
	b->next_seq = 0;
	bool later = b->schedule_at > a->now;
	str_copy_cstr(b->status, sizeof(b->status), later ? "scheduled" : "running");
	b->started_at = later ? 0 : a->now;
	b->updated_at = a->now;
	return writer_run(a->c->svc->writer, update_job, a, e);
}

static void answer(const struct bc_accept *a, struct broadcast_accepted *out)
{
	const struct broadcast_row *b = a->b;
	memcpy(out->id, b->id, sizeof(out->id));
	str_copy_cstr(out->status, sizeof(out->status), b->status);
	out->total = b->total;
	out->invalid = b->skipped_invalid;
	out->duplicate = b->skipped_duplicate;
	out->opted_out = b->skipped_opted_out;
	out->outside_window = b->skipped_window;
}

/* An Idempotency-Key already used: *handled, and out is that broadcast as it is now. */
static int replay(struct ctx *c, const char *account_id, const struct broadcast_cmd *cmd,
                  struct broadcast_accepted *out, bool *handled, struct err *e)
{
	struct idem_row *r = xcalloc(1, sizeof(*r));
	struct broadcast_row *b = xcalloc(1, sizeof(*b));
	bool found = false;
	*handled = false;
	int rc = cmd->idempotency_key ? store_idem_find(c->store, account_id, cmd->idempotency_key,
	                                                svc_now(c), r, &found, e)
	                              : 0;
	if (rc == 0 && found && strcmp(r->request_hash, cmd->request_hash) != 0)
		rc = err_set(e, ERR_UNPROCESSABLE, "IDEMPOTENCY_KEY_REUSED",
		             "This Idempotency-Key was used in the last 24 hours with a different "
		             "request body");
	else if (rc == 0 && found)
		rc = store_broadcast_get(c->store, account_id, r->message_id, b, e);
	if (rc == 0 && found) {
		*handled = true;
		struct bc_accept a = {.b = b};
		answer(&a, out);
		out->replayed = true;
	}
	free(b);
	free(r);
	return rc;
}

int broadcasts_create(struct ctx *c, const char *account_id, const struct broadcast_cmd *cmd,
                      struct broadcast_accepted *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	bool handled = false;
	int rr = replay(c, account_id, cmd, out, &handled, e);
	if (rr != 0 || handled)
		return rr;
	struct bc_accept *a = xcalloc(1, sizeof(*a));
	a->c = c;
	a->account_id = account_id;
	a->cmd = cmd;
	a->now = svc_now(c);
	a->b = xcalloc(1, sizeof(*a->b));
	a->vals = xcalloc(1, sizeof(*a->vals));
	a->contact = xcalloc(1, sizeof(*a->contact));
	int rc = check_request(a, e);
	if (rc == 0) {
		fill_row(a);
		rc = writer_run(c->svc->writer, insert_job, a->b, e);
		if (rc == 0 && (rc = accept_recipients(a, e)) != 0) {
			struct err tmp = {0};
			if (writer_run(c->svc->writer, discard_job, a->b->id, &tmp) != 0)
				log_warn("pixels:broadcasts", "could not discard broadcast %s: %s",
				         a->b->id, tmp.message);
		}
	}
	if (rc == 0) {
		answer(a, out);
		broadcast_runner_kick(c->svc->broadcast_runner);
		log_info("pixels:broadcasts", "broadcast %s accepted: %lld recipients, %s",
		         a->b->id, (long long)a->b->total, a->b->status);
	}
	free(a->vals);
	free(a->contact);
	free(a->tpl);
	free(a->b);
	free(a);
	if (rc == ERR_CONFLICT && strcmp(e->key, "IDEMPOTENCY_KEY_EXISTS") == 0) {
		err_clear(e); /* a concurrent twin won the key: answer as its replay */
		rc = replay(c, account_id, cmd, out, &handled, e);
	}
	return rc;
}
