/* Meta's webhook signature: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, raw
 * body). Always verify the bytes exactly as received: re-serialised JSON (escapes, key order,
 * spacing) has a different signature. The app secret never leaves these functions. */
#ifndef PIXELS_META_SIGNATURE_H
#define PIXELS_META_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>

/* "sha256=" + 64 hex digits + NUL */
#define META_SIGNATURE_SIZE 72

/* true when header (the X-Hub-Signature-256 value, may be NULL) is "sha256=" followed by exactly
 * 64 hex digits (either case) equal to HMAC-SHA256(app_secret, body[0..len)). Compared in
 * constant time. false for a missing or malformed header, another algorithm ("sha1="), or a
 * NULL/empty app_secret. Thread-safe. */
bool meta_signature_valid(const char *header, const void *body, size_t len, const char *app_secret);

/* Writes "sha256=<64 lower-case hex>" for body into out: what Meta sends (the simulator signs
 * its webhooks with it). */
void meta_signature_compute(const char *app_secret, const void *body, size_t len,
                            char out[META_SIGNATURE_SIZE]);

#endif
