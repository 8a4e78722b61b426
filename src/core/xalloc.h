/* Allocation that cannot fail: out of memory aborts the process (house-style 4), so every
 * remaining error path in Pixels is a real error. All returned memory is owned by the caller. */
#ifndef PIXELS_CORE_XALLOC_H
#define PIXELS_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Copies of a NUL-terminated string / of the first len bytes (result NUL-terminated). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* printf into a new heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
