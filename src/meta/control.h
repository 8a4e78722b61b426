/* The simulator's control API, as seen from Pixels in sandbox mode: registering the sandbox
 * number so the simulator knows its WABA (templates are kept per WABA). Only ever pointed at
 * the embedded simulator (cfg graph_base_url in sandbox mode). */
#ifndef PIXELS_META_CONTROL_H
#define PIXELS_META_CONTROL_H

#include "core/err.h"

/* POST {base_url}/_sim/numbers {"phone_number_id","waba_id","display_phone_number",
 * "verified_name"}. Blocks up to 5 s. Strings are borrowed for the call. Errors:
 * ERR_UPSTREAM "SIMULATOR_UNREACHABLE" (transport failure or a non-2xx answer). */
int meta_sim_register_number(const char *base_url, const char *phone_number_id, const char *waba_id,
                             const char *display_phone, const char *verified_name, struct err *e);

/* POST /_sim/templates/import: tells a (restarted) simulator about a template Meta has, with
 * its id and status (upper case). Idempotent. ERR_UPSTREAM "SIMULATOR_UNREACHABLE". */
int meta_sim_import_template(const char *base_url, const char *waba_id, const char *id,
                             const char *name, const char *language, const char *category,
                             const char *components, const char *status, struct err *e);

#endif
