/* The HTML pieces the set-up pages share (setup_view.c): pure functions writing into a page
 * from the resolved agency and year, after the page's header. */
#ifndef ITA_SETUP_VIEW_H
#define ITA_SETUP_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

struct ita_import_errors;

/* Links to the year's pages of the agency; the CSRF field; hidden agency/fy(/instrument). */
void setup_view_nav(struct strbuf *p, const struct setup *s);
void setup_view_csrf(struct strbuf *p, const char *csrf);
void setup_view_hidden_scope(struct strbuf *p, const struct setup *s, int instrument);
/* An error message, with the way back once resolved: the year's pages and back_href (the page
 * the request came from, labelled back_text; NULL for none), and the agency list. */
void setup_view_fail(struct strbuf *p, const struct setup *s, const char *msg,
                     const char *back_href, const char *back_text);
/* The errors of an uploaded list, with a link back_href labelled back_text. */
void setup_view_list_errors(struct strbuf *p, const struct setup *s,
                            const struct ita_import_errors *e, const char *back_href,
                            const char *back_text);
/* An agency list imported (model: struct agencies_imported). */
struct agencies_imported {
    long inserted, updated;
    const char *encoding; /* the file's */
};
void setup_view_agencies_imported(struct strbuf *p, const struct setup *s, const void *model);

#endif
