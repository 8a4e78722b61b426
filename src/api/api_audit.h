/* GET /api/audit-log: the account's audit events (owner and admin). */
#ifndef PIXELS_API_API_AUDIT_H
#define PIXELS_API_API_AUDIT_H

#include "api/api.h"

int api_audit_list(struct api_call *c);

#endif
