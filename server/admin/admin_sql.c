/* SQL of the administrator pages: sign-in and sessions, agencies, accounts and API tokens, and
 * setting up a fiscal year (year settings, contact lists, personal links, progress). */
#include "admin_sql.h"

const struct db_statement sql_admin_by_email = {
    .name = "admin_by_email",
    .sql = "SELECT id, password_hash, locked_until IS NOT NULL AND locked_until > now(), disabled"
           " FROM admin_user WHERE email = lower($1)",
    .nparams = 1,
    .ncols = 4,
};
/* a successful sign-in clears the failure count and opens an 8-hour session */
const struct db_statement sql_admin_login_ok = {
    .name = "admin_login_ok",
    .sql = "WITH u AS (UPDATE admin_user SET failed_logins = 0, locked_until = NULL WHERE id = $1"
           "  RETURNING id)"
           " INSERT INTO admin_session (token_hash, user_id, expires_at)"
           " SELECT $2, id, now() + interval '8 hours' FROM u",
    .nparams = 2,
    .ncols = 0,
};
/* the fifth failure in a row locks the account for 15 minutes */
const struct db_statement sql_admin_login_fail = {
    .name = "admin_login_fail",
    .sql = "UPDATE admin_user SET failed_logins = failed_logins + 1,"
           " locked_until = CASE WHEN failed_logins + 1 >= 5 THEN now() + interval '15 minutes'"
           " ELSE locked_until END WHERE id = $1",
    .nparams = 1,
    .ncols = 0,
};
const struct db_statement sql_session_user = {
    .name = "session_user",
    .sql = "SELECT u.id, u.email, u.role, coalesce(a.name_th, ''), u.agency_id"
           " FROM admin_session s JOIN admin_user u ON u.id = s.user_id"
           " LEFT JOIN agency a ON a.id = u.agency_id"
           " WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > now() AND NOT u.disabled",
    .nparams = 1,
    .ncols = 5,
};
/* the day a token was last used is recorded (one write per token and day at most) */
const struct db_statement sql_api_token_user = {
    .name = "api_token_user",
    .sql = "WITH used AS (UPDATE api_token SET last_used_on = current_date WHERE token_hash = $1"
           "  AND NOT revoked AND last_used_on IS DISTINCT FROM current_date)"
           " SELECT u.id, u.email, u.role, coalesce(a.name_th, ''), u.agency_id"
           " FROM api_token t JOIN admin_user u ON u.id = t.user_id"
           " LEFT JOIN agency a ON a.id = u.agency_id"
           " WHERE t.token_hash = $1 AND NOT t.revoked AND NOT u.disabled",
    .nparams = 1,
    .ncols = 5,
};
const struct db_statement sql_session_revoke = {
    .name = "session_revoke",
    .sql = "UPDATE admin_session SET revoked = true WHERE token_hash = $1",
    .nparams = 1,
    .ncols = 0,
};
/* Administrator queries carry the scope: $system (boolean) or the administrator's agency. */
const struct db_statement sql_admin_agencies = {
    .name = "admin_agencies",
    .sql = "SELECT a.id, a.code, a.name_th, a.kind, coalesce(p.code, '') FROM agency a"
           " LEFT JOIN agency p ON p.id = a.parent_id WHERE ($1 OR a.id = $2) ORDER BY a.code"
           " LIMIT 101 OFFSET $3",
    .nparams = 3,
    .ncols = 5,
};
const struct db_statement sql_admin_agency = {
    .name = "admin_agency",
    .sql = "SELECT a.id, a.code, a.name_th, a.kind, coalesce(p.code, ''),"
           " (SELECT coalesce(string_agg(fiscal_year::text, ',' ORDER BY fiscal_year DESC), '')"
           "  FROM instrument_version)"
           " FROM agency a LEFT JOIN agency p ON p.id = a.parent_id"
           " WHERE a.id = $1 AND ($2 OR a.id = $3)",
    .nparams = 3,
    .ncols = 6,
};
/* Editing agency $1 within scope ($6 system, $7 own agency): a system administrator may also
 * change the code ($2) and parent (code $5, '' for none); an agency administrator only the
 * Thai name and type. Returns the id (NULL when not found) and whether the parent exists. */
const struct db_statement sql_agency_update = {
    .name = "agency_update",
    .sql = "WITH p AS (SELECT id FROM agency WHERE code = nullif($5, '')),"
           " u AS (UPDATE agency a SET code = CASE WHEN $6::boolean THEN $2 ELSE a.code END,"
           "  name_th = $3, kind = $4, updated_at = now(),"
           "  parent_id = CASE WHEN $6::boolean THEN (SELECT id FROM p) ELSE a.parent_id END"
           "  WHERE a.id = $1::int AND ($6::boolean OR a.id = $7::int)"
           "  AND (nullif($5, '') IS NULL OR NOT $6::boolean OR EXISTS (SELECT 1 FROM p)) RETURNING a.id)"
           " SELECT (SELECT id FROM u), nullif($5, '') IS NULL OR EXISTS (SELECT 1 FROM p)",
    .nparams = 7,
    .ncols = 2,
};
/* ---- accounts (handlers_admin_accounts.c) ---- */
const struct db_statement sql_tokens_list = {
    .name = "tokens_list",
    .sql = "SELECT id, name, to_char(created_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI'),"
           " revoked, coalesce(to_char(last_used_on, 'YYYY-MM-DD'), '') FROM api_token"
           " WHERE user_id = $1::int ORDER BY id DESC LIMIT 200",
    .nparams = 1,
    .ncols = 5,
};
const struct db_statement sql_token_create = {
    .name = "token_create",
    .sql = "WITH t AS (INSERT INTO api_token (token_hash, user_id, name) VALUES ($1::bytea, $2::int, $3)"
           "  RETURNING id),"
           " log AS (INSERT INTO audit_log (admin_id, action, detail)"
           "  SELECT $2::int, 'api_token_create', jsonb_build_object('token', id, 'name', $3::text) FROM t)"
           " SELECT id FROM t",
    .nparams = 3,
    .ncols = 1,
};
const struct db_statement sql_token_revoke = {
    .name = "token_revoke",
    .sql = "WITH t AS (UPDATE api_token SET revoked = true WHERE id = $1::int AND user_id = $2::int"
           "  RETURNING id),"
           " log AS (INSERT INTO audit_log (admin_id, action, detail)"
           "  SELECT $2::int, 'api_token_revoke', jsonb_build_object('token', id) FROM t)"
           " SELECT count(*) FROM t",
    .nparams = 2,
    .ncols = 1,
};
const struct db_statement sql_users_list = {
    .name = "users_list",
    .sql = "SELECT u.id, u.email, u.role, coalesce(a.code, ''), coalesce(a.name_th, ''), u.disabled,"
           " coalesce(u.locked_until > now(), false) FROM admin_user u"
           " LEFT JOIN agency a ON a.id = u.agency_id ORDER BY u.disabled, u.email LIMIT 1000",
    .nparams = 0,
    .ncols = 7,
};
/* $2: agency code for an agency administrator, '' for a system administrator. */
const struct db_statement sql_user_create = {
    .name = "user_create",
    .sql = "WITH u AS (INSERT INTO admin_user (email, role, agency_id, password_hash)"
           "  SELECT lower($1), CASE WHEN $2 = '' THEN 'system' ELSE 'agency' END,"
           "  (SELECT id FROM agency WHERE code = $2), $3"
           "  WHERE $2 = '' OR EXISTS (SELECT 1 FROM agency WHERE code = $2) RETURNING id),"
           " log AS (INSERT INTO audit_log (admin_id, action, detail)"
           "  SELECT $4::int, 'admin_create', jsonb_build_object('user', id, 'agency', $2::text) FROM u)"
           " SELECT id FROM u",
    .nparams = 4,
    .ncols = 1,
};
/* Disabling ends the user's sessions and API tokens at once; nobody disables themselves. */
const struct db_statement sql_user_disable = {
    .name = "user_disable",
    .sql = "WITH u AS (UPDATE admin_user SET disabled = true WHERE id = $1::int AND id <> $2::int"
           "  RETURNING id),"
           " s AS (UPDATE admin_session SET revoked = true WHERE user_id IN (SELECT id FROM u)),"
           " t AS (UPDATE api_token SET revoked = true WHERE user_id IN (SELECT id FROM u)),"
           " log AS (INSERT INTO audit_log (admin_id, action, detail)"
           "  SELECT $2::int, 'admin_disable', jsonb_build_object('user', id) FROM u)"
           " SELECT count(*) FROM u",
    .nparams = 2,
    .ncols = 1,
};
/* A new agency (code $1 must be new; parent code $4 must exist when given): its id, or no
 * row when the parent does not exist. */
const struct db_statement sql_agency_create = {
    .name = "agency_create",
    .sql = "WITH a AS (INSERT INTO agency (code, name_th, kind, parent_id)"
           "  SELECT $1, $2, $3, (SELECT id FROM agency WHERE code = nullif($4, ''))"
           "  WHERE nullif($4, '') IS NULL OR EXISTS (SELECT 1 FROM agency WHERE code = $4) RETURNING id),"
           " log AS (INSERT INTO audit_log (admin_id, action, agency_id) SELECT $5::int, 'agency_create', id FROM a)"
           " SELECT id, true FROM a",
    .nparams = 5,
    .ncols = 2,
};
/* An agency list (or one agency) as column arrays, in one statement (sql/0005). */
const struct db_statement sql_agencies_import = {
    .name = "agencies_import",
    .sql = "WITH r AS (SELECT * FROM ita_import_agencies($1::text[], $2::text[], $3::text[], $4::text[])),"
           " log AS (INSERT INTO audit_log (admin_id, action, detail)"
           "  SELECT $5::int, 'agencies_import', jsonb_build_object('inserted', inserted, 'updated', updated)"
           "  FROM r)"
           " SELECT inserted, updated, (SELECT id FROM agency WHERE code = ($1::text[])[1]) FROM r",
    .nparams = 5,
    .ncols = 3,
    .long_running = true,
};
const struct db_statement sql_admin_agency_links = {
    .name = "admin_agency_links",
    .sql = "SELECT id, fiscal_year, instrument, slug, revoked_at IS NOT NULL FROM survey_link"
           " WHERE agency_id = $1 ORDER BY fiscal_year DESC, instrument, id",
    .nparams = 1,
    .ncols = 5,
};
const struct db_statement sql_admin_link = {
    .name = "admin_link",
    .sql = "SELECT l.slug, l.fiscal_year, l.instrument, a.name_th FROM survey_link l"
           " JOIN agency a ON a.id = l.agency_id"
           " WHERE l.id = $1 AND l.revoked_at IS NULL AND ($2 OR l.agency_id = $3)",
    .nparams = 3,
    .ncols = 4,
};
/* ---- setting up a fiscal year (handlers_admin_setup.c) ---- */
/* The agency a request names, within the administrator's scope ($1 system, $2 own agency),
 * by id ($3, -1 when not given) or code ($4), with its year's settings, the year's sample
 * rule and live public links. */
const struct db_statement sql_setup_view = {
    .name = "setup_view",
    .sql = "SELECT a.id, a.code, a.name_th, y.agency_id IS NOT NULL, v.fiscal_year IS NOT NULL,"
           " coalesce(y.closes_at <= now(), false),"
           " coalesce(to_char(y.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), ''),"
           " coalesce(to_char((y.closes_at AT TIME ZONE 'Asia/Bangkok') - interval '1 day', 'YYYY-MM-DD'), ''),"
           " y.staff_population, y.eit_population, (v.document -> 'sample_rule')::text,"
           " li.id, coalesce(li.slug, ''), le.id, coalesce(le.slug, '')"
           " FROM agency a"
           " LEFT JOIN instrument_version v ON v.fiscal_year = $5::smallint"
           " LEFT JOIN agency_year y ON y.agency_id = a.id AND y.fiscal_year = $5::smallint"
           " LEFT JOIN survey_link li ON li.agency_id = a.id AND li.fiscal_year = $5::smallint"
           "  AND li.instrument = 'IIT' AND li.revoked_at IS NULL"
           " LEFT JOIN survey_link le ON le.agency_id = a.id AND le.fiscal_year = $5::smallint"
           "  AND le.instrument = 'EIT' AND le.revoked_at IS NULL"
           " WHERE (a.id = $3::int OR a.code = $4) AND ($1::boolean OR a.id = $2::int)",
    .nparams = 5,
    .ncols = 15,
};
/* The statements below take an agency id already resolved within scope by setup_view. */
const struct db_statement sql_year_save = {
    .name = "year_save",
    .sql = "SELECT ita_save_year($1::int, $2::smallint, $3::date, $4::date, $5::int, $6::int, $7, $8)",
    .nparams = 8,
    .ncols = 1,
};
/* A validated list as column arrays; a contact already on the list (same dedupe key) is
 * kept as it is. Returns how many were new. */
const struct db_statement sql_contacts_import = {
    .name = "contacts_import",
    .sql = "WITH ins AS (INSERT INTO contact (agency_id, fiscal_year, instrument, name, email, phone,"
           "  unit, started_on, dedupe_key)"
           "  SELECT $1::int, $2::smallint, $3, n, coalesce(e, ''), coalesce(p, ''), coalesce(u, ''),"
           "   s::date, k FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
           "   $9::text[]) AS t(n, e, p, u, s, k)"
           "  ON CONFLICT (agency_id, fiscal_year, instrument, dedupe_key) DO NOTHING RETURNING 1),"
           " c AS (SELECT count(*) AS n FROM ins),"
           " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
           "  SELECT $10::int, 'contacts_import', $1::int, $2::smallint,"
           "  jsonb_build_object('instrument', $3::text, 'imported', c.n) FROM c)"
           " SELECT n FROM c",
    .nparams = 10,
    .ncols = 1,
    .long_running = true,
};
/* Row 0: the totals; then one page of contacts (offset $4). */
const struct db_statement sql_contacts_list = {
    .name = "contacts_list",
    .sql = "(SELECT 0 AS o, count(*)::text, count(*) FILTER (WHERE link_generation > 0)::text,"
           "  NULL::text, NULL::text, NULL, NULL, NULL, NULL::boolean FROM contact"
           "  WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3)"
           " UNION ALL (SELECT 1, NULL, NULL, id::text, name, unit, email, phone, link_generation > 0"
           "  FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
           "  ORDER BY id LIMIT 101 OFFSET $4::int) ORDER BY 1",
    .nparams = 4,
    .ncols = 9,
};
const struct db_statement sql_links_unissued = {
    .name = "links_unissued",
    .sql = "SELECT id FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
           " AND instrument = $3 AND link_generation = 0 ORDER BY id",
    .nparams = 3,
    .ncols = 1,
    .long_running = true,
};
/* Contacts $4 get link number 1 and their token hashes $5 (same order) become personal
 * tokens of the live public link, in one statement: both or neither. */
const struct db_statement sql_links_issue = {
    .name = "links_issue",
    .sql = "WITH l AS (SELECT id FROM survey_link WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
           "  AND instrument = $3 AND revoked_at IS NULL),"
           " c AS (UPDATE contact SET link_generation = 1 WHERE id = ANY ($4::bigint[])"
           "  AND agency_id = $1::int AND link_generation = 0 AND EXISTS (SELECT 1 FROM l) RETURNING id),"
           " ins AS (INSERT INTO personal_token (token_hash, link_id)"
           "  SELECT u.h, l.id FROM unnest($4::bigint[], $5::bytea[]) AS u(id, h)"
           "  JOIN c ON c.id = u.id CROSS JOIN l ON CONFLICT DO NOTHING RETURNING 1),"
           " n AS (SELECT count(*) AS n FROM ins),"
           " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
           "  SELECT $6::int, 'links_issue', $1::int, $2::smallint,"
           "  jsonb_build_object('instrument', $3::text, 'issued', n.n) FROM n)"
           " SELECT n.n, (SELECT count(*) FROM contact WHERE agency_id = $1::int"
           "  AND fiscal_year = $2::smallint AND instrument = $3 AND link_generation > 0) + n.n FROM n",
    .nparams = 6,
    .ncols = 2,
    .long_running = true,
};
/* Contact data leaves the system here, so the download is logged. */
const struct db_statement sql_mailmerge = {
    .name = "mailmerge",
    .sql = "WITH log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
           "  VALUES ($4::int, 'links_mailmerge', $1::int, $2::smallint,"
           "  jsonb_build_object('instrument', $3::text)))"
           " SELECT id, link_generation, name, email, phone, unit FROM contact"
           " WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
           " AND link_generation > 0 ORDER BY id",
    .nparams = 4,
    .ncols = 6,
    .long_running = true,
};
const struct db_statement sql_contact_get = {
    .name = "contact_get",
    .sql = "SELECT agency_id, fiscal_year, instrument, link_generation FROM contact"
           " WHERE id = $3::bigint AND ($1::boolean OR agency_id = $2::int)",
    .nparams = 3,
    .ncols = 4,
};
/* The next link of contact $4 (expected at generation $5): the old token $6 is revoked and
 * the new one $7 inherits whether it was spent, so a reissued link never allows a second
 * answer and the page never tells who has answered. NULL when nothing changed. */
const struct db_statement sql_link_reissue = {
    .name = "link_reissue",
    .sql = "WITH l AS (SELECT id FROM survey_link WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
           "  AND instrument = $3 AND revoked_at IS NULL),"
           " c AS (UPDATE contact SET link_generation = link_generation + 1 WHERE id = $4::bigint"
           "  AND link_generation = $5::int AND EXISTS (SELECT 1 FROM l) RETURNING link_generation),"
           " old AS (UPDATE personal_token SET revoked = true WHERE token_hash = $6::bytea"
           "  AND EXISTS (SELECT 1 FROM c) RETURNING spent),"
           " ins AS (INSERT INTO personal_token (token_hash, link_id, spent)"
           "  SELECT $7::bytea, l.id, coalesce((SELECT spent FROM old), false) FROM l"
           "  WHERE EXISTS (SELECT 1 FROM c) RETURNING 1),"
           " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
           "  SELECT $8::int, 'link_reissue', $1::int, $2::smallint,"
           "  jsonb_build_object('contact', $4::bigint) FROM c)"
           " SELECT (SELECT link_generation FROM c)",
    .nparams = 8,
    .ncols = 1,
};
/* After the window has closed: every contact of the agency's year goes; answers stay. */
const struct db_statement sql_contacts_purge = {
    .name = "contacts_purge",
    .sql = "WITH y AS (SELECT 1 FROM agency_year WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
           "  AND closes_at <= now()),"
           " d AS (DELETE FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
           "  AND EXISTS (SELECT 1 FROM y) RETURNING 1),"
           " n AS (SELECT count(*) AS n FROM d),"
           " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
           "  SELECT $3::int, 'contacts_purge', $1::int, $2::smallint, jsonb_build_object('purged', n.n)"
           "  FROM n WHERE EXISTS (SELECT 1 FROM y))"
           " SELECT EXISTS (SELECT 1 FROM y), n.n FROM n",
    .nparams = 3,
    .ncols = 2,
};
/* Responses per instrument and day (stored and still in the inbox), then personal-link
 * uptake as counts: ('d', instrument, day, n, NULL) and ('l', instrument, NULL, issued, spent). */
const struct db_statement sql_progress = {
    .name = "progress",
    .sql = "SELECT 'd', instrument::text, to_char(received_on, 'YYYY-MM-DD'), count(*), NULL::bigint FROM"
           " (SELECT instrument, received_on FROM response WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
           "  UNION ALL SELECT instrument, received_on FROM response_inbox WHERE agency_id = $1::int"
           "  AND fiscal_year = $2::smallint) x GROUP BY 2, 3"
           " UNION ALL SELECT 'l', l.instrument::text, NULL, count(*), count(*) FILTER (WHERE t.spent)"
           " FROM survey_link l JOIN personal_token t ON t.link_id = l.id"
           " WHERE l.agency_id = $1::int AND l.fiscal_year = $2::smallint AND NOT t.revoked GROUP BY 2"
           " ORDER BY 1, 2, 3",
    .nparams = 2,
    .ncols = 5,
};

const struct db_statement *const admin_statements[] = {
    &sql_admin_by_email,
    &sql_admin_login_ok,
    &sql_admin_login_fail,
    &sql_session_user,
    &sql_api_token_user,
    &sql_session_revoke,
    &sql_admin_agencies,
    &sql_admin_agency,
    &sql_agency_update,
    &sql_tokens_list,
    &sql_token_create,
    &sql_token_revoke,
    &sql_users_list,
    &sql_user_create,
    &sql_user_disable,
    &sql_agency_create,
    &sql_agencies_import,
    &sql_admin_agency_links,
    &sql_admin_link,
    &sql_setup_view,
    &sql_year_save,
    &sql_contacts_import,
    &sql_contacts_list,
    &sql_links_unissued,
    &sql_links_issue,
    &sql_mailmerge,
    &sql_contact_get,
    &sql_link_reissue,
    &sql_contacts_purge,
    &sql_progress,
};
const size_t admin_statements_count = sizeof admin_statements / sizeof admin_statements[0];
