/* SQL of the respondent side: link lookups, the instrument version a form is built from, and the
 * submissions (the personal token is spent in the statement that stores the answers). */
#include "survey_sql.h"

/* The LINK_* columns before the two that differ (spent, token_revoked), in enum order. `closes`
 * is the last day answers are taken: closes_at is the end bound, the midnight after that day. */
#define LINK_COLUMNS                                                                               \
    "SELECT l.id, l.fiscal_year, l.instrument, a.name_th, v.revision,"                             \
    " l.revoked_at IS NOT NULL AS revoked, now() < l.opens_at AS not_open,"                        \
    " now() >= l.closes_at AS closed,"                                                             \
    " to_char(l.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS opens,"                     \
    " to_char((l.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 microsecond', 'YYYY-MM-DD')" \
    " AS closes,"

/* A link and everything a form page needs: agency name, version revision, window state.
 * Dates are in Thailand's time zone for display. */
const struct db_statement sql_link_by_slug = {
    .name = "link_by_slug",
    .sql = LINK_COLUMNS
    " false AS spent, false AS token_revoked"
    " FROM survey_link l JOIN agency a ON a.id = l.agency_id"
    " JOIN instrument_version v ON v.fiscal_year = l.fiscal_year WHERE l.slug = $1",
    .nparams = LINK_BY_SLUG_NPARAMS,
    .ncols = LINK_NCOLS,
};
const struct db_statement sql_link_by_token = {
    .name = "link_by_token",
    .sql = LINK_COLUMNS
    " t.spent, t.revoked AS token_revoked"
    " FROM personal_token t JOIN survey_link l ON l.id = t.link_id"
    " JOIN agency a ON a.id = l.agency_id"
    " JOIN instrument_version v ON v.fiscal_year = l.fiscal_year WHERE t.token_hash = $1",
    .nparams = LINK_BY_TOKEN_NPARAMS,
    .ncols = LINK_NCOLS,
};
DB_STATEMENT(version_doc, VERSION_DOC,
             "SELECT revision, document::text AS document FROM instrument_version"
             " WHERE fiscal_year = $1");
/* Public link: the nonce gates the insert, so the same form sent twice stores one response.
 * The window is checked again inside the statement. */
DB_STATEMENT(
    submit_public, SUBMIT_PUBLIC,
    "WITH l AS (SELECT agency_id, fiscal_year, instrument FROM survey_link WHERE id = $1"
    "  AND revoked_at IS NULL AND now() >= opens_at AND now() < closes_at),"
    " n AS (INSERT INTO used_nonce (nonce_hash, expires_on) SELECT $2, current_date + 3 FROM l"
    "  ON CONFLICT DO NOTHING RETURNING 1),"
    " ins AS (INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)"
    "  SELECT agency_id, fiscal_year, instrument, $3 FROM l WHERE EXISTS (SELECT 1 FROM n)"
    "  RETURNING 1)"
    " SELECT EXISTS (SELECT 1 FROM l) AS link_ok, EXISTS (SELECT 1 FROM ins) AS stored");
/* Personal link: the token is spent in the same statement (one transaction) that stores the
 * response; of many concurrent uses exactly one updates the row. */
DB_STATEMENT(submit_personal, SUBMIT_PERSONAL,
             "WITH t AS (UPDATE personal_token t SET spent = true FROM survey_link l"
             "  WHERE t.token_hash = $1 AND l.id = t.link_id AND NOT t.spent AND NOT t.revoked"
             "  AND l.revoked_at IS NULL AND now() >= l.opens_at AND now() < l.closes_at"
             "  RETURNING l.agency_id, l.fiscal_year, l.instrument),"
             " ins AS (INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)"
             "  SELECT agency_id, fiscal_year, instrument, $3 FROM t RETURNING 1),"
             " n AS (INSERT INTO used_nonce (nonce_hash, expires_on) SELECT $2, current_date + 3"
             "  WHERE EXISTS (SELECT 1 FROM ins) ON CONFLICT DO NOTHING RETURNING 1)"
             " SELECT true AS link_ok, EXISTS (SELECT 1 FROM ins) AS stored,"
             " (SELECT count(*) FROM n) AS nonces");
DB_STATEMENT(nonce_used, NONCE_USED,
             "SELECT EXISTS (SELECT 1 FROM used_nonce WHERE nonce_hash = $1) AS used");

const struct db_statement *const survey_statements[] = {
    &sql_link_by_slug,  &sql_link_by_token,   &sql_version_doc,
    &sql_submit_public, &sql_submit_personal, &sql_nonce_used,
};
const size_t survey_statements_count = sizeof survey_statements / sizeof survey_statements[0];
