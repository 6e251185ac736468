/* End-to-end tests of the real itad binary over real TLS against the real test PostgreSQL:
 * handshake and /healthz, /metrics on its own plain-HTTP listener only, limits
 * (431/413/414/400/408), keep-alive and pipelining, the database going away and coming back,
 * SIGHUP certificate reload, SIGTERM draining, the connection cap, and start-up refusing bad
 * configuration, a taken port or a broken migration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int base_port;
static int metrics_port; /* the shared instance's metrics listener (plain HTTP) */
static char conninfo[512];
static struct t_server srv; /* shared instance for the non-destructive tests */
static char cafile[300];

static int group_setup(void **state)
{
    base_port = atoi(t_env("ITA_TEST_PORT"));
    metrics_port = base_port + 5;
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_e2e"));
    static char metrics_listen[64];
    snprintf(metrics_listen, sizeof metrics_listen, "--metrics-listen=127.0.0.1:%d", metrics_port);
    const char *extra[] = {"--workers=2",
                           "--header-timeout-ms=1500",
                           "--idle-timeout-ms=2000",
                           "--db-timeout-ms=1500",
                           "--max-body-bytes=100000",
                           metrics_listen,
                           NULL};
    t_server_start(&srv, base_port, conninfo, extra);
    snprintf(cafile, sizeof cafile, "%s/cert.pem", srv.dir);
    return 0;
}

static int group_teardown(void **state)
{
    int rc = t_server_stop(&srv, SIGTERM, 15000);
    if (rc != 0) {
        fprintf(stderr, "itad exit status %d\n", rc);
        return -1;
    }
    return 0;
}

static void send_str(struct t_conn *c, const char *s)
{
    assert_true(t_send(c, s, strlen(s)));
}

static void test_tls_and_healthz(void **state)
{
    char body[256];
    assert_int_equal(t_get(base_port, cafile, "/healthz", body, sizeof body), 200);
    assert_string_equal(body, "ok\ndatabase: ok\n");
    struct t_conn c;
    assert_true(t_connect(&c, base_port, cafile, 0));
    assert_int_equal(SSL_version(c.ssl), TLS1_3_VERSION); /* 1.3 preferred */
    t_close(&c);
    assert_true(t_connect(&c, base_port, cafile, TLS1_2_VERSION)); /* 1.2 still accepted */
    const char *cipher = SSL_get_cipher_name(c.ssl);
    assert_non_null(strstr(cipher, "ECDHE"));
    assert_true(strstr(cipher, "GCM") || strstr(cipher, "CHACHA20"));
    t_close(&c);
    assert_false(t_connect(&c, base_port, NULL, TLS1_1_VERSION)); /* legacy refused */
    /* HEAD: same headers, no body */
    assert_true(t_connect(&c, base_port, cafile, 0));
    send_str(&c, "HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    long clen = -1;
    assert_int_equal(t_read_head_response(&c, &clen, 5000), 200);
    assert_int_equal(clen, 16);
    t_close(&c);
}

static void test_routes_and_metrics(void **state)
{
    char body[65536];
    /* a path nobody serves: a Thai page, not English plain text */
    assert_int_equal(t_get(base_port, cafile, "/no-such-page", body, sizeof body), 404);
    assert_non_null(strstr(t_last_headers(), "\r\nContent-Type: text/html; charset=utf-8"));
    assert_non_null(strstr(body, "<html lang=\"th\""));
    assert_non_null(strstr(body, "<title>ไม่พบหน้าที่ต้องการ"));
    assert_non_null(strstr(t_last_headers(), "\r\nContent-Security-Policy: "));
    /* the site root: the Thai landing page with the way to sign in */
    assert_int_equal(t_get(base_port, cafile, "/", body, sizeof body), 200);
    assert_non_null(strstr(body, "<html lang=\"th\""));
    assert_non_null(strstr(body, "href=\"/admin/login\""));
    struct t_conn c;
    assert_true(t_connect(&c, base_port, cafile, 0));
    send_str(&c, "POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(t_read_response(&c, body, sizeof body, 5000), 405);
    assert_non_null(strstr(body, "ใช้หน้านี้ด้วยวิธีนี้ไม่ได้"));
    assert_non_null(strstr(t_last_headers(), "\r\nAllow: GET"));
    t_close(&c);
    /* not on the respondents' port: per-route counts would show when each submission happens */
    assert_int_equal(t_get(base_port, cafile, "/metrics", body, sizeof body), 404);
    /* on the metrics listener, plain HTTP */
    assert_int_equal(t_plain_request(metrics_port, "GET", "/metrics", body, sizeof body), 200);
    assert_non_null(
        strstr(t_last_headers(), "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8"));
    assert_non_null(strstr(body, "ita_http_requests_total{route=\"healthz\",status=\"200\"}"));
    assert_non_null(strstr(body, "ita_http_requests_total{route=\"not_found\",status=\"404\"}"));
    assert_non_null(
        strstr(body, "ita_http_request_duration_seconds_bucket{route=\"healthz\",le=\"+Inf\"}"));
    assert_non_null(strstr(body, "ita_db_pool_connections{state=\"idle\"}"));
    assert_non_null(
        strstr(body, "# TYPE ita_http_open_connections gauge\nita_http_open_connections "));
    assert_null(strstr(body, "route=\"metrics\"")); /* no such route any more */
    /* the listener answers nothing else */
    assert_int_equal(t_plain_request(metrics_port, "GET", "/healthz", body, sizeof body), 404);
    assert_int_equal(t_plain_request(metrics_port, "GET", "/", body, sizeof body), 404);
    assert_int_equal(t_plain_request(metrics_port, "POST", "/metrics", body, sizeof body), 405);
    assert_non_null(strstr(t_last_headers(), "\r\nAllow: GET, HEAD"));
    assert_int_equal(t_plain_request(metrics_port, "DELETE", "/metrics", body, sizeof body), 405);
}

static void test_keepalive_and_pipelining(void **state)
{
    struct t_conn c;
    char body[256];
    assert_true(t_connect(&c, base_port, cafile, 0));
    send_str(&c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                 "GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n"
                 "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_int_equal(t_read_response(&c, body, sizeof body, 5000), 200);
    assert_int_equal(t_read_response(&c, body, sizeof body, 5000), 404);
    assert_int_equal(t_read_response(&c, body, sizeof body, 5000), 200);
    /* the same connection serves another request later */
    send_str(&c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_int_equal(t_read_response(&c, body, sizeof body, 5000), 200);
    t_close(&c);
}

static int one_shot(const char *raw, char *body, size_t blen, bool *closed)
{
    struct t_conn c;
    assert_true(t_connect(&c, base_port, cafile, 0));
    assert_true(t_send(&c, raw, strlen(raw)));
    int st = t_read_response(&c, body, blen, 5000);
    *closed = t_wait_closed(&c, 3000);
    t_close(&c);
    return st;
}

static void test_limits(void **state)
{
    char body[1024];
    bool closed;
    /* oversized header block → 431 and the connection closes */
    char *big = malloc(20000);
    strcpy(big, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ");
    size_t l = strlen(big);
    memset(big + l, 'x', 10000);
    strcpy(big + l + 10000, "\r\n\r\n");
    assert_int_equal(one_shot(big, body, sizeof body, &closed), 431);
    assert_true(closed);
    assert_non_null(strstr(t_last_headers(), "\r\nConnection: close"));
    /* oversized URL → 414 */
    strcpy(big, "GET /");
    memset(big + 5, 'a', 9000);
    strcpy(big + 9005, " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_int_equal(one_shot(big, body, sizeof body, &closed), 414);
    free(big);
    /* declared body beyond max_body_bytes → 413 before any of it is read */
    assert_int_equal(
        one_shot("POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100001\r\n\r\n",
                 body, sizeof body, &closed),
        413);
    assert_true(closed);
    /* malformed → 400; chunked request body → 411 */
    assert_int_equal(
        one_shot("GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n", body, sizeof body, &closed),
        400);
    assert_non_null(strstr(body, "400 คำขอไม่ถูกต้อง: "));
    assert_non_null(strstr(body, "malformed header line"));
    assert_int_equal(
        one_shot("POST /healthz HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n", body,
                 sizeof body, &closed),
        411);
    /* the server is still healthy */
    assert_int_equal(t_get(base_port, cafile, "/healthz", body, sizeof body), 200);
}

/* A client that sends one byte at a time never completes its head: cut off with 408 after
 * header_timeout (1.5 s here) although it keeps sending. */
static void test_slow_client_cut_off(void **state)
{
    struct t_conn c;
    assert_true(t_connect(&c, base_port, cafile, 0));
    const char *req = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    long long t0 = t_now_ms();
    int status = -1;
    for (size_t i = 0; i < strlen(req); i++) {
        if (!t_send(&c, req + i, 1))
            break;
        struct pollfd p = {.fd = c.fd, .events = POLLIN};
        if (poll(&p, 1, 250) > 0 || SSL_pending(c.ssl)) {
            char body[256];
            status = t_read_response(&c, body, sizeof body, 2000);
            break;
        }
    }
    long long elapsed = t_now_ms() - t0;
    assert_int_equal(status, 408);
    assert_true(t_wait_closed(&c, 2000));
    assert_true(elapsed >= 1400 && elapsed < 4000);
    t_close(&c);
}

static void test_idle_keepalive_closed(void **state)
{
    struct t_conn c;
    char body[256];
    assert_true(t_connect(&c, base_port, cafile, 0));
    send_str(&c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_int_equal(t_read_response(&c, body, sizeof body, 5000), 200);
    long long t0 = t_now_ms();
    assert_true(t_wait_closed(&c, 5000)); /* idle_timeout 2 s */
    long long idle = t_now_ms() - t0;
    assert_true(idle >= 1800 && idle < 4000);
    t_close(&c);
}

/* PostgreSQL stops under a running server: /healthz answers 503 within the bound and
 * recovers by itself once PostgreSQL is back. */
static void test_database_down_and_back(void **state)
{
    char body[256];
    assert_int_equal(t_get(base_port, cafile, "/healthz", body, sizeof body), 200);
    t_pg_stop();
    for (int i = 0; i < 3; i++) {
        long long t0 = t_now_ms();
        struct t_conn c;
        assert_true(t_connect(&c, base_port, cafile, 0));
        send_str(&c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert_int_equal(t_read_response(&c, body, sizeof body, 10000), 503);
        assert_string_equal(body, "unavailable\ndatabase: unavailable\n");
        assert_non_null(strstr(t_last_headers(), "\r\nRetry-After: 5"));
        t_close(&c);
        long long took = t_now_ms() - t0;
        assert_true(took < 1500 + 1000); /* db_timeout_ms + slack */
    }
    t_pg_start();
    int seen_503 = 3;
    long long t0 = t_now_ms();
    int st = -1;
    while (t_now_ms() - t0 < 15000) {
        st = t_get(base_port, cafile, "/healthz", body, sizeof body);
        if (st == 200)
            break;
        assert_int_equal(st, 503);
        seen_503++;
        usleep(100000);
    }
    assert_int_equal(st, 200);
    /* every 503 we saw is counted, no more and no less */
    char metrics[65536], want[128];
    assert_int_equal(t_plain_request(metrics_port, "GET", "/metrics", metrics, sizeof metrics),
                     200);
    snprintf(want, sizeof want, "ita_http_requests_total{route=\"healthz\",status=\"503\"} %d\n",
             seen_503);
    assert_non_null(strstr(metrics, want));
    assert_null(strstr(metrics, "ita_db_reconnects_total 0\n"));
    /* one worker answering 200 says nothing of the other's pool: wait for both before the next
     * test relies on them */
    assert_true(t_wait_healthy(base_port, cafile, 15000));
}

static void peer_cn(struct t_conn *c, char *cn, size_t len)
{
    X509 *x = SSL_get1_peer_certificate(c->ssl);
    assert_non_null(x);
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, (int)len);
    X509_free(x);
}

/* SIGHUP swaps the certificate for new connections without dropping open ones; a broken
 * certificate on reload keeps the previous one in service. */
static void test_sighup_reload(void **state)
{
    struct t_conn old;
    char body[256], cn[64];
    /* the state this test needs: every worker serving (an earlier test stopped the database) */
    assert_true(t_wait_healthy(base_port, cafile, 15000));
    assert_true(t_connect(&old, base_port, NULL, 0));
    peer_cn(&old, cn, sizeof cn);
    assert_string_equal(cn, "first");
    t_make_cert(srv.dir, "second");
    kill(srv.pid, SIGHUP);
    struct t_conn c;
    /* the reload reaches every worker within moments; poll rather than guess how long */
    for (int i = 0; i < 50; i++) {
        assert_true(t_connect(&c, base_port, NULL, 0));
        peer_cn(&c, cn, sizeof cn);
        t_close(&c);
        if (strcmp(cn, "second") == 0)
            break;
        usleep(100000);
    }
    assert_string_equal(cn, "second");
    /* both workers have it: several new connections all see it */
    for (int i = 0; i < 6; i++) {
        assert_true(t_connect(&c, base_port, NULL, 0));
        peer_cn(&c, cn, sizeof cn);
        t_close(&c);
        assert_string_equal(cn, "second");
    }
    /* the connection opened before the reload still works: it answers, and answers 200 once its
     * worker's database pool is ready (a 503 while it reconnects is an answer too) */
    int old_st = -1;
    for (int i = 0; i < 100 && old_st != 200; i++) {
        send_str(&old, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        old_st = t_read_response(&old, body, sizeof body, 5000);
        assert_true(old_st == 200 || old_st == 503);
        if (old_st != 200)
            usleep(100000);
    }
    assert_int_equal(old_st, 200);
    t_close(&old);
    /* a broken key file: reload refused, service continues with "second" */
    char path[400];
    snprintf(path, sizeof path, "%s/key.pem", srv.dir);
    FILE *f = fopen(path, "w");
    fputs("not a key\n", f);
    fclose(f);
    kill(srv.pid, SIGHUP);
    usleep(300000);
    assert_true(t_connect(&c, base_port, NULL, 0));
    peer_cn(&c, cn, sizeof cn);
    assert_string_equal(cn, "second");
    t_close(&c);
    t_make_cert(srv.dir, "first"); /* restore a valid pair for the remaining tests */
    snprintf(cafile, sizeof cafile, "%s/cert.pem", srv.dir);
    kill(srv.pid, SIGHUP);
    int st = -1;
    for (int i = 0; i < 50 && st != 200; i++) {
        st = t_get(base_port, cafile, "/healthz", body, sizeof body); /* verifies the new cert */
        if (st != 200)
            usleep(100000);
    }
    assert_int_equal(st, 200);
}

/* Stops (SIGSTOP) the PostgreSQL backends serving application_name itad, or resumes them. */
static void signal_backends(const char *db_conninfo, int sig)
{
    PGconn *pg = PQconnectdb(db_conninfo);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    PGresult *r = PQexec(pg, "SELECT pid FROM pg_stat_activity WHERE application_name = 'itad'");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    assert_true(PQntuples(r) >= 1);
    for (int i = 0; i < PQntuples(r); i++)
        kill(atoi(PQgetvalue(r, i, 0)), sig);
    PQclear(r);
    PQfinish(pg);
}

/* SIGTERM: stop accepting, finish in-flight requests (one waiting on the database, one still
 * receiving its body), then exit 0. */
static void test_sigterm_drains(void **state)
{
    struct t_server s2;
    const char *db = t_db_create("ita_drain");
    char ci[512];
    snprintf(ci, sizeof ci, "%s", db);
    const char *extra[] = {"--workers=1", "--db-pool-size=1", "--db-timeout-ms=20000", NULL};
    int port = base_port + 1;
    t_server_start(&s2, port, ci, extra);
    char body[256];
    assert_int_equal(t_get(port, NULL, "/healthz", body, sizeof body), 200);

    struct t_conn a, b;
    assert_true(t_connect(&a, port, NULL, 0));
    assert_true(t_connect(&b, port, NULL, 0));
    /* a: head of a request whose body has not fully arrived */
    send_str(&a, "POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nabc");
    /* b: a request stuck on the database (its backend is stopped) */
    signal_backends(ci, SIGSTOP);
    send_str(&b, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    usleep(200000);
    kill(s2.pid, SIGTERM);
    usleep(300000);
    /* no new connections once draining */
    struct t_conn c;
    assert_false(t_connect(&c, port, NULL, 0));
    assert_int_equal(t_server_wait(&s2, 200), -1); /* still running: work in flight */
    send_str(&a, "def");
    assert_int_equal(t_read_response(&a, body, sizeof body, 5000), 405);
    signal_backends(ci, SIGCONT);
    assert_int_equal(t_read_response(&b, body, sizeof body, 5000), 200);
    assert_true(t_wait_closed(&a, 3000));
    assert_true(t_wait_closed(&b, 3000));
    t_close(&a);
    t_close(&b);
    assert_int_equal(t_server_wait(&s2, 10000), 0);
}

/* Beyond max_connections, requests are answered 503 instead of being served. */
static void test_connection_cap(void **state)
{
    struct t_server s3;
    const char *extra[] = {"--workers=1", "--max-connections=2", NULL};
    int port = base_port + 2;
    t_server_start(&s3, port, conninfo, extra);
    usleep(300000); /* let the server notice that the readiness probe's connection closed */
    struct t_conn c1, c2, c3;
    char body[1024];
    assert_true(t_connect(&c1, port, NULL, 0));
    assert_true(t_connect(&c2, port, NULL, 0));
    assert_true(t_connect(&c3, port, NULL, 0));
    send_str(&c3, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_int_equal(t_read_response(&c3, body, sizeof body, 5000), 503);
    /* plain text for a client that does not ask for HTML, in Thai, the reason as the detail */
    assert_non_null(strstr(body, "503 ระบบไม่ว่างชั่วคราว: "));
    assert_non_null(strstr(body, "(รายละเอียดทางเทคนิค: server has too many open connections)"));
    assert_non_null(strstr(t_last_headers(), "\r\nRetry-After: 5"));
    assert_non_null(strstr(t_last_headers(), "\r\nConnection: close"));
    send_str(&c1, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_int_equal(t_read_response(&c1, body, sizeof body, 5000), 200);
    t_close(&c1);
    t_close(&c2);
    t_close(&c3);
    assert_int_equal(t_server_stop(&s3, SIGINT, 10000), 0);
}

static void test_startup_refusals(void **state)
{
    char out[4096], cmd[2048];
    const char *itad = t_env("ITA_ITAD");
    snprintf(cmd, sizeof cmd, "'%s' --port=99999 2>&1", itad);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 2);
    assert_non_null(
        strstr(out, "port = '99999' is not allowed; expected an integer from 1 to 65535"));
    snprintf(cmd, sizeof cmd, "'%s' --proxy-from=10.0.0.1,haproxy 2>&1", itad);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "proxy_from: 'haproxy' is not allowed"));
    snprintf(cmd, sizeof cmd, "ITAD_LOG_LEVEL=loud '%s' 2>&1", itad);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "environment ITAD_LOG_LEVEL: log_level = 'loud' is not allowed"));
    /* metrics_listen: an IPv4 literal and a port, or [IPv6]:PORT, or empty */
    static const char *const bad_metrics[] = {"localhost:9464",   "127.0.0.1",    "::1:9464",
                                              "[::1]9464",        "127.0.0.1:0",  "127.0.0.1:65536",
                                              "[127.0.0.1]:9464", "127.0.0.1:94x"};
    for (size_t i = 0; i < sizeof bad_metrics / sizeof bad_metrics[0]; i++) {
        snprintf(cmd, sizeof cmd, "'%s' --metrics-listen='%s' 2>&1", itad, bad_metrics[i]);
        assert_int_equal(t_run_capture(cmd, out, sizeof out), 2);
        char want[160];
        snprintf(want, sizeof want,
                 "command line --metrics-listen: metrics_listen = '%s' is not allowed; expected "
                 "ADDRESS:PORT",
                 bad_metrics[i]);
        if (!strstr(out, want))
            fail_msg("no '%s' in: %s", want, out);
    }
    snprintf(cmd, sizeof cmd, "ITAD_METRICS_LISTEN=0.0.0.0 '%s' 2>&1", itad);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "environment ITAD_METRICS_LISTEN: metrics_listen = '0.0.0.0'"));
    /* a broken migration stops start-up, naming the file and quoting PostgreSQL */
    const char *dir = t_tmpdir("brokenmig");
    char path[512];
    snprintf(path, sizeof path, "%s/0001_broken.sql", dir);
    FILE *f = fopen(path, "w");
    fputs("CREATE TABLE x (;\n", f);
    fclose(f);
    const char *db = t_db_create("ita_broken_start");
    snprintf(
        cmd, sizeof cmd,
        "'%s' --tls-cert='%s' --tls-key='%s/key.pem' --database-url='%s' --migrations-dir='%s' "
        "--secret-file='%s/secret' --port=%d 2>&1",
        itad, cafile, srv.dir, db, dir, srv.dir, base_port + 3);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "migration 0001_broken.sql failed"));
    assert_non_null(strstr(out, "syntax error"));
    /* a certificate that does not exist */
    snprintf(cmd, sizeof cmd,
             "'%s' --tls-cert=/nonexistent.pem --tls-key=/nonexistent.key --database-url='%s' "
             "--secret-file='%s/secret' --migrate-on-start=false --port=%d 2>&1",
             itad, db, srv.dir, base_port + 3);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "tls_cert /nonexistent.pem"));
    /* the port is held by a socket without SO_REUSEPORT: itad cannot join it and says so */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(base_port + 4))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    snprintf(cmd, sizeof cmd,
             "'%s' --tls-cert='%s' --tls-key='%s/key.pem' --database-url='%s' "
             "--secret-file='%s/secret' --migrate-on-start=false --port=%d 2>&1",
             itad, cafile, srv.dir, db, srv.dir, base_port + 4);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "cannot listen on 127.0.0.1 port"));
    assert_non_null(strstr(out, "Address already in use"));
    close(fd);
    /* the same for the metrics listener's port (no SO_REUSEPORT there: a second server may not
     * share it) */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_port = htons((uint16_t)(base_port + 6));
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    snprintf(cmd, sizeof cmd,
             "'%s' --tls-cert='%s' --tls-key='%s/key.pem' --database-url='%s' "
             "--secret-file='%s/secret' --migrate-on-start=false --port=%d "
             "--metrics-listen=127.0.0.1:%d 2>&1",
             itad, cafile, srv.dir, db, srv.dir, base_port + 4, base_port + 6);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    char want[128];
    snprintf(want, sizeof want, "metrics_listen: cannot listen on 127.0.0.1 port %d",
             base_port + 6);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "Address already in use"));
    close(fd);
    /* and the shared server's own listener, for a second server on another HTTPS port */
    snprintf(cmd, sizeof cmd,
             "'%s' --tls-cert='%s' --tls-key='%s/key.pem' --database-url='%s' "
             "--secret-file='%s/secret' --migrate-on-start=false --port=%d "
             "--metrics-listen=127.0.0.1:%d 2>&1",
             itad, cafile, srv.dir, db, srv.dir, base_port + 4, metrics_port);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "Address already in use"));
    /* a secret file that is too short */
    char shortsecret[400];
    snprintf(shortsecret, sizeof shortsecret, "%s/short-secret", dir);
    f = fopen(shortsecret, "w");
    fputs("too short\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "'%s' --tls-cert='%s' --tls-key='%s/key.pem' --database-url='%s' "
             "--secret-file='%s' --migrate-on-start=false --port=%d 2>&1",
             itad, cafile, srv.dir, db, shortsecret, base_port + 4);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "must hold 32 to 1024 bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls_and_healthz),
        cmocka_unit_test(test_routes_and_metrics),
        cmocka_unit_test(test_keepalive_and_pipelining),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_slow_client_cut_off),
        cmocka_unit_test(test_idle_keepalive_closed),
        cmocka_unit_test(test_database_down_and_back),
        cmocka_unit_test(test_sighup_reload),
        cmocka_unit_test(test_sigterm_drains),
        cmocka_unit_test(test_connection_cap),
        cmocka_unit_test(test_startup_refusals),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
