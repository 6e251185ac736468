/* Inline SVG charts for the result, report and progress pages (issue #16): a few hundred lines of
 * markup writing over strbuf instead of a charting library or JavaScript. Layout is computed in
 * viewBox units (SVG_CHART_WIDTH wide); CSS classes (svgc-*) style it, and presentation
 * attributes give sane colours when no stylesheet applies. */
#include "svg_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD 6.0         /* left/right margin */
#define VALUE_ROOM 78.0 /* room right of the longest bar for its figure */
#define ROW_H 48.0      /* one hbar row: label line + bar + gap */
#define BAR_H 20.0      /* thickness of a bar */
#define REF_ROW 17.0    /* one row of reference-line labels above the plot */
#define LEGEND_ROW 22.0 /* one legend row under the chart */
#define AXIS_ROOM 22.0  /* axis line and its end labels under the plot */

/* A rough width of n bytes of UTF-8 text at font size `font`, in user units: 0.58 em per
 * character that takes room (Thai vowel and tone marks above or below a consonant take none),
 * 0.3 em per space. Enough to decide whether a text needs squeezing. */
static double text_width(const char *text, size_t n, double font)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    double w = 0;
    for (size_t i = 0; i < n && p[i]; i++) {
        if ((p[i] & 0xC0) == 0x80)
            continue; /* continuation byte */
        if (p[i] == 0xE0 && i + 2 < n && p[i + 1] == 0xB8 && p[i + 2] == 0xB1)
            continue; /* U+0E31 */
        if (p[i] == 0xE0 && i + 2 < n && p[i + 1] == 0xB8 && p[i + 2] >= 0xB4 && p[i + 2] <= 0xBA)
            continue; /* U+0E34..U+0E3A */
        if (p[i] == 0xE0 && i + 2 < n && p[i + 1] == 0xB9 && p[i + 2] >= 0x87 && p[i + 2] <= 0x8E)
            continue; /* U+0E47..U+0E4E */
        w += p[i] == ' ' ? 0.3 : 0.58;
    }
    return w * font;
}

/* A text estimated wider than `room` is squeezed into it (textLength), so that it never runs
 * into its neighbour or off the chart. */
static void put_fit(struct strbuf *out, double width, double room)
{
    if (width > room && room > 0)
        strbuf_printf(out, " textLength=\"%.2f\" lengthAdjust=\"spacingAndGlyphs\"", room);
}

/* Escapes len bytes at text (a NUL ends them early). */
static void escape_n(struct strbuf *out, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    const unsigned char *end = p + (text ? len : 0);
    while (p < end && *p) {
        unsigned char c = *p;
        size_t n = 0; /* bytes of a valid UTF-8 sequence starting at p, 0 if invalid */
        if (c < 0x80) {
            n = 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
        }
        if (n > (size_t)(end - p))
            n = 0;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                n = 0;
                break;
            }
        }
        if (n == 3) {
            /* overlong (E0 80..9F), surrogates (ED A0..BF) */
            if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
                n = 0;
        } else if (n == 4) {
            if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
                n = 0;
        }
        if (n == 0) {
            strbuf_puts(out, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        if (n == 1) {
            switch (c) {
            case '&':
                strbuf_puts(out, "&amp;");
                break;
            case '<':
                strbuf_puts(out, "&lt;");
                break;
            case '>':
                strbuf_puts(out, "&gt;");
                break;
            case '"':
                strbuf_puts(out, "&quot;");
                break;
            case '\'':
                strbuf_puts(out, "&#39;");
                break;
            default:
                if (c < 0x20 && c != '\t' && c != '\n')
                    strbuf_puts(out, "\xEF\xBF\xBD");
                else if (c == 0x7F)
                    strbuf_puts(out, "\xEF\xBF\xBD");
                else
                    strbuf_append(out, &c, 1);
            }
        } else {
            strbuf_append(out, p, n);
        }
        p += n;
    }
}

void svg_chart_escape(struct strbuf *out, const char *text)
{
    escape_n(out, text, text ? strlen(text) : 0);
}

const char *svg_chart_number(double v, char buf[32])
{
    if (!isfinite(v)) {
        snprintf(buf, 32, "0");
        return buf;
    }
    if (fabs(v) < 1e15) {
        /* fixed notation with the fewest decimals that read back exactly: "95.82", "85" */
        for (int d = 0; d <= 17; d++) {
            snprintf(buf, 32, "%.*f", d, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    } else {
        snprintf(buf, 32, "%.17g", v);
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, 32, "0");
    return buf;
}

double svg_chart_nice_max(double v)
{
    if (!(v > 0) || !isfinite(v))
        return 1;
    double mag = pow(10, floor(log10(v)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        double m = steps[i] * mag;
        if (m >= v * (1 - 1e-12))
            return m;
    }
    return 10 * mag;
}

/* The chart's scale: [min, max], automatic when max <= min. */
static void scale_of(const struct svg_chart *c, double *min, double *max)
{
    if (c->max > c->min && isfinite(c->min) && isfinite(c->max)) {
        *min = c->min;
        *max = c->max;
        return;
    }
    double top = 0;
    for (size_t i = 0; i < c->n_bars; i++) {
        const struct svg_bar *b = &c->bars[i];
        if (!b->missing && isfinite(b->value) && b->value > top)
            top = b->value;
        if (b->has_target && isfinite(b->target) && b->target > top)
            top = b->target;
    }
    for (size_t i = 0; i < c->n_lines; i++)
        if (isfinite(c->lines[i].value) && c->lines[i].value > top)
            top = c->lines[i].value;
    *min = 0;
    *max = svg_chart_nice_max(top);
}

/* Position of v on a scale mapped onto [p0, p1], clamped to the scale. */
static double place(double v, double min, double max, double p0, double p1)
{
    if (!isfinite(v) || v < min)
        v = min;
    if (v > max)
        v = max;
    return p0 + (v - min) / (max - min) * (p1 - p0);
}

static int decimals_of(const struct svg_chart *c)
{
    return c->decimals < 0 ? 0 : c->decimals > 6 ? 6 : c->decimals;
}

/* The figure as text: value_text, or the value with the chart's decimals. */
static void put_figure(struct strbuf *out, const struct svg_chart *c, const struct svg_bar *b)
{
    if (b->value_text) {
        svg_chart_escape(out, b->value_text);
    } else {
        strbuf_printf(out, "%.*f", decimals_of(c), b->value);
    }
}

static void put_attr(struct strbuf *out, const char *name, const char *text)
{
    strbuf_printf(out, " %s=\"", name);
    svg_chart_escape(out, text);
    strbuf_puts(out, "\"");
}

static void put_num_attr(struct strbuf *out, const char *name, double v)
{
    char buf[32];
    strbuf_printf(out, " %s=\"%s\"", name, svg_chart_number(v, buf));
}

/* One background band (its value range in data attributes) as a rectangle at x, y, w, h. */
static void band_rect(struct strbuf *out, const struct svg_band *band, double x, double y, double w,
                      double h)
{
    strbuf_puts(out, "<rect class=\"svgc-band");
    if (band->css_class) {
        strbuf_puts(out, " ");
        svg_chart_escape(out, band->css_class);
    }
    strbuf_puts(out, "\"");
    put_num_attr(out, "data-from", band->from);
    put_num_attr(out, "data-to", band->to);
    strbuf_printf(out, " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#eeeeee\"/>",
                  x, y, w, h);
}

/* <svg ...><title/><desc/> */
static void open_svg(struct strbuf *out, const struct svg_chart *c, const char *kind, double height)
{
    strbuf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"svgc svgc-%s", kind);
    if (c->css_class && *c->css_class) {
        strbuf_puts(out, " ");
        svg_chart_escape(out, c->css_class);
    }
    strbuf_puts(out, "\"");
    if (c->id && *c->id)
        put_attr(out, "id", c->id);
    strbuf_printf(out,
                  " role=\"img\" viewBox=\"0 0 %d %.0f\" width=\"100%%\""
                  " preserveAspectRatio=\"xMinYMin meet\" font-size=\"%d\"",
                  SVG_CHART_WIDTH, ceil(height), SVG_CHART_FONT);
    if (c->described_by && *c->described_by)
        put_attr(out, "aria-describedby", c->described_by);
    strbuf_puts(out, "><title>");
    svg_chart_escape(out, c->title);
    strbuf_puts(out, "</title>");
    if (c->desc && *c->desc) {
        strbuf_puts(out, "<desc>");
        svg_chart_escape(out, c->desc);
        strbuf_puts(out, "</desc>");
    }
}

/* Rows of reference-line labels needed so that no two labels in a row are closer than `gap`
 * units; row_of[i] receives each line's row. */
static int ref_rows(const struct svg_chart *c, double min, double max, double p0, double p1,
                    double gap, int *row_of)
{
    int rows = 0;
    for (size_t i = 0; i < c->n_lines; i++) {
        double x = place(c->lines[i].value, min, max, p0, p1);
        int r = 0;
        for (;; r++) {
            bool clash = false;
            for (size_t j = 0; j < i; j++) {
                if (row_of[j] == r && fabs(place(c->lines[j].value, min, max, p0, p1) - x) < gap)
                    clash = true;
            }
            if (!clash)
                break;
        }
        row_of[i] = r;
        if (r + 1 > rows)
            rows = r + 1;
    }
    return rows;
}

static void ref_label(struct strbuf *out, const struct svg_ref_line *l)
{
    if (l->label) {
        svg_chart_escape(out, l->label);
    } else {
        char buf[32];
        strbuf_puts(out, svg_chart_number(l->value, buf));
    }
}

static void legend(struct strbuf *out, const struct svg_chart *c, double y)
{
    for (size_t i = 0; i < c->n_bands; i++) {
        const struct svg_band *band = &c->bands[i];
        double ry = y + (double)i * LEGEND_ROW;
        strbuf_printf(out, "<g class=\"svgc-legend\">");
        strbuf_printf(out, "<rect class=\"svgc-band-swatch");
        if (band->css_class) {
            strbuf_puts(out, " ");
            svg_chart_escape(out, band->css_class);
        }
        strbuf_printf(out,
                      "\" x=\"%.2f\" y=\"%.2f\" width=\"16\" height=\"16\" fill=\"#e8e8e8\""
                      " stroke=\"#555\" stroke-width=\"0.8\"/>",
                      PAD, ry);
        strbuf_printf(out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"14\">", PAD + 22, ry + 13);
        svg_chart_escape(out, band->label);
        strbuf_puts(out, "</text></g>");
    }
}

static void draw_hbar(struct strbuf *out, const struct svg_chart *c, const char *kind)
{
    double min, max;
    scale_of(c, &min, &max);
    const double x0 = PAD, x1 = SVG_CHART_WIDTH - VALUE_ROOM;
    int *row_of = c->n_lines ? calloc(c->n_lines, sizeof *row_of) : NULL;
    int nrows = c->n_lines ? ref_rows(c, min, max, x0, x1, 44, row_of) : 0;
    const double top = 4 + nrows * REF_ROW;
    const double plot_h = (double)c->n_bars * ROW_H + (c->n_bars ? 0 : ROW_H / 2);
    const double axis_y = top + plot_h;
    const double legend_y = axis_y + AXIS_ROOM + 4;
    const double height = legend_y + (double)c->n_bands * LEGEND_ROW + 2;

    open_svg(out, c, kind, height);

    /* the plot, its scale in data attributes */
    strbuf_puts(out, "<g class=\"svgc-plot\"");
    put_num_attr(out, "data-min", min);
    put_num_attr(out, "data-max", max);
    put_num_attr(out, "data-x0", x0);
    put_num_attr(out, "data-x1", x1);
    strbuf_puts(out, ">");

    for (size_t i = 0; i < c->n_bands; i++) {
        const struct svg_band *band = &c->bands[i];
        double a = place(band->from, min, max, x0, x1), z = place(band->to, min, max, x0, x1);
        if (z <= a)
            continue;
        band_rect(out, band, a, top, z - a, plot_h);
    }

    for (size_t i = 0; i < c->n_bars; i++) {
        const struct svg_bar *b = &c->bars[i];
        double ry = top + (double)i * ROW_H;
        strbuf_puts(out, "<g class=\"svgc-row\"");
        put_attr(out, "data-label", b->label);
        if (!b->missing)
            put_num_attr(out, "data-value", b->value);
        if (b->has_target)
            put_num_attr(out, "data-target", b->target);
        strbuf_puts(out, ">");
        /* the label line: label · note · target text */
        double lw = text_width(b->label, b->label ? strlen(b->label) : 0, SVG_CHART_FONT);
        if (b->note && *b->note)
            lw += text_width(" · ", 5, SVG_CHART_FONT) +
                  text_width(b->note, strlen(b->note), SVG_CHART_FONT);
        if (b->has_target && b->target_text)
            lw += text_width(" · ", 5, SVG_CHART_FONT) +
                  text_width(b->target_text, strlen(b->target_text), SVG_CHART_FONT);
        strbuf_printf(out, "<text class=\"svgc-label\" x=\"%.2f\" y=\"%.2f\"", x0, ry + 15);
        put_fit(out, lw, SVG_CHART_WIDTH - 2 * PAD);
        strbuf_puts(out, ">");
        svg_chart_escape(out, b->label);
        if (b->note && *b->note) {
            strbuf_puts(out, " · ");
            svg_chart_escape(out, b->note);
        }
        if (b->has_target && b->target_text) {
            strbuf_puts(out, " · ");
            svg_chart_escape(out, b->target_text);
        }
        strbuf_puts(out, "</text>");
        double by = ry + 21;
        if (b->missing || !isfinite(b->value)) {
            strbuf_printf(out,
                          "<text class=\"svgc-value svgc-none\" paint-order=\"stroke\" "
                          "stroke=\"#fff\" stroke-width=\"3\" x=\"%.2f\" y=\"%.2f\">"
                          "ไม่มีข้อมูล</text>",
                          x0, by + 15);
        } else {
            double w = place(b->value, min, max, x0, x1) - x0;
            strbuf_puts(out, "<rect class=\"svgc-bar");
            if (b->css_class) {
                strbuf_puts(out, " ");
                svg_chart_escape(out, b->css_class);
            }
            strbuf_puts(out, "\"");
            put_num_attr(out, "data-value", b->value);
            strbuf_printf(out,
                          " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.0f\""
                          " fill=\"#2f5d8a\"/>",
                          x0, by, w, BAR_H);
            strbuf_printf(out,
                          "<text class=\"svgc-value\" paint-order=\"stroke\" stroke=\"#fff\" "
                          "stroke-width=\"3\" x=\"%.2f\" y=\"%.2f\">",
                          x0 + w + 4, by + 15);
            put_figure(out, c, b);
            strbuf_puts(out, "</text>");
        }
        if (b->has_target && isfinite(b->target)) {
            double tx = place(b->target, min, max, x0, x1);
            strbuf_puts(out, "<line class=\"svgc-target\"");
            put_num_attr(out, "data-value", b->target);
            strbuf_printf(out,
                          " x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#000\""
                          " stroke-width=\"3\"/>",
                          tx, tx, by - 4, by + BAR_H + 4);
        }
        strbuf_puts(out, "</g>");
    }

    for (size_t i = 0; i < c->n_lines; i++) {
        const struct svg_ref_line *l = &c->lines[i];
        double x = place(l->value, min, max, x0, x1);
        strbuf_puts(out, "<g class=\"svgc-refline\">");
        strbuf_puts(out, "<line class=\"svgc-ref\"");
        put_num_attr(out, "data-value", l->value);
        strbuf_printf(out,
                      " x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#b00020\""
                      " stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
                      x, x, top - 2, axis_y);
        const char *anchor = x < x0 + 20 ? "start" : x > x1 - 20 ? "end" : "middle";
        strbuf_printf(out,
                      "<text class=\"svgc-reflabel\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\""
                      " text-anchor=\"%s\">",
                      x, 4 + row_of[i] * REF_ROW + 12, anchor);
        ref_label(out, l);
        strbuf_puts(out, "</text></g>");
    }

    /* the axis with its two end figures */
    char a[32], z[32];
    strbuf_printf(out,
                  "<line class=\"svgc-axis\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\""
                  " stroke=\"#333\"/>",
                  x0, x1, axis_y, axis_y);
    strbuf_printf(out,
                  "<text class=\"svgc-tick\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\">%s</text>"
                  "<text class=\"svgc-tick\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\""
                  " text-anchor=\"end\">%s</text>",
                  x0, axis_y + 16, svg_chart_number(min, a), x1, axis_y + 16,
                  svg_chart_number(max, z));
    strbuf_puts(out, "</g>");
    legend(out, c, legend_y);
    strbuf_puts(out, "</svg>");
    free(row_of);
}

void svg_chart_hbar(struct strbuf *out, const struct svg_chart *c)
{
    draw_hbar(out, c, "hbar");
}

void svg_chart_counts(struct strbuf *out, const struct svg_chart *c)
{
    struct svg_chart copy = *c;
    if (!(copy.max > copy.min))
        copy.min = copy.max = 0; /* automatic: 0 .. a round number */
    draw_hbar(out, &copy, "counts");
}

void svg_chart_columns(struct strbuf *out, const struct svg_chart *c)
{
    double min, max;
    scale_of(c, &min, &max);
    const double x0 = 36, x1 = SVG_CHART_WIDTH - PAD;
    const double y0 = 26, y1 = 206; /* top and bottom (baseline) of the plot */
    int note_lines = 0;
    for (size_t i = 0; i < c->n_bars; i++) {
        const char *n = c->bars[i].note;
        int lines = n && *n ? (strchr(n, '\n') && strchr(n, '\n')[1] ? 2 : 1) : 0;
        if (lines > note_lines)
            note_lines = lines;
    }
    const double legend_y = y1 + 26 + note_lines * 17 + 8;
    const double height = legend_y + (double)c->n_bands * LEGEND_ROW + 2;
    const double slot = c->n_bars ? (x1 - x0) / (double)c->n_bars : (x1 - x0);
    const double col_w = slot * 0.6 > 44 ? 44 : slot * 0.6;
    const int value_font = slot < 44 ? 12 : 14;

    open_svg(out, c, "columns", height);
    strbuf_puts(out, "<g class=\"svgc-plot\"");
    put_num_attr(out, "data-min", min);
    put_num_attr(out, "data-max", max);
    put_num_attr(out, "data-y0", y1); /* the scale's min sits on the baseline */
    put_num_attr(out, "data-y1", y0);
    strbuf_puts(out, ">");

    for (size_t i = 0; i < c->n_bands; i++) {
        const struct svg_band *band = &c->bands[i];
        double a = place(band->to, min, max, y1, y0), z = place(band->from, min, max, y1, y0);
        if (z <= a)
            continue;
        band_rect(out, band, x0, a, x1 - x0, z - a);
    }

    for (size_t i = 0; i < c->n_lines; i++) {
        const struct svg_ref_line *l = &c->lines[i];
        double y = place(l->value, min, max, y1, y0);
        strbuf_puts(out, "<g class=\"svgc-refline\"><line class=\"svgc-ref\"");
        put_num_attr(out, "data-value", l->value);
        strbuf_printf(out,
                      " x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#b00020\""
                      " stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
                      x0, x1, y, y);
        strbuf_printf(out,
                      "<text class=\"svgc-reflabel\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\""
                      " text-anchor=\"end\">",
                      x0 - 3, y + 4);
        ref_label(out, l);
        strbuf_puts(out, "</text></g>");
    }

    struct strbuf poly;
    strbuf_init(&poly);
    for (size_t i = 0; i < c->n_bars; i++) {
        const struct svg_bar *b = &c->bars[i];
        double cx = x0 + slot * ((double)i + 0.5);
        strbuf_puts(out, "<g class=\"svgc-col\"");
        put_attr(out, "data-label", b->label);
        if (!b->missing)
            put_num_attr(out, "data-value", b->value);
        strbuf_puts(out, ">");
        if (b->missing || !isfinite(b->value)) {
            strbuf_printf(out,
                          "<text class=\"svgc-value svgc-none\" paint-order=\"stroke\" "
                          "stroke=\"#fff\" stroke-width=\"3\" x=\"%.2f\" y=\"%.2f\""
                          " font-size=\"%d\" text-anchor=\"middle\">ไม่มี</text>",
                          cx, y1 - 6, value_font);
        } else {
            double top = place(b->value, min, max, y1, y0);
            strbuf_puts(out, "<rect class=\"svgc-bar");
            if (b->css_class) {
                strbuf_puts(out, " ");
                svg_chart_escape(out, b->css_class);
            }
            strbuf_puts(out, "\"");
            put_num_attr(out, "data-value", b->value);
            strbuf_printf(out,
                          " x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\""
                          " fill=\"#2f5d8a\"/>",
                          cx - col_w / 2, top, col_w, y1 - top);
            strbuf_printf(out,
                          "<text class=\"svgc-value\" paint-order=\"stroke\" stroke=\"#fff\" "
                          "stroke-width=\"3\" x=\"%.2f\" y=\"%.2f\" font-size=\"%d\""
                          " text-anchor=\"middle\">",
                          cx, top - 5 < 12 ? 12 : top - 5, value_font);
            put_figure(out, c, b);
            strbuf_puts(out, "</text>");
            strbuf_printf(&poly, "%s%.2f,%.2f", poly.len ? " " : "", cx, top);
        }
        strbuf_printf(out,
                      "<text class=\"svgc-label\" x=\"%.2f\" y=\"%.2f\" font-size=\"%d\""
                      " text-anchor=\"middle\"",
                      cx, y1 + 18, value_font + 1);
        put_fit(out, text_width(b->label, b->label ? strlen(b->label) : 0, value_font + 1),
                slot - 3);
        strbuf_puts(out, ">");
        svg_chart_escape(out, b->label);
        strbuf_puts(out, "</text>");
        if (b->note && *b->note) {
            /* one line per '\n' of the note, under the label */
            const char *p = b->note;
            for (int line = 0; *p && line < 2; line++) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                strbuf_printf(out,
                              "<text class=\"svgc-note\" x=\"%.2f\" y=\"%.2f\" font-size=\"%d\""
                              " text-anchor=\"middle\"",
                              cx, y1 + 36 + line * 17, value_font - 1);
                put_fit(out, text_width(p, n, value_font - 1), slot - 3);
                strbuf_puts(out, ">");
                escape_n(out, p, n);
                strbuf_puts(out, "</text>");
                p = nl ? nl + 1 : p + n;
            }
        }
        strbuf_puts(out, "</g>");
    }
    if (c->line && poly.len)
        strbuf_printf(out,
                      "<polyline class=\"svgc-line\" points=\"%s\" fill=\"none\""
                      " stroke=\"#111\" stroke-width=\"2\"/>",
                      poly.data);
    strbuf_free(&poly);

    char a[32], z[32];
    strbuf_printf(out,
                  "<line class=\"svgc-axis\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\""
                  " stroke=\"#333\"/>"
                  "<text class=\"svgc-tick\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\""
                  " text-anchor=\"end\">%s</text>"
                  "<text class=\"svgc-tick\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\""
                  " text-anchor=\"end\">%s</text>",
                  x0, x1, y1, y1, x0 - 3, y1, svg_chart_number(min, a), x0 - 3, y0 + 4,
                  svg_chart_number(max, z));
    strbuf_puts(out, "</g>");
    legend(out, c, legend_y);
    strbuf_puts(out, "</svg>");
}
