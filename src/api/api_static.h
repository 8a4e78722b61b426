/* The dashboard's files on the dashboard listener: embedded in the binary at build time, or
 * read from WEB_DIR (--web-dir web) while developing. Unknown paths without an extension get
 * index.html (client-side routing); unknown files get 404 ROUTE_NOT_FOUND. */
#ifndef PIXELS_API_API_STATIC_H
#define PIXELS_API_API_STATIC_H

#include "api/api.h"

void api_static_serve(const struct api_env *env, struct http_req *req, struct http_resp *resp);

#endif
