/* Meta fixtures; see meta_fixtures.h. */
#include "meta_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#define META_FIXTURE_MAX (1 << 20)

char *meta_fixture_read(const char *name, size_t *len)
{
	const char *root = getenv("PIXELS_SOURCE_DIR");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/fixtures/meta/%s", root, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *data = malloc(META_FIXTURE_MAX);
	assert_non_null(data);
	size_t n = fread(data, 1, META_FIXTURE_MAX - 1, f);
	data[n] = '\0';
	fclose(f);
	if (len)
		*len = n;
	return data;
}
