/* The one id type: 24 lower-case hex characters (12 bytes: 6 of unix-ms time, 6 random), the
 * same shape as the original system's ObjectIds, sortable by creation time, unique across
 * several pixels instances without coordination; ids of the same millisecond made by one
 * process increase in creation order (see ids.c). Stored as text in every backend. */
#ifndef PIXELS_CORE_IDS_H
#define PIXELS_CORE_IDS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

#define IDS_LEN 24
#define IDS_SIZE (IDS_LEN + 1)

/* Writes a new id for time now_ms into out (IDS_SIZE bytes). */
void ids_new(int64_t now_ms, char out[IDS_SIZE]);
/* Is s exactly 24 lower-case hex characters? */
bool ids_is_valid(struct str s);

#endif
