/* What every administrator page handler uses: the signed-in user (or a redirect to the login
 * page), the CSRF check of posted forms, and the common page frame. */
#ifndef ITA_ADMIN_SESSION_H
#define ITA_ADMIN_SESSION_H

#include "form_parse.h"
#include "http.h"
#include "strbuf.h"

#include <stdbool.h>

struct admin_user {
    int id;                    /* admin_user.id */
    const char *email;         /* request arena */
    bool system;               /* system administrator: every agency */
    int agency_id;             /* agency administrator: the one agency; 0 for system */
    const char *agency_name;   /* "" for system administrators */
    const char *session_token; /* the cookie's token, for CSRF tokens */
};

typedef void (*admin_then)(struct http_request *req, const struct admin_user *u);

/* Looks up the session from the cookie and calls then(), or answers 303 to /admin/login. With
 * posting, the body must be a same-origin form with the session's CSRF token (else 403); it is
 * then available through admin_form(). */
void admin_with_user(struct http_request *req, bool posting, admin_then then);
const struct form_data *admin_form(struct http_request *req);
void admin_csrf_token(struct http_request *req, const struct admin_user *u, char out[40]);

/* The page frame: title, who is signed in, navigation and the sign-out button. */
void admin_page_begin(struct strbuf *p, struct http_request *req, const struct admin_user *u,
                      const char *title);
/* Sends a finished page (pages_finish already called) with the pages' CSP. */
void admin_send_page(struct http_request *req, int status, struct strbuf *page);

#endif
