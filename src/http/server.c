/* libmicrohttpd server: request accumulation with a body cap, handler dispatch, reply
 * queueing. See server.h for the one trap this file is shaped around (queue the reply only
 * after the first access-handler call). */
#include "http/server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "core/clock.h"
#include "core/sec.h"
#include "core/str.h"
#include "core/xalloc.h"

#define HTTP_CONN_MEMORY_LIMIT (64 * 1024) /* request line + headers per connection */
#define HTTP_CONN_TIMEOUT_S 30
#define HTTP_CONN_LIMIT 8192
#define HTTP_DISCARD_MAX (64u * 1024 * 1024) /* oversized body drained before 413 */

struct http_server {
	struct http_server_config cfg;
	struct MHD_Daemon *daemon;
	int port;
	int deferred;  /* requests suspended in http_defer and not yet answered (atomic) */
	int active;    /* handlers running now (atomic) */
	int unsent;    /* replies queued and not yet completely sent (atomic) */
	bool stopping; /* http_server_stop began: no new connection, no new handler (atomic) */
};

struct pending {
	struct http_req req;
	struct http_server *srv;
	struct http_resp deferred_resp; /* the reply of a deferred request (http_defer) */
	bool deferred;                  /* suspended, waiting for http_complete */
	bool completed;                 /* http_complete ran: deferred_resp is ready */
	void (*build)(void *arg, struct http_req *req, struct http_resp *resp);
	void *build_arg;
	bool too_large; /* body passed max_body_bytes: the reply is 413 */
	bool replied;   /* a reply was queued on the first call */
	bool queued;    /* counted in srv->unsent until the request completes */
	size_t discarded;
};

static void fill_client_ip(struct MHD_Connection *conn, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)cap);
}

static struct pending *pending_new(struct http_server *srv, struct MHD_Connection *conn,
                                   const char *url, const char *method)
{
	struct pending *p = xcalloc(1, sizeof(*p));
	p->req.method = http_method_parse(method);
	p->req.method_name = method;
	p->req.path = url;
	p->req.conn = conn;
	p->req.listener = srv->cfg.listener;
	p->req.start_ns = clock_mono_ns();
	p->req.server = p;
	p->srv = srv;
	http_resp_init(&p->deferred_resp);
	size_t limit = srv->cfg.body_limit ? srv->cfg.body_limit(srv->cfg.handler_arg, url)
	                                   : srv->cfg.max_body_bytes;
	buf_init(&p->req.body, limit);
	unsigned char rid[8];
	sec_random(rid, sizeof(rid));
	sec_hex(rid, sizeof(rid), p->req.request_id);
	fill_client_ip(conn, p->req.client_ip, sizeof(p->req.client_ip));
	return p;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *con_cls;
	if (!p)
		return;
	if (p->deferred && !p->replied) {
		/* The client left while its reply was deferred: the builder still runs (it owns
		 * and frees its context); the reply it builds is discarded. */
		__atomic_sub_fetch(&p->srv->deferred, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&p->completed, __ATOMIC_ACQUIRE) && p->build)
			p->build(p->build_arg, &p->req, &p->deferred_resp);
	}
	if (p->queued) /* sent, or the connection is gone */
		__atomic_sub_fetch(&p->srv->unsent, 1, __ATOMIC_SEQ_CST);
	buf_release(&p->req.body);
	http_resp_release(&p->deferred_resp);
	free(p);
	*con_cls = NULL;
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_req *req,
                             struct http_resp *resp)
{
	struct MHD_Response *r;
	if (resp->static_body) {
		r = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_body,
		                                    MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len = 0;
		char *body = buf_detach(&resp->body, &len);
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(body);
	}
	if (!r)
		return MHD_NO;
	if (resp->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	MHD_add_response_header(r, "X-Request-Id", req->request_id);
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Queues p's reply, counted until MHD reports the request complete: stopping the daemon
 * earlier would close the connection before the reply is on the wire. */
static enum MHD_Result queue_reply(struct pending *p, struct http_resp *resp)
{
	enum MHD_Result ret = queue(p->req.conn, &p->req, resp);
	if (ret == MHD_YES) {
		p->queued = true;
		__atomic_add_fetch(&p->srv->unsent, 1, __ATOMIC_SEQ_CST);
	}
	return ret;
}

/* What a request gets once the server is stopping: it would otherwise be able to suspend
 * its connection after the last wait in http_server_stop. */
static void refuse_stopping(struct http_server *srv, struct http_req *req, struct http_resp *resp)
{
	static const char body[] = "{\"success\":false,\"code\":\"SHUTTING_DOWN\","
	                           "\"message\":\"The server is shutting down.\"}";
	if (srv->cfg.shutting_down)
		srv->cfg.shutting_down(srv->cfg.handler_arg, req, resp);
	else
		http_resp_static(resp, 503, "application/json; charset=utf-8", body,
		                 sizeof(body) - 1);
	http_resp_header(resp, "Connection", "close");
}

static enum MHD_Result respond(struct http_server *srv, struct pending *p)
{
	struct http_resp resp;
	http_resp_init(&resp);
	/* Counted before the check, uncounted once the request is counted as deferred or its
	 * reply as unsent: http_server_stop sets stopping and then waits for all three to be
	 * 0, so it cannot miss a handler about to suspend its connection or to answer. */
	__atomic_add_fetch(&srv->active, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST))
		refuse_stopping(srv, &p->req, &resp);
	else if (p->too_large)
		srv->cfg.too_large(srv->cfg.handler_arg, &p->req, &resp);
	else
		srv->cfg.handler(srv->cfg.handler_arg, &p->req, &resp);
	enum MHD_Result ret = MHD_YES; /* deferred: suspended in http_defer until http_complete */
	if (!resp.deferred) {
		if (resp.status == 0)
			http_resp_set(&resp, 500, "text/plain", "", 0);
		ret = queue_reply(p, &resp);
	}
	http_resp_release(&resp);
	__atomic_sub_fetch(&srv->active, 1, __ATOMIC_SEQ_CST); /* now deferred or unsent */
	return ret;
}

static bool declared_too_large(struct MHD_Connection *conn, size_t max)
{
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	int64_t n;
	if (!cl || str_parse_i64(str_from(cl), 0, INT64_MAX, &n) != 0)
		return false;
	return (uint64_t)n > max;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct pending *p = *con_cls;
	if (!p) {
		p = pending_new(srv, conn, url, method);
		*con_cls = p;
		if (declared_too_large(conn, p->req.body.max)) {
			/* Refuse before reading: MHD then closes the connection, which is what
			 * we want for a client announcing an oversized body. */
			p->too_large = true;
			p->replied = true;
			return respond(srv, p);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (p->too_large) {
			/* MHD cannot queue a reply mid-upload: discard the rest, answer 413 at
			 * the end, but drop a stream that goes on far past the limit. */
			p->discarded += *upload_data_size;
			*upload_data_size = 0;
			return p->discarded > HTTP_DISCARD_MAX ? MHD_NO : MHD_YES;
		}
		if (buf_append(&p->req.body, upload_data, *upload_data_size) != 0) {
			p->too_large = true;
			buf_release(&p->req.body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (p->replied)
		return MHD_YES;
	if (p->deferred) {
		/* Resumed by http_complete: the reply is ready. (Before that MHD does not call
		 * us: the connection is suspended.) */
		if (!__atomic_load_n(&p->completed, __ATOMIC_ACQUIRE))
			return MHD_YES;
		p->replied = true;
		if (p->build)
			p->build(p->build_arg, &p->req, &p->deferred_resp);
		if (p->deferred_resp.status == 0)
			http_resp_set(&p->deferred_resp, 500, "text/plain", "", 0);
		enum MHD_Result ret = queue_reply(p, &p->deferred_resp);
		/* Uncounted here only once counted as unsent: while the reply is on its way
		 * http_server_stop always finds the request in one of the two counts. */
		__atomic_sub_fetch(&srv->deferred, 1, __ATOMIC_SEQ_CST);
		return ret;
	}
	return respond(srv, p);
}

struct http_deferred *http_defer(struct http_req *req, struct http_resp *resp)
{
	struct pending *p = req->server;
	p->deferred = true;
	__atomic_add_fetch(&p->srv->deferred, 1, __ATOMIC_SEQ_CST);
	http_resp_release(&p->deferred_resp);
	p->deferred_resp = *resp; /* takes the headers (and anything else) set so far */
	http_resp_init(resp);
	resp->deferred = true;
	MHD_suspend_connection(req->conn);
	return (struct http_deferred *)p;
}

struct http_resp *http_deferred_resp(struct http_deferred *d)
{
	return &((struct pending *)d)->deferred_resp;
}

struct http_req *http_deferred_req(struct http_deferred *d)
{
	return &((struct pending *)d)->req;
}

void http_complete_build(struct http_deferred *d,
                         void (*build)(void *arg, struct http_req *req, struct http_resp *resp),
                         void *arg)
{
	struct pending *p = (struct pending *)d;
	p->build = build;
	p->build_arg = arg;
	__atomic_store_n(&p->completed, true, __ATOMIC_RELEASE);
	MHD_resume_connection(p->req.conn);
}

void http_complete(struct http_deferred *d)
{
	http_complete_build(d, NULL, NULL);
}

static int resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
	    .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	char portbuf[16];
	snprintf(portbuf, sizeof(portbuf), "%d", port);
	if (getaddrinfo(host, portbuf, &hints, &res) != 0 || !res)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)addr;
	(void)len;
	struct http_server *srv = cls;
	return __atomic_load_n(&srv->stopping, __ATOMIC_SEQ_CST) ? MHD_NO : MHD_YES;
}

int http_server_start(const struct http_server_config *cfg, struct http_server **out, struct err *e)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	*out = NULL;
	if (resolve(cfg->host, cfg->port, &ss, &sslen) != 0)
		return err_set(e, ERR_UNAVAILABLE, "LISTEN_FAILED", "cannot resolve HOST %s",
		               cfg->host);
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
	    flags, 0, accept_policy, srv, on_request, srv, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(cfg->threads > 0 ? cfg->threads : 1), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)HTTP_CONN_MEMORY_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)HTTP_CONN_TIMEOUT_S, MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONN_LIMIT,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
	if (!srv->daemon) {
		free(srv);
		return err_set(e, ERR_UNAVAILABLE, "LISTEN_FAILED",
		               "cannot listen on %s:%d (port in use or address unavailable)",
		               cfg->host, cfg->port);
	}
	const union MHD_DaemonInfo *di =
	    MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : cfg->port;
	*out = srv;
	return 0;
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}

void http_server_stop(struct http_server *srv)
{
	if (!srv)
		return;
	/* libmicrohttpd aborts if stopped with suspended connections: stop taking connections
	 * and requests, then let every deferred reply finish (its group commit is moments
	 * away) and every queued reply reach its client before stopping. (Not MHD_quiesce_daemon:
	 * with a thread pool on epoll it races the worker threads removing the listen socket, and
	 * libmicrohttpd 0.9.75 aborts.) */
	__atomic_store_n(&srv->stopping, true, __ATOMIC_SEQ_CST);
	int64_t deadline = clock_mono_ns() + INT64_C(10) * 1000000000;
	while ((__atomic_load_n(&srv->active, __ATOMIC_SEQ_CST) > 0 ||
	        __atomic_load_n(&srv->deferred, __ATOMIC_SEQ_CST) > 0 ||
	        __atomic_load_n(&srv->unsent, __ATOMIC_SEQ_CST) > 0) &&
	       clock_mono_ns() < deadline) {
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
