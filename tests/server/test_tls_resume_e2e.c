/* TLS session resumption on the real itad (#20): a ticket from the first connection resumes on
 * every later one whichever worker takes it (the access log names the worker), after SIGHUP, and
 * on another itad process with the same secret (a replica) but not on one with another secret; on
 * a 4-second rotation period a ticket of the previous period still resumes and brings a fresh one,
 * one older than the window gets a full handshake. Last, the cost of a full and of a resumed
 * handshake over 500 connections each, printed for the benchmark notes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int base_port;
static char conninfo[512];
static struct t_server srv; /* A: two workers, the default rotation period */
static char cafile[300];

static SSL_SESSION *last_session; /* the newest ticket any client connection received */
static int tickets_received;

static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    SSL_SESSION_free(last_session);
    last_session = sess; /* returning 1 keeps the reference */
    tickets_received++;
    return 1;
}

static SSL_SESSION *take_session(void)
{
    SSL_SESSION *s = last_session;
    last_session = NULL;
    assert_non_null(s);
    return s;
}

/* A TLS connection to localhost:port that offers `resume` (when set) and keeps the tickets the
 * server sends (new_session_cb); the certificate is checked against cafile unless cafile is NULL.
 * False when the handshake fails. */
static bool open_conn(struct t_conn *c, int port, SSL_SESSION *resume, const char *ca)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {10, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(c->fd);
        c->fd = -1;
        return false;
    }
    c->ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_session_cache_mode(c->ctx,
                                   SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(c->ctx, new_session_cb);
    if (ca) {
        SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
        SSL_CTX_load_verify_locations(c->ctx, ca, NULL);
    }
    c->ssl = SSL_new(c->ctx);
    SSL_set_fd(c->ssl, c->fd);
    SSL_set_tlsext_host_name(c->ssl, "localhost");
    if (ca)
        SSL_set1_host(c->ssl, "localhost");
    if (resume) {
        /* a copy: OpenSSL's client marks a TLS 1.3 session used once not resumable, and the
         * tests offer some tickets more than once */
        SSL_SESSION *copy = SSL_SESSION_dup(resume);
        SSL_set_session(c->ssl, copy);
        SSL_SESSION_free(copy);
    }
    if (SSL_connect(c->ssl) != 1) {
        ERR_clear_error();
        t_close(c);
        return false;
    }
    return true;
}

/* One connection: handshake, GET path (which also reads the ticket sent after the handshake),
 * close. Returns whether the session was resumed; the new ticket is in last_session. */
static bool visit_path(int port, SSL_SESSION *resume, const char *path, int status)
{
    struct t_conn c;
    assert_true(open_conn(&c, port, resume, cafile));
    bool reused = SSL_session_reused(c.ssl) == 1;
    char req[256], body[16384];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", path);
    tickets_received = 0;
    assert_true(t_send(&c, req, strlen(req)));
    assert_int_equal(t_read_response(&c, body, sizeof body, 10000), status);
    assert_int_equal(tickets_received, 1); /* one fresh ticket per connection, resumed or not */
    SSL_shutdown(c.ssl); /* without close_notify OpenSSL marks the session not resumable */
    t_close(&c);
    return reused;
}

static bool visit(int port, SSL_SESSION *resume)
{
    return visit_path(port, resume, "/healthz", 200);
}

/* Access-log lines of 404 answers in the log at path (the probes of the test below): how many,
 * and which workers answered them (bit w of *workers). */
static int probe_lines(const char *path, unsigned *workers)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[1024];
    int n = 0;
    *workers = 0;
    while (fgets(line, sizeof line, f)) {
        const char *w = strstr(line, "event=access w=");
        if (!w || !strstr(line, " status=404 "))
            continue;
        *workers |= 1u << (atoi(w + 15) & 31);
        n++;
    }
    fclose(f);
    return n;
}

static uint64_t period_of(const SSL_SESSION *sess)
{
    const unsigned char *t = NULL;
    size_t len = 0;
    SSL_SESSION_get0_ticket(sess, &t, &len);
    assert_true(len > 64);
    uint64_t p = 0;
    for (int i = 0; i < 8; i++)
        p = (p << 8) | t[i];
    return p;
}

static int group_setup(void **state)
{
    base_port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_tls_resume"));
    char metrics[64];
    snprintf(metrics, sizeof metrics, "--metrics-listen=127.0.0.1:%d", base_port + 7);
    const char *extra[] = {"--workers=2", metrics, NULL};
    t_server_start(&srv, base_port, conninfo, extra);
    snprintf(cafile, sizeof cafile, "%s/cert.pem", srv.dir);
    return 0;
}

static int group_teardown(void **state)
{
    SSL_SESSION_free(last_session);
    return t_server_stop(&srv, SIGTERM, 15000) == 0 ? 0 : -1;
}

/* One counter of server A's /metrics. */
static long metric(const char *name)
{
    static char body[65536];
    assert_int_equal(t_plain_request(base_port + 7, "GET", "/metrics", body, sizeof body), 200);
    size_t len = strlen(name);
    for (const char *p = body; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, name, len) == 0 && p[len] == ' ')
            return atol(p + len + 1);
    fail_msg("%s is not in /metrics", name);
    return -1;
}

/* (a) one full handshake, then every connection resumes, on both workers. */
static void test_resume_across_workers(void **state)
{
    assert_true(t_wait_healthy(base_port, cafile, 20000));
    long hs0 = metric("ita_tls_handshakes_total"), res0 = metric("ita_tls_resumed_total");
    assert_false(visit(base_port, NULL));
    SSL_SESSION *sess = take_session();
    assert_int_equal(SSL_SESSION_get_protocol_version(sess), TLS1_3_VERSION);
    assert_int_equal(SSL_SESSION_get_max_early_data(sess), 0);           /* no 0-RTT offered */
    assert_int_equal(SSL_SESSION_get_ticket_lifetime_hint(sess), 43200); /* the default period */
    const int n = 24;
    for (int i = 0; i < n; i++) {
        /* as a browser does: each connection offers the newest ticket it holds; a path nobody
         * serves, so that the access log tells these requests from the others */
        if (!visit_path(base_port, sess, "/tls-resume-probe", 404))
            fail_msg("connection %d after the first was not resumed", i + 1);
        SSL_SESSION_free(sess);
        sess = take_session();
    }
    SSL_SESSION_free(sess);
    /* /metrics counts the 25 handshakes and, of them, the 24 resumed ones */
    assert_int_equal(metric("ita_tls_handshakes_total") - hs0, n + 1);
    assert_int_equal(metric("ita_tls_resumed_total") - res0, n);
    unsigned workers = 0;
    int lines = 0;
    for (int i = 0; i < 100 && lines < n; i++) {
        lines = probe_lines(srv.log, &workers);
        if (lines < n)
            usleep(50000);
    }
    assert_int_equal(lines, n);
    /* two workers, 24 connections: all on one would be a 1-in-8-million chance */
    assert_int_equal(workers, 3u);
}

/* (b) a second itad on the same secret and database (a replica) resumes A's sessions, and A its
 * sessions; a third with another secret does a full handshake. */
static void test_resume_across_servers(void **state)
{
    char a_secret[400], a_cert[400], a_key[400];
    snprintf(a_secret, sizeof a_secret, "--secret-file=%s/secret", srv.dir);
    snprintf(a_cert, sizeof a_cert, "--tls-cert=%s/cert.pem", srv.dir);
    snprintf(a_key, sizeof a_key, "--tls-key=%s/key.pem", srv.dir);
    struct t_server b, c;
    const char *b_extra[] = {"--workers=1", a_secret, a_cert, a_key, NULL};
    t_server_start(&b, base_port + 1, conninfo, b_extra);
    const char *c_extra[] = {"--workers=1", a_cert, a_key, NULL}; /* its own secret */
    t_server_start(&c, base_port + 2, conninfo, c_extra);
    assert_true(t_wait_healthy(base_port + 1, cafile, 20000));
    assert_true(t_wait_healthy(base_port + 2, cafile, 20000));

    assert_false(visit(base_port, NULL));
    SSL_SESSION *from_a = take_session();
    assert_true(visit(base_port + 1, from_a)); /* A's ticket on B */
    SSL_SESSION *from_b = take_session();
    assert_true(visit(base_port, from_b)); /* B's ticket on A */
    SSL_SESSION_free(take_session());
    assert_false(visit(base_port + 2, from_a)); /* another secret: full handshake */
    SSL_SESSION *from_c = take_session();
    assert_false(visit(base_port, from_c)); /* and C's tickets mean nothing to A */
    SSL_SESSION_free(take_session());
    SSL_SESSION_free(from_a);
    SSL_SESSION_free(from_b);
    SSL_SESSION_free(from_c);
    assert_int_equal(t_server_stop(&b, SIGTERM, 15000), 0);
    assert_int_equal(t_server_stop(&c, SIGTERM, 15000), 0);
}

static void peer_cn(SSL *ssl, char *cn, size_t len)
{
    X509 *x = SSL_get1_peer_certificate(ssl);
    assert_non_null(x);
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, (int)len);
    X509_free(x);
}

/* SIGHUP builds a new TLS context; tickets issued before it still resume after it. */
static void test_resume_after_reload(void **state)
{
    assert_false(visit(base_port, NULL));
    SSL_SESSION *before = take_session();
    t_make_cert(srv.dir, "second");
    kill(srv.pid, SIGHUP);
    /* wait until both workers serve the new certificate (a full handshake shows it) */
    int seen = 0;
    for (int i = 0; i < 100 && seen < 8; i++) {
        struct t_conn c;
        assert_true(open_conn(&c, base_port, NULL, NULL)); /* old or new certificate */
        char cn[64];
        peer_cn(c.ssl, cn, sizeof cn);
        t_close(&c);
        seen = strcmp(cn, "second") == 0 ? seen + 1 : 0;
        if (seen == 0)
            usleep(100000);
    }
    assert_int_equal(seen, 8);
    for (int i = 0; i < 8; i++) {
        /* resumed: no certificate is sent, the client keeps the one of the first handshake */
        if (!visit(base_port, before))
            fail_msg("a ticket from before SIGHUP did not resume (connection %d)", i + 1);
        SSL_SESSION_free(take_session());
    }
    SSL_SESSION_free(before);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
    double d = t - now_s();
    if (d > 0)
        usleep((useconds_t)(d * 1e6));
}

/* (c) rotation on the real clock with a 4-second period. The ticket is taken between 1.0 and
 * 1.5 s into a period (its recorded issue second is then at least 1 s into it), and offered again
 * 0.3 s into the next period: about 3.3 s old, within its 4-second lifetime, but sealed under the
 * previous period's key. Two periods on it is beyond the window. */
static void test_rotation(void **state)
{
    const int P = 4;
    struct t_server d;
    const char *extra[] = {"--workers=2", "--tls-ticket-rotate-s=4", NULL};
    t_server_start(&d, base_port + 3, conninfo, extra);
    snprintf(cafile, sizeof cafile, "%s/cert.pem", d.dir);
    assert_true(t_wait_healthy(d.port, cafile, 20000));
    SSL_SESSION *t0 = NULL;
    double issued = 0;
    for (int attempt = 0; attempt < 5 && !t0; attempt++) {
        double start = (double)((int64_t)now_s() / P * P + P) + 1.0;
        sleep_until(start);
        assert_false(visit(d.port, NULL));
        issued = now_s();
        SSL_SESSION *s = take_session();
        if (issued < start + 0.5 && period_of(s) == (uint64_t)start / P)
            t0 = s; /* taken early enough in its period (a loaded machine may be late) */
        else
            SSL_SESSION_free(s);
    }
    assert_non_null(t0);
    const uint64_t p = period_of(t0);
    assert_int_equal(SSL_SESSION_get_ticket_lifetime_hint(t0), P);

    sleep_until((double)((p + 1) * P) + 0.3);
    assert_true(visit(d.port, t0)); /* previous period's key: still resumes ... */
    SSL_SESSION *t1 = take_session();
    assert_int_equal(period_of(t1), p + 1); /* ... and the fresh ticket is under the current one */
    assert_true(visit(d.port, t1));
    SSL_SESSION_free(take_session());

    sleep_until((double)((p + 2) * P) + 0.3);
    assert_false(visit(d.port, t0)); /* two periods on: a full handshake */
    SSL_SESSION_free(take_session());
    SSL_SESSION_free(t0);
    SSL_SESSION_free(t1);
    snprintf(cafile, sizeof cafile, "%s/cert.pem", srv.dir);
    assert_int_equal(t_server_stop(&d, SIGTERM, 15000), 0);
}

/* User plus system CPU time of process pid, in seconds (from /proc/PID/stat). */
static double proc_cpu_s(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* fields after the command name */
    assert_non_null(p);
    unsigned long utime = 0, stime = 0;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    assert_int_equal(
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime), 2);
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* A self-signed RSA-2048 certificate for localhost in dir/rsa-cert.pem, dir/rsa-key.pem (what
 * many government sites still serve: its signature is the costly part of a full handshake). */
static void make_rsa_cert(const char *dir)
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *x = X509_new();
    assert_non_null(key);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"rsa", -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:localhost");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    char path[512];
    snprintf(path, sizeof path, "%s/rsa-cert.pem", dir);
    FILE *f = fopen(path, "w");
    assert_true(f && PEM_write_X509(f, x));
    fclose(f);
    snprintf(path, sizeof path, "%s/rsa-key.pem", dir);
    f = fopen(path, "w");
    assert_true(f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(key);
}

static double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* n handshakes (full, then resumed from one ticket), one connection after another on loopback;
 * prints wall time, rate, the server's and the client's CPU and the bytes each way. */
static void measure(const char *label, struct t_server *s, const char *ca, int n)
{
    assert_false(visit(s->port, NULL));
    SSL_SESSION *sess = take_session();
    for (int mode = 0; mode < 2; mode++) {
        double cpu0 = proc_cpu_s(s->pid), me0 = self_cpu_s(), t0 = now_s();
        unsigned long long in = 0, out = 0;
        for (int i = 0; i < n; i++) {
            struct t_conn c;
            assert_true(open_conn(&c, s->port, mode ? sess : NULL, ca));
            assert_int_equal(SSL_session_reused(c.ssl), mode);
            in += BIO_number_read(SSL_get_rbio(c.ssl));
            out += BIO_number_written(SSL_get_wbio(c.ssl));
            SSL_shutdown(c.ssl);
            t_close(&c);
        }
        double wall = now_s() - t0, cpu = proc_cpu_s(s->pid) - cpu0, me = self_cpu_s() - me0;
        printf("handshake %-5s %-7s x%d: %.3f ms each, %4.0f/s; CPU itad %4.0f us, client %4.0f "
               "us; bytes to client %llu, to server %llu\n",
               label, mode ? "resumed" : "full", n, wall * 1e3 / n, n / wall, cpu * 1e6 / n,
               me * 1e6 / n, in / n, out / n);
    }
    SSL_SESSION_free(last_session); /* tickets of the timed connections were not read */
    last_session = NULL;
    SSL_SESSION_free(sess);
}

/* (d) what a handshake costs, full and resumed, with the test's ECDSA P-256 certificate and with
 * an RSA-2048 one (client and server share this machine's cores). Prints the figures for the
 * benchmark notes; asserts only that every resumption happened. */
static void test_handshake_cost(void **state)
{
    const char *nv = getenv("ITA_TLS_BENCH_N");
    const int n = nv && atoi(nv) > 0 ? atoi(nv) : 500;
    measure("P-256", &srv, cafile, n);
    char dir[256], a_cert[400], a_key[400], ca[300];
    snprintf(dir, sizeof dir, "%s", t_tmpdir("rsa"));
    make_rsa_cert(dir);
    snprintf(a_cert, sizeof a_cert, "--tls-cert=%s/rsa-cert.pem", dir);
    snprintf(a_key, sizeof a_key, "--tls-key=%s/rsa-key.pem", dir);
    snprintf(ca, sizeof ca, "%s/rsa-cert.pem", dir);
    struct t_server e;
    const char *extra[] = {"--workers=2", a_cert, a_key, NULL};
    t_server_start(&e, base_port + 3, conninfo, extra);
    assert_true(t_wait_healthy(e.port, ca, 20000));
    char keep[300];
    snprintf(keep, sizeof keep, "%s", cafile);
    snprintf(cafile, sizeof cafile, "%s", ca); /* visit() checks against cafile */
    measure("RSA", &e, ca, n);
    snprintf(cafile, sizeof cafile, "%s", keep);
    assert_int_equal(t_server_stop(&e, SIGTERM, 15000), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_across_workers),
        cmocka_unit_test(test_resume_across_servers),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_handshake_cost),
        cmocka_unit_test(test_resume_after_reload),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
