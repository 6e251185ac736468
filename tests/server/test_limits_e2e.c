/* Limits of the respondent side on the real server (#19 hardening), two servers of their own:
 * 1. Rate limits of public links, four workers behind a trusted load balancer (PROXY v2 headers
 *    name the client, IPv4 or IPv6): junk posted to a link is limited per client address but
 *    never uses up the link's budget, so a real respondent of that link is still thanked; the
 *    link's budget counts valid submissions; connections that land on different workers take
 *    from one budget per address; an IPv6 client is one client per /64.
 * 2. db_timeout_ms bounds a submission's wait even when it queues behind a group commit stuck on
 *    a lock: every one is answered 503 within the timeout (+1 s), and once the lock is gone the
 *    respondents' retries of the same forms are counted once each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "secret.h"
#include "survey_fixture.h"
#include "testlib.h"

#include <libpq-fe.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { IP_BURST = 20, LINK_BURST = 5, WORKERS = 4 };

static struct t_server srv;
static int port;
static char conninfo[512];
static struct secret secret;
static struct ita_version *v;
static char slug_a[32];

static void add_link(const char *code, char *slug)
{
    char q[1024];
    assert_true(secret_random_b64url(16, slug));
    snprintf(
        q, sizeof q,
        "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at)"
        " SELECT id, 2566, 'IIT', '%s', now() - interval '1 day', now() + interval '30 days'"
        " FROM agency WHERE code = '%s' RETURNING id",
        slug, code);
    assert_non_null(t_db_value(conninfo, q));
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_ratelimit"));
    /* the link's budget is smaller than one address's: on a server that charged the link for
     * every POST, one address's junk would empty it */
    char ip_burst[64], link_burst[64], workers[32];
    snprintf(ip_burst, sizeof ip_burst, "--rate-ip-burst=%d", IP_BURST);
    snprintf(link_burst, sizeof link_burst, "--rate-link-burst=%d", LINK_BURST);
    snprintf(workers, sizeof workers, "--workers=%d", WORKERS);
    const char *extra[] = {workers,
                           "--rate-ip-per-min=1",
                           ip_burst,
                           "--rate-link-per-min=1",
                           link_burst,
                           "--proxy-from=127.0.0.1",
                           "--rollup-interval-ms=0",
                           NULL};
    t_server_start(&srv, port, conninfo, extra);
    if (fx_load_instrument_and_secret(conninfo, srv.dir, &v, &secret) != 0)
        return -1;
    if (!t_db_value(conninfo,
                    "INSERT INTO agency (code, name_th) VALUES ('R1', 'หน่วยทดสอบ') RETURNING 1"))
        return -1;
    add_link("R1", slug_a);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 15000) == 0 ? 0 : -1;
}

/* A TLS connection to the server behind a PROXY v2 header that names client src (IPv4 or IPv6
 * text), as the load balancer would send it. */
static void connect_as(struct t_conn *c, const char *src)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {20, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof a), 0);
    unsigned char h[16 + 36] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51,
                                0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C};
    size_t n;
    if (strchr(src, ':')) {
        h[13] = 0x21; /* TCP over IPv6 */
        h[15] = 36;
        assert_int_equal(inet_pton(AF_INET6, src, h + 16), 1);
        assert_int_equal(inet_pton(AF_INET6, "::1", h + 32), 1);
        h[48] = 0x30;
        h[50] = (unsigned char)(port >> 8);
        h[51] = (unsigned char)port;
        n = 16 + 36;
    } else {
        assert_int_equal(inet_pton(AF_INET, src, h + 16), 1);
        inet_pton(AF_INET, "127.0.0.1", h + 20);
        h[24] = 0x30;
        h[26] = (unsigned char)(port >> 8);
        h[27] = (unsigned char)port;
        n = 16 + 12;
    }
    assert_int_equal(send(c->fd, h, n, 0), (ssize_t)n);
    c->ctx = SSL_CTX_new(TLS_client_method());
    c->ssl = SSL_new(c->ctx);
    SSL_set_fd(c->ssl, c->fd);
    SSL_set_tlsext_host_name(c->ssl, "localhost");
    if (SSL_connect(c->ssl) != 1) {
        ERR_print_errors_fp(stderr);
        fail_msg("no TLS connection as %s", src);
    }
}

/* POSTs body to /s/slug from client src on a connection of its own; the status. */
static int post_as(const char *src, const char *slug, const char *body)
{
    struct t_conn c;
    connect_as(&c, src);
    char path[64], head[512];
    snprintf(path, sizeof path, "/s/%s", slug);
    int n = fx_form_post_head(head, sizeof head, port, path, strlen(body));
    assert_true(t_send(&c, head, (size_t)n));
    assert_true(t_send(&c, body, strlen(body)));
    static char resp[1 << 17];
    int status = t_read_response(&c, resp, sizeof resp, 20000);
    t_close(&c);
    return status;
}

/* A complete, valid IIT form for slug with a fresh form token of the server whose secret is
 * sec. */
static void valid_body_of(const struct secret *sec, const char *slug, char *out, size_t outlen)
{
    char ft[FORM_TOKEN_CHARS + 1];
    assert_true(form_token_make(sec, slug, (int64_t)time(NULL), ft, sizeof ft));
    int n = snprintf(out, outlen, "f=%s", ft);
    for (size_t i = 0; i < v->surveys[ITA_IIT].n_fields; i++) {
        const struct ita_field *f = v->field_list[i];
        int level = f->polarity == ITA_POSITIVE ? v->scales[f->scale].levels - 1 : 0;
        n += snprintf(out + n, outlen - (size_t)n, "&%s=%d", f->code, level);
    }
}

static void valid_body(const char *slug, char *out, size_t outlen)
{
    valid_body_of(&secret, slug, out, outlen);
}

static const char junk[] = "f=not-a-token&q1=9&zz=1";

/* Sends count junk POSTs from src to slug, or with slug NULL each to a link of its own that
 * does not exist (so that no link's budget can be what stops them, on any server); returns how
 * many were answered 429 (the others must be refusals of the junk itself, never a thank-you). */
static int junk_from(const char *src, const char *slug, int count)
{
    int limited = 0;
    for (int i = 0; i < count; i++) {
        char fresh[32];
        if (!slug)
            assert_true(secret_random_b64url(16, fresh));
        int st = post_as(src, slug ? slug : fresh, junk);
        assert_true(st == 400 || st == 404 || st == 422 || st == 429);
        limited += st == 429;
    }
    return limited;
}

/* Junk from two addresses is cut off per address after its budget, but the link's budget is
 * untouched: a real respondent from a third address is thanked, and so are the next ones up to
 * the link's budget of valid submissions. */
static void test_junk_does_not_turn_respondents_away(void **state)
{
    int junk1 = junk_from("192.0.2.1", slug_a, IP_BURST + 10);
    int junk2 = junk_from("192.0.2.2", slug_a, IP_BURST + 5);
    char body[8192];
    int real[LINK_BURST + 1];
    for (int i = 0; i <= LINK_BURST; i++) {
        char src[32];
        snprintf(src, sizeof src, "198.51.100.%d", i + 1);
        valid_body(slug_a, body, sizeof body);
        real[i] = post_as(src, slug_a, body);
    }
    printf("junk: %d POSTs from 2 addresses, %d + %d limited; real respondents' answers:",
           2 * IP_BURST + 15, junk1, junk2);
    for (int i = 0; i <= LINK_BURST; i++)
        printf(" %d", real[i]);
    printf("\n");
    assert_int_equal(junk1, 10);
    assert_int_equal(junk2, 5);
    for (int i = 0; i < LINK_BURST; i++)
        assert_int_equal(real[i], 200);
    /* the link's own budget still holds, counting valid submissions only */
    assert_int_equal(real[LINK_BURST], 429);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM response_inbox"), "5");
}

/* 4 × IP_BURST POSTs from one address, each on a new connection (the kernel spreads them over
 * the four workers' sockets) and to a link of its own: the address gets IP_BURST in all, not
 * IP_BURST per worker. */
static void test_workers_share_one_budget(void **state)
{
    int limited = junk_from("203.0.113.7", NULL, WORKERS * IP_BURST);
    printf("one address, %d connections over %d workers: %d answered, %d limited\n",
           WORKERS * IP_BURST, WORKERS, WORKERS * IP_BURST - limited, limited);
    assert_int_equal(WORKERS * IP_BURST - limited, IP_BURST);
    /* the connections did land on more than one worker (the access log names the worker) */
    static char buf[1 << 22];
    FILE *f = fopen(srv.log, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    int workers_seen = 0;
    for (int w = 0; w < WORKERS; w++) {
        char needle[64];
        snprintf(needle, sizeof needle, "event=access w=%d ", w);
        for (const char *p = strstr(buf, needle); p; p = strstr(p + 1, needle)) {
            if (strstr(p, "status=429") && strstr(p, "status=429") < strchr(p, '\n')) {
                workers_seen++;
                break;
            }
        }
    }
    printf("workers that answered 429: %d\n", workers_seen);
    assert_true(workers_seen >= 2);
}

/* An IPv6 client is its /64: other addresses inside it share the budget, the next /64 does not;
 * an IPv4-mapped IPv6 address is the IPv4 client. */
static void test_ipv6_by_prefix(void **state)
{
    int limited = 0;
    for (int i = 0; i < IP_BURST + 6; i++) {
        char src[64];
        snprintf(src, sizeof src, "2001:db8:7:8:%x::%x", i * 7 + 1, i * 13 + 1);
        limited += junk_from(src, NULL, 1);
    }
    printf("one IPv6 /64, %d addresses: %d limited\n", IP_BURST + 6, limited);
    assert_int_equal(limited, 6);
    assert_int_equal(junk_from("2001:db8:7:9::1", NULL, 1), 0);
    assert_int_equal(junk_from("198.18.0.1", NULL, IP_BURST), 0);
    assert_int_equal(junk_from("::ffff:198.18.0.1", NULL, 1), 1);
}

/* ---- 2. submissions queued behind a stuck group commit ---- */

enum { TIMEOUT_MS = 1000, HELD = 10 };

static struct t_server srv2;
static int port2;
static char conninfo2[512];
static struct secret secret2;
static char slug_d[32];

static int setup_deadline(void **state)
{
    port2 = atoi(t_env("ITA_TEST_PORT")) + 1;
    snprintf(conninfo2, sizeof conninfo2, "%s", t_db_create("ita_deadline"));
    /* one worker, so every submission meets the same group commit; small batches, so that the
     * old code answered the last of them only after several timed-out batches */
    char timeout[64];
    snprintf(timeout, sizeof timeout, "--db-timeout-ms=%d", TIMEOUT_MS);
    const char *extra[] = {
        "--workers=1",          "--submit-batch-max=2",   timeout, "--rate-ip-per-min=100000",
        "--rate-ip-burst=1000", "--rollup-interval-ms=0", NULL};
    t_server_start(&srv2, port2, conninfo2, extra);
    struct ita_version *v2 = NULL;
    if (fx_load_instrument_and_secret(conninfo2, srv2.dir, &v2, &secret2) != 0)
        return -1;
    if (v) /* the same instrument file as the first group's */
        ita_version_free(v2);
    else
        v = v2;
    if (!t_db_value(conninfo2,
                    "INSERT INTO agency (code, name_th) VALUES ('D1', 'หน่วยทดสอบ') RETURNING 1") ||
        !secret_random_b64url(16, slug_d))
        return -1;
    char q[1024];
    snprintf(
        q, sizeof q,
        "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, closes_at)"
        " SELECT id, 2566, 'IIT', '%s', now() - interval '1 day', now() + interval '30 days'"
        " FROM agency WHERE code = 'D1' RETURNING id",
        slug_d);
    return t_db_value(conninfo2, q) ? 0 : -1;
}

static int teardown_deadline(void **state)
{
    return t_server_stop(&srv2, SIGTERM, 15000) == 0 ? 0 : -1;
}

struct held_sub {
    char body[8192];
    int status;
    long long ms;   /* from the request's last byte sent to the answer */
    bool thai_page; /* the answer is the Thai page (lang="th") */
};

static int post_plain(const char *body, long long *ms, bool *thai)
{
    struct t_conn c;
    if (!t_connect(&c, port2, NULL, 0))
        return -1;
    char path[64], head[512];
    snprintf(path, sizeof path, "/s/%s", slug_d);
    int n = fx_form_post_head(head, sizeof head, port2, path, strlen(body));
    bool ok = t_send(&c, head, (size_t)n) && t_send(&c, body, strlen(body));
    long long t0 = t_now_ms();
    static __thread char resp[1 << 17];
    int status = ok ? t_read_response(&c, resp, sizeof resp, 30000) : -1;
    if (ms)
        *ms = t_now_ms() - t0;
    if (thai)
        *thai = status > 0 && strstr(resp, "lang=\"th\"") != NULL;
    t_close(&c);
    return status;
}

static void *held_thread(void *arg)
{
    struct held_sub *s = arg;
    s->status = post_plain(s->body, &s->ms, &s->thai_page);
    return NULL;
}

static long long inbox(void)
{
    return atoll(t_db_value(conninfo2, "SELECT count(*) FROM response_inbox"));
}

/* A session holds ACCESS EXCLUSIVE on response_inbox, so the group commit's first transaction
 * cannot finish and the other submissions queue behind it: each is still answered 503 within
 * db_timeout_ms + 1 s. After the lock is released, every respondent sends the same form again
 * (the page tells them to): each is thanked and each response is stored exactly once, including
 * any that PostgreSQL committed after its respondent had been told 503. */
static void test_deadline_under_held_lock(void **state)
{
    static struct held_sub subs[HELD];
    long long before = inbox();
    for (int i = 0; i < HELD; i++)
        valid_body_of(&secret2, slug_d, subs[i].body, sizeof subs[i].body);
    PGconn *hold = PQconnectdb(conninfo2);
    assert_int_equal(PQstatus(hold), CONNECTION_OK);
    PQclear(PQexec(hold, "BEGIN"));
    PGresult *r = PQexec(hold, "LOCK TABLE response_inbox IN ACCESS EXCLUSIVE MODE");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    pthread_t th[HELD];
    for (int i = 0; i < HELD; i++)
        assert_int_equal(pthread_create(&th[i], NULL, held_thread, &subs[i]), 0);
    for (int i = 0; i < HELD; i++)
        pthread_join(th[i], NULL);
    printf("db_timeout_ms=%d, lock held: answers (status/ms):", TIMEOUT_MS);
    long long worst = 0;
    for (int i = 0; i < HELD; i++) {
        printf(" %d/%lld", subs[i].status, subs[i].ms);
        worst = subs[i].ms > worst ? subs[i].ms : worst;
    }
    printf("; longest %lld ms\n", worst);
    r = PQexec(hold, "COMMIT");
    PQclear(r);
    PQfinish(hold);
    for (int i = 0; i < HELD; i++) {
        assert_int_equal(subs[i].status, 503);
        assert_true(subs[i].thai_page);
        assert_true(subs[i].ms <= TIMEOUT_MS + 1000);
    }
    /* what was already sent may still commit once the lock is gone; let it finish */
    long long t0 = t_now_ms();
    while (
        strcmp(t_db_value(conninfo2, "SELECT count(*) FROM pg_stat_activity WHERE"
                                     " wait_event_type = 'Lock' AND datname = current_database()"),
               "0") != 0 &&
        t_now_ms() - t0 < 10000)
        usleep(50000);
    usleep(500000);
    long long committed_anyway = inbox() - before;
    int thanked = 0;
    for (int i = 0; i < HELD; i++) {
        int st = -1;
        /* the pool may still be replacing connections the lock cost it: try again like a person */
        for (int attempt = 0; attempt < 20 && st != 200; attempt++) {
            st = post_plain(subs[i].body, NULL, NULL);
            if (st != 200)
                usleep(250000);
        }
        thanked += st == 200;
    }
    printf("after release: %lld committed although answered 503, %d retries thanked, %lld stored "
           "in all\n",
           committed_anyway, thanked, inbox() - before);
    assert_int_equal(thanked, HELD);
    assert_int_equal(inbox() - before, HELD);
}

int main(void)
{
    const struct CMUnitTest rate_tests[] = {
        cmocka_unit_test(test_junk_does_not_turn_respondents_away),
        cmocka_unit_test(test_workers_share_one_budget),
        cmocka_unit_test(test_ipv6_by_prefix),
    };
    const struct CMUnitTest deadline_tests[] = {
        cmocka_unit_test(test_deadline_under_held_lock),
    };
    int failed = cmocka_run_group_tests_name("rate limits", rate_tests, setup, teardown);
    failed += cmocka_run_group_tests_name("submission deadline", deadline_tests, setup_deadline,
                                          teardown_deadline);
    ita_version_free(v);
    return failed;
}
