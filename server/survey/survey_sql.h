/* The statements of survey/ (survey_sql.c): text, parameter count and result columns, declared once. */
#ifndef ITA_SURVEY_SQL_H
#define ITA_SURVEY_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

extern const struct db_statement sql_link_by_slug;
extern const struct db_statement sql_link_by_token;
extern const struct db_statement sql_version_doc;
extern const struct db_statement sql_submit_public;
extern const struct db_statement sql_submit_personal;
extern const struct db_statement sql_nonce_used;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const survey_statements[];
extern const size_t survey_statements_count;

#endif
