/* Unit tests for config/: defaults, precedence of .env < environment < flags, flag forms and
 * argument compaction, every invalid value form (table-driven), MONGODB_URI refusal and
 * derived values. The .env reader and the secret in DATA_DIR are in test_config_files.c,
 * printing and docs/CONFIG.md in test_config_print.c. */
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
#include "config_fixture.h"
#include "core/sec.h"
#include "core/str.h"
#include "harness.h"

#define SECRET_A "0123456789abcdef0123456789abcdef-secret-A"

/* ---- defaults, sources, flags ------------------------------------------------------------ */

static void test_defaults(void **state)
{
	struct config cfg;
	struct err e;
	assert_int_equal(cf_load_env(&cfg, &e, NULL), 0);
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
	long threads = sysconf(_SC_NPROCESSORS_ONLN) * 4;
	assert_int_equal(cfg.http_threads, threads < 8 ? 8 : threads > 64 ? 64 : threads);
	assert_int_equal(cfg.blocking_threads, 16);
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
	cf_write_temp(path, "PORT=1\nHOST=1.1.1.1\nLOG_LEVEL=warn\nDASHBOARD_PORT=11\n");
	const char *env[] = {"PORT=2", "HOST=2.2.2.2", "DASHBOARD_PORT=", NULL};
	const char *args[] = {"--port", "3", NULL};
	struct config cfg;
	struct err e;
	assert_int_equal(cf_load(&cfg, &e, args, env, path, NULL, NULL), 0);
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
	assert_int_equal(cf_load(&cfg, &e, args, env, path, NULL, NULL), 0);
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
		const char *rest[CF_MAX_ARGS];
		int n;
		const char *env[] = {c->env, NULL};
		int rc = cf_load(&cfg, &e, c->args, env, NULL, rest, &n);
		if (c->port < 0) {
			cf_assert_invalid(rc, &e, "--port");
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
		int rc = cf_load(&cfg, &e, cases[i], NULL, NULL, NULL, NULL);
		cf_assert_invalid(rc, &e, strcmp(cases[i][0], "serve") ? "--port" : "--web-dir");
		assert_non_null(strstr(e.message, "needs a value"));
	}
}

static void test_rest_args_compacted(void **state)
{
	const char *args[] = {"serve", "--port",    "7",  "extra",  "--unknown", "--web-dir=/w",
	                      "x",     "--dry-run", "--", "--port", "9",         NULL};
	char *argv[CF_MAX_ARGS];
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
	assert_int_equal(cf_load_env(&cfg, &e, env), 0);
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
	assert_int_equal(cf_load_env(&cfg, &e, more), 0);
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
		int rc = cf_load_env(&cfg, &e, env);
		cf_assert_invalid(rc, &e, name);
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
	cf_assert_invalid(cf_load_env(&cfg, &e, port), &e, "PORT");
	assert_non_null(strstr(e.message, "from 0 to 65535"));
	assert_non_null(strstr(e.message, "\"70000\""));

	const char *jwt[] = {"JWT_SECRET=too-short", NULL};
	cf_assert_invalid(cf_load_env(&cfg, &e, jwt), &e, "JWT_SECRET");
	assert_non_null(strstr(e.message, "at least 32 characters"));
	assert_non_null(strstr(e.message, "openssl rand -hex 32"));
	assert_non_null(strstr(e.message, "unset"));

	const char *db[] = {"DATABASE_URL=mongodb://x", NULL};
	cf_assert_invalid(cf_load_env(&cfg, &e, db), &e, "DATABASE_URL");
	assert_non_null(strstr(e.message, "sqlite:PATH"));
	assert_non_null(strstr(e.message, "postgres://"));

	char path[64];
	cf_write_temp(path, "# settings\n\nPORT=http\n");
	char where[96];
	snprintf(where, sizeof(where), "%s line 3", path);
	cf_assert_invalid(cf_load(&cfg, &e, NULL, NULL, path, NULL, NULL), &e, where);
	unlink(path);

	char long_secret[320];
	memset(long_secret, 'k', sizeof(long_secret) - 1);
	long_secret[sizeof(long_secret) - 1] = '\0';
	memcpy(long_secret, "JWT_SECRET=", 11);
	const char *too_long[] = {long_secret, NULL};
	cf_assert_invalid(cf_load_env(&cfg, &e, too_long), &e, "JWT_SECRET");
	assert_non_null(strstr(e.message, "at most 255 characters"));
	assert_null(strstr(e.message, "kkkk"));

	const char *escape[] = {"PORT=\x1b[31m", NULL};
	cf_assert_invalid(cf_load_env(&cfg, &e, escape), &e, "PORT");
	assert_null(strstr(e.message, "got"));

	const char *args[] = {"--max-body-bytes", "2g", NULL};
	cf_assert_invalid(cf_load(&cfg, &e, args, NULL, NULL, NULL, NULL), &e, "--max-body-bytes");
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
				cf_write_temp(path, content);
			}
			struct config cfg;
			struct err e;
			int rc = cf_load(&cfg, &e, NULL, from_dotenv ? NULL : env,
			                 from_dotenv ? path : NULL, NULL, NULL);
			cf_assert_invalid(rc, &e, keys[k]);
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
	cf_assert_invalid(cf_load_env(&cfg, &e, empty), &e, "MONGO_URI");
}

static void test_database_url_from_final_data_dir(void **state)
{
	char path[64];
	cf_write_temp(path, "DATA_DIR=/from/dotenv\n");
	const char *args[] = {"--data-dir", "/from/flag/", NULL};
	struct config cfg;
	struct err e;
	assert_int_equal(cf_load(&cfg, &e, args, NULL, path, NULL, NULL), 0);
	assert_string_equal(cfg.database_url, "sqlite:/from/flag/pixels.db");
	assert_int_equal(cfg.sources[CONFIG_OPT_DATABASE_URL], CONFIG_SOURCE_DEFAULT);
	assert_int_equal(cf_load(&cfg, &e, NULL, NULL, path, NULL, NULL), 0);
	assert_string_equal(cfg.database_url, "sqlite:/from/dotenv/pixels.db");
	const char *env[] = {"DATABASE_URL=sqlite:/elsewhere.db", NULL};
	assert_int_equal(cf_load(&cfg, &e, args, env, path, NULL, NULL), 0);
	assert_string_equal(cfg.database_url, "sqlite:/elsewhere.db");
	unlink(path);
}

static void test_development_turns_on_debug(void **state)
{
	struct config cfg;
	struct err e;
	const char *dev[] = {"NODE_ENV=development", NULL};
	assert_int_equal(cf_load_env(&cfg, &e, dev), 0);
	assert_true(cfg.development);
	assert_string_equal(cfg.debug, "pixels:*");
	const char *dev_debug[] = {"NODE_ENV=Development", "DEBUG=pixels:http", NULL};
	assert_int_equal(cf_load_env(&cfg, &e, dev_debug), 0);
	assert_true(cfg.development);
	assert_string_equal(cfg.node_env, "development");
	assert_string_equal(cfg.debug, "pixels:http");
	const char *prod[] = {"NODE_ENV=production", NULL};
	assert_int_equal(cf_load_env(&cfg, &e, prod), 0);
	assert_false(cfg.development);
	assert_string_equal(cfg.debug, "");
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
