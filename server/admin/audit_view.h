/* The audit log page (audit_view.c): what each recorded action means in Thai (pure, tested by
 * tests/server/test_audit_view.c) and the page written from one page of entries. Only what the
 * administrators did is shown: counts, fiscal years, lists and accounts, never a contact, a
 * personal link or anything derived from answers. */
#ifndef ITA_AUDIT_VIEW_H
#define ITA_AUDIT_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define AUDIT_PAGE_SIZE 50

/* The actions audit_log records (their code in audit_log.action) and their Thai names, in the
 * order the filter lists them. */
struct audit_action {
    const char *code, *th;
};
extern const struct audit_action AUDIT_ACTIONS[];
extern const size_t AUDIT_ACTIONS_COUNT;

/* The Thai name of action code, or NULL when it is not one of AUDIT_ACTIONS. */
const char *audit_action_th(const char *code);

/* Appends to out (plain text, not escaped) the Thai sentence of one entry: its action code, its
 * fiscal year ("" when none), its detail (audit_log.detail as JSON text; malformed or missing
 * fields are left out) and the e-mail of the account an account entry is about ("" when none).
 * An unknown action is named generically, in Thai, with its code. Only safe fields of detail are
 * read (counts, the list, the format, a token's name); contact ids, file digests and manifests
 * are never shown. */
void audit_describe(struct strbuf *out, const char *code, const char *fiscal_year,
                    const char *detail, const char *target);

/* One entry as the page and the API show it (request arena). */
struct audit_entry {
    long long id;
    const char *at;          /* YYYY-MM-DD HH:MM, Thailand */
    const char *email;       /* "" when unknown */
    const char *agency_code; /* "" when of no agency */
    const char *agency_name;
    const char *action;
    const char *text; /* audit_describe's sentence */
};

/* The page's model: the filters as typed (never NULL), an error about them, the entries. */
struct audit_model {
    bool system;                                     /* the agency filter is offered */
    const char *action, *agency, *email, *from, *to; /* as typed ("" when not) */
    long long before;                                /* this page starts below this id; 0: newest */
    const char *error;                               /* a Thai message about the filters, or NULL */
    struct audit_entry *entries;
    size_t n;
    long long next; /* the id the next (older) page starts below, 0 when none */
};

/* The page body after its header (model: struct audit_model): the filter form, the message, the
 * entries as cards, the link to older entries. */
void audit_view(struct strbuf *p, const struct setup *s, const void *model);

#endif
