/* Broadcasts for integrations (POST /api/integrations/broadcast, GET /broadcasts[/:id],
 * /broadcasts/:id/recipients, POST /broadcasts/:id/pause|resume|cancel) and the dashboard
 * (/api/broadcasts..., which also takes a CSV list and gives the report as CSV). */
#ifndef PIXELS_API_API_BROADCASTS_H
#define PIXELS_API_API_BROADCASTS_H

#include "api/api.h"

int api_broadcasts_create(struct api_call *c);
int api_broadcasts_list(struct api_call *c);
int api_broadcasts_get(struct api_call *c);
int api_broadcasts_pause(struct api_call *c);
int api_broadcasts_resume(struct api_call *c);
int api_broadcasts_cancel(struct api_call *c);
/* The per-recipient report: JSON pages, or (report_csv) the whole report as a CSV file. */
int api_broadcasts_recipients(struct api_call *c);
int api_broadcasts_report_csv(struct api_call *c);

#endif
