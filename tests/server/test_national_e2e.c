/* The national view (/admin/national) on the real server over a generated year of 8,300
 * agencies with known states: totals, each state filter, search, type, parent and rating filters,
 * sorts, pages, CSV and JSON, all against the same figures computed by SQL from the same rows; bad
 * parameters answer a Thai message on the page; an agency administrator is refused. The server's
 * day is fixed with ITA_TODAY so that the days left are known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <jansson.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TODAY "2027-01-15"

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 23];
static char cookie_sys[64], cookie_a[64];

/* GET path with the session cookie; the body (CSV and JSON of every agency run to megabytes,
 * beyond testlib's reader) lands in page. Returns the status, -1 when nothing came. */
static int get(const char *path, const char *cookie)
{
    struct t_conn c;
    if (!t_connect(&c, port, NULL, 0))
        return -1;
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "GET %s HTTP/1.1\r\nHost: localhost:%d\r\nCookie: ita_admin=%s\r\n"
                     "Connection: close\r\n\r\n",
                     path, port, cookie);
    static char buf[sizeof page + 4096];
    size_t got = 0;
    long long deadline = t_now_ms() + 30000;
    if (t_send(&c, head, (size_t)n)) {
        while (got < sizeof buf - 1 && t_now_ms() < deadline) {
            int r = SSL_read(c.ssl, buf + got, (int)(sizeof buf - 1 - got));
            if (r > 0) {
                got += (size_t)r;
                continue;
            }
            int e = SSL_get_error(c.ssl, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                break;
            struct pollfd pfd = {.fd = c.fd, .events = POLLIN};
            (void)poll(&pfd, 1, 100);
        }
    }
    t_close(&c);
    buf[got] = '\0';
    int status = -1;
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep || sscanf(buf, "HTTP/1.1 %d", &status) != 1)
        return -1;
    size_t body = got - (size_t)(sep + 4 - buf);
    memcpy(page, sep + 4, body);
    page[body] = '\0';
    return status;
}

/* The year, generated so that every state occurs: agency g of 1..8300 has
 *   type by g % 3, parent N000{g % 100 + 1} for g > 100,
 *   no set-up when g % 10 = 0; else a window by g % 4: 0 closed, 1 open with g % 30 + 1 days
 *   left, 2 open until the end of March, 3 opening in February;
 *   populations staff 10 + g % 40 and outside 100 + g % 200 (both not entered when g % 20 = 1),
 *   counted responses IIT g % 37 and EIT g % 41 (on a third of them 0),
 *   OIT items g % 7 marked, a published result for g % 3 = 0 with a known total and tier. */
static const char GEN[] =
    "INSERT INTO agency (code, name_th, kind)"
    " SELECT 'N' || lpad(g::text, 5, '0'), 'หน่วยงานทดสอบ ' || g,"
    "  (ARRAY['เทศบาลตำบล', 'องค์การบริหารส่วนตำบล', 'ส่วนราชการระดับกรมหรือเทียบเท่า'])[g % 3 + 1]"
    " FROM generate_series(1, 8300) g;"
    "CREATE TABLE nat_g AS SELECT a.id, substr(a.code, 2)::int AS g FROM agency a"
    " WHERE a.code LIKE 'N%';"
    "UPDATE agency a SET parent_id = p.id FROM nat_g x, agency p"
    " WHERE x.id = a.id AND x.g > 100 AND p.code = 'N' || lpad((x.g % 100 + 1)::text, 5, '0');"
    "INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, staff_population,"
    " eit_population)"
    " SELECT id, 2570,"
    "  (CASE g % 4 WHEN 3 THEN date '2027-02-01' ELSE date '2026-11-01' END)::timestamp"
    "   AT TIME ZONE 'Asia/Bangkok',"
    "  (CASE g % 4 WHEN 0 THEN date '2027-01-01' WHEN 1 THEN date '" TODAY "' + g % 30 + 1"
    "   ELSE date '2027-04-01' END)::timestamp AT TIME ZONE 'Asia/Bangkok',"
    "  CASE WHEN g % 20 = 1 THEN NULL ELSE 10 + g % 40 END,"
    "  CASE WHEN g % 20 = 1 THEN NULL ELSE 100 + g % 200 END"
    " FROM nat_g WHERE g % 10 <> 0;"
    "INSERT INTO response_tally (agency_id, fiscal_year, instrument, responses, counts)"
    " SELECT id, 2570, i, CASE i WHEN 'IIT' THEN g % 37 ELSE g % 41 END, '{}'"
    " FROM nat_g, unnest(ARRAY['IIT', 'EIT']) i WHERE g % 3 <> 2;"
    "INSERT INTO oit_result (agency_id, fiscal_year, item_code, met)"
    " SELECT id, 2570, 'O' || k, k % 2 = 0 FROM nat_g, generate_series(1, 6) k WHERE k <= g % 7;"
    "INSERT INTO agency_result (agency_id, fiscal_year, total, rating, source)"
    " SELECT id, 2570, t, CASE WHEN t >= 95 THEN 'ผ่านดีเยี่ยม' WHEN t >= 85 THEN 'ผ่านดี'"
    "  WHEN t >= 70 THEN 'ต้องปรับปรุง' ELSE 'ต้องปรับปรุงโดยด่วน' END, 'imported'"
    " FROM (SELECT id, g, round(40 + (g * 7 % 6000) / 100.0, 2) AS t FROM nat_g) x"
    " WHERE g % 3 = 0;"
    /* the expected figures, by the rules the page states */
    "CREATE TABLE nat_x AS SELECT a.id, a.code, a.kind, p.code AS parent,"
    " y.agency_id IS NOT NULL AS set,"
    " (y.opens_at AT TIME ZONE 'Asia/Bangkok')::date AS opens_on,"
    " (y.closes_at AT TIME ZONE 'Asia/Bangkok')::date - 1 AS closes_on,"
    " coalesce(least(y.staff_population, 25), 25) AS need_iit,"
    " coalesce(least(y.eit_population, greatest(30, (y.eit_population * 1000 + 9999) / 10000)),"
    "  30) AS need_eit,"
    " coalesce((SELECT responses FROM response_tally t WHERE t.agency_id = a.id"
    "  AND t.instrument = 'IIT'), 0) AS iit,"
    " coalesce((SELECT responses FROM response_tally t WHERE t.agency_id = a.id"
    "  AND t.instrument = 'EIT'), 0) AS eit,"
    " r.total, r.rating FROM agency a LEFT JOIN agency p ON p.id = a.parent_id"
    " LEFT JOIN agency_year y ON y.agency_id = a.id AND y.fiscal_year = 2570"
    " LEFT JOIN agency_result r ON r.agency_id = a.id AND r.fiscal_year = 2570;"
    "ALTER TABLE nat_x ADD COLUMN win text, ADD COLUMN days int, ADD COLUMN reached boolean;"
    "UPDATE nat_x SET win = CASE WHEN NOT set THEN 'unset'"
    " WHEN date '" TODAY "' < opens_on THEN 'not_open'"
    " WHEN date '" TODAY "' <= closes_on THEN 'open' ELSE 'closed' END,"
    " reached = set AND iit >= need_iit AND eit >= need_eit;"
    "UPDATE nat_x SET days = closes_on - date '" TODAY "' + 1 WHERE win = 'open';";

static int setup(void **state)
{
    (void)state;
    setenv("ITA_TODAY", TODAY, 1); /* the server's day (core/thai_date.h) */
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_national"));
    const char *extra[] = {"--workers=2", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512];
    if (t_load_instruments(conninfo, "2570", path, sizeof path) != 0)
        return -1;
    t_db_exec(conninfo, GEN, 0, NULL);
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "a@example.go.th", "agency",
                 t_db_value(conninfo, "SELECT id FROM agency WHERE code = 'N00001'"));
    t_admin_login(port, "sys%40example.go.th", cookie_sys, page, sizeof page);
    t_admin_login(port, "a%40example.go.th", cookie_a, page, sizeof page);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static long sql_long(const char *sql)
{
    return atol(t_db_value(conninfo, sql));
}

/* GET path as JSON (the system administrator's session). */
static json_t *get_json(const char *path)
{
    assert_int_equal(get(path, cookie_sys), 200);
    json_error_t e;
    json_t *doc = json_loads(page, 0, &e);
    if (!doc)
        fail_msg("%s: not JSON: %s", path, e.text);
    return doc;
}

static long total_of(json_t *doc, const char *key)
{
    return (long)json_integer_value(json_object_get(json_object_get(doc, "totals"), key));
}

static size_t count_of(json_t *doc)
{
    return json_array_size(json_object_get(doc, "agencies"));
}

static const char *code_at(json_t *doc, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(doc, "agencies"), i), "code"));
}

/* The codes of the first n rows of SQL order `order` over filter `where`, comma-joined. */
static const char *sql_codes(const char *where, const char *order, int n)
{
    static char q[1024];
    snprintf(q, sizeof q,
             "SELECT string_agg(code, ',' ORDER BY rn) FROM (SELECT code, row_number() OVER "
             "(ORDER BY %s) AS rn FROM nat_x WHERE %s ORDER BY %s LIMIT %d) x",
             order, where, order, n);
    return t_db_value(conninfo, q);
}

static const char *json_codes(json_t *doc, size_t from, size_t n)
{
    static char out[1024];
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = from; i < from + n && i < count_of(doc); i++)
        o +=
            (size_t)snprintf(out + o, sizeof out - o, "%s%s", i > from ? "," : "", code_at(doc, i));
    return out;
}

static void test_totals_and_states(void **state)
{
    (void)state;
    json_t *doc = get_json("/admin/national?fy=2570&format=json");
    assert_int_equal(count_of(doc), 8300);
    assert_int_equal(total_of(doc, "agencies"), 8300);
    assert_int_equal(total_of(doc, "set_up"), sql_long("SELECT count(*) FROM nat_x WHERE set"));
    assert_int_equal(total_of(doc, "reached"),
                     sql_long("SELECT count(*) FROM nat_x WHERE reached"));
    assert_int_equal(total_of(doc, "closed"),
                     sql_long("SELECT count(*) FROM nat_x WHERE win = 'closed'"));
    assert_int_equal(total_of(doc, "published"),
                     sql_long("SELECT count(*) FROM nat_x WHERE total IS NOT NULL"));
    /* the first rows are in code order; one row's figures as SQL has them */
    assert_string_equal(code_at(doc, 0), "N00001");
    json_t *r = json_array_get(json_object_get(doc, "agencies"), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "iit"), "min_sample")),
                     sql_long("SELECT need_iit FROM nat_x WHERE code = 'N00001'"));
    json_decref(doc);

    static const struct {
        const char *state, *where;
    } states[] = {
        {"low14", "win = 'open' AND days <= 14 AND NOT reached"},
        {"below", "set AND NOT reached"},
        {"reached", "reached"},
        {"unset", "NOT set"},
        {"open", "win = 'open'"},
        {"closed", "win = 'closed'"},
        {"published", "total IS NOT NULL"},
    };
    char path[256], q[512];
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        snprintf(path, sizeof path, "/admin/national?fy=2570&format=json&state=%s",
                 states[i].state);
        doc = get_json(path);
        snprintf(q, sizeof q, "SELECT count(*) FROM nat_x WHERE %s", states[i].where);
        long want = sql_long(q);
        if ((long)count_of(doc) != want || total_of(doc, "agencies") != want)
            fail_msg("state %s: %zu rows, want %ld", states[i].state, count_of(doc), want);
        assert_true(want > 0);
        json_decref(doc);
    }
    /* "below minimum with 14 days left", fewest days first: the order SQL gives */
    doc = get_json("/admin/national?fy=2570&format=json&state=low14&sort=days");
    assert_string_equal(json_codes(doc, 0, 8),
                        sql_codes("win = 'open' AND days <= 14 AND NOT reached", "days, code", 8));
    json_decref(doc);
}

static void test_filters_and_sorts(void **state)
{
    (void)state;
    /* search by part of a code (escaped ILIKE: % and _ are literal) and by name */
    json_t *doc = get_json("/admin/national?fy=2570&format=json&q=N0012");
    assert_int_equal(count_of(doc),
                     sql_long("SELECT count(*) FROM nat_x WHERE code LIKE '%N0012%'"));
    json_decref(doc);
    doc = get_json("/admin/national?fy=2570&format=json&q=%25");
    assert_int_equal(count_of(doc), 0);
    json_decref(doc);
    doc = get_json("/admin/"
                   "national?fy=2570&format=json&q=%E0%B8%97%E0%B8%94%E0%B8%AA%E0%B8%AD%E0%B8%9A%"
                   "20777"); /* "ทดสอบ
                                777"
                              */
    assert_int_equal(count_of(doc),
                     sql_long("SELECT count(*) FROM agency WHERE name_th LIKE '%ทดสอบ 777%'"));
    json_decref(doc);
    /* type (by key), parent code and rating */
    doc = get_json("/admin/national?fy=2570&format=json&kind=sao");
    assert_int_equal(count_of(doc),
                     sql_long("SELECT count(*) FROM nat_x WHERE kind = 'องค์การบริหารส่วนตำบล'"));
    json_decref(doc);
    doc = get_json("/admin/national?fy=2570&format=json&parent=N00007&state=reached");
    assert_int_equal(count_of(doc),
                     sql_long("SELECT count(*) FROM nat_x WHERE parent = 'N00007' AND reached"));
    json_decref(doc);
    doc = get_json("/admin/"
                   "national?fy=2570&format=json&rating=%E0%B8%9C%E0%B9%88%E0%B8%B2%E0%B8%99%E0%B8%"
                   "94%E0%B8%B5"); /* ผ่านดี */
    assert_int_equal(count_of(doc), sql_long("SELECT count(*) FROM nat_x WHERE rating = 'ผ่านดี'"));
    json_decref(doc);
    /* sorts: by score (none last), by IIT share of the minimum, by code descending */
    doc = get_json("/admin/national?fy=2570&format=json&sort=score&dir=desc");
    assert_string_equal(json_codes(doc, 0, 10),
                        sql_codes("true", "total DESC NULLS LAST, code", 10));
    json_decref(doc);
    doc = get_json("/admin/national?fy=2570&format=json&sort=iit&state=below");
    assert_string_equal(
        json_codes(doc, 0, 10),
        sql_codes("set AND NOT reached", "(iit * 1000000 / nullif(need_iit, 0)), iit, code", 10));
    json_decref(doc);
    doc = get_json("/admin/national?fy=2570&format=json&sort=code&dir=desc");
    assert_string_equal(code_at(doc, 0), "N08300");
    json_decref(doc);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_pages_csv_and_errors(void **state)
{
    (void)state;
    /* the page: 50 rows, numbered pages, the total */
    assert_int_equal(get("/admin/national?fy=2570", cookie_sys), 200);
    assert_int_equal(count(page, "<tr data-code="), 50);
    assert_non_null(strstr(page, "หน่วยงาน 1–50 จาก 8300"));
    assert_non_null(strstr(page, "aria-sort=\"ascending\""));
    assert_non_null(strstr(page, "href=\"/admin/agency?id="));
    /* page 2 by score, best first: rows 51..100 of SQL's order */
    assert_int_equal(get("/admin/national?fy=2570&sort=score&dir=desc&page=2", cookie_sys), 200);
    char want[64];
    const char *codes = sql_codes("true", "total DESC NULLS LAST, code", 51);
    snprintf(want, sizeof want, "<tr data-code=\"%s\"", strrchr(codes, ',') + 1);
    char *first = strstr(page, "<tr data-code=");
    assert_non_null(first);
    assert_memory_equal(first, want, strlen(want));
    assert_non_null(strstr(page, "aria-sort=\"descending\""));
    assert_non_null(strstr(page, "aria-current=\"page\""));
    /* CSV of every filtered row: a header and one line per agency, Thai or English keys */
    assert_int_equal(get("/admin/national?fy=2570&format=csv&state=reached", cookie_sys), 200);
    assert_int_equal(count(page, "\r\n"),
                     (size_t)sql_long("SELECT count(*) FROM nat_x WHERE reached") + 1);
    assert_memory_equal(page,
                        "\xEF\xBB\xBF"
                        "รหัส,หน่วยงาน",
                        strlen("\xEF\xBB\xBF"
                               "รหัส,หน่วยงาน"));
    assert_int_equal(get("/admin/national?fy=2570&format=csv&keys=en", cookie_sys), 200);
    assert_memory_equal(page,
                        "\xEF\xBB\xBF"
                        "code,name,kind",
                        strlen("\xEF\xBB\xBF"
                               "code,name,kind"));
    assert_int_equal(count(page, "\r\n"), 8301);
    /* bad parameters: a Thai message on the page, the typed value kept */
    assert_int_equal(get("/admin/national?fy=2570&state=bogus&q=abc", cookie_sys), 400);
    assert_non_null(strstr(page, "ไม่รู้จักสถานะ"));
    assert_non_null(strstr(page, "value=\"abc\""));
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_int_equal(get("/admin/national?fy=25x0", cookie_sys), 400);
    assert_non_null(strstr(page, "ปีงบประมาณ"));
    assert_int_equal(get("/admin/national?fy=2570&sort=nothing", cookie_sys), 400);
    assert_int_equal(get("/admin/national?fy=2570&page=0", cookie_sys), 400);
    assert_int_equal(get("/admin/national?fy=2570&page=999", cookie_sys), 200);
    assert_non_null(strstr(page, "ไม่มีหน้าที่ 999"));
    assert_int_equal(get("/admin/national?fy=2599", cookie_sys), 404);
    assert_non_null(strstr(page, "ยังไม่มีแบบวัดของปีงบประมาณ 2599"));
    /* an agency administrator is refused, as a page */
    assert_int_equal(get("/admin/national?fy=2570", cookie_a), 403);
    assert_non_null(strstr(page, "เฉพาะผู้ดูแลระบบ"));
    assert_int_equal(get("/admin/national?fy=2570&format=csv", cookie_a), 403);
}

/* itactl national: the same rows as CSV (English keys) and JSON through the API with a system
 * administrator's token; an agency administrator's token is refused. */
#define ITACTL                                                                                     \
    "env -u ITACTL_TOKEN -u ITACTL_TOKEN_FILE '%s' --url https://localhost:%d --cacert "           \
    "'%s/cert.pem' --token-file '%s' national --fy 2570 %s"
static void test_itactl_national(void **state)
{
    (void)state;
    const char *dir = t_tmpdir("national-itactl");
    char cmd[4096], buf[1024], tok[512], tok_a[512];
    snprintf(tok, sizeof tok, "%s/token", dir);
    snprintf(tok_a, sizeof tok_a, "%s/token-a", dir);
    const char *emails[] = {"sys@example.go.th", "a@example.go.th"};
    const char *files[] = {tok, tok_a};
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "'%s' --database-url='%s' --secret-file='%s/secret' --create-api-token %s "
                 "2>/dev/null > '%s'",
                 t_env("ITA_ITAD"), conninfo, srv.dir, emails[k], files[k]);
        assert_int_equal(t_run_capture(cmd, buf, sizeof buf), 0);
    }

    snprintf(cmd, sizeof cmd, ITACTL, t_env("ITA_ITACTL"), port, srv.dir, tok,
             "--state low14 --sort days -o national.csv");
    char full[8192];
    snprintf(full, sizeof full, "cd '%s' && %s 2>&1", dir, cmd);
    assert_int_equal(t_run_capture(full, buf, sizeof buf), 0);
    char path[600], *csv = NULL;
    snprintf(path, sizeof path, "%s/national.csv", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 22];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    csv = text;
    assert_memory_equal(csv,
                        "\xEF\xBB\xBF"
                        "code,name",
                        12);
    assert_int_equal(count(csv, "\r\n"),
                     (size_t)sql_long("SELECT count(*) FROM nat_x WHERE win = 'open' AND days <= 14"
                                      " AND NOT reached") +
                         1);
    char want[64];
    snprintf(want, sizeof want, "\r\n%s,",
             sql_codes("win = 'open' AND days <= 14 AND NOT reached", "days, code", 1));
    assert_non_null(strstr(csv, want));
    /* JSON to standard output */
    snprintf(cmd, sizeof cmd, ITACTL, t_env("ITA_ITACTL"), port, srv.dir, tok,
             "--state published --format json");
    static char out[1 << 23];
    snprintf(full, sizeof full, "%s 2>/dev/null", cmd);
    assert_int_equal(t_run_capture(full, out, sizeof out), 0);
    json_t *doc = json_loads(out, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(count_of(doc), sql_long("SELECT count(*) FROM nat_x WHERE total IS NOT NULL"));
    json_decref(doc);
    /* an agency administrator's token: refused, non-zero exit */
    snprintf(cmd, sizeof cmd, ITACTL, t_env("ITA_ITACTL"), port, srv.dir, tok_a, "");
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    assert_int_not_equal(t_run_capture(full, buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "403"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_and_states),
        cmocka_unit_test(test_filters_and_sorts),
        cmocka_unit_test(test_pages_csv_and_errors),
        cmocka_unit_test(test_itactl_national),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
