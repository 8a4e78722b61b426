/* libFuzzer target for svc/phone: any bytes as a phone number typed by a user or sent by an
 * integration. An accepted number is 8 to 15 digits, and normalising it again changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "svc/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	char out[STORE_PHONE_MAX];
	struct err e = {0};
	if (phone_normalize(in, "phone", out, &e) == 0) {
		size_t n = strlen(out);
		FUZZ_CHECK(n >= 8 && n <= 15);
		FUZZ_CHECK(strspn(out, "0123456789") == n);
		char again[STORE_PHONE_MAX];
		struct err e2 = {0};
		FUZZ_CHECK(phone_normalize(out, "phone", again, &e2) == 0);
		FUZZ_CHECK(strcmp(out, again) == 0);
	} else {
		FUZZ_CHECK(e.code == ERR_INVALID && strcmp(e.key, "INVALID_PHONE") == 0);
		FUZZ_CHECK(strlen(out) < STORE_PHONE_MAX);
	}
	free(in);
	return 0;
}
