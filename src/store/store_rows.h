/* The storage model: the row, filter and enum types the store reads and writes, with their
 * bounds. Plain structs with bounded fields, copied in and out; times are unix ms, 0 "not set".
 * Every tenant-owned row carries account_id. Included through store/store.h. */
#ifndef PIXELS_STORE_STORE_ROWS_H
#define PIXELS_STORE_STORE_ROWS_H

#include <stdbool.h>
#include <stdint.h>

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

/* How many of one number's due messages a claim may take (message_claim_numbers). */
struct claim_want {
	char phone_number_id[STORE_META_ID_MAX];
	int max;
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

#define STORE_BC_TEXT_MAX 16388   /* 4096 characters of UTF-8 */
#define STORE_BC_VARS_MAX 4096    /* one recipient's variable values, JSON array text */
#define STORE_BC_MEDIA_MAX 2100   /* header media link */
#define STORE_BC_BUTTONS_MAX 2048 /* button parameters, JSON text */
#define STORE_BC_RAW_PHONE_MAX 40 /* a recipient's phone as given (invalid ones too) */

/* A broadcast: status is "accepting" (being written, never shown), "scheduled", "running",
 * "paused", "completed", "cancelled" or "failed". Counters n_* are kept by the store as the
 * broadcast's messages change status; callers never write them. */
struct broadcast_row {
	char id[IDS_SIZE];
	char account_id[IDS_SIZE];
	char name[STORE_NAME_MAX];
	char phone_number_id[STORE_META_ID_MAX];
	char kind[12]; /* "template" or "text" */
	char template_id[IDS_SIZE];
	char template_name[STORE_TPL_NAME_MAX];
	char language[16];
	char text[STORE_BC_TEXT_MAX];
	char header_media[STORE_BC_MEDIA_MAX];
	char buttons[STORE_BC_BUTTONS_MAX];
	int throttle_mps; /* 0 = the number's own rate */
	char status[16];
	char status_reason[256];
	int64_t schedule_at; /* 0 = at once */
	int64_t total;       /* recipients to send to (skipped ones excluded) */
	int64_t skipped_invalid, skipped_duplicate, skipped_opted_out, skipped_window;
	int64_t next_seq; /* recipients before this seq have been turned into messages */
	int64_t n_queued, n_sending, n_accepted, n_sent, n_delivered, n_read, n_failed;
	int stop_code; /* a failure that must pause the broadcast (132015), 0 = none */
	char created_by[IDS_SIZE];
	int64_t started_at, finished_at, created_at, updated_at;
};

struct broadcast_filter {
	const char *status; /* NULL = any (never "accepting") */
	int64_t limit, offset;
};

/* One recipient line: status "pending" (not yet a message), "queued" (its message exists:
 * message_id), "skipped" (skip_reason: invalidPhone, optedOut, outsideWindow) or
 * "cancelled". */
struct broadcast_recipient_row {
	char broadcast_id[IDS_SIZE];
	int64_t seq;
	char phone[STORE_BC_RAW_PHONE_MAX];
	char name[STORE_NAME_MAX];
	char variables[STORE_BC_VARS_MAX];
	char status[12];
	char skip_reason[24];
	char message_id[IDS_SIZE];
};

/* A recipient with its message's state, for the per-recipient report. */
struct broadcast_report_row {
	struct broadcast_recipient_row r;
	bool has_message;
	enum msg_status status;
	char wa_message_id[STORE_WAMID_MAX];
	int error_code;
	char error_title[128];
	char error_message[512];
	int64_t accepted_at, sent_at, delivered_at, read_at, failed_at;
};

struct broadcast_report_filter {
	const char *status; /* NULL = all; a recipient status or a message status */
	int64_t limit, offset;
};

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
