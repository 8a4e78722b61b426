/* The option table; see options.h. To add an option: a field in struct config, a value in
 * enum config_option, one entry below; parsing, `pixels config` and docs/CONFIG.md follow
 * (then regenerate the doc with `pixels config --markdown`). */
#include "config/options.h"

#include <string.h>
#include <unistd.h>

#include "config/confval.h"
#include "core/clock.h"

enum opt_type { OPT_INT, OPT_STRING, OPT_PATH, OPT_BOOL, OPT_DURATION, OPT_SIZE, OPT_CHOICE };

struct opt {
	const char *env;
	const char *flag; /* without the leading "--" */
	enum opt_type type;
	const char *def;     /* default as text, parsed like any other value; NULL = unset */
	const char *def_doc; /* the default as docs/CONFIG.md shows it, when def is not enough */
	bool secret;         /* never printed, never put in a message */
	bool mask_url;       /* print with the URL's password masked; never put in a message */
	const char *help;
	size_t offset;              /* the field in struct config */
	size_t size;                /* OPT_STRING, OPT_PATH: capacity of the field */
	int64_t min, max;           /* OPT_INT; OPT_DURATION in ms; OPT_SIZE in bytes */
	const char *const *choices; /* OPT_CHOICE: NULL-terminated, lower case */
	void (*set_choice)(struct config *cfg, const char *choice);
	const char *(*get_choice)(const struct config *cfg);
	/* OPT_STRING: extra rule, may normalise the stored value in place; 0 or -1. */
	int (*check)(char *value);
	const char *expect; /* OPT_STRING with check: what a valid value looks like */
	void (*dynamic_default)(char *out, size_t cap); /* default computed at load time */
	/* Secrets Pixels may generate into DATA_DIR: the file name, and the bool in struct
	 * config that says it was generated. */
	const char *generated_file;
	size_t generated_offset;
};

#define FIELD(f) .offset = offsetof(struct config, f), .size = sizeof(((struct config *)0)->f)
#define MINUTE_MS INT64_C(60000)
#define DAY_MS INT64_C(86400000)
#define MIB (INT64_C(1024) * 1024)

static const char *const node_envs[] = {"development", "production", "test", NULL};
static const char *const log_formats[] = {"text", "json", NULL};
static const char *const log_levels[] = {"error", "warn", "info", "debug", NULL};

static void set_node_env(struct config *cfg, const char *choice)
{
	str_copy_cstr(cfg->node_env, sizeof(cfg->node_env), choice);
	cfg->development = strcmp(choice, "development") == 0;
}

static const char *get_node_env(const struct config *cfg)
{
	return cfg->node_env;
}

static void set_log_format(struct config *cfg, const char *choice)
{
	cfg->log_json = strcmp(choice, "json") == 0;
}

static const char *get_log_format(const struct config *cfg)
{
	return cfg->log_json ? "json" : "text";
}

static void set_log_level(struct config *cfg, const char *choice)
{
	log_level_parse(choice, &cfg->log_level);
}

static const char *get_log_level(const struct config *cfg)
{
	return log_levels[cfg->log_level];
}

static int check_host(char *value)
{
	return value[strcspn(value, " \t")] == '\0' ? 0 : -1;
}

static int check_database_url(char *value)
{
	return confval_check_database_url(value);
}

static int check_jwt_secret(char *value)
{
	return strlen(value) >= 32 ? 0 : -1;
}

/* No request waits on an HTTP thread, so a few per CPU keep them busy (docs/BENCHMARKS.md). */
static void cpu_count(char *out, size_t cap)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN) * 4;
	snprintf(out, cap, "%ld", n < 8 ? 8L : n > 64 ? 64L : n);
}

/* The table is laid out by hand, one block per option (clang-format would give each field
 * its own line). */
/* clang-format off */
static const struct opt options[CONFIG_OPTION_COUNT] = {
	[CONFIG_OPT_PORT] = {
		.env = "PORT", .flag = "port", .type = OPT_INT, .def = "5050",
		FIELD(port), .min = 0, .max = 65535,
		.help = "Port of the API and webhook listener; 0 picks a free port (used by tests).",
	},
	[CONFIG_OPT_DASHBOARD_PORT] = {
		.env = "DASHBOARD_PORT", .flag = "dashboard-port", .type = OPT_INT, .def = "3000",
		FIELD(dashboard_port), .min = 0, .max = 65535,
		.help = "Port of the dashboard listener.",
	},
	[CONFIG_OPT_HOST] = {
		.env = "HOST", .flag = "host", .type = OPT_STRING, .def = "0.0.0.0",
		FIELD(host), .check = check_host,
		.expect = "a bind address such as 0.0.0.0 or 127.0.0.1",
		.help = "Address both listeners bind to; `127.0.0.1` keeps Pixels local.",
	},
	[CONFIG_OPT_DATA_DIR] = {
		.env = "DATA_DIR", .flag = "data-dir", .type = OPT_PATH, .def = "./data",
		FIELD(data_dir),
		.help = "Directory for the SQLite database and the generated JWT secret; created "
			"with mode 0700 when missing.",
	},
	[CONFIG_OPT_DATABASE_URL] = {
		.env = "DATABASE_URL", .flag = "database-url", .type = OPT_STRING,
		.def_doc = "`sqlite:$DATA_DIR/pixels.db`", .mask_url = true,
		FIELD(database_url), .check = check_database_url,
		.expect = "sqlite:PATH, postgres://user:password@host:port/dbname or postgresql://...",
		.help = "Where data is stored: `sqlite:PATH` or `postgres://user:password@host/dbname` "
			"(also `postgresql://`; the PostgreSQL backend is not built yet). The password "
			"is masked when printed.",
	},
	[CONFIG_OPT_JWT_SECRET] = {
		.env = "JWT_SECRET", .flag = "jwt-secret", .type = OPT_STRING, .secret = true,
		.def_doc = "unset (generated)",
		FIELD(jwt_secret), .check = check_jwt_secret, .generated_file = "jwt_secret",
		.generated_offset = offsetof(struct config, jwt_secret_generated),
		.expect = "at least 32 characters; generate one with `openssl rand -hex 32`, or leave "
			  "JWT_SECRET unset to let Pixels generate one",
		.help = "Key that signs dashboard sessions, at least 32 characters (`openssl rand -hex "
			"32`). When unset, Pixels generates one and keeps it in `DATA_DIR/jwt_secret` "
			"(mode 0600). Never printed.",
	},
	[CONFIG_OPT_JWT_EXPIRES_IN] = {
		.env = "JWT_EXPIRES_IN", .flag = "jwt-expires-in", .type = OPT_DURATION, .def = "24h",
		FIELD(jwt_expires_ms), .min = MINUTE_MS, .max = 30 * DAY_MS,
		.help = "How long a dashboard session stays valid.",
	},
	[CONFIG_OPT_NODE_ENV] = {
		.env = "NODE_ENV", .flag = "node-env", .type = OPT_CHOICE, .def = "production",
		.choices = node_envs, .set_choice = set_node_env, .get_choice = get_node_env,
		.help = "`development` adds debug detail and turns on `DEBUG=pixels:*` unless DEBUG "
			"is set.",
	},
	[CONFIG_OPT_FRONTEND_URL] = {
		.env = "FRONTEND_URL", .flag = "frontend-url", .type = OPT_STRING,
		FIELD(frontend_url), .check = confval_normalize_origin,
		.expect = "an origin such as https://app.example.com or http://localhost:5173 "
			  "(scheme, host, optional port; no path or query)",
		.help = "Extra origin allowed to call the API from a browser (CORS), such as "
			"`https://app.example.com`: scheme, host and optional port only.",
	},
	[CONFIG_OPT_DEBUG] = {
		.env = "DEBUG", .flag = "debug", .type = OPT_STRING,
		.def_doc = "unset (`pixels:*` when NODE_ENV is `development`)",
		FIELD(debug),
		.help = "Namespaces whose debug lines are logged, comma-separated: `pixels:*`, "
			"`pixels:auth,pixels:http`; a leading `-` excludes one.",
	},
	[CONFIG_OPT_LOG_FORMAT] = {
		.env = "LOG_FORMAT", .flag = "log-format", .type = OPT_CHOICE, .def = "text",
		.choices = log_formats, .set_choice = set_log_format, .get_choice = get_log_format,
		.help = "`text` lines for people, `json` lines for log collectors.",
	},
	[CONFIG_OPT_LOG_LEVEL] = {
		.env = "LOG_LEVEL", .flag = "log-level", .type = OPT_CHOICE, .def = "info",
		.choices = log_levels, .set_choice = set_log_level, .get_choice = get_log_level,
		.help = "Least severe level logged; debug lines are chosen with DEBUG.",
	},
	[CONFIG_OPT_MAX_BODY_BYTES] = {
		.env = "MAX_BODY_BYTES", .flag = "max-body-bytes", .type = OPT_SIZE,
		.def = "1048576", .def_doc = "`1048576` (1 MiB)",
		FIELD(max_body_bytes), .min = 1024, .max = 64 * MIB,
		.help = "Largest request body accepted; larger requests get 413.",
	},
	[CONFIG_OPT_ALLOW_SIGNUP] = {
		.env = "ALLOW_SIGNUP", .flag = "allow-signup", .type = OPT_BOOL, .def = "false",
		FIELD(allow_signup),
		.help = "Let anybody create an account. While no user exists the first account can "
			"always be created; this keeps sign-up open afterwards.",
	},
	[CONFIG_OPT_HTTP_THREADS] = {
		.env = "HTTP_THREADS", .flag = "http-threads", .type = OPT_INT,
		.dynamic_default = cpu_count, .def_doc = "4 x CPUs (8 to 64)",
		FIELD(http_threads), .min = 1, .max = 64,
		.help = "Worker threads per HTTP listener. None waits: sends are suspended until "
			"their answer, slow calls run on BLOCKING_THREADS (docs/BENCHMARKS.md).",
	},
	[CONFIG_OPT_BLOCKING_THREADS] = {
		.env = "BLOCKING_THREADS", .flag = "blocking-threads", .type = OPT_INT, .def = "16",
		FIELD(blocking_threads), .min = 1, .max = 256,
		.help = "Threads for requests that wait on something slow (calls to Meta: media, "
			"read receipts, number tests, templates; password hashing; broadcast "
			"uploads), so the HTTP threads keep serving others. Extra ones queue.",
	},
	[CONFIG_OPT_LOGIN_MAX_FAILURES] = {
		.env = "LOGIN_MAX_FAILURES", .flag = "login-max-failures", .type = OPT_INT, .def = "5",
		FIELD(login_max_failures), .min = 1, .max = 1000,
		.help = "Failed logins per email address within LOGIN_LOCKOUT_WINDOW before further "
			"attempts get 429.",
	},
	[CONFIG_OPT_LOGIN_IP_MAX_FAILURES] = {
		.env = "LOGIN_IP_MAX_FAILURES", .flag = "login-ip-max-failures", .type = OPT_INT,
		.def = "20",
		FIELD(login_ip_max_failures), .min = 1, .max = 100000,
		.help = "Failed logins per client IP address within LOGIN_LOCKOUT_WINDOW before "
			"further attempts get 429.",
	},
	[CONFIG_OPT_LOGIN_LOCKOUT_WINDOW] = {
		.env = "LOGIN_LOCKOUT_WINDOW", .flag = "login-lockout-window", .type = OPT_DURATION,
		.def = "15m",
		FIELD(login_window_ms), .min = 1000, .max = 7 * DAY_MS,
		.help = "Window in which failed logins are counted.",
	},
	[CONFIG_OPT_PASSWORD_HASH_CONCURRENCY] = {
		.env = "PASSWORD_HASH_CONCURRENCY", .flag = "password-hash-concurrency",
		.type = OPT_INT, .def = "2",
		FIELD(password_hash_concurrency), .min = 1, .max = 64,
		.help = "Password hashes (argon2id, about 64 MiB of memory each) computed at once; "
			"further logins wait their turn.",
	},
	[CONFIG_OPT_WEB_DIR] = {
		.env = "WEB_DIR", .flag = "web-dir", .type = OPT_PATH, .def_doc = "unset (embedded)",
		FIELD(web_dir),
		.help = "Serve the dashboard from this directory instead of the copy embedded in the "
			"binary (for dashboard development).",
	},
	[CONFIG_OPT_INTEGRATION_TOKEN_TTL_DAYS] = {
		.env = "INTEGRATION_TOKEN_TTL_DAYS", .flag = "integration-token-ttl-days",
		.type = OPT_INT, .def = "90", FIELD(token_ttl_days), .min = 0, .max = 3650,
		.help = "Days an integration token stays valid after it is generated (the guide's "
			"rotation advice); 0 = never expires. The dashboard warns 14 days before.",
	},
	[CONFIG_OPT_INTEGRATION_RATE_LIMIT] = {
		.env = "INTEGRATION_RATE_LIMIT", .flag = "integration-rate-limit",
		.type = OPT_INT, .def = "600", FIELD(integration_rate_per_min), .min = 1,
		.max = 1000000,
		.help = "Requests per minute one integration token may make (sustained rate); "
			"beyond it: 429 RATE_LIMIT_EXCEEDED with Retry-After.",
	},
	[CONFIG_OPT_INTEGRATION_RATE_BURST] = {
		.env = "INTEGRATION_RATE_BURST", .flag = "integration-rate-burst",
		.type = OPT_INT, .def = "100", FIELD(integration_rate_burst), .min = 1,
		.max = 1000000,
		.help = "Requests one integration token may make at once above the sustained rate "
			"(token bucket size).",
	},
	[CONFIG_OPT_INTEGRATION_AUTH_MAX_FAILURES] = {
		.env = "INTEGRATION_AUTH_MAX_FAILURES", .flag = "integration-auth-max-failures",
		.type = OPT_INT, .def = "30", FIELD(integration_auth_max_failures), .min = 1,
		.max = 100000,
		.help = "Failed integration-token checks (unknown or malformed tokens) one client "
			"address may make per minute; more get 429 TOO_MANY_ATTEMPTS.",
	},
	[CONFIG_OPT_ENCRYPTION_KEY] = {
		.env = "ENCRYPTION_KEY", .flag = "encryption-key", .type = OPT_STRING, .secret = true,
		.def_doc = "unset (generated)", FIELD(encryption_key), .check = confval_check_hex_key,
		.generated_file = "encryption_key",
		.generated_offset = offsetof(struct config, encryption_key_generated),
		.expect = "64 hexadecimal characters (`openssl rand -hex 32`), or leave it unset to "
			  "let Pixels generate one",
		.help = "Key (64 hex characters) that encrypts Meta access tokens and app secrets at "
			"rest. When unset, Pixels generates one into `DATA_DIR/encryption_key` (mode "
			"0600). Independent of JWT_SECRET. Losing it means re-entering the tokens.",
	},
	[CONFIG_OPT_WHATSAPP_API_BASE_URL] = {
		.env = "WHATSAPP_API_BASE_URL", .flag = "whatsapp-api-base-url", .type = OPT_STRING,
		.def = "https://graph.facebook.com", FIELD(graph_base_url), .check = confval_check_http_url,
		.expect = "an http:// or https:// URL",
		.help = "Base URL of Meta's Graph API (the sandbox points this at the built-in "
			"simulator).",
	},
	[CONFIG_OPT_WHATSAPP_API_VERSION] = {
		.env = "WHATSAPP_API_VERSION", .flag = "whatsapp-api-version", .type = OPT_STRING,
		.def = "v21.0", FIELD(graph_version), .check = confval_check_api_version,
		.expect = "a Graph API version such as v21.0",
		.help = "Graph API version used in every request.",
	},
	[CONFIG_OPT_META_APP_SECRET] = {
		.env = "META_APP_SECRET", .flag = "meta-app-secret", .type = OPT_STRING, .secret = true,
		FIELD(meta_app_secret),
		.help = "Secret of your Meta app: webhook POSTs must carry a valid X-Hub-Signature-256 "
			"made with it (or with the receiving number's own app secret).",
	},
	[CONFIG_OPT_META_VERIFY_TOKEN] = {
		.env = "META_VERIFY_TOKEN", .flag = "meta-verify-token", .type = OPT_STRING,
		.secret = true, FIELD(meta_verify_token),
		.help = "The verify token you enter in Meta's webhook settings; Meta's GET "
			"verification must present it. Unset: verification is refused.",
	},
	[CONFIG_OPT_SEND_WAIT_MS] = {
		.env = "SEND_WAIT_MS", .flag = "send-wait-ms", .type = OPT_INT, .def = "3000",
		FIELD(send_wait_ms), .min = 0, .max = 30000,
		.help = "How long a send request waits for Meta's verdict before answering 202 "
			"queued (the message is durable either way).",
	},
	[CONFIG_OPT_ENFORCE_SERVICE_WINDOW] = {
		.env = "ENFORCE_SERVICE_WINDOW", .flag = "enforce-service-window", .type = OPT_BOOL,
		.def = "true", FIELD(enforce_service_window),
		.help = "Refuse free-form messages outside the 24-hour customer-service window up "
			"front (422); templates are always allowed.",
	},
	[CONFIG_OPT_OPT_OUT_KEYWORDS] = {
		.env = "OPT_OUT_KEYWORDS", .flag = "opt-out-keywords", .type = OPT_STRING,
		.def = "STOP,UNSUBSCRIBE", FIELD(opt_out_keywords),
		.help = "Comma-separated inbound texts (case-insensitive) that opt a contact out.",
	},
	[CONFIG_OPT_OPT_IN_KEYWORDS] = {
		.env = "OPT_IN_KEYWORDS", .flag = "opt-in-keywords", .type = OPT_STRING,
		.def = "START", FIELD(opt_in_keywords),
		.help = "Comma-separated inbound texts (case-insensitive) that opt a contact back in.",
	},
	[CONFIG_OPT_SEND_MAX_ATTEMPTS] = {
		.env = "SEND_MAX_ATTEMPTS", .flag = "send-max-attempts", .type = OPT_INT, .def = "8",
		FIELD(send_max_attempts), .min = 1, .max = 100,
		.help = "Attempts for a message Meta refuses with a retryable error before it is "
			"marked failed.",
	},
	[CONFIG_OPT_SEND_MAX_AGE] = {
		.env = "SEND_MAX_AGE", .flag = "send-max-age", .type = OPT_DURATION, .def = "24h",
		FIELD(send_max_age_ms), .min = MINUTE_MS, .max = 7 * DAY_MS,
		.help = "A message still not accepted this long after it was queued is marked failed.",
	},
	[CONFIG_OPT_DISPATCH_IN_FLIGHT] = {
		.env = "DISPATCH_IN_FLIGHT", .flag = "dispatch-in-flight", .type = OPT_INT,
		.def = "256", FIELD(dispatch_in_flight), .min = 1, .max = 4096,
		.help = "Send requests to Meta in flight at once (all numbers together).",
	},
	[CONFIG_OPT_SANDBOX] = {
		.env = "SANDBOX", .flag = "sandbox", .type = OPT_BOOL, .def = "false", FIELD(sandbox),
		.help = "Run the built-in Cloud API simulator inside the server and give every "
			"account a \"Sandbox\" number wired to it: send and receive end to end "
			"without a Meta account (`make run` uses it).",
	},
	[CONFIG_OPT_MESSAGING_LIMIT_PER_DAY] = {
		.env = "MESSAGING_LIMIT_PER_DAY", .flag = "messaging-limit-per-day", .type = OPT_INT,
		.def = "1000", FIELD(messaging_limit_per_day), .min = 0, .max = 100000000,
		.help = "The account's Meta messaging limit: unique customers a day reached by "
			"business-initiated (template) messages (Meta's tiers: 250, 1000, 10000, "
			"100000; 0 = unlimited). A broadcast that would pass it is refused.",
	},
	[CONFIG_OPT_BROADCAST_MAX_BODY_BYTES] = {
		.env = "BROADCAST_MAX_BODY_BYTES", .flag = "broadcast-max-body-bytes",
		.type = OPT_SIZE, .def = "33554432", .def_doc = "`33554432` (32 MiB)",
		FIELD(broadcast_max_body_bytes), .min = 1024, .max = 512 * MIB,
		.help = "Largest broadcast request (JSON recipient list or CSV upload).",
	},
};
/* clang-format on */

const char *options_env(enum config_option opt)
{
	return options[opt].env;
}

const char *options_flag(enum config_option opt)
{
	return options[opt].flag;
}

int options_find_env(struct str name)
{
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++)
		if (str_eq_cstr(name, options[i].env))
			return i;
	return -1;
}

int options_find_flag(struct str name)
{
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++)
		if (str_eq_cstr(name, options[i].flag))
			return i;
	return -1;
}

bool options_is_bool(enum config_option opt)
{
	return options[opt].type == OPT_BOOL;
}

bool options_default(enum config_option opt, char *out, size_t cap)
{
	const struct opt *o = &options[opt];
	if (o->dynamic_default) {
		o->dynamic_default(out, cap);
		return true;
	}
	if (!o->def)
		return false;
	str_copy_cstr(out, cap, o->def);
	return true;
}
/* ---- parsing ---------------------------------------------------------------------------- */

/* What a valid value of o looks like; q quotes literals ("`" in Markdown, "" in messages). */
static void describe(const struct opt *o, const char *q, char *out, size_t cap)
{
	char lo[32];
	char hi[32];
	switch (o->type) {
	case OPT_INT:
		snprintf(out, cap, "an integer from %lld to %lld", (long long)o->min,
		         (long long)o->max);
		break;
	case OPT_DURATION:
		confval_format_duration(o->min, lo, sizeof(lo));
		confval_format_duration(o->max, hi, sizeof(hi));
		snprintf(
		    out, cap,
		    "a duration such as %s30s%s, %s15m%s, %s24h%s, %s7d%s or plain seconds, from "
		    "%s%s%s to %s%s%s",
		    q, q, q, q, q, q, q, q, q, lo, q, q, hi, q);
		break;
	case OPT_SIZE:
		confval_format_size(o->min, lo, sizeof(lo));
		confval_format_size(o->max, hi, sizeof(hi));
		snprintf(
		    out, cap,
		    "bytes, or a number with a %sk%s or %sm%s suffix (KiB, MiB), from %s%s%s to "
		    "%s%s%s",
		    q, q, q, q, q, lo, q, q, hi, q);
		break;
	case OPT_BOOL:
		snprintf(out, cap, "%strue%s or %sfalse%s (also 1/0, yes/no, on/off)", q, q, q, q);
		break;
	case OPT_CHOICE: {
		size_t n = (size_t)snprintf(out, cap, "one of");
		for (size_t i = 0; o->choices[i] && n < cap; i++)
			n += (size_t)snprintf(out + n, cap - n, "%s %s%s%s", i ? "," : "", q,
			                      o->choices[i], q);
		break;
	}
	default:
		snprintf(out, cap, "%s", o->expect ? o->expect : "text");
		break;
	}
}

/* Printable UTF-8 without control characters: safe to store, print and echo. */
static bool is_plain_text(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return str_is_clean_utf8(str_from(s));
}

/* The length and form were checked by options_apply. */
static int apply_string(struct config *cfg, const struct opt *o, const char *text)
{
	char *field = (char *)cfg + o->offset;
	if (str_copy_cstr(field, o->size, text) != 0)
		return -1;
	return o->check ? o->check(field) : 0;
}

static int apply_choice(struct config *cfg, const struct opt *o, const char *text)
{
	for (size_t i = 0; o->choices[i]; i++) {
		if (str_eq_nocase(str_from(text), o->choices[i])) {
			o->set_choice(cfg, o->choices[i]);
			return 0;
		}
	}
	return -1;
}

/* Parses text into the field of o; 0 or -1 (options_apply reports). */
static int apply(struct config *cfg, const struct opt *o, const char *text)
{
	void *field = (char *)cfg + o->offset;
	int64_t v;
	switch (o->type) {
	case OPT_INT:
		if (str_parse_i64(str_from(text), o->min, o->max, &v) != 0)
			return -1;
		*(int *)field = (int)v;
		return 0;
	case OPT_DURATION:
		if (clock_parse_duration_ms(text, &v) != 0 || v < o->min || v > o->max)
			return -1;
		*(int64_t *)field = v;
		return 0;
	case OPT_SIZE:
		if (confval_parse_size(text, o->min, o->max, &v) != 0)
			return -1;
		*(size_t *)field = (size_t)v;
		return 0;
	case OPT_BOOL:
		return str_parse_bool(str_from(text), (bool *)field);
	case OPT_CHOICE:
		return apply_choice(cfg, o, text);
	default:
		return apply_string(cfg, o, text);
	}
}

int options_apply(struct config *cfg, enum config_option opt, const char *text, const char *origin,
                  struct err *e)
{
	const struct opt *o = &options[opt];
	bool is_string = o->type == OPT_STRING || o->type == OPT_PATH;
	if (is_string && (strlen(text) >= o->size || !is_plain_text(text)))
		return err_set(
		    e, ERR_INVALID, "CONFIG_INVALID",
		    "Invalid %s (from %s): expected at most %zu characters of text without "
		    "control characters",
		    o->env, origin, o->size - 1);
	if (apply(cfg, o, text) == 0)
		return 0;
	char expect[256];
	describe(o, "", expect, sizeof(expect));
	/* Strings are never echoed (secrets; URLs may embed passwords), nor unprintable text. */
	if (is_string || !is_plain_text(text))
		return err_set(e, ERR_INVALID, "CONFIG_INVALID",
		               "Invalid %s (from %s): expected %s", o->env, origin, expect);
	return err_set(e, ERR_INVALID, "CONFIG_INVALID",
	               "Invalid %s (from %s): expected %s, got \"%.40s\"", o->env, origin, expect,
	               text);
}

/* ---- showing ---------------------------------------------------------------------------- */

/* A secret shows as masked, or, when Pixels generated it, where it is kept. */
static void show_secret(const struct config *cfg, const struct opt *o, const char *value, char *out,
                        size_t cap)
{
	bool generated =
	    o->generated_file && *(const bool *)((const char *)cfg + o->generated_offset);
	if (generated)
		snprintf(out, cap, "(generated, stored in %s/%s)", cfg->data_dir,
		         o->generated_file);
	else
		snprintf(out, cap, "%s", value[0] ? "********" : "(unset)");
}

void options_show(const struct config *cfg, enum config_option opt, char *out, size_t cap)
{
	const struct opt *o = &options[opt];
	const void *field = (const char *)cfg + o->offset;
	switch (o->type) {
	case OPT_INT:
		snprintf(out, cap, "%d", *(const int *)field);
		break;
	case OPT_DURATION:
		confval_format_duration(*(const int64_t *)field, out, cap);
		break;
	case OPT_SIZE:
		snprintf(out, cap, "%zu", *(const size_t *)field);
		break;
	case OPT_BOOL:
		snprintf(out, cap, "%s", *(const bool *)field ? "true" : "false");
		break;
	case OPT_CHOICE:
		snprintf(out, cap, "%s", o->get_choice(cfg));
		break;
	default:
		if (o->secret)
			show_secret(cfg, o, field, out, cap);
		else if (o->mask_url)
			confval_mask_url(field, out, cap);
		else
			snprintf(out, cap, "%s", (const char *)field);
		break;
	}
}

void options_print_markdown_row(enum config_option opt, FILE *out)
{
	const struct opt *o = &options[opt];
	char def[128];
	char accepts[300] = "";
	if (o->def_doc)
		snprintf(def, sizeof(def), "%s", o->def_doc);
	else if (o->def)
		snprintf(def, sizeof(def), "`%s`", o->def);
	else
		snprintf(def, sizeof(def), "unset");
	/* Strings explain their form in the help text; the others get it generated. */
	if (o->type != OPT_STRING && o->type != OPT_PATH) {
		char what[256];
		describe(o, "`", what, sizeof(what));
		snprintf(accepts, sizeof(accepts), " Accepts %s.", what);
	}
	fprintf(out, "| `%s` | `--%s` | %s | %s%s |\n", o->env, o->flag, def, o->help, accepts);
}
