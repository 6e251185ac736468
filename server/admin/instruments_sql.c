/* SQL of the instrument-version pages: stored versions and drafts, adding and discarding a draft,
 * publishing one (ita_publish_instrument in sql/0008 does it in one transaction) and the
 * document a preview is drawn from. */
#include "instruments_sql.h"

/* An instrument's question count in a version document. */
#define QUESTIONS(doc, code)                                                                       \
    "(SELECT jsonb_array_length(i->'questions') FROM jsonb_array_elements(" doc "->'instruments')" \
    " i WHERE i->>'code' = '" code "')"

DB_STATEMENT(
    instrument_versions, INSTRUMENT_VERSIONS,
    "SELECT v.fiscal_year, v.document->>'title_th' AS title, v.revision,"
    " to_char(v.loaded_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS loaded_on,"
    " " QUESTIONS(
        "v.document",
        "IIT") " AS iit_questions, v.iit_fields,"
               " " QUESTIONS(
                   "v.document",
                   "EIT") " AS eit_questions, v.eit_fields,"
                          " coalesce(jsonb_array_length(v.document->'oit'->'items'), 0) AS "
                          "oit_items,"
                          " v.unverified_items,"
                          " ita_instrument_has_responses(v.fiscal_year, 'IIT') AS iit_answers,"
                          " ita_instrument_has_responses(v.fiscal_year, 'EIT') AS eit_answers,"
                          " ita_instrument_has_responses(v.fiscal_year, 'OIT') AS oit_answers"
                          " FROM instrument_version v ORDER BY v.fiscal_year DESC");
DB_STATEMENT(instrument_drafts, INSTRUMENT_DRAFTS,
             "SELECT d.id, d.fiscal_year, d.document->>'title_th' AS title, d.file_name,"
             " u.email AS uploaded_by,"
             " to_char(d.uploaded_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS uploaded_on,"
             " d.unverified_items, v.revision AS stored_revision"
             " FROM instrument_draft d JOIN admin_user u ON u.id = d.uploaded_by"
             " LEFT JOIN instrument_version v ON v.fiscal_year = d.fiscal_year"
             " ORDER BY d.id DESC");
DB_STATEMENT(instrument_draft_add, INSTRUMENT_DRAFT_ADD,
             "WITH d AS (INSERT INTO instrument_draft (fiscal_year, document, sha256, iit_fields,"
             "  eit_fields, file_name, uploaded_by)"
             "  VALUES ($1::smallint, $2::jsonb, $3, $4::smallint, $5::smallint, $6, $7::int)"
             "  RETURNING id, fiscal_year, sha256, file_name, unverified_items),"
             " log AS (INSERT INTO audit_log (admin_id, action, fiscal_year, detail)"
             "  SELECT $7::int, 'instrument_draft_upload', d.fiscal_year,"
             "  jsonb_build_object('draft', d.id, 'sha256', d.sha256, 'file_name', d.file_name,"
             "  'unverified_items', d.unverified_items) FROM d)"
             " SELECT id FROM d");
DB_STATEMENT(instrument_draft_get, INSTRUMENT_DRAFT_GET,
             "SELECT d.id, d.fiscal_year, d.document::text AS document, d.sha256, d.file_name,"
             " u.email AS uploaded_by,"
             " to_char(d.uploaded_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS uploaded_on,"
             " d.unverified_items, v.revision AS stored_revision,"
             " v.document::text AS stored_document, v.sha256 AS stored_sha256,"
             " ita_instrument_has_responses(d.fiscal_year, 'IIT') AS iit_answers,"
             " ita_instrument_has_responses(d.fiscal_year, 'EIT') AS eit_answers,"
             " ita_instrument_has_responses(d.fiscal_year, 'OIT') AS oit_answers"
             " FROM instrument_draft d JOIN admin_user u ON u.id = d.uploaded_by"
             " LEFT JOIN instrument_version v ON v.fiscal_year = d.fiscal_year"
             " WHERE d.id = $1::int");
DB_STATEMENT(instrument_publish, INSTRUMENT_PUBLISH,
             "SELECT outcome, revision, fiscal_year FROM ita_publish_instrument($1::int, $2::int,"
             " $3::boolean, $4::boolean, $5::boolean, $6::int)");
DB_STATEMENT(instrument_discard, INSTRUMENT_DISCARD,
             "WITH d AS (DELETE FROM instrument_draft WHERE id = $1::int"
             "  RETURNING id, fiscal_year, sha256, file_name),"
             " log AS (INSERT INTO audit_log (admin_id, action, fiscal_year, detail)"
             "  SELECT $2::int, 'instrument_draft_discard', d.fiscal_year,"
             "  jsonb_build_object('draft', d.id, 'sha256', d.sha256, 'file_name', d.file_name)"
             "  FROM d)"
             " SELECT fiscal_year FROM d");
DB_STATEMENT(instrument_doc, INSTRUMENT_DOC,
             "SELECT d.document::text AS document, d.fiscal_year FROM instrument_draft d"
             " WHERE d.id = $1::int"
             " UNION ALL SELECT v.document::text, v.fiscal_year FROM instrument_version v"
             " WHERE v.fiscal_year = $2::int");

const struct db_statement *const instruments_statements[] = {
    &sql_instrument_versions,  &sql_instrument_drafts,  &sql_instrument_draft_add,
    &sql_instrument_draft_get, &sql_instrument_publish, &sql_instrument_discard,
    &sql_instrument_doc,
};
const size_t instruments_statements_count =
    sizeof instruments_statements / sizeof instruments_statements[0];
