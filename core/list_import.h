/* One CSV list importer for every uploaded list (contacts, agencies), driven by a column spec:
 * which headers name each column, whether the column and its value are required, how a value is
 * checked and normalised, and how long it may be. It does what every list needs: encoding
 * detection (text_encoding.h), the header row (the first non-blank record; headers matched by
 * ita_header_field rules, unknown columns ignored, a column given twice refused), blank rows
 * skipped, text cleaned, values beyond the header refused, and every problem reported with its
 * line, the column as the clerk wrote it and a Thai reason (import_util.h). Rows without errors
 * go to the spec's accept callback; what a list keeps of them is up to that list. */
#ifndef ITA_LIST_IMPORT_H
#define ITA_LIST_IMPORT_H

#include "arena.h"
#include "import_util.h"
#include "text_encoding.h"

#include <stdbool.h>
#include <stddef.h>

#define ITA_LIST_EXCERPT_CHARS 60 /* characters of a bad value quoted back in a message */

struct ita_list_importer; /* the importer's state, private to list_import.c */

/* The data row being read, as the column checks see it. */
struct ita_list_row {
    const char **values; /* cleaned value of each spec column; NULL when absent or blank */
    unsigned long line;  /* where the row starts in the file */
    void *user;          /* the spec's user pointer */
    struct arena *arena; /* owns the values and anything a check makes */
    bool bad;            /* an error has been reported for this row */
    struct ita_list_importer *importer; /* internal */
};

/* Checks and normalises the non-blank value `v` (owned by row->arena, may be changed in place)
 * of column `col`. Returns the value to keep: v, a new string in row->arena, or NULL. Reports
 * problems with ita_list_row_error(). Columns are checked in spec order, so a check may read
 * the kept values of earlier columns and the cleaned values of later ones in row->values. */
typedef const char *(*ita_list_check_fn)(struct ita_list_row *row, size_t col, char *v);

struct ita_list_column {
    const char *const *aliases; /* header names, NULL-terminated */
    const char *no_column;      /* file error when no header names the column; NULL = optional */
    const char *no_value;       /* row error when the value is blank; NULL = may be blank */
    ita_list_check_fn check;    /* NULL = kept as cleaned */
    int max_chars;              /* > 0: characters allowed (after the check); control characters
                                   are refused too */
};

struct ita_list_spec {
    const struct ita_list_column *columns; /* n_columns, in the order they are checked */
    size_t n_columns;
    const char *no_rows; /* file error when only the header is there */
    /* Called for each row without errors, in file order, with row->values as kept. */
    void (*accept)(struct ita_list_row *row);
    void *user; /* handed to the checks and accept as row->user */
    /* NULL, or called after the columns' checks of each row, for rules across columns (it may
     * report errors with ita_list_row_error). */
    void (*check_row)(struct ita_list_row *row);
};

/* Where the importer reports: fields of the caller's list struct. */
struct ita_list_sink {
    struct arena *arena;              /* owns every string (initialised by the caller) */
    struct ita_import_errors *errors; /* zeroed by the caller */
    size_t *rows_read;                /* non-blank data rows read */
    enum ita_text_encoding *encoding; /* how the file was saved */
};

/* Reads `len` bytes of an uploaded file through `spec`. Returns 0 when there is no error, -1
 * when sink->errors has at least one. */
int ita_list_import(const void *bytes, size_t len, const struct ita_list_spec *spec,
                    const struct ita_list_sink *sink);

/* Reports a problem with column `col` of the row (col >= n_columns: the row as a whole); the
 * row will not be accepted. */
void ita_list_row_error(struct ita_list_row *row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* v, cut to ITA_LIST_EXCERPT_CHARS characters, for quoting it back in a message. */
const char *ita_list_excerpt(struct ita_list_row *row, const char *v);

/* Room for one more element in a growing array: returns `array` (or a larger copy of it, which
 * the caller then owns instead) with room for at least n + 1 elements of `size` bytes. */
void *ita_list_grow(void *array, size_t *cap, size_t n, size_t size);

#endif
