/* Instrument versions in the web admin, on the real server and database: a malformed upload
 * shows every line of the loader's message and stores nothing; the six-level fixture uploaded as
 * a new year becomes a draft whose page lists every unconfirmed item (as many as the database
 * counts), whose IIT and EIT previews are the respondents' form with its six-level labels under a
 * Thai banner (allowed by the page's CSP) and whose preview answers are checked like real ones
 * and stored nowhere; published after the confirmation step, the year is listed and its public
 * link serves the form. A correction of a year with answers: wording only is published (revision
 * 2, the old one in history, respondents see the new text at once); a flipped polarity is refused
 * in Thai and nothing changes. Discarding, the audit log, the year and results pages' warning
 * about unconfirmed items, and agency administrators refused (403) on every instrument route. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "testlib.h"

#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 22];
static char cookie_sys[64], cookie_a[64], agency[16];

/* One request as a browser; ctype and body optional. */
static int request(const char *method, const char *path, const char *cookie, const char *ctype,
                   const void *body, size_t len)
{
    char header[160];
    snprintf(header, sizeof header, "Cookie: ita_admin=%s", cookie);
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = header,
                           .ctype = ctype,
                           .body = body,
                           .body_len = len,
                           .timeout_ms = 30000};
    return t_http(port, &r, page, sizeof page);
}

static int get(const char *path, const char *cookie)
{
    return request("GET", path, cookie, NULL, NULL, 0);
}

static int post(const char *path, const char *cookie, const char *form)
{
    return request("POST", path, cookie, "application/x-www-form-urlencoded", form, strlen(form));
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const char *location(void)
{
    static char loc[512];
    const char *l = strstr(t_last_headers(), "Location: ");
    assert_non_null(l);
    l += strlen("Location: ");
    snprintf(loc, sizeof loc, "%.*s", (int)strcspn(l, "\r\n"), l);
    return loc;
}

/* A browser's multipart upload of one file with the session's CSRF token; the status. */
static int upload(const char *cookie, const char *csrf, const char *name, const char *data,
                  size_t len)
{
    static const char B[] = "----WebKitFormBoundaryIns7";
    size_t cap = len + 1024;
    char *mp = malloc(cap);
    int n = snprintf(mp, cap,
                     "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                     "Content-Type: application/json\r\n\r\n",
                     B, csrf, B, name);
    memcpy(mp + n, data, len);
    n += (int)len;
    n += snprintf(mp + n, cap - (size_t)n, "\r\n--%s--\r\n", B);
    char ct[128];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", B);
    int st = request("POST", "/admin/instruments/upload", cookie, ct, mp, (size_t)n);
    free(mp);
    return st;
}

/* text as HTML shows it (escaped like strbuf_html_escape). */
static const char *html(const char *text)
{
    static char out[8192];
    size_t o = 0;
    for (const char *c = text; *c && o < sizeof out - 8; c++) {
        const char *rep = *c == '&'    ? "&amp;"
                          : *c == '<'  ? "&lt;"
                          : *c == '>'  ? "&gt;"
                          : *c == '"'  ? "&quot;"
                          : *c == '\'' ? "&#39;"
                                       : NULL;
        if (rep) {
            memcpy(out + o, rep, strlen(rep));
            o += strlen(rep);
        } else {
            out[o++] = *c;
        }
    }
    out[o] = '\0';
    return out;
}

/* <li> items inside the element with id `id` of the page. */
static int count_items(const char *id)
{
    char key[128];
    snprintf(key, sizeof key, "id=\"%s\"", id);
    const char *p = strstr(page, key);
    if (!p)
        return 0;
    const char *ul = strstr(p, "</ul>"), *ol = strstr(p, "</ol>");
    const char *end = !ul ? ol : !ol ? ul : ul < ol ? ul : ol;
    int n = 0;
    for (const char *q = strstr(p, "<li>"); q && q < end; q = strstr(q + 4, "<li>"))
        n++;
    return n;
}

static const char *db(const char *sql)
{
    const char *v = t_db_value(conninfo, sql);
    return v ? v : "(error)";
}

/* How many answers are stored anywhere (inbox, waiting, counted). */
static long answers_stored(void)
{
    return atol(db("SELECT (SELECT count(*) FROM response_inbox) + (SELECT count(*) FROM "
                   "response_pending) + (SELECT count(*) FROM response)"));
}

static void day(char out[16], int offset_days)
{
    time_t t = time(NULL) + (time_t)offset_days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* The inline <tag> of the page is allowed by its Content-Security-Policy hash. */
static void assert_csp_allows(const char *tag)
{
    char open[16], close[16];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *s = strstr(page, open);
    assert_non_null(s);
    s += strlen(open);
    const char *e = strstr(s, close);
    assert_non_null(e);
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(s, (size_t)(e - s), md, &mdlen, EVP_sha256(), NULL);
    char b64[64], want[100];
    EVP_EncodeBlock((unsigned char *)b64, md, 32);
    snprintf(want, sizeof want, "'sha256-%s'", b64);
    const char *csp = strstr(t_last_headers(), "Content-Security-Policy: ");
    assert_non_null(csp);
    if (!strstr(csp, want) || strstr(csp, want) > strstr(csp, "\r\n"))
        fail_msg("the CSP does not allow the page's inline %s (%s)", tag, want);
}

/* A form body answering every field of survey k of v with level 0, leaving out field `skip`
 * (-1: none), with the CSRF token. */
static char *answers_body(const struct ita_version *v, enum ita_instrument k, const char *csrf,
                          long skip)
{
    size_t cap = 65536, o = 0;
    char *b = malloc(cap);
    o += (size_t)snprintf(b, cap, "f=preview&csrf=%s", csrf);
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    for (size_t i = 0; i < v->surveys[k].n_fields; i++)
        if ((long)i != skip)
            o += (size_t)snprintf(b + o, cap - o, "&%s=0", v->field_list[first + i]->code);
    return b;
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_instruments"));
    const char *extra[] = {"--workers=2", "--link-cache-ms=0", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    snprintf(agency, sizeof agency, "%s",
             t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('A', 'เทศบาลเอ') "
                                  "RETURNING id"));
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "a@example.go.th", "agency", agency);
    t_admin_login(port, "sys%40example.go.th", cookie_sys, page, sizeof page);
    t_admin_login(port, "a%40example.go.th", cookie_a, page, sizeof page);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static char csrf_sys[64];

static void read_csrf(void)
{
    assert_int_equal(get("/admin/instruments", cookie_sys), 200);
    snprintf(csrf_sys, sizeof csrf_sys, "%s", t_hidden_value(page, "csrf"));
}

/* ---- an agency administrator: 403 on every instrument route ---- */

static void test_agency_admin_refused(void **state)
{
    assert_int_equal(get("/admin/", cookie_a), 200);
    assert_null(strstr(page, "/admin/instruments"));
    char csrf[64], form[128];
    snprintf(csrf, sizeof csrf, "%s", t_hidden_value(page, "csrf"));
    static const char *const gets[] = {"/admin/instruments", "/admin/instruments/draft?id=1",
                                       "/admin/instruments/publish?id=1",
                                       "/admin/instruments/preview?fy=2566&instrument=IIT"};
    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
        if (get(gets[i], cookie_a) != 403 || !strstr(page, "เฉพาะผู้ดูแลระบบ"))
            fail_msg("agency administrator GET %s: not refused in Thai", gets[i]);
    }
    static const char *const posts[] = {"/admin/instruments/upload", "/admin/instruments/publish",
                                        "/admin/instruments/discard",
                                        "/admin/instruments/preview?fy=2566&instrument=IIT"};
    snprintf(form, sizeof form, "csrf=%s&id=1", csrf);
    for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
        if (post(posts[i], cookie_a, form) != 403 || !strstr(page, "เฉพาะผู้ดูแลระบบ"))
            fail_msg("agency administrator POST %s: not refused in Thai", posts[i]);
    }
    /* the system administrator's navigation links the page */
    assert_int_equal(get("/admin/", cookie_sys), 200);
    assert_non_null(strstr(page, "href=\"/admin/instruments\""));
}

/* ---- a malformed file ---- */

/* Wrong in three independent places: a decreasing point map, a scale naming a point map that
 * does not exist, a question of indicator 9. */
static const char BAD[] =
    "{\"format\": \"ita-instruments/1\", \"fiscal_year\": 2590, \"title_th\": \"ทดสอบ\",\n"
    " \"point_maps\": {\"P4\": {\"points\": [0, 50, 40, 100], \"verified\": true}},\n"
    " \"scales\": {\"L4\": {\"labels_th\": [\"ก\", \"ข\", \"ค\", \"ง\"], \"point_map\": \"PX\","
    " \"verified\": true}},\n"
    " \"indicators\": [], \"instruments\": [{\"code\": \"IIT\", \"name_th\": \"ไอไอที\","
    " \"questions\": [{\"code\": \"i1\", \"indicator\": 9, \"text_th\": \"ข้อ\","
    " \"verified\": true, \"fields\": [{\"code\": \"i1.1\", \"scale\": \"L4\","
    " \"polarity\": \"positive\"}]}]}]}\n";

static void test_malformed_upload(void **state)
{
    read_csrf();
    const char *drafts = "SELECT count(*) FROM instrument_draft";
    const char *versions = "SELECT count(*) || '/' || sum(revision) FROM instrument_version";
    char before_d[16], before_v[32];
    snprintf(before_d, sizeof before_d, "%s", db(drafts));
    snprintf(before_v, sizeof before_v, "%s", db(versions));
    assert_int_equal(upload(cookie_sys, csrf_sys, "bad.json", BAD, strlen(BAD)), 422);
    assert_non_null(strstr(page, "id=\"upload-errors\""));
    assert_non_null(strstr(page, "ยังไม่ได้บันทึกสิ่งใด"));
    /* every line of the loader's own message is a list item, JSON path and all */
    char *err = NULL;
    struct ita_version *v = ita_version_load_string(BAD, strlen(BAD), "bad.json", &err);
    assert_null(v);
    int lines = 0;
    for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n")) {
        while (*line == ' ' || *line == '-')
            line++;
        if (!*line)
            continue;
        lines++;
        char want[8300];
        snprintf(want, sizeof want, "<li>%s</li>", html(line));
        if (!strstr(page, want))
            fail_msg("the page does not show the loader's line \"%s\"", line);
        assert_non_null(strstr(line, "bad.json"));
    }
    free(err);
    assert_true(lines >= 1);
    assert_int_equal(count_items("upload-error-list"), lines);
    if (lines < 2)
        print_message("note: the loader reports %d error line(s) for this file; the page shows "
                      "each one (every error once the loader lists them all)\n",
                      lines);
    /* not JSON at all */
    assert_int_equal(upload(cookie_sys, csrf_sys, "x.json", "{\"format\": ", 11), 422);
    assert_true(count_items("upload-error-list") >= 1);
    /* nothing stored: no draft, no version, nothing in the audit log */
    assert_string_equal(db(drafts), before_d);
    assert_string_equal(db(versions), before_v);
    assert_string_equal(db("SELECT count(*) FROM audit_log WHERE action LIKE 'instrument%'"), "0");
}

/* ---- the six-level fixture as a new year ---- */

static void test_new_year(void **state)
{
    read_csrf();
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/instrument-2567-six-level.json",
             t_env("ITA_SOURCE_DIR"));
    size_t len;
    char *file = read_all(path, &len);
    char *err = NULL;
    struct ita_version *v = ita_version_load_file(path, &err);
    assert_non_null(v);
    char fy[8];
    snprintf(fy, sizeof fy, "%d", v->fiscal_year);
    assert_int_equal(upload(cookie_sys, csrf_sys, "instrument-2567-six-level.json", file, len),
                     303);
    free(file);
    char draft_path[128];
    snprintf(draft_path, sizeof draft_path, "%s", location());
    assert_non_null(strstr(draft_path, "/admin/instruments/draft?id="));
    const char *id = strchr(draft_path, '=') + 1;
    char q[256];
    snprintf(q, sizeof q,
             "SELECT fiscal_year || ' ' || unverified_items FROM instrument_draft "
             "WHERE id = %s",
             id);
    char row[64];
    snprintf(row, sizeof row, "%s", db(q));
    assert_int_equal(atoi(row), v->fiscal_year);
    int unverified = atoi(strchr(row, ' ') + 1);
    assert_true(unverified > 0);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM audit_log WHERE action = 'instrument_draft_upload'"
             " AND detail->>'draft' = '%s'",
             id);
    assert_string_equal(db(q), "1");

    /* the draft page: a new year, every unconfirmed item listed with its code */
    assert_int_equal(get(draft_path, cookie_sys), 200);
    assert_non_null(strstr(page, "data-outcome=\"new\""));
    assert_int_equal(count_items("unverified"), unverified);
    char want[128];
    snprintf(want, sizeof want, "ข้อมูลที่ยังไม่ยืนยัน (%d รายการ)", unverified);
    assert_non_null(strstr(page, want));
    assert_non_null(strstr(page, "ตารางคะแนน P6"));
    assert_non_null(strstr(page, "id=\"publish-link\""));
    /* nothing published yet: the year has no version */
    snprintf(q, sizeof q, "SELECT count(*) FROM instrument_version WHERE fiscal_year = %s", fy);
    assert_string_equal(db(q), "0");

    /* previews: the respondents' form with every label of its scales, under the banner; the
     * answers checked like real ones and stored nowhere */
    long stored = answers_stored();
    for (int k = ITA_IIT; k <= ITA_EIT; k++) {
        const char *code = ita_instrument_code((enum ita_instrument)k);
        char pv[160];
        snprintf(pv, sizeof pv, "/admin/instruments/preview?draft=%s&instrument=%s", id, code);
        assert_int_equal(get(pv, cookie_sys), 200);
        assert_non_null(strstr(page, "ตัวอย่าง — คำตอบจะไม่ถูกบันทึก"));
        assert_non_null(strstr(page, "<html lang=\"th\">"));
        assert_csp_allows("style");
        assert_csp_allows("script");
        const struct ita_survey *s = &v->surveys[k];
        for (size_t i = 0; i < s->n_questions; i++)
            for (size_t f = 0; f < s->questions[i].n_fields; f++) {
                const struct ita_scale *sc = &v->scales[s->questions[i].fields[f].scale];
                for (int l = 0; l < sc->levels; l++)
                    if (!strstr(page, html(sc->labels_th[l])))
                        fail_msg("%s preview lacks the label \"%s\"", code, sc->labels_th[l]);
            }
        char csrf[64];
        snprintf(csrf, sizeof csrf, "%s", t_hidden_value(page, "csrf"));
        /* one answer missing: the form again with the Thai error, the others kept */
        char *body = answers_body(v, (enum ita_instrument)k, csrf, 0);
        assert_int_equal(post(pv, cookie_sys, body), 422);
        assert_non_null(strstr(page, "ยังตอบไม่ครบ 1 ข้อ"));
        assert_non_null(strstr(page, "ตัวอย่าง — คำตอบจะไม่ถูกบันทึก"));
        assert_non_null(strstr(page, "checked"));
        free(body);
        /* a field that is not the instrument's: refused as a real submission would be */
        body = answers_body(v, (enum ita_instrument)k, csrf, -1);
        char *tampered = malloc(strlen(body) + 16);
        sprintf(tampered, "%s&zz9=1", body);
        assert_int_equal(post(pv, cookie_sys, tampered), 400);
        free(tampered);
        /* complete: shown, not stored */
        assert_int_equal(post(pv, cookie_sys, body), 200);
        assert_non_null(strstr(page, "ตัวอย่างเท่านั้น ไม่ได้บันทึก"));
        assert_non_null(strstr(page, "id=\"preview-answers\""));
        free(body);
        /* without the CSRF token: refused */
        assert_int_equal(post(pv, cookie_sys, "f=preview"), 403);
    }
    sleep(1); /* a rollup tick would have moved anything stored */
    assert_int_equal(answers_stored(), stored);

    /* publishing: the confirmation step, then the post */
    char confirm[128];
    snprintf(confirm, sizeof confirm, "/admin/instruments/publish?id=%s", id);
    assert_int_equal(get(confirm, cookie_sys), 200);
    assert_non_null(strstr(page, "id=\"publish-form\""));
    assert_string_equal(db(q), "0"); /* looking at it publishes nothing */
    char form[256];
    snprintf(form, sizeof form, "csrf=%s&id=%s", csrf_sys, id);
    assert_int_equal(post("/admin/instruments/publish", cookie_sys, form), 303);
    snprintf(want, sizeof want, "/admin/instruments?published=%s&revision=1", fy);
    assert_string_equal(location(), want);
    assert_string_equal(db(q), "1");
    snprintf(q, sizeof q, "SELECT count(*) FROM instrument_draft WHERE id = %s", id);
    assert_string_equal(db(q), "0");
    snprintf(q, sizeof q,
             "SELECT u.email || ' ' || (l.detail->>'revision') FROM audit_log l JOIN admin_user u"
             " ON u.id = l.admin_id WHERE l.action = 'instrument_publish' AND l.fiscal_year = %s",
             fy);
    assert_string_equal(db(q), "sys@example.go.th 1");
    /* listed */
    assert_int_equal(get(want, cookie_sys), 200);
    snprintf(want, sizeof want, "id=\"fy-%s\"", fy);
    assert_non_null(strstr(page, want));
    assert_non_null(strstr(page, "id=\"flash\""));
    snprintf(want, sizeof want, "มีข้อมูลที่ยังไม่ยืนยัน %d รายการ", unverified);
    assert_non_null(strstr(page, want));
    /* usable: the year is set up for an agency, and its public link serves the six-level form */
    char opens[16], closes[16];
    day(opens, -1);
    day(closes, 30);
    /* (a window outside that fiscal year: saved once confirmed, as the year page asks) */
    snprintf(form, sizeof form, "csrf=%s&agency=%s&fy=%s&opens_on=%s&closes_on=%s&confirm=12",
             csrf_sys, agency, fy, opens, closes);
    assert_int_equal(post("/admin/year", cookie_sys, form), 303);
    snprintf(q, sizeof q,
             "SELECT slug FROM survey_link WHERE agency_id = %s AND fiscal_year = %s"
             " AND instrument = 'IIT'",
             agency, fy);
    char slug[64], link[96];
    snprintf(slug, sizeof slug, "%s", db(q));
    snprintf(link, sizeof link, "/s/%s", slug);
    assert_int_equal(t_get(port, NULL, link, page, sizeof page), 200);
    const struct ita_scale *sc = &v->scales[v->surveys[ITA_IIT].questions[0].fields[0].scale];
    assert_int_equal(sc->levels, 6);
    assert_non_null(strstr(page, html(sc->labels_th[5])));
    /* the year's pages warn about the unconfirmed items, linking to how to correct them */
    snprintf(link, sizeof link, "/admin/year?agency=%s&fy=%s", agency, fy);
    assert_int_equal(get(link, cookie_sys), 200);
    snprintf(want, sizeof want, "ข้อมูลแบบวัดปี %s บางรายการ", fy);
    assert_non_null(strstr(page, want));
    assert_non_null(strstr(page, "ยังไม่ได้ยืนยันกับคู่มือของสำนักงาน ป.ป.ช."));
    assert_non_null(strstr(page, "href=\"/admin/instruments#fy-"));
    assert_int_equal(get(link, cookie_a), 200); /* the agency's own clerk: told, not linked */
    assert_non_null(strstr(page, want));
    assert_null(strstr(page, "href=\"/admin/instruments"));
    snprintf(link, sizeof link, "/admin/results?agency=%s&year=%s", agency, fy);
    assert_int_equal(get(link, cookie_sys), 200);
    assert_non_null(strstr(page, "id=\"unverified-notice\""));
    ita_version_free(v);
}

/* ---- corrections of a year with answers ---- */

/* instruments/2566.json with the first occurrence of `from` replaced by `to`. */
static char *edited_2566(const char *from, const char *to, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    size_t n;
    char *orig = read_all(path, &n);
    char *at = strstr(orig, from);
    assert_non_null(at);
    char *out = malloc(n + strlen(to) + 1);
    size_t head = (size_t)(at - orig);
    memcpy(out, orig, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    free(orig);
    *len = strlen(out);
    return out;
}

/* Uploads text and returns the draft's id (static). */
static const char *upload_draft(const char *text, size_t len)
{
    static char id[16];
    assert_int_equal(upload(cookie_sys, csrf_sys, "2566-corrected.json", text, len), 303);
    snprintf(id, sizeof id, "%s", strchr(location(), '=') + 1);
    return id;
}

static void test_corrections(void **state)
{
    read_csrf();
    /* the 2566 year of agency A is open, and one IIT answer is stored */
    char opens[16], closes[16], form[256], q[256];
    day(opens, -1);
    day(closes, 30);
    snprintf(form, sizeof form, "csrf=%s&agency=%s&fy=2566&opens_on=%s&closes_on=%s&confirm=12",
             csrf_sys, agency, opens, closes);
    assert_int_equal(post("/admin/year", cookie_sys, form), 303);
    snprintf(q, sizeof q,
             "SELECT slug FROM survey_link WHERE agency_id = %s AND fiscal_year = 2566"
             " AND instrument = 'IIT'",
             agency);
    char link[96];
    snprintf(link, sizeof link, "/s/%s", db(q));
    assert_int_equal(t_get(port, NULL, link, page, sizeof page), 200); /* cached now */
    assert_null(strstr(page, "(ฉบับแก้ไข)"));
    snprintf(q, sizeof q,
             "INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)"
             " VALUES (%s, 2566, 'IIT', decode(repeat('00', 51), 'hex')) RETURNING 1",
             agency);
    assert_string_equal(db(q), "1");

    /* wording only: a correction, published as revision 2, the old one kept */
    size_t len;
    char *text = edited_2566("\"text_th\": \"", "\"text_th\": \"(ฉบับแก้ไข) ", &len);
    const char *id = upload_draft(text, len);
    free(text);
    char path[128];
    snprintf(path, sizeof path, "/admin/instruments/draft?id=%s", id);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(page, "data-outcome=\"correction\""));
    assert_non_null(strstr(page, "ฉบับที่ 1 ด้วยฉบับที่ 2"));
    snprintf(form, sizeof form, "csrf=%s&id=%s", csrf_sys, id);
    assert_int_equal(post("/admin/instruments/publish", cookie_sys, form), 303);
    assert_string_equal(location(), "/admin/instruments?published=2566&revision=2");
    assert_string_equal(db("SELECT revision FROM instrument_version WHERE fiscal_year = 2566"),
                        "2");
    assert_string_equal(db("SELECT string_agg(revision::text, ',') FROM instrument_version_history"
                           " WHERE fiscal_year = 2566"),
                        "1");
    /* respondents get the corrected text at once: the page cache is keyed by revision */
    assert_int_equal(t_get(port, NULL, link, page, sizeof page), 200);
    assert_non_null(strstr(page, "(ฉบับแก้ไข)"));

    /* a polarity flipped: refused in Thai, nothing changed */
    char sha[80];
    snprintf(sha, sizeof sha, "%s",
             db("SELECT sha256 || revision FROM instrument_version WHERE fiscal_year = 2566"));
    text = edited_2566("\"polarity\": \"negative\"", "\"polarity\": \"positive\"", &len);
    id = upload_draft(text, len);
    free(text);
    snprintf(path, sizeof path, "/admin/instruments/draft?id=%s", id);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(page, "data-outcome=\"refused\""));
    assert_non_null(strstr(page, "เปลี่ยนทิศทางการให้คะแนน"));
    assert_null(strstr(page, "id=\"publish-link\""));
    snprintf(path, sizeof path, "/admin/instruments/publish?id=%s", id);
    assert_int_equal(get(path, cookie_sys), 200); /* no confirmation: the draft page says why */
    assert_null(strstr(page, "id=\"publish-form\""));
    snprintf(form, sizeof form, "csrf=%s&id=%s", csrf_sys, id);
    assert_int_equal(post("/admin/instruments/publish", cookie_sys, form), 409);
    assert_non_null(strstr(page, "id=\"refused\""));
    assert_non_null(strstr(page, "ยังไม่ได้เผยแพร่"));
    assert_non_null(strstr(page, "ข้อย่อย"));
    assert_non_null(strstr(page, "เปลี่ยนทิศทางการให้คะแนน"));
    assert_non_null(strstr(page, "IIT"));
    assert_string_equal(
        db("SELECT sha256 || revision FROM instrument_version WHERE fiscal_year = 2566"), sha);
    assert_string_equal(db("SELECT count(*) FROM instrument_version_history"), "1");
    snprintf(q, sizeof q, "SELECT count(*) FROM instrument_draft WHERE id = %s", id);
    assert_string_equal(db(q), "1"); /* kept, to be corrected or discarded */

    /* discarding it */
    assert_int_equal(post("/admin/instruments/discard", cookie_sys, form), 303);
    assert_string_equal(location(), "/admin/instruments?discarded=2566");
    assert_string_equal(db(q), "0");
    snprintf(q, sizeof q,
             "SELECT count(*) FROM audit_log WHERE action = 'instrument_draft_discard'"
             " AND detail->>'draft' = '%s'",
             id);
    assert_string_equal(db(q), "1");
    assert_int_equal(post("/admin/instruments/discard", cookie_sys, form), 404);
    /* the same file again: unchanged, nothing to publish */
    text = edited_2566("\"text_th\": \"", "\"text_th\": \"(ฉบับแก้ไข) ", &len);
    id = upload_draft(text, len);
    free(text);
    snprintf(path, sizeof path, "/admin/instruments/draft?id=%s", id);
    assert_int_equal(get(path, cookie_sys), 200);
    assert_non_null(strstr(page, "data-outcome=\"unchanged\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agency_admin_refused),
        cmocka_unit_test(test_malformed_upload),
        cmocka_unit_test(test_new_year),
        cmocka_unit_test(test_corrections),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
