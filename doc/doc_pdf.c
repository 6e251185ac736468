/* The PDF writer of the document model (doc_pdf.h): two passes over the blocks with the same
 * layout code, the first only counting pages (for "หน้า n จาก m"), the second drawing on cairo's
 * PDF surface. Text is laid out by pango (Thai shaping and line breaking) one line at a time, so
 * paragraphs and table cells can continue on the next page. */
#include "doc_pdf.h"
#include "xalloc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.276 /* A4, points */
#define PAGE_H 841.89
#define MARGIN 56.693 /* 2 cm */
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define TOP MARGIN
#define BOTTOM (PAGE_H - MARGIN)
#define FOOTER_Y (PAGE_H - MARGIN + 14) /* top of the footer line, inside the bottom margin */

/* Sarabun-like faces first: Laksaman is fonts-thai-tlwg's build of TH Sarabun, with ordinary
 * metrics (as Google's Sarabun has), so a size a Thai clerk knows as "TH Sarabun 16 pt" is
 * 0.66 of that in these faces (the factor of fontconfig's own 89-tlwg-laksaman-synthetic.conf,
 * which scales Laksaman so when asked for "TH Sarabun"; asking for Laksaman directly keeps
 * glyph widths and positions plain, which text extraction needs). */
#define FAMILIES "Laksaman, Sarabun, Garuda, Loma, sans-serif"
#define PT(sarabun_pt) ((sarabun_pt)*0.66)

#define BODY_PT PT(16)
#define TABLE_PT PT(15)
#define TITLE_PT PT(20)
#define FOOTER_PT PT(14)
#define CELL_PAD_X 4.0
#define CELL_PAD_Y 2.0
#define BULLET_INDENT 18.0 /* the text of a bullet item starts here; the bullet sits before it */

enum font { F_BODY, F_BOLD, F_TITLE, F_H1, F_H2, F_H3, F_CELL, F_CELL_BOLD, F_SMALL, F_COUNT };

struct pdf {
    PangoFontMap *fm; /* this call's own font map (thread safety) */
    PangoContext *pc;
    PangoFontDescription *font[F_COUNT];
    cairo_surface_t *surface; /* NULL in the counting pass */
    cairo_t *cr;              /* NULL in the counting pass */
    int page;                 /* the current page, from 1 */
    int pages;                /* the total, known in the drawing pass */
    double y;                 /* where the next thing goes */
    bool fresh;               /* nothing placed on this page yet */
    int outline[4];           /* the outline entry of the last heading of each level */
};

/* ---- text laid out as lines ---- */

struct lines {
    PangoLayout *layout;
    int n;
    double *top;    /* [n] each line's top, relative to the layout's top */
    double *height; /* [n] */
    double *base;   /* [n] baseline, relative to the layout's top */
    double *x;      /* [n] the line's left edge (alignment) */
    double total;   /* the layout's height */
};

static void lines_make(struct pdf *p, struct lines *ls, const char *text, enum font f, double width,
                       PangoAlignment align)
{
    ls->layout = pango_layout_new(p->pc);
    pango_layout_set_font_description(ls->layout, p->font[f]);
    pango_layout_set_width(ls->layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(ls->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(ls->layout, align);
    pango_layout_set_text(ls->layout, text, -1);
    ls->n = pango_layout_get_line_count(ls->layout);
    ls->top = xcalloc((size_t)ls->n * 4, sizeof(double));
    ls->height = ls->top + ls->n;
    ls->base = ls->height + ls->n;
    ls->x = ls->base + ls->n;
    PangoLayoutIter *it = pango_layout_get_iter(ls->layout);
    int i = 0;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        ls->top[i] = (double)logical.y / PANGO_SCALE;
        ls->height[i] = (double)logical.height / PANGO_SCALE;
        ls->x[i] = (double)logical.x / PANGO_SCALE;
        ls->base[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        i++;
    } while (i < ls->n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    ls->n = i;
    ls->total = ls->n ? ls->top[ls->n - 1] + ls->height[ls->n - 1] : 0;
}

static void lines_free(struct lines *ls)
{
    if (ls->layout)
        g_object_unref(ls->layout);
    free(ls->top);
    memset(ls, 0, sizeof *ls);
}

/* The height of lines [from, to). */
static double lines_span(const struct lines *ls, int from, int to)
{
    return to > from ? ls->top[to - 1] + ls->height[to - 1] - ls->top[from] : 0;
}

/* Draws lines [from, to) with line `from`'s top at (x, y). */
static void lines_draw(struct pdf *p, const struct lines *ls, int from, int to, double x, double y)
{
    if (!p->cr)
        return;
    for (int i = from; i < to; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(ls->layout, i);
        cairo_move_to(p->cr, x + ls->x[i], y + ls->base[i] - ls->top[from]);
        pango_cairo_show_layout_line(p->cr, line);
    }
}

/* The height text takes in font f at the given width. */
static double text_height(struct pdf *p, const char *text, enum font f, double width)
{
    struct lines ls;
    lines_make(p, &ls, text, f, width, PANGO_ALIGN_LEFT);
    double h = ls.total;
    lines_free(&ls);
    return h;
}

/* ---- pages ---- */

static void footer(struct pdf *p)
{
    if (!p->cr)
        return;
    char text[64];
    snprintf(text, sizeof text, "หน้า %d จาก %d", p->page, p->pages);
    struct lines ls;
    lines_make(p, &ls, text, F_SMALL, CONTENT_W, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
    lines_draw(p, &ls, 0, ls.n, MARGIN, FOOTER_Y);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    lines_free(&ls);
}

static void new_page(struct pdf *p)
{
    footer(p);
    if (p->cr)
        cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
    p->fresh = true;
}

static double room(const struct pdf *p)
{
    return BOTTOM - p->y;
}

/* ---- paragraphs and bullets ---- */

/* Places the lines of ls at x, continuing on new pages: no single first line at the foot of a
 * page and no single last line at the head of the next when that can be helped. bullet, when
 * set, is drawn before the first line. */
static void flow(struct pdf *p, const struct lines *ls, double x, const struct lines *bullet,
                 double bullet_x)
{
    int i = 0;
    while (i < ls->n) {
        int rest = ls->n - i, k = 0;
        while (k < rest && lines_span(ls, i, i + k + 1) <= room(p) + 0.01)
            k++;
        if (k < rest) {
            if (rest - k == 1 && k >= 3)
                k--; /* carry a line over with the last one */
            if (k < 2 && rest >= 2 && !p->fresh)
                k = 0; /* a lone first line: start on the next page */
            if (k == 0 && p->fresh)
                k = 1; /* a line taller than a page: place it anyway */
        }
        if (k > 0) {
            if (i == 0 && bullet)
                lines_draw(p, bullet, 0, bullet->n, bullet_x, p->y);
            lines_draw(p, ls, i, i + k, x, p->y);
            p->y += lines_span(ls, i, i + k);
            p->fresh = false;
            i += k;
        }
        if (i < ls->n)
            new_page(p);
    }
}

static void paragraph(struct pdf *p, const char *text)
{
    struct lines ls;
    lines_make(p, &ls, text, F_BODY, CONTENT_W, PANGO_ALIGN_LEFT);
    flow(p, &ls, MARGIN, NULL, 0);
    p->y += 6;
    lines_free(&ls);
}

static void bullet(struct pdf *p, const char *text)
{
    struct lines ls, dot;
    lines_make(p, &ls, text, F_BODY, CONTENT_W - BULLET_INDENT, PANGO_ALIGN_LEFT);
    lines_make(p, &dot, "•", F_BODY, BULLET_INDENT, PANGO_ALIGN_LEFT);
    flow(p, &ls, MARGIN + BULLET_INDENT, &dot, MARGIN + 5);
    p->y += 2;
    lines_free(&dot);
    lines_free(&ls);
}

/* ---- tables ---- */

struct row {
    struct lines cell[DOC_MAX_COLS];
};

static void col_geometry(const struct doc_table *t, double *x, double *w)
{
    double sum = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        sum += t->width[c];
    double at = MARGIN;
    for (size_t c = 0; c < t->n_cols; c++) {
        w[c] = CONTENT_W * t->width[c] / sum;
        x[c] = at;
        at += w[c];
    }
}

/* Lays out row r of t (r == SIZE_MAX: the header). */
static void row_make(struct pdf *p, const struct doc_table *t, size_t r, const double *w,
                     struct row *row)
{
    bool head = r == (size_t)-1;
    bool bold = head || (t->bold_last_row && r + 1 == t->n_rows);
    memset(row, 0, sizeof *row);
    for (size_t c = 0; c < t->n_cols; c++) {
        PangoAlignment al = head            ? PANGO_ALIGN_CENTER
                            : t->numeric[c] ? PANGO_ALIGN_RIGHT
                                            : PANGO_ALIGN_LEFT;
        lines_make(p, &row->cell[c], head ? t->head[c] : doc_table_cell(t, r, c),
                   bold ? F_CELL_BOLD : F_CELL, w[c] - 2 * CELL_PAD_X, al);
    }
}

static void row_free(const struct doc_table *t, struct row *row)
{
    for (size_t c = 0; c < t->n_cols; c++)
        lines_free(&row->cell[c]);
}

/* The height of what is left of a row whose cells start at from[]. */
static double row_rest(const struct doc_table *t, const struct row *row, const int *from)
{
    double h = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        double ch = lines_span(&row->cell[c], from[c], row->cell[c].n);
        if (ch > h)
            h = ch;
    }
    return h + 2 * CELL_PAD_Y;
}

/* Draws the part of a row from from[] to to[] as cells height h high at p->y. */
static void row_draw(struct pdf *p, const struct doc_table *t, const struct row *row,
                     const int *from, const int *to, double h, const double *x, const double *w,
                     double shade)
{
    if (!p->cr)
        return;
    cairo_t *cr = p->cr;
    if (shade < 1) {
        cairo_set_source_rgb(cr, shade, shade, shade);
        cairo_rectangle(cr, x[0], p->y, CONTENT_W, h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(cr, 0.6);
    for (size_t c = 0; c < t->n_cols; c++) {
        cairo_rectangle(cr, x[c], p->y, w[c], h);
        cairo_stroke(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t c = 0; c < t->n_cols; c++)
        lines_draw(p, &row->cell[c], from[c], to[c], x[c] + CELL_PAD_X, p->y + CELL_PAD_Y);
}

static void header_draw(struct pdf *p, const struct doc_table *t, const struct row *head,
                        const double *x, const double *w)
{
    int from[DOC_MAX_COLS] = {0}, to[DOC_MAX_COLS];
    for (size_t c = 0; c < t->n_cols; c++)
        to[c] = head->cell[c].n;
    double h = row_rest(t, head, from);
    row_draw(p, t, head, from, to, h, x, w, 0.86);
    p->y += h;
    p->fresh = false;
}

static double caption_height(struct pdf *p, const struct doc_table *t)
{
    return t->caption ? text_height(p, t->caption, F_BOLD, CONTENT_W) + 2 : 0;
}

/* What must fit for a table to start: its caption, header and first row. */
static double table_lead(struct pdf *p, const struct doc_table *t)
{
    double x[DOC_MAX_COLS], w[DOC_MAX_COLS];
    col_geometry(t, x, w);
    struct row head = {0}, first = {0};
    int from[DOC_MAX_COLS] = {0};
    row_make(p, t, (size_t)-1, w, &head);
    double h = caption_height(p, t) + row_rest(t, &head, from);
    row_free(t, &head);
    if (t->n_rows) {
        row_make(p, t, 0, w, &first);
        h += row_rest(t, &first, from);
        row_free(t, &first);
    }
    return h;
}

static void table(struct pdf *p, const struct doc_table *t)
{
    double x[DOC_MAX_COLS], w[DOC_MAX_COLS];
    col_geometry(t, x, w);
    struct row head = {0};
    row_make(p, t, (size_t)-1, w, &head);
    double lead = table_lead(p, t);
    if (lead > room(p) && !p->fresh)
        new_page(p);
    if (t->caption) {
        struct lines cap;
        lines_make(p, &cap, t->caption, F_BOLD, CONTENT_W, PANGO_ALIGN_LEFT);
        lines_draw(p, &cap, 0, cap.n, MARGIN, p->y);
        p->y += cap.total + 2;
        lines_free(&cap);
    }
    header_draw(p, t, &head, x, w);
    int from[DOC_MAX_COLS] = {0};
    double head_h = row_rest(t, &head, from);
    double page_room = BOTTOM - TOP - head_h; /* what a row has on a page of its own */
    for (size_t r = 0; r < t->n_rows; r++) {
        struct row row = {0};
        row_make(p, t, r, w, &row);
        bool last_bold = t->bold_last_row && r + 1 == t->n_rows;
        int at[DOC_MAX_COLS] = {0}, to[DOC_MAX_COLS];
        bool first_part = true;
        for (;;) {
            double need = row_rest(t, &row, at);
            if (need <= room(p) + 0.01) {
                for (size_t c = 0; c < t->n_cols; c++)
                    to[c] = row.cell[c].n;
                row_draw(p, t, &row, at, to, need, x, w, last_bold ? 0.94 : 1);
                p->y += need;
                break;
            }
            /* a row that fits on a page moves there whole; a taller one is split, but not
             * starting in a sliver at the foot of a page */
            if ((need <= page_room && first_part) || room(p) < 3 * BODY_PT * 1.5) {
                new_page(p);
                header_draw(p, t, &head, x, w);
                continue;
            }
            double avail = room(p) - 2 * CELL_PAD_Y, used = 0;
            bool progress = false;
            for (size_t c = 0; c < t->n_cols; c++) {
                const struct lines *ls = &row.cell[c];
                to[c] = at[c];
                while (to[c] < ls->n && lines_span(ls, at[c], to[c] + 1) <= avail)
                    to[c]++;
                if (to[c] > at[c])
                    progress = true;
                if (lines_span(ls, at[c], to[c]) > used)
                    used = lines_span(ls, at[c], to[c]);
            }
            if (!progress) { /* a single line taller than the page: give up splitting */
                for (size_t c = 0; c < t->n_cols; c++)
                    to[c] = row.cell[c].n;
                row_draw(p, t, &row, at, to, need, x, w, 1);
                p->y += need;
                break;
            }
            row_draw(p, t, &row, at, to, room(p), x, w, last_bold ? 0.94 : 1);
            memcpy(at, to, sizeof at);
            first_part = false;
            new_page(p);
            header_draw(p, t, &head, x, w);
        }
        row_free(t, &row);
    }
    row_free(t, &head);
    p->y += 10;
}

/* ---- bar charts ---- */

#define BAR_H 12.0
#define BAR_GAP 5.0

struct chart {
    struct lines title, ref;
    struct lines *label; /* [n] */
    struct lines *value; /* [n] */
    double label_w, bar_x, bar_w, top_pad;
};

static void chart_make(struct pdf *p, const struct doc_bars *b, struct chart *ch)
{
    memset(ch, 0, sizeof *ch);
    lines_make(p, &ch->title, b->title, F_BOLD, CONTENT_W, PANGO_ALIGN_CENTER);
    ch->label_w = CONTENT_W * 0.38;
    ch->label = xcalloc(b->n ? b->n : 1, sizeof *ch->label);
    ch->value = xcalloc(b->n ? b->n : 1, sizeof *ch->value);
    double vw = 0;
    for (size_t i = 0; i < b->n; i++) {
        lines_make(p, &ch->label[i], b->bars[i].label, F_CELL, ch->label_w, PANGO_ALIGN_RIGHT);
        lines_make(p, &ch->value[i], b->bars[i].value_text, F_CELL, CONTENT_W / 4,
                   PANGO_ALIGN_LEFT);
        PangoRectangle r;
        pango_layout_get_extents(ch->value[i].layout, NULL, &r);
        if ((double)r.width / PANGO_SCALE > vw)
            vw = (double)r.width / PANGO_SCALE;
    }
    ch->bar_x = MARGIN + ch->label_w + 8;
    ch->bar_w = CONTENT_W - ch->label_w - 8 - vw - 8;
    if (b->has_ref) {
        lines_make(p, &ch->ref, b->ref_label ? b->ref_label : "", F_SMALL, CONTENT_W / 3,
                   PANGO_ALIGN_CENTER);
        ch->top_pad = ch->ref.total + 2;
    }
}

static void chart_free(const struct doc_bars *b, struct chart *ch)
{
    lines_free(&ch->title);
    lines_free(&ch->ref);
    for (size_t i = 0; i < b->n; i++) {
        lines_free(&ch->label[i]);
        lines_free(&ch->value[i]);
    }
    free(ch->label);
    free(ch->value);
}

static double bar_row_h(const struct chart *ch, size_t i)
{
    double h = ch->label[i].total;
    return (h > BAR_H + 4 ? h : BAR_H + 4) + BAR_GAP;
}

static double chart_height(const struct doc_bars *b, const struct chart *ch)
{
    double h = ch->title.total + 4 + ch->top_pad;
    for (size_t i = 0; i < b->n; i++)
        h += bar_row_h(ch, i);
    return h + 8;
}

static double bar_pos(const struct doc_bars *b, const struct chart *ch, double v)
{
    if (v < 0)
        v = 0;
    if (v > b->max)
        v = b->max;
    return ch->bar_x + ch->bar_w * v / b->max;
}

/* Draws bars [from, to) at p->y: labels and bars, the axis and the reference line over the bars,
 * then each figure on a white ground so that the line never strikes through it. */
static void bars_draw(struct pdf *p, const struct doc_bars *b, const struct chart *ch, size_t from,
                      size_t to)
{
    double rows_top = p->y + ch->top_pad, y = rows_top;
    for (size_t i = from; i < to; i++)
        y += bar_row_h(ch, i);
    double rows_end = y - BAR_GAP + 2;
    cairo_t *cr = p->cr;
    if (cr) {
        double mid, x1;
        y = rows_top;
        for (size_t i = from; i < to; y += bar_row_h(ch, i), i++) {
            mid = y + (bar_row_h(ch, i) - BAR_GAP) / 2;
            const struct lines *lb = &ch->label[i];
            lines_draw(p, lb, 0, lb->n, MARGIN, mid - lb->total / 2);
            x1 = bar_pos(b, ch, b->bars[i].value);
            cairo_set_source_rgb(cr, 0x0d / 255.0, 0x3b / 255.0, 0x66 / 255.0);
            cairo_rectangle(cr, ch->bar_x, mid - BAR_H / 2, x1 - ch->bar_x, BAR_H);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
        }
        cairo_set_line_width(cr, 0.8);
        cairo_move_to(cr, ch->bar_x, rows_top - 2);
        cairo_line_to(cr, ch->bar_x, rows_end);
        cairo_stroke(cr);
        if (b->has_ref) {
            double rx = bar_pos(b, ch, b->ref);
            double dash[] = {3, 2};
            cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, rx, rows_top - 2);
            cairo_line_to(cr, rx, rows_end);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            /* its label above the line, kept inside the text area */
            double lx = rx - CONTENT_W / 6;
            if (lx + CONTENT_W / 3 > MARGIN + CONTENT_W)
                lx = MARGIN + CONTENT_W - CONTENT_W / 3;
            lines_draw(p, &ch->ref, 0, ch->ref.n, lx, p->y);
            cairo_set_source_rgb(cr, 0, 0, 0);
        }
        y = rows_top;
        for (size_t i = from; i < to; y += bar_row_h(ch, i), i++) {
            mid = y + (bar_row_h(ch, i) - BAR_GAP) / 2;
            x1 = bar_pos(b, ch, b->bars[i].value);
            const struct lines *lv = &ch->value[i];
            PangoRectangle ink;
            pango_layout_get_extents(lv->layout, NULL, &ink);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_rectangle(cr, x1 + 2, mid - lv->total / 2, (double)ink.width / PANGO_SCALE + 4,
                            lv->total);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            lines_draw(p, lv, 0, lv->n, x1 + 4, mid - lv->total / 2);
        }
    }
    p->y = rows_end - 2 + BAR_GAP;
    p->fresh = false;
}

static void bars(struct pdf *p, const struct doc_bars *b)
{
    struct chart ch;
    chart_make(p, b, &ch);
    double h = chart_height(b, &ch);
    /* a chart that fits on a page is not split; a taller one starts here if its title and a
     * few bars fit */
    double start = ch.title.total + 4 + ch.top_pad + 3 * (BAR_H + 4 + BAR_GAP);
    if (!p->fresh && (h <= BOTTOM - TOP ? h > room(p) : start > room(p)))
        new_page(p);
    lines_draw(p, &ch.title, 0, ch.title.n, MARGIN, p->y);
    p->y += ch.title.total + 4;
    p->fresh = false;
    size_t i = 0;
    while (i < b->n || i == 0) {
        /* as many rows as fit here (at least one) */
        size_t j = i;
        double used = ch.top_pad;
        while (j < b->n && (j == i || used + bar_row_h(&ch, j) <= room(p)))
            used += bar_row_h(&ch, j++);
        bars_draw(p, b, &ch, i, j);
        i = j;
        if (i >= b->n)
            break;
        new_page(p);
    }
    p->y += 8;
    chart_free(b, &ch);
}

/* ---- titles and headings ---- */

static enum font heading_font(const struct doc_block *b)
{
    if (b->kind == DOC_TITLE)
        return F_TITLE;
    return b->level == 1 ? F_H1 : b->level == 2 ? F_H2 : F_H3;
}

static double space_before(const struct doc_block *b)
{
    return b->kind == DOC_TITLE ? 0 : b->level == 1 ? 14 : 10;
}

static double space_after(const struct doc_block *b)
{
    return b->kind == DOC_TITLE ? 8 : 4;
}

/* The height that must fit on a page together with block i's start: a heading and what follows
 * it; a paragraph's first two lines; a table's caption, header and first row; a whole chart. */
static double lead(struct pdf *p, const struct doc *d, size_t i, int depth)
{
    if (i >= d->n || depth > 4)
        return 0;
    const struct doc_block *b = &d->blocks[i];
    switch (b->kind) {
    case DOC_TITLE:
    case DOC_HEADING:
        return space_before(b) + text_height(p, b->text, heading_font(b), CONTENT_W) +
               space_after(b) + lead(p, d, i + 1, depth + 1);
    case DOC_PARAGRAPH:
    case DOC_BULLET: {
        struct lines ls;
        lines_make(p, &ls, b->text, F_BODY,
                   b->kind == DOC_BULLET ? CONTENT_W - BULLET_INDENT : CONTENT_W, PANGO_ALIGN_LEFT);
        double h = lines_span(&ls, 0, ls.n < 2 ? ls.n : 2);
        lines_free(&ls);
        return h;
    }
    case DOC_TABLE:
        return table_lead(p, b->table);
    case DOC_BARS: {
        struct chart ch;
        chart_make(p, b->bars, &ch);
        double h = chart_height(b->bars, &ch);
        chart_free(b->bars, &ch);
        return h;
    }
    case DOC_PAGE_BREAK:
        return 0;
    }
    return 0;
}

static void heading(struct pdf *p, const struct doc *d, size_t i)
{
    const struct doc_block *b = &d->blocks[i];
    double need = lead(p, d, i, 0);
    if (!p->fresh && need > room(p) && need <= BOTTOM - TOP)
        new_page(p);
    else if (!p->fresh && need > room(p)) {
        /* what follows cannot fit on one page anyway: keep at least the heading with the
         * start of the next block's first lines */
        double own = space_before(b) + text_height(p, b->text, heading_font(b), CONTENT_W) +
                     space_after(b) + 3 * BODY_PT * 1.5;
        if (own > room(p))
            new_page(p);
    }
    if (!p->fresh)
        p->y += space_before(b);
    struct lines ls;
    lines_make(p, &ls, b->text, heading_font(b), CONTENT_W,
               b->kind == DOC_TITLE ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    if (p->cr && b->kind == DOC_HEADING) {
        int lvl = b->level;
        int parent = lvl > 1 ? p->outline[lvl - 1] : CAIRO_PDF_OUTLINE_ROOT;
        char link[96];
        snprintf(link, sizeof link, "page=%d pos=[%.1f %.1f]", p->page, MARGIN, p->y);
        p->outline[lvl] = cairo_pdf_surface_add_outline(p->surface, parent, b->text, link,
                                                        CAIRO_PDF_OUTLINE_FLAG_OPEN);
        for (int l = lvl + 1; l <= 3; l++)
            p->outline[l] = p->outline[lvl];
    }
    lines_draw(p, &ls, 0, ls.n, MARGIN, p->y);
    p->y += ls.total + space_after(b);
    p->fresh = false;
    lines_free(&ls);
}

/* ---- the document ---- */

static void layout_doc(struct pdf *p, const struct doc *d)
{
    p->page = 1;
    p->y = TOP;
    p->fresh = true;
    for (int l = 0; l < 4; l++)
        p->outline[l] = CAIRO_PDF_OUTLINE_ROOT;
    for (size_t i = 0; i < d->n; i++) {
        const struct doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_TITLE:
        case DOC_HEADING:
            heading(p, d, i);
            break;
        case DOC_PARAGRAPH:
            paragraph(p, b->text);
            break;
        case DOC_BULLET:
            bullet(p, b->text);
            if (i + 1 < d->n && d->blocks[i + 1].kind != DOC_BULLET)
                p->y += 4;
            break;
        case DOC_TABLE:
            table(p, b->table);
            break;
        case DOC_BARS:
            bars(p, b->bars);
            break;
        case DOC_PAGE_BREAK:
            if (!p->fresh)
                new_page(p);
            break;
        }
    }
    footer(p);
    if (p->cr)
        cairo_show_page(p->cr);
}

#if defined(__SANITIZE_ADDRESS__)
/* Sanitizer builds only: fontconfig 2.14 leaks a few hundred bytes once while it parses its
 * configuration files (a known fontconfig bug, reported by LeakSanitizer in every program that
 * loads it); that one is not ours, so the leak check of any program writing PDFs leaves out
 * leaks allocated inside libfontconfig. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int len)
{
    strbuf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

static void fonts_make(struct pdf *p)
{
    static const struct {
        double pt;
        bool bold;
    } spec[F_COUNT] = {
        [F_BODY] = {BODY_PT, false},    [F_BOLD] = {BODY_PT, true},
        [F_TITLE] = {TITLE_PT, true},   [F_H1] = {PT(18), true},
        [F_H2] = {PT(17), true},        [F_H3] = {BODY_PT, true},
        [F_CELL] = {TABLE_PT, false},   [F_CELL_BOLD] = {TABLE_PT, true},
        [F_SMALL] = {FOOTER_PT, false},
    };
    for (int f = 0; f < F_COUNT; f++) {
        p->font[f] = pango_font_description_from_string(FAMILIES);
        pango_font_description_set_size(p->font[f], (int)(spec[f].pt * PANGO_SCALE));
        pango_font_description_set_weight(p->font[f],
                                          spec[f].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    }
}

int doc_write_pdf(const struct doc *d, struct strbuf *out, char **err)
{
    struct pdf p;
    memset(&p, 0, sizeof p);
    /* A font map of this call's own: pango's default one is shared by the thread. Resolution
     * 72 makes a point a point; metrics unhinted, as they are in a PDF. */
    p.fm = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(p.fm), 72);
    p.pc = pango_font_map_create_context(p.fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p.pc, fo);
    cairo_font_options_destroy(fo);
    /* glyphs where the font puts them: positions rounded to whole points would stray from the
     * embedded font's widths, and text extraction would see gaps inside Thai words */
    pango_context_set_round_glyph_positions(p.pc, FALSE);
    fonts_make(&p);

    layout_doc(&p, d); /* counting pass */
    p.pages = p.page;

    struct strbuf pdf;
    strbuf_init(&pdf);
    p.surface = cairo_pdf_surface_create_for_stream(to_strbuf, &pdf, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, d->name);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "ITA");
    p.cr = cairo_create(p.surface);
    layout_doc(&p, d);
    cairo_status_t st = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);

    for (int f = 0; f < F_COUNT; f++)
        pango_font_description_free(p.font[f]);
    g_object_unref(p.pc);
    g_object_unref(p.fm);

    if (st != CAIRO_STATUS_SUCCESS) {
        *err = xasprintf("สร้างไฟล์ PDF ไม่สำเร็จ (cairo: %s)", cairo_status_to_string(st));
        strbuf_free(&pdf);
        return -1;
    }
    strbuf_append(out, pdf.data, pdf.len);
    strbuf_free(&pdf);
    return 0;
}
