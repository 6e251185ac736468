/* Every administrator route × every role, on the real server: nobody signed in is sent to the
 * login page on every route of the table; a system administrator sees every agency; an agency
 * administrator sees only its own and gets the same 404 for another agency's ids (guessed or
 * not) as for ids that do not exist. QR codes served to the right people decode to the link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/routes.h"
#include "testlib.h"

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 21];
static size_t page_len;
static char agency_a[16], agency_b[16], link_a[16], link_b[16], slug_a[40];
static char cookie_sys[64], cookie_a[64];

/* One administrator request (cookie and form body optional); page_len is the body's length. */
static int request(const char *method, const char *path, const char *cookie, const char *body)
{
    int st = t_admin_request(port, method, path, cookie, body, page, sizeof page);
    const char *cl = strstr(t_last_headers(), "Content-Length: ");
    page_len = cl ? strtoul(cl + 16, NULL, 10) : 0;
    return st;
}

static const char *hidden(const char *name)
{
    return t_hidden_value(page, name);
}

static void make_admin(const char *email, const char *role, const char *agency_id)
{
    t_make_admin(conninfo, email, role, agency_id);
}

static void login(const char *email, char *cookie)
{
    t_admin_login(port, email, cookie, page, sizeof page);
}

static int setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_scope"));
    const char *extra[] = {"--workers=2", "--public-url=https://ita.example.go.th", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512], cmd[2048], out[512];
    snprintf(path, sizeof path, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' --load-instruments '%s' >/dev/null 2>&1",
             t_env("ITA_ITAD"), conninfo, path);
    if (t_run_capture(cmd, out, sizeof out) != 0)
        return -1;
    snprintf(
        agency_a, sizeof agency_a, "%s",
        t_db_value(conninfo,
                   "INSERT INTO agency (code, name_th) VALUES ('A', 'เทศบาลเอ') RETURNING id"));
    snprintf(agency_b, sizeof agency_b, "%s",
             t_db_value(conninfo,
                        "INSERT INTO agency (code, name_th) VALUES ('B', 'เทศบาลบี') RETURNING id"));
    char q[512];
    snprintf(slug_a, sizeof slug_a, "AAAAAAAAAAAAAAAAAAAAAA");
    snprintf(
        q, sizeof q,
        "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at) "
        "VALUES (%s, 2566, 'EIT', '%s', now(), now() + interval '1 day') RETURNING id",
        agency_a, slug_a);
    snprintf(link_a, sizeof link_a, "%s", t_db_value(conninfo, q));
    snprintf(
        q, sizeof q,
        "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at) "
        "VALUES (%s, 2566, 'EIT', 'BBBBBBBBBBBBBBBBBBBBBB', now(), now() + interval '1 day') "
        "RETURNING id",
        agency_b);
    snprintf(link_b, sizeof link_b, "%s", t_db_value(conninfo, q));
    make_admin("sys@example.go.th", "system", "NULL");
    make_admin("a@example.go.th", "agency", agency_a);
    login("sys%40example.go.th", cookie_sys);
    login("a%40example.go.th", cookie_a);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

/* Nobody signed in: every administrator route of the table except the login page itself
 * redirects to the login page (a new route is covered without touching this test). */
static void test_every_admin_route_needs_a_session(void **state)
{
    size_t n;
    const struct route *t = routes_table(&n);
    int checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(t[i].path, "/admin/", 7) != 0 || strcmp(t[i].path, "/admin/login") == 0)
            continue;
        const char *method = t[i].method == HTTP_POST ? "POST" : "GET";
        int st = request(method, t[i].path, NULL, t[i].method == HTTP_POST ? "csrf=x" : NULL);
        if (st != 303 || !strstr(t_last_headers(), "Location: /admin/login"))
            fail_msg("%s %s without a session answered %d", method, t[i].path, st);
        /* a made-up session is no better: posts too are sent to the login page, from the head
         * before their body (and its CSRF token) is read (#19) */
        st = request(method, t[i].path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     t[i].method == HTTP_POST ? "csrf=x" : NULL);
        if (st != 303 || !strstr(t_last_headers(), "Location: /admin/login"))
            fail_msg("%s %s with a forged session answered %d", method, t[i].path, st);
        checked++;
    }
    assert_true(checked >= 5);
}

static void test_system_admin_sees_all(void **state)
{
    assert_int_equal(request("GET", "/admin/agencies", cookie_sys, NULL), 200);
    assert_non_null(strstr(page, "เทศบาลเอ"));
    assert_non_null(strstr(page, "เทศบาลบี"));
    char path[128];
    snprintf(path, sizeof path, "/admin/agency?id=%s", agency_b);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 200);
    assert_non_null(strstr(page, "https://ita.example.go.th/s/BBBBBBBBBBBBBBBBBBBBBB"));
    snprintf(path, sizeof path, "/admin/qr?link=%s&format=png", link_b);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 200);
    assert_non_null(strstr(t_last_headers(), "Content-Type: image/png"));
    /* the code decodes to the public link */
    const char *dir = t_tmpdir("scope");
    char file[512], cmd[700], out[512];
    snprintf(file, sizeof file, "%s/b.png", dir);
    FILE *f = fopen(file, "wb");
    fwrite(page, 1, page_len, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>/dev/null", file);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_string_equal(out, "https://ita.example.go.th/s/BBBBBBBBBBBBBBBBBBBBBB\n");
    /* the poster, drawn on the CPU pool */
    snprintf(path, sizeof path, "/admin/qr?link=%s&format=pdf", link_b);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 200);
    assert_non_null(strstr(t_last_headers(), "Content-Type: application/pdf"));
    assert_memory_equal(page, "%PDF-", 5);
    snprintf(path, sizeof path, "/admin/qr?link=%s&format=svg", link_a);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 200);
    assert_non_null(strstr(page, "<svg"));
    snprintf(path, sizeof path, "/admin/qr?link=%s&format=html", link_a);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 200);
    assert_non_null(strstr(page, "https://ita.example.go.th/s/AAAAAAAAAAAAAAAAAAAAAA"));
    snprintf(path, sizeof path, "/admin/qr?link=%s&format=gif", link_a);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 400);
}

static void test_agency_admin_sees_only_its_own(void **state)
{
    assert_int_equal(request("GET", "/admin/agencies", cookie_a, NULL), 200);
    assert_non_null(strstr(page, "เทศบาลเอ"));
    assert_null(strstr(page, "เทศบาลบี"));
    char path[128];
    snprintf(path, sizeof path, "/admin/agency?id=%s", agency_a);
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    assert_null(strstr(page, "BBBBBBBBBBBBBBBBBBBBBB"));
    /* another agency's ids, and ids that exist nowhere: the same 404 */
    snprintf(path, sizeof path, "/admin/agency?id=%s", agency_b);
    assert_int_equal(request("GET", path, cookie_a, NULL), 404);
    static char other[4096];
    snprintf(other, sizeof other, "%.4000s", page);
    assert_int_equal(request("GET", "/admin/agency?id=999999", cookie_a, NULL), 404);
    assert_string_equal(page, other); /* bodies are short: compared whole */
    static const char *const formats[] = {"png", "svg", "pdf", "poster-png", "html"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "/admin/qr?link=%s&format=%s", link_b, formats[i]);
        assert_int_equal(request("GET", path, cookie_a, NULL), 404);
        snprintf(path, sizeof path, "/admin/qr?link=%s&format=%s", link_a, formats[i]);
        assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    }
    assert_int_equal(request("GET", "/admin/agency?id=abc", cookie_a, NULL), 404);
    assert_int_equal(request("GET", "/admin/agency", cookie_a, NULL), 404);
}

/* ---- every administrator route x every role ---- */

/* How to call a route about one agency: %A is replaced by the agency id, %C by a contact of it,
 * %L by one of its links. Query for GET, form body for POST. */
struct route_call {
    const char *method, *path, *params;
};
static const struct route_call calls[] = {
    {"GET", "/admin/agency", "id=%A"},
    {"POST", "/admin/agency/save", "id=%A&code=%K&name_th=Renamed+by+the+matrix&kind=sao"},
    {"GET", "/admin/qr", "link=%L&format=png"},
    /* first: the year exists afterwards (GET /admin/year answers 404 for a year not set up) */
    {"POST", "/admin/year", "agency=%A&fy=2566&opens_on=2023-01-01&closes_on=2023-03-01"},
    {"GET", "/admin/year", "agency=%A&fy=2566"},
    {"GET", "/admin/contacts", "agency=%A&fy=2566&instrument=IIT"},
    {"POST", "/admin/contacts/import", "agency=%A&fy=2566&instrument=EIT"},
    {"POST", "/admin/links/issue", "agency=%A&fy=2566&instrument=EIT"},
    {"GET", "/admin/links/mailmerge", "agency=%A&fy=2566&instrument=EIT"},
    {"GET", "/admin/links/slips", "agency=%A&fy=2566&instrument=EIT&who=all"},
    {"GET", "/admin/links/reissue", "contact=%C"},
    {"POST", "/admin/links/reissue", "contact=%C"},
    {"GET", "/admin/contacts/template", "agency=%A&fy=2566&instrument=IIT"},
    {"GET", "/admin/contacts/edit", "contact=%C"},
    {"POST", "/admin/contacts/edit", "contact=%C&name=Edited+by+the+matrix"},
    {"GET", "/admin/contacts/delete", "contact=%C"},
    {"GET", "/admin/progress", "agency=%A&fy=2566"},
    /* the e-mail page of a list (mail_admin.c): sending answers 422 here (no smtp_url), never 404;
     * the EIT list stays with the mail merge that the calls above use */
    {"GET", "/admin/mail", "agency=%A&fy=2566&instrument=EIT"},
    {"POST", "/admin/mail/mode", "agency=%A&fy=2566&instrument=EIT&delivery=mailmerge&confirm=1"},
    {"POST", "/admin/mail/send", "agency=%A&fy=2566&instrument=EIT"},
    {"POST", "/admin/mail/reminders", "agency=%A&fy=2566&instrument=EIT&r1=&r2=&r3="},
    {"GET", "/admin/mail/template", "agency=%A&fy=2566&instrument=EIT&kind=invite"},
    {"POST", "/admin/mail/template", "agency=%A&fy=2566&instrument=EIT&kind=reminder&reset=1"},
    /* the year's form previewed (the POST: a check that stores nothing) */
    {"GET", "/admin/year/preview", "agency=%A&fy=2566&instrument=IIT"},
    {"POST", "/admin/year/preview", "agency=%A&fy=2566&instrument=EIT"},
    /* last: the window above has closed, so this deletes the contacts the calls above use */
    {"POST", "/admin/contacts/purge", "agency=%A&fy=2566&confirm=1"},
    /* results (server/results/) */
    {"GET", "/admin/results", "agency=%A&year=2566"},
    {"POST", "/admin/oit", "agency=%A&year=2566&met_O1=1"},
    {"GET", "/admin/report", "agency=%A&year=2566"},
    {"POST", "/admin/measures", "agency=%A&year=2566&measure_1=x"},
    /* the O42 report as files and its texts (o42_routes.c, o42_texts.c) */
    {"GET", "/admin/report.pdf", "agency=%A&year=2566"},
    {"GET", "/admin/report.docx", "agency=%A&year=2566"},
    {"POST", "/admin/report/texts", "agency=%A&year=2566&objectives=x"},
    {"GET", "/admin/export", "agency=%A&year=2566&format=csv"},
    {"GET", "/admin/export-raw", "agency=%A&year=2566"},
    /* past results (results/history.c): the save first, so that the year exists afterwards */
    {"POST", "/admin/history", "agency=%A&fy=2566&year=2565&total=90.5&rating=A"},
    {"GET", "/admin/history", "agency=%A&fy=2566"},
    {"GET", "/admin/history/delete", "agency=%A&fy=2566&year=2565"},
    {"POST", "/admin/history/upload", "agency=%A&fy=2566"},
    {"GET", "/admin/history/template", "agency=%A&fy=2566"},
    /* refused while the year is not final (409), never 404 for one's own */
    {"POST", "/admin/history/publish", "agency=%A&fy=2566"},
    /* the OIT work pages (server/oit/): units, the year's overview and CSV, one item; copying
     * 2565 and the suggested units answer 409 here (no 2565 version, no units_th), never 404 */
    {"POST", "/admin/units", "agency=%A&year=2566&op=add&name=Finance"},
    {"GET", "/admin/units", "agency=%A&year=2566"},
    {"GET", "/admin/oit-work", "agency=%A&year=2566"},
    {"GET", "/admin/oit-work.csv", "agency=%A&year=2566"},
    {"POST", "/admin/oit-work/copy", "agency=%A&year=2566&shift=1"},
    {"POST", "/admin/oit-work/suggested", "agency=%A&year=2566"},
    {"POST", "/admin/oit-work/item",
     "agency=%A&year=2566&code=O1&op=save&state=ready&due_on=2023-01-31"},
    {"GET", "/admin/oit-work/item", "agency=%A&year=2566&code=O1"},
};
/* Routes that are about no particular agency: the home page, the agency list, one's own API
 * tokens and the system administrators' pages (checked in test_accounts below and in
 * test_admin_setup_e2e). */
static const char *const unscoped[] = {
    "/admin/agencies/import", "/admin/tokens", "/admin/tokens/new", "/admin/tokens/revoke",
    "/admin/users", "/admin/users/new", "/admin/users/disable", "/admin/users/enable",
    "/admin/users/unlock", "/admin/users/reset", "/admin/password", "/admin/", "/admin/login",
    "/admin/logout", "/admin/agencies", "/admin/export-manifest", "/admin/export-key",
    /* an agency administrator's ?agency= is ignored: own entries only (browser_audit) */
    "/admin/audit",
    /* system administrators only (403 for agency ones:
       test_admin_instruments_e2e) */
    "/admin/instruments", "/admin/instruments/upload", "/admin/instruments/draft",
    "/admin/instruments/publish", "/admin/instruments/discard", "/admin/instruments/preview",
    /* system administrators only: test_national_view_system_only below */
    "/admin/national",
    /* one file for many agencies: system administrators only (browser_history) */
    "/admin/history/import", NULL};

/* Routes that succeed once per contact, checked on their own after the matrix. */
static const struct route_call once[] = {
    {"POST", "/admin/contacts/delete", "contact=%C"},
    {"POST", "/admin/history/delete", "agency=%A&fy=2566&year=2565"},
};

static char contact_a[24], contact_b[24], token_a[64], token_sys[64];

static const char *expand(const char *tmpl, bool b)
{
    static char out[512];
    size_t o = 0;
    for (const char *p = tmpl; *p && o < sizeof out - 32; p++) {
        if (*p == '%' && (p[1] == 'A' || p[1] == 'C' || p[1] == 'L' || p[1] == 'K')) {
            const char *v = p[1] == 'A'   ? (b ? agency_b : agency_a)
                            : p[1] == 'K' ? (b ? "B" : "A")
                            : p[1] == 'C' ? (b ? contact_b : contact_a)
                                          : (b ? link_b : link_a);
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", v);
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}

/* Calls c about agency B (b) or A as: a session cookie (with its CSRF token) or an API token. */
static int call(const struct route_call *c, bool b, const char *cookie, const char *csrf,
                const char *api_token)
{
    const char *params = expand(c->params, b);
    struct t_conn tc;
    if (!t_connect(&tc, port, NULL, 0))
        return -1;
    char head[2048], body[768] = "";
    bool post = strcmp(c->method, "POST") == 0;
    int n = snprintf(head, sizeof head,
                     "%s %s%s%s HTTP/1.1\r\nHost: localhost:%d\r\n"
                     "Origin: https://localhost:%d\r\n",
                     c->method, c->path, post ? "" : "?", post ? "" : params, port, port);
    if (post)
        snprintf(body, sizeof body, "%s%s%s", csrf ? "csrf=" : "", csrf ? csrf : "",
                 csrf ? "&" : "");
    if (post)
        snprintf(body + strlen(body), sizeof body - strlen(body), "%s", params);
    if (cookie)
        n += snprintf(head + n, sizeof head - (size_t)n, "Cookie: ita_admin=%s\r\n", cookie);
    if (api_token)
        n += snprintf(head + n, sizeof head - (size_t)n, "Authorization: Bearer %s\r\n", api_token);
    if (post)
        n += snprintf(head + n, sizeof head - (size_t)n,
                      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n",
                      strlen(body));
    n += snprintf(head + n, sizeof head - (size_t)n, "Connection: close\r\n\r\n");
    int st = -1;
    if (t_send(&tc, head, (size_t)n) && (!post || t_send(&tc, body, strlen(body))))
        st = t_read_response(&tc, page, sizeof page, 30000);
    t_close(&tc);
    return st;
}

static void api_token_for(const char *email, char out[64])
{
    assert_int_equal(t_create_api_token(conninfo, srv.dir, email, out, 64), 0);
    assert_int_equal(strlen(out), 43);
}

static void test_every_route_every_role(void **state)
{
    /* every administrator route of the table is in the matrix, or explicitly about no agency */
    size_t nr;
    const struct route *t = routes_table(&nr);
    for (size_t i = 0; i < nr; i++) {
        if (strncmp(t[i].path, "/admin/", 7) != 0)
            continue;
        bool known = false;
        for (size_t k = 0; unscoped[k]; k++)
            known |= strcmp(unscoped[k], t[i].path) == 0;
        for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++)
            known |= strcmp(calls[k].path, t[i].path) == 0 &&
                     strcmp(calls[k].method, t[i].method == HTTP_POST ? "POST" : "GET") == 0;
        for (size_t k = 0; k < sizeof once / sizeof once[0]; k++)
            known |= strcmp(once[k].path, t[i].path) == 0 &&
                     strcmp(once[k].method, t[i].method == HTTP_POST ? "POST" : "GET") == 0;
        if (!known)
            fail_msg("route %s %s is not in the role matrix of this test",
                     t[i].method == HTTP_POST ? "POST" : "GET", t[i].path);
    }
    char q[512];
    snprintf(q, sizeof q,
             "INSERT INTO contact (agency_id, fiscal_year, instrument, name, dedupe_key) "
             "VALUES (%s, 2566, 'EIT', 'คนของเอ', 'a') RETURNING id",
             agency_a);
    snprintf(contact_a, sizeof contact_a, "%s", t_db_value(conninfo, q));
    snprintf(q, sizeof q,
             "INSERT INTO contact (agency_id, fiscal_year, instrument, name, dedupe_key) "
             "VALUES (%s, 2566, 'EIT', 'คนของบี', 'b') RETURNING id",
             agency_b);
    snprintf(contact_b, sizeof contact_b, "%s", t_db_value(conninfo, q));
    api_token_for("a@example.go.th", token_a);
    api_token_for("sys@example.go.th", token_sys);
    char csrf_a[64], csrf_sys[64];
    assert_int_equal(request("GET", "/admin/", cookie_a, NULL), 200);
    snprintf(csrf_a, sizeof csrf_a, "%s", hidden("csrf"));
    assert_int_equal(request("GET", "/admin/", cookie_sys, NULL), 200);
    snprintf(csrf_sys, sizeof csrf_sys, "%s", hidden("csrf"));
    {
        /* deleting the whole list from a browser needs its confirmation box ticked: without it
         * 422 and a Thai page saying so, nothing deleted (itactl's API call is the explicit
         * command itself) */
        const char *before = t_db_value(conninfo, "SELECT count(*) FROM contact");
        char n_before[16];
        snprintf(n_before, sizeof n_before, "%s", before);
        const struct route_call unconfirmed = {"POST", "/admin/contacts/purge",
                                               "agency=%A&fy=2566"};
        assert_int_equal(call(&unconfirmed, false, cookie_a, csrf_a, NULL), 422);
        assert_non_null(strstr(page, "ทำเครื่องหมายยืนยัน"));
        assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), n_before);
    }
    for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++) {
        const struct route_call *c = &calls[k];
        /* agency administrator, about another agency: 404 as a browser and as a program */
        int st = call(c, true, cookie_a, csrf_a, NULL);
        if (st != 404)
            fail_msg("agency admin (session) %s %s about agency B answered %d", c->method, c->path,
                     st);
        st = call(c, true, NULL, NULL, token_a);
        if (st != 404)
            fail_msg("agency admin (API token) %s %s about agency B answered %d", c->method,
                     c->path, st);
        /* about its own agency it is served (or told what is missing), never 404 or 403 */
        st = call(c, false, cookie_a, csrf_a, NULL);
        if (st == 404 || st == 403 || st == 401 || st < 200)
            fail_msg("agency admin (session) %s %s about its own agency answered %d", c->method,
                     c->path, st);
        st = call(c, false, NULL, NULL, token_a);
        if (st == 404 || st == 403 || st == 401 || st < 200)
            fail_msg("agency admin (API token) %s %s about its own agency answered %d", c->method,
                     c->path, st);
        /* the system administrator reaches both */
        st = call(c, true, cookie_sys, csrf_sys, NULL);
        if (st == 404 || st == 403 || st == 401 || st < 200)
            fail_msg("system admin (session) %s %s about agency B answered %d", c->method, c->path,
                     st);
        st = call(c, true, NULL, NULL, token_sys);
        if (st == 404 || st == 403 || st == 401 || st < 200)
            fail_msg("system admin (API token) %s %s about agency B answered %d", c->method,
                     c->path, st);
    }
    /* nothing of agency B was changed by agency A's attempts: B's contact got exactly the
     * system administrator's two reissues (then the purge) */
    snprintf(q, sizeof q,
             "SELECT count(*) FROM audit_log WHERE action = 'link_reissue'"
             " AND agency_id = %s AND detail->>'contact' = '%s'",
             agency_b, contact_b);
    assert_string_equal(t_db_value(conninfo, q), "2");
    /* and B's delivery mode and reminder days were set by the system administrator alone */
    snprintf(q, sizeof q,
             "SELECT string_agg(action || ':' || n, ',' ORDER BY action) FROM (SELECT action,"
             " count(*) AS n FROM audit_log WHERE agency_id = %s AND action LIKE 'mail%%'"
             " GROUP BY action) x",
             agency_b);
    assert_string_equal(t_db_value(conninfo, q),
                        "mail_delivery_set:2,mail_reminders_set:2,mail_template_set:2");
    /* deleting one contact: agency A cannot delete B's (404 as a browser
     * and as a program), its own goes (303 to the list); the system
     * administrator deletes B's with its API token */
    {
        snprintf(q, sizeof q,
                 "INSERT INTO contact (agency_id, fiscal_year, instrument, name, dedupe_key) "
                 "VALUES (%s, 2566, 'EIT', 'คนของเอ', 'a') RETURNING id",
                 agency_a);
        snprintf(contact_a, sizeof contact_a, "%s", t_db_value(conninfo, q));
        snprintf(q, sizeof q,
                 "INSERT INTO contact (agency_id, fiscal_year, instrument, name, dedupe_key) "
                 "VALUES (%s, 2566, 'EIT', 'คนของบี', 'b') RETURNING id",
                 agency_b);
        snprintf(contact_b, sizeof contact_b, "%s", t_db_value(conninfo, q));
        assert_int_equal(call(&once[0], true, cookie_a, csrf_a, NULL), 404);
        assert_int_equal(call(&once[0], true, NULL, NULL, token_a), 404);
        assert_int_equal(call(&once[0], false, cookie_a, csrf_a, NULL), 303);
        assert_int_equal(call(&once[0], true, NULL, NULL, token_sys), 200);
        assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), "0");
    }
    {
        /* deleting a past year: the matrix saved 2565 for both agencies; agency A cannot delete
         * B's (404 as a browser and as a program), its own goes (303 to the page); the system
         * administrator deletes B's with its API token; then nothing is left to delete (404) */
        assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM agency_result"), "2");
        assert_int_equal(call(&once[1], true, cookie_a, csrf_a, NULL), 404);
        assert_int_equal(call(&once[1], true, NULL, NULL, token_a), 404);
        assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM agency_result"), "2");
        assert_int_equal(call(&once[1], false, cookie_a, csrf_a, NULL), 303);
        assert_int_equal(call(&once[1], true, NULL, NULL, token_sys), 200);
        assert_int_equal(call(&once[1], true, NULL, NULL, token_sys), 404);
        assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM agency_result"), "0");
        assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM audit_log"
                                                 " WHERE action = 'result_history_delete'"),
                            "2");
    }
}

/* Account pages: an agency administrator sees and manages only the agency accounts of its own
 * agency: it cannot make a system administrator, nor reach a system account or another agency's,
 * nor revoke someone else's API token. */
static void test_accounts(void **state)
{
    make_admin("b@example.go.th", "agency", agency_b);
    char sys_id[16], b_id[16];
    snprintf(sys_id, sizeof sys_id, "%s",
             t_db_value(conninfo, "SELECT id FROM admin_user WHERE email = 'sys@example.go.th'"));
    snprintf(b_id, sizeof b_id, "%s",
             t_db_value(conninfo, "SELECT id FROM admin_user WHERE email = 'b@example.go.th'"));
    char csrf_a[64];
    assert_int_equal(request("GET", "/admin/", cookie_a, NULL), 200);
    snprintf(csrf_a, sizeof csrf_a, "%s", hidden("csrf"));
    /* the list: the own agency's accounts only, even when searched for by name */
    assert_int_equal(request("GET", "/admin/users", cookie_a, NULL), 200);
    assert_non_null(strstr(page, "a@example.go.th"));
    assert_null(strstr(page, "sys@example.go.th"));
    assert_null(strstr(page, "b@example.go.th"));
    assert_int_equal(request("GET", "/admin/users?q=example", cookie_a, NULL), 200);
    assert_null(strstr(page, "sys@example.go.th"));
    assert_null(strstr(page, "b@example.go.th"));
    /* no system administrator, whatever is posted */
    char body[256];
    snprintf(body, sizeof body,
             "csrf=%s&email=evil%%40example.go.th&role=system&agency_code=", csrf_a);
    assert_int_equal(request("POST", "/admin/users/new", cookie_a, body), 403);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM admin_user WHERE email LIKE 'evil%'"), "0");
    /* a colleague: always of the own agency, whatever agency code is posted */
    snprintf(body, sizeof body,
             "csrf=%s&email=colleague%%40example.go.th&role=agency&agency_code=B", csrf_a);
    assert_int_equal(request("POST", "/admin/users/new", cookie_a, body), 200);
    assert_non_null(strstr(page, "new-password"));
    char q[256];
    snprintf(q, sizeof q,
             "SELECT role || ':' || (agency_id = %s) FROM admin_user "
             "WHERE email = 'colleague@example.go.th'",
             agency_a);
    assert_string_equal(t_db_value(conninfo, q), "agency:true");
    /* a system account and another agency's: 404 on every action, nothing changed */
    static const char *const acts[][2] = {
        {"POST", "/admin/users/disable"}, {"POST", "/admin/users/enable"},
        {"POST", "/admin/users/unlock"},  {"POST", "/admin/users/reset"},
        {"GET", "/admin/users/disable"},  {"GET", "/admin/users/reset"},
    };
    const char *ids[] = {sys_id, b_id};
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++) {
        for (size_t i = 0; i < 2; i++) {
            char path[128];
            bool post = !strcmp(acts[k][0], "POST");
            snprintf(path, sizeof path, "%s%s%s", acts[k][1],
                     post ? "" : "?id=", post ? "" : ids[i]);
            snprintf(body, sizeof body, "csrf=%s&id=%s", csrf_a, ids[i]);
            int st = request(acts[k][0], path, cookie_a, post ? body : NULL);
            if (st != 404)
                fail_msg("agency admin %s %s on account %s answered %d", acts[k][0], path, ids[i],
                         st);
        }
    }
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM admin_user WHERE disabled"),
                        "0");
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT count(*) FROM audit_log WHERE action LIKE 'admin_%' "
                                   "AND action <> 'admin_create'"),
                        "0");
    /* the system administrator's token id, revoked by the agency administrator: not found */
    snprintf(body, sizeof body, "csrf=%s&id=%s", csrf_a,
             t_db_value(conninfo,
                        "SELECT min(t.id) FROM api_token t JOIN admin_user u ON u.id = t.user_id "
                        "WHERE u.role = 'system'"));
    assert_int_equal(request("POST", "/admin/tokens/revoke", cookie_a, body), 404);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM api_token WHERE revoked"), "0");
    /* the home page of an agency administrator leads to its own agency's accounts */
    assert_int_equal(request("GET", "/admin/", cookie_a, NULL), 200);
    assert_non_null(strstr(page, "/admin/users"));
}

/* The national view: every agency's progress is a system administrator's; an agency
 * administrator is refused (403, a Thai page or JSON), as a browser and as a program, whatever
 * the format asked. */
static void test_national_view_system_only(void **state)
{
    static const struct route_call views[] = {
        {"GET", "/admin/national", "fy=2566"},
        {"GET", "/admin/national", "fy=2566&format=csv"},
        {"GET", "/admin/national", "fy=2566&format=json&state=low14"},
    };
    for (size_t k = 0; k < sizeof views / sizeof views[0]; k++) {
        assert_int_equal(call(&views[k], false, cookie_a, NULL, NULL), 403);
        assert_int_equal(call(&views[k], false, NULL, NULL, token_a), 403);
        assert_int_equal(call(&views[k], false, cookie_sys, NULL, NULL), 200);
        assert_int_equal(call(&views[k], false, NULL, NULL, token_sys), 200);
    }
    assert_int_equal(call(&views[0], false, cookie_a, NULL, NULL), 403);
    assert_non_null(strstr(page, "เฉพาะผู้ดูแลระบบ"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_admin_route_needs_a_session),
        cmocka_unit_test(test_system_admin_sees_all),
        cmocka_unit_test(test_agency_admin_sees_only_its_own),
        cmocka_unit_test(test_every_route_every_role),
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_national_view_system_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
