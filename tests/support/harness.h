/* Test support: a complete Pixels server in-process on 127.0.0.1 with ephemeral ports and a
 * temporary data directory, an HTTP client over libcurl, a manual clock, and log capture.
 * Used by the integration tests; one harness may run several servers at once. */
#ifndef PIXELS_TESTS_HARNESS_H
#define PIXELS_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonw.h"

/* A clock tests move by hand (thread-safe). */
struct th_clock {
	int64_t now_ms; /* accessed atomically */
	struct clock clock;
};
void th_clock_init(struct th_clock *c, int64_t start_ms);
void th_clock_advance(struct th_clock *c, int64_t ms);

struct th_server {
	char data_dir[256];
	struct app *app;
	char api_url[64]; /* "http://127.0.0.1:PORT" */
	char dash_url[64];
	char sim_url[64]; /* SANDBOX=true: the embedded simulator's control and Graph URL */
	struct th_clock clock;
};

/* Starts a server. extra_env: NULL-terminated "KEY=VALUE" list added to the defaults
 * (PORT=0, DASHBOARD_PORT=0, HOST=127.0.0.1, DATA_DIR=<fresh temp dir>, LOG_LEVEL=warn).
 * Fails the test on error. The server's clock starts at real time and is s->clock. */
void th_server_start(struct th_server *s, const char *const *extra_env);
/* Stops it and removes its data directory. */
void th_server_stop(struct th_server *s);
/* Same data directory, fresh app: a restart. */
void th_server_restart(struct th_server *s, const char *const *extra_env);

struct th_resp {
	long status;
	struct buf body;
	struct buf headers; /* raw header lines */
	json_t *json;       /* parsed body when it is JSON, else NULL */
};

/* Performs a request. headers: NULL-terminated list of "Name: value". body may be NULL.
 * Fails the test if the connection itself fails. Release with th_resp_release. */
void th_request(const char *method, const char *url, const char *const *headers, const char *body,
                struct th_resp *out);
/* Same, from a chosen loopback source address (e.g. "127.0.0.2"), to act as another client. */
void th_request_from(const char *source_ip, const char *method, const char *url,
                     const char *const *headers, const char *body, struct th_resp *out);
void th_resp_release(struct th_resp *r);
/* Value of a response header (case-insensitive) copied into out; false if absent. */
bool th_resp_header(const struct th_resp *r, const char *name, char *out, size_t cap);
/* String member of the JSON body ("" when missing). Borrowed from r. */
const char *th_json_str(const struct th_resp *r, const char *key);
/* Asserts {success:false, code:<code>} and the HTTP status. */
void th_assert_error(const struct th_resp *r, long status, const char *code);

/* Captures every log line into a buffer until th_log_capture_stop. */
void th_log_capture_start(void);
/* Returns the captured text (caller frees) and restores stderr logging. */
char *th_log_capture_stop(void);

/* Signs up (first run or ALLOW_SIGNUP) and returns the session token in token (>= 80 bytes). */
void th_signup(const struct th_server *s, const char *name, const char *email, const char *password,
               char *token);

/* Generates an integration token through the dashboard API with the session token; returns
 * it in out (>= 80 bytes). */
void th_generate_token(const struct th_server *s, const char *session, char *out);

/* Polls a JSON GET (with headers) every 20 ms until pred(json, arg) is true or timeout_ms
 * passes; returns whether it became true. For waiting on asynchronous effects (webhooks,
 * the dispatcher) without fixed sleeps. */
bool th_wait_json(const char *url, const char *const *headers, int timeout_ms,
                  bool (*pred)(json_t *json, void *arg), void *arg);
/* POST a JSON body to the simulator's control API (path like "/_sim/inbound"); returns the
 * HTTP status, the parsed reply in out (caller releases). */
long th_sim(const struct th_server *s, const char *path, const char *body, struct th_resp *out);
/* method on s's API at path (from "/api/..."), with the header hdr ("Name: value", NULL for
 * none) and a JSON body (NULL for none). */
void th_call(const struct th_server *s, const char *hdr, const char *method, const char *path,
             const char *body, struct th_resp *out);

#endif
