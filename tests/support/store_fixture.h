/* Test support for the store suites: picks the backend under test (PIXELS_TEST_STORE_BACKEND,
 * default "sqlite"), gives every test a fresh throw-away database, and holds the few
 * per-backend hooks store.h cannot express (bringing a database to an older schema version,
 * counting raw rows). Suites otherwise talk to the store through store.h only. */
#ifndef PIXELS_TESTS_STORE_FIXTURE_H
#define PIXELS_TESTS_STORE_FIXTURE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ids.h"
#include "store/store.h"

/* One fresh database: its URL and whatever the backend needs to throw it away. */
struct store_fixture_db {
	char dir[PATH_MAX];
	char file[PATH_MAX + 16];
	char url[PATH_MAX + 32];
};

struct store_fixture_backend {
	const char *name;
	void (*fresh)(struct store_fixture_db *db);
	void (*remove)(struct store_fixture_db *db);
	/* The schema version a fully migrated database reports. */
	int (*expected_version)(void);
	/* Applies the embedded migrations numbered up to version to db and records them the
	 * way store_migrate does, through a connection of its own. Fails the test on error. */
	void (*migrate_to)(const struct store_fixture_db *db, int version);
	bool (*table_exists)(const struct store_fixture_db *db, const char *table);
	/* Runs sql, constant text answering one integer (a count), straight on db. */
	int64_t (*count)(const struct store_fixture_db *db, const char *sql);
};

/* Chooses the backend named by PIXELS_TEST_STORE_BACKEND (empty or unset: the first one).
 * Returns 0, or -1 (after printing why) when this build has no backend by that name. Call
 * once from main before the tests run. */
int store_fixture_select(void);
/* The backend store_fixture_select chose; borrowed, static. */
const struct store_fixture_backend *store_fixture_backend(void);

/* Per-test state a cmocka setup puts in *state: a fresh database and an open handle. */
struct store_fixture {
	struct store_fixture_db db;
	struct store *s;
	struct err e;
};

/* cmocka setups: a fresh database with an open handle, unmigrated or fully migrated. The
 * fixture is heap-allocated; store_fixture_teardown closes the handle, removes the database
 * and frees it. */
int store_fixture_setup_empty(void **state);
int store_fixture_setup_migrated(void **state);
int store_fixture_teardown(void **state);
/* A cmocka test entry whose test gets a fresh, fully migrated database in *state. */
#define STORE_FIXTURE_MIGRATED(t)                                                                  \
	cmocka_unit_test_setup_teardown(t, store_fixture_setup_migrated, store_fixture_teardown)

/* Writes a made-up id whose order is known into out: kind keeps ids of different rows
 * apart, n orders them ("%08x%016x"). */
void store_fixture_make_id(char out[IDS_SIZE], unsigned kind, unsigned n);
/* Inserts a fresh active account (new random id) into fx's store and copies it into *a. */
void store_fixture_new_account(struct store_fixture *fx, struct account_row *a);
/* Expands to "count, array" for a list of unsigned literals: the last two arguments of a
 * helper taking (size_t count, const unsigned *want). */
#define STORE_FIXTURE_LIST(...)                                                                    \
	(sizeof((unsigned[]){__VA_ARGS__}) / sizeof(unsigned)), ((const unsigned[]){__VA_ARGS__})

/* Asserts that call returns 0, printing e's key and message otherwise. */
#define STORE_FIXTURE_OK(e, call)                                                                  \
	do {                                                                                       \
		err_clear(e);                                                                      \
		int store_fixture_rc_ = (call);                                                    \
		if (store_fixture_rc_ != 0)                                                        \
			fail_msg("%s -> %d %s: %s", #call, store_fixture_rc_, (e)->key,            \
			         (e)->message);                                                    \
	} while (0)

/* Asserts that call fails with code and e->key want_key. */
#define STORE_FIXTURE_ERR(e, call, code, want_key)                                                 \
	do {                                                                                       \
		err_clear(e);                                                                      \
		assert_int_equal((call), (code));                                                  \
		assert_string_equal((e)->key, (want_key));                                         \
	} while (0)

#endif
