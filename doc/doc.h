/* A printable document as a list of blocks (issue #17): the O42 report, and later the slips and
 * other files a clerk downloads, are built once as a `struct doc` and written by the writers
 * next to this model: doc_pdf.c (A4 PDF with cairo + pango, Thai fonts embedded) and doc_docx.c
 * (WordprocessingML in a zip, for final edits in Word or LibreOffice). doc_text() writes the
 * document as plain text, for tests and for a quick look.
 *
 * Blocks: title lines (centred, large), headings of level 1-3, paragraphs, bullet items, tables
 * (a header row repeated on every page, relative column widths, right-aligned numeric columns,
 * an optional bold last row), horizontal bar charts with an optional reference line, and page
 * breaks. Text is UTF-8; a paragraph may hold '\n' for a line break.
 *
 * Ownership: the doc owns copies of every string given to it; doc_free() releases everything.
 * Pointers returned by doc_table() stay valid until doc_free(). */
#ifndef ITA_DOC_H
#define ITA_DOC_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

enum doc_block_kind {
    DOC_TITLE,      /* a centred title line */
    DOC_HEADING,    /* level 1-3 */
    DOC_PARAGRAPH,  /* body text */
    DOC_BULLET,     /* one bullet item (consecutive items form a list) */
    DOC_TABLE,      /* see struct doc_table */
    DOC_BARS,       /* see struct doc_bars */
    DOC_PAGE_BREAK, /* the next block starts a new page */
};

#define DOC_MAX_COLS 8

struct doc_table {
    char *caption;              /* shown above the table; NULL: none */
    size_t n_cols;              /* 1..DOC_MAX_COLS */
    char *head[DOC_MAX_COLS];   /* header cells, repeated on every page the table spans */
    double width[DOC_MAX_COLS]; /* relative widths (any positive scale) */
    bool numeric[DOC_MAX_COLS]; /* right-aligned column (figures) */
    bool bold_last_row;         /* a total row */
    size_t n_rows, cap_rows;
    char **cells; /* [n_rows * n_cols], row-major; "" for an empty cell */
};

struct doc_bar {
    char *label;
    double value;     /* on the chart's scale */
    char *value_text; /* the figure written next to the bar */
};

struct doc_bars {
    char *title;
    double max;   /* the scale: 0..max */
    bool has_ref; /* a reference line (e.g. 85) */
    double ref;
    char *ref_label; /* text at the line; NULL: none */
    size_t n;
    struct doc_bar *bars; /* [n] in display order, top to bottom */
};

struct doc_block {
    enum doc_block_kind kind;
    int level;               /* DOC_HEADING: 1-3 */
    char *text;              /* TITLE, HEADING, PARAGRAPH, BULLET */
    struct doc_table *table; /* DOC_TABLE */
    struct doc_bars *bars;   /* DOC_BARS */
};

struct doc {
    char *name; /* document title for the file's metadata */
    size_t n, cap;
    struct doc_block *blocks;
};

/* A new empty document named `name` (metadata title). Free with doc_free(). */
struct doc *doc_new(const char *name);
void doc_free(struct doc *d);

void doc_title(struct doc *d, const char *text);
void doc_heading(struct doc *d, int level, const char *text);
void doc_paragraph(struct doc *d, const char *text);
void doc_paragraphf(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_bullet(struct doc *d, const char *text);
void doc_page_break(struct doc *d);

/* A table of n_cols columns with the given header cells and relative widths (NULL: equal).
 * Returns the table (owned by d) for doc_table_row() and the flags. */
struct doc_table *doc_table(struct doc *d, const char *caption, size_t n_cols,
                            const char *const *head, const double *width);
/* Appends a row of t->n_cols cells (NULL cells are written empty). */
void doc_table_row(struct doc_table *t, const char *const *cells);

/* A horizontal bar chart over 0..max; add bars with doc_bars_add(). Returns the chart (owned
 * by d). */
struct doc_bars *doc_bars(struct doc *d, const char *title, double max);
void doc_bars_add(struct doc_bars *b, const char *label, double value, const char *value_text);
void doc_bars_ref(struct doc_bars *b, double ref, const char *label);

/* The cell at row r, column c. */
const char *doc_table_cell(const struct doc_table *t, size_t r, size_t c);

/* Plain text: titles and headings on lines of their own, paragraphs, "• " bullets, tables as
 * " | "-separated rows (header first), charts as "label: value_text" lines, page breaks as a
 * form feed. */
void doc_text(const struct doc *d, struct strbuf *out);

#endif
