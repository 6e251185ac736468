/* The HTML of sign-in (signin_view.c): pure functions writing into a strbuf. */
#ifndef ITA_ADMIN_SIGNIN_VIEW_H
#define ITA_ADMIN_SIGNIN_VIEW_H

#include "strbuf.h"

struct admin_user;

/* The whole login page: form_token for the form's hidden field, message (an alert) or NULL,
 * email the address typed before (kept after a failed attempt) or NULL. */
void signin_view_login(struct strbuf *p, const char *form_token, const char *message,
                       const char *email);
/* The home page's links, after the page frame. */
void signin_view_home(struct strbuf *p, const struct admin_user *u);

#endif
