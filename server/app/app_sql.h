/* The statements of app/ (app_sql.c): text, parameter count and result columns, declared once. */
#ifndef ITA_APP_SQL_H
#define ITA_APP_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

extern const struct db_statement sql_health;
extern const struct db_statement sql_rollup;
extern const struct db_statement sql_purge_nonces;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const app_statements_list[];
extern const size_t app_statements_count;

#endif
