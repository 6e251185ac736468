/* The HTML of the accounts pages (accounts_view.c): pure functions writing the page body (after
 * admin_page_begin's frame) into a strbuf from the listing statements' rows. */
#ifndef ITA_ADMIN_ACCOUNTS_VIEW_H
#define ITA_ADMIN_ACCOUNTS_VIEW_H

#include "strbuf.h"

#include <libpq-fe.h>

/* /admin/tokens: fresh (a token just created, shown once) or NULL, the form to create one and
 * the sql_tokens_list rows with their revoke buttons. csrf: the session's CSRF token. */
void accounts_view_tokens(struct strbuf *p, const char *csrf, const char *fresh,
                          const PGresult *tokens);

/* An account just created: what the page shows once. */
struct accounts_new_user {
    const char *email;
    const char *password;
};

/* /admin/users: shown (or NULL), the form to create an account and the sql_users_list rows with
 * their disable buttons (none on self_id, the signed-in administrator's own account). */
void accounts_view_users(struct strbuf *p, const char *csrf, const struct accounts_new_user *shown,
                         int self_id, const PGresult *users);

#endif
