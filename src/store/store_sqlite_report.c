/* SQLite delivery report: outbound messages of one account counted per UTC day and status,
 * and the most frequent error codes of the failed ones. Both queries walk the
 * (account_id, created_at) index over the requested range and read one snapshot. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define REPORT_TOP_ERRORS 5

/* ?1 account, ?2 since, ?3 until (0 = open), ?4 phone_number_id (NULL = every number). */
#define REPORT_FILTER                                                                              \
	"WHERE account_id = ?1 AND created_at >= ?2 AND (?3 = 0 OR created_at < ?3) "              \
	"AND direction = 'out' AND (?4 IS NULL OR phone_number_id = ?4)"

static bool bind_range(sqlite3_stmt *st, const char *account_id, int64_t since, int64_t until,
                       const char *phone_number_id)
{
	return store_sqlite_bind_text(st, 1, account_id) && store_sqlite_bind_i64(st, 2, since) &&
	       store_sqlite_bind_i64(st, 3, until) &&
	       store_sqlite_bind_text(st, 4, phone_number_id);
}

/* Adds the current (day, status, count) row to *d, first handing a finished day to
 * each_day. *have says whether *d holds a day yet. */
static int add_day_row(sqlite3_stmt *st, struct delivery_day *d, bool *have,
                       void (*each_day)(void *arg, const struct delivery_day *d), void *arg,
                       struct err *e)
{
	char day[sizeof(d->day)], status[16];
	enum msg_status ms;
	if (store_sqlite_column_text(st, 0, day, sizeof(day), e) != 0 ||
	    store_sqlite_column_text(st, 1, status, sizeof(status), e) != 0)
		return ERR_INTERNAL;
	if (store_msg_status_parse(status, &ms) != 0)
		return err_set(e, ERR_INTERNAL, "DATABASE_ERROR", "unknown message status stored");
	if (*have && strcmp(day, d->day) != 0) {
		each_day(arg, d);
		*have = false;
	}
	if (!*have) {
		memset(d, 0, sizeof(*d));
		memcpy(d->day, day, sizeof(day));
		*have = true;
	}
	d->counts[ms] += sqlite3_column_int64(st, 2);
	return 0;
}

static int report_days(struct store_sqlite *q, const char *account_id, int64_t since, int64_t until,
                       const char *phone_number_id,
                       void (*each_day)(void *arg, const struct delivery_day *d), void *arg,
                       struct err *e)
{
	sqlite3_stmt *st;
	struct delivery_day d;
	bool have = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_REPORT_DAYS,
	                            "SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') "
	                            "AS day, status, count(*) FROM messages " REPORT_FILTER
	                            " GROUP BY day, status ORDER BY day, status",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!bind_range(st, account_id, since, until, phone_number_id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = add_day_row(st, &d, &have, each_day, arg, e);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	if (ret == 0 && have)
		each_day(arg, &d);
	return ret;
}

/* Failed messages without an error code (0) are not an error code to rank. */
static int report_errors(struct store_sqlite *q, const char *account_id, int64_t since,
                         int64_t until, const char *phone_number_id,
                         void (*each_error)(void *arg, int code, int64_t count), void *arg,
                         struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_REPORT_ERRORS,
	                            "SELECT error_code, count(*) AS n FROM messages " REPORT_FILTER
	                            " AND status = 'failed' AND error_code <> 0 "
	                            "GROUP BY error_code ORDER BY n DESC, error_code LIMIT ?5",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!bind_range(st, account_id, since, until, phone_number_id) ||
	    !store_sqlite_bind_i64(st, 5, REPORT_TOP_ERRORS))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (rc == SQLITE_ROW) {
		each_error(arg, sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1));
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_report_delivery(struct store *s, const char *account_id, int64_t since,
                                 int64_t until, const char *phone_number_id,
                                 void (*each_day)(void *arg, const struct delivery_day *d),
                                 void (*each_error)(void *arg, int code, int64_t count), void *arg,
                                 struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool outermost = false;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	if (each_day)
		ret = report_days(q, account_id, since, until, phone_number_id, each_day, arg, e);
	if (ret == 0 && each_error)
		ret =
		    report_errors(q, account_id, since, until, phone_number_id, each_error, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}
