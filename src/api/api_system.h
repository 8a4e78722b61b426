/* GET / and GET /health: what the server is and whether it can serve. */
#ifndef PIXELS_API_API_SYSTEM_H
#define PIXELS_API_API_SYSTEM_H

#include "api/api.h"

int api_system_root(struct api_call *c);
/* 200 {status:"OK", version, uptime, database:"ok"}, or 503 with status "UNAVAILABLE" and
 * database "unavailable" when the store cannot answer. */
int api_system_health(struct api_call *c);

#endif
