/* Dashboard management of the integration token: /api/account/integration-token
 * (owner and admin). */
#ifndef PIXELS_API_API_TOKENS_H
#define PIXELS_API_API_TOKENS_H

#include "api/api.h"

int api_tokens_generate(struct api_call *c);
int api_tokens_show(struct api_call *c);
int api_tokens_revoke(struct api_call *c);

#endif
