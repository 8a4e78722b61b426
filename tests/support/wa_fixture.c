/* WhatsApp store test builders (wa_fixture.h). Values are fixed functions of k so a test
 * can rebuild the row it expects. */
#include "wa_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/str.h"

void wa_fill_number(struct number_row *n, const char *account_id, unsigned k, int64_t at)
{
	memset(n, 0, sizeof(*n));
	store_fixture_make_id(n->id, WA_KIND_NUMBER, k);
	str_copy_cstr(n->account_id, sizeof(n->account_id), account_id);
	snprintf(n->phone_number_id, sizeof(n->phone_number_id), "1000000000%u", k);
	snprintf(n->waba_id, sizeof(n->waba_id), "2000000000%u", k);
	snprintf(n->display_name, sizeof(n->display_name), "Acme line %u", k);
	snprintf(n->display_phone, sizeof(n->display_phone), "+1 555 010 %04u", k);
	snprintf(n->verified_name, sizeof(n->verified_name), "Acme Inc %u", k);
	str_copy_cstr(n->quality_rating, sizeof(n->quality_rating), "GREEN");
	snprintf(n->access_token_sealed, sizeof(n->access_token_sealed), "sealed-token-%u", k);
	n->throughput_mps = 80;
	n->status = NUMBER_STATUS_ACTIVE;
	n->created_at = n->updated_at = at;
}

void wa_fill_conversation(struct conversation_row *c, const char *account_id,
                          const char *phone_number_id, unsigned k, int64_t at)
{
	memset(c, 0, sizeof(*c));
	store_fixture_make_id(c->id, WA_KIND_CONV, k);
	str_copy_cstr(c->account_id, sizeof(c->account_id), account_id);
	str_copy_cstr(c->phone_number_id, sizeof(c->phone_number_id), phone_number_id);
	snprintf(c->user_phone, sizeof(c->user_phone), "4915%08u", k);
	snprintf(c->user_name, sizeof(c->user_name), "Customer %u", k);
	snprintf(c->user_profile_name, sizeof(c->user_profile_name), "Profile %u", k);
	c->last_message_at = at;
	str_copy_cstr(c->last_message_preview, sizeof(c->last_message_preview), "hello");
	str_copy_cstr(c->last_message_type, sizeof(c->last_message_type), "text");
	c->status = CONV_STATUS_OPEN;
	c->created_at = c->updated_at = at;
}

void wa_fill_message(struct message_row *m, const struct conversation_row *c, unsigned k,
                     enum msg_direction dir, int64_t at)
{
	memset(m, 0, sizeof(*m));
	store_fixture_make_id(m->id, WA_KIND_MESSAGE, k);
	str_copy_cstr(m->account_id, sizeof(m->account_id), c->account_id);
	str_copy_cstr(m->conversation_id, sizeof(m->conversation_id), c->id);
	str_copy_cstr(m->phone_number_id, sizeof(m->phone_number_id), c->phone_number_id);
	m->direction = dir;
	str_copy_cstr(m->type, sizeof(m->type), "text");
	str_copy_cstr(m->user_phone, sizeof(m->user_phone), c->user_phone);
	snprintf(m->content, sizeof(m->content), "{\"body\":\"message %u\"}", k);
	m->pricing_billable = -1;
	m->created_at = m->updated_at = at;
	if (dir == MSG_DIR_IN) {
		m->status = MSG_STATUS_RECEIVED;
		snprintf(m->wa_message_id, sizeof(m->wa_message_id), "wamid.in.%u", k);
		return;
	}
	snprintf(m->request, sizeof(m->request),
	         "{\"messaging_product\":\"whatsapp\",\"to\":\"%s\",\"type\":\"text\","
	         "\"text\":{\"body\":\"message %u\"}}",
	         c->user_phone, k);
	m->status = MSG_STATUS_QUEUED;
	m->queued_at = m->next_attempt_at = at;
}

void wa_world_new(struct store_fixture *fx, struct wa_world *w, unsigned k)
{
	store_fixture_new_account(fx, &w->a);
	wa_fill_number(&w->n, w->a.id, k, 1000);
	STORE_FIXTURE_OK(&fx->e, store_number_insert(fx->s, &w->n, &fx->e));
	wa_fill_conversation(&w->c, w->a.id, w->n.phone_number_id, k, 1000);
	STORE_FIXTURE_OK(&fx->e, store_conversation_insert(fx->s, &w->c, &fx->e));
}

void wa_queue_message(struct store_fixture *fx, const struct wa_world *w, unsigned k, int64_t at,
                      int priority, struct message_row *m)
{
	static struct message_row scratch;
	struct message_row *row = m ? m : &scratch;
	wa_fill_message(row, &w->c, k, MSG_DIR_OUT, at);
	row->priority = priority;
	STORE_FIXTURE_OK(&fx->e, store_message_insert(fx->s, row, &fx->e));
}

const struct message_row *wa_get_message(struct store_fixture *fx, const char *account_id,
                                         const char *id)
{
	static struct message_row row;
	STORE_FIXTURE_OK(&fx->e, store_message_get(fx->s, account_id, id, &row, &fx->e));
	return &row;
}
