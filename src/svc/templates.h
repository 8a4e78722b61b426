/* Message templates: the local registry per account and WABA, kept in step with Meta.
 * create (draft, optionally submitted at once), update (drafts and rejected only), submit,
 * delete (Meta's delete by name, then a soft delete), sync (every page of Meta's list) and
 * the status webhook. Sending lives in template_send. */
#ifndef PIXELS_SVC_TEMPLATES_H
#define PIXELS_SVC_TEMPLATES_H

#include "svc/svc.h"
#include "svc/template_check.h"

struct templates_sync_result {
	int synced, created, updated, removed, pages;
};

/* Validates (template_check_build) and stores a draft under the default number's WABA; with
 * cmd->submit also submits it (a refusal by Meta keeps the draft and returns ERR_UPSTREAM
 * "META_ERROR" with Meta's message). ERR_CONFLICT "TEMPLATE_EXISTS". */
int templates_create(struct ctx *c, const char *account_id, const struct template_cmd *cmd,
                     struct template_row *out, struct err *e);
/* Replaces a draft's or a rejected template's content (it becomes a draft again); a missing
 * name, language or category keeps the current one.
 * ERR_CONFLICT "TEMPLATE_NOT_EDITABLE" otherwise; ERR_NOT_FOUND "TEMPLATE_NOT_FOUND". */
int templates_update(struct ctx *c, const char *account_id, const char *id,
                     const struct template_cmd *cmd, struct template_row *out, struct err *e);
/* Submits a draft or rejected template: pending + Meta's id. ERR_CONFLICT
 * "INVALID_TEMPLATE_STATUS" for other statuses; ERR_UPSTREAM "META_ERROR". */
int templates_submit(struct ctx *c, const char *account_id, const char *id,
                     struct template_row *out, struct err *e);
int templates_get(struct ctx *c, const char *account_id, const char *id, struct template_row *out,
                  struct err *e);
/* A page of the account's templates (newest first; each/total as store_template_list) and
 * the live counts per status. */
int templates_list(struct ctx *c, const char *account_id, const struct template_filter *f,
                   void (*each)(void *arg, const struct template_row *row), void *arg,
                   int64_t *total, struct template_counts *counts, struct err *e);
/* Deletes at Meta (by name) unless it was never submitted, then soft-deletes locally. */
int templates_delete(struct ctx *c, const char *account_id, const char *id, struct err *e);
/* Reads every page of Meta's list and upserts by Meta id (statuses lower-cased, rejection
 * reason kept). */
int templates_sync(struct ctx *c, const char *account_id, struct templates_sync_result *out,
                   struct err *e);
/* Our status for Meta's (lower case; REINSTATED reads as approved), or NULL when it is not
 * one we track. */
const char *templates_local_status(const char *meta);
/* Applies a message_template_status_update to the matching template (by Meta id, else by
 * WABA + name + language) in whichever account holds it; unknown templates are ignored. */
int templates_apply_status(struct ctx *c, const char *waba_id, const char *meta_id,
                           const char *name, const char *language, const char *event,
                           const char *reason, struct err *e);

#endif
