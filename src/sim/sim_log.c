/* Accepted-message ring; see sim_log.h. Each slot owns one allocation holding all its strings,
 * so appending costs one malloc and one free (of the slot it overwrites). */
#include "sim/sim_log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct slot {
	char *mem; /* owned; id, pnid, to, type and body, each NUL-terminated */
	const char *id, *pnid, *to, *type, *body;
	size_t body_len;
	int64_t at_ms;
	int failed_code;
};

struct sim_log {
	pthread_mutex_t lock;
	struct slot *slots; /* owned, max of them */
	size_t max;
	size_t head; /* index of the oldest entry */
	size_t count;
	uint64_t total;
};

struct sim_log *sim_log_new(size_t max)
{
	struct sim_log *log = xcalloc(1, sizeof(*log));
	pthread_mutex_init(&log->lock, NULL);
	log->max = max ? max : 1;
	log->slots = xcalloc(log->max, sizeof(*log->slots));
	return log;
}

static void clear_locked(struct sim_log *log)
{
	for (size_t i = 0; i < log->max; i++) {
		free(log->slots[i].mem);
		log->slots[i].mem = NULL;
	}
	log->head = 0;
	log->count = 0;
	log->total = 0;
}

void sim_log_free(struct sim_log *log)
{
	if (!log)
		return;
	clear_locked(log);
	free(log->slots);
	pthread_mutex_destroy(&log->lock);
	free(log);
}

static const char *pack(char **cursor, const char *s, size_t len)
{
	char *at = *cursor;
	memcpy(at, s, len);
	at[len] = '\0';
	*cursor = at + len + 1;
	return at;
}

void sim_log_append(struct sim_log *log, const struct sim_log_entry *e)
{
	size_t lens[4] = {strlen(e->id), strlen(e->pnid), strlen(e->to), strlen(e->type)};
	char *mem = xmalloc(lens[0] + lens[1] + lens[2] + lens[3] + e->body_len + 5);
	char *cur = mem;
	struct slot s = {
	    .mem = mem, .body_len = e->body_len, .at_ms = e->at_ms, .failed_code = e->failed_code};
	s.id = pack(&cur, e->id, lens[0]);
	s.pnid = pack(&cur, e->pnid, lens[1]);
	s.to = pack(&cur, e->to, lens[2]);
	s.type = pack(&cur, e->type, lens[3]);
	s.body = pack(&cur, e->body, e->body_len);
	char *old = NULL;
	pthread_mutex_lock(&log->lock);
	size_t at = (log->head + log->count) % log->max;
	if (log->count == log->max) {
		old = log->slots[at].mem;
		log->head = (log->head + 1) % log->max;
	} else {
		log->count++;
	}
	log->slots[at] = s;
	log->total++;
	pthread_mutex_unlock(&log->lock);
	free(old);
}

static bool matches(const struct slot *s, const char *to, const char *pnid)
{
	return (!to || strcmp(s->to, to) == 0) && (!pnid || strcmp(s->pnid, pnid) == 0);
}

static json_t *slot_json(const struct slot *s)
{
	json_t *body = json_loadb(s->body, s->body_len, 0, NULL);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:I}", "id", s->id, "phone_number_id",
	                      s->pnid, "to", s->to, "type", s->type, "body",
	                      body ? body : json_null(), "at", (json_int_t)s->at_ms);
	if (s->failed_code)
		json_object_set_new(o, "failed_code", json_integer(s->failed_code));
	return o;
}

json_t *sim_log_query(struct sim_log *log, const char *to, const char *pnid, size_t limit)
{
	json_t *list = json_array();
	size_t total = 0;
	pthread_mutex_lock(&log->lock);
	for (size_t i = 0; i < log->count; i++)
		total += matches(&log->slots[(log->head + i) % log->max], to, pnid);
	size_t skip = total > limit ? total - limit : 0;
	for (size_t i = 0; i < log->count; i++) {
		const struct slot *s = &log->slots[(log->head + i) % log->max];
		if (!matches(s, to, pnid))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		json_array_append_new(list, slot_json(s));
	}
	pthread_mutex_unlock(&log->lock);
	return json_pack("{s:o, s:I}", "messages", list, "total", (json_int_t)total);
}

uint64_t sim_log_total(struct sim_log *log)
{
	pthread_mutex_lock(&log->lock);
	uint64_t n = log->total;
	pthread_mutex_unlock(&log->lock);
	return n;
}

void sim_log_clear(struct sim_log *log)
{
	pthread_mutex_lock(&log->lock);
	clear_locked(log);
	pthread_mutex_unlock(&log->lock);
}
