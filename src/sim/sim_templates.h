/* Message templates per WABA: the store behind /{waba-id}/message_templates and template sends.
 * Thread-safe (own lock). Lookups by (WABA, name, language) are O(1) through an index; listing
 * walks one WABA's templates in creation order, the order the paging cursors follow. */
#ifndef PIXELS_SIM_SIM_TEMPLATES_H
#define PIXELS_SIM_SIM_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/jsonw.h"
#include "sim/sim_queue.h"

#define SIM_MAX_TEMPLATES 100000

struct sim_templates;

/* What a status change reports (copied out of the store). */
struct sim_template_event {
	char id[24];
	char waba[32];
	char name[513];
	char language[16];
	char category[16];
	char status[24];
	char reason[64];
};

struct sim_templates *sim_templates_new(void);
void sim_templates_free(struct sim_templates *t);
void sim_templates_clear(struct sim_templates *t);

/* Validates and stores a template from a create body {name, language, category, components}
 * as PENDING with a new id; *seq_out identifies it for sim_templates_review. Errors (details in
 * e->message, for a code 100 envelope): ERR_INVALID "TEMPLATE_INVALID"; ERR_CONFLICT
 * "TEMPLATE_EXISTS" (same name and language in the WABA); ERR_LIMIT "SIM_FULL". On success
 * *ev describes the stored template. */
int sim_templates_create(struct sim_templates *t, const char *waba, json_t *body, const char *id,
                         struct sim_template_event *ev, uint64_t *seq_out, struct err *e);
/* {"data":[...], "paging":{"cursors":{before, after}, "next"?}} for WABA waba, at most limit
 * templates whose name contains name_filter (NULL = all), after the cursor (NULL = from the
 * start). next_base ("http://host:port/v23.0/WABA/message_templates") builds paging.next.
 * ERR_INVALID "BAD_CURSOR" for a cursor this store did not make. New reference in *out. */
int sim_templates_list(struct sim_templates *t, const char *waba, size_t limit, const char *after,
                       const char *name_filter, const char *next_base, json_t **out, struct err *e);
/* Deletes every language of name in waba, or only template id hsm_id when given; returns how
 * many were deleted. */
/* Meta's POST /{template-id}: new components (and category) for a template that is not
 * under review; it goes back to PENDING with seq_out for the review timer. ERR_NOT_FOUND,
 * ERR_CONFLICT (under review), ERR_INVALID (components). */
int sim_templates_edit(struct sim_templates *t, const char *id, json_t *body,
                       struct sim_template_event *ev, uint64_t *seq_out, struct err *e);
size_t sim_templates_delete(struct sim_templates *t, const char *waba, const char *name,
                            const char *hsm_id);
/* Sets the status (and reason) of (waba, name, language); ERR_NOT_FOUND "TEMPLATE_NOT_FOUND". */
int sim_templates_set_status(struct sim_templates *t, const char *waba, const char *name,
                             const char *language, const char *status, const char *reason,
                             struct sim_template_event *ev, struct err *e);
/* PENDING -> APPROVED for the template created as seq; false when it is gone or no longer
 * PENDING. */
bool sim_templates_review(struct sim_templates *t, uint64_t seq, struct sim_template_event *ev);
/* Checks a template send: 0 and *category set, or Meta's code (132001 missing or not
 * approved, 132015 paused, 132016 disabled, 132000 parameter count) with details. */
int sim_templates_check(struct sim_templates *t, const char *waba, const char *name,
                        const char *language, int body_params, enum sim_category *category,
                        char *details, size_t cap);

#endif
