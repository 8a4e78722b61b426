/* See csv.h. One pass, one byte at a time; state is the position and whether we are inside
 * quotes. */
#include "core/csv.h"

void csv_init(struct csv_reader *r, const char *data, size_t len)
{
	r->p = data;
	r->end = data + len;
	r->line = 0;
}

static void put(struct csv_row *row, size_t *len, char ch)
{
	if (row->n >= CSV_FIELDS_MAX)
		return;
	if (*len + 1 >= CSV_FIELD_MAX) {
		row->cut = true;
		return;
	}
	row->field[row->n][(*len)++] = ch;
}

static void end_field(struct csv_row *row, size_t len)
{
	if (row->n < CSV_FIELDS_MAX)
		row->field[row->n][len] = '\0';
	else
		row->too_wide = true;
	row->n++;
}

/* Reads one line (quoted line breaks included); returns false at the end of the data. */
static bool read_line(struct csv_reader *r, struct csv_row *row)
{
	row->n = 0;
	row->too_wide = row->cut = row->bad_quote = false;
	row->field[0][0] = '\0';
	if (r->p >= r->end)
		return false;
	r->line++;
	size_t len = 0;
	bool quoted = false, was_quoted = false;
	while (r->p < r->end) {
		char ch = *r->p++;
		if (quoted) {
			if (ch == '"' && r->p < r->end && *r->p == '"') {
				put(row, &len, '"');
				r->p++;
			} else if (ch == '"') {
				quoted = false;
			} else {
				put(row, &len, ch);
			}
		} else if (ch == '"' && len == 0 && !was_quoted) {
			quoted = was_quoted = true;
		} else if (ch == ',') {
			end_field(row, len);
			len = 0;
			was_quoted = false;
		} else if (ch == '\n') {
			break;
		} else if (ch == '\r' && r->p < r->end && *r->p == '\n') {
			continue;
		} else if (was_quoted) {
			row->bad_quote = true; /* text after the closing quote */
		} else {
			put(row, &len, ch);
		}
	}
	if (quoted)
		row->bad_quote = true;
	end_field(row, len);
	return true;
}

static bool blank(const struct csv_row *row)
{
	if (row->n != 1)
		return false;
	for (const char *s = row->field[0]; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

bool csv_next(struct csv_reader *r, struct csv_row *row)
{
	while (read_line(r, row))
		if (!blank(row) || row->bad_quote)
			return true;
	return false;
}
