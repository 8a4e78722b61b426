/* `pixels config`: the effective configuration with secrets masked, or the option table
 * as Markdown (--markdown) for docs/CONFIG.md. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_config(int argc, char **argv)
{
	struct config cfg;
	int rest = 0;
	int rc = cli_load_config(argc, argv, &cfg, &rest);
	if (rc != CLI_OK)
		return rc;
	if (rest == 1 && strcmp(argv[0], "--markdown") == 0) {
		config_print_markdown(stdout);
	} else if (rest == 0) {
		config_print(&cfg, stdout);
	} else {
		fprintf(stderr, "pixels config: unknown option '%s'\n", argv[0]);
		rc = CLI_USAGE;
	}
	config_release(&cfg);
	return rc;
}
