/* Plain-text tables for itactl's human output: columns padded to the width a terminal shows,
 * which for Thai is not the byte count (vowel and tone marks above and below the line take no
 * column of their own), numbers aligned on the right. */
#ifndef ITA_TEXT_TABLE_H
#define ITA_TEXT_TABLE_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TEXT_TABLE_MAX_COLS 16

/* Terminal columns taken by UTF-8 text: combining marks (Thai above/below marks, U+0300..036F)
 * 0, East Asian wide characters 2, everything else 1; a malformed byte counts as 1. */
size_t utf8_width(const char *s);

struct text_table {
    size_t ncols;                          /* columns, at most TEXT_TABLE_MAX_COLS */
    const char *head[TEXT_TABLE_MAX_COLS]; /* column titles (borrowed; must outlive the table) */
    bool right[TEXT_TABLE_MAX_COLS];       /* right-aligned (numbers) */
    size_t width[TEXT_TABLE_MAX_COLS];     /* widest cell so far, in columns */
    struct strbuf cells;                   /* every cell, each followed by a NUL, row by row */
    size_t nrows;                          /* rows added */
};

/* head: ncols titles; right: ncols flags (NULL = all left-aligned). */
void text_table_init(struct text_table *t, size_t ncols, const char *const *head,
                     const bool *right);
/* Copies ncols cells (NULL or empty prints as "-"). */
void text_table_add(struct text_table *t, const char *const *cells);
/* Titles, then rows; two spaces between columns, the last column not padded. */
void text_table_print(const struct text_table *t, FILE *f);
void text_table_free(struct text_table *t);

#endif
