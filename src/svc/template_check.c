/* Template validation; see template_check.h. Variables are scanned from "{{" to "}}": digits
 * are positional and must be exactly 1..N (repeats allowed, no gaps), anything else must be a
 * lower-case name; the two kinds never mix in one text. */
#include "svc/template_check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"

struct vars {
	int n;
	bool named;
	char names[TEMPLATE_VARS_MAX][64];
};

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 512)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

static bool valid_language(const char *s)
{
	size_t n = strlen(s);
	if (n != 2 && n != 5)
		return false;
	if (!islower((unsigned char)s[0]) || !islower((unsigned char)s[1]))
		return false;
	return n == 2 ||
	       (s[2] == '_' && isupper((unsigned char)s[3]) && isupper((unsigned char)s[4]));
}

/* Adds one variable token (without braces) to v. */
static int add_var(struct vars *v, const char *tok, size_t len, const char *field, struct err *e)
{
	bool digits = len > 0, ident = len > 0 && len < 64;
	for (size_t i = 0; i < len; i++) {
		digits = digits && isdigit((unsigned char)tok[i]);
		ident = ident && (islower((unsigned char)tok[i]) || tok[i] == '_' ||
		                  (i > 0 && isdigit((unsigned char)tok[i])));
	}
	if (!digits && !ident)
		return err_field(e, field, "has an invalid variable {{%.*s}}",
		                 (int)(len > 40 ? 40 : len), tok);
	if (v->n > 0 && v->named != !digits)
		return err_field(e, field, "mixes positional {{1}} and named {{name}} variables");
	v->named = !digits;
	char name[64];
	str_copy(name, sizeof(name), (struct str){tok, len});
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return 0;
	if (v->n == TEMPLATE_VARS_MAX)
		return err_field(e, field, "has more than %d variables", TEMPLATE_VARS_MAX);
	str_copy_cstr(v->names[v->n++], sizeof(v->names[0]), name);
	return 0;
}

static int scan_vars(const char *text, struct vars *v, const char *field, struct err *e)
{
	memset(v, 0, sizeof(*v));
	for (const char *p = strstr(text, "{{"); p; p = strstr(p, "{{")) {
		const char *end = strstr(p + 2, "}}");
		if (!end)
			return err_field(e, field, "has an unclosed {{");
		int rc = add_var(v, p + 2, (size_t)(end - p - 2), field, e);
		if (rc != 0)
			return rc;
		p = end + 2;
	}
	if (v->named)
		return 0;
	for (int want = 1; want <= v->n; want++) { /* exactly 1..N, in any order */
		bool seen = false;
		for (int i = 0; i < v->n && !seen; i++)
			seen = strtol(v->names[i], NULL, 10) == want;
		if (!seen)
			return err_field(e, field,
			                 "variables must be numbered {{1}} to {{%d}} without gaps",
			                 v->n);
	}
	return 0;
}

/* Body examples: body_text [[...]] for positional, body_text_named_params for named. */
static int check_body_examples(const json_t *comp, const struct vars *v, struct err *e)
{
	if (v->n == 0)
		return 0;
	const json_t *ex = json_object_get(comp, "example");
	if (!v->named) {
		const json_t *row = json_array_get(json_object_get(ex, "body_text"), 0);
		if (json_array_size(row) < (size_t)v->n)
			return err_field(e, "examples",
			                 "must give an example for each of the %d variables", v->n);
		return 0;
	}
	const json_t *named = json_object_get(ex, "body_text_named_params");
	for (int i = 0; i < v->n; i++) {
		bool found = false;
		size_t k;
		const json_t *p;
		json_array_foreach(named, k, p)
		{
			const char *pn = json_string_value(json_object_get(p, "param_name"));
			found = found || (pn && strcmp(pn, v->names[i]) == 0 &&
			                  json_string_value(json_object_get(p, "example")));
		}
		if (!found)
			return err_field(e, "examples", "must give an example for {{%s}}",
			                 v->names[i]);
	}
	return 0;
}

static int check_body(const json_t *comp, struct vars *v, struct template_row *t, struct err *e)
{
	const char *text = json_string_value(json_object_get(comp, "text"));
	if (!text || !*text || str_utf8_chars(text) > TEMPLATE_BODY_MAX)
		return err_field(e, "content", "must be 1 to %d characters", TEMPLATE_BODY_MAX);
	int rc = scan_vars(text, v, "content", e);
	if (rc == 0)
		rc = check_body_examples(comp, v, e);
	if (rc == 0 && str_copy_cstr(t->body, sizeof(t->body), text) != 0)
		rc = err_field(e, "content", "is too long");
	return rc;
}

static int check_header(const json_t *comp, struct err *e)
{
	const char *format = json_string_value(json_object_get(comp, "format"));
	const json_t *ex = json_object_get(comp, "example");
	if (!format)
		return err_field(e, "headerText", "header needs a format");
	if (strcasecmp(format, "TEXT") == 0) {
		const char *text = json_string_value(json_object_get(comp, "text"));
		struct vars v;
		if (!text || !*text || str_utf8_chars(text) > TEMPLATE_SHORT_MAX)
			return err_field(e, "headerText", "must be 1 to %d characters",
			                 TEMPLATE_SHORT_MAX);
		int rc = scan_vars(text, &v, "headerText", e);
		if (rc == 0 && v.n > 1)
			rc = err_field(e, "headerText", "may hold at most one variable");
		if (rc == 0 && v.n == 1 && json_array_size(json_object_get(ex, "header_text")) < 1)
			rc = err_field(e, "examples", "the header variable needs an example");
		return rc;
	}
	if (strcasecmp(format, "IMAGE") != 0 && strcasecmp(format, "VIDEO") != 0 &&
	    strcasecmp(format, "DOCUMENT") != 0)
		return err_field(e, "components",
		                 "header format must be TEXT, IMAGE, VIDEO or DOCUMENT");
	if (json_array_size(json_object_get(ex, "header_handle")) < 1)
		return err_field(e, "examples", "a media header needs an example (header_handle)");
	return 0;
}

static int check_button(const json_t *b, int *quick, struct err *e)
{
	const char *type = json_string_value(json_object_get(b, "type"));
	const char *text = json_string_value(json_object_get(b, "text"));
	if (!type || !text || !*text || str_utf8_chars(text) > 25)
		return err_field(e, "buttons",
		                 "each button needs a type and a text of 1 to 25 characters");
	if (strcasecmp(type, "QUICK_REPLY") == 0) {
		(*quick)++;
		return 0;
	}
	if (strcasecmp(type, "PHONE_NUMBER") == 0)
		return json_string_value(json_object_get(b, "phone_number"))
		           ? 0
		           : err_field(e, "buttons", "a phone button needs phone_number");
	if (strcasecmp(type, "URL") != 0)
		return err_field(e, "buttons",
		                 "button type must be QUICK_REPLY, URL or PHONE_NUMBER");
	const char *url = json_string_value(json_object_get(b, "url"));
	struct vars v;
	if (!url || strncmp(url, "https://", 8) != 0)
		return err_field(e, "buttons", "a URL button needs an https url");
	int rc = scan_vars(url, &v, "buttons", e);
	if (rc == 0 && v.n > 1)
		rc = err_field(e, "buttons", "a URL button may hold at most one variable");
	if (rc == 0 && v.n == 1 && json_array_size(json_object_get(b, "example")) < 1)
		rc = err_field(e, "examples", "the URL button variable needs an example");
	return rc;
}

static int check_buttons(const json_t *comp, struct err *e)
{
	const json_t *list = json_object_get(comp, "buttons");
	size_t n = json_array_size(list), i;
	const json_t *b;
	int quick = 0, rc = 0;
	if (n < 1 || n > 10)
		return err_field(e, "buttons", "must hold 1 to 10 buttons");
	json_array_foreach(list, i, b) if (rc == 0) rc = check_button(b, &quick, e);
	return rc;
}

static int check_component(const json_t *comp, struct vars *v, bool *have_body,
                           struct template_row *t, struct err *e)
{
	const char *type = json_string_value(json_object_get(comp, "type"));
	if (!type)
		return err_field(e, "components", "every component needs a type");
	if (strcasecmp(type, "BODY") == 0) {
		*have_body = true;
		return check_body(comp, v, t, e);
	}
	if (strcasecmp(type, "HEADER") == 0)
		return check_header(comp, e);
	if (strcasecmp(type, "BUTTONS") == 0)
		return check_buttons(comp, e);
	if (strcasecmp(type, "FOOTER") != 0)
		return err_field(e, "components", "unknown component type %.20s", type);
	const char *text = json_string_value(json_object_get(comp, "text"));
	if (!text || !*text || str_utf8_chars(text) > TEMPLATE_SHORT_MAX || strstr(text, "{{"))
		return err_field(e, "footerText", "must be 1 to %d characters without variables",
		                 TEMPLATE_SHORT_MAX);
	return 0;
}

/* The body component from content and examples (array: positional; object: named). */
static json_t *body_component(const struct template_cmd *cmd)
{
	json_t *body = json_pack("{s:s, s:s}", "type", "BODY", "text", cmd->content);
	if (json_is_array(cmd->examples) && json_array_size(cmd->examples) > 0) {
		json_object_set_new(body, "example",
		                    json_pack("{s:[O]}", "body_text", (json_t *)cmd->examples));
	} else if (json_is_object(cmd->examples) && json_object_size(cmd->examples) > 0) {
		json_t *named = json_array();
		const char *k;
		json_t *val;
		json_object_foreach((json_t *)cmd->examples, k, val) json_array_append_new(
		    named, json_pack("{s:s, s:O}", "param_name", k, "example", val));
		json_object_set_new(body, "example",
		                    json_pack("{s:o}", "body_text_named_params", named));
	}
	return body;
}

/* Meta's components from the original system's fields. New reference. */
static json_t *components_from_fields(const struct template_cmd *cmd)
{
	json_t *comps = json_array();
	if (cmd->header_text)
		json_array_append_new(comps, json_pack("{s:s, s:s, s:s}", "type", "HEADER",
		                                       "format", "TEXT", "text", cmd->header_text));
	if (cmd->content)
		json_array_append_new(comps, body_component(cmd));
	if (cmd->footer_text)
		json_array_append_new(
		    comps, json_pack("{s:s, s:s}", "type", "FOOTER", "text", cmd->footer_text));
	if (cmd->buttons)
		json_array_append_new(comps, json_pack("{s:s, s:O}", "type", "BUTTONS", "buttons",
		                                       (json_t *)cmd->buttons));
	return comps;
}

static int check_identity(const struct template_cmd *cmd, struct template_row *t, struct err *e)
{
	const char *lang = cmd->language ? cmd->language : "en";
	const char *cat = cmd->category ? cmd->category : "UTILITY";
	if (!cmd->name || !valid_name(cmd->name))
		return err_field(e, "name", "must be 1 to 512 characters of a-z, 0-9 and _");
	if (!valid_language(lang))
		return err_field(e, "language", "must be a language code like en or en_US");
	if (strcasecmp(cat, "MARKETING") != 0 && strcasecmp(cat, "UTILITY") != 0 &&
	    strcasecmp(cat, "AUTHENTICATION") != 0)
		return err_field(e, "category", "must be MARKETING, UTILITY or AUTHENTICATION");
	str_copy_cstr(t->name, sizeof(t->name), cmd->name);
	str_copy_cstr(t->language, sizeof(t->language), lang);
	size_t i = 0;
	for (; cat[i] && i + 1 < sizeof(t->category); i++)
		t->category[i] = (char)toupper((unsigned char)cat[i]);
	t->category[i] = '\0';
	return 0;
}

static void store_vars(const struct vars *v, struct template_row *t)
{
	json_t *arr = json_array();
	char num[16];
	for (int i = 0; i < v->n; i++) { /* positional ones are exactly 1..N: list them in order */
		snprintf(num, sizeof(num), "%d", i + 1);
		json_array_append_new(arr, json_string(v->named ? v->names[i] : num));
	}
	char *s = jsonw_dump(arr, NULL);
	if (str_copy_cstr(t->variables, sizeof(t->variables), s) != 0)
		str_copy_cstr(t->variables, sizeof(t->variables), "[]");
	t->var_count = v->n;
	free(s);
	json_decref(arr);
}

int template_check_build(const struct template_cmd *cmd, struct template_row *t, struct err *e)
{
	int rc = check_identity(cmd, t, e);
	if (rc != 0)
		return rc;
	if (!cmd->components && !cmd->content)
		return err_field(e, "content", "is required (or send components)");
	if (cmd->components && !json_is_array(cmd->components))
		return err_field(e, "components", "must be an array");
	json_t *comps =
	    cmd->components ? json_incref((json_t *)cmd->components) : components_from_fields(cmd);
	struct vars v = {0};
	bool have_body = false;
	size_t i;
	json_t *comp;
	json_array_foreach(comps, i, comp) if (rc == 0) rc =
	    check_component(comp, &v, &have_body, t, e);
	if (rc == 0 && !have_body)
		rc = err_field(e, "content", "a template needs a BODY");
	char *text = rc == 0 ? jsonw_dump(comps, NULL) : NULL;
	if (rc == 0 && str_copy_cstr(t->components, sizeof(t->components), text) != 0)
		rc = err_field(e, "components", "are too large");
	if (rc == 0)
		store_vars(&v, t);
	free(text);
	json_decref(comps);
	return rc;
}

void template_check_describe(const json_t *components, struct template_row *t)
{
	size_t i;
	const json_t *comp;
	struct err e = {0};
	t->body[0] = '\0';
	json_array_foreach(components, i, comp)
	{
		const char *type = json_string_value(json_object_get(comp, "type"));
		const char *text = json_string_value(json_object_get(comp, "text"));
		if (!type || !text || strcasecmp(type, "BODY") != 0)
			continue;
		struct vars v;
		str_copy_cstr(t->body, sizeof(t->body), text);
		if (scan_vars(text, &v, "content", &e) == 0)
			store_vars(&v, t);
	}
	char *s = jsonw_dump(components, NULL);
	if (!s || str_copy_cstr(t->components, sizeof(t->components), s) != 0)
		str_copy_cstr(t->components, sizeof(t->components), "[]");
	free(s);
}
