/* Authenticated-token cache; see authcache.h. One lock: an entry is a copy of two small rows,
 * so it is held for a few hundred nanoseconds. */
#include "svc/authcache.h"

#include <pthread.h>
#include <string.h>

#include "core/sec.h"
#include "core/xalloc.h"

struct authcache_slot {
	bool used;
	uint64_t epoch;
	int64_t stored_ms;
	char hash[SEC_SHA256_HEX];
	struct token_row token;
	struct account_row account;
};

struct authcache {
	pthread_mutex_t lock;
	uint64_t epoch;
	struct authcache_slot slots[AUTHCACHE_SLOTS];
};

/* The hash's first byte (two hex digits); anything else (never produced) maps to slot 0. */
static struct authcache_slot *slot_of(struct authcache *ac, const char *hash)
{
	unsigned v = 0;
	for (int i = 0; i < 2; i++) {
		char ch = hash[i];
		unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
		             : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
		                                      : 0;
		v = v * 16 + d;
	}
	return &ac->slots[v % AUTHCACHE_SLOTS];
}

static bool is_hash(const char *hash)
{
	return hash && strnlen(hash, SEC_SHA256_HEX) == SEC_SHA256_HEX - 1;
}

struct authcache *authcache_new(void)
{
	struct authcache *ac = xcalloc(1, sizeof(*ac));
	pthread_mutex_init(&ac->lock, NULL);
	return ac;
}

void authcache_free(struct authcache *ac)
{
	if (!ac)
		return;
	pthread_mutex_destroy(&ac->lock);
	sec_zero(ac->slots, sizeof(ac->slots));
	free(ac);
}

uint64_t authcache_epoch(struct authcache *ac)
{
	pthread_mutex_lock(&ac->lock);
	uint64_t epoch = ac->epoch;
	pthread_mutex_unlock(&ac->lock);
	return epoch;
}

bool authcache_get(struct authcache *ac, const char *hash, int64_t now_ms, struct token_row *token,
                   struct account_row *account)
{
	if (!is_hash(hash))
		return false;
	bool hit = false;
	pthread_mutex_lock(&ac->lock);
	struct authcache_slot *s = slot_of(ac, hash);
	if (s->used && s->epoch == ac->epoch && now_ms >= s->stored_ms &&
	    now_ms - s->stored_ms < AUTHCACHE_TTL_MS &&
	    sec_equal(s->hash, SEC_SHA256_HEX - 1, hash, SEC_SHA256_HEX - 1)) {
		*token = s->token;
		*account = s->account;
		hit = true;
	}
	pthread_mutex_unlock(&ac->lock);
	return hit;
}

void authcache_put(struct authcache *ac, const char *hash, uint64_t epoch, int64_t now_ms,
                   const struct token_row *token, const struct account_row *account)
{
	if (!is_hash(hash))
		return;
	pthread_mutex_lock(&ac->lock);
	if (epoch == ac->epoch) {
		struct authcache_slot *s = slot_of(ac, hash);
		s->used = true;
		s->epoch = epoch;
		s->stored_ms = now_ms;
		memcpy(s->hash, hash, SEC_SHA256_HEX);
		s->token = *token;
		s->account = *account;
	}
	pthread_mutex_unlock(&ac->lock);
}

void authcache_invalidate(struct authcache *ac)
{
	pthread_mutex_lock(&ac->lock);
	ac->epoch++;
	pthread_mutex_unlock(&ac->lock);
}
