/* Anonymity as an attacker would try it, on the real server and the real PostgreSQL, with
 * k = results_min_responses = 3 (README, "Anonymity").
 *
 * The agency administrator (an API token of the agency's own clerk) issues personal links to four
 * staff, downloads the mail merge, and polls every link, progress, scores, the report and every
 * export before and after each person answers, knowing who answered in between. Every
 * answer-derived figure it ever sees covers at least k respondents, and no two snapshots differ
 * by fewer than k: while the window is open nothing is shown; at the close all three at once;
 * after a reopen the fourth answer waits for k and moves nothing.
 *
 * The operator holds the database (here: SQL with pageinspect, live and dead tuples) and the
 * server's secret file, which names the token of every contact. After each answer no stored tuple
 * carries the transaction id that spent a token next to an answer (the inbox version is vacuumed
 * at once; waiting rows are rewritten by the rollup); counted rows share one transaction id and
 * one day per batch of at least k; no table holds a timestamp or sequence beside an answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "secret.h"
#include "testlib.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define K 3
#define STAFF 4

static struct t_server srv;
static int port;
static char conninfo[512];
static char page[1 << 20];
static char sys_bearer[160], clerk_bearer[160];
static char agency[16];
static struct ita_version *v;
static char links[STAFF][64]; /* "/t/<token>" from the mail merge, in contact order */
static char tokens[STAFF][64];

static int request(const char *method, const char *path, const char *header, const char *ctype,
                   const char *body)
{
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = header,
                           .ctype = ctype,
                           .body = body,
                           .body_len = body ? strlen(body) : 0,
                           .timeout_ms = 30000};
    return t_http(port, &r, page, sizeof page);
}

static int sys_api(const char *method, const char *path, const char *form)
{
    return request(method, path, sys_bearer, form ? "application/x-www-form-urlencoded" : NULL,
                   form);
}

static int clerk(const char *path)
{
    return request("GET", path, clerk_bearer, NULL, NULL);
}

static int clerk_post(const char *path, const char *form)
{
    return request("POST", path, clerk_bearer, "application/x-www-form-urlencoded", form);
}

static const char *sql(const char *q)
{
    return t_db_value(conninfo, q);
}

/* An API token for email, as "Authorization: Bearer ..." into out. */
static int api_token(const char *email, char *out, size_t size)
{
    char tok[64];
    if (t_create_api_token(conninfo, srv.dir, email, tok, sizeof tok) != 0)
        return -1;
    snprintf(out, size, "Authorization: Bearer %s", tok);
    return 0;
}

/* The agency's year: opened 10 days ago, closing `closes_in` days from today (Thailand; -1 is
 * yesterday, so the window has closed). */
static void save_year_of(const char *code, int closes_in)
{
    char q[256], form[256];
    snprintf(q, sizeof q,
             "SELECT to_char((now() AT TIME ZONE 'Asia/Bangkok')::date - 10, 'YYYY-MM-DD') || ',' "
             "|| to_char((now() AT TIME ZONE 'Asia/Bangkok')::date + %d, 'YYYY-MM-DD')",
             closes_in);
    const char *d = sql(q);
    snprintf(form, sizeof form,
             "code=%s&fy=2566&opens_on=%.10s&closes_on=%.10s&staff_population=4&eit_population=",
             code, d, d + 11);
    assert_int_equal(sys_api("POST", "/admin/year", form), 200);
}

static void save_year(int closes_in)
{
    save_year_of("AN", closes_in);
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_anonymity"));
    const char *extra[] = {"--workers=2", "--rollup-interval-ms=200", "--results-min-responses=3",
                           NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    char *err = NULL;
    v = ita_version_load_file(path, &err);
    if (!v)
        return -1;
    snprintf(agency, sizeof agency, "%s",
             sql("INSERT INTO agency (code, name_th) VALUES ('AN', 'เทศบาลนิรนาม') RETURNING id"));
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "clerk@example.go.th", "agency", agency);
    if (api_token("sys@example.go.th", sys_bearer, sizeof sys_bearer) != 0 ||
        api_token("clerk@example.go.th", clerk_bearer, sizeof clerk_bearer) != 0)
        return -1;
    t_db_exec(conninfo, "CREATE EXTENSION IF NOT EXISTS pageinspect", 0, NULL);
    return 0;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

/* ---- what the agency administrator sees ---- */

struct snapshot {
    const char *when;
    long shown;        /* IIT responses behind the scores (0 when not shown) */
    long raw;          /* IIT rows in the raw export */
    long progress;     /* IIT responses counted on the progress page */
    char *indicators;  /* the scores' indicators, as JSON text */
    char *questions;   /* the per-question export */
    char *aggregates;  /* the aggregate export's IIT indicators and groups, as JSON */
    bool report_shows; /* the report prints IIT figures */
    int link[STAFF];   /* what each personal link answers */
};

static struct snapshot snaps[16];
static int nsnaps;

static long count_of(const char *hay, const char *needle)
{
    long n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void snapshot(const char *when)
{
    assert_true(nsnaps < 16);
    struct snapshot *s = &snaps[nsnaps++];
    memset(s, 0, sizeof *s);
    s->when = when;
    char path[160];
    snprintf(path, sizeof path, "/admin/results?agency=%s&year=2566", agency);
    assert_int_equal(clerk(path), 200);
    json_error_t je;
    json_t *doc = json_loads(page, 0, &je);
    assert_non_null(doc);
    json_t *a = json_array_get(json_object_get(doc, "agencies"), 0);
    json_t *iit = json_object_get(a, "IIT");
    if (json_is_true(json_object_get(iit, "shown")))
        s->shown = (long)json_integer_value(json_object_get(iit, "responses"));
    s->indicators = json_dumps(json_object_get(a, "indicators"), JSON_COMPACT);
    json_decref(doc);

    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency);
    assert_int_equal(clerk(path), 200);
    s->raw = count_of(page, "AN,2566,IIT,");

    snprintf(path, sizeof path, "/admin/progress?agency=%s&fy=2566", agency);
    assert_int_equal(clerk(path), 200);
    doc = json_loads(page, 0, &je);
    assert_non_null(doc);
    s->progress = (long)json_integer_value(
        json_object_get(json_object_get(json_object_get(doc, "instruments"), "IIT"), "responses"));
    json_decref(doc);

    snprintf(path, sizeof path, "/admin/export?year=2566&agency=%s&kind=questions&format=csv",
             agency);
    assert_int_equal(clerk(path), 200);
    s->questions = strdup(page);
    snprintf(path, sizeof path, "/admin/export?year=2566&agency=%s&format=json", agency);
    assert_int_equal(clerk(path), 200);
    doc = json_loads(page, 0, &je);
    assert_non_null(doc);
    a = json_array_get(json_object_get(doc, "agencies"), 0);
    json_t *fig = json_pack("{s:O, s:O}", "indicators", json_object_get(a, "indicators"), "groups",
                            json_object_get(a, "groups"));
    s->aggregates = json_dumps(fig, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(fig);
    json_decref(doc);

    snprintf(path, sizeof path, "/admin/report?agency=%s&year=2566", agency);
    assert_int_equal(request("GET", path, clerk_bearer, NULL, NULL), 200);
    s->report_shows = strstr(page, "id=\"suppressed-IIT\"") == NULL;
    for (int i = 0; i < STAFF; i++)
        s->link[i] = request("GET", links[i], NULL, NULL, NULL);
}

/* Every figure covers at least k, and no two snapshots differ by fewer than k. */
static void check_snapshots(void)
{
    for (int i = 0; i < nsnaps; i++) {
        const struct snapshot *s = &snaps[i];
        if (s->shown != 0 && s->shown < K)
            fail_msg("%s: scores from %ld responses", s->when, s->shown);
        if (s->raw != s->shown)
            fail_msg("%s: %ld raw rows beside scores from %ld", s->when, s->raw, s->shown);
        if (s->progress != 0 && s->progress < K)
            fail_msg("%s: progress counts %ld", s->when, s->progress);
        if (s->report_shows != (s->shown > 0))
            fail_msg("%s: the report %s figures", s->when, s->report_shows ? "shows" : "hides");
        if (s->shown == 0 && strstr(s->questions, "2566,AN,IIT,"))
            fail_msg("%s: per-question IIT figures without scores", s->when);
        if (i == 0)
            continue;
        const struct snapshot *p = &snaps[i - 1];
        long d = s->shown - p->shown, dp = s->progress - p->progress;
        if (d != 0 && labs(d) < K)
            fail_msg("%s -> %s: the scores moved by %ld responses", p->when, s->when, d);
        if (dp != 0 && labs(dp) < K)
            fail_msg("%s -> %s: progress moved by %ld responses", p->when, s->when, dp);
        if (d == 0 &&
            (strcmp(s->indicators, p->indicators) != 0 || strcmp(s->questions, p->questions) != 0 ||
             strcmp(s->aggregates, p->aggregates) != 0))
            fail_msg("%s -> %s: figures changed with no change in their responses", p->when,
                     s->when);
    }
}

/* ---- what the operator sees ---- */

/* The transaction id that spent person i's token, named with the secret file: the operator
 * knows it for every contact. */
static const char *spend_xid(int i)
{
    struct secret sec;
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/secret", srv.dir);
    assert_int_equal(secret_load(&sec, path, err, sizeof err), 0);
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(&sec, SECRET_LABEL_TOKEN, tokens[i], strlen(tokens[i]), h);
    char hex[2 * TOKEN_HASH_BYTES + 1], q[256];
    secret_hex(h, sizeof h, hex);
    snprintf(q, sizeof q,
             "SELECT xmin::text FROM personal_token WHERE token_hash = '\\x%s'::bytea AND spent",
             hex);
    static char xid[4][32];
    static int next;
    char *out = xid[next++ % 4];
    const char *x = sql(q);
    assert_non_null(x);
    snprintf(out, 32, "%s", x);
    return out;
}

/* No tuple, live or dead, of a table that holds answers carries the spending transaction, a
 * moment after the rollup took the answer (its VACUUM waits for snapshots older than the dead
 * version: our own requests of the moment before). */
static void no_answer_with_xid(const char *xid)
{
    static const char *const tables[] = {"response_inbox", "response_pending", "response"};
    char q[1024];
    snprintf(q, sizeof q,
             "SELECT (SELECT count(*) FROM generate_series(0, pg_relation_size('%s') / 8192 - 1) p,"
             " heap_page_items(get_raw_page('%s', p::int)) i"
             " WHERE i.t_xmin::text = '%s' OR i.t_xmax::text = '%s')"
             " + (SELECT count(*) FROM generate_series(0, pg_relation_size('%s') / 8192 - 1) p,"
             " heap_page_items(get_raw_page('%s', p::int)) i"
             " WHERE i.t_xmin::text = '%s' OR i.t_xmax::text = '%s')"
             " + (SELECT count(*) FROM generate_series(0, pg_relation_size('%s') / 8192 - 1) p,"
             " heap_page_items(get_raw_page('%s', p::int)) i"
             " WHERE i.t_xmin::text = '%s' OR i.t_xmax::text = '%s')",
             tables[0], tables[0], xid, xid, tables[1], tables[1], xid, xid, tables[2], tables[2],
             xid, xid);
    long long t0 = t_now_ms();
    const char *n;
    while (strcmp(n = sql(q), "0") != 0 && t_now_ms() - t0 < 5000)
        usleep(100 * 1000);
    if (strcmp(n, "0") != 0)
        fail_msg("%s tuple(s) of the answer tables still carry the transaction %s that spent a "
                 "token, 5 s after the rollup",
                 n, xid);
}

/* ---- the people ---- */

/* Person i answers every field at its best level, except i1.1 at level i (known answers). */
static void answer_link(const char *link, int i)
{
    assert_int_equal(request("GET", link, NULL, NULL, NULL), 200);
    static char body[8192];
    int n = snprintf(body, sizeof body, "f=%s", t_hidden_value(page, "f"));
    for (size_t f = 0; f < v->surveys[ITA_IIT].n_fields; f++) {
        const struct ita_field *fd = v->field_list[f];
        int level = fd->polarity == ITA_POSITIVE ? v->scales[fd->scale].levels - 1 : 0;
        if (strcmp(fd->code, "i1.1") == 0)
            level = i;
        n += snprintf(body + n, sizeof body - (size_t)n, "&%s=%d", fd->code, level);
    }
    assert_int_equal(request("POST", link, NULL, "application/x-www-form-urlencoded", body), 200);
}

static void answer(int i)
{
    answer_link(links[i], i);
}

static const char staff_csv[] = "ชื่อ-นามสกุล,อีเมล,เบอร์โทร,กอง,วันที่เริ่มปฏิบัติงาน\r\n"
                                "นางสาวหนึ่ง ทดสอบ,one@example.go.th,,กองคลัง,2015-06-01\r\n"
                                "นายสอง ทดสอบ,two@example.go.th,,กองช่าง,2015-06-01\r\n"
                                "นางสาม ทดสอบ,three@example.go.th,,สำนักปลัด,2015-06-01\r\n"
                                "นายสี่ ทดสอบ,four@example.go.th,,กองคลัง,2015-06-01\r\n";

static void test_admin_and_operator_probe(void **state)
{
    save_year(30);
    assert_int_equal(request("POST", "/admin/contacts/import?code=AN&fy=2566&instrument=IIT",
                             sys_bearer, "text/csv", staff_csv),
                     200);
    assert_int_equal(sys_api("POST", "/admin/links/issue", "code=AN&fy=2566&instrument=IIT"), 200);
    /* an IIT list is private by default (#18): the mail merge is refused, in Thai */
    assert_int_equal(clerk("/admin/links/mailmerge?code=AN&fy=2566&instrument=IIT"), 403);
    assert_non_null(strstr(page, "\"error\":\"รายชื่อนี้ส่งลิงก์แบบส่วนตัว"));
    assert_null(strstr(page, "/t/"));
    /* this test is about a clerk who holds every link: the list switched to the mail merge */
    assert_int_equal(clerk_post("/admin/mail/mode",
                                "code=AN&fy=2566&instrument=IIT&delivery=mailmerge&confirm=1"),
                     200);
    /* the clerk holds every link */
    assert_int_equal(clerk("/admin/links/mailmerge?code=AN&fy=2566&instrument=IIT"), 200);
    const char *p = page;
    for (int i = 0; i < STAFF; i++) {
        p = strstr(p, "/t/");
        assert_non_null(p);
        snprintf(links[i], sizeof links[i], "%.35s", p);
        snprintf(tokens[i], sizeof tokens[i], "%.32s", p + 3);
        p += 3;
    }

    snapshot("before anyone answered");
    /* three people answer one at a time, each counted by the rollup before the next */
    static const char *const after[] = {"after person 1", "after person 2", "after person 3"};
    for (int i = 0; i < K; i++) {
        answer(i);
        assert_true(t_wait_counted(conninfo, i + 1 < K ? i + 1 : 0, 10000));
        snapshot(after[i]);
        /* the operator: nothing that holds an answer carries the spending transaction */
        for (int j = 0; j <= i; j++)
            no_answer_with_xid(spend_xid(j));
        if (i + 1 < K)
            /* the waiting rows were rewritten together: one transaction id between them */
            assert_string_equal(sql("SELECT count(DISTINCT xmin::text) FROM response_pending"),
                                "1");
    }
    /* a batch of k: counted (progress moves by 3), not shown: the window is open */
    assert_int_equal(snaps[nsnaps - 1].progress, K);
    assert_int_equal(snaps[nsnaps - 1].shown, 0);
    /* the window closes: the figures appear, from the three together */
    save_year(-1);
    long long t0 = t_now_ms();
    while (strcmp(sql("SELECT count(*) FROM response_tally WHERE sealed"), "1") != 0 &&
           t_now_ms() - t0 < 10000)
        usleep(50 * 1000);
    snapshot("after the close");
    assert_int_equal(snaps[nsnaps - 1].shown, K);
    /* i1.1 answered 0, 1, 2: the three together, never one alone */
    assert_non_null(strstr(snaps[nsnaps - 1].questions, "2566,AN,IIT,1,i1,3,"));
    /* reopened: the fourth answers; it waits for k and moves nothing */
    save_year(30);
    answer(3);
    assert_true(t_wait_counted(conninfo, 1, 10000));
    snapshot("reopened, after person 4");
    save_year(-1);
    usleep(600 * 1000); /* three rollup ticks */
    assert_true(t_wait_counted(conninfo, 1, 10000));
    snapshot("closed again");
    assert_int_equal(snaps[nsnaps - 1].shown, K);
    check_snapshots();
    /* what the links tell: whether each was used, which is inherent in holding them */
    assert_int_equal(snaps[0].link[0], 200);
    assert_int_equal(snaps[1].link[0], 409);
    assert_int_equal(snaps[1].link[1], 200);

    /* the operator, once the batch is counted: the three rows share one transaction id and one
     * day; none carries a spending transaction; nothing with a time sits beside an answer */
    for (int j = 0; j < STAFF; j++)
        no_answer_with_xid(spend_xid(j));
    assert_string_equal(sql("SELECT count(*) || '/' || count(DISTINCT xmin::text) || '/' ||"
                            " count(DISTINCT received_on) FROM response"),
                        "3/1/1");
    char q[256];
    for (int j = 0; j < K; j++) {
        snprintf(q, sizeof q, "SELECT count(*) FROM response WHERE xmin::text = '%s'",
                 spend_xid(j));
        assert_string_equal(sql(q), "0");
    }
    assert_string_equal(sql("SELECT count(*) FROM information_schema.columns WHERE table_name IN"
                            " ('response', 'response_inbox', 'response_pending', 'response_tally')"
                            " AND (data_type LIKE 'timestamp%' OR column_default LIKE 'nextval%')"),
                        "0");
}

/* ---- a privately delivered list (#18): the clerk never holds a link ---- */

/* True when text holds a personal link: "/t/" followed by 20 or more token characters. */
static bool has_personal_link(const char *text)
{
    for (const char *p = strstr(text, "/t/"); p; p = strstr(p + 1, "/t/")) {
        size_t n =
            strspn(p + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        if (n >= 20)
            return true;
    }
    return false;
}

#define PRIVATE_STAFF 3

static const char private_csv[] = "ชื่อ-นามสกุล,อีเมล,เบอร์โทร,กอง,วันที่เริ่มปฏิบัติงาน\r\n"
                                  "นางสาวเอ ส่วนตัว,a@example.go.th,,กองคลัง,2015-06-01\r\n"
                                  "นายบี ส่วนตัว,b@example.go.th,,กองช่าง,2015-06-01\r\n"
                                  "นางซี ส่วนตัว,c@example.go.th,,สำนักปลัด,2015-06-01\r\n";

/* What the clerk of a private list sees on one page or answer: no personal link, and none of the
 * list's tokens (gen 1 and 2) in any form. Returns page copied (caller frees). */
static char *clerk_sees(const char *path, const char *bearer, const char *cookie,
                        char tok[][PRIVATE_STAFF][PERSONAL_TOKEN_CHARS + 1])
{
    int st;
    if (cookie)
        st = t_admin_request(port, "GET", path, cookie, NULL, page, sizeof page);
    else
        st = request("GET", path, bearer, NULL, NULL);
    if (st != 200)
        fail_msg("%s answered %d", path, st);
    if (has_personal_link(page))
        fail_msg("%s shows a personal link", path);
    for (int g = 0; g < 2; g++)
        for (int i = 0; i < PRIVATE_STAFF; i++)
            if (strstr(page, tok[g][i]))
                fail_msg("%s shows a contact's token", path);
    return strdup(page);
}

/* A JSON document without its members that may move with an answer as counts of the whole list. */
static char *json_without(const char *text, const char *obj, const char *key)
{
    json_error_t je;
    json_t *d = json_loads(text, 0, &je);
    assert_non_null(d);
    json_t *o = obj ? json_object_get(d, obj) : d;
    if (o)
        json_object_del(o, key);
    char *out = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(d);
    return out;
}

static void test_private_list_shows_no_link(void **state)
{
    char pap[16], bearer[160], cookie[80], path[200];
    snprintf(pap, sizeof pap, "%s",
             sql("INSERT INTO agency (code, name_th) VALUES ('AP', 'เทศบาลส่วนตัว') RETURNING id"));
    t_make_admin(conninfo, "private@example.go.th", "agency", pap);
    assert_int_equal(api_token("private@example.go.th", bearer, sizeof bearer), 0);
    t_admin_login(port, "private%40example.go.th", cookie, page, sizeof page);
    save_year_of("AP", 30);
    assert_int_equal(request("POST", "/admin/contacts/import?code=AP&fy=2566&instrument=IIT",
                             sys_bearer, "text/csv", private_csv),
                     200);
    /* the clerk issues the links (and sends them, when a relay is set): the answer has none */
    assert_int_equal(request("POST", "/admin/links/issue", bearer,
                             "application/x-www-form-urlencoded", "code=AP&fy=2566&instrument=IIT"),
                     200);
    assert_false(has_personal_link(page));
    /* the operator names every token (generation 1, and 2 after a reissue) with the secret */
    struct secret sec;
    char spath[512], err[256];
    snprintf(spath, sizeof spath, "%s/secret", srv.dir);
    assert_int_equal(secret_load(&sec, spath, err, sizeof err), 0);
    char tok[2][PRIVATE_STAFF][PERSONAL_TOKEN_CHARS + 1];
    long long ids[PRIVATE_STAFF];
    for (int i = 0; i < PRIVATE_STAFF; i++) {
        char q[200];
        snprintf(q, sizeof q,
                 "SELECT id FROM contact WHERE agency_id = %s AND instrument = 'IIT'"
                 " ORDER BY id OFFSET %d LIMIT 1",
                 pap, i);
        ids[i] = atoll(sql(q));
        for (int g = 0; g < 2; g++)
            secret_contact_token(&sec, ids[i], g + 1, tok[g][i]);
    }
    /* the mail merge is refused, for the API (JSON) and for the browser (a Thai page) */
    assert_int_equal(
        request("GET", "/admin/links/mailmerge?code=AP&fy=2566&instrument=IIT", bearer, NULL, NULL),
        403);
    assert_non_null(strstr(page, "\"error\":\"รายชื่อนี้ส่งลิงก์แบบส่วนตัว"));
    snprintf(path, sizeof path, "/admin/links/mailmerge?agency=%s&fy=2566&instrument=IIT", pap);
    assert_int_equal(t_admin_request(port, "GET", path, cookie, NULL, page, sizeof page), 403);
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_non_null(strstr(page, "รายชื่อนี้ส่งลิงก์แบบส่วนตัว"));
    assert_false(has_personal_link(page));

    /* everything the clerk can look at, before and after one person answers */
    char contacts_p[200], mail_p[200], progress_p[200];
    snprintf(contacts_p, sizeof contacts_p, "/admin/contacts?agency=%s&fy=2566&instrument=IIT",
             pap);
    snprintf(mail_p, sizeof mail_p, "/admin/mail?agency=%s&fy=2566&instrument=IIT", pap);
    snprintf(progress_p, sizeof progress_p, "/admin/progress?agency=%s&fy=2566", pap);
    char *before[4] = {
        clerk_sees(contacts_p, bearer, NULL, tok), clerk_sees(contacts_p, NULL, cookie, tok),
        clerk_sees(mail_p, bearer, NULL, tok), clerk_sees(mail_p, NULL, cookie, tok)};
    free(clerk_sees(progress_p, bearer, NULL, tok));
    free(clerk_sees(progress_p, NULL, cookie, tok));
    assert_null(strstr(before[1], "id=\"mailmerge\""));
    assert_non_null(strstr(before[1], "id=\"private-delivery\""));
    /* the e-mail page's JSON carries counts only: no name, address or contact */
    json_error_t je;
    json_t *m = json_loads(before[2], 0, &je);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "delivery")), "private");
    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(m, "counts"), key, val)
    {
        if (!json_is_integer(val))
            fail_msg("counts.%s is not a number", key);
    }
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "counts"), "contacts")),
                     PRIVATE_STAFF);
    assert_int_equal(json_array_size(json_object_get(m, "failed")), 0);
    json_object_foreach(m, key, val)
    {
        static const char *const allowed[] = {"instrument", "counts",   "reminders",
                                              "failed",     "delivery", "smtp_configured"};
        bool ok = false;
        for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
            ok = ok || strcmp(key, allowed[k]) == 0;
        if (!ok)
            fail_msg("/admin/mail carries %s", key);
    }
    json_decref(m);
    for (int j = 2; j < 4; j++) {
        assert_null(strstr(before[j], "ส่วนตัว,"));
        assert_null(strstr(before[j], "b@example.go.th"));
        assert_null(strstr(before[j], "นางสาวเอ"));
    }

    /* the first person answers with the link only the server and the person hold */
    char link[64];
    snprintf(link, sizeof link, "/t/%s", tok[0][0]);
    int waiting = atoi(sql("SELECT count(*) FROM response_pending")) + 1; /* fewer than k */
    answer_link(link, 0);
    assert_true(t_wait_counted(conninfo, waiting, 10000));
    char *after[4] = {clerk_sees(contacts_p, bearer, NULL, tok),
                      clerk_sees(contacts_p, NULL, cookie, tok),
                      clerk_sees(mail_p, bearer, NULL, tok), clerk_sees(mail_p, NULL, cookie, tok)};
    /* the contact list does not change at all with an answer: no per-person state */
    assert_string_equal(after[0], before[0]);
    assert_string_equal(after[1], before[1]);
    /* the e-mail page moves only in the list's count of used links */
    char *mb = json_without(before[2], "counts", "answered"),
         *ma = json_without(after[2], "counts", "answered");
    assert_string_equal(ma, mb);
    free(ma);
    free(mb);
    for (int j = 0; j < 4; j++) {
        free(before[j]);
        free(after[j]);
    }

    /* reissuing: no link, and the same answer whether or not the person answered */
    char form[160], *r[2];
    for (int i = 0; i < 2; i++) {
        snprintf(form, sizeof form, "contact=%lld", ids[i]);
        assert_int_equal(request("POST", "/admin/links/reissue", bearer,
                                 "application/x-www-form-urlencoded", form),
                         200);
        assert_null(strstr(page, "\"url\""));
        assert_false(has_personal_link(page));
        assert_null(strstr(page, tok[1][i]));
        /* the contact id aside, the two answers are alike */
        char idtext[32];
        snprintf(idtext, sizeof idtext, "%lld", ids[i]);
        char *at = strstr(page, idtext);
        assert_non_null(at);
        memmove(at, at + strlen(idtext), strlen(at + strlen(idtext)) + 1);
        r[i] = strdup(page);
    }
    assert_string_equal(r[0], r[1]);
    free(r[0]);
    free(r[1]);
    /* the reissue's confirmation and result pages show no link either */
    snprintf(path, sizeof path, "/admin/links/reissue?contact=%lld", ids[2]);
    free(clerk_sees(path, NULL, cookie, tok));
    const char *csrf = t_hidden_value(page, "csrf");
    assert_non_null(csrf);
    snprintf(form, sizeof form, "csrf=%s&contact=%lld", csrf, ids[2]);
    assert_int_equal(
        t_admin_request(port, "POST", "/admin/links/reissue", cookie, form, page, sizeof page),
        200);
    assert_false(has_personal_link(page));
    assert_non_null(strstr(page, "ระบบจะส่งลิงก์ใหม่ถึงอีเมลของผู้นี้เอง"));
    /* each reissue queued one new invitation, none a link in the clerk's hands */
    snprintf(path, sizeof path,
             "SELECT count(*) FROM mail_outbox o JOIN contact c ON c.id = o.contact_id"
             " WHERE c.agency_id = %s",
             pap);
    assert_string_equal(sql(path), "3");
    free(clerk_sees(progress_p, bearer, NULL, tok));
    free(clerk_sees(mail_p, NULL, cookie, tok));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_admin_and_operator_probe),
        cmocka_unit_test(test_private_list_shows_no_link),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
