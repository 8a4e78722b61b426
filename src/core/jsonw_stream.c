/* Parsing a large JSON object without building its large arrays: a scanner finds the byte
 * range of each top-level member (strings and brackets only; jansson checks every value it
 * is given), small members are parsed with jansson at once, and the arrays named "lazy" are
 * kept as ranges whose elements are parsed one at a time, later. */
#include "core/jsonw.h"

#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at the opening quote; returns the byte after the closing one, or NULL. */
static const char *scan_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		else if (*p == '\\')
			return NULL;
		else if (*p == '"')
			return p + 1;
		else if ((unsigned char)*p < 0x20)
			return NULL;
	}
	return NULL;
}

/* p at a value; returns the byte after it, or NULL when strings or brackets do not close or
 * nest deeper than JSONW_MAX_DEPTH (depth counts the levels already open). */
static const char *scan_value(const char *p, const char *end, int depth)
{
	if (p >= end)
		return NULL;
	if (*p == '"')
		return scan_string(p, end);
	if (*p != '{' && *p != '[') { /* a scalar: jansson judges it */
		while (p < end && !strchr(",]} \t\r\n", *p))
			p++;
		return p;
	}
	char stack[JSONW_MAX_DEPTH];
	int n = 0;
	while (p < end) {
		if (*p == '"') {
			p = scan_string(p, end);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[') {
			if (depth + n >= JSONW_MAX_DEPTH)
				return NULL;
			stack[n++] = *p == '{' ? '}' : ']';
		} else if (*p == '}' || *p == ']') {
			if (n == 0 || stack[n - 1] != *p)
				return NULL;
			if (--n == 0)
				return p + 1;
		}
		p++;
	}
	return NULL;
}

static int malformed(struct err *e, const char *what)
{
	return err_set(e, ERR_INVALID, "INVALID_JSON", "Malformed JSON: %s", what);
}

static json_t *load(const char *p, size_t len)
{
	return json_loadb(p, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
}

static int lazy_index(const char *key, const char *const *lazy)
{
	for (int i = 0; lazy && lazy[i]; i++)
		if (strcmp(key, lazy[i]) == 0)
			return i;
	return -1;
}

/* One member: key at p; stores it in out or in spans. Returns the byte after the value. */
static const char *member(const char *p, const char *end, const char *const *lazy,
                          struct jsonw_span *spans, json_t *out, struct err *e)
{
	const char *kend = p < end && *p == '"' ? scan_string(p, end) : NULL;
	json_t *key = kend ? load(p, (size_t)(kend - p)) : NULL;
	const char *v = kend ? skip_ws(kend, end) : NULL;
	if (!json_is_string(key) || v >= end || *v != ':') {
		json_decref(key);
		malformed(e, "expected a member name and ':'");
		return NULL;
	}
	v = skip_ws(v + 1, end);
	const char *vend = scan_value(v, end, 1);
	const char *name = json_string_value(key);
	int li = lazy_index(name, lazy);
	json_t *val = NULL;
	if (!vend)
		malformed(e, "a value does not end or nests too deep");
	else if (json_object_get(out, name) || (li >= 0 && spans[li].p))
		err_set(e, ERR_INVALID, "INVALID_JSON", "Duplicate member '%.60s'", name);
	else if (li >= 0 && *v == '[')
		spans[li] = (struct jsonw_span){v, (size_t)(vend - v)};
	else if ((val = load(v, (size_t)(vend - v))) == NULL)
		malformed(e, "a value is not valid JSON");
	else
		json_object_set_new(out, name, val);
	json_decref(key);
	return e->code ? NULL : vend;
}

int jsonw_parse_object_lazy(const char *data, size_t len, const char *const *lazy,
                            struct jsonw_span *spans, json_t **out, struct err *e)
{
	const char *p = skip_ws(data, data + len), *end = data + len;
	for (int i = 0; lazy && lazy[i]; i++)
		spans[i] = (struct jsonw_span){NULL, 0};
	*out = NULL;
	if (p >= end || *p != '{')
		return err_set(e, ERR_INVALID, "INVALID_JSON",
		               "Request body must be a JSON object");
	json_t *obj = json_object();
	p = skip_ws(p + 1, end);
	bool first = true;
	while (p && p < end && *p != '}') {
		if (!first && *p != ',') {
			p = NULL;
			break;
		}
		p = member(skip_ws(first ? p : p + 1, end), end, lazy, spans, obj, e);
		p = p ? skip_ws(p, end) : NULL;
		first = false;
	}
	if (p && (p >= end || skip_ws(p + 1, end) != end))
		p = NULL;
	if (!p) {
		json_decref(obj);
		return e->code ? (int)e->code : malformed(e, "expected ',' or '}' between members");
	}
	*out = obj;
	return 0;
}

int jsonw_each_element(struct jsonw_span arr, int (*each)(void *arg, json_t *elem, struct err *e),
                       void *arg, struct err *e)
{
	const char *p = arr.p, *end = arr.p + arr.len;
	if (!p || p >= end || *p != '[')
		return malformed(e, "expected an array");
	p = skip_ws(p + 1, end);
	for (bool first = true; p < end && *p != ']'; first = false) {
		if (!first && *p != ',')
			return malformed(e, "expected ',' or ']' between elements");
		const char *v = skip_ws(first ? p : p + 1, end);
		const char *vend = scan_value(v, end, 2);
		json_t *elem = vend ? load(v, (size_t)(vend - v)) : NULL;
		if (!elem)
			return malformed(e, "an element is not valid JSON");
		int rc = each(arg, elem, e);
		json_decref(elem);
		if (rc != 0)
			return rc;
		p = skip_ws(vend, end);
	}
	return p < end ? 0 : malformed(e, "the array does not end");
}
