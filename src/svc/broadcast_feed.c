/* broadcast_feed: one writer job that moves one running broadcast forward. It re-reads the
 * broadcast (a pause or cancel that came first wins), pauses it when its number cannot send
 * or Meta paused its template, turns the next pending recipients into queued messages
 * (priority 1) in recipient order, and completes it when nothing is pending or unsettled.
 * A recipient becomes a message in the same transaction that marks it queued, so a restart
 * never sends a recipient the same broadcast twice. */
#include "svc/broadcast_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/broadcast_internal.h"
#include "svc/messages.h"
#include "svc/writer.h"

struct feed_job {
	struct ctx *c; /* the runner's: time only (the writer's store handle is s) */
	const char *id;
	int64_t want, now;
	int fed;
	struct broadcast_row *b;
	struct template_row *tpl;
	struct template_values *vals;
	json_t *buttons;
	struct number_row num;
	struct broadcast_recipient_row *recips;
	int64_t nrecips;
	struct message_row *msg;
};

static void take(void *arg, const struct broadcast_recipient_row *row)
{
	struct feed_job *j = arg;
	if (j->nrecips < j->want)
		j->recips[j->nrecips++] = *row;
}

/* A recipient whose message cannot be built (its template changed since): failed, with why. */
static void unsendable(struct feed_job *j, const char *user, const struct err *why)
{
	struct message_row *m = j->msg;
	memset(m, 0, sizeof(*m));
	ids_new(j->now, m->id);
	memcpy(m->account_id, j->b->account_id, sizeof(m->account_id));
	memcpy(m->phone_number_id, j->num.phone_number_id, sizeof(m->phone_number_id));
	str_copy_cstr(m->user_phone, sizeof(m->user_phone), user);
	str_copy_cstr(m->type, sizeof(m->type), j->b->kind);
	str_copy_cstr(m->content, sizeof(m->content), "{}");
	m->direction = MSG_DIR_OUT;
	m->status = MSG_STATUS_FAILED;
	m->queued_at = m->failed_at = m->created_at = m->updated_at = j->now;
	m->pricing_billable = -1;
	str_copy_cstr(m->error_title, sizeof(m->error_title), "Not sent");
	str_copy_cstr(m->error_message, sizeof(m->error_message), why->message);
}

static int build(struct store *s, struct feed_job *j, const struct broadcast_recipient_row *r,
                 struct err *e)
{
	struct err why = {0};
	int rc;
	if (j->tpl) {
		json_t *vars = r->variables[0] ? json_loads(r->variables, 0, NULL) : NULL;
		rc = template_send_collect(j->tpl, vars, j->vals, &why);
		if (rc == 0)
			rc =
			    template_send_prepare(j->c, j->b->account_id, j->tpl, j->vals,
			                          j->b->header_media[0] ? j->b->header_media : NULL,
			                          j->buttons, &j->num, r->phone, j->msg, &why);
		json_decref(vars);
	} else {
		rc = messages_build_text(j->c, j->b->account_id, &j->num, r->phone, j->b->text,
		                         j->msg, &why);
	}
	if (rc != 0)
		unsendable(j, r->phone, &why);
	j->msg->priority = 1;
	memcpy(j->msg->broadcast_id, j->b->id, sizeof(j->msg->broadcast_id));
	char preview[256];
	if (j->tpl)
		snprintf(preview, sizeof(preview), "[Template] %.200s", j->tpl->name);
	else
		messages_preview("text", j->b->text, NULL, preview, sizeof(preview));
	rc = messages_store_outbound(s, j->msg, preview, e);
	return rc != 0 ? rc : store_broadcast_recipient_queued(s, j->b->id, r->seq, j->msg->id, e);
}

static int stop(struct store *s, struct feed_job *j, const char *reason, struct err *e)
{
	log_warn("pixels:broadcasts", "broadcast %s paused: %s", j->id, reason);
	return broadcast_pause_in_store(s, j->id, reason, j->now, e);
}

/* Whether the broadcast may go on; pauses it (or fails it: number removed) when not. */
static int check_course(struct store *s, struct feed_job *j, bool *go, struct err *e)
{
	struct broadcast_row *b = j->b;
	char reason[256];
	bool found = false;
	*go = false;
	if (b->stop_code) {
		snprintf(reason, sizeof(reason),
		         "Meta error %d: the template %.120s was paused or disabled by Meta",
		         b->stop_code, b->template_name);
		return stop(s, j, reason, e);
	}
	int rc = store_number_find(s, b->account_id, b->phone_number_id, &j->num, &found, e);
	if (rc != 0)
		return rc;
	if (!found) {
		str_copy_cstr(b->status, sizeof(b->status), "failed");
		str_copy_cstr(b->status_reason, sizeof(b->status_reason),
		              "The WhatsApp number of this broadcast was removed");
		b->finished_at = b->updated_at = j->now;
		rc = store_broadcast_cancel(s, b->id, j->now, e);
		return rc != 0 ? rc : store_broadcast_update(s, b, e);
	}
	if (j->num.status != NUMBER_STATUS_ACTIVE) {
		snprintf(reason, sizeof(reason), "The WhatsApp number cannot send: %.200s",
		         j->num.status_reason[0] ? j->num.status_reason : "reconnect required");
		return stop(s, j, reason, e);
	}
	if (strcmp(j->b->kind, "template") == 0) {
		j->tpl = xcalloc(1, sizeof(*j->tpl));
		struct err tmp = {0};
		if (store_template_get(s, b->account_id, b->template_id, j->tpl, &tmp) != 0)
			return stop(s, j, "The template of this broadcast was deleted", e);
		j->buttons = b->buttons[0] ? json_loads(b->buttons, 0, NULL) : NULL;
	}
	*go = true;
	return 0;
}

static int feed_in_writer(struct store *s, void *arg, struct err *e)
{
	struct feed_job *j = arg;
	struct broadcast_row *b = j->b;
	bool go = false;
	int rc = store_broadcast_get(s, NULL, j->id, b, e);
	if (rc != 0 || strcmp(b->status, "running") != 0)
		return rc;
	rc = check_course(s, j, &go, e);
	if (rc != 0 || !go)
		return rc;
	if (j->want > 0)
		rc = store_broadcast_recipients_pending(s, b->id, b->next_seq, j->want, take, j, e);
	for (int64_t i = 0; rc == 0 && i < j->nrecips; i++) {
		rc = build(s, j, &j->recips[i], e);
		b->next_seq = j->recips[i].seq + 1;
		j->fed++;
	}
	bool drained = j->want > 0 && j->nrecips < j->want;
	if (rc == 0 && drained && j->fed == 0 && b->n_queued + b->n_sending == 0) {
		str_copy_cstr(b->status, sizeof(b->status), "completed");
		b->finished_at = j->now;
		log_info("pixels:broadcasts", "broadcast %s completed", b->id);
	}
	if (rc == 0 && (j->fed > 0 || b->finished_at)) {
		b->updated_at = j->now;
		rc = store_broadcast_update(s, b, e);
	}
	return rc;
}

int broadcast_feed(struct svc *svc, struct ctx *c, const char *id, int64_t want, int *fed,
                   struct err *e)
{
	struct feed_job j = {.c = c, .id = id, .want = want, .now = svc_now(c)};
	j.b = xcalloc(1, sizeof(*j.b));
	j.vals = xcalloc(1, sizeof(*j.vals));
	j.msg = xcalloc(1, sizeof(*j.msg));
	j.recips = want > 0 ? xcalloc((size_t)want, sizeof(*j.recips)) : NULL;
	int rc = writer_run(svc->writer, feed_in_writer, &j, e);
	*fed = rc == 0 ? j.fed : 0;
	json_decref(j.buttons);
	free(j.recips);
	free(j.msg);
	free(j.vals);
	free(j.tpl);
	free(j.b);
	return rc;
}
