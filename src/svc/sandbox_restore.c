/* numbers_sandbox_restore: the embedded simulator keeps its state in memory, so a restarted
 * sandbox tells the new one what the old one knew and Meta would still know: every sandbox
 * number (with its WABA) and the templates submitted under it, with their ids and statuses;
 * and every sandbox number gets the current webhook secret as its app secret. */
#include "svc/numbers.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "meta/control.h"

#define RESTORE_PAGE 500

struct restore {
	struct ctx *c;
	struct number_row *nums;
	size_t n, cap;
	const struct number_row *cur;
	int imported, failed;
};

static void take_number(void *arg, const struct number_row *row)
{
	struct restore *r = arg;
	if (!row->sandbox)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->nums = xrealloc(r->nums, r->cap * sizeof(*r->nums));
	}
	r->nums[r->n++] = *row;
}

static void import(void *arg, const struct template_row *t)
{
	struct restore *r = arg;
	if (!t->meta_template_id[0] || strcmp(t->waba_id, r->cur->waba_id) != 0 ||
	    strcmp(t->status, "draft") == 0)
		return;
	char status[16];
	str_copy_cstr(status, sizeof(status), t->status);
	for (char *p = status; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	struct err e = {0};
	if (meta_sim_import_template(r->c->svc->cfg->graph_base_url, t->waba_id,
	                             t->meta_template_id, t->name, t->language, t->category,
	                             t->components,
	                             strcmp(t->status, "pending") == 0 ? NULL : status, &e) != 0) {
		r->failed++;
		log_warn("pixels:numbers", "sandbox template %s: %s", t->name, e.message);
	} else {
		r->imported++;
	}
}

int numbers_sandbox_restore(struct ctx *c, struct err *e)
{
	struct restore r = {.c = c};
	int rc = store_number_list(c->store, NULL, take_number, &r, e);
	for (size_t i = 0; rc == 0 && i < r.n; i++) {
		const struct number_row *n = &r.nums[i];
		struct err se = {0};
		/* Its webhooks are signed with this run's sandbox secret (kept in DATA_DIR; data
		 * directories from before that still hold an older one). */
		struct number_cmd upd = {.app_secret = c->svc->sandbox_secret};
		struct number_row after;
		if (numbers_update(c, n->account_id, n->id, &upd, &after, &se) != 0)
			log_warn("pixels:numbers", "sandbox number %s: %s", n->phone_number_id,
			         se.message);
		err_clear(&se);
		if (meta_sim_register_number(c->svc->cfg->graph_base_url, n->phone_number_id,
		                             n->waba_id, n->display_phone, "Sandbox", &se) != 0) {
			log_warn("pixels:numbers", "%s", se.message);
			continue;
		}
		r.cur = n;
		int64_t total = 0;
		for (int64_t off = 0; rc == 0 && (off == 0 || off < total); off += RESTORE_PAGE) {
			struct template_filter f = {.limit = RESTORE_PAGE, .offset = off};
			rc =
			    store_template_list(c->store, n->account_id, &f, import, &r, &total, e);
		}
	}
	if (r.n > 0)
		log_info("pixels:numbers",
		         "sandbox: %zu number(s) and %d template(s) restored in the "
		         "simulator (%d failed)",
		         r.n, r.imported, r.failed);
	free(r.nums);
	return rc;
}
