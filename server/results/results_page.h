/* HTML of the clerk's results pages, pure functions over computed results (results_model.h):
 * the agency's scores with the OIT entry form (body fragment inside the admin frame), and the
 * printable Thai report mirroring the seed report (a whole document with its own print style,
 * allowed by results_report_csp()). Every text from the database is escaped. */
#ifndef ITA_RESULTS_PAGE_H
#define ITA_RESULTS_PAGE_H

#include "results_charts.h"
#include "results_model.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* One line of the draft improvement-measures table (OIT item O42). */
struct results_measure {
    char *measure, *method, *responsible, *period, *follow_up; /* owned, freed by
                                                                  results_measures_free */
};
/* Parses the JSON array the measures statement returns (NULL or "" for none). */
struct results_measure *results_measures_parse(const char *json, size_t *n);
void results_measures_free(struct results_measure *m, size_t n);

#define RESULTS_MAX_MEASURES 50

/* The scores of one agency's year with their charts (history: earlier years' published results,
 * oldest first) and the OIT entry form. csrf goes into the forms. */
void results_page_scores(struct strbuf *out, const struct ita_version *v,
                         const struct results_agency *a, int k_min, const char *csrf,
                         const struct results_history_row *history, size_t n_history);

struct results_report_in {
    const struct ita_version *v;
    const struct results_agency *a;    /* this year, computed */
    const struct ita_version *prev_v;  /* previous fiscal year, or NULL */
    const struct results_agency *prev; /* its results, or NULL */
    const struct results_measure *measures;
    size_t n_measures;
    int k_min;
    const char *csrf;                          /* non-NULL: add the editing form (not printed) */
    const struct results_history_row *history; /* earlier years, oldest first */
    size_t n_history;
    const char *texts_form; /* the O42 texts form (o42_texts.h), NULL: none */
    const char *form_error; /* why the O42 texts were refused (shown at the top), or NULL */
};
/* The report document's start (head with the report's style, the bar with the back link, print
 * button and O42 downloads; stored: a year only stored as a past result, whose back link is the
 * past-results page) and end (foot note, script). */
void results_report_open(struct strbuf *out, const char *agency_name, int agency_id, int year,
                         bool stored);
/* A refused save's message at the top of the report, linking to its form (NULL: nothing). */
void results_report_error(struct strbuf *out, const char *msg, const char *form_id);
void results_report_close(struct strbuf *out, const char *foot);
/* The form editing the draft measures (not printed). */
void results_measures_form(struct strbuf *out, const struct results_measure *m, size_t n,
                           int agency_id, int year, const char *csrf);
/* The whole report document. */
void results_report(struct strbuf *out, const struct results_report_in *in);
/* Content-Security-Policy for the report document (static string). */
const char *results_report_csp(void);

#endif
