/* Conformance suite for struct store (store/store.h): every backend must pass it unchanged.
 * Tests talk to the store through store.h only; the few things store.h cannot show (the
 * connection's durability settings, the schema_version rows) go through a per-backend hook
 * table. PIXELS_TEST_STORE_BACKEND picks the backend (default "sqlite": a fresh database file
 * in a new mkdtemp directory for every test). */
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

static void fill_user(struct user_row *u, const char *account_id, const char *email)
{
	memset(u, 0, sizeof(*u));
	ids_new(clock_real_ms(), u->id);
	str_copy_cstr(u->account_id, sizeof(u->account_id), account_id);
	str_copy_cstr(u->email, sizeof(u->email), email);
	str_copy_cstr(u->name, sizeof(u->name), "Ada O'Brien");
	str_copy_cstr(u->password_hash, sizeof(u->password_hash), "$argon2id$v=19$m=65536$x$y");
	u->role = USER_ROLE_ADMIN;
	u->created_at = u->updated_at = 1700000000001;
}

static void new_user(struct fx *fx, const char *account_id, struct user_row *u)
{
	char email[STORE_EMAIL_MAX];
	char id[IDS_SIZE];
	ids_new(clock_real_ms(), id);
	snprintf(email, sizeof(email), "user-%s@acme.test", id);
	fill_user(u, account_id, email);
	CONF_OK(&fx->e, store_user_insert(fx->s, u, &fx->e));
}

static void fill_session(struct session_row *r, const char *account_id, const char *user_id)
{
	memset(r, 0, sizeof(*r));
	ids_new(clock_real_ms(), r->id);
	str_copy_cstr(r->account_id, sizeof(r->account_id), account_id);
	str_copy_cstr(r->user_id, sizeof(r->user_id), user_id);
	sec_random_hex(32, r->token_hash);
	r->created_at = 1700000000002;
	r->expires_at = 1700086400002;
	str_copy_cstr(r->ip, sizeof(r->ip), "203.0.113.7");
	str_copy_cstr(r->user_agent, sizeof(r->user_agent), "Mozilla/5.0 (conformance)");
}

static void new_session(struct fx *fx, const char *account_id, const char *user_id,
                        struct session_row *r)
{
	fill_session(r, account_id, user_id);
	CONF_OK(&fx->e, store_session_insert(fx->s, r, &fx->e));
}

static struct session_row find_session(struct fx *fx, const char *hash)
{
	struct session_row r;
	bool found = false;
	CONF_OK(&fx->e, store_session_find_by_hash(fx->s, hash, &r, &found, &fx->e));
	assert_true(found);
	return r;
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

/* ---- accounts -------------------------------------------------------------------------- */

static void test_accounts(void **state)
{
	struct fx *fx = *state;
	struct account_row a, got;
	new_account(fx, &a);
	CONF_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));
	assert_string_equal(got.id, a.id);
	assert_string_equal(got.name, a.name);
	assert_string_equal(got.email, a.email);
	assert_int_equal(got.status, ACCOUNT_STATUS_ACTIVE);
	assert_int_equal(got.created_at, a.created_at);
	assert_int_equal(got.deleted_at, 0);
	CONF_ERR(&fx->e, store_account_insert(fx->s, &a, &fx->e), ERR_CONFLICT, "ID_EXISTS");

	CONF_OK(&fx->e, store_account_set_status(fx->s, a.id, ACCOUNT_STATUS_SUSPENDED,
	                                         1800000000000, &fx->e));
	CONF_OK(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e));
	assert_int_equal(got.status, ACCOUNT_STATUS_SUSPENDED);
	assert_int_equal(got.updated_at, 1800000000000);

	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	CONF_ERR(&fx->e, store_account_get(fx->s, missing, &got, &fx->e), ERR_NOT_FOUND,
	         "ACCOUNT_NOT_FOUND");
	CONF_ERR(&fx->e, store_account_set_status(fx->s, missing, ACCOUNT_STATUS_ACTIVE, 1, &fx->e),
	         ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND");

	CONF_OK(&fx->e, store_account_soft_delete(fx->s, a.id, 1900000000000, &fx->e));
	CONF_ERR(&fx->e, store_account_get(fx->s, a.id, &got, &fx->e), ERR_NOT_FOUND,
	         "ACCOUNT_NOT_FOUND");
	CONF_ERR(&fx->e, store_account_soft_delete(fx->s, a.id, 1900000000001, &fx->e),
	         ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND");
	CONF_ERR(&fx->e, store_account_set_status(fx->s, a.id, ACCOUNT_STATUS_ACTIVE, 1, &fx->e),
	         ERR_NOT_FOUND, "ACCOUNT_NOT_FOUND");
}

/* ---- users ------------------------------------------------------------------------------ */

static void assert_same_user(const struct user_row *got, const struct user_row *want)
{
	assert_string_equal(got->id, want->id);
	assert_string_equal(got->account_id, want->account_id);
	assert_string_equal(got->email, want->email);
	assert_string_equal(got->name, want->name);
	assert_string_equal(got->password_hash, want->password_hash);
	assert_int_equal(got->role, want->role);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

static void test_users_insert_and_find(void **state)
{
	struct fx *fx = *state;
	struct account_row a, b;
	struct user_row u, dup, got;
	bool found = true;
	new_account(fx, &a);
	new_account(fx, &b);
	fill_user(&u, a.id, "o'brien+1@acme.test");
	CONF_OK(&fx->e, store_user_insert(fx->s, &u, &fx->e));

	fill_user(&dup, b.id, u.email);
	CONF_ERR(&fx->e, store_user_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "EMAIL_EXISTS");

	CONF_OK(&fx->e, store_user_find_by_email(fx->s, u.email, &got, &found, &fx->e));
	assert_true(found);
	assert_same_user(&got, &u);
	CONF_OK(&fx->e, store_user_find_by_email(fx->s, "nobody@acme.test", &got, &found, &fx->e));
	assert_false(found);

	CONF_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_same_user(&got, &u);
	CONF_ERR(&fx->e, store_user_get(fx->s, b.id, u.id, &got, &fx->e), ERR_NOT_FOUND,
	         "USER_NOT_FOUND");

	char missing[IDS_SIZE];
	ids_new(clock_real_ms(), missing);
	fill_user(&dup, missing, "orphan@acme.test");
	CONF_ERR(&fx->e, store_user_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "REFERENCE_MISSING");
}

static void test_users_updates_are_scoped(void **state)
{
	struct fx *fx = *state;
	struct account_row a, b;
	struct user_row u, other, got;
	new_account(fx, &a);
	new_account(fx, &b);
	new_user(fx, a.id, &u);
	new_user(fx, b.id, &other);

	CONF_ERR(&fx->e, store_user_update_password(fx->s, b.id, u.id, "$argon2id$evil", 5, &fx->e),
	         ERR_NOT_FOUND, "USER_NOT_FOUND");
	CONF_ERR(&fx->e,
	         store_user_update_profile(fx->s, b.id, u.id, "Mallory", "m@evil.test", 5, &fx->e),
	         ERR_NOT_FOUND, "USER_NOT_FOUND");
	CONF_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_same_user(&got, &u);

	CONF_OK(&fx->e, store_user_update_password(fx->s, a.id, u.id, "$argon2id$new", 7, &fx->e));
	CONF_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_string_equal(got.password_hash, "$argon2id$new");
	assert_int_equal(got.updated_at, 7);

	CONF_OK(&fx->e,
	        store_user_update_profile(fx->s, a.id, u.id, "Ada L", "ada@acme.test", 8, &fx->e));
	CONF_OK(&fx->e, store_user_update_profile(fx->s, a.id, u.id, NULL, NULL, 9, &fx->e));
	CONF_OK(&fx->e, store_user_get(fx->s, a.id, u.id, &got, &fx->e));
	assert_string_equal(got.name, "Ada L");
	assert_string_equal(got.email, "ada@acme.test");
	assert_string_equal(got.password_hash, "$argon2id$new");
	assert_int_equal(got.updated_at, 9);

	CONF_ERR(
	    &fx->e,
	    store_user_update_profile(fx->s, b.id, other.id, NULL, "ada@acme.test", 10, &fx->e),
	    ERR_CONFLICT, "EMAIL_EXISTS");
}

static void test_user_count(void **state)
{
	struct fx *fx = *state;
	struct account_row a;
	struct user_row u;
	int64_t n = -1;
	CONF_OK(&fx->e, store_user_count(fx->s, &n, &fx->e));
	assert_int_equal(n, 0);
	new_account(fx, &a);
	new_user(fx, a.id, &u);
	new_user(fx, a.id, &u);
	CONF_OK(&fx->e, store_user_count(fx->s, &n, &fx->e));
	assert_int_equal(n, 2);
}

/* ---- sessions ------------------------------------------------------------------------- */

static void test_sessions_insert_find_revoke(void **state)
{
	struct fx *fx = *state;
	struct account_row a, b;
	struct user_row u;
	struct session_row r, got;
	bool found = true;
	new_account(fx, &a);
	new_account(fx, &b);
	new_user(fx, a.id, &u);
	new_session(fx, a.id, u.id, &r);

	got = find_session(fx, r.token_hash);
	assert_string_equal(got.id, r.id);
	assert_string_equal(got.account_id, a.id);
	assert_string_equal(got.user_id, u.id);
	assert_string_equal(got.token_hash, r.token_hash);
	assert_int_equal(got.created_at, r.created_at);
	assert_int_equal(got.expires_at, r.expires_at);
	assert_int_equal(got.revoked_at, 0);
	assert_string_equal(got.ip, r.ip);
	assert_string_equal(got.user_agent, r.user_agent);

	char other_hash[SEC_SHA256_HEX];
	sec_random_hex(32, other_hash);
	CONF_OK(&fx->e, store_session_find_by_hash(fx->s, other_hash, &got, &found, &fx->e));
	assert_false(found);

	CONF_ERR(&fx->e, store_session_revoke(fx->s, b.id, r.id, 100, &fx->e), ERR_NOT_FOUND,
	         "SESSION_NOT_FOUND");
	assert_int_equal(find_session(fx, r.token_hash).revoked_at, 0);

	CONF_OK(&fx->e, store_session_revoke(fx->s, a.id, r.id, 100, &fx->e));
	assert_int_equal(find_session(fx, r.token_hash).revoked_at, 100);
	CONF_OK(&fx->e, store_session_revoke(fx->s, a.id, r.id, 200, &fx->e));
	assert_int_equal(find_session(fx, r.token_hash).revoked_at, 100);

	struct session_row dup;
	fill_session(&dup, a.id, u.id);
	str_copy_cstr(dup.token_hash, sizeof(dup.token_hash), r.token_hash);
	CONF_ERR(&fx->e, store_session_insert(fx->s, &dup, &fx->e), ERR_CONFLICT, "SESSION_EXISTS");
	/* A session must name a user of its own account. */
	fill_session(&dup, b.id, u.id);
	CONF_ERR(&fx->e, store_session_insert(fx->s, &dup, &fx->e), ERR_CONFLICT,
	         "REFERENCE_MISSING");
}

static void test_sessions_revoke_user(void **state)
{
	struct fx *fx = *state;
	struct account_row a, b;
	struct user_row u, v;
	struct session_row s1, s2, keep, other;
	new_account(fx, &a);
	new_account(fx, &b);
	new_user(fx, a.id, &u);
	new_user(fx, a.id, &v);
	new_session(fx, a.id, u.id, &s1);
	new_session(fx, a.id, u.id, &s2);
	new_session(fx, a.id, u.id, &keep);
	new_session(fx, a.id, v.id, &other);

	CONF_OK(&fx->e, store_session_revoke_user(fx->s, b.id, u.id, NULL, 50, &fx->e));
	assert_int_equal(find_session(fx, s1.token_hash).revoked_at, 0);

	CONF_OK(&fx->e, store_session_revoke(fx->s, a.id, s2.id, 40, &fx->e));
	CONF_OK(&fx->e, store_session_revoke_user(fx->s, a.id, u.id, keep.id, 60, &fx->e));
	assert_int_equal(find_session(fx, s1.token_hash).revoked_at, 60);
	assert_int_equal(find_session(fx, s2.token_hash).revoked_at, 40);
	assert_int_equal(find_session(fx, keep.token_hash).revoked_at, 0);
	assert_int_equal(find_session(fx, other.token_hash).revoked_at, 0);

	CONF_OK(&fx->e, store_session_revoke_user(fx->s, a.id, u.id, NULL, 70, &fx->e));
	assert_int_equal(find_session(fx, keep.token_hash).revoked_at, 70);
	assert_int_equal(find_session(fx, s1.token_hash).revoked_at, 60);
	assert_int_equal(find_session(fx, other.token_hash).revoked_at, 0);
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

static void test_enum_names(void **state)
{
	(void)state;
	enum account_status st;
	enum user_role role;
	assert_string_equal(store_account_status_name(ACCOUNT_STATUS_ACTIVE), "active");
	assert_string_equal(store_account_status_name(ACCOUNT_STATUS_SUSPENDED), "suspended");
	assert_int_equal(store_account_status_parse("suspended", &st), 0);
	assert_int_equal(st, ACCOUNT_STATUS_SUSPENDED);
	assert_int_equal(store_account_status_parse("Active", &st), -1);
	assert_string_equal(store_user_role_name(USER_ROLE_OWNER), "owner");
	assert_string_equal(store_user_role_name(USER_ROLE_ADMIN), "admin");
	assert_string_equal(store_user_role_name(USER_ROLE_AGENT), "agent");
	assert_int_equal(store_user_role_parse("agent", &role), 0);
	assert_int_equal(role, USER_ROLE_AGENT);
	assert_int_equal(store_user_role_parse("root", &role), -1);
	assert_int_equal(store_user_role_parse(NULL, &role), -1);
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
	    cmocka_unit_test_setup_teardown(test_accounts, setup_migrated, teardown),
	    cmocka_unit_test_setup_teardown(test_users_insert_and_find, setup_migrated, teardown),
	    cmocka_unit_test_setup_teardown(test_users_updates_are_scoped, setup_migrated,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_user_count, setup_migrated, teardown),
	    cmocka_unit_test_setup_teardown(test_sessions_insert_find_revoke, setup_migrated,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_sessions_revoke_user, setup_migrated, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions, setup_migrated, teardown),
	    cmocka_unit_test(test_enum_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
