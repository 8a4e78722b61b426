/* SQLite schema migrations: the files embedded from src/store/migrations/sqlite/ are applied
 * in name order, each in its own BEGIN IMMEDIATE transaction that re-reads the recorded
 * version first, so several processes migrating at once apply every file exactly once.
 * A file's number is the leading digits of its name ("0001_init.sql" is 1). */
#include "store/store_sqlite_internal.h"

#include <stdint.h>

#include "core/clock.h"
#include "core/embedded.h"
#include "core/log.h"
#include "core/str.h"

static const char create_version_table[] =
    "CREATE TABLE IF NOT EXISTS schema_version("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

static int migration_number(const char *name, int64_t *out)
{
	size_t n = 0;
	while (name[n] >= '0' && name[n] <= '9')
		n++;
	return str_parse_i64((struct str){name, n}, 1, INT32_MAX, out);
}

static int read_max_version(struct store_sqlite *q, int64_t *version, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_VERSION_MAX,
	                            "SELECT COALESCE(MAX(version), 0) FROM schema_version", &st, e);
	if (ret != 0)
		return ret;
	return store_sqlite_one_i64(q, st, version, e);
}

static int record_version(struct store_sqlite *q, int64_t number, const char *name, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_VERSION_INSERT,
	    "INSERT INTO schema_version(version, name, applied_at) VALUES (?1, ?2, ?3)", &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, number) || !store_sqlite_bind_text(st, 2, name) ||
	    !store_sqlite_bind_i64(st, 3, clock_real_ms()))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

static int run_file(struct store_sqlite *q, const struct embedded_file *f, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(q->db, (const char *)f->data, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return 0;
	int ret = err_set(e, ERR_INTERNAL, "MIGRATION_FAILED", "migration %s failed: %s", f->path,
	                  msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return ret;
}

/* Applies f unless another process recorded it (or a later one) since we last looked. */
static int apply_one(struct store_sqlite *q, const struct embedded_file *f, int64_t number,
                     struct err *e)
{
	int64_t current = 0;
	int ret = store_begin(&q->base, e);
	if (ret != 0)
		return ret;
	ret = read_max_version(q, &current, e);
	if (ret != 0 || current >= number)
		goto cleanup;
	ret = run_file(q, f, e);
	if (ret == 0)
		ret = record_version(q, number, f->path, e);
	if (ret == 0)
		ret = store_commit(&q->base, e);
	if (ret == 0)
		log_info("pixels:store", "applied migration %s", f->path);
cleanup:
	if (ret != 0 || current >= number)
		store_rollback(&q->base);
	return ret;
}

int store_sqlite_migrate_run(struct store *s, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	int rc = sqlite3_exec(q->db, create_version_table, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(q, rc, NULL, e);
	int64_t recorded = 0;
	int ret = read_max_version(q, &recorded, e);
	int64_t previous = 0;
	for (size_t i = 0; ret == 0 && i < sqlite_migrations_count; i++) {
		const struct embedded_file *f = &sqlite_migrations[i];
		int64_t number = 0;
		if (migration_number(f->path, &number) != 0 || number <= previous)
			return err_set(e, ERR_INTERNAL, "MIGRATION_FAILED",
			               "migration %s: the name must start with a number greater "
			               "than the previous file's",
			               f->path);
		previous = number;
		if (number > recorded)
			ret = apply_one(q, f, number, e);
	}
	return ret;
}

int store_sqlite_migrate_version(struct store *s, int *version, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*version = 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_VERSION_TABLE,
	                            "SELECT count(*) FROM sqlite_schema "
	                            "WHERE type = 'table' AND name = 'schema_version'",
	                            &st, e);
	if (ret != 0)
		return ret;
	int rc = sqlite3_step(st);
	bool exists = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
	if (rc != SQLITE_ROW)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	if (ret != 0 || !exists)
		return ret;
	int64_t max = 0;
	ret = read_max_version(q, &max, e);
	if (ret == 0)
		*version = (int)max;
	return ret;
}
