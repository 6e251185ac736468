/* The personal-link pages (links_view.c): a pure function of the new link. */
#ifndef ITA_LINKS_VIEW_H
#define ITA_LINKS_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

/* A reissued link (model: its URL, a string), with the way back to the contact list. */
void links_view_reissued(struct strbuf *p, const struct setup *s, const void *model);

#endif
