/* The HTML of the accounts pages (accounts_view.c): pure functions writing the page body (after
 * admin_page_begin's frame) into a strbuf from the listing statements' rows, and the small pure
 * helpers of the account list (the search pattern, numbers with thousands separators). */
#ifndef ITA_ADMIN_ACCOUNTS_VIEW_H
#define ITA_ADMIN_ACCOUNTS_VIEW_H

#include "app/list_view.h"
#include "strbuf.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* /admin/tokens: fresh (a token just created, shown once) or NULL, the form to create one and
 * the sql_tokens_list rows with their revoke buttons. csrf: the session's CSRF token. */
void accounts_view_tokens(struct strbuf *p, const char *csrf, const char *fresh,
                          const PGresult *tokens);

/* An account just created: what the page shows once. */
struct accounts_new_user {
    const char *email;
    const char *password;
};

#define ACCOUNTS_PAGE_SIZE 50                    /* accounts per page of /admin/users */
#define ACCOUNTS_SEARCH_MAX LIST_VIEW_SEARCH_MAX /* bytes of a search, at most */

/* The ILIKE pattern finding q anywhere ("%q%", with \, % and _ escaped by a backslash, so they
 * match themselves) into out; "" when q is empty. False (out "") when q is longer than
 * ACCOUNTS_SEARCH_MAX or out (at least 2 * ACCOUNTS_SEARCH_MAX + 3 bytes) is too small. */
bool accounts_like_pattern(const char *q, char *out, size_t size);
/* n with a comma every three digits ("8,312") into out (at least 32 bytes). */
void accounts_group_digits(long n, char *out, size_t size);
/* The number of characters (UTF-8 code points) of s. */
size_t accounts_utf8_chars(const char *s);
/* "ถูกล็อกถึง 6 ธ.ค. 2569 เวลา 13:32 น." from "YYYY-MM-DD HH:MM" (Bangkok time) into out (at
 * least 160 bytes); "ถูกล็อกชั่วคราว" when the value is malformed. */
void accounts_locked_text(const char *until, char *out, size_t size);

/* What /admin/users shows besides the rows (all strings request arena or static). */
struct accounts_users_view {
    const char *csrf;
    bool system;                           /* the viewer is a system administrator */
    const char *own_agency;                /* an agency administrator's agency name */
    int self_id;                           /* the viewer's own account: no buttons on it */
    const struct accounts_new_user *shown; /* an account just created, or NULL */
    const char *notice;                    /* what was just done, or NULL */
    const char *error;                     /* why the create form was refused, or NULL */
    long reenable_id; /* > 0: the typed e-mail is this disabled account; offer to re-enable it */
    const char *f_email, *f_role, *f_code; /* the create form as typed (NULL: empty) */
    const char *q;                         /* the search as typed ("" for none) */
    const char *role, *agency, *state;     /* filters as in the URL ("" none): system|agency,
                                              an agency code, active|disabled|locked */
    const char *list_error;                /* why a list parameter was refused (Thai), or NULL */
    long offset;                           /* the first row shown, from 0 */
    struct list_view lv;                   /* the list's URL state (filters, sort, page, total) */
};

#define ACCOUNTS_SORT_KEYS                                                                         \
    {                                                                                              \
        "email", "agency", "role", "last", NULL                                                    \
    }

/* /admin/users: the create form (the role an explicit choice for system administrators; an
 * agency administrator adds colleagues of the own agency), the search and filters (role and
 * agency for system administrators, state), the sort links, "แสดง 1–50 จาก 8,312" with the
 * numbered pager, and one card per sql_users_page row with its state in Thai, its last sign-in
 * and its actions; every action carries the list's state (v->lv) so it comes back to it. */
void accounts_view_users(struct strbuf *p, const struct accounts_users_view *v,
                         const PGresult *users);

/* The confirmation before disabling (reset false) or setting a new password for (reset true)
 * the sql_user_one row: what will happen, the confirm button and the way back to the list as it
 * was (back: its state, carried in the form). */
void accounts_view_confirm(struct strbuf *p, const char *csrf, bool reset, const PGresult *one,
                           const struct list_view *back);

/* After a new password was set by an administrator: the e-mail and the password, shown once,
 * and the way back to the list as it was. */
void accounts_view_reset_done(struct strbuf *p, const char *email, const char *password,
                              const struct list_view *back);

/* /admin/password: one's own password change form; error (or NULL) above it, or done. */
void accounts_view_password(struct strbuf *p, const char *csrf, const char *error, bool done);

#endif
