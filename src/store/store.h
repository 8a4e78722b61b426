/* The storage interface: a table of function pointers that each backend fills (SQLite now,
 * PostgreSQL later; a URL chooses; store/store_ops.h). Callers use the inline wrappers below.
 * Rows (store/store_rows.h) are plain structs with bounded fields, copied in and out: no pointer
 * into the backend outlives a call. One handle per thread, never shared. Services own transaction
 * boundaries (begin/commit). Every tenant-owned row carries account_id and every tenant query
 * filters by it; the only global operations are the authentication lookups (user by email, session
 * by token hash) and those of webhooks and the dispatcher, each saying so in store/store_ops.h. The
 * store knows no HTTP and no JSON. Times are unix ms; 0 means "not set". */
#ifndef PIXELS_STORE_STORE_H
#define PIXELS_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store_ops.h"
#include "store/store_rows.h"

/* Opens a handle for url: "sqlite:PATH" (the file is created if missing). "postgres://..."
 * answers ERR_INVALID "BACKEND_UNAVAILABLE" until the PostgreSQL backend lands. */
int store_open(const char *url, struct store **out, struct err *e);
/* NULL-safe. */
void store_close(struct store *s);

static inline int store_migrate(struct store *s, struct err *e)
{
	return s->ops->migrate(s, e);
}
static inline int store_schema_version(struct store *s, int *v, struct err *e)
{
	return s->ops->schema_version(s, v, e);
}
static inline int store_ping(struct store *s, struct err *e)
{
	return s->ops->ping(s, e);
}
static inline int store_begin(struct store *s, struct err *e)
{
	return s->ops->begin(s, e);
}
static inline int store_commit(struct store *s, struct err *e)
{
	return s->ops->commit(s, e);
}
static inline void store_rollback(struct store *s)
{
	s->ops->rollback(s);
}
static inline int store_job_begin(struct store *s, struct err *e)
{
	return s->ops->job_begin(s, e);
}
static inline int store_job_end(struct store *s, bool keep, struct err *e)
{
	return s->ops->job_end(s, keep, e);
}
static inline int store_account_insert(struct store *s, const struct account_row *a, struct err *e)
{
	return s->ops->account_insert(s, a, e);
}
static inline int store_account_get(struct store *s, const char *id, struct account_row *out,
                                    struct err *e)
{
	return s->ops->account_get(s, id, out, e);
}
static inline int store_account_set_status(struct store *s, const char *id, enum account_status st,
                                           int64_t now, struct err *e)
{
	return s->ops->account_set_status(s, id, st, now, e);
}
static inline int store_account_soft_delete(struct store *s, const char *id, int64_t now,
                                            struct err *e)
{
	return s->ops->account_soft_delete(s, id, now, e);
}
static inline int store_user_insert(struct store *s, const struct user_row *u, struct err *e)
{
	return s->ops->user_insert(s, u, e);
}
static inline int store_user_find_by_email(struct store *s, const char *email, struct user_row *out,
                                           bool *found, struct err *e)
{
	return s->ops->user_find_by_email(s, email, out, found, e);
}
static inline int store_user_get(struct store *s, const char *account_id, const char *user_id,
                                 struct user_row *out, struct err *e)
{
	return s->ops->user_get(s, account_id, user_id, out, e);
}
static inline int store_user_update_password(struct store *s, const char *account_id,
                                             const char *user_id, const char *hash, int64_t now,
                                             struct err *e)
{
	return s->ops->user_update_password(s, account_id, user_id, hash, now, e);
}
static inline int store_user_update_profile(struct store *s, const char *account_id,
                                            const char *user_id, const char *name,
                                            const char *email, int64_t now, struct err *e)
{
	return s->ops->user_update_profile(s, account_id, user_id, name, email, now, e);
}
static inline int store_user_count(struct store *s, int64_t *count, struct err *e)
{
	return s->ops->user_count(s, count, e);
}
static inline int store_session_insert(struct store *s, const struct session_row *r, struct err *e)
{
	return s->ops->session_insert(s, r, e);
}
static inline int store_session_find_by_hash(struct store *s, const char *hash,
                                             struct session_row *out, bool *found, struct err *e)
{
	return s->ops->session_find_by_hash(s, hash, out, found, e);
}
static inline int store_session_revoke(struct store *s, const char *account_id,
                                       const char *session_id, int64_t now, struct err *e)
{
	return s->ops->session_revoke(s, account_id, session_id, now, e);
}
static inline int store_session_revoke_user(struct store *s, const char *account_id,
                                            const char *user_id, const char *keep_session_id,
                                            int64_t now, struct err *e)
{
	return s->ops->session_revoke_user(s, account_id, user_id, keep_session_id, now, e);
}

static inline int store_token_insert(struct store *s, const struct token_row *t, struct err *e)
{
	return s->ops->token_insert(s, t, e);
}
static inline int store_token_revoke_all(struct store *s, const char *account_id, int64_t now,
                                         int *count, struct err *e)
{
	return s->ops->token_revoke_all(s, account_id, now, count, e);
}
static inline int store_token_find_by_hash(struct store *s, const char *hash, struct token_row *out,
                                           bool *found, struct err *e)
{
	return s->ops->token_find_by_hash(s, hash, out, found, e);
}
static inline int store_token_find_current(struct store *s, const char *account_id,
                                           struct token_row *out, bool *found, struct err *e)
{
	return s->ops->token_find_current(s, account_id, out, found, e);
}
static inline int store_token_touch(struct store *s, const char *account_id, const char *token_id,
                                    int64_t now, const char *ip, struct err *e)
{
	return s->ops->token_touch(s, account_id, token_id, now, ip, e);
}
static inline int store_token_ip_remember(struct store *s, const char *account_id,
                                          const char *token_id, const char *ip, int64_t now,
                                          bool *is_new, struct err *e)
{
	return s->ops->token_ip_remember(s, account_id, token_id, ip, now, is_new, e);
}
static inline int store_audit_insert(struct store *s, const struct audit_row *a, struct err *e)
{
	return s->ops->audit_insert(s, a, e);
}
static inline int store_audit_list(struct store *s, const char *account_id,
                                   const struct audit_filter *f,
                                   void (*each)(void *arg, const struct audit_row *row), void *arg,
                                   int64_t *total, struct err *e)
{
	return s->ops->audit_list(s, account_id, f, each, arg, total, e);
}
static inline int store_contact_insert(struct store *s, const struct contact_row *c, struct err *e)
{
	return s->ops->contact_insert(s, c, e);
}
static inline int store_contact_get(struct store *s, const char *account_id, const char *id,
                                    struct contact_row *out, struct err *e)
{
	return s->ops->contact_get(s, account_id, id, out, e);
}
static inline int store_contact_find_by_phone(struct store *s, const char *account_id,
                                              const char *phone, struct contact_row *out,
                                              bool *found, struct err *e)
{
	return s->ops->contact_find_by_phone(s, account_id, phone, out, found, e);
}
static inline int store_contact_update(struct store *s, const struct contact_row *c, struct err *e)
{
	return s->ops->contact_update(s, c, e);
}
static inline int store_contact_delete(struct store *s, const char *account_id, const char *id,
                                       struct err *e)
{
	return s->ops->contact_delete(s, account_id, id, e);
}
static inline int store_contact_list(struct store *s, const char *account_id,
                                     const struct contact_filter *f,
                                     void (*each)(void *arg, const struct contact_row *row),
                                     void *arg, int64_t *total, struct err *e)
{
	return s->ops->contact_list(s, account_id, f, each, arg, total, e);
}

static inline int store_number_insert(struct store *s, const struct number_row *n, struct err *e)
{
	return s->ops->number_insert(s, n, e);
}

static inline int store_number_update(struct store *s, const struct number_row *n, struct err *e)
{
	return s->ops->number_update(s, n, e);
}

static inline int store_number_delete(struct store *s, const char *account_id, const char *id,
                                      struct err *e)
{
	return s->ops->number_delete(s, account_id, id, e);
}

static inline int store_number_get(struct store *s, const char *account_id, const char *id,
                                   struct number_row *out, struct err *e)
{
	return s->ops->number_get(s, account_id, id, out, e);
}

static inline int store_number_find(struct store *s, const char *account_id,
                                    const char *phone_number_id, struct number_row *out,
                                    bool *found, struct err *e)
{
	return s->ops->number_find(s, account_id, phone_number_id, out, found, e);
}

static inline int store_number_find_global(struct store *s, const char *phone_number_id,
                                           struct number_row *out, bool *found, struct err *e)
{
	return s->ops->number_find_global(s, phone_number_id, out, found, e);
}

static inline int store_number_find_default(struct store *s, const char *account_id,
                                            struct number_row *out, bool *found, struct err *e)
{
	return s->ops->number_find_default(s, account_id, out, found, e);
}

static inline int store_number_set_default(struct store *s, const char *account_id, const char *id,
                                           int64_t now, struct err *e)
{
	return s->ops->number_set_default(s, account_id, id, now, e);
}

static inline int store_number_list(struct store *s, const char *account_id,
                                    void (*each)(void *arg, const struct number_row *row),
                                    void *arg, struct err *e)
{
	return s->ops->number_list(s, account_id, each, arg, e);
}

static inline int store_number_set_status(struct store *s, const char *phone_number_id,
                                          enum number_status status, const char *reason,
                                          int64_t now, struct err *e)
{
	return s->ops->number_set_status(s, phone_number_id, status, reason, now, e);
}

static inline int store_conversation_insert(struct store *s, const struct conversation_row *c,
                                            struct err *e)
{
	return s->ops->conversation_insert(s, c, e);
}

static inline int store_conversation_touch_outbound(struct store *s,
                                                    const struct conversation_row *c,
                                                    char id[IDS_SIZE], struct err *e)
{
	return s->ops->conversation_touch_outbound(s, c, id, e);
}

static inline int store_conversation_find(struct store *s, const char *account_id,
                                          const char *phone_number_id, const char *user_phone,
                                          struct conversation_row *out, bool *found, struct err *e)
{
	return s->ops->conversation_find(s, account_id, phone_number_id, user_phone, out, found, e);
}

static inline int store_conversation_get(struct store *s, const char *account_id, const char *id,
                                         struct conversation_row *out, struct err *e)
{
	return s->ops->conversation_get(s, account_id, id, out, e);
}

static inline int store_conversation_update(struct store *s, const struct conversation_row *c,
                                            struct err *e)
{
	return s->ops->conversation_update(s, c, e);
}

static inline int store_conversation_list(struct store *s, const char *account_id,
                                          const struct conversation_filter *f,
                                          void (*each)(void *arg,
                                                       const struct conversation_row *row),
                                          void *arg, int64_t *total, struct err *e)
{
	return s->ops->conversation_list(s, account_id, f, each, arg, total, e);
}

static inline int store_message_insert(struct store *s, const struct message_row *m, struct err *e)
{
	return s->ops->message_insert(s, m, e);
}

static inline int store_message_get(struct store *s, const char *account_id, const char *id,
                                    struct message_row *out, struct err *e)
{
	return s->ops->message_get(s, account_id, id, out, e);
}

static inline int store_message_find_by_wamid(struct store *s, const char *account_id,
                                              const char *wamid, struct message_row *out,
                                              bool *found, struct err *e)
{
	return s->ops->message_find_by_wamid(s, account_id, wamid, out, found, e);
}

static inline int store_message_list(struct store *s, const char *account_id,
                                     const struct message_filter *f,
                                     void (*each)(void *arg, const struct message_row *row),
                                     void *arg, int64_t *total, struct err *e)
{
	return s->ops->message_list(s, account_id, f, each, arg, total, e);
}

static inline int store_message_events(struct store *s, const char *account_id,
                                       const char *message_id,
                                       void (*each)(void *arg, const struct message_event_row *ev),
                                       void *arg, struct err *e)
{
	return s->ops->message_events(s, account_id, message_id, each, arg, e);
}

static inline int
store_message_claim_numbers(struct store *s, int64_t now, const struct claim_want *wants, size_t n,
                            void (*each)(void *arg, const struct claimed_message *m), void *arg,
                            struct err *e)
{
	return s->ops->message_claim_numbers(s, now, wants, n, each, arg, e);
}

static inline int store_message_record_send(struct store *s, const struct send_result *r,
                                            struct err *e)
{
	return s->ops->message_record_send(s, r, e);
}

static inline int store_message_apply_status(struct store *s, const struct status_update *u,
                                             int64_t now, bool *applied, struct err *e)
{
	return s->ops->message_apply_status(s, u, now, applied, e);
}

static inline int store_message_requeue_inflight(struct store *s, int64_t now, int *count,
                                                 struct err *e)
{
	return s->ops->message_requeue_inflight(s, now, count, e);
}

static inline int store_message_delivery_report(
    struct store *s, const char *account_id, int64_t since, int64_t until,
    const char *phone_number_id, void (*each_day)(void *arg, const struct delivery_day *d),
    void (*each_error)(void *arg, int code, int64_t count), void *arg, struct err *e)
{
	return s->ops->message_delivery_report(s, account_id, since, until, phone_number_id,
	                                       each_day, each_error, arg, e);
}

static inline int store_idem_find(struct store *s, const char *account_id, const char *key,
                                  int64_t now, struct idem_row *out, bool *found, struct err *e)
{
	return s->ops->idem_find(s, account_id, key, now, out, found, e);
}

static inline int store_idem_insert(struct store *s, const struct idem_row *r, struct err *e)
{
	return s->ops->idem_insert(s, r, e);
}

static inline int store_idem_set_response(struct store *s, const char *account_id, const char *key,
                                          int status_code, const char *response, struct err *e)
{
	return s->ops->idem_set_response(s, account_id, key, status_code, response, e);
}
static inline int store_inbox_insert(struct store *s, const char *body, size_t len, int64_t now,
                                     int64_t *seq, struct err *e)
{
	return s->ops->inbox_insert(s, body, len, now, seq, e);
}

static inline int store_inbox_fetch(struct store *s, int max,
                                    void (*each)(void *arg, const struct inbox_row *row), void *arg,
                                    struct err *e)
{
	return s->ops->inbox_fetch(s, max, each, arg, e);
}

static inline int store_inbox_mark_done(struct store *s, int64_t seq, int64_t now, struct err *e)
{
	return s->ops->inbox_mark_done(s, seq, now, e);
}
static inline int store_inbox_purge(struct store *s, int64_t processed_before, int64_t held_before,
                                    int64_t *deleted, struct err *e)
{
	return s->ops->inbox_purge(s, processed_before, held_before, deleted, e);
}
static inline int store_message_fail_queued(struct store *s, const char *account_id,
                                            const char *phone_number_id, int64_t now, int code,
                                            const char *title, const char *message, int *count,
                                            struct err *e)
{
	return s->ops->message_fail_queued(s, account_id, phone_number_id, now, code, title,
	                                   message, count, e);
}

static inline int store_template_event_insert(struct store *s, const char *waba_id,
                                              const char *template_id, const char *name,
                                              const char *language, const char *event,
                                              const char *reason, int64_t now, struct err *e)
{
	return s->ops->template_event_insert(s, waba_id, template_id, name, language, event, reason,
	                                     now, e);
}

static inline int store_template_insert(struct store *s, const struct template_row *t,
                                        struct err *e)
{
	return s->ops->template_insert(s, t, e);
}
static inline int store_template_get(struct store *s, const char *account_id, const char *id,
                                     struct template_row *out, struct err *e)
{
	return s->ops->template_get(s, account_id, id, out, e);
}
static inline int store_template_find_by_name(struct store *s, const char *account_id,
                                              const char *name, const char *language,
                                              struct template_row *out, bool *found, struct err *e)
{
	return s->ops->template_find_by_name(s, account_id, name, language, out, found, e);
}
static inline int store_template_find_meta(struct store *s, const char *account_id,
                                           const char *waba_id, const char *meta_id,
                                           const char *name, const char *language,
                                           struct template_row *out, bool *found, struct err *e)
{
	return s->ops->template_find_meta(s, account_id, waba_id, meta_id, name, language, out,
	                                  found, e);
}
static inline int store_template_update(struct store *s, const struct template_row *t,
                                        struct err *e)
{
	return s->ops->template_update(s, t, e);
}
static inline int store_template_delete(struct store *s, const char *account_id, const char *id,
                                        int64_t now, struct err *e)
{
	return s->ops->template_delete(s, account_id, id, now, e);
}
static inline int store_template_list(struct store *s, const char *account_id,
                                      const struct template_filter *f,
                                      void (*each)(void *arg, const struct template_row *row),
                                      void *arg, int64_t *total, struct err *e)
{
	return s->ops->template_list(s, account_id, f, each, arg, total, e);
}
static inline int store_template_counts(struct store *s, const char *account_id,
                                        struct template_counts *out, struct err *e)
{
	return s->ops->template_counts(s, account_id, out, e);
}

static inline int store_broadcast_insert(struct store *s, const struct broadcast_row *b,
                                         struct err *e)
{
	return s->ops->broadcast_insert(s, b, e);
}
static inline int store_broadcast_get(struct store *s, const char *account_id, const char *id,
                                      struct broadcast_row *out, struct err *e)
{
	return s->ops->broadcast_get(s, account_id, id, out, e);
}
static inline int store_broadcast_update(struct store *s, const struct broadcast_row *b,
                                         struct err *e)
{
	return s->ops->broadcast_update(s, b, e);
}
static inline int store_broadcast_discard(struct store *s, const char *id, struct err *e)
{
	return s->ops->broadcast_discard(s, id, e);
}
static inline int store_broadcast_list(struct store *s, const char *account_id,
                                       const struct broadcast_filter *f,
                                       void (*each)(void *arg, const struct broadcast_row *row),
                                       void *arg, int64_t *total, struct err *e)
{
	return s->ops->broadcast_list(s, account_id, f, each, arg, total, e);
}
static inline int store_broadcast_list_status(struct store *s, const char *status, int64_t limit,
                                              void (*each)(void *arg,
                                                           const struct broadcast_row *row),
                                              void *arg, struct err *e)
{
	return s->ops->broadcast_list_status(s, status, limit, each, arg, e);
}
static inline int store_broadcast_hold(struct store *s, const char *broadcast_id, bool hold,
                                       int64_t now, struct err *e)
{
	return s->ops->broadcast_hold(s, broadcast_id, hold, now, e);
}
static inline int store_broadcast_cancel(struct store *s, const char *broadcast_id, int64_t now,
                                         struct err *e)
{
	return s->ops->broadcast_cancel(s, broadcast_id, now, e);
}
static inline int store_broadcast_recipient_add(struct store *s,
                                                const struct broadcast_recipient_row *r,
                                                bool *duplicate, struct err *e)
{
	return s->ops->broadcast_recipient_add(s, r, duplicate, e);
}
static inline int store_broadcast_recipients_pending(
    struct store *s, const char *broadcast_id, int64_t from_seq, int64_t limit,
    void (*each)(void *arg, const struct broadcast_recipient_row *row), void *arg, struct err *e)
{
	return s->ops->broadcast_recipients_pending(s, broadcast_id, from_seq, limit, each, arg, e);
}
static inline int store_broadcast_recipient_queued(struct store *s, const char *broadcast_id,
                                                   int64_t seq, const char *message_id,
                                                   struct err *e)
{
	return s->ops->broadcast_recipient_queued(s, broadcast_id, seq, message_id, e);
}
static inline int
store_broadcast_report(struct store *s, const char *account_id, const char *broadcast_id,
                       const struct broadcast_report_filter *f,
                       void (*each)(void *arg, const struct broadcast_report_row *row), void *arg,
                       int64_t *total, struct err *e)
{
	return s->ops->broadcast_report(s, account_id, broadcast_id, f, each, arg, total, e);
}
static inline int store_broadcast_daily_usage(struct store *s, const char *account_id,
                                              int64_t since, int64_t *used, struct err *e)
{
	return s->ops->broadcast_daily_usage(s, account_id, since, used, e);
}

#endif
