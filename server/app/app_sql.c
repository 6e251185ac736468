/* SQL of the application layer: the health check and the periodic maintenance that worker 0
 * runs (rollup of the response inbox, removal of expired form nonces). */
#include "app_sql.h"

DB_STATEMENT(health, HEALTH, "SELECT 1 AS ok");
/* JIT off for this transaction (set before ita_rollup runs: a volatile subquery is not
 * flattened): compiling its plans cost more than the work, ~25 ms a call at 5,000 rows */
DB_STATEMENT(rollup, ROLLUP,
             "SELECT ita_rollup() AS moved FROM (SELECT set_config('jit', 'off', true)) AS no_jit");
DB_STATEMENT(purge_nonces, PURGE_NONCES, "DELETE FROM used_nonce WHERE expires_on < current_date");

const struct db_statement *const app_statements_list[] = {&sql_health, &sql_rollup,
                                                          &sql_purge_nonces};
const size_t app_statements_count = sizeof app_statements_list / sizeof app_statements_list[0];
