/* Static dashboard files; see api_static.h. Paths with ".." segments or hidden files are
 * refused before any lookup, so WEB_DIR cannot be escaped. */
#include "api/api_static.h"

#include <stdio.h>
#include <string.h>

#include "core/embedded.h"
#include "core/xalloc.h"

#define API_STATIC_MAX_FILE (8 * 1024 * 1024)

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	    {".json", "application/json"},
	    {".woff2", "font/woff2"},
	    {".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static bool safe_path(const char *rel)
{
	if (!*rel)
		return false;
	for (const char *p = rel; *p;) {
		if (p[0] == '.')
			return false; /* "..", ".env", hidden files */
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		p = slash + 1;
	}
	return strstr(rel, "//") == NULL && strchr(rel, '\\') == NULL;
}

static bool serve_embedded(const char *rel, struct http_resp *resp)
{
	for (size_t i = 0; web_assets[i].path; i++) {
		if (strcmp(web_assets[i].path, rel) == 0) {
			http_resp_static(resp, 200, content_type(rel), web_assets[i].data,
			                 web_assets[i].len);
			return true;
		}
	}
	return false;
}

static bool serve_disk(const char *dir, const char *rel, struct http_resp *resp)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	struct buf b;
	buf_init(&b, API_STATIC_MAX_FILE);
	char chunk[8192];
	size_t n;
	bool ok = true;
	while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ok = buf_append(&b, chunk, n) == 0;
	fclose(f);
	if (!ok) {
		buf_release(&b);
		return false;
	}
	size_t len = 0;
	char *data = buf_detach(&b, &len);
	http_resp_take(resp, 200, content_type(rel), data, len);
	return true;
}

static bool serve(const struct api_env *env, const char *rel, struct http_resp *resp)
{
	const char *dir = env->svc->cfg->web_dir;
	return dir[0] ? serve_disk(dir, rel, resp) : serve_embedded(rel, resp);
}

void api_static_serve(const struct api_env *env, struct http_req *req, struct http_resp *resp)
{
	const char *rel = req->path + 1;
	bool get = req->method == HTTP_GET || req->method == HTTP_HEAD;
	if (get && (*rel == '\0' || !strchr(rel, '.')))
		rel = "index.html"; /* the app shell; the client routes by hash */
	http_resp_header(resp, "Cache-Control", "no-cache");
	if (get && safe_path(rel) && serve(env, rel, resp))
		return;
	struct err e = {0};
	if (!get) {
		http_resp_header(resp, "Allow", "GET, HEAD");
		err_set(&e, ERR_METHOD, "METHOD_NOT_ALLOWED",
		        "This method is not allowed on this path.");
		api_error(req, resp, &e, NULL);
		return;
	}
	err_set(&e, ERR_NOT_FOUND, "ROUTE_NOT_FOUND", "Route not found");
	json_t *extra = json_pack("{s:s}", "path", req->path);
	api_error(req, resp, &e, extra);
	json_decref(extra);
}
