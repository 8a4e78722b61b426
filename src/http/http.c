/* Request accessors and response building; see http.h. Header and query lookups go through
 * libmicrohttpd's connection tables, which hold decoded values for the request's lifetime. */
#include "http/http.h"

#include <string.h>

#include <microhttpd.h>

#include "core/xalloc.h"

const char *http_header(const struct http_req *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_req *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool http_cookie(const struct http_req *req, const char *name, char *out, size_t cap)
{
	const char *h = http_header(req, "Cookie");
	size_t nlen = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		size_t seg = strcspn(h, ";");
		if (seg > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=')
			return str_copy(out, cap, (struct str){h + nlen + 1, seg - nlen - 1}) == 0;
		h += seg;
	}
	return false;
}

enum http_method http_method_parse(const char *name)
{
	static const char *const names[] = {"GET",   "HEAD",   "POST",   "PUT",
	                                    "PATCH", "DELETE", "OPTIONS"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
	static const char *const names[] = {"GET",   "HEAD",   "POST",    "PUT",
	                                    "PATCH", "DELETE", "OPTIONS", "OTHER"};
	return names[m];
}

const char *http_status_text(int status)
{
	const char *s = MHD_get_reason_phrase_for((unsigned)status);
	return s && *s ? s : "Unknown";
}

void http_resp_init(struct http_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->body, 0);
}

void http_resp_release(struct http_resp *resp)
{
	buf_release(&resp->body);
	for (size_t i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	resp->nheaders = 0;
}

void http_resp_header(struct http_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == HTTP_MAX_RESP_HEADERS)
		return;
	resp->headers[resp->nheaders].name = xstrdup(name);
	resp->headers[resp->nheaders].value = xstrdup(value);
	resp->nheaders++;
}

void http_resp_set(struct http_resp *resp, int status, const char *content_type, const void *data,
                   size_t len)
{
	buf_reset(&resp->body);
	buf_append(&resp->body, data, len);
	resp->status = status;
	resp->content_type = content_type;
	resp->static_body = NULL;
}

void http_resp_take(struct http_resp *resp, int status, const char *content_type, char *data,
                    size_t len)
{
	buf_release(&resp->body);
	resp->body.ptr = data;
	resp->body.len = len;
	resp->body.cap = len + 1;
	resp->status = status;
	resp->content_type = content_type;
	resp->static_body = NULL;
}

void http_resp_static(struct http_resp *resp, int status, const char *content_type,
                      const void *data, size_t len)
{
	buf_release(&resp->body);
	resp->status = status;
	resp->content_type = content_type;
	resp->static_body = data;
	resp->static_len = len;
}
