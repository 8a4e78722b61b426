/* Configuration: one option table (config.c) drives parsing, validation, `pixels config`
 * output with secrets masked, and docs/CONFIG.md. Sources, later wins: defaults < `.env` in
 * the working directory < environment < command-line flags (`--port 5050` or `--port=5050`).
 * Invalid values stop start-up with one precise message and exit code 2. A loaded config is
 * immutable and owned by struct app. */
#ifndef PIXELS_CONFIG_CONFIG_H
#define PIXELS_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/log.h"

#define CONFIG_PATH_MAX 1024
#define CONFIG_SECRET_MAX 256

/* The options, in table order (the order of `pixels config` and docs/CONFIG.md). */
enum config_option {
	CONFIG_OPT_PORT,
	CONFIG_OPT_DASHBOARD_PORT,
	CONFIG_OPT_HOST,
	CONFIG_OPT_DATA_DIR,
	CONFIG_OPT_DATABASE_URL,
	CONFIG_OPT_JWT_SECRET,
	CONFIG_OPT_JWT_EXPIRES_IN,
	CONFIG_OPT_NODE_ENV,
	CONFIG_OPT_FRONTEND_URL,
	CONFIG_OPT_DEBUG,
	CONFIG_OPT_LOG_FORMAT,
	CONFIG_OPT_LOG_LEVEL,
	CONFIG_OPT_MAX_BODY_BYTES,
	CONFIG_OPT_ALLOW_SIGNUP,
	CONFIG_OPT_HTTP_THREADS,
	CONFIG_OPT_BLOCKING_THREADS,
	CONFIG_OPT_LOGIN_MAX_FAILURES,
	CONFIG_OPT_LOGIN_IP_MAX_FAILURES,
	CONFIG_OPT_LOGIN_LOCKOUT_WINDOW,
	CONFIG_OPT_PASSWORD_HASH_CONCURRENCY,
	CONFIG_OPT_WEB_DIR,
	CONFIG_OPT_INTEGRATION_TOKEN_TTL_DAYS,
	CONFIG_OPT_INTEGRATION_RATE_LIMIT,
	CONFIG_OPT_INTEGRATION_RATE_BURST,
	CONFIG_OPT_INTEGRATION_AUTH_MAX_FAILURES,
	CONFIG_OPT_ENCRYPTION_KEY,
	CONFIG_OPT_WHATSAPP_API_BASE_URL,
	CONFIG_OPT_WHATSAPP_API_VERSION,
	CONFIG_OPT_META_APP_SECRET,
	CONFIG_OPT_META_VERIFY_TOKEN,
	CONFIG_OPT_SEND_WAIT_MS,
	CONFIG_OPT_ENFORCE_SERVICE_WINDOW,
	CONFIG_OPT_OPT_OUT_KEYWORDS,
	CONFIG_OPT_OPT_IN_KEYWORDS,
	CONFIG_OPT_SEND_MAX_ATTEMPTS,
	CONFIG_OPT_SEND_MAX_AGE,
	CONFIG_OPT_DISPATCH_IN_FLIGHT,
	CONFIG_OPT_SANDBOX,
	CONFIG_OPT_MESSAGING_LIMIT_PER_DAY,
	CONFIG_OPT_BROADCAST_MAX_BODY_BYTES,
	CONFIG_OPTION_COUNT
};

/* Where an option's effective value came from; derived values (DATABASE_URL from DATA_DIR,
 * DEBUG in development) count as the default. */
enum config_source {
	CONFIG_SOURCE_DEFAULT,
	CONFIG_SOURCE_DOTENV,
	CONFIG_SOURCE_ENV,
	CONFIG_SOURCE_FLAG
};

struct config {
	int port;                           /* PORT: API listener, 0 = ephemeral (tests) */
	int dashboard_port;                 /* DASHBOARD_PORT */
	char host[256];                     /* HOST: bind address */
	char data_dir[CONFIG_PATH_MAX];     /* DATA_DIR */
	char database_url[CONFIG_PATH_MAX]; /* DATABASE_URL; filled from DATA_DIR when unset */
	char jwt_secret[CONFIG_SECRET_MAX]; /* JWT_SECRET; "" until config_ensure_secrets */
	bool jwt_secret_generated;          /* true when read from/created in DATA_DIR */
	int64_t jwt_expires_ms;             /* JWT_EXPIRES_IN, e.g. "24h" */
	char node_env[32];                  /* NODE_ENV: development|production|test */
	bool development;                   /* NODE_ENV=development: debug detail on */
	char frontend_url[512];             /* FRONTEND_URL: extra allowed CORS origin ("" none) */
	char debug[512];                    /* DEBUG namespaces */
	bool log_json;                      /* LOG_FORMAT=json */
	enum log_level log_level;           /* LOG_LEVEL */
	size_t max_body_bytes;              /* MAX_BODY_BYTES */
	bool allow_signup;                  /* ALLOW_SIGNUP */
	int http_threads;                   /* HTTP_THREADS: libmicrohttpd pool per listener */
	int blocking_threads;               /* BLOCKING_THREADS: the API's blocking pool */
	int login_max_failures;        /* LOGIN_MAX_FAILURES: per email in the window, then 429 */
	int login_ip_max_failures;     /* LOGIN_IP_MAX_FAILURES: per client IP in the window */
	int64_t login_window_ms;       /* LOGIN_LOCKOUT_WINDOW */
	int password_hash_concurrency; /* PASSWORD_HASH_CONCURRENCY: argon2id runs at once */
	char web_dir[CONFIG_PATH_MAX]; /* --web-dir: serve the dashboard from disk ("" embedded) */
	int token_ttl_days;            /* INTEGRATION_TOKEN_TTL_DAYS: 0 = never expires */
	int integration_rate_per_min;  /* INTEGRATION_RATE_LIMIT: requests/minute per token */
	int integration_rate_burst;    /* INTEGRATION_RATE_BURST */
	int integration_auth_max_failures; /* INTEGRATION_AUTH_MAX_FAILURES: per IP per minute */
	char encryption_key[CONFIG_SECRET_MAX]; /* ENCRYPTION_KEY: 64 hex; "" until ensured */
	bool encryption_key_generated;
	char graph_base_url[512];                  /* WHATSAPP_API_BASE_URL */
	char graph_version[16];                    /* WHATSAPP_API_VERSION */
	char meta_app_secret[CONFIG_SECRET_MAX];   /* META_APP_SECRET: webhook signatures */
	char meta_verify_token[CONFIG_SECRET_MAX]; /* META_VERIFY_TOKEN: webhook verification */
	int send_wait_ms;                          /* SEND_WAIT_MS */
	bool enforce_service_window;               /* ENFORCE_SERVICE_WINDOW */
	char opt_out_keywords[256];                /* OPT_OUT_KEYWORDS */
	char opt_in_keywords[256];                 /* OPT_IN_KEYWORDS */
	int send_max_attempts;                     /* SEND_MAX_ATTEMPTS */
	int64_t send_max_age_ms;                   /* SEND_MAX_AGE */
	int dispatch_in_flight;                    /* DISPATCH_IN_FLIGHT */
	bool sandbox;                              /* SANDBOX / --sandbox */
	int messaging_limit_per_day;               /* MESSAGING_LIMIT_PER_DAY, 0 = none */
	size_t broadcast_max_body_bytes;           /* BROADCAST_MAX_BODY_BYTES */
	enum config_source sources[CONFIG_OPTION_COUNT]; /* per option, indexed by config_option */
};

/* Fills cfg from the sources above. envp: NULL-terminated "KEY=VALUE" array (pass environ).
 * dotenv_path: file to read (NULL = none; missing file is fine). argv[0..argc) are the
 * arguments after the command name; recognised option flags are consumed and the rest are
 * moved to the front of argv in order, their count stored in *rest_argc, for the command to
 * parse. Errors (ERR_INVALID, key "CONFIG_INVALID"): unknown value forms, out-of-range
 * numbers, MONGODB_URI/MONGO_URI set, an option flag without its value, a .env line that
 * does not parse. Only the effective value of each option is validated, and an empty value
 * counts as not set by that source. On error cfg is zeroed. */
int config_load(struct config *cfg, int argc, char **argv, int *rest_argc, char *const *envp,
                const char *dotenv_path, struct err *e);
/* Creates DATA_DIR (mode 0700) if needed and, when JWT_SECRET is unset, reads or creates
 * $DATA_DIR/jwt_secret (64 random hex characters, mode 0600) and logs a warning once.
 * Errors: ERR_INTERNAL "DATA_DIR_UNUSABLE" with the path and reason. */
int config_ensure_secrets(struct config *cfg, struct err *e);
/* Prints the effective configuration, one `NAME=value  # source` line per option in table
 * order, secrets masked as "********" (or "(generated, stored in DATA_DIR/jwt_secret)" with
 * the real path, or "(unset)"), and the password in a postgres DATABASE_URL as "****". */
void config_print(const struct config *cfg, FILE *out);
/* Prints the option table as Markdown: the body of docs/CONFIG.md. */
void config_print_markdown(FILE *out);
/* Environment name ("DASHBOARD_PORT") and flag without dashes ("dashboard-port") of option
 * opt. Static strings. */
const char *config_option_env(enum config_option opt);
const char *config_option_flag(enum config_option opt);
/* "default", ".env", "environment" or "flag". Static string. */
const char *config_source_name(enum config_source source);
/* Zeroes the secrets held in cfg. */
void config_release(struct config *cfg);

#endif
