/* Audit events; see audit.h. */
#include "svc/audit.h"

#include <string.h>

#include "core/log.h"
#include "core/str.h"

int audit_record(struct ctx *c, const char *account_id, const struct audit_actor *actor,
                 const char *action, const char *target, const char *details, struct err *e)
{
	struct audit_row row;
	memset(&row, 0, sizeof(row));
	row.created_at = svc_now(c);
	ids_new(row.created_at, row.id);
	str_copy_cstr(row.account_id, sizeof(row.account_id), account_id);
	str_copy_cstr(row.actor_type, sizeof(row.actor_type), actor->type);
	str_copy_cstr(row.actor_id, sizeof(row.actor_id), actor->id ? actor->id : "");
	str_copy_cstr(row.actor_label, sizeof(row.actor_label), actor->label ? actor->label : "");
	str_copy_cstr(row.action, sizeof(row.action), action);
	str_copy_cstr(row.target, sizeof(row.target), target ? target : "");
	str_copy_cstr(row.ip, sizeof(row.ip), actor->ip ? actor->ip : "");
	str_copy_cstr(row.user_agent, sizeof(row.user_agent),
	              actor->user_agent ? actor->user_agent : "");
	if (details && str_copy_cstr(row.details, sizeof(row.details), details) != 0)
		row.details[0] = '\0'; /* never store a cut (invalid) JSON text */
	return store_audit_insert(c->store, &row, e);
}

void audit_note(struct ctx *c, const char *account_id, const struct audit_actor *actor,
                const char *action, const char *target, const char *details)
{
	struct err e = {0};
	if (audit_record(c, account_id, actor, action, target, details, &e) != 0)
		log_error("pixels:audit", "could not record %s for account %s: %s", action,
		          account_id, e.message);
}

int audit_list(struct ctx *c, const char *account_id, const struct audit_filter *f,
               void (*each)(void *arg, const struct audit_row *row), void *arg, int64_t *total,
               struct err *e)
{
	return store_audit_list(c->store, account_id, f, each, arg, total, e);
}
