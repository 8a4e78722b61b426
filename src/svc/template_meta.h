/* The Graph calls of template management, made synchronously with the account's default
 * number's WABA and token: submit (POST /{waba}/message_templates), list every page
 * (GET /{waba}/message_templates following paging.cursors.after), delete by name. */
#ifndef PIXELS_SVC_TEMPLATE_META_H
#define PIXELS_SVC_TEMPLATE_META_H

#include "core/jsonw.h"
#include "svc/svc.h"

#define TEMPLATE_META_MAX_PAGES 200 /* 100 per page: 20,000 templates per WABA */

/* The default number of the account (its WABA and token). ERR_INVALID "NO_PHONE_NUMBER",
 * ERR_INVALID "MISSING_WABA_CONFIG" when the number has no WABA id. A sandbox number is
 * (re-)registered with the simulator on the way (blocks briefly). */
int template_meta_number(struct ctx *c, const char *account_id, struct number_row *out,
                         struct err *e);
/* Submits t (name, language, category, components) under n's WABA; on success copies Meta's
 * id into t->meta_template_id and its status (lower-cased) into t->status. A template Meta
 * already has (t->meta_template_id set: a rejected one edited here) is edited in place with
 * POST /{template-id} instead, and becomes pending. Errors:
 * ERR_UPSTREAM "META_ERROR" with Meta's message. Blocks. */
int template_meta_submit(struct ctx *c, const struct number_row *n, struct template_row *t,
                         struct err *e);
/* Calls each(arg, tpl) for every template Meta lists for n's WABA, page after page (tpl is
 * borrowed for the call). *pages how many pages were read. ERR_UPSTREAM "META_ERROR". */
int template_meta_list(struct ctx *c, const struct number_row *n,
                       void (*each)(void *arg, const json_t *tpl), void *arg, int *pages,
                       struct err *e);
/* DELETE /{waba}/message_templates?name=NAME. ERR_UPSTREAM "META_ERROR". */
int template_meta_delete(struct ctx *c, const struct number_row *n, const char *name,
                         struct err *e);

#endif
