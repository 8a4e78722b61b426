/* Error recording; see err.h. First writer wins so the innermost, most precise cause is kept. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int err_set(struct err *e, enum err_code code, const char *key, const char *fmt, ...)
{
	if (!e || e->code != ERR_OK)
		return code;
	e->code = code;
	copy_str(e->key, sizeof(e->key), key ? key : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return code;
}

int err_field(struct err *e, const char *field, const char *fmt, ...)
{
	if (!e || e->code != ERR_OK)
		return ERR_INVALID;
	char detail[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	err_set(e, ERR_INVALID, "VALIDATION_ERROR", "%s: %s", field, detail);
	copy_str(e->field, sizeof(e->field), field);
	return ERR_INVALID;
}

const char *err_code_name(enum err_code code)
{
	static const char *const names[] = {
	    [ERR_OK] = "ERR_OK",
	    [ERR_INVALID] = "ERR_INVALID",
	    [ERR_AUTH] = "ERR_AUTH",
	    [ERR_FORBIDDEN] = "ERR_FORBIDDEN",
	    [ERR_NOT_FOUND] = "ERR_NOT_FOUND",
	    [ERR_METHOD] = "ERR_METHOD",
	    [ERR_CONFLICT] = "ERR_CONFLICT",
	    [ERR_TOO_LARGE] = "ERR_TOO_LARGE",
	    [ERR_UNPROCESSABLE] = "ERR_UNPROCESSABLE",
	    [ERR_LIMIT] = "ERR_LIMIT",
	    [ERR_INTERNAL] = "ERR_INTERNAL",
	    [ERR_UPSTREAM] = "ERR_UPSTREAM",
	    [ERR_UNAVAILABLE] = "ERR_UNAVAILABLE",
	};
	if ((size_t)code >= sizeof(names) / sizeof(names[0]) || !names[code])
		return "ERR_UNKNOWN";
	return names[code];
}
