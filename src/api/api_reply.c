/* Reply and error bodies; see api.h. Every error body in Pixels is built by api_error. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"

int api_http_status(enum err_code code)
{
	switch (code) {
	case ERR_OK:
		return 200;
	case ERR_INVALID:
		return 400;
	case ERR_AUTH:
		return 401;
	case ERR_FORBIDDEN:
		return 403;
	case ERR_NOT_FOUND:
		return 404;
	case ERR_METHOD:
		return 405;
	case ERR_CONFLICT:
		return 409;
	case ERR_TOO_LARGE:
		return 413;
	case ERR_UNPROCESSABLE:
		return 422;
	case ERR_LIMIT:
		return 429;
	case ERR_UPSTREAM:
		return 502;
	case ERR_UNAVAILABLE:
		return 503;
	case ERR_INTERNAL:
		break;
	}
	return 500;
}

void api_reply_raw(struct http_resp *resp, int status, json_t *obj)
{
	size_t len = 0;
	char *body = jsonw_dump(obj, &len);
	json_decref(obj);
	http_resp_take(resp, status, "application/json; charset=utf-8", body, len);
}

int api_reply(struct api_call *c, int status, json_t *obj)
{
	json_t *out = json_object();
	json_object_set_new(out, "success", json_true());
	json_object_update(out, obj);
	json_decref(obj);
	api_reply_raw(c->resp, status, out);
	return 0;
}

int api_ok(struct api_call *c, int status, const char *message, json_t *data)
{
	json_t *obj = json_object();
	if (message)
		json_object_set_new(obj, "message", json_string(message));
	if (data)
		json_object_set_new(obj, "data", data);
	return api_reply(c, status, obj);
}

void api_out_begin(struct jsonout *w, const char *message)
{
	jsonout_init(w);
	jsonout_object_open(w);
	jsonout_kbool(w, "success", true);
	if (message)
		jsonout_kstr(w, "message", message);
	jsonout_key(w, "data");
}

int api_out_send(struct api_call *c, int status, struct jsonout *w)
{
	jsonout_object_close(w);
	size_t len = 0;
	char *body = jsonout_detach(w, &len);
	http_resp_take(c->resp, status, "application/json; charset=utf-8", body, len);
	return 0;
}

void api_out_list_begin(struct jsonout *w, const char *name)
{
	api_out_begin(w, NULL);
	jsonout_object_open(w);
	jsonout_key(w, name);
	jsonout_array_open(w);
}

int api_out_list_send(struct api_call *c, struct jsonout *w, int64_t total, int64_t limit,
                      int64_t offset)
{
	jsonout_array_close(w);
	jsonout_key(w, "pagination");
	jsonout_object_open(w);
	jsonout_kint(w, "total", total);
	jsonout_kint(w, "limit", limit);
	jsonout_kint(w, "offset", offset);
	jsonout_kbool(w, "hasMore", offset + limit < total);
	jsonout_object_close(w);
	jsonout_object_close(w);
	return api_out_send(c, 200, w);
}

void api_error(struct http_req *req, struct http_resp *resp, const struct err *e, json_t *extra)
{
	int status = api_http_status(e->code);
	const char *key = e->key[0] ? e->key : NULL;
	const char *message = e->message;
	/* Only a genuine internal failure is masked; Meta's refusals (502) and "unavailable"
	 * (503) are explained to the caller. */
	if (e->code == ERR_INTERNAL) {
		log_error("pixels:http", "rid=%s %s %s failed: %s %s: %s", req->request_id,
		          req->method_name, req->path, err_code_name(e->code), key ? key : "-",
		          e->message);
		key = "INTERNAL_ERROR";
		message = "Internal server error";
	} else if (status >= 500) {
		log_warn("pixels:http", "rid=%s %s %s failed upstream: %s", req->request_id,
		         req->method_name, req->path, e->message);
	}
	json_t *obj = json_object();
	json_object_set_new(obj, "success", json_false());
	json_object_set_new(obj, "code", json_string(key ? key : "ERROR"));
	json_object_set_new(obj, "message", json_string(message[0] ? message : "Request failed"));
	if (e->field[0])
		json_object_set_new(obj, "field", json_string(e->field));
	if (e->retry_after_s > 0) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%d", e->retry_after_s);
		http_resp_header(resp, "Retry-After", secs);
		json_object_set_new(obj, "retryAfter", json_integer(e->retry_after_s));
	}
	if (extra)
		json_object_update(obj, extra);
	api_reply_raw(resp, status, obj);
}

json_t *api_user_json(const struct user_row *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", u->id, "email", u->email, "name",
	                 u->name, "accountId", u->account_id, "role",
	                 store_user_role_name(u->role));
}

json_t *api_account_json(const struct account_row *a)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "id", a->id, "name", a->name, "email", a->email,
	                 "status", store_account_status_name(a->status));
}

int api_query_int(struct api_call *c, const char *name, int64_t def, int64_t min, int64_t max,
                  int64_t *out)
{
	const char *v = http_query(c->req, name);
	if (!v) {
		*out = def;
		return 0;
	}
	if (str_parse_i64(str_from(v), min, max, out) != 0)
		return err_field(&c->err, name, "must be an integer from %lld to %lld",
		                 (long long)min, (long long)max);
	return 0;
}

int api_query_str(struct api_call *c, const char *name, size_t max_len, const char **out)
{
	const char *v = http_query(c->req, name);
	*out = NULL;
	if (!v || !*v)
		return 0;
	size_t len = strlen(v);
	if (len > max_len)
		return err_field(&c->err, name, "must be at most %zu characters", max_len);
	if (!str_is_clean_utf8((struct str){v, len}))
		return err_field(&c->err, name, "must be plain text");
	*out = v;
	return 0;
}

int api_query_enum(struct api_call *c, const char *name, const char *const *allowed,
                   const char **out)
{
	const char *v = http_query(c->req, name);
	*out = NULL;
	if (!v || !*v)
		return 0;
	char list[256] = "";
	size_t used = 0;
	for (size_t i = 0; allowed[i]; i++) {
		if (strcmp(v, allowed[i]) == 0) {
			*out = allowed[i];
			return 0;
		}
		int n =
		    snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", allowed[i]);
		used += n > 0 && (size_t)n < sizeof(list) - used ? (size_t)n : 0;
	}
	return err_field(&c->err, name, "must be one of: %s", list);
}

const char *api_param(const struct api_call *c, char *out, size_t cap)
{
	str_copy(out, cap, c->params.values[0]);
	return out;
}

json_t *api_pagination_json(int64_t total, int64_t limit, int64_t offset)
{
	return json_pack("{s:I, s:I, s:I, s:b}", "total", (json_int_t)total, "limit",
	                 (json_int_t)limit, "offset", (json_int_t)offset, "hasMore",
	                 offset + limit < total);
}
