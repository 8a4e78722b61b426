/* WhatsApp numbers; see numbers.h. */
#include "svc/numbers.h"

#include <stdio.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/log.h"
#include "core/str.h"
#include "meta/control.h"
#include "meta/graph.h"
#include "svc/vault.h"

#define NUMBERS_DEFAULT_MPS 80
#define NUMBERS_MAX_MPS 1000

static void changed(struct ctx *c)
{
	__atomic_add_fetch(&c->svc->numbers_generation, 1, __ATOMIC_SEQ_CST);
	if (c->svc->kick)
		c->svc->kick(c->svc->kick_arg);
}

/* Meta ids are decimal digits. */
static int check_meta_id(const char *v, const char *field, bool required, struct err *e)
{
	if (!v || !*v)
		return required ? err_field(e, field, "is required") : 0;
	size_t n = strlen(v);
	if (n >= STORE_META_ID_MAX || strspn(v, "0123456789") != n)
		return err_field(e, field, "must be Meta's numeric id");
	return 0;
}

static int check_secret(const char *v, const char *field, bool required, struct err *e)
{
	if (!v || !*v)
		return required ? err_field(e, field, "is required") : 0;
	size_t n = strlen(v);
	if (n > 700 || strpbrk(v, " \t\r\n"))
		return err_field(e, field, "must be one word of at most 700 characters");
	if (strncmp(v, "Bearer ", 7) == 0)
		return err_field(e, field, "must be the token itself, without \"Bearer \"");
	return 0;
}

static int apply(struct ctx *c, const struct number_cmd *cmd, bool creating, struct number_row *n,
                 struct err *e)
{
	int rc = check_meta_id(cmd->phone_number_id, "phoneNumberId", creating, e);
	if (rc == 0)
		rc = check_meta_id(cmd->waba_id, "wabaId", creating, e);
	if (rc == 0)
		rc = check_secret(cmd->access_token, "accessToken", creating, e);
	if (rc == 0)
		rc = check_secret(cmd->app_secret, "appSecret", false, e);
	if (rc == 0 && (cmd->throughput_mps < 0 || cmd->throughput_mps > NUMBERS_MAX_MPS))
		rc = err_field(e, "throughputMps", "must be from 1 to %d", NUMBERS_MAX_MPS);
	if (rc != 0)
		return rc;
	if (cmd->phone_number_id)
		str_copy_cstr(n->phone_number_id, sizeof(n->phone_number_id), cmd->phone_number_id);
	if (cmd->waba_id)
		str_copy_cstr(n->waba_id, sizeof(n->waba_id), cmd->waba_id);
	if (cmd->display_name &&
	    str_copy_cstr(n->display_name, sizeof(n->display_name), cmd->display_name) != 0)
		return err_field(e, "displayName", "is too long");
	if (cmd->display_phone &&
	    str_copy_cstr(n->display_phone, sizeof(n->display_phone), cmd->display_phone) != 0)
		return err_field(e, "displayPhone", "is too long");
	if (cmd->throughput_mps > 0)
		n->throughput_mps = (int)cmd->throughput_mps;
	if (cmd->access_token && *cmd->access_token) {
		rc = vault_seal(c->svc->vault, cmd->access_token, n->access_token_sealed,
		                sizeof(n->access_token_sealed), e);
		n->status = NUMBER_STATUS_ACTIVE; /* a new token clears "reconnect required" */
		n->status_reason[0] = '\0';
	}
	if (rc == 0 && cmd->app_secret && *cmd->app_secret)
		rc = vault_seal(c->svc->vault, cmd->app_secret, n->app_secret_sealed,
		                sizeof(n->app_secret_sealed), e);
	return rc;
}

static bool has_default(struct ctx *c, const char *account_id)
{
	struct number_row d;
	bool found = false;
	struct err e = {0};
	return store_number_find_default(c->store, account_id, &d, &found, &e) == 0 && found;
}

int numbers_create(struct ctx *c, const char *account_id, const struct number_cmd *cmd,
                   struct number_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->throughput_mps = NUMBERS_DEFAULT_MPS;
	int rc = apply(c, cmd, true, out, e);
	if (rc != 0)
		return rc;
	int64_t now = svc_now(c);
	ids_new(now, out->id);
	str_copy_cstr(out->account_id, sizeof(out->account_id), account_id);
	out->created_at = out->updated_at = now;
	out->is_default = !has_default(c, account_id);
	rc = store_number_insert(c->store, out, e);
	if (rc == ERR_CONFLICT && strcmp(e->key, "PHONE_NUMBER_IN_USE") == 0) {
		err_clear(e);
		return err_set(e, ERR_CONFLICT, "PHONE_NUMBER_IN_USE",
		               "This WhatsApp number (phone number id %s) is already connected to "
		               "an account.",
		               out->phone_number_id);
	}
	if (rc == 0) {
		log_info("pixels:numbers", "number %s connected to account %s",
		         out->phone_number_id, account_id);
		changed(c);
	}
	return rc;
}

int numbers_get(struct ctx *c, const char *account_id, const char *id, struct number_row *out,
                struct err *e)
{
	if (!ids_is_valid(str_from(id)))
		return err_set(e, ERR_NOT_FOUND, "PHONE_NUMBER_NOT_FOUND",
		               "Phone number not found");
	return store_number_get(c->store, account_id, id, out, e);
}

int numbers_update(struct ctx *c, const char *account_id, const char *id,
                   const struct number_cmd *cmd, struct number_row *out, struct err *e)
{
	int rc = numbers_get(c, account_id, id, out, e);
	if (rc == 0 && cmd->phone_number_id &&
	    strcmp(cmd->phone_number_id, out->phone_number_id) != 0)
		rc = err_field(e, "phoneNumberId",
		               "cannot change: remove the number and add it again");
	if (rc == 0)
		rc = apply(c, cmd, false, out, e);
	if (rc != 0)
		return rc;
	out->updated_at = svc_now(c);
	rc = store_number_update(c->store, out, e);
	if (rc == 0)
		changed(c);
	return rc;
}

static void pick_first(void *arg, const struct number_row *row)
{
	struct number_row *first = arg;
	if (first->id[0] == '\0')
		*first = *row;
}

int numbers_delete(struct ctx *c, const char *account_id, const char *id, struct err *e)
{
	struct number_row n, next;
	memset(&next, 0, sizeof(next));
	int rc = numbers_get(c, account_id, id, &n, e);
	int failed = 0;
	if (rc == 0)
		rc = store_number_delete(c->store, account_id, id, e);
	/* Messages still waiting for this number can never be sent now: say so, do not strand
	 * them in the queue. */
	if (rc == 0)
		rc = store_message_fail_queued(
		    c->store, account_id, n.phone_number_id, svc_now(c), 0, "Phone number removed",
		    "The WhatsApp number this message was to be sent from "
		    "was removed before it was sent.",
		    &failed, e);
	if (rc == 0 && failed > 0)
		log_info("pixels:numbers", "number %s removed; %d queued message(s) marked failed",
		         n.phone_number_id, failed);
	if (rc == 0 && n.is_default)
		rc = store_number_list(c->store, account_id, pick_first, &next, e);
	if (rc == 0 && next.id[0])
		rc = store_number_set_default(c->store, account_id, next.id, svc_now(c), e);
	if (rc == 0)
		changed(c);
	return rc;
}

int numbers_set_default(struct ctx *c, const char *account_id, const char *id, struct err *e)
{
	struct number_row n;
	int rc = numbers_get(c, account_id, id, &n, e);
	if (rc == 0)
		rc = store_number_set_default(c->store, account_id, id, svc_now(c), e);
	if (rc == 0)
		changed(c);
	return rc;
}

/* Sandbox mode: every account has its Sandbox number, created on first need. */
static int sandbox_ready(struct ctx *c, const char *account_id, struct err *e)
{
	return c->svc->sandbox_secret[0] ? numbers_ensure_sandbox(c, account_id, e) : 0;
}

int numbers_list(struct ctx *c, const char *account_id,
                 void (*each)(void *arg, const struct number_row *row), void *arg, struct err *e)
{
	int rc = sandbox_ready(c, account_id, e);
	return rc != 0 ? rc : store_number_list(c->store, account_id, each, arg, e);
}

int numbers_token(struct ctx *c, const struct number_row *n, char *out, size_t cap, struct err *e)
{
	return vault_open(c->svc->vault, n->access_token_sealed, out, cap, e);
}

int numbers_resolve(struct ctx *c, const char *account_id, const char *phone_number_id,
                    struct number_row *out, struct err *e)
{
	bool found = false;
	if (sandbox_ready(c, account_id, e) != 0)
		return e->code;
	int rc = phone_number_id && *phone_number_id
	             ? store_number_find(c->store, account_id, phone_number_id, out, &found, e)
	             : store_number_find_default(c->store, account_id, out, &found, e);
	if (rc != 0)
		return rc;
	if (!found)
		return err_set(e, ERR_INVALID, "NO_PHONE_NUMBER",
		               "No active WhatsApp phone number configured for this account");
	if (out->status == NUMBER_STATUS_REAUTH)
		return err_set(e, ERR_UNPROCESSABLE, "PHONE_NUMBER_UNAVAILABLE",
		               "This WhatsApp number needs reconnecting: Meta refused its access "
		               "token. Update the token in Settings -> WhatsApp numbers.");
	if (out->status == NUMBER_STATUS_PAUSED)
		return err_set(e, ERR_UNPROCESSABLE, "PHONE_NUMBER_UNAVAILABLE",
		               "Sending from this WhatsApp number is paused: %s",
		               out->status_reason);
	return 0;
}

/* Copies a string member of Meta's reply into dst when present. */
static void copy_member(json_t *obj, const char *key, char *dst, size_t cap)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		str_copy_cstr(dst, cap, json_string_value(v));
}

static void store_phone_info(struct number_row *n, const struct meta_result *r)
{
	json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
	copy_member(j, "display_phone_number", n->display_phone, sizeof(n->display_phone));
	copy_member(j, "verified_name", n->verified_name, sizeof(n->verified_name));
	copy_member(j, "quality_rating", n->quality_rating, sizeof(n->quality_rating));
	json_decref(j);
}

int numbers_test(struct ctx *c, const char *account_id, const char *id, struct number_row *out,
                 struct err *e)
{
	char token[800], path[STORE_META_ID_MAX + 2];
	int rc = numbers_get(c, account_id, id, out, e);
	if (rc == 0)
		rc = numbers_token(c, out, token, sizeof(token), e);
	if (rc != 0)
		return rc;
	const struct config *cfg = c->svc->cfg;
	struct meta_graph_config gc = {.base_url = cfg->graph_base_url,
	                               .version = cfg->graph_version,
	                               .connect_timeout_ms = 5000,
	                               .timeout_ms = 10000,
	                               .max_reply_bytes = 64 * 1024,
	                               .max_in_flight = 1};
	snprintf(path, sizeof(path), "/%s", out->phone_number_id);
	struct meta_request req = {.method = "GET", .path = path, .access_token = token};
	struct meta_result res;
	struct buf body;
	buf_init(&body, gc.max_reply_bytes);
	rc = meta_graph_call(&gc, &req, &res, &body, e);
	sec_zero(token, sizeof(token));
	int64_t now = svc_now(c);
	out->last_tested_at = now;
	out->updated_at = now;
	if (rc == 0 && res.outcome == META_OK) {
		store_phone_info(out, &res);
		if (out->status == NUMBER_STATUS_REAUTH)
			out->status = NUMBER_STATUS_ACTIVE;
	} else if (rc == 0 && res.outcome == META_REAUTH) {
		out->status = NUMBER_STATUS_REAUTH;
		snprintf(out->status_reason, sizeof(out->status_reason),
		         "Meta refused the access token (code %d): %.160s", res.code, res.message);
		rc =
		    err_set(e, ERR_UPSTREAM, "META_TOKEN_EXPIRED",
		            "Meta refused the access token (code %d): reconnect this number with a "
		            "new token.",
		            res.code);
	} else if (rc == 0) {
		rc = err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta answered %d: %s", res.http_status,
		             res.transport_error ? res.transport_text : res.message);
	}
	buf_release(&body);
	struct err tmp = {0};
	if (store_number_update(c->store, out, &tmp) == 0)
		changed(c);
	return rc;
}

/* A stable numeric id for the account's sandbox number (Meta ids are digits). */
static void sandbox_id(const char *account_id, const char *salt, char *out, size_t cap)
{
	uint8_t h[SEC_SHA256_BYTES];
	char seed[64];
	snprintf(seed, sizeof(seed), "%s:%s", salt, account_id);
	sec_sha256(seed, strlen(seed), h);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | h[i];
	snprintf(out, cap, "9%014llu", (unsigned long long)(v % 100000000000000ULL));
}

int numbers_ensure_sandbox(struct ctx *c, const char *account_id, struct err *e)
{
	char pnid[32], waba[32], token[65];
	sandbox_id(account_id, "number", pnid, sizeof(pnid));
	struct number_row n;
	bool found = false;
	int rc = store_number_find(c->store, account_id, pnid, &n, &found, e);
	if (rc != 0 || found)
		return rc;
	sandbox_id(account_id, "waba", waba, sizeof(waba));
	sec_random_hex(32, token);
	struct number_cmd cmd = {.phone_number_id = pnid,
	                         .waba_id = waba,
	                         .access_token = token,
	                         .display_name = "Sandbox",
	                         .display_phone = "+1 555 0100",
	                         .app_secret = c->svc->sandbox_secret,
	                         .throughput_mps = NUMBERS_DEFAULT_MPS};
	rc = numbers_create(c, account_id, &cmd, &n, e);
	sec_zero(token, sizeof(token));
	if (rc == ERR_CONFLICT) { /* a concurrent request created it first */
		err_clear(e);
		return 0;
	}
	if (rc == 0) {
		n.sandbox = true;
		rc = store_number_update(c->store, &n, e);
	}
	/* The simulator keeps templates per WABA: tell it this number's WABA, else it would
	 * invent one and templates created here would not be found on send. */
	struct err se = {0};
	if (rc == 0 && meta_sim_register_number(c->svc->cfg->graph_base_url, pnid, waba,
	                                        "+1 555 0100", "Sandbox", &se) != 0)
		log_warn("pixels:numbers", "%s", se.message);
	return rc;
}
