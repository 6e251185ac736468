/* Respondents end to end: the real itad over real TLS against the real database. Public and
 * personal links, the form, submissions stored exactly once (a repeated form, 50 concurrent uses
 * of one personal token), validation that keeps answers, CSRF and tampering refused, every link
 * state with its status, and the anonymity of the stored rows checked on the schema itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "db/instrument_store.h"
#include "secret.h"
#include "survey_fixture.h"
#include "testlib.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static struct secret secret;
static struct ita_version *v;
/* slugs created in setup */
static char eit_slug[32], iit_slug[32], future_slug[32], past_slug[32], revoked_slug[32];
static int iit_link_id;

static char page[1 << 20];

static void sql(const char *q)
{
    if (!t_db_value(conninfo, q) && strncmp(q, "SELECT", 6) == 0)
        fail_msg("no value from: %s", q);
}

/* Creates a link and returns its slug in out. */
static void make_link(const char *instrument, const char *opens, const char *closes, bool revoked,
                      char *out)
{
    assert_true(secret_random_b64url(16, out));
    char q[1024];
    /* revoked links first get their own agency so the "one live link" index is not hit */
    snprintf(q, sizeof q,
             "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, "
             "closes_at, revoked_at)"
             " SELECT id, 2566, '%s', '%s', %s, %s, %s FROM agency WHERE code = '%s' RETURNING id",
             instrument, out, opens, closes, revoked ? "now()" : "NULL",
             revoked || strcmp(opens, "now() - interval '1 day'") != 0 ? "OTHER" : "T1");
    const char *id = t_db_value(conninfo, q);
    assert_non_null(id);
    if (strcmp(instrument, "IIT") == 0 && !revoked &&
        strcmp(opens, "now() - interval '1 day'") == 0)
        iit_link_id = atoi(id);
}

/* Issues a personal token for the IIT link: the clear token goes to out, its HMAC to the DB. */
static void make_token(char *out)
{
    fx_issue_token(conninfo, &secret, iit_link_id, out);
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_survey"));
    /* generous limits here: test_rate_limit checks the limiter on a server of its own */
    /* a long database wait: under a sanitizer build 50 concurrent submissions must not be cut
     * off by db_timeout_ms, which test_server_e2e covers on its own */
    const char *extra[] = {"--workers=2", "--rate-ip-per-min=100000", "--rate-ip-burst=1000",
                           "--db-timeout-ms=20000", NULL};
    t_server_start(&srv, port, conninfo, extra); /* applies the migrations */
    if (fx_load_instrument_and_secret(conninfo, srv.dir, &v, &secret) != 0)
        return -1;
    sql("INSERT INTO agency (code, name_th) VALUES ('T1', 'เทศบาลทดสอบ <ปลอดภัย>'), ('OTHER', 'อื่น') "
        "RETURNING 1");
    make_link("EIT", "now() - interval '1 day'", "now() + interval '30 days'", false, eit_slug);
    make_link("IIT", "now() - interval '1 day'", "now() + interval '30 days'", false, iit_slug);
    make_link("EIT", "now() + interval '2 days'", "now() + interval '30 days'", false, future_slug);
    /* a window that ended with 31 Dec 2025, Thailand time: closes_at is the midnight after */
    make_link("IIT", "timestamptz '2025-12-01 00:00+07'", "timestamptz '2026-01-01 00:00+07'",
              false, past_slug);
    make_link("EIT", "now() - interval '1 day'", "now() + interval '30 days'", true, revoked_slug);
    return 0;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return t_server_stop(&srv, SIGTERM, 15000) == 0 ? 0 : -1;
}

/* Sends raw request text on a fresh connection and reads the response into page. */
static int request(const char *method, const char *path, const char *origin, const char *ctype,
                   const char *body)
{
    struct t_conn c;
    if (!t_connect(&c, port, NULL, 0))
        return -1;
    char head[2048];
    size_t blen = body ? strlen(body) : 0;
    int n =
        snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: localhost:%d\r\n", method, path, port);
    if (origin)
        n += snprintf(head + n, sizeof head - (size_t)n, "Origin: %s\r\n", origin);
    if (ctype)
        n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: %s\r\n", ctype);
    n += snprintf(head + n, sizeof head - (size_t)n,
                  "Content-Length: %zu\r\nConnection: close\r\n\r\n", blen);
    int st = -1;
    if (t_send(&c, head, (size_t)n) && (!blen || t_send(&c, body, blen)))
        st = t_read_response(&c, page, sizeof page, 15000);
    t_close(&c);
    return st;
}

static char own_origin[64];

static int post(const char *path, const char *body)
{
    snprintf(own_origin, sizeof own_origin, "https://localhost:%d", port);
    return request("POST", path, own_origin, "application/x-www-form-urlencoded", body);
}

/* The hidden form token of the page last read. */
static const char *form_token(void)
{
    return t_hidden_value(page, "f");
}

/* urlencoded answers for instrument k: every field at its best level, except `skip` questions
 * (comma-separated codes) left out, then extra text appended. */
static char *answers_body(enum ita_instrument k, const char *token, const char *skip,
                          const char *extra)
{
    static char body[8192];
    int n = snprintf(body, sizeof body, "f=%s", token);
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    for (size_t i = 0; i < v->surveys[k].n_fields; i++) {
        const struct ita_field *f = v->field_list[first + i];
        const struct ita_question *q = v->question_list[f->question];
        char needle[32];
        snprintf(needle, sizeof needle, ",%s,", q->code);
        if (skip && strstr(skip, needle))
            continue;
        int best = f->polarity == ITA_POSITIVE ? v->scales[f->scale].levels - 1 : 0;
        n += snprintf(body + n, sizeof body - (size_t)n, "&%s=%d", f->code, best);
    }
    if (extra)
        snprintf(body + n, sizeof body - (size_t)n, "%s", extra);
    return body;
}

/* Responses stored for agency T1, wherever the server's rollup has them: in the inbox, waiting
 * for k, or counted. */
static const char *count_responses(const char *instrument)
{
    static char q[768];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM (SELECT agency_id, instrument FROM response_inbox"
             " UNION ALL SELECT agency_id, instrument FROM response_pending"
             " UNION ALL SELECT agency_id, instrument FROM response) r"
             " JOIN agency a ON a.id = r.agency_id WHERE a.code = 'T1' AND r.instrument = '%s'",
             instrument);
    return t_db_value(conninfo, q);
}

static void test_public_form_and_submit_once(void **state)
{
    char path[64];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 200);
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_non_null(strstr(page, "เทศบาลทดสอบ &lt;ปลอดภัย&gt;")); /* escaped agency name */
    assert_non_null(strstr(page, "2566"));
    assert_non_null(strstr(page, "name=\"e15.1\""));
    assert_null(strstr(page, "name=\"i1.1\""));
    assert_non_null(strstr(t_last_headers(), "Content-Security-Policy: default-src 'none'"));
    assert_null(strstr(t_last_headers(), "Set-Cookie")); /* respondents get no cookie */
    char token[128];
    snprintf(token, sizeof token, "%s", form_token());
    char *body = strdup(answers_body(ITA_EIT, token, NULL, NULL));
    assert_int_equal(post(path, body), 200);
    assert_non_null(strstr(page, "ขอบคุณ"));
    assert_string_equal(count_responses("EIT"), "1");
    /* the same form again (refresh, second tap): thank-you again, nothing new stored */
    assert_int_equal(post(path, body), 200);
    assert_non_null(strstr(page, "ขอบคุณ"));
    assert_string_equal(count_responses("EIT"), "1");
    /* the stored row: raw levels, in field order */
    const char *hex = t_db_value(
        conninfo, "SELECT encode(answers, 'hex') FROM (SELECT agency_id, answers FROM "
                  "response_inbox UNION ALL SELECT agency_id, answers FROM "
                  "response_pending UNION ALL SELECT agency_id, answers FROM response) r "
                  "JOIN agency a ON a.id = r.agency_id WHERE a.code = 'T1'");
    assert_non_null(hex);
    assert_int_equal(strlen(hex), 2 * v->surveys[ITA_EIT].n_fields);
    free(body);
    /* the server's maintenance job takes it from the inbox (rollup_interval_ms, 1 s by default);
     * the window is open and it is alone, so it waits for k and is not counted yet */
    assert_true(t_wait_counted(conninfo, 1, 10000));
    assert_string_equal(count_responses("EIT"), "1");
    assert_string_equal(
        t_db_value(conninfo, "SELECT coalesce(sum(responses), 0) FROM response_tally"), "0");
}

static void test_missing_answers_kept(void **state)
{
    char path[64];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 200);
    char token[128];
    snprintf(token, sizeof token, "%s", form_token());
    const char *before = count_responses("EIT");
    char was[16];
    snprintf(was, sizeof was, "%s", before);
    /* e3 and the first sub-item of e1 missing */
    char *body = strdup(answers_body(ITA_EIT, token, ",e3,e1,", "&e1.2=3"));
    assert_int_equal(post(path, body), 422);
    assert_non_null(strstr(page, "กรุณาตอบข้อนี้"));
    assert_non_null(strstr(page, "id=\"e1.2-3\""));
    /* a given answer comes back checked: e1.2 = 3 */
    const char *e12 = strstr(page, "id=\"e1.2-3\"");
    const char *tag_start = e12;
    while (tag_start > page && *tag_start != '<')
        tag_start--;
    char tag[256];
    snprintf(tag, sizeof tag, "%.*s", (int)(strchr(e12, '>') - tag_start), tag_start);
    assert_non_null(strstr(tag, "checked"));
    assert_string_equal(count_responses("EIT"), was);
    free(body);
}

static void test_csrf_and_tampering_refused(void **state)
{
    char path[64];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 200);
    char token[128];
    snprintf(token, sizeof token, "%s", form_token());
    char *body = strdup(answers_body(ITA_EIT, token, NULL, NULL));
    char was[16];
    snprintf(was, sizeof was, "%s", count_responses("EIT"));
    /* no Origin, foreign Origin */
    assert_int_equal(request("POST", path, NULL, "application/x-www-form-urlencoded", body), 403);
    assert_int_equal(
        request("POST", path, "https://evil.example", "application/x-www-form-urlencoded", body),
        403);
    /* not a form post */
    snprintf(own_origin, sizeof own_origin, "https://localhost:%d", port);
    assert_int_equal(request("POST", path, own_origin, "application/json", "{}"), 415);
    /* a token from another link, a forged token, an unknown field, an impossible level */
    char other[64];
    snprintf(other, sizeof other, "/s/%s", iit_slug);
    assert_int_equal(post(other, answers_body(ITA_IIT, token, NULL, NULL)), 400);
    char forged[128];
    snprintf(forged, sizeof forged, "%s", token);
    forged[3] = forged[3] == 'A' ? 'B' : 'A';
    assert_int_equal(post(path, answers_body(ITA_EIT, forged, NULL, NULL)), 400);
    assert_int_equal(post(path, answers_body(ITA_EIT, token, NULL, "&i1.1=3")), 400);
    assert_int_equal(post(path, answers_body(ITA_EIT, token, ",e2,", "&e2.1=9")), 400);
    assert_int_equal(post(path, answers_body(ITA_EIT, token, ",e2,", "&e2.1=3&e2.1=2")), 400);
    assert_int_equal(post(path, "f=x&e1.1=%zz"), 400);
    assert_string_equal(count_responses("EIT"), was);
    free(body);
}

static void test_link_states(void **state)
{
    char path[64];
    snprintf(path, sizeof path, "/s/%s", future_slug);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 403);
    assert_non_null(strstr(page, "lang=\"th\""));
    snprintf(path, sizeof path, "/s/%s", past_slug);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 410);
    /* the closed page names the last day answers were taken, not the day after it */
    assert_non_null(strstr(page, "รับคำตอบถึงวันที่ 31 ธันวาคม 2568"));
    assert_null(strstr(page, "2569"));
    snprintf(path, sizeof path, "/s/%s", revoked_slug);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 410);
    char unknown[32];
    assert_true(secret_random_b64url(16, unknown));
    snprintf(path, sizeof path, "/s/%s", unknown);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 404);
    assert_int_equal(request("GET", "/s/not-a-slug", NULL, NULL, NULL), 404);
    assert_int_equal(request("GET", "/t/short", NULL, NULL, NULL), 404);
    char tok[40];
    assert_true(secret_random_b64url(24, tok));
    snprintf(path, sizeof path, "/t/%s", tok);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 404); /* never issued */
}

struct racer {
    const char *path;
    char body[8192];
    int status;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct t_conn c;
    r->status = -1;
    if (!t_connect(&c, port, NULL, 0))
        return NULL;
    char head[512];
    int n = fx_form_post_head(head, sizeof head, port, r->path, strlen(r->body));
    static __thread char resp[1 << 16];
    if (t_send(&c, head, (size_t)n) && t_send(&c, r->body, strlen(r->body)))
        r->status = t_read_response(&c, resp, sizeof resp, 20000);
    t_close(&c);
    return NULL;
}

/* 50 concurrent submissions of one personal token, each from its own form: exactly one is
 * stored, the others are told the link was already used. */
static void test_personal_token_exactly_once(void **state)
{
    char token[40], path[64];
    make_token(token);
    snprintf(path, sizeof path, "/t/%s", token);
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 200);
    assert_non_null(strstr(page, "name=\"i30.4\""));
    char before[16];
    snprintf(before, sizeof before, "%s", count_responses("IIT"));
    enum { N = 50 };
    static struct racer racers[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        char ft[FORM_TOKEN_CHARS + 1];
        assert_true(form_token_make(&secret, token, (int64_t)time(NULL), ft, sizeof ft));
        racers[i].path = path;
        snprintf(racers[i].body, sizeof racers[i].body, "%s",
                 answers_body(ITA_IIT, ft, NULL, NULL));
    }
    for (int i = 0; i < N; i++)
        pthread_create(&th[i], NULL, race, &racers[i]);
    int ok = 0, already = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ok += racers[i].status == 200;
        already += racers[i].status == 409;
    }
    if (ok != 1 || already != N - 1) {
        char seen[512] = "";
        for (int i = 0; i < N; i++)
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%d ", racers[i].status);
        fail_msg("expected one 200 and %d 409, got: %s", N - 1, seen);
    }
    assert_int_equal(atoi(count_responses("IIT")), atoi(before) + 1);
    /* the link now says it was used; the winning form sent again still thanks */
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 409);
    assert_non_null(strstr(page, "lang=\"th\""));
    for (int i = 0; i < N; i++) {
        if (racers[i].status != 200)
            continue;
        assert_int_equal(post(path, racers[i].body), 200);
        assert_non_null(strstr(page, "ขอบคุณ"));
    }
    assert_int_equal(atoi(count_responses("IIT")), atoi(before) + 1);
    /* the token row records only that it was spent */
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FILTER (WHERE spent) FROM personal_token"), "1");
}

/* Anonymity by schema: the tables that hold answers carry only agency, year, instrument, levels
 * and the day of the batch that counted them, and no foreign key leads from them to anything
 * about a person or a link. */
static void test_anonymity_schema(void **state)
{
    static const char *const answer_tables[] = {"response", "response_inbox", "response_pending",
                                                "response_tally"};
    for (size_t i = 0; i < sizeof answer_tables / sizeof answer_tables[0]; i++) {
        char q[1024];
        snprintf(q, sizeof q,
                 "SELECT coalesce(string_agg(DISTINCT ccu.table_name, ','), '') FROM "
                 "information_schema.table_constraints tc JOIN "
                 "information_schema.constraint_column_usage ccu ON ccu.constraint_name = "
                 "tc.constraint_name "
                 "WHERE tc.table_name = '%s' AND tc.constraint_type = 'FOREIGN KEY'",
                 answer_tables[i]);
        const char *refs = t_db_value(conninfo, q);
        assert_non_null(refs);
        assert_true(strcmp(refs, "") == 0 || strcmp(refs, "agency") == 0 ||
                    strcmp(refs, "agency,instrument_version") == 0);
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM information_schema.columns WHERE table_name = '%s' AND "
                 "column_name NOT IN ('agency_id', 'fiscal_year', 'instrument', 'answers', "
                 "'received_on', 'responses', 'counts', 'sealed')",
                 answer_tables[i]);
        assert_string_equal(t_db_value(conninfo, q), "0");
    }
    /* nothing references the answer tables either */
    assert_string_equal(
        t_db_value(conninfo,
                   "SELECT count(*) FROM information_schema.constraint_column_usage ccu "
                   "JOIN information_schema.table_constraints tc ON tc.constraint_name = "
                   "ccu.constraint_name "
                   "WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name IN "
                   "('response', 'response_inbox', 'response_pending', 'response_tally')"),
        "0");
    /* a personal token keeps its hash, its link and two flags: no time, no response */
    assert_string_equal(
        t_db_value(conninfo, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) "
                             "FROM information_schema.columns WHERE table_name = 'personal_token'"),
        "token_hash,link_id,spent,revoked");
    assert_string_equal(
        t_db_value(conninfo, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) "
                             "FROM information_schema.columns WHERE table_name = 'used_nonce'"),
        "nonce_hash,expires_on");
    /* no timestamp type anywhere in the answer tables */
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM information_schema.columns WHERE table_name IN "
                             "('response', 'response_inbox', 'response_pending', 'response_tally')"
                             " AND data_type LIKE 'timestamp%'"),
        "0");
}

/* Beyond the per-address limit, submissions get 429 with Retry-After and a Thai page, before
 * any database work; form views are not limited. */
static void test_rate_limit(void **state)
{
    struct t_server s2;
    char metrics_listen[64];
    int metrics_port = port + 3;
    snprintf(metrics_listen, sizeof metrics_listen, "--metrics-listen=127.0.0.1:%d", metrics_port);
    const char *extra[] = {"--workers=1", "--rate-ip-per-min=1", "--rate-ip-burst=2",
                           metrics_listen, NULL};
    int saved = port;
    port = saved + 1;
    t_server_start(&s2, port, conninfo, extra);
    char path[64];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    assert_int_equal(post(path, "f=x"), 400);
    assert_int_equal(post(path, "f=x"), 400);
    assert_int_equal(post(path, "f=x"), 429);
    assert_non_null(strstr(page, "lang=\"th\""));
    assert_non_null(strstr(t_last_headers(), "\r\nRetry-After: "));
    assert_int_equal(request("GET", path, NULL, NULL, NULL), 200);
    assert_int_equal(t_plain_request(metrics_port, "GET", "/metrics", page, sizeof page), 200);
    assert_non_null(strstr(page, "ita_rate_limited_total 1\n"));
    /* the per-route counts are not on the respondents' port */
    assert_int_equal(request("GET", "/metrics", NULL, NULL, NULL), 404);
    port = saved;
    assert_int_equal(t_server_stop(&s2, SIGTERM, 10000), 0);
}

/* Behind a trusted balancer (PROXY v2), each client gets its own bucket; a connection from the
 * balancer without the header is dropped. */
static void test_rate_limit_behind_balancer(void **state)
{
    struct t_server s3;
    const char *extra[] = {"--workers=1", "--rate-ip-per-min=1", "--rate-ip-burst=1",
                           "--proxy-from=127.0.0.1", NULL};
    int p3 = port + 2;
    t_server_start(&s3, p3, conninfo, extra);
    char path[64], req[512], origin[64];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    snprintf(origin, sizeof origin, "https://localhost:%d", p3);
    int n = snprintf(
        req, sizeof req,
        "POST %s HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: %s\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\nf=x",
        path, p3, origin);
    static const char *const clients[] = {"10.0.0.1", "10.0.0.1", "10.0.0.2"};
    static const int want[] = {400, 429, 400}; /* first of each client reaches the form check */
    for (int i = 0; i < 3; i++) {
        struct t_conn c;
        assert_true(t_connect_via_proxy(&c, p3, clients[i]));
        assert_true(t_send(&c, req, (size_t)n));
        assert_int_equal(t_read_response(&c, page, sizeof page, 5000), want[i]);
        t_close(&c);
    }
    struct t_conn c;
    assert_false(t_connect(&c, p3, NULL, 0)); /* no header from the balancer's address */
    assert_int_equal(t_server_stop(&s3, SIGTERM, 10000), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_form_and_submit_once),
        cmocka_unit_test(test_missing_answers_kept),
        cmocka_unit_test(test_csrf_and_tampering_refused),
        cmocka_unit_test(test_link_states),
        cmocka_unit_test(test_personal_token_exactly_once),
        cmocka_unit_test(test_anonymity_schema),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_rate_limit_behind_balancer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
