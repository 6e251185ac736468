/* SQL of the administrator pages: sign-in and sessions, the agency list and pages, accounts and
 * API tokens. */
#include "admin_sql.h"

DB_STATEMENT(
    admin_by_email, ADMIN_BY_EMAIL,
    "SELECT id, password_hash, locked_until IS NOT NULL AND locked_until > now() AS locked,"
    " disabled"
    " FROM admin_user WHERE email = lower($1)");
/* a successful sign-in clears the failure count and opens an 8-hour session */
DB_STATEMENT(admin_login_ok, ADMIN_LOGIN_OK,
             "WITH u AS (UPDATE admin_user SET failed_logins = 0, locked_until = NULL WHERE id = $1"
             "  RETURNING id)"
             " INSERT INTO admin_session (token_hash, user_id, expires_at)"
             " SELECT $2, id, now() + interval '8 hours' FROM u");
/* the fifth failure in a row locks the account for 15 minutes; an attempt while it is locked
 * changes nothing (hammering a locked account must not keep its owner out longer), and the first
 * failure after the lock expired starts a new count. txid_current() gives the transaction an id
 * either way, so its commit is flushed like a real update's: an unknown address (user 0) or a
 * locked account takes as long as a counted failure. */
DB_STATEMENT(admin_login_fail, ADMIN_LOGIN_FAIL,
             "WITH c AS (SELECT id, coalesce(locked_until > now(), false) AS locked,"
             "  CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE 1 END AS n"
             "  FROM admin_user WHERE id = $1),"
             " u AS (UPDATE admin_user u SET failed_logins = c.n,"
             "  locked_until = CASE WHEN c.n >= 5 THEN now() + interval '15 minutes' END"
             "  FROM c WHERE u.id = c.id AND NOT c.locked RETURNING u.id)"
             " SELECT txid_current() AS xid, (SELECT count(*) FROM u) AS counted");
DB_STATEMENT(
    session_user, SESSION_USER,
    "SELECT u.id, u.email, u.role, coalesce(a.name_th, '') AS agency_name, u.agency_id"
    " FROM admin_session s JOIN admin_user u ON u.id = s.user_id"
    " LEFT JOIN agency a ON a.id = u.agency_id"
    " WHERE s.token_hash = $1 AND NOT s.revoked AND s.expires_at > now() AND NOT u.disabled");
/* the day a token was last used is recorded (one write per token and day at most) */
DB_STATEMENT(api_token_user, API_TOKEN_USER,
             "WITH used AS (UPDATE api_token SET last_used_on = current_date WHERE token_hash = $1"
             "  AND NOT revoked AND last_used_on IS DISTINCT FROM current_date)"
             " SELECT u.id, u.email, u.role, coalesce(a.name_th, '') AS agency_name, u.agency_id"
             " FROM api_token t JOIN admin_user u ON u.id = t.user_id"
             " LEFT JOIN agency a ON a.id = u.agency_id"
             " WHERE t.token_hash = $1 AND NOT t.revoked AND NOT u.disabled");
DB_STATEMENT(session_revoke, SESSION_REVOKE,
             "UPDATE admin_session SET revoked = true WHERE token_hash = $1");
/* Administrator queries carry the scope: $system (boolean) or the administrator's agency. */
/* One page of the agency list: search, type and parent filters, any column sorted either way
 * (ties by code), the count of all matching on every row (sql/0015 indexes the columns). */
#define AGENCY_SORT_KEY                                                                            \
    "CASE $8 WHEN 'code' THEN a.code WHEN 'name' THEN a.name_th WHEN 'kind' THEN a.kind"           \
    " WHEN 'parent' THEN p.code END"
DB_STATEMENT(
    admin_agencies, ADMIN_AGENCIES,
    "SELECT a.id, a.code, a.name_th, a.kind, coalesce(p.code, '') AS parent_code,"
    " coalesce(p.name_th, '') AS parent_name, coalesce(p.id::text, '') AS parent_id,"
    " to_char(a.created_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD') AS created,"
    " count(*) OVER () AS total,"
    " (SELECT coalesce(string_agg(fiscal_year::text, ',' ORDER BY fiscal_year DESC), '')"
    "  FROM instrument_version) AS years"
    " FROM agency a LEFT JOIN agency p ON p.id = a.parent_id"
    " WHERE ($1::bool OR a.id = $2::int)"
    " AND ($3::text = '' OR a.code ILIKE $3 OR a.name_th ILIKE $3)"
    " AND CASE $4::text WHEN 'is' THEN a.kind = $5::text WHEN 'none' THEN a.kind = ''"
    "  WHEN 'other' THEN a.kind <> '' AND a.kind <> ALL ($6::text[]) ELSE true END"
    " AND CASE $7::text WHEN '' THEN true WHEN '-' THEN a.parent_id IS NULL ELSE p.code = $7 END"
    " ORDER BY CASE WHEN NOT $9::bool THEN " AGENCY_SORT_KEY " END ASC,"
    " CASE WHEN $9::bool THEN " AGENCY_SORT_KEY " END DESC,"
    " CASE WHEN $8 = 'created' AND NOT $9::bool THEN a.created_at END ASC,"
    " CASE WHEN $8 = 'created' AND $9::bool THEN a.created_at END DESC, a.code"
    " LIMIT $11::int OFFSET $10::int");
DB_STATEMENT(admin_agency, ADMIN_AGENCY,
             "SELECT a.id, a.code, a.name_th, a.kind, coalesce(p.code, '') AS parent_code,"
             " (SELECT coalesce(string_agg(fiscal_year::text, ',' ORDER BY fiscal_year DESC), '')"
             "  FROM instrument_version) AS years,"
             " coalesce(p.name_th, '') AS parent_name, coalesce(p.id::text, '') AS parent_id"
             " FROM agency a LEFT JOIN agency p ON p.id = a.parent_id"
             " WHERE a.id = $1 AND ($2 OR a.id = $3)");
/* ---- accounts (accounts.c) ---- */
DB_STATEMENT(
    tokens_list, TOKENS_LIST,
    "SELECT id, name, to_char(created_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI') "
    "AS created,"
    " revoked, coalesce(to_char(last_used_on, 'YYYY-MM-DD'), '') AS last_used FROM api_token"
    " WHERE user_id = $1::int ORDER BY id DESC LIMIT 200");
DB_STATEMENT(token_create, TOKEN_CREATE,
             "WITH t AS (INSERT INTO api_token (token_hash, user_id, name) VALUES ($1::bytea, "
             "$2::int, $3)"
             "  RETURNING id),"
             " log AS (INSERT INTO audit_log (admin_id, action, detail)"
             "  SELECT $2::int, 'api_token_create', jsonb_build_object('token', id, 'name', "
             "$3::text) FROM t)"
             " SELECT id FROM t");
DB_STATEMENT(
    token_revoke, TOKEN_REVOKE,
    "WITH t AS (UPDATE api_token SET revoked = true WHERE id = $1::int AND user_id = $2::int"
    "  RETURNING id),"
    " log AS (INSERT INTO audit_log (admin_id, action, detail)"
    "  SELECT $2::int, 'api_token_revoke', jsonb_build_object('token', id) FROM t)"
    " SELECT count(*) FROM t");
/* Account statements carry the scope like the agency pages: $sys (boolean) and the signed-in
 * administrator's own agency; an agency administrator reaches only the agency accounts of the
 * own agency. */
#define USER_IN_SCOPE(u, sys, agency)                                                              \
    "(" sys "::bool OR (" u ".role = 'agency' AND " u ".agency_id = " agency "::int))"
/* By e-mail (the default) the disabled accounts come last, as the list always showed them. The
 * last sign-in is the newest session (each sign-in opens one; admin_session_user indexes
 * them by account). */
#define USERS_SORT_KEY                                                                             \
    "CASE $9::text WHEN 'email' THEN u.email WHEN 'agency' THEN a.name_th WHEN 'role' THEN u.role" \
    " END"
#define USER_LOCKED "coalesce(u.locked_until > now(), false)"
DB_STATEMENT(
    users_page, USERS_PAGE,
    "SELECT u.id, u.email, u.role, coalesce(a.code, '') AS agency_code,"
    " coalesce(a.name_th, '') AS agency_name, u.disabled, " USER_LOCKED " AS locked,"
    " coalesce(to_char(u.locked_until AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI'), '')"
    " AS locked_until, count(*) OVER () AS total,"
    " coalesce(to_char(ls.at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM-DD HH24:MI'), '') AS last_signin"
    " FROM admin_user u LEFT JOIN agency a ON a.id = u.agency_id"
    " LEFT JOIN LATERAL (SELECT max(s.created_at) AS at FROM admin_session s"
    "  WHERE s.user_id = u.id) ls ON true"
    " WHERE " USER_IN_SCOPE(
        "u", "$1",
        "$2") " AND ($3 = '' OR u.email ILIKE $3"
              "  OR u.name_th ILIKE $3 OR a.code ILIKE $3 OR a.name_th ILIKE $3)"
              " AND ($6::text = '' OR u.role = $6) AND ($7::text = '' OR a.code = $7)"
              " AND CASE $8::text WHEN 'active' THEN NOT u.disabled AND NOT " USER_LOCKED
              "  WHEN 'disabled' THEN u.disabled WHEN 'locked' THEN NOT u.disabled AND " USER_LOCKED
              "  ELSE true END"
              " ORDER BY CASE WHEN $9 = 'email' THEN u.disabled END,"
              " CASE WHEN NOT $10::bool THEN " USERS_SORT_KEY " END ASC,"
              " CASE WHEN $10::bool THEN " USERS_SORT_KEY " END DESC,"
              " CASE WHEN $9 = 'last' AND NOT $10::bool THEN ls.at END ASC NULLS FIRST,"
              " CASE WHEN $9 = 'last' AND $10::bool THEN ls.at END DESC NULLS LAST, u.email, u.id"
              " LIMIT $5::int OFFSET $4::int");
DB_STATEMENT(user_one, USER_ONE,
             "SELECT u.id, u.email, u.role, coalesce(a.name_th, '') AS agency_name, u.disabled,"
             " coalesce(u.locked_until > now(), false) AS locked FROM admin_user u"
             " LEFT JOIN agency a ON a.id = u.agency_id"
             " WHERE u.id = $1::int AND u.id <> $2::int AND " USER_IN_SCOPE("u", "$3", "$4"));
/* $2 role, $3 agency code (system administrators; an agency administrator's own agency is $7).
 * An e-mail already taken inserts nothing and answers whether that account is disabled and
 * (existing_id, 0 otherwise) within the scope. */
DB_STATEMENT(
    user_create, USER_CREATE,
    "WITH ag AS (SELECT CASE WHEN $2 = 'system' THEN NULL WHEN $6::bool"
    "  THEN (SELECT id FROM agency WHERE code = $3) ELSE $7::int END AS id),"
    " u AS (INSERT INTO admin_user (email, role, agency_id, password_hash)"
    "  SELECT lower($1), $2, ag.id, $4 FROM ag"
    "  WHERE ($2 = 'system' AND $6::bool) OR ($2 = 'agency' AND ag.id IS NOT NULL)"
    "  ON CONFLICT (email) DO NOTHING RETURNING id, agency_id),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
    "  SELECT $5::int, 'admin_create', agency_id,"
    "  jsonb_build_object('user', id, 'role', $2::text, 'agency', $3::text) FROM u)"
    " SELECT coalesce((SELECT id FROM u), 0) AS id,"
    " ($2 = 'system' OR (SELECT id FROM ag) IS NOT NULL) AS agency_found,"
    " coalesce((SELECT e.id FROM admin_user e WHERE e.email = lower($1)"
    "  AND " USER_IN_SCOPE(
        "e", "$6",
        "$7") "), 0) AS existing_id,"
              " coalesce((SELECT e.disabled FROM admin_user e WHERE e.email = lower($1)), false)"
              " AS existing_disabled,"
              " EXISTS (SELECT 1 FROM admin_user e WHERE e.email = lower($1)) AS existing");
/* Switching an account (disable, enable, unlock): $1 account, $2 the administrator (never
 * oneself), $3 system, $4 own agency → how many were changed (0 or 1). Disabling ends the
 * account's sessions and API tokens at once; enabling and unlocking clear the failure count. */
#define SWITCH_SQL(set, where, action, extra)                                                      \
    "WITH u AS (UPDATE admin_user SET " set " WHERE id = $1::int AND id <> $2::int AND " where     \
    "  AND " USER_IN_SCOPE(                                                                        \
        "admin_user", "$3",                                                                        \
        "$4") " RETURNING id, agency_id)," extra                                                   \
              " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"               \
              "  SELECT $2::int, '" action "', agency_id, jsonb_build_object('user', id) FROM u)"  \
              " SELECT count(*) FROM u"
DB_STATEMENT(user_disable, USER_SWITCH,
             SWITCH_SQL("disabled = true", "NOT disabled", "admin_disable",
                        " s AS (UPDATE admin_session SET revoked = true"
                        "  WHERE user_id IN (SELECT id FROM u) AND NOT revoked),"
                        " t AS (UPDATE api_token SET revoked = true"
                        "  WHERE user_id IN (SELECT id FROM u) AND NOT revoked),"));
DB_STATEMENT(user_enable, USER_SWITCH,
             SWITCH_SQL("disabled = false, failed_logins = 0, locked_until = NULL", "disabled",
                        "admin_enable", ""));
DB_STATEMENT(user_unlock, USER_SWITCH,
             SWITCH_SQL("failed_logins = 0, locked_until = NULL",
                        "NOT disabled AND locked_until > now()", "admin_unlock", ""));
/* A new password set by an administrator: the account's sessions end, the lock is lifted. */
DB_STATEMENT(
    user_reset, USER_RESET,
    "WITH u AS (UPDATE admin_user SET password_hash = $5, failed_logins = 0,"
    "  locked_until = NULL WHERE id = $1::int AND id <> $2::int AND NOT disabled "
    "AND " USER_IN_SCOPE(
        "admin_user", "$3",
        "$4") " RETURNING id, email, agency_id),"
              " s AS (UPDATE admin_session SET revoked = true"
              "  WHERE user_id IN (SELECT id FROM u) AND NOT revoked),"
              " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
              "  SELECT $2::int, 'admin_password_reset', agency_id, jsonb_build_object('user', id)"
              "  FROM u)"
              " SELECT email FROM u");
/* One's own password: the stored hash to check the current one against (a wrong one counts as a
 * failed sign-in, sql_admin_login_fail, so the page cannot be used to guess it), then the new
 * hash; every other session of the account ends ($3: the HMAC of the session kept). */
DB_STATEMENT(own_password, OWN_PASSWORD,
             "SELECT password_hash, coalesce(locked_until > now(), false) AS locked"
             " FROM admin_user WHERE id = $1::int AND NOT disabled");
DB_STATEMENT(
    own_password_set, OWN_PASSWORD_SET,
    "WITH u AS (UPDATE admin_user SET password_hash = $2, failed_logins = 0 WHERE id = $1::int"
    "  AND NOT disabled RETURNING id, agency_id),"
    " s AS (UPDATE admin_session SET revoked = true WHERE user_id IN (SELECT id FROM u)"
    "  AND NOT revoked AND token_hash <> $3::bytea),"
    " log AS (INSERT INTO audit_log (admin_id, action, agency_id, detail)"
    "  SELECT id, 'admin_password_change', agency_id, '{}' FROM u)"
    " SELECT count(*) FROM u");
DB_STATEMENT(admin_agency_links, ADMIN_AGENCY_LINKS,
             "SELECT id, fiscal_year, instrument, slug, revoked_at IS NOT NULL AS revoked FROM "
             "survey_link"
             " WHERE agency_id = $1 ORDER BY fiscal_year DESC, instrument, id");
DB_STATEMENT(admin_link, ADMIN_LINK,
             "SELECT l.slug, l.fiscal_year, l.instrument, a.name_th FROM survey_link l"
             " JOIN agency a ON a.id = l.agency_id"
             " WHERE l.id = $1 AND l.revoked_at IS NULL AND ($2 OR l.agency_id = $3)");

const struct db_statement *const admin_statements[] = {
    &sql_admin_by_email,     &sql_admin_login_ok, &sql_admin_login_fail, &sql_session_user,
    &sql_api_token_user,     &sql_session_revoke, &sql_admin_agencies,   &sql_admin_agency,
    &sql_tokens_list,        &sql_token_create,   &sql_token_revoke,     &sql_users_page,
    &sql_user_one,           &sql_user_create,    &sql_user_disable,     &sql_user_enable,
    &sql_user_unlock,        &sql_user_reset,     &sql_own_password,     &sql_own_password_set,
    &sql_admin_agency_links, &sql_admin_link,
};
const size_t admin_statements_count = sizeof admin_statements / sizeof admin_statements[0];
