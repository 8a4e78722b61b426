/* Media endpoints of the simulator (part of sim_graph.h): multipart upload, retrieve (a signed
 * URL back to this simulator, valid SIM_MEDIA_URL_TTL_S by the injectable clock), delete and
 * download. The multipart reader handles what Graph clients send: one part per field, a
 * Content-Disposition name, an optional Content-Type. */
#include "sim/sim_graph.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/sec.h"
#include "core/str.h"
#include "sim/sim_media.h"
#include "sim/sim_reply.h"
#include "sim/sim_util.h"

struct form {
	struct str file;     /* bytes of the "file" part */
	char file_type[128]; /* its Content-Type */
	char type[128];      /* the "type" field */
	char product[32];    /* the "messaging_product" field */
	bool has_file;
};

static int boundary_of(const char *ctype, char *out, size_t cap)
{
	const char *b = ctype ? sim_util_find_nocase(ctype, strlen(ctype), "boundary=", 9) : NULL;
	if (!b || strncasecmp(ctype, "multipart/form-data", 19) != 0)
		return -1;
	b += 9;
	size_t n = *b == '"' ? strcspn(++b, "\"") : strcspn(b, "; ");
	if (n == 0 || n + 3 > cap)
		return -1;
	snprintf(out, cap, "--%.*s", (int)n, b);
	return 0;
}

/* Copies the value of param (e.g. name="file") from a header block into out. */
static void header_param(struct str headers, const char *param, char *out, size_t cap)
{
	out[0] = '\0';
	const char *p = sim_util_find(headers.ptr, headers.len, param, strlen(param));
	if (!p)
		return;
	p += strlen(param);
	const char *end = memchr(p, '"', (size_t)(headers.ptr + headers.len - p));
	if (end)
		str_copy(out, cap, (struct str){p, (size_t)(end - p)});
}

static void content_type(struct str headers, char *out, size_t cap)
{
	out[0] = '\0';
	const char *p = sim_util_find_nocase(headers.ptr, headers.len, "Content-Type:", 13);
	if (!p)
		return;
	p += 13;
	while (*p == ' ')
		p++;
	const char *end = sim_util_find(p, (size_t)(headers.ptr + headers.len - p), "\r\n", 2);
	size_t n = end ? (size_t)(end - p) : (size_t)(headers.ptr + headers.len - p);
	str_copy(out, cap, (struct str){p, n});
}

static void take_part(struct form *f, struct str headers, struct str data)
{
	char name[64];
	header_param(headers, "name=\"", name, sizeof(name));
	if (strcmp(name, "file") == 0) {
		f->file = data;
		f->has_file = true;
		content_type(headers, f->file_type, sizeof(f->file_type));
	} else if (strcmp(name, "type") == 0) {
		str_copy(f->type, sizeof(f->type), data);
	} else if (strcmp(name, "messaging_product") == 0) {
		str_copy(f->product, sizeof(f->product), data);
	}
}

static int parse_form(const char *body, size_t len, const char *delim, struct form *f)
{
	size_t dlen = strlen(delim);
	const char *end = body + len;
	const char *p = sim_util_find(body, len, delim, dlen);
	while (p) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		const char *hend = sim_util_find(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return -1;
		const char *data = hend + 4;
		const char *next = NULL;
		for (const char *q = data; q && !next;) {
			q = sim_util_find(q, (size_t)(end - q), delim, dlen);
			if (q && q - data >= 2 && q[-2] == '\r' && q[-1] == '\n')
				next = q;
			else if (q)
				q += dlen;
		}
		if (!next)
			return -1;
		take_part(f, (struct str){p, (size_t)(hend - p)},
		          (struct str){data, (size_t)(next - 2 - data)});
		p = next;
	}
	return -1;
}

void sim_graph_media_upload(struct sim *s, const char *pnid, struct http_req *req,
                            struct http_resp *resp)
{
	char delim[128], details[256];
	struct form f;
	memset(&f, 0, sizeof(f));
	if (boundary_of(http_header(req, "Content-Type"), delim, sizeof(delim)) != 0 ||
	    parse_form(req->body.ptr, req->body.len, delim, &f) != 0) {
		sim_reply_invalid(resp, "The body must be multipart/form-data with a file part.");
		return;
	}
	const char *mime = f.type[0] ? f.type : f.file_type;
	if (strcmp(f.product, "whatsapp") != 0) {
		sim_reply_invalid(resp, "Param messaging_product must be 'whatsapp'.");
	} else if (!f.has_file) {
		sim_reply_invalid(resp, "Param file is required.");
	} else if (sim_media_check_type(mime, f.file.len, details, sizeof(details)) != 0) {
		sim_reply_invalid(resp, "%s", details);
	} else {
		char id[24];
		struct sim_media_info info;
		sim_state_numeric_id(s, id, sizeof(id));
		sim_media_add(s->media, id, f.file.ptr, f.file.len, mime, &info);
		sim_reply_json(resp, 200, json_pack("{s:s}", "id", id));
	}
}

static void url_sig(struct sim *s, const char *id, int64_t exp, char out[33])
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "%s|%" PRId64, id, exp);
	char hex[SEC_SHA256_HEX];
	sec_hmac_sha256_hex(s->url_key, sizeof(s->url_key), msg, (size_t)n, hex);
	memcpy(out, hex, 32);
	out[32] = '\0';
}

/* "http://<Host header>" when it looks like a host, else the simulator's own address. */
static void origin(struct sim *s, struct http_req *req, char *out, size_t cap)
{
	const char *host = http_header(req, "Host");
	bool ok = host && *host && strlen(host) < 200;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		     (*p >= '0' && *p <= '9') || strchr(".-:[]", *p);
	if (ok)
		snprintf(out, cap, "http://%s", host);
	else
		snprintf(out, cap, "%s", s->base_url);
}

bool sim_graph_media_get(struct sim *s, const char *id, struct http_req *req,
                         struct http_resp *resp)
{
	struct sim_media_info info;
	if (!sim_media_find(s->media, id, &info))
		return false;
	int64_t exp = clock_now_ms(&s->cfg.clock) / 1000 + SIM_MEDIA_URL_TTL_S;
	char sig[33], base[256], url[512], size[24];
	url_sig(s, id, exp, sig);
	origin(s, req, base, sizeof(base));
	snprintf(url, sizeof(url), "%s/_media/%s?exp=%" PRId64 "&sig=%s", base, id, exp, sig);
	snprintf(size, sizeof(size), "%zu", info.size);
	sim_reply_json(resp, 200,
	               json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "url", url, "mime_type",
	                         info.mime, "sha256", info.sha256_hex, "file_size", size, "id",
	                         info.id, "messaging_product", "whatsapp"));
	return true;
}

void sim_graph_media_delete(struct sim *s, const char *id, struct http_resp *resp)
{
	if (!sim_media_delete(s->media, id)) {
		sim_reply_invalid(resp, "Media %s does not exist.", id);
		return;
	}
	sim_reply_text(resp, 200, "{\"success\":true}");
}

void sim_graph_media_download(struct sim *s, const char *id, struct http_req *req,
                              struct http_resp *resp)
{
	if (!sim_graph_authorized(s, req, resp))
		return;
	const char *exp_arg = http_query(req, "exp"), *sig_arg = http_query(req, "sig");
	int64_t exp = 0;
	char sig[33];
	if (!exp_arg || !sig_arg || str_parse_i64(str_from(exp_arg), 0, INT64_MAX, &exp) != 0) {
		http_resp_set(resp, 403, "text/plain", "URL signature mismatch\n", 23);
		return;
	}
	url_sig(s, id, exp, sig);
	if (!sec_equal(sig, strlen(sig), sig_arg, strlen(sig_arg))) {
		http_resp_set(resp, 403, "text/plain", "URL signature mismatch\n", 23);
		return;
	}
	if (clock_now_ms(&s->cfg.clock) / 1000 > exp) {
		http_resp_set(resp, 404, "text/plain", "URL signature expired\n", 22);
		return;
	}
	struct buf bytes;
	buf_init(&bytes, 0);
	char mime[128];
	if (!sim_media_read(s->media, id, &bytes, mime, sizeof(mime))) {
		buf_release(&bytes);
		http_resp_set(resp, 404, "text/plain", "Media not found\n", 16);
		return;
	}
	size_t len = 0;
	char *data = buf_detach(&bytes, &len);
	http_resp_take(resp, 200, NULL, data, len);
	http_resp_header(resp, "Content-Type", mime); /* not static: sent as a plain header */
}
