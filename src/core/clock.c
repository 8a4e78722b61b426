/* Clock helpers; see clock.h. */
#include "core/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/str.h"

int64_t clock_real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t clock_now_ms(const struct clock *c)
{
	if (c && c->now_ms)
		return c->now_ms(c->arg);
	return clock_real_ms();
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian), H. Hinnant's algorithm. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static char *digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

void clock_format_iso(int64_t ms, char *out, unsigned long cap)
{
	int64_t secs = ms / 1000, milli = ms % 1000;
	if (milli < 0) {
		milli += 1000;
		secs -= 1;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days -= 1;
	}
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	if (cap < 25 || y < 0 || y > 9999) { /* outside what four digits hold: the slow way */
		snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
		         (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (int)milli);
		return;
	}
	char *p = digits(out, y, 4);
	*p++ = '-';
	p = digits(p, m, 2);
	*p++ = '-';
	p = digits(p, d, 2);
	*p++ = 'T';
	p = digits(p, (int)(rem / 3600), 2);
	*p++ = ':';
	p = digits(p, (int)(rem / 60 % 60), 2);
	*p++ = ':';
	p = digits(p, (int)(rem % 60), 2);
	*p++ = '.';
	p = digits(p, (int)milli, 3);
	*p++ = 'Z';
	*p = '\0';
}

int clock_parse_duration_ms(const char *s, int64_t *out_ms)
{
	static const struct {
		const char *suffix;
		int64_t ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
	size_t len = strlen(s);
	size_t digits = 0;
	while (digits < len && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (digits == 0)
		return -1;
	int64_t n;
	if (str_parse_i64((struct str){s, digits}, 1, INT64_MAX / 86400000, &n) != 0)
		return -1;
	const char *unit = s + digits;
	if (*unit == '\0') {
		*out_ms = n * 1000;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].suffix) == 0) {
			*out_ms = n * units[i].ms;
			return 0;
		}
	}
	return -1;
}

int clock_parse_time(const char *v, int64_t *out)
{
	if (str_parse_i64(str_from(v), 0, INT64_C(32503680000000), out) == 0)
		return 0;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int ms = 0, n = 0;
	size_t len = strlen(v);
	bool ok = (sscanf(v, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) == 3 &&
	           (size_t)n == len) ||
	          (sscanf(v, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) == 6 &&
	           ((v[n] == 'Z' && (size_t)n + 1 == len) ||
	            (sscanf(v + n, ".%3dZ", &ms) == 1 && v[len - 1] == 'Z')));
	if (!ok || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm) * 1000 + ms;
	return 0;
}
