/* A small cache of authenticated integration tokens: the token's hash -> its row and its
 * account, so an integration request does not read both from the database (two read
 * transactions: a tenth of a conversation-list request's CPU, docs/BENCHMARKS.md).
 *
 * Only tokens that passed every check are stored, and the checks that depend on time are
 * made again on every request from the cached rows (expiry at the current time, account
 * active). An entry is used for AUTHCACHE_TTL_MS at most. authcache_invalidate drops every
 * entry at once: this process calls it after each change to a token (generated, revoked,
 * last use recorded), so a revocation takes effect at the very next request. A change made
 * by another process (another instance on the same database) is seen within
 * AUTHCACHE_TTL_MS.
 *
 * Bounded: AUTHCACHE_SLOTS entries, chosen by the hash's first byte; a new entry replaces
 * whatever held its slot. Thread-safe. Times are the caller's monotonic milliseconds. */
#ifndef PIXELS_SVC_AUTHCACHE_H
#define PIXELS_SVC_AUTHCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store_rows.h"

#define AUTHCACHE_TTL_MS 1000
#define AUTHCACHE_SLOTS 256

struct authcache;

struct authcache *authcache_new(void);
/* Zeroes the entries, then frees. NULL-safe. */
void authcache_free(struct authcache *ac);

/* The invalidation count: read it before reading the token from the store, and pass it to
 * authcache_put, which then stores nothing if an invalidation came in between. */
uint64_t authcache_epoch(struct authcache *ac);
/* Copies the entry for hash (SHA-256 hex of the presented token) into token and account:
 * true when there is one, stored by the current epoch less than AUTHCACHE_TTL_MS before
 * now_ms. */
bool authcache_get(struct authcache *ac, const char *hash, int64_t now_ms, struct token_row *token,
                   struct account_row *account);
void authcache_put(struct authcache *ac, const char *hash, uint64_t epoch, int64_t now_ms,
                   const struct token_row *token, const struct account_row *account);
/* Every entry stored so far is no longer used. */
void authcache_invalidate(struct authcache *ac);

#endif
