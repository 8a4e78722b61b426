/* Template store; see sim_templates.h. Templates live in one array in creation order (the
 * order list pages follow) plus an index "waba|name|language" for sends. Cursors are
 * base64url("t<seq>"), so they stay valid when other templates are deleted. */
#include "sim/sim_templates.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "sim/sim_map.h"
#include "sim/sim_util.h"

struct tpl {
	uint64_t seq;
	struct sim_template_event info; /* id, waba, name, language, category, status, reason */
	json_t *components;             /* owned */
	int body_params;
};

struct sim_templates {
	pthread_mutex_t lock;
	struct sim_map *index; /* "waba|name|language" -> struct tpl (owned by items) */
	struct tpl **items;    /* owned; creation order */
	size_t count;
	size_t alloc;
	uint64_t next_seq;
};

struct sim_templates *sim_templates_new(void)
{
	struct sim_templates *t = xcalloc(1, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	t->index = sim_map_new(NULL);
	return t;
}

static void tpl_free(struct tpl *p)
{
	json_decref(p->components);
	free(p);
}

void sim_templates_clear(struct sim_templates *t)
{
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->count; i++)
		tpl_free(t->items[i]);
	t->count = 0;
	sim_map_clear(t->index);
	pthread_mutex_unlock(&t->lock);
}

void sim_templates_free(struct sim_templates *t)
{
	if (!t)
		return;
	sim_templates_clear(t);
	sim_map_free(t->index);
	free(t->items);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void index_key(const char *waba, const char *name, const char *lang, char *out, size_t cap)
{
	snprintf(out, cap, "%s|%s|%s", waba, name, lang);
}

/* Distinct {{...}} placeholders in text. */
static int count_placeholders(const char *text)
{
	char seen[64][32];
	int n = 0;
	for (const char *p = strstr(text, "{{"); p; p = strstr(p, "{{")) {
		const char *end = strstr(p + 2, "}}");
		if (!end)
			break;
		size_t len = (size_t)(end - p - 2);
		char tok[32];
		str_copy(tok, sizeof(tok), (struct str){p + 2, len});
		bool dup = false;
		for (int i = 0; i < n && !dup; i++)
			dup = strcmp(seen[i], tok) == 0;
		if (!dup && n < 64)
			memcpy(seen[n++], tok, sizeof(tok));
		p = end + 2;
	}
	return n;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 512)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int check_components(json_t *comps, bool auth, int *body_params, struct err *e)
{
	if (!json_is_array(comps) || json_array_size(comps) == 0)
		return err_set(e, ERR_INVALID, "TEMPLATE_INVALID",
		               "Param components is required and must be a non-empty array.");
	json_t *body = NULL, *c;
	size_t i;
	json_array_foreach(comps, i, c)
	{
		const char *type = json_string_value(json_object_get(c, "type"));
		if (!type)
			return err_set(e, ERR_INVALID, "TEMPLATE_INVALID",
			               "Param components[%zu]['type'] is required.", i);
		if (strcasecmp(type, "BODY") == 0)
			body = c;
	}
	const char *text = json_string_value(json_object_get(body, "text"));
	if (!body || (!text && !auth))
		return err_set(e, ERR_INVALID, "TEMPLATE_INVALID",
		               "The template needs a BODY component with text.");
	if (text && sim_util_utf8_len(text, strlen(text)) > 1024)
		return err_set(e, ERR_INVALID, "TEMPLATE_INVALID",
		               "The BODY text must be at most 1024 characters.");
	*body_params = text ? count_placeholders(text) : 1; /* auth bodies carry the code */
	return 0;
}

static int parse_create(json_t *body, struct tpl *p, struct err *e)
{
	const char *name = json_string_value(json_object_get(body, "name"));
	const char *lang = json_string_value(json_object_get(body, "language"));
	const char *cat = json_string_value(json_object_get(body, "category"));
	if (!name || !valid_name(name))
		return err_set(
		    e, ERR_INVALID, "TEMPLATE_INVALID",
		    "Param name must match ^[a-z0-9_]{1,512}$ (lower-case letters, digits "
		    "and underscores).");
	if (!lang || strlen(lang) < 2 || strlen(lang) >= sizeof(p->info.language))
		return err_set(e, ERR_INVALID, "TEMPLATE_INVALID",
		               "Param language is required (e.g. en_US).");
	if (!cat || (strcasecmp(cat, "MARKETING") != 0 && strcasecmp(cat, "UTILITY") != 0 &&
	             strcasecmp(cat, "AUTHENTICATION") != 0))
		return err_set(e, ERR_INVALID, "TEMPLATE_INVALID",
		               "Param category must be MARKETING, UTILITY or AUTHENTICATION.");
	snprintf(p->info.name, sizeof(p->info.name), "%s", name);
	snprintf(p->info.language, sizeof(p->info.language), "%s", lang);
	snprintf(p->info.category, sizeof(p->info.category), "%s", cat);
	for (char *c = p->info.category; *c; c++)
		*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	bool auth = strcmp(p->info.category, "AUTHENTICATION") == 0;
	return check_components(json_object_get(body, "components"), auth, &p->body_params, e);
}

int sim_templates_create(struct sim_templates *t, const char *waba, json_t *body, const char *id,
                         struct sim_template_event *ev, uint64_t *seq_out, struct err *e)
{
	struct tpl *p = xcalloc(1, sizeof(*p));
	if (parse_create(body, p, e) != 0) {
		free(p);
		return e->code;
	}
	snprintf(p->info.id, sizeof(p->info.id), "%s", id);
	snprintf(p->info.waba, sizeof(p->info.waba), "%s", waba);
	snprintf(p->info.status, sizeof(p->info.status), "PENDING");
	snprintf(p->info.reason, sizeof(p->info.reason), "NONE");
	p->components = json_deep_copy(json_object_get(body, "components"));
	char key[600];
	index_key(waba, p->info.name, p->info.language, key, sizeof(key));
	int rc = 0;
	pthread_mutex_lock(&t->lock);
	if (sim_map_find(t->index, key)) {
		rc = err_set(e, ERR_CONFLICT, "TEMPLATE_EXISTS",
		             "There is already %s content for this template. You can create a new "
		             "template and try again.",
		             p->info.language);
	} else if (t->count >= SIM_MAX_TEMPLATES) {
		rc = err_set(e, ERR_LIMIT, "SIM_FULL", "at most %d templates", SIM_MAX_TEMPLATES);
	} else {
		if (t->count == t->alloc) {
			t->alloc = t->alloc ? t->alloc * 2 : 64;
			t->items = xrealloc(t->items, t->alloc * sizeof(*t->items));
		}
		p->seq = ++t->next_seq;
		t->items[t->count++] = p;
		sim_map_put(t->index, key, p);
		*ev = p->info;
		*seq_out = p->seq;
	}
	pthread_mutex_unlock(&t->lock);
	if (rc != 0)
		tpl_free(p);
	return rc;
}

static void make_cursor(uint64_t seq, char *out, size_t cap)
{
	char raw[32];
	snprintf(raw, sizeof(raw), "t%" PRIu64, seq);
	char b64[SIM_UTIL_B64_SIZE(32)];
	sim_util_b64(raw, strlen(raw), true, b64);
	snprintf(out, cap, "%s", b64);
}

static int parse_cursor(const char *cursor, uint64_t *seq)
{
	struct buf raw;
	buf_init(&raw, 32);
	int64_t v = 0;
	int rc = -1;
	if (sim_util_unb64(cursor, strlen(cursor), &raw) == 0 && raw.len > 1 && raw.ptr[0] == 't' &&
	    str_parse_i64((struct str){raw.ptr + 1, raw.len - 1}, 0, INT64_MAX, &v) == 0) {
		*seq = (uint64_t)v;
		rc = 0;
	}
	buf_release(&raw);
	return rc;
}

static json_t *tpl_json(const struct tpl *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "name", p->info.name, "language",
	                 p->info.language, "status", p->info.status, "category", p->info.category,
	                 "id", p->info.id, "components", json_deep_copy(p->components),
	                 "rejected_reason", p->info.reason);
}

static bool listed(const struct tpl *p, const char *waba, const char *name_filter)
{
	return strcmp(p->info.waba, waba) == 0 &&
	       (!name_filter || strstr(p->info.name, name_filter) != NULL);
}

static json_t *paging(uint64_t first, uint64_t last, bool more, const char *next_base, size_t limit)
{
	char before[64], after[64];
	make_cursor(first, before, sizeof(before));
	make_cursor(last, after, sizeof(after));
	json_t *pg = json_pack("{s:{s:s, s:s}}", "cursors", "before", before, "after", after);
	if (more) {
		char next[1024];
		snprintf(next, sizeof(next), "%s?limit=%zu&after=%s", next_base, limit, after);
		json_object_set_new(pg, "next", json_string(next));
	}
	return pg;
}

int sim_templates_list(struct sim_templates *t, const char *waba, size_t limit, const char *after,
                       const char *name_filter, const char *next_base, json_t **out, struct err *e)
{
	uint64_t after_seq = 0, first = 0, last = 0;
	*out = NULL;
	if (after && parse_cursor(after, &after_seq) != 0)
		return err_set(e, ERR_INVALID, "BAD_CURSOR", "Param after is not a valid cursor.");
	json_t *data = json_array();
	bool more = false;
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->count && !more; i++) {
		const struct tpl *p = t->items[i];
		if (p->seq <= after_seq || !listed(p, waba, name_filter))
			continue;
		if (json_array_size(data) == limit) {
			more = true;
			break;
		}
		json_array_append_new(data, tpl_json(p));
		first = first ? first : p->seq;
		last = p->seq;
	}
	pthread_mutex_unlock(&t->lock);
	json_t *root = json_pack("{s:o}", "data", data);
	if (first)
		json_object_set_new(root, "paging", paging(first, last, more, next_base, limit));
	*out = root;
	return 0;
}

size_t sim_templates_delete(struct sim_templates *t, const char *waba, const char *name,
                            const char *hsm_id)
{
	size_t deleted = 0, kept = 0;
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->count; i++) {
		struct tpl *p = t->items[i];
		bool hit = strcmp(p->info.waba, waba) == 0 && strcmp(p->info.name, name) == 0 &&
		           (!hsm_id || strcmp(p->info.id, hsm_id) == 0);
		if (!hit) {
			t->items[kept++] = p;
			continue;
		}
		char key[600];
		index_key(waba, p->info.name, p->info.language, key, sizeof(key));
		sim_map_remove(t->index, key);
		tpl_free(p);
		deleted++;
	}
	t->count = kept;
	pthread_mutex_unlock(&t->lock);
	return deleted;
}

int sim_templates_set_status(struct sim_templates *t, const char *waba, const char *name,
                             const char *language, const char *status, const char *reason,
                             struct sim_template_event *ev, struct err *e)
{
	char key[600];
	index_key(waba, name, language, key, sizeof(key));
	int rc = 0;
	pthread_mutex_lock(&t->lock);
	struct tpl *p = sim_map_find(t->index, key);
	if (!p) {
		rc = err_set(e, ERR_NOT_FOUND, "TEMPLATE_NOT_FOUND",
		             "no template %s (%s) in WABA %s", name, language, waba);
	} else {
		snprintf(p->info.status, sizeof(p->info.status), "%s", status);
		snprintf(p->info.reason, sizeof(p->info.reason), "%s", reason ? reason : "NONE");
		*ev = p->info;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

bool sim_templates_review(struct sim_templates *t, uint64_t seq, struct sim_template_event *ev)
{
	bool changed = false;
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->count; i++) {
		struct tpl *p = t->items[i];
		if (p->seq != seq)
			continue;
		if (strcmp(p->info.status, "PENDING") == 0) {
			snprintf(p->info.status, sizeof(p->info.status), "APPROVED");
			*ev = p->info;
			changed = true;
		}
		break;
	}
	pthread_mutex_unlock(&t->lock);
	return changed;
}

static enum sim_category category_of(const char *c)
{
	if (strcmp(c, "MARKETING") == 0)
		return SIM_CATEGORY_MARKETING;
	if (strcmp(c, "AUTHENTICATION") == 0)
		return SIM_CATEGORY_AUTHENTICATION;
	return SIM_CATEGORY_UTILITY;
}

int sim_templates_check(struct sim_templates *t, const char *waba, const char *name,
                        const char *language, int body_params, enum sim_category *category,
                        char *details, size_t cap)
{
	char key[600];
	index_key(waba, name, language, key, sizeof(key));
	int code = 0;
	pthread_mutex_lock(&t->lock);
	const struct tpl *p = sim_map_find(t->index, key);
	const char *status = p ? p->info.status : "";
	if (!p || strcmp(status, "PENDING") == 0 || strcmp(status, "REJECTED") == 0) {
		code = 132001;
		snprintf(details, cap, "template name (%s) does not exist in %s", name, language);
	} else if (strcmp(status, "PAUSED") == 0) {
		code = 132015;
		snprintf(details, cap, "template (%s) is paused", name);
	} else if (strcmp(status, "DISABLED") == 0) {
		code = 132016;
		snprintf(details, cap, "template (%s) is disabled", name);
	} else if (p->body_params != body_params) {
		code = 132000;
		snprintf(
		    details, cap,
		    "body: number of localizable_params (%d) does not match the expected number "
		    "of params (%d)",
		    body_params, p->body_params);
	} else {
		*category = category_of(p->info.category);
	}
	pthread_mutex_unlock(&t->lock);
	return code;
}

int sim_templates_edit(struct sim_templates *t, const char *id, json_t *body,
                       struct sim_template_event *ev, uint64_t *seq_out, struct err *e)
{
	int params = 0;
	const char *cat = json_string_value(json_object_get(body, "category"));
	int rc = ERR_NOT_FOUND;
	pthread_mutex_lock(&t->lock);
	for (size_t i = 0; i < t->count && rc == ERR_NOT_FOUND; i++) {
		struct tpl *p = t->items[i];
		if (strcmp(p->info.id, id) != 0)
			continue;
		bool auth = strcmp(cat ? cat : p->info.category, "AUTHENTICATION") == 0;
		if (strcmp(p->info.status, "PENDING") == 0)
			rc = err_set(e, ERR_CONFLICT, "TEMPLATE_IN_REVIEW",
			             "Template is being reviewed and cannot be edited");
		else if ((rc = check_components(json_object_get(body, "components"), auth, &params,
		                                e)) == 0) {
			json_decref(p->components);
			p->components = json_deep_copy(json_object_get(body, "components"));
			p->body_params = params;
			if (cat)
				snprintf(p->info.category, sizeof(p->info.category), "%s", cat);
			snprintf(p->info.status, sizeof(p->info.status), "PENDING");
			snprintf(p->info.reason, sizeof(p->info.reason), "NONE");
			*ev = p->info;
			*seq_out = p->seq;
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (rc == ERR_NOT_FOUND)
		err_set(e, ERR_NOT_FOUND, "TEMPLATE_NOT_FOUND", "no template with id %s", id);
	return rc;
}
