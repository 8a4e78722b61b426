/* The HTTP server's stop, over real HTTP: http_server_stop waits for a deferred reply
 * (libmicrohttpd aborts if stopped with a suspended connection) and, while it waits, new
 * connections are refused and new requests on open ones get 503 SHUTTING_DOWN, so none can
 * suspend behind its back. Run many times, this is also the regression test for the abort
 * MHD_quiesce_daemon caused in a thread pool on epoll. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>
#include <time.h>

#include "http/server.h"

struct fixture {
	struct http_server *srv;
	int port;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct http_deferred *parked; /* the /park request, suspended */
	bool stop_returned;
	bool completed_before_stop_returned;
	bool completed;
};

static struct fixture fx;

static void handler(void *arg, struct http_req *req, struct http_resp *resp)
{
	(void)arg;
	if (strcmp(req->path, "/park") == 0) {
		struct http_deferred *d = http_defer(req, resp);
		pthread_mutex_lock(&fx.lock);
		fx.parked = d;
		pthread_cond_broadcast(&fx.cond);
		pthread_mutex_unlock(&fx.lock);
		return;
	}
	http_resp_set(resp, 200, "text/plain", "ok", 2);
}

static size_t sink(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/* GET path on handle h (reused: keep-alive); the status, or 0 when the connection failed. */
static long get(CURL *h, const char *path)
{
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", fx.port, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static void *park_client(void *arg)
{
	CURL *h = curl_easy_init();
	*(long *)arg = get(h, "/park");
	curl_easy_cleanup(h);
	return NULL;
}

static void *stopper(void *arg)
{
	(void)arg;
	http_server_stop(fx.srv);
	pthread_mutex_lock(&fx.lock);
	fx.stop_returned = true;
	fx.completed_before_stop_returned = fx.completed;
	pthread_cond_broadcast(&fx.cond);
	pthread_mutex_unlock(&fx.lock);
	return NULL;
}

static void start(void)
{
	memset(&fx, 0, sizeof(fx));
	pthread_mutex_init(&fx.lock, NULL);
	pthread_cond_init(&fx.cond, NULL);
	struct http_server_config cfg = {.host = "127.0.0.1",
	                                 .threads = 4,
	                                 .max_body_bytes = 1024,
	                                 .handler = handler,
	                                 .too_large = handler};
	struct err e = {0};
	assert_int_equal(http_server_start(&cfg, &fx.srv, &e), 0);
	fx.port = http_server_port(fx.srv);
}

static void test_stop_waits_for_deferred_and_refuses_new_work(void **state)
{
	(void)state;
	start();
	CURL *keep = curl_easy_init();
	assert_int_equal(get(keep, "/hello"), 200); /* an open keep-alive connection */

	long parked_status = 0;
	pthread_t client, stop;
	pthread_create(&client, NULL, park_client, &parked_status);
	pthread_mutex_lock(&fx.lock);
	while (!fx.parked)
		pthread_cond_wait(&fx.cond, &fx.lock);
	pthread_mutex_unlock(&fx.lock);
	pthread_create(&stop, NULL, stopper, NULL);

	/* Once the stop has begun, the open connection's next request is refused with 503
	 * (the flag is set at the stop's first step; poll until then, bounded). */
	long status = 0;
	for (int i = 0; i < 2000 && status != 503; i++) {
		status = get(keep, "/hello");
		if (status == 503)
			break;
		assert_int_equal(status, 200);
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	assert_int_equal(status, 503);
	/* A new connection is not served either (refused at accept, or 503). */
	CURL *fresh = curl_easy_init();
	long fresh_status = get(fresh, "/hello");
	assert_true(fresh_status == 0 || fresh_status == 503);
	curl_easy_cleanup(fresh);

	pthread_mutex_lock(&fx.lock);
	bool returned_early = fx.stop_returned;
	fx.completed = true;
	pthread_mutex_unlock(&fx.lock);
	assert_false(returned_early);
	struct http_resp *r = http_deferred_resp(fx.parked);
	http_resp_set(r, 200, "text/plain", "late", 4);
	http_complete(fx.parked);

	pthread_join(stop, NULL);
	pthread_join(client, NULL);
	assert_true(fx.completed_before_stop_returned);
	assert_int_equal(parked_status, 200); /* the deferred reply still reached its client */
	curl_easy_cleanup(keep);
}

/* Starting and stopping a busy pool many times: the stop never aborts. */
static void test_repeated_stop_under_traffic(void **state)
{
	(void)state;
	for (int round = 0; round < 20; round++) {
		start();
		CURL *h = curl_easy_init();
		for (int i = 0; i < 5; i++)
			assert_int_equal(get(h, "/hello"), 200);
		http_server_stop(fx.srv);
		curl_easy_cleanup(h);
	}
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stop_waits_for_deferred_and_refuses_new_work),
	    cmocka_unit_test(test_repeated_stop_under_traffic),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
