/* Time, injectable: every time-based rule (session expiry, lockout windows, later the 24-hour
 * window and backoff) reads a struct clock so tests move time without sleeping.
 * All wall times are unix milliseconds. */
#ifndef PIXELS_CORE_CLOCK_H
#define PIXELS_CORE_CLOCK_H

#include <stdint.h>

struct clock {
	int64_t (*now_ms)(void *arg); /* NULL = the real wall clock */
	void *arg;
};

/* Wall time in unix ms from c (NULL or c->now_ms NULL = real time). Thread-safe if the
 * injected function is. */
int64_t clock_now_ms(const struct clock *c);
/* Real wall clock, and a monotonic clock in nanoseconds for measuring durations. */
int64_t clock_real_ms(void);
int64_t clock_mono_ns(void);
/* Formats ms as ISO-8601 UTC "2026-11-24T09:00:00.123Z" into out (at least 32 bytes). */
void clock_format_iso(int64_t ms, char *out, unsigned long cap);
/* Parses a duration such as "24h", "15m", "30s", "7d", "500ms" or a plain number of seconds
 * into milliseconds; 0 on success, -1 on junk, zero or negative. */
/* Unix milliseconds, or an ISO-8601 UTC time "YYYY-MM-DD" / "YYYY-MM-DDTHH:MM:SS[.mmm]Z";
 * 0 on success, -1 otherwise. */
int clock_parse_time(const char *v, int64_t *out);
int clock_parse_duration_ms(const char *s, int64_t *out_ms);

#endif
