/* Logger; see log.h. Lines are formatted on the stack and emitted with one write so lines
 * from different threads never interleave. */
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/str.h"

#define LOG_MAX_PATTERNS 16
#define LOG_PATTERN_LEN 64
#define LOG_LINE_MAX 2048

struct log_pattern {
	char text[LOG_PATTERN_LEN];
	bool negate;
	bool prefix; /* ended in '*' */
};

static struct {
	enum log_level level;
	bool json;
	bool any_debug;
	size_t npatterns;
	struct log_pattern patterns[LOG_MAX_PATTERNS];
	void (*sink)(void *arg, const char *line, size_t len);
	void *sink_arg;
	pthread_mutex_t sink_lock;
} logger = {.level = LOG_LEVEL_INFO, .sink_lock = PTHREAD_MUTEX_INITIALIZER};

static void add_pattern(const char *start, size_t len)
{
	if (len == 0 || logger.npatterns == LOG_MAX_PATTERNS)
		return;
	struct log_pattern *p = &logger.patterns[logger.npatterns];
	p->negate = start[0] == '-';
	if (p->negate) {
		start++;
		len--;
	}
	p->prefix = len > 0 && start[len - 1] == '*';
	if (p->prefix)
		len--;
	if (str_copy(p->text, sizeof(p->text), (struct str){start, len}) != 0)
		return;
	logger.npatterns++;
	if (!p->negate)
		logger.any_debug = true;
}

void log_setup(const char *debug_spec, enum log_level level, bool json)
{
	logger.level = level;
	logger.json = json;
	logger.npatterns = 0;
	logger.any_debug = false;
	const char *s = debug_spec ? debug_spec : "";
	while (*s) {
		size_t n = strcspn(s, ", ");
		add_pattern(s, n);
		s += n;
		while (*s == ',' || *s == ' ')
			s++;
	}
}

int log_level_parse(const char *s, enum log_level *out)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_set_sink(void (*fn)(void *arg, const char *line, size_t len), void *arg)
{
	pthread_mutex_lock(&logger.sink_lock);
	logger.sink = fn;
	logger.sink_arg = arg;
	pthread_mutex_unlock(&logger.sink_lock);
}

static bool pattern_match(const struct log_pattern *p, const char *ns)
{
	size_t n = strlen(p->text);
	return p->prefix ? strncmp(ns, p->text, n) == 0 : strcmp(ns, p->text) == 0;
}

/* An exclusion ("-pixels:http") wins wherever it appears in the list, as with DEBUG in
 * Node's debug module: "-pixels:http,pixels:*" and "pixels:*,-pixels:http" mean the same. */
static bool debug_enabled(const char *ns)
{
	bool on = false;
	for (size_t i = 0; i < logger.npatterns; i++) {
		const struct log_pattern *p = &logger.patterns[i];
		if (!pattern_match(p, ns))
			continue;
		if (p->negate)
			return false;
		on = true;
	}
	return on;
}

bool log_enabled(enum log_level level, const char *ns)
{
	if (level == LOG_LEVEL_DEBUG)
		return logger.any_debug && debug_enabled(ns);
	/* An enabled debug namespace also shows its info lines when the level is higher. */
	return level <= logger.level || (logger.any_debug && debug_enabled(ns));
}

/* Length of the valid, non-control UTF-8 sequence at s (at most avail bytes), or 0. */
static size_t utf8_len(const char *s, size_t avail)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (n > avail || !str_is_clean_utf8((struct str){s, n}))
		return 0;
	return n;
}

/* Appends s to out[*o..cap) as the inside of a JSON string, escaping quotes, backslashes and
 * control characters and replacing invalid UTF-8 with U+FFFD, so every line parses. Stops
 * before a unit that would not fit with room for the terminator and `tail` more bytes. */
static void json_escape(char *out, size_t *o, size_t cap, const char *s, size_t tail)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		if (*o + 7 + tail > cap)
			break;
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : utf8_len(s + i, len - i);
		if (c == '"' || c == '\\') {
			out[(*o)++] = '\\';
			out[(*o)++] = (char)c;
		} else if (c < 0x20) {
			*o += (size_t)snprintf(out + *o, cap - *o, "\\u%04x", c);
		} else if (n == 0) {
			memcpy(out + *o, "\\ufffd", 6);
			*o += 6;
			n = 1;
		} else {
			memcpy(out + *o, s + i, n);
			*o += n;
		}
		i += n;
	}
	out[*o] = '\0';
}

/* Appends s to out, showing control characters other than tab as \n, \r or \xHH so an event
 * stays on one line whatever the message holds. */
static void text_escape(char *out, size_t *o, size_t cap, const char *s)
{
	for (; *s && *o + 5 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 || c == '\t')
			out[(*o)++] = (char)c;
		else if (c == '\n')
			*o += (size_t)snprintf(out + *o, cap - *o, "\\n");
		else if (c == '\r')
			*o += (size_t)snprintf(out + *o, cap - *o, "\\r");
		else
			*o += (size_t)snprintf(out + *o, cap - *o, "\\x%02x", c);
	}
	out[*o] = '\0';
}

static size_t clamp_len(int n, size_t cap)
{
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

static size_t format_json(char *line, size_t cap, const char *ts, const char *level, const char *ns,
                          const char *msg)
{
	size_t o = clamp_len(
	    snprintf(line, cap, "{\"ts\":\"%s\",\"level\":\"%s\",\"ns\":\"", ts, level), cap);
	json_escape(line, &o, cap, ns, 12);
	o += clamp_len(snprintf(line + o, cap - o, "\",\"msg\":\""), cap - o);
	json_escape(line, &o, cap, msg, 2);
	o += clamp_len(snprintf(line + o, cap - o, "\"}"), cap - o);
	return o;
}

static size_t format_text(char *line, size_t cap, const char *ts, const char *level, const char *ns,
                          const char *msg)
{
	size_t o = clamp_len(snprintf(line, cap, "%s %-5s %s ", ts, level, ns), cap);
	text_escape(line, &o, cap, msg);
	return o;
}

static void emit(const char *line, size_t len)
{
	pthread_mutex_lock(&logger.sink_lock);
	if (logger.sink) {
		logger.sink(logger.sink_arg, line, len);
	} else {
		char tmp[LOG_LINE_MAX + 1];
		memcpy(tmp, line, len);
		tmp[len] = '\n';
		ssize_t w = write(STDERR_FILENO, tmp, len + 1);
		(void)w;
	}
	pthread_mutex_unlock(&logger.sink_lock);
}

void log_write(enum log_level level, const char *ns, const char *fmt, ...)
{
	static const char *const names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	/* log_warn/log_error come straight here: the level applies to them too. */
	if (!log_enabled(level, ns))
		return;
	char msg[LOG_LINE_MAX - 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char ts[32];
	clock_format_iso(clock_real_ms(), ts, sizeof(ts));
	char line[LOG_LINE_MAX];
	size_t n = logger.json ? format_json(line, sizeof(line), ts, names[level], ns, msg)
	                       : format_text(line, sizeof(line), ts, names[level], ns, msg);
	emit(line, n);
}
