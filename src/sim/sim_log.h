/* The log of accepted outbound messages, newest last, for GET /_sim/messages: a thread-safe
 * ring of at most max entries (the oldest is forgotten first). Appending is O(1); queries scan
 * the ring and are meant for tests and the sandbox, not the hot path. */
#ifndef PIXELS_SIM_SIM_LOG_H
#define PIXELS_SIM_SIM_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"

struct sim_log;

/* One accepted message. Strings are copied by sim_log_append. */
struct sim_log_entry {
	const char *id;   /* wamid */
	const char *pnid; /* phone number id */
	const char *to;   /* wa_id */
	const char *type;
	const char *body; /* the request JSON text as received */
	size_t body_len;
	int64_t at_ms;
	int failed_code; /* async failure reported by webhook (131047 ...); 0 = none */
};

/* A log remembering at most max entries (0 treated as 1). Never NULL. */
struct sim_log *sim_log_new(size_t max);
void sim_log_free(struct sim_log *log);
void sim_log_append(struct sim_log *log, const struct sim_log_entry *entry);
/* {"messages":[{id, phone_number_id, to, type, body, at, failed_code?}], "total"} with the
 * last limit entries matching to and pnid (NULL = any), newest last; total counts every
 * matching entry held. New reference. */
json_t *sim_log_query(struct sim_log *log, const char *to, const char *pnid, size_t limit);
/* Messages appended since creation or the last clear (including forgotten ones). */
uint64_t sim_log_total(struct sim_log *log);
void sim_log_clear(struct sim_log *log);

#endif
