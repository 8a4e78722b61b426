/* Test harness; see harness.h. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "core/log.h"
#include "core/sec.h"
#include "sim/sim.h"

static int64_t manual_now(void *arg)
{
	struct th_clock *c = arg;
	return __atomic_load_n(&c->now_ms, __ATOMIC_SEQ_CST);
}

void th_clock_init(struct th_clock *c, int64_t start_ms)
{
	c->now_ms = start_ms;
	c->clock.now_ms = manual_now;
	c->clock.arg = c;
}

void th_clock_advance(struct th_clock *c, int64_t ms)
{
	__atomic_add_fetch(&c->now_ms, ms, __ATOMIC_SEQ_CST);
}

static void start_app(struct th_server *s, const char *const *extra_env)
{
	char *env[64];
	size_t n = 0;
	char data_dir_env[300];
	snprintf(data_dir_env, sizeof(data_dir_env), "DATA_DIR=%s", s->data_dir);
	const char *defaults[] = {"PORT=0",         "DASHBOARD_PORT=0", "HOST=127.0.0.1",
	                          "LOG_LEVEL=warn", "HTTP_THREADS=2",   data_dir_env};
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		env[n++] = (char *)defaults[i];
	for (size_t i = 0; extra_env && extra_env[i] && n < 61; i++)
		env[n++] = (char *)extra_env[i];
	/* PIXELS_TEST_DEBUG=pixels:queue (say) shows a server's debug lines while debugging. */
	static char debug_env[300];
	if (getenv("PIXELS_TEST_DEBUG")) {
		snprintf(debug_env, sizeof(debug_env), "DEBUG=%s", getenv("PIXELS_TEST_DEBUG"));
		env[n++] = debug_env;
	}
	env[n] = NULL;
	struct config cfg;
	struct err e = {0};
	int rest = 0;
	char *argv[1] = {NULL};
	if (config_load(&cfg, 0, argv, &rest, env, NULL, &e) != 0 ||
	    config_ensure_secrets(&cfg, &e) != 0) {
		fail_msg("config: %s", e.message);
	}
	log_setup(cfg.debug, cfg.log_level, cfg.log_json);
	if (app_new(&cfg, &s->clock.clock, &s->app, &e) != 0 || app_start(s->app, &e) != 0)
		fail_msg("app: %s", e.message);
	config_release(&cfg);
	snprintf(s->api_url, sizeof(s->api_url), "http://127.0.0.1:%d", app_api_port(s->app));
	snprintf(s->dash_url, sizeof(s->dash_url), "http://127.0.0.1:%d",
	         app_dashboard_port(s->app));
	s->sim_url[0] = '\0';
	if (s->app->sim)
		snprintf(s->sim_url, sizeof(s->sim_url), "http://127.0.0.1:%d",
		         sim_port(s->app->sim));
}

void th_server_start(struct th_server *s, const char *const *extra_env)
{
	memset(s, 0, sizeof(*s));
	sec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(s->data_dir, sizeof(s->data_dir), "/tmp/pixels-test-XXXXXX");
	if (!mkdtemp(s->data_dir))
		fail_msg("mkdtemp failed");
	th_clock_init(&s->clock, clock_real_ms());
	start_app(s, extra_env);
}

void th_server_restart(struct th_server *s, const char *const *extra_env)
{
	app_free(s->app);
	s->app = NULL;
	start_app(s, extra_env);
}

void th_server_stop(struct th_server *s)
{
	app_free(s->app);
	s->app = NULL;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->data_dir);
	if (strncmp(s->data_dir, "/tmp/pixels-test-", 17) == 0) {
		int rc = system(cmd);
		(void)rc;
	}
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
	buf_append(arg, ptr, size * nmemb);
	return size * nmemb;
}

void th_request(const char *method, const char *url, const char *const *headers, const char *body,
                struct th_resp *out)
{
	th_request_from(NULL, method, url, headers, body, out);
}

void th_request_from(const char *source_ip, const char *method, const char *url,
                     const char *const *headers, const char *body, struct th_resp *out)
{
	memset(out, 0, sizeof(*out));
	buf_init(&out->body, 0);
	buf_init(&out->headers, 0);
	CURL *h = curl_easy_init();
	struct curl_slist *list = NULL;
	for (size_t i = 0; headers && headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	if (body)
		list = curl_slist_append(list, "Content-Type: application/json");
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &out->headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	if (source_ip)
		curl_easy_setopt(h, CURLOPT_INTERFACE, source_ip);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, url, curl_easy_strerror(rc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(list);
	curl_easy_cleanup(h);
	if (out->body.len > 0)
		out->json = json_loadb(out->body.ptr, out->body.len, 0, NULL);
}

void th_resp_release(struct th_resp *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
	json_decref(r->json);
	r->json = NULL;
}

bool th_resp_header(const struct th_resp *r, const char *name, char *out, size_t cap)
{
	const char *p = buf_cstr(&r->headers);
	size_t n = strlen(name);
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			str_copy(out, cap, (struct str){v, len - (size_t)(v - p)});
			return true;
		}
		p += len + (eol ? 2 : 0);
	}
	return false;
}

const char *th_json_str(const struct th_resp *r, const char *key)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : "";
}

void th_assert_error(const struct th_resp *r, long status, const char *code)
{
	if (r->status != status || !r->json ||
	    !json_is_false(json_object_get(r->json, "success")) ||
	    strcmp(th_json_str(r, "code"), code) != 0)
		fail_msg("expected %ld %s, got %ld %s", status, code, r->status,
		         buf_cstr(&r->body));
	assert_true(strlen(th_json_str(r, "message")) > 0);
}

static struct buf captured;

static void capture_sink(void *arg, const char *line, size_t len)
{
	buf_append(&captured, line, len);
	buf_append(&captured, "\n", 1);
}

void th_log_capture_start(void)
{
	buf_init(&captured, 0);
	log_set_sink(capture_sink, NULL);
}

char *th_log_capture_stop(void)
{
	log_set_sink(NULL, NULL);
	return buf_detach(&captured, NULL);
}

void th_signup(const struct th_server *s, const char *name, const char *email, const char *password,
               char *token)
{
	char url[128], body[512];
	snprintf(url, sizeof(url), "%s/api/auth/signup", s->api_url);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"email\":\"%s\",\"password\":\"%s\"}", name,
	         email, password);
	struct th_resp r;
	th_request("POST", url, NULL, body, &r);
	if (r.status != 201)
		fail_msg("signup %s: %ld %s", email, r.status, buf_cstr(&r.body));
	snprintf(token, 80, "%s", th_json_str(&r, "token"));
	th_resp_release(&r);
}

void th_generate_token(const struct th_server *s, const char *session, char *out)
{
	char url[128], auth[128];
	snprintf(url, sizeof(url), "%s/api/account/integration-token", s->api_url);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", session);
	const char *h[] = {auth, NULL};
	struct th_resp r;
	th_request("POST", url, h, NULL, &r);
	if (r.status != 201)
		fail_msg("generate token: %ld %s", r.status, buf_cstr(&r.body));
	snprintf(out, 80, "%s", th_json_str(&r, "integrationToken"));
	th_resp_release(&r);
}

bool th_wait_json(const char *url, const char *const *headers, int timeout_ms,
                  bool (*pred)(json_t *json, void *arg), void *arg)
{
	int64_t deadline = clock_real_ms() + timeout_ms;
	for (;;) {
		struct th_resp r;
		th_request("GET", url, headers, NULL, &r);
		bool ok = r.json && pred(r.json, arg);
		th_resp_release(&r);
		if (ok)
			return true;
		if (clock_real_ms() > deadline)
			return false;
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

void th_call(const struct th_server *s, const char *hdr, const char *method, const char *path,
             const char *body, struct th_resp *out)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", s->api_url, path);
	const char *h[] = {hdr ? hdr : "Content-Type: application/json",
	                   hdr ? "Content-Type: application/json" : NULL, NULL};
	th_request(method, url, h, body, out);
}

long th_sim(const struct th_server *s, const char *path, const char *body, struct th_resp *out)
{
	char url[256];
	snprintf(url, sizeof(url), "%s%s", s->sim_url, path);
	th_request(body ? "POST" : "GET", url, NULL, body, out);
	return out->status;
}
