/* What the CSV importers (contact_list.c, agency_list.c) share: the error report a clerk reads,
 * header matching by aliases, cleaning of free text, a string set for duplicates, and
 * PostgreSQL text-array literals so that a whole list goes to the database as one parameterised
 * statement (e.g. INSERT ... SELECT * FROM unnest($1::text[], $2::text[], ...)). */
#ifndef ITA_IMPORT_UTIL_H
#define ITA_IMPORT_UTIL_H

#include "arena.h"
#include "csv_table.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define ITA_IMPORT_MAX_ERRORS 200 /* detailed errors kept; the total is counted beyond */

struct ita_import_error {
    unsigned long line; /* 1-based line where the record starts; 0 = the whole file */
    const char *column; /* the header as the clerk wrote it; "" when about the row or file */
    const char *reason; /* Thai, says what is wrong and what to do */
};

struct ita_import_errors {
    struct ita_import_error items[ITA_IMPORT_MAX_ERRORS]; /* the first errors, in file order */
    size_t n;                                             /* errors kept in items */
    size_t total;                                         /* errors found, kept or not */
    size_t bad_rows;                                      /* data rows with at least one error */
};

/* Records an error; strings are copied into `a` (which owns them). Beyond the limit only the
 * total grows. */
void ita_import_error_add(struct ita_import_errors *e, struct arena *a, unsigned long line,
                          const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* True when every field of the record is empty or white space (a blank row of a sheet). */
bool ita_csv_record_blank(const struct ita_csv_record *rec);

/* Header matching: the header is compared to each alias with ASCII letters lowercased and
 * spaces, tabs, '-', '_' and '.' removed ("Full Name", "full_name" and "fullname" match). */
struct ita_header_spec {
    int field;                  /* the importer's own field number */
    const char *const *aliases; /* NULL-terminated */
};
/* The field whose aliases match `header`, or -1. */
int ita_header_field(const char *header, const struct ita_header_spec *specs, size_t n_specs);

/* Free text as stored: leading/trailing white space removed, inner runs of white space (ASCII,
 * NO-BREAK SPACE, line breaks) collapsed to one space, ZERO WIDTH SPACE removed. Returns a
 * string owned by `a`. `s` must be UTF-8. */
char *ita_text_clean(struct arena *a, const char *s, size_t len);
/* True when the `len` bytes at s are only white space as ita_text_clean() sees it. */
bool ita_text_blank(const char *s, size_t len);
/* s itself when it has at most max_chars characters, else its first max_chars characters and
 * "…" in a string owned by `a`: for quoting a clerk's value back in a message. */
const char *ita_text_excerpt(struct arena *a, const char *s, size_t max_chars);
/* Characters (Unicode code points, as PostgreSQL's char_length counts them) in UTF-8 `s`. */
size_t ita_utf8_chars(const char *s);
/* True when s holds a C0 control character or DEL. */
bool ita_has_control(const char *s);
/* Lowercases ASCII letters in place (Thai has no case). */
void ita_ascii_lower(char *s);

/* An open-addressing set of strings mapping each to a number (the line it was first seen on).
 * Keys are borrowed: they must outlive the set (the importers keep them in their arena). */
struct ita_strmap {
    const char **keys;     /* cap slots, NULL when empty (owned array, borrowed strings) */
    unsigned long *values; /* cap slots */
    size_t cap;            /* power of two, or 0 */
    size_t n;              /* keys stored */
};
void ita_strmap_init(struct ita_strmap *m);
void ita_strmap_free(struct ita_strmap *m);
/* Adds key → value and returns true; when key is present already returns false and, if `old`
 * is not NULL, stores the existing value there. */
bool ita_strmap_add(struct ita_strmap *m, const char *key, unsigned long value, unsigned long *old);
/* True when key is in the set. */
bool ita_strmap_has(const struct ita_strmap *m, const char *key);

/* PostgreSQL array literals of text: ita_pg_array_begin, then one ita_pg_array_add per element
 * (s NULL gives an SQL NULL), then ita_pg_array_end. Every element is double-quoted, with `"`
 * and `\` backslash-escaped, so commas, braces, spaces and the word NULL stay data. */
void ita_pg_array_begin(struct strbuf *b);
void ita_pg_array_add(struct strbuf *b, const char *s);
void ita_pg_array_end(struct strbuf *b);
/* One array per column of a table of rows: n_cols arrays, cols[c] receiving, for each of the
 * n_rows rows of `row_size` bytes at `rows`, the `const char *` member at offsets[c] (offsetof)
 * of that row. */
void ita_pg_arrays_of_rows(const void *rows, size_t n_rows, size_t row_size, const size_t *offsets,
                           struct strbuf *const *cols, size_t n_cols);

#endif
