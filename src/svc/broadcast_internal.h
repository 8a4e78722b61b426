/* Private to the broadcast files of svc/: the state of one broadcast being accepted. */
#ifndef PIXELS_SVC_BROADCAST_INTERNAL_H
#define PIXELS_SVC_BROADCAST_INTERNAL_H

#include "svc/broadcasts.h"
#include "svc/template_send.h"

#define ACCEPT_BATCH 256

/* One recipient, prepared on the request thread. */
struct bc_item {
	char raw[STORE_BC_RAW_PHONE_MAX];
	char phone[STORE_PHONE_MAX]; /* normalised; "" = invalid */
	char name[STORE_NAME_MAX];
	char *vars; /* JSON array text of the ordered values, or NULL */
};

struct bc_accept {
	struct ctx *c;
	const char *account_id;
	const struct broadcast_cmd *cmd;
	struct broadcast_row *b;
	struct template_row *tpl; /* NULL for a text broadcast */
	struct template_values *vals;
	struct contact_row *contact; /* scratch for the opt-out check of each recipient */
	bool skip_closed;            /* text under ENFORCE_SERVICE_WINDOW: skip closed windows */
	int64_t now, seq;            /* next seq to give */
	int64_t given;               /* recipients read so far (1-based index in errors) */
	int64_t pending;             /* recipients that will get a message */
	int64_t closed; /* of those, customers outside their window (the daily limit) */
	struct bc_item items[ACCEPT_BATCH];
	int n;
};

/* Adds one recipient as given (phone raw; vars NULL = the shared variables); writes a batch
 * when it is full. TEMPLATE_PARAMS_MISMATCH / VALIDATION_ERROR name the recipient. */
int broadcast_accept_add(struct bc_accept *a, const char *phone, const char *name,
                         const json_t *vars, struct err *e);
/* Writes what is batched. */
int broadcast_accept_flush(struct bc_accept *a, struct err *e);
/* Frees what is batched without writing it. */
void broadcast_accept_clear(struct bc_accept *a);

/* Inside a writer job: pauses broadcast id (any account) with reason, holding its queued
 * messages. ERR_CONFLICT "BROADCAST_NOT_PAUSABLE" unless running or scheduled. */
int broadcast_pause_in_store(struct store *s, const char *id, const char *reason, int64_t now,
                             struct err *e);

#define BROADCAST_FEED_MAX 256 /* recipients turned into messages per job */

/* Runs one writer job moving running broadcast id forward: pauses it when its number cannot
 * send or Meta paused its template, turns up to want pending recipients into queued
 * messages, completes it when nothing is left. *fed = messages queued. c: the caller's
 * context (for the clock). */
int broadcast_feed(struct svc *svc, struct ctx *c, const char *id, int64_t want, int *fed,
                   struct err *e);

#endif
