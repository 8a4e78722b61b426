/* Namespaced, levelled logging: one line per event. Debug lines are enabled per namespace
 * with DEBUG (e.g. "pixels:*" or "pixels:auth,pixels:http", "-pixels:http" excludes wherever it
 * appears), as the user guide promises; info and above are filtered by level only. Plain text or
 * JSON lines; messages cannot break a line (control characters are escaped).
 *
 * The logger is the one piece of process-wide state (like stderr itself): log_setup is called
 * once by the CLI before threads start; tests may swap the sink to capture lines. Callers
 * never pass secrets: passwords, tokens and keys are logged at most as a short prefix. */
#ifndef PIXELS_CORE_LOG_H
#define PIXELS_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* debug_spec: DEBUG value (NULL/"" = none). json: JSON lines instead of text. Not thread-safe
 * against concurrent logging: call before threads start (or in tests, between servers). */
void log_setup(const char *debug_spec, enum log_level level, bool json);
/* Parses "error|warn|info|debug"; 0 or -1. */
int log_level_parse(const char *s, enum log_level *out);
/* Where finished lines go (each without trailing newline). NULL fn = stderr. */
void log_set_sink(void (*fn)(void *arg, const char *line, size_t len), void *arg);
bool log_enabled(enum log_level level, const char *ns);
/* Emits one line if log_enabled(level, ns). Control characters in the message are escaped (text:
 * \n \r \xHH; JSON: \u00XX) and invalid UTF-8 becomes U+FFFD in JSON, so every JSON line parses.
 * Long messages are cut to fit LOG_LINE_MAX (2 KiB) bytes. */
void log_write(enum log_level level, const char *ns, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Nearly free when disabled: one branch on a flag, arguments not evaluated. */
#define log_debug(ns, ...)                                                                         \
	do {                                                                                       \
		if (log_enabled(LOG_LEVEL_DEBUG, ns))                                              \
			log_write(LOG_LEVEL_DEBUG, ns, __VA_ARGS__);                               \
	} while (0)
#define log_info(ns, ...)                                                                          \
	do {                                                                                       \
		if (log_enabled(LOG_LEVEL_INFO, ns))                                               \
			log_write(LOG_LEVEL_INFO, ns, __VA_ARGS__);                                \
	} while (0)
#define log_warn(ns, ...) log_write(LOG_LEVEL_WARN, ns, __VA_ARGS__)
#define log_error(ns, ...) log_write(LOG_LEVEL_ERROR, ns, __VA_ARGS__)

#endif
