/* Unit tests for printing the configuration: secrets masked, unset and generated values, URL
 * credentials masked, and docs/CONFIG.md holding exactly what config_print_markdown prints. */
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
	assert_int_equal(cf_load(&cfg, &e, args, env, NULL, NULL, NULL), 0);
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
	cf_make_temp_dir(dir);
	struct config cfg;
	cf_load_with_data_dir(&cfg, dir, NULL);
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
	cf_remove_tree(dir);
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
	    strstr(table, "| `HTTP_THREADS` | `--http-threads` | 4 x CPUs (8 to 64) |"));

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
	    cmocka_unit_test(test_print_masks_secrets),
	    cmocka_unit_test(test_print_unset_and_generated_secret),
	    cmocka_unit_test(test_mask_url),
	    cmocka_unit_test(test_markdown_doc_in_sync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
