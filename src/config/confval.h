/* Value forms of configuration options that need more than a number parser: sizes with a
 * k/m suffix, browser origins, database URLs (and masking their passwords), and printing
 * durations and sizes back in the form users write them. Pure functions, no state. */
#ifndef PIXELS_CONFIG_CONFVAL_H
#define PIXELS_CONFIG_CONFVAL_H

#include <stddef.h>
#include <stdint.h>

/* Parses plain bytes or a number with a k or m suffix (KiB, MiB; either case), e.g. "512k",
 * "2m", "1048576", into *out when the result lies in [min, max]. 0 or -1. */
int confval_parse_size(const char *s, int64_t min, int64_t max, int64_t *out);
/* Checks that url is a browser origin: http:// or https://, a host (name, IPv4 or [IPv6]),
 * an optional :port, nothing else but an optional trailing "/" (at most 511 bytes). On
 * success rewrites url in place to the form browsers send (lower case, no trailing "/") and
 * returns 0; else returns -1 and leaves url alone. */
int confval_normalize_origin(char *url);
/* 0 when url is "sqlite:PATH" with a non-empty PATH, or "postgres://..."/"postgresql://..."
 * with something after the scheme; -1 otherwise. */
int confval_check_database_url(const char *url);
/* Copies url into out (cap bytes, truncated if needed) with any password replaced by "****":
 * the part after ':' in user:password@ and the value of a password= query parameter. */
void confval_mask_url(const char *url, char *out, size_t cap);
/* Writes ms with the largest unit that divides it exactly: "7d", "24h", "15m", "90s", "5ms"
 * (days only from two days on: one day is "24h"). */
void confval_format_duration(int64_t ms, char *out, size_t cap);
/* Writes bytes as "64m", "1k" when an exact multiple of MiB/KiB, else plain bytes. */
void confval_format_size(int64_t bytes, char *out, size_t cap);

/* 64 hex digits (lower-cased in place); 0 or -1. */
int confval_check_hex_key(char *value);
/* An http:// or https:// URL without spaces, query or fragment; a trailing '/' is removed. */
int confval_check_http_url(char *value);
/* A Graph API version such as "v21.0". */
int confval_check_api_version(char *value);

#endif
