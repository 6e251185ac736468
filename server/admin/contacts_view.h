/* The contact list pages (contacts_view.c): pure functions of what the handler read. */
#ifndef ITA_CONTACTS_VIEW_H
#define ITA_CONTACTS_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* What an import read and stored. */
struct contacts_imported {
    size_t rows, accepted, too_recent, duplicates;
    const char *encoding;
    long imported, present;
};

struct contact_row {
    const char *id, *name, *unit, *email, *phone;
    bool link_issued;
};

/* One page of a list with its totals. */
struct contacts_page {
    const char *csrf;
    long total, with_link;
    long page; /* 0-based */
    bool more; /* a next page exists */
    const struct contact_row *rows;
    size_t n;
};

/* Page bodies (setup_view): the import's summary (model: struct contacts_imported), one page of
 * a list (struct contacts_page) and the purge (long: contacts purged). */
void contacts_view_imported(struct strbuf *p, const struct setup *s, const void *model);
void contacts_view_list(struct strbuf *p, const struct setup *s, const void *model);
void contacts_view_purged(struct strbuf *p, const struct setup *s, const void *model);

#endif
