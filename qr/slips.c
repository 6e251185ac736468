/* Printed link slips for staff without e-mail (see slips.h): 8 slips on an A4 page, each with a
 * QR code of about 27 mm and the link in DejaVu Sans Mono (dotted zero, distinct 1, l and I).
 * Each call has its own pango font map, so calls on several threads never share font state. */
#include "slips.h"
#include "qr.h"
#include "thai_date.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define A4_W_PT 595.276 /* 210 mm in points */
#define A4_H_PT 841.89  /* 297 mm in points */
#define COLS 2
#define ROWS 4
#define SLIP_W (A4_W_PT / COLS) /* 105 mm */
#define SLIP_H (A4_H_PT / ROWS) /* 74.25 mm */
#define PAD 14.0                /* 5 mm inside each slip's cut lines */
#define INNER_W (SLIP_W - 2 * PAD)
#define CODE_PT 76.0 /* the code's dark area, quiet zone aside: 26.8 mm (>= 25 mm to scan) */
/* the column beside the code, right of its quiet zone (modules are at most CODE_PT / 21) */
#define LINK_W (INNER_W - 2 - CODE_PT - QR_QUIET_ZONE * CODE_PT / 21)

/* Laksaman is fonts-thai-tlwg's TH Sarabun with ordinary metrics (see doc/doc_pdf.c). */
#define THAI_FAMILIES "Laksaman, Sarabun, Garuda, Loma, sans-serif"

enum font { F_AGENCY, F_SMALL, F_NAME, F_UNIT, F_NOTE, F_LINK, F_COUNT };

struct slips {
    PangoFontMap *fm; /* this call's own font map (thread safety) */
    PangoContext *pc;
    PangoFontDescription *font[F_COUNT];
    cairo_t *cr;
    const struct slip_sheet *sheet;
    char head2[256]; /* "ปีงบประมาณ พ.ศ. 2570 · ตอบได้ถึง 31 ม.ค. 2570" */
    int link_chars; /* link characters one line of the slip holds */
};

static const char NOTICE[] = "ลิงก์นี้ใช้ได้ครั้งเดียวและเป็นของท่านเท่านั้น "
                             "คำตอบของท่านไม่มีผู้ใดในหน่วยงานเห็นได้ว่าเป็นของใคร";

static const char *instrument_title(const char *instrument)
{
    return strcmp(instrument, "IIT") == 0 ? "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"
                                          : "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)";
}

/* A layout of text in font f, width wide, wrapped. Caller unrefs. */
static PangoLayout *layout_make(struct slips *s, const char *text, enum font f, double width)
{
    PangoLayout *l = pango_layout_new(s->pc);
    pango_layout_set_font_description(l, s->font[f]);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_single_paragraph_mode(l, f != F_LINK);
    pango_layout_set_text(l, text, -1);
    return l;
}

static int lines_of(struct slips *s, const char *text, enum font f, double width)
{
    PangoLayout *l = layout_make(s, text, f, width);
    int n = pango_layout_get_line_count(l);
    g_object_unref(l);
    return n;
}

/* text when it takes at most max_lines lines at width, else its longest beginning that does with
 * "…" after it (in buf; cut between whole characters as pango places the cursor). The PDF then
 * holds only what is seen: pango's own ellipsis would keep the whole text in the PDF's text. */
static const char *fit(struct slips *s, const char *text, enum font f, double width, int max_lines,
                       char *buf, size_t buflen)
{
    PangoLayout *l = layout_make(s, text, f, width);
    if (pango_layout_get_line_count(l) <= max_lines) {
        g_object_unref(l);
        return text;
    }
    int nattrs;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &nattrs);
    /* byte offsets of the cursor positions, as candidates for the cut */
    size_t len = strlen(text), ncut = 0;
    size_t *cuts = g_new(size_t, (size_t)nattrs + 1);
    const char *p = text;
    for (int i = 0; i < nattrs && (size_t)(p - text) < len; i++, p = g_utf8_next_char(p))
        if (i > 0 && attrs[i].is_cursor_position && (size_t)(p - text) + 4 < buflen)
            cuts[ncut++] = (size_t)(p - text);
    g_object_unref(l);
    size_t lo = 0, hi = ncut; /* the answer is in cuts[lo - 1] (lo = 0: nothing fits) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        snprintf(buf, buflen, "%.*s…", (int)cuts[mid], text);
        if (lines_of(s, buf, f, width) <= max_lines)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t keep = lo ? cuts[lo - 1] : 0;
    while (keep > 0 && text[keep - 1] == ' ')
        keep--;
    snprintf(buf, buflen, "%.*s…", (int)keep, text);
    g_free(cuts);
    return buf;
}

/* The height of text in font f at width (after fit). */
static double text_height(struct slips *s, const char *text, enum font f, double width)
{
    PangoLayout *l = layout_make(s, text, f, width);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

/* Draws text (already fitted) with its top left corner at (x, y); returns the height it took. */
static double text_at(struct slips *s, const char *text, enum font f, double x, double y,
                      double width)
{
    PangoLayout *l = layout_make(s, text, f, width);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    cairo_move_to(s->cr, x, y);
    pango_cairo_show_layout(s->cr, l);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

/* The link as it is printed: whole when it fits one line, else broken after its last '/' (the
 * token on a line of its own) and, should a part still be too long, every link_chars characters.
 * Only line breaks are added. Returns the number of lines. */
static int link_lines(const struct slips *s, const char *url, char *out, size_t outlen)
{
    size_t n = strlen(url), max = (size_t)s->link_chars, o = 0;
    int lines = 1;
    if (n <= max) {
        snprintf(out, outlen, "%s", url);
        return 1;
    }
    const char *slash = strrchr(url, '/');
    size_t cut = slash ? (size_t)(slash - url) + 1 : n; /* a line ends after this many bytes */
    size_t col = 0;
    for (size_t i = 0; i < n && o + 2 < outlen; i++) {
        if (i > 0 && (i == cut || col == max)) {
            out[o++] = '\n';
            col = 0;
            lines++;
        }
        out[o++] = url[i];
        col++;
    }
    out[o] = '\0';
    return lines;
}

/* Draws one slip with its top left corner at (x0, y0): the agency, instrument, year and closing
 * day across the top; the code on the left with whose slip it is, what to do and the link beside
 * it; the promise across the bottom. */
static void draw_slip(struct slips *s, const struct slip *p, const struct qr_code *q, double x0,
                      double y0)
{
    cairo_t *cr = s->cr;
    char b1[1200], b2[1200], b3[1200];
    cairo_save(cr);
    cairo_rectangle(cr, x0, y0, SLIP_W, SLIP_H); /* nothing strays over a cut line */
    cairo_clip(cr);
    double x = x0 + PAD, y = y0 + PAD - 4;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    y += text_at(s, fit(s, s->sheet->agency_th, F_AGENCY, INNER_W, 1, b1, sizeof b1), F_AGENCY, x,
                 y, INNER_W);
    y += text_at(s, instrument_title(s->sheet->instrument), F_SMALL, x, y, INNER_W);
    y += text_at(s, s->head2, F_SMALL, x, y, INNER_W);

    /* the code, as vector squares; its quiet zone (white) reaches into the padding and the
     * space under the last line above */
    double m = CODE_PT / q->width, quiet = QR_QUIET_ZONE * m;
    double cx = x + 2, cy = y + 6; /* the dark area's top left */
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->modules[r * q->width + c])
                cairo_rectangle(cr, cx + c * m, cy + r * m, m, m);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_fill(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);

    /* the promise at the bottom, across the slip */
    const char *notice = fit(s, NOTICE, F_NOTE, INNER_W, 2, b3, sizeof b3);
    double notice_top = y0 + SLIP_H - PAD + 2 - text_height(s, notice, F_NOTE, INNER_W);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(s, notice, F_NOTE, x, notice_top, INNER_W);

    /* beside the code, outside its quiet zone: name, unit, what to do, the link */
    double tx = cx + CODE_PT + quiet, tw = x0 + SLIP_W - PAD - tx, ty = cy - 4;
    char link[1200];
    int nlines = link_lines(s, p->url, link, sizeof link);
    static const char how[] = "สแกนคิวอาร์โค้ดด้วยกล้องโทรศัพท์ หรือพิมพ์ลิงก์นี้ในเบราว์เซอร์";
    char broken[256];
    snprintf(broken, sizeof broken, "ลิงก์แบ่ง %d บรรทัด พิมพ์ต่อกันโดยไม่เว้นวรรค", nlines);
    const char *name = fit(s, p->name, F_NAME, tw, 2, b1, sizeof b1);
    const char *unit = p->unit && p->unit[0] ? fit(s, p->unit, F_UNIT, tw, 1, b2, sizeof b2) : "";
    double h_name = text_height(s, name, F_NAME, tw);
    double h_unit = unit[0] ? text_height(s, unit, F_UNIT, tw) : 0;
    double h_link = text_height(s, link, F_LINK, tw);
    double h_broken = nlines > 1 ? text_height(s, broken, F_NOTE, tw) : 0;
    double h_line = text_height(s, "ก", F_NOTE, tw);
    double room = notice_top - 6 - ty - h_name - h_unit - h_link - h_broken - 3;
    int how_lines = room > h_line ? (int)(room / h_line) : 0;
    if (how_lines > 3)
        how_lines = 3;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    ty += text_at(s, name, F_NAME, tx, ty, tw);
    if (unit[0])
        ty += text_at(s, unit, F_UNIT, tx, ty, tw);
    ty += 3;
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    if (how_lines > 0)
        ty += text_at(s, fit(s, how, F_NOTE, tw, how_lines, b3, sizeof b3), F_NOTE, tx, ty, tw);
    if (nlines > 1)
        ty += text_at(s, broken, F_NOTE, tx, ty, tw);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(s, link, F_LINK, tx, ty, tw);
    cairo_restore(cr);
}

/* Dashed cut lines between the slips of a page. */
static void cut_lines(cairo_t *cr)
{
    static const double dash[] = {4.0, 3.0};
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 0.5);
    cairo_set_dash(cr, dash, 2, 0);
    for (int c = 1; c < COLS; c++) {
        cairo_move_to(cr, c * SLIP_W, 0);
        cairo_line_to(cr, c * SLIP_W, A4_H_PT);
    }
    for (int r = 1; r < ROWS; r++) {
        cairo_move_to(cr, 0, r * SLIP_H);
        cairo_line_to(cr, A4_W_PT, r * SLIP_H);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void fonts_make(struct slips *s)
{
    static const struct {
        const char *family;
        double pt;
        bool bold;
    } spec[F_COUNT] = {
        [F_AGENCY] = {THAI_FAMILIES, 11.5, true}, [F_SMALL] = {THAI_FAMILIES, 9.5, false},
        [F_NAME] = {THAI_FAMILIES, 12.5, true},   [F_UNIT] = {THAI_FAMILIES, 10, false},
        [F_NOTE] = {THAI_FAMILIES, 8.5, false},   [F_LINK] = {SLIPS_LINK_FONT, 8.5, false},
    };
    for (int f = 0; f < F_COUNT; f++) {
        PangoFontDescription *d = pango_font_description_from_string(spec[f].family);
        pango_font_description_set_size(d, (int)(spec[f].pt * PANGO_SCALE));
        pango_font_description_set_weight(d,
                                          spec[f].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        s->font[f] = d;
    }
}

/* True when pango really sets links in SLIPS_LINK_FONT (fontconfig substitutes silently), and
 * how many link characters one line holds. */
static bool link_font_check(struct slips *s)
{
    PangoFont *font = pango_font_map_load_font(s->fm, s->pc, s->font[F_LINK]);
    if (!font)
        return false;
    PangoFontDescription *d = pango_font_describe(font);
    const char *family = pango_font_description_get_family(d);
    bool ok = family && strcasecmp(family, SLIPS_LINK_FONT) == 0;
    pango_font_description_free(d);
    g_object_unref(font);
    if (!ok)
        return false;
    PangoLayout *l = pango_layout_new(s->pc);
    pango_layout_set_font_description(l, s->font[F_LINK]);
    pango_layout_set_text(l, "0000000000", -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    g_object_unref(l);
    s->link_chars = (int)(LINK_W / ((double)w / PANGO_SCALE / 10));
    return s->link_chars > 8;
}

/* Cuts s back to its last whole UTF-8 character (after snprintf truncated it). */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (i - 1) < want)
            s[i - 1] = '\0';
    }
}

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int len)
{
    strbuf_append(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

int slips_pdf(const struct slip_sheet *sheet, const struct slip *slips, size_t n,
              struct strbuf *out, char *err, size_t errlen)
{
    if (n == 0) {
        snprintf(err, errlen, "ไม่มีรายชื่อที่จะพิมพ์ใบแจ้งลิงก์");
        return -1;
    }
    struct slips s;
    memset(&s, 0, sizeof s);
    s.sheet = sheet;
    /* resolution 72: a point is a point; metrics unhinted, as they are in a PDF */
    s.fm = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(s.fm), 72);
    s.pc = pango_font_map_create_context(s.fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(s.pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(s.pc, FALSE);
    fonts_make(&s);

    int rc = -1;
    struct strbuf pdf;
    strbuf_init(&pdf);
    cairo_surface_t *surface = NULL;
    if (!link_font_check(&s)) {
        snprintf(err, errlen, "ไม่พบฟอนต์ %s สำหรับพิมพ์ลิงก์ (ติดตั้งแพ็กเกจ fonts-dejavu-core)",
                 SLIPS_LINK_FONT);
        goto done;
    }
    char date[ITA_THAI_DATE_SIZE];
    if (sheet->closes_on && ita_thai_date_short(sheet->closes_on, date, sizeof date))
        snprintf(s.head2, sizeof s.head2, "ปีงบประมาณ พ.ศ. %d · ตอบได้ถึง %s", sheet->fiscal_year,
                 date);
    else
        snprintf(s.head2, sizeof s.head2, "ปีงบประมาณ พ.ศ. %d", sheet->fiscal_year);

    surface = cairo_pdf_surface_create_for_stream(to_strbuf, &pdf, A4_W_PT, A4_H_PT);
    char title[600];
    snprintf(title, sizeof title, "ใบแจ้งลิงก์ส่วนบุคคล %s ปีงบประมาณ พ.ศ. %d %s", sheet->instrument,
             sheet->fiscal_year, sheet->agency_th);
    utf8_trim(title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ITA");
    s.cr = cairo_create(surface);
    for (size_t i = 0; i < n; i++) {
        size_t k = i % (COLS * ROWS);
        if (k == 0) {
            if (i > 0)
                cairo_show_page(s.cr);
            cairo_set_source_rgb(s.cr, 1, 1, 1);
            cairo_paint(s.cr);
            cut_lines(s.cr);
        }
        struct qr_code q;
        if (qr_make(slips[i].url, &q, err, errlen) != 0)
            goto done;
        draw_slip(&s, &slips[i], &q, (double)(k % COLS) * SLIP_W, (double)(k / COLS) * SLIP_H);
        qr_free(&q);
    }
    cairo_show_page(s.cr);
    cairo_status_t st = cairo_status(s.cr);
    cairo_destroy(s.cr);
    s.cr = NULL;
    cairo_surface_finish(surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "สร้างไฟล์ PDF ไม่สำเร็จ (cairo: %s)", cairo_status_to_string(st));
        goto done;
    }
    strbuf_append(out, pdf.data, pdf.len);
    rc = 0;
done:
    if (s.cr)
        cairo_destroy(s.cr);
    if (surface)
        cairo_surface_destroy(surface);
    strbuf_free(&pdf);
    for (int f = 0; f < F_COUNT; f++)
        pango_font_description_free(s.font[f]);
    g_object_unref(s.pc);
    g_object_unref(s.fm);
    return rc;
}
