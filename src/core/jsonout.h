/* Streaming JSON writer: appends compact JSON text to a buf without building a tree. For the
 * hot read paths (lists of conversations and messages), where building a jansson tree cost
 * one allocation per value and per key and was the largest share of a request's CPU. Readers
 * and everything else keep jansson (core/jsonw.h); jsonout_json embeds a jansson value.
 *
 * The writer inserts the commas itself: the caller says what comes (open, key, value, close)
 * and the writer tracks, per nesting level, whether a member was already written. Strings are
 * escaped per RFC 8259 (quote, backslash, control characters); other bytes pass through when
 * they form valid UTF-8, and each byte of an invalid sequence becomes U+FFFD, so the output is
 * always valid JSON in UTF-8 whatever the input. Keys are the caller's own literals and are
 * written as they are. Misuse (closing what was not opened, nesting deeper than
 * JSONOUT_MAX_DEPTH) aborts: it is a programming error, never input-driven. */
#ifndef PIXELS_CORE_JSONOUT_H
#define PIXELS_CORE_JSONOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/jsonw.h"

#define JSONOUT_MAX_DEPTH 16

struct jsonout {
	struct buf out; /* owned; unbounded (what is written is bounded by its callers' limits) */
	unsigned depth;
	bool need_comma[JSONOUT_MAX_DEPTH + 1];
	bool after_key; /* a key was written: the next value follows it without a comma */
};

void jsonout_init(struct jsonout *w);
void jsonout_release(struct jsonout *w);
/* Hands over the text (NUL-terminated, never NULL); the writer is left empty. Every opened
 * object and array must be closed. */
char *jsonout_detach(struct jsonout *w, size_t *len_out);

void jsonout_object_open(struct jsonout *w);
void jsonout_object_close(struct jsonout *w);
void jsonout_array_open(struct jsonout *w);
void jsonout_array_close(struct jsonout *w);
/* A member's name, inside an object; the next call writes its value. */
void jsonout_key(struct jsonout *w, const char *key);

/* Values (as an array element, or after jsonout_key). NULL s writes null. */
void jsonout_str(struct jsonout *w, const char *s);
void jsonout_strn(struct jsonout *w, const char *s, size_t len);
void jsonout_int(struct jsonout *w, int64_t v);
void jsonout_bool(struct jsonout *w, bool v);
void jsonout_null(struct jsonout *w);
/* ISO-8601 UTC time of a unix-ms time (clock_format_iso), or null when ms <= 0. */
void jsonout_time(struct jsonout *w, int64_t ms);
/* A jansson value, serialised compactly in place; NULL writes null. */
void jsonout_json(struct jsonout *w, const json_t *v);

/* key + value in one call: the common case. */
void jsonout_kstr(struct jsonout *w, const char *key, const char *s);
void jsonout_kint(struct jsonout *w, const char *key, int64_t v);
void jsonout_kbool(struct jsonout *w, const char *key, bool v);
void jsonout_ktime(struct jsonout *w, const char *key, int64_t ms);

#endif
