/* Contacts, under /api/integrations/contacts (integration token) and /api/contacts
 * (dashboard session): the same handlers, scoped to the caller's account. */
#ifndef PIXELS_API_API_CONTACTS_H
#define PIXELS_API_API_CONTACTS_H

#include "api/api.h"

int api_contacts_list(struct api_call *c);
int api_contacts_get(struct api_call *c);
int api_contacts_create(struct api_call *c);
int api_contacts_update(struct api_call *c);
int api_contacts_delete(struct api_call *c);

#endif
