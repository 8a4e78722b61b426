/* `pixels migrate`: applies pending migrations to DATABASE_URL and prints the version. */
#include "cli/cli.h"

#include <stdio.h>

#include "store/store.h"

int cmd_migrate(int argc, char **argv)
{
	struct config cfg;
	int rest = 0;
	int rc = cli_load_config_with_secrets(argc, argv, &cfg, &rest);
	if (rc != CLI_OK)
		return rc;
	struct err e = {0};
	struct store *s = NULL;
	int before = 0, after = 0;
	if (rest > 0) {
		fprintf(stderr, "pixels migrate: unknown option '%s'\n", argv[0]);
		rc = CLI_USAGE;
	} else if (store_open(cfg.database_url, &s, &e) != 0 ||
	           store_schema_version(s, &before, &e) != 0 || store_migrate(s, &e) != 0 ||
	           store_schema_version(s, &after, &e) != 0) {
		cli_print_err(&e);
		rc = CLI_FAILURE;
	} else if (before == after) {
		printf("Database is up to date (schema version %d)\n", after);
	} else {
		printf("Migrated database from schema version %d to %d\n", before, after);
	}
	store_close(s);
	config_release(&cfg);
	return rc;
}
