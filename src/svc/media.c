/* Media fetching; see media.h. */
#include "svc/media.h"

#include <stdio.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/sec.h"
#include "meta/graph.h"
#include "meta/media.h"
#include "svc/numbers.h"

static int media_url(struct ctx *c, const char *media_id, const char *token, char *url, size_t cap,
                     struct err *e)
{
	const struct config *cfg = c->svc->cfg;
	struct meta_graph_config gc = {.base_url = cfg->graph_base_url,
	                               .version = cfg->graph_version,
	                               .connect_timeout_ms = 5000,
	                               .timeout_ms = 10000,
	                               .max_reply_bytes = 16384,
	                               .max_in_flight = 1};
	char path[160];
	snprintf(path, sizeof(path), "/%s", media_id);
	struct meta_request req = {.method = "GET", .path = path, .access_token = token};
	struct meta_result res;
	struct buf body;
	buf_init(&body, gc.max_reply_bytes);
	int rc = meta_graph_call(&gc, &req, &res, &body, e);
	if (rc == 0 && res.outcome != META_OK)
		rc = res.http_status == 404 || res.code == 100
		         ? err_set(e, ERR_NOT_FOUND, "MEDIA_NOT_FOUND",
		                   "Meta does not know this media id (media expire after 30 days)")
		         : err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta answered %d: %.200s",
		                   res.http_status,
		                   res.transport_error ? res.transport_text : res.message);
	if (rc == 0) {
		json_t *j = json_loadb(body.ptr, body.len, 0, NULL);
		const char *u = json_string_value(json_object_get(j, "url"));
		if (!u || str_copy_cstr(url, cap, u) != 0)
			rc =
			    err_set(e, ERR_UPSTREAM, "META_ERROR", "Meta's media reply had no URL");
		json_decref(j);
	}
	buf_release(&body);
	return rc;
}

int media_fetch(struct ctx *c, const char *account_id, const char *media_id,
                const char *phone_number_id, struct buf *out, char *content_type, size_t cap,
                struct err *e)
{
	size_t n = strlen(media_id);
	if (n == 0 || n > 128 ||
	    strspn(media_id, "0123456789abcdefghijklmnopqrstuvwxyz"
	                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-.") != n)
		return err_field(e, "mediaId", "is not a media id");
	struct number_row num;
	char token[800], url[2048];
	int rc = numbers_resolve(c, account_id, phone_number_id, &num, e);
	if (rc == 0)
		rc = numbers_token(c, &num, token, sizeof(token), e);
	if (rc == 0)
		rc = media_url(c, media_id, token, url, sizeof(url), e);
	if (rc == 0) {
		buf_init(out, MEDIA_MAX_BYTES);
		rc = meta_media_download(url, token, 30000, out, content_type, cap, e);
	}
	sec_zero(token, sizeof(token));
	return rc;
}
