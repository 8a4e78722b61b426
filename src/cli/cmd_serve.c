/* `pixels serve`: migrate, listen on both ports, print where, serve until SIGINT/SIGTERM.
 * The signals are blocked before any thread starts so only sigwait here receives them. */
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/log.h"

static const char *display_host(const char *host)
{
	if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0 || host[0] == '\0')
		return "localhost";
	return host;
}

static int serve(struct config *cfg)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct err e = {0};
	struct app *app = NULL;
	if (app_new(cfg, NULL, &app, &e) != 0 || app_start(app, &e) != 0) {
		cli_print_err(&e);
		app_free(app);
		return CLI_FAILURE;
	}
	const char *host = display_host(cfg->host);
	bool v6 = strchr(host, ':') != NULL;
	printf("Pixels %s is running\n", PIXELS_VERSION);
	printf("Dashboard: http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "",
	       app_dashboard_port(app));
	printf("API: http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "", app_api_port(app));
	fflush(stdout);
	log_info("pixels:serve", "listening: api port %d, dashboard port %d, database %s",
	         app_api_port(app), app_dashboard_port(app),
	         strncmp(cfg->database_url, "sqlite:", 7) == 0 ? cfg->database_url : "postgres");
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("pixels:serve", "received %s: shutting down",
	         sig == SIGINT ? "SIGINT" : "SIGTERM");
	app_free(app);
	return CLI_OK;
}

int cmd_serve(int argc, char **argv)
{
	struct config cfg;
	int rest = 0;
	int rc = cli_load_config_with_secrets(argc, argv, &cfg, &rest);
	if (rc != CLI_OK)
		return rc;
	if (rest > 0) {
		fprintf(stderr, "pixels serve: unknown option '%s' (see `pixels help serve`)\n",
		        argv[0]);
		config_release(&cfg);
		return CLI_USAGE;
	}
	rc = serve(&cfg);
	config_release(&cfg);
	return rc;
}
