/* The one error vocabulary shared by every layer. A fallible function returns int: 0 is OK,
 * otherwise an enum err_code; the detail (stable machine key such as "INVALID_PHONE", a human
 * message, the offending field) goes into the struct err passed as its last parameter, written
 * once where the fault is known. api/ maps codes to HTTP statuses in exactly one table. */
#ifndef PIXELS_CORE_ERR_H
#define PIXELS_CORE_ERR_H

#include <stddef.h>

enum err_code {
	ERR_OK = 0,
	ERR_INVALID,       /* bad input: 400 */
	ERR_AUTH,          /* missing or wrong credentials: 401 */
	ERR_FORBIDDEN,     /* authenticated but not allowed: 403 */
	ERR_NOT_FOUND,     /* 404 */
	ERR_METHOD,        /* known path, wrong method: 405 */
	ERR_CONFLICT,      /* duplicate or state conflict: 409 */
	ERR_TOO_LARGE,     /* body over the limit: 413 */
	ERR_UNPROCESSABLE, /* well-formed but refused by a rule: 422 */
	ERR_LIMIT,         /* rate limit or lockout: 429 */
	ERR_INTERNAL,      /* 500, no internals shown */
	ERR_UPSTREAM,      /* Meta or another upstream failed: 502 */
	ERR_UNAVAILABLE,   /* overloaded or database down: 503 */
};

struct err {
	enum err_code code;
	char key[48];      /* stable machine code, e.g. "INVALID_CREDENTIALS" */
	char message[512]; /* human text; never contains a secret */
	char field[64];    /* offending field for VALIDATION_ERROR, else "" */
	int retry_after_s; /* for ERR_LIMIT / ERR_UNAVAILABLE; 0 = none */
};

/* Clears e (may be NULL). */
void err_clear(struct err *e);
/* Records an error and returns code so callers can `return err_set(...)`. e may be NULL.
 * The first error written wins: later calls on an already-set err only return code. */
int err_set(struct err *e, enum err_code code, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* VALIDATION_ERROR naming field; message like "email: must be a valid email address". */
int err_field(struct err *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Name of a code for logs ("ERR_NOT_FOUND"). */
const char *err_code_name(enum err_code code);

#endif
