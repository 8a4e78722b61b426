/* Webhook handlers; see api_webhooks.h. The POST body is used as the raw bytes received:
 * the signature covers exactly those bytes. */
#include "api/api_webhooks.h"

#include <string.h>

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

int api_webhooks_receive(struct api_call *c)
{
	if (c->req->body.len > WEBHOOKS_MAX_BODY)
		return err_set(&c->err, ERR_TOO_LARGE, "PAYLOAD_TOO_LARGE",
		               "Webhook body is larger than %d bytes", WEBHOOKS_MAX_BODY);
	int rc = webhooks_receive(c->ctx, c->env->svc->webhooks,
	                          http_header(c->req, "X-Hub-Signature-256"),
	                          buf_cstr(&c->req->body), c->req->body.len, &c->err);
	return rc != 0 ? rc : api_reply(c, 200, json_object());
}
