/* Unit tests for config/'s files: the .env reader (lines, bad lines, through config_load)
 * and the JWT secret file in DATA_DIR (created once then reused, its mode, skipped when set,
 * errors, and two processes racing to create it). */
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
		cf_write_temp(path, content);
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
		cf_write_temp(path, content);
		struct kv kv = {0};
		struct err e = {0};
		char where[96];
		snprintf(where, sizeof(where), "%s line 4", path);
		cf_assert_invalid(dotenv_read(path, collect, &kv, &e), &e, where);
		assert_null(strstr(e.message, "supersecret"));
		assert_int_equal(kv.count, 1); /* stopped at the bad line */
		struct config cfg;
		cf_assert_invalid(cf_load(&cfg, &e, NULL, NULL, path, NULL, NULL), &e, where);
		unlink(path);
	}
}

static void test_dotenv_through_config(void **state)
{
	char path[64];
	cf_write_temp(path, "# Pixels\n"
	                    "export PORT=6000\n"
	                    "HOST = \"127.0.0.1\"  # local only\n"
	                    "DEBUG='pixels:auth,pixels:http'\n"
	                    "FRONTEND_URL=https://App.Example.com/ # dashboard\n"
	                    "JWT_SECRET=\"" SECRET_A "\"\n"
	                    "OTHER_TOOL_KEY=ignored\n"
	                    "PORT=6001\n");
	struct config cfg;
	struct err e;
	assert_int_equal(cf_load(&cfg, &e, NULL, NULL, path, NULL, NULL), 0);
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
	cf_make_temp_dir(tmp);
	snprintf(dir, sizeof(dir), "%s/nested/data", tmp);
	snprintf(file, sizeof(file), "%s/jwt_secret", dir);
	struct config cfg;
	struct err e = {0};
	cf_load_with_data_dir(&cfg, dir, NULL);
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
	cf_load_with_data_dir(&again, dir, NULL);
	th_log_capture_start();
	assert_int_equal(config_ensure_secrets(&again, &e), 0);
	log = th_log_capture_stop();
	assert_string_equal(again.jwt_secret, cfg.jwt_secret);
	assert_true(again.jwt_secret_generated);
	assert_string_equal(log, ""); /* no warning the second time */
	free(log);
	cf_remove_tree(tmp);
}

static void test_secret_file_mode_fixed(void **state)
{
	char dir[64];
	char file[96];
	cf_make_temp_dir(dir);
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
	cf_load_with_data_dir(&cfg, dir, NULL);
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
	cf_remove_tree(dir);
}

static void test_secret_set_skips_file(void **state)
{
	char dir[64];
	char file[96];
	cf_make_temp_dir(dir);
	snprintf(file, sizeof(file), "%s/jwt_secret", dir);
	struct config cfg;
	struct err e = {0};
	cf_load_with_data_dir(&cfg, dir, SECRET_A);
	assert_int_equal(config_ensure_secrets(&cfg, &e), 0);
	assert_string_equal(cfg.jwt_secret, SECRET_A);
	assert_false(cfg.jwt_secret_generated);
	assert_int_equal(access(file, F_OK), -1);
	cf_remove_tree(dir);
}

static void test_secret_errors(void **state)
{
	char dir[64];
	char path[128];
	cf_make_temp_dir(dir);
	struct config cfg;
	struct err e = {0};

	/* DATA_DIR is a file. */
	snprintf(path, sizeof(path), "%s/plain-file", dir);
	fclose(fopen(path, "w"));
	cf_load_with_data_dir(&cfg, path, NULL);
	assert_int_equal(config_ensure_secrets(&cfg, &e), ERR_INTERNAL);
	assert_string_equal(e.key, "DATA_DIR_UNUSABLE");
	assert_non_null(strstr(e.message, path));

	/* A secret file that does not hold 64 hex digits. */
	snprintf(path, sizeof(path), "%s/jwt_secret", dir);
	FILE *f = fopen(path, "w");
	fputs("not-hex-and-too-short\n", f);
	fclose(f);
	chmod(path, 0600);
	cf_load_with_data_dir(&cfg, dir, NULL);
	err_clear(&e);
	assert_int_equal(config_ensure_secrets(&cfg, &e), ERR_INTERNAL);
	assert_string_equal(e.key, "DATA_DIR_UNUSABLE");
	assert_non_null(strstr(e.message, "64 hexadecimal"));
	assert_null(strstr(e.message, "not-hex"));
	cf_remove_tree(dir);
}

static void discard_line(void *arg, const char *line, size_t len)
{
}

/* Several processes start at once on an empty DATA_DIR: all must end with the same secret. */
static void test_secret_race_ends_with_one_secret(void **state)
{
	enum { N = 8 };
	char dir[64];
	cf_make_temp_dir(dir);
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
		cf_load_with_data_dir(&cfg, dir, NULL);
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
	cf_remove_tree(dir); /* also proves no temporary files were left behind to trip it */
}

int main(void)
{
	assert_int_equal(sec_init(), 0);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dotenv_lines),
	    cmocka_unit_test(test_dotenv_bad_lines),
	    cmocka_unit_test(test_dotenv_through_config),
	    cmocka_unit_test(test_secret_created_then_reused),
	    cmocka_unit_test(test_secret_file_mode_fixed),
	    cmocka_unit_test(test_secret_set_skips_file),
	    cmocka_unit_test(test_secret_errors),
	    cmocka_unit_test(test_secret_race_ends_with_one_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
