/* Audit log listing; see api_audit.h. */
#include "api/api_audit.h"

#include "svc/audit.h"

static void add_event(void *arg, const struct audit_row *r)
{
	json_t *details = r->details[0] ? json_loads(r->details, 0, NULL) : NULL;
	json_t *actor = json_pack("{s:s, s:o, s:s}", "type", r->actor_type, "id",
	                          jsonw_string_or_null(r->actor_id[0] ? r->actor_id : NULL),
	                          "label", r->actor_label);
	json_array_append_new(arg, json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o}", "id",
	                                     r->id, "action", r->action, "actor", actor, "target",
	                                     r->target, "ip", r->ip, "userAgent", r->user_agent,
	                                     "details", details ? details : json_null(),
	                                     "createdAt", jsonw_time_or_null(r->created_at)));
}

int api_audit_list(struct api_call *c)
{
	struct audit_filter f = {0};
	if (api_query_int(c, "limit", 50, 1, 200, &f.limit) ||
	    api_query_int(c, "offset", 0, 0, 10000000, &f.offset) ||
	    api_query_str(c, "action", STORE_AUDIT_ACTION_MAX - 1, &f.action))
		return c->err.code;
	json_t *events = json_array();
	int64_t total = 0;
	int rc = audit_list(c->ctx, c->account_id, &f, add_event, events, &total, &c->err);
	if (rc != 0) {
		json_decref(events);
		return rc;
	}
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o}", "events", events, "pagination",
	                        api_pagination_json(total, f.limit, f.offset)));
}
