/* The integration API's own endpoints: connection health ("Test Connection") and the
 * account's configuration, under /api/integrations (integration token). */
#ifndef PIXELS_API_API_INTEGRATIONS_H
#define PIXELS_API_API_INTEGRATIONS_H

#include "api/api.h"

int api_integrations_health(struct api_call *c);
int api_integrations_config(struct api_call *c);

#endif
