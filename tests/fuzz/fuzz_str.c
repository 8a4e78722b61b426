/* libFuzzer target for the small text parsers of core/: str_parse_i64 (in two ranges),
 * str_parse_bool, str_is_clean_utf8 on the raw bytes, and clock_parse_duration_ms on a
 * NUL-terminated copy. A parsed integer must be in range and print back to the same value. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/str.h"
#include "fuzz.h"

static void check_i64(struct str s, int64_t min, int64_t max)
{
	int64_t n = 0;
	if (str_parse_i64(s, min, max, &n) != 0)
		return;
	FUZZ_CHECK(n >= min && n <= max);
	char text[32];
	snprintf(text, sizeof(text), "%" PRId64, n);
	int64_t again = 0;
	FUZZ_CHECK(str_parse_i64(str_from(text), min, max, &again) == 0 && again == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str s = {(const char *)data, size};
	check_i64(s, INT64_MIN, INT64_MAX);
	check_i64(s, 1, 65535);
	bool b = false;
	(void)str_parse_bool(s, &b);
	(void)str_is_clean_utf8(s);

	char *cstr = fuzz_cstr(data, size);
	int64_t ms = 0;
	if (clock_parse_duration_ms(cstr, &ms) == 0)
		FUZZ_CHECK(ms > 0);
	free(cstr);
	return 0;
}
