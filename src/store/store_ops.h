/* The storage backend interface: the table of function pointers each backend fills (SQLite
 * now, PostgreSQL later), with what every operation promises. Callers use the inline wrappers
 * of store/store.h, never the table. */
#ifndef PIXELS_STORE_STORE_OPS_H
#define PIXELS_STORE_STORE_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store_rows.h"

struct store;

/* Errors any operation may return besides those named on it: ERR_UNAVAILABLE "DATABASE_BUSY"
 * (lock not obtained in time: retry later), ERR_INTERNAL "DATABASE_ERROR". Writes also:
 * ERR_CONFLICT "ID_EXISTS" (duplicate id), "REFERENCE_MISSING" (the account, or the user
 * within that account, does not exist), "CONSTRAINT_VIOLATION" (a value the schema refuses),
 * ERR_INVALID "VALUE_TOO_LONG" (text that would not fit the row structs). Account-scoped
 * updates of one row answer ERR_NOT_FOUND ("ACCOUNT_NOT_FOUND", "USER_NOT_FOUND",
 * "SESSION_NOT_FOUND") when no row of that account matched: nothing is changed then. */
struct store_ops {
	void (*close)(struct store *s);
	/* Applies every embedded migration newer than the recorded version, each in its own
	 * transaction. Safe to run concurrently from several processes. */
	int (*migrate)(struct store *s, struct err *e);
	int (*schema_version)(struct store *s, int *version, struct err *e);
	/* A trivial query proving the database answers (for /health). */
	int (*ping)(struct store *s, struct err *e);
	/* Write transaction (BEGIN IMMEDIATE on SQLite). Not nestable. */
	int (*begin)(struct store *s, struct err *e);
	/* Durable when it returns 0: the acknowledged write survives kill -9 and power loss. */
	int (*commit)(struct store *s, struct err *e);
	void (*rollback)(struct store *s);
	/* A savepoint around one job inside a larger transaction (the group-commit writer):
	 * job_end(s, true) keeps the job's writes, job_end(s, false) undoes only them. */
	int (*job_begin)(struct store *s, struct err *e);
	int (*job_end)(struct store *s, bool keep, struct err *e);

	int (*account_insert)(struct store *s, const struct account_row *a, struct err *e);
	/* ERR_NOT_FOUND "ACCOUNT_NOT_FOUND" if missing or soft-deleted. */
	int (*account_get)(struct store *s, const char *account_id, struct account_row *out,
	                   struct err *e);
	int (*account_set_status)(struct store *s, const char *account_id,
	                          enum account_status status, int64_t now, struct err *e);
	int (*account_soft_delete)(struct store *s, const char *account_id, int64_t now,
	                           struct err *e);

	/* ERR_CONFLICT "EMAIL_EXISTS" when the email is taken. */
	int (*user_insert)(struct store *s, const struct user_row *u, struct err *e);
	/* Global lookup for login; *found false when missing. */
	int (*user_find_by_email)(struct store *s, const char *email, struct user_row *out,
	                          bool *found, struct err *e);
	/* ERR_NOT_FOUND "USER_NOT_FOUND" when the user is missing or in another account. */
	int (*user_get)(struct store *s, const char *account_id, const char *user_id,
	                struct user_row *out, struct err *e);
	int (*user_update_password)(struct store *s, const char *account_id, const char *user_id,
	                            const char *password_hash, int64_t now, struct err *e);
	/* NULL name or email keeps the current value; ERR_CONFLICT "EMAIL_EXISTS". */
	int (*user_update_profile)(struct store *s, const char *account_id, const char *user_id,
	                           const char *name, const char *email, int64_t now, struct err *e);
	int (*user_count)(struct store *s, int64_t *count, struct err *e);

	/* ERR_CONFLICT "SESSION_EXISTS" when the token hash is already stored. */
	int (*session_insert)(struct store *s, const struct session_row *r, struct err *e);
	/* Global lookup by token hash; *found false when missing (revoked/expired rows are
	 * returned: the caller decides). */
	int (*session_find_by_hash)(struct store *s, const char *token_hash,
	                            struct session_row *out, bool *found, struct err *e);
	/* Idempotent: an already revoked session keeps its first revoked_at. */
	int (*session_revoke)(struct store *s, const char *account_id, const char *session_id,
	                      int64_t now, struct err *e);
	/* Revokes every live session of a user, except keep_session_id when not NULL. */
	int (*session_revoke_user)(struct store *s, const char *account_id, const char *user_id,
	                           const char *keep_session_id, int64_t now, struct err *e);

	/* Integration tokens. ERR_CONFLICT "TOKEN_EXISTS" on a duplicate hash. */
	int (*token_insert)(struct store *s, const struct token_row *t, struct err *e);
	/* Revokes every live token of the account (sets revoked_at = now); *count how many. */
	int (*token_revoke_all)(struct store *s, const char *account_id, int64_t now, int *count,
	                        struct err *e);
	/* Global lookup by hash for authentication; revoked and expired rows are returned. */
	int (*token_find_by_hash)(struct store *s, const char *token_hash, struct token_row *out,
	                          bool *found, struct err *e);
	/* The account's newest token that is not revoked (possibly expired); *found false when
	 * none. */
	int (*token_find_current)(struct store *s, const char *account_id, struct token_row *out,
	                          bool *found, struct err *e);
	/* Sets last_used_at and last_used_ip. ERR_NOT_FOUND "TOKEN_NOT_FOUND" (also for another
	 * account's token). */
	int (*token_touch)(struct store *s, const char *account_id, const char *token_id,
	                   int64_t now, const char *ip, struct err *e);
	/* Records that the token was used from ip; *is_new true when this is the first time.
	 * ERR_NOT_FOUND "TOKEN_NOT_FOUND" (also for another account's token); an empty ip is a
	 * CONSTRAINT_VIOLATION. */
	int (*token_ip_remember)(struct store *s, const char *account_id, const char *token_id,
	                         const char *ip, int64_t now, bool *is_new, struct err *e);

	int (*audit_insert)(struct store *s, const struct audit_row *a, struct err *e);
	/* Newest first. Calls each(arg, row) per row (row borrowed for the call; each must not
	 * use the same store handle); *total is the count matching the filter, ignoring
	 * limit/offset. The page and the total come from one snapshot. */
	int (*audit_list)(struct store *s, const char *account_id, const struct audit_filter *f,
	                  void (*each)(void *arg, const struct audit_row *row), void *arg,
	                  int64_t *total, struct err *e);

	/* Contacts. ERR_CONFLICT "CONTACT_EXISTS" when the account already has that phone.
	 * Writes of the row and its tags are atomic on their own: a failure leaves nothing
	 * half-written, whether or not the caller opened a transaction. */
	int (*contact_insert)(struct store *s, const struct contact_row *c, struct err *e);
	/* ERR_NOT_FOUND "CONTACT_NOT_FOUND" (also for another account's contact). */
	int (*contact_get)(struct store *s, const char *account_id, const char *contact_id,
	                   struct contact_row *out, struct err *e);
	int (*contact_find_by_phone)(struct store *s, const char *account_id, const char *phone,
	                             struct contact_row *out, bool *found, struct err *e);
	/* Replaces name, phone, email, tags, attributes, opted_out and updated_at of the row
	 * with c->id in c->account_id. ERR_NOT_FOUND "CONTACT_NOT_FOUND"; ERR_CONFLICT
	 * "CONTACT_EXISTS" when the new phone belongs to another contact. */
	int (*contact_update)(struct store *s, const struct contact_row *c, struct err *e);
	/* ERR_NOT_FOUND "CONTACT_NOT_FOUND". Removes its tags too. */
	int (*contact_delete)(struct store *s, const char *account_id, const char *contact_id,
	                      struct err *e);
	/* Newest first (created_at, then id). each/total as audit_list. */
	int (*contact_list)(struct store *s, const char *account_id, const struct contact_filter *f,
	                    void (*each)(void *arg, const struct contact_row *row), void *arg,
	                    int64_t *total, struct err *e);

	/* WhatsApp numbers. ERR_CONFLICT "PHONE_NUMBER_IN_USE" when phone_number_id is already
	 * connected (to any account). An account has at most one default: a row written with
	 * is_default true (insert or update) takes the flag from the account's other numbers,
	 * in the same atomic write. */
	int (*number_insert)(struct store *s, const struct number_row *n, struct err *e);
	/* Replaces every mutable field of the row n->id in n->account_id: all but id,
	 * account_id, phone_number_id (Meta's id: conversations and messages refer to it) and
	 * created_at. ERR_NOT_FOUND "PHONE_NUMBER_NOT_FOUND" (get and delete too). */
	int (*number_update)(struct store *s, const struct number_row *n, struct err *e);
	int (*number_delete)(struct store *s, const char *account_id, const char *id,
	                     struct err *e);
	int (*number_get)(struct store *s, const char *account_id, const char *id,
	                  struct number_row *out, struct err *e);
	/* By Meta's phone-number id within the account; *found false when missing. */
	int (*number_find)(struct store *s, const char *account_id, const char *phone_number_id,
	                   struct number_row *out, bool *found, struct err *e);
	/* Global lookup by Meta's id (webhook routing, dispatcher). */
	int (*number_find_global)(struct store *s, const char *phone_number_id,
	                          struct number_row *out, bool *found, struct err *e);
	/* The account's default number; *found false when it has none. */
	int (*number_find_default)(struct store *s, const char *account_id, struct number_row *out,
	                           bool *found, struct err *e);
	/* Makes id the account's only default, atomically. ERR_NOT_FOUND
	 * "PHONE_NUMBER_NOT_FOUND" (another account's number too): then nothing changes. */
	int (*number_set_default)(struct store *s, const char *account_id, const char *id,
	                          int64_t now, struct err *e);
	/* Every number of the account (account_id non-NULL) or of all accounts (NULL), oldest
	 * first. */
	int (*number_list)(struct store *s, const char *account_id,
	                   void (*each)(void *arg, const struct number_row *row), void *arg,
	                   struct err *e);
	/* Sets status and reason (NULL = "") of a number found by Meta's id, in any account
	 * (dispatcher). ERR_NOT_FOUND "PHONE_NUMBER_NOT_FOUND". */
	int (*number_set_status)(struct store *s, const char *phone_number_id,
	                         enum number_status status, const char *reason, int64_t now,
	                         struct err *e);

	/* Conversations. Inserted once per (account, number, customer): ERR_CONFLICT
	 * "CONVERSATION_EXISTS" for a second one. user_phone is 1 to 15 digits. */
	int (*conversation_insert)(struct store *s, const struct conversation_row *c,
	                           struct err *e);
	/* An outbound message on the conversation of c's (account, number, customer), in one
	 * statement: inserts c when there is none yet, else sets only its last_message_at,
	 * last_message_preview, last_message_type and updated_at from c. id receives the
	 * conversation's id (c's when it was inserted). */
	int (*conversation_touch_outbound)(struct store *s, const struct conversation_row *c,
	                                   char id[IDS_SIZE], struct err *e);
	/* By (account, number, customer); *found false when missing. */
	int (*conversation_find)(struct store *s, const char *account_id,
	                         const char *phone_number_id, const char *user_phone,
	                         struct conversation_row *out, bool *found, struct err *e);
	/* ERR_NOT_FOUND "CONVERSATION_NOT_FOUND". */
	int (*conversation_get)(struct store *s, const char *account_id, const char *id,
	                        struct conversation_row *out, struct err *e);
	/* Replaces the mutable fields (names, last_*, unread_count, status, updated_at).
	 * ERR_NOT_FOUND "CONVERSATION_NOT_FOUND". */
	int (*conversation_update)(struct store *s, const struct conversation_row *c,
	                           struct err *e);
	/* Newest activity first (last_message_at DESC, id DESC). each/total as audit_list. */
	int (*conversation_list)(struct store *s, const char *account_id,
	                         const struct conversation_filter *f,
	                         void (*each)(void *arg, const struct conversation_row *row),
	                         void *arg, int64_t *total, struct err *e);

	/* Messages. ERR_CONFLICT "MESSAGE_EXISTS" on a duplicate id or wa_message_id (inbound
	 * de-duplication relies on it; any number of rows may have wa_message_id ""),
	 * "REFERENCE_MISSING" when conversation_id is not a conversation of m->account_id. */
	int (*message_insert)(struct store *s, const struct message_row *m, struct err *e);
	/* ERR_NOT_FOUND "MESSAGE_NOT_FOUND". */
	int (*message_get)(struct store *s, const char *account_id, const char *id,
	                   struct message_row *out, struct err *e);
	int (*message_find_by_wamid)(struct store *s, const char *account_id, const char *wamid,
	                             struct message_row *out, bool *found, struct err *e);
	/* Newest first unless f->oldest_first (created_at, then id); *total ignores
	 * limit/offset. each/total as audit_list. */
	int (*message_list)(struct store *s, const char *account_id, const struct message_filter *f,
	                    void (*each)(void *arg, const struct message_row *row), void *arg,
	                    int64_t *total, struct err *e);
	/* Events of one message in time order (none for another account's message). */
	int (*message_events)(struct store *s, const char *account_id, const char *message_id,
	                      void (*each)(void *arg, const struct message_event_row *ev),
	                      void *arg, struct err *e);
	/* Claims due messages (status QUEUED with next_attempt_at <= now) number by number: for
	 * each wants[i], up to wants[i].max of that number's, priority first then oldest first;
	 * numbers that are not ACTIVE give none. Marks them SENDING, attempts + 1. Calls each
	 * per claimed message in claim order (priority, due time, age) once the claim is
	 * committed (or, inside the caller's transaction, written into it). Two handles claiming
	 * at once never get the same message. */
	int (*message_claim_numbers)(struct store *s, int64_t now, const struct claim_want *wants,
	                             size_t n,
	                             void (*each)(void *arg, const struct claimed_message *m),
	                             void *arg, struct err *e);
	/* Records a send outcome: ACCEPTED sets wa_message_id, status ACCEPTED (unless a status
	 * webhook already moved it higher), accepted_at, then applies any pending statuses held
	 * for that wamid; RETRY sets status QUEUED and next_attempt_at, keeping the last error;
	 * FAILED sets status FAILED, failed_at and the error. ACCEPTED and FAILED add a message
	 * event. Atomic. ERR_NOT_FOUND "MESSAGE_NOT_FOUND"; ERR_CONFLICT "MESSAGE_EXISTS" when
	 * another message holds the wamid, "CONSTRAINT_VIOLATION" for ACCEPTED without one. */
	int (*message_record_send)(struct store *s, const struct send_result *r, struct err *e);
	/* Applies a status report: finds the outbound message by wamid (any account); stores an
	 * event (a duplicate of the same status and timestamp is ignored); sets the matching
	 * timestamp; moves status only upward in rank; keeps the error for FAILED; sets pricing.
	 * When the wamid is not known yet, holds the update as pending (*applied false). Each
	 * status's time is set by its first report, whether or not the status moves; pricing
	 * only when given ("" / -1 keep it). u->status must be SENT, DELIVERED, READ or FAILED
	 * and the wamid non-empty (else ERR_CONFLICT "CONSTRAINT_VIOLATION"). Atomic. */
	int (*message_apply_status)(struct store *s, const struct status_update *u, int64_t now,
	                            bool *applied, struct err *e);
	/* After a crash: every SENDING message goes back to QUEUED (in flight at the crash; it
	 * may be sent once more). *count how many. Single-instance use. */
	int (*message_requeue_inflight)(struct store *s, int64_t now, int *count, struct err *e);
	/* Counts per status for the account's outbound messages created in [since, until),
	 * per UTC day, optionally for one number; calls each per day in order. Also the top
	 * error codes of failed messages: each_error(arg, code, count), most frequent first
	 * (ties: lower code first), at most 5, code 0 left out. until 0 = open. Either
	 * callback may be NULL (that half is skipped). */
	int (*message_delivery_report)(struct store *s, const char *account_id, int64_t since,
	                               int64_t until, const char *phone_number_id,
	                               void (*each_day)(void *arg, const struct delivery_day *d),
	                               void (*each_error)(void *arg, int code, int64_t count),
	                               void *arg, struct err *e);

	/* Idempotency keys: *found false when the key is new. Rows older than 24 h
	 * (created_at < now - 24 h) are treated as absent and may be replaced. */
	int (*idem_find)(struct store *s, const char *account_id, const char *key, int64_t now,
	                 struct idem_row *out, bool *found, struct err *e);
	/* ERR_CONFLICT "IDEMPOTENCY_KEY_EXISTS" if a live row exists; an expired one (by
	 * r->created_at) is replaced, atomically. */
	int (*idem_insert)(struct store *s, const struct idem_row *r, struct err *e);

	/* Records the first answer given for a key (status code and JSON body); a key that
	 * already has one keeps it. ERR_NOT_FOUND "IDEMPOTENCY_KEY_NOT_FOUND". */
	int (*idem_set_response)(struct store *s, const char *account_id, const char *key,
	                         int status_code, const char *response, struct err *e);

	/* The webhook inbox: raw bodies persisted before Meta gets its 200. Global. *seq is
	 * the new row's, increasing. */
	int (*inbox_insert)(struct store *s, const char *body, size_t len, int64_t now,
	                    int64_t *seq, struct err *e);
	/* Oldest unprocessed first, at most max. row->body points into the backend until each
	 * returns (copy what you keep); each must not use the same store handle. */
	int (*inbox_fetch)(struct store *s, int max,
	                   void (*each)(void *arg, const struct inbox_row *row), void *arg,
	                   struct err *e);
	/* Marking twice keeps the first time. ERR_NOT_FOUND "INBOX_ROW_NOT_FOUND". */
	int (*inbox_mark_done)(struct store *s, int64_t seq, int64_t now, struct err *e);
	/* Retention: deletes inbox rows processed before processed_before and held statuses
	 * received before held_before (their message never became known); *deleted counts both.
	 * Global. */
	int (*inbox_purge)(struct store *s, int64_t processed_before, int64_t held_before,
	                   int64_t *deleted, struct err *e);
	/* Fails the account's queued outbound messages of a number (it was removed): status
	 * failed with the given error. *count how many. */
	int (*message_fail_queued)(struct store *s, const char *account_id,
	                           const char *phone_number_id, int64_t now, int code,
	                           const char *title, const char *message, int *count,
	                           struct err *e);
	/* Template status events (message_template_status_update), kept for the templates
	 * feature. Global. NULL text is stored as ""; event must not be empty. Ids are at most
	 * STORE_META_ID_MAX - 1 bytes, name 512, language 31, event 63, reason 1023. */
	int (*template_event_insert)(struct store *s, const char *waba_id, const char *template_id,
	                             const char *name, const char *language, const char *event,
	                             const char *reason, int64_t now, struct err *e);

	/* Templates (live rows only; soft-deleted ones are invisible). ERR_CONFLICT
	 * "TEMPLATE_EXISTS" when a live template of the account and WABA has that name and
	 * language (insert and update). */
	int (*template_insert)(struct store *s, const struct template_row *t, struct err *e);
	/* ERR_NOT_FOUND "TEMPLATE_NOT_FOUND" (also for another account's template). */
	int (*template_get)(struct store *s, const char *account_id, const char *id,
	                    struct template_row *out, struct err *e);
	/* By name within the account; language NULL = any (English first, then oldest).
	 * *found false when missing. */
	int (*template_find_by_name)(struct store *s, const char *account_id, const char *name,
	                             const char *language, struct template_row *out, bool *found,
	                             struct err *e);
	/* By Meta's template id (when not "") or by (waba_id, name, language), within
	 * account_id, or in any account when account_id is NULL (webhooks). */
	int (*template_find_meta)(struct store *s, const char *account_id, const char *waba_id,
	                          const char *meta_id, const char *name, const char *language,
	                          struct template_row *out, bool *found, struct err *e);
	/* Replaces every field but id, account_id and created_at of the live row t->id in
	 * t->account_id. ERR_NOT_FOUND "TEMPLATE_NOT_FOUND". */
	int (*template_update)(struct store *s, const struct template_row *t, struct err *e);
	/* Sets deleted_at. ERR_NOT_FOUND "TEMPLATE_NOT_FOUND". */
	int (*template_delete)(struct store *s, const char *account_id, const char *id, int64_t now,
	                       struct err *e);
	/* Newest first. each/total as audit_list. */
	int (*template_list)(struct store *s, const char *account_id,
	                     const struct template_filter *f,
	                     void (*each)(void *arg, const struct template_row *row), void *arg,
	                     int64_t *total, struct err *e);
	int (*template_counts)(struct store *s, const char *account_id, struct template_counts *out,
	                       struct err *e);

	/* Broadcasts. Reads scoped by account never see an "accepting" broadcast (one whose
	 * recipients are still being written); ERR_NOT_FOUND "BROADCAST_NOT_FOUND". */
	int (*broadcast_insert)(struct store *s, const struct broadcast_row *b, struct err *e);
	/* account_id NULL: any account and any status (the runner). */
	int (*broadcast_get)(struct store *s, const char *account_id, const char *id,
	                     struct broadcast_row *out, struct err *e);
	/* Writes status, status_reason, schedule_at, total, skipped_*, next_seq, stop_code,
	 * started_at, finished_at and updated_at of b->id; never the message counters. */
	int (*broadcast_update)(struct store *s, const struct broadcast_row *b, struct err *e);
	/* Deletes a broadcast still "accepting", with its recipients (nothing else). */
	int (*broadcast_discard)(struct store *s, const char *id, struct err *e);
	/* Newest first. each/total as audit_list. */
	int (*broadcast_list)(struct store *s, const char *account_id,
	                      const struct broadcast_filter *f,
	                      void (*each)(void *arg, const struct broadcast_row *row), void *arg,
	                      int64_t *total, struct err *e);
	/* Every account's broadcasts in status, by schedule then age, at most limit. */
	int (*broadcast_list_status)(struct store *s, const char *status, int64_t limit,
	                             void (*each)(void *arg, const struct broadcast_row *row),
	                             void *arg, struct err *e);
	/* Holds (never due) or releases (due now, age counted from now) the broadcast's queued
	 * messages. */
	int (*broadcast_hold)(struct store *s, const char *broadcast_id, bool hold, int64_t now,
	                      struct err *e);
	/* Fails its queued messages ("Cancelled") and marks its pending recipients cancelled,
	 * in one transaction. */
	int (*broadcast_cancel)(struct store *s, const char *broadcast_id, int64_t now,
	                        struct err *e);
	/* Adds r (its seq chosen by the caller); when the broadcast already has r->phone nothing
	 * is written and *duplicate is true. */
	int (*broadcast_recipient_add)(struct store *s, const struct broadcast_recipient_row *r,
	                               bool *duplicate, struct err *e);
	/* Pending recipients with seq >= from_seq in seq order, at most limit. */
	int (*broadcast_recipients_pending)(struct store *s, const char *broadcast_id,
	                                    int64_t from_seq, int64_t limit,
	                                    void (*each)(void *arg,
	                                                 const struct broadcast_recipient_row *row),
	                                    void *arg, struct err *e);
	/* Pending -> queued with its message. ERR_NOT_FOUND "RECIPIENT_NOT_PENDING". */
	int (*broadcast_recipient_queued)(struct store *s, const char *broadcast_id, int64_t seq,
	                                  const char *message_id, struct err *e);
	/* Recipients in seq order with their message's state; f->status matches the recipient's
	 * status or its message's. An unknown broadcast gives no rows and total 0. */
	int (*broadcast_report)(struct store *s, const char *account_id, const char *broadcast_id,
	                        const struct broadcast_report_filter *f,
	                        void (*each)(void *arg, const struct broadcast_report_row *row),
	                        void *arg, int64_t *total, struct err *e);
	/* Business-initiated reach since `since`: distinct recipients of the account's template
	 * messages not failed, plus the recipients still pending in its unfinished broadcasts. */
	int (*broadcast_daily_usage)(struct store *s, const char *account_id, int64_t since,
	                             int64_t *used, struct err *e);
};

struct store {
	const struct store_ops *ops;
};

#endif
