/* Graph API double; see graph_double.h. The one slow handler waits on a condition the test
 * signals (or 5 s, so a failing test ends), not on a timer. */
#include "graph_double.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>
#include <microhttpd.h>

#include "core/buf.h"
#include "meta_fixtures.h"

struct server {
	struct MHD_Daemon *d;
	char base_url[64];
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool release_slow; /* under mu */
	int slow_waiting;  /* under mu */
	int connections;   /* under mu: TCP connections accepted */
	struct graph_double_seen seen[GRAPH_DOUBLE_MAX_SEEN];
	int nseen;
	char *big; /* GRAPH_DOUBLE_BIG_BYTES of JSON */
};

static struct server srv;

struct upload {
	struct buf body;
};

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
	if (toe != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	pthread_mutex_lock(&srv.mu);
	srv.connections++;
	pthread_mutex_unlock(&srv.mu);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;
	if (u) {
		buf_release(&u->body);
		free(u);
	}
	*con_cls = NULL;
}

static void remember(struct MHD_Connection *c, const char *method, const char *url,
                     const struct buf *body)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	const char *fields = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "fields");
	pthread_mutex_lock(&srv.mu);
	if (srv.nseen < GRAPH_DOUBLE_MAX_SEEN) {
		struct graph_double_seen *s = &srv.seen[srv.nseen++];
		snprintf(s->method, sizeof(s->method), "%s", method);
		snprintf(s->url, sizeof(s->url), "%s", url);
		snprintf(s->auth, sizeof(s->auth), "%s", auth ? auth : "");
		snprintf(s->ctype, sizeof(s->ctype), "%s", ctype ? ctype : "");
		snprintf(s->fields, sizeof(s->fields), "%s", fields ? fields : "");
		snprintf(s->body, sizeof(s->body), "%s", buf_cstr(body));
	}
	pthread_mutex_unlock(&srv.mu);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *ctype,
                             const char *body, size_t len)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", ctype);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* "/slow" blocks until the test sets release_slow (or 5 s pass, so a failing test ends). */
static void wait_for_release(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&srv.mu);
	srv.slow_waiting++;
	pthread_cond_broadcast(&srv.cond);
	while (!srv.release_slow && pthread_cond_timedwait(&srv.cond, &srv.mu, &until) == 0)
		;
	srv.slow_waiting--;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.mu);
}

/* Scripted replies by path (after "/v21.0"): /send, /status, /err/<fixture>?s=<status>,
 * /boom, /html200, /nocode404, /big, /slow. */
static enum MHD_Result answer(struct MHD_Connection *c, const char *path)
{
	const char *json = "application/json";
	if (strcmp(path, "/send") == 0 || strcmp(path, "/123/messages") == 0 ||
	    strcmp(path, "/status") == 0) {
		char *f = meta_fixture_read(strcmp(path, "/status") == 0
		                                ? "resp-send-message-with-message-status.json"
		                                : "resp-send-message.json",
		                            NULL);
		enum MHD_Result ret = reply(c, 200, json, f, strlen(f));
		free(f);
		return ret;
	}
	if (strncmp(path, "/err/", 5) == 0) {
		const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "s");
		char *f = meta_fixture_read(path + 5, NULL);
		enum MHD_Result ret =
		    reply(c, s ? (unsigned)strtoul(s, NULL, 10) : 400, json, f, strlen(f));
		free(f);
		return ret;
	}
	if (strcmp(path, "/boom") == 0)
		return reply(c, 500, "text/html", "<html>oops</html>", 17);
	if (strcmp(path, "/html200") == 0)
		return reply(c, 200, "text/html", "<html>hi</html>", 15);
	if (strcmp(path, "/nocode404") == 0)
		return reply(c, 404, json, "{\"nothing\":true}", 16);
	if (strcmp(path, "/big") == 0)
		return reply(c, 200, json, srv.big, GRAPH_DOUBLE_BIG_BYTES);
	if (strcmp(path, "/slow") == 0) {
		wait_for_release();
		return reply(c, 200, json, "{\"late\":true}", 13);
	}
	return reply(c, 404, json, "{\"error\":{\"message\":\"no route\",\"code\":100}}", 44);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
	struct upload *u = *con_cls;
	if (!u) {
		u = calloc(1, sizeof(*u));
		buf_init(&u->body, 1 << 20);
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_size) {
		buf_append(&u->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	remember(c, method, url, &u->body);
	if (strncmp(url, "/v21.0/", 7) != 0)
		return reply(c, 400, "text/plain", "bad version", 11);
	return answer(c, url + 6);
}

int graph_double_start(void **state)
{
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.mu, NULL);
	pthread_cond_init(&srv.cond, NULL);
	srv.big = malloc(GRAPH_DOUBLE_BIG_BYTES);
	memset(srv.big, ' ', GRAPH_DOUBLE_BIG_BYTES);
	srv.big[0] = '{';
	srv.big[GRAPH_DOUBLE_BIG_BYTES - 1] = '}';
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
	                         NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &addr,
	                         MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	assert_non_null(srv.d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv.d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(srv.base_url, sizeof(srv.base_url), "http://127.0.0.1:%u", (unsigned)info->port);
	return 0;
}

int graph_double_stop(void **state)
{
	pthread_mutex_lock(&srv.mu);
	srv.release_slow = true;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.mu);
	MHD_stop_daemon(srv.d);
	free(srv.big);
	return 0;
}

int graph_double_connections(void)
{
	pthread_mutex_lock(&srv.mu);
	int n = srv.connections;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

struct graph_double_seen graph_double_seen(const char *url)
{
	struct graph_double_seen out;
	memset(&out, 0, sizeof(out));
	pthread_mutex_lock(&srv.mu);
	for (int i = 0; i < srv.nseen; i++)
		if (strcmp(srv.seen[i].url, url) == 0)
			out = srv.seen[i];
	pthread_mutex_unlock(&srv.mu);
	if (!out.url[0])
		fail_msg("the server never saw %s", url);
	return out;
}

const char *graph_double_url(void)
{
	return srv.base_url;
}

void graph_double_release_slow(void)
{
	pthread_mutex_lock(&srv.mu);
	srv.release_slow = true;
	pthread_cond_broadcast(&srv.cond);
	while (srv.slow_waiting > 0) /* let the handlers leave before the next test re-arms */
		pthread_cond_wait(&srv.cond, &srv.mu);
	srv.release_slow = false;
	pthread_mutex_unlock(&srv.mu);
}
