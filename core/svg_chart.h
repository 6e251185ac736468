/* Small inline-SVG charts written by the server into HTML pages (issue #16): horizontal bars with
 * labels, optional reference lines, per-bar targets and background bands; columns over fiscal
 * years; and count distributions (categories -> counts). No JavaScript, no library: the charts
 * are plain markup that prints and scales.
 *
 * Every chart is an <svg role="img"> with <title> and <desc>, a viewBox and width 100% (so it
 * scales down to a 360 px phone), text large enough to read there, and every figure written as
 * text next to its bar (the colour never carries meaning alone). Each bar or point carries its
 * exact figure in data attributes (data-value, data-label, data-target) and the plot area its
 * scale (data-min, data-max, data-x0, data-x1 or data-y0, data-y1), so tests can parse the SVG and
 * compare numbers. All text is XML-escaped. The figures should also be on the page as a table:
 * give its id in `described_by` (aria-describedby) or place the table next to the chart.
 *
 * Ownership: the chart writers only read their arguments (all borrowed) and append to `out`. */
#ifndef ITA_SVG_CHART_H
#define ITA_SVG_CHART_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* Geometry of the viewBox, in user units (the whole chart scales with the page). */
#define SVG_CHART_WIDTH 400 /* viewBox width */
#define SVG_CHART_FONT 15   /* label text size; at 360 px the chart shows it at about 12 px */

/* The charts' style sheet (CSS text), for the pages that show them: the admin pages' style
 * (app/page_frame.c) and the printable report's. Colours: bars #2f5d8a; classes urgent #a4262c,
 * develop #8a5a00, keep #1e6b3a (each >= 4.5:1 on white); bands in light tints; a chart never
 * splits across printed pages. */
#define SVG_CHART_CSS                                                                              \
    "figure.chart{margin:1rem 0;break-inside:avoid;page-break-inside:avoid}"                       \
    "figure.chart figcaption{font-weight:600}"                                                     \
    ".svgc{display:block;width:100%;max-width:30rem;height:auto;margin:.25rem 0;"                  \
    "font-family:inherit;break-inside:avoid;page-break-inside:avoid}"                              \
    ".svgc text{fill:#1b1b1b}.svgc .svgc-bar{fill:#2f5d8a}"                                        \
    ".svgc .svgc-bar.svgc-urgent,.svgc .svgc-band-swatch.svgc-urgent{fill:#a4262c}"                \
    ".svgc .svgc-bar.svgc-develop,.svgc .svgc-band-swatch.svgc-develop{fill:#8a5a00}"              \
    ".svgc .svgc-bar.svgc-keep,.svgc .svgc-band-swatch.svgc-keep{fill:#1e6b3a}"                    \
    ".svgc .svgc-band.svgc-urgent{fill:#fdeceb}.svgc .svgc-band.svgc-develop{fill:#fff4ce}"        \
    ".svgc .svgc-band.svgc-keep{fill:#e9f5ee}"                                                     \
    ".svgc .svgc-bar.svgc-prelim{fill:#7f9cb8;stroke:#2f5d8a;stroke-width:2;"                      \
    "stroke-dasharray:4 2}"                                                                        \
    "@media print{figure.chart,.svgc{break-inside:avoid;page-break-inside:avoid}"                  \
    ".svgc{max-width:12cm}}"

/* One bar (hbar, counts) or one column (columns). */
struct svg_bar {
    const char *label;      /* shown with the bar (above it in hbar/counts, under it in columns) */
    double value;           /* the exact figure: its length, and data-value */
    const char *value_text; /* the figure as written next to the bar; NULL: formatted with the
                             * chart's `decimals` */
    const char *note; /* optional short text after the figure (a grade, "เบื้องต้น"); NULL */
    const char *css_class; /* optional extra class of the bar (e.g. "svgc-urgent"); NULL */
    bool has_target;       /* draw a target mark on this bar (e.g. the tool's minimum) */
    double target;         /* where the mark stands, on the chart's scale; data-target */
    const char *target_text; /* text of the mark ("ขั้นต่ำ 40"); NULL: the number alone */
    bool missing; /* no figure (e.g. a year without a result): no bar, "ไม่มีข้อมูล" */
};

/* A reference line across the plot at `value` (e.g. the 85 line, a rating threshold). */
struct svg_ref_line {
    double value;
    const char *label; /* text at the line ("85"); NULL: the number */
};

/* A background band of the scale [from, to) (e.g. class bands: urgent < 90). Its label appears in
 * the legend under the chart, so the band's meaning is text, not only colour. */
struct svg_band {
    double from, to;
    const char *label; /* legend text ("เร่งแก้ไข: ต่ำกว่า 90") */
    const char *css_class; /* class of the band rectangle and its legend swatch */
};

struct svg_chart {
    const char *id;           /* id of the <svg>; NULL: none */
    const char *title;        /* <title>: required */
    const char *desc;         /* <desc>: a sentence saying what the chart shows; NULL: none */
    const char *described_by; /* id of the table holding the same figures; NULL: none */
    const char *css_class;    /* extra class of the <svg>; NULL: none */
    double min, max;          /* the scale; max <= min: 0 up to a round number >= every value
                               * and target */
    int decimals;             /* decimals of the figures written as text (0..6) */
    const struct svg_bar *bars;
    size_t n_bars;
    const struct svg_ref_line *lines;
    size_t n_lines;
    const struct svg_band *bands;
    size_t n_bands;
    bool line; /* columns only: also join the column tops with a line */
};

/* Horizontal bars, one per row, label above its bar, figure written after it. */
void svg_chart_hbar(struct strbuf *out, const struct svg_chart *c);
/* Columns over time (fiscal years): label (year) and note (grade) under each column, figure on
 * top; reference lines are horizontal. */
void svg_chart_columns(struct strbuf *out, const struct svg_chart *c);
/* A count distribution: categories -> counts as horizontal bars, scale from 0, figures as
 * integers (value_text may add a percentage). Equivalent to hbar with min 0 and decimals 0 unless
 * the chart sets them. */
void svg_chart_counts(struct strbuf *out, const struct svg_chart *c);

/* XML-escapes text (& < > " ') into out; invalid UTF-8 and control characters other than tab and
 * newline become U+FFFD, so the SVG stays well-formed XML. */
void svg_chart_escape(struct strbuf *out, const char *text);
/* The shortest decimal text that reads back as v (for data attributes); buf of 32 bytes. */
const char *svg_chart_number(double v, char buf[32]);
/* The upper end of an automatic scale: the smallest "round" number (1, 2, 2.5, 5 x 10^k) >= v;
 * 1 when v <= 0. */
double svg_chart_nice_max(double v);

#endif
