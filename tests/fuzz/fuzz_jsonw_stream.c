/* libFuzzer target for core/jsonw_stream: any bytes as a broadcast body. Whatever the lazy
 * parser accepts, jansson must accept too (the same members, the lists element by element),
 * and whatever jansson refuses as a whole must not come out of the lazy path intact. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "fuzz.h"

static const char *const lazy[] = {"phones", "recipients", NULL};

static int each(void *arg, json_t *elem, struct err *e)
{
	size_t *n = arg;
	(*n)++;
	FUZZ_CHECK(elem != NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonw_span spans[2];
	json_t *obj = NULL, *whole = NULL;
	struct err e = {0}, e2 = {0};
	int rc = jsonw_parse_object_lazy((const char *)data, size, lazy, spans, &obj, &e);
	if (rc != 0) {
		FUZZ_CHECK(obj == NULL && e.code == ERR_INVALID);
		return 0;
	}
	bool lists_ok = true;
	size_t counts[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		struct err ee = {0};
		if (spans[i].p) {
			FUZZ_CHECK(spans[i].p >= (const char *)data &&
			           spans[i].p + spans[i].len <= (const char *)data + size);
			lists_ok =
			    lists_ok && jsonw_each_element(spans[i], each, &counts[i], &ee) == 0;
		}
	}
	int whole_rc = jsonw_parse_object((const char *)data, size, &whole, &e2);
	if (lists_ok) { /* everything was accepted piecewise: the whole must parse the same */
		FUZZ_CHECK(whole_rc == 0);
		for (int i = 0; i < 2; i++) {
			json_t *arr = json_object_get(whole, lazy[i]);
			if (spans[i].p)
				FUZZ_CHECK(json_is_array(arr) && json_array_size(arr) == counts[i]);
		}
		FUZZ_CHECK(json_object_size(whole) ==
		           json_object_size(obj) + (spans[0].p != NULL) + (spans[1].p != NULL));
	}
	json_decref(whole);
	json_decref(obj);
	return 0;
}
