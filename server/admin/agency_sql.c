/* SQL of creating, editing and importing agencies (agency_edit.c). */
#include "agency_sql.h"

/* Editing agency $1 within scope ($6 system, $7 own agency): a system administrator may also
 * change the code ($2) and parent (code $5, '' for none); an agency administrator only the
 * Thai name and type. Returns the id (NULL when not found) and whether the parent exists. */
DB_STATEMENT(agency_update, AGENCY_UPDATE,
             "WITH p AS (SELECT id FROM agency WHERE code = nullif($5, '')),"
             " u AS (UPDATE agency a SET code = CASE WHEN $6::boolean THEN $2 ELSE a.code END,"
             "  name_th = $3, kind = $4, updated_at = now(),"
             "  parent_id = CASE WHEN $6::boolean THEN (SELECT id FROM p) ELSE a.parent_id END"
             "  WHERE a.id = $1::int AND ($6::boolean OR a.id = $7::int)"
             "  AND (nullif($5, '') IS NULL OR NOT $6::boolean OR EXISTS (SELECT 1 FROM p)) "
             "RETURNING a.id)"
             " SELECT (SELECT id FROM u), nullif($5, '') IS NULL OR EXISTS (SELECT 1 FROM p)");
/* A new agency (code $1 must be new; parent code $4 must exist when given): its id, or no
 * row when the parent does not exist. */
DB_STATEMENT(agency_create, AGENCY_CREATE,
             "WITH a AS (INSERT INTO agency (code, name_th, kind, parent_id)"
             "  SELECT $1, $2, $3, (SELECT id FROM agency WHERE code = nullif($4, ''))"
             "  WHERE nullif($4, '') IS NULL OR EXISTS (SELECT 1 FROM agency WHERE code = $4) "
             "RETURNING id),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id) SELECT $5::int, "
             "'agency_create', id FROM a)"
             " SELECT id, true FROM a");
/* An agency list (or one agency) as column arrays, in one statement (sql/0005). */
DB_BULK_STATEMENT(
    agencies_import, AGENCIES_IMPORT,
    "WITH r AS (SELECT * FROM ita_import_agencies($1::text[], $2::text[], $3::text[], "
    "$4::text[])),"
    " log AS (INSERT INTO audit_log (admin_id, action, detail)"
    "  SELECT $5::int, 'agencies_import', jsonb_build_object('inserted', inserted, "
    "'updated', updated)"
    "  FROM r)"
    " SELECT inserted, updated, (SELECT id FROM agency WHERE code = ($1::text[])[1]) FROM r");

/* Where agency $1's fiscal year $2 stands, for the checklist of its page: the year's settings,
 * the lists (how many contacts, how many with a personal link), the live public links, the OIT
 * items marked of those in the instrument, the draft measures. Counts only: nothing here comes
 * from a response. */
DB_STATEMENT(
    agency_checklist, AGENCY_CHECKLIST,
    "SELECT v.fiscal_year IS NOT NULL AS has_version, y.agency_id IS NOT NULL AS year_set,"
    " coalesce(to_char(y.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), '') AS opens_on,"
    " coalesce(to_char((y.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 day', "
    "'YYYY-MM-DD'), '') AS last_day,"
    " CASE WHEN y.agency_id IS NULL THEN '' WHEN now() < y.opens_at THEN 'before'"
    "  WHEN now() < y.closes_at THEN 'open' ELSE 'closed' END AS window_state,"
    " coalesce(((y.closes_at AT TIME ZONE 'Asia/Bangkok')::date"
    "  - (now() AT TIME ZONE 'Asia/Bangkok')::date), 0) AS days_to_close,"
    " coalesce(((y.opens_at AT TIME ZONE 'Asia/Bangkok')::date"
    "  - (now() AT TIME ZONE 'Asia/Bangkok')::date), 0) AS days_to_open,"
    " y.staff_population IS NOT NULL AS staff_known,"
    " (SELECT count(*) FROM contact c WHERE c.agency_id = $1::int AND c.fiscal_year = $2::smallint"
    "  AND c.instrument = 'IIT') AS iit_contacts,"
    " (SELECT count(*) FROM contact c WHERE c.agency_id = $1::int AND c.fiscal_year = $2::smallint"
    "  AND c.instrument = 'IIT' AND c.link_generation > 0) AS iit_issued,"
    " (SELECT count(*) FROM contact c WHERE c.agency_id = $1::int AND c.fiscal_year = $2::smallint"
    "  AND c.instrument = 'EIT') AS eit_contacts,"
    " (SELECT count(*) FROM survey_link l WHERE l.agency_id = $1::int"
    "  AND l.fiscal_year = $2::smallint AND l.revoked_at IS NULL) AS public_links,"
    " (SELECT count(*) FROM oit_result o WHERE o.agency_id = $1::int"
    "  AND o.fiscal_year = $2::smallint) AS oit_marked,"
    " coalesce(jsonb_array_length(v.document -> 'oit' -> 'items'), 0) AS oit_items,"
    " (SELECT count(*) FROM improvement_measure m WHERE m.agency_id = $1::int"
    "  AND m.fiscal_year = $2::smallint) AS measures"
    " FROM (SELECT) AS one"
    " LEFT JOIN instrument_version v ON v.fiscal_year = $2::smallint"
    " LEFT JOIN agency_year y ON y.agency_id = $1::int AND y.fiscal_year = $2::smallint");

const struct db_statement *const agency_statements[] = {
    &sql_agency_update, &sql_agency_create, &sql_agencies_import, &sql_agency_checklist};
const size_t agency_statements_count = sizeof agency_statements / sizeof agency_statements[0];
