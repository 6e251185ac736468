/* CSV for exports that Excel opens with Thai intact: a UTF-8 byte order mark first (without it
 * Thai Excel reads the file as Windows-874 and shows mojibake), CRLF line ends, RFC 4180 quoting
 * (a field holding a comma, a double quote, CR or LF is enclosed in double quotes, quotes
 * doubled).
 *
 * Formula injection (CWE-1236): a field whose first byte is = + - @ TAB or CR would be run by a
 * spreadsheet as a formula, so it is written with a leading apostrophe ('=SUM(A1) shows as text).
 * The exception is a plain decimal number, which must stay a number: an optional sign, digits
 * with at most one '.', at least one digit, and an optional exponent (e.g. -1.5, +3, -.5, -2e3).
 * Anything else after the sign (-1+2, -A1, --1) gets the apostrophe. */
#ifndef ITA_CSV_WRITE_H
#define ITA_CSV_WRITE_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends the UTF-8 byte order mark: once, at the start of the file. */
void ita_csv_write_bom(struct strbuf *out);
/* Appends one field (len bytes, UTF-8), preceded by a comma unless it is the row's first. */
void ita_csv_write_field(struct strbuf *out, bool first, const char *s, size_t len);
/* Appends the NUL-terminated s (NULL writes an empty field) as one field. */
void ita_csv_write_str(struct strbuf *out, bool first, const char *s);
/* Ends the row with CRLF. */
void ita_csv_end_row(struct strbuf *out);
/* Appends a whole row of n NUL-terminated fields (NULL = empty) and its CRLF. */
void ita_csv_write_row(struct strbuf *out, const char *const *fields, size_t n);
/* True when the field gets a leading apostrophe under the rule above. */
bool ita_csv_needs_formula_guard(const char *s, size_t len);

#endif
