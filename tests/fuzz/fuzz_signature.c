/* libFuzzer target for meta/signature: the input up to its first newline is the
 * X-Hub-Signature-256 header, every byte after it (NULs included) the raw body. Fuzzed headers
 * are almost never right; the signature computed for the same body must be accepted, in
 * either hex case, and a missing header or secret never is. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sec.h"
#include "fuzz.h"
#include "meta/signature.h"

#define SECRET "fuzz-app-secret"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FUZZ_CHECK(sec_init() == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t header_len = nl ? (size_t)(nl - data) : size;
	char *header = fuzz_cstr(data, header_len);
	const uint8_t *body = nl ? nl + 1 : data + size;
	size_t body_len = nl ? size - header_len - 1 : 0;

	/* Result unknowable in general; what matters is that it reads only what it may. */
	(void)meta_signature_valid(header, body, body_len, SECRET);
	FUZZ_CHECK(!meta_signature_valid(header, body, body_len, NULL));
	FUZZ_CHECK(!meta_signature_valid(header, body, body_len, ""));
	FUZZ_CHECK(!meta_signature_valid(NULL, body, body_len, SECRET));

	char good[META_SIGNATURE_SIZE];
	meta_signature_compute(SECRET, body, body_len, good);
	FUZZ_CHECK(strlen(good) == META_SIGNATURE_SIZE - 1);
	FUZZ_CHECK(meta_signature_valid(good, body, body_len, SECRET));
	for (char *p = good + 7; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	FUZZ_CHECK(meta_signature_valid(good, body, body_len, SECRET));
	free(header);
	return 0;
}
