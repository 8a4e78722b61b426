/* Registries, counters and ids of the simulator; see sim_state.h. */
#include "sim/sim_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sec.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "sim/sim_util.h"

#define RL_NUMBER_KEYS 4096
#define RL_PAIR_KEYS 65536

void sim_state_init(struct sim *s)
{
	pthread_mutex_init(&s->lock, NULL);
	s->numbers = sim_map_new(free);
	s->windows = sim_map_new(free);
	s->rules = sim_map_new(free);
	s->tokens = sim_map_new(NULL);
	s->mps_rl = ratelimit_new(RL_NUMBER_KEYS);
	s->pair_rl = ratelimit_new(RL_PAIR_KEYS);
	sec_random(s->salt, sizeof(s->salt));
	sec_random(s->mask, sizeof(s->mask));
	sec_random(s->url_key, sizeof(s->url_key));
	s->id_base = 1000000000000000ull + sec_random_below(800000000u) * 10000000ull;
}

void sim_state_release(struct sim *s)
{
	sim_map_free(s->numbers);
	sim_map_free(s->windows);
	sim_map_free(s->rules);
	sim_map_free(s->tokens);
	ratelimit_free(s->mps_rl);
	ratelimit_free(s->pair_rl);
	pthread_mutex_destroy(&s->lock);
}

void sim_state_reset(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	sim_map_clear(s->numbers);
	sim_map_clear(s->windows);
	sim_map_clear(s->rules);
	sim_map_clear(s->tokens);
	memset(&s->stats, 0, sizeof(s->stats));
	s->generation++;
	pthread_mutex_unlock(&s->lock);
}

static void number_defaults(const char *pnid, struct sim_number *n)
{
	uint64_t h = sim_util_hash(pnid);
	memset(n, 0, sizeof(*n));
	snprintf(n->id, sizeof(n->id), "%s", pnid);
	snprintf(n->display, sizeof(n->display), "1555%07" PRIu64, h % 10000000u);
	snprintf(n->verified_name, sizeof(n->verified_name), "Pixels Sandbox");
	snprintf(n->quality, sizeof(n->quality), "GREEN");
	snprintf(n->waba, sizeof(n->waba), "%" PRIu64,
	         (uint64_t)(100000000000000ull + (h >> 8) % 900000000000000ull));
}

void sim_state_number(struct sim *s, const char *pnid, struct sim_number *out)
{
	pthread_mutex_lock(&s->lock);
	struct sim_number *n = sim_map_find(s->numbers, pnid);
	if (n) {
		*out = *n;
	} else {
		number_defaults(pnid, out);
		if (sim_map_count(s->numbers) < SIM_MAX_NUMBERS) {
			n = xmalloc(sizeof(*n));
			*n = *out;
			sim_map_put(s->numbers, pnid, n);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

bool sim_state_number_known(struct sim *s, const char *pnid)
{
	pthread_mutex_lock(&s->lock);
	bool known = sim_map_find(s->numbers, pnid) != NULL;
	pthread_mutex_unlock(&s->lock);
	return known;
}

int sim_state_number_set(struct sim *s, const struct sim_number *n, struct err *e)
{
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	if (!sim_map_find(s->numbers, n->id) && sim_map_count(s->numbers) >= SIM_MAX_NUMBERS) {
		rc = err_set(e, ERR_LIMIT, "SIM_FULL", "at most %d phone numbers", SIM_MAX_NUMBERS);
	} else {
		struct sim_number *copy = xmalloc(sizeof(*copy));
		*copy = *n;
		sim_map_put(s->numbers, n->id, copy);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static void window_key(const char *pnid, const char *wa_id, char *out, size_t cap)
{
	snprintf(out, cap, "%s|%s", pnid, wa_id);
}

void sim_state_window_open(struct sim *s, const char *pnid, const char *wa_id, int64_t now_ms)
{
	char key[96];
	window_key(pnid, wa_id, key, sizeof(key));
	pthread_mutex_lock(&s->lock);
	int64_t *at = sim_map_find(s->windows, key);
	if (!at && sim_map_count(s->windows) < SIM_MAX_WINDOWS) {
		at = xmalloc(sizeof(*at));
		sim_map_put(s->windows, key, at);
	}
	if (at)
		*at = now_ms;
	pthread_mutex_unlock(&s->lock);
}

bool sim_state_window_is_open(struct sim *s, const char *pnid, const char *wa_id, int64_t now_ms)
{
	char key[96];
	window_key(pnid, wa_id, key, sizeof(key));
	pthread_mutex_lock(&s->lock);
	const int64_t *at = sim_map_find(s->windows, key);
	bool open = at && now_ms - *at < SIM_WINDOW_MS;
	pthread_mutex_unlock(&s->lock);
	return open;
}

int sim_state_rule_set(struct sim *s, const char *wa_id, const struct sim_rule *r, struct err *e)
{
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	if (!sim_map_find(s->rules, wa_id) && sim_map_count(s->rules) >= SIM_MAX_RULES) {
		rc = err_set(e, ERR_LIMIT, "SIM_FULL", "at most %d rules", SIM_MAX_RULES);
	} else {
		struct sim_rule *copy = xmalloc(sizeof(*copy));
		*copy = *r;
		sim_map_put(s->rules, wa_id, copy);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

bool sim_state_rule_take(struct sim *s, const char *wa_id, struct sim_rule *out)
{
	pthread_mutex_lock(&s->lock);
	struct sim_rule *r = sim_map_count(s->rules) ? sim_map_find(s->rules, wa_id) : NULL;
	if (r) {
		*out = *r;
		if (r->remaining > 0 && --r->remaining == 0)
			sim_map_remove(s->rules, wa_id);
	}
	pthread_mutex_unlock(&s->lock);
	return r != NULL;
}

void sim_state_rules_clear(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	sim_map_clear(s->rules);
	pthread_mutex_unlock(&s->lock);
}

int sim_state_token_expire(struct sim *s, const char *token, struct err *e)
{
	int rc = 0;
	pthread_mutex_lock(&s->lock);
	if (sim_map_count(s->tokens) >= SIM_MAX_TOKENS)
		rc = err_set(e, ERR_LIMIT, "SIM_FULL", "at most %d expired tokens", SIM_MAX_TOKENS);
	else
		sim_map_put(s->tokens, token, s);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

bool sim_state_token_expired(struct sim *s, const char *token)
{
	pthread_mutex_lock(&s->lock);
	bool expired = sim_map_count(s->tokens) && sim_map_find(s->tokens, token);
	pthread_mutex_unlock(&s->lock);
	return expired;
}

void sim_state_runtime(struct sim *s, struct sim_runtime *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->rt;
	pthread_mutex_unlock(&s->lock);
}

void sim_state_runtime_set(struct sim *s, const struct sim_runtime *rt)
{
	pthread_mutex_lock(&s->lock);
	s->rt = *rt;
	pthread_mutex_unlock(&s->lock);
}

void sim_state_count_request(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	s->stats.requests++;
	pthread_mutex_unlock(&s->lock);
}

void sim_state_count_accepted(struct sim *s, bool failed_async)
{
	pthread_mutex_lock(&s->lock);
	s->stats.accepted++;
	s->stats.failed_async += failed_async;
	pthread_mutex_unlock(&s->lock);
}

void sim_state_count_rejected(struct sim *s, int code)
{
	pthread_mutex_lock(&s->lock);
	s->stats.rejected++;
	for (size_t i = 0; i < SIM_MAX_CODES; i++) {
		if (s->stats.by_code[i].code == code || s->stats.by_code[i].code == 0) {
			s->stats.by_code[i].code = code;
			s->stats.by_code[i].count++;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

void sim_state_count_mark_read(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	s->stats.mark_read++;
	pthread_mutex_unlock(&s->lock);
}

void sim_state_count_inbound(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	s->stats.inbound++;
	pthread_mutex_unlock(&s->lock);
}

json_t *sim_state_stats_json(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	struct sim_stats st = s->stats;
	pthread_mutex_unlock(&s->lock);
	json_t *codes = json_object();
	for (size_t i = 0; i < SIM_MAX_CODES && st.by_code[i].code; i++) {
		char key[16];
		snprintf(key, sizeof(key), "%d", st.by_code[i].code);
		json_object_set_new(codes, key, json_integer((json_int_t)st.by_code[i].count));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "requests", (json_int_t)st.requests,
	                 "accepted", (json_int_t)st.accepted, "rejected", (json_int_t)st.rejected,
	                 "failed_async", (json_int_t)st.failed_async, "mark_read",
	                 (json_int_t)st.mark_read, "inbound", (json_int_t)st.inbound,
	                 "rejected_by_code", codes);
}

void sim_state_wamid(struct sim *s, char *out, size_t cap)
{
	uint64_t n = __atomic_fetch_add(&s->next_id, 1, __ATOMIC_RELAXED);
	unsigned char raw[16];
	/* The counter XOR a per-simulator mask: unique, yet it does not look sequential. */
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)(n >> (56 - 8 * i)) ^ s->mask[i];
	memcpy(raw + 8, s->salt, 8);
	char b64[SIM_UTIL_B64_SIZE(16)];
	sim_util_b64(raw, sizeof(raw), true, b64);
	snprintf(out, cap, "wamid.HBgL%s", b64);
}

void sim_state_numeric_id(struct sim *s, char *out, size_t cap)
{
	uint64_t n = __atomic_fetch_add(&s->next_id, 1, __ATOMIC_RELAXED);
	snprintf(out, cap, "%" PRIu64, s->id_base + n);
}

bool sim_state_issued_id(struct sim *s, const char *id)
{
	int64_t v = 0;
	if (str_parse_i64(str_from(id), 0, INT64_MAX, &v) != 0)
		return false;
	uint64_t next = __atomic_load_n(&s->next_id, __ATOMIC_RELAXED);
	return (uint64_t)v >= s->id_base && (uint64_t)v < s->id_base + next;
}

void sim_state_rl_key(struct sim *s, const char *a, const char *b, char *out, size_t cap)
{
	pthread_mutex_lock(&s->lock);
	uint64_t g = s->generation;
	pthread_mutex_unlock(&s->lock);
	snprintf(out, cap, "g%" PRIu64 ":%s%s%s", g, a, b ? ":" : "", b ? b : "");
}
