/* Option value forms; see confval.h. Everything here works on short, already length-checked
 * strings: callers copy values into their struct config fields first. */
#include "config/confval.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"

int confval_parse_size(const char *s, int64_t min, int64_t max, int64_t *out)
{
	size_t len = strlen(s);
	int64_t unit = 1;
	if (len > 0 && (s[len - 1] == 'k' || s[len - 1] == 'K')) {
		unit = 1024;
		len--;
	} else if (len > 0 && (s[len - 1] == 'm' || s[len - 1] == 'M')) {
		unit = 1024 * 1024;
		len--;
	}
	int64_t n;
	if (str_parse_i64((struct str){s, len}, 0, INT64_MAX / unit, &n) != 0)
		return -1;
	if (n * unit < min || n * unit > max)
		return -1;
	*out = n * unit;
	return 0;
}

static bool is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

static bool is_ipv6_char(char c)
{
	return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

/* Checks "host[:port]" (already lower case); returns 0 or -1. */
static int check_host_port(const char *p)
{
	const char *end;
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end || end == p + 1)
			return -1;
		for (const char *q = p + 1; q < end; q++)
			if (!is_ipv6_char(*q))
				return -1;
		end++;
	} else {
		end = p;
		while (is_host_char(*end))
			end++;
		if (end == p)
			return -1;
	}
	if (*end == '\0')
		return 0;
	int64_t port;
	if (*end != ':' || str_parse_i64(str_from(end + 1), 1, 65535, &port) != 0)
		return -1;
	return 0;
}

int confval_normalize_origin(char *url)
{
	char tmp[512];
	if (str_copy_cstr(tmp, sizeof(tmp), url) != 0)
		return -1;
	str_lower_inplace(tmp);
	size_t skip;
	if (strncmp(tmp, "http://", 7) == 0)
		skip = 7;
	else if (strncmp(tmp, "https://", 8) == 0)
		skip = 8;
	else
		return -1;
	size_t len = strlen(tmp);
	if (len > skip && tmp[len - 1] == '/')
		tmp[--len] = '\0';
	if (check_host_port(tmp + skip) != 0)
		return -1;
	/* The normal form is never longer than the input, so it fits where the input was. */
	memcpy(url, tmp, len + 1);
	return 0;
}

int confval_check_database_url(const char *url)
{
	struct str s = str_from(url);
	if (str_starts_with(s, "sqlite:"))
		return s.len > 7 ? 0 : -1;
	if (str_starts_with(s, "postgres://"))
		return s.len > 11 ? 0 : -1;
	if (str_starts_with(s, "postgresql://"))
		return s.len > 13 ? 0 : -1;
	return -1;
}

struct out {
	char *p;
	size_t cap;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o->len + 1 < o->cap; i++)
		o->p[o->len++] = s[i];
	o->p[o->len] = '\0';
}

/* Copies a query string, masking the value of password=. q points at '?'. */
static void put_query(struct out *o, const char *q)
{
	while (*q) {
		size_t n = strcspn(q + 1, "&#") + 1;
		if (strncmp(q + 1, "password=", 9) == 0) {
			put(o, q, 10);
			put(o, "****", 4);
		} else {
			put(o, q, n);
		}
		q += n;
	}
}

void confval_mask_url(const char *url, char *out, size_t cap)
{
	struct out o = {out, cap, 0};
	if (cap == 0)
		return;
	out[0] = '\0';
	const char *scheme_end = strstr(url, "://");
	if (!scheme_end) {
		put(&o, url, strlen(url));
		return;
	}
	const char *auth = scheme_end + 3;
	size_t auth_len = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + auth_len; p++)
		if (*p == '@')
			at = p;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		put(&o, url, (size_t)(colon + 1 - url));
		put(&o, "****", 4);
		put(&o, at, (size_t)(auth + auth_len - at));
	} else {
		put(&o, url, (size_t)(auth + auth_len - url));
	}
	const char *rest = auth + auth_len;
	const char *q = strchr(rest, '?');
	put(&o, rest, q ? (size_t)(q - rest) : strlen(rest));
	if (q)
		put_query(&o, q);
}

void confval_format_duration(int64_t ms, char *out, size_t cap)
{
	static const struct {
		int64_t ms;
		const char *suffix;
	} units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		/* A day reads better as "24h"; from two days on, days are shorter. */
		if (i == 0 && ms < 2 * units[0].ms)
			continue;
		if (ms != 0 && ms % units[i].ms == 0) {
			snprintf(out, cap, "%lld%s", (long long)(ms / units[i].ms),
			         units[i].suffix);
			return;
		}
	}
	snprintf(out, cap, "%lldms", (long long)ms);
}

void confval_format_size(int64_t bytes, char *out, size_t cap)
{
	if (bytes != 0 && bytes % (1024 * 1024) == 0)
		snprintf(out, cap, "%lldm", (long long)(bytes / (1024 * 1024)));
	else if (bytes != 0 && bytes % 1024 == 0)
		snprintf(out, cap, "%lldk", (long long)(bytes / 1024));
	else
		snprintf(out, cap, "%lld", (long long)bytes);
}

int confval_check_hex_key(char *value)
{
	if (strlen(value) != 64)
		return -1;
	for (char *p = value; *p; p++) {
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		      (*p >= 'A' && *p <= 'F')))
			return -1;
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	}
	return 0;
}

int confval_check_http_url(char *value)
{
	size_t n = strlen(value);
	if (strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0)
		return -1;
	if (n > 8 && value[n - 1] == '/')
		value[n - 1] = '\0';
	return strpbrk(value, " \t?#") ? -1 : 0;
}

int confval_check_api_version(char *value)
{
	if (value[0] != 'v' || value[1] < '0' || value[1] > '9')
		return -1;
	return value[strspn(value + 1, "0123456789.") + 1] == '\0' ? 0 : -1;
}
