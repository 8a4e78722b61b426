/* Per-number pacing; see pacer.h. A number's bucket holds 50 ms of its throughput: after an
 * idle spell it may send that much at once, and over any longer window it holds its rate. */
#define PACER_AHEAD_MS 100
#include "queue/pacer.h"

#include <string.h>

#include "core/log.h"
#include "core/ratelimit.h"
#include "core/sec.h"
#include "core/xalloc.h"
#include "svc/numbers.h"

struct pnum {
	char phone_number_id[STORE_META_ID_MAX];
	char token[800];
	int mps;
	bool active;
	struct outgoing *head[2], *tail[2]; /* [priority]: 0 conversation, 1 bulk */
	int waiting;
};

struct pacer {
	struct pnum *nums;
	int count, cap;
	int generation;
	bool loaded;
	int rr;      /* round-robin start of pacer_next */
	int want_rr; /* round-robin start of pacer_wants */
	int waiting;
	struct ratelimit *buckets;
};

struct pacer *pacer_new(void)
{
	struct pacer *p = xcalloc(1, sizeof(*p));
	p->buckets = ratelimit_new(65536);
	return p;
}

void pacer_free(struct pacer *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->count; i++)
		sec_zero(p->nums[i].token, sizeof(p->nums[i].token));
	free(p->nums);
	ratelimit_free(p->buckets);
	free(p);
}

static struct pnum *find(struct pacer *p, const char *pnid)
{
	for (int i = 0; i < p->count; i++)
		if (strcmp(p->nums[i].phone_number_id, pnid) == 0)
			return &p->nums[i];
	return NULL;
}

struct load_ctx {
	struct pacer *p;
	struct ctx *c;
	struct pnum *fresh;
	int count, cap;
};

static void load_one(void *arg, const struct number_row *row)
{
	struct load_ctx *l = arg;
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->fresh = xrealloc(l->fresh, (size_t)l->cap * sizeof(*l->fresh));
	}
	struct pnum *n = &l->fresh[l->count];
	memset(n, 0, sizeof(*n));
	str_copy_cstr(n->phone_number_id, sizeof(n->phone_number_id), row->phone_number_id);
	n->mps = row->throughput_mps > 0 ? row->throughput_mps : 80;
	n->active = row->status == NUMBER_STATUS_ACTIVE;
	struct err e = {0};
	if (numbers_token(l->c, row, n->token, sizeof(n->token), &e) != 0) {
		log_error("pixels:queue", "number %s: %s", row->phone_number_id, e.message);
		n->active = false;
	}
	l->count++;
}

/* Moves waiting FIFOs from the old table into the fresh one; orphans the rest. */
static void carry_over(struct pacer *p, struct load_ctx *l,
                       void (*orphan)(void *arg, struct outgoing *o, bool removed), void *arg)
{
	for (int i = 0; i < p->count; i++) {
		struct pnum *old = &p->nums[i], *nw = NULL;
		for (int k = 0; k < l->count && !nw; k++)
			if (strcmp(l->fresh[k].phone_number_id, old->phone_number_id) == 0)
				nw = &l->fresh[k];
		for (int q = 0; q < 2; q++) {
			for (struct outgoing *o = old->head[q], *next; o; o = next) {
				next = o->next;
				o->next = NULL;
				if (nw && nw->active) {
					if (nw->tail[q])
						nw->tail[q]->next = o;
					else
						nw->head[q] = o;
					nw->tail[q] = o;
					nw->waiting++;
				} else {
					p->waiting--;
					orphan(arg, o, nw == NULL);
				}
			}
		}
		sec_zero(old->token, sizeof(old->token));
	}
}

int pacer_refresh(struct pacer *p, struct ctx *c,
                  void (*orphan)(void *arg, struct outgoing *o, bool removed), void *arg,
                  struct err *e)
{
	int gen = __atomic_load_n(&c->svc->numbers_generation, __ATOMIC_SEQ_CST);
	if (p->loaded && gen == p->generation)
		return 0;
	struct load_ctx l = {.p = p, .c = c};
	int rc = store_number_list(c->store, NULL, load_one, &l, e);
	if (rc != 0) {
		free(l.fresh);
		return rc;
	}
	carry_over(p, &l, orphan, arg);
	free(p->nums);
	p->nums = l.fresh;
	p->count = l.count;
	p->cap = l.cap;
	p->generation = gen;
	p->loaded = true;
	return 0;
}

bool pacer_push(struct pacer *p, struct outgoing *o)
{
	struct pnum *n = find(p, o->msg.phone_number_id);
	if (!n || !n->active)
		return false;
	int q = o->msg.priority > 0 ? 1 : 0;
	o->next = NULL;
	if (n->tail[q])
		n->tail[q]->next = o;
	else
		n->head[q] = o;
	n->tail[q] = o;
	n->waiting++;
	p->waiting++;
	return true;
}

static struct outgoing *pop(struct pacer *p, struct pnum *n)
{
	int q = n->head[0] ? 0 : 1;
	struct outgoing *o = n->head[q];
	n->head[q] = o->next;
	if (!n->head[q])
		n->tail[q] = NULL;
	o->next = NULL;
	n->waiting--;
	p->waiting--;
	return o;
}

struct outgoing *pacer_next(struct pacer *p, int64_t now_ms, int *wait_ms)
{
	*wait_ms = -1;
	for (int k = 0; k < p->count; k++) {
		int i = (p->rr + k) % p->count;
		struct pnum *n = &p->nums[i];
		if (n->waiting == 0)
			continue;
		int64_t wait = 0;
		double burst = n->mps / 20.0 < 1.0 ? 1.0 : n->mps / 20.0;
		if (ratelimit_take(p->buckets, n->phone_number_id, now_ms, n->mps, burst, &wait)) {
			p->rr = (i + 1) % p->count;
			return pop(p, n);
		}
		if (*wait_ms < 0 || wait < *wait_ms)
			*wait_ms = (int)wait;
	}
	return NULL;
}

const char *pacer_token(struct pacer *p, const char *phone_number_id)
{
	struct pnum *n = find(p, phone_number_id);
	return n ? n->token : NULL;
}

int pacer_waiting(const struct pacer *p)
{
	return p->waiting;
}

size_t pacer_wants(struct pacer *p, int budget, struct claim_want *wants, size_t cap)
{
	size_t n = 0;
	int k = 0;
	for (; k < p->count && budget > 0 && n < cap; k++) {
		struct pnum *num = &p->nums[(p->want_rr + k) % p->count];
		int ahead = (int)((int64_t)num->mps * PACER_AHEAD_MS / 1000);
		int want = (ahead > 1 ? ahead : 1) - num->waiting;
		if (!num->active || want <= 0)
			continue;
		want = want < budget ? want : budget;
		str_copy_cstr(wants[n].phone_number_id, sizeof(wants[n].phone_number_id),
		              num->phone_number_id);
		wants[n++].max = want;
		budget -= want;
	}
	if (p->count > 0)
		p->want_rr = (p->want_rr + k) % p->count;
	return n;
}

void pacer_drain(struct pacer *p, const char *phone_number_id,
                 void (*fn)(void *arg, struct outgoing *o), void *arg)
{
	for (int i = 0; i < p->count; i++) {
		struct pnum *n = &p->nums[i];
		if (phone_number_id && strcmp(n->phone_number_id, phone_number_id) != 0)
			continue;
		while (n->waiting > 0)
			fn(arg, pop(p, n));
	}
}
