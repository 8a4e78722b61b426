/* Integration: nothing acknowledged is lost. A real `pixels serve` child sends to a real
 * `pixels meta-sim` child over HTTP. A burst of sends is acknowledged (202, durable), the
 * server is SIGKILLed while most are still queued or in flight, then restarted: every
 * acknowledged message must reach the simulator, and only messages that were in flight at the
 * crash may arrive twice (at most DISPATCH_IN_FLIGHT of them). The simulator recognises our
 * messages by biz_opaque_callback_data, which carries our message id. The same for a
 * broadcast killed half way: it completes after the restart and reaches every recipient. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "harness.h"

#define BURST 300
#define IN_FLIGHT 16

/* Every child ever started, so a failing test still leaves none behind (a leftover child
 * would also hold ctest's output pipe open). */
static pid_t children[8];
static int nchildren;

struct child {
	pid_t pid;
	FILE *out;
	char url[128];
};

/* Starts argv with extra environment; reads stdout until a line starting with marker and
 * takes the URL after it. */
static void spawn(struct child *c, char *const argv[], const char *const *env, const char *marker)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	if (nchildren < 8)
		children[nchildren++] = c->pid;
	c->out = fdopen(fds[0], "r");
	char line[512];
	c->url[0] = '\0';
	while (fgets(line, sizeof(line), c->out)) {
		char *p = strstr(line, marker);
		if (p) {
			p = strstr(p, "http://");
			size_t n = strcspn(p, " \n");
			snprintf(c->url, sizeof(c->url), "%.*s", (int)n, p);
			break;
		}
	}
	assert_true(c->url[0] != '\0');
}

static int teardown(void **state)
{
	for (int i = 0; i < nchildren; i++) {
		kill(children[i], SIGKILL);
		waitpid(children[i], NULL, 0);
	}
	nchildren = 0;
	return 0;
}

static void kill_child(struct child *c, int sig)
{
	kill(c->pid, sig);
	int status = 0;
	waitpid(c->pid, &status, 0);
	fclose(c->out);
}

static size_t keep(char *ptr, size_t size, size_t nmemb, void *arg)
{
	buf_append(arg, ptr, size * nmemb);
	return size * nmemb;
}

/* Sends BURST messages with Prefer: respond-async over 32 connections; fills ids with the
 * acknowledged message ids (24 chars + NUL each). Returns how many were acknowledged. */
static int burst(const char *api, const char *token, char ids[][32])
{
	CURLM *m = curl_multi_init();
	static CURL *h[BURST];
	static struct buf bodies[BURST];
	static char payload[BURST][128];
	char url[256], auth[160];
	snprintf(url, sizeof(url), "%s/api/integrations/send-message", api);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "Prefer: respond-async");
	hdr = curl_slist_append(hdr, auth);
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 32L);
	for (int i = 0; i < BURST; i++) {
		snprintf(payload[i], sizeof(payload[i]),
		         "{\"recipientPhone\":\"1555%07d\",\"message\":\"burst %d\"}", i, i);
		buf_init(&bodies[i], 0);
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, payload[i]);
		curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, keep);
		curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &bodies[i]);
		curl_multi_add_handle(m, h[i]);
	}
	int running = 1, acked = 0;
	while (running) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	for (int i = 0; i < BURST; i++) {
		long status = 0;
		curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &status);
		json_t *j = json_loads(buf_cstr(&bodies[i]), 0, NULL);
		const char *id =
		    json_string_value(json_object_get(json_object_get(j, "data"), "messageId"));
		if (status == 202 && id)
			snprintf(ids[acked++], 32, "%s", id);
		json_decref(j);
		buf_release(&bodies[i]);
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
	}
	curl_slist_free_all(hdr);
	curl_multi_cleanup(m);
	return acked;
}

/* Points the simulator's webhooks at the server (whose port changes at each start). */
static void route_webhooks(const char *sim_url, const char *api_url)
{
	char u[256], body[256];
	snprintf(u, sizeof(u), "%s/_sim/config", sim_url);
	snprintf(body, sizeof(body), "{\"webhook_url\":\"%s/api/webhooks/whatsapp\"}", api_url);
	struct th_resp r;
	th_request("POST", u, NULL, body, &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
}

static void start_server(struct child *c, const char *dir, const char *sim)
{
	static char base[160];
	snprintf(base, sizeof(base), "WHATSAPP_API_BASE_URL=%s", sim);
	const char *env[] = {base,
	                     "META_APP_SECRET=durability-secret",
	                     "ENFORCE_SERVICE_WINDOW=false",
	                     "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000",
	                     "DISPATCH_IN_FLIGHT=16",
	                     "LOG_LEVEL=error",
	                     NULL};
	char *argv[] = {getenv("PIXELS_BIN"), "serve",     "--port", "0",
	                "--dashboard-port",   "0",         "--host", "127.0.0.1",
	                "--data-dir",         (char *)dir, NULL};
	spawn(c, argv, env, "API: ");
	route_webhooks(sim, c->url);
}

struct seen {
	char (*ids)[32];
	int n;
	int missing;
	int duplicates;
};

/* Counts how often each acknowledged id reached the simulator. */
static bool all_arrived(json_t *j, void *arg)
{
	struct seen *s = arg;
	json_t *msgs = json_object_get(j, "messages");
	s->missing = 0;
	s->duplicates = 0;
	for (int i = 0; i < s->n; i++) {
		int count = 0;
		size_t k;
		json_t *m;
		json_array_foreach(msgs, k, m)
		{
			const char *tag = json_string_value(json_object_get(
			    json_object_get(m, "body"), "biz_opaque_callback_data"));
			count += tag && strcmp(tag, s->ids[i]) == 0;
		}
		s->missing += count == 0;
		s->duplicates += count > 1 ? count - 1 : 0;
	}
	return s->missing == 0;
}

/* The simulator on an ephemeral port, 1,000 messages/s per number. */
static void start_sim(struct child *sim)
{
	char *argv[] = {getenv("PIXELS_BIN"),
	                "meta-sim",
	                "--port",
	                "0",
	                "--host",
	                "127.0.0.1",
	                "--app-secret",
	                "durability-secret",
	                "--no-window",
	                "--mps",
	                "1000",
	                NULL};
	spawn(sim, argv, NULL, "listening on");
}

/* Signs up on the server at url, connects number pnid (40 messages/s) and generates an
 * integration token. */
static void signup_with_number(const char *url, const char *pnid, const char *waba,
                               char session[80], char token[80])
{
	struct th_server fake = {0};
	snprintf(fake.api_url, sizeof(fake.api_url), "%s", url);
	th_signup(&fake, "Durable", "durable@school.edu", "correct horse battery", session);
	char u[256], sauth[128], body[256];
	snprintf(u, sizeof(u), "%s/api/settings/phone-numbers", url);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	snprintf(body, sizeof(body),
	         "{\"phoneNumberId\":\"%s\",\"wabaId\":\"%s\",\"accessToken\":\"durable-token\","
	         "\"throughputMps\":40}",
	         pnid, waba);
	const char *h[] = {sauth, "Content-Type: application/json", NULL};
	struct th_resp r;
	th_request("POST", u, h, body, &r);
	assert_int_equal(r.status, 201);
	th_resp_release(&r);
	th_generate_token(&fake, session, token);
}

static void test_acknowledged_sends_survive_kill9(void **state)
{
	char dir[] = "/tmp/pixels-senddur-XXXXXX";
	assert_non_null(mkdtemp(dir));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct child sim, srv;
	start_sim(&sim);
	start_server(&srv, dir, sim.url);

	char session[80], token[80];
	/* A slow number (40 messages/s) so most of the burst is still queued at the crash. */
	signup_with_number(srv.url, "100200300400", "500600700", session, token);

	static char ids[BURST][32];
	int acked = burst(srv.url, token, ids);
	kill_child(&srv, SIGKILL);
	assert_int_equal(acked, BURST);

	start_server(&srv, dir, sim.url);
	char q[256];
	snprintf(q, sizeof(q), "%s/_sim/messages?phone_number_id=100200300400&limit=100000",
	         sim.url);
	struct seen s = {ids, acked, 0, 0};
	bool done = th_wait_json(q, NULL, 60000, all_arrived, &s);
	kill_child(&srv, SIGTERM);
	kill_child(&sim, SIGKILL); /* a test double: nothing to shut down cleanly */
	if (!done)
		fail_msg("%d of %d acknowledged messages never reached the simulator", s.missing,
		         acked);
	print_message("all %d acknowledged messages arrived; %d duplicate(s) from the crash\n",
	              acked, s.duplicates);
	assert_true(s.duplicates <= IN_FLIGHT);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#define BCAST 300

struct reach {
	int min_total; /* for the "half way" wait */
	int got, missing, duplicates;
};

/* Counts, over the simulator's log of number 100200300499, the broadcast's recipients
 * 1555800xxxx reached at least once and the extra copies. */
static bool reached(json_t *j, void *arg)
{
	struct reach *r = arg;
	static int seen[BCAST];
	memset(seen, 0, sizeof(seen));
	size_t k;
	json_t *m;
	json_array_foreach(json_object_get(j, "messages"), k, m)
	{
		const char *to = json_string_value(json_object_get(m, "to"));
		int i = to && strncmp(to, "1555800", 7) == 0 ? (int)strtol(to + 7, NULL, 10) : -1;
		if (i >= 0 && i < BCAST)
			seen[i]++;
	}
	r->got = r->missing = r->duplicates = 0;
	for (int i = 0; i < BCAST; i++) {
		r->got += seen[i];
		r->missing += seen[i] == 0;
		r->duplicates += seen[i] > 1 ? seen[i] - 1 : 0;
	}
	return r->min_total > 0 ? r->got >= r->min_total : r->missing == 0;
}

static bool template_approved(json_t *j, void *arg)
{
	json_t *t = json_object_get(json_object_get(j, "data"), "template");
	const char *st = json_string_value(json_object_get(t, "status"));
	return st && strcmp(st, "approved") == 0;
}

static bool broadcast_completed(json_t *j, void *arg)
{
	json_t *b = json_object_get(json_object_get(j, "data"), "broadcast");
	const char *st = json_string_value(json_object_get(b, "status"));
	return st && strcmp(st, "completed") == 0;
}

/* A broadcast killed half way: after the restart it completes, every recipient reached, and
 * only messages in flight at the crash may arrive twice. */
static void test_broadcast_survives_kill9(void **state)
{
	char dir[] = "/tmp/pixels-bcastdur-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct child sim, srv;
	start_sim(&sim);
	start_server(&srv, dir, sim.url);
	char session[80], token[80], u[256], auth[128];
	signup_with_number(srv.url, "100200300499", "500600799", session, token);
	struct th_resp r;
	snprintf(u, sizeof(u), "%s/_sim/numbers", sim.url);
	th_request("POST", u, NULL,
	           "{\"phone_number_id\":\"100200300499\",\"waba_id\":\"500600799\"}", &r);
	assert_int_equal(r.status, 200);
	th_resp_release(&r);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *h[] = {auth, "Content-Type: application/json", NULL};
	snprintf(u, sizeof(u), "%s/api/integrations/templates", srv.url);
	th_request("POST", u, h,
	           "{\"name\":\"exam_notice\",\"language\":\"en\",\"content\":\"Exam on {{1}}\","
	           "\"examples\":[\"Monday\"]}",
	           &r);
	assert_int_equal(r.status, 201);
	char tu[256];
	snprintf(tu, sizeof(tu), "%s/api/integrations/templates/%s", srv.url,
	         json_string_value(json_object_get(
	             json_object_get(json_object_get(r.json, "data"), "template"), "id")));
	th_resp_release(&r);
	assert_true(th_wait_json(tu, h, 10000, template_approved, NULL));

	static char body[BCAST * 24 + 200];
	size_t n = (size_t)snprintf(body, sizeof(body),
	                            "{\"templateName\":\"exam_notice\",\"variables\":[\"Monday\"],"
	                            "\"phones\":[");
	for (int i = 0; i < BCAST; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "%s\"1555800%04d\"", i ? "," : "",
		                      i);
	snprintf(body + n, sizeof(body) - n, "]}");
	snprintf(u, sizeof(u), "%s/api/integrations/broadcast", srv.url);
	th_request("POST", u, h, body, &r);
	assert_int_equal(r.status, 202);
	char bu[256];
	snprintf(
	    bu, sizeof(bu), "%s/api/integrations/broadcasts/%s", srv.url,
	    json_string_value(json_object_get(json_object_get(r.json, "data"), "broadcastId")));
	th_resp_release(&r);

	char q[256];
	snprintf(q, sizeof(q), "%s/_sim/messages?phone_number_id=100200300499&limit=100000",
	         sim.url);
	struct reach half = {BCAST / 3, 0, 0, 0};
	assert_true(th_wait_json(q, NULL, 30000, reached, &half));
	kill_child(&srv, SIGKILL); /* half way: about a third sent, the rest pending or queued */
	start_server(&srv, dir, sim.url);
	struct reach all = {0, 0, 0, 0};
	bool done = th_wait_json(q, NULL, 60000, reached, &all);
	char nbu[256];
	snprintf(nbu, sizeof(nbu), "%s/api/integrations/broadcasts/%s", srv.url,
	         strrchr(bu, '/') + 1);
	bool completed = done && th_wait_json(nbu, h, 20000, broadcast_completed, NULL);
	kill_child(&srv, SIGTERM);
	kill_child(&sim, SIGKILL);
	if (!done)
		fail_msg("%d of %d recipients never got the broadcast", all.missing, BCAST);
	print_message("broadcast: all %d recipients reached; %d duplicate(s) from the crash\n",
	              BCAST, all.duplicates);
	assert_true(completed);
	assert_true(all.duplicates <= IN_FLIGHT);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_acknowledged_sends_survive_kill9, teardown),
	    cmocka_unit_test_teardown(test_broadcast_survives_kill9, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
