/* Template and phone-number endpoints; see sim_graph.h. A created template is reviewed by a
 * timer on the webhook threads after template_review_ms (APPROVED + status webhook), unless
 * the delay is 0, in which case it stays PENDING until POST /_sim/templates/status. */
#include "sim/sim_graph.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "sim/sim_payload.h"
#include "sim/sim_reply.h"
#include "sim/sim_webhook.h"

#define LIST_DEFAULT 25
#define LIST_MAX 100

bool sim_graph_authorized(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	const char *auth = http_header(req, "Authorization");
	const char *token = NULL;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
		token = auth + 7;
	else if (!auth)
		token = http_query(req, "access_token");
	while (token && *token == ' ')
		token++;
	if (!token || !*token) {
		sim_reply_auth(resp, false);
		return false;
	}
	if (sim_state_token_expired(s, token)) {
		sim_reply_auth(resp, true);
		return false;
	}
	return true;
}

int sim_graph_template_webhook(struct sim *s, const struct sim_template_event *ev)
{
	int64_t id = 0;
	str_parse_i64(str_from(ev->id), 0, INT64_MAX, &id);
	json_t *value = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "event", ev->status,
	                          "message_template_id", (json_int_t)id, "message_template_name",
	                          ev->name, "message_template_language", ev->language, "reason",
	                          ev->reason, "message_template_category", ev->category);
	int64_t now_s = clock_now_ms(&s->cfg.clock) / 1000;
	json_t *root =
	    sim_payload_envelope(ev->waba, "message_template_status_update", value, now_s);
	size_t len = 0;
	char *body = jsonw_dump(root, &len);
	json_decref(root);
	return sim_webhook_post_now(s->webhook, body, len);
}

static void review(void *arg, uint64_t seq)
{
	struct sim *s = arg;
	struct sim_template_event ev;
	if (sim_templates_review(s->templates, seq, &ev))
		sim_graph_template_webhook(s, &ev);
}

/* After a create or an edit: the simulated review, when configured. */
static void schedule_review(struct sim *s, uint64_t seq)
{
	struct sim_runtime rt;
	sim_state_runtime(s, &rt);
	if (rt.template_review_ms > 0) {
		struct sim_event timer = {.kind = SIM_EVENT_TIMER};
		timer.u.timer.fn = review;
		timer.u.timer.arg = s;
		timer.u.timer.id = seq;
		sim_webhook_schedule(s->webhook, &timer, rt.template_review_ms);
	}
}

static void create(struct sim *s, const char *waba, struct http_req *req, struct http_resp *resp)
{
	json_t *body = NULL;
	struct err e = {0};
	if (jsonw_parse_object(req->body.ptr, req->body.len, &body, &e) != 0) {
		sim_reply_invalid(resp, "The request body must be a JSON object.");
		return;
	}
	char id[24];
	sim_state_numeric_id(s, id, sizeof(id));
	struct sim_template_event ev;
	uint64_t seq = 0;
	int rc = sim_templates_create(s->templates, waba, body, id, &ev, &seq, &e);
	json_decref(body);
	if (rc == ERR_CONFLICT) {
		sim_reply_invalid_sub(resp, 2388024, "Content in This Language Already Exists",
		                      e.message);
		return;
	}
	if (rc != 0) {
		sim_reply_invalid(resp, "%s", e.message);
		return;
	}
	schedule_review(s, seq);
	sim_reply_json(resp, 200,
	               json_pack("{s:s, s:s, s:s}", "id", ev.id, "status", ev.status, "category",
	                         ev.category));
}

static void list(struct sim *s, const char *version, const char *waba, struct http_req *req,
                 struct http_resp *resp)
{
	int64_t limit = LIST_DEFAULT;
	const char *limit_arg = http_query(req, "limit");
	if (limit_arg && str_parse_i64(str_from(limit_arg), 1, INT64_MAX, &limit) != 0) {
		sim_reply_invalid(resp, "Param limit must be a positive integer.");
		return;
	}
	if (limit > LIST_MAX)
		limit = LIST_MAX;
	char next_base[512];
	snprintf(next_base, sizeof(next_base), "%s/%s/%s/message_templates", s->base_url, version,
	         waba);
	const char *after = http_query(req, "after");
	json_t *out = NULL;
	struct err e = {0};
	if (sim_templates_list(s->templates, waba, (size_t)limit, after && *after ? after : NULL,
	                       http_query(req, "name"), next_base, &out, &e) != 0) {
		sim_reply_invalid(resp, "%s", e.message);
		return;
	}
	sim_reply_json(resp, 200, out);
}

static void delete (struct sim *s, const char *waba, struct http_req *req, struct http_resp *resp)
{
	const char *name = http_query(req, "name");
	if (!name || !*name) {
		sim_reply_invalid(resp, "Param name is required.");
		return;
	}
	const char *hsm_id = http_query(req, "hsm_id");
	if (sim_templates_delete(s->templates, waba, name, hsm_id && *hsm_id ? hsm_id : NULL) ==
	    0) {
		sim_reply_invalid(resp, "Message template \"%s\" was not found.", name);
		return;
	}
	sim_reply_text(resp, 200, "{\"success\":true}");
}

void sim_graph_template_edit(struct sim *s, const char *id, struct http_req *req,
                             struct http_resp *resp)
{
	json_t *body = NULL;
	struct err e = {0};
	if (jsonw_parse_object(req->body.ptr, req->body.len, &body, &e) != 0) {
		sim_reply_invalid(resp, "The request body must be a JSON object.");
		return;
	}
	struct sim_template_event ev;
	uint64_t seq = 0;
	int rc = sim_templates_edit(s->templates, id, body, &ev, &seq, &e);
	json_decref(body);
	if (rc != 0) {
		sim_reply_invalid(resp, "%s", e.message);
		return;
	}
	schedule_review(s, seq);
	sim_reply_json(resp, 200, json_pack("{s:b}", "success", 1));
}

void sim_graph_templates(struct sim *s, const char *version, const char *waba, struct http_req *req,
                         struct http_resp *resp)
{
	if (req->method == HTTP_POST)
		create(s, waba, req, resp);
	else if (req->method == HTTP_GET)
		list(s, version, waba, req, resp);
	else if (req->method == HTTP_DELETE)
		delete (s, waba, req, resp);
	else
		sim_reply_invalid(resp, "Unsupported %s request.", req->method_name);
}

void sim_graph_number(struct sim *s, const char *pnid, struct http_req *req, struct http_resp *resp)
{
	struct sim_number n;
	sim_state_number(s, pnid, &n);
	int mps = n.mps > 0 ? n.mps : s->cfg.default_mps;
	json_t *body =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}}", "verified_name", n.verified_name,
	              "display_phone_number", n.display, "quality_rating", n.quality, "id", n.id,
	              "code_verification_status", "VERIFIED", "throughput", "level",
	              mps >= 1000 ? "HIGH" : "STANDARD");
	sim_reply_json(resp, 200, body);
}
