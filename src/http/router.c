/* Segment-by-segment pattern matching; see router.h. No allocation, no regex. */
#include "http/router.h"

#include <string.h>

static struct str next_segment(const char **p)
{
	while (**p == '/')
		(*p)++;
	const char *start = *p;
	while (**p && **p != '/')
		(*p)++;
	return (struct str){start, (size_t)(*p - start)};
}

bool router_match(const char *pattern, const char *path, struct router_params *params)
{
	params->count = 0;
	if (path[0] != '/')
		return false;
	const char *pp = pattern, *sp = path;
	for (;;) {
		struct str want = next_segment(&pp);
		struct str got = next_segment(&sp);
		if (want.len == 0 || got.len == 0)
			return want.len == 0 && got.len == 0;
		if (want.ptr[0] == ':') {
			if (params->count == ROUTER_MAX_PARAMS)
				return false;
			params->values[params->count++] = got;
		} else if (!str_eq(want, got)) {
			return false;
		}
	}
}
