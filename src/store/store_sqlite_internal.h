/* Private to the SQLite backend (store_sqlite*.c): the handle struct, the prepared-statement
 * cache and the helpers every operation uses. Each statement id is prepared from exactly one
 * call site, so the SQL text sits next to the code that binds it. Never include this from
 * outside src/store/. */
#ifndef PIXELS_STORE_STORE_SQLITE_INTERNAL_H
#define PIXELS_STORE_STORE_SQLITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store.h"

/* One slot per SQL statement the backend runs; each is used from a single call site. */
enum store_sqlite_stmt {
	STORE_SQLITE_STMT_PING,
	STORE_SQLITE_STMT_BEGIN,
	STORE_SQLITE_STMT_COMMIT,
	STORE_SQLITE_STMT_ROLLBACK,
	STORE_SQLITE_STMT_VERSION_TABLE,
	STORE_SQLITE_STMT_VERSION_MAX,
	STORE_SQLITE_STMT_VERSION_INSERT,
	STORE_SQLITE_STMT_ACCOUNT_INSERT,
	STORE_SQLITE_STMT_ACCOUNT_GET,
	STORE_SQLITE_STMT_ACCOUNT_SET_STATUS,
	STORE_SQLITE_STMT_ACCOUNT_SOFT_DELETE,
	STORE_SQLITE_STMT_USER_INSERT,
	STORE_SQLITE_STMT_USER_FIND_BY_EMAIL,
	STORE_SQLITE_STMT_USER_GET,
	STORE_SQLITE_STMT_USER_UPDATE_PASSWORD,
	STORE_SQLITE_STMT_USER_UPDATE_PROFILE,
	STORE_SQLITE_STMT_USER_COUNT,
	STORE_SQLITE_STMT_SESSION_INSERT,
	STORE_SQLITE_STMT_SESSION_FIND_BY_HASH,
	STORE_SQLITE_STMT_SESSION_REVOKE,
	STORE_SQLITE_STMT_SESSION_REVOKE_USER,
	STORE_SQLITE_STMT_SAVEPOINT,
	STORE_SQLITE_STMT_SAVEPOINT_RELEASE,
	STORE_SQLITE_STMT_SAVEPOINT_ROLLBACK,
	STORE_SQLITE_STMT_JOB_BEGIN,
	STORE_SQLITE_STMT_JOB_RELEASE,
	STORE_SQLITE_STMT_JOB_ROLLBACK,
	STORE_SQLITE_STMT_TOKEN_INSERT,
	STORE_SQLITE_STMT_TOKEN_REVOKE_ALL,
	STORE_SQLITE_STMT_TOKEN_FIND_BY_HASH,
	STORE_SQLITE_STMT_TOKEN_FIND_CURRENT,
	STORE_SQLITE_STMT_TOKEN_TOUCH,
	STORE_SQLITE_STMT_TOKEN_IP_INSERT,
	STORE_SQLITE_STMT_TOKEN_EXISTS,
	STORE_SQLITE_STMT_AUDIT_INSERT,
	STORE_SQLITE_STMT_AUDIT_LIST,
	STORE_SQLITE_STMT_AUDIT_LIST_ACTION,
	STORE_SQLITE_STMT_AUDIT_COUNT,
	STORE_SQLITE_STMT_AUDIT_COUNT_ACTION,
	STORE_SQLITE_STMT_CONTACT_INSERT,
	STORE_SQLITE_STMT_CONTACT_GET,
	STORE_SQLITE_STMT_CONTACT_FIND_BY_PHONE,
	STORE_SQLITE_STMT_CONTACT_UPDATE,
	STORE_SQLITE_STMT_CONTACT_DELETE,
	STORE_SQLITE_STMT_CONTACT_LIST,
	STORE_SQLITE_STMT_CONTACT_COUNT,
	STORE_SQLITE_STMT_CONTACT_TAGS_DELETE,
	STORE_SQLITE_STMT_CONTACT_TAG_INSERT,
	STORE_SQLITE_STMT_CONTACT_TAGS_GET,
	STORE_SQLITE_STMT_NUMBER_INSERT,
	STORE_SQLITE_STMT_NUMBER_CLEAR_DEFAULT,
	STORE_SQLITE_STMT_NUMBER_UPDATE,
	STORE_SQLITE_STMT_NUMBER_DELETE,
	STORE_SQLITE_STMT_NUMBER_GET,
	STORE_SQLITE_STMT_NUMBER_FIND,
	STORE_SQLITE_STMT_NUMBER_FIND_GLOBAL,
	STORE_SQLITE_STMT_NUMBER_FIND_DEFAULT,
	STORE_SQLITE_STMT_NUMBER_SET_DEFAULT,
	STORE_SQLITE_STMT_NUMBER_LIST,
	STORE_SQLITE_STMT_NUMBER_LIST_ALL,
	STORE_SQLITE_STMT_NUMBER_SET_STATUS,
	STORE_SQLITE_STMT_CONVERSATION_INSERT,
	STORE_SQLITE_STMT_CONVERSATION_TOUCH_OUTBOUND,
	STORE_SQLITE_STMT_CONVERSATION_FIND,
	STORE_SQLITE_STMT_CONVERSATION_GET,
	STORE_SQLITE_STMT_CONVERSATION_UPDATE,
	STORE_SQLITE_STMT_CONVERSATION_LIST,
	STORE_SQLITE_STMT_CONVERSATION_COUNT,
	STORE_SQLITE_STMT_CONVERSATION_COUNT_ALL,
	STORE_SQLITE_STMT_MESSAGE_INSERT,
	STORE_SQLITE_STMT_MESSAGE_GET,
	STORE_SQLITE_STMT_MESSAGE_FIND_BY_WAMID,
	STORE_SQLITE_STMT_MESSAGE_LIST_NEWEST,
	STORE_SQLITE_STMT_MESSAGE_LIST_OLDEST,
	STORE_SQLITE_STMT_MESSAGE_LIST_CONV_NEWEST,
	STORE_SQLITE_STMT_MESSAGE_LIST_CONV_OLDEST,
	STORE_SQLITE_STMT_MESSAGE_COUNT,
	STORE_SQLITE_STMT_MESSAGE_COUNT_CONV,
	STORE_SQLITE_STMT_MESSAGE_EVENTS,
	STORE_SQLITE_STMT_MESSAGE_CLAIM_NUMBER,
	STORE_SQLITE_STMT_MESSAGE_EVENT_INSERT,
	STORE_SQLITE_STMT_MESSAGE_APPLY_STATUS,
	STORE_SQLITE_STMT_MESSAGE_FIND_OUTBOUND,
	STORE_SQLITE_STMT_PENDING_INSERT,
	STORE_SQLITE_STMT_PENDING_NEXT,
	STORE_SQLITE_STMT_PENDING_DELETE,
	STORE_SQLITE_STMT_MESSAGE_STATUS,
	STORE_SQLITE_STMT_MESSAGE_ACCEPTED,
	STORE_SQLITE_STMT_MESSAGE_RETRY_OR_FAIL,
	STORE_SQLITE_STMT_MESSAGE_REQUEUE_INFLIGHT,
	STORE_SQLITE_STMT_REPORT_DAYS,
	STORE_SQLITE_STMT_REPORT_ERRORS,
	STORE_SQLITE_STMT_IDEM_FIND,
	STORE_SQLITE_STMT_IDEM_EXPIRE,
	STORE_SQLITE_STMT_IDEM_INSERT,
	STORE_SQLITE_STMT_IDEM_SET_RESPONSE,
	STORE_SQLITE_STMT_INBOX_INSERT,
	STORE_SQLITE_STMT_INBOX_FETCH,
	STORE_SQLITE_STMT_INBOX_MARK_DONE,
	STORE_SQLITE_STMT_INBOX_PURGE,
	STORE_SQLITE_STMT_HELD_PURGE,
	STORE_SQLITE_STMT_MESSAGE_FAIL_QUEUED,
	STORE_SQLITE_STMT_TEMPLATE_EVENT_INSERT,
	STORE_SQLITE_STMT_TEMPLATE_INSERT,
	STORE_SQLITE_STMT_TEMPLATE_GET,
	STORE_SQLITE_STMT_TEMPLATE_FIND_BY_NAME,
	STORE_SQLITE_STMT_TEMPLATE_FIND_META,
	STORE_SQLITE_STMT_TEMPLATE_UPDATE,
	STORE_SQLITE_STMT_TEMPLATE_DELETE,
	STORE_SQLITE_STMT_TEMPLATE_LIST,
	STORE_SQLITE_STMT_TEMPLATE_COUNT,
	STORE_SQLITE_STMT_TEMPLATE_COUNTS,
	STORE_SQLITE_STMT_BROADCAST_INSERT,
	STORE_SQLITE_STMT_BROADCAST_GET,
	STORE_SQLITE_STMT_BROADCAST_UPDATE,
	STORE_SQLITE_STMT_BROADCAST_DISCARD,
	STORE_SQLITE_STMT_BROADCAST_COUNT,
	STORE_SQLITE_STMT_BROADCAST_LIST,
	STORE_SQLITE_STMT_BROADCAST_LIST_STATUS,
	STORE_SQLITE_STMT_BROADCAST_HOLD,
	STORE_SQLITE_STMT_BROADCAST_CANCEL_MESSAGES,
	STORE_SQLITE_STMT_BROADCAST_CANCEL_RECIPIENTS,
	STORE_SQLITE_STMT_BROADCAST_RECIPIENT_ADD,
	STORE_SQLITE_STMT_BROADCAST_RECIPIENTS_PENDING,
	STORE_SQLITE_STMT_BROADCAST_RECIPIENT_QUEUED,
	STORE_SQLITE_STMT_BROADCAST_REPORT_COUNT,
	STORE_SQLITE_STMT_BROADCAST_REPORT,
	STORE_SQLITE_STMT_BROADCAST_DAILY_USAGE,
	STORE_SQLITE_STMT_COUNT
};

struct store_sqlite {
	struct store base; /* first member: a struct store * is a struct store_sqlite * */
	sqlite3 *db;       /* owned; used by one thread only */
	sqlite3_stmt *stmts[STORE_SQLITE_STMT_COUNT]; /* owned; NULL until first use */
	int64_t busy_since_ns; /* when the current wait for a lock began (on_busy) */
};

static inline struct store_sqlite *store_sqlite_from(struct store *s)
{
	return (struct store_sqlite *)s;
}

/* Returns in *out the cached statement for id, preparing sql on first use (sql must be the
 * same constant text every time). The statement is borrowed from the handle: callers bind,
 * step, then call store_sqlite_done. Errors as store_sqlite_fail. */
int store_sqlite_stmt(struct store_sqlite *q, enum store_sqlite_stmt id, const char *sql,
                      sqlite3_stmt **out, struct err *e);
/* Resets st and clears its bindings so it holds no read lock and no borrowed pointer. NULL-safe. */
void store_sqlite_done(sqlite3_stmt *st);
/* Records the failure rc (an extended sqlite result code) in e and returns the err_code:
 * BUSY/LOCKED -> ERR_UNAVAILABLE "DATABASE_BUSY"; UNIQUE -> ERR_CONFLICT unique_key (NULL:
 * "ALREADY_EXISTS"); PRIMARY KEY -> ERR_CONFLICT "ID_EXISTS"; FOREIGN KEY -> ERR_CONFLICT
 * "REFERENCE_MISSING"; other constraints -> ERR_CONFLICT "CONSTRAINT_VIOLATION"; anything
 * else -> ERR_INTERNAL "DATABASE_ERROR" with sqlite's text. */
int store_sqlite_fail(struct store_sqlite *q, int rc, const char *unique_key, struct err *e);
/* Steps a statement that returns no row (INSERT/UPDATE/DELETE/BEGIN...), then resets it.
 * 0 or the store_sqlite_fail code. */
int store_sqlite_exec_stmt(struct store_sqlite *q, sqlite3_stmt *st, const char *unique_key,
                           struct err *e);
/* Like store_sqlite_exec_stmt for an UPDATE addressed to one row: when it matched no row,
 * returns ERR_NOT_FOUND with not_found_key and message not_found_msg. */
int store_sqlite_exec_update(struct store_sqlite *q, sqlite3_stmt *st, const char *unique_key,
                             const char *not_found_key, const char *not_found_msg, struct err *e);
/* For a failed sqlite3_bind_*: records the connection's error, resets st, returns the code. */
int store_sqlite_bind_fail(struct store_sqlite *q, sqlite3_stmt *st, struct err *e);
/* Binds text (NULL binds SQL NULL) / an integer; true on success. Text is bound without a
 * copy, so it must stay valid until store_sqlite_done clears the bindings. */
static inline bool store_sqlite_bind_text(sqlite3_stmt *st, int idx, const char *text)
{
	return sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC) == SQLITE_OK;
}
/* Binds a fixed-size row field: at most cap bytes are read even if text lacks its NUL. */
static inline bool store_sqlite_bind_field(sqlite3_stmt *st, int idx, const char *text, size_t cap)
{
	return sqlite3_bind_text(st, idx, text, (int)strnlen(text, cap), SQLITE_STATIC) ==
	       SQLITE_OK;
}
static inline bool store_sqlite_bind_i64(sqlite3_stmt *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(st, idx, v) == SQLITE_OK;
}
/* Does text (NULL counts as fitting) fit a cap-byte field with its NUL? */
static inline bool store_sqlite_fits(const char *text, size_t cap)
{
	return !text || strnlen(text, cap) < cap;
}
/* Records ERR_INVALID "VALUE_TOO_LONG" naming field and returns ERR_INVALID. */
int store_sqlite_too_long(const char *field, struct err *e);
/* Opens a savepoint so the statements up to store_sqlite_savepoint_end succeed or fail as
 * one: inside the caller's transaction when one is open, else as a transaction of their own
 * (which the release commits). *outermost tells the end which case it was. */
int store_sqlite_savepoint(struct store_sqlite *q, bool *outermost, struct err *e);
/* Ends the savepoint store_sqlite_savepoint opened: releases it when ret is 0, else (or when
 * the release fails) rolls back to it and releases it, so nothing of the failed sequence
 * remains and no transaction this savepoint started stays open. Every statement stepped
 * since the savepoint must be reset first. Returns ret, or the release's failure. */
int store_sqlite_savepoint_end(struct store_sqlite *q, bool outermost, int ret, struct err *e);
/* For an operation that reads before it writes: opens BEGIN IMMEDIATE when no transaction is
 * open (*own true), so the write lock is held before the first read and a concurrent writer
 * makes it wait (busy_timeout) instead of failing on a stale snapshot; inside the caller's
 * transaction, a savepoint. */
int store_sqlite_write_begin(struct store_sqlite *q, bool *own, struct err *e);
/* Ends what store_sqlite_write_begin opened: commits (or releases) when ret is 0, else undoes
 * it all. Statements stepped since must be reset first. Returns ret or the commit's failure. */
int store_sqlite_write_end(struct store_sqlite *q, bool own, int ret, struct err *e);
/* Copies text column col of the current row into dst (cap bytes); NULL reads as "". 0, or
 * ERR_INTERNAL "DATABASE_ERROR" when the stored value does not fit. */
int store_sqlite_column_text(sqlite3_stmt *st, int col, char *dst, size_t cap, struct err *e);
/* Steps the bound statement st, which yields one integer (a count, a max), into *out; resets
 * st. Errors as store_sqlite_fail (also when it yields no row). */
int store_sqlite_one_i64(struct store_sqlite *q, sqlite3_stmt *st, int64_t *out, struct err *e);
/* Steps the bound statement st to its end, calling row(arg, st, e) on each row; stops at the
 * first non-zero answer and returns it. Resets st. Step errors as store_sqlite_fail. */
int store_sqlite_each_row(struct store_sqlite *q, sqlite3_stmt *st,
                          int (*row)(void *arg, sqlite3_stmt *st, struct err *e), void *arg,
                          struct err *e);

/* Operations, wired into the ops table in store_sqlite.c. */
int store_sqlite_migrate_run(struct store *s, struct err *e);
int store_sqlite_migrate_version(struct store *s, int *version, struct err *e);

int store_sqlite_auth_account_insert(struct store *s, const struct account_row *a, struct err *e);
int store_sqlite_auth_account_get(struct store *s, const char *account_id, struct account_row *out,
                                  struct err *e);
int store_sqlite_auth_account_set_status(struct store *s, const char *account_id,
                                         enum account_status status, int64_t now, struct err *e);
int store_sqlite_auth_account_soft_delete(struct store *s, const char *account_id, int64_t now,
                                          struct err *e);
int store_sqlite_auth_user_insert(struct store *s, const struct user_row *u, struct err *e);
int store_sqlite_auth_user_find_by_email(struct store *s, const char *email, struct user_row *out,
                                         bool *found, struct err *e);
int store_sqlite_auth_user_get(struct store *s, const char *account_id, const char *user_id,
                               struct user_row *out, struct err *e);
int store_sqlite_auth_user_update_password(struct store *s, const char *account_id,
                                           const char *user_id, const char *password_hash,
                                           int64_t now, struct err *e);
int store_sqlite_auth_user_update_profile(struct store *s, const char *account_id,
                                          const char *user_id, const char *name, const char *email,
                                          int64_t now, struct err *e);
int store_sqlite_auth_user_count(struct store *s, int64_t *count, struct err *e);

int store_sqlite_sessions_insert(struct store *s, const struct session_row *r, struct err *e);
int store_sqlite_sessions_find_by_hash(struct store *s, const char *token_hash,
                                       struct session_row *out, bool *found, struct err *e);
int store_sqlite_sessions_revoke(struct store *s, const char *account_id, const char *session_id,
                                 int64_t now, struct err *e);
int store_sqlite_sessions_revoke_user(struct store *s, const char *account_id, const char *user_id,
                                      const char *keep_session_id, int64_t now, struct err *e);

int store_sqlite_tokens_insert(struct store *s, const struct token_row *t, struct err *e);
int store_sqlite_tokens_revoke_all(struct store *s, const char *account_id, int64_t now, int *count,
                                   struct err *e);
int store_sqlite_tokens_find_by_hash(struct store *s, const char *token_hash, struct token_row *out,
                                     bool *found, struct err *e);
int store_sqlite_tokens_find_current(struct store *s, const char *account_id, struct token_row *out,
                                     bool *found, struct err *e);
int store_sqlite_tokens_touch(struct store *s, const char *account_id, const char *token_id,
                              int64_t now, const char *ip, struct err *e);
int store_sqlite_tokens_ip_remember(struct store *s, const char *account_id, const char *token_id,
                                    const char *ip, int64_t now, bool *is_new, struct err *e);

int store_sqlite_audit_insert(struct store *s, const struct audit_row *a, struct err *e);
int store_sqlite_audit_list(struct store *s, const char *account_id, const struct audit_filter *f,
                            void (*each)(void *arg, const struct audit_row *row), void *arg,
                            int64_t *total, struct err *e);

int store_sqlite_contacts_insert(struct store *s, const struct contact_row *c, struct err *e);
int store_sqlite_contacts_get(struct store *s, const char *account_id, const char *contact_id,
                              struct contact_row *out, struct err *e);
int store_sqlite_contacts_find_by_phone(struct store *s, const char *account_id, const char *phone,
                                        struct contact_row *out, bool *found, struct err *e);
int store_sqlite_contacts_update(struct store *s, const struct contact_row *c, struct err *e);
int store_sqlite_contacts_delete(struct store *s, const char *account_id, const char *contact_id,
                                 struct err *e);
int store_sqlite_contacts_list(struct store *s, const char *account_id,
                               const struct contact_filter *f,
                               void (*each)(void *arg, const struct contact_row *row), void *arg,
                               int64_t *total, struct err *e);

int store_sqlite_numbers_insert(struct store *s, const struct number_row *n, struct err *e);
int store_sqlite_numbers_update(struct store *s, const struct number_row *n, struct err *e);
int store_sqlite_numbers_delete(struct store *s, const char *account_id, const char *id,
                                struct err *e);
int store_sqlite_numbers_get(struct store *s, const char *account_id, const char *id,
                             struct number_row *out, struct err *e);
int store_sqlite_numbers_find(struct store *s, const char *account_id, const char *phone_number_id,
                              struct number_row *out, bool *found, struct err *e);
int store_sqlite_numbers_find_global(struct store *s, const char *phone_number_id,
                                     struct number_row *out, bool *found, struct err *e);
int store_sqlite_numbers_find_default(struct store *s, const char *account_id,
                                      struct number_row *out, bool *found, struct err *e);
int store_sqlite_numbers_set_default(struct store *s, const char *account_id, const char *id,
                                     int64_t now, struct err *e);
int store_sqlite_numbers_list(struct store *s, const char *account_id,
                              void (*each)(void *arg, const struct number_row *row), void *arg,
                              struct err *e);
int store_sqlite_numbers_set_status(struct store *s, const char *phone_number_id,
                                    enum number_status status, const char *reason, int64_t now,
                                    struct err *e);

int store_sqlite_conversations_insert(struct store *s, const struct conversation_row *c,
                                      struct err *e);
int store_sqlite_conversations_touch_outbound(struct store *s, const struct conversation_row *c,
                                              char id[IDS_SIZE], struct err *e);
int store_sqlite_conversations_find(struct store *s, const char *account_id,
                                    const char *phone_number_id, const char *user_phone,
                                    struct conversation_row *out, bool *found, struct err *e);
int store_sqlite_conversations_get(struct store *s, const char *account_id, const char *id,
                                   struct conversation_row *out, struct err *e);
int store_sqlite_conversations_update(struct store *s, const struct conversation_row *c,
                                      struct err *e);
int store_sqlite_conversations_list(struct store *s, const char *account_id,
                                    const struct conversation_filter *f,
                                    void (*each)(void *arg, const struct conversation_row *row),
                                    void *arg, int64_t *total, struct err *e);

int store_sqlite_messages_insert(struct store *s, const struct message_row *m, struct err *e);
int store_sqlite_messages_get(struct store *s, const char *account_id, const char *id,
                              struct message_row *out, struct err *e);
int store_sqlite_messages_find_by_wamid(struct store *s, const char *account_id, const char *wamid,
                                        struct message_row *out, bool *found, struct err *e);
int store_sqlite_messages_list(struct store *s, const char *account_id,
                               const struct message_filter *f,
                               void (*each)(void *arg, const struct message_row *row), void *arg,
                               int64_t *total, struct err *e);
int store_sqlite_messages_events(struct store *s, const char *account_id, const char *message_id,
                                 void (*each)(void *arg, const struct message_event_row *ev),
                                 void *arg, struct err *e);

int store_sqlite_claim_numbers(struct store *s, int64_t now, const struct claim_want *wants,
                               size_t n, void (*each)(void *arg, const struct claimed_message *m),
                               void *arg, struct err *e);
int store_sqlite_dispatch_record_send(struct store *s, const struct send_result *r, struct err *e);
int store_sqlite_dispatch_apply_status(struct store *s, const struct status_update *u, int64_t now,
                                       bool *applied, struct err *e);
int store_sqlite_dispatch_requeue_inflight(struct store *s, int64_t now, int *count, struct err *e);
int store_sqlite_report_delivery(struct store *s, const char *account_id, int64_t since,
                                 int64_t until, const char *phone_number_id,
                                 void (*each_day)(void *arg, const struct delivery_day *d),
                                 void (*each_error)(void *arg, int code, int64_t count), void *arg,
                                 struct err *e);

int store_sqlite_inbox_idem_find(struct store *s, const char *account_id, const char *key,
                                 int64_t now, struct idem_row *out, bool *found, struct err *e);
int store_sqlite_inbox_idem_insert(struct store *s, const struct idem_row *r, struct err *e);
int store_sqlite_inbox_idem_set_response(struct store *s, const char *account_id, const char *key,
                                         int status_code, const char *response, struct err *e);
int store_sqlite_inbox_insert(struct store *s, const char *body, size_t len, int64_t now,
                              int64_t *seq, struct err *e);
int store_sqlite_inbox_fetch(struct store *s, int max,
                             void (*each)(void *arg, const struct inbox_row *row), void *arg,
                             struct err *e);
int store_sqlite_inbox_mark_done(struct store *s, int64_t seq, int64_t now, struct err *e);
int store_sqlite_inbox_purge(struct store *s, int64_t processed_before, int64_t held_before,
                             int64_t *deleted, struct err *e);
int store_sqlite_message_fail_queued(struct store *s, const char *account_id,
                                     const char *phone_number_id, int64_t now, int code,
                                     const char *title, const char *message, int *count,
                                     struct err *e);
int store_sqlite_inbox_template_event_insert(struct store *s, const char *waba_id,
                                             const char *template_id, const char *name,
                                             const char *language, const char *event,
                                             const char *reason, int64_t now, struct err *e);

int store_sqlite_templates_insert(struct store *s, const struct template_row *t, struct err *e);
int store_sqlite_templates_get(struct store *s, const char *account_id, const char *id,
                               struct template_row *out, struct err *e);
int store_sqlite_templates_find_by_name(struct store *s, const char *account_id, const char *name,
                                        const char *language, struct template_row *out, bool *found,
                                        struct err *e);
int store_sqlite_templates_find_meta(struct store *s, const char *account_id, const char *waba_id,
                                     const char *meta_id, const char *name, const char *language,
                                     struct template_row *out, bool *found, struct err *e);
int store_sqlite_templates_update(struct store *s, const struct template_row *t, struct err *e);
int store_sqlite_templates_delete(struct store *s, const char *account_id, const char *id,
                                  int64_t now, struct err *e);
int store_sqlite_templates_list(struct store *s, const char *account_id,
                                const struct template_filter *f,
                                void (*each)(void *arg, const struct template_row *row), void *arg,
                                int64_t *total, struct err *e);
int store_sqlite_templates_counts(struct store *s, const char *account_id,
                                  struct template_counts *out, struct err *e);

int store_sqlite_broadcasts_insert(struct store *s, const struct broadcast_row *b, struct err *e);
int store_sqlite_broadcasts_get(struct store *s, const char *account_id, const char *id,
                                struct broadcast_row *out, struct err *e);
int store_sqlite_broadcasts_update(struct store *s, const struct broadcast_row *b, struct err *e);
int store_sqlite_broadcasts_discard(struct store *s, const char *id, struct err *e);
int store_sqlite_broadcasts_list(struct store *s, const char *account_id,
                                 const struct broadcast_filter *f,
                                 void (*each)(void *arg, const struct broadcast_row *row),
                                 void *arg, int64_t *total, struct err *e);
int store_sqlite_broadcasts_list_status(struct store *s, const char *status, int64_t limit,
                                        void (*each)(void *arg, const struct broadcast_row *row),
                                        void *arg, struct err *e);
int store_sqlite_broadcasts_hold(struct store *s, const char *broadcast_id, bool hold, int64_t now,
                                 struct err *e);
int store_sqlite_broadcasts_cancel(struct store *s, const char *broadcast_id, int64_t now,
                                   struct err *e);
int store_sqlite_broadcasts_recipient_add(struct store *s, const struct broadcast_recipient_row *r,
                                          bool *duplicate, struct err *e);
int store_sqlite_broadcasts_recipients_pending(
    struct store *s, const char *broadcast_id, int64_t from_seq, int64_t limit,
    void (*each)(void *arg, const struct broadcast_recipient_row *row), void *arg, struct err *e);
int store_sqlite_broadcasts_recipient_queued(struct store *s, const char *broadcast_id, int64_t seq,
                                             const char *message_id, struct err *e);
int store_sqlite_broadcasts_report(struct store *s, const char *account_id,
                                   const char *broadcast_id,
                                   const struct broadcast_report_filter *f,
                                   void (*each)(void *arg, const struct broadcast_report_row *row),
                                   void *arg, int64_t *total, struct err *e);
int store_sqlite_broadcasts_daily_usage(struct store *s, const char *account_id, int64_t since,
                                        int64_t *used, struct err *e);

#endif
