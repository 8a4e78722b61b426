/* The route table: every endpoint of the API, its method, its authentication and its handler.
 * Read this file to know what Pixels serves. */
#include "api/api_routes.h"

#include "api/api_auth.h"
#include "api/api_system.h"

const struct api_route api_routes[] = {
    /* system */
    {HTTP_GET, "/", api_system_root, API_AUTH_NONE, API_CTX_OPTIONAL},
    {HTTP_GET, "/health", api_system_health, API_AUTH_NONE, API_CTX_OPTIONAL},
    {HTTP_GET, "/api/health", api_system_health, API_AUTH_NONE, API_CTX_OPTIONAL},

    /* dashboard authentication */
    {HTTP_GET, "/api/auth/status", api_auth_status, API_AUTH_NONE, 0},
    {HTTP_POST, "/api/auth/signup", api_auth_signup, API_AUTH_NONE, API_JSON_BODY},
    {HTTP_POST, "/api/auth/login", api_auth_login, API_AUTH_NONE, API_JSON_BODY},
    {HTTP_POST, "/api/auth/logout", api_auth_logout, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/auth/me", api_auth_me, API_AUTH_SESSION, 0},

    /* settings */
    {HTTP_GET, "/api/settings/profile", api_auth_me, API_AUTH_SESSION, 0},
    {HTTP_PUT, "/api/settings/profile", api_auth_update_profile, API_AUTH_SESSION, API_JSON_BODY},
    {HTTP_POST, "/api/settings/change-password", api_auth_change_password, API_AUTH_SESSION,
     API_JSON_BODY},

    {0, NULL, NULL, 0, 0},
};
