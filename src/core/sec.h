/* Cryptography, all through libsodium (the module is `sec`, not `crypto`: libsodium owns the
 * crypto_ prefix). Random bytes and tokens, hex, SHA-256, HMAC-SHA256, constant-time
 * comparison, argon2id password hashes, secretbox. sec_init must run once before threads. */
#ifndef PIXELS_CORE_SEC_H
#define PIXELS_CORE_SEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEC_SHA256_BYTES 32
#define SEC_SHA256_HEX 65 /* 64 hex digits + NUL */
/* Longest argon2id encoded hash libsodium produces, with terminator. */
#define SEC_PWHASH_MAX 128

/* Initialises libsodium; 0 or -1. Idempotent. */
int sec_init(void);
void sec_random(void *out, size_t len);
/* Uniform in [0, upper). */
uint32_t sec_random_below(uint32_t upper);
/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void sec_hex(const void *data, size_t len, char *out);
/* Decodes exactly 2*out_len hex digits; 0 or -1. */
int sec_unhex(const char *hex, size_t hex_len, void *out, size_t out_len);
/* len random bytes rendered as lower-case hex: out needs 2*len+1 bytes. */
void sec_random_hex(size_t len, char *out);
void sec_sha256(const void *data, size_t len, uint8_t out[SEC_SHA256_BYTES]);
void sec_sha256_hex(const void *data, size_t len, char out[SEC_SHA256_HEX]);
void sec_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                     uint8_t out[SEC_SHA256_BYTES]);
void sec_hmac_sha256_hex(const void *key, size_t key_len, const void *data, size_t len,
                         char out[SEC_SHA256_HEX]);
/* Constant-time equality of two equal-length buffers (false if lengths differ). */
bool sec_equal(const void *a, size_t a_len, const void *b, size_t b_len);
/* Overwrites len bytes with zeros in a way the compiler keeps. */
void sec_zero(void *p, size_t len);
/* argon2id hash of password into out (SEC_PWHASH_MAX bytes); 0, or -1 if out of memory.
 * CPU and memory heavy (about 64 MiB): callers bound concurrency (svc/passwords). */
int sec_password_hash(const char *password, size_t len, char out[SEC_PWHASH_MAX]);
/* true when password matches the encoded hash. Same cost as hashing. */
bool sec_password_verify(const char *encoded, const char *password, size_t len);

#endif
