/* The printed link slips against the real server and database: a staff list where some have no
 * e-mail, links issued, GET /admin/links/slips as the agency's clerk gives a PDF (attachment, not
 * stored by caches) holding exactly the people without e-mail, each printed link opening the IIT
 * form; who=all prints everyone; each download leaves one audit row with its count; a clerk of
 * another agency gets 404; nothing to print answers a Thai page (409) saying what to do; the
 * contacts page shows the section with its warning once links exist. Page 1 is rendered to PNG
 * in test-output/slips-e2e/ for looking. */
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
#include <sys/stat.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 22];
static size_t page_len;
static char agency_a[16], agency_b[16];
static char bearer[160];
static char cookie_a[64], cookie_b[64];

static int request(const char *method, const char *path, const char *header, const char *ctype,
                   const void *body, size_t body_len)
{
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = header,
                           .ctype = ctype,
                           .body = body,
                           .body_len = body_len,
                           .timeout_ms = 30000};
    int st = t_http(port, &r, page, sizeof page);
    const char *cl = strstr(t_last_headers(), "Content-Length: ");
    page_len = cl ? strtoul(cl + 16, NULL, 10) : 0;
    return st;
}

static int api(const char *method, const char *path, const char *form)
{
    return request(method, path, bearer, "application/x-www-form-urlencoded", form,
                   form ? strlen(form) : 0);
}

/* A GET as a signed-in clerk (cookie value). */
static int clerk_get(const char *cookie, const char *path)
{
    char h[128];
    snprintf(h, sizeof h, "Cookie: ita_admin=%s", cookie);
    return request("GET", path, h, NULL, NULL, 0);
}

static const char *outdir(void)
{
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/../test-output", t_env("ITA_TEST_TMP"));
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/../test-output/slips-e2e", t_env("ITA_TEST_TMP"));
    mkdir(dir, 0755);
    return dir;
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_slips"));
    const char *extra[] = {"--workers=2", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512], cmd[2048], out[1024];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    snprintf(cmd, sizeof cmd,
             "'%s' --database-url='%s' --create-admin sys@example.go.th >/dev/null 2>&1",
             t_env("ITA_ITAD"), conninfo);
    if (t_run_capture(cmd, out, sizeof out) != 0)
        return -1;
    char tok[64];
    if (t_create_api_token(conninfo, srv.dir, "sys@example.go.th", tok, sizeof tok) != 0)
        return -1;
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", tok);
    snprintf(agency_a, sizeof agency_a, "%s",
             t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('MUNI1', "
                                  "'เทศบาลตำบลใบแจ้ง') RETURNING id"));
    snprintf(agency_b, sizeof agency_b, "%s",
             t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('OTHER', "
                                  "'หน่วยงานอื่น') RETURNING id"));
    t_make_admin(conninfo, "a@example.go.th", "agency", agency_a);
    t_make_admin(conninfo, "b@example.go.th", "agency", agency_b);
    t_admin_login(port, "a%40example.go.th", cookie_a, page, sizeof page);
    t_admin_login(port, "b%40example.go.th", cookie_b, page, sizeof page);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

/* Three of five without e-mail. */
static const char *const no_email[] = {"นายสมชาย รักงาน", "นางสาวมาลี ไม่มีเมล", "นายช่าง ซ่อมดี"};
static const char *const with_email[] = {"นางสาวสมศรี ใจดี", "นายเมล มีที่อยู่"};
static const char staff_csv[] = "ชื่อ-นามสกุล,อีเมล,โทรศัพท์,หน่วยงานย่อย,วันที่เริ่มปฏิบัติงาน\r\n"
                                "นางสาวสมศรี ใจดี,somsri@example.go.th,,กองคลัง,1/10/2560\r\n"
                                "นายสมชาย รักงาน,,02 123 4567,กองช่าง,1/10/2558\r\n"
                                "นางสาวมาลี ไม่มีเมล,,,สำนักปลัด,1/10/2559\r\n"
                                "นายเมล มีที่อยู่,mail@example.go.th,,กองช่าง,1/10/2555\r\n"
                                "นายช่าง ซ่อมดี,,,,1/10/2550\r\n";

static char slips_path[128];

/* The PDF of the last answer written to name in the output folder; its text with line breaks
 * removed (a link may be printed on two lines) into text. */
static void pdf_text(const char *name, char *text, size_t size)
{
    char path[700], cmd[1600];
    snprintf(path, sizeof path, "%s/%s", outdir(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(page, 1, page_len, f), page_len);
    fclose(f);
    snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' - | tr -d '\\n\\f'", path);
    assert_int_equal(t_run_capture(cmd, text, size), 0);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_year_and_list(void **state)
{
    char form[256], from[16], to[16];
    snprintf(from, sizeof from, "%s",
             t_db_value(conninfo, "SELECT to_char(now()::date - 10, 'YYYY-MM-DD')"));
    snprintf(to, sizeof to, "%s",
             t_db_value(conninfo, "SELECT to_char(now()::date + 30, 'YYYY-MM-DD')"));
    snprintf(form, sizeof form,
             "code=MUNI1&fy=2566&opens_on=%s&closes_on=%s&staff_population=20&eit_population=30",
             from, to);
    assert_int_equal(api("POST", "/admin/year", form), 200);
    assert_int_equal(request("POST", "/admin/contacts/import?code=MUNI1&fy=2566&instrument=IIT",
                             bearer, "text/csv", staff_csv, strlen(staff_csv)),
                     200);
    assert_non_null(strstr(page, "\"imported\":5"));
    snprintf(slips_path, sizeof slips_path, "/admin/links/slips?agency=%s&fy=2566&instrument=IIT",
             agency_a);
}

static void test_nothing_to_print_yet(void **state)
{
    /* no link issued yet: a Thai page saying to issue links first, nothing logged */
    assert_int_equal(clerk_get(cookie_a, slips_path), 409);
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_non_null(strstr(page, "<title>"));
    assert_non_null(strstr(page, "ยังไม่มีใบแจ้งลิงก์ให้พิมพ์"));
    assert_non_null(strstr(page, "ออกลิงก์"));
    assert_non_null(strstr(page, "กลับไปหน้ารายชื่อ"));
    /* the contacts page has no slips section before any link exists */
    char path[160];
    snprintf(path, sizeof path, "/admin/contacts?agency=%s&fy=2566&instrument=IIT", agency_a);
    assert_int_equal(clerk_get(cookie_a, path), 200);
    assert_null(strstr(page, "id=\"slips\""));
    /* the EIT list is empty: nothing to print for anyone */
    snprintf(path, sizeof path, "/admin/links/slips?agency=%s&fy=2566&instrument=EIT&who=all",
             agency_a);
    assert_int_equal(clerk_get(cookie_a, path), 409);
    assert_non_null(strstr(page, "นำเข้ารายชื่อ"));
    /* a bad who= is refused */
    snprintf(path, sizeof path, "%s&who=boss", slips_path);
    assert_int_equal(clerk_get(cookie_a, path), 400);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'links_slips'"), "0");
}

static void test_slips_of_those_without_email(void **state)
{
    assert_int_equal(api("POST", "/admin/links/issue", "code=MUNI1&fy=2566&instrument=IIT"), 200);
    assert_non_null(strstr(page, "\"issued\":5"));
    /* the section on the contacts page, with its warning and both downloads */
    char path[200];
    snprintf(path, sizeof path, "/admin/contacts?agency=%s&fy=2566&instrument=IIT", agency_a);
    assert_int_equal(clerk_get(cookie_a, path), 200);
    assert_non_null(strstr(page, "ใบแจ้งลิงก์สำหรับผู้ไม่มีอีเมล"));
    assert_non_null(strstr(page, "จะถือลิงก์ส่วนบุคคลของทุกคนในใบนั้น และตอบแทนผู้อื่นได้"));
    assert_non_null(strstr(page, "id=\"slips-noemail\""));
    assert_non_null(strstr(page, "&amp;who=all\""));

    assert_int_equal(clerk_get(cookie_a, slips_path), 200);
    const char *h = t_last_headers();
    assert_non_null(strstr(h, "Content-Type: application/pdf"));
    assert_non_null(
        strstr(h, "Content-Disposition: attachment; filename=\"ita-MUNI1-2566-IIT-slips.pdf\""));
    assert_non_null(strstr(h, "Cache-Control: no-store"));
    assert_memory_equal(page, "%PDF-", 5);
    static char text[1 << 16];
    pdf_text("noemail.pdf", text, sizeof text);
    for (size_t i = 0; i < sizeof no_email / sizeof no_email[0]; i++)
        assert_int_equal(count(text, no_email[i]), 1);
    for (size_t i = 0; i < sizeof with_email / sizeof with_email[0]; i++)
        assert_int_equal(count(text, with_email[i]), 0);
    assert_non_null(strstr(text, "เทศบาลตำบลใบแจ้ง"));
    assert_non_null(strstr(text, "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)"));
    assert_non_null(strstr(text, "ปีงบประมาณ พ.ศ. 2566"));
    assert_int_equal(count(text, "ตอบได้ถึง "), 3);
    /* every printed link is this server's and opens the IIT form; three different ones */
    char base[64], tokens[3][40];
    snprintf(base, sizeof base, "https://localhost:%d/t/", port);
    size_t n = 0;
    for (const char *p = strstr(text, base); p; p = strstr(p + 1, base)) {
        assert_true(n < 3);
        snprintf(tokens[n], sizeof tokens[n], "%.32s", p + strlen(base));
        assert_int_equal(strlen(tokens[n]), 32);
        for (size_t k = 0; k < n; k++)
            assert_string_not_equal(tokens[k], tokens[n]);
        n++;
    }
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        char t[64];
        snprintf(t, sizeof t, "/t/%s", tokens[i]);
        assert_int_equal(request("GET", t, NULL, NULL, NULL, 0), 200);
        assert_non_null(strstr(page, "เทศบาลตำบลใบแจ้ง"));
        assert_non_null(strstr(page, "ภายใน"));
    }
    /* one audit row, with the instrument and how many slips */
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = "
                                             "'links_slips' AND detail->>'instrument' = 'IIT' "
                                             "AND detail->>'who' = 'noemail' AND "
                                             "detail->>'count' = '3'"),
                        "1");
    /* page 1 as PNG, for looking */
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "pdftoppm -r 100 -png -f 1 -l 1 '%s/noemail.pdf' '%s/noemail'",
             outdir(), outdir());
    char out[256];
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
}

static void test_everyone_and_scope(void **state)
{
    char path[200];
    snprintf(path, sizeof path, "%s&who=all", slips_path);
    assert_int_equal(clerk_get(cookie_a, path), 200);
    static char text[1 << 16];
    pdf_text("all.pdf", text, sizeof text);
    for (size_t i = 0; i < sizeof no_email / sizeof no_email[0]; i++)
        assert_int_equal(count(text, no_email[i]), 1);
    for (size_t i = 0; i < sizeof with_email / sizeof with_email[0]; i++)
        assert_int_equal(count(text, with_email[i]), 1);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = "
                                             "'links_slips' AND detail->>'who' = 'all' AND "
                                             "detail->>'count' = '5'"),
                        "1");
    /* another agency's clerk: the same 404 as for an agency that does not exist, nothing logged */
    assert_int_equal(clerk_get(cookie_b, slips_path), 404);
    assert_int_equal(clerk_get(cookie_b, path), 404);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'links_slips'"), "2");
    /* nobody without e-mail left: the Thai 409 page says so and what else to do */
    t_db_value(conninfo, "UPDATE contact SET email = 'x' || id || '@example.go.th' WHERE email = "
                         "'' RETURNING 1");
    assert_int_equal(clerk_get(cookie_a, slips_path), 409);
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_non_null(strstr(page, "ไม่มีรายชื่อที่ไม่มีอีเมล"));
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'links_slips'"), "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year_and_list),
        cmocka_unit_test(test_nothing_to_print_yet),
        cmocka_unit_test(test_slips_of_those_without_email),
        cmocka_unit_test(test_everyone_and_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
