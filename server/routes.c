/* Route table and statement table: the one place that lists what the server answers and which
 * SQL it may run. Every statement is prepared on each connection and takes parameters only. */
#include "routes.h"

#include <string.h>

const struct db_statement server_statements[STMT__COUNT] = {
    [STMT_HEALTH] = {"health", "SELECT 1", 0},
    [STMT_ROLLUP] = {"rollup", "SELECT ita_rollup()", 0},
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
    [STMT_SESSION_REVOKE] = {"session_revoke",
        "UPDATE admin_session SET revoked = true WHERE token_hash = $1", 1},
    /* Administrator queries carry the scope: $system (boolean) or the administrator's agency. */
    [STMT_ADMIN_AGENCIES] = {"admin_agencies",
        "SELECT id, code, name_th FROM agency WHERE ($1 OR id = $2) ORDER BY code"
        " LIMIT 101 OFFSET $3", 3},
    [STMT_ADMIN_AGENCY] = {"admin_agency",
        "SELECT id, code, name_th FROM agency WHERE id = $1 AND ($2 OR id = $3)", 3},
    [STMT_ADMIN_AGENCY_LINKS] = {"admin_agency_links",
        "SELECT id, fiscal_year, instrument, slug, revoked_at IS NOT NULL FROM survey_link"
        " WHERE agency_id = $1 ORDER BY fiscal_year DESC, instrument, id", 1},
    [STMT_ADMIN_LINK] = {"admin_link",
        "SELECT l.slug, l.fiscal_year, l.instrument, a.name_th FROM survey_link l"
        " JOIN agency a ON a.id = l.agency_id"
        " WHERE l.id = $1 AND l.revoked_at IS NULL AND ($2 OR l.agency_id = $3)", 3},
};

static const struct route table[] = {
    {HTTP_GET, "/healthz", false, handle_healthz, "healthz", "/healthz"},
    {HTTP_GET, "/metrics", false, handle_metrics, "metrics", "/metrics"},
    {HTTP_GET, "/s/", true, handle_public_get, "form_public", "/s/:slug"},
    {HTTP_POST, "/s/", true, handle_public_post, "submit_public", "/s/:slug"},
    {HTTP_GET, "/t/", true, handle_personal_get, "form_personal", "/t/:token"},
    {HTTP_POST, "/t/", true, handle_personal_post, "submit_personal", "/t/:token"},
    {HTTP_GET, "/admin/login", false, handle_admin_login_get, "admin_login_form", "/admin/login"},
    {HTTP_POST, "/admin/login", false, handle_admin_login_post, "admin_login", "/admin/login"},
    {HTTP_GET, "/admin/", false, handle_admin_home, "admin_home", "/admin/"},
    {HTTP_POST, "/admin/logout", false, handle_admin_logout, "admin_logout", "/admin/logout"},
    {HTTP_GET, "/admin/agencies", false, handle_admin_agencies, "admin_agencies", "/admin/agencies"},
    {HTTP_GET, "/admin/agency", false, handle_admin_agency, "admin_agency", "/admin/agency"},
    {HTTP_GET, "/admin/qr", false, handle_admin_qr, "admin_qr", "/admin/qr"},
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
