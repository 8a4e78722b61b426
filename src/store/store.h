/* The storage interface: a table of function pointers that each backend fills (SQLite now,
 * PostgreSQL later; a URL chooses). Callers use the inline wrappers below. Rows are plain
 * structs with bounded fields, copied in and out: no pointer into the backend outlives a call.
 * One handle per thread, never shared. Services own transaction boundaries (begin/commit).
 * Every tenant-owned row carries account_id and every tenant query filters by it; the only
 * global operations are the authentication lookups (user by email, session by token hash)
 * and those of webhooks and the dispatcher, each saying so below.
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
	/* Tags come back in the order written; a tag given twice is kept once, "" is refused.
	 * ntags is 0..STORE_TAGS_MAX (more: ERR_INVALID "VALUE_TOO_LONG"). */
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

/* WhatsApp numbers connected to an account. Secrets are stored encrypted by the service
 * layer (libsodium secretbox); the store sees only the sealed text. */
#define STORE_META_ID_MAX 64  /* Meta ids: phone-number id, WABA id */
#define STORE_SEALED_MAX 1024 /* sealed secret as text */
#define STORE_WAMID_MAX 160   /* Meta message ids ("wamid.…") */

enum number_status {
	NUMBER_STATUS_ACTIVE,
	NUMBER_STATUS_REAUTH, /* Meta refused the token (190): "reconnect required" */
	NUMBER_STATUS_PAUSED, /* spam limit / policy block: sending stopped */
};

struct number_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char phone_number_id[STORE_META_ID_MAX]; /* Meta's id; unique across all accounts */
	char waba_id[STORE_META_ID_MAX];
	char display_name[STORE_NAME_MAX];
	char display_phone[32];
	char verified_name[STORE_NAME_MAX];
	char quality_rating[16];
	char access_token_sealed[STORE_SEALED_MAX];
	char app_secret_sealed[STORE_SEALED_MAX]; /* "" = none (META_APP_SECRET applies) */
	int throughput_mps;
	bool is_default;
	bool sandbox;
	enum number_status status;
	char status_reason[256];
	int64_t last_tested_at;
	int64_t created_at;
	int64_t updated_at;
};

enum conv_status { CONV_STATUS_OPEN, CONV_STATUS_CLOSED };

struct conversation_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char phone_number_id[STORE_META_ID_MAX]; /* the business number (Meta id) */
	char user_phone[STORE_PHONE_MAX];        /* the customer */
	char user_name[STORE_NAME_MAX];
	char user_profile_name[STORE_NAME_MAX];
	int64_t last_message_at;
	char last_message_preview[256];
	char last_message_type[24];
	int64_t last_inbound_at; /* opens the 24-hour customer-service window; 0 = never */
	int64_t unread_count;
	enum conv_status status;
	int64_t created_at;
	int64_t updated_at;
};

struct conversation_filter {
	const char *search;          /* plain text in user phone, name or profile name */
	const char *phone_number_id; /* NULL = all numbers */
	int status;                  /* -1 = any, else enum conv_status */
	int64_t limit;
	int64_t offset;
};

/* Message status, ordered: a status only ever moves to a higher rank (see store_msg_rank). */
enum msg_status {
	MSG_STATUS_QUEUED,   /* durable, waiting for the dispatcher */
	MSG_STATUS_SENDING,  /* claimed: request to Meta in flight */
	MSG_STATUS_ACCEPTED, /* Meta answered 200 with a wamid */
	MSG_STATUS_SENT,
	MSG_STATUS_FAILED,
	MSG_STATUS_DELIVERED,
	MSG_STATUS_READ,
	MSG_STATUS_RECEIVED, /* inbound */
};

enum msg_direction { MSG_DIR_OUT, MSG_DIR_IN };

#define STORE_CONTENT_MAX 8192  /* message content as JSON text */
#define STORE_REQUEST_MAX 12288 /* the Graph request body as JSON text */

struct message_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char conversation_id[IDS_SIZE];
	char phone_number_id[STORE_META_ID_MAX];
	enum msg_direction direction;
	char type[24];                    /* text, image, template, location, ... */
	char user_phone[STORE_PHONE_MAX]; /* the customer: "to" for outbound, "from" for inbound */
	char content[STORE_CONTENT_MAX];  /* JSON object as text, stored verbatim */
	char request[STORE_REQUEST_MAX];  /* outbound: the exact Graph API body to POST */
	enum msg_status status;
	char wa_message_id[STORE_WAMID_MAX]; /* "" until Meta accepted it */
	int64_t queued_at, accepted_at, sent_at, delivered_at, read_at, failed_at;
	int error_code; /* 0 = none */
	char error_title[128];
	char error_message[512];
	char error_details[512];
	char pricing_category[32]; /* "" = unknown */
	int pricing_billable;      /* -1 unknown, 0, 1 */
	int attempts;
	int64_t next_attempt_at;     /* queued: not before this time */
	int priority;                /* 0 = conversation traffic (first), 1 = bulk */
	char broadcast_id[IDS_SIZE]; /* "" = none */
	int64_t created_at;
	int64_t updated_at;
};

struct message_filter {
	const char *conversation_id; /* NULL = all */
	int status;                  /* -1 = any */
	int direction;               /* -1 = any */
	int64_t since, until;        /* created_at bounds, 0 = open */
	int64_t limit, offset;
	bool oldest_first;
};

/* A status report from Meta, as applied to a message. */
struct status_update {
	char wa_message_id[STORE_WAMID_MAX];
	enum msg_status status; /* SENT, DELIVERED, READ or FAILED */
	int64_t timestamp;      /* Meta's time, unix ms */
	int error_code;
	char error_title[128];
	char error_message[512];
	char error_details[512];
	char pricing_category[32];
	int pricing_billable; /* -1 unknown */
};

struct message_event_row {
	enum msg_status status;
	int64_t timestamp;
	int error_code;
};

/* The outcome of one send attempt, recorded by the dispatcher. */
enum send_outcome { SEND_ACCEPTED, SEND_RETRY, SEND_FAILED };

struct send_result {
	char account_id[IDS_SIZE];
	char message_id[IDS_SIZE];
	enum send_outcome outcome;
	char wa_message_id[STORE_WAMID_MAX]; /* SEND_ACCEPTED */
	int64_t at;
	int64_t next_attempt_at; /* SEND_RETRY */
	int error_code;          /* SEND_FAILED and SEND_RETRY (last error) */
	char error_title[128];
	char error_message[512];
	char error_details[512];
};

/* One claimed message handed to the dispatcher. */
struct claimed_message {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char phone_number_id[STORE_META_ID_MAX];
	char user_phone[STORE_PHONE_MAX];
	char request[STORE_REQUEST_MAX];
	int attempts; /* including this one */
	int64_t queued_at;
	int priority;
};

/* The stored first answer to a request made with an Idempotency-Key. */
struct idem_row {
	char account_id[IDS_SIZE];
	char key[256];
	char request_hash[SEC_SHA256_HEX];
	char message_id[IDS_SIZE]; /* the message the first request created */
	int status_code;           /* 0 until the first answer is recorded (idem_set_response) */
	char response[4096];       /* the first answer's JSON body */
	int64_t created_at;
};

/* A raw webhook POST from Meta, persisted before it is acknowledged. */
struct inbox_row {
	int64_t seq; /* assigned by the store, increasing */
	int64_t received_at;
	char *body; /* borrowed for the callback */
	size_t body_len;
};

struct delivery_day {
	char day[11];      /* YYYY-MM-DD (UTC) */
	int64_t counts[8]; /* indexed by enum msg_status (outbound messages created that day) */
};

struct store;

/* Message templates: the local registry per account and WABA. status is one of draft, pending,
 * approved, rejected, paused, disabled; category MARKETING, UTILITY or AUTHENTICATION.
 * components is Meta's components array as JSON text and variables a JSON array of the
 * variable names ("1", "2" or named), both stored verbatim. */
#define STORE_TPL_NAME_MAX 513
#define STORE_TPL_BODY_MAX 4100       /* 1024 characters of UTF-8 */
#define STORE_TPL_COMPONENTS_MAX 8192 /* JSON text */
#define STORE_TPL_VARIABLES_MAX 1024  /* JSON text */

struct template_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char waba_id[STORE_META_ID_MAX];
	char name[STORE_TPL_NAME_MAX];
	char language[16];
	char category[24];
	char status[16];
	char components[STORE_TPL_COMPONENTS_MAX];
	char body[STORE_TPL_BODY_MAX];
	char variables[STORE_TPL_VARIABLES_MAX];
	int var_count;
	char meta_template_id[STORE_META_ID_MAX]; /* "" until submitted */
	char rejected_reason[512];
	int64_t usage_count;
	int64_t last_used_at;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at; /* soft delete; 0 = live */
};

struct template_filter {
	const char *status;   /* NULL = any */
	const char *category; /* NULL = any */
	int64_t limit, offset;
};

/* Live templates per status, for list statistics. */
struct template_counts {
	int64_t draft, pending, approved, rejected, paused, disabled, total;
};

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
	/* Claims up to max due messages (status QUEUED with next_attempt_at <= now, on numbers
	 * whose status is ACTIVE), priority first then oldest first: marks them SENDING,
	 * attempts + 1. Global (every account). Calls each per claimed message, in that order,
	 * once the claim is committed (or, inside the caller's transaction, written into it).
	 * Two handles claiming at once never get the same message. */
	int (*message_claim)(struct store *s, int64_t now, int max,
	                     void (*each)(void *arg, const struct claimed_message *m), void *arg,
	                     struct err *e);
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

static inline int store_message_claim(struct store *s, int64_t now, int max,
                                      void (*each)(void *arg, const struct claimed_message *m),
                                      void *arg, struct err *e)
{
	return s->ops->message_claim(s, now, max, each, arg, e);
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

/* Names for enum values as stored and as shown in the API ("active", "owner"...), and the
 * reverse (0 or -1). */
const char *store_number_status_name(enum number_status st);
int store_number_status_parse(const char *s, enum number_status *out);
const char *store_conv_status_name(enum conv_status st);
int store_conv_status_parse(const char *s, enum conv_status *out);
const char *store_msg_status_name(enum msg_status st);
int store_msg_status_parse(const char *s, enum msg_status *out);
/* Rank for the forward-only rule: queued/sending 0 < accepted 1 < sent 2 < failed 3 <
 * delivered 4 < read 5. (A late "delivered" never overwrites "read"; "failed" after
 * "delivered" is kept as an event only.) received (inbound) is 0; an out-of-range value -1. */
int store_msg_rank(enum msg_status st);
const char *store_account_status_name(enum account_status st);
int store_account_status_parse(const char *s, enum account_status *out);
const char *store_user_role_name(enum user_role role);
int store_user_role_parse(const char *s, enum user_role *out);

#endif
