/* The command line: `pixels <command> [options]`. Exit codes everywhere: 0 ok, 1 failure,
 * 2 usage or configuration error. */
#ifndef PIXELS_CLI_CLI_H
#define PIXELS_CLI_CLI_H

#include "config/config.h"

#define CLI_OK 0
#define CLI_FAILURE 1
#define CLI_USAGE 2

int cli_main(int argc, char **argv);
/* Loads the configuration for a command from .env, the environment and argv (argv[0] is the
 * first argument after the command name). Leaves the command's own arguments at the front
 * of argv, their count in *rest. Sets up logging. Prints the error and returns CLI_USAGE on
 * invalid configuration. */
int cli_load_config(int argc, char **argv, struct config *cfg, int *rest);
/* Like cli_load_config, then creates DATA_DIR and the generated secrets. */
int cli_load_config_with_secrets(int argc, char **argv, struct config *cfg, int *rest);
/* Prints "pixels: <message>" for e to stderr. */
void cli_print_err(const struct err *e);

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_config(int argc, char **argv);
/* `pixels token-test <token> [--url URL]`: exit 0 works, 1 refused, 2 usage/unreachable. */
int cmd_token_test(int argc, char **argv);
/* `pixels meta-sim --app-secret S [...]`: the Meta Cloud API simulator until SIGINT/SIGTERM;
 * exit 2 on usage errors (e.g. no --app-secret). */
int cmd_meta_sim(int argc, char **argv);

#endif
