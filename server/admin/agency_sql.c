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

const struct db_statement *const agency_statements[] = {&sql_agency_update, &sql_agency_create,
                                                        &sql_agencies_import};
const size_t agency_statements_count = sizeof agency_statements / sizeof agency_statements[0];
