/* The command table, help texts and shared configuration loading; see cli.h. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "core/log.h"
#include "core/sec.h"

extern char **environ;

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;
};

static int cmd_version(int argc, char **argv)
{
	printf("pixels %s\n", PIXELS_VERSION);
	return CLI_OK;
}

static int cmd_help(int argc, char **argv);

static const struct cli_command commands[] = {
    {"serve", cmd_serve, "start the API (PORT) and the dashboard (DASHBOARD_PORT)",
     "pixels serve [--port N] [--dashboard-port N] [--host ADDR] [--data-dir DIR]\n"
     "             [--web-dir web] [any option from `pixels config`]\n"
     "Applies pending migrations, then serves until SIGINT or SIGTERM.\n"
     "--web-dir serves the dashboard from disk instead of the embedded copy.\n"},
    {"migrate", cmd_migrate, "apply pending database migrations and print the version",
     "pixels migrate [--database-url URL] [--data-dir DIR]\n"},
    {"user", cmd_user, "create users and reset passwords",
     "pixels user create --email E --name N [--account ID|NAME] [--role owner|admin|agent]\n"
     "pixels user reset-password --email E\n"
     "The password is read from standard input (one line) or, on a terminal, prompted for\n"
     "twice without echo; it is never taken as an argument.\n"
     "--account: an existing account id to join (default role agent), or the name of a new\n"
     "account (default: the user's name) of which the user becomes owner.\n"
     "All sessions of the user end after reset-password.\n"},
    {"config", cmd_config, "print the effective configuration (secrets masked)",
     "pixels config [--markdown] [any option]\n"
     "--markdown prints the option table as Markdown (docs/CONFIG.md).\n"},
    {"token-test", cmd_token_test, "check that an integration token works against an API",
     "pixels token-test <integration_token> [--url URL]\n"
     "Calls GET /api/integrations/health, then GET /api/integrations/conversations?limit=5,\n"
     "with `Authorization: Bearer <token>`, and explains a refusal (expired, revoked ...).\n"
     "--url (or --url=URL) picks the API; else API_URL; else http://localhost:5050.\n"
     "Only the first 15 characters of the token are ever printed.\n"
     "Exit 0: the token works; 1: the server refused it; 2: usage error or server unreachable.\n"},
    {"meta-sim", cmd_meta_sim, "run the Meta WhatsApp Cloud API simulator (no Meta account)",
     "pixels meta-sim --app-secret S [--port 5060] [--webhook-url URL] [--verify-token T]\n"
     "                [--host 127.0.0.1] [--mps 80] [--no-window]\n"
     "Serves the Graph API endpoints Pixels uses (send, templates, media, phone number)\n"
     "under any version prefix, enforces Meta's limits and sends signed status and inbound\n"
     "webhooks to --webhook-url (none without it). --app-secret is required: it signs the\n"
     "webhooks (X-Hub-Signature-256); give it the value of Pixels' META_APP_SECRET.\n"
     "--mps: messages per second per phone number; --no-window: do not enforce the 24-hour\n"
     "customer-service window (131047). A control API under /_sim/ injects inbound messages\n"
     "and failures (docs/SIMULATOR.md). Runs until SIGINT or SIGTERM.\n"},
    {"version", cmd_version, "print the version", "pixels version\n"},
    {"help", cmd_help, "show help for a command", "pixels help [command]\n"},
    {NULL, NULL, NULL, NULL},
};

static const struct cli_command *find(const char *name)
{
	for (const struct cli_command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void print_usage(FILE *out)
{
	fprintf(out,
	        "Pixels %s: self-hosted WhatsApp Business platform\n\n"
	        "Usage: pixels <command> [options]\n\nCommands:\n",
	        PIXELS_VERSION);
	for (const struct cli_command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nRun `pixels help <command>` for details. Configuration: docs/CONFIG.md.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 0) {
		print_usage(stdout);
		return CLI_OK;
	}
	const struct cli_command *c = find(argv[0]);
	if (!c) {
		fprintf(stderr, "pixels: unknown command '%s'\n", argv[0]);
		print_usage(stderr);
		return CLI_USAGE;
	}
	printf("pixels %s: %s\n\n%s", c->name, c->summary, c->usage);
	return CLI_OK;
}

void cli_print_err(const struct err *e)
{
	fprintf(stderr, "pixels: %s\n", e->message[0] ? e->message : err_code_name(e->code));
}

int cli_load_config(int argc, char **argv, struct config *cfg, int *rest)
{
	struct err e = {0};
	if (config_load(cfg, argc, argv, rest, environ, ".env", &e) != 0) {
		cli_print_err(&e);
		return CLI_USAGE;
	}
	log_setup(cfg->debug, cfg->log_level, cfg->log_json);
	return CLI_OK;
}

int cli_load_config_with_secrets(int argc, char **argv, struct config *cfg, int *rest)
{
	int rc = cli_load_config(argc, argv, cfg, rest);
	if (rc != CLI_OK)
		return rc;
	struct err e = {0};
	if (config_ensure_secrets(cfg, &e) != 0) {
		cli_print_err(&e);
		config_release(cfg);
		return CLI_FAILURE;
	}
	return CLI_OK;
}

int cli_main(int argc, char **argv)
{
	if (sec_init() != 0) {
		fprintf(stderr, "pixels: libsodium failed to initialise\n");
		return CLI_FAILURE;
	}
	/* Once, before any thread exists: libcurl's global state is not thread-safe to set up. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "pixels: libcurl failed to initialise\n");
		return CLI_FAILURE;
	}
	if (argc < 2) {
		print_usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	const struct cli_command *c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "pixels: unknown command '%s'\n\n", argv[1]);
		print_usage(stderr);
		return CLI_USAGE;
	}
	return c->run(argc - 2, argv + 2);
}
