/* The document model (doc.h): blocks appended in order, every string copied. */
#include "doc.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc *doc_new(const char *name)
{
    struct doc *d = xcalloc(1, sizeof *d);
    d->name = xstrdup(name ? name : "");
    return d;
}

static void table_free(struct doc_table *t)
{
    if (!t)
        return;
    free(t->caption);
    for (size_t c = 0; c < t->n_cols; c++)
        free(t->head[c]);
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

static void bars_free(struct doc_bars *b)
{
    if (!b)
        return;
    free(b->title);
    free(b->ref_label);
    for (size_t i = 0; i < b->n; i++) {
        free(b->bars[i].label);
        free(b->bars[i].value_text);
    }
    free(b->bars);
    free(b);
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
        bars_free(d->blocks[i].bars);
    }
    free(d->blocks);
    free(d->name);
    free(d);
}

/* A new block at the end of d (zeroed but for its kind). */
static struct doc_block *add(struct doc *d, enum doc_block_kind kind)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 32;
        d->blocks = xreallocarray(d->blocks, d->cap, sizeof *d->blocks);
    }
    struct doc_block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

static void add_text(struct doc *d, enum doc_block_kind kind, int level, const char *text)
{
    struct doc_block *b = add(d, kind);
    b->level = level;
    b->text = xstrdup(text ? text : "");
}

void doc_title(struct doc *d, const char *text)
{
    add_text(d, DOC_TITLE, 0, text);
}

void doc_heading(struct doc *d, int level, const char *text)
{
    add_text(d, DOC_HEADING, level < 1 ? 1 : level > 3 ? 3 : level, text);
}

void doc_paragraph(struct doc *d, const char *text)
{
    add_text(d, DOC_PARAGRAPH, 0, text);
}

void doc_paragraphf(struct doc *d, const char *fmt, ...)
{
    struct strbuf s;
    strbuf_init(&s);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&s, fmt, ap);
    va_end(ap);
    add_text(d, DOC_PARAGRAPH, 0, s.data ? s.data : "");
    strbuf_free(&s);
}

void doc_bullet(struct doc *d, const char *text)
{
    add_text(d, DOC_BULLET, 0, text);
}

void doc_page_break(struct doc *d)
{
    add(d, DOC_PAGE_BREAK);
}

struct doc_table *doc_table(struct doc *d, const char *caption, size_t n_cols,
                            const char *const *head, const double *width)
{
    if (n_cols < 1)
        n_cols = 1;
    if (n_cols > DOC_MAX_COLS)
        n_cols = DOC_MAX_COLS;
    struct doc_table *t = xcalloc(1, sizeof *t);
    t->caption = caption ? xstrdup(caption) : NULL;
    t->n_cols = n_cols;
    for (size_t c = 0; c < n_cols; c++) {
        t->head[c] = xstrdup(head && head[c] ? head[c] : "");
        t->width[c] = width && width[c] > 0 ? width[c] : 1.0;
    }
    add(d, DOC_TABLE)->table = t;
    return t;
}

void doc_table_row(struct doc_table *t, const char *const *cells)
{
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 16;
        t->cells = xreallocarray(t->cells, t->cap_rows * t->n_cols, sizeof *t->cells);
    }
    for (size_t c = 0; c < t->n_cols; c++)
        t->cells[t->n_rows * t->n_cols + c] = xstrdup(cells && cells[c] ? cells[c] : "");
    t->n_rows++;
}

const char *doc_table_cell(const struct doc_table *t, size_t r, size_t c)
{
    return r < t->n_rows && c < t->n_cols ? t->cells[r * t->n_cols + c] : "";
}

struct doc_bars *doc_bars(struct doc *d, const char *title, double max)
{
    struct doc_bars *b = xcalloc(1, sizeof *b);
    b->title = xstrdup(title ? title : "");
    b->max = max > 0 ? max : 100;
    add(d, DOC_BARS)->bars = b;
    return b;
}

void doc_bars_add(struct doc_bars *b, const char *label, double value, const char *value_text)
{
    b->bars = xreallocarray(b->bars, b->n + 1, sizeof *b->bars);
    b->bars[b->n].label = xstrdup(label ? label : "");
    b->bars[b->n].value = value;
    b->bars[b->n].value_text = xstrdup(value_text ? value_text : "");
    b->n++;
}

void doc_bars_ref(struct doc_bars *b, double ref, const char *label)
{
    b->has_ref = true;
    b->ref = ref;
    free(b->ref_label);
    b->ref_label = label ? xstrdup(label) : NULL;
}

void doc_text(const struct doc *d, struct strbuf *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_TITLE:
        case DOC_HEADING:
        case DOC_PARAGRAPH:
            strbuf_printf(out, "%s\n", b->text);
            break;
        case DOC_BULLET:
            strbuf_printf(out, "• %s\n", b->text);
            break;
        case DOC_TABLE: {
            const struct doc_table *t = b->table;
            if (t->caption)
                strbuf_printf(out, "%s\n", t->caption);
            for (size_t r = 0; r <= t->n_rows; r++) {
                for (size_t c = 0; c < t->n_cols; c++)
                    strbuf_printf(out, "%s%s", c ? " | " : "",
                                  r ? doc_table_cell(t, r - 1, c) : t->head[c]);
                strbuf_puts(out, "\n");
            }
            break;
        }
        case DOC_BARS:
            strbuf_printf(out, "%s\n", b->bars->title);
            for (size_t k = 0; k < b->bars->n; k++)
                strbuf_printf(out, "%s: %s\n", b->bars->bars[k].label, b->bars->bars[k].value_text);
            break;
        case DOC_PAGE_BREAK:
            strbuf_puts(out, "\f");
            break;
        }
    }
}
