/* The data directory on disk: creating it (mkdir -p, mode 0700) and the generated JWT secret
 * file in it. The secret file is written to a temporary name and linked into place, so two
 * processes starting at once end up sharing one secret and nobody reads a half-written file. */
#ifndef PIXELS_CONFIG_DATADIR_H
#define PIXELS_CONFIG_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define DATADIR_SECRET_HEX 64 /* 32 random bytes as lower-case hex */

/* Creates dir and its missing parents with mode 0700 (existing ones are left as they are).
 * Errors: ERR_INTERNAL "DATA_DIR_UNUSABLE" naming the path and the reason. */
int datadir_ensure(const char *dir, struct err *e);
/* Reads the secret stored in dir/name into out (at least DATADIR_SECRET_HEX + 1 bytes), or
 * creates that file with a new random secret (mode 0600). A file readable by group or others
 * is narrowed to 0600 with a warning. *created tells whether this call wrote the file.
 * Errors: ERR_INTERNAL "DATA_DIR_UNUSABLE" (I/O failure, or a file that does not hold exactly
 * 64 hex digits), naming the path; the secret itself is never put in a message or a log. */
int datadir_load_secret(const char *dir, const char *name, char *out, size_t cap, bool *created,
                        struct err *e);

#endif
