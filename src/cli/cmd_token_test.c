/* `pixels token-test <token> [--url URL]`: checks an integration token the way an integrator's
 * backend would use it (GET /api/integrations/health, then /conversations?limit=5) and says
 * why it fails. Exit 0 works, 1 refused, 2 usage or server unreachable. Never prints more than
 * the first 15 characters of the token: all text that did not come from us goes through sayf. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/jsonw.h"

#define TT_SHOWN 15               /* token characters that may be printed */
#define TT_LEAK_RUN 8             /* a run this long of hidden token text gets redacted */
#define TT_MAX_BODY (1024 * 1024) /* reply body cap */
#define TT_MAX_SHOWN_BODY 500     /* raw body bytes printed */
#define TT_MAX_URL 2048
#define TT_MAX_TOKEN 512
#define TT_DEFAULT_URL "http://localhost:5050"
#define TT_RULE "============================================================"

enum tt_outcome { TT_OK, TT_REFUSED, TT_UNREACHABLE };

struct tt_run {
	char base[TT_MAX_URL + 1];  /* no trailing '/' */
	const char *token;          /* borrowed from argv */
	CURL *curl;                 /* owned */
	struct curl_slist *headers; /* owned; holds the token */
	const char *hint;           /* tailored troubleshooting line (static), or NULL */
	char curl_error[CURL_ERROR_SIZE];
};

struct tt_reply {
	long status;
	char reason[64];
	struct buf body;     /* owned, at most TT_MAX_BODY bytes */
	json_t *json;        /* owned: the body when it is a JSON object, else NULL */
	const char *code;    /* error body fields, borrowed from json */
	const char *message; /* idem */
};

static const char *const hints[][2] = {
    {"TOKEN_NOT_PROVIDED", "The server saw no token: does a proxy strip the Authorization header?"},
    {"INVALID_TOKEN_FORMAT", "The token is malformed: check for cut-off or extra characters."},
    {"INVALID_TOKEN", "The server does not know this token: it may be mistyped or replaced by a "
                      "newer one; generate a new one in Settings -> API Keys."},
    {"TOKEN_REVOKED", "The token was revoked: generate a new one in Settings -> API Keys."},
    {"TOKEN_EXPIRED", "The token has expired: generate a new one in Settings -> API Keys; the old "
                      "one is revoked automatically."},
    {"ACCOUNT_NOT_FOUND", "The token's account no longer exists: ask the platform operator."},
    {"ACCOUNT_INACTIVE", "The account is not active: ask the platform operator to reactivate it."},
    {"TOO_MANY_ATTEMPTS", "Too many failed token checks from this address: wait a minute."},
    {"RATE_LIMIT_EXCEEDED", "The account's request rate limit is used up: wait a moment."},
    {"ROUTE_NOT_FOUND", "No integration API at that path: is --url the API port, not the "
                        "dashboard?"},
};

static const char hint_not_pixels[] = "The server did not answer like Pixels: does --url (or "
                                      "API_URL) point at the Pixels API port?";

/* Writes len bytes to out. Control characters become '?' (no terminal escapes from a remote
 * server); a run of token text that reveals more than its first TT_SHOWN characters (an echo
 * server reflecting the Authorization header) is cut to what may be shown plus "...". */
static void put_safe(FILE *out, const char *s, size_t len, const char *token)
{
	size_t tlen = strlen(token);
	for (size_t i = 0; i < len;) {
		size_t best = 0, at = 0;
		for (size_t j = 0; j < tlen; j++) {
			size_t m = 0;
			while (j + m < tlen && i + m < len && s[i + m] == token[j + m])
				m++;
			if (m > best) {
				best = m;
				at = j;
			}
		}
		if (best >= TT_LEAK_RUN && at + best > TT_SHOWN) {
			fprintf(out, "%.*s...", at < TT_SHOWN ? (int)(TT_SHOWN - at) : 0,
			        token + at);
			i += best;
			continue;
		}
		/* C1 controls (UTF-8 C2 80..C2 9F) act like ESC on some terminals. */
		unsigned char c = (unsigned char)s[i];
		unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
		bool c1 = c == 0xc2 && next >= 0x80 && next <= 0x9f;
		bool ctl = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
		fputc(c1 || ctl ? '?' : c, out);
		i += c1 ? 2 : 1;
	}
}

static void __attribute__((format(printf, 3, 4)))
sayf(const struct tt_run *r, FILE *out, const char *fmt, ...)
{
	char text[4096]; /* longer text is cut: it is only shown */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n > 0)
		put_safe(out, text, strnlen(text, sizeof(text)), r->token);
}

static int usage(int rc, const char *problem)
{
	if (problem)
		fprintf(stderr, "%s\n", problem);
	printf("\nUsage: pixels token-test <integration_token> [--url URL]\n"
	       "\nExample: pixels token-test wpi_int_abc123def456...\n"
	       "\nSee `pixels help token-test` for details.\n");
	return rc;
}

/* Printable ASCII without spaces, 1..max bytes: safe in a header and on a terminal. */
static bool is_word(const char *s, size_t max)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return len > 0 && len <= max;
}

/* Copies url into r->base without one trailing '/'. */
static int set_base(struct tt_run *r, const char *url)
{
	size_t len = strlen(url);
	bool http = strncasecmp(url, "http://", 7) == 0 && len > 7;
	bool https = strncasecmp(url, "https://", 8) == 0 && len > 8;
	if ((!http && !https) || !is_word(url, TT_MAX_URL))
		return usage(CLI_USAGE,
		             "pixels token-test: the API URL (--url or API_URL) must be an "
		             "http:// or https:// URL without spaces");
	if (url[len - 1] == '/')
		len--;
	memcpy(r->base, url, len);
	r->base[len] = '\0';
	return CLI_OK;
}

/* `<token> [--url URL | --url=URL]`, in any order; fills r->token and r->base. Returns -1
 * after printing the usage for --help. */
static int parse_args(int argc, char **argv, struct tt_run *r)
{
	const char *url = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--url") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strncmp(a, "--url=", 6) == 0)
			url = a + 6;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return usage(-1, NULL);
		else if (a[0] == '-')
			return usage(CLI_USAGE,
			             "pixels token-test: unknown option or missing value");
		else if (r->token)
			return usage(CLI_USAGE, "pixels token-test: expected one token argument");
		else
			r->token = a;
	}
	if (!r->token)
		return usage(CLI_USAGE, "❌ Error: Integration token required");
	if (!is_word(r->token, TT_MAX_TOKEN))
		return usage(CLI_USAGE, "❌ Error: the token must be one word of printable ASCII");
	if (!url)
		url = getenv("API_URL");
	return set_base(r, url && *url ? url : TT_DEFAULT_URL);
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct tt_reply *rep = userp;
	/* 0 aborts the transfer with CURLE_WRITE_ERROR: only this callback causes one. */
	return buf_append(&rep->body, data, size * n) == 0 ? size * n : 0;
}

/* Keeps the reason phrase of the last status line ("HTTP/1.1 401 Unauthorized"). */
static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	struct tt_reply *rep = userp;
	size_t len = size * n, i = 0, o = 0;
	if (len < 5 || memcmp(data, "HTTP/", 5) != 0)
		return len;
	for (int spaces = 0; i < len && spaces < 2; i++)
		spaces += data[i] == ' ';
	while (i < len && o + 1 < sizeof(rep->reason) && data[i] >= 0x20 && data[i] < 0x7f)
		rep->reason[o++] = data[i++];
	rep->reason[o] = '\0';
	return len;
}

static void decode(struct tt_reply *rep)
{
	struct err e = {0};
	if (jsonw_parse_object(rep->body.ptr, rep->body.len, &rep->json, &e) != 0)
		return;
	if (jsonw_str(rep->json, "code", false, 64, &rep->code, &e) != 0 ||
	    jsonw_str(rep->json, "message", false, 1000, &rep->message, &e) != 0)
		rep->code = rep->message = NULL;
}

/* GET base+path into rep (the caller releases body and json) and prints the status.
 * TT_UNREACHABLE with r->curl_error set when no HTTP reply came. */
static enum tt_outcome fetch(struct tt_run *r, const char *path, struct tt_reply *rep)
{
	*rep = (struct tt_reply){0};
	buf_init(&rep->body, TT_MAX_BODY);
	char url[TT_MAX_URL + 64];
	snprintf(url, sizeof(url), "%s%s", r->base, path);
	curl_easy_setopt(r->curl, CURLOPT_URL, url);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, rep);
	curl_easy_setopt(r->curl, CURLOPT_HEADERDATA, rep);
	r->curl_error[0] = '\0';
	CURLcode res = curl_easy_perform(r->curl);
	bool too_large = res == CURLE_WRITE_ERROR || res == CURLE_FILESIZE_EXCEEDED;
	if (res != CURLE_OK && !too_large) {
		if (!r->curl_error[0])
			snprintf(r->curl_error, sizeof(r->curl_error), "%s",
			         curl_easy_strerror(res));
		return TT_UNREACHABLE;
	}
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &rep->status);
	printf("Status: %ld %s\n", rep->status, rep->reason);
	if (too_large) {
		printf("❌ The reply is larger than %d bytes\n", TT_MAX_BODY);
		r->hint = hint_not_pixels;
		return TT_REFUSED;
	}
	decode(rep);
	return TT_OK;
}

static void print_raw_body(const struct tt_run *r, const struct tt_reply *rep)
{
	size_t len = rep->body.len < TT_MAX_SHOWN_BODY ? rep->body.len : TT_MAX_SHOWN_BODY;
	printf("Response: %s", len ? "" : "(empty body)");
	put_safe(stdout, buf_cstr(&rep->body), len, r->token);
	printf("%s\n", len < rep->body.len ? " ...(truncated)" : "");
}

/* A non-2xx reply: shows its code and message and picks the tailored hint. */
static enum tt_outcome refused(struct tt_run *r, const struct tt_reply *rep)
{
	if (!rep->code || !rep->message) {
		print_raw_body(r, rep);
		return TT_REFUSED;
	}
	sayf(r, stdout, "Response: %s: %s\n", rep->code, rep->message);
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(hints[i][0], rep->code) == 0)
			r->hint = hints[i][1];
	return TT_REFUSED;
}

static enum tt_outcome not_pixels(struct tt_run *r, const struct tt_reply *rep)
{
	printf("❌ The server answered %ld, but not like Pixels (expected JSON with \"data\")\n",
	       rep->status);
	print_raw_body(r, rep);
	r->hint = hint_not_pixels;
	return TT_REFUSED;
}

/* A string member of obj, or absent when it is missing, null or not a clean string. */
static const char *member(json_t *obj, const char *name, const char *absent)
{
	struct err e = {0};
	const char *s = NULL;
	return jsonw_str(obj, name, false, 256, &s, &e) == 0 && s ? s : absent;
}

static enum tt_outcome show_health(struct tt_run *r, const struct tt_reply *rep)
{
	json_t *data = rep->json ? json_object_get(rep->json, "data") : NULL;
	if (rep->status < 200 || rep->status > 299)
		return refused(r, rep);
	if (!json_is_object(data))
		return not_pixels(r, rep);
	sayf(r, stdout,
	     "✅ Connected to account \"%s\" (%s)\n   Token %s..., expires %s\n"
	     "   WhatsApp numbers: %zu\n",
	     member(data, "accountName", "?"), member(data, "email", "?"),
	     member(data, "tokenPrefix", "?"), member(data, "tokenExpiresAt", "never"),
	     json_array_size(json_object_get(data, "phoneNumbers")));
	return TT_OK;
}

static enum tt_outcome show_conversations(struct tt_run *r, const struct tt_reply *rep)
{
	json_t *data = rep->json ? json_object_get(rep->json, "data") : NULL;
	json_t *list = json_is_object(data) ? json_object_get(data, "conversations") : NULL;
	if (rep->status == 404 && rep->code && strcmp(rep->code, "ROUTE_NOT_FOUND") == 0) {
		printf("⚠️  This server does not serve conversations yet (404); "
		       "that is not a token problem.\n");
		return TT_OK;
	}
	if (rep->status < 200 || rep->status > 299)
		return refused(r, rep);
	if (!json_is_array(list))
		return not_pixels(r, rep);
	printf("✅ %zu conversation(s) returned\n", json_array_size(list));
	return TT_OK;
}

/* One test: the request, then show() judges the reply. */
static enum tt_outcome step(struct tt_run *r, const char *title, const char *path,
                            enum tt_outcome (*show)(struct tt_run *, const struct tt_reply *))
{
	struct tt_reply rep;
	printf("%s (GET %s)...\n\n", title, path);
	enum tt_outcome o = fetch(r, path, &rep);
	if (o == TT_OK)
		o = show(r, &rep);
	if (rep.json)
		json_decref(rep.json);
	buf_release(&rep.body);
	return o;
}

static void print_verdict(const struct tt_run *r, enum tt_outcome o)
{
	if (o == TT_OK) {
		printf("\n✅ Token is valid and working!\n\n");
	} else if (o == TT_UNREACHABLE) {
		fflush(stdout); /* keep stdout and stderr in order on a shared terminal */
		sayf(r, stderr, "\n❌ Connection error: %s\n", r->curl_error);
		printf("\nTroubleshooting:\n"
		       "  1. Check if API is running at %s (start it with: pixels serve)\n"
		       "  2. Verify network connectivity\n"
		       "  3. Check backend logs for errors\n",
		       r->base);
	} else {
		printf("\n❌ Token test failed.\n\nTroubleshooting:\n");
		if (r->hint)
			printf("  -> %s\n", r->hint);
		printf("  1. Verify the token starts with \"wpi_int_\" and is 72 characters long\n"
		       "  2. Make sure the token was recently generated (Settings -> API Keys) "
		       "and not revoked\n"
		       "  3. Check if the account is active\n"
		       "  4. Ensure the backend is running on the correct port "
		       "(API_URL, default " TT_DEFAULT_URL ")\n");
	}
}

/* One easy handle for both requests; the header list carries the token (run_close frees). */
static int run_open(struct tt_run *r)
{
	struct buf auth;
	buf_init(&auth, 0);
	buf_appendf(&auth, "Authorization: Bearer %s", r->token);
	r->headers = curl_slist_append(NULL, buf_cstr(&auth));
	buf_release_secret(&auth);
	if (r->headers)
		r->headers = curl_slist_append(r->headers, "Content-Type: application/json");
	r->curl = curl_easy_init();
	if (!r->curl || !r->headers) {
		snprintf(r->curl_error, sizeof(r->curl_error), "libcurl failed to initialise");
		return -1;
	}
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->curl, CURLOPT_ERRORBUFFER, r->curl_error);
	curl_easy_setopt(r->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	/* HTTP/1.1 so every status line carries the reason phrase we print. */
	curl_easy_setopt(r->curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT_MS, 15000L);
	curl_easy_setopt(r->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)TT_MAX_BODY);
	curl_easy_setopt(r->curl, CURLOPT_USERAGENT, "pixels-token-test/" PIXELS_VERSION);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->curl, CURLOPT_HEADERFUNCTION, on_header);
	return 0;
}

int cmd_token_test(int argc, char **argv)
{
	struct tt_run r = {0};
	int rc = parse_args(argc, argv, &r);
	if (rc != CLI_OK)
		return rc < 0 ? CLI_OK : rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "pixels token-test: libcurl failed to initialise\n");
		return CLI_FAILURE;
	}
	printf("\n🧪 Testing Enromatics Integration Token Connection\n\n📍 API URL: %s\n"
	       "🔑 Token: %.*s...\n\n%s\n\n",
	       r.base, TT_SHOWN, r.token, TT_RULE);
	enum tt_outcome o = TT_UNREACHABLE;
	if (run_open(&r) == 0) {
		o = step(&r, "Test 1️⃣  Checking the connection", "/api/integrations/health",
		         show_health);
		if (o == TT_OK)
			o = step(&r, "\nTest 2️⃣  Getting conversations",
			         "/api/integrations/conversations?limit=5", show_conversations);
	}
	print_verdict(&r, o);
	printf("\n%s\n\n", TT_RULE);
	curl_easy_cleanup(r.curl);
	curl_slist_free_all(r.headers);
	curl_global_cleanup();
	if (o == TT_OK)
		return CLI_OK;
	return o == TT_UNREACHABLE ? CLI_USAGE : CLI_FAILURE;
}
