/* Conversations: one per (account, business number, customer). Reading them, clearing the
 * unread count (and telling Meta the latest customer message was read), opening and closing
 * them. The 24-hour customer-service window is derived from the last inbound message. */
#ifndef PIXELS_SVC_CONVERSATIONS_H
#define PIXELS_SVC_CONVERSATIONS_H

#include "svc/svc.h"

#define CONVERSATIONS_WINDOW_MS INT64_C(86400000)

int conversations_list(struct ctx *c, const char *account_id, const struct conversation_filter *f,
                       void (*each)(void *arg, const struct conversation_row *row), void *arg,
                       int64_t *total, struct err *e);
/* By our id or the composite "<accountId>_<phoneNumberId>_<userPhone>". */
int conversations_get(struct ctx *c, const char *account_id, const char *id,
                      struct conversation_row *out, struct err *e);
/* A page of the conversation's messages, oldest first within the page (the page itself is
 * the newest limit messages after skipping offset, like the original system). */
int conversations_messages(struct ctx *c, const char *account_id, const char *id, int64_t limit,
                           int64_t offset, void (*each)(void *arg, const struct message_row *row),
                           void *arg, int64_t *total, struct err *e);
/* Clears unread and sends Meta's mark-as-read for the latest inbound message (best effort:
 * a failure is logged, the local state still changes). */
int conversations_mark_read(struct ctx *c, const char *account_id, const char *id,
                            struct conversation_row *out, struct err *e);
/* status: "open" | "closed" (VALIDATION_ERROR otherwise). */
int conversations_set_status(struct ctx *c, const char *account_id, const char *id,
                             const char *status, struct conversation_row *out, struct err *e);

#endif
