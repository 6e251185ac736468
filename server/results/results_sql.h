/* The statements of results/ (results_sql.c): text, parameter count and result columns, declared once. */
#ifndef ITA_RESULTS_SQL_H
#define ITA_RESULTS_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

extern const struct db_statement sql_res_version;
extern const struct db_statement sql_res_data;
extern const struct db_statement sql_res_measures;
extern const struct db_statement sql_res_oit_save;
extern const struct db_statement sql_res_measures_save;
extern const struct db_statement sql_res_audit;
extern const struct db_statement sql_res_manifest;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const results_statements[];
extern const size_t results_statements_count;

#endif
