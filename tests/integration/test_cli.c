/* Integration: the pixels binary's commands and exit codes (0 ok, 1 failure, 2 usage or
 * configuration): version/help, invalid configuration, MONGODB_URI refusal, migrate from
 * empty and re-run, user create / reset-password with the password on stdin, and secrets
 * masked by `pixels config`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "store/store.h"

static char dir[] = "/tmp/pixels-cli-XXXXXX";

/* Runs `env -i PATH=... <env> pixels <args>` in dir with stdin_text on standard input;
 * returns the exit code and fills out with stdout+stderr. */
static int run(const char *env, const char *args, const char *stdin_text, struct buf *out)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && printf '%%s' '%s' | env -i PATH=/usr/bin:/bin %s '%s' %s 2>&1", dir,
	         stdin_text ? stdin_text : "", env ? env : "", getenv("PIXELS_BIN"), args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	buf_init(out, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(out, chunk, n);
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void expect(const char *env, const char *args, const char *in, int code, const char *needle)
{
	struct buf out;
	int rc = run(env, args, in, &out);
	if (rc != code || (needle && !strstr(buf_cstr(&out), needle)))
		fail_msg("`pixels %s` (env %s): exit %d, want %d with \"%s\"; output:\n%s", args,
		         env ? env : "-", rc, code, needle ? needle : "", buf_cstr(&out));
	buf_release(&out);
}

static int setup(void **state)
{
	assert_non_null(getenv("PIXELS_BIN"));
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void test_version_and_help(void **state)
{
	expect(NULL, "version", NULL, 0, "pixels " PIXELS_VERSION);
	expect(NULL, "help", NULL, 0, "serve");
	expect(NULL, "help user", NULL, 0, "reset-password");
	expect(NULL, "", NULL, 2, "Usage");
	expect(NULL, "frobnicate", NULL, 2, "unknown command");
	expect(NULL, "help frobnicate", NULL, 2, "unknown command");
}

static void test_invalid_configuration_exits_2(void **state)
{
	expect("PORT=abc", "config", NULL, 2, "PORT");
	expect(NULL, "config --port 70000", NULL, 2, "PORT");
	expect("LOG_FORMAT=xml", "config", NULL, 2, "LOG_FORMAT");
	expect("JWT_SECRET=short", "config", NULL, 2, "JWT_SECRET");
	expect("MONGODB_URI=mongodb+srv://user:hunter2@cluster0/db", "serve", NULL, 2,
	       "DATABASE_URL");
	expect("MONGO_URI=mongodb://localhost/x", "migrate", NULL, 2, "SQLite");
	struct buf out;
	run("MONGODB_URI=mongodb+srv://user:hunter2@cluster0/db", "serve", NULL, &out);
	assert_null(strstr(buf_cstr(&out), "hunter2"));
	buf_release(&out);
	expect(NULL, "serve --no-such-flag", NULL, 2, "--no-such-flag");
}

static void test_config_masks_secrets(void **state)
{
	struct buf out;
	const char *secret = "JWT_SECRET=0123456789abcdef0123456789abcdef-very-secret";
	assert_int_equal(run(secret, "config", NULL, &out), 0);
	assert_non_null(strstr(buf_cstr(&out), "JWT_SECRET"));
	assert_null(strstr(buf_cstr(&out), "very-secret"));
	assert_non_null(strstr(buf_cstr(&out), "PORT"));
	buf_release(&out);
	expect(NULL, "config --markdown", NULL, 0, "| `DATABASE_URL`");
}

static void test_migrate_from_empty_and_rerun(void **state)
{
	expect("DATA_DIR=db1", "migrate", NULL, 0, "Migrated database from schema version 0");
	expect("DATA_DIR=db1", "migrate", NULL, 0, "up to date");
	char url[300];
	snprintf(url, sizeof(url), "sqlite:%s/db1/pixels.db", dir);
	struct store *s = NULL;
	struct err e = {0};
	int version = 0;
	assert_int_equal(store_open(url, &s, &e), 0);
	assert_int_equal(store_schema_version(s, &version, &e), 0);
	assert_true(version >= 1);
	store_close(s);
}

static void test_user_create_and_reset(void **state)
{
	const char *env = "DATA_DIR=db2";
	expect(env, "user create --email Boss@Example.com --name Boss", "s3cret-password\n", 0,
	       "Created user boss@example.com");
	expect(env, "user create --email boss@example.com --name Again", "s3cret-password\n", 1,
	       "already");
	expect(env, "user create --email x@example.com --name X", "short\n", 2, "password");
	expect(env, "user create --name X", "s3cret-password\n", 2, "--email");
	expect(env, "user create --email y@example.com --name Y --role chief", "s3cret-password\n",
	       2, "role");
	expect(env, "user reset-password --email boss@example.com", "another-password\n", 0,
	       "Password reset");
	expect(env, "user reset-password --email ghost@example.com", "another-password\n", 1,
	       "No user");
	expect(env, "user frob", NULL, 2, "usage");

	char url[300];
	snprintf(url, sizeof(url), "sqlite:%s/db2/pixels.db", dir);
	struct store *s = NULL;
	struct err e = {0};
	struct user_row u;
	bool found = false;
	assert_int_equal(store_open(url, &s, &e), 0);
	assert_int_equal(store_user_find_by_email(s, "boss@example.com", &u, &found, &e), 0);
	assert_true(found);
	assert_int_equal(u.role, USER_ROLE_OWNER);
	assert_non_null(strstr(u.password_hash, "$argon2id$"));
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_version_and_help),
	    cmocka_unit_test(test_invalid_configuration_exits_2),
	    cmocka_unit_test(test_config_masks_secrets),
	    cmocka_unit_test(test_migrate_from_empty_and_rerun),
	    cmocka_unit_test(test_user_create_and_reset),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
