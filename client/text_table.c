/* Text tables for itactl (see text_table.h): display width of UTF-8 text and column padding. */
#include "text_table.h"

#include <string.h>

/* Decodes one UTF-8 sequence at s; returns its length (1 for a malformed byte) and the code
 * point in *cp (the byte itself when malformed). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0) {
        *cp = c;
        return 1;
    }
    unsigned v = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return n;
}

static bool is_combining(unsigned cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) ||                 /* Latin combining diacritics */
           cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || /* Thai vowels above/below */
           (cp >= 0x0E47 && cp <= 0x0E4E) ||                 /* Thai tone marks and signs */
           cp == 0x200B || cp == 0xFEFF;                     /* zero-width space, BOM */
}

static bool is_wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t utf8_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        p += utf8_next(p, &cp);
        w += is_combining(cp) ? 0 : is_wide(cp) ? 2 : 1;
    }
    return w;
}

void text_table_init(struct text_table *t, size_t ncols, const char *const *head, const bool *right)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols < TEXT_TABLE_MAX_COLS ? ncols : TEXT_TABLE_MAX_COLS;
    for (size_t i = 0; i < t->ncols; i++) {
        t->head[i] = head[i];
        t->right[i] = right ? right[i] : false;
        t->width[i] = utf8_width(head[i]);
    }
    strbuf_init(&t->cells);
}

void text_table_add(struct text_table *t, const char *const *cells)
{
    for (size_t i = 0; i < t->ncols; i++) {
        const char *c = cells[i] && cells[i][0] ? cells[i] : "-";
        size_t w = utf8_width(c);
        if (w > t->width[i])
            t->width[i] = w;
        strbuf_append(&t->cells, c, strlen(c) + 1);
    }
    t->nrows++;
}

static void pad(FILE *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', f);
}

/* One row; cells[i] are the texts. The last column is not padded on the right. */
static void print_row(const struct text_table *t, FILE *f, const char *const *cells)
{
    for (size_t i = 0; i < t->ncols; i++) {
        size_t gap = t->width[i] - utf8_width(cells[i]);
        bool last = i + 1 == t->ncols;
        if (i > 0)
            fputs("  ", f);
        if (t->right[i])
            pad(f, gap);
        fputs(cells[i], f);
        if (!t->right[i] && !last)
            pad(f, gap);
    }
    fputc('\n', f);
}

void text_table_print(const struct text_table *t, FILE *f)
{
    print_row(t, f, t->head);
    const char *p = t->cells.data;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *row[TEXT_TABLE_MAX_COLS];
        for (size_t i = 0; i < t->ncols; i++) {
            row[i] = p;
            p += strlen(p) + 1;
        }
        print_row(t, f, row);
    }
}

void text_table_free(struct text_table *t)
{
    strbuf_free(&t->cells);
    t->nrows = 0;
}
