/* Dashboard authentication and profile endpoints: /api/auth/..., /api/settings/profile,
 * /api/settings/change-password. */
#ifndef PIXELS_API_API_AUTH_H
#define PIXELS_API_API_AUTH_H

#include "api/api.h"

int api_auth_status(struct api_call *c);
int api_auth_signup(struct api_call *c);
int api_auth_login(struct api_call *c);
int api_auth_logout(struct api_call *c);
int api_auth_me(struct api_call *c);
int api_auth_update_profile(struct api_call *c);
int api_auth_change_password(struct api_call *c);

#endif
