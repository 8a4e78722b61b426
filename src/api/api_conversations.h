/* Conversations for integrations (/api/integrations/conversations...) and the dashboard
 * (/api/conversations...). ":id" is our id or the original "<accountId>_<number>_<phone>". */
#ifndef PIXELS_API_API_CONVERSATIONS_H
#define PIXELS_API_API_CONVERSATIONS_H

#include "api/api.h"

int api_conversations_list(struct api_call *c);
int api_conversations_get(struct api_call *c);
int api_conversations_messages(struct api_call *c);
int api_conversations_read(struct api_call *c);
int api_conversations_status(struct api_call *c);

#endif
