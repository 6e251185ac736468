/* SQL of the O42 report (o42_sql.h): its inputs in one row and the clerk's texts. */
#include "o42_sql.h"

/* The clerk's texts of agency a.id's year $1 as JSON (o42_texts_parse). */
#define O42_TEXTS_JSON(YEAR)                                                                       \
    "(SELECT json_build_object('objectives', t.objectives, 'benefits', t.benefits,"                \
    " 'coordinator', t.coordinator, 'timetable', t.timetable,"                                     \
    " 'suggestions', (SELECT json_object_agg(s.question_code, s.text) FROM report_suggestion s"    \
    "  WHERE s.agency_id = a.id AND s.fiscal_year = " YEAR "))"                                    \
    " FROM (SELECT 1) x LEFT JOIN report_text t ON t.agency_id = a.id"                             \
    " AND t.fiscal_year = " YEAR ")::text"

DB_STATEMENT(
    o42_inputs, O42_IN,
    "SELECT a.id, a.code, a.name_th,"
    " EXISTS (SELECT 1 FROM instrument_version WHERE fiscal_year = $1::smallint) AS has_version,"
    " (SELECT document::text FROM instrument_version WHERE fiscal_year >= $1::smallint"
    "  ORDER BY fiscal_year LIMIT 1) AS version,"
    " (SELECT document::text FROM instrument_version WHERE fiscal_year = $1::smallint + 1)"
    "  AS next_version,"
    " r.agency_id IS NOT NULL AS stored, r.total::text AS total, r.iit::text AS iit,"
    " r.eit::text AS eit, r.oit::text AS oit, r.indicators::text AS indicators,"
    " coalesce(r.rating, '') AS rating, " O42_TEXTS_JSON(
        "$1::smallint") " AS texts,"
                        " (SELECT json_agg(json_build_object('item', w.item_code, 'unit', "
                        "u.name_th)"
                        "   ORDER BY w.item_code, u.position, u.id)::text"
                        "  FROM oit_assignment w JOIN org_unit u ON u.agency_id = w.agency_id AND "
                        "u.id = w.unit_id"
                        "  WHERE w.agency_id = a.id AND w.fiscal_year = $1::smallint + 1) AS "
                        "assignments,"
                        " (SELECT json_agg(json_build_object('measure', m.measure, 'method', "
                        "m.method,"
                        "   'responsible', m.responsible, 'period', m.period, 'follow_up', "
                        "m.follow_up)"
                        "   ORDER BY m.position)::text FROM improvement_measure m"
                        "  WHERE m.agency_id = a.id AND m.fiscal_year = $1::smallint) AS measures,"
                        " (SELECT json_agg(json_build_object('year', h.fiscal_year, 'total', "
                        "h.total::text,"
                        "   'rating', h.rating, 'source', h.source) ORDER BY h.fiscal_year)::text"
                        "  FROM agency_result h WHERE h.agency_id = a.id AND h.fiscal_year >= 2561"
                        "  AND h.fiscal_year < $1::smallint) AS history"
                        " FROM agency a LEFT JOIN agency_result r ON r.agency_id = a.id"
                        " AND r.fiscal_year = $1::smallint"
                        " WHERE a.id = $2::int AND ($3::boolean OR a.id = $4::int)");

DB_STATEMENT(
    o42_texts, O42_TX,
    "SELECT " O42_TEXTS_JSON(
        "$2::smallint") " AS texts,"
                        " (SELECT document::text FROM instrument_version WHERE fiscal_year = "
                        "$2::smallint + 1)"
                        "  AS next_version"
                        " FROM agency a WHERE a.id = $1::int AND ($3::boolean OR a.id = $4::int)");

DB_STATEMENT(
    o42_texts_save, O42_SAVE,
    "WITH a AS (SELECT id FROM agency WHERE id = $1::int AND ($2::boolean OR id = $3::int)),"
    " t AS (INSERT INTO report_text AS r (agency_id, fiscal_year, objectives, benefits,"
    "  coordinator, timetable, updated_by)"
    "  SELECT a.id, $4::smallint, $5::text, $6::text, $7::text, $8::jsonb, $11::int FROM a"
    "  ON CONFLICT (agency_id, fiscal_year) DO UPDATE SET objectives = excluded.objectives,"
    "  benefits = excluded.benefits, coordinator = excluded.coordinator,"
    "  timetable = excluded.timetable, updated_by = excluded.updated_by, updated_at = now()"
    "  RETURNING 1),"
    " u AS (SELECT * FROM unnest($9::text[], $10::text[]) AS u(code, text)),"
    " del AS (DELETE FROM report_suggestion s USING a, u WHERE s.agency_id = a.id"
    "  AND s.fiscal_year = $4::smallint AND s.question_code = u.code AND u.text IS NULL"
    "  RETURNING 1),"
    " up AS (INSERT INTO report_suggestion AS s (agency_id, fiscal_year, question_code, text,"
    "  updated_by) SELECT a.id, $4::smallint, u.code, u.text, $11::int FROM a, u"
    "  WHERE u.text IS NOT NULL ON CONFLICT (agency_id, fiscal_year, question_code) DO UPDATE"
    "  SET text = excluded.text, updated_by = excluded.updated_by, updated_at = now()"
    "  WHERE s.text IS DISTINCT FROM excluded.text RETURNING 1),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    "  SELECT $11::int, 'report_text_set', a.id, $4::smallint, jsonb_build_object("
    "  'objectives', $5::text IS NOT NULL, 'benefits', $6::text IS NOT NULL,"
    "  'coordinator', $7::text IS NOT NULL,"
    "  'timetable_rows', coalesce(jsonb_array_length($8::jsonb), -1),"
    "  'suggestions_saved', (SELECT count(*) FROM up),"
    "  'suggestions_reset', (SELECT count(*) FROM del)) FROM a RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM a) AS found");

const struct db_statement *const o42_statements[] = {
    &sql_o42_inputs,
    &sql_o42_texts,
    &sql_o42_texts_save,
};
const size_t o42_statements_count = sizeof o42_statements / sizeof o42_statements[0];
