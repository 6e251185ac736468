/* SQL of the results pages: the instrument version and tallies scores are computed from, OIT
 * marks, improvement measures, the audit log of exports and the signed manifest. */
#include "results_sql.h"

DB_STATEMENT(res_version, RES_VERSION,
             "SELECT revision, document::text, sha256, unverified_items FROM instrument_version"
             " WHERE fiscal_year = $1::smallint");
/* Per agency of the year in scope ($4 one agency, or NULL: every agency with a year row,
 * responses or OIT marks): tallies as counted so far, whether each instrument is sealed (its
 * window closed and its last responses counted; with no tally yet: whether its window has
 * closed), the last day of the agency's window, and the response-set digest sums of the rows
 * that may be shown ($5: k), read in one snapshot; populations (-1: not entered) and the OIT
 * marks as JSON. */
DB_STATEMENT(
    res_data, RES_DATA,
    "WITH t AS MATERIALIZED (SELECT * FROM ita_tallies($1::smallint, $4::int)),"
    " d AS MATERIALIZED (SELECT * FROM ita_response_digest($1::smallint, $4::int, $5::int))"
    " SELECT a.id, a.code, a.name_th, coalesce(ti.responses, 0) AS iit_responses, "
    "ti.counts::text AS iit_counts,"
    " coalesce(te.responses, 0) AS eit_responses, te.counts::text AS eit_counts,"
    " coalesce(ti.sealed, ita_window_closed(a.id, $1::smallint, 'IIT')) AS iit_sealed,"
    " coalesce(te.sealed, ita_window_closed(a.id, $1::smallint, 'EIT')) AS eit_sealed,"
    " coalesce(to_char((ay.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 day',"
    " 'YYYY-MM-DD'), '') AS last_day,"
    " coalesce(ay.staff_population, -1) AS staff_population, coalesce(ay.eit_population, -1) "
    "AS eit_population,"
    " (SELECT json_agg(json_build_object('code', o.item_code, 'met', o.met, 'url', "
    "o.evidence_url,"
    "   'note', o.note, 'at', to_char(o.entered_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD "
    "HH24:MI'),"
    "   'by', coalesce(u.email, '')) ORDER BY o.item_code)::text"
    "  FROM oit_result o LEFT JOIN admin_user u ON u.id = o.entered_by"
    "  WHERE o.agency_id = a.id AND o.fiscal_year = $1::smallint) AS oit,"
    " coalesce(d.responses, 0) AS digest_rows, d.s1::text, d.s2::text, d.s3::text, d.s4::text"
    " FROM agency a"
    " LEFT JOIN agency_year ay ON ay.agency_id = a.id AND ay.fiscal_year = $1::smallint"
    " LEFT JOIN t ti ON ti.agency_id = a.id AND ti.instrument = 'IIT'"
    " LEFT JOIN t te ON te.agency_id = a.id AND te.instrument = 'EIT'"
    " LEFT JOIN d ON d.agency_id = a.id"
    " WHERE ($2::boolean OR a.id = $3::int) AND ($4::int IS NULL OR a.id = $4::int)"
    " AND ($4::int IS NOT NULL OR ay.agency_id IS NOT NULL OR ti.agency_id IS NOT NULL"
    "  OR te.agency_id IS NOT NULL OR EXISTS (SELECT 1 FROM oit_result o"
    "  WHERE o.agency_id = a.id AND o.fiscal_year = $1::smallint))"
    " ORDER BY a.code");
DB_STATEMENT(
    res_measures, RES_MEASURES,
    "SELECT (SELECT json_agg(json_build_object('measure', m.measure, 'method', m.method,"
    " 'responsible', m.responsible, 'period', m.period, 'follow_up', m.follow_up)"
    " ORDER BY m.position)::text FROM improvement_measure m JOIN agency a ON a.id = m.agency_id"
    " WHERE m.agency_id = $1::int AND m.fiscal_year = $2::smallint AND ($3::boolean OR a.id = "
    "$4::int)) AS measures");
/* OIT marks of the items in the arrays ($6 't', 'f', or '' = not assessed: row removed);
 * rows change only when something differs; the save is logged. */
DB_STATEMENT(
    res_oit_save, RES_OIT_SAVE,
    "WITH a AS (SELECT id FROM agency WHERE id = $1::int AND ($2::boolean OR id = $3::int)),"
    " i AS (SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS u(code, "
    "met, url, note)),"
    " del AS (DELETE FROM oit_result o USING a, i WHERE o.agency_id = a.id"
    "  AND o.fiscal_year = $4::smallint AND o.item_code = i.code AND i.met = '' RETURNING 1),"
    " up AS (INSERT INTO oit_result AS o (agency_id, fiscal_year, item_code, met, "
    "evidence_url, note, entered_by)"
    "  SELECT a.id, $4::smallint, i.code, i.met::boolean, i.url, i.note, $9::int FROM a, i "
    "WHERE i.met <> ''"
    "  ON CONFLICT (agency_id, fiscal_year, item_code) DO UPDATE SET met = excluded.met,"
    "  evidence_url = excluded.evidence_url, note = excluded.note, entered_by = "
    "excluded.entered_by,"
    "  entered_at = now() WHERE (o.met, o.evidence_url, o.note)"
    "  IS DISTINCT FROM (excluded.met, excluded.evidence_url, excluded.note) RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $9::int, 'oit_set', a.id, $4::smallint, jsonb_build_object('items', "
    "cardinality($5::text[]),"
    "  'saved', (SELECT count(*) FROM up), 'cleared', (SELECT count(*) FROM del)) FROM a "
    "RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM a) AS found, (SELECT count(*) FROM up) AS saved, (SELECT "
    "count(*) FROM del) AS cleared");
/* The measures table replaced as a whole: rows 1..n upserted, rows beyond n removed. */
DB_STATEMENT(
    res_measures_save, RES_MEASURES_SAVE,
    "WITH a AS (SELECT id FROM agency WHERE id = $1::int AND ($2::boolean OR id = $3::int)),"
    " del AS (DELETE FROM improvement_measure m USING a WHERE m.agency_id = a.id"
    "  AND m.fiscal_year = $4::smallint AND m.position > cardinality($5::text[]) RETURNING 1),"
    " ins AS (INSERT INTO improvement_measure AS m (agency_id, fiscal_year, position, measure, "
    "method,"
    "  responsible, period, follow_up, updated_by)"
    "  SELECT a.id, $4::smallint, u.n, u.measure, u.method, u.responsible, u.period, "
    "u.follow_up, $10::int"
    "  FROM a, unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH "
    "ORDINALITY"
    "  AS u(measure, method, responsible, period, follow_up, n)"
    "  ON CONFLICT (agency_id, fiscal_year, position) DO UPDATE SET measure = excluded.measure,"
    "  method = excluded.method, responsible = excluded.responsible, period = excluded.period,"
    "  follow_up = excluded.follow_up, updated_by = excluded.updated_by, updated_at = now() "
    "RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $10::int, 'measures_set', a.id, $4::smallint,"
    "  jsonb_build_object('rows', cardinality($5::text[])) FROM a RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM a) AS found, (SELECT count(*) FROM ins) AS saved");
/* Every export is logged, with its signed manifest, before the file is sent. */
DB_STATEMENT(
    res_audit, RES_AUDIT,
    "INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    " VALUES ($1::int, $2::text, $3::int, $4::smallint, jsonb_build_object('format', $5::text,"
    " 'scope', $6::text, 'file_sha256', $7::text, 'bytes', $8::bigint, 'agencies', $9::int,"
    " 'manifest', $10::text, 'file_name', $11::text)) RETURNING id");
DB_STATEMENT(res_manifest, RES_MANIFEST,
             "SELECT detail->>'manifest' AS manifest, detail->>'file_name' AS file_name FROM "
             "audit_log WHERE id = $1::bigint"
             " AND action LIKE 'export%' AND detail ? 'manifest' AND ($2::boolean OR agency_id = "
             "$3::int)");

/* The history chart's rows: totals as published (two decimals), scope checked like every other
 * statement here. */
DB_STATEMENT(res_history, RES_HISTORY,
             "SELECT r.fiscal_year, r.total::text AS total, r.rating, r.source"
             " FROM agency_result r JOIN agency a ON a.id = r.agency_id"
             " WHERE r.agency_id = $1::int AND ($2::boolean OR a.id = $3::int)"
             " AND r.fiscal_year >= 2561 AND r.fiscal_year < $4::smallint"
             " ORDER BY r.fiscal_year");

const struct db_statement *const results_statements[] = {
    &sql_res_version,       &sql_res_data,  &sql_res_measures, &sql_res_oit_save,
    &sql_res_measures_save, &sql_res_audit, &sql_res_manifest, &sql_res_history,
};
const size_t results_statements_count = sizeof results_statements / sizeof results_statements[0];
