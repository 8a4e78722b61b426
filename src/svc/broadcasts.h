/* Broadcasts: one message (an approved template, or free-form text) to many recipients.
 * Accepting writes the broadcast and every recipient durably (a phone once; invalid phones,
 * opted-out contacts and, for text, customers outside the 24-hour window are recorded as
 * skipped) before answering; the runner (svc/broadcast_runner.c) then turns recipients into
 * queued messages of the normal send pipeline a window at a time. */
#ifndef PIXELS_SVC_BROADCASTS_H
#define PIXELS_SVC_BROADCASTS_H

#include "core/jsonw.h"
#include "svc/svc.h"

/* Everything borrowed for the call. One recipient source at least: recipients, phones,
 * contact_ids, tags or csv. */
struct broadcast_cmd {
	const char *name;          /* NULL = "Broadcast <date>" */
	const char *template_name; /* a template broadcast: name (with language) ... */
	const char *template_id;   /* ... or our template id */
	const char *language;
	const char *text; /* a free-form text broadcast instead */
	/* The lists, as JSON array text (p NULL = absent), read one element at a time. */
	struct jsonw_span recipients; /* [{phone, name?, variables?}] */
	struct jsonw_span phones;     /* ["15551234567", ...] */
	struct jsonw_span contact_ids;
	struct jsonw_span tags;
	const char *csv; /* "phone,name,var1,..." lines (a header line is recognised) */
	size_t csv_len;
	const json_t *variables; /* shared by recipients that give none */
	const char *header_media;
	const json_t *buttons;
	int64_t schedule_at; /* unix ms; 0 or past = now */
	const char *phone_number_id;
	int throttle_mps; /* 0 = the number's rate */
	const char *created_by;
	const char *idempotency_key; /* NULL = none */
	const char *request_hash;    /* SHA-256 hex of the request body, with a key */
};

struct broadcast_accepted {
	char id[IDS_SIZE];
	char status[16]; /* "scheduled" or "running" */
	int64_t total;   /* recipients that will get a message */
	int64_t invalid, duplicate, opted_out, outside_window;
	bool replayed; /* an Idempotency-Key replay: the broadcast as it is now */
};

/* With an Idempotency-Key seen in the last 24 hours and the same body, nothing new is made:
 * out describes that broadcast as it is now (replayed); a different body is ERR_UNPROCESSABLE
 * "IDEMPOTENCY_KEY_REUSED". The key is recorded with the broadcast, atomically.
 * Errors: VALIDATION_ERROR naming the field; ERR_INVALID "INVALID_JSON" (a list element),
 * "MESSAGE_REQUIRED", "NO_RECIPIENTS",
 * "NO_PHONE_NUMBER", "TEMPLATE_PARAMS_MISMATCH" (naming the recipient); ERR_NOT_FOUND
 * "TEMPLATE_NOT_FOUND"; ERR_UNPROCESSABLE "MESSAGING_LIMIT_EXCEEDED" (with the numbers),
 * "PHONE_NUMBER_UNAVAILABLE". Nothing is kept when it fails. */
int broadcasts_create(struct ctx *c, const char *account_id, const struct broadcast_cmd *cmd,
                      struct broadcast_accepted *out, struct err *e);

/* ERR_NOT_FOUND "BROADCAST_NOT_FOUND". */
int broadcasts_get(struct ctx *c, const char *account_id, const char *id, struct broadcast_row *out,
                   struct err *e);
int broadcasts_list(struct ctx *c, const char *account_id, const struct broadcast_filter *f,
                    void (*each)(void *arg, const struct broadcast_row *row), void *arg,
                    int64_t *total, struct err *e);
int broadcasts_report(struct ctx *c, const char *account_id, const char *id,
                      const struct broadcast_report_filter *f,
                      void (*each)(void *arg, const struct broadcast_report_row *row), void *arg,
                      int64_t *total, struct err *e);

/* Pause holds the queued messages; resume releases them (ERR_CONFLICT "NUMBER_PAUSED" while
 * its number cannot send); cancel fails what is still queued. ERR_CONFLICT
 * "BROADCAST_NOT_<PAUSABLE|RESUMABLE|CANCELLABLE>" from a status that does not allow it.
 * out gets the broadcast as it is afterwards. */
int broadcasts_pause(struct ctx *c, const char *account_id, const char *id, const char *reason,
                     struct broadcast_row *out, struct err *e);
int broadcasts_resume(struct ctx *c, const char *account_id, const char *id,
                      struct broadcast_row *out, struct err *e);
int broadcasts_cancel(struct ctx *c, const char *account_id, const char *id,
                      struct broadcast_row *out, struct err *e);

/* Progress derived from a row. */
struct broadcast_progress {
	int64_t total, queued, accepted, sent, delivered, read, failed, skipped;
	int64_t cancelled;   /* recipients never sent because the broadcast was cancelled */
	double percent;      /* recipients whose message was accepted or failed, of total */
	int64_t eta_seconds; /* -1 = unknown */
};
void broadcasts_progress(const struct broadcast_row *b, int64_t now,
                         struct broadcast_progress *out);

#endif
