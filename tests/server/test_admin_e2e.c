/* Administrator sign-in against the real server and database: the first administrator made by
 * `itad --create-admin`, wrong and unknown credentials refused alike, lockout after five failures,
 * the session cookie's flags, the signed-in page, CSRF-protected sign-out that really ends the
 * session, and only hashes stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char password[64];
static char page[1 << 18];

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_admin"));
    const char *extra[] = {"--workers=2", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char cmd[1024], out[1024];
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' --create-admin Admin@Example.go.th 2>&1",
             t_env("ITA_ITAD"), conninfo);
    if (t_run_capture(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "%s\n", out);
        return -1;
    }
    const char *p = strstr(out, "): ");
    if (!p)
        return -1;
    snprintf(password, sizeof password, "%.*s", (int)strcspn(p + 3, "\n"), p + 3);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static int request(const char *method, const char *path, const char *cookie, bool origin,
                   const char *body)
{
    char header[160];
    if (cookie)
        snprintf(header, sizeof header, "Cookie: theme=dark; ita_admin=%s", cookie);
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = cookie ? header : NULL,
                           .no_origin = !origin,
                           .ctype = "application/x-www-form-urlencoded",
                           .body = body,
                           .body_len = body ? strlen(body) : 0,
                           .timeout_ms = 15000};
    return t_http(port, &r, page, sizeof page);
}

static const char *hidden(const char *name)
{
    return t_hidden_value(page, name);
}

/* Signs in; returns the HTTP status and leaves the session token (if any) in cookie_out. */
static int login(const char *email, const char *pw, char *cookie_out)
{
    assert_int_equal(request("GET", "/admin/login", NULL, false, NULL), 200);
    char body[512];
    snprintf(body, sizeof body, "f=%s&email=%s&password=%s", hidden("f"), email, pw);
    int st = request("POST", "/admin/login", NULL, true, body);
    cookie_out[0] = '\0';
    const char *sc = strstr(t_last_headers(), "Set-Cookie: ita_admin=");
    if (sc) {
        sc += strlen("Set-Cookie: ita_admin=");
        snprintf(cookie_out, 64, "%.*s", (int)strcspn(sc, ";\r"), sc);
    }
    return st;
}

static void test_sign_in_and_out(void **state)
{
    char cookie[64];
    /* not signed in: sent to the login page */
    assert_int_equal(request("GET", "/admin/", NULL, false, NULL), 303);
    assert_non_null(strstr(t_last_headers(), "Location: /admin/login"));
    assert_int_equal(request("GET", "/admin/login", NULL, false, NULL), 200);
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_non_null(strstr(page, "เข้าสู่ระบบ"));
    /* wrong password and unknown user: the same answer, no cookie */
    assert_int_equal(login("admin%40example.go.th", "wrong", cookie), 401);
    assert_non_null(strstr(page, "อีเมลหรือรหัสผ่านไม่ถูกต้อง"));
    assert_string_equal(cookie, "");
    assert_int_equal(login("nobody%40example.go.th", "wrong", cookie), 401);
    assert_non_null(strstr(page, "อีเมลหรือรหัสผ่านไม่ถูกต้อง"));
    /* the e-mail typed stays in its field (for a known and an unknown account alike), escaped */
    assert_non_null(strstr(page, "name=\"email\" autocomplete=\"username\" required "
                                 "value=\"nobody@example.go.th\""));
    assert_int_equal(login("a%22%3E%3Cb%3E%40example.go.th", "wrong", cookie), 401);
    assert_non_null(strstr(page, "value=\"a&quot;&gt;&lt;b&gt;@example.go.th\""));
    /* the right password (e-mail in any case): a session cookie with every protection */
    assert_int_equal(login("ADMIN%40example.go.th", password, cookie), 303);
    assert_non_null(strstr(t_last_headers(), "Location: /admin/"));
    assert_int_equal(strlen(cookie), 43);
    const char *sc = strstr(t_last_headers(), "Set-Cookie: ");
    assert_non_null(strstr(sc, "HttpOnly"));
    assert_non_null(strstr(sc, "Secure"));
    assert_non_null(strstr(sc, "SameSite=Strict"));
    assert_int_equal(request("GET", "/admin/", cookie, false, NULL), 200);
    assert_non_null(strstr(page, "admin@example.go.th"));
    assert_non_null(strstr(page, "ผู้ดูแลระบบ"));
    /* the database keeps hashes only */
    assert_string_equal(t_db_value(conninfo, "SELECT left(password_hash, 10) FROM admin_user"),
                        "$argon2id$");
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM admin_user WHERE password_hash LIKE '%%%s%%'",
             password);
    assert_string_equal(t_db_value(conninfo, q), "0");
    assert_string_equal(t_db_value(conninfo, "SELECT min(length(token_hash)) FROM admin_session"),
                        "32");
    /* sign-out needs the CSRF token and a same-origin post */
    char csrf[64];
    snprintf(csrf, sizeof csrf, "%s", hidden("csrf"));
    assert_int_equal(request("POST", "/admin/logout", cookie, true, "csrf=wrong"), 403);
    /* itactl and curl (no Accept: text/html) get plain text, in Thai too, with the reason as
     * the technical detail ... */
    assert_non_null(strstr(page, "403 ส่งแบบฟอร์มนี้ไม่ได้: "));
    assert_non_null(strstr(page, "(รายละเอียดทางเทคนิค: missing or wrong CSRF token)"));
    /* ... a browser gets a Thai page saying what to do, nothing in English */
    {
        char hdr[200];
        snprintf(hdr, sizeof hdr, "Cookie: ita_admin=%s\r\nAccept: text/html,*/*;q=0.8", cookie);
        struct t_http_req r = {.method = "POST",
                               .path = "/admin/logout",
                               .header = hdr,
                               .ctype = "application/x-www-form-urlencoded",
                               .body = "csrf=wrong",
                               .body_len = 10,
                               .timeout_ms = 15000};
        assert_int_equal(t_http(port, &r, page, sizeof page), 403);
        assert_non_null(strstr(page, "<html lang=\"th\""));
        assert_non_null(strstr(page, "<title>ส่งแบบฟอร์มนี้ไม่ได้"));
        assert_non_null(strstr(page, "โหลดหน้าใหม่ แล้วส่งอีกครั้ง"));
        assert_non_null(strstr(page, "href=\"/admin/\""));
        assert_null(strstr(page, "CSRF"));
    }
    char body[128];
    snprintf(body, sizeof body, "csrf=%s", csrf);
    assert_int_equal(request("POST", "/admin/logout", cookie, false, body), 403);
    assert_int_equal(request("GET", "/admin/", cookie, false, NULL), 200); /* still signed in */
    assert_int_equal(request("POST", "/admin/logout", cookie, true, body), 303);
    /* the old cookie is worthless now */
    assert_int_equal(request("GET", "/admin/", cookie, false, NULL), 303);
    /* a forged cookie too */
    assert_int_equal(
        request("GET", "/admin/", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, NULL), 303);
    /* a login form posted from another site */
    assert_int_equal(request("POST", "/admin/login", NULL, false, "email=a&password=b"), 403);
}

static void test_lockout(void **state)
{
    char cookie[64];
    for (int i = 0; i < 5; i++)
        assert_int_equal(login("admin%40example.go.th", "wrong", cookie), 401);
    /* locked: even the right password fails, with the same message */
    assert_int_equal(login("admin%40example.go.th", password, cookie), 401);
    assert_string_equal(cookie, "");
    assert_string_equal(
        t_db_value(conninfo, "SELECT locked_until > now() + interval '14 minutes' FROM admin_user"),
        "t");
    /* attempts on the locked account do not extend the lock (#19): set it to end sooner, try
     * again with a wrong and the right password, and the end stays where it was */
    assert_non_null(t_db_value(
        conninfo, "UPDATE admin_user SET locked_until = now() + interval '1 minute' RETURNING 1"));
    char before[64];
    snprintf(before, sizeof before, "%s",
             t_db_value(conninfo, "SELECT locked_until::text FROM admin_user"));
    assert_int_equal(login("admin%40example.go.th", "wrong", cookie), 401);
    assert_int_equal(login("admin%40example.go.th", password, cookie), 401);
    assert_string_equal(t_db_value(conninfo, "SELECT locked_until::text FROM admin_user"), before);
    assert_string_equal(t_db_value(conninfo, "SELECT failed_logins FROM admin_user"), "5");
    /* the lock expired: one wrong password starts a new count instead of locking again */
    assert_non_null(t_db_value(
        conninfo, "UPDATE admin_user SET locked_until = now() - interval '1 second' RETURNING 1"));
    assert_int_equal(login("admin%40example.go.th", "wrong", cookie), 401);
    assert_string_equal(t_db_value(conninfo, "SELECT failed_logins || ' ' ||"
                                             " coalesce(locked_until::text, 'unlocked')"
                                             " FROM admin_user"),
                        "1 unlocked");
    /* when the lock has expired, the right password works and clears the count */
    assert_non_null(t_db_value(
        conninfo, "UPDATE admin_user SET locked_until = now() - interval '1 second' RETURNING 1"));
    assert_int_equal(login("admin%40example.go.th", password, cookie), 303);
    assert_string_equal(t_db_value(conninfo, "SELECT failed_logins FROM admin_user"), "0");
}

static void test_create_admin_cli(void **state)
{
    char cmd[1024], out[1024];
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' --create-admin admin@example.go.th 2>&1",
             t_env("ITA_ITAD"), conninfo);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "already exists"));
    snprintf(
        cmd, sizeof cmd,
        "'%s' --database-url='%s' --create-admin other@example.go.th --if-no-admin 2>/dev/null",
        t_env("ITA_ITAD"), conninfo);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_string_equal(out, ""); /* there is one already: nothing made, nothing printed */
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM admin_user"), "1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_in_and_out),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_create_admin_cli),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
