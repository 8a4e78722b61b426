/* Integration health and account configuration; see api_integrations.h. phoneNumbers is the
 * account's connected WhatsApp numbers: none can be connected until the WhatsApp engine
 * lands, so it is an empty list, never an invented one. */
#include "api/api_integrations.h"

#include "core/clock.h"

static json_t *phone_numbers(struct api_call *c)
{
	return json_array();
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
