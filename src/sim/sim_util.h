/* Small helpers the simulator's modules share: base64 (Meta uses it in wamids and webhook
 * sha256 fields), phone-number digits, stable derived ids, UTF-8 length and random trace ids.
 * All are pure except the random ones; all are thread-safe. */
#ifndef PIXELS_SIM_SIM_UTIL_H
#define PIXELS_SIM_SIM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Bytes needed by sim_util_b64 for len input bytes (with padding and terminator). */
#define SIM_UTIL_B64_SIZE(len) ((((len) + 2) / 3) * 4 + 1)

/* Base64 of len bytes into out (SIM_UTIL_B64_SIZE(len) bytes): the standard alphabet with '='
 * padding, or (url) the URL-safe alphabet without padding. */
void sim_util_b64(const void *data, size_t len, bool url, char *out);
/* Decodes standard or URL-safe base64 (padding optional, whitespace not allowed) appending to
 * out; 0, or -1 on junk or when out's maximum would be passed. */
int sim_util_unb64(const char *s, size_t len, struct buf *out);
/* 64-bit FNV-1a of a string: for ids derived from another id (stable across runs). */
uint64_t sim_util_hash(const char *s);
/* The WhatsApp id Meta derives from a recipient as sent: its digits, with "+", spaces, dashes,
 * dots and parentheses dropped. 0, or -1 when anything else appears or the digit count is not
 * 7..15 (out is then ""). out needs 16 bytes. */
int sim_util_wa_id(const char *to, char *out, size_t cap);
/* Number of code points in a UTF-8 string of len bytes (invalid bytes count one each). */
size_t sim_util_utf8_len(const char *s, size_t len);
/* A random Graph fbtrace_id (23 base64url characters) into out (24 bytes). */
void sim_util_fbtrace(char out[24]);
/* First occurrence of needle (nlen > 0 bytes) in hay, or NULL (memmem is a GNU extension). */
const char *sim_util_find(const char *hay, size_t hlen, const char *needle, size_t nlen);
/* Same, ignoring ASCII case. */
const char *sim_util_find_nocase(const char *hay, size_t hlen, const char *needle, size_t nlen);
/* Is s entirely ASCII digits (and non-empty)? */
bool sim_util_is_digits(const char *s);

#endif
