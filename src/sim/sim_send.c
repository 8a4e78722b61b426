/* The send endpoint; see sim_send.h. Checks run in this order: body (100), rules set through
 * the control API, throughput per number (130429), template (132001/132000/132015/132016),
 * pair rate (131056), then the 24-hour window, which Meta reports asynchronously (200, then a
 * failed status webhook with 131047). */
#include "sim/sim_send.h"

#include <stdio.h>
#include <string.h>

#include "core/sec.h"
#include "core/xalloc.h"
#include "sim/sim_log.h"
#include "sim/sim_reply.h"
#include "sim/sim_templates.h"
#include "sim/sim_validate.h"
#include "sim/sim_webhook.h"

/* One accepted message on its way to the log and the webhook queue. */
struct accepted {
	struct sim_send_req req;
	struct sim_number number;
	enum sim_category category;
	int failed_code; /* 0, or the async failure to report */
	int64_t now_ms;
	char wamid[64];
};

static bool chance(double rate)
{
	return rate > 0 && (double)sec_random_below(1000000u) < rate * 1000000.0;
}

static void schedule_one(struct sim *s, const struct accepted *a, enum sim_status_kind kind,
                         int64_t delay_ms, double duplicate_rate)
{
	int copies = 1 + chance(duplicate_rate);
	for (int i = 0; i < copies; i++) {
		struct sim_event ev = {.kind = SIM_EVENT_STATUS};
		struct sim_status *st = &ev.u.st;
		st->status = kind;
		st->category = a->category;
		st->error_code = a->failed_code;
		st->sent_at_ms = a->now_ms;
		snprintf(st->wamid, sizeof(st->wamid), "%s", a->wamid);
		snprintf(st->pnid, sizeof(st->pnid), "%s", a->number.id);
		snprintf(st->display, sizeof(st->display), "%s", a->number.display);
		snprintf(st->waba, sizeof(st->waba), "%s", a->number.waba);
		snprintf(st->recipient, sizeof(st->recipient), "%s", a->req.wa_id);
		st->biz_opaque = a->req.biz_opaque ? xstrdup(a->req.biz_opaque) : NULL;
		/* A duplicate follows its original a little later, maybe in another batch. */
		sim_webhook_schedule(s->webhook, &ev, delay_ms + i * (1 + sec_random_below(20)));
	}
}

static void schedule_statuses(struct sim *s, const struct accepted *a)
{
	if (!sim_webhook_enabled(s->webhook))
		return;
	struct sim_runtime rt;
	sim_state_runtime(s, &rt);
	if (a->failed_code) {
		schedule_one(s, a, SIM_STATUS_FAILED, rt.sent_delay_ms > 0 ? rt.sent_delay_ms : 0,
		             rt.duplicate_rate);
		return;
	}
	if (rt.sent_delay_ms >= 0)
		schedule_one(s, a, SIM_STATUS_SENT, rt.sent_delay_ms, rt.duplicate_rate);
	if (rt.delivered_delay_ms >= 0 && !chance(rt.skip_delivered_rate))
		schedule_one(s, a, SIM_STATUS_DELIVERED, rt.delivered_delay_ms, rt.duplicate_rate);
	if (rt.read_delay_ms >= 0)
		schedule_one(s, a, SIM_STATUS_READ, rt.read_delay_ms, rt.duplicate_rate);
}

static void accept(struct sim *s, struct accepted *a, struct http_req *req, struct http_resp *resp)
{
	sim_state_wamid(s, a->wamid, sizeof(a->wamid));
	struct sim_log_entry entry = {a->wamid,      a->number.id,  a->req.wa_id, a->req.type,
	                              req->body.ptr, req->body.len, a->now_ms,    a->failed_code};
	sim_log_append(s->log, &entry);
	sim_state_count_accepted(s, a->failed_code != 0);
	schedule_statuses(s, a);
	json_t *body = json_pack("{s:s, s:[{s:s, s:s}], s:[{s:s, s:s}]}", "messaging_product",
	                         "whatsapp", "contacts", "input", a->req.to, "wa_id", a->req.wa_id,
	                         "messages", "id", a->wamid, "message_status", "accepted");
	sim_reply_json(resp, 200, body);
}

static void reject(struct sim *s, struct http_resp *resp, int code, const char *details)
{
	sim_state_count_rejected(s, code);
	sim_reply_error(resp, code, details);
}

static bool take(struct sim *s, struct ratelimit *rl, const char *a, const char *b, double rate,
                 double burst, int64_t now_ms)
{
	char key[RATELIMIT_KEY_MAX];
	sim_state_rl_key(s, a, b, key, sizeof(key));
	return ratelimit_take(rl, key, now_ms, rate, burst, NULL);
}

/* The checks after validation; 0 to accept (a->failed_code may be set), else the sync code
 * with details filled. */
static int limits(struct sim *s, struct accepted *a, char *details, size_t cap)
{
	struct sim_rule rule;
	if (sim_state_rule_take(s, a->req.wa_id, &rule)) {
		if (!rule.async)
			return rule.code;
		a->failed_code = rule.code;
	}
	int mps = a->number.mps > 0 ? a->number.mps : s->cfg.default_mps;
	if (!take(s, s->mps_rl, a->number.id, NULL, mps, mps, a->now_ms))
		return 130429;
	bool is_template = strcmp(a->req.type, "template") == 0;
	if (is_template) {
		int code = sim_templates_check(s->templates, a->number.waba, a->req.template_name,
		                               a->req.template_lang, a->req.body_params,
		                               &a->category, details, cap);
		if (code)
			return code;
	}
	double pair_rate = 1000.0 / s->cfg.pair_interval_ms;
	if (!take(s, s->pair_rl, a->number.id, a->req.wa_id, pair_rate, s->cfg.pair_burst,
	          a->now_ms))
		return 131056;
	struct sim_runtime rt;
	sim_state_runtime(s, &rt);
	if (!a->failed_code && !is_template && rt.enforce_window &&
	    !sim_state_window_is_open(s, a->number.id, a->req.wa_id, a->now_ms))
		a->failed_code = 131047;
	return 0;
}

void sim_send_handle(struct sim *s, const char *pnid, struct http_req *req, struct http_resp *resp)
{
	struct accepted a;
	memset(&a, 0, sizeof(a));
	char details[512] = "";
	json_t *body = NULL;
	if (jsonw_parse_object(req->body.ptr, req->body.len, &body, NULL) != 0) {
		sim_state_count_rejected(s, 100);
		sim_reply_invalid(resp, "The request body must be a JSON object.");
		return;
	}
	if (sim_validate_send(body, &a.req, details, sizeof(details)) != 0) {
		sim_state_count_rejected(s, 100);
		sim_reply_invalid(resp, "%s", details);
	} else if (a.req.mark_read) {
		sim_state_count_mark_read(s);
		sim_reply_text(resp, 200, "{\"success\":true}");
	} else {
		a.now_ms = clock_now_ms(&s->cfg.clock);
		sim_state_number(s, pnid, &a.number);
		int code = limits(s, &a, details, sizeof(details));
		if (code)
			reject(s, resp, code, details[0] ? details : NULL);
		else
			accept(s, &a, req, resp);
	}
	json_decref(body); /* a.req borrowed strings from body until here */
}
