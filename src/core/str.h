/* Borrowed string views and checked parsers. A struct str never owns its bytes: the comment
 * where one is returned says how long they live. Parsers reject junk, signs where not wanted,
 * and overflow, replacing the banned atoi family. */
#ifndef PIXELS_CORE_STR_H
#define PIXELS_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char *ptr;
	size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

/* View of a NUL-terminated string (NULL gives the empty view). */
struct str str_from(const char *s);
bool str_eq(struct str a, struct str b);
bool str_eq_cstr(struct str a, const char *b);
bool str_starts_with(struct str s, const char *prefix);
/* Case-insensitive ASCII comparison. */
bool str_eq_nocase(struct str a, const char *b);
/* Parses the whole view as a base-10 integer in [min, max]; 0 on success, -1 on junk,
 * empty input, a '+' sign, or a value outside the range. */
int str_parse_i64(struct str s, int64_t min, int64_t max, int64_t *out);
/* true/false/1/0/yes/no/on/off (any case); 0 on success, -1 otherwise. */
int str_parse_bool(struct str s, bool *out);
/* Copies at most cap-1 bytes of s into dst and NUL-terminates; returns 0, or -1 if it was cut. */
int str_copy(char *dst, size_t cap, struct str s);
/* Same for a NUL-terminated source. */
int str_copy_cstr(char *dst, size_t cap, const char *src);
/* Characters (code points) in valid UTF-8 text: bytes that are not continuation bytes. */
size_t str_utf8_chars(const char *s);
/* Lower-cases ASCII letters in place. */
void str_lower_inplace(char *s);
/* Is every byte valid, non-control UTF-8 text? Rejects overlong forms, surrogates, truncated
 * sequences, C0 controls except tab/LF/CR, DEL and the C1 controls U+0080..U+009F. */
bool str_is_clean_utf8(struct str s);

#endif
