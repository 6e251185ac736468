/* The national view's page (national_view.c): the filter form with every value kept, a message
 * about a bad parameter, the totals and distributions of the filtered set, the download links, one
 * page of the table with sortable column heads (aria-sort), and the numbered pages. */
#ifndef ITA_NATIONAL_VIEW_H
#define ITA_NATIONAL_VIEW_H

#include "admin_setup.h"
#include "national_model.h"

/* What the page shows (request arena or the job's data). Parameters as typed, never NULL. */
struct national_page {
    const char *fy, *q, *kind, *parent, *state, *rating, *sort, *dir, *page_s;
    const char *error; /* a Thai message about the parameters, or NULL */
    bool have_year;    /* the rest below is filled */
    const struct national_year *y;
    const struct national_query *query;
    const struct national_row *rows;
    const size_t *idx; /* the filtered, sorted rows */
    size_t n;          /* how many passed the filters */
    const struct national_totals *t;
};

void national_view(struct strbuf *p, const struct setup *s, const void *model);

#endif
