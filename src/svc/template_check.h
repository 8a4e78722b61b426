/* Template validation before Meta sees a template: name, category, language, and Meta's
 * components (header, body with {{1}} positional or {{name}} named variables and their
 * examples, footer, buttons). Either the caller gives Meta's components array, or the
 * original system's fields (content, headerText, footerText, examples, buttons) are turned
 * into one here. The verdict names the offending field (VALIDATION_ERROR). */
#ifndef PIXELS_SVC_TEMPLATE_CHECK_H
#define PIXELS_SVC_TEMPLATE_CHECK_H

#include "core/jsonw.h"
#include "store/store.h"

#define TEMPLATE_BODY_MAX 1024 /* characters */
#define TEMPLATE_SHORT_MAX 60  /* header text and footer, characters */
#define TEMPLATE_VARS_MAX 64

/* What a create or edit carries; every pointer is borrowed for the call, NULL = absent. */
struct template_cmd {
	const char *name;
	const char *language; /* default "en" */
	const char *category; /* MARKETING|UTILITY|AUTHENTICATION (any case); default UTILITY */
	const char *content;  /* body text */
	const char *header_text;
	const char *footer_text;
	const json_t *examples;   /* body examples: array (positional) or object (named) */
	const json_t *buttons;    /* Meta's buttons array */
	const json_t *components; /* Meta's components array: when given, the fields above
	                             (but name, language, category) are ignored */
	bool submit;              /* create: also submit to Meta */
};

/* Validates cmd and fills t's name, language, category, components (JSON text), body,
 * variables (JSON array of names) and var_count. Errors: VALIDATION_ERROR naming the field
 * (name, language, category, content, components, examples, headerText, footerText,
 * buttons). */
int template_check_build(const struct template_cmd *cmd, struct template_row *t, struct err *e);

/* From Meta's components array (a template listed by Meta): the body text, the variables
 * (JSON array text) and their count. Tolerant: missing parts are left empty. */
void template_check_describe(const json_t *components, struct template_row *t);

#endif
