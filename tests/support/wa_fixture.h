/* Builders for the WhatsApp store suites (test_store_whatsapp.c, _messages.c, _dispatch.c,
 * _dispatch_race.c): numbers, conversations and messages filled with made-up but valid
 * values derived from a small number k, plus a "world" (account + number + conversation)
 * most tests start from. Everything goes through store.h. */
#ifndef PIXELS_TESTS_WA_FIXTURE_H
#define PIXELS_TESTS_WA_FIXTURE_H

#include <stdint.h>

#include "store/store.h"
#include "store_fixture.h"

/* Id kinds for store_fixture_make_id. */
#define WA_KIND_NUMBER 0x9b
#define WA_KIND_CONV 0xc0c0
#define WA_KIND_MESSAGE 0x3e55

/* Number k of account_id: phone_number_id "1000000000<k>", active, not default, created at. */
void wa_fill_number(struct number_row *n, const char *account_id, unsigned k, int64_t at);
/* Conversation k with customer "4915<k, 8 digits>" on the business number phone_number_id. */
void wa_fill_conversation(struct conversation_row *c, const char *account_id,
                          const char *phone_number_id, unsigned k, int64_t at);
/* Message k in conversation c: outbound QUEUED (due at `at`, priority 0) or inbound RECEIVED
 * (with wamid "wamid.in.<k>"), created at `at`. */
void wa_fill_message(struct message_row *m, const struct conversation_row *c, unsigned k,
                     enum msg_direction dir, int64_t at);

/* A fresh account with number k (active) and one conversation on it. */
struct wa_world {
	struct account_row a;
	struct number_row n;
	struct conversation_row c;
};

void wa_world_new(struct store_fixture *fx, struct wa_world *w, unsigned k);
/* Inserts outbound message k of w's conversation (queued, due at `at`, with priority) and
 * copies it into *m unless m is NULL. */
void wa_queue_message(struct store_fixture *fx, const struct wa_world *w, unsigned k, int64_t at,
                      int priority, struct message_row *m);
/* Reads message id of account_id (must exist). The returned row is static, overwritten by
 * the next call. */
const struct message_row *wa_get_message(struct store_fixture *fx, const char *account_id,
                                         const char *id);

#endif
