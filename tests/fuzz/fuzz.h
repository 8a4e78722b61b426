/* Shared by the libFuzzer targets in tests/fuzz: the entry point's prototype and small helpers
 * that turn the fuzzer's byte buffer into the NUL-terminated strings the parsers take.
 * FUZZ_CHECK aborts (a crash libFuzzer reports) and, unlike assert, survives NDEBUG. */
#ifndef PIXELS_TESTS_FUZZ_H
#define PIXELS_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__,      \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* libFuzzer calls this once per input; 0 means the input was processed. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A new NUL-terminated heap copy of data[0..size) (caller frees). Embedded NULs stay, so the
 * string a parser sees may be shorter than size, as it would be from a C caller. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	return xstrndup((const char *)data, size);
}

/* Splits data at its first '\n' into two new NUL-terminated heap strings (caller frees both);
 * without a newline everything goes to *first and *second is "". */
static inline void fuzz_split(const uint8_t *data, size_t size, char **first, char **second)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	*first = xstrndup((const char *)data, n);
	*second = nl ? xstrndup((const char *)nl + 1, size - n - 1) : xstrdup("");
}

#endif
