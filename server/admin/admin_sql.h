/* The statements of the administrator pages (admin_sql.c): text, parameter count and result
 * columns, declared once. */
#ifndef ITA_ADMIN_SQL_H
#define ITA_ADMIN_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

extern const struct db_statement sql_admin_by_email;
extern const struct db_statement sql_admin_login_ok;
extern const struct db_statement sql_admin_login_fail;
extern const struct db_statement sql_session_user;
extern const struct db_statement sql_api_token_user;
extern const struct db_statement sql_session_revoke;
extern const struct db_statement sql_admin_agencies;
extern const struct db_statement sql_admin_agency;
extern const struct db_statement sql_tokens_list;
extern const struct db_statement sql_token_create;
extern const struct db_statement sql_token_revoke;
extern const struct db_statement sql_users_list;
extern const struct db_statement sql_user_create;
extern const struct db_statement sql_user_disable;
extern const struct db_statement sql_admin_agency_links;
extern const struct db_statement sql_admin_link;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const admin_statements[];
extern const size_t admin_statements_count;

#endif
