/* SQL of the national view (national.c): one fiscal year for every agency in one statement,
 * per-agency counts from the tallies (response_tally, never the 5 M response rows), the OIT marks
 * and the published results; the year's sample rule, OIT item count and rating levels first. */
#include "national_sql.h"

/* Only $1 takes part in the plan: the search is a column (hit) and the type, parent and state
 * filters are applied in C, so the generic plan a prepared statement switches to after five runs
 * is the same as the custom one (a parameter in the WHERE clause once made it a nested loop over
 * the tallies for every agency, seconds instead of milliseconds).
 * Responses are the counted ones (response_tally), the same figures the progress page shows;
 * what waits in the inbox or for its group of k is not read. */
DB_STATEMENT(
    national_year, NATIONAL,
    "SELECT 0 AS o, NULL::int AS id, ''::text AS code, ''::text AS name, ''::text AS kind,"
    " ''::text AS parent, false AS set, ''::text AS opens_on, ''::text AS closes_on,"
    " NULL::int AS staff_population, NULL::int AS eit_population, 0::bigint AS iit,"
    " 0::bigint AS eit, 0::bigint AS oit_assessed, NULL::text AS total, ''::text AS rating,"
    " (v.document -> 'sample_rule')::text AS sample_rule,"
    " coalesce(jsonb_array_length(v.document -> 'oit' -> 'items'), 0) AS oit_items,"
    " coalesce((SELECT json_agg(l.v ->> 'name_th')::text"
    "  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v.document -> 'rating' -> 'levels')"
    "   = 'array' THEN v.document -> 'rating' -> 'levels' ELSE '[]'::jsonb END) AS l(v)),"
    "  '[]') AS levels, false AS hit"
    " FROM instrument_version v WHERE v.fiscal_year = $1::smallint"
    " UNION ALL"
    " SELECT 1, a.id, a.code, a.name_th, a.kind, coalesce(p.code, ''), y.agency_id IS NOT NULL,"
    " coalesce(to_char(y.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), ''),"
    " coalesce(to_char((y.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 day',"
    "  'YYYY-MM-DD'), ''),"
    " y.staff_population, y.eit_population, coalesce(t.iit, 0), coalesce(t.eit, 0),"
    " coalesce(o.n, 0), r.total::text, coalesce(r.rating, ''), NULL, NULL, NULL,"
    " ($2 = '' OR a.code ILIKE $2 OR a.name_th ILIKE $2)"
    " FROM agency a"
    " LEFT JOIN agency p ON p.id = a.parent_id"
    " LEFT JOIN agency_year y ON y.agency_id = a.id AND y.fiscal_year = $1::smallint"
    " LEFT JOIN (SELECT agency_id,"
    "   sum(responses) FILTER (WHERE instrument = 'IIT')::bigint AS iit,"
    "   sum(responses) FILTER (WHERE instrument = 'EIT')::bigint AS eit"
    "  FROM response_tally WHERE fiscal_year = $1::smallint GROUP BY agency_id) t"
    "  ON t.agency_id = a.id"
    " LEFT JOIN (SELECT agency_id, count(*) AS n FROM oit_result"
    "  WHERE fiscal_year = $1::smallint GROUP BY agency_id) o ON o.agency_id = a.id"
    " LEFT JOIN agency_result r ON r.agency_id = a.id AND r.fiscal_year = $1::smallint"
    " WHERE EXISTS (SELECT 1 FROM instrument_version x WHERE x.fiscal_year = $1::smallint)"
    " ORDER BY 1");

const struct db_statement *const national_statements[] = {&sql_national_year};
const size_t national_statements_count = sizeof national_statements / sizeof national_statements[0];
