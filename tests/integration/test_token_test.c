/* Integration: `pixels token-test` (the real binary) against a fake HTTP server run here on
 * 127.0.0.1 port 0 in a thread, which answers canned replies and records each request line and
 * Authorization header. Covers success, the tolerated 404, refusals with tailored hints,
 * non-Pixels replies, base URL choice (--url over API_URL), an unreachable server and usage
 * errors; every run checks that no more than the first 15 token characters are printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"

#define TOKEN "wpi_int_9f3c2a1b7d4e8f6a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b"
#define SHOWN "wpi_int_9f3c2a1" /* the first 15 characters */
#define MAX_REQ 4

struct fake {
	int fd; /* listening socket */
	int port;
	pthread_t thread;
	char health[4096]; /* full HTTP replies for the two paths */
	char conversations[4096];
	int requests; /* read by the test only after the thread is joined */
	char line[MAX_REQ][256];
	char auth[MAX_REQ][256];
	bool origin;
};

static void reply(char *out, const char *status, const char *type, const char *body)
{
	snprintf(
	    out, 4096,
	    "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n"
	    "%s",
	    status, type, strlen(body), body);
}

static void json_reply(char *out, const char *status, const char *body)
{
	reply(out, status, "application/json", body);
}

/* Copies the value of header name (case-insensitive) from the raw request into out. */
static bool header(const char *req, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	for (const char *p = strstr(req, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, n) != 0 || p[2 + n] != ':')
			continue;
		const char *v = p + 3 + n;
		while (*v == ' ')
			v++;
		snprintf(out, cap, "%.*s", (int)strcspn(v, "\r\n"), v);
		return true;
	}
	return false;
}

static void handle(struct fake *f, int c)
{
	char req[8192];
	size_t len = 0;
	while (len + 1 < sizeof(req)) {
		ssize_t n = read(c, req + len, sizeof(req) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[len] = '\0';
	int i = f->requests++;
	if (i < MAX_REQ) {
		snprintf(f->line[i], sizeof(f->line[i]), "%.*s", (int)strcspn(req, "\r\n"), req);
		header(req, "Authorization", f->auth[i], sizeof(f->auth[i]));
	}
	char ignored[256];
	f->origin |= header(req, "Origin", ignored, sizeof(ignored));
	char missing[4096];
	const char *out = missing;
	json_reply(
	    missing, "404 Not Found",
	    "{\"success\":false,\"code\":\"ROUTE_NOT_FOUND\",\"message\":\"Route not found\"}");
	if (strncmp(req, "GET /api/integrations/health ", 29) == 0)
		out = f->health;
	else if (strncmp(req, "GET /api/integrations/conversations", 35) == 0)
		out = f->conversations;
	size_t left = strlen(out);
	while (left > 0) {
		ssize_t n = write(c, out, left);
		if (n <= 0)
			break;
		out += n;
		left -= (size_t)n;
	}
}

static void *serve(void *arg)
{
	struct fake *f = arg;
	for (;;) {
		int c = accept(f->fd, NULL, NULL);
		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			return NULL; /* shutdown() by fake_stop */
		struct timeval tv = {.tv_sec = 10};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		handle(f, c);
		close(c);
	}
}

/* A socket bound to 127.0.0.1 on an ephemeral port; its port in *port. */
static int bind_local(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void fake_start(struct fake *f)
{
	f->fd = bind_local(&f->port);
	assert_int_equal(listen(f->fd, 8), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, serve, f), 0);
}

static void fake_stop(struct fake *f)
{
	shutdown(f->fd, SHUT_RDWR); /* wakes accept() */
	pthread_join(f->thread, NULL);
	close(f->fd);
}

/* Runs `env -i PATH=.. <env> pixels token-test <args> <redirect>`; returns the exit code and
 * fills out with what the redirect sends to the pipe. */
static int run(const char *env, const char *args, const char *redirect, struct buf *out)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "env -i PATH=/usr/bin:/bin %s '%s' token-test %s %s",
	         env ? env : "", getenv("PIXELS_BIN"), args, redirect ? redirect : "2>&1");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	buf_init(out, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(out, chunk, n);
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* No 8-character run of the token that reaches past its 15th character, and not its first 16. */
static void assert_no_leak(const char *out)
{
	char w[9];
	for (size_t j = 8; j + 8 <= strlen(TOKEN); j++) {
		snprintf(w, sizeof(w), "%s", &TOKEN[j]);
		if (strstr(out, w))
			fail_msg("token text \"%s\" leaked into:\n%s", w, out);
	}
	char first16[17];
	snprintf(first16, sizeof(first16), "%s", TOKEN);
	assert_null(strstr(out, first16));
}

static void expect_in(const struct buf *out, const char *needle)
{
	if (!strstr(buf_cstr(out), needle))
		fail_msg("missing \"%s\" in output:\n%s", needle, buf_cstr(out));
}

/* Runs the command against f (started and stopped here) with --url; stdout+stderr in out. */
static int scenario(struct fake *f, struct buf *out)
{
	fake_start(f);
	char args[256];
	snprintf(args, sizeof(args), "'%s' --url http://127.0.0.1:%d", TOKEN, f->port);
	int rc = run(NULL, args, NULL, out);
	fake_stop(f);
	assert_no_leak(buf_cstr(out));
	assert_false(f->origin);
	for (int i = 0; i < f->requests && i < MAX_REQ; i++)
		assert_string_equal(f->auth[i], "Bearer " TOKEN);
	return rc;
}

static const char health_ok[] =
    "{\"success\":true,\"message\":\"Integration connection healthy\",\"data\":{\"accountId\":"
    "\"acc_1\",\"accountName\":\"Acme Tutors\",\"email\":\"boss@acme.test\",\"authenticated\":"
    "true,\"tokenPrefix\":\"wpi_int_9f3c\",\"tokenExpiresAt\":null,\"phoneNumbers\":[{\"id\":"
    "\"p1\"},{\"id\":\"p2\"}],\"timestamp\":\"2026-03-01T10:00:00.000Z\"}}";

static void test_valid_token(void **state)
{
	struct fake f = {0};
	struct buf out;
	json_reply(f.health, "200 OK", health_ok);
	json_reply(
	    f.conversations, "200 OK",
	    "{\"success\":true,\"data\":{\"conversations\":[{\"_id\":\"c1\"},{\"_id\":\"c2\"},"
	    "{\"_id\":\"c3\"}],\"pagination\":{\"total\":3,\"limit\":5,\"offset\":0,"
	    "\"hasMore\":false}}}");
	assert_int_equal(scenario(&f, &out), 0);
	expect_in(&out, "🔑 Token: " SHOWN "...\n");
	expect_in(&out, "Test 1️⃣  Checking the connection (GET /api/integrations/health)...");
	expect_in(&out, "Status: 200 OK\n✅ Connected to account \"Acme Tutors\" (boss@acme.test)\n"
	                "   Token wpi_int_9f3c..., expires never\n   WhatsApp numbers: 2\n");
	expect_in(&out, "✅ 3 conversation(s) returned");
	expect_in(&out, "\n✅ Token is valid and working!\n");
	expect_in(&out, "\n============================================================\n\n");
	assert_int_equal(f.requests, 2);
	assert_string_equal(f.line[0], "GET /api/integrations/health HTTP/1.1");
	assert_string_equal(f.line[1], "GET /api/integrations/conversations?limit=5 HTTP/1.1");
	buf_release(&out);
}

static void test_conversations_not_served_yet(void **state)
{
	struct fake f = {0};
	struct buf out;
	json_reply(
	    f.health, "200 OK",
	    "{\"success\":true,\"data\":{\"accountName\":\"Acme\",\"email\":\"a@acme.test\","
	    "\"tokenPrefix\":\"wpi_int_9f3c\",\"tokenExpiresAt\":\"2026-12-31T00:00:00.000Z\","
	    "\"phoneNumbers\":[]}}");
	json_reply(
	    f.conversations, "404 Not Found",
	    "{\"success\":false,\"code\":\"ROUTE_NOT_FOUND\",\"message\":\"Route not found\"}");
	assert_int_equal(scenario(&f, &out), 0);
	expect_in(&out, "expires 2026-12-31T00:00:00.000Z\n   WhatsApp numbers: 0");
	expect_in(&out,
	          "Status: 404 Not Found\n⚠️  This server does not serve conversations yet "
	          "(404); that is not a token problem.");
	expect_in(&out, "✅ Token is valid and working!");
	assert_int_equal(f.requests, 2);
	buf_release(&out);
}

static void test_invalid_token(void **state)
{
	struct fake f = {0};
	struct buf out;
	/* The message echoes the whole token: the command must cut it. */
	json_reply(
	    f.health, "401 Unauthorized",
	    "{\"success\":false,\"code\":\"INVALID_TOKEN\",\"message\":\"Unknown token " TOKEN
	    "\"}");
	assert_int_equal(scenario(&f, &out), 1);
	expect_in(&out, "Status: 401 Unauthorized\nResponse: INVALID_TOKEN: Unknown token " SHOWN
	                "...\n");
	expect_in(&out, "\n❌ Token test failed.\n");
	expect_in(&out, "Troubleshooting:\n  -> The server does not know this token");
	expect_in(&out,
	          "  1. Verify the token starts with \"wpi_int_\" and is 72 characters long\n");
	expect_in(&out, "  4. Ensure the backend is running on the correct port");
	expect_in(&out, "\n============================================================\n");
	assert_null(strstr(buf_cstr(&out), "Token is valid"));
	assert_int_equal(f.requests, 1); /* no second test after a refusal */
	buf_release(&out);
}

static void test_expired_token(void **state)
{
	struct fake f = {0};
	struct buf out;
	json_reply(f.health, "401 Unauthorized",
	           "{\"success\":false,\"code\":\"TOKEN_EXPIRED\",\"message\":\"Token expired\"}");
	assert_int_equal(scenario(&f, &out), 1);
	expect_in(&out, "Response: TOKEN_EXPIRED: Token expired\n");
	expect_in(&out, "  -> The token has expired: generate a new one in Settings -> API Keys; "
	                "the old one is revoked automatically.\n");
	expect_in(&out, "❌ Token test failed.");
	buf_release(&out);
}

static void test_conversations_refused(void **state)
{
	struct fake f = {0};
	struct buf out;
	json_reply(f.health, "200 OK", health_ok);
	json_reply(
	    f.conversations, "429 Too Many Requests",
	    "{\"success\":false,\"code\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Slow down\"}");
	assert_int_equal(scenario(&f, &out), 1);
	expect_in(&out, "Status: 429 Too Many Requests\nResponse: RATE_LIMIT_EXCEEDED: Slow down");
	expect_in(&out, "  -> The account's request rate limit");
	expect_in(&out, "❌ Token test failed.");
	buf_release(&out);
}

static void test_not_pixels(void **state)
{
	struct fake f = {0};
	struct buf out;
	/* An echo service that reflects the request, token included, as HTML. */
	reply(f.health, "200 OK", "text/html",
	      "<html><pre>GET /api/integrations/health\nAuthorization: Bearer " TOKEN
	      "\n\x1b[31m</pre></html>");
	assert_int_equal(scenario(&f, &out), 1);
	expect_in(&out, "not like Pixels");
	expect_in(&out, "Authorization: Bearer " SHOWN "...\n?[31m");
	expect_in(&out, "❌ Token test failed.");
	assert_null(strstr(buf_cstr(&out), "\x1b"));
	assert_int_equal(f.requests, 1);
	buf_release(&out);

	/* A non-2xx that is not a Pixels error body is shown raw. */
	struct fake g = {0};
	reply(g.health, "502 Bad Gateway", "text/plain", "upstream down");
	assert_int_equal(scenario(&g, &out), 1);
	expect_in(&out, "Status: 502 Bad Gateway\nResponse: upstream down\n");
	buf_release(&out);
}

static void test_url_flag_and_env(void **state)
{
	struct fake f = {0};
	struct buf out;
	char env[128], args[256];
	json_reply(f.health, "200 OK", health_ok);
	json_reply(f.conversations, "200 OK", "{\"success\":true,\"data\":{\"conversations\":[]}}");

	/* API_URL alone; one trailing '/' is dropped. */
	fake_start(&f);
	snprintf(env, sizeof(env), "API_URL=http://127.0.0.1:%d/", f.port);
	assert_int_equal(run(env, TOKEN, NULL, &out), 0);
	fake_stop(&f);
	assert_int_equal(f.requests, 2);
	assert_string_equal(f.line[0], "GET /api/integrations/health HTTP/1.1");
	snprintf(args, sizeof(args), "📍 API URL: http://127.0.0.1:%d\n", f.port);
	expect_in(&out, args);
	expect_in(&out, "✅ 0 conversation(s) returned");
	buf_release(&out);

	/* --url=URL wins over API_URL (which points at nothing). */
	int dead = 0;
	close(bind_local(&dead));
	f.requests = 0;
	fake_start(&f);
	snprintf(env, sizeof(env), "API_URL=http://127.0.0.1:%d", dead);
	snprintf(args, sizeof(args), "--url=http://127.0.0.1:%d %s", f.port, TOKEN);
	assert_int_equal(run(env, args, NULL, &out), 0);
	fake_stop(&f);
	assert_int_equal(f.requests, 2);
	assert_no_leak(buf_cstr(&out));
	buf_release(&out);

	/* Neither: the documented default. */
	run(NULL, TOKEN, NULL, &out);
	expect_in(&out, "📍 API URL: http://localhost:5050\n");
	buf_release(&out);
}

static void test_unreachable(void **state)
{
	int dead = 0;
	close(bind_local(&dead));
	char args[256];
	snprintf(args, sizeof(args), "%s --url http://127.0.0.1:%d", TOKEN, dead);
	struct buf err, out;
	assert_int_equal(run(NULL, args, "2>&1 >/dev/null", &err), 2);
	expect_in(&err, "\n❌ Connection error: ");
	assert_no_leak(buf_cstr(&err));
	assert_int_equal(run(NULL, args, "2>/dev/null", &out), 2);
	char want[128];
	snprintf(want, sizeof(want), "  1. Check if API is running at http://127.0.0.1:%d", dead);
	expect_in(&out, "\nTroubleshooting:\n");
	expect_in(&out, want);
	expect_in(&out, "pixels serve");
	expect_in(&out, "  2. Verify network connectivity\n  3. Check backend logs for errors\n");
	expect_in(&out, "\n============================================================\n");
	assert_no_leak(buf_cstr(&out));
	buf_release(&err);
	buf_release(&out);
}

static void test_usage_errors(void **state)
{
	struct buf out;
	assert_int_equal(run(NULL, "", "2>&1 >/dev/null", &out), 2);
	expect_in(&out, "❌ Error: Integration token required");
	buf_release(&out);
	assert_int_equal(run(NULL, "", "2>/dev/null", &out), 2);
	expect_in(&out, "Usage: pixels token-test <integration_token>");
	buf_release(&out);
	assert_int_equal(run(NULL, "--url ftp://x " TOKEN, NULL, &out), 2);
	expect_in(&out, "http:// or https://");
	assert_no_leak(buf_cstr(&out));
	buf_release(&out);
	assert_int_equal(run("API_URL=ftp://x", TOKEN, NULL, &out), 2);
	buf_release(&out);
	assert_int_equal(run(NULL, TOKEN " --frobnicate", NULL, &out), 2);
	buf_release(&out);
	assert_int_equal(run(NULL, TOKEN " second-token", NULL, &out), 2);
	buf_release(&out);
}

int main(void)
{
	if (!getenv("PIXELS_BIN")) {
		fprintf(stderr, "PIXELS_BIN must name the pixels binary\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_token),
	    cmocka_unit_test(test_conversations_not_served_yet),
	    cmocka_unit_test(test_invalid_token),
	    cmocka_unit_test(test_expired_token),
	    cmocka_unit_test(test_conversations_refused),
	    cmocka_unit_test(test_not_pixels),
	    cmocka_unit_test(test_url_flag_and_env),
	    cmocka_unit_test(test_unreachable),
	    cmocka_unit_test(test_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
