/* Contacts of an account: the people it messages. One contact per phone number per account
 * (phones normalised by svc/phone). Every function is scoped by the caller's account id. */
#ifndef PIXELS_SVC_CONTACTS_H
#define PIXELS_SVC_CONTACTS_H

#include <stdbool.h>

#include "svc/svc.h"

/* A create or update request. For updates, NULL fields (and has_tags/has_attributes false)
 * keep the current value. attributes: a JSON object as text, already validated by the
 * caller. */
struct contact_cmd {
	const char *name;
	const char *phone;
	const char *email; /* "" clears it on update */
	const char *tags[STORE_TAGS_MAX];
	int ntags;
	bool has_tags;
	const char *attributes;
	bool has_attributes;
};

/* Errors: VALIDATION_ERROR (name, email, tags), ERR_INVALID "INVALID_PHONE", ERR_CONFLICT
 * "CONTACT_EXISTS" with out->id set to the existing contact's id. */
int contacts_create(struct ctx *c, const char *account_id, const struct contact_cmd *cmd,
                    struct contact_row *out, struct err *e);
/* ERR_NOT_FOUND "CONTACT_NOT_FOUND" for unknown ids and for other accounts' contacts. */
int contacts_get(struct ctx *c, const char *account_id, const char *id, struct contact_row *out,
                 struct err *e);
int contacts_update(struct ctx *c, const char *account_id, const char *id,
                    const struct contact_cmd *cmd, struct contact_row *out, struct err *e);
int contacts_delete(struct ctx *c, const char *account_id, const char *id, struct err *e);
/* Newest first; each(arg, row) per row of the page; *total = all matches. */
int contacts_list(struct ctx *c, const char *account_id, const struct contact_filter *f,
                  void (*each)(void *arg, const struct contact_row *row), void *arg, int64_t *total,
                  struct err *e);

#endif
