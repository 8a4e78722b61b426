/* Contacts; see contacts.h. Validation happens here once, for the integration API and the
 * dashboard API alike. */
#include "svc/contacts.h"

#include <string.h>

#include "core/str.h"
#include "svc/accounts.h"
#include "svc/phone.h"

static int check_text(const char *v, const char *field, size_t cap, bool required, struct err *e)
{
	if (!v || !*v)
		return required ? err_field(e, field, "is required") : 0;
	size_t len = strlen(v);
	if (len >= cap)
		return err_field(e, field, "must be at most %zu characters", cap - 1);
	if (!str_is_clean_utf8((struct str){v, len}) || strpbrk(v, "\r\n\t"))
		return err_field(e, field, "must be plain text on one line");
	return 0;
}

static int apply_tags(const struct contact_cmd *cmd, struct contact_row *row, struct err *e)
{
	if (cmd->ntags > STORE_TAGS_MAX)
		return err_field(e, "tags", "at most %d tags", STORE_TAGS_MAX);
	row->ntags = 0;
	for (int i = 0; i < cmd->ntags; i++) {
		const char *t = cmd->tags[i];
		int rc = check_text(t, "tags", STORE_TAG_MAX, true, e);
		if (rc == 0 && strchr(t, ','))
			rc = err_field(e, "tags", "a tag must not contain ','");
		if (rc != 0)
			return rc;
		bool dup = false;
		for (int j = 0; j < row->ntags && !dup; j++)
			dup = strcmp(row->tags[j], t) == 0;
		if (!dup)
			str_copy_cstr(row->tags[row->ntags++], STORE_TAG_MAX, t);
	}
	return 0;
}

/* Validates cmd and writes its present fields into row. */
static int apply(const struct contact_cmd *cmd, bool creating, struct contact_row *row,
                 struct err *e)
{
	int rc = check_text(cmd->name, "name", STORE_NAME_MAX, creating, e);
	if (rc == 0 && cmd->name)
		str_copy_cstr(row->name, sizeof(row->name), cmd->name);
	if (rc == 0 && (creating || cmd->phone))
		rc = phone_normalize(cmd->phone, "phone", row->phone, e);
	if (rc == 0 && cmd->email && *cmd->email)
		rc = accounts_normalize_email(cmd->email, "email", row->email, e);
	else if (rc == 0 && cmd->email)
		row->email[0] = '\0';
	if (rc == 0 && cmd->has_tags)
		rc = apply_tags(cmd, row, e);
	if (rc == 0 && cmd->has_attributes) {
		const char *a = cmd->attributes ? cmd->attributes : "";
		if (str_copy_cstr(row->attributes, sizeof(row->attributes), a) != 0)
			rc = err_field(e, "attributes", "must be at most %d bytes as JSON",
			               STORE_ATTRS_MAX - 1);
	}
	return rc;
}

/* On a phone conflict, points out->id at the contact that holds the phone. */
static int conflict(struct ctx *c, const char *account_id, struct contact_row *row, struct err *e)
{
	struct contact_row existing;
	bool found = false;
	struct err tmp = {0};
	if (store_contact_find_by_phone(c->store, account_id, row->phone, &existing, &found,
	                                &tmp) == 0 &&
	    found)
		memcpy(row->id, existing.id, sizeof(row->id));
	err_clear(e);
	return err_set(e, ERR_CONFLICT, "CONTACT_EXISTS",
	               "A contact with this phone number already exists (id %s)", row->id);
}

int contacts_create(struct ctx *c, const char *account_id, const struct contact_cmd *cmd,
                    struct contact_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	int rc = apply(cmd, true, out, e);
	if (rc != 0)
		return rc;
	out->created_at = out->updated_at = svc_now(c);
	ids_new(out->created_at, out->id);
	str_copy_cstr(out->account_id, sizeof(out->account_id), account_id);
	rc = store_contact_insert(c->store, out, e);
	if (rc == ERR_CONFLICT && strcmp(e->key, "CONTACT_EXISTS") == 0)
		return conflict(c, account_id, out, e);
	return rc;
}

int contacts_get(struct ctx *c, const char *account_id, const char *id, struct contact_row *out,
                 struct err *e)
{
	if (!ids_is_valid(str_from(id)))
		return err_set(e, ERR_NOT_FOUND, "CONTACT_NOT_FOUND", "Contact not found");
	return store_contact_get(c->store, account_id, id, out, e);
}

int contacts_update(struct ctx *c, const char *account_id, const char *id,
                    const struct contact_cmd *cmd, struct contact_row *out, struct err *e)
{
	int rc = contacts_get(c, account_id, id, out, e);
	if (rc == 0)
		rc = apply(cmd, false, out, e);
	if (rc != 0)
		return rc;
	out->updated_at = svc_now(c);
	rc = store_contact_update(c->store, out, e);
	if (rc == ERR_CONFLICT && strcmp(e->key, "CONTACT_EXISTS") == 0)
		return conflict(c, account_id, out, e);
	return rc;
}

int contacts_delete(struct ctx *c, const char *account_id, const char *id, struct err *e)
{
	if (!ids_is_valid(str_from(id)))
		return err_set(e, ERR_NOT_FOUND, "CONTACT_NOT_FOUND", "Contact not found");
	return store_contact_delete(c->store, account_id, id, e);
}

int contacts_list(struct ctx *c, const char *account_id, const struct contact_filter *f,
                  void (*each)(void *arg, const struct contact_row *row), void *arg, int64_t *total,
                  struct err *e)
{
	return store_contact_list(c->store, account_id, f, each, arg, total, e);
}
