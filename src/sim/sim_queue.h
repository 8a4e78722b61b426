/* The webhook scheduler's time-ordered queue: a bounded binary min-heap of events keyed by
 * (due time, insertion order). Events are stored inline (no allocation per event beyond the
 * payload strings they own). Not thread-safe: sim_webhook guards it with its lock. When full,
 * pushing drops the earliest-due event (the oldest) and hands it back for counting. */
#ifndef PIXELS_SIM_SIM_QUEUE_H
#define PIXELS_SIM_SIM_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sim_status_kind { SIM_STATUS_SENT, SIM_STATUS_DELIVERED, SIM_STATUS_READ, SIM_STATUS_FAILED };

/* Pricing category of an accepted message (templates by their category). */
enum sim_category {
	SIM_CATEGORY_SERVICE,
	SIM_CATEGORY_MARKETING,
	SIM_CATEGORY_UTILITY,
	SIM_CATEGORY_AUTHENTICATION,
};

/* One status webhook entry to send: everything the payload needs, copied at schedule time. */
struct sim_status {
	enum sim_status_kind status;
	enum sim_category category;
	int error_code;     /* SIM_STATUS_FAILED: Meta's code (131047, 131026 ...) */
	int64_t sent_at_ms; /* clock time the message was accepted */
	char wamid[64];
	char pnid[32];      /* phone number id */
	char display[32];   /* its display_phone_number */
	char waba[32];      /* its WABA id (entry.id) */
	char recipient[16]; /* wa_id */
	char *biz_opaque;   /* owned; NULL when the send had none */
};

enum sim_event_kind {
	SIM_EVENT_STATUS, /* batched with other due statuses into one POST */
	SIM_EVENT_POST,   /* a prepared body (a retry, or an inbound/template webhook) */
	SIM_EVENT_TIMER,  /* calls fn(arg, id) on a webhook thread (template review) */
};

struct sim_event {
	int64_t due_ms; /* monotonic ms */
	uint64_t seq;   /* set by sim_queue_push: ties keep insertion order */
	enum sim_event_kind kind;
	union {
		struct sim_status st;
		struct {
			char *body; /* owned */
			size_t len;
			int attempts; /* attempts already made */
			int items;    /* statuses or messages it carries, for the counters */
		} post;
		struct {
			void (*fn)(void *arg, uint64_t id);
			void *arg;
			uint64_t id;
		} timer;
	} u;
};

struct sim_queue;

/* A queue holding at most cap events (cap 0 is treated as 1). Never NULL. */
struct sim_queue *sim_queue_new(size_t cap);
/* Frees the queue and every held event's payload. NULL-safe. */
void sim_queue_free(struct sim_queue *q);
/* Adds a copy of ev (taking ownership of its payload). When the queue was full, the
 * earliest-due event is removed first and moved into *dropped (the caller releases it) and
 * true is returned. *became_first tells whether ev is now the earliest event. */
bool sim_queue_push(struct sim_queue *q, const struct sim_event *ev, struct sim_event *dropped,
                    bool *became_first);
/* The earliest event, or NULL when empty. Borrowed until the next push or pop. */
const struct sim_event *sim_queue_peek(const struct sim_queue *q);
/* Moves the earliest event into *out; false when empty. */
bool sim_queue_pop(struct sim_queue *q, struct sim_event *out);
size_t sim_queue_count(const struct sim_queue *q);
/* Releases every event (payloads freed). */
void sim_queue_clear(struct sim_queue *q);
/* Frees the payload an event owns (post body, status biz_opaque). */
void sim_queue_event_release(struct sim_event *ev);

#endif
