/* libFuzzer target for core/jsonout: any bytes as a string value (customer text read back
 * from the store). The output always parses with jansson; when the bytes are valid UTF-8 the
 * parsed string is exactly those bytes, otherwise every invalid byte became U+FFFD and the
 * text is still valid JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonout.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonout w;
	jsonout_init(&w);
	jsonout_object_open(&w);
	jsonout_key(&w, "s");
	jsonout_strn(&w, (const char *)data, size);
	jsonout_kint(&w, "n", (int64_t)size);
	jsonout_object_close(&w);
	size_t len = 0;
	char *text = jsonout_detach(&w, &len);
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_ALLOW_NUL, &jerr);
	FUZZ_CHECK(root != NULL);
	json_t *s = json_object_get(root, "s");
	FUZZ_CHECK(json_is_string(s));
	FUZZ_CHECK(json_integer_value(json_object_get(root, "n")) == (json_int_t)size);
	/* jansson accepts exactly the valid UTF-8 strings. */
	json_t *direct = json_stringn((const char *)data, size);
	if (direct) {
		FUZZ_CHECK(json_string_length(s) == size);
		FUZZ_CHECK(memcmp(json_string_value(s), data, size) == 0);
		json_decref(direct);
	} else {
		FUZZ_CHECK(json_string_length(s) >= size); /* U+FFFD is 3 bytes per invalid byte */
	}
	json_decref(root);
	free(text);
	return 0;
}
