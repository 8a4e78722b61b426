/* Shared by the meta/webhook unit tests: a recorder that turns each parser callback into a
 * JSON object of strings ({"kind":"s|m|t|e|o", field: "text", ...}, in callback order), so
 * tests can name fields. */
#ifndef PIXELS_TESTS_WEBHOOK_RECORDER_H
#define PIXELS_TESTS_WEBHOOK_RECORDER_H

#include <stddef.h>

#include "core/err.h"
#include "core/jsonw.h"

struct rec {
	json_t *events; /* [{"kind":"s|m|t|e|o", field: "text", ...}] in callback order */
	char order[64]; /* the kinds of the first 63 events */
};

/* Parses body into r (released by the next parse or wr_release); meta_webhook_parse's
 * answer. */
int wr_parse(const char *body, size_t len, struct rec *r, struct err *e);
void wr_release(struct rec *r);
/* Field key of the i-th event; fails the test when there is no such event or field. */
const char *wr_ev(const struct rec *r, size_t i, const char *key);

#endif
