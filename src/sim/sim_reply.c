/* Graph-style replies; see sim_reply.h. */
#include "sim/sim_reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_codes.h"
#include "sim/sim_util.h"

void sim_reply_json(struct http_resp *resp, int status, json_t *body)
{
	size_t len = 0;
	char *text = jsonw_dump(body, &len);
	json_decref(body);
	http_resp_take(resp, status, "application/json", text, len);
}

void sim_reply_text(struct http_resp *resp, int status, const char *json)
{
	http_resp_set(resp, status, "application/json", json, strlen(json));
}

static void envelope(struct http_resp *resp, int status, int code, int subcode, const char *message,
                     const char *details, bool transient, const char *user_title)
{
	char trace[24];
	sim_util_fbtrace(trace);
	json_t *err = json_pack("{s:s, s:s, s:i, s:s}", "message", message, "type",
	                        "OAuthException", "code", code, "fbtrace_id", trace);
	if (subcode)
		json_object_set_new(err, "error_subcode", json_integer(subcode));
	if (details)
		json_object_set_new(
		    err, "error_data",
		    json_pack("{s:s, s:s}", "messaging_product", "whatsapp", "details", details));
	if (transient)
		json_object_set_new(err, "is_transient", json_true());
	if (user_title) {
		json_object_set_new(err, "error_user_title", json_string(user_title));
		json_object_set_new(err, "error_user_msg", json_string(details ? details : ""));
	}
	sim_reply_json(resp, status, json_pack("{s:o}", "error", err));
}

void sim_reply_error(struct http_resp *resp, int code, const char *details)
{
	const struct sim_code_info *c = sim_codes_find(code);
	char message[256];
	snprintf(message, sizeof(message), "(#%d) %s", code, c->title);
	envelope(resp, c->http_status, code, c->subcode, message, details ? details : c->details,
	         c->transient, NULL);
}

void sim_reply_invalid(struct http_resp *resp, const char *fmt, ...)
{
	char details[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(details, sizeof(details), fmt, ap);
	va_end(ap);
	envelope(resp, 400, 100, 0, "(#100) Invalid parameter", details, false, NULL);
}

void sim_reply_invalid_sub(struct http_resp *resp, int subcode, const char *user_title,
                           const char *details)
{
	envelope(resp, 400, 100, subcode, "Invalid parameter", details, false, user_title);
}

void sim_reply_auth(struct http_resp *resp, bool expired)
{
	if (expired)
		envelope(resp, 401, 190, 463,
		         "Error validating access token: Session has expired. The access token was "
		         "invalidated by the simulator's control API.",
		         NULL, false, NULL);
	else
		envelope(resp, 401, 190, 0,
		         "Invalid OAuth access token - Cannot parse access token", NULL, false,
		         NULL);
}

void sim_reply_unknown_path(struct http_resp *resp, const char *path)
{
	char message[160];
	snprintf(message, sizeof(message), "Unknown path components: %.100s", path);
	envelope(resp, 400, 2500, 0, message, NULL, false, NULL);
}

void sim_reply_control(struct http_resp *resp, int status, const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	sim_reply_json(resp, status, json_pack("{s:s}", "error", message));
}
