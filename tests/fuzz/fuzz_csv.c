/* libFuzzer target for core/csv: any bytes as an uploaded recipient list. Every row stays
 * within its bounds and the reader always reaches the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv_row row;
	struct csv_reader r;
	csv_init(&r, (const char *)data, size);
	size_t lines = 0;
	while (csv_next(&r, &row)) {
		lines++;
		FUZZ_CHECK(row.n >= 1);
		for (size_t i = 0; i < row.n && i < CSV_FIELDS_MAX; i++)
			FUZZ_CHECK(strlen(row.field[i]) < CSV_FIELD_MAX);
		FUZZ_CHECK(r.line <= size + 1);
	}
	FUZZ_CHECK(lines <= size);
	return 0;
}
