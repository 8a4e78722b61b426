/* Graph API endpoints other than send: message templates per WABA, phone-number info, media
 * upload/retrieve/delete and the signed media download URL. Each handler gets the object id
 * from the path; the caller has checked the bearer token (except for downloads, which check it
 * themselves because the URL is not under a version prefix). */
#ifndef PIXELS_SIM_SIM_GRAPH_H
#define PIXELS_SIM_SIM_GRAPH_H

#include "http/http.h"
#include "sim/sim_state.h"
#include "sim/sim_templates.h"

/* Checks the bearer token (Authorization header, or access_token in the query as Graph
 * allows): false with a 401 code 190 reply set when it is missing or was expired through the
 * control API (subcode 463). */
bool sim_graph_authorized(struct sim *s, struct http_req *req, struct http_resp *resp);
/* GET|POST|DELETE /{version}/{waba-id}/message_templates. version: "v23.0" (for paging.next). */
/* POST /{template-id}: Meta's template edit (new components), back to review. */
void sim_graph_template_edit(struct sim *s, const char *id, struct http_req *req,
                             struct http_resp *resp);
void sim_graph_templates(struct sim *s, const char *version, const char *waba, struct http_req *req,
                         struct http_resp *resp);
/* GET /{version}/{phone-number-id}. */
void sim_graph_number(struct sim *s, const char *pnid, struct http_req *req,
                      struct http_resp *resp);
/* Sends the message_template_status_update webhook for ev now (see sim_webhook_post_now);
 * returns the receiver's HTTP status, 0 when none. */
int sim_graph_template_webhook(struct sim *s, const struct sim_template_event *ev);

/* POST /{version}/{phone-number-id}/media (multipart). */
void sim_graph_media_upload(struct sim *s, const char *pnid, struct http_req *req,
                            struct http_resp *resp);
/* GET /{version}/{media-id}: true when id is a media object (and the reply is set). */
bool sim_graph_media_get(struct sim *s, const char *id, struct http_req *req,
                         struct http_resp *resp);
/* DELETE /{version}/{media-id}. */
void sim_graph_media_delete(struct sim *s, const char *id, struct http_resp *resp);
/* GET /_media/{id}?exp=&sig= with the bearer token: the bytes, while the URL is valid. */
void sim_graph_media_download(struct sim *s, const char *id, struct http_req *req,
                              struct http_resp *resp);
#endif
