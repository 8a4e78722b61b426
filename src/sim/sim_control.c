/* Control API handlers; see sim_control.h. Route table at the bottom. */
#include "sim/sim_control.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "sim/sim_codes.h"
#include "sim/sim_graph.h"
#include "sim/sim_inbound.h"
#include "sim/sim_log.h"
#include "sim/sim_media.h"
#include "sim/sim_reply.h"
#include "sim/sim_templates.h"
#include "sim/sim_util.h"
#include "sim/sim_webhook.h"

#define LOG_LIMIT_DEFAULT 100
#define LOG_LIMIT_MAX 200000

static json_t *parse(struct http_req *req, struct http_resp *resp)
{
	json_t *body = NULL;
	if (jsonw_parse_object(req->body.ptr, req->body.len, &body, NULL) != 0)
		sim_reply_control(resp, 400, "the body must be a JSON object");
	return body;
}

static const char *get_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void messages(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	int64_t limit = LOG_LIMIT_DEFAULT;
	const char *arg = http_query(req, "limit");
	if (arg && str_parse_i64(str_from(arg), 1, LOG_LIMIT_MAX, &limit) != 0) {
		sim_reply_control(resp, 400, "limit must be 1..%d", LOG_LIMIT_MAX);
		return;
	}
	const char *to = http_query(req, "to"), *pnid = http_query(req, "phone_number_id");
	char wa_id[16];
	if (to && *to && sim_util_wa_id(to, wa_id, sizeof(wa_id)) == 0)
		to = wa_id;
	sim_reply_json(resp, 200,
	               sim_log_query(s->log, to && *to ? to : NULL, pnid && *pnid ? pnid : NULL,
	                             (size_t)limit));
}

static void stats(struct sim *s, struct http_resp *resp)
{
	struct sim_webhook_stats w;
	sim_webhook_stats_get(s->webhook, &w);
	json_t *out = sim_state_stats_json(s);
	json_object_set_new(out, "logged", json_integer((json_int_t)sim_log_total(s->log)));
	json_object_set_new(out, "webhooks",
	                    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "sent",
	                              (json_int_t)w.posts_ok, "failed", (json_int_t)w.posts_failed,
	                              "retried", (json_int_t)w.retries, "gave_up",
	                              (json_int_t)w.gave_up, "dropped", (json_int_t)w.dropped,
	                              "scheduled", (json_int_t)w.scheduled, "statuses",
	                              (json_int_t)w.statuses, "in_queue", (json_int_t)w.in_queue));
	sim_reply_json(resp, 200, out);
}

static void reset(struct sim *s, struct http_resp *resp)
{
	sim_state_reset(s);
	sim_log_clear(s->log);
	sim_templates_clear(s->templates);
	sim_media_clear(s->media);
	sim_webhook_reset(s->webhook);
	sim_reply_text(resp, 200, "{\"success\":true}");
}

static void add_rule(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = parse(req, resp);
	if (!in)
		return;
	const char *recipient = get_str(in, "recipient"), *mode = get_str(in, "mode");
	json_t *code = json_object_get(in, "code"), *count = json_object_get(in, "count");
	char wa_id[16];
	struct sim_rule rule = {.remaining = -1};
	struct err e = {0};
	if (!recipient || sim_util_wa_id(recipient, wa_id, sizeof(wa_id)) != 0)
		sim_reply_control(resp, 400, "recipient must be a phone number");
	else if (!json_is_integer(code) || json_integer_value(code) <= 0 ||
	         json_integer_value(code) > 99999999)
		sim_reply_control(resp, 400, "code must be a Meta error code such as 131026");
	else if (mode && strcmp(mode, "sync") != 0 && strcmp(mode, "async") != 0)
		sim_reply_control(resp, 400, "mode must be \"sync\" or \"async\"");
	else if (count && (!json_is_integer(count) || json_integer_value(count) < 1))
		sim_reply_control(resp, 400, "count must be a positive integer");
	else {
		rule.code = (int)json_integer_value(code);
		rule.async = mode && strcmp(mode, "async") == 0;
		rule.remaining = count ? (int)json_integer_value(count) : -1;
		if (sim_state_rule_set(s, wa_id, &rule, &e) != 0)
			sim_reply_control(resp, 400, "%s", e.message);
		else
			sim_reply_json(resp, 200,
			               json_pack("{s:b, s:s, s:b, s:b}", "success", 1, "recipient",
			                         wa_id, "known_code", sim_codes_known(rule.code),
			                         "async", rule.async));
	}
	json_decref(in);
}

static void expire_token(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = parse(req, resp);
	if (!in)
		return;
	const char *token = get_str(in, "token");
	struct err e = {0};
	if (!token || !*token || strlen(token) > 4096)
		sim_reply_control(resp, 400, "token is required");
	else if (sim_state_token_expire(s, token, &e) != 0)
		sim_reply_control(resp, 400, "%s", e.message);
	else
		sim_reply_text(resp, 200, "{\"success\":true}");
	json_decref(in);
}

/* Copies string member key into out when present; false if present but unfit. */
static bool opt_copy(json_t *in, const char *key, char *out, size_t cap)
{
	json_t *v = json_object_get(in, key);
	if (!v)
		return true;
	const char *str = json_string_value(v);
	return str && *str && str_copy_cstr(out, cap, str) == 0;
}

static void number(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = parse(req, resp);
	if (!in)
		return;
	const char *pnid = get_str(in, "phone_number_id");
	json_t *mps = json_object_get(in, "mps");
	struct sim_number n;
	struct err e = {0};
	if (!pnid || !*pnid || strlen(pnid) >= sizeof(n.id)) {
		sim_reply_control(resp, 400, "phone_number_id is required (at most 31 characters)");
		json_decref(in);
		return;
	}
	sim_state_number(s, pnid, &n);
	bool ok = opt_copy(in, "display_phone_number", n.display, sizeof(n.display)) &&
	          opt_copy(in, "verified_name", n.verified_name, sizeof(n.verified_name)) &&
	          opt_copy(in, "quality_rating", n.quality, sizeof(n.quality)) &&
	          opt_copy(in, "waba_id", n.waba, sizeof(n.waba));
	if (!ok)
		sim_reply_control(resp, 400, "a string field is empty, too long or not a string");
	else if (mps && (!json_is_integer(mps) || json_integer_value(mps) < 1 ||
	                 json_integer_value(mps) > 100000))
		sim_reply_control(resp, 400, "mps must be an integer in 1..100000");
	else {
		n.mps = mps ? (int)json_integer_value(mps) : n.mps;
		if (sim_state_number_set(s, &n, &e) != 0)
			sim_reply_control(resp, 400, "%s", e.message);
		else
			sim_reply_json(resp, 200,
			               json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}",
			                         "phone_number_id", n.id, "display_phone_number",
			                         n.display, "verified_name", n.verified_name,
			                         "quality_rating", n.quality, "waba_id", n.waba,
			                         "mps", n.mps ? n.mps : s->cfg.default_mps));
	}
	json_decref(in);
}

static bool known_status(const char *st)
{
	static const char *const ok[] = {"APPROVED", "REJECTED", "PAUSED", "DISABLED", "PENDING"};
	for (size_t i = 0; st && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(st, ok[i]) == 0)
			return true;
	return false;
}

static void template_status(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = parse(req, resp);
	if (!in)
		return;
	const char *waba = get_str(in, "waba_id"), *name = get_str(in, "name");
	const char *lang = get_str(in, "language"), *status = get_str(in, "status");
	const char *reason = get_str(in, "reason");
	struct sim_template_event ev;
	struct err e = {0};
	if (!waba || !name || !lang || !known_status(status))
		sim_reply_control(resp, 400,
		                  "waba_id, name, language and status "
		                  "(APPROVED|REJECTED|PAUSED|DISABLED) are required");
	else if (sim_templates_set_status(s->templates, waba, name, lang, status, reason, &ev,
	                                  &e) != 0)
		sim_reply_control(resp, 404, "%s", e.message);
	else {
		int code = sim_graph_template_webhook(s, &ev);
		sim_reply_json(resp, 200,
		               json_pack("{s:s, s:s, s:b, s:i}", "id", ev.id, "status", ev.status,
		                         "delivered", code >= 200 && code < 300, "webhook_status",
		                         code));
	}
	json_decref(in);
}

/* POST /_sim/templates/import {waba_id, id, name, language, category, components, status}:
 * a template Meta already has (a restarted sandbox tells the new simulator what the old one
 * approved). Idempotent: an existing template is left as it is. No webhook. */
static void template_import(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = parse(req, resp);
	if (!in)
		return;
	const char *waba = get_str(in, "waba_id"), *id = get_str(in, "id");
	const char *name = get_str(in, "name"), *lang = get_str(in, "language");
	const char *status = get_str(in, "status");
	struct sim_template_event ev;
	struct err e = {0};
	uint64_t seq = 0;
	if (!waba || !id || !name || !lang || (status && !known_status(status))) {
		sim_reply_control(resp, 400,
		                  "waba_id, id, name, language and components are required");
		json_decref(in);
		return;
	}
	int rc = sim_templates_create(s->templates, waba, in, id, &ev, &seq, &e);
	if (rc == 0 && status)
		rc =
		    sim_templates_set_status(s->templates, waba, name, lang, status, NULL, &ev, &e);
	if (rc != 0 && rc != ERR_CONFLICT)
		sim_reply_control(resp, 400, "%s", e.message);
	else
		sim_reply_json(resp, 200, json_pack("{s:s, s:b}", "id", id, "created", rc == 0));
	json_decref(in);
}

static json_t *config_json(struct sim *s)
{
	struct sim_runtime rt;
	sim_state_runtime(s, &rt);
	return json_pack("{s:i, s:i, s:i, s:b, s:f, s:f, s:b, s:b, s:i, s:b}", "sent_delay_ms",
	                 rt.sent_delay_ms, "delivered_delay_ms", rt.delivered_delay_ms,
	                 "read_delay_ms", rt.read_delay_ms, "shuffle", rt.shuffle, "duplicate_rate",
	                 rt.duplicate_rate, "skip_delivered_rate", rt.skip_delivered_rate, "bsuid",
	                 rt.bsuid, "enforce_window", rt.enforce_window, "template_review_ms",
	                 rt.template_review_ms, "webhooks", sim_webhook_enabled(s->webhook));
}

static bool opt_int(json_t *in, const char *key, int min, int max, int *out)
{
	json_t *v = json_object_get(in, key);
	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return false;
	*out = (int)json_integer_value(v);
	return true;
}

static bool opt_bool(json_t *in, const char *key, bool *out)
{
	json_t *v = json_object_get(in, key);
	if (v && json_is_boolean(v))
		*out = json_is_true(v);
	return !v || json_is_boolean(v);
}

static bool opt_rate(json_t *in, const char *key, double *out)
{
	json_t *v = json_object_get(in, key);
	if (v && json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 1)
		*out = json_number_value(v);
	return !v || (json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 1);
}

static bool webhook_url(struct sim *s, json_t *in)
{
	json_t *v = json_object_get(in, "webhook_url");
	if (!v)
		return true;
	const char *url = json_string_value(v);
	if (json_is_null(v) || (url && !*url)) {
		sim_webhook_set_url(s->webhook, NULL);
		return true;
	}
	if (!url || strlen(url) > 1000 ||
	    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return false;
	sim_webhook_set_url(s->webhook, url);
	return true;
}

static void config(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	json_t *in = parse(req, resp);
	if (!in)
		return;
	struct sim_runtime rt;
	sim_state_runtime(s, &rt);
	const int day = 24 * 3600 * 1000;
	bool ok = opt_int(in, "sent_delay_ms", -1, day, &rt.sent_delay_ms) &&
	          opt_int(in, "delivered_delay_ms", -1, day, &rt.delivered_delay_ms) &&
	          opt_int(in, "read_delay_ms", -1, day, &rt.read_delay_ms) &&
	          opt_int(in, "template_review_ms", 0, day, &rt.template_review_ms) &&
	          opt_bool(in, "shuffle", &rt.shuffle) && opt_bool(in, "bsuid", &rt.bsuid) &&
	          opt_bool(in, "enforce_window", &rt.enforce_window) &&
	          opt_rate(in, "duplicate_rate", &rt.duplicate_rate) &&
	          opt_rate(in, "skip_delivered_rate", &rt.skip_delivered_rate);
	if (!ok || !webhook_url(s, in)) {
		sim_reply_control(resp, 400,
		                  "config: a value has the wrong type or is out of range");
	} else {
		sim_state_runtime_set(s, &rt);
		sim_webhook_set_options(s->webhook, rt.shuffle, rt.bsuid);
		sim_reply_json(resp, 200, config_json(s));
	}
	json_decref(in);
}

static void clear_rules(struct sim *s, struct http_resp *resp)
{
	sim_state_rules_clear(s);
	sim_reply_text(resp, 200, "{\"success\":true}");
}

static void verify(struct sim *s, struct http_resp *resp)
{
	int status = 0;
	bool ok = sim_webhook_verify(s->webhook, s->verify_token, &status);
	sim_reply_json(resp, 200, json_pack("{s:b, s:i}", "verified", ok, "status", status));
}

void sim_control_handle(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	const char *p = req->path + strlen("/_sim");
	enum http_method m = req->method;
	if (m == HTTP_POST && strcmp(p, "/inbound") == 0)
		sim_inbound_handle(s, req, resp);
	else if (m == HTTP_GET && strcmp(p, "/messages") == 0)
		messages(s, req, resp);
	else if (m == HTTP_GET && strcmp(p, "/stats") == 0)
		stats(s, resp);
	else if (m == HTTP_POST && strcmp(p, "/reset") == 0)
		reset(s, resp);
	else if (m == HTTP_POST && strcmp(p, "/rules") == 0)
		add_rule(s, req, resp);
	else if (m == HTTP_DELETE && strcmp(p, "/rules") == 0)
		clear_rules(s, resp);
	else if (m == HTTP_POST && strcmp(p, "/tokens/expired") == 0)
		expire_token(s, req, resp);
	else if (m == HTTP_POST && strcmp(p, "/numbers") == 0)
		number(s, req, resp);
	else if (m == HTTP_POST && strcmp(p, "/templates/status") == 0)
		template_status(s, req, resp);
	else if (m == HTTP_POST && strcmp(p, "/templates/import") == 0)
		template_import(s, req, resp);
	else if (m == HTTP_GET && strcmp(p, "/config") == 0)
		sim_reply_json(resp, 200, config_json(s));
	else if (m == HTTP_POST && strcmp(p, "/config") == 0)
		config(s, req, resp);
	else if (m == HTTP_POST && strcmp(p, "/webhook/verify") == 0)
		verify(s, resp);
	else if (m == HTTP_GET && strcmp(p, "/health") == 0)
		sim_reply_text(resp, 200, "{\"ok\":true}");
	else
		sim_reply_control(resp, 404, "no control endpoint %s %s", req->method_name,
		                  req->path);
}
