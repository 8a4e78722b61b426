/* The dispatcher thread; see dispatcher.h. One loop: refresh numbers, claim, pace, submit,
 * poll, record. Outcomes are recorded in one transaction per loop turn. */
#include "queue/dispatcher.h"

#include <pthread.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/sec.h"
#include "core/xalloc.h"
#include "meta/graph.h"
#include "queue/pacer.h"
#include "queue/retry.h"
#include "svc/waiters.h"
#include "svc/writer.h"

#define DISPATCH_IDLE_POLL_MS 100 /* also how soon a due retry is noticed */
#define DISPATCH_STOP_GRACE_MS 5000

struct dispatcher {
	struct svc *svc;
	struct ctx ctx; /* the thread's own store handle */
	struct meta_graph *graph;
	struct pacer *pacer;
	pthread_t thread;
	int stopping; /* atomic */
	struct send_result *results;
	int nresults, capresults;
	struct dispatcher_stats stats;
	pthread_mutex_t stats_lock;
};

static int64_t now_ms(struct dispatcher *d)
{
	return svc_now(&d->ctx);
}

static void add_result(struct dispatcher *d, const struct send_result *r)
{
	if (d->nresults == d->capresults) {
		d->capresults = d->capresults ? d->capresults * 2 : 64;
		d->results = xrealloc(d->results, (size_t)d->capresults * sizeof(*d->results));
	}
	d->results[d->nresults++] = *r;
}

/* Puts a claimed message back in the queue without counting an attempt against it. */
static void requeue(void *arg, struct outgoing *o)
{
	struct dispatcher *d = arg;
	struct send_result r = {.outcome = SEND_RETRY, .at = now_ms(d)};
	memcpy(r.account_id, o->msg.account_id, sizeof(r.account_id));
	memcpy(r.message_id, o->msg.id, sizeof(r.message_id));
	r.next_attempt_at = r.at;
	add_result(d, &r);
	free(o);
}

static void on_claimed(void *arg, const struct claimed_message *m)
{
	struct dispatcher *d = arg;
	struct outgoing *o = xcalloc(1, sizeof(*o));
	o->msg = *m;
	log_debug("pixels:queue", "claimed %s (attempt %d) for number %s", m->id, m->attempts,
	          m->phone_number_id);
	/* A message that waited past SEND_MAX_AGE (its number was paused, say) is not sent late. */
	if (now_ms(d) - m->queued_at > d->svc->cfg->send_max_age_ms) {
		struct send_result r = {.outcome = SEND_FAILED, .at = now_ms(d)};
		memcpy(r.account_id, m->account_id, sizeof(r.account_id));
		memcpy(r.message_id, m->id, sizeof(r.message_id));
		snprintf(r.error_title, sizeof(r.error_title), "Expired");
		snprintf(r.error_message, sizeof(r.error_message),
		         "The message waited longer than SEND_MAX_AGE and was not sent.");
		add_result(d, &r);
		d->stats.claimed++;
		return;
	}
	if (!pacer_push(d->pacer, o)) {
		log_warn("pixels:queue", "message %s: number %s is not active here; retry in 60 s",
		         m->id, m->phone_number_id);
		struct send_result r = {.outcome = SEND_RETRY, .at = now_ms(d)};
		memcpy(r.account_id, m->account_id, sizeof(r.account_id));
		memcpy(r.message_id, m->id, sizeof(r.message_id));
		r.next_attempt_at = r.at + 60000; /* its number is gone or not active */
		add_result(d, &r);
		free(o);
	}
	d->stats.claimed++;
}

#define DISPATCH_CLAIM_NUMBERS 64 /* numbers visited per claim; the next claim goes on */

struct claim_job {
	struct dispatcher *d;
	struct claim_want wants[DISPATCH_CLAIM_NUMBERS];
	size_t n;
};

/* Runs on the writer thread while the dispatcher waits for it, so on_claimed may touch the
 * dispatcher's state. */
static int claim_in_writer(struct store *s, void *arg, struct err *e)
{
	struct claim_job *j = arg;
	return store_message_claim_numbers(s, now_ms(j->d), j->wants, j->n, on_claimed, j->d, e);
}

/* All hot-path writes go through the group-commit writer: one thread holds SQLite's write
 * lock, so the dispatcher, the webhook processor and API requests never wait on each other's
 * locks (SQLite's busy waits would stall them for milliseconds). Each number is claimed for
 * as much as its pacing FIFO has room for (pacer_wants), within the in-flight budget. */
static void claim(struct dispatcher *d)
{
	int budget = d->svc->cfg->dispatch_in_flight * 2 - pacer_waiting(d->pacer) -
	             (int)meta_graph_in_flight(d->graph);
	if (budget <= 0 || __atomic_load_n(&d->stopping, __ATOMIC_SEQ_CST))
		return;
	struct claim_job j = {.d = d};
	j.n = pacer_wants(d->pacer, budget > 500 ? 500 : budget, j.wants, DISPATCH_CLAIM_NUMBERS);
	struct err e = {0};
	if (j.n > 0 && writer_run(d->svc->writer, claim_in_writer, &j, &e) != 0)
		log_error("pixels:queue", "claiming messages failed: %s", e.message);
}

static void submit(struct dispatcher *d, struct outgoing *o)
{
	const char *token = pacer_token(d->pacer, o->msg.phone_number_id);
	char path[STORE_META_ID_MAX + 16];
	snprintf(path, sizeof(path), "/%s/messages", o->msg.phone_number_id);
	struct meta_request req = {.method = "POST",
	                           .path = path,
	                           .access_token = token,
	                           .body = o->msg.request,
	                           .body_len = strlen(o->msg.request)};
	struct err e = {0};
	if (!token || meta_graph_submit(d->graph, &req, o, &e) != 0)
		requeue(d, o);
}

/* Sends what the buckets allow; returns how long until more may go (or -1). */
static int pump(struct dispatcher *d)
{
	int wait = -1;
	while ((int)meta_graph_in_flight(d->graph) < d->svc->cfg->dispatch_in_flight) {
		/* Pacing follows real time (a throughput limit), not the injectable clock that
		 * drives due times and backoff. */
		struct outgoing *o = pacer_next(d->pacer, clock_mono_ns() / 1000000, &wait);
		if (!o)
			break;
		submit(d, o);
	}
	return wait;
}

struct hold_job {
	const char *phone_number_id;
	enum number_status status;
	const char *reason;
	int64_t now;
};

struct flush_job {
	struct dispatcher *d;
	const struct hold_job *hold; /* a number to stop in the same transaction, or NULL */
};

/* Records the loop turn's outcomes in one transaction, then tells waiting requests. */
static int record_in_writer(struct store *s, void *arg, struct err *e)
{
	struct flush_job *j = arg;
	struct dispatcher *d = j->d;
	const struct hold_job *h = j->hold;
	if (h && store_number_set_status(s, h->phone_number_id, h->status, h->reason, h->now, e))
		return -1;
	for (int i = 0; i < d->nresults; i++) {
		struct err one = {0};
		if (store_message_record_send(s, &d->results[i], &one) != 0)
			log_error("pixels:queue", "recording message %s failed: %s",
			          d->results[i].message_id, one.message);
	}
	return 0;
}

static void flush(struct dispatcher *d, const struct hold_job *hold)
{
	if (d->nresults == 0 && !hold)
		return;
	struct flush_job j = {d, hold};
	struct err e = {0};
	if (writer_run(d->svc->writer, record_in_writer, &j, &e) != 0) {
		log_error("pixels:queue", "recording %d send outcomes failed: %s", d->nresults,
		          e.message);
		d->nresults = 0;
		return; /* the messages stay "sending" and are requeued at the next start */
	}
	pthread_mutex_lock(&d->stats_lock);
	for (int i = 0; i < d->nresults; i++) {
		const struct send_result *r = &d->results[i];
		if (r->outcome == SEND_ACCEPTED)
			d->stats.accepted++;
		else if (r->outcome == SEND_FAILED)
			d->stats.failed++;
		else
			d->stats.retried++;
	}
	pthread_mutex_unlock(&d->stats_lock);
	for (int i = 0; i < d->nresults; i++) /* outside the lock: answers requests */
		if (d->results[i].outcome != SEND_RETRY)
			waiters_notify(d->svc->waiters, &d->results[i]);
	d->nresults = 0;
}

/* Stops a number (Meta said it must pause: spam limit, policy; or it needs a new token)
 * and puts its waiting messages back in the queue. The caller has added the message that
 * drew the refusal to the results; the number's new status and every result are written in
 * one transaction, so no reader sees the number paused while its messages are in flight. */
static void hold_number(struct dispatcher *d, const struct claimed_message *m,
                        const struct meta_result *r)
{
	enum number_status st =
	    r->outcome == META_REAUTH ? NUMBER_STATUS_REAUTH : NUMBER_STATUS_PAUSED;
	char reason[256];
	snprintf(reason, sizeof(reason), "Meta error %d: %.200s", r->code,
	         r->message[0] ? r->message : r->title);
	log_warn("pixels:queue", "number %s %s: %s", m->phone_number_id,
	         st == NUMBER_STATUS_REAUTH ? "needs reconnecting" : "paused", reason);
	pacer_drain(d->pacer, m->phone_number_id, requeue, d);
	struct hold_job j = {m->phone_number_id, st, reason, now_ms(d)};
	flush(d, &j);
	__atomic_add_fetch(&d->svc->numbers_generation, 1, __ATOMIC_SEQ_CST);
	d->stats.paused++;
}

static void on_done(void *arg, void *user, const struct meta_result *r)
{
	struct dispatcher *d = arg;
	struct outgoing *o = user;
	const struct config *cfg = d->svc->cfg;
	struct send_result res;
	retry_decide(r, &o->msg, now_ms(d), cfg->send_max_attempts, cfg->send_max_age_ms, &res);
	add_result(d, &res);
	if (r->outcome == META_PAUSE_NUMBER || r->outcome == META_REAUTH)
		hold_number(d, &o->msg, r);
	else if (res.outcome == SEND_RETRY)
		log_info("pixels:queue", "message %s: %s (%d), retry in %lld ms", o->msg.id,
		         meta_outcome_name(r->outcome), r->code,
		         (long long)(res.next_attempt_at - res.at));
	free(o);
}

/* A waiting message whose number was paused goes back to the queue; one whose number was
 * removed can never be sent: it fails. */
static void orphaned(void *arg, struct outgoing *o, bool removed)
{
	struct dispatcher *d = arg;
	if (!removed) {
		requeue(d, o);
		return;
	}
	struct send_result r = {.outcome = SEND_FAILED, .at = now_ms(d)};
	memcpy(r.account_id, o->msg.account_id, sizeof(r.account_id));
	memcpy(r.message_id, o->msg.id, sizeof(r.message_id));
	snprintf(r.error_title, sizeof(r.error_title), "Phone number removed");
	snprintf(r.error_message, sizeof(r.error_message),
	         "The WhatsApp number this message was to be sent from was removed before it "
	         "was sent.");
	add_result(d, &r);
	free(o);
}

static void refresh(struct dispatcher *d)
{
	struct err e = {0};
	if (pacer_refresh(d->pacer, &d->ctx, orphaned, d, &e) != 0)
		log_error("pixels:queue", "loading numbers failed: %s", e.message);
}

static void *dispatcher_main(void *arg)
{
	struct dispatcher *d = arg;
	while (!__atomic_load_n(&d->stopping, __ATOMIC_SEQ_CST)) {
		refresh(d);
		claim(d);
		int wait = pump(d);
		flush(d, NULL); /* outcomes of unsendable claims */
		int timeout =
		    wait >= 0 && wait < DISPATCH_IDLE_POLL_MS ? wait : DISPATCH_IDLE_POLL_MS;
		meta_graph_poll(d->graph, timeout, on_done, d);
		flush(d, NULL);
	}
	/* Shutdown: finish what is in flight, give back what was claimed but not sent. */
	int64_t deadline = clock_real_ms() + DISPATCH_STOP_GRACE_MS;
	while (meta_graph_in_flight(d->graph) > 0 && clock_real_ms() < deadline)
		meta_graph_poll(d->graph, 100, on_done, d);
	meta_graph_cancel_all(d->graph, on_done, d);
	pacer_drain(d->pacer, NULL, requeue, d);
	flush(d, NULL);
	return NULL;
}

int dispatcher_start(struct svc *svc, struct dispatcher **out, struct err *e)
{
	struct dispatcher *d = xcalloc(1, sizeof(*d));
	d->svc = svc;
	d->ctx.svc = svc;
	int rc = store_open(svc->cfg->database_url, &d->ctx.store, e);
	int requeued = 0;
	if (rc == 0)
		rc = store_message_requeue_inflight(d->ctx.store, svc_now(&d->ctx), &requeued, e);
	if (rc != 0) {
		store_close(d->ctx.store);
		free(d);
		return rc;
	}
	if (requeued > 0)
		log_warn("pixels:queue",
		         "%d message(s) were in flight when the server stopped; "
		         "sending them again",
		         requeued);
	const struct config *cfg = svc->cfg;
	struct meta_graph_config gc = {.base_url = cfg->graph_base_url,
	                               .version = cfg->graph_version,
	                               .connect_timeout_ms = 5000,
	                               .timeout_ms = 30000,
	                               .max_reply_bytes = 256 * 1024,
	                               .max_in_flight = cfg->dispatch_in_flight};
	d->graph = meta_graph_new(&gc);
	d->pacer = pacer_new();
	pthread_mutex_init(&d->stats_lock, NULL);
	pthread_create(&d->thread, NULL, dispatcher_main, d);
	pthread_setname_np(d->thread, "px-dispatch");
	*out = d;
	return 0;
}

void dispatcher_kick(void *arg)
{
	struct dispatcher *d = arg;
	meta_graph_wakeup(d->graph);
}

void dispatcher_stop(struct dispatcher *d)
{
	if (!d)
		return;
	__atomic_store_n(&d->stopping, 1, __ATOMIC_SEQ_CST);
	meta_graph_wakeup(d->graph);
	pthread_join(d->thread, NULL);
	meta_graph_free(d->graph);
	pacer_free(d->pacer);
	store_close(d->ctx.store);
	pthread_mutex_destroy(&d->stats_lock);
	free(d->results);
	free(d);
}

void dispatcher_get_stats(struct dispatcher *d, struct dispatcher_stats *out)
{
	pthread_mutex_lock(&d->stats_lock);
	*out = d->stats;
	pthread_mutex_unlock(&d->stats_lock);
}
