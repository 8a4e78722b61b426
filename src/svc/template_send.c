/* Template sends; see template_send.h. The message's content is
 * {"template":{"name","language","variables":[...]}} and its preview "[Template] <name>". */
#include "svc/template_send.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "meta/build.h"
#include "svc/numbers.h"
#include "svc/phone.h"
#include "svc/templates.h"

int template_send_resolve(struct ctx *c, const char *account_id, const char *name, const char *id,
                          const char *language, struct template_row *t, struct err *e)
{
	bool found = false;
	struct err tmp = {0};
	int rc = 0;
	if (id) {
		rc = templates_get(c, account_id, id, t, &tmp);
		found = rc == 0;
		rc = rc == ERR_NOT_FOUND ? 0 : rc;
	} else { /* no language: "en" first, else the template's only (or first) language */
		rc = store_template_find_by_name(c->store, account_id, name, language, t, &found,
		                                 &tmp);
	}
	if (rc != 0) {
		*e = tmp;
		return rc;
	}
	if (!found || strcmp(t->status, "approved") != 0)
		return err_set(e, ERR_NOT_FOUND, "TEMPLATE_NOT_FOUND",
		               "Template '%.200s' not found or not approved",
		               id ? id : (name ? name : ""));
	return 0;
}

static const char *value_text(const json_t *v, char *scratch, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(scratch, cap, "%lld", (long long)json_integer_value(v));
		return scratch;
	}
	return NULL;
}

int template_send_collect(const struct template_row *t, const json_t *given,
                          struct template_values *out, struct err *e)
{
	size_t m = json_is_array(given) || json_is_object(given)
	               ? (json_is_array(given) ? json_array_size(given) : json_object_size(given))
	               : 0;
	if (given && !json_is_array(given) && !json_is_object(given))
		return err_field(e, "variables", "must be an array or an object");
	if (m != (size_t)t->var_count)
		return err_set(e, ERR_INVALID, "TEMPLATE_PARAMS_MISMATCH",
		               "Template '%.200s' has %d variable(s) but %zu were given", t->name,
		               t->var_count, m);
	json_t *names = json_loads(t->variables, 0, NULL);
	int rc = 0;
	out->n = m;
	for (size_t i = 0; rc == 0 && i < m && i < TEMPLATE_VARS_MAX; i++) {
		const char *name = json_string_value(json_array_get(names, i));
		const json_t *v = json_is_array(given) ? json_array_get(given, i)
		                                       : json_object_get(given, name ? name : "");
		str_copy_cstr(out->name_buf[i], sizeof(out->name_buf[i]), name ? name : "");
		out->names[i] = out->name_buf[i];
		out->v[i] = value_text(v, out->scratch[i], sizeof(out->scratch[i]));
		out->named = name && (name[0] < '0' || name[0] > '9');
		if (!out->v[i])
			rc = err_field(e, "variables", "needs a text value for {{%s}}",
			               name ? name : "?");
	}
	if (rc == 0 && !out->named)
		memset(out->names, 0, sizeof(out->names));
	json_decref(names);
	return rc;
}

/* The header's media type ("image", "video", "document") or NULL when it has none. */
static const char *header_media_type(const struct template_row *t)
{
	static const char *const types[] = {"image", "video", "document"};
	json_t *comps = json_loads(t->components, 0, NULL);
	const char *found = NULL;
	size_t i;
	json_t *comp;
	json_array_foreach(comps, i, comp)
	{
		const char *type = json_string_value(json_object_get(comp, "type"));
		const char *format = json_string_value(json_object_get(comp, "format"));
		for (size_t k = 0; type && format && strcasecmp(type, "HEADER") == 0 && k < 3; k++)
			if (strcasecmp(format, types[k]) == 0)
				found = types[k];
	}
	json_decref(comps);
	return found;
}

static int check_extras(const struct template_row *t, const char *header_media,
                        const json_t *buttons, struct meta_template_params *p, struct err *e)
{
	p->header_type = header_media_type(t);
	p->header_link = header_media;
	if (p->header_type && (!header_media || (strncmp(header_media, "https://", 8) != 0 &&
	                                         strncmp(header_media, "http://", 7) != 0)))
		return err_field(e, "headerMedia",
		                 "this template's %s header needs an http(s) link", p->header_type);
	if (!p->header_type)
		p->header_link = NULL;
	if (buttons && (!json_is_array(buttons) || json_array_size(buttons) > 10))
		return err_field(e, "buttons", "must be an array of at most 10 button parameters");
	p->buttons = buttons;
	return 0;
}

/* Fills the message row: content as we show it, request as Meta wants it. */
static int build(struct ctx *c, const char *account_id, const struct template_row *t,
                 const struct template_values *v, struct meta_template_params *p,
                 const struct number_row *num, const char *user, struct message_row *m,
                 struct err *e)
{
	memset(m, 0, sizeof(*m));
	int64_t now = svc_now(c);
	ids_new(now, m->id);
	str_copy_cstr(m->account_id, sizeof(m->account_id), account_id);
	str_copy_cstr(m->phone_number_id, sizeof(m->phone_number_id), num->phone_number_id);
	str_copy_cstr(m->user_phone, sizeof(m->user_phone), user);
	str_copy_cstr(m->type, sizeof(m->type), "template");
	m->direction = MSG_DIR_OUT;
	m->status = MSG_STATUS_QUEUED;
	m->queued_at = m->created_at = m->updated_at = m->next_attempt_at = now;
	m->pricing_billable = -1;
	p->body = v->v;
	p->names = v->named ? v->names : NULL;
	p->nbody = v->n;
	json_t *req = meta_build_template(user, t->name, t->language, p, m->id);
	json_t *vars = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(vars, json_string(v->v[i]));
	json_t *content = json_pack("{s:{s:s, s:s, s:o}}", "template", "name", t->name, "language",
	                            t->language, "variables", vars);
	char *rq = jsonw_dump(req, NULL), *ct = jsonw_dump(content, NULL);
	int rc = 0;
	if (str_copy_cstr(m->request, sizeof(m->request), rq) != 0 ||
	    str_copy_cstr(m->content, sizeof(m->content), ct) != 0)
		rc = err_field(e, "variables", "are too large");
	free(rq);
	free(ct);
	json_decref(req);
	json_decref(content);
	return rc;
}

int template_send_check_extras(const struct template_row *t, const char *header_media,
                               const json_t *buttons, struct err *e)
{
	struct meta_template_params p = {0};
	return check_extras(t, header_media, buttons, &p, e);
}

int template_send_prepare(struct ctx *c, const char *account_id, const struct template_row *t,
                          const struct template_values *v, const char *header_media,
                          const json_t *buttons, const struct number_row *num, const char *user,
                          struct message_row *msg, struct err *e)
{
	struct meta_template_params p = {0};
	int rc = check_extras(t, header_media, buttons, &p, e);
	return rc != 0 ? rc : build(c, account_id, t, v, &p, num, user, msg, e);
}

/* Best effort: a failed counter update never fails the send. */
static void count_use(struct ctx *c, struct template_row *t)
{
	struct err e = {0};
	t->usage_count++;
	t->last_used_at = t->updated_at = svc_now(c);
	if (store_template_update(c->store, t, &e) != 0)
		log_warn("pixels:templates", "could not count a use of template %s: %s", t->id,
		         e.message);
}

struct send_scratch {
	struct template_row tpl;
	struct template_values vals;
};

int template_send(struct ctx *c, const char *account_id, const struct template_send_cmd *cmd,
                  struct send_answer *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	bool handled = false;
	int rc = messages_check_replay(c, account_id, &cmd->base, out, &handled, e);
	if (rc != 0 || handled)
		return rc;
	struct send_scratch *s = xcalloc(1, sizeof(*s));
	struct message_row *msg = xcalloc(1, sizeof(*msg)); /* handed to messages_enqueue */
	struct number_row num;
	char user[STORE_PHONE_MAX], preview[256];
	rc = template_send_resolve(c, account_id, cmd->template_name, cmd->template_id,
	                           cmd->language, &s->tpl, e);
	if (rc == 0)
		rc = template_send_collect(&s->tpl, cmd->variables, &s->vals, e);
	if (rc == 0)
		rc = phone_normalize(cmd->base.recipient, "recipientPhone", user, e);
	if (rc == 0)
		rc = numbers_resolve(c, account_id, cmd->base.phone_number_id, &num, e);
	if (rc == 0)
		rc = template_send_prepare(c, account_id, &s->tpl, &s->vals, cmd->header_media,
		                           cmd->buttons, &num, user, msg, e);
	if (rc == 0) {
		snprintf(preview, sizeof(preview), "[Template] %.200s", s->tpl.name);
		rc = messages_enqueue(c, &cmd->base, msg, preview, out, e);
	} else
		free(msg);
	if (rc == 0)
		count_use(c, &s->tpl);
	free(s);
	return rc;
}
