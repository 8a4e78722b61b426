/* The send path; see messages.h. Everything that can be refused is refused before the
 * durable write; after it, the message exists and will be sent. */
#include "svc/messages.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/jsonw.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "core/str.h"
#include "meta/build.h"
#include "svc/numbers.h"
#include "svc/phone.h"
#include "svc/waiters.h"
#include "svc/writer.h"

#define WINDOW_MS INT64_C(86400000)

/* A send between the API and its answer: the prepared rows for the writer job, then (for a
 * synchronous send) the wait for Meta's verdict. Owned by the send path until finish(). */
struct enqueue_job {
	struct message_row *msg;      /* owned (22 KB: allocated once per send, never copied) */
	struct conversation_row conv; /* used when the conversation is new */
	char *idem_key;               /* owned copies, or NULL */
	char *idem_hash;
	bool handled; /* the writer found the key already used: answer holds the first answer */
	struct waiter *waiter; /* synchronous sends: Meta's verdict, up to SEND_WAIT_MS */
	void (*queued)(void *arg, int rc, const struct send_answer *a, const struct err *e);
	void *queued_arg;
	struct send_answer answer;
	struct svc *svc;
};

void messages_preview(const char *type, const char *text, const char *filename, char *out,
                      size_t cap)
{
	if (text && *text && strcmp(type, "text") == 0) {
		size_t n = strlen(text) < 200 ? strlen(text) : 200;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--; /* never cut inside a UTF-8 sequence */
		str_copy(out, cap, (struct str){text, n});
	} else if (strcmp(type, "image") == 0) {
		snprintf(out, cap, "📷 Photo");
	} else if (strcmp(type, "video") == 0) {
		snprintf(out, cap, "🎥 Video");
	} else if (strcmp(type, "audio") == 0) {
		snprintf(out, cap, "🎵 Audio");
	} else if (strcmp(type, "document") == 0) {
		snprintf(out, cap, "📄 Document%s%.100s", filename && *filename ? ": " : "",
		         filename ? filename : "");
	} else if (strcmp(type, "sticker") == 0) {
		snprintf(out, cap, "🏷️ Sticker");
	} else {
		snprintf(out, cap, "[%.20s]", type);
	}
}

static const char *media_type_from_url(const char *url)
{
	static const struct {
		const char *ext, *type;
	} map[] = {{".jpg", "image"}, {".jpeg", "image"}, {".png", "image"},   {".mp4", "video"},
	           {".3gp", "video"}, {".mp3", "audio"},  {".ogg", "audio"},   {".aac", "audio"},
	           {".m4a", "audio"}, {".amr", "audio"},  {".webp", "sticker"}};
	const char *q = strpbrk(url, "?#");
	size_t len = q ? (size_t)(q - url) : strlen(url);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].ext);
		if (len > n && strncasecmp(url + len - n, map[i].ext, n) == 0)
			return map[i].type;
	}
	return "document";
}

static int check_content(const struct send_cmd *cmd, const char **media_type, struct err *e)
{
	const char *text = cmd->text;
	if (!cmd->media_url && (!text || !*text))
		return err_field(e, "message", "is required (or send mediaUrl)");
	if (text && str_utf8_chars(text) > MESSAGES_TEXT_MAX)
		return err_field(e, "message", "must be at most %d characters", MESSAGES_TEXT_MAX);
	*media_type = NULL;
	if (!cmd->media_url)
		return 0;
	size_t n = strlen(cmd->media_url);
	if (n > MESSAGES_URL_MAX ||
	    (strncmp(cmd->media_url, "https://", 8) != 0 &&
	     strncmp(cmd->media_url, "http://", 7) != 0) ||
	    strpbrk(cmd->media_url, " \t\r\n"))
		return err_field(e, "mediaUrl", "must be an http(s) URL of at most %d characters",
		                 MESSAGES_URL_MAX);
	*media_type = cmd->media_type ? cmd->media_type : media_type_from_url(cmd->media_url);
	if (!meta_build_media_type_ok(*media_type))
		return err_field(e, "mediaType",
		                 "must be image, video, document, audio or sticker");
	return 0;
}

int messages_find_conversation(struct ctx *c, const char *account_id, const char *id,
                               struct conversation_row *out, struct err *e)
{
	if (ids_is_valid(str_from(id)))
		return store_conversation_get(c->store, account_id, id, out, e);
	/* The original system's composite id: <accountId>_<phoneNumberId>_<userPhone>. */
	const char *a = strchr(id, '_');
	const char *b = a ? strchr(a + 1, '_') : NULL;
	char pnid[STORE_META_ID_MAX], user[STORE_PHONE_MAX];
	bool found = false;
	if (!a || !b || (size_t)(a - id) != strlen(account_id) ||
	    strncmp(id, account_id, strlen(account_id)) != 0 ||
	    str_copy(pnid, sizeof(pnid), (struct str){a + 1, (size_t)(b - a - 1)}) != 0 ||
	    str_copy_cstr(user, sizeof(user), b + 1) != 0)
		return err_set(e, ERR_NOT_FOUND, "CONVERSATION_NOT_FOUND",
		               "Conversation not found");
	int rc = store_conversation_find(c->store, account_id, pnid, user, out, &found, e);
	if (rc == 0 && !found)
		rc = err_set(e, ERR_NOT_FOUND, "CONVERSATION_NOT_FOUND", "Conversation not found");
	return rc;
}

int messages_get(struct ctx *c, const char *account_id, const char *id, struct message_row *out,
                 struct err *e)
{
	if (ids_is_valid(str_from(id)))
		return store_message_get(c->store, account_id, id, out, e);
	bool found = false;
	int rc = strncmp(id, "wamid.", 6) == 0
	             ? store_message_find_by_wamid(c->store, account_id, id, out, &found, e)
	             : 0;
	if (rc == 0 && !found)
		rc = err_set(e, ERR_NOT_FOUND, "MESSAGE_NOT_FOUND", "Message not found");
	return rc;
}

/* Number and customer: from the conversation for replies, else from the command. */
static int resolve_target(struct ctx *c, const char *account_id, const struct send_cmd *cmd,
                          struct number_row *num, char *user, struct conversation_row *conv,
                          bool *have_conv, struct err *e)
{
	*have_conv = false;
	if (cmd->conversation_id) {
		int rc = messages_find_conversation(c, account_id, cmd->conversation_id, conv, e);
		if (rc == 0)
			rc = numbers_resolve(c, account_id, conv->phone_number_id, num, e);
		str_copy_cstr(user, STORE_PHONE_MAX, conv->user_phone);
		*have_conv = rc == 0;
		return rc;
	}
	int rc = phone_normalize(cmd->recipient, "recipientPhone", user, e);
	if (rc == 0)
		rc = numbers_resolve(c, account_id, cmd->phone_number_id, num, e);
	if (rc == 0)
		rc = store_conversation_find(c->store, account_id, num->phone_number_id, user, conv,
		                             have_conv, e);
	return rc;
}

static int check_window(struct ctx *c, const struct conversation_row *conv, bool have_conv,
                        struct err *e)
{
	if (!c->svc->cfg->enforce_service_window)
		return 0;
	int64_t last = have_conv ? conv->last_inbound_at : 0;
	if (last > 0 && svc_now(c) - last < WINDOW_MS)
		return 0;
	return err_set(e, ERR_UNPROCESSABLE, "OUTSIDE_CUSTOMER_SERVICE_WINDOW",
	               "This customer has not written to you in the last 24 hours, so WhatsApp "
	               "only allows an approved template message: send an approved template "
	               "instead.");
}

static int reply_wamid(struct ctx *c, const char *account_id, const char *reply_to, char *out,
                       struct err *e)
{
	out[0] = '\0';
	if (!reply_to || !*reply_to)
		return 0;
	struct message_row m;
	struct err tmp = {0};
	if (messages_get(c, account_id, reply_to, &m, &tmp) != 0 || !m.wa_message_id[0])
		return err_field(e, "replyToMessageId", "is not a known message of this account");
	str_copy_cstr(out, STORE_WAMID_MAX, m.wa_message_id);
	return 0;
}

/* Fills the message row: content as we show it, request as Meta wants it. */
static int build_message(struct ctx *c, const char *account_id, const struct send_cmd *cmd,
                         const char *media_type, const struct number_row *num, const char *user,
                         const char *wamid_ctx, struct message_row *m, struct err *e)
{
	memset(m, 0, sizeof(*m));
	int64_t now = svc_now(c);
	ids_new(now, m->id);
	str_copy_cstr(m->account_id, sizeof(m->account_id), account_id);
	str_copy_cstr(m->phone_number_id, sizeof(m->phone_number_id), num->phone_number_id);
	str_copy_cstr(m->user_phone, sizeof(m->user_phone), user);
	m->direction = MSG_DIR_OUT;
	m->status = MSG_STATUS_QUEUED;
	m->queued_at = m->created_at = m->updated_at = m->next_attempt_at = now;
	m->pricing_billable = -1;
	const char *caption = cmd->caption ? cmd->caption : cmd->text;
	json_t *req, *content;
	if (media_type) {
		str_copy_cstr(m->type, sizeof(m->type), media_type);
		req = meta_build_media(user, media_type, cmd->media_url, caption, cmd->filename,
		                       wamid_ctx, m->id);
		content = json_pack("{s:s, s:s, s:o, s:o}", "mediaUrl", cmd->media_url, "mediaType",
		                    media_type, "caption", jsonw_string_or_null(caption),
		                    "filename", jsonw_string_or_null(cmd->filename));
	} else {
		str_copy_cstr(m->type, sizeof(m->type), "text");
		req = meta_build_text(user, cmd->text, cmd->preview_url, wamid_ctx, m->id);
		content = json_pack("{s:s}", "text", cmd->text);
	}
	if (wamid_ctx[0])
		json_object_set_new(content, "replyTo", json_string(wamid_ctx));
	char *rq = jsonw_dump(req, NULL), *ct = jsonw_dump(content, NULL);
	int rc = 0;
	if (str_copy_cstr(m->request, sizeof(m->request), rq) != 0 ||
	    str_copy_cstr(m->content, sizeof(m->content), ct) != 0)
		rc = err_field(e, "message", "is too large");
	free(rq);
	free(ct);
	json_decref(req);
	json_decref(content);
	return rc;
}

int messages_build_text(struct ctx *c, const char *account_id, const struct number_row *num,
                        const char *user, const char *text, struct message_row *msg, struct err *e)
{
	struct send_cmd cmd = {.text = text};
	return build_message(c, account_id, &cmd, NULL, num, user, "", msg, e);
}

static void fill_conversation(const struct message_row *m, const char *preview,
                              struct conversation_row *conv)
{
	memset(conv, 0, sizeof(*conv));
	ids_new(m->created_at, conv->id);
	memcpy(conv->account_id, m->account_id, sizeof(conv->account_id));
	memcpy(conv->phone_number_id, m->phone_number_id, sizeof(conv->phone_number_id));
	memcpy(conv->user_phone, m->user_phone, sizeof(conv->user_phone));
	conv->created_at = m->created_at;
	conv->status = CONV_STATUS_OPEN;
	conv->last_message_at = conv->updated_at = m->created_at;
	str_copy_cstr(conv->last_message_type, sizeof(conv->last_message_type), m->type);
	str_copy_cstr(conv->last_message_preview, sizeof(conv->last_message_preview), preview);
}

int messages_store_outbound(struct store *s, struct message_row *msg, const char *preview,
                            struct err *e)
{
	struct conversation_row conv;
	fill_conversation(msg, preview, &conv);
	int rc = store_conversation_touch_outbound(s, &conv, msg->conversation_id, e);
	return rc != 0 ? rc : store_message_insert(s, msg, e);
}

/* The answer to a send Meta refused (422 WHATSAPP_ERROR). */
static int refused(struct send_answer *out, int code, const char *message, const char *title,
                   struct err *e)
{
	out->http_status = 422;
	out->status = MSG_STATUS_FAILED;
	out->error_code = code;
	return err_set(e, ERR_UNPROCESSABLE, "WHATSAPP_ERROR",
	               "WhatsApp refused the message (%d): %s", code, message[0] ? message : title);
}

/* Answer from a message's current state (for replays without a recorded answer). */
static int answer_from(const struct message_row *m, struct send_answer *out, struct err *e)
{
	memcpy(out->message_id, m->id, sizeof(out->message_id));
	memcpy(out->wa_message_id, m->wa_message_id, sizeof(out->wa_message_id));
	out->status = m->status;
	out->timestamp = m->created_at;
	if (m->status == MSG_STATUS_FAILED)
		return refused(out, m->error_code, m->error_message, m->error_title, e);
	out->http_status =
	    store_msg_rank(m->status) >= store_msg_rank(MSG_STATUS_ACCEPTED) ? 200 : 202;
	return 0;
}

/* 0 with *handled false: key is new. *handled true: out holds the first answer (or e). */
static int replay(struct store *s, const char *account_id, const char *key, const char *hash,
                  int64_t now, struct send_answer *out, bool *handled, struct err *e)
{
	*handled = false;
	if (!key)
		return 0;
	struct idem_row r;
	bool found = false;
	int rc = store_idem_find(s, account_id, key, now, &r, &found, e);
	if (rc != 0 || !found)
		return rc;
	*handled = true;
	memset(out, 0, sizeof(*out));
	if (strcmp(r.request_hash, hash) != 0)
		return err_set(
		    e, ERR_UNPROCESSABLE, "IDEMPOTENCY_KEY_REUSED",
		    "This Idempotency-Key was already used with a different request body.");
	if (r.status_code != 0) {
		out->replayed = true;
		out->replay_status = r.status_code;
		str_copy_cstr(out->replay_body, sizeof(out->replay_body), r.response);
		return 0;
	}
	struct message_row m; /* no recorded answer yet: answer from the message's state */
	rc = store_message_get(s, account_id, r.message_id, &m, e);
	return rc != 0 ? rc : answer_from(&m, out, e);
}

int messages_check_replay(struct ctx *c, const char *account_id, const struct send_cmd *cmd,
                          struct send_answer *out, bool *handled, struct err *e)
{
	return replay(c->store, account_id, cmd->idempotency_key, cmd->request_hash, svc_now(c),
	              out, handled, e);
}

/* Runs on the writer thread: conversation, message and idempotency key, atomically. The
 * key is checked again here, where writes are serialised: of two concurrent twins the
 * second is answered as the first one's replay. */
static int enqueue(struct store *s, void *arg, struct err *e)
{
	struct enqueue_job *j = arg;
	const struct message_row *m = j->msg;
	if (j->idem_key) {
		int rc = replay(s, m->account_id, j->idem_key, j->idem_hash,
		                clock_now_ms(&j->svc->clock), &j->answer, &j->handled, e);
		if (rc != 0 || j->handled)
			return rc;
	}
	int rc = messages_store_outbound(s, j->msg, j->conv.last_message_preview, e);
	if (rc == 0 && j->idem_key) {
		struct idem_row r = {.created_at = m->created_at};
		memcpy(r.account_id, m->account_id, sizeof(r.account_id));
		str_copy_cstr(r.key, sizeof(r.key), j->idem_key);
		str_copy_cstr(r.request_hash, sizeof(r.request_hash), j->idem_hash);
		memcpy(r.message_id, m->id, sizeof(r.message_id));
		rc = store_idem_insert(s, &r, e);
	}
	return rc;
}

static void free_job(struct enqueue_job *j)
{
	free(j->idem_key);
	free(j->idem_hash);
	free(j->msg);
	free(j);
}

/* Hands the answer over (any thread) and ends the send. */
static void finish(struct enqueue_job *j, int rc, const struct err *e)
{
	j->queued(j->queued_arg, rc, &j->answer, e);
	free_job(j);
}

/* The dispatcher's thread (Meta's verdict), the timer's (none in SEND_WAIT_MS: still
 * queued) or the completer's (the verdict came before the commit was reported). */
static void on_verdict(void *arg, const struct send_result *r)
{
	struct enqueue_job *j = arg;
	struct err e = {0};
	int rc = 0;
	struct send_answer *a = &j->answer;
	if (r && r->outcome == SEND_ACCEPTED) {
		a->http_status = 200;
		a->status = MSG_STATUS_ACCEPTED;
		memcpy(a->wa_message_id, r->wa_message_id, sizeof(a->wa_message_id));
	} else if (r && r->outcome == SEND_FAILED) {
		rc = refused(a, r->error_code, r->error_message, r->error_title, &e);
	}
	finish(j, rc, &e);
}

/* The completer thread, once the batch holding the send was committed (or not). */
static void on_enqueued(void *arg, int rc, const struct err *e)
{
	struct enqueue_job *j = arg;
	bool queued = rc == 0 && !j->handled;
	free(j->msg);
	j->msg = NULL;
	if (queued && j->svc->kick)
		j->svc->kick(j->svc->kick_arg);
	if (j->waiter && queued) {
		waiters_arm(j->svc->waiters, j->waiter, j->svc->cfg->send_wait_ms); /* may free j */
		return;
	}
	if (j->waiter)
		waiters_cancel(j->svc->waiters, j->waiter);
	finish(j, rc, e);
}

int messages_enqueue(struct ctx *c, const struct send_cmd *cmd, struct message_row *msg,
                     const char *preview, struct send_answer *out, struct err *e)
{
	struct enqueue_job *j = xcalloc(1, sizeof(*j));
	j->msg = msg;
	fill_conversation(msg, preview, &j->conv);
	j->queued = cmd->queued;
	j->queued_arg = cmd->queued_arg;
	j->svc = c->svc;
	j->idem_key = cmd->idempotency_key ? xstrdup(cmd->idempotency_key) : NULL;
	j->idem_hash = cmd->request_hash ? xstrdup(cmd->request_hash) : NULL;
	struct send_answer *a = &j->answer;
	a->http_status = 202;
	memcpy(a->message_id, msg->id, sizeof(a->message_id));
	a->status = MSG_STATUS_QUEUED;
	a->timestamp = msg->created_at;
	if (!cmd->async && c->svc->cfg->send_wait_ms > 0) /* registered before it is claimable */
		j->waiter = waiters_add(c->svc->waiters, msg->id, on_verdict, j);
	int rc = writer_submit(c->svc->writer, enqueue, j, on_enqueued, e);
	if (rc != 0) {
		if (j->waiter)
			waiters_cancel(c->svc->waiters, j->waiter);
		free_job(j);
		return rc;
	}
	out->pending = true;
	return 0;
}

int messages_send(struct ctx *c, const char *account_id, const struct send_cmd *cmd,
                  struct send_answer *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	bool handled = false, have_conv = false;
	int rc = messages_check_replay(c, account_id, cmd, out, &handled, e);
	if (rc != 0 || handled)
		return rc;
	struct message_row *msg = xcalloc(1, sizeof(*msg)); /* handed to messages_enqueue */
	struct conversation_row conv;
	struct number_row num;
	char user[STORE_PHONE_MAX], wamid[STORE_WAMID_MAX], preview[256];
	const char *media_type = NULL;
	rc = check_content(cmd, &media_type, e);
	if (rc == 0)
		rc = resolve_target(c, account_id, cmd, &num, user, &conv, &have_conv, e);
	if (rc == 0)
		rc = check_window(c, &conv, have_conv, e);
	if (rc == 0)
		rc = reply_wamid(c, account_id, cmd->reply_to, wamid, e);
	if (rc == 0)
		rc = build_message(c, account_id, cmd, media_type, &num, user, wamid, msg, e);
	if (rc != 0) {
		free(msg);
		return rc;
	}
	messages_preview(msg->type, cmd->text, cmd->filename, preview, sizeof(preview));
	return messages_enqueue(c, cmd, msg, preview, out, e);
}

int messages_events(struct ctx *c, const char *account_id, const char *message_id,
                    void (*each)(void *arg, const struct message_event_row *ev), void *arg,
                    struct err *e)
{
	return store_message_events(c->store, account_id, message_id, each, arg, e);
}

int messages_list(struct ctx *c, const char *account_id, const struct message_filter *f,
                  void (*each)(void *arg, const struct message_row *row), void *arg, int64_t *total,
                  struct err *e)
{
	return store_message_list(c->store, account_id, f, each, arg, total, e);
}

int messages_report(struct ctx *c, const char *account_id, int64_t since, int64_t until,
                    const char *phone_number_id,
                    void (*each_day)(void *arg, const struct delivery_day *d),
                    void (*each_error)(void *arg, int code, int64_t count), void *arg,
                    struct err *e)
{
	return store_message_delivery_report(c->store, account_id, since, until, phone_number_id,
	                                     each_day, each_error, arg, e);
}

struct remember_job {
	char account_id[IDS_SIZE];
	char *key;
	int status;
	char *body;
	void (*done)(void *arg);
	void *done_arg;
};

static int remember_in_writer(struct store *s, void *arg, struct err *e)
{
	struct remember_job *j = arg;
	return store_idem_set_response(s, j->account_id, j->key, j->status, j->body, e);
}

static void remember_done(void *arg, int rc, const struct err *e)
{
	struct remember_job *j = arg;
	if (rc != 0)
		log_warn("pixels:messages",
		         "could not record the answer for an idempotency key: %s", e->message);
	j->done(j->done_arg);
	free(j->key);
	free(j->body);
	free(j);
}

void messages_remember_answer(struct svc *svc, const char *account_id, const char *key, int status,
                              const char *body, void (*done)(void *arg), void *done_arg)
{
	struct remember_job *j = xcalloc(1, sizeof(*j));
	str_copy_cstr(j->account_id, sizeof(j->account_id), account_id);
	j->key = xstrdup(key);
	j->status = status;
	j->body = xstrdup(body);
	j->done = done;
	j->done_arg = done_arg;
	struct err e = {0};
	if (writer_submit(svc->writer, remember_in_writer, j, remember_done, &e) != 0)
		remember_done(j, e.code, &e);
}
