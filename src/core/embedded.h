/* Files compiled into the binary by tools/embed.c: the dashboard (web_assets) and the SQL
 * migrations (sqlite_migrations). Tables end with a {NULL} sentinel; data is NUL-terminated. */
#ifndef PIXELS_CORE_EMBEDDED_H
#define PIXELS_CORE_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *path;          /* relative to its root, e.g. "app.js", "0001_init.sql" */
	const unsigned char *data; /* static, NUL-terminated */
	size_t len;                /* bytes, excluding the terminator */
};

extern const struct embedded_file web_assets[];
extern const size_t web_assets_count;
extern const struct embedded_file sqlite_migrations[];
extern const size_t sqlite_migrations_count;

#endif
