/* Unit tests for config/: defaults, precedence of .env < environment < flags, flag forms and
 * argument compaction, every invalid value form (table-driven), MONGODB_URI refusal, the .env
 * reader, derived values, the JWT secret file in DATA_DIR, masked printing, and that
 * docs/CONFIG.md holds exactly what config_print_markdown prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "config/confval.h"
#include "config/dotenv.h"
#include "core/sec.h"
#include "core/str.h"
#include "harness.h"

#define MAX_ARGS 16
#define SECRET_A "0123456789abcdef0123456789abcdef-secret-A"

/* Runs config_load with args (NULL-terminated), env (NULL-terminated or NULL) and an optional
 * .env path; the remaining arguments are copied into rest (MAX_ARGS entries). */
static int load(struct config *cfg, struct err *e, const char *const *args, const char *const *env,
                const char *dotenv, const char **rest, int *rest_argc)
{
	char *argv[MAX_ARGS + 1] = {0};
	int argc = 0;
	for (; args && args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	int n = 0;
	err_clear(e);
	int rc = config_load(cfg, argc, argv, &n, (char *const *)env, dotenv, e);
	for (int i = 0; rest && i < n; i++)
		rest[i] = argv[i];
	if (rest_argc)
		*rest_argc = n;
	return rc;
}

static int load_env(struct config *cfg, struct err *e, const char *const *env)
{
	return load(cfg, e, NULL, env, NULL, NULL, NULL);
}

/* Writes content to a new temporary file; its path goes into path (64 bytes). */
static void write_temp(char *path, const char *content)
{
	snprintf(path, 64, "/tmp/pixels-env-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t len = strlen(content);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}

static void make_temp_dir(char *path)
{
	snprintf(path, 64, "/tmp/pixels-cfg-XXXXXX");
	assert_non_null(mkdtemp(path));
}

/* rm -rf for the small trees these tests make. */
static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	DIR *d = S_ISDIR(st.st_mode) ? opendir(path) : NULL;
	for (struct dirent *de = d ? readdir(d) : NULL; de; de = readdir(d)) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char child[512];
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		remove_tree(child);
	}
	if (d)
		closedir(d);
	assert_int_equal(remove(path), 0);
}

static void assert_invalid(int rc, const struct err *e, const char *name)
{
	assert_int_equal(rc, ERR_INVALID);
	assert_string_equal(e->key, "CONFIG_INVALID");
	if (!strstr(e->message, name))
		fail_msg("message does not name %s: %s", name, e->message);
}

/* ---- defaults, sources, flags ------------------------------------------------------------ */

static void test_defaults(void **state)
{
	struct config cfg;
	struct err e;
	assert_int_equal(load_env(&cfg, &e, NULL), 0);
	assert_int_equal(cfg.port, 5050);
	assert_int_equal(cfg.dashboard_port, 3000);
	assert_string_equal(cfg.host, "0.0.0.0");
	assert_string_equal(cfg.data_dir, "./data");
	assert_string_equal(cfg.database_url, "sqlite:./data/pixels.db");
	assert_string_equal(cfg.jwt_secret, "");
	assert_false(cfg.jwt_secret_generated);
	assert_int_equal(cfg.jwt_expires_ms, 24 * 3600 * 1000);
	assert_string_equal(cfg.node_env, "production");
	assert_false(cfg.development);
	assert_string_equal(cfg.frontend_url, "");
	assert_string_equal(cfg.debug, "");
	assert_false(cfg.log_json);
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	assert_int_equal(cfg.max_body_bytes, 1048576);
	assert_false(cfg.allow_signup);
	long threads = sysconf(_SC_NPROCESSORS_ONLN) * 8;
	assert_int_equal(cfg.http_threads, threads < 16 ? 16 : threads > 64 ? 64 : threads);
	assert_int_equal(cfg.login_max_failures, 5);
	assert_int_equal(cfg.login_ip_max_failures, 20);
	assert_int_equal(cfg.login_window_ms, 15 * 60 * 1000);
	assert_int_equal(cfg.password_hash_concurrency, 2);
	assert_string_equal(cfg.web_dir, "");
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++)
		assert_int_equal(cfg.sources[i], CONFIG_SOURCE_DEFAULT);
}

static void test_each_source_overrides_the_previous(void **state)
{
	char path[64];
	write_temp(path, "PORT=1\nHOST=1.1.1.1\nLOG_LEVEL=warn\nDASHBOARD_PORT=11\n");
	const char *env[] = {"PORT=2", "HOST=2.2.2.2", "DASHBOARD_PORT=", NULL};
	const char *args[] = {"--port", "3", NULL};
	struct config cfg;
	struct err e;
	assert_int_equal(load(&cfg, &e, args, env, path, NULL, NULL), 0);
	assert_int_equal(cfg.port, 3);
	assert_int_equal(cfg.sources[CONFIG_OPT_PORT], CONFIG_SOURCE_FLAG);
	assert_string_equal(cfg.host, "2.2.2.2");
	assert_int_equal(cfg.sources[CONFIG_OPT_HOST], CONFIG_SOURCE_ENV);
	assert_int_equal(cfg.log_level, LOG_LEVEL_WARN);
	assert_int_equal(cfg.sources[CONFIG_OPT_LOG_LEVEL], CONFIG_SOURCE_DOTENV);
	/* An empty environment value counts as not set: the .env value stays. */
	assert_int_equal(cfg.dashboard_port, 11);
	assert_int_equal(cfg.sources[CONFIG_OPT_DASHBOARD_PORT], CONFIG_SOURCE_DOTENV);

	/* A missing .env file is fine. */
	unlink(path);
	assert_int_equal(load(&cfg, &e, args, env, path, NULL, NULL), 0);
	assert_int_equal(cfg.port, 3);
	assert_int_equal(cfg.dashboard_port, 3000);
}

struct flag_case {
	const char *args[4];
	const char *env; /* one environment entry, or NULL */
	int port;
	bool allow_signup;
	const char *rest0; /* first remaining argument, or NULL */
};

static void test_flag_forms(void **state)
{
	static const struct flag_case cases[] = {
	    {{"--port", "1", NULL}, NULL, 1, false, NULL},
	    {{"--port=1", NULL}, "PORT=2", 1, false, NULL},
	    {{"--allow-signup", NULL}, NULL, 5050, true, NULL},
	    {{"--allow-signup", "serve", NULL}, NULL, 5050, true, "serve"},
	    {{"--allow-signup=no", NULL}, "ALLOW_SIGNUP=true", 5050, false, NULL},
	    {{"--port", "-1", NULL}, NULL, -1, false, NULL}, /* consumed, then rejected */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct flag_case *c = &cases[i];
		struct config cfg;
		struct err e;
		const char *rest[MAX_ARGS];
		int n;
		const char *env[] = {c->env, NULL};
		int rc = load(&cfg, &e, c->args, env, NULL, rest, &n);
		if (c->port < 0) {
			assert_invalid(rc, &e, "--port");
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(cfg.port, c->port);
		assert_int_equal(cfg.allow_signup, c->allow_signup);
		assert_int_equal(n, c->rest0 ? 1 : 0);
		if (c->rest0)
			assert_string_equal(rest[0], c->rest0);
	}
}

static void test_flag_without_value(void **state)
{
	static const char *const cases[][3] = {
	    {"--port", NULL, NULL},
	    {"--port", "--host=127.0.0.1", NULL},
	    {"serve", "--web-dir", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		struct err e;
		int rc = load(&cfg, &e, cases[i], NULL, NULL, NULL, NULL);
		assert_invalid(rc, &e, strcmp(cases[i][0], "serve") ? "--port" : "--web-dir");
		assert_non_null(strstr(e.message, "needs a value"));
	}
}

static void test_rest_args_compacted(void **state)
{
	const char *args[] = {"serve", "--port",    "7",  "extra",  "--unknown", "--web-dir=/w",
	                      "x",     "--dry-run", "--", "--port", "9",         NULL};
	char *argv[MAX_ARGS];
	int argc = 0;
	for (; args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	struct config cfg;
	struct err e = {0};
	int n = -1;
	assert_int_equal(config_load(&cfg, argc, argv, &n, NULL, NULL, &e), 0);
	const char *want[] = {"serve", "extra", "--unknown", "x", "--dry-run", "--", "--port", "9"};
	assert_int_equal(n, 8);
	for (int i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	for (int i = n; i < argc; i++)
		assert_null(argv[i]);
	assert_int_equal(cfg.port, 7);
	assert_string_equal(cfg.web_dir, "/w");
	assert_int_equal(cfg.sources[CONFIG_OPT_WEB_DIR], CONFIG_SOURCE_FLAG);
}

static void test_flag_names_follow_env_names(void **state)
{
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++) {
		char want[64];
		assert_int_equal(str_copy_cstr(want, sizeof(want), config_option_env(i)), 0);
		str_lower_inplace(want);
		for (char *p = want; *p; p++)
			if (*p == '_')
				*p = '-';
		assert_string_equal(config_option_flag(i), want);
	}
	assert_string_equal(config_source_name(CONFIG_SOURCE_DOTENV), ".env");
}

/* ---- values ------------------------------------------------------------------------------ */

static void test_valid_value_forms(void **state)
{
	const char *env[] = {"JWT_EXPIRES_IN=7d",
	                     "LOGIN_LOCKOUT_WINDOW=90",
	                     "MAX_BODY_BYTES=512k",
	                     "ALLOW_SIGNUP=yes",
	                     "LOG_FORMAT=JSON",
	                     "LOG_LEVEL=debug",
	                     "NODE_ENV=test",
	                     "FRONTEND_URL=https://App.Example.com:8443/",
	                     "DATABASE_URL=postgresql://pixels@db/pixels",
	                     "PORT=0",
	                     "HTTP_THREADS=64",
	                     "JWT_SECRET=" SECRET_A,
	                     NULL};
	struct config cfg;
	struct err e;
	assert_int_equal(load_env(&cfg, &e, env), 0);
	assert_int_equal(cfg.jwt_expires_ms, 7LL * 86400000);
	assert_int_equal(cfg.login_window_ms, 90000);
	assert_int_equal(cfg.max_body_bytes, 524288);
	assert_true(cfg.allow_signup);
	assert_true(cfg.log_json);
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(cfg.node_env, "test");
	assert_string_equal(cfg.frontend_url, "https://app.example.com:8443");
	assert_string_equal(cfg.database_url, "postgresql://pixels@db/pixels");
	assert_int_equal(cfg.port, 0);
	assert_int_equal(cfg.http_threads, 64);
	assert_string_equal(cfg.jwt_secret, SECRET_A);
	config_release(&cfg);
	assert_string_equal(cfg.jwt_secret, "");
	assert_string_equal(cfg.database_url, "");

	const char *more[] = {"MAX_BODY_BYTES=64M", "FRONTEND_URL=http://[::1]:5173",
	                      "DATABASE_URL=sqlite:/var/lib/pixels/p.db", NULL};
	assert_int_equal(load_env(&cfg, &e, more), 0);
	assert_int_equal(cfg.max_body_bytes, 64 * 1024 * 1024);
	assert_string_equal(cfg.frontend_url, "http://[::1]:5173");
	assert_string_equal(cfg.database_url, "sqlite:/var/lib/pixels/p.db");
}

struct invalid_case {
	const char *entry;  /* "NAME=value" in the environment */
	const char *hidden; /* text that must not appear in the message, or NULL */
};

static void test_invalid_values(void **state)
{
	static const struct invalid_case cases[] = {
	    {"PORT=abc", NULL},
	    {"PORT=-1", NULL},
	    {"PORT=+5", NULL},
	    {"PORT=99999999999999999999999", NULL},
	    {"PORT=65536", NULL},
	    {"DASHBOARD_PORT=3000x", NULL},
	    {"HTTP_THREADS=0", NULL},
	    {"HTTP_THREADS=65", NULL},
	    {"LOGIN_MAX_FAILURES=1001", NULL},
	    {"LOGIN_IP_MAX_FAILURES=0", NULL},
	    {"PASSWORD_HASH_CONCURRENCY=1.5", NULL},
	    {"HOST=0.0.0.0 x", NULL},
	    {"NODE_ENV=staging", NULL},
	    {"LOG_FORMAT=xml", NULL},
	    {"LOG_LEVEL=trace", NULL},
	    {"ALLOW_SIGNUP=maybe", NULL},
	    {"JWT_EXPIRES_IN=5x", NULL},
	    {"JWT_EXPIRES_IN=-5m", NULL},
	    {"JWT_EXPIRES_IN=30s", NULL},
	    {"JWT_EXPIRES_IN=31d", NULL},
	    {"LOGIN_LOCKOUT_WINDOW=8d", NULL},
	    {"MAX_BODY_BYTES=5g", NULL},
	    {"MAX_BODY_BYTES=1kb", NULL},
	    {"MAX_BODY_BYTES=1023", NULL},
	    {"MAX_BODY_BYTES=65m", NULL},
	    {"MAX_BODY_BYTES=-1k", NULL},
	    {"JWT_SECRET=short-but-secret", "short-but-secret"},
	    {"FRONTEND_URL=ftp://example.com", NULL},
	    {"FRONTEND_URL=example.com", NULL},
	    {"FRONTEND_URL=https://", NULL},
	    {"FRONTEND_URL=https://example.com/app", NULL},
	    {"FRONTEND_URL=https://example.com?x=1", NULL},
	    {"FRONTEND_URL=https://example.com#top", NULL},
	    {"FRONTEND_URL=https://example.com:99999", NULL},
	    {"FRONTEND_URL=https://user:pw-hidden@example.com", "pw-hidden"},
	    {"DATABASE_URL=mysql://root:pw-hidden@db/pixels", "pw-hidden"},
	    {"DATABASE_URL=sqlite:", NULL},
	    {"DATABASE_URL=postgres://", NULL},
	    {"DATABASE_URL=/var/lib/pixels.db", NULL},
	    {"DATA_DIR=/tmp/\x01", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct invalid_case *c = &cases[i];
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(c->entry, "="), c->entry);
		const char *env[] = {c->entry, NULL};
		struct config cfg;
		struct err e;
		int rc = load_env(&cfg, &e, env);
		assert_invalid(rc, &e, name);
		assert_non_null(strstr(e.message, "environment"));
		assert_non_null(strstr(e.message, "expected"));
		if (c->hidden && strstr(e.message, c->hidden))
			fail_msg("message echoes a secret: %s", e.message);
		assert_int_equal(cfg.port, 0); /* cfg is zeroed on error */
	}
}

static void test_invalid_value_messages(void **state)
{
	struct config cfg;
	struct err e;
	const char *port[] = {"PORT=70000", NULL};
	assert_invalid(load_env(&cfg, &e, port), &e, "PORT");
	assert_non_null(strstr(e.message, "from 0 to 65535"));
	assert_non_null(strstr(e.message, "\"70000\""));

	const char *jwt[] = {"JWT_SECRET=too-short", NULL};
	assert_invalid(load_env(&cfg, &e, jwt), &e, "JWT_SECRET");
	assert_non_null(strstr(e.message, "at least 32 characters"));
	assert_non_null(strstr(e.message, "openssl rand -hex 32"));
	assert_non_null(strstr(e.message, "unset"));

	const char *db[] = {"DATABASE_URL=mongodb://x", NULL};
	assert_invalid(load_env(&cfg, &e, db), &e, "DATABASE_URL");
	assert_non_null(strstr(e.message, "sqlite:PATH"));
	assert_non_null(strstr(e.message, "postgres://"));

	char path[64];
	write_temp(path, "# settings\n\nPORT=http\n");
	char where[96];
	snprintf(where, sizeof(where), "%s line 3", path);
	assert_invalid(load(&cfg, &e, NULL, NULL, path, NULL, NULL), &e, where);
	unlink(path);

	char long_secret[320];
	memset(long_secret, 'k', sizeof(long_secret) - 1);
	long_secret[sizeof(long_secret) - 1] = '\0';
	memcpy(long_secret, "JWT_SECRET=", 11);
	const char *too_long[] = {long_secret, NULL};
	assert_invalid(load_env(&cfg, &e, too_long), &e, "JWT_SECRET");
	assert_non_null(strstr(e.message, "at most 255 characters"));
	assert_null(strstr(e.message, "kkkk"));

	const char *escape[] = {"PORT=\x1b[31m", NULL};
	assert_invalid(load_env(&cfg, &e, escape), &e, "PORT");
	assert_null(strstr(e.message, "got"));

	const char *args[] = {"--max-body-bytes", "2g", NULL};
	assert_invalid(load(&cfg, &e, args, NULL, NULL, NULL, NULL), &e, "--max-body-bytes");
	assert_non_null(strstr(e.message, "MAX_BODY_BYTES"));
}

static void test_mongodb_uri_refused(void **state)
{
	static const char *const keys[] = {"MONGODB_URI", "MONGO_URI"};
	for (size_t k = 0; k < 2; k++) {
		for (int from_dotenv = 0; from_dotenv < 2; from_dotenv++) {
			char entry[128];
			char path[64] = "";
			snprintf(entry, sizeof(entry), "%s=mongodb://admin:hunter2@db:27017/pixels",
			         keys[k]);
			const char *env[] = {"PORT=1", entry, NULL};
			if (from_dotenv) {
				char content[160];
				snprintf(content, sizeof(content), "PORT=1\n%s\n", entry);
				write_temp(path, content);
			}
			struct config cfg;
			struct err e;
			int rc = load(&cfg, &e, NULL, from_dotenv ? NULL : env,
			              from_dotenv ? path : NULL, NULL, NULL);
			assert_invalid(rc, &e, keys[k]);
			assert_non_null(strstr(e.message, from_dotenv ? "line 2" : "environment"));
			assert_non_null(strstr(e.message, "does not use MongoDB"));
			assert_non_null(strstr(e.message, "sqlite:$DATA_DIR/pixels.db"));
			assert_non_null(
			    strstr(e.message, "DATABASE_URL=sqlite:/path/to/pixels.db"));
			assert_null(strstr(e.message, "hunter2"));
			assert_null(strstr(e.message, "mongodb://"));
			if (!from_dotenv) /* the whole message fits */
				assert_non_null(strstr(e.message, "postgres://user@host/dbname"));
			if (from_dotenv)
				unlink(path);
		}
	}
	const char *empty[] = {"MONGO_URI=", NULL};
	struct config cfg;
	struct err e;
	assert_invalid(load_env(&cfg, &e, empty), &e, "MONGO_URI");
}

static void test_database_url_from_final_data_dir(void **state)
{
	char path[64];
	write_temp(path, "DATA_DIR=/from/dotenv\n");
	const char *args[] = {"--data-dir", "/from/flag/", NULL};
	struct config cfg;
	struct err e;
	assert_int_equal(load(&cfg, &e, args, NULL, path, NULL, NULL), 0);
	assert_string_equal(cfg.database_url, "sqlite:/from/flag/pixels.db");
	assert_int_equal(cfg.sources[CONFIG_OPT_DATABASE_URL], CONFIG_SOURCE_DEFAULT);
	assert_int_equal(load(&cfg, &e, NULL, NULL, path, NULL, NULL), 0);
	assert_string_equal(cfg.database_url, "sqlite:/from/dotenv/pixels.db");
	const char *env[] = {"DATABASE_URL=sqlite:/elsewhere.db", NULL};
	assert_int_equal(load(&cfg, &e, args, env, path, NULL, NULL), 0);
	assert_string_equal(cfg.database_url, "sqlite:/elsewhere.db");
	unlink(path);
}

static void test_development_turns_on_debug(void **state)
{
	struct config cfg;
	struct err e;
	const char *dev[] = {"NODE_ENV=development", NULL};
	assert_int_equal(load_env(&cfg, &e, dev), 0);
	assert_true(cfg.development);
	assert_string_equal(cfg.debug, "pixels:*");
	const char *dev_debug[] = {"NODE_ENV=Development", "DEBUG=pixels:http", NULL};
	assert_int_equal(load_env(&cfg, &e, dev_debug), 0);
	assert_true(cfg.development);
	assert_string_equal(cfg.node_env, "development");
	assert_string_equal(cfg.debug, "pixels:http");
	const char *prod[] = {"NODE_ENV=production", NULL};
	assert_int_equal(load_env(&cfg, &e, prod), 0);
	assert_false(cfg.development);
	assert_string_equal(cfg.debug, "");
}

/* ---- .env reader ------------------------------------------------------------------------- */

struct kv {
	char key[64];
	char value[128];
	int line;
	int count;
};

static int collect(void *arg, const char *key, const char *value, int line)
{
	struct kv *kv = arg;
	snprintf(kv->key, sizeof(kv->key), "%s", key);
	snprintf(kv->value, sizeof(kv->value), "%s", value);
	kv->line = line;
	kv->count++;
	return 0;
}

struct dotenv_case {
	const char *line;
	const char *key; /* NULL: blank or comment (no assignment) */
	const char *value;
};

static void test_dotenv_lines(void **state)
{
	static const struct dotenv_case cases[] = {
	    {"KEY=value", "KEY", "value"},
	    {"export KEY=value", "KEY", "value"},
	    {"  KEY  =  spaced value  ", "KEY", "spaced value"},
	    {"KEY=value # comment", "KEY", "value"},
	    {"KEY=val#ue", "KEY", "val#ue"},
	    {"KEY=#literal", "KEY", "#literal"},
	    {"KEY=\"a b # c\"", "KEY", "a b # c"},
	    {"KEY=\"line\\nnext\"", "KEY", "line\nnext"},
	    {"KEY=\"q\\\"uote\\\\\"", "KEY", "q\"uote\\"},
	    {"KEY=\"C:\\dir\"", "KEY", "C:\\dir"},
	    {"KEY='single \\n \"$x\"'", "KEY", "single \\n \"$x\""},
	    {"KEY=\"x\"  # comment", "KEY", "x"},
	    {"KEY=", "KEY", ""},
	    {"lower_key1=1", "lower_key1", "1"},
	    {"KEY=crlf\r", "KEY", "crlf"},
	    {"# only a comment", NULL, NULL},
	    {"   ", NULL, NULL},
	    {"", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[64];
		char content[256];
		snprintf(content, sizeof(content), "# first\n%s\n", cases[i].line);
		write_temp(path, content);
		struct kv kv = {0};
		struct err e = {0};
		assert_int_equal(dotenv_read(path, collect, &kv, &e), 0);
		unlink(path);
		if (!cases[i].key) {
			assert_int_equal(kv.count, 0);
			continue;
		}
		assert_int_equal(kv.count, 1);
		assert_int_equal(kv.line, 2);
		assert_string_equal(kv.key, cases[i].key);
		assert_string_equal(kv.value, cases[i].value);
	}
}

static void test_dotenv_bad_lines(void **state)
{
	static const char *const bad[] = {
	    "KEY",         "=value",
	    "1KEY=x",      "KEY-NAME=x",
	    "export",      "KEY=\"open",
	    "KEY='open",   "KEY=\"x\" junk",
	    "KEY value=x", "JWT_SECRET=\"supersecretvalue",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[64];
		char content[256];
		snprintf(content, sizeof(content), "A=1\n\n# c\n%s\nB=2\n", bad[i]);
		write_temp(path, content);
		struct kv kv = {0};
		struct err e = {0};
		char where[96];
		snprintf(where, sizeof(where), "%s line 4", path);
		assert_invalid(dotenv_read(path, collect, &kv, &e), &e, where);
		assert_null(strstr(e.message, "supersecret"));
		assert_int_equal(kv.count, 1); /* stopped at the bad line */
		struct config cfg;
		assert_invalid(load(&cfg, &e, NULL, NULL, path, NULL, NULL), &e, where);
		unlink(path);
	}
}

static void test_dotenv_through_config(void **state)
{
	char path[64];
	write_temp(path, "# Pixels\n"
	                 "export PORT=6000\n"
	                 "HOST = \"127.0.0.1\"  # local only\n"
	                 "DEBUG='pixels:auth,pixels:http'\n"
	                 "FRONTEND_URL=https://App.Example.com/ # dashboard\n"
	                 "JWT_SECRET=\"" SECRET_A "\"\n"
	                 "OTHER_TOOL_KEY=ignored\n"
	                 "PORT=6001\n");
	struct config cfg;
	struct err e;
	assert_int_equal(load(&cfg, &e, NULL, NULL, path, NULL, NULL), 0);
	assert_int_equal(cfg.port, 6001); /* the later line wins */
	assert_string_equal(cfg.host, "127.0.0.1");
	assert_string_equal(cfg.debug, "pixels:auth,pixels:http");
	assert_string_equal(cfg.frontend_url, "https://app.example.com");
	assert_string_equal(cfg.jwt_secret, SECRET_A);
	assert_int_equal(cfg.sources[CONFIG_OPT_JWT_SECRET], CONFIG_SOURCE_DOTENV);
	config_release(&cfg);
	unlink(path);
}

/* ---- secrets in DATA_DIR ----------------------------------------------------------------- */

static void load_with_data_dir(struct config *cfg, const char *dir, const char *jwt)
{
	char data_dir[128];
	char secret[128];
	snprintf(data_dir, sizeof(data_dir), "DATA_DIR=%s", dir);
	snprintf(secret, sizeof(secret), "JWT_SECRET=%s", jwt ? jwt : "");
	const char *env[] = {data_dir, secret, NULL};
	struct err e;
	assert_int_equal(load_env(cfg, &e, env), 0);
}

static void read_file(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	return strspn(s, "0123456789abcdef") == 64;
}

static void test_secret_created_then_reused(void **state)
{
	char tmp[64];
	char dir[128];
	char file[160];
	make_temp_dir(tmp);
	snprintf(dir, sizeof(dir), "%s/nested/data", tmp);
	snprintf(file, sizeof(file), "%s/jwt_secret", dir);
	struct config cfg;
	struct err e = {0};
	load_with_data_dir(&cfg, dir, NULL);
	th_log_capture_start();
	assert_int_equal(config_ensure_secrets(&cfg, &e), 0);
	char *log = th_log_capture_stop();
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char content[128];
	read_file(file, content, sizeof(content));
	assert_true(is_hex64(cfg.jwt_secret));
	assert_true(cfg.jwt_secret_generated);
	assert_int_equal(strncmp(content, cfg.jwt_secret, 64), 0);
	assert_non_null(strstr(log, "JWT_SECRET is not set"));
	assert_non_null(strstr(log, file));
	assert_null(strstr(log, cfg.jwt_secret));
	free(log);

	struct config again;
	load_with_data_dir(&again, dir, NULL);
	th_log_capture_start();
	assert_int_equal(config_ensure_secrets(&again, &e), 0);
	log = th_log_capture_stop();
	assert_string_equal(again.jwt_secret, cfg.jwt_secret);
	assert_true(again.jwt_secret_generated);
	assert_string_equal(log, ""); /* no warning the second time */
	free(log);
	remove_tree(tmp);
}

static void test_secret_file_mode_fixed(void **state)
{
	char dir[64];
	char file[96];
	make_temp_dir(dir);
	snprintf(file, sizeof(file), "%s/jwt_secret", dir);
	const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	char content[80];
	snprintf(content, sizeof(content), "%s\n", hex);
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	struct config cfg;
	struct err e = {0};
	load_with_data_dir(&cfg, dir, NULL);
	th_log_capture_start();
	assert_int_equal(config_ensure_secrets(&cfg, &e), 0);
	char *log = th_log_capture_stop();
	assert_string_equal(cfg.jwt_secret, hex);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_non_null(strstr(log, "0644"));
	assert_null(strstr(log, hex));
	free(log);
	remove_tree(dir);
}

static void test_secret_set_skips_file(void **state)
{
	char dir[64];
	char file[96];
	make_temp_dir(dir);
	snprintf(file, sizeof(file), "%s/jwt_secret", dir);
	struct config cfg;
	struct err e = {0};
	load_with_data_dir(&cfg, dir, SECRET_A);
	assert_int_equal(config_ensure_secrets(&cfg, &e), 0);
	assert_string_equal(cfg.jwt_secret, SECRET_A);
	assert_false(cfg.jwt_secret_generated);
	assert_int_equal(access(file, F_OK), -1);
	remove_tree(dir);
}

static void test_secret_errors(void **state)
{
	char dir[64];
	char path[128];
	make_temp_dir(dir);
	struct config cfg;
	struct err e = {0};

	/* DATA_DIR is a file. */
	snprintf(path, sizeof(path), "%s/plain-file", dir);
	fclose(fopen(path, "w"));
	load_with_data_dir(&cfg, path, NULL);
	assert_int_equal(config_ensure_secrets(&cfg, &e), ERR_INTERNAL);
	assert_string_equal(e.key, "DATA_DIR_UNUSABLE");
	assert_non_null(strstr(e.message, path));

	/* A secret file that does not hold 64 hex digits. */
	snprintf(path, sizeof(path), "%s/jwt_secret", dir);
	FILE *f = fopen(path, "w");
	fputs("not-hex-and-too-short\n", f);
	fclose(f);
	chmod(path, 0600);
	load_with_data_dir(&cfg, dir, NULL);
	err_clear(&e);
	assert_int_equal(config_ensure_secrets(&cfg, &e), ERR_INTERNAL);
	assert_string_equal(e.key, "DATA_DIR_UNUSABLE");
	assert_non_null(strstr(e.message, "64 hexadecimal"));
	assert_null(strstr(e.message, "not-hex"));
	remove_tree(dir);
}

static void discard_line(void *arg, const char *line, size_t len)
{
}

/* Several processes start at once on an empty DATA_DIR: all must end with the same secret. */
static void test_secret_race_ends_with_one_secret(void **state)
{
	enum { N = 8 };
	char dir[64];
	make_temp_dir(dir);
	int go[2];
	int results[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(results), 0);
	for (int i = 0; i < N; i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid > 0)
			continue;
		close(go[1]);
		char c;
		ssize_t got = read(go[0], &c, 1); /* returns 0 when the parent closes: the start */
		struct config cfg;
		struct err e = {0};
		load_with_data_dir(&cfg, dir, NULL);
		log_set_sink(discard_line, NULL);
		int rc = config_ensure_secrets(&cfg, &e);
		ssize_t w = write(results[1], cfg.jwt_secret, 64);
		_exit(got == 0 && rc == 0 && w == 64 ? 0 : 1);
	}
	close(go[0]);
	close(go[1]);
	close(results[1]);
	char secrets[N][65];
	for (int i = 0; i < N; i++) {
		size_t have = 0;
		while (have < 64) {
			ssize_t n = read(results[0], secrets[i] + have, 64 - have);
			assert_true(n > 0);
			have += (size_t)n;
		}
		secrets[i][64] = '\0';
	}
	close(results[0]);
	for (int i = 0; i < N; i++) {
		int status;
		assert_true(wait(&status) > 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	char file[96];
	char content[128];
	snprintf(file, sizeof(file), "%s/jwt_secret", dir);
	read_file(file, content, sizeof(content));
	for (int i = 0; i < N; i++) {
		assert_true(is_hex64(secrets[i]));
		assert_int_equal(strncmp(secrets[i], content, 64), 0);
	}
	remove_tree(dir); /* also proves no temporary files were left behind to trip it */
}

/* ---- printing ---------------------------------------------------------------------------- */

static char *print_config(const struct config *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	config_print(cfg, f);
	fclose(f);
	return text;
}

static void test_print_masks_secrets(void **state)
{
	const char *env[] = {"JWT_SECRET=" SECRET_A,
	                     "DATABASE_URL=postgres://app:pw-S3cret@db:5432/"
	                     "pixels?sslmode=require&password=qs-S3cret",
	                     "HOST=127.0.0.1", NULL};
	const char *args[] = {"--port=6000", NULL};
	struct config cfg;
	struct err e;
	assert_int_equal(load(&cfg, &e, args, env, NULL, NULL, NULL), 0);
	char *text = print_config(&cfg);
	assert_null(strstr(text, SECRET_A));
	assert_null(strstr(text, "S3cret"));
	assert_non_null(strstr(text, "\nJWT_SECRET=********"));
	assert_non_null(strstr(text, "DATABASE_URL=postgres://app:****@db:5432/"
	                             "pixels?sslmode=require&password=****"));
	assert_non_null(strstr(text, "PORT=6000                               # flag\n"));
	assert_non_null(strstr(text, "HOST=127.0.0.1                          # environment\n"));
	assert_non_null(strstr(text, "JWT_EXPIRES_IN=24h                      # default\n"));
	assert_non_null(strstr(text, "\nMAX_BODY_BYTES=1048576 "));
	assert_non_null(strstr(text, "\nLOG_LEVEL=info "));
	free(text);

	/* One line per option, in table order. */
	text = print_config(&cfg);
	char *p = text;
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++) {
		size_t n = strlen(config_option_env(i));
		assert_int_equal(strncmp(p, config_option_env(i), n), 0);
		assert_int_equal(p[n], '=');
		p = strchr(p, '\n') + 1;
	}
	assert_string_equal(p, "");
	free(text);
	config_release(&cfg);
}

static void test_print_unset_and_generated_secret(void **state)
{
	char dir[64];
	make_temp_dir(dir);
	struct config cfg;
	load_with_data_dir(&cfg, dir, NULL);
	char *text = print_config(&cfg);
	assert_non_null(strstr(text, "\nJWT_SECRET=(unset) "));
	free(text);
	struct err e = {0};
	th_log_capture_start();
	assert_int_equal(config_ensure_secrets(&cfg, &e), 0);
	free(th_log_capture_stop());
	text = print_config(&cfg);
	char want[160];
	snprintf(want, sizeof(want), "\nJWT_SECRET=(generated, stored in %s/jwt_secret)", dir);
	assert_non_null(strstr(text, want));
	assert_null(strstr(text, cfg.jwt_secret));
	free(text);
	config_release(&cfg);
	remove_tree(dir);
}

struct mask_case {
	const char *in;
	const char *out;
};

static void test_mask_url(void **state)
{
	static const struct mask_case cases[] = {
	    {"postgres://user:pass@host/db", "postgres://user:****@host/db"},
	    {"postgresql://user@host/db", "postgresql://user@host/db"},
	    {"postgres://u:p%40ss@h:5432/db?sslmode=require",
	     "postgres://u:****@h:5432/db?sslmode=require"},
	    {"postgres://h/db?user=u&password=x&sslmode=disable",
	     "postgres://h/db?user=u&password=****&sslmode=disable"},
	    {"sqlite:./data/pixels.db", "sqlite:./data/pixels.db"},
	    {"postgres://host", "postgres://host"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[128];
		confval_mask_url(cases[i].in, out, sizeof(out));
		assert_string_equal(out, cases[i].out);
	}
	char small[12];
	confval_mask_url("postgres://user:pass@host/db", small, sizeof(small));
	assert_string_equal(small, "postgres://");
}

/* ---- docs/CONFIG.md ---------------------------------------------------------------------- */

static void test_markdown_doc_in_sync(void **state)
{
	char *table = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&table, &len);
	assert_non_null(f);
	config_print_markdown(f);
	fclose(f);
	assert_non_null(strstr(table, "| Variable | Flag | Default | Description |\n"));
	assert_non_null(strstr(table, "| `WEB_DIR` | `--web-dir` |"));
	assert_non_null(
	    strstr(table, "| `HTTP_THREADS` | `--http-threads` | 8 x CPUs (16 to 64) |"));

	const char *src = getenv("PIXELS_SOURCE_DIR");
	assert_non_null(src);
	char path[1024];
	snprintf(path, sizeof(path), "%s/docs/CONFIG.md", src);
	FILE *doc = fopen(path, "r");
	if (!doc)
		fail_msg("cannot open %s", path);
	char *text = calloc(1, 1 << 16);
	assert_non_null(text);
	size_t n = fread(text, 1, (1 << 16) - 1, doc);
	fclose(doc);
	text[n] = '\0';
	if (!strstr(text, table))
		fail_msg("docs/CONFIG.md is out of date: regenerate its table with "
		         "`build/pixels config --markdown`");
	free(text);
	free(table);
}

int main(void)
{
	assert_int_equal(sec_init(), 0);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_each_source_overrides_the_previous),
	    cmocka_unit_test(test_flag_forms),
	    cmocka_unit_test(test_flag_without_value),
	    cmocka_unit_test(test_rest_args_compacted),
	    cmocka_unit_test(test_flag_names_follow_env_names),
	    cmocka_unit_test(test_valid_value_forms),
	    cmocka_unit_test(test_invalid_values),
	    cmocka_unit_test(test_invalid_value_messages),
	    cmocka_unit_test(test_mongodb_uri_refused),
	    cmocka_unit_test(test_database_url_from_final_data_dir),
	    cmocka_unit_test(test_development_turns_on_debug),
	    cmocka_unit_test(test_dotenv_lines),
	    cmocka_unit_test(test_dotenv_bad_lines),
	    cmocka_unit_test(test_dotenv_through_config),
	    cmocka_unit_test(test_secret_created_then_reused),
	    cmocka_unit_test(test_secret_file_mode_fixed),
	    cmocka_unit_test(test_secret_set_skips_file),
	    cmocka_unit_test(test_secret_errors),
	    cmocka_unit_test(test_secret_race_ends_with_one_secret),
	    cmocka_unit_test(test_print_masks_secrets),
	    cmocka_unit_test(test_print_unset_and_generated_secret),
	    cmocka_unit_test(test_mask_url),
	    cmocka_unit_test(test_markdown_doc_in_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
