/* HTML blocks the results page (results_page.c) and the printable report (results_report.c)
 * share. Pure functions over computed results; every text from the database is escaped. */
#ifndef ITA_RESULTS_HTML_H
#define ITA_RESULTS_HTML_H

#include "results_model.h"
#include "strbuf.h"

#include <stdbool.h>

/* The instruments' Thai names, by enum ita_instrument. */
extern const char *const results_instrument_th[ITA_N_INSTRUMENTS];

/* s HTML-escaped (NULL: nothing). */
void results_html_esc(struct strbuf *o, const char *s);
/* A figure with two decimals, "–" when undefined. */
void results_html_fig(struct strbuf *o, struct ita_value v);
/* Responses, population and minimum sample per instrument (k_min: fewer responses are not shown).
 */
void results_html_samples(struct strbuf *o, const struct ita_version *v,
                          const struct results_agency *a, int k_min);
/* The ten indicators, with the previous year's column when prev is not NULL; preliminary: the
 * caption says so. */
void results_html_indicators(struct strbuf *o, const struct ita_version *v,
                             const struct ita_summary *s, const struct ita_summary *prev,
                             bool preliminary);
/* The weighting of the three instruments into the total. */
void results_html_weights(struct strbuf *o, const struct ita_summary *s, bool preliminary);
/* The banner of results that are not rated yet (a->rated false): "ผลเบื้องต้น" and each minimum
 * not met yet; nothing once rated. cls: the section's class. */
void results_html_preliminary(struct strbuf *o, const char *cls, const struct ita_version *v,
                              const struct results_agency *a, int k_min);
/* Rated: the total, the rating and whether it passes; when a tool keeps the agency from the next
 * level, which tool and by how much; for the tiered rating, what each tool must gain per better
 * level. Not rated: the preliminary total only, no rating, pass or plan. */
void results_html_verdict(struct strbuf *o, const struct results_agency *a);
/* The year's rating levels as a table (total and tool minimums). */
void results_html_rating_rule(struct strbuf *o, const struct ita_rules *r, int fiscal_year);

#endif
