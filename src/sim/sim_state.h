/* The simulator's shared state (struct sim, private to src/sim/) and its small registries:
 * phone numbers, 24-hour windows, failure rules, expired tokens, run-time settings, counters
 * and id generation. One mutex (s->lock) guards the registries; the log, templates, media and
 * webhook engine carry their own locks, so no request holds two locks at once. */
#ifndef PIXELS_SIM_SIM_STATE_H
#define PIXELS_SIM_SIM_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "core/ratelimit.h"
#include "http/server.h"
#include "sim/sim.h"
#include "sim/sim_map.h"

#define SIM_MAX_NUMBERS 10000
#define SIM_MAX_WINDOWS 1000000
#define SIM_MAX_RULES 10000
#define SIM_MAX_TOKENS 10000
#define SIM_WINDOW_MS (24LL * 3600 * 1000)
#define SIM_MAX_CODES 32

struct sim_log;
struct sim_templates;
struct sim_media;
struct sim_webhook;

struct sim_number {
	char id[32];
	char display[32]; /* display_phone_number */
	char verified_name[128];
	char quality[16]; /* GREEN | YELLOW | RED */
	char waba[32];    /* WABA id: entry.id of its webhooks */
	int mps;          /* 0 = the simulator's default_mps */
};

/* Settings POST /_sim/config may change while running. */
struct sim_runtime {
	int sent_delay_ms;
	int delivered_delay_ms;
	int read_delay_ms;
	bool shuffle;
	double duplicate_rate;
	double skip_delivered_rate;
	bool bsuid;
	bool enforce_window;
	int template_review_ms;
};

struct sim_rule {
	int code;
	bool async;    /* 200 then a failed status webhook; else an error envelope */
	int remaining; /* applications left; < 0 = forever */
};

struct sim_stats {
	uint64_t requests;     /* Graph API requests */
	uint64_t accepted;     /* messages answered 200 */
	uint64_t rejected;     /* send requests refused with an error envelope */
	uint64_t failed_async; /* accepted, then failed by webhook */
	uint64_t mark_read;
	uint64_t inbound;
	struct {
		int code;
		uint64_t count;
	} by_code[SIM_MAX_CODES];
};

struct sim {
	struct sim_config cfg; /* cfg.host, app_secret, verify_token point at the copies below */
	char *host;            /* owned copies */
	char *app_secret;
	char *verify_token;
	char base_url[128];        /* "http://HOST:PORT" */
	unsigned char url_key[32]; /* signs media download URLs */
	struct http_server *http;
	struct sim_webhook *webhook;
	struct sim_log *log;
	struct sim_templates *templates;
	struct sim_media *media;
	struct ratelimit *mps_rl;  /* per phone number */
	struct ratelimit *pair_rl; /* per (number, recipient) */
	uint64_t next_id;          /* atomic counter for wamids and numeric ids */
	uint64_t id_base;
	unsigned char salt[8];
	unsigned char mask[8];

	pthread_mutex_t lock; /* guards everything below */
	struct sim_runtime rt;
	uint64_t generation;     /* rate-limit key prefix; a reset starts fresh buckets */
	struct sim_map *numbers; /* pnid -> struct sim_number */
	struct sim_map *windows; /* "pnid|wa_id" -> int64_t last inbound ms */
	struct sim_map *rules;   /* wa_id -> struct sim_rule */
	struct sim_map *tokens;  /* expired bearer tokens -> (unused) */
	struct sim_stats stats;
};

/* Creates the registries (called by sim_start). */
void sim_state_init(struct sim *s);
void sim_state_release(struct sim *s);
/* Forgets numbers, windows, rules, tokens, counters and rate-limit buckets. */
void sim_state_reset(struct sim *s);

/* Copies the settings of pnid into *out: the registered ones, or generated defaults (display
 * number, WABA id derived from pnid) which are then remembered. */
void sim_state_number(struct sim *s, const char *pnid, struct sim_number *out);
/* Is pnid registered, or was it used (sent from, written to) since the last reset? */
bool sim_state_number_known(struct sim *s, const char *pnid);
/* Registers or replaces a number. ERR_LIMIT "SIM_FULL" past SIM_MAX_NUMBERS. */
int sim_state_number_set(struct sim *s, const struct sim_number *n, struct err *e);

void sim_state_window_open(struct sim *s, const char *pnid, const char *wa_id, int64_t now_ms);
bool sim_state_window_is_open(struct sim *s, const char *pnid, const char *wa_id, int64_t now_ms);

/* Adds or replaces the rule for recipient wa_id. ERR_LIMIT "SIM_FULL" when full. */
int sim_state_rule_set(struct sim *s, const char *wa_id, const struct sim_rule *r, struct err *e);
/* The rule for wa_id, consuming one application (a rule whose count runs out is removed);
 * false when none applies. */
bool sim_state_rule_take(struct sim *s, const char *wa_id, struct sim_rule *out);
void sim_state_rules_clear(struct sim *s);

/* Marks a bearer token expired (190/463 from then on). ERR_LIMIT "SIM_FULL" when full. */
int sim_state_token_expire(struct sim *s, const char *token, struct err *e);
bool sim_state_token_expired(struct sim *s, const char *token);

void sim_state_runtime(struct sim *s, struct sim_runtime *out);
void sim_state_runtime_set(struct sim *s, const struct sim_runtime *rt);

/* Counters. */
void sim_state_count_request(struct sim *s);
void sim_state_count_accepted(struct sim *s, bool failed_async);
void sim_state_count_rejected(struct sim *s, int code);
void sim_state_count_mark_read(struct sim *s);
void sim_state_count_inbound(struct sim *s);
/* {"requests", "accepted", "rejected", "rejected_by_code":{"130429":n ...}, ...}. */
json_t *sim_state_stats_json(struct sim *s);

/* "wamid.HBgL<22 base64url characters>", unique in the process. out needs 64 bytes. */
void sim_state_wamid(struct sim *s, char *out, size_t cap);
/* A 16-digit Graph object id (media, templates), unique for this simulator. */
void sim_state_numeric_id(struct sim *s, char *out, size_t cap);
/* Was id made by sim_state_numeric_id of this simulator (a media or template id)? */
bool sim_state_issued_id(struct sim *s, const char *id);
/* Rate-limit key "g<generation>:<a>:<b>" (b may be NULL) into out. */
void sim_state_rl_key(struct sim *s, const char *a, const char *b, char *out, size_t cap);

#endif
