/* Streaming JSON writer; see jsonout.h. */
#include "core/jsonout.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

/* The bytes go straight in when they fit (the common case: a list reply appends a few
 * bytes at a time, and a call into buf.c for each cost more than the copy). */
static void put(struct jsonout *w, const void *data, size_t len)
{
	struct buf *b = &w->out;
	if (len < b->cap - b->len) { /* room for them and the NUL; cap > 0, so ptr is set */
		memcpy(b->ptr + b->len, data, len);
		b->len += len;
		b->ptr[b->len] = '\0';
		return;
	}
	if (buf_append(b, data, len) != 0)
		abort(); /* unbounded buffer: only a size_t overflow could refuse */
}

static void put_char(struct jsonout *w, char ch)
{
	put(w, &ch, 1);
}

/* Before any value or key: the comma that separates it from the previous member. */
static void before_item(struct jsonout *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		put_char(w, ',');
	w->need_comma[w->depth] = true;
}

void jsonout_init(struct jsonout *w)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->out, 0);
}

void jsonout_release(struct jsonout *w)
{
	buf_release(&w->out);
	jsonout_init(w);
}

char *jsonout_detach(struct jsonout *w, size_t *len_out)
{
	if (w->depth != 0 || w->after_key)
		abort();
	char *text = buf_detach(&w->out, len_out);
	jsonout_init(w);
	return text;
}

static void open_level(struct jsonout *w, char ch)
{
	before_item(w);
	if (w->depth >= JSONOUT_MAX_DEPTH)
		abort();
	put_char(w, ch);
	w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_level(struct jsonout *w, char ch)
{
	if (w->depth == 0 || w->after_key)
		abort();
	w->depth--;
	put_char(w, ch);
}

void jsonout_object_open(struct jsonout *w)
{
	open_level(w, '{');
}

void jsonout_object_close(struct jsonout *w)
{
	close_level(w, '}');
}

void jsonout_array_open(struct jsonout *w)
{
	open_level(w, '[');
}

void jsonout_array_close(struct jsonout *w)
{
	close_level(w, ']');
}

void jsonout_key(struct jsonout *w, const char *key)
{
	if (w->depth == 0 || w->after_key)
		abort();
	before_item(w);
	put_char(w, '"');
	put(w, key, strlen(key));
	put(w, "\":", 2);
	w->after_key = true;
}

/* Length of the valid UTF-8 sequence starting at s (n bytes available), 0 if invalid
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < need + 1 || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i <= need; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return need + 1;
}

static void put_escaped(struct jsonout *w, const unsigned char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0; /* start of the bytes that pass through unchanged */
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_seq(s + i, len - i);
			if (n) {
				i += n;
				continue;
			}
		}
		put(w, s + run, i - run);
		static const char plain[] = "\"\\\b\f\n\r\t", named[] = "\"\\bfnrt";
		const char *short_form = memchr(plain, c, sizeof(plain) - 1);
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t esc_len = 2;
		if (short_form)
			esc[1] = named[short_form - plain];
		else if (c < 0x20) {
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xF];
			esc_len = 6;
		} else {
			memcpy(esc, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte of invalid UTF-8 */
			esc_len = 3;
		}
		put(w, esc, esc_len);
		i++;
		run = i;
	}
	put(w, s + run, len - run);
}

void jsonout_strn(struct jsonout *w, const char *s, size_t len)
{
	if (!s) {
		jsonout_null(w);
		return;
	}
	before_item(w);
	put_char(w, '"');
	put_escaped(w, (const unsigned char *)s, len);
	put_char(w, '"');
}

void jsonout_str(struct jsonout *w, const char *s)
{
	jsonout_strn(w, s, s ? strlen(s) : 0);
}

void jsonout_int(struct jsonout *w, int64_t v)
{
	char digits[24];
	size_t n = sizeof(digits);
	/* Negate in unsigned arithmetic so INT64_MIN is exact. */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--n] = '-';
	before_item(w);
	put(w, digits + n, sizeof(digits) - n);
}

void jsonout_bool(struct jsonout *w, bool v)
{
	before_item(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jsonout_null(struct jsonout *w)
{
	before_item(w);
	put(w, "null", 4);
}

void jsonout_time(struct jsonout *w, int64_t ms)
{
	if (ms <= 0) {
		jsonout_null(w);
		return;
	}
	char iso[32];
	clock_format_iso(ms, iso, sizeof(iso));
	before_item(w);
	put_char(w, '"');
	put(w, iso, strlen(iso)); /* digits and punctuation: nothing to escape */
	put_char(w, '"');
}

static int dump_cb(const char *data, size_t len, void *arg)
{
	put(arg, data, len);
	return 0;
}

void jsonout_json(struct jsonout *w, const json_t *v)
{
	if (!v) {
		jsonout_null(w);
		return;
	}
	before_item(w);
	if (json_dump_callback(v, dump_cb, w,
	                       JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15)) != 0)
		abort();
}

void jsonout_kstr(struct jsonout *w, const char *key, const char *s)
{
	jsonout_key(w, key);
	jsonout_str(w, s);
}

void jsonout_kint(struct jsonout *w, const char *key, int64_t v)
{
	jsonout_key(w, key);
	jsonout_int(w, v);
}

void jsonout_kbool(struct jsonout *w, const char *key, bool v)
{
	jsonout_key(w, key);
	jsonout_bool(w, v);
}

void jsonout_ktime(struct jsonout *w, const char *key, int64_t ms)
{
	jsonout_key(w, key);
	jsonout_time(w, ms);
}
