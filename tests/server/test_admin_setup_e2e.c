/* Setting up a fiscal year against the real server and database, through the JSON API (bearer
 * API token) and through the browser forms (session cookie, multipart upload): year settings and
 * the public links they create, minimum samples, contact list import (UTF-8 with BOM and
 * Windows-874; a bad list imports nothing; re-import adds no duplicates; staff under one year left
 * out), issuing personal links that really open the form, the mail-merge CSV, reissue revoking
 * the old link, progress with k-anonymity, and the PDPA purge. A second server started with a
 * non-default --results-min-responses shows that progress hides days by that same threshold. */
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
static char token[64];
static char page[1 << 22];
static char agency[16];

/* One request; ctype and body optional; auth is "Bearer x" or "Cookie: ..." style header line. */
static int request(const char *method, const char *path, const char *auth_header, const char *ctype,
                   const void *body, size_t body_len)
{
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = auth_header,
                           .ctype = ctype,
                           .body = body,
                           .body_len = body_len,
                           .timeout_ms = 30000};
    return t_http(port, &r, page, sizeof page);
}

static char bearer[160];

static int api(const char *method, const char *path, const char *form)
{
    return request(method, path, bearer, "application/x-www-form-urlencoded", form,
                   form ? strlen(form) : 0);
}

static int api_csv(const char *path, const void *csv, size_t len)
{
    return request("POST", path, bearer, "text/csv", csv, len);
}

/* A fresh database `db` and a server on it started with extra, the 2566 instruments loaded, a
 * system administrator with an API token (bearer) and the agencies MUNI1 and OTHER. */
static int start(const char *db, const char *const *extra)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create(db));
    t_server_start(&srv, port, conninfo, extra);
    char path[512], cmd[2048], out[1024];
    snprintf(path, sizeof path, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' --load-instruments '%s' 2>&1",
             t_env("ITA_ITAD"), conninfo, path);
    if (t_run_capture(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "%s\n", out);
        return -1;
    }
    snprintf(cmd, sizeof cmd,
             "'%s' --database-url='%s' --create-admin sys@example.go.th >/dev/null 2>&1",
             t_env("ITA_ITAD"), conninfo);
    if (t_run_capture(cmd, out, sizeof out) != 0)
        return -1;
    /* the server's own secret file must sign the token (t_create_api_token passes it) */
    if (t_create_api_token(conninfo, srv.dir, "sys@example.go.th", token, sizeof token) != 0)
        return -1;
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", token);
    snprintf(
        agency, sizeof agency, "%s",
        t_db_value(
            conninfo,
            "INSERT INTO agency (code, name_th) VALUES ('MUNI1', 'เทศบาลตำบลทดสอบ') RETURNING id"));
    t_db_value(conninfo,
               "INSERT INTO agency (code, name_th) VALUES ('OTHER', 'หน่วยงานอื่น') RETURNING id");
    return 0;
}

static int setup(void **state)
{
    const char *extra[] = {"--workers=2", NULL};
    return start("ita_setup", extra);
}

#define K_CONFIGURED 8 /* not the default 5: progress must follow the server's configuration */

static int setup_k(void **state)
{
    const char *extra[] = {"--workers=2", "--results-min-responses=8", NULL};
    return start("ita_setup_k", extra);
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static void test_api_token_required(void **state)
{
    char saved[160];
    snprintf(saved, sizeof saved, "%s", bearer);
    snprintf(bearer, sizeof bearer,
             "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_int_equal(api("GET", "/admin/year?code=MUNI1&fy=2566", NULL), 401);
    assert_non_null(strstr(page, "\"error\""));
    snprintf(bearer, sizeof bearer, "Authorization: Bearer short");
    assert_int_equal(api("GET", "/admin/year?code=MUNI1&fy=2566", NULL), 401);
    snprintf(bearer, sizeof bearer, "%s", saved);
    /* the database keeps only the token's HMAC */
    char q[256];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM api_token WHERE encode(token_hash, 'escape') LIKE '%%%s%%'",
             token);
    assert_string_equal(t_db_value(conninfo, q), "0");
}

/* Today + offset days in Thailand, YYYY-MM-DD (static buffer per call site: copy it). */
static void day(int offset, char out[16])
{
    char q[160];
    snprintf(q, sizeof q,
             "SELECT to_char((now() AT TIME ZONE 'Asia/Bangkok')::date + %d, 'YYYY-MM-DD')",
             offset);
    snprintf(out, 16, "%s", t_db_value(conninfo, q));
}

static void test_agencies(void **state)
{
    /* a national list in Windows-874 would work the same; here UTF-8 with a parent defined
     * later in the same file */
    static const char list[] = "รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภทหน่วยงาน,หน่วยงานต้นสังกัด\r\n"
                               "T-01,เทศบาลตำบลหนึ่ง,เทศบาลตำบล,PROV-1\r\n"
                               "PROV-1,องค์การบริหารส่วนจังหวัดหนึ่ง,pao,\r\n";
    assert_int_equal(api_csv("/admin/agencies/import", list, strlen(list)), 200);
    assert_non_null(strstr(page, "\"inserted\":2"));
    assert_string_equal(t_db_value(conninfo, "SELECT p.code FROM agency a JOIN agency p ON p.id = "
                                             "a.parent_id WHERE a.code = 'T-01'"),
                        "PROV-1");
    /* again with a changed name: updated, not duplicated */
    static const char list2[] = "code,name\nT-01,เทศบาลตำบลหนึ่ง (ชื่อใหม่)\n";
    assert_int_equal(api_csv("/admin/agencies/import", list2, strlen(list2)), 200);
    assert_non_null(strstr(page, "\"updated\":1"));
    assert_string_equal(t_db_value(conninfo, "SELECT name_th FROM agency WHERE code = 'T-01'"),
                        "เทศบาลตำบลหนึ่ง (ชื่อใหม่)");
    /* an unknown parent: nothing imported, the code named */
    static const char bad[] = "code,name,parent\nT-02,เทศบาลสอง,NOPE\n";
    assert_int_equal(api_csv("/admin/agencies/import", bad, strlen(bad)), 422);
    assert_non_null(strstr(page, "NOPE"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM agency WHERE code = 'T-02'"),
                        "0");
    /* bad rows: every one reported */
    static const char bad2[] = "code,name\nbad code,x\nT-03,\n";
    assert_int_equal(api_csv("/admin/agencies/import", bad2, strlen(bad2)), 422);
    assert_non_null(strstr(page, "\"error_count\":2"));
    /* one agency: created, duplicate code refused, edited */
    assert_int_equal(api("POST", "/admin/agency/save",
                         "code=T-04&name_th=%E0%B8%AA%E0%B8%B5%E0%B9%88&parent_code=PROV-1"),
                     201);
    assert_int_equal(api("POST", "/admin/agency/save", "code=T-04&name_th=again"), 409);
    assert_int_equal(api("POST", "/admin/agency/save", "code=T-05&name_th=x&parent_code=NOPE"),
                     422);
    char form[256];
    snprintf(form, sizeof form, "id=%s&code=T-04B&name_th=renamed&kind=sao&parent_code=",
             t_db_value(conninfo, "SELECT id FROM agency WHERE code = 'T-04'"));
    assert_int_equal(api("POST", "/admin/agency/save", form), 200);
    assert_string_equal(
        t_db_value(conninfo, "SELECT code || '|' || name_th || '|' || kind || '|' || (parent_id IS "
                             "NULL) FROM agency WHERE code = 'T-04B'"),
        "T-04B|renamed|องค์การบริหารส่วนตำบล|true");
    /* the list as JSON */
    assert_int_equal(api("GET", "/admin/agencies", NULL), 200);
    assert_non_null(strstr(page, "\"code\":\"T-01\""));
    assert_non_null(strstr(page, "\"parent_code\":\"PROV-1\""));
    assert_string_equal(
        t_db_value(
            conninfo,
            "SELECT count(*) FROM audit_log WHERE action IN ('agencies_import', 'agency_create')"),
        "3");
}

static void test_year_settings(void **state)
{
    char m400[16], m10[16], p30[16], p60[16];
    day(-400, m400);
    day(-10, m10);
    day(30, p30);
    day(60, p60);
    /* not set up yet */
    assert_int_equal(api("GET", "/admin/year?code=MUNI1&fy=2566", NULL), 404);
    /* malformed input: a clear error, nothing stored */
    assert_int_equal(
        api("POST", "/admin/year", "code=MUNI1&fy=2566&opens_on=2023-02-30&closes_on=2023-03-01"),
        400);
    assert_non_null(strstr(page, "ปปปป-ดด-วว"));
    assert_int_equal(
        api("POST", "/admin/year", "code=MUNI1&fy=2566&opens_on=2023-03-01&closes_on=2023-02-01"),
        400);
    assert_int_equal(
        api("POST", "/admin/year",
            "code=MUNI1&fy=2566&opens_on=2023-01-01&closes_on=2023-02-01&staff_population=12x"),
        400);
    assert_int_equal(
        api("POST", "/admin/year", "code=MUNI1&fy=2567&opens_on=2024-01-01&closes_on=2024-02-01"),
        409);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM agency_year"), "0");
    /* the window covers today so the links work */
    char form[512];
    snprintf(form, sizeof form,
             "code=MUNI1&fy=2566&opens_on=%s&closes_on=%s&staff_population=300&eit_population=5000",
             m400, p30);
    assert_int_equal(api("POST", "/admin/year", form), 400); /* longer than a year */
    snprintf(form, sizeof form,
             "code=MUNI1&fy=2566&opens_on=%s&closes_on=%s&staff_population=300&eit_population=5000",
             m10, p30);
    assert_int_equal(api("POST", "/admin/year", form), 200);
    /* saved as asked through the API, with what a clerk would have had to confirm: the window
     * is outside fiscal year 2566 */
    assert_non_null(strstr(page, "\"warnings\":[\"ช่วงเวลารับคำตอบไม่อยู่ในปีงบประมาณ\"]"));
    /* IIT: at least 25 of 300; EIT: 400 for more than 4,000 */
    assert_non_null(strstr(page, "\"min_sample\":{\"IIT\":25,\"EIT\":400}"));
    assert_non_null(strstr(page, "\"staff_population\":300"));
    assert_non_null(strstr(page, "/s/"));
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM survey_link WHERE revoked_at IS NULL"), "2");
    /* saving again moves the window, keeps the links */
    char slugs[256];
    snprintf(
        slugs, sizeof slugs, "%s",
        t_db_value(conninfo, "SELECT string_agg(slug, ',' ORDER BY instrument) FROM survey_link"));
    snprintf(form, sizeof form,
             "agency=%s&fy=2566&opens_on=%s&closes_on=%s&staff_population=20&eit_population=",
             agency, m10, p60);
    assert_int_equal(api("POST", "/admin/year", form), 200);
    assert_non_null(
        strstr(page, "\"min_sample\":{\"IIT\":20,\"EIT\":30}")); /* everyone when fewer than 25 */
    assert_non_null(strstr(page, "\"eit_population\":null"));
    assert_string_equal(
        t_db_value(conninfo, "SELECT string_agg(slug, ',' ORDER BY instrument) FROM survey_link"),
        slugs);
    assert_string_equal(t_db_value(conninfo, "SELECT count(DISTINCT closes_at) FROM survey_link"),
                        "1");
    /* a save that leaves the populations out keeps them */
    snprintf(form, sizeof form, "agency=%s&fy=2566&opens_on=%s&closes_on=%s", agency, m10, p60);
    assert_int_equal(api("POST", "/admin/year", form), 200);
    assert_non_null(strstr(page, "\"staff_population\":20"));
    assert_non_null(strstr(page, "\"agency\":{\"id\":"));
    assert_null(strstr(page, "\"id\":\""));
    /* the public link opens the form */
    char path[128];
    snprintf(path, sizeof path, "/s/%s",
             t_db_value(conninfo, "SELECT slug FROM survey_link WHERE instrument = 'EIT'"));
    assert_int_equal(request("GET", path, NULL, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "เทศบาลตำบลทดสอบ"));
}

static const char staff_csv[] =
    "\xEF\xBB\xBF"
    "ชื่อ-นามสกุล,อีเมล,เบอร์โทร,กอง,วันที่เริ่มปฏิบัติงาน\r\n"
    "นางสาวสมศรี ใจดี,somsri@example.go.th,081-234-5678,กองคลัง,1/10/2560\r\n"
    "นายสมชาย รักงาน,,02 123 4567,\"กองช่าง, งานโยธา\",2015-06-01\r\n"
    "นายมาใหม่ ล่าสุด,new@example.go.th,,สำนักปลัด,%s\r\n";

static void test_contacts_import(void **state)
{
    char csv[2048], path[256];
    /* someone who started a month ago (Buddhist year) has not served a year by the opening day */
    snprintf(csv, sizeof csv, staff_csv,
             t_db_value(conninfo, "SELECT to_char(now()::date - 30, 'DD/MM/') || (extract(year "
                                  "FROM now()::date - 30)::int + 543)"));
    snprintf(path, sizeof path, "/admin/contacts/import?code=MUNI1&fy=2566&instrument=IIT");
    assert_int_equal(api_csv(path, csv, strlen(csv)), 200);
    assert_non_null(strstr(page, "\"imported\":2"));
    assert_non_null(strstr(page, "\"left_out_short_service\":1"));
    assert_non_null(strstr(page, "\"encoding\":\"UTF-8 (BOM)\""));
    /* importing the same list again adds nobody */
    assert_int_equal(api_csv(path, csv, strlen(csv)), 200);
    assert_non_null(strstr(page, "\"imported\":0"));
    assert_non_null(strstr(page, "\"already_present\":2"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), "2");
    assert_string_equal(
        t_db_value(conninfo, "SELECT phone FROM contact WHERE name = 'นางสาวสมศรี ใจดี'"),
        "0812345678");
    assert_string_equal(
        t_db_value(conninfo, "SELECT started_on FROM contact WHERE name = 'นางสาวสมศรี ใจดี'"),
        "2017-10-01");
    assert_string_equal(
        t_db_value(conninfo, "SELECT unit FROM contact WHERE name = 'นายสมชาย รักงาน'"),
        "กองช่าง, งานโยธา");
    /* a bad list: every bad row reported, nothing imported */
    static const char bad[] = "name,email,start date\n"
                              "Good Person,good@example.go.th,2010-01-01\n"
                              ",nobody@example.go.th,2010-01-01\n"
                              "Bad Mail,not-an-email,2010-01-01\n";
    assert_int_equal(api_csv(path, bad, strlen(bad)), 422);
    assert_non_null(strstr(page, "\"error_count\":2"));
    assert_non_null(strstr(page, "\"line\":3"));
    assert_non_null(strstr(page, "\"line\":4"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), "2");
    /* Windows-874, what Thai Excel saves as CSV: ชื่อ = 0xAA 0xD7 0xE8 0xCD */
    static const char tis[] = "\xAA\xD7\xE8\xCD,email\r\n\xCA\xC1\xC3\xC3\xB6,eit1@example.com\r\n";
    snprintf(path, sizeof path, "/admin/contacts/import?code=MUNI1&fy=2566&instrument=EIT");
    assert_int_equal(api_csv(path, tis, strlen(tis)), 200);
    assert_non_null(strstr(page, "\"imported\":1"));
    assert_non_null(strstr(page, "Windows-874"));
    assert_string_equal(t_db_value(conninfo, "SELECT name FROM contact WHERE instrument = 'EIT'"),
                        "สมรรถ");
    /* the list page */
    assert_int_equal(api("GET", "/admin/contacts?code=MUNI1&fy=2566&instrument=IIT", NULL), 200);
    assert_non_null(strstr(page, "\"total\":2"));
    assert_non_null(strstr(page, "\"with_link\":0"));
    /* audit trail */
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'contacts_import'"),
        "3");
}

static void test_links_and_progress(void **state)
{
    assert_int_equal(api("POST", "/admin/links/issue", "code=MUNI1&fy=2566&instrument=IIT"), 200);
    assert_non_null(strstr(page, "\"issued\":2"));
    assert_non_null(strstr(page, "\"with_link\":2"));
    /* issuing again issues nothing new */
    assert_int_equal(api("POST", "/admin/links/issue", "code=MUNI1&fy=2566&instrument=IIT"), 200);
    assert_non_null(strstr(page, "\"issued\":0"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM personal_token"), "2");
    /* an IIT list is delivered privately by default (#18): no mail merge (403, a Thai message
     * in JSON for a token), and a reissued link is e-mailed by the server, never answered */
    assert_int_equal(api("GET", "/admin/links/mailmerge?code=MUNI1&fy=2566&instrument=IIT", NULL),
                     403);
    assert_non_null(strstr(t_last_headers(), "application/json"));
    assert_non_null(strstr(page, "\"error\":\"รายชื่อนี้ส่งลิงก์แบบส่วนตัว"));
    assert_null(strstr(page, "/t/"));
    assert_null(strstr(page, "นางสาวสมศรี"));
    char form[64];
    snprintf(form, sizeof form, "contact=%s",
             t_db_value(conninfo, "SELECT min(id) FROM contact WHERE instrument = 'IIT'"));
    assert_int_equal(api("POST", "/admin/links/reissue", form), 200);
    assert_null(strstr(page, "\"url\""));
    assert_null(strstr(page, "/t/"));
    assert_non_null(strstr(page, "\"emailed\":true"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM mail_outbox"), "1");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM personal_token WHERE revoked"),
                        "1");
    /* switching the list to the mail merge needs the confirmation */
    assert_int_equal(
        api("POST", "/admin/mail/mode", "code=MUNI1&fy=2566&instrument=IIT&delivery=mailmerge"),
        422);
    assert_non_null(strstr(page, "\"error\":\"ต้องทำเครื่องหมายยืนยัน"));
    assert_int_equal(api("POST", "/admin/mail/mode",
                         "code=MUNI1&fy=2566&instrument=IIT&delivery=mailmerge&confirm=1"),
                     200);
    assert_string_equal(
        t_db_value(conninfo, "SELECT delivery FROM contact_list_delivery WHERE instrument = 'IIT'"),
        "mailmerge");
    /* the mail merge: BOM, Thai intact, one working link per contact */
    assert_int_equal(api("GET", "/admin/links/mailmerge?code=MUNI1&fy=2566&instrument=IIT", NULL),
                     200);
    assert_memory_equal(page, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(page, "นางสาวสมศรี ใจดี"));
    assert_non_null(strstr(page, ",081-234-5678,")); /* dashes: Excel keeps the leading 0 */
    assert_non_null(strstr(t_last_headers(), "text/csv"));
    const char *t1 = strstr(page, "/t/");
    assert_non_null(t1);
    char link1[128], link1b[128];
    snprintf(link1, sizeof link1, "%.35s", t1);
    assert_non_null(strstr(t1 + 3, "/t/"));
    assert_int_equal(request("GET", link1, NULL, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "เทศบาลตำบลทดสอบ"));
    /* reissue: the old link stops working, the new one works */
    assert_int_equal(api("POST", "/admin/links/reissue", form), 200);
    const char *u = strstr(page, "/t/");
    assert_non_null(u);
    snprintf(link1b, sizeof link1b, "%.35s", u);
    assert_string_not_equal(link1, link1b);
    assert_int_equal(request("GET", link1b, NULL, NULL, NULL, 0), 200);
    int old = request("GET", link1, NULL, NULL, NULL, 0);
    assert_true(old == 403 || old == 410 || old == 404);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM personal_token WHERE revoked"),
                        "2");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM mail_outbox"), "1");
    /* the database alone cannot say which contact holds which token: no token column */
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT count(*) FROM information_schema.columns WHERE "
                                   "table_name = 'contact' AND column_name LIKE '%token%'"),
                        "0");
    /* progress: 3 responses while the window is open are fewer than k = 5: they wait, nothing
     * is counted, and the page says some wait without saying how many */
    t_db_value(conninfo,
               "INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers) "
               "SELECT a.id, 2566, 'EIT', '\\x0000'::bytea FROM agency a, generate_series(1, 3) "
               "WHERE a.code = 'MUNI1' RETURNING 1");
    assert_true(t_wait_counted(conninfo, 3, 10000));
    assert_int_equal(api("GET", "/admin/progress?code=MUNI1&fy=2566", NULL), 200);
    assert_non_null(strstr(page, "\"k\":5"));
    assert_non_null(strstr(page, "\"EIT\":{\"responses\":0,"));
    assert_non_null(strstr(page, "\"waiting\":true"));
    assert_null(strstr(page, "\"day\""));
    assert_non_null(strstr(page, "\"personal_links\":{\"issued\":2,\"spent\":0}"));
    /* four more make a batch of at least k: all seven are counted together, on one day */
    t_db_value(conninfo,
               "INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers) "
               "SELECT a.id, 2566, 'EIT', '\\x0000'::bytea FROM agency a, generate_series(1, 4) "
               "WHERE a.code = 'MUNI1' RETURNING 1");
    assert_true(t_wait_counted(conninfo, 0, 10000));
    assert_int_equal(api("GET", "/admin/progress?code=MUNI1&fy=2566", NULL), 200);
    assert_non_null(strstr(page, "\"EIT\":{\"responses\":7,"));
    assert_non_null(strstr(page, "\"responses\":7}]"));
    assert_null(strstr(page, "fewer_than_k"));
    assert_null(strstr(page, "\"waiting\":true"));
}

/* Signs in a new administrator email like a browser; cookie receives the "Cookie: ..." line. */
static void browser_sign_in(const char *email, char *cookie, size_t size)
{
    char out[1024], cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' --create-admin %s 2>&1", t_env("ITA_ITAD"),
             conninfo, email);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    const char *pw = strstr(out, "): ");
    assert_non_null(pw);
    char password[64];
    snprintf(password, sizeof password, "%.*s", (int)strcspn(pw + 3, "\n"), pw + 3);
    assert_int_equal(request("GET", "/admin/login", NULL, NULL, NULL, 0), 200);
    char body[512], *at = strchr(email, '@');
    snprintf(body, sizeof body, "f=%s&email=%.*s%%40%s&password=%s", t_hidden_value(page, "f"),
             (int)(at - email), email, at + 1, password);
    assert_int_equal(request("POST", "/admin/login", NULL, "application/x-www-form-urlencoded",
                             body, strlen(body)),
                     303);
    const char *sc = strstr(t_last_headers(), "Set-Cookie: ita_admin=");
    assert_non_null(sc);
    snprintf(cookie, size, "Cookie: ita_admin=%.*s", (int)strcspn(sc + 22, ";"), sc + 22);
}

static void test_browser_forms(void **state)
{
    /* sign in like a browser */
    char cookie[128];
    browser_sign_in("clerk@example.go.th", cookie, sizeof cookie);
    char path[128];
    snprintf(path, sizeof path, "/admin/contacts?agency=%s&fy=2566&instrument=EIT", agency);
    assert_int_equal(request("GET", path, cookie, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "enctype=\"multipart/form-data\""));
    char csrf[64];
    snprintf(csrf, sizeof csrf, "%s", t_hidden_value(page, "csrf"));
    /* a multipart upload as Chromium sends it */
    static const char file[] =
        "ชื่อ,อีเมล\r\nนายหนึ่ง ผู้รับบริการ,one@example.com\r\nนางสอง ผู้รับบริการ,two@example.com\r\n";
    char mp[4096];
    int n = snprintf(
        mp, sizeof mp,
        "------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; "
        "name=\"agency\"\r\n\r\n%s\r\n"
        "------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; name=\"fy\"\r\n\r\n2566\r\n"
        "------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; "
        "name=\"instrument\"\r\n\r\nEIT\r\n"
        "------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"list.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n%s\r\n------WebKitFormBoundaryX1--\r\n",
        csrf, agency, file);
    const char *ct = "multipart/form-data; boundary=----WebKitFormBoundaryX1";
    assert_int_equal(request("POST", "/admin/contacts/import", cookie, ct, mp, (size_t)n), 200);
    assert_non_null(strstr(page, "นำเข้าใหม่ 2 รายชื่อ"));
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM contact WHERE instrument = 'EIT'"), "3");
    /* without the CSRF token: refused, nothing stored */
    char *tok = strstr(mp, csrf);
    tok[0] = tok[0] == 'A' ? 'B' : 'A';
    assert_int_equal(request("POST", "/admin/contacts/import", cookie, ct, mp, (size_t)n), 403);
    /* a truncated upload is refused too */
    tok[0] = csrf[0];
    assert_int_equal(request("POST", "/admin/contacts/import", cookie, ct, mp, (size_t)n - 30),
                     403);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM contact WHERE instrument = 'EIT'"), "3");
    /* the year page in Thai with its posters */
    snprintf(path, sizeof path, "/admin/year?agency=%s&fy=2566", agency);
    assert_int_equal(request("GET", path, cookie, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "กลุ่มตัวอย่างขั้นต่ำ"));
    assert_non_null(strstr(page, "id=\"window-state\""));
    assert_non_null(strstr(page, "format=pdf"));
    /* the form: a closing day before the opening day comes back on the year page itself (422),
     * the message beside the field, the Buddhist-Era days kept; a window outside fiscal year
     * 2566 only asks to confirm (200); neither is saved */
    char before[64], body[512];
    snprintf(before, sizeof before, "%s",
             t_db_value(conninfo, "SELECT closes_at FROM agency_year WHERE fiscal_year = 2566"));
    snprintf(csrf, sizeof csrf, "%s", t_hidden_value(page, "csrf"));
    const char *fct = "application/x-www-form-urlencoded";
    int bn = snprintf(body, sizeof body,
                      "csrf=%s&agency=%s&fy=2566&opens_on=1%%2F3%%2F2566&closes_on=1%%2F2%%2F2566"
                      "&staff_population=20&eit_population=",
                      csrf, agency);
    assert_int_equal(request("POST", "/admin/year", cookie, fct, body, (size_t)bn), 422);
    assert_non_null(strstr(page, "<title>ตั้งค่าปีงบประมาณ 2566"));
    assert_non_null(strstr(page, "aria-invalid=\"true\" value=\"1/2/2566\""));
    assert_non_null(strstr(page, "id=\"closes_on-error\">วันปิดรับคำตอบต้องไม่ก่อนวันเปิด"));
    assert_non_null(strstr(page, "value=\"1/3/2566\""));
    bn = snprintf(body, sizeof body,
                  "csrf=%s&agency=%s&fy=2566&opens_on=1%%2F3%%2F2570&closes_on=1%%2F4%%2F2570"
                  "&staff_population=20&eit_population=",
                  csrf, agency);
    assert_int_equal(request("POST", "/admin/year", cookie, fct, body, (size_t)bn), 200);
    assert_non_null(strstr(page, "id=\"window-warning\""));
    assert_non_null(strstr(page, "name=\"confirm\""));
    assert_string_equal(
        t_db_value(conninfo, "SELECT closes_at FROM agency_year WHERE fiscal_year = 2566"), before);
    snprintf(path, sizeof path, "/admin/progress?agency=%s&fy=2566", agency);
    assert_int_equal(request("GET", path, cookie, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "นับคำตอบแล้ว"));
    assert_non_null(strstr(page, "วันที่นับ"));
}

static void test_accounts(void **state)
{
    /* an agency administrator made through the API signs in with the password shown once */
    assert_int_equal(
        api("POST", "/admin/users/new", "email=Planning%40Muni1.go.th&agency_code=MUNI1"), 201);
    const char *pw = strstr(page, "\"password\":\"");
    assert_non_null(pw);
    char password[40];
    snprintf(password, sizeof password, "%.*s", (int)strcspn(pw + 12, "\""), pw + 12);
    assert_int_equal(strlen(password), 20);
    assert_string_equal(
        t_db_value(conninfo, "SELECT role || ':' || (SELECT code FROM agency WHERE id = agency_id) "
                             "FROM admin_user WHERE email = 'planning@muni1.go.th'"),
        "agency:MUNI1");
    assert_int_equal(
        api("POST", "/admin/users/new", "email=planning%40muni1.go.th&agency_code=MUNI1"), 409);
    assert_int_equal(api("POST", "/admin/users/new", "email=x%40y.go.th&agency_code=NOPE"), 422);
    assert_int_equal(api("POST", "/admin/users/new", "email=not-an-email&agency_code="), 400);
    /* no role and no agency code: refused, never a system administrator by default; the role
     * said explicitly makes one */
    assert_int_equal(api("POST", "/admin/users/new", "email=national%40ita.go.th&agency_code="),
                     400);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM admin_user WHERE email = 'national@ita.go.th'"),
        "0");
    assert_int_equal(api("POST", "/admin/users/new", "email=national%40ita.go.th&role=agency"),
                     400);
    assert_int_equal(api("POST", "/admin/users/new", "email=national%40ita.go.th&role=system"),
                     201);
    assert_string_equal(
        t_db_value(conninfo, "SELECT role FROM admin_user WHERE email = 'national@ita.go.th'"),
        "system");
    /* a wrong current password on the own password page counts as a failed sign-in */
    assert_int_equal(api("POST", "/admin/password",
                         "current=not-the-password&new=a-new-password-1&again=a-new-password-1"),
                     400);
    assert_non_null(strstr(page, "รหัสผ่านปัจจุบันไม่ถูกต้อง"));
    assert_string_equal(t_db_value(conninfo, "WITH before AS (SELECT failed_logins FROM admin_user"
                                             "  WHERE email = 'sys@example.go.th')"
                                             " UPDATE admin_user SET failed_logins = 0"
                                             " WHERE email = 'sys@example.go.th'"
                                             " RETURNING (SELECT failed_logins FROM before)"),
                        "1"); /* one failure counted (then cleared, for the tests after this one) */
    assert_int_equal(
        api("POST", "/admin/password", "current=x&new=a-new-password-1&again=another-one-22"), 400);
    assert_non_null(strstr(page, "ไม่ตรงกัน"));
    assert_int_equal(request("GET", "/admin/login", NULL, NULL, NULL, 0), 200);
    char body[512];
    snprintf(body, sizeof body, "f=%s&email=planning%%40muni1.go.th&password=%s",
             t_hidden_value(page, "f"), password);
    assert_int_equal(request("POST", "/admin/login", NULL, "application/x-www-form-urlencoded",
                             body, strlen(body)),
                     303);
    /* a second API token: listed, works, revoked, then refused */
    assert_int_equal(api("POST", "/admin/tokens/new", "name=laptop"), 201);
    const char *t = strstr(page, "\"token\":\"");
    assert_non_null(t);
    char second[160], saved[160];
    snprintf(second, sizeof second, "Authorization: Bearer %.*s", (int)strcspn(t + 9, "\""), t + 9);
    long id = atol(strstr(page, "\"id\":") + 5);
    snprintf(saved, sizeof saved, "%s", bearer);
    snprintf(bearer, sizeof bearer, "%s", second);
    assert_int_equal(api("GET", "/admin/tokens", NULL), 200);
    assert_non_null(strstr(page, "\"name\":\"laptop\""));
    assert_non_null(strstr(page, "\"last_used\":\"20"));
    snprintf(bearer, sizeof bearer, "%s", saved);
    char form[64];
    snprintf(form, sizeof form, "id=%ld", id);
    assert_int_equal(api("POST", "/admin/tokens/revoke", form), 200);
    snprintf(bearer, sizeof bearer, "%s", second);
    assert_int_equal(api("GET", "/admin/tokens", NULL), 401);
    snprintf(bearer, sizeof bearer, "%s", saved);
    /* disabling the agency administrator ends its sessions */
    snprintf(
        form, sizeof form, "id=%s",
        t_db_value(conninfo, "SELECT id FROM admin_user WHERE email = 'planning@muni1.go.th'"));
    assert_int_equal(api("POST", "/admin/users/disable", form), 200);
    assert_string_equal(
        t_db_value(conninfo,
                   "SELECT count(*) FROM admin_session s JOIN admin_user u ON u.id = s.user_id "
                   "WHERE u.email = 'planning@muni1.go.th' AND NOT s.revoked"),
        "0");
}

static void test_purge(void **state)
{
    /* while the window is open the list stays */
    assert_int_equal(api("POST", "/admin/contacts/purge", "code=MUNI1&fy=2566"), 409);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), "5");
    /* the rollup may move answers meanwhile: count them wherever they are */
    static const char count_all[] = "SELECT (SELECT count(*) FROM response_inbox)"
                                    " + (SELECT count(*) FROM response_pending)"
                                    " + (SELECT count(*) FROM response)";
    long responses = atol(t_db_value(conninfo, count_all));
    assert_int_equal(responses, 7);
    t_db_value(conninfo, "UPDATE agency_year SET opens_at = now() - interval '30 days', closes_at "
                         "= now() - interval '1 day' RETURNING 1");
    assert_int_equal(api("POST", "/admin/contacts/purge", "code=MUNI1&fy=2566"), 200);
    assert_non_null(strstr(page, "\"purged\":5"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), "0");
    assert_int_equal(atol(t_db_value(conninfo, count_all)), responses);
    assert_string_equal(
        t_db_value(conninfo,
                   "SELECT detail->>'purged' FROM audit_log WHERE action = 'contacts_purge'"),
        "5");
}

/* Progress follows the configured results_min_responses (8 here), not a fixed 5: in JSON ("k",
 * "fewer_than_k", "waiting") and on the page. MUNI1 has no window in this database, so its
 * answers count as after the close: the first tick seals the group with what it holds. */
static void test_progress_k_configured(void **state)
{
    char cookie[128], path[128], ins[512];
    browser_sign_in("k@example.go.th", cookie, sizeof cookie);
    snprintf(path, sizeof path, "/admin/progress?agency=%s&fy=2566", agency);
    snprintf(ins, sizeof ins,
             "INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers) "
             "SELECT %s, 2566, 'EIT', '\\x0000'::bytea FROM generate_series(1, %d) RETURNING 1",
             agency, K_CONFIGURED - 1);
    t_db_value(conninfo, ins);
    assert_true(t_wait_counted(conninfo, 0, 10000));
    /* K_CONFIGURED - 1 counted at the seal: at least the default 5, still no figure for the day */
    assert_int_equal(api("GET", "/admin/progress?code=MUNI1&fy=2566", NULL), 200);
    assert_non_null(strstr(page, "\"k\":8"));
    assert_non_null(strstr(page, "\"fewer_than_k\":true"));
    assert_non_null(strstr(page, "\"responses\":7,"));
    assert_null(strstr(page, "\"responses\":7}"));
    assert_int_equal(request("GET", path, cookie, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "<td>น้อยกว่า 8</td>"));
    assert_non_null(strstr(page, "วันที่มีน้อยกว่า 8 รายการ"));
    assert_non_null(strstr(page, "กลุ่มละอย่างน้อย 8 รายการ"));
    assert_null(strstr(page, "<td>7</td>"));
    /* after the seal one more waits until 8 have gathered: the figures do not move */
    snprintf(ins, sizeof ins,
             "INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers) "
             "VALUES (%s, 2566, 'EIT', '\\x0000'::bytea) RETURNING 1",
             agency);
    t_db_value(conninfo, ins);
    assert_true(t_wait_counted(conninfo, 1, 10000));
    assert_int_equal(api("GET", "/admin/progress?code=MUNI1&fy=2566", NULL), 200);
    assert_non_null(strstr(page, "\"responses\":7,"));
    assert_non_null(strstr(page, "\"waiting\":true"));
    assert_int_equal(request("GET", path, cookie, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "id=\"waiting-EIT\""));
    /* seven more make eight waiting: counted as one batch; the day now shows its figure */
    snprintf(ins, sizeof ins,
             "INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers) "
             "SELECT %s, 2566, 'EIT', '\\x0000'::bytea FROM generate_series(1, %d) RETURNING 1",
             agency, K_CONFIGURED - 1);
    t_db_value(conninfo, ins);
    assert_true(t_wait_counted(conninfo, 0, 10000));
    assert_int_equal(api("GET", "/admin/progress?code=MUNI1&fy=2566", NULL), 200);
    assert_null(strstr(page, "fewer_than_k"));
    assert_non_null(strstr(page, "\"responses\":15}"));
    assert_int_equal(request("GET", path, cookie, NULL, NULL, 0), 200);
    assert_non_null(strstr(page, "<td>15</td>"));
    assert_null(strstr(page, "<td>น้อยกว่า 8</td>"));
    assert_null(strstr(page, "id=\"waiting-EIT\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_token_required), cmocka_unit_test(test_agencies),
        cmocka_unit_test(test_year_settings),      cmocka_unit_test(test_contacts_import),
        cmocka_unit_test(test_links_and_progress), cmocka_unit_test(test_browser_forms),
        cmocka_unit_test(test_accounts),           cmocka_unit_test(test_purge),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    const struct CMUnitTest k_tests[] = {
        cmocka_unit_test(test_progress_k_configured),
    };
    return failed | cmocka_run_group_tests(k_tests, setup_k, teardown);
}
