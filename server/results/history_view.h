/* HTML of the past-results pages (history.c): the agency's ITA results of earlier years with the
 * form to add or edit one year and the CSV upload, the delete confirmation, the import's answers
 * and a system administrator's many-agency import page. Body fragments inside the admin frame;
 * every text from the database or the clerk is escaped. */
#ifndef ITA_HISTORY_VIEW_H
#define ITA_HISTORY_VIEW_H

#include "import_util.h"
#include "result_import.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* One stored year (strings in the request arena). */
struct history_row {
    const char *year;
    const char *total;
    const char *tool[3];    /* IIT, EIT, OIT; NULL when not known */
    const char *indicators; /* "90.00,85.10,..." (ten), NULL when not known */
    const char *rating;
    const char *source; /* entered, imported, published */
    const char *by;     /* e-mail, "" when unknown */
    const char *at;     /* "YYYY-MM-DD HH:MM" */
};

/* What the history page shows. */
struct history_page {
    const char *agency_id, *code, *name;
    int fy;        /* the year of the year menu and of publishing */
    int last_year; /* the latest year a clerk may enter */
    bool system;   /* a system administrator: link to the many-agency import */
    const char *csrf;
    const struct history_row *rows; /* newest first */
    size_t n;
    const char *const *tiers; /* the tier names offered from 2567, distinct */
    size_t n_tiers;
    const char *value[ITA_RF_COUNT]; /* the form's values (typed, or the year being edited) */
    const char *error[ITA_RF_COUNT]; /* Thai reasons, NULL when fine */
    int n_errors;
    bool editing;       /* the form holds a stored year */
    const char *notice; /* what was just done, or NULL */
    /* publishing this system's own result of `fy` */
    bool final;            /* the year's result is final: the button is shown */
    const char *not_final; /* why it is not (Thai), or NULL when there is no result at all */
};

void history_view_page(struct strbuf *p, const struct history_page *h);
/* The confirmation before a year is deleted. */
void history_view_delete(struct strbuf *p, const struct history_page *h,
                         const struct history_row *r);
/* A file with errors: every kept error with its line, column and reason; nothing stored. */
void history_view_import_errors(struct strbuf *p, const struct ita_import_errors *e,
                                size_t rows_read, const char *back_href);
/* The many-agency import page of a system administrator. */
void history_view_import_page(struct strbuf *p, const char *csrf);
/* "The name of the source" as the page shows it. */
const char *history_source_th(const char *source);

#endif
