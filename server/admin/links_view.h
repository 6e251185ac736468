/* The personal-link pages (links_view.c): a pure function of the new link. */
#ifndef ITA_LINKS_VIEW_H
#define ITA_LINKS_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

/* Whose personal link a page is about (request arena). */
struct links_whose {
    long contact_id;
    const char *name, *unit, *email; /* as in the list; unit and email may be "" */
    const char *url;                 /* the new link (after reissuing); NULL when not shown */
    bool emailed;                    /* (url NULL) the new link was queued for e-mail */
    char csrf[40];                   /* the session's CSRF token (the confirmation's form) */
};

/* Before reissuing (model: struct links_whose): whose link is replaced, what happens to the old
 * one, the button that does it and the way back. */
void links_view_reissue_confirm(struct strbuf *p, const struct setup *s, const void *model);
/* A reissued link (model: struct links_whose with url), whose it is, with the way back to the
 * contact list. */
void links_view_reissued(struct strbuf *p, const struct setup *s, const void *model);

#endif
