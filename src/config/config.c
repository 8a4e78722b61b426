/* Configuration; see config.h. Loading runs in two steps: collect the winning text of each
 * option from .env, environment and flags (later wins; nothing is parsed yet), then parse and
 * validate each winner once through the option table (options.c), then derive the values that
 * depend on others (DATABASE_URL from DATA_DIR, DEBUG in development). */
#include "config/config.h"

#include <string.h>

#include "config/datadir.h"
#include "config/dotenv.h"
#include "config/options.h"
#include "core/sec.h"
#include "core/str.h"
#include "core/xalloc.h"

struct raw {
	const char *text; /* winning value; NULL = not set by any source */
	enum config_source source;
	int line; /* .env line number */
};

struct loader {
	struct raw raw[CONFIG_OPTION_COUNT];
	char *owned[CONFIG_OPTION_COUNT]; /* copies of .env values; zeroed and freed at the end */
	const char *dotenv_path;
	struct err *e;
};

static bool is_mongo_key(struct str key)
{
	return str_eq_cstr(key, "MONGODB_URI") || str_eq_cstr(key, "MONGO_URI");
}

/* The value is never echoed: a Mongo URI usually carries a password. */
static int mongo_error(struct err *e, struct str key, const char *origin)
{
	return err_set(e, ERR_INVALID, "CONFIG_INVALID",
	               "%.*s (%s): Pixels does not use MongoDB; it stores data in SQLite (default "
	               "sqlite:$DATA_DIR/pixels.db) or PostgreSQL. Remove %.*s; to choose the "
	               "database, set DATABASE_URL=sqlite:/path/to/pixels.db or "
	               "postgres://user@host/dbname",
	               (int)key.len, key.ptr, origin, (int)key.len, key.ptr);
}

static void origin_text(const struct loader *l, int opt, char *out, size_t cap)
{
	switch (l->raw[opt].source) {
	case CONFIG_SOURCE_DOTENV:
		snprintf(out, cap, "%s line %d", l->dotenv_path, l->raw[opt].line);
		break;
	case CONFIG_SOURCE_ENV:
		snprintf(out, cap, "environment");
		break;
	case CONFIG_SOURCE_FLAG:
		snprintf(out, cap, "--%s", options_flag(opt));
		break;
	default:
		snprintf(out, cap, "default");
		break;
	}
}

static int on_dotenv(void *arg, const char *key, const char *value, int line)
{
	struct loader *l = arg;
	if (is_mongo_key(str_from(key))) {
		char origin[CONFIG_PATH_MAX + 32];
		snprintf(origin, sizeof(origin), "%s line %d", l->dotenv_path, line);
		return mongo_error(l->e, str_from(key), origin);
	}
	int i = options_find_env(str_from(key));
	/* Other tools' keys are fine in a shared .env; an empty value counts as not set. */
	if (i < 0 || value[0] == '\0')
		return 0;
	if (l->owned[i]) {
		sec_zero(l->owned[i], strlen(l->owned[i]));
		free(l->owned[i]);
	}
	l->owned[i] = xstrdup(value);
	l->raw[i] = (struct raw){l->owned[i], CONFIG_SOURCE_DOTENV, line};
	return 0;
}

static int read_env(struct loader *l, char *const *envp)
{
	for (; envp && *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		if (!eq)
			continue;
		struct str key = {*envp, (size_t)(eq - *envp)};
		if (is_mongo_key(key))
			return mongo_error(l->e, key, "environment");
		int i = options_find_env(key);
		if (i >= 0 && eq[1] != '\0')
			l->raw[i] = (struct raw){eq + 1, CONFIG_SOURCE_ENV, 0};
	}
	return 0;
}

/* Option flag named by arg ("--port" or "--port=1"), or -1. */
static int flag_of(const char *arg)
{
	if (strncmp(arg, "--", 2) != 0)
		return -1;
	return options_find_flag((struct str){arg + 2, strcspn(arg + 2, "=")});
}

/* Consumes option flags and compacts the other arguments to the front of argv. A bool flag
 * never takes the next argument: `--allow-signup` is true, `--allow-signup=false` false.
 * "--" ends option parsing; it and everything after it are left to the command. */
static int read_flags(struct loader *l, int argc, char **argv, int *rest_argc)
{
	int rest = 0;
	int i = 0;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		int opt = flag_of(argv[i]);
		if (opt < 0) {
			argv[rest++] = argv[i];
			continue;
		}
		const char *value = strchr(argv[i], '=');
		if (value)
			value++;
		else if (options_is_bool(opt))
			value = "true";
		else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
			value = argv[++i];
		else
			return err_set(l->e, ERR_INVALID, "CONFIG_INVALID",
			               "--%s needs a value: --%s VALUE or --%s=VALUE",
			               options_flag(opt), options_flag(opt), options_flag(opt));
		if (value[0] != '\0')
			l->raw[opt] = (struct raw){value, CONFIG_SOURCE_FLAG, 0};
	}
	for (; i < argc; i++)
		argv[rest++] = argv[i];
	for (i = rest; i < argc; i++)
		argv[i] = NULL;
	*rest_argc = rest;
	return 0;
}

/* Values computed from others once all are known. */
static int derive(struct config *cfg, const struct loader *l)
{
	if (cfg->development && cfg->debug[0] == '\0')
		str_copy_cstr(cfg->debug, sizeof(cfg->debug), "pixels:*");
	if (cfg->database_url[0] != '\0')
		return 0;
	size_t n = strlen(cfg->data_dir);
	const char *sep = n > 0 && cfg->data_dir[n - 1] == '/' ? "" : "/";
	int w = snprintf(cfg->database_url, sizeof(cfg->database_url), "sqlite:%s%spixels.db",
	                 cfg->data_dir, sep);
	if (w < 0 || (size_t)w >= sizeof(cfg->database_url)) {
		char origin[CONFIG_PATH_MAX + 32];
		origin_text(l, CONFIG_OPT_DATA_DIR, origin, sizeof(origin));
		return err_set(l->e, ERR_INVALID, "CONFIG_INVALID",
		               "Invalid DATA_DIR (from %s): too long to hold pixels.db; use a "
		               "shorter path or set DATABASE_URL",
		               origin);
	}
	return 0;
}

static int apply_all(struct config *cfg, const struct loader *l)
{
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++) {
		char def[64];
		char origin[CONFIG_PATH_MAX + 32];
		const char *text = l->raw[i].text;
		cfg->sources[i] = text ? l->raw[i].source : CONFIG_SOURCE_DEFAULT;
		if (!text && options_default(i, def, sizeof(def)))
			text = def;
		if (!text)
			continue;
		origin_text(l, i, origin, sizeof(origin));
		int rc = options_apply(cfg, i, text, origin, l->e);
		if (rc != 0)
			return rc;
	}
	return derive(cfg, l);
}

int config_load(struct config *cfg, int argc, char **argv, int *rest_argc, char *const *envp,
                const char *dotenv_path, struct err *e)
{
	struct loader l = {.dotenv_path = dotenv_path, .e = e};
	memset(cfg, 0, sizeof(*cfg));
	*rest_argc = 0;
	int rc = dotenv_path ? dotenv_read(dotenv_path, on_dotenv, &l, e) : 0;
	if (rc == 0)
		rc = read_env(&l, envp);
	if (rc == 0)
		rc = read_flags(&l, argc, argv, rest_argc);
	if (rc == 0)
		rc = apply_all(cfg, &l);
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++) {
		if (l.owned[i]) {
			sec_zero(l.owned[i], strlen(l.owned[i]));
			free(l.owned[i]);
		}
	}
	if (rc != 0)
		sec_zero(cfg, sizeof(*cfg));
	return rc;
}

static int ensure_encryption_key(struct config *cfg, struct err *e)
{
	if (cfg->encryption_key[0] != '\0')
		return 0;
	bool created = false;
	int rc = datadir_load_secret(cfg->data_dir, "encryption_key", cfg->encryption_key,
	                             sizeof(cfg->encryption_key), &created, e);
	if (rc != 0)
		return rc;
	cfg->encryption_key_generated = true;
	if (created)
		log_warn("pixels:config",
		         "ENCRYPTION_KEY is not set: generated one into %s/encryption_key (mode "
		         "0600). Back it up: stored Meta tokens cannot be decrypted without it.",
		         cfg->data_dir);
	return 0;
}

int config_ensure_secrets(struct config *cfg, struct err *e)
{
	int rc = datadir_ensure(cfg->data_dir, e);
	if (rc == 0 && sec_init() != 0)
		rc =
		    err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE", "libsodium failed to initialise");
	if (rc == 0)
		rc = ensure_encryption_key(cfg, e);
	if (rc != 0 || cfg->jwt_secret[0] != '\0')
		return rc;
	if (sec_init() != 0)
		return err_set(e, ERR_INTERNAL, "DATA_DIR_UNUSABLE",
		               "libsodium failed to initialise");
	bool created = false;
	rc = datadir_load_secret(cfg->data_dir, "jwt_secret", cfg->jwt_secret,
	                         sizeof(cfg->jwt_secret), &created, e);
	if (rc != 0)
		return rc;
	cfg->jwt_secret_generated = true;
	if (created)
		log_warn("pixels:config",
		         "JWT_SECRET is not set: generated a random secret and stored it in "
		         "%s/jwt_secret (mode 0600). Set JWT_SECRET to manage it yourself.",
		         cfg->data_dir);
	return 0;
}

void config_print(const struct config *cfg, FILE *out)
{
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++) {
		char value[CONFIG_PATH_MAX + 64];
		options_show(cfg, i, value, sizeof(value));
		int n = fprintf(out, "%s=%s", options_env(i), value);
		/* Sources line up in one column unless a value is too long for it. */
		int pad = n < 40 ? 40 - n : 1;
		fprintf(out, "%*s# %s\n", pad, "", config_source_name(cfg->sources[i]));
	}
}

void config_print_markdown(FILE *out)
{
	fprintf(out, "| Variable | Flag | Default | Description |\n");
	fprintf(out, "| --- | --- | --- | --- |\n");
	for (int i = 0; i < CONFIG_OPTION_COUNT; i++)
		options_print_markdown_row(i, out);
}

const char *config_option_env(enum config_option opt)
{
	return options_env(opt);
}

const char *config_option_flag(enum config_option opt)
{
	return options_flag(opt);
}

const char *config_source_name(enum config_source source)
{
	static const char *const names[] = {"default", ".env", "environment", "flag"};
	return names[source];
}

void config_release(struct config *cfg)
{
	sec_zero(cfg->jwt_secret, sizeof(cfg->jwt_secret));
	sec_zero(cfg->encryption_key, sizeof(cfg->encryption_key));
	sec_zero(cfg->meta_app_secret, sizeof(cfg->meta_app_secret));
	sec_zero(cfg->meta_verify_token, sizeof(cfg->meta_verify_token));
	/* A postgres URL may carry a password. */
	sec_zero(cfg->database_url, sizeof(cfg->database_url));
}
