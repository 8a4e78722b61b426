/* Bounded JSON helpers over jansson; see jsonw.h. The depth pre-scan runs before jansson so a
 * deeply nested body cannot exhaust the parser's stack. */
#include "core/jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/str.h"

/* Returns the maximum nesting depth of arrays/objects, skipping string contents. */
static int nesting_ok(const char *data, size_t len)
{
	int depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > JSONW_MAX_DEPTH)
				return 0;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 1;
}

int jsonw_parse_object(const char *data, size_t len, json_t **out, struct err *e)
{
	*out = NULL;
	if (len == 0)
		return err_set(e, ERR_INVALID, "INVALID_JSON",
		               "Request body must be a JSON object");
	if (!nesting_ok(data, len))
		return err_set(e, ERR_INVALID, "INVALID_JSON",
		               "JSON nesting is deeper than %d levels", JSONW_MAX_DEPTH);
	json_error_t jerr;
	json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return err_set(e, ERR_INVALID, "INVALID_JSON",
		               "Malformed JSON at line %d, column %d: %s", jerr.line, jerr.column,
		               jerr.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return err_set(e, ERR_INVALID, "INVALID_JSON",
		               "Request body must be a JSON object");
	}
	*out = v;
	return 0;
}

static bool has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			return true;
	}
	return false;
}

int jsonw_str(json_t *obj, const char *field, bool required, size_t max_len, const char **out,
              struct err *e)
{
	json_t *v = json_object_get(obj, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? err_field(e, field, "is required") : 0;
	if (!json_is_string(v))
		return err_field(e, field, "must be a string");
	size_t len = json_string_length(v);
	const char *s = json_string_value(v);
	if (len > max_len)
		return err_field(e, field, "must be at most %zu bytes", max_len);
	if (strlen(s) != len || has_control(s, len))
		return err_field(e, field, "must not contain control characters");
	*out = s;
	return 0;
}

int jsonw_bool(json_t *obj, const char *field, bool required, bool *out, struct err *e)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return required ? err_field(e, field, "is required") : 0;
	if (!json_is_boolean(v))
		return err_field(e, field, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

int jsonw_int(json_t *obj, const char *field, bool required, int64_t min, int64_t max, int64_t *out,
              struct err *e)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return required ? err_field(e, field, "is required") : 0;
	if (!json_is_integer(v))
		return err_field(e, field, "must be an integer");
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return err_field(e, field, "must be between %lld and %lld", (long long)min,
		                 (long long)max);
	*out = (int64_t)n;
	return 0;
}

char *jsonw_dump(const json_t *v, size_t *len_out)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (!s)
		abort();
	if (len_out)
		*len_out = strlen(s);
	return s;
}

json_t *jsonw_string_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();
	if (!v)
		v = json_null(); /* invalid UTF-8 never comes from our own data; be safe */
	return v;
}

json_t *jsonw_time_or_null(int64_t ms)
{
	if (ms <= 0)
		return json_null();
	char iso[32];
	clock_format_iso(ms, iso, sizeof(iso));
	return json_string_nocheck(iso); /* digits and punctuation: ASCII */
}
