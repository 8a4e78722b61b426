/* Path pattern matching for the route table. Patterns are literal segments and `:name`
 * parameters ("/api/conversations/:id/messages"); a parameter matches one non-empty segment.
 * The table itself lives in api/ (one readable map of the whole API); this file only matches. */
#ifndef PIXELS_HTTP_ROUTER_H
#define PIXELS_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

#define ROUTER_MAX_PARAMS 4

struct router_params {
	struct str values[ROUTER_MAX_PARAMS]; /* borrowed from the path */
	size_t count;
};

/* Does path match pattern? On a match fills params in pattern order. A trailing slash on
 * path is ignored ("/api/x/" matches "/api/x"). */
bool router_match(const char *pattern, const char *path, struct router_params *params);

#endif
