/* The project's Meta fixtures (tests/fixtures/meta, copied from Meta's examples), for the
 * tests that replay them. */
#ifndef PIXELS_TESTS_META_FIXTURES_H
#define PIXELS_TESTS_META_FIXTURES_H

#include <stddef.h>

/* tests/fixtures/meta/<name> under PIXELS_SOURCE_DIR (at most 1 MiB), NUL-terminated; its
 * length goes into *len when len is not NULL. Fails the test when it cannot be read. The
 * caller frees it. */
char *meta_fixture_read(const char *name, size_t *len);

#endif
