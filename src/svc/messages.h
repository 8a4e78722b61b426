/* Sending messages and reading them back. A send is validated, checked against the 24-hour
 * customer-service window, written durably (status queued, in the same group commit as its
 * conversation and idempotency key) and only then acknowledged; the dispatcher sends it.
 * A synchronous send's answer waits up to SEND_WAIT_MS for Meta's verdict; no thread waits
 * with it (svc/waiters). */
#ifndef PIXELS_SVC_MESSAGES_H
#define PIXELS_SVC_MESSAGES_H

#include <stdbool.h>

#include "svc/svc.h"

#define MESSAGES_TEXT_MAX 4096 /* characters */
#define MESSAGES_URL_MAX 2048

struct send_answer;

struct send_cmd {
	const char *recipient; /* raw phone, normalised here */
	const char *text;      /* the text, or the caption of media */
	const char *media_url;
	const char *media_type; /* image|video|document|audio|sticker; NULL = from the URL */
	const char *caption;    /* overrides text as the caption */
	const char *filename;
	bool preview_url;
	const char *reply_to;        /* our message id or a wamid */
	const char *phone_number_id; /* Meta id; NULL = the account's default */
	const char *conversation_id; /* replies: our id or "<account>_<number>_<phone>" */
	const char *idempotency_key; /* NULL = none */
	const char *request_hash;    /* SHA-256 hex of the request body, with a key */
	bool async;                  /* Prefer: respond-async: do not wait for Meta */
	/* Required: where the answer goes. A send refused up front (validation, window, a
	 * replayed key) returns its answer or error at once; one that reaches the durable write
	 * returns 0 with out->pending set, and queued(queued_arg, ...) is called later, once,
	 * from another thread: when the message is durable (async: 202 queued) or not (rc), or
	 * for a synchronous send when Meta's verdict came (200 accepted, 422 WHATSAPP_ERROR) or
	 * SEND_WAIT_MS passed (202 queued). The function must be quick (it runs on the writer's
	 * completer, the dispatcher or the waiters' timer thread). */
	void (*queued)(void *arg, int rc, const struct send_answer *a, const struct err *e);
	void *queued_arg;
};

struct send_answer {
	int http_status; /* 200 accepted, 202 queued, 422 refused by Meta (err set) */
	char message_id[IDS_SIZE];
	char wa_message_id[STORE_WAMID_MAX];
	enum msg_status status;
	int64_t timestamp;
	int error_code; /* Meta's, for 422 */
	bool pending;   /* the answer will come through cmd->queued */
	bool replayed;  /* an Idempotency-Key replay: replay_status/replay_body hold the answer */
	int replay_status;
	char replay_body[4096];
};

/* Errors: VALIDATION_ERROR (message, mediaUrl, mediaType, ...), ERR_INVALID
 * "INVALID_PHONE" / "NO_PHONE_NUMBER", ERR_NOT_FOUND "CONVERSATION_NOT_FOUND",
 * ERR_UNPROCESSABLE "OUTSIDE_CUSTOMER_SERVICE_WINDOW" / "IDEMPOTENCY_KEY_REUSED" /
 * "PHONE_NUMBER_UNAVAILABLE" / "WHATSAPP_ERROR" (Meta refused it: out has the message id
 * and Meta's code; the message is stored as failed). */
int messages_send(struct ctx *c, const char *account_id, const struct send_cmd *cmd,
                  struct send_answer *out, struct err *e);
/* The two halves of a send, for other kinds of message (template_send): first the
 * Idempotency-Key check (*handled true: out holds the first answer or e its error), then,
 * once msg is fully prepared (id, account, number, customer, type, content and Graph request;
 * status queued), the durable write with its conversation (preview shown in lists) and key,
 * and the wait for Meta's verdict. cmd supplies idempotency_key, request_hash, async and
 * queued.
 * messages_enqueue takes msg over (heap-allocated; freed whatever the outcome). Answers and
 * errors as messages_send. */
int messages_check_replay(struct ctx *c, const char *account_id, const struct send_cmd *cmd,
                          struct send_answer *out, bool *handled, struct err *e);
int messages_enqueue(struct ctx *c, const struct send_cmd *cmd, struct message_row *msg,
                     const char *preview, struct send_answer *out, struct err *e);
/* Fills msg: a queued text message from num to user (normalised). VALIDATION_ERROR "message"
 * when it does not fit. */
int messages_build_text(struct ctx *c, const char *account_id, const struct number_row *num,
                        const char *user, const char *text, struct message_row *msg, struct err *e);
/* Inside a writer job: inserts msg (queued, outbound) and creates or updates its
 * conversation (preview shown in lists); sets msg->conversation_id. */
int messages_store_outbound(struct store *s, struct message_row *msg, const char *preview,
                            struct err *e);
/* Records the answer given for an Idempotency-Key, from any thread, without waiting (a
 * writer job); done(done_arg) runs once it is committed (or could not be: that is logged),
 * so the caller can hold the answer back until a retry would find it. */
void messages_remember_answer(struct svc *svc, const char *account_id, const char *key, int status,
                              const char *body, void (*done)(void *arg), void *done_arg);
/* By our id or by Meta's wamid. ERR_NOT_FOUND "MESSAGE_NOT_FOUND". */
int messages_get(struct ctx *c, const char *account_id, const char *id, struct message_row *out,
                 struct err *e);
/* Resolves a conversation by our id or the original system's composite id. */
int messages_find_conversation(struct ctx *c, const char *account_id, const char *id,
                               struct conversation_row *out, struct err *e);
/* The status events of one of the account's messages, in time order. */
int messages_events(struct ctx *c, const char *account_id, const char *message_id,
                    void (*each)(void *arg, const struct message_event_row *ev), void *arg,
                    struct err *e);
/* The account's messages matching f; *total ignores limit/offset. */
int messages_list(struct ctx *c, const char *account_id, const struct message_filter *f,
                  void (*each)(void *arg, const struct message_row *row), void *arg, int64_t *total,
                  struct err *e);
/* Delivery counts per day and the top error codes; see store_message_delivery_report. */
int messages_report(struct ctx *c, const char *account_id, int64_t since, int64_t until,
                    const char *phone_number_id,
                    void (*each_day)(void *arg, const struct delivery_day *d),
                    void (*each_error)(void *arg, int code, int64_t count), void *arg,
                    struct err *e);
/* A short preview of a message's content for conversation lists. */
void messages_preview(const char *type, const char *text, const char *filename, char *out,
                      size_t cap);

#endif
