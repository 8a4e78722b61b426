/* The SQLite backend: opening a connection with the PRAGMAs durability depends on, the
 * prepared-statement cache, error mapping, transactions and the ops table. The operations
 * themselves live in store_sqlite_migrate.c, _auth.c, _sessions.c, _tokens.c, _audit.c,
 * _contacts.c and, for WhatsApp, _numbers.c, _conversations.c, _messages.c, _claim.c,
 * _dispatch.c, _report.c and _inbox.c.
 * Every statement is constant text with bound values; a handle is never shared by threads. */
#include "store/store_sqlite.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "store/store_sqlite_internal.h"

#define STORE_SQLITE_BUSY_TIMEOUT_MS 5000
#define STORE_SQLITE_WAL_RETRY_MS 5

static void store_sqlite_rollback(struct store *s);

int store_sqlite_stmt(struct store_sqlite *q, enum store_sqlite_stmt id, const char *sql,
                      sqlite3_stmt **out, struct err *e)
{
	*out = NULL;
	if (!q->stmts[id]) {
		int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		                            &q->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			int ret = store_sqlite_fail(q, rc, NULL, e);
			sqlite3_finalize(q->stmts[id]);
			q->stmts[id] = NULL;
			return ret;
		}
	}
	*out = q->stmts[id];
	return 0;
}

void store_sqlite_done(sqlite3_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int constraint_fail(int rc, const char *unique_key, const char *msg, struct err *e)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
		return err_set(e, ERR_CONFLICT, unique_key ? unique_key : "ALREADY_EXISTS",
		               "already exists (%s)", msg);
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return err_set(e, ERR_CONFLICT, "ID_EXISTS", "id already exists (%s)", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return err_set(e, ERR_CONFLICT, "REFERENCE_MISSING",
		               "a referenced row does not exist (%s)", msg);
	default:
		return err_set(e, ERR_CONFLICT, "CONSTRAINT_VIOLATION", "constraint violated (%s)",
		               msg);
	}
}

int store_sqlite_fail(struct store_sqlite *q, int rc, const char *unique_key, struct err *e)
{
	const char *msg = sqlite3_errmsg(q->db);
	bool fresh = e && e->code == ERR_OK;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		err_set(e, ERR_UNAVAILABLE, "DATABASE_BUSY", "the database is busy: %s", msg);
		if (fresh)
			e->retry_after_s = 1;
		return ERR_UNAVAILABLE;
	case SQLITE_CONSTRAINT:
		return constraint_fail(rc, unique_key, msg, e);
	default:
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "database error: %s", msg);
	}
}

int store_sqlite_exec_stmt(struct store_sqlite *q, sqlite3_stmt *st, const char *unique_key,
                           struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = store_sqlite_fail(q, rc, unique_key, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_exec_update(struct store_sqlite *q, sqlite3_stmt *st, const char *unique_key,
                             const char *not_found_key, const char *not_found_msg, struct err *e)
{
	int ret = store_sqlite_exec_stmt(q, st, unique_key, e);
	if (ret == 0 && sqlite3_changes(q->db) == 0)
		ret = err_set(e, ERR_NOT_FOUND, not_found_key, "%s", not_found_msg);
	return ret;
}

int store_sqlite_bind_fail(struct store_sqlite *q, sqlite3_stmt *st, struct err *e)
{
	int ret = store_sqlite_fail(q, sqlite3_errcode(q->db), NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_column_text(sqlite3_stmt *st, int col, char *dst, size_t cap, struct err *e)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	int bytes = sqlite3_column_bytes(st, col);
	struct str v = {text ? (const char *)text : "", text && bytes > 0 ? (size_t)bytes : 0};
	if (str_copy(dst, cap, v) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR",
		               "column %s holds %d bytes, more than the %zu allowed",
		               sqlite3_column_name(st, col), bytes, cap - 1);
	return 0;
}

int store_sqlite_each_row(struct store_sqlite *q, sqlite3_stmt *st,
                          int (*row)(void *arg, sqlite3_stmt *st, struct err *e), void *arg,
                          struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = row(arg, st, e);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_one_i64(struct store_sqlite *q, sqlite3_stmt *st, int64_t *out, struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_too_long(const char *field, struct err *e)
{
	return err_set(e, ERR_INVALID, "VALUE_TOO_LONG", "%s is too long to store", field);
}

int store_sqlite_savepoint(struct store_sqlite *q, bool *outermost, struct err *e)
{
	sqlite3_stmt *st;
	*outermost = sqlite3_get_autocommit(q->db) != 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_SAVEPOINT, "SAVEPOINT store_op", &st, e);
	return ret != 0 ? ret : store_sqlite_exec_stmt(q, st, NULL, e);
}

/* Runs one savepoint control statement, ignoring failures: used on paths already failing. */
static void savepoint_quiet(struct store_sqlite *q, enum store_sqlite_stmt id, const char *sql)
{
	sqlite3_stmt *st;
	if (store_sqlite_stmt(q, id, sql, &st, NULL) == 0)
		store_sqlite_exec_stmt(q, st, NULL, NULL);
}

int store_sqlite_savepoint_end(struct store_sqlite *q, bool outermost, int ret, struct err *e)
{
	sqlite3_stmt *st;
	if (ret == 0) {
		ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_SAVEPOINT_RELEASE, "RELEASE store_op",
		                        &st, e);
		if (ret == 0)
			ret = store_sqlite_exec_stmt(q, st, NULL, e);
		if (ret == 0)
			return 0;
	}
	/* Either may fail when SQLite already rolled the whole transaction back (after
	 * an I/O error, say): then there is nothing left to undo. */
	savepoint_quiet(q, STORE_SQLITE_STMT_SAVEPOINT_ROLLBACK, "ROLLBACK TO store_op");
	savepoint_quiet(q, STORE_SQLITE_STMT_SAVEPOINT_RELEASE, "RELEASE store_op");
	if (outermost)
		store_sqlite_rollback(&q->base);
	return ret;
}

int store_sqlite_write_begin(struct store_sqlite *q, bool *own, struct err *e)
{
	bool outermost = false;
	*own = sqlite3_get_autocommit(q->db) != 0;
	if (*own)
		return store_begin(&q->base, e);
	return store_sqlite_savepoint(q, &outermost, e);
}

int store_sqlite_write_end(struct store_sqlite *q, bool own, int ret, struct err *e)
{
	if (!own)
		return store_sqlite_savepoint_end(q, false, ret, e);
	if (ret == 0)
		ret = store_commit(&q->base, e);
	if (ret != 0)
		store_sqlite_rollback(&q->base);
	return ret;
}

static void store_sqlite_close(struct store *s)
{
	struct store_sqlite *q = store_sqlite_from(s);
	for (size_t i = 0; i < STORE_SQLITE_STMT_COUNT; i++)
		sqlite3_finalize(q->stmts[i]);
	sqlite3_close_v2(q->db);
	free(q);
}

static int store_sqlite_ping(struct store *s, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_PING, "SELECT 1", &st, e);
	if (ret != 0)
		return ret;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

static int store_sqlite_begin(struct store *s, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_BEGIN, "BEGIN IMMEDIATE", &st, e);
	return ret != 0 ? ret : store_sqlite_exec_stmt(q, st, NULL, e);
}

static int store_sqlite_commit(struct store *s, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_COMMIT, "COMMIT", &st, e);
	return ret != 0 ? ret : store_sqlite_exec_stmt(q, st, NULL, e);
}

/* Errors are ignored on purpose: rollback runs on failure paths, and when no transaction is
 * open (it ended in an error SQLite rolled back itself) there is nothing to do. */
static void store_sqlite_rollback(struct store *s)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (sqlite3_get_autocommit(q->db))
		return;
	if (store_sqlite_stmt(q, STORE_SQLITE_STMT_ROLLBACK, "ROLLBACK", &st, NULL) != 0)
		return;
	store_sqlite_exec_stmt(q, st, NULL, NULL);
}

/* Job savepoints use constant SQL through sqlite3_exec: no value is ever bound. */
/* The group-commit writer runs two of these per job: prepared once, not parsed each time. */
static int store_sqlite_job_begin(struct store *s, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_JOB_BEGIN, "SAVEPOINT job", &st, e);
	return ret != 0 ? ret : store_sqlite_exec_stmt(q, st, NULL, e);
}

static int store_sqlite_job_end(struct store *s, bool keep, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	if (keep) {
		int ret =
		    store_sqlite_stmt(q, STORE_SQLITE_STMT_JOB_RELEASE, "RELEASE job", &st, e);
		if (ret == 0)
			ret = store_sqlite_exec_stmt(q, st, NULL, e);
		if (ret == 0)
			return 0;
	}
	savepoint_quiet(q, STORE_SQLITE_STMT_JOB_ROLLBACK, "ROLLBACK TO job");
	savepoint_quiet(q, STORE_SQLITE_STMT_JOB_RELEASE, "RELEASE job");
	return keep ? (e && e->code ? e->code : ERR_INTERNAL) : 0;
}

static const struct store_ops store_sqlite_ops = {
    .close = store_sqlite_close,
    .migrate = store_sqlite_migrate_run,
    .schema_version = store_sqlite_migrate_version,
    .ping = store_sqlite_ping,
    .begin = store_sqlite_begin,
    .commit = store_sqlite_commit,
    .rollback = store_sqlite_rollback,
    .job_begin = store_sqlite_job_begin,
    .job_end = store_sqlite_job_end,
    .account_insert = store_sqlite_auth_account_insert,
    .account_get = store_sqlite_auth_account_get,
    .account_set_status = store_sqlite_auth_account_set_status,
    .account_soft_delete = store_sqlite_auth_account_soft_delete,
    .user_insert = store_sqlite_auth_user_insert,
    .user_find_by_email = store_sqlite_auth_user_find_by_email,
    .user_get = store_sqlite_auth_user_get,
    .user_update_password = store_sqlite_auth_user_update_password,
    .user_update_profile = store_sqlite_auth_user_update_profile,
    .user_count = store_sqlite_auth_user_count,
    .session_insert = store_sqlite_sessions_insert,
    .session_find_by_hash = store_sqlite_sessions_find_by_hash,
    .session_revoke = store_sqlite_sessions_revoke,
    .session_revoke_user = store_sqlite_sessions_revoke_user,
    .token_insert = store_sqlite_tokens_insert,
    .token_revoke_all = store_sqlite_tokens_revoke_all,
    .token_find_by_hash = store_sqlite_tokens_find_by_hash,
    .token_find_current = store_sqlite_tokens_find_current,
    .token_touch = store_sqlite_tokens_touch,
    .token_ip_remember = store_sqlite_tokens_ip_remember,
    .audit_insert = store_sqlite_audit_insert,
    .audit_list = store_sqlite_audit_list,
    .contact_insert = store_sqlite_contacts_insert,
    .contact_get = store_sqlite_contacts_get,
    .contact_find_by_phone = store_sqlite_contacts_find_by_phone,
    .contact_update = store_sqlite_contacts_update,
    .contact_delete = store_sqlite_contacts_delete,
    .contact_list = store_sqlite_contacts_list,
    .number_insert = store_sqlite_numbers_insert,
    .number_update = store_sqlite_numbers_update,
    .number_delete = store_sqlite_numbers_delete,
    .number_get = store_sqlite_numbers_get,
    .number_find = store_sqlite_numbers_find,
    .number_find_global = store_sqlite_numbers_find_global,
    .number_find_default = store_sqlite_numbers_find_default,
    .number_set_default = store_sqlite_numbers_set_default,
    .number_list = store_sqlite_numbers_list,
    .number_set_status = store_sqlite_numbers_set_status,
    .conversation_insert = store_sqlite_conversations_insert,
    .conversation_touch_outbound = store_sqlite_conversations_touch_outbound,
    .conversation_find = store_sqlite_conversations_find,
    .conversation_get = store_sqlite_conversations_get,
    .conversation_update = store_sqlite_conversations_update,
    .conversation_list = store_sqlite_conversations_list,
    .message_insert = store_sqlite_messages_insert,
    .message_get = store_sqlite_messages_get,
    .message_find_by_wamid = store_sqlite_messages_find_by_wamid,
    .message_list = store_sqlite_messages_list,
    .message_events = store_sqlite_messages_events,
    .message_claim_numbers = store_sqlite_claim_numbers,
    .message_record_send = store_sqlite_dispatch_record_send,
    .message_apply_status = store_sqlite_dispatch_apply_status,
    .message_requeue_inflight = store_sqlite_dispatch_requeue_inflight,
    .message_delivery_report = store_sqlite_report_delivery,
    .idem_find = store_sqlite_inbox_idem_find,
    .idem_insert = store_sqlite_inbox_idem_insert,
    .idem_set_response = store_sqlite_inbox_idem_set_response,
    .inbox_insert = store_sqlite_inbox_insert,
    .inbox_fetch = store_sqlite_inbox_fetch,
    .inbox_mark_done = store_sqlite_inbox_mark_done,
    .inbox_purge = store_sqlite_inbox_purge,
    .message_fail_queued = store_sqlite_message_fail_queued,
    .template_event_insert = store_sqlite_inbox_template_event_insert,
    .template_insert = store_sqlite_templates_insert,
    .template_get = store_sqlite_templates_get,
    .template_find_by_name = store_sqlite_templates_find_by_name,
    .template_find_meta = store_sqlite_templates_find_meta,
    .template_update = store_sqlite_templates_update,
    .template_delete = store_sqlite_templates_delete,
    .template_list = store_sqlite_templates_list,
    .template_counts = store_sqlite_templates_counts,
    .broadcast_insert = store_sqlite_broadcasts_insert,
    .broadcast_get = store_sqlite_broadcasts_get,
    .broadcast_update = store_sqlite_broadcasts_update,
    .broadcast_discard = store_sqlite_broadcasts_discard,
    .broadcast_list = store_sqlite_broadcasts_list,
    .broadcast_list_status = store_sqlite_broadcasts_list_status,
    .broadcast_hold = store_sqlite_broadcasts_hold,
    .broadcast_cancel = store_sqlite_broadcasts_cancel,
    .broadcast_recipient_add = store_sqlite_broadcasts_recipient_add,
    .broadcast_recipients_pending = store_sqlite_broadcasts_recipients_pending,
    .broadcast_recipient_queued = store_sqlite_broadcasts_recipient_queued,
    .broadcast_report = store_sqlite_broadcasts_report,
    .broadcast_daily_usage = store_sqlite_broadcasts_daily_usage,
};

static int open_fail(struct store_sqlite *q, const char *path, int rc, struct err *e)
{
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return store_sqlite_fail(q, rc, NULL, e);
	return err_set(e, ERR_UNAVAILABLE, "DATABASE_UNAVAILABLE", "cannot open database %s: %s",
	               path, q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
}

/* One attempt at switching to WAL; the mode in force is copied into mode. Returns the
 * sqlite result code of the step (SQLITE_ROW on success). */
static int try_wal(struct store_sqlite *q, char *mode, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		str_copy_cstr(mode, cap, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

/* Converting a new file to WAL needs an exclusive lock, and SQLite may answer BUSY at once,
 * without calling its busy handler, while another connection is using the file (two
 * processes opening a fresh database together, as the conformance suite does): so retry
 * here for as long as the busy handler would have waited.
 * journal_mode answers with the mode actually in force: anything but "wal" (a filesystem
 * without shared memory, say) is refused rather than silently running without WAL. */
static int enable_wal(struct store_sqlite *q, const char *path, struct err *e)
{
	char mode[16] = "";
	int64_t deadline_ns = clock_mono_ns() + (int64_t)STORE_SQLITE_BUSY_TIMEOUT_MS * 1000000;
	int rc = try_wal(q, mode, sizeof(mode));
	while ((rc & 0xff) == SQLITE_BUSY && clock_mono_ns() < deadline_ns) {
		sqlite3_sleep(STORE_SQLITE_WAL_RETRY_MS);
		rc = try_wal(q, mode, sizeof(mode));
	}
	if (rc != SQLITE_ROW)
		return open_fail(q, path, rc, e);
	if (strcmp(mode, "wal") != 0)
		return err_set(e, ERR_UNAVAILABLE, "DATABASE_UNAVAILABLE",
		               "cannot open database %s: WAL journal refused (mode %s)", path,
		               mode[0] ? mode : "unknown");
	return 0;
}

/* Waiting for a lock another connection holds (the webhook processor's transaction, say),
 * for up to STORE_SQLITE_BUSY_TIMEOUT_MS in all. SQLite's own busy_timeout sleeps 1, 2, 5,
 * 10, ... 100 ms between tries, so a lock held for 3 ms cost the waiting writer 8 ms and
 * every request in its batch with it; this one tries again every 50 us for the first
 * millisecond, then every 250 us, then every 2 ms. */
static int on_busy(void *arg, int count)
{
	struct store_sqlite *q = arg;
	int64_t now = clock_mono_ns();
	if (count == 0)
		q->busy_since_ns = now;
	int64_t waited = now - q->busy_since_ns;
	if (waited >= (int64_t)STORE_SQLITE_BUSY_TIMEOUT_MS * 1000000)
		return 0;
	long pause_ns = waited < 1000000 ? 50000 : waited < 20000000 ? 250000 : 2000000;
	struct timespec ts = {0, pause_ns};
	nanosleep(&ts, NULL);
	return 1;
}

/* The busy handler comes first: switching to WAL needs a lock another process may hold. */
static int configure(struct store_sqlite *q, const char *path, struct err *e)
{
	sqlite3_extended_result_codes(q->db, 1);
	int rc = sqlite3_busy_handler(q->db, on_busy, q);
	if (rc != SQLITE_OK)
		return open_fail(q, path, rc, e);
	int ret = enable_wal(q, path, e);
	if (ret != 0)
		return ret;
	/* No memory map (mmap_size=0): SQLite drops a connection's whole map at the start of
	 * every read transaction after another connection wrote, so with writes going on each
	 * HTTP thread's read unmapped and remapped the database, and every munmap interrupted
	 * both cores to flush their TLBs (send-message went from 14,300 to 17,000-18,500 req/s
	 * without it; reads of an unchanging database measure the same). Temporary storage in
	 * memory: the writer's per-job savepoints keep a statement journal that otherwise
	 * spilled to a new temporary file (open, write, unlink) whenever a job changed more than
	 * 64 KiB of pages; that cost the send path about 15 %. */
	rc = sqlite3_exec(q->db,
	                  "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
	                  "PRAGMA mmap_size=0; PRAGMA cache_size=-8000; "
	                  "PRAGMA temp_store=MEMORY",
	                  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return open_fail(q, path, rc, e);
	return 0;
}

/* Process-wide, before SQLite's first use: no memory statistics. They keep a global mutex
 * taken on every SQLite allocation of every connection, which the group-commit writer and
 * the HTTP threads' reads contended for (a tenth of the writer's time). Nothing reads them. */
static void configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS,
	               0); /* SQLITE_MISUSE if already initialised: harmless */
	sqlite3_initialize();
}

int store_sqlite_open(const char *path, struct store **out, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_library);
	*out = NULL;
	struct store_sqlite *q = xcalloc(1, sizeof(*q));
	q->base.ops = &store_sqlite_ops;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &q->db, flags, NULL);
	int ret = rc == SQLITE_OK ? configure(q, path, e) : open_fail(q, path, rc, e);
	if (ret != 0) {
		store_sqlite_close(&q->base);
		return ret;
	}
	log_debug("pixels:store", "opened sqlite database %s", path);
	*out = &q->base;
	return 0;
}

struct sqlite3 *store_sqlite_connection(struct store *s)
{
	return store_sqlite_from(s)->db;
}
