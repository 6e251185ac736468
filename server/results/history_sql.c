/* SQL of the past-results pages (see history_sql.h). */
#include "history_sql.h"

/* the rating level names of every loaded instrument from 2567, a line per year */
#define TIERS                                                                                      \
    " coalesce((SELECT string_agg(v.fiscal_year::text || E'\\t' || (SELECT"                        \
    "  string_agg(l ->> 'name_th', E'\\t' ORDER BY n) FROM jsonb_array_elements("                  \
    "  v.document -> 'rating' -> 'levels') WITH ORDINALITY AS t(l, n)), E'\\n'"                    \
    "  ORDER BY v.fiscal_year) FROM instrument_version v WHERE v.fiscal_year >= 2567), '')"

DB_STATEMENT(
    history_agency, HISTORY_AGENCY,
    "SELECT a.id, a.code, a.name_th," TIERS
    " FROM agency a WHERE (a.id = $1::int OR a.code = $2) AND ($3::boolean OR a.id = $4::int)");
DB_STATEMENT(history_list, HISTORY_LIST,
             "SELECT r.fiscal_year::text, r.total::text, r.iit::text, r.eit::text, r.oit::text,"
             " array_to_string(r.indicators, ','), r.rating, r.source, coalesce(u.email, ''),"
             " to_char(r.entered_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI')"
             " FROM agency_result r LEFT JOIN admin_user u ON u.id = r.entered_by"
             " WHERE r.agency_id = $1::int ORDER BY r.fiscal_year DESC");
DB_STATEMENT(
    history_save, HISTORY_SAVE,
    "WITH old AS (SELECT 1 FROM agency_result WHERE agency_id = $1::int AND fiscal_year = "
    "$2::smallint),"
    " up AS (INSERT INTO agency_result (agency_id, fiscal_year, total, iit, eit, oit, indicators,"
    "  rating, source, entered_by, entered_at)"
    "  VALUES ($1::int, $2::smallint, $3::numeric, $4::numeric, $5::numeric, $6::numeric,"
    "  $7::numeric(5, 2)[], $8, $9, $10::int, now())"
    "  ON CONFLICT (agency_id, fiscal_year) DO UPDATE SET total = EXCLUDED.total,"
    "  iit = EXCLUDED.iit, eit = EXCLUDED.eit, oit = EXCLUDED.oit, indicators = "
    "EXCLUDED.indicators,"
    "  rating = EXCLUDED.rating, source = EXCLUDED.source, entered_by = EXCLUDED.entered_by,"
    "  entered_at = now() RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $10::int, CASE $9 WHEN 'published' THEN 'result_publish' ELSE 'result_history_save'"
    "  END, $1::int, $2::smallint, jsonb_build_object('total', $3::text, 'rating', $8::text,"
    "  'replaced', EXISTS (SELECT 1 FROM old)) FROM up)"
    " SELECT EXISTS (SELECT 1 FROM old) FROM up");
DB_STATEMENT(history_delete, HISTORY_DELETE,
             "WITH del AS (DELETE FROM agency_result WHERE agency_id = $1::int"
             "  AND fiscal_year = $2::smallint RETURNING total::text, rating),"
             " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
             "  SELECT $3::int, 'result_history_delete', $1::int, $2::smallint,"
             "  jsonb_build_object('total', total, 'rating', rating) FROM del)"
             " SELECT count(*) FROM del");
DB_STATEMENT(history_codes, HISTORY_CODES,
             "SELECT coalesce(string_agg(code, E'\\n'), ''), " TIERS " FROM agency"
             " WHERE $1::boolean OR id = $2::int");
DB_BULK_STATEMENT(
    history_import, HISTORY_IMPORT,
    "WITH t AS (SELECT a.id AS agency_id, y::smallint AS fiscal_year, tot::numeric AS total,"
    "  i::numeric AS iit, e::numeric AS eit, o::numeric AS oit, ind::numeric(5, 2)[] AS indicators,"
    "  r AS rating FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
    "  $10::text[], $11::text[], $12::text[]) AS u(c, y, tot, i, e, o, ind, r)"
    "  JOIN agency a ON a.code = u.c AND ($2::boolean OR a.id = $3::int)),"
    " up AS (INSERT INTO agency_result (agency_id, fiscal_year, total, iit, eit, oit, indicators,"
    "  rating, source, entered_by, entered_at)"
    "  SELECT agency_id, fiscal_year, total, iit, eit, oit, indicators, rating, 'imported',"
    "  $1::int, now() FROM t"
    "  ON CONFLICT (agency_id, fiscal_year) DO UPDATE SET total = EXCLUDED.total,"
    "  iit = EXCLUDED.iit, eit = EXCLUDED.eit, oit = EXCLUDED.oit, indicators = "
    "EXCLUDED.indicators,"
    "  rating = EXCLUDED.rating, source = EXCLUDED.source, entered_by = EXCLUDED.entered_by,"
    "  entered_at = now() RETURNING agency_id),"
    " n AS (SELECT count(*) AS rows, count(DISTINCT agency_id) AS agencies FROM up),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
    "  SELECT $1::int, 'result_history_import', $4::int,"
    "  jsonb_build_object('rows', n.rows, 'agencies', n.agencies) FROM n)"
    " SELECT rows, agencies FROM n");

const struct db_statement *const history_statements[] = {
    &sql_history_agency, &sql_history_list,  &sql_history_save,
    &sql_history_delete, &sql_history_codes, &sql_history_import,
};
const size_t history_statements_count = sizeof history_statements / sizeof history_statements[0];
