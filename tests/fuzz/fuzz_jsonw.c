/* libFuzzer target for core/jsonw: any bytes as a request body. A parsed object is read through
 * the field helpers, whose results must respect their limits, and its dump must parse again
 * (what we serialise we can read back; reals are not compared: the dump keeps 15 digits). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "fuzz.h"

static void read_fields(json_t *obj)
{
	static const char *const names[] = {"name", "email", "text", "id", ""};
	struct err e = {0};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *s = NULL;
		if (jsonw_str(obj, names[i], false, 64, &s, &e) == 0 && s)
			FUZZ_CHECK(strlen(s) <= 64);
	}
	int64_t n = 0;
	if (jsonw_int(obj, "limit", false, -5, 100, &n, &e) == 0)
		FUZZ_CHECK(n >= -5 && n <= 100);
	n = 0;
	jsonw_int(obj, "id", true, INT64_MIN, INT64_MAX, &n, &e);
	bool b = false;
	jsonw_bool(obj, "enabled", false, &b, &e);
	jsonw_bool(obj, "name", true, &b, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *obj = NULL;
	struct err e = {0};
	if (jsonw_parse_object((const char *)data, size, &obj, &e) != 0) {
		FUZZ_CHECK(obj == NULL && e.code == ERR_INVALID);
		return 0;
	}
	FUZZ_CHECK(json_is_object(obj));
	read_fields(obj);
	size_t len = 0;
	char *dumped = jsonw_dump(obj, &len);
	FUZZ_CHECK(strlen(dumped) == len);
	json_t *again = NULL;
	struct err e2 = {0};
	FUZZ_CHECK(jsonw_parse_object(dumped, len, &again, &e2) == 0);
	FUZZ_CHECK(json_object_size(again) == json_object_size(obj));
	json_decref(again);
	free(dumped);
	json_decref(obj);
	return 0;
}
