/* Integration: an acknowledged write survives kill -9. Starts the real binary as a child
 * (`pixels serve` on ephemeral ports), acknowledges a batch of signups from concurrent
 * clients, SIGKILLs the child the moment the last reply arrives, then opens the database
 * and requires every acknowledged user to be there; finally a restarted server serves them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "harness.h"
#include "store/store.h"

#define USERS 24

struct child {
	pid_t pid;
	FILE *out;
	char api_url[256];
};

static void spawn(struct child *c, const char *data_dir)
{
	const char *bin = getenv("PIXELS_BIN");
	assert_non_null(bin);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("ALLOW_SIGNUP", "true", 1);
		setenv("LOG_LEVEL", "warn", 1);
		execl(bin, bin, "serve", "--port", "0", "--dashboard-port", "0", "--host",
		      "127.0.0.1", "--data-dir", data_dir, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	c->out = fdopen(fds[0], "r");
	char line[250];
	c->api_url[0] = '\0';
	while (fgets(line, sizeof(line), c->out)) {
		if (strncmp(line, "API: ", 5) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(c->api_url, sizeof(c->api_url), "%s", line + 5);
			break;
		}
	}
	assert_true(c->api_url[0] != '\0');
}

static void kill9(struct child *c)
{
	kill(c->pid, SIGKILL);
	int status = 0;
	waitpid(c->pid, &status, 0);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	fclose(c->out);
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
	return size * nmemb;
}

/* Sends every signup concurrently through one curl multi handle; returns how many were
 * acknowledged with 201 and records which. */
static int signup_all(const char *api_url, bool acked[USERS])
{
	CURLM *m = curl_multi_init();
	CURL *h[USERS];
	char bodies[USERS][160], url[128];
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(url, sizeof(url), "%s/api/auth/signup", api_url);
	for (int i = 0; i < USERS; i++) {
		snprintf(bodies[i], sizeof(bodies[i]),
		         "{\"name\":\"User %d\",\"email\":\"user%d@durable.test\",\"password\":"
		         "\"password-%d\"}",
		         i, i, i);
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, bodies[i]);
		curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 120L);
		curl_multi_add_handle(m, h[i]);
	}
	int running = 1;
	while (running) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	int ok = 0;
	for (int i = 0; i < USERS; i++) {
		long status = 0;
		curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &status);
		acked[i] = status == 201;
		ok += acked[i];
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
	}
	curl_slist_free_all(hdr);
	curl_multi_cleanup(m);
	return ok;
}

static void test_acknowledged_signups_survive_kill9(void **state)
{
	char dir[] = "/tmp/pixels-durable-XXXXXX";
	assert_non_null(mkdtemp(dir));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct child c;
	spawn(&c, dir);
	bool acked[USERS];
	int ok = signup_all(c.api_url, acked);
	kill9(&c);
	assert_int_equal(ok, USERS);

	char url[300];
	snprintf(url, sizeof(url), "sqlite:%s/pixels.db", dir);
	struct store *s = NULL;
	struct err e = {0};
	assert_int_equal(store_open(url, &s, &e), 0);
	for (int i = 0; i < USERS; i++) {
		char email[64];
		struct user_row u;
		bool found = false;
		snprintf(email, sizeof(email), "user%d@durable.test", i);
		assert_int_equal(store_user_find_by_email(s, email, &u, &found, &e), 0);
		if (acked[i] && !found)
			fail_msg("acknowledged user %s lost after kill -9", email);
	}
	store_close(s);

	/* And the restarted server serves them. */
	spawn(&c, dir);
	struct th_resp r;
	char login[128];
	snprintf(login, sizeof(login), "%s/api/auth/login", c.api_url);
	th_request("POST", login, NULL,
	           "{\"email\":\"user7@durable.test\",\"password\":\"password-7\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	kill9(&c);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_acknowledged_signups_survive_kill9),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
