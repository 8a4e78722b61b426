/* The audit log: security-relevant events per account (logins, logouts, password and token
 * changes, token use from new addresses, settings changes), with who did it and from where.
 * Recording never blocks the caller's operation: a failed write is logged and dropped unless
 * the caller records inside its own transaction and checks the result. */
#ifndef PIXELS_SVC_AUDIT_H
#define PIXELS_SVC_AUDIT_H

#include "svc/svc.h"

struct audit_actor {
	const char *type;  /* "user" | "token" | "system" */
	const char *id;    /* user or token id; NULL for system */
	const char *label; /* email or token prefix */
	const char *ip;
	const char *user_agent;
};

/* Writes one event. details: a JSON object as text or NULL. Returns the store's result. */
int audit_record(struct ctx *c, const char *account_id, const struct audit_actor *actor,
                 const char *action, const char *target, const char *details, struct err *e);
/* Same, but failures are only logged (for events outside a transaction). */
void audit_note(struct ctx *c, const char *account_id, const struct audit_actor *actor,
                const char *action, const char *target, const char *details);
/* Lists events newest first; see store_audit_list. */
int audit_list(struct ctx *c, const char *account_id, const struct audit_filter *f,
               void (*each)(void *arg, const struct audit_row *row), void *arg, int64_t *total,
               struct err *e);

#endif
