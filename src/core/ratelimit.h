/* Bounded, thread-safe, in-memory rate limiting: failure counters for lockouts (login per email
 * and per IP, integration-token failures) and token buckets for per-token request limits.
 * Callers pass the time (unix ms from their injectable struct clock); nothing here reads a clock,
 * so tests move time without sleeping. Memory is fixed at creation: when the table is full the
 * least-recently-touched key is forgotten. */
#ifndef PIXELS_CORE_RATELIMIT_H
#define PIXELS_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest key stored verbatim; longer keys are replaced by their SHA-256 (hex). */
#define RATELIMIT_KEY_MAX 128
/* Largest table ratelimit_new builds. */
#define RATELIMIT_MAX_KEYS (1u << 24)

struct ratelimit;

/* Creates a table holding at most max_keys keys (0 is treated as 1, more than
 * RATELIMIT_MAX_KEYS as that); all memory is allocated here, none later. Eviction: every call that
 * writes a key (fail_add, take) makes it the most recently touched; inserting a new key into a full
 * table forgets the least recently touched one, whatever its state. Read-only calls (fail_count,
 * fail_retry_after_ms) neither create keys nor change their recency. The caller owns the result
 * (ratelimit_free). Aborts on OOM. */
struct ratelimit *ratelimit_new(size_t max_keys);
/* Frees the table; NULL-safe. No other thread may be using it. */
void ratelimit_free(struct ratelimit *rl);

/* Keys are NUL-terminated strings, borrowed for the call only. One table serves several
 * purposes, so callers prefix keys with theirs ("login-email:", "login-ip:", "token:"). A key
 * has independent failure-window and token-bucket state, but should be used for one of them.
 * All functions below are thread-safe (one mutex) and O(1) expected. */

/* Failure counting over a fixed window of window_ms that opens at the first failure counted
 * (not aligned to the wall clock); once now_ms reaches opening + window_ms the count restarts
 * from zero. Records one failure at now_ms and returns the count in the current window,
 * including this one (saturates at INT32_MAX). window_ms must be > 0. */
int ratelimit_fail_add(struct ratelimit *rl, const char *key, int64_t now_ms, int64_t window_ms);
/* Failures counted for key in its current window at now_ms; 0 for unknown or expired keys. */
int ratelimit_fail_count(struct ratelimit *rl, const char *key, int64_t now_ms, int64_t window_ms);
/* Milliseconds until key's count drops below limit, i.e. until its window ends; 0 when the
 * count is already below limit (not locked out). Always > 0 when locked out. */
int64_t ratelimit_fail_retry_after_ms(struct ratelimit *rl, const char *key, int64_t now_ms,
                                      int64_t window_ms, int limit);
/* Forgets key entirely (failures and bucket), e.g. after a successful login. Unknown keys are
 * fine. */
void ratelimit_fail_clear(struct ratelimit *rl, const char *key);

/* Token bucket holding up to burst tokens (a new key starts full) refilled continuously at
 * rate_per_s tokens per second. Takes one token: true if one was available (*retry_after_ms =
 * 0); false otherwise, with *retry_after_ms the wait in ms after which one token will be
 * available (exact, rounded up to a whole ms; INT64_MAX if rate_per_s <= 0). retry_after_ms may
 * be NULL. burst below 1 is treated as 1. A clock moving backwards refills nothing. */
bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms, double rate_per_s,
                    double burst, int64_t *retry_after_ms);

/* Number of keys currently held (never more than max_keys): for tests and metrics. */
size_t ratelimit_count(struct ratelimit *rl);

#endif
