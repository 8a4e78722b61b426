/* Backend selection and the enum names shared by every backend. The URL decides:
 * "sqlite:PATH" is the SQLite backend; postgres URLs are recognised but not built yet, so
 * they get a clear message rather than a generic "bad URL". */
#include "store/store.h"

#include <string.h>

#include "core/str.h"
#include "store/store_sqlite.h"

int store_open(const char *url, struct store **out, struct err *e)
{
	*out = NULL;
	struct str u = str_from(url);
	if (str_starts_with(u, "sqlite:") && u.len > strlen("sqlite:"))
		return store_sqlite_open(url + strlen("sqlite:"), out, e);
	if (str_starts_with(u, "postgres://") || str_starts_with(u, "postgresql://"))
		return err_set(e, ERR_INVALID, "BACKEND_UNAVAILABLE",
		               "the PostgreSQL backend is not available in this build yet; use "
		               "DATABASE_URL=sqlite:PATH");
	return err_set(e, ERR_INVALID, "CONFIG_INVALID",
	               "DATABASE_URL must be sqlite:PATH (e.g. sqlite:./data/pixels.db) or "
	               "postgres://... / postgresql://...");
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

static const char *const account_status_names[] = {
    [ACCOUNT_STATUS_ACTIVE] = "active",
    [ACCOUNT_STATUS_SUSPENDED] = "suspended",
};

static const char *const user_role_names[] = {
    [USER_ROLE_OWNER] = "owner",
    [USER_ROLE_ADMIN] = "admin",
    [USER_ROLE_AGENT] = "agent",
};

#define STORE_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Out-of-range values (memory corruption, a cast gone wrong) name themselves "unknown",
 * which every backend's CHECK constraint refuses. */
const char *store_account_status_name(enum account_status st)
{
	if ((unsigned)st >= STORE_COUNT(account_status_names))
		return "unknown";
	return account_status_names[st];
}

int store_account_status_parse(const char *s, enum account_status *out)
{
	for (size_t i = 0; s && i < STORE_COUNT(account_status_names); i++) {
		if (strcmp(s, account_status_names[i]) == 0) {
			*out = (enum account_status)i;
			return 0;
		}
	}
	return -1;
}

const char *store_user_role_name(enum user_role role)
{
	if ((unsigned)role >= STORE_COUNT(user_role_names))
		return "unknown";
	return user_role_names[role];
}

int store_user_role_parse(const char *s, enum user_role *out)
{
	for (size_t i = 0; s && i < STORE_COUNT(user_role_names); i++) {
		if (strcmp(s, user_role_names[i]) == 0) {
			*out = (enum user_role)i;
			return 0;
		}
	}
	return -1;
}

static const char *const number_status_names[] = {
    [NUMBER_STATUS_ACTIVE] = "active",
    [NUMBER_STATUS_REAUTH] = "reauth",
    [NUMBER_STATUS_PAUSED] = "paused",
};

static const char *const conv_status_names[] = {
    [CONV_STATUS_OPEN] = "open",
    [CONV_STATUS_CLOSED] = "closed",
};

static const char *const msg_status_names[] = {
    [MSG_STATUS_QUEUED] = "queued",     [MSG_STATUS_SENDING] = "sending",
    [MSG_STATUS_ACCEPTED] = "accepted", [MSG_STATUS_SENT] = "sent",
    [MSG_STATUS_FAILED] = "failed",     [MSG_STATUS_DELIVERED] = "delivered",
    [MSG_STATUS_READ] = "read",         [MSG_STATUS_RECEIVED] = "received",
};

/* Looks s up in names (count entries); the index, or -1 (also for NULL). */
static int name_index(const char *const *names, size_t count, const char *s)
{
	for (size_t i = 0; s && i < count; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *store_number_status_name(enum number_status st)
{
	if ((unsigned)st >= STORE_COUNT(number_status_names))
		return "unknown";
	return number_status_names[st];
}

int store_number_status_parse(const char *s, enum number_status *out)
{
	int i = name_index(number_status_names, STORE_COUNT(number_status_names), s);
	if (i < 0)
		return -1;
	*out = (enum number_status)i;
	return 0;
}

const char *store_conv_status_name(enum conv_status st)
{
	if ((unsigned)st >= STORE_COUNT(conv_status_names))
		return "unknown";
	return conv_status_names[st];
}

int store_conv_status_parse(const char *s, enum conv_status *out)
{
	int i = name_index(conv_status_names, STORE_COUNT(conv_status_names), s);
	if (i < 0)
		return -1;
	*out = (enum conv_status)i;
	return 0;
}

const char *store_msg_status_name(enum msg_status st)
{
	if ((unsigned)st >= STORE_COUNT(msg_status_names))
		return "unknown";
	return msg_status_names[st];
}

int store_msg_status_parse(const char *s, enum msg_status *out)
{
	int i = name_index(msg_status_names, STORE_COUNT(msg_status_names), s);
	if (i < 0)
		return -1;
	*out = (enum msg_status)i;
	return 0;
}

/* RECEIVED (inbound) shares rank 0 with the outbound starting states: status reports only
 * ever address outbound messages. Out-of-range values rank -1, below everything. */
int store_msg_rank(enum msg_status st)
{
	switch (st) {
	case MSG_STATUS_QUEUED:
	case MSG_STATUS_SENDING:
	case MSG_STATUS_RECEIVED:
		return 0;
	case MSG_STATUS_ACCEPTED:
		return 1;
	case MSG_STATUS_SENT:
		return 2;
	case MSG_STATUS_FAILED:
		return 3;
	case MSG_STATUS_DELIVERED:
		return 4;
	case MSG_STATUS_READ:
		return 5;
	}
	return -1;
}
