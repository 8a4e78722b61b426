/* libFuzzer target for svc/accounts' email check: any bytes as an email typed at sign-up or
 * login. An accepted address fits its buffer, has exactly one '@', no upper-case ASCII, and
 * normalising it again changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "svc/accounts.h"

static void check_normal(const char *out)
{
	size_t n = strlen(out);
	FUZZ_CHECK(n >= 3 && n < STORE_EMAIL_MAX);
	const char *at = strchr(out, '@');
	FUZZ_CHECK(at && at > out && strchr(at + 1, '@') == NULL);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(!(out[i] >= 'A' && out[i] <= 'Z'));
	char again[STORE_EMAIL_MAX];
	struct err e = {0};
	FUZZ_CHECK(accounts_normalize_email(out, "email", again, &e) == 0);
	FUZZ_CHECK(strcmp(out, again) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	char out[STORE_EMAIL_MAX];
	struct err e = {0};
	if (accounts_normalize_email(in, "email", out, &e) == 0)
		check_normal(out);
	else
		FUZZ_CHECK(e.code == ERR_INVALID && strcmp(e.field, "email") == 0);
	free(in);
	return 0;
}
