/* A scripted stand-in for the Graph API (libmicrohttpd on 127.0.0.1, port 0, a thread per
 * connection) for test_meta_graph: it records every request and answers by path (after
 * "/v21.0"): /send and /123/messages (Meta's send reply), /status, /err/<fixture>?s=<status>
 * (Meta's error envelopes), /boom (500 HTML), /html200, /nocode404, /big
 * (GRAPH_DOUBLE_BIG_BYTES of JSON), /slow (blocks until released). One per process. */
#ifndef PIXELS_TESTS_GRAPH_DOUBLE_H
#define PIXELS_TESTS_GRAPH_DOUBLE_H

#define GRAPH_DOUBLE_BIG_BYTES (200 * 1024)
#define GRAPH_DOUBLE_MAX_SEEN 64

struct graph_double_seen {
	char method[8], url[128], auth[96], ctype[64], fields[64], body[128];
};

/* cmocka group setup and teardown. */
int graph_double_start(void **state);
int graph_double_stop(void **state);
/* "http://127.0.0.1:<port>". */
const char *graph_double_url(void);
/* TCP connections accepted so far. */
int graph_double_connections(void);
/* Copy of the latest request the double saw for url; fails the test when there is none. */
struct graph_double_seen graph_double_seen(const char *url);
/* Lets every request blocked on /slow finish, waits until they left, and re-arms /slow. */
void graph_double_release_slow(void);

#endif
