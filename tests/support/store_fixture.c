/* Store test fixture: backend selection, fresh databases and the per-backend hooks
 * (store_fixture.h). The SQLite hooks open their own connection on the database file; they
 * never touch a store handle's connection. */
#include "store_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/clock.h"
#include "core/embedded.h"
#include "core/str.h"

/* ---- the SQLite backend's hooks ------------------------------------------------------- */

static void sqlite_fresh(struct store_fixture_db *db)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(db->dir, sizeof(db->dir), "%s/pixels-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(db->dir));
	snprintf(db->file, sizeof(db->file), "%s/pixels.db", db->dir);
	snprintf(db->url, sizeof(db->url), "sqlite:%s", db->file);
}

static void sqlite_remove(struct store_fixture_db *db)
{
	DIR *d = opendir(db->dir);
	assert_non_null(d);
	char path[PATH_MAX + 256];
	for (struct dirent *de = readdir(d); de; de = readdir(d)) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", db->dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	assert_int_equal(rmdir(db->dir), 0);
}

static int migration_number(const char *name)
{
	size_t n = 0;
	while (name[n] >= '0' && name[n] <= '9')
		n++;
	int64_t v = 0;
	assert_int_equal(str_parse_i64((struct str){name, n}, 1, INT32_MAX, &v), 0);
	return (int)v;
}

static int sqlite_expected_version(void)
{
	assert_true(sqlite_migrations_count > 0);
	return migration_number(sqlite_migrations[sqlite_migrations_count - 1].path);
}

static void exec_ok(sqlite3 *raw, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The schema_version table as store_sqlite_migrate.c creates it. */
static void sqlite_migrate_to(const struct store_fixture_db *db, int version)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(db->file, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	exec_ok(raw, "BEGIN IMMEDIATE");
	exec_ok(raw, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, "
	             "name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
	assert_int_equal(sqlite3_prepare_v2(raw,
	                                    "INSERT INTO schema_version(version, name, applied_at) "
	                                    "VALUES (?1, ?2, 1700000000000)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	int applied = 0;
	for (size_t i = 0; i < sqlite_migrations_count; i++) {
		int number = migration_number(sqlite_migrations[i].path);
		if (number > version)
			break;
		exec_ok(raw, (const char *)sqlite_migrations[i].data);
		assert_int_equal(sqlite3_bind_int(st, 1, number), SQLITE_OK);
		assert_int_equal(
		    sqlite3_bind_text(st, 2, sqlite_migrations[i].path, -1, SQLITE_STATIC),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
		applied = number;
	}
	assert_int_equal(applied, version);
	sqlite3_finalize(st);
	exec_ok(raw, "COMMIT");
	sqlite3_close(raw);
}

static int64_t sqlite_count(const struct store_fixture_db *db, const char *sql)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(db->file, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return n;
}

static bool sqlite_table_exists(const struct store_fixture_db *db, const char *table)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(db->file, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw,
	                                    "SELECT count(*) FROM sqlite_schema "
	                                    "WHERE type = 'table' AND name = ?1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	bool exists = sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return exists;
}

static const struct store_fixture_backend backends[] = {
    {
        .name = "sqlite",
        .fresh = sqlite_fresh,
        .remove = sqlite_remove,
        .expected_version = sqlite_expected_version,
        .migrate_to = sqlite_migrate_to,
        .table_exists = sqlite_table_exists,
        .count = sqlite_count,
    },
};

/* Chosen once by store_fixture_select before any test runs; read-only afterwards. */
static const struct store_fixture_backend *selected;

int store_fixture_select(void)
{
	const char *want = getenv("PIXELS_TEST_STORE_BACKEND");
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]) && !selected; i++)
		if (!want || !*want || strcmp(want, backends[i].name) == 0)
			selected = &backends[i];
	if (!selected) {
		fprintf(stderr, "no store backend named %s in this build\n", want);
		return -1;
	}
	return 0;
}

const struct store_fixture_backend *store_fixture_backend(void)
{
	return selected;
}

static int setup(void **state, bool migrate)
{
	struct store_fixture *fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	assert_non_null(selected);
	selected->fresh(&fx->db);
	STORE_FIXTURE_OK(&fx->e, store_open(fx->db.url, &fx->s, &fx->e));
	if (migrate)
		STORE_FIXTURE_OK(&fx->e, store_migrate(fx->s, &fx->e));
	*state = fx;
	return 0;
}

int store_fixture_setup_empty(void **state)
{
	return setup(state, false);
}

int store_fixture_setup_migrated(void **state)
{
	return setup(state, true);
}

int store_fixture_teardown(void **state)
{
	struct store_fixture *fx = *state;
	store_close(fx->s);
	selected->remove(&fx->db);
	free(fx);
	return 0;
}

void store_fixture_make_id(char out[IDS_SIZE], unsigned kind, unsigned n)
{
	snprintf(out, IDS_SIZE, "%08x%016x", kind, n);
}

void store_fixture_new_account(struct store_fixture *fx, struct account_row *a)
{
	memset(a, 0, sizeof(*a));
	ids_new(clock_real_ms(), a->id);
	snprintf(a->name, sizeof(a->name), "Acme %s", a->id);
	snprintf(a->email, sizeof(a->email), "billing-%s@acme.test", a->id);
	a->status = ACCOUNT_STATUS_ACTIVE;
	a->created_at = a->updated_at = 1700000000000;
	STORE_FIXTURE_OK(&fx->e, store_account_insert(fx->s, a, &fx->e));
}
