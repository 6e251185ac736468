/* The HTML of the agency pages (agency_view.c): pure functions writing the page body (after
 * admin_page_begin's frame) into a strbuf. */
#ifndef ITA_ADMIN_AGENCY_VIEW_H
#define ITA_ADMIN_AGENCY_VIEW_H

#include "strbuf.h"

#include <libpq-fe.h>
#include <stdbool.h>

#define AGENCY_PAGE_ROWS 100 /* agencies per page of the list */

/* /admin/agencies: for system administrators the forms to add and import agencies, then the
 * sql_admin_agencies rows (at most AGENCY_PAGE_ROWS shown; one more means a next page) of page
 * `page` (0 first). csrf: the session's CSRF token. */
void agency_view_list(struct strbuf *p, bool system, const char *csrf, const PGresult *agencies,
                      long page);

/* One agency as sql_admin_agency found it (request arena or the result's). */
struct agency_info {
    const char *id;
    const char *code, *name, *kind, *parent_code; /* "" when unset */
    const char *years;                            /* loaded fiscal years, "2567,2566" or "" */
};

/* /admin/agency: the agency, its fiscal years' pages, the edit form (code and parent only for
 * system administrators) and the sql_admin_agency_links rows; base: the respondents' address. */
void agency_view_page(struct strbuf *p, const struct agency_info *a, bool system, const char *csrf,
                      const char *base, const PGresult *links);

#endif
