/* SQL of the printed link slips (slips.c): the contacts to print and the audit row of the
 * download, in one statement. */
#include "slips_sql.h"

DB_STATEMENT(slips_list, SLIPS_LIST,
             "WITH sel AS (SELECT id, link_generation, name, unit FROM contact"
             "  WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
             "  AND ($5::boolean OR email = '')),"
             " c AS (SELECT id, link_generation, name, unit FROM sel WHERE link_generation > 0),"
             " t AS (SELECT count(*) AS total,"
             "  count(*) FILTER (WHERE link_generation > 0) AS with_link FROM sel),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             "  SELECT $4::int, 'links_slips', $1::int, $2::smallint,"
             "  jsonb_build_object('instrument', $3::text, 'who',"
             "  CASE WHEN $5::boolean THEN 'all' ELSE 'noemail' END, 'count', t.with_link)"
             "  FROM t WHERE t.with_link > 0)"
             " SELECT t.total, t.with_link, c.id, c.link_generation, c.name, c.unit"
             " FROM t LEFT JOIN c ON true ORDER BY c.unit, c.name, c.id");

const struct db_statement *const slips_statements[] = {&sql_slips_list};
const size_t slips_statements_count = sizeof slips_statements / sizeof slips_statements[0];
