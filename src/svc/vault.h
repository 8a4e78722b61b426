/* Secrets at rest (Meta access tokens, app secrets): libsodium secretbox (XSalsa20-Poly1305)
 * with the 32-byte ENCRYPTION_KEY, which is independent of JWT_SECRET. Sealed text is
 * "v1:" + hex(nonce || ciphertext). Opening a tampered or foreign value fails loudly; it
 * never returns the ciphertext as if it were the secret. */
#ifndef PIXELS_SVC_VAULT_H
#define PIXELS_SVC_VAULT_H

#include <stddef.h>

#include "core/err.h"

struct vault;

/* key_hex: 64 hex characters. NULL when the key is malformed. */
struct vault *vault_new(const char *key_hex);
void vault_free(struct vault *v);
/* Seals plain into out (cap bytes). ERR_INVALID "SECRET_TOO_LONG" if it does not fit. */
int vault_seal(const struct vault *v, const char *plain, char *out, size_t cap, struct err *e);
/* Opens sealed into out (cap bytes, zero it after use). ERR_INTERNAL "SECRET_UNREADABLE"
 * when the value was not sealed with this key (e.g. ENCRYPTION_KEY changed). */
int vault_open(const struct vault *v, const char *sealed, char *out, size_t cap, struct err *e);

#endif
