/* Shared by the config/ unit tests (test_config*.c): config_load with arguments, an
 * environment and an optional .env file; temporary files and directories; and the check
 * that a value was refused naming its variable. */
#ifndef PIXELS_TESTS_CONFIG_FIXTURE_H
#define PIXELS_TESTS_CONFIG_FIXTURE_H

#include "config/config.h"

#define CF_MAX_ARGS 16

/* Runs config_load with args (NULL-terminated), env (NULL-terminated or NULL) and an optional
 * .env path; the remaining arguments are copied into rest (CF_MAX_ARGS entries). */
int cf_load(struct config *cfg, struct err *e, const char *const *args, const char *const *env,
            const char *dotenv, const char **rest, int *rest_argc);
int cf_load_env(struct config *cfg, struct err *e, const char *const *env);
/* Loads with DATA_DIR=dir and JWT_SECRET=jwt ("" when NULL); must succeed. */
void cf_load_with_data_dir(struct config *cfg, const char *dir, const char *jwt);
/* Writes content to a new temporary file; its path goes into path (64 bytes). */
void cf_write_temp(char *path, const char *content);
/* A new temporary directory; its path goes into path (64 bytes). */
void cf_make_temp_dir(char *path);
/* rm -rf for the small trees these tests make. */
void cf_remove_tree(const char *path);
/* rc is ERR_INVALID "CONFIG_INVALID" and the message names name. */
void cf_assert_invalid(int rc, const struct err *e, const char *name);

#endif
