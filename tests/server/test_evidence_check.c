/* The evidence-link job (server/oit/evidence_check.c) in the real itad against the real database
 * and real HTTPS servers (tests/support/https_test_server.py with a test CA, one whose certificate
 * nobody trusts, a closed port, an unresolvable host): every verdict's state, status and Thai
 * reason in oit_evidence; a clerk's request (check_requested_at) answered within seconds; a verdict
 * older than the interval checked again; a URL edited while it was being checked is not given the
 * old URL's verdict. Then 500 URLs (/ok and /slow) while /healthz of the same itad is asked again
 * and again: the figures are printed, and /healthz must stay well under a second. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/db_pool.h"
#include "link_fixture.h"
#include "oit/evidence_check.h"

#include <libpq-fe.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct t_server itad;
static struct lf_server good, bad;
static int port, closed_port;
static char conninfo[512], agency[16], dir[300];

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char q[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    t_db_exec(conninfo, q, 0, NULL);
}

static const char *value(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *value(const char *fmt, ...)
{
    char q[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    const char *v = t_db_value(conninfo, q);
    return v ? v : "(none)";
}

/* Waits until no row of item is waiting for a check (requested or never checked). */
static bool wait_checked(const char *item, int timeout_ms)
{
    long long deadline = t_now_ms() + timeout_ms;
    while (t_now_ms() < deadline) {
        if (atoi(value("SELECT count(*) FROM oit_evidence WHERE item_code = '%s' AND "
                       "(check_requested_at IS NOT NULL OR checked_at IS NULL)",
                       item)) == 0)
            return true;
        usleep(100000);
    }
    return false;
}

static int setup(void **state)
{
    (void)state;
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_evidence_check"));
    char path[512];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    snprintf(dir, sizeof dir, "%s", t_tmpdir("evidence"));
    lf_make_certs(dir);
    char cert[400], key[400], udir[400], ucert[450], ukey[450];
    snprintf(cert, sizeof cert, "%s/srv.pem", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
    snprintf(udir, sizeof udir, "%s", t_tmpdir("evidence-untrusted"));
    t_make_cert(udir, "untrusted");
    snprintf(ucert, sizeof ucert, "%s/cert.pem", udir);
    snprintf(ukey, sizeof ukey, "%s/key.pem", udir);
    lf_start(&good, dir, "good", cert, key, "4");
    lf_start(&bad, dir, "untrusted", ucert, ukey, "4");
    closed_port = lf_closed_port();
    snprintf(agency, sizeof agency, "%s",
             value("INSERT INTO agency (code, name_th) VALUES ('LC', 'เทศบาลตำบลลิงก์') "
                   "RETURNING id"));
    sql("INSERT INTO oit_item_work (agency_id, fiscal_year, item_code) VALUES "
        "(%s, 2566, 'O1'), (%s, 2566, 'O2'), (%s, 2566, 'O3')",
        agency, agency, agency);
    char a_ca[450], a_metrics[64];
    snprintf(a_ca, sizeof a_ca, "--link-check-cafile=%s/ca.pem", dir);
    snprintf(a_metrics, sizeof a_metrics, "--metrics-listen=127.0.0.1:%d", port + 1);
    const char *extra[] = {"--workers=2",
                           a_ca,
                           a_metrics,
                           "--link-check-timeout-ms=2000",
                           "--link-check-connect-timeout-ms=2000",
                           "--link-check-poll-s=1",
                           "--link-check-concurrency=16",
                           "--link-check-allow-private=true",
                           NULL};
    t_server_start(&itad, port, conninfo, extra);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int rc = itad.pid > 0 ? t_server_stop(&itad, SIGTERM, 15000) : 0;
    lf_stop(&good);
    lf_stop(&bad);
    if (rc != 0)
        fprintf(stderr, "itad exited with %d (log: %s)\n", rc, itad.log);
    return rc == 0 ? 0 : -1;
}

struct want {
    const char *url_fmt; /* %d: the port */
    int port_kind;       /* 0 good server, 1 untrusted server, 2 closed port, 3 none */
    const char *state, *status, *reason;
};

static void test_verdicts(void **state)
{
    (void)state;
    static const struct want w[] = {
        {"https://127.0.0.1:%d/ok", 0, "ok", "200", ""},
        {"https://127.0.0.1:%d/missing", 0, "failed", "404", "เซิร์ฟเวอร์ตอบ 404 (ไม่พบหน้า)"},
        {"https://127.0.0.1:%d/error", 0, "failed", "500", "เซิร์ฟเวอร์ตอบ 500"},
        {"https://127.0.0.1:%d/slow", 0, "failed", "", "หมดเวลารอ 2 วินาที"},
        {"https://127.0.0.1:%d/loop", 0, "failed", "302", "เปลี่ยนเส้นทางเกิน 5 ครั้ง"},
        {"https://127.0.0.1:%d/redirect", 0, "ok", "200", ""},
        {"https://localhost:%d/nohead", 0, "ok", "200", ""},
        {"https://does-not-exist.invalid/", 3, "failed", "", "ไม่พบชื่อโดเมน (DNS)"},
        {"https://127.0.0.1:%d/", 2, "failed", "", "เชื่อมต่อไม่ได้"},
        {"https://127.0.0.1:%d/ok", 1, "failed", "", "ใบรับรอง TLS ไม่ถูกต้อง"},
    };
    size_t n = sizeof w / sizeof w[0];
    char urls[10][200];
    for (size_t i = 0; i < n; i++) {
        int p = w[i].port_kind == 0 ? good.port : w[i].port_kind == 1 ? bad.port : closed_port;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(urls[i], sizeof urls[i], w[i].url_fmt, p);
#pragma GCC diagnostic pop
        sql("INSERT INTO oit_evidence (agency_id, fiscal_year, item_code, position, url) VALUES "
            "(%s, 2566, 'O1', %zu, '%s')",
            agency, i, urls[i]);
    }
    long long t0 = t_now_ms();
    if (!wait_checked("O1", 60000))
        fail_msg("the checker left rows unchecked for 60 s (log: %s)", itad.log);
    printf("%zu links checked by itad in %lld ms\n", n, t_now_ms() - t0);
    for (size_t i = 0; i < n; i++) {
        const char *row = value("SELECT check_state || '|' || coalesce(check_status::text, '') "
                                "|| '|' || check_reason || '|' || (checked_at IS NOT NULL) FROM "
                                "oit_evidence WHERE url = '%s' AND item_code = 'O1'",
                                urls[i]);
        char expect[600];
        snprintf(expect, sizeof expect, "%s|%s|%s|true", w[i].state, w[i].status, w[i].reason);
        printf("  %-45s %s\n", urls[i], row);
        if (strcmp(row, expect) != 0)
            fail_msg("%s: %s, expected %s", urls[i], row, expect);
    }

    /* the job has its own connection, told apart from the workers' */
    assert_string_equal(value("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                              "'itad-linkcheck' AND datname = current_database()"),
                        "1");

    /* the clerk's button: check_requested_at = now() → a new verdict within a few seconds */
    sql("UPDATE oit_evidence SET checked_at = checked_at - interval '1 hour', "
        "check_requested_at = now() WHERE url = '%s'",
        urls[0]);
    t0 = t_now_ms();
    if (!wait_checked("O1", 20000))
        fail_msg("a requested check was not done within 20 s");
    printf("a requested check answered in %lld ms\n", t_now_ms() - t0);
    assert_string_equal(value("SELECT checked_at > now() - interval '1 minute' FROM oit_evidence "
                              "WHERE url = '%s'",
                              urls[0]),
                        "t");

    /* a verdict older than link_check_interval_hours (24) is checked again; a younger one not */
    sql("UPDATE oit_evidence SET checked_at = now() - interval '25 hours', check_state = 'ok', "
        "check_status = 200, check_reason = '' WHERE url = '%s'",
        urls[1]);
    sql("UPDATE oit_evidence SET checked_at = now() - interval '23 hours' WHERE url = '%s'",
        urls[2]);
    long long deadline = t_now_ms() + 20000;
    while (strcmp(value("SELECT check_state FROM oit_evidence WHERE url = '%s'", urls[1]),
                  "failed") != 0 &&
           t_now_ms() < deadline)
        usleep(100000);
    assert_string_equal(value("SELECT check_state || ' ' || check_status || ' ' || "
                              "(checked_at > now() - interval '1 minute') FROM oit_evidence "
                              "WHERE url = '%s'",
                              urls[1]),
                        "failed 404 true");
    assert_string_equal(value("SELECT checked_at < now() - interval '22 hours' FROM oit_evidence "
                              "WHERE url = '%s'",
                              urls[2]),
                        "t");

    /* the URL edited while its old URL was being checked (/slow takes the 2 s timeout): the old
     * URL's verdict is not written on the new URL; the row, still unchecked, is checked again */
    char slow[200], fixed[200];
    snprintf(slow, sizeof slow, "https://127.0.0.1:%d/slow?edited", good.port);
    snprintf(fixed, sizeof fixed, "https://127.0.0.1:%d/ok?edited", good.port);
    sql("INSERT INTO oit_evidence (agency_id, fiscal_year, item_code, url) VALUES "
        "(%s, 2566, 'O3', '%s')",
        agency, slow);
    usleep(1500000); /* the checker polls every second: it has picked the row by now */
    sql("UPDATE oit_evidence SET url = '%s' WHERE url = '%s'", fixed, slow);
    if (!wait_checked("O3", 20000))
        fail_msg("the edited row was not checked within 20 s");
    assert_string_equal(value("SELECT check_state || '|' || check_status || '|' || check_reason "
                              "FROM oit_evidence WHERE url = '%s'",
                              fixed),
                        "ok|200|");
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* 500 URLs (450 answer at once, 50 hang past the timeout) while /healthz is asked in a loop. */
static void test_500_urls_while_serving(void **state)
{
    (void)state;
    sql("INSERT INTO oit_evidence (agency_id, fiscal_year, item_code, position, url) "
        "SELECT %s, 2566, 'O2', 0, format('https://127.0.0.1:%d/%%s?n=%%s', "
        "CASE WHEN g %% 10 = 0 THEN 'slow' ELSE 'ok' END, g) FROM generate_series(1, 500) g",
        agency, good.port);
    static long long lat[20000];
    size_t nlat = 0;
    long long t0 = t_now_ms(), worst = 0;
    bool done = false;
    while (t_now_ms() - t0 < 180000) {
        long long a = t_now_ms();
        char body[256];
        int st = t_get(port, NULL, "/healthz", body, sizeof body);
        long long ms = t_now_ms() - a;
        if (st != 200)
            fail_msg("/healthz answered %d while the checker ran", st);
        if (nlat < sizeof lat / sizeof lat[0])
            lat[nlat++] = ms;
        if (ms > worst)
            worst = ms;
        if (nlat % 10 == 0 &&
            atoi(value("SELECT count(*) FROM oit_evidence WHERE item_code = 'O2' AND "
                       "(check_requested_at IS NOT NULL OR checked_at IS NULL)")) == 0) {
            done = true;
            break;
        }
        usleep(20000);
    }
    long long total = t_now_ms() - t0;
    if (!done)
        fail_msg("500 URLs not checked within 180 s");
    qsort(lat, nlat, sizeof lat[0], cmp_ll);
    printf("500 URLs (450 /ok, 50 /slow timing out after 2 s, 16 at once) checked in %lld ms: "
           "%.1f URLs/s\n",
           total, 500000.0 / (double)total);
    printf("/healthz meanwhile: %zu requests (new TLS connection each), median %lld ms, "
           "worst %lld ms\n",
           nlat, lat[nlat / 2], worst);
    assert_string_equal(value("SELECT count(*) FILTER (WHERE check_state = 'ok' AND check_status "
                              "= 200) || ' ' || count(*) FILTER (WHERE check_state = 'failed' "
                              "AND check_reason = 'หมดเวลารอ 2 วินาที') FROM oit_evidence "
                              "WHERE item_code = 'O2'"),
                        "450 50");
    assert_true(worst < 1000);

    /* the verdicts written so far, counted on /metrics: test_verdicts wrote 3 + 1 + 1 ok and
     * 7 + 1 failed (the edited URL's old verdict, if it was checked, is dropped), this test 450
     * and 50 */
    static char metrics[1 << 20];
    assert_int_equal(t_plain_request(port + 1, "GET", "/metrics", metrics, sizeof metrics), 200);
    const char *okline = strstr(metrics, "ita_link_checks_total{verdict=\"ok\"} ");
    const char *failedline = strstr(metrics, "ita_link_checks_total{verdict=\"failed\"} ");
    const char *droppedline = strstr(metrics, "ita_link_checks_total{verdict=\"dropped\"} ");
    assert_non_null(okline);
    assert_non_null(failedline);
    assert_non_null(droppedline);
    assert_int_equal(atoi(strchr(okline, '}') + 2), 455);
    assert_int_equal(atoi(strchr(failedline, '}') + 2), 58);
    assert_in_range(atoi(strchr(droppedline, '}') + 2), 0, 1);
}

/* The job's statements (its own pool, not app_statements) against the migrated schema. */
static void test_statements_match_schema(void **state)
{
    (void)state;
    PGconn *c = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    size_t n;
    const struct db_statement *const *st = evidence_check_statements(&n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        PGresult *r = PQprepare(c, st[i]->name, st[i]->sql, 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fail_msg("%s: %s", st[i]->name, PQresultErrorMessage(r));
        PQclear(r);
        r = PQdescribePrepared(c, st[i]->name);
        assert_int_equal(PQnparams(r), st[i]->nparams);
        assert_int_equal(PQnfields(r), st[i]->ncols);
        PQclear(r);
    }
    PQfinish(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements_match_schema),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_500_urls_while_serving),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
