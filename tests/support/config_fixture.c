/* Config test fixture; see config_fixture.h. */
#include "config_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cf_load(struct config *cfg, struct err *e, const char *const *args, const char *const *env,
            const char *dotenv, const char **rest, int *rest_argc)
{
	char *argv[CF_MAX_ARGS + 1] = {0};
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

int cf_load_env(struct config *cfg, struct err *e, const char *const *env)
{
	return cf_load(cfg, e, NULL, env, NULL, NULL, NULL);
}

void cf_load_with_data_dir(struct config *cfg, const char *dir, const char *jwt)
{
	char data_dir[128];
	char secret[128];
	snprintf(data_dir, sizeof(data_dir), "DATA_DIR=%s", dir);
	snprintf(secret, sizeof(secret), "JWT_SECRET=%s", jwt ? jwt : "");
	const char *env[] = {data_dir, secret, NULL};
	struct err e;
	assert_int_equal(cf_load_env(cfg, &e, env), 0);
}

void cf_write_temp(char *path, const char *content)
{
	snprintf(path, 64, "/tmp/pixels-env-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t len = strlen(content);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}

void cf_make_temp_dir(char *path)
{
	snprintf(path, 64, "/tmp/pixels-cfg-XXXXXX");
	assert_non_null(mkdtemp(path));
}

void cf_remove_tree(const char *path)
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
		cf_remove_tree(child);
	}
	if (d)
		closedir(d);
	assert_int_equal(remove(path), 0);
}

void cf_assert_invalid(int rc, const struct err *e, const char *name)
{
	assert_int_equal(rc, ERR_INVALID);
	assert_string_equal(e->key, "CONFIG_INVALID");
	if (!strstr(e->message, name))
		fail_msg("message does not name %s: %s", name, e->message);
}
