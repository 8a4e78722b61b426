/* libFuzzer target for http/router: the input up to its first newline is a route pattern, the
 * rest a request path. On a match every parameter is a non-empty run of the path without '/'. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http/router.h"

/* Parameter segments: those starting with ':' right after a '/'. */
static size_t count_params(const char *pattern)
{
	size_t n = 0;
	for (const char *p = strstr(pattern, "/:"); p; p = strstr(p + 2, "/:"))
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pattern = NULL;
	char *path = NULL;
	fuzz_split(data, size, &pattern, &path);
	struct router_params params;
	memset(&params, 0xA5, sizeof(params)); /* garbage in: router_match must reset it */
	bool hit = router_match(pattern, path, &params);
	FUZZ_CHECK(params.count <= ROUTER_MAX_PARAMS);
	if (hit) {
		size_t path_len = strlen(path);
		for (size_t i = 0; i < params.count; i++) {
			struct str v = params.values[i];
			FUZZ_CHECK(v.len > 0 && v.ptr >= path && v.ptr + v.len <= path + path_len);
			FUZZ_CHECK(memchr(v.ptr, '/', v.len) == NULL);
		}
	}
	/* A pattern matches itself written as a path (parameters match their own names) unless
	 * it has more parameters than fit. */
	if (pattern[0] == '/' && count_params(pattern) <= ROUTER_MAX_PARAMS)
		FUZZ_CHECK(router_match(pattern, pattern, &params));
	free(pattern);
	free(path);
	return 0;
}
