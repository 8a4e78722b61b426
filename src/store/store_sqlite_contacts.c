/* SQLite contacts and their tags. A write touches the contact row and its tag rows, so it
 * runs inside a savepoint: all of it lands or none (inside the caller's transaction if one is
 * open). Tags keep the caller's order (a position column); a tag given twice is stored once.
 * Every query is scoped by account_id; the list search is a literal substring match (instr),
 * never a LIKE pattern, so '%' and '_' in user text mean themselves. */
#include "store/store_sqlite_internal.h"

#include <string.h>

#define CONTACT_COLUMNS                                                                            \
	"id, account_id, name, phone, email, attributes, opted_out, created_at, updated_at"

static int check_contact(const struct contact_row *c, struct err *e)
{
	if (!store_sqlite_fits(c->id, sizeof(c->id)) ||
	    !store_sqlite_fits(c->account_id, sizeof(c->account_id)))
		return store_sqlite_too_long("id", e);
	if (!store_sqlite_fits(c->name, sizeof(c->name)))
		return store_sqlite_too_long("name", e);
	if (!store_sqlite_fits(c->phone, sizeof(c->phone)))
		return store_sqlite_too_long("phone", e);
	if (!store_sqlite_fits(c->email, sizeof(c->email)))
		return store_sqlite_too_long("email", e);
	if (!store_sqlite_fits(c->attributes, sizeof(c->attributes)))
		return store_sqlite_too_long("attributes", e);
	if (c->ntags < 0 || c->ntags > STORE_TAGS_MAX)
		return err_set(e, ERR_INVALID, "VALUE_TOO_LONG",
		               "a contact holds 0 to %d tags, not %d", STORE_TAGS_MAX, c->ntags);
	for (int i = 0; i < c->ntags; i++)
		if (!store_sqlite_fits(c->tags[i], sizeof(c->tags[i])))
			return store_sqlite_too_long("tag", e);
	return 0;
}

/* Binds the columns insert and update share: ?1 id, ?2 account_id, ?3 name, ?4 phone,
 * ?5 email, ?6 attributes, ?7 opted_out, ?8 updated_at. */
static bool bind_contact(sqlite3_stmt *st, const struct contact_row *c)
{
	return store_sqlite_bind_text(st, 1, c->id) &&
	       store_sqlite_bind_text(st, 2, c->account_id) &&
	       store_sqlite_bind_text(st, 3, c->name) && store_sqlite_bind_text(st, 4, c->phone) &&
	       store_sqlite_bind_text(st, 5, c->email) &&
	       store_sqlite_bind_text(st, 6, c->attributes) &&
	       store_sqlite_bind_i64(st, 7, c->opted_out ? 1 : 0) &&
	       store_sqlite_bind_i64(st, 8, c->updated_at);
}

/* Inserts c's tags; the contact row must exist in c->account_id (and have no tags left). */
static int insert_tags(struct store_sqlite *q, const struct contact_row *c, struct err *e)
{
	sqlite3_stmt *st;
	int ret =
	    store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_TAG_INSERT,
	                      "INSERT INTO contact_tags(account_id, contact_id, tag, position) "
	                      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (contact_id, tag) DO NOTHING",
	                      &st, e);
	for (int i = 0; ret == 0 && i < c->ntags; i++) {
		if (!store_sqlite_bind_text(st, 1, c->account_id) ||
		    !store_sqlite_bind_text(st, 2, c->id) ||
		    !store_sqlite_bind_text(st, 3, c->tags[i]) || !store_sqlite_bind_i64(st, 4, i))
			return store_sqlite_bind_fail(q, st, e);
		ret = store_sqlite_exec_stmt(q, st, NULL, e);
	}
	return ret;
}

/* In this and load_tags the unary + keeps SQLite off the (account_id, tag) index: the
 * primary key (contact_id, tag) finds one contact's tags directly, the account index would
 * scan every tag of the account. */
static int delete_tags(struct store_sqlite *q, const struct contact_row *c, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_TAGS_DELETE,
	                            "DELETE FROM contact_tags WHERE +account_id = ?1 "
	                            "AND contact_id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, c->account_id) || !store_sqlite_bind_text(st, 2, c->id))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_stmt(q, st, NULL, e);
}

/* Fills out->tags and out->ntags for the contact out->id of out->account_id. */
static int load_tags(struct store_sqlite *q, struct contact_row *out, struct err *e)
{
	sqlite3_stmt *st;
	out->ntags = 0;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_TAGS_GET,
	                            "SELECT tag FROM contact_tags WHERE +account_id = ?1 "
	                            "AND contact_id = ?2 ORDER BY position, tag",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, out->account_id) ||
	    !store_sqlite_bind_text(st, 2, out->id))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (rc == SQLITE_ROW) {
		if (out->ntags == STORE_TAGS_MAX) {
			ret = err_set(e, ERR_INTERNAL, "DATABASE_ERROR",
			              "contact holds more than %d tags", STORE_TAGS_MAX);
			break;
		}
		ret =
		    store_sqlite_column_text(st, 0, out->tags[out->ntags], sizeof(out->tags[0]), e);
		if (ret != 0)
			break;
		out->ntags++;
		rc = sqlite3_step(st);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

/* Reads the CONTACT_COLUMNS of the current row (tags not loaded). */
static int read_contact(sqlite3_stmt *st, struct contact_row *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (store_sqlite_column_text(st, 0, out->id, sizeof(out->id), e) != 0 ||
	    store_sqlite_column_text(st, 1, out->account_id, sizeof(out->account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, out->name, sizeof(out->name), e) != 0 ||
	    store_sqlite_column_text(st, 3, out->phone, sizeof(out->phone), e) != 0 ||
	    store_sqlite_column_text(st, 4, out->email, sizeof(out->email), e) != 0 ||
	    store_sqlite_column_text(st, 5, out->attributes, sizeof(out->attributes), e) != 0)
		return ERR_INTERNAL;
	out->opted_out = sqlite3_column_int64(st, 6) != 0;
	out->created_at = sqlite3_column_int64(st, 7);
	out->updated_at = sqlite3_column_int64(st, 8);
	return 0;
}

int store_sqlite_contacts_insert(struct store *s, const struct contact_row *c, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	int ret = check_contact(c, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_INSERT,
	                        "INSERT INTO contacts(id, account_id, name, phone, email, "
	                        "attributes, opted_out, updated_at, created_at) "
	                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	                        &st, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	if (!bind_contact(st, c) || !store_sqlite_bind_i64(st, 9, c->created_at))
		ret = store_sqlite_bind_fail(q, st, e);
	else
		ret = store_sqlite_exec_stmt(q, st, "CONTACT_EXISTS", e);
	if (ret == 0)
		ret = insert_tags(q, c, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

/* Steps a bound contact SELECT: one row -> *out with its tags, none -> *found false. */
static int step_contact(struct store_sqlite *q, sqlite3_stmt *st, struct contact_row *out,
                        bool *found, struct err *e)
{
	int ret = 0;
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		ret = read_contact(st, out, e);
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	if (ret == 0 && *found)
		ret = load_tags(q, out, e);
	return ret;
}

int store_sqlite_contacts_get(struct store *s, const char *account_id, const char *contact_id,
                              struct contact_row *out, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_GET,
	                            "SELECT " CONTACT_COLUMNS " FROM contacts "
	                            "WHERE account_id = ?1 AND id = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, contact_id))
		return store_sqlite_bind_fail(q, st, e);
	ret = step_contact(q, st, out, &found, e);
	if (ret == 0 && !found)
		ret = err_set(e, ERR_NOT_FOUND, "CONTACT_NOT_FOUND", "contact not found");
	return ret;
}

int store_sqlite_contacts_find_by_phone(struct store *s, const char *account_id, const char *phone,
                                        struct contact_row *out, bool *found, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	*found = false;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_FIND_BY_PHONE,
	                            "SELECT " CONTACT_COLUMNS " FROM contacts "
	                            "WHERE account_id = ?1 AND phone = ?2",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) || !store_sqlite_bind_text(st, 2, phone))
		return store_sqlite_bind_fail(q, st, e);
	return step_contact(q, st, out, found, e);
}

/* The row update matches the contact within c->account_id only, so once it succeeds the
 * tags deleted and inserted next belong to that account's contact. */
int store_sqlite_contacts_update(struct store *s, const struct contact_row *c, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	bool outermost = false;
	int ret = check_contact(c, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_UPDATE,
	                        "UPDATE contacts SET name = ?3, phone = ?4, email = ?5, "
	                        "attributes = ?6, opted_out = ?7, updated_at = ?8 "
	                        "WHERE account_id = ?2 AND id = ?1",
	                        &st, e);
	if (ret != 0)
		return ret;
	ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	if (!bind_contact(st, c))
		ret = store_sqlite_bind_fail(q, st, e);
	else
		ret = store_sqlite_exec_update(q, st, "CONTACT_EXISTS", "CONTACT_NOT_FOUND",
		                               "contact not found", e);
	if (ret == 0)
		ret = delete_tags(q, c, e);
	if (ret == 0)
		ret = insert_tags(q, c, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}

/* One statement: the tags go with the row through ON DELETE CASCADE. */
int store_sqlite_contacts_delete(struct store *s, const char *account_id, const char *contact_id,
                                 struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	sqlite3_stmt *st;
	int ret =
	    store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_DELETE,
	                      "DELETE FROM contacts WHERE account_id = ?1 AND id = ?2", &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_text(st, 1, account_id) ||
	    !store_sqlite_bind_text(st, 2, contact_id))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_exec_update(q, st, NULL, "CONTACT_NOT_FOUND", "contact not found", e);
}

/* The filter both the page and the count apply: ?1 account, ?2 search (NULL = any), ?3 tag
 * (NULL = any). lower() folds ASCII only, which is what the contract asks for. */
#define CONTACT_FILTER                                                                             \
	"WHERE c.account_id = ?1 "                                                                 \
	"AND (?2 IS NULL OR instr(lower(c.name), lower(?2)) > 0 "                                  \
	"OR instr(lower(c.phone), lower(?2)) > 0 OR instr(lower(c.email), lower(?2)) > 0) "        \
	"AND (?3 IS NULL OR EXISTS (SELECT 1 FROM contact_tags t WHERE t.account_id = ?1 "         \
	"AND t.contact_id = c.id AND t.tag = ?3))"

static bool bind_filter(sqlite3_stmt *st, const char *account_id, const struct contact_filter *f)
{
	return store_sqlite_bind_text(st, 1, account_id) &&
	       store_sqlite_bind_text(st, 2, f->search) && store_sqlite_bind_text(st, 3, f->tag);
}

static int contact_count(struct store_sqlite *q, const char *account_id,
                         const struct contact_filter *f, int64_t *total, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_COUNT,
	                            "SELECT count(*) FROM contacts c " CONTACT_FILTER, &st, e);
	if (ret != 0)
		return ret;
	if (!bind_filter(st, account_id, f))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_one_i64(q, st, total, e);
}

/* Each row's tags are read by a second statement while the page statement is still open:
 * SQLite allows that, and at most 500 rows per page it costs one indexed lookup each. */
static int contact_page(struct store_sqlite *q, const char *account_id,
                        const struct contact_filter *f,
                        void (*each)(void *arg, const struct contact_row *row), void *arg,
                        struct err *e)
{
	sqlite3_stmt *st;
	struct contact_row row;
	int ret = store_sqlite_stmt(q, STORE_SQLITE_STMT_CONTACT_LIST,
	                            "SELECT " CONTACT_COLUMNS " FROM contacts c " CONTACT_FILTER
	                            " ORDER BY c.created_at DESC, c.id DESC LIMIT ?4 OFFSET ?5",
	                            &st, e);
	if (ret != 0)
		return ret;
	if (!bind_filter(st, account_id, f) || !store_sqlite_bind_i64(st, 4, f->limit) ||
	    !store_sqlite_bind_i64(st, 5, f->offset))
		return store_sqlite_bind_fail(q, st, e);
	int rc = sqlite3_step(st);
	while (ret == 0 && rc == SQLITE_ROW) {
		ret = read_contact(st, &row, e);
		if (ret == 0)
			ret = load_tags(q, &row, e);
		if (ret == 0)
			each(arg, &row);
		rc = ret == 0 ? sqlite3_step(st) : SQLITE_DONE;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_fail(q, rc, NULL, e);
	store_sqlite_done(st);
	return ret;
}

int store_sqlite_contacts_list(struct store *s, const char *account_id,
                               const struct contact_filter *f,
                               void (*each)(void *arg, const struct contact_row *row), void *arg,
                               int64_t *total, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	bool outermost = false;
	*total = 0;
	int ret = store_sqlite_savepoint(q, &outermost, e);
	if (ret != 0)
		return ret;
	ret = contact_count(q, account_id, f, total, e);
	if (ret == 0)
		ret = contact_page(q, account_id, f, each, arg, e);
	return store_sqlite_savepoint_end(q, outermost, ret, e);
}
