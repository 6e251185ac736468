/* The statements of app/ (app_sql.c): text, parameter count and result columns, declared once. */
#ifndef ITA_APP_SQL_H
#define ITA_APP_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* Parameters: <NAME>_P_<WHAT> in order, then <NAME>_NPARAMS. Result columns: <NAME>_<WHAT> in
 * order, then <NAME>_NCOLS (read with db/db_row.h by name). */

/* sql_health: no parameters → one row if the database answers */
extern const struct db_statement sql_health;
enum { HEALTH_NPARAMS };
enum { HEALTH_OK, HEALTH_NCOLS };

/* sql_rollup: k (results_min_responses) → the number of waiting rows ita_rollup() took */
extern const struct db_statement sql_rollup;
enum { ROLLUP_P_K, ROLLUP_NPARAMS };
enum { ROLLUP_TAKEN, ROLLUP_NCOLS };

/* sql_rollup_vacuum: no parameters, no result columns */
extern const struct db_statement sql_rollup_vacuum;
enum { ROLLUP_VACUUM_NPARAMS };
enum { ROLLUP_VACUUM_NCOLS };

/* sql_purge_nonces: no parameters, no result columns (the command tag counts the rows) */
extern const struct db_statement sql_purge_nonces;
enum { PURGE_NONCES_NPARAMS };
enum { PURGE_NONCES_NCOLS };

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const app_statements_list[];
extern const size_t app_statements_count;

#endif
