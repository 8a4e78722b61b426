/* `.env` reader; see dotenv.h. Each line is parsed in place in a fixed buffer: the value is
 * unquoted/unescaped into the same bytes, so no line ever needs more memory than it had. */
#include "config/dotenv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/sec.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char *skip_space(char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

static bool is_key_char(char c, bool first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
		return true;
	return !first && c >= '0' && c <= '9';
}

/* After a closing quote only spaces and a comment may follow. */
static const char *check_tail(const char *p)
{
	while (is_space(*p))
		p++;
	return (*p == '\0' || *p == '#') ? NULL : "unexpected text after the closing quote";
}

/* Unescapes a double-quoted value starting after the opening quote, in place. */
static const char *parse_double(char *p)
{
	char *w = p;
	for (; *p && *p != '"'; p++) {
		if (*p != '\\' || p[1] == '\0') {
			*w++ = *p;
			continue;
		}
		p++;
		if (*p == 'n') {
			*w++ = '\n';
		} else if (*p == '"' || *p == '\\') {
			*w++ = *p;
		} else {
			/* Unknown escapes stay as written, so "C:\dir" means what it says. */
			*w++ = '\\';
			*w++ = *p;
		}
	}
	if (*p != '"')
		return "unterminated double quote";
	*w = '\0';
	return check_tail(p + 1);
}

static const char *parse_single(char *p)
{
	char *end = strchr(p, '\'');
	if (!end)
		return "unterminated single quote";
	*end = '\0';
	return check_tail(end + 1);
}

/* Unquoted: a '#' after a space starts a comment; surrounding spaces are trimmed. */
static void parse_bare(char *p)
{
	for (char *q = p; *q; q++) {
		if (*q == '#' && q > p && is_space(q[-1])) {
			*q = '\0';
			break;
		}
	}
	size_t n = strlen(p);
	while (n > 0 && is_space(p[n - 1]))
		p[--n] = '\0';
}

/* Splits one line (no newline) into key and value. Returns NULL with *key NULL for a blank or
 * comment line, NULL with both set for an assignment, or what is wrong. */
static const char *parse_line(char *line, char **key, char **value)
{
	*key = NULL;
	char *p = skip_space(line);
	if (*p == '\0' || *p == '#')
		return NULL;
	if (strncmp(p, "export", 6) == 0 && is_space(p[6]))
		p = skip_space(p + 6);
	if (!is_key_char(*p, true))
		return "expected KEY=VALUE";
	char *k = p;
	while (is_key_char(*p, false))
		p++;
	char *key_end = p;
	p = skip_space(p);
	if (*p != '=')
		return "expected KEY=VALUE";
	*key_end = '\0';
	p = skip_space(p + 1);
	*key = k;
	const char *why = NULL;
	if (*p == '"') {
		why = parse_double(++p);
	} else if (*p == '\'') {
		why = parse_single(++p);
	} else {
		parse_bare(p);
	}
	*value = p;
	return why;
}

/* Reads one line into buf without its newline; 1 = got a line, 0 = end of file, -1 = too
 * long. */
static int read_line(FILE *f, char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, f))
		return 0;
	size_t n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n') {
		buf[--n] = '\0';
	} else if (!feof(f)) {
		return -1;
	}
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 1;
}

int dotenv_read(const char *path,
                int (*fn)(void *arg, const char *key, const char *value, int line), void *arg,
                struct err *e)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_INVALID, "CONFIG_INVALID", "cannot read %s: %s", path,
		               strerror(errno));
	}
	char line[DOTENV_LINE_MAX + 2];
	int rc = 0;
	for (int lineno = 1; rc == 0; lineno++) {
		int got = read_line(f, line, sizeof(line));
		if (got == 0)
			break;
		if (got < 0 || lineno > DOTENV_MAX_LINES) {
			rc = err_set(
			    e, ERR_INVALID, "CONFIG_INVALID",
			    "%s line %d: longer than %d bytes, or the file has more than %d lines",
			    path, lineno, DOTENV_LINE_MAX, DOTENV_MAX_LINES);
			break;
		}
		char *key;
		char *value;
		const char *why = parse_line(line, &key, &value);
		if (why)
			rc = err_set(e, ERR_INVALID, "CONFIG_INVALID", "%s line %d: %s", path,
			             lineno, why);
		else if (key)
			rc = fn(arg, key, value, lineno);
	}
	sec_zero(line, sizeof(line));
	fclose(f);
	return rc;
}
