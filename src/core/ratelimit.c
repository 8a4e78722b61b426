/* Rate-limit table; see ratelimit.h. A fixed array of entries, chained hash buckets keyed by
 * SipHash with a per-table random key (attacker-chosen keys such as emails and IPs cannot
 * force long chains), and an intrusive LRU list; all links are array indices. One mutex
 * guards everything: every operation is a few pointer moves. */
#include "core/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "core/sec.h"
#include "core/xalloc.h"

#define NIL UINT32_MAX
/* Tolerance for floating-point drift in token counts (a billionth of a token). */
#define TOKEN_EPS 1e-9

struct rl_key {
	char text[RATELIMIT_KEY_MAX + 1];
	size_t len;
	bool hashed; /* text is the SHA-256 hex of a longer key */
};

struct rl_entry {
	struct rl_key key;
	uint64_t hash;
	uint32_t chain; /* next entry in the same bucket, or next free entry */
	uint32_t newer; /* LRU neighbours */
	uint32_t older;
	int32_t fail_count;
	int64_t fail_start_ms;
	bool has_bucket;
	double tokens;
	int64_t bucket_ms;
};

struct ratelimit {
	pthread_mutex_t lock;
	struct rl_entry *entries; /* owned, max_keys of them */
	uint32_t *buckets;        /* owned, nbuckets heads */
	size_t nbuckets;          /* power of two */
	size_t max_keys;
	size_t count;
	uint32_t free_head;
	uint32_t newest;
	uint32_t oldest;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
};

struct ratelimit *ratelimit_new(size_t max_keys)
{
	if (max_keys == 0)
		max_keys = 1;
	if (max_keys > RATELIMIT_MAX_KEYS)
		max_keys = RATELIMIT_MAX_KEYS;
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	rl->max_keys = max_keys;
	rl->nbuckets = 16;
	while (rl->nbuckets < max_keys * 2)
		rl->nbuckets *= 2;
	rl->entries = xcalloc(max_keys, sizeof(*rl->entries));
	rl->buckets = xmalloc(rl->nbuckets * sizeof(*rl->buckets));
	for (size_t i = 0; i < rl->nbuckets; i++)
		rl->buckets[i] = NIL;
	for (size_t i = 0; i < max_keys; i++)
		rl->entries[i].chain = i + 1 < max_keys ? (uint32_t)(i + 1) : NIL;
	rl->free_head = 0;
	rl->newest = NIL;
	rl->oldest = NIL;
	sec_random(rl->hash_key, sizeof(rl->hash_key));
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->entries);
	free(rl->buckets);
	free(rl);
}

/* Stores key verbatim when it fits, else its SHA-256 hex (flagged so it never equals a caller's
 * 64-character key). Returns the keyed hash of the stored form. */
static uint64_t key_make(const struct ratelimit *rl, const char *key, struct rl_key *out)
{
	size_t len = strnlen(key, RATELIMIT_KEY_MAX + 1);
	out->hashed = len > RATELIMIT_KEY_MAX;
	if (out->hashed) {
		sec_sha256_hex(key, strlen(key), out->text);
		len = SEC_SHA256_HEX - 1;
	} else {
		memcpy(out->text, key, len);
		out->text[len] = '\0';
	}
	out->len = len;
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)out->text, len, rl->hash_key);
	uint64_t v;
	memcpy(&v, h, sizeof(v));
	return v ^ (uint64_t)out->hashed;
}

static bool key_eq(const struct rl_key *a, const struct rl_key *b)
{
	return a->hashed == b->hashed && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static uint32_t *bucket_of(struct ratelimit *rl, uint64_t hash)
{
	return &rl->buckets[hash & (rl->nbuckets - 1)];
}

static uint32_t find(struct ratelimit *rl, const struct rl_key *k, uint64_t hash)
{
	for (uint32_t i = *bucket_of(rl, hash); i != NIL; i = rl->entries[i].chain) {
		const struct rl_entry *e = &rl->entries[i];
		if (e->hash == hash && key_eq(&e->key, k))
			return i;
	}
	return NIL;
}

static void lru_unlink(struct ratelimit *rl, uint32_t i)
{
	struct rl_entry *e = &rl->entries[i];
	if (e->newer != NIL)
		rl->entries[e->newer].older = e->older;
	else
		rl->newest = e->older;
	if (e->older != NIL)
		rl->entries[e->older].newer = e->newer;
	else
		rl->oldest = e->newer;
}

static void lru_push_newest(struct ratelimit *rl, uint32_t i)
{
	struct rl_entry *e = &rl->entries[i];
	e->newer = NIL;
	e->older = rl->newest;
	if (rl->newest != NIL)
		rl->entries[rl->newest].newer = i;
	rl->newest = i;
	if (rl->oldest == NIL)
		rl->oldest = i;
}

/* Unlinks entry i from its bucket and the LRU list and returns it to the free list. */
static void remove_entry(struct ratelimit *rl, uint32_t i)
{
	struct rl_entry *e = &rl->entries[i];
	uint32_t *link = bucket_of(rl, e->hash);
	while (*link != i)
		link = &rl->entries[*link].chain;
	*link = e->chain;
	lru_unlink(rl, i);
	e->chain = rl->free_head;
	rl->free_head = i;
	rl->count--;
}

/* Returns key's entry, created (evicting the oldest key if the table is full) when missing,
 * and marks it the most recently touched. */
static struct rl_entry *touch(struct ratelimit *rl, const char *key)
{
	struct rl_key k;
	uint64_t hash = key_make(rl, key, &k);
	uint32_t i = find(rl, &k, hash);
	if (i != NIL) {
		lru_unlink(rl, i);
		lru_push_newest(rl, i);
		return &rl->entries[i];
	}
	if (rl->free_head == NIL)
		remove_entry(rl, rl->oldest);
	i = rl->free_head;
	struct rl_entry *e = &rl->entries[i];
	rl->free_head = e->chain;
	memset(e, 0, sizeof(*e));
	e->key = k;
	e->hash = hash;
	uint32_t *head = bucket_of(rl, hash);
	e->chain = *head;
	*head = i;
	lru_push_newest(rl, i);
	rl->count++;
	return e;
}

/* Entry for key, or NULL; recency unchanged. */
static struct rl_entry *peek(struct ratelimit *rl, const char *key)
{
	struct rl_key k;
	uint64_t hash = key_make(rl, key, &k);
	uint32_t i = find(rl, &k, hash);
	return i == NIL ? NULL : &rl->entries[i];
}

static bool window_open(const struct rl_entry *e, int64_t now_ms, int64_t window_ms)
{
	return e->fail_count > 0 && now_ms - e->fail_start_ms < window_ms;
}

int ratelimit_fail_add(struct ratelimit *rl, const char *key, int64_t now_ms, int64_t window_ms)
{
	pthread_mutex_lock(&rl->lock);
	struct rl_entry *e = touch(rl, key);
	if (!window_open(e, now_ms, window_ms)) {
		e->fail_count = 0;
		e->fail_start_ms = now_ms;
	}
	if (e->fail_count < INT32_MAX)
		e->fail_count++;
	int n = e->fail_count;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

int ratelimit_fail_count(struct ratelimit *rl, const char *key, int64_t now_ms, int64_t window_ms)
{
	pthread_mutex_lock(&rl->lock);
	const struct rl_entry *e = peek(rl, key);
	int n = e && window_open(e, now_ms, window_ms) ? e->fail_count : 0;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

int64_t ratelimit_fail_retry_after_ms(struct ratelimit *rl, const char *key, int64_t now_ms,
                                      int64_t window_ms, int limit)
{
	int64_t wait_ms = 0;
	pthread_mutex_lock(&rl->lock);
	const struct rl_entry *e = peek(rl, key);
	if (e && window_open(e, now_ms, window_ms) && e->fail_count >= limit)
		wait_ms = e->fail_start_ms + window_ms - now_ms;
	pthread_mutex_unlock(&rl->lock);
	return wait_ms;
}

void ratelimit_fail_clear(struct ratelimit *rl, const char *key)
{
	struct rl_key k;
	pthread_mutex_lock(&rl->lock);
	uint64_t hash = key_make(rl, key, &k);
	uint32_t i = find(rl, &k, hash);
	if (i != NIL)
		remove_entry(rl, i);
	pthread_mutex_unlock(&rl->lock);
}

/* Brings e's bucket up to now_ms. */
static void refill(struct rl_entry *e, int64_t now_ms, double rate_per_s, double burst)
{
	if (!e->has_bucket) {
		e->has_bucket = true;
		e->tokens = burst;
		e->bucket_ms = now_ms;
		return;
	}
	if (now_ms > e->bucket_ms) {
		if (rate_per_s > 0)
			e->tokens += (double)(now_ms - e->bucket_ms) * rate_per_s / 1000.0;
		e->bucket_ms = now_ms;
	}
	if (e->tokens > burst)
		e->tokens = burst;
}

static int64_t wait_for_token(double tokens, double rate_per_s)
{
	if (rate_per_s <= 0)
		return INT64_MAX;
	double ms = ceil((1.0 - tokens) * 1000.0 / rate_per_s - TOKEN_EPS);
	if (ms >= 9.2e18)
		return INT64_MAX;
	return ms < 1 ? 1 : (int64_t)ms;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms, double rate_per_s,
                    double burst, int64_t *retry_after_ms)
{
	if (!(burst >= 1))
		burst = 1;
	pthread_mutex_lock(&rl->lock);
	struct rl_entry *e = touch(rl, key);
	refill(e, now_ms, rate_per_s, burst);
	bool ok = e->tokens >= 1.0 - TOKEN_EPS;
	int64_t wait_ms = 0;
	if (ok)
		e->tokens = e->tokens > 1.0 ? e->tokens - 1.0 : 0.0;
	else
		wait_ms = wait_for_token(e->tokens, rate_per_s);
	pthread_mutex_unlock(&rl->lock);
	if (retry_after_ms)
		*retry_after_ms = wait_ms;
	return ok;
}

size_t ratelimit_count(struct ratelimit *rl)
{
	pthread_mutex_lock(&rl->lock);
	size_t n = rl->count;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
