/* Reading broadcasts and changing their course: pause, resume, cancel. Every change runs as
 * one writer job that reads the broadcast, checks its status and writes the new status with
 * what it implies for its queued messages, so the runner and a user never race. */
#include "svc/broadcasts.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/broadcast_internal.h"
#include "svc/broadcast_runner.h"
#include "svc/writer.h"

int broadcasts_get(struct ctx *c, const char *account_id, const char *id, struct broadcast_row *out,
                   struct err *e)
{
	return store_broadcast_get(c->store, account_id, id, out, e);
}

int broadcasts_list(struct ctx *c, const char *account_id, const struct broadcast_filter *f,
                    void (*each)(void *arg, const struct broadcast_row *row), void *arg,
                    int64_t *total, struct err *e)
{
	return store_broadcast_list(c->store, account_id, f, each, arg, total, e);
}

int broadcasts_report(struct ctx *c, const char *account_id, const char *id,
                      const struct broadcast_report_filter *f,
                      void (*each)(void *arg, const struct broadcast_report_row *row), void *arg,
                      int64_t *total, struct err *e)
{
	struct broadcast_row *b = xcalloc(1, sizeof(*b));
	int rc = store_broadcast_get(c->store, account_id, id, b, e);
	free(b);
	return rc != 0 ? rc
	               : store_broadcast_report(c->store, account_id, id, f, each, arg, total, e);
}

enum change { CHANGE_PAUSE, CHANGE_RESUME, CHANGE_CANCEL };

struct change_job {
	enum change what;
	const char *account_id, *id, *reason;
	int64_t now;
	struct broadcast_row *b; /* out */
};

static bool status_is(const struct broadcast_row *b, const char *a, const char *b2, const char *c3)
{
	return strcmp(b->status, a) == 0 || (b2 && strcmp(b->status, b2) == 0) ||
	       (c3 && strcmp(b->status, c3) == 0);
}

static int refuse(const struct broadcast_row *b, const char *key, const char *verb, struct err *e)
{
	return err_set(e, ERR_CONFLICT, key, "A %s broadcast cannot be %s", b->status, verb);
}

static int number_ready(struct store *s, const struct broadcast_row *b, struct err *e)
{
	struct number_row num;
	bool found = false;
	int rc = store_number_find(s, b->account_id, b->phone_number_id, &num, &found, e);
	if (rc != 0)
		return rc;
	if (!found)
		return err_set(e, ERR_CONFLICT, "NUMBER_NOT_FOUND",
		               "The WhatsApp number of this broadcast was removed");
	if (num.status != NUMBER_STATUS_ACTIVE)
		return err_set(e, ERR_CONFLICT, "NUMBER_PAUSED",
		               "The WhatsApp number of this broadcast cannot send (%s): fix it "
		               "first, then resume",
		               num.status_reason[0] ? num.status_reason : "reconnect required");
	return 0;
}

static int apply_change(struct store *s, struct change_job *j, struct err *e)
{
	struct broadcast_row *b = j->b;
	if (j->what == CHANGE_PAUSE) {
		if (!status_is(b, "running", "scheduled", NULL))
			return refuse(b, "BROADCAST_NOT_PAUSABLE", "paused", e);
		str_copy_cstr(b->status, sizeof(b->status), "paused");
		str_copy_cstr(b->status_reason, sizeof(b->status_reason),
		              j->reason ? j->reason : "Paused by a user");
		return store_broadcast_hold(s, b->id, true, j->now, e);
	}
	if (j->what == CHANGE_RESUME) {
		if (!status_is(b, "paused", NULL, NULL))
			return refuse(b, "BROADCAST_NOT_RESUMABLE", "resumed", e);
		int rc = number_ready(s, b, e);
		if (rc != 0)
			return rc;
		bool later = b->schedule_at > j->now;
		str_copy_cstr(b->status, sizeof(b->status), later ? "scheduled" : "running");
		b->status_reason[0] = '\0';
		b->stop_code = 0;
		if (!later && b->started_at == 0)
			b->started_at = j->now;
		return store_broadcast_hold(s, b->id, false, j->now, e);
	}
	if (!status_is(b, "running", "scheduled", "paused"))
		return refuse(b, "BROADCAST_NOT_CANCELLABLE", "cancelled", e);
	str_copy_cstr(b->status, sizeof(b->status), "cancelled");
	str_copy_cstr(b->status_reason, sizeof(b->status_reason), "Cancelled by a user");
	b->finished_at = j->now;
	return store_broadcast_cancel(s, b->id, j->now, e);
}

static int change_in_writer(struct store *s, void *arg, struct err *e)
{
	struct change_job *j = arg;
	int rc = store_broadcast_get(s, j->account_id, j->id, j->b, e);
	if (rc == 0)
		rc = apply_change(s, j, e);
	if (rc == 0) {
		j->b->updated_at = j->now;
		rc = store_broadcast_update(s, j->b, e);
	}
	if (rc == 0) /* read back: the counters moved with the messages */
		rc = store_broadcast_get(s, j->account_id, j->id, j->b, e);
	return rc;
}

static int change(struct ctx *c, enum change what, const char *account_id, const char *id,
                  const char *reason, struct broadcast_row *out, struct err *e)
{
	struct change_job j = {what, account_id, id, reason, svc_now(c), out};
	int rc = writer_run(c->svc->writer, change_in_writer, &j, e);
	if (rc == 0) {
		log_info("pixels:broadcasts", "broadcast %s %s", id, out->status);
		broadcast_runner_kick(c->svc->broadcast_runner);
	}
	return rc;
}

int broadcasts_pause(struct ctx *c, const char *account_id, const char *id, const char *reason,
                     struct broadcast_row *out, struct err *e)
{
	return change(c, CHANGE_PAUSE, account_id, id, reason, out, e);
}

int broadcasts_resume(struct ctx *c, const char *account_id, const char *id,
                      struct broadcast_row *out, struct err *e)
{
	return change(c, CHANGE_RESUME, account_id, id, NULL, out, e);
}

int broadcasts_cancel(struct ctx *c, const char *account_id, const char *id,
                      struct broadcast_row *out, struct err *e)
{
	return change(c, CHANGE_CANCEL, account_id, id, NULL, out, e);
}

int broadcast_pause_in_store(struct store *s, const char *id, const char *reason, int64_t now,
                             struct err *e)
{
	struct broadcast_row *b = xcalloc(1, sizeof(*b));
	struct change_job j = {CHANGE_PAUSE, NULL, id, reason, now, b};
	int rc = change_in_writer(s, &j, e);
	free(b);
	return rc;
}

void broadcasts_progress(const struct broadcast_row *b, int64_t now, struct broadcast_progress *out)
{
	memset(out, 0, sizeof(*out));
	int64_t made = b->n_queued + b->n_sending + b->n_accepted + b->n_sent + b->n_delivered +
	               b->n_read + b->n_failed;
	int64_t waiting = b->total > made ? b->total - made : 0;
	bool ended = status_is(b, "completed", "cancelled", "failed");
	out->total = b->total;
	out->queued = b->n_queued + b->n_sending + (ended ? 0 : waiting);
	out->cancelled = strcmp(b->status, "cancelled") == 0 ? waiting : 0;
	out->accepted = b->n_accepted;
	out->sent = b->n_sent;
	out->delivered = b->n_delivered;
	out->read = b->n_read;
	out->failed = b->n_failed;
	out->skipped = b->skipped_invalid + b->skipped_opted_out + b->skipped_window;
	int64_t done = b->n_accepted + b->n_sent + b->n_delivered + b->n_read + b->n_failed;
	out->percent = b->total > 0 ? 100.0 * (double)done / (double)b->total : 100.0;
	out->eta_seconds = -1;
	int64_t left = b->total - done;
	if (strcmp(b->status, "running") != 0 || left <= 0)
		return;
	/* A throttled broadcast goes at its throttle; otherwise at the rate seen so far (the
	 * number's pace, shared with its other traffic). */
	int64_t elapsed = now - b->started_at;
	if (b->throttle_mps > 0)
		out->eta_seconds = (left + b->throttle_mps - 1) / b->throttle_mps;
	else if (done > 0 && elapsed > 0)
		out->eta_seconds =
		    (int64_t)((double)left * (double)elapsed / (double)done / 1000.0);
}
