/* Unit tests for core/log: lines are captured through log_set_sink. DEBUG patterns (wildcards,
 * exact names, exclusions in any order, comma and space lists), level filtering, the text
 * line's shape, and JSON lines that stay valid JSON (parsed back with jansson through jsonw)
 * whatever the message holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/jsonw.h"
#include "core/log.h"

#define MAX_LINES 16
#define LINE_CAP 4096

struct capture {
	size_t count;
	char lines[MAX_LINES][LINE_CAP];
	size_t lens[MAX_LINES];
};

static struct capture cap;

static void sink(void *arg, const char *line, size_t len)
{
	struct capture *c = arg;
	if (c->count == MAX_LINES)
		return;
	assert_true(len < LINE_CAP);
	memcpy(c->lines[c->count], line, len);
	c->lines[c->count][len] = '\0';
	c->lens[c->count] = len;
	c->count++;
}

static int setup(void **state)
{
	memset(&cap, 0, sizeof(cap));
	log_set_sink(sink, &cap);
	return 0;
}

static int teardown(void **state)
{
	log_set_sink(NULL, NULL);
	log_setup(NULL, LOG_LEVEL_INFO, false);
	return 0;
}

struct match_case {
	const char *spec;
	const char *ns;
	bool want;
};

static void test_debug_patterns_table(void **state)
{
	static const struct match_case cases[] = {
	    {"pixels:*", "pixels:http", true},
	    {"pixels:*", "pixels:auth", true},
	    {"pixels:*", "other:http", false},
	    {"pixels:*", "pixels", false},
	    {"*", "anything:at:all", true},
	    {"pixels:auth", "pixels:auth", true},
	    {"pixels:auth", "pixels:authx", false},
	    {"pixels:auth", "pixels:aut", false},
	    {"pixels:auth", "pixels:http", false},
	    {"pixels:auth,pixels:http", "pixels:http", true},
	    {"pixels:auth,pixels:http", "pixels:queue", false},
	    {"pixels:auth pixels:http", "pixels:http", true},
	    {"pixels:auth, pixels:http", "pixels:http", true},
	    {" ,pixels:auth,, ", "pixels:auth", true},
	    {"pixels:*,-pixels:http", "pixels:http", false},
	    {"pixels:*,-pixels:http", "pixels:auth", true},
	    {"-pixels:http,pixels:*", "pixels:http", false},
	    {"-pixels:http,pixels:*", "pixels:queue", true},
	    {"pixels:* -pixels:http", "pixels:http", false},
	    {"pixels:*,-pixels:q*", "pixels:queue", false},
	    {"pixels:*,-pixels:q*", "pixels:webhook", true},
	    {"-pixels:http", "pixels:http", false},
	    {"-pixels:http", "pixels:auth", false},
	    {"", "pixels:http", false},
	    {NULL, "pixels:http", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct match_case *c = &cases[i];
		log_setup(c->spec, LOG_LEVEL_INFO, false);
		if (log_enabled(LOG_LEVEL_DEBUG, c->ns) != c->want)
			fail_msg("DEBUG=\"%s\" ns %s: want %d", c->spec ? c->spec : "(null)", c->ns,
			         c->want);
	}
}

static void test_levels(void **state)
{
	log_setup(NULL, LOG_LEVEL_WARN, false);
	assert_true(log_enabled(LOG_LEVEL_ERROR, "pixels:http"));
	assert_true(log_enabled(LOG_LEVEL_WARN, "pixels:http"));
	assert_false(log_enabled(LOG_LEVEL_INFO, "pixels:http"));
	assert_false(log_enabled(LOG_LEVEL_DEBUG, "pixels:http"));

	log_info("pixels:http", "dropped");
	log_debug("pixels:http", "dropped");
	log_warn("pixels:http", "kept %d", 1);
	log_error("pixels:http", "kept %d", 2);
	assert_int_equal(cap.count, 2);
	assert_non_null(strstr(cap.lines[0], " WARN  pixels:http kept 1"));
	assert_non_null(strstr(cap.lines[1], " ERROR pixels:http kept 2"));

	/* level error drops warnings too, including through log_warn */
	cap.count = 0;
	log_setup(NULL, LOG_LEVEL_ERROR, false);
	log_warn("pixels:http", "dropped");
	log_error("pixels:http", "kept");
	assert_int_equal(cap.count, 1);

	/* level debug without DEBUG: info and up, but debug lines need a namespace */
	cap.count = 0;
	log_setup(NULL, LOG_LEVEL_DEBUG, false);
	log_info("pixels:http", "kept");
	log_debug("pixels:http", "dropped");
	assert_int_equal(cap.count, 1);

	/* an enabled debug namespace shows its info lines even above the level */
	cap.count = 0;
	log_setup("pixels:auth", LOG_LEVEL_ERROR, false);
	log_info("pixels:auth", "kept");
	log_debug("pixels:auth", "kept");
	log_info("pixels:http", "dropped");
	assert_int_equal(cap.count, 2);
}

static int evaluated;

static int side_effect(void)
{
	return ++evaluated;
}

static void test_disabled_debug_is_free(void **state)
{
	log_setup("pixels:auth", LOG_LEVEL_INFO, false);
	evaluated = 0;
	log_debug("pixels:http", "value %d", side_effect());
	assert_int_equal(evaluated, 0);
	assert_int_equal(cap.count, 0);
	log_debug("pixels:auth", "value %d", side_effect());
	assert_int_equal(evaluated, 1);
	assert_int_equal(cap.count, 1);
	assert_non_null(strstr(cap.lines[0], " DEBUG pixels:auth value 1"));
}

static void assert_iso_ts(const char *ts)
{
	/* 2026-11-24T09:00:00.123Z */
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd')
			assert_true(ts[i] >= '0' && ts[i] <= '9');
		else
			assert_int_equal(ts[i], shape[i]);
	}
}

static void test_text_format(void **state)
{
	log_setup(NULL, LOG_LEVEL_INFO, false);
	log_info("pixels:http", "GET /api/health %d", 200);
	assert_int_equal(cap.count, 1);
	const char *line = cap.lines[0];
	assert_iso_ts(line);
	assert_string_equal(line + 24, " INFO  pixels:http GET /api/health 200");
	assert_int_equal(cap.lens[0], strlen(line)); /* no trailing newline */

	/* a message cannot break the one-line-per-event rule */
	log_warn("pixels:auth", "user \"%s\"\nERROR forged line\r\x1b[31m\ttab", "x");
	assert_int_equal(cap.count, 2);
	assert_null(strchr(cap.lines[1], '\n'));
	assert_null(strchr(cap.lines[1], '\r'));
	assert_null(strchr(cap.lines[1], '\x1b'));
	assert_string_equal(cap.lines[1] + 24,
	                    " WARN  pixels:auth user \"x\"\\nERROR forged line\\r\\x1b[31m\ttab");
}

/* Parses a captured JSON line and checks its fixed fields; returns the object (caller decrefs). */
static json_t *parse_line(size_t i, const char *level, const char *ns)
{
	json_t *obj = NULL;
	struct err e;
	err_clear(&e);
	if (jsonw_parse_object(cap.lines[i], cap.lens[i], &obj, &e) != 0)
		fail_msg("line %zu is not JSON (%s): %s", i, e.message, cap.lines[i]);
	assert_int_equal(json_object_size(obj), 4);
	assert_string_equal(json_string_value(json_object_get(obj, "level")), level);
	assert_string_equal(json_string_value(json_object_get(obj, "ns")), ns);
	const char *ts = json_string_value(json_object_get(obj, "ts"));
	assert_non_null(ts);
	assert_int_equal(strlen(ts), 24);
	assert_iso_ts(ts);
	return obj;
}

static void test_json_format(void **state)
{
	log_setup(NULL, LOG_LEVEL_INFO, true);
	log_info("pixels:http", "plain");
	log_warn("pixels:auth", "quote \" backslash \\ nl\n cr\r tab\t soh\x01 us\x1f del\x7f");
	log_error("pixels:queue", "utf8 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	log_error("pixels:queue", "bad \xff\xc3 end");
	assert_int_equal(cap.count, 4);

	json_t *o = parse_line(0, "INFO", "pixels:http");
	assert_string_equal(json_string_value(json_object_get(o, "msg")), "plain");
	assert_string_equal(cap.lines[0] + 32,
	                    ",\"level\":\"INFO\",\"ns\":\"pixels:http\",\"msg\":\"plain\"}");
	assert_memory_equal(cap.lines[0], "{\"ts\":\"", 7);
	json_decref(o);

	o = parse_line(1, "WARN", "pixels:auth");
	assert_string_equal(json_string_value(json_object_get(o, "msg")),
	                    "quote \" backslash \\ nl\n cr\r tab\t soh\x01 us\x1f del\x7f");
	assert_null(strchr(cap.lines[1], '\n'));
	json_decref(o);

	o = parse_line(2, "ERROR", "pixels:queue");
	assert_string_equal(json_string_value(json_object_get(o, "msg")),
	                    "utf8 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	json_decref(o);

	/* invalid UTF-8 becomes U+FFFD instead of making the line unparseable */
	o = parse_line(3, "ERROR", "pixels:queue");
	assert_string_equal(json_string_value(json_object_get(o, "msg")),
	                    "bad \xef\xbf\xbd\xef\xbf\xbd end");
	json_decref(o);
}

static void test_json_long_message_stays_valid(void **state)
{
	static char big[5000];
	log_setup(NULL, LOG_LEVEL_INFO, true);
	/* every byte expands (quote -> 2, control -> 6): the cut must land between escapes */
	memset(big, '"', sizeof(big) - 1);
	log_info("pixels:http", "%s", big);
	memset(big, '\x01', sizeof(big) - 1);
	log_info("pixels:http", "%s", big);
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = "\xe2\x82\xac"[i % 3];
	log_info("pixels:http", "%s", big);
	assert_int_equal(cap.count, 3);
	for (size_t i = 0; i < 3; i++) {
		json_t *o = parse_line(i, "INFO", "pixels:http");
		assert_true(strlen(json_string_value(json_object_get(o, "msg"))) > 200);
		json_decref(o);
	}
}

static void test_level_parse(void **state)
{
	static const struct {
		const char *s;
		int rc;
		enum log_level want;
	} cases[] = {
	    {"error", 0, LOG_LEVEL_ERROR}, {"warn", 0, LOG_LEVEL_WARN},
	    {"info", 0, LOG_LEVEL_INFO},   {"debug", 0, LOG_LEVEL_DEBUG},
	    {"", -1, LOG_LEVEL_INFO},      {"warning", -1, LOG_LEVEL_INFO},
	    {"trace", -1, LOG_LEVEL_INFO}, {"info ", -1, LOG_LEVEL_INFO},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum log_level out = LOG_LEVEL_INFO;
		assert_int_equal(log_level_parse(cases[i].s, &out), cases[i].rc);
		assert_int_equal(out, cases[i].want);
	}
}

static void test_default_sink_is_stderr(void **state)
{
	char path[] = "/tmp/pixels-test-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	int saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);

	log_set_sink(NULL, NULL);
	log_setup(NULL, LOG_LEVEL_INFO, false);
	log_info("pixels:cli", "to stderr");

	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	char buf[256] = {0};
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	assert_int_equal(n, 24 + strlen(" INFO  pixels:cli to stderr\n"));
	assert_string_equal(buf + 24, " INFO  pixels:cli to stderr\n");
	assert_int_equal(cap.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_debug_patterns_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disabled_debug_is_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_format, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_format, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_long_message_stays_valid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_level_parse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_sink_is_stderr, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
