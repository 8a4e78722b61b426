/* Phone number normalisation; see phone.h. */
#include "svc/phone.h"

#include <string.h>

#include "core/str.h"

int phone_normalize(const char *in, const char *field, char out[STORE_PHONE_MAX], struct err *e)
{
	size_t n = 0;
	bool bad = in == NULL;
	for (const char *p = in; p && *p && !bad; p++) {
		if (*p == ' ' || *p == '+' || *p == '(' || *p == ')' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n == STORE_PHONE_MAX - 1)
			bad = true;
		else
			out[n++] = *p;
	}
	out[n] = '\0';
	if (bad || n < 8 || n > 15) {
		err_set(e, ERR_INVALID, "INVALID_PHONE",
		        "%s must have 8 to 15 digits, country code first (e.g. +14155550123)",
		        field);
		if (e && e->field[0] == '\0')
			str_copy_cstr(e->field, sizeof(e->field), field);
		return ERR_INVALID;
	}
	return 0;
}
