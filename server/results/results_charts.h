/* The charts of the results page and the printable report (issue #16), drawn as inline SVG with
 * core/svg_chart.h: the ten indicators against the 85 line and the class bands, the three tools
 * and the total against the year's rating thresholds, the agency's totals across fiscal years,
 * and, where the anonymity rules already let the agency see per-question figures, each question's
 * answer distribution. Every chart sits in a <figure> next to (or linked with aria-describedby to)
 * a table of the same figures. Pure functions over computed results. */
#ifndef ITA_RESULTS_CHARTS_H
#define ITA_RESULTS_CHARTS_H

#include "results_model.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* One published result of an earlier fiscal year (table agency_result). */
struct results_history_row {
    int year;        /* fiscal year, Buddhist Era */
    double total;    /* 0..100, two decimals as published */
    char rating[64]; /* the year's grade or tier, "" if not known */
    char source[16]; /* "entered", "imported" or "published" */
};

/* The ten indicators as bars against the 85 line, in the class bands (urgent < 90, develop 90 to
 * < 95, keep >= 95); table_id: the indicator table the chart describes. */
void results_chart_indicators(struct strbuf *o, const struct ita_version *v,
                              const struct results_agency *a, const char *table_id);
/* IIT, EIT, OIT and the total against the year's rating thresholds (and, in tiered years, each
 * tool's minimum for the next better level). */
void results_chart_tools(struct strbuf *o, const struct ita_version *v,
                         const struct results_agency *a, const char *table_id);
/* The totals of earlier years (rows, ascending years before v's) and this year's when complete
 * (marked preliminary until rated), with the grade or tier as text; with its own table (id
 * "history"). Nothing when there is neither. */
void results_chart_history(struct strbuf *o, const struct ita_version *v,
                           const struct results_agency *a, const struct results_history_row *rows,
                           size_t n);
/* Per question and field: how many respondents chose each answer, only for instruments whose
 * figures may be shown (a->shown: sealed with at least k responses, the same rule as every
 * per-question figure); nothing otherwise. Each chart has its table. */
void results_chart_answers(struct strbuf *o, const struct ita_version *v,
                           const struct results_agency *a);

#endif
