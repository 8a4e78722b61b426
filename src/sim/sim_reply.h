/* Replies the simulator sends over HTTP: JSON bodies and Meta's Graph error envelope
 * {"error":{message, type:"OAuthException", code, error_subcode?, error_data:{messaging_product,
 * details}, fbtrace_id, is_transient?}} with the HTTP status sim_codes assigns the code. */
#ifndef PIXELS_SIM_SIM_REPLY_H
#define PIXELS_SIM_SIM_REPLY_H

#include "core/jsonw.h"
#include "http/http.h"

/* Serialises body (steals the reference) as the response with status. */
void sim_reply_json(struct http_resp *resp, int status, json_t *body);
/* Copies a ready JSON text as the response. */
void sim_reply_text(struct http_resp *resp, int status, const char *json);
/* The envelope for code with the table's title, subcode and status; details NULL = the
 * table's text. */
void sim_reply_error(struct http_resp *resp, int code, const char *details);
/* Code 100 "Invalid parameter" (HTTP 400) with printf-style details naming the problem. */
void sim_reply_invalid(struct http_resp *resp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Code 100 with a chosen subcode and message (templates: 2388024 "already exists"). */
void sim_reply_invalid_sub(struct http_resp *resp, int subcode, const char *user_title,
                           const char *details);
/* 401 code 190. expired: subcode 463 "Session has expired"; else "Invalid OAuth access token". */
void sim_reply_auth(struct http_resp *resp, bool expired);
/* Graph's answer to a path it does not know: 400 code 2500 "Unknown path components". */
void sim_reply_unknown_path(struct http_resp *resp, const char *path);
/* A control-API (/_sim/) refusal: {"error":"<message>"} with status. */
void sim_reply_control(struct http_resp *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
