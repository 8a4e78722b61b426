/* WhatsApp numbers in the dashboard: /api/settings/phone-numbers (owner and admin). */
#ifndef PIXELS_API_API_NUMBERS_H
#define PIXELS_API_API_NUMBERS_H

#include "api/api.h"

int api_numbers_list(struct api_call *c);
int api_numbers_create(struct api_call *c);
int api_numbers_update(struct api_call *c);
int api_numbers_delete(struct api_call *c);
int api_numbers_test(struct api_call *c);
int api_numbers_set_default(struct api_call *c);
/* The shape every number has in the API (never a secret). New reference. */
json_t *api_number_json(const struct number_row *n);

#endif
