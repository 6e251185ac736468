/* Results on the real server: OIT marks entered through the web admin, an agency's scores, the
 * suppression of an instrument with fewer than 5 responses, the aggregate exports (CSV with BOM
 * and 2 decimals, JSON with full precision) for all agencies and for one, per-question scores,
 * every export in audit_log, the signed manifest (signature, file hash, response-set digest
 * recomputed here from the stored rows), the printable report with its improvement measures, and
 * the scope rules (another agency's id answers 404 like a missing one).
 *
 * The figures are worked out by hand below, never by calling the engine:
 * agency A, IIT 5 respondents at the best level of every field except one who answers i4.1 with
 *   มี (level 1, reverse-scored: 0 points): i4.1 = 400/5 = 80, i4 = (80 + 100 + 100)/3 = 280/3,
 *   indicator 1 = (5 * 100 + 280/3)/6 = 1780/18, indicators 2-5 = 100,
 *   IIT = (1780/18 + 400)/5 = 8980/90 = 99.777...
 * EIT 5 respondents, best everywhere except one who answers e8.1 with ไม่มี (level 0): e8 = 80,
 *   indicator 7 = (4 * 100 + 80)/5 = 96, EIT = (100 + 96 + 100)/3 = 296/3 = 98.666...
 * OIT: every item met except O1 (indicator 9, which has n9 items): indicator 9 = 100 (n9 - 1)/n9,
 *   indicator 10 = 100, OIT = (indicator 9 + 100)/2.
 * Total = 0.3 IIT + 0.3 EIT + 0.4 OIT; for n9 = 33: 29.9333 + 29.6 + 39.3939 = 98.927 -> AA.
 * Agency B: 3 IIT responses only: below k = 5, nothing shown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "testlib.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <openssl/sha.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 22];
static size_t page_len;
static char agency_a[16], agency_b[16];
static char cookie_sys[64], cookie_a[64];
static struct ita_version *v;
static size_t n9; /* OIT items of indicator 9 */

static int request(const char *method, const char *path, const char *cookie, const char *body)
{
    memset(page, 0, 64);
    int st = t_admin_request(port, method, path, cookie, body, page, sizeof page);
    const char *cl = strstr(t_last_headers(), "Content-Length: ");
    page_len = cl ? strtoul(cl + 16, NULL, 10) : 0;
    return st;
}

static const char *header(const char *name, char *out, size_t len)
{
    const char *h = strstr(t_last_headers(), name);
    if (!h)
        return NULL;
    h += strlen(name);
    while (*h == ' ' || *h == ':')
        h++;
    snprintf(out, len, "%.*s", (int)strcspn(h, "\r\n"), h);
    return out;
}

static void exec_sql(const char *sql, int n, const char *const *params)
{
    t_db_exec(conninfo, sql, n, params);
}

static void make_admin(const char *email, const char *role, const char *agency_id)
{
    t_make_admin(conninfo, email, role, agency_id);
}

static void login(const char *email, char *cookie)
{
    t_admin_login(port, email, cookie, page, sizeof page);
}

/* One response of instrument k at the best level of every field, except field `code` at
 * `level` (code NULL: none), staged; respond_flush() moves every staged response into the inbox
 * in one statement, so that the server's rollup sees them all at once (a group whose window has
 * closed is sealed by the first tick that sees it; what arrives later waits for k). */
static void respond_in(const char *year, const char *agency, enum ita_instrument k,
                       const char *code, int level);

static void respond(const char *agency, enum ita_instrument k, const char *code, int level)
{
    respond_in("2566", agency, k, code, level);
}

/* One response of fiscal year `year`: the best level everywhere, `level` in field `code`. */
static void respond_in(const char *year, const char *agency, enum ita_instrument k,
                       const char *code, int level)
{
    const struct ita_survey *s = &v->surveys[k];
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    char hex[2 + 2 * 1000 + 1] = "\\x";
    for (size_t i = 0; i < s->n_fields; i++) {
        const struct ita_field *f = v->field_list[first + i];
        int l = f->polarity == ITA_NEGATIVE ? 0 : v->scales[f->scale].levels - 1;
        if (code && strcmp(f->code, code) == 0)
            l = level;
        snprintf(hex + 2 + 2 * i, 3, "%02x", l);
    }
    const char *p[4] = {agency, ita_instrument_code(k), hex, year};
    exec_sql("INSERT INTO test_staged (agency_id, fiscal_year, instrument, answers) "
             "VALUES ($1::int, $4::smallint, $2, $3::bytea)",
             4, p);
}

static void respond_flush(void)
{
    exec_sql("WITH m AS (DELETE FROM test_staged RETURNING *)"
             " INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)"
             " SELECT agency_id, fiscal_year, instrument, answers FROM m",
             0, NULL);
}

static int setup(void **state)
{
    if (sodium_init() < 0)
        return -1;
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_results"));
    const char *extra[] = {"--workers=2", "--rollup-interval-ms=200", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    char *err = NULL;
    v = ita_version_load_file(path, &err);
    if (!v)
        return -1;
    for (size_t i = 0; i < v->n_oit_items; i++)
        n9 += v->oit_items[i].indicator == 9;
    snprintf(
        agency_a, sizeof agency_a, "%s",
        t_db_value(
            conninfo,
            "INSERT INTO agency (code, name_th) VALUES ('NKP', 'เทศบาลนครนครปฐม') RETURNING id"));
    snprintf(agency_b, sizeof agency_b, "%s",
             t_db_value(conninfo,
                        "INSERT INTO agency (code, name_th) VALUES ('B', 'เทศบาลบี') RETURNING id"));
    char q[512];
    snprintf(q, sizeof q,
             "INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, "
             "staff_population, eit_population) "
             "VALUES (%s, 2566, now() - interval '10 days', now() - interval '1 day', 120, 400) "
             "RETURNING 1",
             agency_a);
    assert_non_null(t_db_value(conninfo, q));
    exec_sql("CREATE TABLE test_staged (LIKE response_inbox)", 0, NULL);
    for (int i = 0; i < 5; i++) {
        respond(agency_a, ITA_IIT, i == 0 ? "i4.1" : NULL, 1);
        respond(agency_a, ITA_EIT, i == 0 ? "e8.1" : NULL, 0);
    }
    for (int i = 0; i < 3; i++)
        respond(agency_b, ITA_IIT, NULL, 0);
    respond_flush();
    /* both windows have closed (B has none): the server's rollup counts and seals them */
    if (!t_wait_counted(conninfo, 0, 10000))
        return -1;
    make_admin("sys@example.go.th", "system", "NULL");
    make_admin("a@example.go.th", "agency", agency_a);
    login("sys%40example.go.th", cookie_sys);
    login("a%40example.go.th", cookie_a);
    return 0;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static double total_by_hand(void)
{
    double iit = (1780.0 / 18 + 400) / 5, eit = 296.0 / 3;
    double oit = (100.0 * (double)(n9 - 1) / (double)n9 + 100) / 2;
    return 0.3 * iit + 0.3 * eit + 0.4 * oit;
}

static void fmt2(double x, char out[32])
{
    snprintf(out, 32, "%.2f", floor(x * 100 + 0.5 + 1e-9) / 100);
}

/* The OIT form page, then every item posted: O1 not met, the rest met with evidence. */
static void test_oit_entry(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/results?agency=%s&year=2566", agency_a);
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    assert_non_null(strstr(page, "name=\"met_O43\""));
    /* nothing marked yet: preliminary, and the banner says which minimums are missing */
    assert_non_null(strstr(page, "id=\"preliminary\""));
    assert_non_null(strstr(page, "<li>OIT ตรวจแล้ว 0 จาก "));
    char csrf[64];
    snprintf(csrf, sizeof csrf, "%s", t_hidden_value(page, "csrf"));
    static char body[65536];
    int n = snprintf(body, sizeof body, "csrf=%s&agency=%s&year=2566", csrf, agency_a);
    for (size_t i = 0; i < v->n_oit_items; i++) {
        const char *c = v->oit_items[i].code;
        n += snprintf(
            body + n, sizeof body - (size_t)n, "&met_%s=%s&url_%s=%s&note_%s=%s", c,
            i == 0 ? "0" : "1", c, i == 0 ? "" : "https%3A%2F%2Fnkp.go.th%2Fita%2F", c,
            i == 0 ? "%E0%B8%A2%E0%B8%B1%E0%B8%87%E0%B9%84%E0%B8%A1%E0%B9%88%E0%B8%A1%E0%B8%B5"
                   : "");
    }
    assert_int_equal(request("POST", "/admin/oit", cookie_a, body), 303);
    char q[256];
    snprintf(q, sizeof q,
             "SELECT count(*) || ':' || count(*) FILTER (WHERE met) FROM oit_result WHERE "
             "agency_id = %s",
             agency_a);
    char want[32];
    snprintf(want, sizeof want, "%zu:%zu", v->n_oit_items, v->n_oit_items - 1);
    assert_string_equal(t_db_value(conninfo, q), want);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'oit_set'"), "1");
    /* a link pasted with a space and a Thai file name is taken, encoded */
    snprintf(body, sizeof body,
             "csrf=%s&agency=%s&year=2566&met_O2=1&url_O2=+https%%3A%%2F%%2Fnkp.go.th%%2Fita%%2F"
             "%%E0%%B8%%9C%%E0%%B8%%A5+%%E0%%B8%%87%%E0%%B8%%B2%%E0%%B8%%99.pdf+",
             csrf, agency_a);
    assert_int_equal(request("POST", "/admin/oit", cookie_a, body), 303);
    snprintf(q, sizeof q,
             "SELECT evidence_url FROM oit_result WHERE agency_id = %s AND item_code = 'O2'",
             agency_a);
    assert_string_equal(
        t_db_value(conninfo, q),
        "https://nkp.go.th/ita/%E0%B8%9C%E0%B8%A5%20%E0%B8%87%E0%B8%B2%E0%B8%99.pdf");
    /* a bad URL and an unknown item are refused in Thai, nothing changes */
    snprintf(body, sizeof body,
             "csrf=%s&agency=%s&year=2566&met_O2=1&url_O2=javascript%%3Aalert(1)", csrf, agency_a);
    assert_int_equal(request("POST", "/admin/oit", cookie_a, body), 422);
    assert_non_null(strstr(page, "<html lang=\"th\""));
    assert_non_null(strstr(page, "URL หลักฐานข้อ O2 ใช้ไม่ได้: ไม่ใช่ที่อยู่เว็บ"));
    assert_string_equal(
        t_db_value(conninfo, q),
        "https://nkp.go.th/ita/%E0%B8%9C%E0%B8%A5%20%E0%B8%87%E0%B8%B2%E0%B8%99.pdf");
    snprintf(body, sizeof body, "csrf=%s&agency=%s&year=2566&met_O99=1", csrf, agency_a);
    assert_int_equal(request("POST", "/admin/oit", cookie_a, body), 422);
    /* another agency's id: 404, like one that does not exist */
    snprintf(body, sizeof body, "csrf=%s&agency=%s&year=2566&met_O2=1", csrf, agency_b);
    assert_int_equal(request("POST", "/admin/oit", cookie_a, body), 404);
    snprintf(body, sizeof body, "csrf=%s&agency=999999&year=2566&met_O2=1", csrf);
    assert_int_equal(request("POST", "/admin/oit", cookie_a, body), 404);
    /* every OIT item is marked, but 5 answers are fewer than the minimum samples of 120 staff
     * (25) and 400 stakeholders (40): preliminary, the total without a rating */
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    char total[32];
    fmt2(total_by_hand(), total);
    assert_non_null(strstr(page, total));
    assert_non_null(strstr(page, "id=\"preliminary\""));
    assert_non_null(strstr(page, "<li>IIT 5 จาก 25 คำตอบขั้นต่ำ</li><li>EIT 5 จาก 40 คำตอบขั้นต่ำ</li>"));
    assert_null(strstr(page, "id=\"grade\""));
    assert_null(strstr(page, "ระดับ <strong"));
    /* a small agency: 5 staff and 5 stakeholders, everyone answered: rated */
    snprintf(q, sizeof q,
             "UPDATE agency_year SET staff_population = 5, eit_population = 5 WHERE agency_id = %s"
             " RETURNING 1",
             agency_a);
    assert_non_null(t_db_value(conninfo, q));
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    assert_null(strstr(page, "id=\"preliminary\""));
    assert_non_null(strstr(page, total));
    assert_non_null(strstr(page, "id=\"grade\">AA<"));
    assert_non_null(strstr(page, "https://nkp.go.th/ita/"));
    assert_non_null(strstr(page, "ยังไม่มี"));
}

static void test_small_agency_is_suppressed(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/results?agency=%s&year=2566", agency_b);
    assert_int_equal(request("GET", path, cookie_sys, NULL), 200);
    assert_non_null(strstr(page, "id=\"suppressed-IIT\""));
    /* no indicator of the IIT has a figure */
    const char *t = strstr(page, "<table id=\"indicators\">");
    assert_non_null(t);
    const char *row = strstr(t, "ตัวชี้วัดที่ 1 ");
    assert_non_null(row);
    assert_non_null(strstr(row, "<td class=\"n\">–</td>"));
    /* the agency administrator of A cannot see B: the same 404 as for a missing agency */
    assert_int_equal(request("GET", path, cookie_a, NULL), 404);
    static char other[65536];
    assert_true(strlen(page) < sizeof other);
    memcpy(other, page, strlen(page) + 1);
    assert_non_null(strstr(other, "ไม่พบหน่วยงานนี้"));
    assert_int_equal(request("GET", "/admin/results?agency=999999&year=2566", cookie_a, NULL), 404);
    assert_string_equal(page, other);
}

static char *field_of(char *line, int col)
{
    /* CSV cells of our rows hold no quoted commas except names, which come before col 3 */
    char *p = line;
    for (int i = 0; i < col && p; i++) {
        if (*p == '"') {
            p = strchr(p + 1, '"');
            while (p && p[1] == '"')
                p = strchr(p + 2, '"');
            p = p ? strchr(p, ',') : NULL;
        } else {
            p = strchr(p, ',');
        }
        if (p)
            p++;
    }
    return p;
}

static void hex2bin(const char *hex, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* The manifest of export `id`: signature valid under the server's key, file hash equal to the
 * bytes received, responses and digest as recomputed from the database. */
static void check_manifest(const char *id, const char *cookie, const unsigned char *file,
                           size_t len, long long responses)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/export-key");
    assert_int_equal(request("GET", path, cookie, NULL), 200);
    char key[80];
    snprintf(key, sizeof key, "%.64s", page);
    snprintf(path, sizeof path, "/admin/export-manifest?id=%s", id);
    assert_int_equal(request("GET", path, cookie, NULL), 200);
    json_error_t je;
    json_t *m = json_loads(page, 0, &je);
    assert_non_null(m);
    json_t *payload = json_object_get(m, "payload");
    const char *sig = json_string_value(json_object_get(json_object_get(m, "signature"), "value"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(m, "signature"), "public_key")), key);
    char *canon = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned char pk[32], s[64];
    hex2bin(key, pk, 32);
    hex2bin(sig, s, 64);
    assert_int_equal(crypto_sign_verify_detached(s, (unsigned char *)canon, strlen(canon), pk), 0);
    /* one changed byte of the payload breaks it */
    canon[10] ^= 1;
    assert_int_not_equal(crypto_sign_verify_detached(s, (unsigned char *)canon, strlen(canon), pk),
                         0);
    free(canon);
    unsigned char h[32];
    SHA256(file, len, h);
    char hx[65];
    for (int i = 0; i < 32; i++)
        snprintf(hx + 2 * i, 3, "%02x", h[i]);
    assert_string_equal(json_string_value(json_object_get(payload, "file_sha256")), hx);
    json_t *rs = json_object_get(payload, "response_set");
    assert_int_equal(json_integer_value(json_object_get(rs, "rows")), responses);
    assert_non_null(json_object_get(json_object_get(payload, "point_maps"), "P4"));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(payload, "instrument_version"), "fiscal_year")),
                     2566);
    json_decref(m);
}

/* People get Thai column names and words by default, programs the English keys with keys=en. */
static void test_export_thai_csv(void **state)
{
    assert_int_equal(request("GET", "/admin/export?year=2566&format=csv", cookie_sys, NULL), 200);
    static const char head[] = "\xEF\xBB\xBF"
                               "ปีงบประมาณ,รหัสหน่วยงาน,ชื่อหน่วยงาน,IIT จำนวนผู้ตอบ,";
    assert_memory_equal(page, head, strlen(head));
    assert_non_null(strstr(page, ",ระดับผลการประเมิน,ผ่านเกณฑ์,"));
    assert_non_null(strstr(page, ",ผลเบื้องต้น,เกณฑ์ขั้นต่ำที่ยังไม่ครบ\r\n"));
    /* B: preliminary, which minimums in Thai, the IIT minimum the rule's while staff unknown */
    char *b = strstr(page, "\r\n2566,B,");
    assert_non_null(b);
    assert_non_null(strstr(b, ",3,25,ไม่ถึง,"));
    assert_non_null(
        strstr(b, ",ใช่,IIT 3 จาก 25 คำตอบขั้นต่ำ (ตามเกณฑ์ขั้นต่ำ เพราะยังไม่ได้กรอกจำนวนบุคลากร)"));
    /* NKP: rated AA, passes */
    assert_non_null(strstr(page, ",100,ครบ,AA,ผ่าน,,ไม่ใช่,\r\n"));
    assert_int_equal(request("GET", "/admin/export?year=2566&format=csv&keys=xx", cookie_sys, NULL),
                     400);
}

static void test_export_all_csv(void **state)
{
    assert_int_equal(request("GET", "/admin/export?year=2566&format=csv&keys=en", cookie_sys, NULL),
                     200);
    assert_memory_equal(page,
                        "\xEF\xBB\xBF"
                        "fiscal_year,agency_code,agency_name,",
                        3 + 36);
    assert_non_null(strstr(page, ",blocked_by,preliminary,minimums_not_met\r\n"));
    char id[32];
    assert_non_null(header("X-ITA-Export-Id", id, sizeof id));
    static unsigned char file[1 << 16];
    size_t len = page_len;
    memcpy(file, page, len);
    /* row of B: 3 IIT responses, nothing else */
    char *b = strstr(page, "\r\n2566,B,");
    assert_non_null(b);
    b += 2;
    assert_memory_equal(field_of(b, 3), "3,", 2);
    assert_memory_equal(field_of(b, 10), ",,,,,", 5); /* indicators 1-5 empty */
    char *a = strstr(page, "\r\n2566,NKP,");
    assert_non_null(a);
    a += 2;
    char total[32], ind1[32];
    fmt2(total_by_hand(), total);
    fmt2(1780.0 / 18, ind1);
    assert_memory_equal(field_of(a, 10), ind1, strlen(ind1));
    char *t = field_of(a, 26);
    assert_memory_equal(t, total, strlen(total));
    assert_memory_equal(field_of(a, 27), "100,complete,AA,yes,,no,\r\n", 27);
    assert_memory_equal(field_of(a, 4), "5,yes,5,", 8); /* IIT: 5 of 5 staff, minimum 5 */
    /* B: no rating, preliminary, its minimums (the rule's while its populations are unknown) */
    assert_memory_equal(field_of(b, 29), ",,,yes,IIT 3/25; EIT 0/30; OIT 0/", 33);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'export_aggregates' "
                             "AND detail->>'scope' = 'all' AND agency_id IS NULL"),
        "2");
    check_manifest(id, cookie_sys, file, len, 10); /* B: fewer than k */
}

static void test_export_json_full_precision(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/export?year=2566&agency=%s&format=json", agency_a);
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    json_error_t je;
    json_t *d = json_loads(page, 0, &je);
    assert_non_null(d);
    json_t *ag = json_array_get(json_object_get(d, "agencies"), 0);
    assert_string_equal(json_string_value(json_object_get(ag, "code")), "NKP");
    json_t *total = json_object_get(ag, "total");
    assert_true(fabs(json_real_value(json_object_get(total, "value")) - total_by_hand()) < 1e-9);
    char t[32];
    fmt2(total_by_hand(), t);
    assert_string_equal(json_string_value(json_object_get(total, "display")), t);
    json_t *eit = json_object_get(json_object_get(ag, "groups"), "EIT");
    assert_true(fabs(json_real_value(json_object_get(json_object_get(eit, "mean"), "value")) -
                     296.0 / 3) < 1e-9);
    assert_string_equal(json_string_value(json_object_get(ag, "rating")), "AA");
    json_decref(d);
    char id[32];
    assert_non_null(header("X-ITA-Export-Id", id, sizeof id));
    static unsigned char file[1 << 16];
    size_t len = page_len;
    memcpy(file, page, len);
    check_manifest(id, cookie_a, file, len, 10);
    /* the agency administrator's "all agencies" export holds only its own agency */
    assert_int_equal(request("GET", "/admin/export?year=2566&format=csv", cookie_a, NULL), 200);
    assert_non_null(strstr(page, "\r\n2566,NKP,"));
    assert_null(strstr(page, "\r\n2566,B,"));
    /* and the system administrator's manifest is not its to read */
    snprintf(
        path, sizeof path, "/admin/export-manifest?id=%s",
        t_db_value(
            conninfo,
            "SELECT min(id) FROM audit_log WHERE detail->>'scope' = 'all' AND agency_id IS NULL"));
    assert_int_equal(request("GET", path, cookie_a, NULL), 404);
}

static void test_export_questions(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/export?year=2566&agency=%s&kind=questions&format=csv",
             agency_a);
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    /* Thai by default: the question as the form numbers it */
    assert_non_null(strstr(page, "\xEF\xBB\xBFปีงบประมาณ,รหัสหน่วยงาน,แบบวัด,ตัวชี้วัดที่,ข้อ,"));
    assert_non_null(strstr(page, "2566,NKP,IIT,1,ข้อ 4,5,93.33,"));
    assert_non_null(strstr(page, "2566,NKP,EIT,7,ข้อ 8,5,80.00,"));
    strcat(path, "&keys=en");
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    assert_non_null(strstr(page, "\xEF\xBB\xBF"
                                 "fiscal_year,agency_code,instrument,indicator,question,"));
    assert_non_null(strstr(page, "2566,NKP,IIT,1,i4,5,93.33,"));
    assert_non_null(strstr(page, "2566,NKP,EIT,7,e8,5,80.00,"));
    assert_non_null(strstr(page, "2566,NKP,IIT,2,i9,5,100.00,"));
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'export_questions'"),
        "2");
    /* per-question export needs one agency */
    assert_int_equal(request("GET", "/admin/export?year=2566&kind=questions", cookie_sys, NULL),
                     400);
}

/* The digest of the manifest is the documented row-sum over SHA-256 of each response that may be
 * shown (sealed groups with at least k: here NKP's 10, not B's 3). */
static void test_response_digest_definition(void **state)
{
    PGconn *pg = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    PGresult *r = PQexec(
        pg,
        "SELECT agency_id, instrument, to_char(received_on, 'YYYY-MM-DD'), encode(answers, 'hex')"
        " FROM response r WHERE fiscal_year = 2566 AND (SELECT t.sealed AND t.responses >= 5"
        " FROM response_tally t WHERE t.fiscal_year = r.fiscal_year AND t.agency_id = r.agency_id"
        " AND t.instrument = r.instrument)");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    unsigned __int128 sum[4] = {0};
    for (int i = 0; i < PQntuples(r); i++) {
        unsigned char buf[1100];
        uint32_t id = (uint32_t)atoi(PQgetvalue(r, i, 0));
        buf[0] = (unsigned char)(id >> 24), buf[1] = (unsigned char)(id >> 16);
        buf[2] = (unsigned char)(id >> 8), buf[3] = (unsigned char)id;
        memcpy(buf + 4, PQgetvalue(r, i, 1), 3);
        memcpy(buf + 7, PQgetvalue(r, i, 2), 10);
        size_t n = strlen(PQgetvalue(r, i, 3)) / 2;
        hex2bin(PQgetvalue(r, i, 3), buf + 17, n);
        unsigned char h[32];
        SHA256(buf, 17 + n, h);
        for (int k = 0; k < 4; k++) {
            uint64_t x = 0;
            for (int b = 0; b < 7; b++)
                x = (x << 8) | h[8 * k + b];
            sum[k] += x;
        }
    }
    int rows = PQntuples(r);
    assert_int_equal(rows, 10);
    PQclear(r);
    r = PQexec(
        pg,
        "SELECT sum(responses)::text, sum(s1)::text, sum(s2)::text, sum(s3)::text, sum(s4)::text"
        " FROM ita_response_digest(2566::smallint, NULL, 5)");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    assert_int_equal(atoi(PQgetvalue(r, 0, 0)), rows);
    for (int k = 0; k < 4; k++) {
        char want[48];
        unsigned __int128 x = sum[k];
        char tmp[48];
        int n = 0;
        do {
            tmp[n++] = (char)('0' + (int)(x % 10));
            x /= 10;
        } while (x);
        for (int i = 0; i < n; i++)
            want[i] = tmp[n - 1 - i];
        want[n] = '\0';
        assert_string_equal(PQgetvalue(r, 0, 1 + k), want);
    }
    PQclear(r);
    PQfinish(pg);
}

static void test_report(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/report?agency=%s&year=2566", agency_a);
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    char csp[512];
    assert_non_null(header("Content-Security-Policy", csp, sizeof csp));
    assert_non_null(strstr(csp, "style-src 'sha256-"));
    assert_non_null(strstr(page, "<html lang=\"th\">"));
    assert_non_null(strstr(page, "ตัวชี้วัดที่ 10 "));
    assert_non_null(strstr(page, "id=\"group-urgent\""));
    assert_non_null(strstr(page, "id=\"group-keep\""));
    /* indicator 7 (96) is kept, with the seed report's standard description */
    const char *keep = strstr(page, "id=\"group-keep\"");
    assert_non_null(strstr(keep, "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร คะแนนเฉลี่ยร้อยละ 96.00"));
    assert_non_null(strstr(page, "เป็นตัวชี้วัดที่ประเมินการรับรู้ของผู้รับบริการ"));
    /* the weakest questions: i4 first among the IIT, e8 among the EIT */
    const char *low = strstr(page, "id=\"lowest-IIT\"");
    assert_non_null(low);
    assert_non_null(strstr(low, "<td>ข้อ 4</td>"));
    assert_true(strstr(low, "<td>ข้อ 4</td>") < strstr(low, "</table>"));
    assert_non_null(strstr(strstr(page, "id=\"lowest-EIT\""), "<td>ข้อ 8</td>"));
    /* draft measures: saved, shown, then one row removed */
    char body[2048];
    snprintf(body, sizeof body,
             "csrf=%s&agency=%s&year=2566&measure_1=%s&method_1=%s&responsible_1=%s"
             "&period_1=%s&follow_up_1=%s&measure_2=x",
             t_hidden_value(page, "csrf"), agency_a,
             "%E0%B8%84%E0%B8%B9%E0%B9%88%E0%B8%A1%E0%B8%B7%E0%B8%AD", "a%3Cb%3E", "unit", "2567",
             "report");
    assert_int_equal(request("POST", "/admin/measures", cookie_a, body), 303);
    assert_int_equal(request("GET", path, cookie_a, NULL), 200);
    assert_non_null(strstr(page, ">คู่มือ</td><td data-label=\"วิธีการดำเนินการ\">a&lt;b&gt;</td>"));
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM improvement_measure"), "2");
    snprintf(body, sizeof body, "csrf=%s&agency=%s&year=2566&measure_1=only",
             t_hidden_value(page, "csrf"), agency_a);
    assert_int_equal(request("POST", "/admin/measures", cookie_a, body), 303);
    assert_string_equal(
        t_db_value(conninfo, "SELECT string_agg(measure, ',') FROM improvement_measure"), "only");
    /* not another agency's */
    snprintf(path, sizeof path, "/admin/report?agency=%s&year=2566", agency_b);
    assert_int_equal(request("GET", path, cookie_a, NULL), 404);
}

/* itactl against the real server with an API token: export with manifest, verify (and a
 * tampered file or a foreign key refused), OIT marks one by one and from CSV, scores, report. */
static char out[1 << 16];

static int itactl(const char *token_file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int itactl(const char *token_file, const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "env -u ITACTL_TOKEN -u ITACTL_TOKEN_FILE '%s' --url https://localhost:%d "
             "--cacert '%s/cert.pem' --token-file '%s' %s 2>&1",
             t_env("ITA_ITACTL"), port, srv.dir, token_file, args);
    return t_run_capture(cmd, out, sizeof out);
}

static void expect_out(const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("expected \"%s\" in itactl's output:\n%s", needle, out);
}

static void test_itactl(void **state)
{
    const char *dir = t_tmpdir("results-itactl");
    char tok[512], cmd[2048], buf[256];
    snprintf(tok, sizeof tok, "%s/token", dir);
    snprintf(
        cmd, sizeof cmd,
        "'%s' --database-url='%s' --secret-file='%s/secret' --create-api-token sys@example.go.th"
        " 2>/dev/null > '%s'",
        t_env("ITA_ITAD"), conninfo, srv.dir, tok);
    assert_int_equal(t_run_capture(cmd, buf, sizeof buf), 0);
    assert_int_equal(itactl(tok, "export --fy 2566 --format csv -o '%s/all.csv'", dir), 0);
    assert_int_equal(itactl(tok, "verify '%s/all.csv' '%s/all.csv.manifest.json'", dir, dir), 0);
    expect_out("OK: ");
    expect_out("10 responses"); /* B's 3 are fewer than k: not behind any figure */
    /* the same with the key given, no server needed */
    assert_int_equal(request("GET", "/admin/export-key", cookie_sys, NULL), 200);
    char key[80];
    snprintf(key, sizeof key, "%.64s", page);
    assert_int_equal(
        itactl(tok, "verify '%s/all.csv' '%s/all.csv.manifest.json' --key %s", dir, dir, key), 0);
    /* a changed file, or another key, fails */
    snprintf(cmd, sizeof cmd, "cp '%s/all.csv' '%s/bad.csv' && printf x >> '%s/bad.csv'", dir, dir,
             dir);
    assert_int_equal(t_run_capture(cmd, buf, sizeof buf), 0);
    assert_int_equal(itactl(tok, "verify '%s/bad.csv' '%s/all.csv.manifest.json'", dir, dir), 1);
    expect_out("FAILED: ");
    key[0] = key[0] == '0' ? '1' : '0';
    assert_int_equal(
        itactl(tok, "verify '%s/all.csv' '%s/all.csv.manifest.json' --key %s", dir, dir, key), 1);
    /* OIT marks */
    assert_int_equal(
        itactl(tok, "oit set --agency %s --fy 2566 --item O1 --met yes --url https://b.go.th/o1",
               agency_b),
        0);
    char path[512];
    snprintf(path, sizeof path, "%s/oit.csv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f,
            "agency,fiscal_year,item,met,url,note\r\n%s,2566,O2,ผ่าน,https://b.go.th/o2,\r\n"
            "%s,2566,O3,no,,\"ยังไม่มี, กำลังทำ\"\r\n%s,2566,O4,1,,\r\n",
            agency_b, agency_b, agency_a);
    fclose(f);
    assert_int_equal(itactl(tok, "oit import '%s'", path), 0);
    expect_out("3 OIT rows of 2 agency-years saved");
    char q[256];
    snprintf(q, sizeof q,
             "SELECT string_agg(item_code || '=' || met, ',' ORDER BY item_code) FROM oit_result "
             "WHERE agency_id = %s",
             agency_b);
    assert_string_equal(t_db_value(conninfo, q), "O1=true,O2=true,O3=false");
    assert_int_equal(itactl(tok, "oit set --agency %s --fy 2566 --item O99 --met yes", agency_b),
                     1);
    /* scores and report */
    assert_int_equal(itactl(tok, "scores --agency %s --fy 2566", agency_a), 0);
    char total[32], line[64];
    fmt2(total_by_hand(), total);
    snprintf(line, sizeof line, "total %s of 100  AA", total);
    expect_out(line);
    assert_int_equal(itactl(tok, "scores --agency %s --fy 2566", agency_b), 0);
    expect_out("(too few: not shown)");
    expect_out("preliminary, no rating");
    expect_out("minimums not met: IIT 3/25; EIT 0/30; OIT 3/");
    /* itactl's files keep the English column names scripts read */
    snprintf(cmd, sizeof cmd, "head -c 40 '%s/all.csv' | grep -c 'fiscal_year,agency_code'", dir);
    assert_int_equal(t_run_capture(cmd, buf, sizeof buf), 0);
    assert_int_equal(itactl(tok, "report --agency %s --fy 2566 -o '%s/report.html'", agency_a, dir),
                     0);
    snprintf(cmd, sizeof cmd, "grep -c 'lang=\"th\"' '%s/report.html'", dir);
    assert_int_equal(t_run_capture(cmd, buf, sizeof buf), 0);
}

/* With the previous fiscal year's responses stored, the report compares each indicator with it. */
static void test_report_previous_year(void **state)
{
    char path[512], cmd[2048], buf[512];
    snprintf(path, sizeof path, "%s/instruments-2565.json", t_tmpdir("results-prev"));
    snprintf(
        cmd, sizeof cmd,
        "sed 's/\"fiscal_year\": 2566,/\"fiscal_year\": 2565,/' '%s/instruments/2566.json' > '%s'"
        " && '%s' --database-url='%s' --load-instruments '%s' 2>&1",
        t_env("ITA_SOURCE_DIR"), path, t_env("ITA_ITAD"), conninfo, path);
    if (t_run_capture(cmd, buf, sizeof buf) != 0)
        fail_msg("loading a 2565 version failed: %s", buf);
    /* 2565: everything at its best, so every 2566 indicator is lower or equal */
    for (int i = 0; i < 5; i++) {
        respond_in("2565", agency_a, ITA_IIT, NULL, 0);
        respond_in("2565", agency_a, ITA_EIT, NULL, 0);
    }
    respond_flush();
    /* wait for the rollup (every 200 ms) to count them: 2565 has no window, so it is sealed */
    assert_true(t_wait_counted(conninfo, 0, 10000));
    char rpath[128];
    snprintf(rpath, sizeof rpath, "/admin/report?agency=%s&year=2566", agency_a);
    assert_int_equal(request("GET", rpath, cookie_a, NULL), 200);
    assert_non_null(strstr(page, "<th>ปีก่อน</th>"));
    assert_non_null(strstr(page, "id=\"previous\""));
    assert_non_null(strstr(page, "เปรียบเทียบกับปีงบประมาณ พ.ศ. 2565"));
    /* indicator 7 was 100 in 2565 (all best) and is 96 now: the change is shown */
    assert_non_null(strstr(page, "-4.00"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oit_entry),
        cmocka_unit_test(test_small_agency_is_suppressed),
        cmocka_unit_test(test_export_thai_csv),
        cmocka_unit_test(test_export_all_csv),
        cmocka_unit_test(test_export_json_full_precision),
        cmocka_unit_test(test_export_questions),
        cmocka_unit_test(test_response_digest_definition),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_itactl),
        cmocka_unit_test(test_report_previous_year),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
