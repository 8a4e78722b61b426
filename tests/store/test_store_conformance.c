/* Conformance suite for struct store (store/store.h): every backend must pass it unchanged.
 * Opening, migrating, the connection settings and transactions; the domain tables have suites
 * of their own (test_store_accounts.c, ...). Tests talk to the store through store.h only;
 * the few things store.h cannot show (the connection's durability settings, the
 * schema_version rows) go through a per-backend hook table. PIXELS_TEST_STORE_BACKEND picks
 * the backend (default "sqlite": a fresh database file in a new mkdtemp directory for every
 * test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/clock.h"
#include "core/embedded.h"
#include "core/ids.h"
#include "core/sec.h"
#include "core/str.h"
#include "store/store.h"
#include "store/store_sqlite.h"

/* One fresh database: its URL and whatever the backend needs to throw it away. */
struct conf_db {
	char dir[PATH_MAX];
	char file[PATH_MAX + 16];
	char url[PATH_MAX + 32];
};

struct conf_backend {
	const char *name;
	void (*fresh)(struct conf_db *db);
	void (*remove)(struct conf_db *db);
	/* The schema version a fully migrated database reports. */
	int (*expected_version)(void);
	/* Asserts durability settings of the connection behind s. */
	void (*check_settings)(struct store *s, const struct conf_db *db);
	/* Asserts exactly one schema_version row per migration; writes a fingerprint of the
	 * rows (versions, names, applied_at) into out. */
	void (*check_version_rows)(const struct conf_db *db, char *out, size_t cap);
	/* Makes the first migration fail half-way: an object it creates late already exists. */
	void (*break_first_migration)(const struct conf_db *db);
	bool (*table_exists)(const struct conf_db *db, const char *table);
};

#define CONF_OK(e, call)                                                                           \
	do {                                                                                       \
		err_clear(e);                                                                      \
		int conf_rc_ = (call);                                                             \
		if (conf_rc_ != 0)                                                                 \
			fail_msg("%s -> %d %s: %s", #call, conf_rc_, (e)->key, (e)->message);      \
	} while (0)

#define CONF_ERR(e, call, code, want_key)                                                          \
	do {                                                                                       \
		err_clear(e);                                                                      \
		assert_int_equal((call), (code));                                                  \
		assert_string_equal((e)->key, (want_key));                                         \
	} while (0)

/* ---- the SQLite backend's hooks ------------------------------------------------------- */

static void sqlite_fresh(struct conf_db *db)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(db->dir, sizeof(db->dir), "%s/pixels-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(db->dir));
	snprintf(db->file, sizeof(db->file), "%s/pixels.db", db->dir);
	snprintf(db->url, sizeof(db->url), "sqlite:%s", db->file);
}

static void sqlite_remove(struct conf_db *db)
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

static void pragma_is(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
}

/* Another connection holding the write lock for 100 ms once *locked is set. */
struct lock_holder {
	const char *file;
	pthread_mutex_t m;
	pthread_cond_t c;
	bool locked;
};

static void *hold_write_lock(void *arg)
{
	struct lock_holder *h = arg;
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open_v2(h->file, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	pthread_mutex_lock(&h->m);
	h->locked = true;
	pthread_cond_signal(&h->c);
	pthread_mutex_unlock(&h->m);
	struct timespec ts = {0, 100000000};
	nanosleep(&ts, NULL);
	assert_int_equal(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	return NULL;
}

/* foreign_keys, synchronous, mmap_size and temp_store belong to the connection, so they are
 * read from the store's own; journal_mode=WAL is recorded in the file, so a second
 * connection opened straight on the file must see it too. A write lock held elsewhere is
 * waited for (the store's busy handler), not answered with DATABASE_BUSY. */
static void sqlite_check_settings(struct store *s, const struct conf_db *db)
{
	sqlite3 *conn = store_sqlite_connection(s);
	pragma_is(conn, "PRAGMA journal_mode", "wal");
	pragma_is(conn, "PRAGMA foreign_keys", "1");
	pragma_is(conn, "PRAGMA synchronous", "2");
	pragma_is(conn, "PRAGMA mmap_size", "0");
	pragma_is(conn, "PRAGMA temp_store", "2");
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open_v2(db->file, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	pragma_is(raw, "PRAGMA journal_mode", "wal");
	sqlite3_close(raw);

	struct lock_holder h = {.file = db->file};
	pthread_mutex_init(&h.m, NULL);
	pthread_cond_init(&h.c, NULL);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, hold_write_lock, &h), 0);
	pthread_mutex_lock(&h.m);
	while (!h.locked)
		pthread_cond_wait(&h.c, &h.m);
	pthread_mutex_unlock(&h.m);
	struct err e = {0};
	assert_int_equal(store_begin(s, &e), 0); /* BEGIN IMMEDIATE: waits for the holder */
	assert_int_equal(store_commit(s, &e), 0);
	pthread_join(t, NULL);
	pthread_cond_destroy(&h.c);
	pthread_mutex_destroy(&h.m);
}

static void sqlite_check_version_rows(const struct conf_db *db, char *out, size_t cap)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(db->file, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw,
	                                    "SELECT version, name, applied_at FROM schema_version "
	                                    "ORDER BY version",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	size_t i = 0, used = 0;
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(i < sqlite_migrations_count);
		const char *path = sqlite_migrations[i].path;
		assert_int_equal(sqlite3_column_int(st, 0), migration_number(path));
		assert_string_equal((const char *)sqlite3_column_text(st, 1), path);
		assert_true(sqlite3_column_int64(st, 2) > 0);
		used += (size_t)snprintf(out + used, cap - used, "%d:%s:%lld;",
		                         sqlite3_column_int(st, 0), sqlite3_column_text(st, 1),
		                         (long long)sqlite3_column_int64(st, 2));
		assert_true(used < cap);
		i++;
	}
	assert_int_equal(i, sqlite_migrations_count);
	sqlite3_finalize(st);
	sqlite3_close(raw);
}

static void sqlite_break_first_migration(const struct conf_db *db)
{
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open_v2(db->file, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE TABLE sessions(x INTEGER)", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
}

static bool sqlite_table_exists(const struct conf_db *db, const char *table)
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

static const struct conf_backend conf_backends[] = {
    {
        .name = "sqlite",
        .fresh = sqlite_fresh,
        .remove = sqlite_remove,
        .expected_version = sqlite_expected_version,
        .check_settings = sqlite_check_settings,
        .check_version_rows = sqlite_check_version_rows,
        .break_first_migration = sqlite_break_first_migration,
        .table_exists = sqlite_table_exists,
    },
};

static const struct conf_backend *conf;

/* ---- fixtures and row builders ---------------------------------------------------------- */

struct fx {
	struct conf_db db;
	struct store *s;
	struct err e;
};

static int fx_setup(void **state, bool migrate)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	conf->fresh(&fx->db);
	CONF_OK(&fx->e, store_open(fx->db.url, &fx->s, &fx->e));
	if (migrate)
		CONF_OK(&fx->e, store_migrate(fx->s, &fx->e));
	*state = fx;
	return 0;
}

static int setup_empty(void **state)
{
	return fx_setup(state, false);
}

static int setup_migrated(void **state)
{
	return fx_setup(state, true);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	store_close(fx->s);
	conf->remove(&fx->db);
	free(fx);
	return 0;
}

static void new_account(struct fx *fx, struct account_row *a)
{
	memset(a, 0, sizeof(*a));
	ids_new(clock_real_ms(), a->id);
	snprintf(a->name, sizeof(a->name), "Acme %s", a->id);
	snprintf(a->email, sizeof(a->email), "billing-%s@acme.test", a->id);
	a->status = ACCOUNT_STATUS_ACTIVE;
	a->created_at = a->updated_at = 1700000000000;
	CONF_OK(&fx->e, store_account_insert(fx->s, a, &fx->e));
}

/* ---- opening and migrating ---------------------------------------------------------------- */

static void test_open_rejects_other_urls(void **state)
{
	(void)state;
	struct err e;
	struct store *s = (struct store *)&e;
	CONF_ERR(&e, store_open("postgres://u@localhost/pixels", &s, &e), ERR_INVALID,
	         "BACKEND_UNAVAILABLE");
	assert_null(s);
	assert_non_null(strstr(e.message, "sqlite:PATH"));
	CONF_ERR(&e, store_open("postgresql://localhost/pixels", &s, &e), ERR_INVALID,
	         "BACKEND_UNAVAILABLE");
	CONF_ERR(&e, store_open("mysql://localhost/pixels", &s, &e), ERR_INVALID, "CONFIG_INVALID");
	CONF_ERR(&e, store_open("sqlite:", &s, &e), ERR_INVALID, "CONFIG_INVALID");
	CONF_ERR(&e, store_open("/data/pixels.db", &s, &e), ERR_INVALID, "CONFIG_INVALID");
	store_close(NULL);
}

/* SQLite-specific (the fixture's directory): the parent directory is never created. */
static void test_open_missing_directory(void **state)
{
	struct fx *fx = *state;
	struct store *s = NULL;
	char url[PATH_MAX + 64];
	snprintf(url, sizeof(url), "sqlite:%s/no-such-dir/pixels.db", fx->db.dir);
	CONF_ERR(&fx->e, store_open(url, &s, &fx->e), ERR_UNAVAILABLE, "DATABASE_UNAVAILABLE");
	assert_null(s);
	assert_non_null(strstr(fx->e.message, "no-such-dir/pixels.db"));
}

static void test_migrate_from_empty(void **state)
{
	struct fx *fx = *state;
	int v = -1;
	CONF_OK(&fx->e, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, 0);
	CONF_OK(&fx->e, store_migrate(fx->s, &fx->e));
	CONF_OK(&fx->e, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, conf->expected_version());
	char rows[1024];
	conf->check_version_rows(&fx->db, rows, sizeof(rows));
}

static void test_migrate_rerun_is_noop(void **state)
{
	struct fx *fx = *state;
	struct account_row a, got;
	char before[1024], after[1024];
	new_account(fx, &a);
	conf->check_version_rows(&fx->db, before, sizeof(before));
	CONF_OK(&fx->e, store_migrate(fx->s, &fx->e));
	CONF_OK(&fx->e, store_migrate(fx->s, &fx->e));
	conf->check_version_rows(&fx->db, after, sizeof(after));
	assert_string_equal(before, after);
	int v = -1;
	CONF_OK(&fx->e, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, conf->expected_version());
	CONF_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));
}

static void test_migrate_failure_rolls_back(void **state)
{
	struct fx *fx = *state;
	conf->break_first_migration(&fx->db);
	CONF_ERR(&fx->e, store_migrate(fx->s, &fx->e), ERR_INTERNAL, "MIGRATION_FAILED");
	assert_non_null(strstr(fx->e.message, "0001"));
	assert_false(conf->table_exists(&fx->db, "accounts"));
	int v = -1;
	CONF_OK(&fx->e, store_schema_version(fx->s, &v, &fx->e));
	assert_int_equal(v, 0);
	/* The handle is left outside any transaction and still usable. */
	CONF_OK(&fx->e, store_begin(fx->s, &fx->e));
	store_rollback(fx->s);
	CONF_OK(&fx->e, store_ping(fx->s, &fx->e));
}

struct migrate_job {
	const char *url;
	pthread_barrier_t *barrier;
	int rc;
	struct err e;
};

/* Each thread opens its own handle (handles are never shared) and migrates at once. */
static void *migrate_thread(void *arg)
{
	struct migrate_job *job = arg;
	struct store *s = NULL;
	err_clear(&job->e);
	pthread_barrier_wait(job->barrier);
	job->rc = store_open(job->url, &s, &job->e);
	if (job->rc == 0)
		job->rc = store_migrate(s, &job->e);
	store_close(s);
	return NULL;
}

static void test_migrate_concurrently(void **state)
{
	(void)state;
	for (int round = 0; round < 8; round++) {
		struct conf_db db;
		conf->fresh(&db);
		pthread_barrier_t barrier;
		pthread_barrier_init(&barrier, NULL, 2);
		struct migrate_job jobs[2] = {{db.url, &barrier, -1, {0}},
		                              {db.url, &barrier, -1, {0}}};
		pthread_t threads[2];
		for (int i = 0; i < 2; i++)
			assert_int_equal(
			    pthread_create(&threads[i], NULL, migrate_thread, &jobs[i]), 0);
		for (int i = 0; i < 2; i++)
			pthread_join(threads[i], NULL);
		pthread_barrier_destroy(&barrier);
		char rows[1024];
		if (jobs[0].rc == 0 && jobs[1].rc == 0)
			conf->check_version_rows(&db, rows, sizeof(rows));
		conf->remove(&db);
		for (int i = 0; i < 2; i++)
			if (jobs[i].rc != 0)
				fail_msg("round %d thread %d: %s %s", round, i, jobs[i].e.key,
				         jobs[i].e.message);
	}
}

static void test_settings_and_ping(void **state)
{
	struct fx *fx = *state;
	CONF_OK(&fx->e, store_ping(fx->s, &fx->e));
	conf->check_settings(fx->s, &fx->db);
}

/* ---- transactions ------------------------------------------------------------------------ */

static void test_transactions(void **state)
{
	struct fx *fx = *state;
	struct account_row a, got;
	store_rollback(fx->s); /* no transaction open: harmless */

	CONF_OK(&fx->e, store_begin(fx->s, &fx->e));
	new_account(fx, &a);
	CONF_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));
	store_rollback(fx->s);
	CONF_ERR(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e), ERR_NOT_FOUND,
	         "ACCOUNT_NOT_FOUND");

	CONF_OK(&fx->e, store_begin(fx->s, &fx->e));
	new_account(fx, &a);
	CONF_OK(&fx->e, store_commit(fx->s, &fx->e));
	CONF_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));

	/* Committed means visible to every other handle. */
	struct store *second = NULL;
	CONF_OK(&fx->e, store_open(fx->db.url, &second, &fx->e));
	CONF_OK(&fx->e, store_account_get(second, a.id, &got, &fx->e));
	store_close(second);
}

int main(void)
{
	const char *want = getenv("PIXELS_TEST_STORE_BACKEND");
	for (size_t i = 0; i < sizeof(conf_backends) / sizeof(conf_backends[0]); i++)
		if (!want || !*want || strcmp(want, conf_backends[i].name) == 0)
			conf = &conf_backends[i];
	if (!conf) {
		fprintf(stderr, "no store backend named %s in this build\n", want);
		return 1;
	}
	if (sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_rejects_other_urls),
	    cmocka_unit_test_setup_teardown(test_open_missing_directory, setup_empty, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_from_empty, setup_empty, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_rerun_is_noop, setup_migrated, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_failure_rolls_back, setup_empty, teardown),
	    cmocka_unit_test(test_migrate_concurrently),
	    cmocka_unit_test_setup_teardown(test_settings_and_ping, setup_migrated, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions, setup_migrated, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
