/* The A4 poster and the website snippet for a public link (see qr.h). Drawn with cairo; Thai text
 * laid out by pango (shaping, line breaking at Thai word boundaries) in a Thai font from
 * fontconfig (Debian's fonts-thai-tlwg, or any installed Thai face). */
#include "qr.h"
#include "strbuf.h"
#include "xalloc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A4_W_PT 595.276 /* 210 mm in points */
#define A4_H_PT 841.89  /* 297 mm in points */
#define THAI_FONTS "Sarabun, Noto Sans Thai, Loma, Garuda, Norasi, sans-serif"

static const char *instrument_title(const char *instrument)
{
    return strcmp(instrument, "IIT") == 0 ? "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"
                                          : "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)";
}

static const char *instruction(const char *instrument)
{
    return strcmp(instrument, "IIT") == 0
               ? "สำหรับบุคลากรของหน่วยงาน: สแกนคิวอาร์โค้ดเพื่อตอบแบบวัด ไม่ต้องระบุชื่อ"
               : "ท่านที่มาติดต่อหน่วยงาน: สแกนคิวอาร์โค้ดเพื่อตอบแบบวัด ใช้เวลาประมาณ 5 นาที "
                 "ไม่ต้องระบุชื่อ";
}

/* Draws text centred on the page, width wide, starting at y (or only measures it when !draw);
 * returns the height used. */
static double text_block_ex(cairo_t *cr, const char *text, double size_pt, bool bold, double y,
                            double width, bool draw)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    char desc[128];
    snprintf(desc, sizeof desc, "%s %s %.1f", THAI_FONTS, bold ? "Bold" : "", size_pt);
    PangoFontDescription *fd = pango_font_description_from_string(desc);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, text, -1);
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    if (draw) {
        cairo_move_to(cr, (A4_W_PT - width) / 2, y);
        pango_cairo_show_layout(cr, layout);
    }
    pango_font_description_free(fd);
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

static double text_block(cairo_t *cr, const char *text, double size_pt, bool bold, double y,
                         double width)
{
    return text_block_ex(cr, text, size_pt, bold, y, width, true);
}

static void draw(cairo_t *cr, const struct poster *p, const struct qr_code *q)
{
    static const char heading[] = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)";
    char year[64];
    snprintf(year, sizeof year, "ปีงบประมาณ พ.ศ. %d", p->fiscal_year);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    /* a band at the top, as tall as its two lines of text need */
    double band = 22 + text_block_ex(cr, heading, 15, true, 0, A4_W_PT - 60, false) + 4 +
                  text_block_ex(cr, year, 15, false, 0, A4_W_PT - 60, false) + 18;
    cairo_set_source_rgb(cr, 0x0d / 255.0, 0x3b / 255.0, 0x66 / 255.0);
    cairo_rectangle(cr, 0, 0, A4_W_PT, band);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    double y = 22;
    y += text_block(cr, heading, 15, true, y, A4_W_PT - 60);
    text_block(cr, year, 15, false, y + 4, A4_W_PT - 60);

    /* measure the rest, then give the code whatever height is left (at most 11 cm) */
    static const char or_type[] = "หรือพิมพ์ลิงก์นี้ในเบราว์เซอร์:";
    static const char footer[] =
        "คำตอบของท่านไม่ระบุตัวตน ระบบเก็บเฉพาะคำตอบ ไม่เก็บชื่อ เบอร์โทรศัพท์ หรือที่อยู่ไอพี";
    double h_agency = text_block_ex(cr, p->agency_th, 26, true, 0, A4_W_PT - 70, false);
    double h_title =
        text_block_ex(cr, instrument_title(p->instrument), 17, false, 0, A4_W_PT - 70, false);
    double h_instr =
        text_block_ex(cr, instruction(p->instrument), 17, true, 0, A4_W_PT - 80, false);
    double h_or = text_block_ex(cr, or_type, 12, false, 0, A4_W_PT - 80, false);
    double h_url = text_block_ex(cr, p->url, 13, true, 0, A4_W_PT - 60, false);
    double h_footer = text_block_ex(cr, footer, 11, false, 0, A4_W_PT - 80, false);
    double footer_top = A4_H_PT - 24 - h_footer;
    double above = band + 24 + h_agency + 8 + h_title + 14;
    double below = 10 + h_instr + 10 + h_or + 2 + h_url + 16;
    double total = footer_top - above - below;
    if (total > 311.8) /* 110 mm */
        total = 311.8;
    if (total < 120) /* an absurdly long name: keep the code scannable, let text crowd */
        total = 120;

    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    y = band + 24;
    y += text_block(cr, p->agency_th, 26, true, y, A4_W_PT - 70) + 8;
    y += text_block(cr, instrument_title(p->instrument), 17, false, y, A4_W_PT - 70) + 14;

    /* the code, drawn as vector squares with its quiet zone */
    int n = q->width + 2 * QR_QUIET_ZONE;
    double m = total / n;
    double x0 = (A4_W_PT - total) / 2, y0 = y;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x0, y0, total, total);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->modules[r * q->width + c])
                cairo_rectangle(cr, x0 + (c + QR_QUIET_ZONE) * m, y0 + (r + QR_QUIET_ZONE) * m, m,
                                m);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_fill(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    y = y0 + total + 10;

    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    y += text_block(cr, instruction(p->instrument), 17, true, y, A4_W_PT - 80) + 10;
    y += text_block(cr, or_type, 12, false, y, A4_W_PT - 80) + 2;
    text_block(cr, p->url, 13, true, y, A4_W_PT - 60);

    cairo_set_source_rgb(cr, 0.29, 0.29, 0.29);
    text_block(cr, footer, 11, false, footer_top, A4_W_PT - 80);
}

static int render(const struct poster *p, cairo_surface_t *s, double scale, char *err,
                  size_t errlen)
{
    struct qr_code q;
    if (qr_make(p->url, &q, err, errlen) != 0)
        return -1;
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    draw(cr, p, &q);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    qr_free(&q);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "drawing the poster failed: %s", cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

int poster_pdf(const struct poster *p, const char *path, char *err, size_t errlen)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, A4_W_PT, A4_H_PT);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot write %s: %s", path,
                 cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return -1;
    }
    int rc = render(p, s, 1.0, err, errlen);
    cairo_surface_finish(s);
    if (rc == 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot write %s: %s", path,
                 cairo_status_to_string(cairo_surface_status(s)));
        rc = -1;
    }
    cairo_surface_destroy(s);
    return rc;
}

int poster_png(const struct poster *p, int dpi, const char *path, char *err, size_t errlen)
{
    if (dpi < 36 || dpi > 1200) {
        snprintf(err, errlen, "dpi %d is out of range (36 to 1200; 300 for print)", dpi);
        return -1;
    }
    double scale = dpi / 72.0;
    cairo_surface_t *s = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)(A4_W_PT * scale + 0.5), (int)(A4_H_PT * scale + 0.5));
    int rc = render(p, s, scale, err, errlen);
    if (rc == 0) {
        cairo_status_t st = cairo_surface_write_to_png(s, path);
        if (st != CAIRO_STATUS_SUCCESS) {
            snprintf(err, errlen, "cannot write %s: %s", path, cairo_status_to_string(st));
            rc = -1;
        }
    }
    cairo_surface_destroy(s);
    return rc;
}

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int len)
{
    strbuf_append(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

int poster_render(const struct poster *p, enum poster_format fmt, int dpi, unsigned char **out,
                  size_t *len, char *err, size_t errlen)
{
    struct strbuf b;
    strbuf_init(&b);
    int rc;
    if (fmt == POSTER_PDF) {
        cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_strbuf, &b, A4_W_PT, A4_H_PT);
        rc = render(p, s, 1.0, err, errlen);
        cairo_surface_finish(s);
        cairo_surface_destroy(s);
    } else {
        if (dpi < 36 || dpi > 1200) {
            snprintf(err, errlen, "dpi %d is out of range (36 to 1200; 300 for print)", dpi);
            strbuf_free(&b);
            return -1;
        }
        double scale = dpi / 72.0;
        cairo_surface_t *s = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, (int)(A4_W_PT * scale + 0.5), (int)(A4_H_PT * scale + 0.5));
        rc = render(p, s, scale, err, errlen);
        if (rc == 0 &&
            cairo_surface_write_to_png_stream(s, to_strbuf, &b) != CAIRO_STATUS_SUCCESS) {
            snprintf(err, errlen, "cannot encode the poster as PNG");
            rc = -1;
        }
        cairo_surface_destroy(s);
    }
    if (rc != 0) {
        strbuf_free(&b);
        return -1;
    }
    *len = b.len;
    *out = (unsigned char *)strbuf_detach(&b);
    return 0;
}

void poster_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}

char *poster_html_snippet(const struct poster *p, char *err, size_t errlen)
{
    struct qr_code q;
    if (qr_make(p->url, &q, err, errlen) != 0)
        return NULL;
    char *svg = qr_svg(&q, 4);
    qr_free(&q);
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "<!-- ITA: แบบวัดการรับรู้ (วางในหน้าเว็บไซต์ของหน่วยงาน) -->\n<p><a href=\"");
    strbuf_html_escape(&b, p->url);
    strbuf_puts(&b, "\">");
    strbuf_puts(&b, svg);
    strbuf_puts(&b, "<br>");
    strbuf_html_escape(&b, instrument_title(p->instrument));
    strbuf_puts(&b, "</a><br>");
    strbuf_html_escape(&b, instruction(p->instrument));
    strbuf_puts(&b, "</p>\n");
    free(svg);
    return strbuf_detach(&b);
}
