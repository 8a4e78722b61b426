/* Integration: requests that wait hold no HTTP thread; the servers here have one.
 * - A synchronous send waits for Meta's verdict (SEND_WAIT_MS=30000) with its connection
 *   suspended: the simulator refuses the first attempt with a retryable error, so the
 *   verdict only comes when the test moves the clock to the retry. Meanwhile the single
 *   thread keeps answering; the send then gets the verdict (200). A send still waiting when
 *   the server stops is answered at once as queued (202: it is durable). Eight concurrent
 *   sends with one Idempotency-Key queue one message and all answer with it.
 * - A call to Meta that hangs (a number test against a Graph API that accepts connections
 *   and never answers) runs on the blocking pool: the single HTTP thread keeps answering,
 *   and the test's answer comes when Meta's connection drops (502 META_ERROR). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

#define PW "correct horse battery"
#define CUSTOMER "15550002001"

static struct th_server srv;
static bool running;
static char session[80], token[80], auth[128];

static int setup(void **state)
{
	const char *env[] = {"SANDBOX=true",
	                     "ENFORCE_SERVICE_WINDOW=false",
	                     "HTTP_THREADS=1",
	                     "SEND_WAIT_MS=30000",
	                     "INTEGRATION_RATE_LIMIT=100000",
	                     "INTEGRATION_RATE_BURST=10000",
	                     NULL};
	th_server_start(&srv, env);
	running = true;
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	th_generate_token(&srv, session, token);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	struct th_resp r;
	th_sim(&srv, "/_sim/config", "{\"enforce_window\":false}", &r);
	th_resp_release(&r);
	return 0;
}

static int teardown(void **state)
{
	if (running)
		th_server_stop(&srv);
	return 0;
}

/* The simulator refuses the next count sends to CUSTOMER with 131000 (retryable); 0 = all. */
static void refuse_next(int count)
{
	char body[160], tail[32] = "";
	if (count > 0)
		snprintf(tail, sizeof(tail), ",\"count\":%d", count);
	snprintf(body, sizeof(body),
	         "{\"recipient\":\"" CUSTOMER "\",\"code\":131000,\"mode\":\"sync\"%s}", tail);
	struct th_resp r;
	assert_int_equal(th_sim(&srv, "/_sim/rules", body, &r), 200);
	th_resp_release(&r);
}

/* A request on its own thread; done tells when its answer came. */
struct pending_send {
	pthread_t thread;
	pthread_mutex_t lock;
	const char *hdr[3]; /* auth, and an optional extra header */
	const char *method, *path, *body;
	bool done;
	struct th_resp resp;
};

static void *send_main(void *arg)
{
	struct pending_send *p = arg;
	struct th_resp r;
	char u[256];
	snprintf(u, sizeof(u), "%s%s", srv.api_url, p->path);
	th_request(p->method, u, p->hdr, p->body, &r);
	pthread_mutex_lock(&p->lock);
	p->resp = r;
	p->done = true;
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void start_request(struct pending_send *p, const char *hdr, const char *extra,
                          const char *method, const char *path, const char *body)
{
	memset(p, 0, sizeof(*p));
	p->hdr[0] = hdr;
	p->hdr[1] = extra;
	p->method = method;
	p->path = path;
	p->body = body;
	pthread_mutex_init(&p->lock, NULL);
	pthread_create(&p->thread, NULL, send_main, p);
}

static void start_send(struct pending_send *p, const char *extra)
{
	start_request(p, auth, extra, "POST", "/api/integrations/send-message",
	              "{\"recipientPhone\":\"" CUSTOMER
	              "\",\"message\":\"Fees are due on Friday\"}");
}

static bool is_done(struct pending_send *p)
{
	pthread_mutex_lock(&p->lock);
	bool d = p->done;
	pthread_mutex_unlock(&p->lock);
	return d;
}

static void finish_send(struct pending_send *p)
{
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
}

/* The send's answer: status, message and data.status; a wamid exactly when accepted. */
static void assert_send_answer(struct pending_send *p, long status, const char *message,
                               const char *st)
{
	assert_int_equal(p->resp.status, status);
	assert_string_equal(th_json_str(&p->resp, "message"), message);
	json_t *d = json_object_get(p->resp.json, "data");
	assert_string_equal(json_string_value(json_object_get(d, "status")), st);
	json_t *wamid = json_object_get(d, "waMessageId");
	if (strcmp(st, "accepted") == 0)
		assert_non_null(json_string_value(wamid));
	else
		assert_true(json_is_null(wamid));
	th_resp_release(&p->resp);
}

static bool refused_once(json_t *j, void *arg)
{
	(void)arg;
	return json_integer_value(json_object_get(j, "rejected")) >= 1;
}

/* Waits until Meta (the simulator) has refused the send's first attempt: the send is now
 * waiting for a retry only the test's clock can make due. */
static void await_first_refusal(void)
{
	char u[128];
	snprintf(u, sizeof(u), "%s/_sim/stats", srv.sim_url);
	if (!th_wait_json(u, NULL, 10000, refused_once, NULL))
		fail_msg("the simulator never saw the first attempt");
}

static void test_waiting_send_holds_no_thread(void **state)
{
	refuse_next(1);
	struct pending_send p;
	start_send(&p, NULL);
	await_first_refusal();
	/* The only HTTP thread is free: other requests are answered while the send waits. */
	for (int i = 0; i < 3; i++) {
		struct th_resp r;
		th_call(&srv, auth, "GET", "/api/integrations/messages?direction=outbound", NULL,
		        &r);
		assert_int_equal(r.status, 200);
		json_t *msgs = json_object_get(json_object_get(r.json, "data"), "messages");
		assert_int_equal(json_array_size(msgs), 1);
		const char *st =
		    json_string_value(json_object_get(json_array_get(msgs, 0), "status"));
		assert_string_equal(st, "queued"); /* waiting for its retry */
		th_resp_release(&r);
	}
	assert_false(is_done(&p));
	/* The retry becomes due, Meta accepts it, and the waiting request gets the verdict. */
	th_clock_advance(&srv.clock, 60 * 1000);
	finish_send(&p);
	assert_send_answer(&p, 200, "Message sent successfully", "accepted");
}

/* Sends with one Idempotency-Key, all at once: the writer checks the key where writes are
 * serialised, so one message is queued and every request answers with it (the first with
 * Meta's verdict; a twin with the recorded answer, or the message's state while none is). */
static void test_concurrent_twins_send_once(void **state)
{
	enum { TWINS = 8 };
	struct pending_send p[TWINS];
	for (int i = 0; i < TWINS; i++) {
		start_send(&p[i], "Idempotency-Key: fee-reminder-7");
	}
	const char *first = NULL;
	for (int i = 0; i < TWINS; i++) {
		finish_send(&p[i]);
		if (p[i].resp.status != 200 && p[i].resp.status != 202)
			fail_msg("twin %d: %ld %s", i, p[i].resp.status, buf_cstr(&p[i].resp.body));
		const char *id = json_string_value(
		    json_object_get(json_object_get(p[i].resp.json, "data"), "messageId"));
		assert_non_null(id);
		if (!first)
			first = id;
		assert_string_equal(id, first);
	}
	for (int i = 0; i < TWINS; i++)
		th_resp_release(&p[i].resp);
	struct th_resp r;
	th_sim(&srv, "/_sim/messages?to=" CUSTOMER, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	th_resp_release(&r);
}

static void test_stop_answers_waiting_send(void **state)
{
	refuse_next(0);
	struct pending_send p;
	start_send(&p, NULL);
	await_first_refusal();
	assert_false(is_done(&p));
	th_server_stop(&srv); /* returns only once every deferred reply was sent */
	running = false;
	finish_send(&p);
	assert_send_answer(&p, 202, "Message queued", "queued");
}

/* A Graph API that accepts connections (the kernel completes them on the backlog) and
 * never answers; closing it resets them. */
static int black_hole(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void test_hanging_meta_call_holds_no_thread(void **state)
{
	int port = 0;
	int hole = black_hole(&port);
	char base[80];
	snprintf(base, sizeof(base), "WHATSAPP_API_BASE_URL=http://127.0.0.1:%d", port);
	const char *env[] = {base, "HTTP_THREADS=1", "BLOCKING_THREADS=1", NULL};
	th_server_start(&srv, env);
	running = true;
	char sauth[128];
	th_signup(&srv, "Asha", "asha@school.edu", PW, session);
	snprintf(sauth, sizeof(sauth), "Authorization: Bearer %s", session);
	struct th_resp r;
	th_call(&srv, sauth, "POST", "/api/settings/phone-numbers",
	        "{\"phoneNumberId\":\"106540352242922\",\"wabaId\":\"102290129340398\","
	        "\"accessToken\":\"test-token-not-real\"}",
	        &r);
	assert_int_equal(r.status, 201);
	char path[128];
	snprintf(path, sizeof(path), "/api/settings/phone-numbers/%s/test",
	         json_string_value(json_object_get(json_object_get(r.json, "data"), "id")));
	th_resp_release(&r);
	struct pending_send p;
	start_request(&p, sauth, NULL, "POST", path, NULL);
	struct pollfd pfd = {.fd = hole, .events = POLLIN};
	if (poll(&pfd, 1, 10000) != 1)
		fail_msg("the number test never called Meta");
	int conn = accept(hole, NULL, NULL); /* it waits on Meta now */
	assert_true(conn >= 0);
	for (int i = 0; i < 3; i++) { /* while the single HTTP thread answers others */
		th_call(&srv, sauth, "GET", "/api/settings/phone-numbers", NULL, &r);
		assert_int_equal(r.status, 200);
		th_resp_release(&r);
	}
	assert_false(is_done(&p));
	close(conn); /* Meta's connection drops: the test answers */
	close(hole);
	finish_send(&p);
	th_assert_error(&p.resp, 502, "META_ERROR");
	th_resp_release(&p.resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_waiting_send_holds_no_thread, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent_twins_send_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stop_answers_waiting_send, setup, teardown),
	    cmocka_unit_test_teardown(test_hanging_meta_call_holds_no_thread, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
