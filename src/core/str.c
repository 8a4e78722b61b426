/* String views and checked number parsing; see str.h. */
#include "core/str.h"

#include <string.h>

struct str str_from(const char *s)
{
	return (struct str){s ? s : "", s ? strlen(s) : 0};
}

bool str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool str_eq_cstr(struct str a, const char *b)
{
	return str_eq(a, str_from(b));
}

bool str_starts_with(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool str_eq_nocase(struct str a, const char *b)
{
	size_t n = strlen(b);
	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(a.ptr[i]) != lower(b[i]))
			return false;
	return true;
}

int str_parse_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (s.len == 0)
		return -1;
	if (s.ptr[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == s.len)
		return -1;
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t v = 0;
	for (; i < s.len; i++) {
		char c = s.ptr[i];
		if (c < '0' || c > '9')
			return -1;
		uint64_t d = (uint64_t)(c - '0');
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	int64_t r = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}

int str_parse_bool(struct str s, bool *out)
{
	static const char *const yes[] = {"true", "1", "yes", "on"};
	static const char *const no[] = {"false", "0", "no", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (str_eq_nocase(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (str_eq_nocase(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int str_copy(char *dst, size_t cap, struct str s)
{
	if (cap == 0)
		return -1;
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	if (n)
		memcpy(dst, s.ptr, n);
	dst[n] = '\0';
	return n == s.len ? 0 : -1;
}

int str_copy_cstr(char *dst, size_t cap, const char *src)
{
	return str_copy(dst, cap, str_from(src));
}

void str_lower_inplace(char *s)
{
	for (; *s; s++)
		*s = lower(*s);
}

/* Length of the UTF-8 sequence starting at p (0 if invalid). Rejects overlong forms and
 * surrogates. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		min = 0x80;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		min = 0x800;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return n;
}

bool str_is_clean_utf8(struct str s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0;
	while (i < s.len) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
		if (p[i] == 0x7F)
			return false;
		size_t n = utf8_seq(p + i, s.len - i);
		if (n == 0)
			return false;
		/* U+0080..U+009F (C1 controls, e.g. NEL) are control characters too. */
		if (n == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0)
			return false;
		i += n;
	}
	return true;
}

size_t str_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}
