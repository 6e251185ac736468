/* The frame every HTML page shares (page_frame.c): Thai, lang="th", one stylesheet (plus the
 * administration's for page_frame_begin's pages), one optional script, and the
 * Content-Security-Policy that allows exactly those. */
#ifndef ITA_PAGE_FRAME_H
#define ITA_PAGE_FRAME_H

#include "strbuf.h"

#include <stdbool.h>

/* <!doctype html> through <body>; the title is `title` escaped (plus " | " and `title2` when
 * title2 is neither NULL nor empty). */
void page_frame_start(struct strbuf *o, const char *title, const char *title2);
/* The dark band at the top: agency (may be NULL), the page's h1 (may be NULL), the assessment's
 * name and the fiscal year (when > 0). */
void page_frame_header(struct strbuf *o, const char *agency, const char *heading, int fiscal_year);
/* </body></html>, with the enhancement script first when with_script. */
void page_frame_end(struct strbuf *o, bool with_script);

/* A page of the same look for other parts of the site (administration, results): everything up
 * to and including <main> with `title` as the heading, and the closing part. Text between them
 * is the caller's, escaped by the caller. */
void page_frame_begin(struct strbuf *out, const char *title);
void page_frame_finish(struct strbuf *out);

/* The pages of one agency's fiscal year, in the order the work is done. */
enum page_year_tab {
    PAGE_YEAR_OVERVIEW, /* the agency page's checklist of the year */
    PAGE_YEAR_SETUP,    /* /admin/year */
    PAGE_YEAR_IIT,      /* /admin/contacts?instrument=IIT */
    PAGE_YEAR_EIT,      /* /admin/contacts?instrument=EIT */
    PAGE_YEAR_PROGRESS, /* /admin/progress */
    PAGE_YEAR_RESULTS,  /* /admin/results: OIT and scores */
    PAGE_YEAR_REPORT,   /* /admin/report */
    PAGE_YEAR_OIT,      /* /admin/oit-work: who publishes which OIT item by when */
    PAGE_YEAR_NONE,     /* none of them is this page */
};
/* The sub-menu every page of a year carries: "<agency> ปีงบประมาณ <fy>" and a link to each page
 * of the year, `active` marked aria-current. agency_id: decimal digits; agency_name is escaped
 * (NULL or "": the year alone). */
void page_year_nav(struct strbuf *o, const char *agency_id, const char *agency_name, int fy,
                   enum page_year_tab active);

/* The Content-Security-Policy value for every page: default-src 'none' plus the sha256 hashes
 * of the inline styles and script, form-action 'self', frame-ancestors 'none', base-uri 'none'.
 * Computed once; the string is static. */
const char *page_frame_csp(void);

#endif
