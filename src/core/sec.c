/* libsodium wrappers; see sec.h. Argon2id uses libsodium's INTERACTIVE limits. */
#include "core/sec.h"

#include <sodium.h>

int sec_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void sec_random(void *out, size_t len)
{
	randombytes_buf(out, len);
}

uint32_t sec_random_below(uint32_t upper)
{
	return upper ? randombytes_uniform(upper) : 0;
}

void sec_hex(const void *data, size_t len, char *out)
{
	sodium_bin2hex(out, len * 2 + 1, data, len);
}

int sec_unhex(const char *hex, size_t hex_len, void *out, size_t out_len)
{
	size_t bin_len = 0;
	const char *end = NULL;
	if (hex_len != out_len * 2)
		return -1;
	if (sodium_hex2bin(out, out_len, hex, hex_len, NULL, &bin_len, &end) != 0)
		return -1;
	return (bin_len == out_len && end == hex + hex_len) ? 0 : -1;
}

void sec_random_hex(size_t len, char *out)
{
	unsigned char bytes[64];
	out[0] = '\0'; /* len 0 still yields a terminated "" */
	while (len > 0) {
		size_t n = len < sizeof(bytes) ? len : sizeof(bytes);
		randombytes_buf(bytes, n);
		sec_hex(bytes, n, out);
		out += n * 2;
		len -= n;
	}
	sodium_memzero(bytes, sizeof(bytes));
}

void sec_sha256(const void *data, size_t len, uint8_t out[SEC_SHA256_BYTES])
{
	crypto_hash_sha256(out, data, len);
}

void sec_sha256_hex(const void *data, size_t len, char out[SEC_SHA256_HEX])
{
	uint8_t digest[SEC_SHA256_BYTES];
	crypto_hash_sha256(digest, data, len);
	sec_hex(digest, sizeof(digest), out);
}

void sec_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                     uint8_t out[SEC_SHA256_BYTES])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, key_len);
	crypto_auth_hmacsha256_update(&st, data, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

void sec_hmac_sha256_hex(const void *key, size_t key_len, const void *data, size_t len,
                         char out[SEC_SHA256_HEX])
{
	uint8_t digest[SEC_SHA256_BYTES];
	sec_hmac_sha256(key, key_len, data, len, digest);
	sec_hex(digest, sizeof(digest), out);
}

bool sec_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
	if (a_len != b_len)
		return false;
	return a_len == 0 || sodium_memcmp(a, b, a_len) == 0;
}

void sec_zero(void *p, size_t len)
{
	sodium_memzero(p, len);
}

int sec_password_hash(const char *password, size_t len, char out[SEC_PWHASH_MAX])
{
	_Static_assert(SEC_PWHASH_MAX >= crypto_pwhash_STRBYTES, "SEC_PWHASH_MAX too small");
	return crypto_pwhash_str_alg(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                             crypto_pwhash_ALG_ARGON2ID13) == 0
	           ? 0
	           : -1;
}

bool sec_password_verify(const char *encoded, const char *password, size_t len)
{
	return crypto_pwhash_str_verify(encoded, password, len) == 0;
}
