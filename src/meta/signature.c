/* X-Hub-Signature-256 check and computation over the raw webhook body. The received hex is
 * decoded to bytes and compared with the expected HMAC in constant time (sec_equal), so hex
 * case does not matter and timing reveals nothing about the expected value. */
#include "meta/signature.h"

#include <stdint.h>
#include <string.h>

#include "core/sec.h"

#define PREFIX "sha256="
#define PREFIX_LEN (sizeof(PREFIX) - 1)

bool meta_signature_valid(const char *header, const void *body, size_t len, const char *app_secret)
{
	if (!header || !app_secret || !app_secret[0])
		return false;
	if (strncmp(header, PREFIX, PREFIX_LEN) != 0)
		return false;
	const char *hex = header + PREFIX_LEN;
	if (strlen(hex) != 2 * SEC_SHA256_BYTES)
		return false;
	uint8_t got[SEC_SHA256_BYTES];
	if (sec_unhex(hex, 2 * SEC_SHA256_BYTES, got, sizeof(got)) != 0)
		return false;
	uint8_t want[SEC_SHA256_BYTES];
	sec_hmac_sha256(app_secret, strlen(app_secret), body, len, want);
	bool ok = sec_equal(got, sizeof(got), want, sizeof(want));
	sec_zero(want, sizeof(want));
	return ok;
}

void meta_signature_compute(const char *app_secret, const void *body, size_t len,
                            char out[META_SIGNATURE_SIZE])
{
	char hex[SEC_SHA256_HEX];
	const char *secret = app_secret ? app_secret : "";
	sec_hmac_sha256_hex(secret, strlen(secret), body, len, hex);
	memcpy(out, PREFIX, PREFIX_LEN);
	memcpy(out + PREFIX_LEN, hex, SEC_SHA256_HEX); /* includes the NUL */
}
