/* `pixels user create|reset-password`: user administration from the shell. Passwords come
 * from standard input or a no-echo prompt, never from arguments (they would show in `ps`
 * and shell history). */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "core/sec.h"
#include "svc/accounts.h"

#define CLI_PASSWORD_MAX 1100

struct user_args {
	const char *email, *name, *account, *role;
};

static int parse_args(int argc, char **argv, struct user_args *a)
{
	for (int i = 0; i < argc; i++) {
		const char **slot = NULL;
		if (strcmp(argv[i], "--email") == 0)
			slot = &a->email;
		else if (strcmp(argv[i], "--name") == 0)
			slot = &a->name;
		else if (strcmp(argv[i], "--account") == 0)
			slot = &a->account;
		else if (strcmp(argv[i], "--role") == 0)
			slot = &a->role;
		if (!slot || i + 1 >= argc) {
			fprintf(stderr, "pixels user: %s '%s' (see `pixels help user`)\n",
			        slot ? "missing value for" : "unknown option", argv[i]);
			return CLI_USAGE;
		}
		*slot = argv[++i];
	}
	return CLI_OK;
}

static int read_line(FILE *in, char *out, size_t cap)
{
	if (!fgets(out, (int)cap, in))
		return -1;
	size_t len = strlen(out);
	if (len > 0 && out[len - 1] != '\n' && !feof(in))
		return -1; /* longer than cap */
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return 0;
}

static int prompt(const char *label, char *out, size_t cap)
{
	struct termios old, quiet;
	fprintf(stderr, "%s", label);
	tcgetattr(STDIN_FILENO, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	int rc = read_line(stdin, out, cap);
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fprintf(stderr, "\n");
	return rc;
}

/* Fills pw from a terminal prompt (asked twice) or one line of standard input. */
static int read_password(char *pw, size_t cap)
{
	if (!isatty(STDIN_FILENO)) {
		if (read_line(stdin, pw, cap) != 0) {
			fprintf(stderr, "pixels user: expected the password on standard input\n");
			return CLI_USAGE;
		}
		return CLI_OK;
	}
	char again[CLI_PASSWORD_MAX];
	int rc = CLI_OK;
	if (prompt("Password: ", pw, cap) != 0 || prompt("Repeat password: ", again, cap) != 0) {
		rc = CLI_USAGE;
	} else if (strcmp(pw, again) != 0) {
		fprintf(stderr, "pixels user: the passwords do not match\n");
		rc = CLI_USAGE;
	}
	sec_zero(again, sizeof(again));
	return rc;
}

static int run(struct config *cfg, const char *sub, const struct user_args *a, const char *password)
{
	struct err e = {0};
	struct app *app = NULL;
	struct ctx *c = NULL;
	int rc = app_new(cfg, NULL, &app, &e);
	if (rc == 0)
		c = app_ctx(app, &e);
	if (rc == 0 && c && strcmp(sub, "create") == 0) {
		struct user_create_cmd cmd = {a->email, a->name, password, a->account, a->role};
		struct user_row u;
		struct account_row acct;
		rc = accounts_create_user(c, &cmd, &u, &acct, &e);
		if (rc == 0)
			printf("Created user %s (%s, role %s) in account \"%s\" (%s)\n", u.email,
			       u.id, store_user_role_name(u.role), acct.name, acct.id);
	} else if (rc == 0 && c) {
		rc = accounts_reset_password(c, a->email, password, &e);
		if (rc == 0)
			printf("Password reset for %s; all of their sessions were ended\n",
			       a->email);
	}
	if (rc != 0 || !c)
		cli_print_err(&e);
	app_free(app);
	if (rc == 0 && c)
		return CLI_OK;
	return e.code == ERR_INVALID ? CLI_USAGE : CLI_FAILURE;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 1 ||
	    (strcmp(argv[0], "create") != 0 && strcmp(argv[0], "reset-password") != 0)) {
		fprintf(stderr,
		        "usage: pixels user create|reset-password ... (see `pixels help user`)\n");
		return CLI_USAGE;
	}
	const char *sub = argv[0];
	struct config cfg;
	int rest = 0;
	int rc = cli_load_config_with_secrets(argc - 1, argv + 1, &cfg, &rest);
	if (rc != CLI_OK)
		return rc;
	struct user_args a = {0};
	char password[CLI_PASSWORD_MAX] = "";
	rc = parse_args(rest, argv + 1, &a);
	if (rc == CLI_OK && (!a.email || (strcmp(sub, "create") == 0 && !a.name))) {
		fprintf(stderr, "pixels user %s: --email%s required\n", sub,
		        strcmp(sub, "create") == 0 ? " and --name are" : " is");
		rc = CLI_USAGE;
	}
	if (rc == CLI_OK)
		rc = read_password(password, sizeof(password));
	if (rc == CLI_OK)
		rc = run(&cfg, sub, &a, password);
	sec_zero(password, sizeof(password));
	config_release(&cfg);
	return rc;
}
