/* The SQLite backend of struct store (store.h): one sqlite3 connection per handle, WAL with
 * synchronous=FULL so a returned commit is durable, foreign keys on, prepared statements only.
 * Callers normally go through store_open("sqlite:PATH"); this header is for store.c and for
 * tests that need to look at the connection itself. */
#ifndef PIXELS_STORE_STORE_SQLITE_H
#define PIXELS_STORE_STORE_SQLITE_H

#include "core/err.h"
#include "store/store.h"

struct sqlite3;

/* Opens (creating if missing) the database file at path and applies the connection PRAGMAs
 * (a 5 s busy wait, journal_mode=WAL, synchronous=FULL, foreign_keys=ON). The directory
 * must exist. On success *out is a new handle the caller releases with store_close; use it
 * from one thread only. Errors: ERR_UNAVAILABLE "DATABASE_UNAVAILABLE" (cannot open, not a
 * database, WAL refused) naming path and sqlite's reason; ERR_UNAVAILABLE "DATABASE_BUSY". */
int store_sqlite_open(const char *path, struct store **out, struct err *e);
/* The connection behind a handle store_sqlite_open returned; borrowed for the handle's
 * lifetime. For tests and diagnostics only: never run writes through it. */
struct sqlite3 *store_sqlite_connection(struct store *s);

#endif
