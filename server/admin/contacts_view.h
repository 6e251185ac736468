/* The contact list pages (contacts_view.c): pure functions of what the handler read. */
#ifndef ITA_CONTACTS_VIEW_H
#define ITA_CONTACTS_VIEW_H

#include "admin_setup.h"
#include "contact_list.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* What an import read and stored. */
struct contacts_imported {
    size_t rows, accepted, too_recent, duplicates;
    const char *encoding;
    long imported, present;
    const struct ita_contact *left_out; /* too_recent IIT rows left out (name, unit, start) */
};

struct contact_row {
    const char *id, *name, *unit, *email, *phone;
    bool link_issued;
};

/* One page of a list with its totals. */
struct contacts_page {
    const char *csrf;
    long total, with_link;
    long page;    /* 0-based */
    bool more;    /* a next page exists */
    bool edited;  /* came back from saving a contact */
    bool resent;  /* ... whose corrected address gets a new link by e-mail */
    bool deleted; /* came back from deleting one */
    const struct contact_row *rows;
    size_t n;
};

/* One contact's values as strings ("" when empty; started_on ISO when stored, as typed when
 * typed). */
struct contact_fields {
    const char *name, *unit, *email, *phone, *started_on;
};

/* One contact being edited or deleted (request arena). */
struct contact_one {
    long id;
    int generation; /* its link number, 0: no link issued */
    bool posting;   /* a POST (save or delete) rather than the page asking */
    bool resent;    /* a corrected address got a new link and invitation */
    struct contact_fields stored, typed, saved; /* in the database, in the form, cleaned */
    const char *errors[8];                      /* Thai reasons the typed values were refused */
    size_t nerrors;
    const char *csrf;
};

/* Page bodies (setup_view): the import's summary (model: struct contacts_imported), one page of
 * a list (struct contacts_page) and the purge (long: contacts purged). */
void contacts_view_imported(struct strbuf *p, const struct setup *s, const void *model);
void contacts_view_list(struct strbuf *p, const struct setup *s, const void *model);
/* One contact's edit form with its values and any errors (struct contact_one), and the page
 * asking before a contact is deleted (struct contact_one). */
void contacts_view_edit(struct strbuf *p, const struct setup *s, const void *model);
void contacts_view_delete_confirm(struct strbuf *p, const struct setup *s, const void *model);
void contacts_view_purged(struct strbuf *p, const struct setup *s, const void *model);

#endif
