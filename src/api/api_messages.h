/* Sending and reading messages: POST /api/integrations/send-message, replies in a
 * conversation, GET /messages[/:id] and the delivery report, for integrations (token) and
 * the dashboard (session) alike. */
#ifndef PIXELS_API_API_MESSAGES_H
#define PIXELS_API_API_MESSAGES_H

#include "api/api.h"
#include "svc/messages.h"

int api_messages_send(struct api_call *c);
int api_messages_reply(struct api_call *c);
int api_messages_get(struct api_call *c);
int api_messages_list(struct api_call *c);
int api_messages_report(struct api_call *c);
/* For other send handlers (templates): reads Idempotency-Key (VALIDATION_ERROR when malformed)
 * and Prefer: respond-async into cmd; cmd->idempotency_key borrows the request. */
int api_messages_send_headers(struct api_call *c, struct send_cmd *cmd);
/* For other send handlers (templates): defers the reply, sets cmd->queued and calls
 * send(c, arg, &answer); the reply is written exactly as send-message writes it (replays,
 * 200/202, 422 WHATSAPP_ERROR, other errors), when the answer comes, and recorded for the
 * Idempotency-Key. No HTTP thread waits for the commit or for Meta. Returns 0. */
int api_messages_deferred(struct api_call *c, struct send_cmd *cmd,
                          int (*send)(struct api_call *c, void *arg, struct send_answer *a),
                          void *arg);
/* GET .../media/:mediaId: the bytes of inbound media, fetched from Meta. */
int api_messages_media(struct api_call *c);
/* Writes a message as the API shows it into w; "events" (a JSON array) only when events is
 * not NULL. */
void api_message_write(struct jsonout *w, const struct message_row *m, const json_t *events);
/* Parses a time query parameter: unix ms, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.mmm]Z".
 * 0 when absent. VALIDATION_ERROR naming it otherwise. */
int api_query_time(struct api_call *c, const char *name, int64_t *out);

#endif
