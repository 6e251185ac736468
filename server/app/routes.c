/* Route table and statement table: the one place that lists what the server answers and which
 * SQL it may run. Every statement is prepared on each connection and takes parameters only. */
#include "routes.h"

#include <string.h>

const struct db_statement server_statements[STMT__COUNT] = {
    [STMT_HEALTH] = {"health", "SELECT 1", 0},
    /* JIT off for this transaction (set before ita_rollup runs: a volatile subquery is not
     * flattened): compiling its plans cost more than the work, ~25 ms a call at 5,000 rows */
    [STMT_ROLLUP] = {"rollup",
        "SELECT ita_rollup() FROM (SELECT set_config('jit', 'off', true)) AS no_jit", 0},
    /* A link and everything a form page needs: agency name, version revision, window state.
     * Dates are in Thailand's time zone for display. */
    [STMT_LINK_BY_SLUG] = {"link_by_slug",
        "SELECT l.id, l.fiscal_year, l.instrument, a.name_th, v.revision,"
        " l.revoked_at IS NOT NULL, now() < l.opens_at, now() >= l.closes_at,"
        " to_char(l.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'),"
        " to_char(l.closes_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), false, false"
        " FROM survey_link l JOIN agency a ON a.id = l.agency_id"
        " JOIN instrument_version v ON v.fiscal_year = l.fiscal_year WHERE l.slug = $1", 1},
    [STMT_LINK_BY_TOKEN] = {"link_by_token",
        "SELECT l.id, l.fiscal_year, l.instrument, a.name_th, v.revision,"
        " l.revoked_at IS NOT NULL, now() < l.opens_at, now() >= l.closes_at,"
        " to_char(l.opens_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'),"
        " to_char(l.closes_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD'), t.spent, t.revoked"
        " FROM personal_token t JOIN survey_link l ON l.id = t.link_id"
        " JOIN agency a ON a.id = l.agency_id"
        " JOIN instrument_version v ON v.fiscal_year = l.fiscal_year WHERE t.token_hash = $1", 1},
    [STMT_VERSION_DOC] = {"version_doc",
        "SELECT revision, document::text FROM instrument_version WHERE fiscal_year = $1", 1},
    /* Public link: the nonce gates the insert, so the same form sent twice stores one response.
     * The window is checked again inside the statement. */
    [STMT_SUBMIT_PUBLIC] = {"submit_public",
        "WITH l AS (SELECT agency_id, fiscal_year, instrument FROM survey_link WHERE id = $1"
        "  AND revoked_at IS NULL AND now() >= opens_at AND now() < closes_at),"
        " n AS (INSERT INTO used_nonce (nonce_hash, expires_on) SELECT $2, current_date + 3 FROM l"
        "  ON CONFLICT DO NOTHING RETURNING 1),"
        " ins AS (INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)"
        "  SELECT agency_id, fiscal_year, instrument, $3 FROM l WHERE EXISTS (SELECT 1 FROM n)"
        "  RETURNING 1)"
        " SELECT EXISTS (SELECT 1 FROM l), EXISTS (SELECT 1 FROM ins)", 3},
    /* Personal link: the token is spent in the same statement (one transaction) that stores the
     * response; of many concurrent uses exactly one updates the row. */
    [STMT_SUBMIT_PERSONAL] = {"submit_personal",
        "WITH t AS (UPDATE personal_token t SET spent = true FROM survey_link l"
        "  WHERE t.token_hash = $1 AND l.id = t.link_id AND NOT t.spent AND NOT t.revoked"
        "  AND l.revoked_at IS NULL AND now() >= l.opens_at AND now() < l.closes_at"
        "  RETURNING l.agency_id, l.fiscal_year, l.instrument),"
        " ins AS (INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)"
        "  SELECT agency_id, fiscal_year, instrument, $3 FROM t RETURNING 1),"
        " n AS (INSERT INTO used_nonce (nonce_hash, expires_on) SELECT $2, current_date + 3"
        "  WHERE EXISTS (SELECT 1 FROM ins) ON CONFLICT DO NOTHING RETURNING 1)"
        " SELECT true, EXISTS (SELECT 1 FROM ins), (SELECT count(*) FROM n)", 3},
    [STMT_NONCE_USED] = {"nonce_used",
        "SELECT EXISTS (SELECT 1 FROM used_nonce WHERE nonce_hash = $1)", 1},
    [STMT_PURGE_NONCES] = {"purge_nonces",
        "DELETE FROM used_nonce WHERE expires_on < current_date", 0},
    [STMT_ADMIN_BY_EMAIL] = {"admin_by_email",
        "SELECT id, password_hash, locked_until IS NOT NULL AND locked_until > now(), disabled"
        " FROM admin_user WHERE email = lower($1)", 1},
    /* a successful sign-in clears the failure count and opens an 8-hour session */
    [STMT_ADMIN_LOGIN_OK] = {"admin_login_ok",
        "WITH u AS (UPDATE admin_user SET failed_logins = 0, locked_until = NULL WHERE id = $1"
        "  RETURNING id)"
        " INSERT INTO admin_session (token_hash, user_id, expires_at)"
        " SELECT $2, id, now() + interval '8 hours' FROM u", 2},
    /* the fifth failure in a row locks the account for 15 minutes */
    [STMT_ADMIN_LOGIN_FAIL] = {"admin_login_fail",
        "UPDATE admin_user SET failed_logins = failed_logins + 1,"
        " locked_until = CASE WHEN failed_logins + 1 >= 5 THEN now() + interval '15 minutes'"
        " ELSE locked_until END WHERE id = $1", 1},
    [STMT_SESSION_USER] = {"session_user",
        "SELECT u.id, u.email, u.role, coalesce(a.name_th, ''), u.agency_id"
        " FROM admin_session s JOIN admin_user u ON u.id = s.user_id"
        " LEFT JOIN agency a ON a.id = u.agency_id"
        " WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > now() AND NOT u.disabled", 1},
    /* the day a token was last used is recorded (one write per token and day at most) */
    [STMT_API_TOKEN_USER] = {"api_token_user",
        "WITH used AS (UPDATE api_token SET last_used_on = current_date WHERE token_hash = $1"
        "  AND NOT revoked AND last_used_on IS DISTINCT FROM current_date)"
        " SELECT u.id, u.email, u.role, coalesce(a.name_th, ''), u.agency_id"
        " FROM api_token t JOIN admin_user u ON u.id = t.user_id"
        " LEFT JOIN agency a ON a.id = u.agency_id"
        " WHERE t.token_hash = $1 AND NOT t.revoked AND NOT u.disabled", 1},
    [STMT_SESSION_REVOKE] = {"session_revoke",
        "UPDATE admin_session SET revoked = true WHERE token_hash = $1", 1},
    /* Administrator queries carry the scope: $system (boolean) or the administrator's agency. */
    [STMT_ADMIN_AGENCIES] = {"admin_agencies",
        "SELECT a.id, a.code, a.name_th, a.kind, coalesce(p.code, '') FROM agency a"
        " LEFT JOIN agency p ON p.id = a.parent_id WHERE ($1 OR a.id = $2) ORDER BY a.code"
        " LIMIT 101 OFFSET $3", 3},
    [STMT_ADMIN_AGENCY] = {"admin_agency",
        "SELECT a.id, a.code, a.name_th, a.kind, coalesce(p.code, ''),"
        " (SELECT coalesce(string_agg(fiscal_year::text, ',' ORDER BY fiscal_year DESC), '')"
        "  FROM instrument_version)"
        " FROM agency a LEFT JOIN agency p ON p.id = a.parent_id"
        " WHERE a.id = $1 AND ($2 OR a.id = $3)", 3},
    /* Editing agency $1 within scope ($6 system, $7 own agency): a system administrator may also
     * change the code ($2) and parent (code $5, '' for none); an agency administrator only the
     * Thai name and type. Returns the id (NULL when not found) and whether the parent exists. */
    [STMT_AGENCY_UPDATE] = {"agency_update",
        "WITH p AS (SELECT id FROM agency WHERE code = nullif($5, '')),"
        " u AS (UPDATE agency a SET code = CASE WHEN $6::boolean THEN $2 ELSE a.code END,"
        "  name_th = $3, kind = $4, updated_at = now(),"
        "  parent_id = CASE WHEN $6::boolean THEN (SELECT id FROM p) ELSE a.parent_id END"
        "  WHERE a.id = $1::int AND ($6::boolean OR a.id = $7::int)"
        "  AND (nullif($5, '') IS NULL OR NOT $6::boolean OR EXISTS (SELECT 1 FROM p)) RETURNING a.id)"
        " SELECT (SELECT id FROM u), nullif($5, '') IS NULL OR EXISTS (SELECT 1 FROM p)", 7},
    /* ---- accounts (handlers_admin_accounts.c) ---- */
    [STMT_TOKENS_LIST] = {"tokens_list",
        "SELECT id, name, to_char(created_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI'),"
        " revoked, coalesce(to_char(last_used_on, 'YYYY-MM-DD'), '') FROM api_token"
        " WHERE user_id = $1::int ORDER BY id DESC LIMIT 200", 1},
    [STMT_TOKEN_CREATE] = {"token_create",
        "WITH t AS (INSERT INTO api_token (token_hash, user_id, name) VALUES ($1::bytea, $2::int, $3)"
        "  RETURNING id),"
        " log AS (INSERT INTO audit_log (admin_id, action, detail)"
        "  SELECT $2::int, 'api_token_create', jsonb_build_object('token', id, 'name', $3::text) FROM t)"
        " SELECT id FROM t", 3},
    [STMT_TOKEN_REVOKE] = {"token_revoke",
        "WITH t AS (UPDATE api_token SET revoked = true WHERE id = $1::int AND user_id = $2::int"
        "  RETURNING id),"
        " log AS (INSERT INTO audit_log (admin_id, action, detail)"
        "  SELECT $2::int, 'api_token_revoke', jsonb_build_object('token', id) FROM t)"
        " SELECT count(*) FROM t", 2},
    [STMT_USERS_LIST] = {"users_list",
        "SELECT u.id, u.email, u.role, coalesce(a.code, ''), coalesce(a.name_th, ''), u.disabled,"
        " coalesce(u.locked_until > now(), false) FROM admin_user u"
        " LEFT JOIN agency a ON a.id = u.agency_id ORDER BY u.disabled, u.email LIMIT 1000", 0},
    /* $2: agency code for an agency administrator, '' for a system administrator. */
    [STMT_USER_CREATE] = {"user_create",
        "WITH u AS (INSERT INTO admin_user (email, role, agency_id, password_hash)"
        "  SELECT lower($1), CASE WHEN $2 = '' THEN 'system' ELSE 'agency' END,"
        "  (SELECT id FROM agency WHERE code = $2), $3"
        "  WHERE $2 = '' OR EXISTS (SELECT 1 FROM agency WHERE code = $2) RETURNING id),"
        " log AS (INSERT INTO audit_log (admin_id, action, detail)"
        "  SELECT $4::int, 'admin_create', jsonb_build_object('user', id, 'agency', $2::text) FROM u)"
        " SELECT id FROM u", 4},
    /* Disabling ends the user's sessions and API tokens at once; nobody disables themselves. */
    [STMT_USER_DISABLE] = {"user_disable",
        "WITH u AS (UPDATE admin_user SET disabled = true WHERE id = $1::int AND id <> $2::int"
        "  RETURNING id),"
        " s AS (UPDATE admin_session SET revoked = true WHERE user_id IN (SELECT id FROM u)),"
        " t AS (UPDATE api_token SET revoked = true WHERE user_id IN (SELECT id FROM u)),"
        " log AS (INSERT INTO audit_log (admin_id, action, detail)"
        "  SELECT $2::int, 'admin_disable', jsonb_build_object('user', id) FROM u)"
        " SELECT count(*) FROM u", 2},
    /* A new agency (code $1 must be new; parent code $4 must exist when given): its id, or no
     * row when the parent does not exist. */
    [STMT_AGENCY_CREATE] = {"agency_create",
        "WITH a AS (INSERT INTO agency (code, name_th, kind, parent_id)"
        "  SELECT $1, $2, $3, (SELECT id FROM agency WHERE code = nullif($4, ''))"
        "  WHERE nullif($4, '') IS NULL OR EXISTS (SELECT 1 FROM agency WHERE code = $4) RETURNING id),"
        " log AS (INSERT INTO audit_log (admin_id, action, agency_id) SELECT $5::int, 'agency_create', id FROM a)"
        " SELECT id, true FROM a", 5},
    /* An agency list (or one agency) as column arrays, in one statement (sql/0005). */
    [STMT_AGENCIES_IMPORT] = {"agencies_import",
        "WITH r AS (SELECT * FROM ita_import_agencies($1::text[], $2::text[], $3::text[], $4::text[])),"
        " log AS (INSERT INTO audit_log (admin_id, action, detail)"
        "  SELECT $5::int, 'agencies_import', jsonb_build_object('inserted', inserted, 'updated', updated)"
        "  FROM r)"
        " SELECT inserted, updated, (SELECT id FROM agency WHERE code = ($1::text[])[1]) FROM r", 5},
    [STMT_ADMIN_AGENCY_LINKS] = {"admin_agency_links",
        "SELECT id, fiscal_year, instrument, slug, revoked_at IS NOT NULL FROM survey_link"
        " WHERE agency_id = $1 ORDER BY fiscal_year DESC, instrument, id", 1},
    [STMT_ADMIN_LINK] = {"admin_link",
        "SELECT l.slug, l.fiscal_year, l.instrument, a.name_th FROM survey_link l"
        " JOIN agency a ON a.id = l.agency_id"
        " WHERE l.id = $1 AND l.revoked_at IS NULL AND ($2 OR l.agency_id = $3)", 3},

    /* ---- setting up a fiscal year (handlers_admin_setup.c) ---- */
    /* The agency a request names, within the administrator's scope ($1 system, $2 own agency),
     * by id ($3, -1 when not given) or code ($4), with its year's settings, the year's sample
     * rule and live public links. */
    [STMT_SETUP_VIEW] = {"setup_view",
        "SELECT a.id, a.code, a.name_th, y.agency_id IS NOT NULL, v.fiscal_year IS NOT NULL,"
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
        " WHERE (a.id = $3::int OR a.code = $4) AND ($1::boolean OR a.id = $2::int)", 5},
    /* The statements below take an agency id already resolved within scope by setup_view. */
    [STMT_YEAR_SAVE] = {"year_save",
        "SELECT ita_save_year($1::int, $2::smallint, $3::date, $4::date, $5::int, $6::int, $7, $8)", 8},
    /* A validated list as column arrays; a contact already on the list (same dedupe key) is
     * kept as it is. Returns how many were new. */
    [STMT_CONTACTS_IMPORT] = {"contacts_import",
        "WITH ins AS (INSERT INTO contact (agency_id, fiscal_year, instrument, name, email, phone,"
        "  unit, started_on, dedupe_key)"
        "  SELECT $1::int, $2::smallint, $3, n, coalesce(e, ''), coalesce(p, ''), coalesce(u, ''),"
        "   s::date, k FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
        "   $9::text[]) AS t(n, e, p, u, s, k)"
        "  ON CONFLICT (agency_id, fiscal_year, instrument, dedupe_key) DO NOTHING RETURNING 1),"
        " c AS (SELECT count(*) AS n FROM ins),"
        " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
        "  SELECT $10::int, 'contacts_import', $1::int, $2::smallint,"
        "  jsonb_build_object('instrument', $3::text, 'imported', c.n) FROM c)"
        " SELECT n FROM c", 10},
    /* Row 0: the totals; then one page of contacts (offset $4). */
    [STMT_CONTACTS_LIST] = {"contacts_list",
        "(SELECT 0 AS o, count(*)::text, count(*) FILTER (WHERE link_generation > 0)::text,"
        "  NULL::text, NULL::text, NULL, NULL, NULL, NULL::boolean FROM contact"
        "  WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3)"
        " UNION ALL (SELECT 1, NULL, NULL, id::text, name, unit, email, phone, link_generation > 0"
        "  FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
        "  ORDER BY id LIMIT 101 OFFSET $4::int) ORDER BY 1", 4},
    [STMT_LINKS_UNISSUED] = {"links_unissued",
        "SELECT id FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
        " AND instrument = $3 AND link_generation = 0 ORDER BY id", 3},
    /* Contacts $4 get link number 1 and their token hashes $5 (same order) become personal
     * tokens of the live public link, in one statement: both or neither. */
    [STMT_LINKS_ISSUE] = {"links_issue",
        "WITH l AS (SELECT id FROM survey_link WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
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
        "  AND fiscal_year = $2::smallint AND instrument = $3 AND link_generation > 0) + n.n FROM n", 6},
    /* Contact data leaves the system here, so the download is logged. */
    [STMT_MAILMERGE] = {"mailmerge",
        "WITH log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
        "  VALUES ($4::int, 'links_mailmerge', $1::int, $2::smallint,"
        "  jsonb_build_object('instrument', $3::text)))"
        " SELECT id, link_generation, name, email, phone, unit FROM contact"
        " WHERE agency_id = $1::int AND fiscal_year = $2::smallint AND instrument = $3"
        " AND link_generation > 0 ORDER BY id", 4},
    [STMT_CONTACT_GET] = {"contact_get",
        "SELECT agency_id, fiscal_year, instrument, link_generation FROM contact"
        " WHERE id = $3::bigint AND ($1::boolean OR agency_id = $2::int)", 3},
    /* The next link of contact $4 (expected at generation $5): the old token $6 is revoked and
     * the new one $7 inherits whether it was spent, so a reissued link never allows a second
     * answer and the page never tells who has answered. NULL when nothing changed. */
    [STMT_LINK_REISSUE] = {"link_reissue",
        "WITH l AS (SELECT id FROM survey_link WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
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
        " SELECT (SELECT link_generation FROM c)", 8},
    /* After the window has closed: every contact of the agency's year goes; answers stay. */
    [STMT_CONTACTS_PURGE] = {"contacts_purge",
        "WITH y AS (SELECT 1 FROM agency_year WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
        "  AND closes_at <= now()),"
        " d AS (DELETE FROM contact WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
        "  AND EXISTS (SELECT 1 FROM y) RETURNING 1),"
        " n AS (SELECT count(*) AS n FROM d),"
        " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
        "  SELECT $3::int, 'contacts_purge', $1::int, $2::smallint, jsonb_build_object('purged', n.n)"
        "  FROM n WHERE EXISTS (SELECT 1 FROM y))"
        " SELECT EXISTS (SELECT 1 FROM y), n.n FROM n", 3},
    /* Responses per instrument and day (stored and still in the inbox), then personal-link
     * uptake as counts: ('d', instrument, day, n, NULL) and ('l', instrument, NULL, issued, spent). */
    [STMT_PROGRESS] = {"progress",
        "SELECT 'd', instrument::text, to_char(received_on, 'YYYY-MM-DD'), count(*), NULL::bigint FROM"
        " (SELECT instrument, received_on FROM response WHERE agency_id = $1::int AND fiscal_year = $2::smallint"
        "  UNION ALL SELECT instrument, received_on FROM response_inbox WHERE agency_id = $1::int"
        "  AND fiscal_year = $2::smallint) x GROUP BY 2, 3"
        " UNION ALL SELECT 'l', l.instrument::text, NULL, count(*), count(*) FILTER (WHERE t.spent)"
        " FROM survey_link l JOIN personal_token t ON t.link_id = l.id"
        " WHERE l.agency_id = $1::int AND l.fiscal_year = $2::smallint AND NOT t.revoked GROUP BY 2"
        " ORDER BY 1, 2, 3", 2},
    /* ---- results: OIT, scores, report, exports (handlers_results.c) ---- */
    [STMT_RES_VERSION] = {"res_version",
        "SELECT revision, document::text, sha256 FROM instrument_version WHERE fiscal_year = $1::smallint", 1},
    /* Per agency of the year in scope ($4 one agency, or NULL: every agency with a year row,
     * responses or OIT marks): tallies and the response-set digest sums, read in one snapshot,
     * populations (-1: not entered) and the OIT marks as JSON. */
    [STMT_RES_DATA] = {"res_data",
        "WITH t AS MATERIALIZED (SELECT * FROM ita_tallies($1::smallint, $4::int)),"
        " d AS MATERIALIZED (SELECT * FROM ita_response_digest($1::smallint, $4::int))"
        " SELECT a.id, a.code, a.name_th, coalesce(ti.responses, 0), ti.counts::text,"
        " coalesce(te.responses, 0), te.counts::text,"
        " coalesce(ay.staff_population, -1), coalesce(ay.eit_population, -1),"
        " (SELECT json_agg(json_build_object('code', o.item_code, 'met', o.met, 'url', o.evidence_url,"
        "   'note', o.note, 'at', to_char(o.entered_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI'),"
        "   'by', coalesce(u.email, '')) ORDER BY o.item_code)::text"
        "  FROM oit_result o LEFT JOIN admin_user u ON u.id = o.entered_by"
        "  WHERE o.agency_id = a.id AND o.fiscal_year = $1::smallint),"
        " coalesce(d.responses, 0), d.s1::text, d.s2::text, d.s3::text, d.s4::text"
        " FROM agency a"
        " LEFT JOIN agency_year ay ON ay.agency_id = a.id AND ay.fiscal_year = $1::smallint"
        " LEFT JOIN t ti ON ti.agency_id = a.id AND ti.instrument = 'IIT'"
        " LEFT JOIN t te ON te.agency_id = a.id AND te.instrument = 'EIT'"
        " LEFT JOIN d ON d.agency_id = a.id"
        " WHERE ($2::boolean OR a.id = $3::int) AND ($4::int IS NULL OR a.id = $4::int)"
        " AND ($4::int IS NOT NULL OR ay.agency_id IS NOT NULL OR ti.agency_id IS NOT NULL"
        "  OR te.agency_id IS NOT NULL OR EXISTS (SELECT 1 FROM oit_result o"
        "  WHERE o.agency_id = a.id AND o.fiscal_year = $1::smallint))"
        " ORDER BY a.code", 4},
    [STMT_RES_MEASURES] = {"res_measures",
        "SELECT (SELECT json_agg(json_build_object('measure', m.measure, 'method', m.method,"
        " 'responsible', m.responsible, 'period', m.period, 'follow_up', m.follow_up)"
        " ORDER BY m.position)::text FROM improvement_measure m JOIN agency a ON a.id = m.agency_id"
        " WHERE m.agency_id = $1::int AND m.fiscal_year = $2::smallint AND ($3::boolean OR a.id = $4::int))", 4},
    /* OIT marks of the items in the arrays ($6 't', 'f', or '' = not assessed: row removed);
     * rows change only when something differs; the save is logged. */
    [STMT_RES_OIT_SAVE] = {"res_oit_save",
        "WITH a AS (SELECT id FROM agency WHERE id = $1::int AND ($2::boolean OR id = $3::int)),"
        " i AS (SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS u(code, met, url, note)),"
        " del AS (DELETE FROM oit_result o USING a, i WHERE o.agency_id = a.id"
        "  AND o.fiscal_year = $4::smallint AND o.item_code = i.code AND i.met = '' RETURNING 1),"
        " up AS (INSERT INTO oit_result AS o (agency_id, fiscal_year, item_code, met, evidence_url, note, entered_by)"
        "  SELECT a.id, $4::smallint, i.code, i.met::boolean, i.url, i.note, $9::int FROM a, i WHERE i.met <> ''"
        "  ON CONFLICT (agency_id, fiscal_year, item_code) DO UPDATE SET met = excluded.met,"
        "  evidence_url = excluded.evidence_url, note = excluded.note, entered_by = excluded.entered_by,"
        "  entered_at = now() WHERE (o.met, o.evidence_url, o.note)"
        "  IS DISTINCT FROM (excluded.met, excluded.evidence_url, excluded.note) RETURNING 1),"
        " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
        "  SELECT $9::int, 'oit_set', a.id, $4::smallint, jsonb_build_object('items', cardinality($5::text[]),"
        "  'saved', (SELECT count(*) FROM up), 'cleared', (SELECT count(*) FROM del)) FROM a RETURNING 1)"
        " SELECT EXISTS (SELECT 1 FROM a), (SELECT count(*) FROM up), (SELECT count(*) FROM del)", 9},
    /* The measures table replaced as a whole: rows 1..n upserted, rows beyond n removed. */
    [STMT_RES_MEASURES_SAVE] = {"res_measures_save",
        "WITH a AS (SELECT id FROM agency WHERE id = $1::int AND ($2::boolean OR id = $3::int)),"
        " del AS (DELETE FROM improvement_measure m USING a WHERE m.agency_id = a.id"
        "  AND m.fiscal_year = $4::smallint AND m.position > cardinality($5::text[]) RETURNING 1),"
        " ins AS (INSERT INTO improvement_measure AS m (agency_id, fiscal_year, position, measure, method,"
        "  responsible, period, follow_up, updated_by)"
        "  SELECT a.id, $4::smallint, u.n, u.measure, u.method, u.responsible, u.period, u.follow_up, $10::int"
        "  FROM a, unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY"
        "  AS u(measure, method, responsible, period, follow_up, n)"
        "  ON CONFLICT (agency_id, fiscal_year, position) DO UPDATE SET measure = excluded.measure,"
        "  method = excluded.method, responsible = excluded.responsible, period = excluded.period,"
        "  follow_up = excluded.follow_up, updated_by = excluded.updated_by, updated_at = now() RETURNING 1),"
        " log AS (INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
        "  SELECT $10::int, 'measures_set', a.id, $4::smallint,"
        "  jsonb_build_object('rows', cardinality($5::text[])) FROM a RETURNING 1)"
        " SELECT EXISTS (SELECT 1 FROM a), (SELECT count(*) FROM ins)", 10},
    /* Every export is logged, with its signed manifest, before the file is sent. */
    [STMT_RES_AUDIT] = {"res_audit",
        "INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
        " VALUES ($1::int, $2::text, $3::int, $4::smallint, jsonb_build_object('format', $5::text,"
        " 'scope', $6::text, 'file_sha256', $7::text, 'bytes', $8::bigint, 'agencies', $9::int,"
        " 'manifest', $10::text, 'file_name', $11::text)) RETURNING id", 11},
    [STMT_RES_MANIFEST] = {"res_manifest",
        "SELECT detail->>'manifest', detail->>'file_name' FROM audit_log WHERE id = $1::bigint"
        " AND action LIKE 'export%' AND detail ? 'manifest' AND ($2::boolean OR agency_id = $3::int)", 3},
};

const bool server_long_statements[STMT__COUNT] = {
    [STMT_AGENCIES_IMPORT] = true, [STMT_CONTACTS_IMPORT] = true, [STMT_LINKS_UNISSUED] = true,
    [STMT_LINKS_ISSUE] = true,     [STMT_MAILMERGE] = true,
};

static const struct route table[] = {
    {HTTP_GET, "/healthz", false, handle_healthz, "healthz", "/healthz", false},
    {HTTP_GET, "/metrics", false, handle_metrics, "metrics", "/metrics", false},
    {HTTP_GET, "/s/", true, handle_public_get, "form_public", "/s/:slug", false},
    {HTTP_POST, "/s/", true, handle_public_post, "submit_public", "/s/:slug", false},
    {HTTP_GET, "/t/", true, handle_personal_get, "form_personal", "/t/:token", false},
    {HTTP_POST, "/t/", true, handle_personal_post, "submit_personal", "/t/:token", false},
    {HTTP_GET, "/admin/login", false, handle_admin_login_get, "admin_login_form", "/admin/login", false},
    {HTTP_POST, "/admin/login", false, handle_admin_login_post, "admin_login", "/admin/login", false},
    {HTTP_GET, "/admin/", false, handle_admin_home, "admin_home", "/admin/", false},
    {HTTP_POST, "/admin/logout", false, handle_admin_logout, "admin_logout", "/admin/logout", false},
    {HTTP_GET, "/admin/agencies", false, handle_admin_agencies, "admin_agencies", "/admin/agencies", false},
    {HTTP_GET, "/admin/agency", false, handle_admin_agency, "admin_agency", "/admin/agency", false},
    {HTTP_GET, "/admin/qr", false, handle_admin_qr, "admin_qr", "/admin/qr", false},
    {HTTP_GET, "/admin/tokens", false, handle_admin_tokens, "admin_tokens", "/admin/tokens", false},
    {HTTP_POST, "/admin/tokens/new", false, handle_admin_tokens_new, "admin_tokens_new", "/admin/tokens/new", false},
    {HTTP_POST, "/admin/tokens/revoke", false, handle_admin_tokens_revoke, "admin_tokens_revoke",
     "/admin/tokens/revoke", false},
    {HTTP_GET, "/admin/users", false, handle_admin_users, "admin_users", "/admin/users", false},
    {HTTP_POST, "/admin/users/new", false, handle_admin_users_new, "admin_users_new", "/admin/users/new", false},
    {HTTP_POST, "/admin/users/disable", false, handle_admin_users_disable, "admin_users_disable",
     "/admin/users/disable", false},
    {HTTP_POST, "/admin/agencies/import", false, handle_admin_agencies_import, "admin_agencies_import",
     "/admin/agencies/import", true},
    {HTTP_POST, "/admin/agency/save", false, handle_admin_agency_save, "admin_agency_save",
     "/admin/agency/save", false},
    {HTTP_GET, "/admin/year", false, handle_admin_year, "admin_year", "/admin/year", false},
    {HTTP_POST, "/admin/year", false, handle_admin_year_post, "admin_year_save", "/admin/year", false},
    {HTTP_GET, "/admin/contacts", false, handle_admin_contacts, "admin_contacts", "/admin/contacts", false},
    {HTTP_POST, "/admin/contacts/import", false, handle_admin_contacts_import, "admin_contacts_import",
     "/admin/contacts/import", true},
    {HTTP_POST, "/admin/contacts/purge", false, handle_admin_contacts_purge, "admin_contacts_purge",
     "/admin/contacts/purge", false},
    {HTTP_POST, "/admin/links/issue", false, handle_admin_links_issue, "admin_links_issue",
     "/admin/links/issue", false},
    {HTTP_GET, "/admin/links/mailmerge", false, handle_admin_links_mailmerge, "admin_links_mailmerge",
     "/admin/links/mailmerge", false},
    {HTTP_POST, "/admin/links/reissue", false, handle_admin_links_reissue, "admin_links_reissue",
     "/admin/links/reissue", false},
    {HTTP_GET, "/admin/progress", false, handle_admin_progress, "admin_progress", "/admin/progress", false},
    /* results: OIT, scores, report, exports (handlers_results.c) */
    {HTTP_GET, "/admin/results", false, handle_admin_results, "admin_results", "/admin/results", false},
    {HTTP_POST, "/admin/oit", false, handle_admin_oit, "admin_oit", "/admin/oit", false},
    {HTTP_GET, "/admin/report", false, handle_admin_report, "admin_report", "/admin/report", false},
    {HTTP_POST, "/admin/measures", false, handle_admin_measures, "admin_measures", "/admin/measures", false},
    {HTTP_GET, "/admin/export", false, handle_admin_export, "admin_export", "/admin/export", false},
    {HTTP_GET, "/admin/export-manifest", false, handle_admin_export_manifest, "admin_export_manifest",
     "/admin/export-manifest", false},
    {HTTP_GET, "/admin/export-key", false, handle_admin_export_key, "admin_export_key", "/admin/export-key", false},
    {HTTP_GET, "/admin/export-raw", false, handle_admin_export_raw, "admin_export_raw", "/admin/export-raw", false},
};

#define NROUTES (sizeof table / sizeof table[0])

static const char *names[ROUTE_FIRST_TABLE + NROUTES];

const struct route *routes_match(enum http_method m, const char *path, bool *path_known,
                                 const char **allow)
{
    *path_known = false;
    *allow = NULL;
    for (size_t i = 0; i < NROUTES; i++) {
        size_t pl = strlen(table[i].path);
        if (table[i].prefix ? strncmp(table[i].path, path, pl) != 0 || path[pl] == '\0' ||
                                  strchr(path + pl, '/') != NULL
                            : strcmp(table[i].path, path) != 0)
            continue;
        /* HEAD is served by the GET handler without a body. */
        if (table[i].method == m || (m == HTTP_HEAD && table[i].method == HTTP_GET))
            return &table[i];
        *path_known = true;
        *allow = table[i].prefix ? "GET, HEAD, POST"
                 : table[i].method == HTTP_GET ? "GET, HEAD"
                                               : http_method_name(table[i].method);
    }
    return NULL;
}

const struct route *routes_table(size_t *n)
{
    *n = NROUTES;
    return table;
}

int routes_index(const struct route *r)
{
    return ROUTE_FIRST_TABLE + (int)(r - table);
}

size_t routes_count(void)
{
    return ROUTE_FIRST_TABLE + NROUTES;
}

const char *const *routes_names(void)
{
    if (!names[0]) {
        names[ROUTE_NOT_FOUND] = "not_found";
        names[ROUTE_BAD_REQUEST] = "bad_request";
        names[ROUTE_OVER_CAPACITY] = "over_capacity";
        for (size_t i = 0; i < NROUTES; i++)
            names[ROUTE_FIRST_TABLE + i] = table[i].name;
    }
    return names;
}
