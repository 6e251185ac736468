/* SQL of the application layer: the health check and the periodic maintenance that worker 0
 * runs (rollup of the response inbox, the vacuum that follows it, removal of expired form
 * nonces). */
#include "app_sql.h"

DB_STATEMENT(health, HEALTH, "SELECT 1 AS ok");
/* JIT off for this transaction (set before ita_rollup runs: a volatile subquery is not
 * flattened): compiling its plans cost more than the work, ~25 ms a call at 5,000 rows */
DB_STATEMENT(rollup, ROLLUP,
             "SELECT ita_rollup($1::int) AS taken"
             " FROM (SELECT set_config('jit', 'off', true)) AS no_jit");
/* After a tick that took rows: their dead versions (the inbox's carry the submitting
 * transaction's id, the same as the spent token's) go at once, not when autovacuum gets to
 * them. Not in a transaction block: the pool sends it alone. */
DB_STATEMENT(rollup_vacuum, ROLLUP_VACUUM, "VACUUM response_inbox, response_pending");
DB_STATEMENT(purge_nonces, PURGE_NONCES, "DELETE FROM used_nonce WHERE expires_on < current_date");

const struct db_statement *const app_statements_list[] = {&sql_health, &sql_rollup,
                                                          &sql_rollup_vacuum, &sql_purge_nonces};
const size_t app_statements_count = sizeof app_statements_list / sizeof app_statements_list[0];
