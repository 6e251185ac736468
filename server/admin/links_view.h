/* The personal-link pages (links_view.c): a pure function of the new link. */
#ifndef ITA_LINKS_VIEW_H
#define ITA_LINKS_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

/* A reissued link, with the way back to the contact list. */
void links_view_reissued(struct strbuf *p, const struct setup *s, const char *url);

#endif
