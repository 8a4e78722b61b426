/* A bounded reader of comma-separated lines (RFC 4180: fields may be double-quoted, a quote
 * inside a quoted field is written twice, quoted fields may hold commas and line breaks).
 * Lines end with LF or CRLF. It never allocates: fields are copied into the caller's
 * buffers and cut (flagged) when they do not fit. */
#ifndef PIXELS_CORE_CSV_H
#define PIXELS_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_FIELDS_MAX 66 /* phone, name and up to 64 variables */
#define CSV_FIELD_MAX 1024

struct csv_reader {
	const char *p, *end;
	size_t line; /* 1-based number of the line last read */
};

struct csv_row {
	char field[CSV_FIELDS_MAX][CSV_FIELD_MAX];
	size_t n;       /* fields on the line (at most CSV_FIELDS_MAX are kept) */
	bool too_wide;  /* the line had more fields than CSV_FIELDS_MAX */
	bool cut;       /* a field was longer than CSV_FIELD_MAX - 1 bytes */
	bool bad_quote; /* an unterminated quote, or text after a closing quote */
};

void csv_init(struct csv_reader *r, const char *data, size_t len);
/* Reads the next non-blank line into row; false at the end of the data. */
bool csv_next(struct csv_reader *r, struct csv_row *row);

#endif
