/* Sign-in hardening (#19) against the real server and database: sign-ins cannot starve other
 * CPU-pool work (60 parallel sign-ins while a signed-in administrator opens /admin/results: the
 * page arrives before the sign-ins have drained), a bounded queue of password checks (503 with
 * the Thai login page beyond it), a per-address throttle that refuses before any hashing (429,
 * Retry-After, the Thai login page, the address typed kept), and failed sign-ins that do the same
 * work whatever the address (one password check, the same database round trips, the same page)
 * with their mean times printed.
 *
 * ITA_SIGNIN_BASELINE=1 (by hand, with ITA_ITAD pointing at an older itad) runs only the
 * starvation measurement without the newer flags, to print the figures before the change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PARALLEL 60

static int base_port;
static char conninfo[512];
static char page[1 << 20];
static char agency[16];
static bool baseline;

static int setup(void **state)
{
    (void)state;
    base_port = atoi(t_env("ITA_TEST_PORT"));
    baseline = getenv("ITA_SIGNIN_BASELINE") && *getenv("ITA_SIGNIN_BASELINE") == '1';
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_signin"));
    char path[1024];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    const char *id = t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('SGN', "
                                          "'เทศบาลทดสอบ') RETURNING id");
    if (!id)
        return -1;
    snprintf(agency, sizeof agency, "%s", id);
    char q[512];
    snprintf(q, sizeof q,
             "INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, "
             "staff_population, eit_population) VALUES (%s, 2566, now() - interval '10 days', "
             "now() - interval '1 day', 120, 400) RETURNING 1",
             agency);
    if (!t_db_value(conninfo, q))
        return -1;
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "known@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "off@example.go.th", "system", "NULL");
    t_make_admin(conninfo, "shut@example.go.th", "system", "NULL");
    t_db_value(conninfo, "UPDATE admin_user SET disabled = true WHERE email = 'off@example.go.th' "
                         "RETURNING 1");
    return 0;
}

/* A server on base_port + off (metrics on base_port + off + 1) with extra flags. */
static void start(struct t_server *s, int off, const char *const *flags)
{
    static char metrics[64];
    snprintf(metrics, sizeof metrics, "--metrics-listen=127.0.0.1:%d", base_port + off + 1);
    const char *extra[16];
    size_t n = 0;
    extra[n++] = "--workers=2";
    extra[n++] = "--cpu-threads=2";
    extra[n++] = "--rollup-interval-ms=0"; /* no background database work: db ops are ours */
    extra[n++] = "--link-check=false";
    extra[n++] = metrics;
    for (size_t i = 0; flags && flags[i] && n < 15; i++)
        extra[n++] = flags[i];
    extra[n] = NULL;
    t_server_start(s, base_port + off, conninfo, extra);
}

/* One value of the server's /metrics (a line starting with name and a space). */
static long long metric(int off, const char *name)
{
    static char body[1 << 17];
    assert_int_equal(t_plain_request(base_port + off + 1, "GET", "/metrics", body, sizeof body),
                     200);
    char key[128];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = strstr(body, key);
    assert_non_null(p);
    return atoll(p + strlen(key));
}

/* The login form's token (one serves many posts: it is checked, not spent). */
static void form_token(int port, char *out, size_t len)
{
    assert_int_equal(t_admin_request(port, "GET", "/admin/login", NULL, NULL, page, sizeof page),
                     200);
    snprintf(out, len, "%s", t_hidden_value(page, "f"));
}

static int post_login(int port, const char *f, const char *email, const char *password)
{
    char body[512];
    snprintf(body, sizeof body, "f=%s&email=%s&password=%s", f, email, password);
    return t_admin_request(port, "POST", "/admin/login", NULL, body, page, sizeof page);
}

/* ---- many requests in flight at once, answers noted in the order they complete ---- */

struct flight {
    struct t_conn c;
    char buf[1 << 16];
    size_t len;
    int status; /* 0 while waiting */
    int order;  /* 1-based position among completed answers */
    long long ms;
};

static void flight_send(struct flight *f, int port, const char *head, const char *body)
{
    memset(f, 0, sizeof *f);
    assert_true(t_connect(&f->c, port, NULL, 0));
    char req[4096];
    int n = snprintf(req, sizeof req, "%s", head);
    if (body)
        n += snprintf(req + n, sizeof req - (size_t)n,
                      "Content-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: %zu\r\n\r\n%s",
                      strlen(body), body);
    else
        n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
    assert_true(t_send(&f->c, req, (size_t)n));
    int fl = fcntl(f->c.fd, F_GETFL);
    fcntl(f->c.fd, F_SETFL, fl | O_NONBLOCK);
}

/* Reads what is there; true once the server has closed (the whole answer is in). */
static bool flight_read(struct flight *f)
{
    for (;;) {
        if (f->len + 1 >= sizeof f->buf)
            f->len = 0; /* only the head matters; keep reading to the end */
        int n = SSL_read(f->c.ssl, f->buf + f->len, (int)(sizeof f->buf - 1 - f->len));
        if (n > 0) {
            f->len += (size_t)n;
            f->buf[f->len] = '\0';
            continue;
        }
        int e = SSL_get_error(f->c.ssl, n);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
            return false;
        ERR_clear_error();
        return true; /* closed (Connection: close) or failed */
    }
}

/* Waits until every flight has its answer; order and ms say when each came. */
static void flights_wait(struct flight *f, size_t n, long long t0)
{
    int done = 0;
    struct pollfd pfd[PARALLEL + 1];
    while (done < (int)n) {
        size_t m = 0, idx[PARALLEL + 1];
        for (size_t i = 0; i < n; i++)
            if (!f[i].status) {
                pfd[m] = (struct pollfd){.fd = f[i].c.fd, .events = POLLIN};
                idx[m++] = i;
            }
        int r = poll(pfd, m, 60000);
        assert_true(r > 0);
        for (size_t k = 0; k < m; k++) {
            struct flight *x = &f[idx[k]];
            if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) || !flight_read(x))
                continue;
            x->status = strncmp(x->buf, "HTTP/1.1 ", 9) == 0 ? atoi(x->buf + 9) : -1;
            x->order = ++done;
            x->ms = t_now_ms() - t0;
        }
    }
    for (size_t i = 0; i < n; i++)
        t_close(&f[i].c);
}

/* ---- 1. sign-ins do not starve other CPU-pool work ---- */

static void test_results_not_starved(void **state)
{
    (void)state;
    struct t_server s;
    const char *flags[] = {"--signin-burst=1000", "--signin-per-min=100000",
                           "--signin-queue-max=100", NULL};
    start(&s, 0, baseline ? NULL : flags);
    int port = base_port;
    char cookie[64], f[128], path[128], head[512];
    t_admin_login(port, "sys%40example.go.th", cookie, page, sizeof page);
    snprintf(path, sizeof path, "/admin/results?agency=%s&year=2566", agency);
    long long t = t_now_ms();
    assert_int_equal(t_admin_request(port, "GET", path, cookie, NULL, page, sizeof page), 200);
    long long alone_ms = t_now_ms() - t;
    form_token(port, f, sizeof f);

    static struct flight fl[PARALLEL + 1];
    char body[256];
    snprintf(body, sizeof body, "f=%s&email=known%%40example.go.th&password=wrong", f);
    snprintf(head, sizeof head,
             "POST /admin/login HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://localhost:%d\r\n"
             "Connection: close\r\n",
             port, port);
    long long t0 = t_now_ms();
    for (int i = 0; i < PARALLEL; i++)
        flight_send(&fl[i], port, head, body);
    /* the sign-ins are queued (or at least sent) before the results page is asked for */
    usleep(200 * 1000);
    snprintf(head, sizeof head,
             "GET %s HTTP/1.1\r\nHost: localhost:%d\r\nCookie: ita_admin=%s\r\n"
             "Connection: close\r\n",
             path, port, cookie);
    long long t1 = t_now_ms();
    flight_send(&fl[PARALLEL], port, head, NULL);
    flights_wait(fl, PARALLEL + 1, t0);
    struct flight *res = &fl[PARALLEL];
    int before = 0, failed = 0;
    long long last = 0;
    for (int i = 0; i < PARALLEL; i++) {
        if (fl[i].order < res->order)
            before++;
        if (fl[i].status == 401)
            failed++;
        if (fl[i].ms > last)
            last = fl[i].ms;
    }
    printf(
        "# %s: /admin/results alone %lld ms; with %d sign-ins in flight %lld ms (status %d), "
        "%d of the sign-ins answered before it; all sign-ins answered after %lld ms (%d x 401)\n",
        baseline ? "BASELINE" : "lane", alone_ms, PARALLEL, res->ms - (t1 - t0), res->status,
        before, last, failed);
    assert_int_equal(res->status, 200);
    if (!baseline) {
        /* every sign-in was checked (none refused), and the page did not wait for the queue */
        assert_int_equal(failed, PARALLEL);
        assert_true(before < PARALLEL / 2);
    }
    assert_int_equal(t_server_stop(&s, SIGTERM, 10000), 0);
    t_db_value(conninfo, "UPDATE admin_user SET failed_logins = 0, locked_until = NULL "
                         "RETURNING 1");
}

/* ---- 2. a bounded queue of password checks ---- */

static void test_queue_bounded(void **state)
{
    (void)state;
    if (baseline)
        skip();
    struct t_server s;
    const char *flags[] = {"--signin-burst=1000", "--signin-per-min=100000", "--signin-queue-max=3",
                           NULL};
    start(&s, 2, flags);
    int port = base_port + 2;
    char f[128], head[512], body[256];
    form_token(port, f, sizeof f);
    long long checks0 = metric(2, "ita_signin_password_checks_total");
    static struct flight fl[PARALLEL];
    snprintf(body, sizeof body, "f=%s&email=nobody%%40example.go.th&password=wrong", f);
    snprintf(head, sizeof head,
             "POST /admin/login HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://localhost:%d\r\n"
             "Accept: text/html\r\nConnection: close\r\n",
             port, port);
    for (int i = 0; i < 20; i++)
        flight_send(&fl[i], port, head, body);
    flights_wait(fl, 20, t_now_ms());
    int busy = 0, failed = 0;
    for (int i = 0; i < 20; i++) {
        if (fl[i].status == 503) {
            busy++;
            assert_non_null(strstr(fl[i].buf, "Retry-After: 5\r\n"));
            assert_non_null(strstr(fl[i].buf, "<html lang=\"th\""));
            assert_non_null(strstr(fl[i].buf, "มีผู้เข้าสู่ระบบพร้อมกันมากเกินไป"));
            assert_non_null(strstr(fl[i].buf, "ลองใหม่อีกครั้งใน 5 วินาที"));
            assert_non_null(strstr(fl[i].buf, "value=\"nobody@example.go.th\""));
        } else {
            assert_int_equal(fl[i].status, 401);
            failed++;
        }
    }
    printf("# queue of 3: %d of 20 parallel sign-ins checked, %d refused with 503\n", failed, busy);
    assert_true(busy > 0);
    /* a refused sign-in hashed nothing */
    assert_int_equal(metric(2, "ita_signin_password_checks_total") - checks0, failed);
    assert_int_equal(metric(2, "ita_signin_refused_total{reason=\"busy\"}"), busy);
    assert_int_equal(metric(2, "ita_signin_pending"), 0);
    assert_int_equal(t_server_stop(&s, SIGTERM, 10000), 0);
}

/* ---- 3. the per-address throttle ---- */

/* One request through the balancer (PROXY v2) as client address src; the answer lands in page. */
/* A TLS connection to the server behind a PROXY v2 header naming IPv6 client src (testlib's
 * helper speaks IPv4 only). */
static void connect_v6(struct t_conn *c, int port, const char *src)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof a), 0);
    unsigned char h[16 + 36] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51,
                                0x55, 0x49, 0x54, 0x0A, 0x21, 0x21, 0x00, 36};
    assert_int_equal(inet_pton(AF_INET6, src, h + 16), 1);
    assert_int_equal(inet_pton(AF_INET6, "::1", h + 32), 1);
    h[48] = 0x30;
    h[50] = (unsigned char)(port >> 8);
    h[51] = (unsigned char)port;
    assert_int_equal(send(c->fd, h, sizeof h, 0), (ssize_t)sizeof h);
    c->ctx = SSL_CTX_new(TLS_client_method());
    c->ssl = SSL_new(c->ctx);
    SSL_set_fd(c->ssl, c->fd);
    SSL_set_tlsext_host_name(c->ssl, "localhost");
    assert_int_equal(SSL_connect(c->ssl), 1);
}

static int via(int port, const char *src, const char *method, const char *body)
{
    struct t_conn c;
    if (strchr(src, ':'))
        connect_v6(&c, port, src);
    else
        assert_true(t_connect_via_proxy(&c, port, src));
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "%s /admin/login HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: "
                     "https://localhost:%d\r\nConnection: close\r\n",
                     method, port, port);
    if (body)
        n += snprintf(req + n, sizeof req - (size_t)n,
                      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                      "%zu\r\n\r\n%s",
                      strlen(body), body);
    else
        n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
    assert_true(t_send(&c, req, (size_t)n));
    int st = t_read_response(&c, page, sizeof page, 10000);
    t_close(&c);
    return st;
}

static int via_login(int port, const char *src, const char *f, const char *email,
                     const char *password)
{
    char body[512];
    snprintf(body, sizeof body, "f=%s&email=%s&password=%s", f, email, password);
    return via(port, src, "POST", body);
}

static void test_throttle(void **state)
{
    (void)state;
    if (baseline)
        skip();
    struct t_server s;
    const char *flags[] = {"--signin-burst=3", "--signin-per-min=1", "--proxy-from=127.0.0.1",
                           NULL};
    start(&s, 4, flags);
    int port = base_port + 4;
    char f[128];
    assert_int_equal(via(port, "10.0.0.1", "GET", NULL), 200);
    snprintf(f, sizeof f, "%s", t_hidden_value(page, "f"));
    long long checks0 = metric(4, "ita_signin_password_checks_total");
    for (int i = 0; i < 3; i++)
        assert_int_equal(via_login(port, "10.0.0.1", f, "nobody%40example.go.th", "wrong"), 401);
    assert_int_equal(metric(4, "ita_signin_password_checks_total") - checks0, 3);
    /* the fourth attempt from this address: refused before the lookup and the hash, even with
     * the right password, with the Thai login page and the address kept */
    assert_int_equal(via_login(port, "10.0.0.1", f, "known%40example.go.th", "correct+horse"), 429);
    char ra[16];
    const char *h = strstr(t_last_headers(), "Retry-After: ");
    assert_non_null(h);
    snprintf(ra, sizeof ra, "%.*s", (int)strcspn(h + 13, "\r\n"), h + 13);
    int retry = atoi(ra);
    printf("# throttled: 429, Retry-After: %d\n", retry);
    assert_true(retry >= 1 && retry <= 60); /* one attempt a minute */
    assert_non_null(strstr(page, "<html lang=\"th\""));
    char said[200];
    snprintf(said, sizeof said, "ลองใหม่อีกครั้งใน %d วินาที", retry);
    assert_non_null(strstr(page, said));
    assert_non_null(strstr(page, "value=\"known@example.go.th\""));
    assert_null(strstr(t_last_headers(), "Set-Cookie: ita_admin="));
    assert_int_equal(via_login(port, "10.0.0.1", f, "nobody%40example.go.th", "wrong"), 429);
    assert_int_equal(metric(4, "ita_signin_password_checks_total") - checks0, 3);
    assert_int_equal(metric(4, "ita_signin_refused_total{reason=\"throttled\"}"), 2);
    /* another address is not held back by this one's attempts */
    assert_int_equal(via_login(port, "10.0.0.2", f, "known%40example.go.th", "correct+horse"), 303);
    assert_int_equal(metric(4, "ita_signin_password_checks_total") - checks0, 4);
    /* IPv6 clients are counted by their /64: another host of the same network shares the
     * bucket, the next network has its own */
    for (int i = 0; i < 3; i++)
        assert_int_equal(via_login(port,
                                   i % 2 ? "2001:db8:1:2::1" : "2001:db8:1:2:ffff:ffff:ffff:fffe",
                                   f, "nobody%40example.go.th", "wrong"),
                         401);
    assert_int_equal(via_login(port, "2001:db8:1:2::99", f, "nobody%40example.go.th", "wrong"),
                     429);
    assert_int_equal(via_login(port, "2001:db8:1:3::1", f, "nobody%40example.go.th", "wrong"), 401);
    /* an IPv4 address mapped into IPv6 is the same client as the plain IPv4 one */
    assert_int_equal(via_login(port, "::ffff:10.0.0.1", f, "nobody%40example.go.th", "wrong"), 429);
    assert_int_equal(metric(4, "ita_signin_password_checks_total") - checks0, 8);
    assert_int_equal(t_server_stop(&s, SIGTERM, 10000), 0);
}

/* ---- 4. failed sign-ins: the same work whatever the address ---- */

static void reset_known(void)
{
    t_db_value(conninfo, "UPDATE admin_user SET failed_logins = 0, locked_until = NULL "
                         "WHERE email = 'known@example.go.th' RETURNING 1");
    t_db_value(conninfo, "UPDATE admin_user SET failed_logins = 5, locked_until = now() + "
                         "interval '1 hour' WHERE email = 'shut@example.go.th' RETURNING 1");
}

/* The failure message without the time it names, for comparing pages. */
static void failure_text(char *out, size_t len)
{
    const char *m = strstr(page, "อีเมลหรือรหัสผ่านไม่ถูกต้อง");
    assert_non_null(m);
    snprintf(out, len, "%.*s", (int)(strstr(m, "ลองใหม่ได้หลัง") - m), m);
}

static void test_same_work(void **state)
{
    (void)state;
    if (baseline)
        skip();
    struct t_server s;
    const char *flags[] = {"--signin-burst=1000", "--signin-per-min=100000", NULL};
    start(&s, 0, flags); /* the first test's ports, free again */
    int port = base_port;
    char f[128];
    form_token(port, f, sizeof f);
    reset_known();
    static const char *const kinds[] = {"unknown", "wrong password", "disabled", "locked"};
    static const char *const emails[] = {"nobody%40example.go.th", "known%40example.go.th",
                                         "off%40example.go.th", "shut%40example.go.th"};
    char first[600] = "", text[600];
    for (int k = 0; k < 4; k++) {
        long long h0 = metric(0, "ita_signin_password_checks_total");
        long long d0 = metric(0, "ita_db_operations_total");
        assert_int_equal(post_login(port, f, emails[k], "wrong"), 401);
        long long h1 = metric(0, "ita_signin_password_checks_total");
        long long d1 = metric(0, "ita_db_operations_total");
        printf("# %s: %lld password check(s), %lld database round trip(s)\n", kinds[k], h1 - h0,
               d1 - d0);
        assert_int_equal(h1 - h0, 1); /* one argon2id check, a dummy one for no account */
        assert_int_equal(d1 - d0, 2); /* the lookup and the failure statement */
        failure_text(text, sizeof text);
        if (!first[0])
            snprintf(first, sizeof first, "%s", text);
        assert_string_equal(text, first);
        assert_null(strstr(t_last_headers(), "Set-Cookie: ita_admin="));
    }
    /* the locked account's lock was not touched, the disabled one stays disabled */
    assert_string_equal(t_db_value(conninfo, "SELECT failed_logins FROM admin_user WHERE email = "
                                             "'shut@example.go.th'"),
                        "5");
    /* mean time of N attempts of each kind, interleaved so load on the machine hits all alike */
    enum { N = 12 };
    double sum[4] = {0};
    for (int i = 0; i < N; i++) {
        reset_known(); /* stays below five failures: "wrong password" never turns "locked" */
        for (int k = 0; k < 4; k++) {
            long long t = t_now_ms();
            assert_int_equal(post_login(port, f, emails[k], "wrong"), 401);
            sum[k] += (double)(t_now_ms() - t);
        }
    }
    double lo = 1e9, hi = 0;
    for (int k = 0; k < 4; k++) {
        double mean = sum[k] / N;
        printf("# mean of %d failed sign-ins, %s: %.1f ms\n", N, kinds[k], mean);
        lo = mean < lo ? mean : lo;
        hi = mean > hi ? mean : hi;
    }
    assert_true(hi <= 1.5 * lo);
    reset_known();
    assert_int_equal(t_server_stop(&s, SIGTERM, 10000), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_not_starved),
        cmocka_unit_test(test_queue_bounded),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_same_work),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
