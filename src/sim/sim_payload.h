/* Webhook bodies in Meta's shape: {"object":"whatsapp_business_account","entry":[{"id":<WABA>,
 * "changes":[{"field":..., "value":{...}}]}]}. Status batches group statuses by WABA (entry) and
 * phone number (change), as Meta batches them; the statuses follow the fixtures
 * derived/wh-status-*.json (sent carries conversation expiry, read carries no pricing, failed
 * carries errors[]). Pure functions returning new references or heap strings. */
#ifndef PIXELS_SIM_SIM_PAYLOAD_H
#define PIXELS_SIM_SIM_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "sim/sim_queue.h"

/* The whole POST body for n statuses (n >= 1), timestamped now_ms (unix ms). bsuid adds
 * value.contacts:[{wa_id,user_id}] without profile. Returns a heap string (caller frees). */
char *sim_payload_statuses(struct sim_status *const *st, size_t n, bool bsuid, int64_t now_ms,
                           size_t *len_out);
/* {"object":..., "entry":[{"id":waba, "time"?:time_s, "changes":[{"value":value,
 * "field":field}]}]}; time_s < 0 omits "time". Steals value. */
json_t *sim_payload_envelope(const char *waba, const char *field, json_t *value, int64_t time_s);
/* {"messaging_product":"whatsapp","metadata":{display_phone_number, phone_number_id}}. */
json_t *sim_payload_value(const char *pnid, const char *display);
/* The business-scoped user id the simulator gives wa_id ("US.<20 digits>", stable). out needs
 * 32 bytes. */
void sim_payload_user_id(const char *wa_id, char *out, size_t cap);
/* {code, title, message, error_data:{details}, href} for a webhook errors[] array. */
json_t *sim_payload_error(int code);
/* Lower-case pricing category name ("service", "marketing" ...). */
const char *sim_payload_category_name(enum sim_category c);

#endif
