/* Group commit of submissions on the real server: while one submission waits on the database
 * (a test transaction holds a lock on response_inbox), the others that arrive are sent together
 * as one transaction once it is released. Inside a shared transaction the same form sent twice
 * stores one response and one personal token used three times stores one; when a row of the
 * batch fails (a trigger injects the fault), the batch is rolled back, every other submission of
 * it is stored on its own and answered 200, and only the bad one gets 503. One worker, so every
 * submission meets the same group commit. */
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

#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
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
static char slug[32];
static int link_id;

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_batch"));
    /* one worker: every submission meets the same group commit; no rollup touching the inbox;
     * a long database wait so the held lock does not time the first submission out */
    const char *extra[] = {"--workers=1",           "--rate-ip-per-min=100000",
                           "--rate-ip-burst=1000",  "--rollup-interval-ms=0",
                           "--db-timeout-ms=30000", NULL};
    t_server_start(&srv, port, conninfo, extra);
    if (fx_load_instrument_and_secret(conninfo, srv.dir, &v, &secret) != 0)
        return -1;
    if (!t_db_value(conninfo,
                    "INSERT INTO agency (code, name_th) VALUES ('B1', 'หน่วยทดสอบ') RETURNING 1") ||
        !secret_random_b64url(16, slug))
        return -1;
    char q[1024];
    snprintf(
        q, sizeof q,
        "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at)"
        " SELECT id, 2566, 'IIT', '%s', now() - interval '1 day', now() + interval '30 days'"
        " FROM agency WHERE code = 'B1' RETURNING id",
        slug);
    const char *id = t_db_value(conninfo, q);
    if (!id)
        return -1;
    link_id = atoi(id);
    return 0;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return t_server_stop(&srv, SIGTERM, 15000) == 0 ? 0 : -1;
}

/* A complete IIT form for link_key with a fresh form token: every field at its best level, the
 * first at `first` instead when first >= 0. */
static void form_body(const char *link_key, int first, char *out, size_t outlen)
{
    char ft[FORM_TOKEN_CHARS + 1];
    assert_true(form_token_make(&secret, link_key, (int64_t)time(NULL), ft, sizeof ft));
    int n = snprintf(out, outlen, "f=%s", ft);
    for (size_t i = 0; i < v->surveys[ITA_IIT].n_fields; i++) {
        const struct ita_field *f = v->field_list[i];
        int level = f->polarity == ITA_POSITIVE ? v->scales[f->scale].levels - 1 : 0;
        if (i == 0 && first >= 0)
            level = first;
        n += snprintf(out + n, outlen - (size_t)n, "&%s=%d", f->code, level);
    }
}

/* The level of the first IIT field that good submissions use, and one they never use. */
static int good_first(void)
{
    const struct ita_field *f = v->field_list[0];
    return f->polarity == ITA_POSITIVE ? v->scales[f->scale].levels - 1 : 0;
}

static int bad_first(void)
{
    return good_first() == 0 ? 1 : 0;
}

static char *make_token(void)
{
    static char tok[40];
    fx_issue_token(conninfo, &secret, link_id, tok);
    return tok;
}

struct sub {
    char path[64];
    char body[8192];
    int status;
};

static atomic_int sent;

static void *post_thread(void *arg)
{
    struct sub *s = arg;
    struct t_conn c;
    s->status = -1;
    if (!t_connect(&c, port, NULL, 0)) {
        atomic_fetch_add(&sent, 1);
        return NULL;
    }
    char head[512];
    int n = fx_form_post_head(head, sizeof head, port, s->path, strlen(s->body));
    bool ok = t_send(&c, head, (size_t)n) && t_send(&c, s->body, strlen(s->body));
    atomic_fetch_add(&sent, 1);
    static __thread char resp[1 << 16];
    if (ok)
        s->status = t_read_response(&c, resp, sizeof resp, 60000);
    t_close(&c);
    return NULL;
}

static long long responses(void)
{
    return atoll(t_db_value(conninfo, "SELECT count(*) FROM response_inbox"));
}

static bool log_has(const char *needle, int timeout_ms)
{
    static char buf[1 << 20];
    long long t0 = t_now_ms();
    do {
        FILE *f = fopen(srv.log, "r");
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = '\0';
            if (strstr(buf, needle))
                return true;
        }
        usleep(50000);
    } while (t_now_ms() - t0 < timeout_ms);
    return false;
}

/* Sends subs[0] alone while a test transaction locks response_inbox, waits until it is blocked,
 * sends the rest (they queue behind it in the worker's group commit), then releases the lock. */
static void run_held(struct sub *subs, int n)
{
    PGconn *hold = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(hold), CONNECTION_OK);
    PQclear(PQexec(hold, "BEGIN"));
    PGresult *r = PQexec(hold, "LOCK TABLE response_inbox IN EXCLUSIVE MODE");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    pthread_t th[64];
    atomic_store(&sent, 0);
    pthread_create(&th[0], NULL, post_thread, &subs[0]);
    long long t0 = t_now_ms();
    while (strcmp(t_db_value(conninfo, "SELECT count(*) FROM pg_locks WHERE NOT granted AND "
                                       "relation = 'response_inbox'::regclass"),
                  "1") != 0) {
        assert_true(t_now_ms() - t0 < 30000);
        usleep(20000);
    }
    for (int i = 1; i < n; i++)
        pthread_create(&th[i], NULL, post_thread, &subs[i]);
    while (atomic_load(&sent) < n)
        usleep(10000);
    usleep(1500000); /* time for the server to read, check and queue them (sanitizer builds too) */
    r = PQexec(hold, "COMMIT");
    PQclear(r);
    PQfinish(hold);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
}

/* 8 public forms, one of them sent twice, and one personal token used from three forms, all in
 * one shared transaction: 9 + 1 stored, the repeat thanked, two "already answered". */
static void test_batch_shares_commit(void **state)
{
    enum { N = 13 };
    static struct sub subs[N];
    long long before = responses();
    for (int i = 0; i < 9; i++) {
        snprintf(subs[i].path, sizeof subs[i].path, "/s/%s", slug);
        form_body(slug, -1, subs[i].body, sizeof subs[i].body);
    }
    subs[9] = subs[4]; /* the same form again (a double tap) */
    char *tok = make_token();
    for (int i = 10; i < N; i++) {
        snprintf(subs[i].path, sizeof subs[i].path, "/t/%s", tok);
        form_body(tok, -1, subs[i].body, sizeof subs[i].body);
    }
    run_held(subs, N);
    int ok = 0, already = 0;
    for (int i = 0; i < N; i++) {
        ok += subs[i].status == 200;
        already += subs[i].status == 409;
    }
    if (ok != N - 2 || already != 2) {
        char seen[256] = "";
        for (int i = 0; i < N; i++)
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%d ", subs[i].status);
        fail_msg("expected %d × 200 and 2 × 409, got: %s", N - 2, seen);
    }
    assert_int_equal(responses(), before + 10);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FILTER (WHERE spent) FROM personal_token"), "1");
    /* the twelve queued behind the first went to PostgreSQL as one transaction */
    assert_true(log_has("event=submit_batch w=0 n=12", 10000));
}

/* A row that fails inside the shared transaction (a trigger raises for one answer level) rolls
 * the batch back; every other submission is then stored on its own and thanked, the bad one
 * alone gets 503, and a repeat of a good form stores nothing more. */
static void test_batch_failure_falls_back(void **state)
{
    char q[512];
    snprintf(q, sizeof q,
             "CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
             " IF get_byte(NEW.answers, 0) = %d THEN RAISE EXCEPTION 'injected fault'; END IF;"
             " RETURN NEW; END $$",
             bad_first());
    t_db_value(conninfo, q);
    t_db_value(conninfo, "CREATE TRIGGER test_fault BEFORE INSERT ON response_inbox"
                         " FOR EACH ROW EXECUTE FUNCTION test_fault()");
    enum { N = 8 };
    static struct sub subs[N];
    long long before = responses();
    for (int i = 0; i < N; i++) {
        snprintf(subs[i].path, sizeof subs[i].path, "/s/%s", slug);
        form_body(slug, i == 5 ? bad_first() : good_first(), subs[i].body, sizeof subs[i].body);
    }
    run_held(subs, N);
    for (int i = 0; i < N; i++)
        if (subs[i].status != (i == 5 ? 503 : 200))
            fail_msg("submission %d: status %d", i, subs[i].status);
    assert_int_equal(responses(), before + N - 1);
    assert_true(log_has("event=submit_batch w=0 n=7", 10000));
    assert_true(log_has("event=submit_batch_failed w=0 n=7", 10000));
    assert_true(log_has("injected fault", 10000));
    /* a good form of the failed batch sent again: it was stored once, so only thanks */
    subs[0].status = 0;
    atomic_store(&sent, 0);
    post_thread(&subs[0]);
    assert_int_equal(subs[0].status, 200);
    assert_int_equal(responses(), before + N - 1);
    t_db_value(conninfo, "DROP TRIGGER test_fault ON response_inbox");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_shares_commit),
        cmocka_unit_test(test_batch_failure_falls_back),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
