/* The option table behind config.h: for each option its names, type, default, help, and how
 * its text is parsed into struct config, described, and shown. config.c decides where texts
 * come from; this module knows what they mean. Indexes are enum config_option values. */
#ifndef PIXELS_CONFIG_OPTIONS_H
#define PIXELS_CONFIG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/config.h"
#include "core/err.h"
#include "core/str.h"

/* Environment name ("DATA_DIR") and flag without dashes ("data-dir"). Static strings. */
const char *options_env(enum config_option opt);
const char *options_flag(enum config_option opt);
/* Option whose environment name / flag is name, or -1. */
int options_find_env(struct str name);
int options_find_flag(struct str name);
/* Bool options may be given as a bare flag. */
bool options_is_bool(enum config_option opt);
/* Default text of opt into out (cap bytes); false when the option has no default. */
bool options_default(enum config_option opt, char *out, size_t cap);
/* Parses text into cfg's field for opt. origin says where text came from (".env line 3",
 * "environment", "--port") for the message. Errors: ERR_INVALID "CONFIG_INVALID" naming the
 * option, the origin and what was expected; secrets and URLs are never echoed. */
int options_apply(struct config *cfg, enum config_option opt, const char *text, const char *origin,
                  struct err *e);
/* The effective value of opt as `pixels config` prints it, secrets masked, into out. */
void options_show(const struct config *cfg, enum config_option opt, char *out, size_t cap);
/* One Markdown table row (| Variable | Flag | Default | Description |) with newline. */
void options_print_markdown_row(enum config_option opt, FILE *out);

#endif
