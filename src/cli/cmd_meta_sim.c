/* `pixels meta-sim`: runs the Meta Cloud API simulator (src/sim/) as a stand-alone server
 * until SIGINT/SIGTERM. The signals are blocked before any thread starts so only sigwait here
 * receives them. There is no default app secret: webhooks must be signed with one the
 * receiving Pixels knows. */
#include "cli/cli.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/log.h"
#include "core/str.h"
#include "sim/sim.h"

enum flag_kind { FLAG_STRING, FLAG_INT, FLAG_OFF };

/* The options: where each lands in struct sim_config and, for integers, the range. */
static const struct {
	const char *name;
	enum flag_kind kind;
	size_t offset;
	int64_t min, max;
} FLAGS[] = {
    {"--port", FLAG_INT, offsetof(struct sim_config, port), 0, 65535},
    {"--mps", FLAG_INT, offsetof(struct sim_config, default_mps), 1, 100000},
    {"--webhook-url", FLAG_STRING, offsetof(struct sim_config, webhook_url), 0, 0},
    {"--app-secret", FLAG_STRING, offsetof(struct sim_config, app_secret), 0, 0},
    {"--verify-token", FLAG_STRING, offsetof(struct sim_config, verify_token), 0, 0},
    {"--host", FLAG_STRING, offsetof(struct sim_config, host), 0, 0},
    {"--no-window", FLAG_OFF, offsetof(struct sim_config, enforce_window), 0, 0},
};

static int set_flag(size_t f, const char *value, struct sim_config *cfg)
{
	char *field = (char *)cfg + FLAGS[f].offset;
	int64_t n = 0;
	if (FLAGS[f].kind == FLAG_OFF) {
		*(bool *)(void *)field = false;
	} else if (FLAGS[f].kind == FLAG_STRING) {
		*(const char **)(void *)field = value;
	} else if (str_parse_i64(str_from(value), FLAGS[f].min, FLAGS[f].max, &n) == 0) {
		*(int *)(void *)field = (int)n;
	} else {
		fprintf(stderr, "pixels meta-sim: %s must be an integer in %lld..%lld\n",
		        FLAGS[f].name, (long long)FLAGS[f].min, (long long)FLAGS[f].max);
		return -1;
	}
	return 0;
}

/* One option at argv[*i] ("--name V", "--name=V" or a switch), advancing *i past its value;
 * 0, or -1 after printing the problem. */
static int parse_one(int argc, char **argv, int *i, struct sim_config *cfg)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	for (size_t f = 0; f < sizeof(FLAGS) / sizeof(FLAGS[0]); f++) {
		if (strlen(FLAGS[f].name) != len || strncmp(arg, FLAGS[f].name, len) != 0)
			continue;
		const char *value = eq ? eq + 1 : NULL;
		if (FLAGS[f].kind != FLAG_OFF && !value && *i + 1 < argc)
			value = argv[++*i];
		if (FLAGS[f].kind != FLAG_OFF && !value) {
			fprintf(stderr, "pixels meta-sim: missing value for %s\n", FLAGS[f].name);
			return -1;
		}
		return set_flag(f, value, cfg);
	}
	fprintf(stderr, "pixels meta-sim: unknown option '%s' (see `pixels help meta-sim`)\n", arg);
	return -1;
}

static int run(const struct sim_config *cfg)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "pixels meta-sim: libcurl failed to initialise\n");
		return CLI_FAILURE;
	}
	struct err e = {0};
	struct sim *s = NULL;
	if (sim_start(cfg, &s, &e) != 0) {
		cli_print_err(&e);
		curl_global_cleanup();
		return e.code == ERR_INVALID ? CLI_USAGE : CLI_FAILURE;
	}
	printf("Meta Cloud API simulator listening on http://%s:%d (webhooks -> %s)\n", cfg->host,
	       sim_port(s), cfg->webhook_url ? cfg->webhook_url : "none");
	fflush(stdout);
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("pixels:sim", "received %s: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	sim_stop(s);
	curl_global_cleanup();
	return CLI_OK;
}

int cmd_meta_sim(int argc, char **argv)
{
	struct sim_config cfg;
	sim_config_init(&cfg);
	cfg.port = 5060;
	log_setup(getenv("DEBUG"), LOG_LEVEL_INFO, false);
	for (int i = 0; i < argc; i++)
		if (parse_one(argc, argv, &i, &cfg) != 0)
			return CLI_USAGE;
	if (!cfg.app_secret || !*cfg.app_secret) {
		fprintf(stderr, "pixels meta-sim: --app-secret is required: it signs the webhooks "
		                "(use the META_APP_SECRET your Pixels verifies them with)\n");
		return CLI_USAGE;
	}
	return run(&cfg);
}
