/* Simulator lifecycle and request routing; see sim.h. Paths: /_sim/... (control API, no
 * auth), /_media/<id> (signed downloads), /vNN.N/<id>[/messages|/media|/message_templates]
 * (Graph API, bearer token required). Anything else gets Graph's "unknown path" error. */
#include "sim/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sec.h"
#include "core/xalloc.h"
#include "sim/sim_control.h"
#include "sim/sim_graph.h"
#include "sim/sim_log.h"
#include "sim/sim_media.h"
#include "sim/sim_reply.h"
#include "sim/sim_send.h"
#include "sim/sim_state.h"
#include "sim/sim_templates.h"
#include "sim/sim_util.h"
#include "sim/sim_webhook.h"

#define SIM_MAX_BODY_BYTES (32u * 1024 * 1024) /* media uploads; documents past it get 413 */
#define MAX_SEGMENTS 3
#define SEGMENT_MAX 32 /* object ids are 15-16 digits; longer ones are unknown paths */

void sim_config_init(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = "127.0.0.1";
	cfg->sent_delay_ms = 50;
	cfg->delivered_delay_ms = 150;
	cfg->read_delay_ms = 400;
	cfg->default_mps = 80;
	cfg->pair_burst = 45;
	cfg->pair_interval_ms = 6000;
	cfg->enforce_window = true;
	cfg->max_log = 200000;
	cfg->webhook_batch = 50;
	cfg->template_review_ms = 500;
	cfg->threads = 4;
	cfg->webhook_threads = 4;
	cfg->max_queue = 1000000;
}

/* Splits "/v23.0/a/b" into version and up to MAX_SEGMENTS segments; -1 when the path is not a
 * Graph path (no version prefix, empty or over-long segments). */
static int split_graph(const char *path, char version[SEGMENT_MAX],
                       char seg[MAX_SEGMENTS][SEGMENT_MAX], int *nseg)
{
	const char *p = path;
	*nseg = 0;
	for (int i = -1; *p == '/' && p[1]; i++) {
		size_t n = strcspn(++p, "/");
		if (n == 0 || n >= SEGMENT_MAX || i >= MAX_SEGMENTS - 1)
			return -1;
		char *dst = i < 0 ? version : seg[i];
		memcpy(dst, p, n);
		dst[n] = '\0';
		*nseg = i + 1;
		p += n;
	}
	if (*p == '/' && p[1] == '\0')
		p++; /* a trailing slash is fine */
	int major = 0, minor = 0;
	char tail = 0;
	if (*p || *nseg == 0 || sscanf(version, "v%d.%d%c", &major, &minor, &tail) != 2)
		return -1;
	return 0;
}

static void unsupported(struct http_req *req, struct http_resp *resp, const char *id)
{
	sim_reply_invalid(resp,
	                  "Unsupported %s request. Object with ID '%s' does not exist, cannot be "
	                  "loaded due to missing permissions, or does not support this operation.",
	                  req->method_name, id);
}

/* GET /{id}: Graph resolves any object id; here a media id, else a phone number: one the
 * simulator knows, or an unknown id shaped like Meta's (15+ digits), which gets generated
 * values. Anything else (a short or deleted id) "does not exist", as on Graph. */
static void get_object(struct sim *s, const char *id, struct http_req *req, struct http_resp *resp)
{
	if (sim_graph_media_get(s, id, req, resp))
		return;
	bool number_like = strlen(id) >= 15 && sim_util_is_digits(id);
	if (!sim_state_issued_id(s, id) && (number_like || sim_state_number_known(s, id)))
		sim_graph_number(s, id, req, resp);
	else
		unsupported(req, resp, id);
}

static void graph(struct sim *s, struct http_req *req, struct http_resp *resp)
{
	char version[SEGMENT_MAX], seg[MAX_SEGMENTS][SEGMENT_MAX];
	int n = 0;
	if (split_graph(req->path, version, seg, &n) != 0 || n > 2) {
		sim_reply_unknown_path(resp, req->path);
		return;
	}
	sim_state_count_request(s);
	if (!sim_graph_authorized(s, req, resp))
		return;
	const char *id = seg[0], *edge = n == 2 ? seg[1] : "";
	enum http_method m = req->method;
	if (strcmp(edge, "messages") == 0 && m == HTTP_POST)
		sim_send_handle(s, id, req, resp);
	else if (strcmp(edge, "message_templates") == 0)
		sim_graph_templates(s, version, id, req, resp);
	else if (strcmp(edge, "media") == 0 && m == HTTP_POST)
		sim_graph_media_upload(s, id, req, resp);
	else if (n == 1 && m == HTTP_GET)
		get_object(s, id, req, resp);
	else if (n == 1 && m == HTTP_DELETE)
		sim_graph_media_delete(s, id, resp);
	else if (n == 1 && m == HTTP_POST)
		sim_graph_template_edit(s, id, req, resp);
	else
		unsupported(req, resp, id);
}

static void handle(void *arg, struct http_req *req, struct http_resp *resp)
{
	struct sim *s = arg;
	const char *path = req->path;
	if (strncmp(path, "/_sim/", 6) == 0)
		sim_control_handle(s, req, resp);
	else if (strncmp(path, "/_media/", 8) == 0 && req->method == HTTP_GET && path[8] &&
	         !strchr(path + 8, '/') && strlen(path + 8) < 24)
		sim_graph_media_download(s, path + 8, req, resp);
	else
		graph(s, req, resp);
	log_debug("pixels:sim", "%s %s -> %d", req->method_name, path, resp->status);
}

static void too_large(void *arg, struct http_req *req, struct http_resp *resp)
{
	sim_reply_invalid(resp, "The request body is larger than %u bytes.", SIM_MAX_BODY_BYTES);
	resp->status = 413;
}

static int check_config(const struct sim_config *c, struct err *e)
{
	const char *problem = NULL;
	if (!c->app_secret || !*c->app_secret)
		problem = "app_secret is required (it signs the webhooks)";
	else if (!c->host || !*c->host)
		problem = "host is required";
	else if (c->port < 0 || c->port > 65535)
		problem = "port must be 0..65535";
	else if (c->sent_delay_ms < -1 || c->delivered_delay_ms < -1 || c->read_delay_ms < -1)
		problem = "status delays must be -1 (never) or >= 0";
	else if (c->duplicate_rate < 0 || c->duplicate_rate > 1 || c->skip_delivered_rate < 0 ||
	         c->skip_delivered_rate > 1)
		problem = "duplicate_rate and skip_delivered_rate must be within 0..1";
	else if (c->default_mps < 0 || c->pair_burst < 0 || c->pair_interval_ms < 0 ||
	         c->webhook_batch < 0 || c->threads < 0 || c->webhook_threads < 0 ||
	         c->template_review_ms < 0)
		problem = "counts, rates and intervals must not be negative";
	else if (c->webhook_url && strncmp(c->webhook_url, "http://", 7) != 0 &&
	         strncmp(c->webhook_url, "https://", 8) != 0)
		problem = "webhook_url must be an http:// or https:// URL";
	if (problem)
		return err_set(e, ERR_INVALID, "SIM_CONFIG", "meta-sim: %s", problem);
	return 0;
}

static void copy_config(struct sim *s, const struct sim_config *cfg)
{
	s->cfg = *cfg;
	s->host = xstrdup(cfg->host);
	s->app_secret = xstrdup(cfg->app_secret);
	s->verify_token = cfg->verify_token ? xstrdup(cfg->verify_token) : NULL;
	s->cfg.host = s->host;
	s->cfg.app_secret = s->app_secret;
	s->cfg.verify_token = s->verify_token;
	s->cfg.webhook_url = NULL; /* owned by the webhook engine from now on */
	s->rt = (struct sim_runtime){
	    cfg->sent_delay_ms, cfg->delivered_delay_ms, cfg->read_delay_ms,
	    cfg->shuffle,       cfg->duplicate_rate,     cfg->skip_delivered_rate,
	    cfg->bsuid,         cfg->enforce_window,     cfg->template_review_ms};
}

/* Zero counts and sizes take their defaults, so a zeroed struct with an app secret works;
 * zero delays stay zero (send at once). */
static void apply_defaults(struct sim_config *c)
{
	struct sim_config d;
	sim_config_init(&d);
	c->host = c->host ? c->host : d.host;
	c->default_mps = c->default_mps ? c->default_mps : d.default_mps;
	c->pair_burst = c->pair_burst ? c->pair_burst : d.pair_burst;
	c->pair_interval_ms = c->pair_interval_ms ? c->pair_interval_ms : d.pair_interval_ms;
	c->max_log = c->max_log ? c->max_log : d.max_log;
	c->webhook_batch = c->webhook_batch ? c->webhook_batch : d.webhook_batch;
	c->threads = c->threads ? c->threads : d.threads;
	c->webhook_threads = c->webhook_threads ? c->webhook_threads : d.webhook_threads;
	c->max_queue = c->max_queue ? c->max_queue : d.max_queue;
}

int sim_start(const struct sim_config *given, struct sim **out, struct err *e)
{
	*out = NULL;
	struct sim_config c = *given;
	const struct sim_config *cfg = &c;
	apply_defaults(&c);
	if (check_config(cfg, e) != 0)
		return ERR_INVALID;
	struct sim *s = xcalloc(1, sizeof(*s));
	copy_config(s, cfg);
	sim_state_init(s);
	s->log = sim_log_new(s->cfg.max_log);
	s->templates = sim_templates_new();
	s->media = sim_media_new();
	struct sim_webhook_config wc = {cfg->webhook_url,   cfg->app_secret, cfg->webhook_threads,
	                                cfg->webhook_batch, cfg->max_queue,  cfg->shuffle,
	                                cfg->bsuid,         &s->cfg.clock};
	s->webhook = sim_webhook_start(&wc);
	struct http_server_config hc = {.host = s->host,
	                                .port = cfg->port,
	                                .threads = cfg->threads,
	                                .max_body_bytes = SIM_MAX_BODY_BYTES,
	                                .listener = HTTP_LISTENER_API,
	                                .handler = handle,
	                                .handler_arg = s,
	                                .too_large = too_large};
	int rc = http_server_start(&hc, &s->http, e);
	if (rc != 0) {
		sim_stop(s);
		return rc;
	}
	bool v6 = strchr(s->host, ':') != NULL;
	bool any = strcmp(s->host, "0.0.0.0") == 0 || strcmp(s->host, "::") == 0;
	snprintf(s->base_url, sizeof(s->base_url), "http://%s%s%s:%d", v6 && !any ? "[" : "",
	         any ? "127.0.0.1" : s->host, v6 && !any ? "]" : "", http_server_port(s->http));
	log_debug("pixels:sim", "Meta Cloud API simulator on %s", s->base_url);
	*out = s;
	return 0;
}

int sim_port(const struct sim *s)
{
	return http_server_port(s->http);
}

void sim_stop(struct sim *s)
{
	if (!s)
		return;
	http_server_stop(s->http);    /* no request runs after this */
	sim_webhook_stop(s->webhook); /* nor any timer that touches templates */
	sim_log_free(s->log);
	sim_templates_free(s->templates);
	sim_media_free(s->media);
	sim_state_release(s);
	sec_zero(s->app_secret, strlen(s->app_secret));
	free(s->app_secret);
	free(s->host);
	free(s->verify_token);
	free(s);
}
