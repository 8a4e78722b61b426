/* Secretbox sealing; see vault.h. */
#include "svc/vault.h"

#include <string.h>

#include <sodium.h>

#include "core/sec.h"
#include "core/xalloc.h"

#define VAULT_TAG "v1:"
#define VAULT_MAX_PLAIN 700

struct vault {
	unsigned char key[crypto_secretbox_KEYBYTES];
};

struct vault *vault_new(const char *key_hex)
{
	struct vault *v = xcalloc(1, sizeof(*v));
	if (!key_hex || sec_unhex(key_hex, strlen(key_hex), v->key, sizeof(v->key)) != 0) {
		vault_free(v);
		return NULL;
	}
	return v;
}

void vault_free(struct vault *v)
{
	if (!v)
		return;
	sec_zero(v, sizeof(*v));
	free(v);
}

int vault_seal(const struct vault *v, const char *plain, char *out, size_t cap, struct err *e)
{
	size_t len = strlen(plain);
	size_t raw_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	if (len > VAULT_MAX_PLAIN || 3 + raw_len * 2 + 1 > cap)
		return err_set(e, ERR_INVALID, "SECRET_TOO_LONG", "secret is too long to store");
	unsigned char
	    raw[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + VAULT_MAX_PLAIN];
	randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len,
	                      raw, v->key);
	memcpy(out, VAULT_TAG, 3);
	sec_hex(raw, raw_len, out + 3);
	return 0;
}

int vault_open(const struct vault *v, const char *sealed, char *out, size_t cap, struct err *e)
{
	size_t hex_len = strlen(sealed);
	unsigned char
	    raw[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + VAULT_MAX_PLAIN];
	size_t raw_len = hex_len > 3 ? (hex_len - 3) / 2 : 0;
	size_t min = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	bool ok =
	    strncmp(sealed, VAULT_TAG, 3) == 0 && raw_len >= min && raw_len <= sizeof(raw) &&
	    raw_len - min < cap && sec_unhex(sealed + 3, hex_len - 3, raw, raw_len) == 0 &&
	    crypto_secretbox_open_easy((unsigned char *)out, raw + crypto_secretbox_NONCEBYTES,
	                               raw_len - crypto_secretbox_NONCEBYTES, raw, v->key) == 0;
	if (!ok)
		return err_set(
		    e, ERR_INTERNAL, "SECRET_UNREADABLE",
		    "a stored secret cannot be decrypted with the current ENCRYPTION_KEY");
	out[raw_len - min] = '\0';
	return 0;
}
