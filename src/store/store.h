/* The storage interface: a table of function pointers that each backend fills (SQLite now,
 * PostgreSQL later; a URL chooses). Callers use the inline wrappers below. Rows are plain
 * structs with bounded fields, copied in and out: no pointer into the backend outlives a call.
 * One handle per thread, never shared. Services own transaction boundaries (begin/commit).
 * Every tenant-owned row carries account_id and every tenant query filters by it; the only
 * global lookups are the authentication ones (user by email, session by token hash).
 * The store knows no HTTP and no JSON. Times are unix ms; 0 means "not set". */
#ifndef PIXELS_STORE_STORE_H
#define PIXELS_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ids.h"
#include "core/sec.h"

#define STORE_NAME_MAX 128
#define STORE_EMAIL_MAX 256
#define STORE_IP_MAX 64
#define STORE_UA_MAX 256

enum account_status { ACCOUNT_STATUS_ACTIVE, ACCOUNT_STATUS_SUSPENDED };
enum user_role { USER_ROLE_OWNER, USER_ROLE_ADMIN, USER_ROLE_AGENT };

struct account_row {
	char id[IDS_SIZE];
	char name[STORE_NAME_MAX];
	char email[STORE_EMAIL_MAX];
	enum account_status status;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at; /* soft delete; 0 = live */
};

struct user_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char email[STORE_EMAIL_MAX]; /* lower-case, unique across all users */
	char name[STORE_NAME_MAX];
	char password_hash[SEC_PWHASH_MAX]; /* argon2id encoded string */
	enum user_role role;
	int64_t created_at;
	int64_t updated_at;
};

struct session_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char user_id[IDS_SIZE];
	char token_hash[SEC_SHA256_HEX]; /* HMAC-SHA256(JWT_SECRET, token), hex */
	int64_t created_at;
	int64_t expires_at;
	int64_t revoked_at; /* 0 = live */
	char ip[STORE_IP_MAX];
	char user_agent[STORE_UA_MAX];
};

/* Integration tokens: only a keyed hash of the token is stored. */
#define STORE_TOKEN_PREFIX_MAX 16

struct token_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char token_hash[SEC_SHA256_HEX];     /* HMAC-SHA256(pepper, token), hex; unique */
	char prefix[STORE_TOKEN_PREFIX_MAX]; /* first 12 characters, e.g. "wpi_int_1a2b" */
	char created_by[IDS_SIZE];           /* user id, "" when created outside a session */
	int64_t created_at;
	int64_t expires_at; /* 0 = never */
	int64_t last_used_at;
	char last_used_ip[STORE_IP_MAX];
	int64_t revoked_at; /* 0 = live */
};

/* Audit log: who did what, from where. details is a JSON object as text ("" = none); the
 * store keeps it verbatim and never parses it. */
#define STORE_AUDIT_ACTION_MAX 48
#define STORE_AUDIT_TARGET_MAX 128
#define STORE_AUDIT_DETAILS_MAX 1024

struct audit_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char actor_type[16];                 /* "user" | "token" | "system" */
	char actor_id[IDS_SIZE];             /* user or token id, "" for system */
	char actor_label[STORE_EMAIL_MAX];   /* user email or token prefix */
	char action[STORE_AUDIT_ACTION_MAX]; /* e.g. "auth.login", "token.generated" */
	char target[STORE_AUDIT_TARGET_MAX];
	char ip[STORE_IP_MAX];
	char user_agent[STORE_UA_MAX];
	char details[STORE_AUDIT_DETAILS_MAX];
	int64_t created_at;
};

/* Contacts: one per phone number per account. phone holds 8 to 15 digits. attributes is a
 * JSON object as text ("" = none), stored verbatim. Tags are kept in their own table. */
#define STORE_PHONE_MAX 16
#define STORE_TAGS_MAX 20
#define STORE_TAG_MAX 48
#define STORE_ATTRS_MAX 4096

struct contact_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char name[STORE_NAME_MAX];
	char phone[STORE_PHONE_MAX];
	char email[STORE_EMAIL_MAX]; /* "" = none */
	char tags[STORE_TAGS_MAX][STORE_TAG_MAX];
	int ntags;
	char attributes[STORE_ATTRS_MAX];
	bool opted_out;
	int64_t created_at;
	int64_t updated_at;
};

struct contact_filter {
	const char *search; /* NULL = all; plain text matched case-insensitively (ASCII) as a
	                       substring of name, phone or email: never a pattern */
	const char *tag;    /* NULL = all; exact tag */
	int64_t limit;      /* 1..500 (the caller validates) */
	int64_t offset;     /* >= 0 */
};

struct audit_filter {
	const char *action; /* NULL = all; exact action */
	int64_t limit;
	int64_t offset;
};

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
	/* Sets last_used_at and last_used_ip. */
	int (*token_touch)(struct store *s, const char *account_id, const char *token_id,
	                   int64_t now, const char *ip, struct err *e);
	/* Records that the token was used from ip; *is_new true when this is the first time. */
	int (*token_ip_remember)(struct store *s, const char *account_id, const char *token_id,
	                         const char *ip, int64_t now, bool *is_new, struct err *e);

	int (*audit_insert)(struct store *s, const struct audit_row *a, struct err *e);
	/* Newest first. Calls each(arg, row) per row (row borrowed for the call); *total is the
	 * count matching the filter, ignoring limit/offset. */
	int (*audit_list)(struct store *s, const char *account_id, const struct audit_filter *f,
	                  void (*each)(void *arg, const struct audit_row *row), void *arg,
	                  int64_t *total, struct err *e);

	/* Contacts. ERR_CONFLICT "CONTACT_EXISTS" when the account already has that phone. */
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
};

struct store {
	const struct store_ops *ops;
};

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

/* Names for enum values as stored and as shown in the API ("active", "owner"...), and the
 * reverse (0 or -1). */
const char *store_account_status_name(enum account_status st);
int store_account_status_parse(const char *s, enum account_status *out);
const char *store_user_role_name(enum user_role role);
int store_user_role_parse(const char *s, enum user_role *out);

#endif
