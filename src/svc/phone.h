/* Phone numbers as Pixels stores and sends them: digits only, 8 to 15 of them (E.164 without
 * the '+'). Spaces, '+', '(', ')' and '-' are removed first, as the original system did. */
#ifndef PIXELS_SVC_PHONE_H
#define PIXELS_SVC_PHONE_H

#include "core/err.h"
#include "store/store.h"

/* Normalises in into out. Errors: ERR_INVALID "INVALID_PHONE" naming field ("phone must have
 * 8 to 15 digits (country code first), e.g. +14155550123"). */
int phone_normalize(const char *in, const char *field, char out[STORE_PHONE_MAX], struct err *e);

#endif
