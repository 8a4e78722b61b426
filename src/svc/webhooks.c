/* Webhook reception; see webhooks.h. The apply side is in inbound.c. */
#include "svc/webhooks.h"

#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/sec.h"
#include "core/xalloc.h"
#include "meta/signature.h"
#include "meta/webhook.h"
#include "svc/inbound.h"
#include "svc/vault.h"
#include "svc/writer.h"

#define WEBHOOKS_BATCH 200
#define WEBHOOKS_JOB_BODIES 32
#define WEBHOOKS_JOB_BYTES (64 * 1024)
#define WEBHOOKS_IDLE_MS 500
/* Reading and decoding the inbox is catch-up work: the rows are durable and acknowledged,
 * so requests come first for the CPU. (The writes themselves run on the writer.) */
#define WEBHOOKS_NICE 10

struct webhooks {
	struct svc *svc;
	struct ctx ctx; /* the processor's own handle: reads the inbox, purges it */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping, pending;
	/* App secrets of numbers that have their own (decrypted), reloaded on change. */
	char (*secrets)[800];
	int nsecrets;
	int generation;
	bool loaded;
	long long bad_signatures, applied;
};

bool webhooks_verify(const struct svc *svc, const char *mode, const char *token)
{
	const char *want = svc->cfg->meta_verify_token;
	if (!mode || strcmp(mode, "subscribe") != 0 || !token || !want[0])
		return false;
	return sec_equal(token, strlen(token), want, strlen(want));
}

struct secrets_load {
	struct ctx *c;
	char (*list)[800];
	int count, cap;
};

static void load_secret(void *arg, const struct number_row *n)
{
	struct secrets_load *l = arg;
	if (!n->app_secret_sealed[0])
		return;
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->list = xrealloc(l->list, (size_t)l->cap * sizeof(*l->list));
	}
	struct err e = {0};
	if (vault_open(l->c->svc->vault, n->app_secret_sealed, l->list[l->count],
	               sizeof(l->list[0]), &e) == 0)
		l->count++;
}

/* Called with w->lock held. */
static void refresh_secrets(struct webhooks *w, struct ctx *c)
{
	int gen = __atomic_load_n(&w->svc->numbers_generation, __ATOMIC_SEQ_CST);
	if (w->loaded && gen == w->generation)
		return;
	struct secrets_load l = {.c = c};
	struct err e = {0};
	if (store_number_list(c->store, NULL, load_secret, &l, &e) != 0) {
		free(l.list);
		return;
	}
	if (w->secrets)
		sec_zero(w->secrets, (size_t)w->nsecrets * sizeof(*w->secrets));
	free(w->secrets);
	w->secrets = l.list;
	w->nsecrets = l.count;
	w->generation = gen;
	w->loaded = true;
}

static bool signature_ok(struct webhooks *w, struct ctx *c, const char *header, const char *body,
                         size_t len)
{
	const char *global = w->svc->cfg->meta_app_secret;
	if (!header)
		return false;
	if (global[0] && meta_signature_valid(header, body, len, global))
		return true;
	pthread_mutex_lock(&w->lock);
	refresh_secrets(w, c);
	bool ok = false;
	for (int i = 0; i < w->nsecrets && !ok; i++)
		ok = meta_signature_valid(header, body, len, w->secrets[i]);
	pthread_mutex_unlock(&w->lock);
	return ok;
}

struct inbox_job {
	const char *body;
	size_t len;
	int64_t now;
};

static int persist(struct store *s, void *arg, struct err *e)
{
	struct inbox_job *j = arg;
	int64_t seq = 0;
	return store_inbox_insert(s, j->body, j->len, j->now, &seq, e);
}

static int refuse_unsigned(struct webhooks *w, struct ctx *c, const char *signature_header,
                           const char *body, size_t len, struct err *e)
{
	if (signature_ok(w, c, signature_header, body, len))
		return 0;
	pthread_mutex_lock(&w->lock);
	w->bad_signatures++;
	pthread_mutex_unlock(&w->lock);
	log_warn("pixels:webhook", "refused a webhook with %s signature",
	         signature_header ? "an invalid" : "no");
	return err_set(e, ERR_AUTH, "INVALID_WEBHOOK_SIGNATURE",
	               "Webhook signature validation failed: X-Hub-Signature-256 is %s",
	               signature_header ? "not valid for this body" : "missing");
}

static void wake_processor(struct webhooks *w)
{
	pthread_mutex_lock(&w->lock);
	w->pending = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

struct async_inbox {
	struct inbox_job job;
	struct webhooks *w;
	void (*done)(void *arg, int rc, const struct err *e);
	void *arg;
};

static void persisted(void *arg, int rc, const struct err *e)
{
	struct async_inbox *a = arg;
	if (rc == 0)
		wake_processor(a->w);
	a->done(a->arg, rc, e);
	free((char *)a->job.body);
	free(a);
}

int webhooks_receive_async(struct ctx *c, struct webhooks *w, const char *signature_header,
                           const char *body, size_t len,
                           void (*done)(void *arg, int rc, const struct err *e), void *arg,
                           struct err *e)
{
	int rc = refuse_unsigned(w, c, signature_header, body, len, e);
	if (rc != 0)
		return rc;
	struct async_inbox *a = xcalloc(1, sizeof(*a));
	a->job = (struct inbox_job){xstrndup(body, len), len, svc_now(c)};
	a->w = w;
	a->done = done;
	a->arg = arg;
	rc = writer_submit(c->svc->writer, persist, a, persisted, e);
	if (rc != 0) {
		free((char *)a->job.body);
		free(a);
	}
	return rc;
}

int webhooks_receive(struct ctx *c, struct webhooks *w, const char *signature_header,
                     const char *body, size_t len, struct err *e)
{
	if (!signature_ok(w, c, signature_header, body, len)) {
		pthread_mutex_lock(&w->lock);
		w->bad_signatures++;
		pthread_mutex_unlock(&w->lock);
		log_warn("pixels:webhook", "refused a webhook with %s signature",
		         signature_header ? "an invalid" : "no");
		return err_set(e, ERR_AUTH, "INVALID_WEBHOOK_SIGNATURE",
		               "Webhook signature validation failed: X-Hub-Signature-256 is %s",
		               signature_header ? "not valid for this body" : "missing");
	}
	struct inbox_job j = {body, len, svc_now(c)};
	int rc = writer_run(c->svc->writer, persist, &j, e);
	if (rc != 0)
		return rc;
	pthread_mutex_lock(&w->lock);
	w->pending = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

struct fetched {
	int64_t seq;
	char *body;
	size_t len;
	json_t *doc; /* NULL: not a WhatsApp webhook, marked done unapplied */
};

struct fetch_list {
	struct fetched items[WEBHOOKS_BATCH];
	int count;
};

static void collect(void *arg, const struct inbox_row *row)
{
	struct fetch_list *l = arg;
	if (l->count == WEBHOOKS_BATCH)
		return;
	struct fetched *f = &l->items[l->count++];
	f->seq = row->seq;
	f->body = xstrndup(row->body, row->body_len);
	f->len = row->body_len;
}

/* Decoding the JSON is done here, on the processor's thread; only the writes go to the
 * writer. A body that cannot be understood is logged and marked done: it must not block
 * the ones after it. */
static void load(struct fetched *f)
{
	struct err e = {0};
	if (meta_webhook_load(f->body, f->len, &f->doc, &e) != 0)
		log_warn("pixels:webhook", "ignored webhook %lld: %s", (long long)f->seq,
		         e.message);
	free(f->body);
	f->body = NULL;
}

/* A writer job: applies some consecutive bodies of the inbox and marks them done. Any store
 * failure undoes the whole job (its savepoint), and its bodies are applied again later. */
struct apply_job {
	struct svc *svc;
	struct fetched *items;
	int count;
};

static int apply_job(struct store *s, void *arg, struct err *e)
{
	struct apply_job *j = arg;
	struct ctx c = {.svc = j->svc, .store = s};
	int64_t now = svc_now(&c);
	for (int i = 0; i < j->count; i++) {
		int rc = j->items[i].doc ? inbound_apply(&c, j->items[i].doc, e) : 0;
		if (rc == 0)
			rc = store_inbox_mark_done(s, j->items[i].seq, now, e);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* How many of the n bodies from items go into one writer job: at least one, then while the
 * job stays within WEBHOOKS_JOB_BODIES and WEBHOOKS_JOB_BYTES of JSON, so that the sends
 * sharing its batch wait for a few hundred status updates at most. */
static int job_size(const struct fetched *items, int n)
{
	size_t bytes = items[0].len;
	int k = 1;
	while (k < n && k < WEBHOOKS_JOB_BODIES && bytes + items[k].len <= WEBHOOKS_JOB_BYTES)
		bytes += items[k++].len;
	return k;
}

/* Applies the inbox's next bodies, in order, through the writer (one writer: no second
 * connection competing for SQLite's write lock, no commit of its own). Returns how many were
 * applied, -1 after a failure (the rest of the batch is retried later, in order). */
static int apply_batch(struct webhooks *w)
{
	struct fetch_list *l = xcalloc(1, sizeof(*l));
	struct err e = {0};
	int rc = store_inbox_fetch(w->ctx.store, WEBHOOKS_BATCH, collect, l, &e);
	for (int i = 0; rc == 0 && i < l->count; i++)
		load(&l->items[i]);
	int done = 0;
	while (rc == 0 && done < l->count) {
		struct apply_job j = {w->svc, &l->items[done],
		                      job_size(&l->items[done], l->count - done)};
		rc = writer_run(w->svc->writer, apply_job, &j, &e);
		if (rc == 0)
			done += j.count;
	}
	if (rc != 0)
		log_error("pixels:webhook", "applying %d webhook(s) failed, will retry: %s",
		          l->count - done, e.message);
	for (int i = 0; i < l->count; i++) {
		free(l->items[i].body);
		json_decref(l->items[i].doc);
	}
	free(l);
	return rc != 0 ? -1 : done;
}

#define WEBHOOKS_PURGE_EVERY_MS 60000
#define WEBHOOKS_KEEP_PROCESSED_MS (INT64_C(24) * 3600 * 1000) /* for debugging a delivery */
#define WEBHOOKS_KEEP_HELD_MS (INT64_C(7) * 86400 * 1000)      /* Meta retries for 7 days */

/* Retention, at most once a minute: processed bodies after a day, statuses still waiting for
 * a message that never appeared (sent outside Pixels, say) after a week. */
static void purge(struct webhooks *w, int64_t *last)
{
	int64_t now = clock_real_ms();
	if (now - *last < WEBHOOKS_PURGE_EVERY_MS)
		return;
	*last = now;
	int64_t deleted = 0;
	struct err e = {0};
	if (store_inbox_purge(w->ctx.store, now - WEBHOOKS_KEEP_PROCESSED_MS,
	                      now - WEBHOOKS_KEEP_HELD_MS, &deleted, &e) != 0)
		log_warn("pixels:webhook", "retention purge failed: %s", e.message);
	else if (deleted > 0)
		log_debug("pixels:webhook", "retention: %lld old row(s) deleted",
		          (long long)deleted);
}

static void *processor_main(void *arg)
{
	struct webhooks *w = arg;
	int64_t last_purge = 0;
	/* Linux applies a nice value to one thread; raising it needs no privilege. */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), WEBHOOKS_NICE) != 0)
		log_warn("pixels:webhooks", "could not lower the webhook processor's priority");
	for (;;) {
		purge(w, &last_purge);
		int n = apply_batch(w);
		pthread_mutex_lock(&w->lock);
		if (n > 0)
			w->applied += n;
		if (w->stopping && n <= 0) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		if (n <= 0 && !w->pending) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (long)WEBHOOKS_IDLE_MS * 1000000L;
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&w->wake, &w->lock, &ts);
		}
		w->pending = false;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

int webhooks_start(struct svc *svc, struct webhooks **out, struct err *e)
{
	struct webhooks *w = xcalloc(1, sizeof(*w));
	w->svc = svc;
	w->ctx.svc = svc;
	int rc = store_open(svc->cfg->database_url, &w->ctx.store, e);
	if (rc != 0) {
		store_close(w->ctx.store);
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_create(&w->thread, NULL, processor_main, w);
	pthread_setname_np(w->thread, "px-webhooks");
	*out = w;
	return 0;
}

void webhooks_stop(struct webhooks *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	store_close(w->ctx.store);
	if (w->secrets)
		sec_zero(w->secrets, (size_t)w->nsecrets * sizeof(*w->secrets));
	free(w->secrets);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void webhooks_stats(struct webhooks *w, long long *bad_signatures, long long *applied)
{
	pthread_mutex_lock(&w->lock);
	*bad_signatures = w->bad_signatures;
	*applied = w->applied;
	pthread_mutex_unlock(&w->lock);
}
