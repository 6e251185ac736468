/* The HTML of sign-in (signin_view.c): pure functions writing into a strbuf. */
#ifndef ITA_ADMIN_SIGNIN_VIEW_H
#define ITA_ADMIN_SIGNIN_VIEW_H

#include "strbuf.h"

#include <stddef.h>
#include <time.h>

struct admin_user;

/* The whole login page: form_token for the form's hidden field, message (an alert) or NULL,
 * email the address typed before (kept after a failed attempt) or NULL. */
void signin_view_login(struct strbuf *p, const char *form_token, const char *message,
                       const char *email);
/* The message of a failed sign-in at time now, the same for every address (known or not, so it
 * tells nobody whether an account exists): e-mail or password wrong, and when an account locked by
 * five failures may try again. A lock lasts 15 minutes from the fifth failure and attempts during
 * it do not extend it, so the time said (now + 15 minutes, rounded up to the minute, Thailand's
 * time) is the latest moment a locked account opens again; it is the same for every address so that
 * it tells nobody whether, or since when, an account is locked. Into out (>= 400 bytes). */
void signin_view_failed(time_t now, char *out, size_t size);
/* The home page's links, after the page frame. */
void signin_view_home(struct strbuf *p, const struct admin_user *u);

#endif
