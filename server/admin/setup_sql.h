/* The statements of setting up a fiscal year (setup_sql.c): text, parameter count and result
 * columns, declared once. */
#ifndef ITA_SETUP_SQL_H
#define ITA_SETUP_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

extern const struct db_statement sql_setup_view;
extern const struct db_statement sql_year_save;
extern const struct db_statement sql_contacts_import;
extern const struct db_statement sql_contacts_list;
extern const struct db_statement sql_links_unissued;
extern const struct db_statement sql_links_issue;
extern const struct db_statement sql_mailmerge;
extern const struct db_statement sql_contact_get;
extern const struct db_statement sql_link_reissue;
extern const struct db_statement sql_contacts_purge;
extern const struct db_statement sql_progress;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const setup_statements[];
extern const size_t setup_statements_count;

#endif
