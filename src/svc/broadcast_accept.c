/* Writing a broadcast's recipients while it is accepted: batches of ACCEPT_BATCH through the
 * group-commit writer, each recipient checked for a valid phone, an opt-out and (for the
 * daily limit, and for text broadcasts) the 24-hour window; duplicates counted. */
#include "svc/broadcasts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "svc/broadcast_internal.h"
#include "svc/conversations.h"
#include "svc/numbers.h"
#include "svc/phone.h"
#include "svc/template_send.h"
#include "svc/writer.h"

void broadcast_accept_clear(struct bc_accept *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->items[i].vars);
	a->n = 0;
}

static const char *skip_reason(struct bc_accept *a, struct store *s, const struct bc_item *it,
                               bool *closed, struct err *e, int *rc)
{
	*closed = false;
	if (!it->phone[0])
		return "invalidPhone";
	bool found = false;
	*rc = store_contact_find_by_phone(s, a->account_id, it->phone, a->contact, &found, e);
	bool opted_out = found && a->contact->opted_out;
	if (*rc != 0 || opted_out)
		return opted_out ? "optedOut" : NULL;
	struct conversation_row conv;
	*rc = store_conversation_find(s, a->account_id, a->b->phone_number_id, it->phone, &conv,
	                              &found, e);
	*closed = !(found && conv.last_inbound_at > 0 &&
	            a->now - conv.last_inbound_at < CONVERSATIONS_WINDOW_MS);
	if (*rc == 0 && *closed && a->skip_closed)
		return "outsideWindow";
	return NULL;
}

static void count_skip(struct broadcast_row *b, const char *reason)
{
	if (strcmp(reason, "invalidPhone") == 0)
		b->skipped_invalid++;
	else if (strcmp(reason, "optedOut") == 0)
		b->skipped_opted_out++;
	else
		b->skipped_window++;
}

/* Writer job: the batch's recipients, each checked against contacts and conversations. */
static int write_batch(struct store *s, void *arg, struct err *e)
{
	struct bc_accept *a = arg;
	struct broadcast_recipient_row *r = xcalloc(1, sizeof(*r));
	int rc = 0;
	for (int i = 0; rc == 0 && i < a->n; i++) {
		const struct bc_item *it = &a->items[i];
		bool closed = false, dup = false;
		const char *skip = skip_reason(a, s, it, &closed, e, &rc);
		if (rc != 0)
			break;
		memset(r, 0, sizeof(*r));
		memcpy(r->broadcast_id, a->b->id, sizeof(r->broadcast_id));
		r->seq = a->seq;
		str_copy_cstr(r->phone, sizeof(r->phone), it->phone[0] ? it->phone : it->raw);
		str_copy_cstr(r->name, sizeof(r->name), it->name);
		str_copy_cstr(r->variables, sizeof(r->variables), it->vars ? it->vars : "");
		str_copy_cstr(r->status, sizeof(r->status), skip ? "skipped" : "pending");
		str_copy_cstr(r->skip_reason, sizeof(r->skip_reason), skip ? skip : "");
		rc = store_broadcast_recipient_add(s, r, &dup, e);
		if (rc != 0 || dup) {
			a->b->skipped_duplicate += dup;
			continue;
		}
		a->seq++;
		if (skip) {
			count_skip(a->b, skip);
		} else {
			a->pending++;
			a->closed += closed;
		}
	}
	free(r);
	return rc;
}

int broadcast_accept_flush(struct bc_accept *a, struct err *e)
{
	if (a->n == 0)
		return 0;
	int rc = writer_run(a->c->svc->writer, write_batch, a, e);
	broadcast_accept_clear(a);
	return rc;
}

/* The ordered values as a JSON array text, after checking their count. */
static int values_json(struct bc_accept *a, const json_t *given, char **out, struct err *e)
{
	*out = NULL;
	if (!a->tpl)
		return 0;
	struct err tmp = {0};
	if (template_send_collect(a->tpl, given ? given : a->cmd->variables, a->vals, &tmp) != 0)
		return err_set(e, tmp.code, tmp.key, "Recipient %lld: %s", (long long)a->given,
		               tmp.message);
	json_t *arr = json_array();
	for (size_t i = 0; i < a->vals->n; i++)
		json_array_append_new(arr, json_string(a->vals->v[i]));
	*out = jsonw_dump(arr, NULL);
	json_decref(arr);
	if (*out && strlen(*out) >= STORE_BC_VARS_MAX) {
		free(*out);
		*out = NULL;
		return err_field(e, "variables", "of recipient %lld are too long",
		                 (long long)a->given);
	}
	return 0;
}

int broadcast_accept_add(struct bc_accept *a, const char *phone, const char *name,
                         const json_t *vars, struct err *e)
{
	a->given++;
	struct bc_item *it = &a->items[a->n];
	memset(it, 0, sizeof(*it));
	str_copy_cstr(it->raw, sizeof(it->raw), phone ? phone : "");
	str_copy_cstr(it->name, sizeof(it->name), name ? name : "");
	struct err ignored = {0};
	if (!phone || phone_normalize(phone, "phone", it->phone, &ignored) != 0)
		it->phone[0] = '\0';
	if (it->phone[0] && values_json(a, vars, &it->vars, e) != 0)
		return e->code;
	a->n++;
	return a->n == ACCEPT_BATCH ? broadcast_accept_flush(a, e) : 0;
}
