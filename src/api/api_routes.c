/* The route table: every endpoint of the API, its method, its authentication and its handler.
 * Read this file to know what Pixels serves. */
#include "api/api_routes.h"

#include "api/api_audit.h"
#include "api/api_auth.h"
#include "api/api_contacts.h"
#include "api/api_conversations.h"
#include "api/api_integrations.h"
#include "api/api_messages.h"
#include "api/api_numbers.h"
#include "api/api_system.h"
#include "api/api_templates.h"
#include "api/api_broadcasts.h"
#include "api/api_tokens.h"
#include "api/api_webhooks.h"

const struct api_route api_routes[] = {
    /* system */
    {HTTP_GET, "/", api_system_root, API_AUTH_NONE, API_CTX_OPTIONAL},
    {HTTP_GET, "/health", api_system_health, API_AUTH_NONE, API_CTX_OPTIONAL},
    {HTTP_GET, "/api/health", api_system_health, API_AUTH_NONE, API_CTX_OPTIONAL},

    /* dashboard authentication */
    {HTTP_GET, "/api/auth/status", api_auth_status, API_AUTH_NONE, 0},
    {HTTP_POST, "/api/auth/signup", api_auth_signup, API_AUTH_NONE, API_JSON_BODY | API_BLOCKING},
    {HTTP_POST, "/api/auth/login", api_auth_login, API_AUTH_NONE, API_JSON_BODY | API_BLOCKING},
    {HTTP_POST, "/api/auth/logout", api_auth_logout, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/auth/me", api_auth_me, API_AUTH_SESSION, 0},

    /* settings */
    {HTTP_GET, "/api/settings/profile", api_auth_me, API_AUTH_SESSION, 0},
    {HTTP_PUT, "/api/settings/profile", api_auth_update_profile, API_AUTH_SESSION, API_JSON_BODY},
    {HTTP_POST, "/api/settings/change-password", api_auth_change_password, API_AUTH_SESSION,
     API_JSON_BODY | API_BLOCKING},

    {HTTP_GET, "/api/audit-log", api_audit_list, API_AUTH_ADMIN, 0},

    /* the integration token, managed from the dashboard */
    {HTTP_POST, "/api/account/integration-token", api_tokens_generate, API_AUTH_ADMIN, 0},
    {HTTP_GET, "/api/account/integration-token", api_tokens_show, API_AUTH_ADMIN, 0},
    {HTTP_DELETE, "/api/account/integration-token", api_tokens_revoke, API_AUTH_ADMIN, 0},

    /* contacts, dashboard */
    {HTTP_GET, "/api/contacts", api_contacts_list, API_AUTH_SESSION, 0},
    {HTTP_POST, "/api/contacts", api_contacts_create, API_AUTH_SESSION, API_JSON_BODY},
    {HTTP_GET, "/api/contacts/:id", api_contacts_get, API_AUTH_SESSION, 0},
    {HTTP_PUT, "/api/contacts/:id", api_contacts_update, API_AUTH_SESSION, API_JSON_BODY},
    {HTTP_DELETE, "/api/contacts/:id", api_contacts_delete, API_AUTH_SESSION, 0},

    /* the integration API (Enromatics and other systems), integration token */
    {HTTP_GET, "/api/integrations/health", api_integrations_health, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/verify", api_integrations_health, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/account/config", api_integrations_config, API_AUTH_INTEGRATION,
     0},
    {HTTP_GET, "/api/integrations/contacts", api_contacts_list, API_AUTH_INTEGRATION, 0},
    {HTTP_POST, "/api/integrations/contacts", api_contacts_create, API_AUTH_INTEGRATION,
     API_JSON_BODY},
    {HTTP_GET, "/api/integrations/contacts/:id", api_contacts_get, API_AUTH_INTEGRATION, 0},
    {HTTP_PUT, "/api/integrations/contacts/:id", api_contacts_update, API_AUTH_INTEGRATION,
     API_JSON_BODY},
    {HTTP_DELETE, "/api/integrations/contacts/:id", api_contacts_delete, API_AUTH_INTEGRATION, 0},

    /* WhatsApp numbers, dashboard (owner and admin) */
    {HTTP_GET, "/api/settings/phone-numbers", api_numbers_list, API_AUTH_ADMIN, 0},
    {HTTP_POST, "/api/settings/phone-numbers", api_numbers_create, API_AUTH_ADMIN, API_JSON_BODY},
    {HTTP_PUT, "/api/settings/phone-numbers/:id", api_numbers_update, API_AUTH_ADMIN,
     API_JSON_BODY},
    {HTTP_DELETE, "/api/settings/phone-numbers/:id", api_numbers_delete, API_AUTH_ADMIN, 0},
    {HTTP_POST, "/api/settings/phone-numbers/:id/test", api_numbers_test, API_AUTH_ADMIN,
     API_BLOCKING},
    {HTTP_POST, "/api/settings/phone-numbers/:id/default", api_numbers_set_default, API_AUTH_ADMIN,
     0},

    /* messages and conversations, integration API */
    {HTTP_POST, "/api/integrations/send-message", api_messages_send, API_AUTH_INTEGRATION,
     API_JSON_BODY},
    {HTTP_GET, "/api/integrations/messages", api_messages_list, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/messages/:id", api_messages_get, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/reports/delivery", api_messages_report, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/media/:id", api_messages_media, API_AUTH_INTEGRATION,
     API_BLOCKING},
    {HTTP_GET, "/api/integrations/conversations", api_conversations_list, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/conversations/:id", api_conversations_get, API_AUTH_INTEGRATION,
     0},
    {HTTP_GET, "/api/integrations/conversations/:id/messages", api_conversations_messages,
     API_AUTH_INTEGRATION, 0},
    {HTTP_POST, "/api/integrations/conversations/:id/reply", api_messages_reply,
     API_AUTH_INTEGRATION, API_JSON_BODY},
    {HTTP_PATCH, "/api/integrations/conversations/:id/read", api_conversations_read,
     API_AUTH_INTEGRATION, API_BLOCKING},
    {HTTP_PATCH, "/api/integrations/conversations/:id/status", api_conversations_status,
     API_AUTH_INTEGRATION, API_JSON_BODY},

    /* messages and conversations, dashboard */
    {HTTP_POST, "/api/messages/send", api_messages_send, API_AUTH_SESSION, API_JSON_BODY},
    {HTTP_GET, "/api/messages", api_messages_list, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/messages/:id", api_messages_get, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/reports/delivery", api_messages_report, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/media/:id", api_messages_media, API_AUTH_SESSION, API_BLOCKING},
    {HTTP_GET, "/api/conversations", api_conversations_list, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/conversations/:id", api_conversations_get, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/conversations/:id/messages", api_conversations_messages, API_AUTH_SESSION, 0},
    {HTTP_POST, "/api/conversations/:id/reply", api_messages_reply, API_AUTH_SESSION,
     API_JSON_BODY},
    {HTTP_PATCH, "/api/conversations/:id/read", api_conversations_read, API_AUTH_SESSION,
     API_BLOCKING},
    {HTTP_PATCH, "/api/conversations/:id/status", api_conversations_status, API_AUTH_SESSION,
     API_JSON_BODY},

    /* templates, integration API (create = create and submit) */
    {HTTP_GET, "/api/integrations/templates", api_templates_list, API_AUTH_INTEGRATION, 0},
    {HTTP_POST, "/api/integrations/templates", api_templates_create_submit, API_AUTH_INTEGRATION,
     API_JSON_BODY | API_BLOCKING},
    {HTTP_POST, "/api/integrations/templates/sync", api_templates_sync, API_AUTH_INTEGRATION,
     API_BLOCKING},
    {HTTP_POST, "/api/integrations/templates/send", api_templates_send, API_AUTH_INTEGRATION,
     API_JSON_BODY},
    {HTTP_POST, "/api/integrations/send-template", api_templates_send, API_AUTH_INTEGRATION,
     API_JSON_BODY},
    {HTTP_GET, "/api/integrations/templates/:id", api_templates_get, API_AUTH_INTEGRATION, 0},
    {HTTP_PUT, "/api/integrations/templates/:id", api_templates_update, API_AUTH_INTEGRATION,
     API_JSON_BODY | API_BLOCKING},
    {HTTP_DELETE, "/api/integrations/templates/:id", api_templates_delete, API_AUTH_INTEGRATION,
     API_BLOCKING},

    /* templates, dashboard (changes need owner or admin) */
    {HTTP_GET, "/api/templates", api_templates_list, API_AUTH_SESSION, 0},
    {HTTP_POST, "/api/templates", api_templates_create, API_AUTH_ADMIN,
     API_JSON_BODY | API_BLOCKING},
    {HTTP_POST, "/api/templates/sync", api_templates_sync, API_AUTH_ADMIN, API_BLOCKING},
    {HTTP_GET, "/api/templates/:id", api_templates_get, API_AUTH_SESSION, 0},
    {HTTP_PUT, "/api/templates/:id", api_templates_update, API_AUTH_ADMIN,
     API_JSON_BODY | API_BLOCKING},
    {HTTP_DELETE, "/api/templates/:id", api_templates_delete, API_AUTH_ADMIN, API_BLOCKING},
    {HTTP_POST, "/api/templates/:id/submit", api_templates_submit, API_AUTH_ADMIN, API_BLOCKING},

    /* broadcasts, integration API */
    /* (the create handler parses its own body: its lists are read one element at a time) */
    {HTTP_POST, "/api/integrations/broadcast", api_broadcasts_create, API_AUTH_INTEGRATION,
     API_BLOCKING},
    {HTTP_POST, "/api/integrations/broadcasts", api_broadcasts_create, API_AUTH_INTEGRATION,
     API_BLOCKING},
    {HTTP_GET, "/api/integrations/broadcasts", api_broadcasts_list, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/broadcasts/:id", api_broadcasts_get, API_AUTH_INTEGRATION, 0},
    {HTTP_GET, "/api/integrations/broadcasts/:id/recipients", api_broadcasts_recipients,
     API_AUTH_INTEGRATION, 0},
    {HTTP_POST, "/api/integrations/broadcasts/:id/pause", api_broadcasts_pause,
     API_AUTH_INTEGRATION, 0},
    {HTTP_POST, "/api/integrations/broadcasts/:id/resume", api_broadcasts_resume,
     API_AUTH_INTEGRATION, 0},
    {HTTP_POST, "/api/integrations/broadcasts/:id/cancel", api_broadcasts_cancel,
     API_AUTH_INTEGRATION, 0},

    /* broadcasts, dashboard (changes need owner or admin) */
    {HTTP_GET, "/api/broadcasts", api_broadcasts_list, API_AUTH_SESSION, 0},
    {HTTP_POST, "/api/broadcasts", api_broadcasts_create, API_AUTH_ADMIN, API_BLOCKING},
    {HTTP_GET, "/api/broadcasts/:id", api_broadcasts_get, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/broadcasts/:id/recipients", api_broadcasts_recipients, API_AUTH_SESSION, 0},
    {HTTP_GET, "/api/broadcasts/:id/report.csv", api_broadcasts_report_csv, API_AUTH_SESSION, 0},
    {HTTP_POST, "/api/broadcasts/:id/pause", api_broadcasts_pause, API_AUTH_ADMIN, 0},
    {HTTP_POST, "/api/broadcasts/:id/resume", api_broadcasts_resume, API_AUTH_ADMIN, 0},
    {HTTP_POST, "/api/broadcasts/:id/cancel", api_broadcasts_cancel, API_AUTH_ADMIN, 0},

    /* Meta's webhooks: verification (GET) and signed events (POST, raw body) */
    {HTTP_GET, "/api/webhooks/whatsapp", api_webhooks_verify, API_AUTH_NONE, 0},
    {HTTP_POST, "/api/webhooks/whatsapp", api_webhooks_receive, API_AUTH_NONE, 0},

    {0, NULL, NULL, 0, 0},
};
