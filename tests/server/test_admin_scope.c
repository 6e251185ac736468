/* Every administrator route × every role, on the real server: nobody signed in is sent to the
 * login page on every route of the table; a system administrator sees every agency; an agency
 * administrator sees only its own and gets the same 404 for another agency's ids (guessed or
 * not) as for ids that do not exist. QR codes served to the right people decode to the link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "routes.h"
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

static int request(const char *method, const char *path, const char *cookie, const char *body)
{
    struct t_conn c;
    if (!t_connect(&c, port, NULL, 0))
        return -1;
    char head[2048];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://localhost:%d\r\n",
                     method, path, port, port);
    if (cookie)
        n += snprintf(head + n, sizeof head - (size_t)n, "Cookie: ita_admin=%s\r\n", cookie);
    if (body)
        n += snprintf(head + n, sizeof head - (size_t)n,
                      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n", strlen(body));
    n += snprintf(head + n, sizeof head - (size_t)n, "Connection: close\r\n\r\n");
    int st = -1;
    long clen = 0;
    (void)clen;
    if (t_send(&c, head, (size_t)n) && (!body || t_send(&c, body, strlen(body))))
        st = t_read_response(&c, page, sizeof page, 30000);
    const char *cl = strstr(t_last_headers(), "Content-Length: ");
    page_len = cl ? strtoul(cl + 16, NULL, 10) : 0;
    t_close(&c);
    return st;
}

static const char *hidden(const char *name)
{
    return t_hidden_value(page, name);
}

static void make_admin(const char *email, const char *role, const char *agency_id)
{
    char hash[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(hash, "correct horse", 13, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
    char q[1024];
    snprintf(q, sizeof q, "INSERT INTO admin_user (email, role, agency_id, password_hash) "
                          "VALUES ('%s', '%s', %s, '%s') RETURNING id", email, role, agency_id, hash);
    assert_non_null(t_db_value(conninfo, q));
}

static void login(const char *email, char *cookie)
{
    assert_int_equal(request("GET", "/admin/login", NULL, NULL), 200);
    char body[512];
    snprintf(body, sizeof body, "f=%s&email=%s&password=correct+horse", hidden("f"), email);
    assert_int_equal(request("POST", "/admin/login", NULL, body), 303);
    const char *sc = strstr(t_last_headers(), "Set-Cookie: ita_admin=");
    assert_non_null(sc);
    sc += strlen("Set-Cookie: ita_admin=");
    snprintf(cookie, 64, "%.*s", (int)strcspn(sc, ";"), sc);
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
    snprintf(agency_a, sizeof agency_a, "%s", t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('A', 'เทศบาลเอ') RETURNING id"));
    snprintf(agency_b, sizeof agency_b, "%s", t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('B', 'เทศบาลบี') RETURNING id"));
    char q[512];
    snprintf(slug_a, sizeof slug_a, "AAAAAAAAAAAAAAAAAAAAAA");
    snprintf(q, sizeof q, "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at) "
                          "VALUES (%s, 2566, 'EIT', '%s', now(), now() + interval '1 day') RETURNING id", agency_a, slug_a);
    snprintf(link_a, sizeof link_a, "%s", t_db_value(conninfo, q));
    snprintf(q, sizeof q, "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at) "
                          "VALUES (%s, 2566, 'EIT', 'BBBBBBBBBBBBBBBBBBBBBB', now(), now() + interval '1 day') RETURNING id", agency_b);
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
        /* a made-up session is no better */
        st = request(method, t[i].path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     t[i].method == HTTP_POST ? "csrf=x" : NULL);
        if (t[i].method == HTTP_POST ? st != 403 : st != 303)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_admin_route_needs_a_session),
        cmocka_unit_test(test_system_admin_sees_all),
        cmocka_unit_test(test_agency_admin_sees_only_its_own),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
