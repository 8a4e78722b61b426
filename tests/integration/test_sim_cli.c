/* Integration: `pixels meta-sim`, the real binary. Without --app-secret (or with a bad option)
 * it exits 2; with one it prints where it listens, serves the Graph API and the control API
 * with the given options, signs webhooks with the given secret, and exits 0 on SIGTERM. */
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "core/log.h"
#include "core/sec.h"
#include "core/str.h"
#include "sim_receiver.h"

#define SECRET "cli-secret-42"
#define WAIT_MS 10000

static struct rx rx;
static pid_t child; /* the running meta-sim, killed by teardown_child if a test fails */

/* Runs `pixels meta-sim <args>` with stdout and stderr on a pipe; returns the pid. */
static pid_t spawn(char *const args[], int *out_fd)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execv(getenv("PIXELS_BIN"), args);
		_exit(127);
	}
	close(fds[1]);
	*out_fd = fds[0];
	child = pid;
	return pid;
}

/* Reads from fd until a newline or EOF (waiting at most WAIT_MS in all) into out. */
static void read_line(int fd, char *out, size_t cap)
{
	size_t n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (n + 1 < cap && poll(&p, 1, WAIT_MS) == 1) {
		if (read(fd, out + n, 1) != 1 || out[n] == '\n')
			break;
		n++;
	}
	out[n] = '\0';
}

static int wait_exit(pid_t pid)
{
	int status = 0;
	for (int i = 0; i < WAIT_MS / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			child = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		usleep(10 * 1000);
	}
	fail_msg("meta-sim did not exit"); /* teardown_child kills it */
	return -1;
}

static void expect_usage(char *const args[], const char *needle)
{
	int fd = -1;
	pid_t pid = spawn(args, &fd);
	char line[512];
	read_line(fd, line, sizeof(line));
	close(fd);
	assert_int_equal(wait_exit(pid), 2);
	if (!strstr(line, needle))
		fail_msg("expected '%s' in: %s", needle, line);
}

static void test_usage_errors(void **state)
{
	char *no_secret[] = {"pixels", "meta-sim", "--port", "0", NULL};
	expect_usage(no_secret, "--app-secret is required");
	char *bogus[] = {"pixels", "meta-sim", "--app-secret", "x", "--bogus", NULL};
	expect_usage(bogus, "unknown option '--bogus'");
	char *bad_port[] = {"pixels", "meta-sim", "--app-secret", "x", "--port", "70000", NULL};
	expect_usage(bad_port, "--port");
	char *missing[] = {"pixels", "meta-sim", "--app-secret", NULL};
	expect_usage(missing, "missing value for --app-secret");
}

static void call(const char *base, const char *method, const char *path, const char *body,
                 struct th_resp *r)
{
	char url[256];
	snprintf(url, sizeof(url), "%s%s", base, path);
	const char *headers[] = {"Authorization: Bearer cli-token", NULL};
	th_request(method, url, headers, body, r);
}

static void test_serves_and_stops(void **state)
{
	char *args[] = {"pixels",        "meta-sim",  "--app-secret",   SECRET, "--port=0",
	                "--host",        "127.0.0.1", "--mps",          "3",    "--no-window",
	                "--webhook-url", rx.url,      "--verify-token", "vt",   NULL};
	int fd = -1;
	pid_t pid = spawn(args, &fd);
	char line[512], base[64];
	read_line(fd, line, sizeof(line)); /* the first line says where it listens */
	const char *at = strstr(line, "listening on http://127.0.0.1:");
	if (!at || !strstr(line, rx.url))
		fail_msg("unexpected first line: %s", line);
	const char *digits = at + strlen("listening on http://127.0.0.1:");
	int64_t port = 0;
	assert_int_equal(
	    str_parse_i64((struct str){digits, strspn(digits, "0123456789")}, 1, 65535, &port), 0);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", (int)port);
	struct th_resp r;
	call(base, "POST", "/_sim/numbers", "{\"phone_number_id\":\"123456789\"}", &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "mps")), 3);
	th_resp_release(&r);
	call(base, "GET", "/_sim/config", NULL, &r);
	assert_true(json_is_false(json_object_get(r.json, "enforce_window")));
	th_resp_release(&r);
	call(base, "POST", "/v23.0/123456789/messages",
	     "{\"messaging_product\":\"whatsapp\",\"to\":\"16505551234\",\"text\":{\"body\":\"hi\"}"
	     "}",
	     &r);
	assert_int_equal(r.status, 200);
	char wamid[64];
	snprintf(wamid, sizeof(wamid), "%s", simt_wamid(&r));
	th_resp_release(&r);
	/* No window enforced: delivered normally, signed with the secret given on the line. */
	assert_true(rx_wait_statuses(&rx, wamid, "sent", 1, WAIT_MS));
	assert_int_equal(rx.bad_signatures, 0);
	kill(pid, SIGTERM);
	assert_int_equal(wait_exit(pid), 0);
	close(fd);
}

static int teardown_child(void **state)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = 0;
	}
	return 0;
}

static int setup(void **state)
{
	assert_non_null(getenv("PIXELS_BIN"));
	sec_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_setup(NULL, LOG_LEVEL_WARN, false);
	rx_start(&rx, SECRET, NULL);
	return 0;
}

static int teardown(void **state)
{
	rx_stop(&rx);
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_usage_errors, teardown_child),
	    cmocka_unit_test_teardown(test_serves_and_stops, teardown_child),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
