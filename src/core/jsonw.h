/* JSON through jansson, bounded: this header is the only place that includes jansson.h, so
 * every JSON reader goes through the depth/size checks and field helpers below. Field
 * helpers write VALIDATION_ERROR naming the field (house-style 4). json_t values follow
 * jansson's reference counting: functions returning json_t* hand over one reference. */
#ifndef PIXELS_CORE_JSONW_H
#define PIXELS_CORE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

#define JSONW_MAX_DEPTH 32

/* Parses len bytes that must hold one JSON object. Errors: ERR_INVALID "INVALID_JSON" for
 * malformed input, nesting deeper than JSONW_MAX_DEPTH, or a non-object top level.
 * On success *out holds a new reference. */
int jsonw_parse_object(const char *data, size_t len, json_t **out, struct err *e);
/* A slice of a JSON text. */
struct jsonw_span {
	const char *p; /* NULL = absent */
	size_t len;
};

/* Like jsonw_parse_object for a body too large to build at once: the members named in lazy
 * (NULL-terminated) whose value is an array are not parsed; spans[i] gets lazy[i]'s raw
 * array text (p NULL when absent) for jsonw_each_element. Every other member is parsed and
 * checked now. Duplicate members are INVALID_JSON. */
int jsonw_parse_object_lazy(const char *data, size_t len, const char *const *lazy,
                            struct jsonw_span *spans, json_t **out, struct err *e);
/* Calls each(arg, element, e) for every element of the array text arr, in order, each one
 * parsed on its own (the others are never built) and released after the call. Returns
 * each's first non-zero answer, or ERR_INVALID "INVALID_JSON" at the first malformed
 * element (elements before it were already handed over). */
int jsonw_each_element(struct jsonw_span arr, int (*each)(void *arg, json_t *elem, struct err *e),
                       void *arg, struct err *e);
/* String field: absent or null -> *out = NULL (VALIDATION_ERROR if required); not a string,
 * longer than max_len bytes, or containing control characters -> VALIDATION_ERROR.
 * *out is borrowed from obj. Leading/trailing spaces are kept; callers trim if they want. */
int jsonw_str(json_t *obj, const char *field, bool required, size_t max_len, const char **out,
              struct err *e);
/* Boolean field; absent leaves *out unchanged (VALIDATION_ERROR if required). */
int jsonw_bool(json_t *obj, const char *field, bool required, bool *out, struct err *e);
/* Integer field in [min, max]; absent leaves *out unchanged. */
int jsonw_int(json_t *obj, const char *field, bool required, int64_t min, int64_t max, int64_t *out,
              struct err *e);
/* Compact serialisation into a new heap string (caller frees); never NULL. */
char *jsonw_dump(const json_t *v, size_t *len_out);
/* Builders that never return NULL (abort on OOM like xmalloc). NULL s -> JSON null. */
json_t *jsonw_string_or_null(const char *s);
/* ISO-8601 string for a unix-ms time, or null when ms <= 0. */
json_t *jsonw_time_or_null(int64_t ms);

#endif
