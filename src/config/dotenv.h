/* Reader for `.env` files: `KEY=VALUE` lines, optional `export `, `#` comments, single- or
 * double-quoted values (double quotes understand \n \" \\). It only splits lines; which keys
 * matter is the caller's business. Values may be secrets: they are never put in messages. */
#ifndef PIXELS_CONFIG_DOTENV_H
#define PIXELS_CONFIG_DOTENV_H

#include "core/err.h"

#define DOTENV_LINE_MAX 8192
#define DOTENV_MAX_LINES 10000

/* Reads path and calls fn once per assignment, in file order, with the key, the unquoted
 * value and the 1-based line number. key and value are borrowed until fn returns. A non-zero
 * return from fn stops reading and is returned (fn writes e itself). A missing file is not an
 * error (returns 0 without calling fn). Errors: ERR_INVALID "CONFIG_INVALID" naming the file
 * and line for a line that does not parse, an overlong line or file, or an unreadable file. */
int dotenv_read(const char *path,
                int (*fn)(void *arg, const char *key, const char *value, int line), void *arg,
                struct err *e);

#endif
