/* Respondent-facing HTML pages (Thai first): the IIT/EIT form generated from an instrument
 * version, and the status pages (thank you, already answered, not open yet, closed, unknown link,
 * too many requests, temporarily unavailable, bad request). Pure functions over plain structs: no
 * I/O, no libevent, no libpq. Pages carry no external assets; the one stylesheet and the one
 * small script are inline and allowed by Content-Security-Policy hashes (page_frame_csp in
 * app/page_frame.c). */
#ifndef ITA_PAGES_H
#define ITA_PAGES_H

#include "instrument.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* Form field names: each answer field's code ("i1.1", "e8.1"), value = chosen level as a decimal
 * integer (0 .. levels-1); the hidden form token is named "f". */
#define PAGES_FORM_TOKEN_FIELD "f"

struct form_view {
    const struct ita_version *v;    /* the fiscal year's instrument version */
    enum ita_instrument instrument; /* ITA_IIT or ITA_EIT */
    const char *agency_name_th;     /* shown at the top, escaped */
    const char *action;             /* form action path, e.g. "/s/AbC..."; escaped */
    const char *form_token;         /* value of the hidden field "f" */
    const int *answers;             /* [v->surveys[instrument].n_fields] level or -1; NULL = none */
    bool show_errors;               /* mark every question with an unanswered field */
    const char *notice_th;          /* optional message at the top (escaped), e.g. form expired */
    int k;                          /* results_min_responses, named in the privacy notice */
    const char *csrf; /* administrators' preview only: the session's CSRF token, sent as a
                         hidden field "csrf" so the preview's answers can be checked by the
                         administrator route; NULL for respondents (never in the page cache) */
};

/* Appends the complete form page (<!doctype html> … </html>) to out. */
void pages_form(struct strbuf *out, const struct form_view *fv);

enum page_kind {
    PAGE_THANKS,           /* 200: response stored (or the same form sent again) */
    PAGE_ALREADY_ANSWERED, /* 409: personal link already used */
    PAGE_NOT_OPEN,         /* 403: survey window not open yet */
    PAGE_CLOSED,           /* 410: survey window closed */
    PAGE_REVOKED,          /* 410: link withdrawn by the agency */
    PAGE_NOT_FOUND,        /* 404: no such link */
    PAGE_RATE_LIMITED,     /* 429: too many submissions; try again later */
    PAGE_UNAVAILABLE,      /* 503: database unavailable; try again shortly, answers not lost if
                              the browser's back button is used */
    PAGE_BAD_REQUEST,      /* 400: malformed form submission */
};

struct status_view {
    enum page_kind kind;
    const char *agency_name_th; /* NULL when unknown */
    int fiscal_year;            /* Buddhist Era; 0 when unknown */
    const char *when_th;        /* NOT_OPEN: opening date text; CLOSED: closing date; else NULL */
};

/* Appends the complete status page to out. */
void pages_status(struct strbuf *out, const struct status_view *sv);
/* The HTTP status that goes with a page kind (200, 409, 403, 410, 404, 429, 503, 400). */
int pages_status_code(enum page_kind kind);

#endif
