/* Webhook handlers; see api_webhooks.h. The POST body is used as the raw bytes received:
 * the signature covers exactly those bytes. */
#include "api/api_webhooks.h"

#include <string.h>

#include "core/xalloc.h"
#include "svc/webhooks.h"

int api_webhooks_verify(struct api_call *c)
{
	const char *challenge = http_query(c->req, "hub.challenge");
	bool ok = webhooks_verify(c->env->svc, http_query(c->req, "hub.mode"),
	                          http_query(c->req, "hub.verify_token"));
	size_t len = challenge ? strlen(challenge) : 0;
	if (!ok || len == 0 || len > 256 || !str_is_clean_utf8((struct str){challenge, len}))
		return err_set(&c->err, ERR_FORBIDDEN, "WEBHOOK_VERIFICATION_FAILED",
		               "Webhook verification failed: hub.mode must be subscribe and "
		               "hub.verify_token must equal META_VERIFY_TOKEN.");
	http_resp_set(c->resp, 200, "text/plain; charset=utf-8", challenge, len);
	return 0;
}

/* The reply to a webhook POST is deferred until its body is durable, without holding an HTTP
 * thread: Meta's deliveries are acknowledged at the group commit's pace. */
struct async_hook {
	struct http_deferred *d;
	int rc;
	struct err err;
};

static void build_hook_reply(void *arg, struct http_req *req, struct http_resp *resp)
{
	struct async_hook *h = arg;
	if (h->rc != 0) {
		api_error(req, resp, &h->err, NULL);
	} else {
		static const char ok[] = "{\"success\":true}";
		http_resp_set(resp, 200, "application/json; charset=utf-8", ok, sizeof(ok) - 1);
	}
	api_log_request(req, resp);
	free(h);
}

static void hook_done(void *arg, int rc, const struct err *e)
{
	struct async_hook *h = arg;
	h->rc = rc;
	if (e)
		h->err = *e;
	http_complete_build(h->d, build_hook_reply, h);
}

int api_webhooks_receive(struct api_call *c)
{
	if (c->req->body.len > WEBHOOKS_MAX_BODY)
		return err_set(&c->err, ERR_TOO_LARGE, "PAYLOAD_TOO_LARGE",
		               "Webhook body is larger than %d bytes", WEBHOOKS_MAX_BODY);
	struct async_hook *h = xcalloc(1, sizeof(*h));
	h->d = http_defer(c->req, c->resp);
	struct err e = {0};
	int rc = webhooks_receive_async(
	    c->ctx, c->env->svc->webhooks, http_header(c->req, "X-Hub-Signature-256"),
	    buf_cstr(&c->req->body), c->req->body.len, hook_done, h, &e);
	if (rc != 0) /* refused (signature) or not accepted: answer now */
		hook_done(h, rc, &e);
	return 0;
}
