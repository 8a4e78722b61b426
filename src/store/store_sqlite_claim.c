/* SQLite claim: for each number the dispatcher asks for, up to its max due messages (QUEUED,
 * next_attempt_at <= now, the number ACTIVE) are marked SENDING and handed over in claim
 * order: priority, then due time, then age. How much each number gets is the dispatcher's
 * choice (pacer_wants: what its pacing FIFO lacks). The claim runs with the write lock held
 * from its first read (store_sqlite_write_begin), so two dispatchers on two handles never
 * take the same row. */
#include "store/store_sqlite_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct claim_item {
	struct claimed_message m;
	int64_t next_attempt_at, created_at; /* the claim order, with m.priority and m.id */
};

static int claim_cmp(const void *pa, const void *pb)
{
	const struct claim_item *a = pa, *b = pb;
	if (a->m.priority != b->m.priority)
		return a->m.priority < b->m.priority ? -1 : 1;
	if (a->next_attempt_at != b->next_attempt_at)
		return a->next_attempt_at < b->next_attempt_at ? -1 : 1;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? -1 : 1;
	return strcmp(a->m.id, b->m.id);
}

static int read_claim(sqlite3_stmt *st, struct claim_item *it, struct err *e)
{
	memset(it, 0, sizeof(*it));
	if (store_sqlite_column_text(st, 0, it->m.id, sizeof(it->m.id), e) != 0 ||
	    store_sqlite_column_text(st, 1, it->m.account_id, sizeof(it->m.account_id), e) != 0 ||
	    store_sqlite_column_text(st, 2, it->m.phone_number_id, sizeof(it->m.phone_number_id),
	                             e) != 0 ||
	    store_sqlite_column_text(st, 3, it->m.user_phone, sizeof(it->m.user_phone), e) != 0 ||
	    store_sqlite_column_text(st, 4, it->m.request, sizeof(it->m.request), e) != 0)
		return ERR_INTERNAL;
	it->m.attempts = sqlite3_column_int(st, 5);
	it->m.queued_at = sqlite3_column_int64(st, 6);
	it->m.priority = sqlite3_column_int(st, 7);
	it->next_attempt_at = sqlite3_column_int64(st, 8);
	it->created_at = sqlite3_column_int64(st, 9);
	return 0;
}

#define CLAIM_RETURNING                                                                            \
	"RETURNING id, account_id, phone_number_id, user_phone, request, attempts, queued_at, "    \
	"priority, next_attempt_at, created_at"

/* The rows a claim has taken so far (heap, n of them, room for cap). */
struct claim_list {
	struct claim_item *items;
	size_t n, cap;
};

static int claim_collect(void *arg, sqlite3_stmt *st, struct err *e)
{
	struct claim_list *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	int ret = read_claim(st, &l->items[l->n], e);
	if (ret == 0)
		l->n++;
	return ret;
}

/* Marks up to max due rows of one number SENDING (nothing when the number is not active),
 * in claim order, through the index messages_claim_number. */
static int claim_number(struct store_sqlite *q, const char *number, int64_t now, int max,
                        struct claim_list *l, struct err *e)
{
	sqlite3_stmt *st;
	int ret = store_sqlite_stmt(
	    q, STORE_SQLITE_STMT_MESSAGE_CLAIM_NUMBER,
	    "UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = ?1 "
	    "WHERE id IN (SELECT id FROM messages WHERE phone_number_id = ?3 "
	    "AND status = 'queued' AND next_attempt_at <= ?1 AND EXISTS (SELECT 1 FROM "
	    "phone_numbers WHERE phone_number_id = ?3 AND status = 'active') "
	    "ORDER BY priority, next_attempt_at, created_at, id LIMIT ?2) " CLAIM_RETURNING,
	    &st, e);
	if (ret != 0)
		return ret;
	if (!store_sqlite_bind_i64(st, 1, now) || !store_sqlite_bind_i64(st, 2, max) ||
	    !store_sqlite_bind_text(st, 3, number))
		return store_sqlite_bind_fail(q, st, e);
	return store_sqlite_each_row(q, st, claim_collect, l, e);
}

/* Hands the claimed rows to each in claim order, then frees them. */
static void claim_hand_over(struct claim_list *l,
                            void (*each)(void *arg, const struct claimed_message *m), void *arg)
{
	if (l->n > 0)
		qsort(l->items, l->n, sizeof(*l->items), claim_cmp);
	for (size_t i = 0; i < l->n; i++)
		each(arg, &l->items[i].m);
	free(l->items);
}

/* each runs after the claim is committed (or released into the caller's transaction), so
 * the dispatcher never sends a message whose claim could still be rolled back. */
int store_sqlite_claim_numbers(struct store *s, int64_t now, const struct claim_want *wants,
                               size_t n, void (*each)(void *arg, const struct claimed_message *m),
                               void *arg, struct err *e)
{
	struct store_sqlite *q = store_sqlite_from(s);
	struct claim_list l = {0};
	bool own = false;
	if (n == 0)
		return 0;
	int ret = store_sqlite_write_begin(q, &own, e);
	if (ret != 0)
		return ret;
	for (size_t i = 0; ret == 0 && i < n; i++)
		if (wants[i].max > 0)
			ret = claim_number(q, wants[i].phone_number_id, now, wants[i].max, &l, e);
	ret = store_sqlite_write_end(q, own, ret, e);
	if (ret != 0)
		l.n = 0;
	claim_hand_over(&l, each, arg);
	return ret;
}
