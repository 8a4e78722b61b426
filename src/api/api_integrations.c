/* Integration health and account configuration; see api_integrations.h. */
#include "api/api_integrations.h"

#include "core/clock.h"
#include "svc/numbers.h"

static void add_number(void *arg, const struct number_row *n)
{
	json_array_append_new(
	    arg, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:b}", "_id", n->id, "id",
	                   n->id, "phoneNumberId", n->phone_number_id, "displayName",
	                   n->display_name, "displayPhone", n->display_phone, "isDefault",
	                   n->is_default, "isActive", n->status == NUMBER_STATUS_ACTIVE, "status",
	                   store_number_status_name(n->status), "sandbox", n->sandbox));
}

/* The account's WhatsApp numbers (never their secrets). */
static json_t *phone_numbers(struct api_call *c)
{
	json_t *list = json_array();
	struct err e = {0};
	numbers_list(c->ctx, c->account_id, add_number, list, &e);
	return list;
}

int api_integrations_health(struct api_call *c)
{
	const struct token_auth *a = &c->integration;
	json_t *data = json_pack(
	    "{s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:o}", "accountId", a->account.id, "accountName",
	    a->account.name, "email", a->account.email, "authenticated", 1, "tokenPrefix",
	    a->token.prefix, "tokenExpiresAt", jsonw_time_or_null(a->token.expires_at),
	    "phoneNumbers", phone_numbers(c), "timestamp", jsonw_time_or_null(clock_real_ms()));
	return api_ok(c, 200, "Integration connection healthy", data);
}

int api_integrations_config(struct api_call *c)
{
	const struct token_auth *a = &c->integration;
	json_t *account = json_pack("{s:s, s:s, s:s, s:s}", "accountId", a->account.id, "name",
	                            a->account.name, "email", a->account.email, "status",
	                            store_account_status_name(a->account.status));
	json_t *token = json_pack("{s:s, s:o}", "prefix", a->token.prefix, "expiresAt",
	                          jsonw_time_or_null(a->token.expires_at));
	return api_ok(c, 200, NULL,
	              json_pack("{s:o, s:o, s:o}", "account", account, "phoneNumbers",
	                        phone_numbers(c), "integrationToken", token));
}
