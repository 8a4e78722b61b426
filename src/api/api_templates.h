/* Message templates: /api/integrations/templates... (integration token, the original system's
 * shapes), /api/templates... (dashboard), and template sends (templates/send by name,
 * send-template by templateId). */
#ifndef PIXELS_API_API_TEMPLATES_H
#define PIXELS_API_API_TEMPLATES_H

#include "api/api.h"

int api_templates_list(struct api_call *c);
int api_templates_get(struct api_call *c);
/* POST: creates and submits (integration) */
int api_templates_create_submit(struct api_call *c);
/* POST: creates a draft, submitted only with {"submit":true} (dashboard) */
int api_templates_create(struct api_call *c);
int api_templates_update(struct api_call *c);
int api_templates_delete(struct api_call *c);
int api_templates_submit(struct api_call *c);
int api_templates_sync(struct api_call *c);
/* POST {templateName | templateId, recipientPhone, language?, variables?, headerMedia?,
 * buttons?, phoneNumberId?}: answers like send-message. */
int api_templates_send(struct api_call *c);

#endif
