/* The e-mail page of a contact list (mail_admin_view.c): a pure function of its model. */
#ifndef ITA_MAIL_ADMIN_VIEW_H
#define ITA_MAIL_ADMIN_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

enum {
    MAIL_COUNT_CONTACTS,
    MAIL_COUNT_WITH_EMAIL,
    MAIL_COUNT_WITH_LINK,
    MAIL_COUNT_UNSENT, /* address and link, no invitation of that link yet */
    MAIL_COUNT_WAITING,
    MAIL_COUNT_SENT,
    MAIL_COUNT_FAILED,
    MAIL_COUNT_ANSWERED, /* the list's personal links used */
    MAIL_COUNT_N
};

struct mail_round_view {
    bool exists;
    const char *send_on, *state, *finished_on; /* YYYY-MM-DD; scheduled/running/done */
    unsigned sent, failed;                     /* from the sealed counts */
};

struct mail_failed_row {
    const char *contact, *name, *unit, *email, *reply, *at;
};

/* Strings in the request arena. */
struct mail_page {
    long count[MAIL_COUNT_N];
    struct mail_round_view rounds[3];
    struct mail_failed_row *failed;
    size_t nfailed;
    bool smtp_on;       /* the server has a relay (smtp_url) */
    long queued;        /* invitations just queued (after sending) */
    bool notice;        /* a change was saved */
    const char *error;  /* a refused form's message, or NULL */
    bool mode_error;    /* the refused form was the mode's */
    bool reminder_form; /* the refused form was the reminders' (typed holds its days) */
    const char *typed[3];
    const char *csrf;
};

void mail_admin_view(struct strbuf *p, const struct setup *s, const void *model);

#endif
