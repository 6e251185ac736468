/* Bodies on administrator routes are read only after the credentials of the head hold (#19), on
 * the real server and database: a stranger's 60 MiB upload is answered 303/401 with
 * Connection: close before one byte of it is sent, four at once leave the server's memory where
 * it was (VmRSS and VmHWM printed), wrong cookies and API tokens are refused alike,
 * "100 Continue" comes only after the check, a signed-in administrator still uploads, and the
 * (max_uploads + 1)-th upload read at once gets 503 in Thai while the others go through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG (60L * 1024 * 1024) /* the probe's upload: 60 MiB */
#define MAX_UPLOADS 4           /* the default of max_uploads */

static struct t_server srv;
static int port;
static char conninfo[512];
static char cookie[64], csrf[64], bearer[128];
static char page[1 << 20];

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_upload_guard"));
    /* instrument files (70 to 155 KB) are uploads above this max_body_bytes: they count against
     * max_uploads, which keeps its default */
    const char *extra[] = {"--workers=2", "--max-body-bytes=65536", NULL};
    t_server_start(&srv, port, conninfo, extra);
    t_make_admin(conninfo, "sys@example.go.th", "system", "NULL");
    char tok[64];
    if (t_create_api_token(conninfo, srv.dir, "sys@example.go.th", tok, sizeof tok) != 0)
        return -1;
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", tok);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

/* kB of a field of /proc/PID/status (VmRSS: resident now; VmHWM: the most it ever was). */
static long status_kb(const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)srv.pid);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    long kb = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    fclose(f);
    assert_true(kb > 0);
    return kb;
}

/* The head of a POST to path with Content-Length len; extra header lines (CRLF-separated, no
 * trailing CRLF) when given. Sends it on c. */
static void send_head(struct t_conn *c, const char *path, const char *extra, const char *ctype,
                      long len)
{
    char head[2048];
    int n = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://localhost:%d\r\n"
                     "Content-Type: %s\r\nContent-Length: %ld\r\n%s%s\r\n",
                     path, port, port, ctype, len, extra ? extra : "", extra ? "\r\n" : "");
    assert_true(n > 0 && (size_t)n < sizeof head);
    assert_true(t_send(c, head, (size_t)n));
}

static const char MP[] = "multipart/form-data; boundary=----WebKitFormBoundaryGuard";

/* The routes that take uploads, each with the body type a browser or itactl sends. */
static const char *const UPLOADS[] = {
    "/admin/contacts/import?code=X&fy=2566&instrument=IIT",
    "/admin/agencies/import",
    "/admin/instruments/upload",
    "/admin/history/upload",
};

/* A probe that sends only the head of a 60 MiB upload with credentials `extra` must be answered
 * `want` with Connection: close within 5 s, and the server must close the connection. Returns
 * the answer's body in page. */
static void probe_len(const char *path, const char *extra, long len, int want)
{
    struct t_conn c;
    assert_true(t_connect(&c, port, NULL, 0));
    send_head(&c, path, extra, MP, len);
    int st = t_read_response(&c, page, sizeof page, 5000);
    if (st != want)
        fprintf(stderr, "%s with [%s]: status %d, want %d\n", path, extra ? extra : "", st, want);
    assert_int_equal(st, want);
    assert_non_null(strstr(t_last_headers(), "Connection: close"));
    assert_true(t_wait_closed(&c, 5000));
    t_close(&c);
}

static void probe(const char *path, const char *extra, int want)
{
    probe_len(path, extra, BIG, want);
}

static void test_refused_from_head(void **state)
{
    static const char wrong_cookie[] =
        "Cookie: ita_admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static const char wrong_token[] =
        "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    for (size_t i = 0; i < sizeof UPLOADS / sizeof UPLOADS[0]; i++) {
        probe(UPLOADS[i], NULL, 303);
        assert_non_null(strstr(t_last_headers(), "Location: /admin/login"));
        probe(UPLOADS[i], wrong_cookie, 303);
        assert_non_null(strstr(t_last_headers(), "Location: /admin/login"));
        probe(UPLOADS[i], wrong_token, 401);
        assert_non_null(strstr(page, "\"error\""));
        assert_non_null(strstr(t_last_headers(), "application/json"));
        probe(UPLOADS[i], "Authorization: Bearer short", 401);
        assert_non_null(strstr(page, "\"error\""));
        /* a post from another site with a cookie: refused before the body too */
        struct t_conn c;
        assert_true(t_connect(&c, port, NULL, 0));
        char head[512];
        int n =
            snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://evil.example\r\n"
                     "%s\r\nContent-Type: %s\r\nContent-Length: %ld\r\n\r\n",
                     UPLOADS[i], port, wrong_cookie, MP, BIG);
        assert_true(t_send(&c, head, (size_t)n));
        assert_int_equal(t_read_response(&c, page, sizeof page, 5000), 403);
        assert_non_null(strstr(t_last_headers(), "Connection: close"));
        t_close(&c);
    }
    /* an ordinary administrator form (below max_body_bytes) is checked the same way; the
     * public sign-in page answers as before */
    probe_len("/admin/contacts/purge", NULL, 60000, 303);
    assert_int_equal(t_admin_request(port, "GET", "/admin/login", NULL, NULL, page, sizeof page),
                     200);
}

/* One stranger's upload: the head, then the body in 256 KiB pieces until the answer comes. */
struct stranger {
    long sent;  /* body bytes the client got to send */
    int status; /* the answer (-1: none) */
};

static void *stranger_run(void *arg)
{
    struct stranger *s = arg;
    static const size_t piece = 256 * 1024;
    char *chunk = malloc(piece);
    memset(chunk, 'x', piece);
    s->status = -1;
    struct t_conn c;
    /* TLS 1.2: no session tickets after the handshake, so the socket turns readable only when
     * the answer comes */
    if (!t_connect(&c, port, NULL, TLS1_2_VERSION)) {
        free(chunk);
        return NULL;
    }
    char head[512];
    int n = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://localhost:%d\r\n"
                     "Content-Type: %s\r\nContent-Length: %ld\r\n\r\n",
                     UPLOADS[0], port, port, MP, BIG);
    if (t_send(&c, head, (size_t)n)) {
        while (s->sent < BIG) {
            struct pollfd p = {.fd = c.fd, .events = POLLIN};
            if (poll(&p, 1, 0) > 0)
                break; /* the answer is there: stop sending, as curl and browsers do */
            if (!t_send(&c, chunk, piece))
                break;
            s->sent += (long)piece;
        }
        s->status = t_read_response(&c, NULL, 0, 60000);
    }
    t_close(&c);
    free(chunk);
    return NULL;
}

static void test_strangers_memory(void **state)
{
    long rss0 = status_kb("VmRSS"), hwm0 = status_kb("VmHWM");
    pthread_t th[4];
    struct stranger s[4] = {{0}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, stranger_run, &s[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    long rss1 = status_kb("VmRSS"), hwm1 = status_kb("VmHWM");
    long base = rss0 > hwm0 ? rss0 : hwm0;
    printf("4 unauthenticated 60 MiB uploads at once: itad VmRSS %ld kB -> %ld kB, VmHWM %ld kB -> "
           "%ld kB; body bytes sent %ld %ld %ld %ld; answers %d %d %d %d\n",
           rss0, rss1, hwm0, hwm1, s[0].sent, s[1].sent, s[2].sent, s[3].sent, s[0].status,
           s[1].status, s[2].status, s[3].status);
    fflush(stdout);
    for (int i = 0; i < 4; i++)
        assert_int_equal(s[i].status, 303);
    /* generous: the answer comes before the body, so the growth is close to nothing */
    assert_true(rss1 - rss0 < 20 * 1024);
    assert_true(hwm1 - base < 20 * 1024);
}

static char *read_file(const char *year, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/instruments/%s.json", t_env("ITA_SOURCE_DIR"), year);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* A browser's multipart upload of instruments/<year>.json (malloc'd; *len its size). */
static char *multipart(const char *year, size_t *len)
{
    size_t flen;
    char *file = read_file(year, &flen);
    char *mp = malloc(flen + 1024);
    int n = sprintf(mp,
                    "------WebKitFormBoundaryGuard\r\nContent-Disposition: form-data; "
                    "name=\"csrf\"\r\n\r\n%s\r\n------WebKitFormBoundaryGuard\r\n"
                    "Content-Disposition: form-data; name=\"file\"; filename=\"%s.json\"\r\n"
                    "Content-Type: application/json\r\n\r\n",
                    csrf, year);
    memcpy(mp + n, file, flen);
    n += (int)flen;
    n += sprintf(mp + n, "\r\n------WebKitFormBoundaryGuard--\r\n");
    free(file);
    *len = (size_t)n;
    return mp;
}

static void sign_in(void)
{
    if (cookie[0])
        return;
    t_admin_login(port, "sys%40example.go.th", cookie, page, sizeof page);
    assert_int_equal(
        t_admin_request(port, "GET", "/admin/instruments", cookie, NULL, page, sizeof page), 200);
    snprintf(csrf, sizeof csrf, "%s", t_hidden_value(page, "csrf"));
}

static void test_expect_continue_after_check(void **state)
{
    sign_in();
    /* no session: the final answer, never "100 Continue" */
    probe(UPLOADS[2], "Expect: 100-continue", 303);
    probe(UPLOADS[2],
          "Expect: 100-continue\r\nAuthorization: Bearer "
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          401);
    /* signed in: 100 once the session is known, then the body, and the upload is stored */
    size_t len;
    char *mp = multipart("2567", &len);
    char hdr[256];
    snprintf(hdr, sizeof hdr, "Cookie: ita_admin=%s\r\nExpect: 100-continue", cookie);
    struct t_conn c;
    assert_true(t_connect(&c, port, NULL, 0));
    send_head(&c, UPLOADS[2], hdr, MP, (long)len);
    assert_int_equal(t_read_response(&c, NULL, 0, 5000), 100);
    assert_true(t_send(&c, mp, len));
    assert_int_equal(t_read_response(&c, page, sizeof page, 30000), 303);
    assert_non_null(strstr(t_last_headers(), "Location: /admin/instruments/draft"));
    t_close(&c);
    free(mp);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM instrument_draft"), "1");
}

static void test_valid_uploads(void **state)
{
    sign_in();
    /* a session cookie, as the browser sends it */
    size_t len;
    char *mp = multipart("2568", &len);
    char hdr[128];
    snprintf(hdr, sizeof hdr, "Cookie: ita_admin=%s", cookie);
    struct t_http_req r = {.method = "POST",
                           .path = UPLOADS[2],
                           .header = hdr,
                           .ctype = MP + 0,
                           .body = mp,
                           .body_len = len,
                           .timeout_ms = 30000};
    assert_int_equal(t_http(port, &r, page, sizeof page), 303);
    free(mp);
    /* an API token, as itactl sends it: the file itself */
    char *file = read_file("2569", &len);
    struct t_http_req a = {.method = "POST",
                           .path = UPLOADS[2],
                           .header = bearer,
                           .no_origin = true,
                           .ctype = "application/json",
                           .body = file,
                           .body_len = len,
                           .timeout_ms = 30000};
    int st = t_http(port, &a, page, sizeof page);
    if (st != 201 && st != 200 && st != 303)
        fprintf(stderr, "API upload: %d %s\n", st, page);
    assert_true(st == 201 || st == 200 || st == 303);
    free(file);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM instrument_draft"), "3");
}

/* An upload that waits, half sent, after the server agreed to read it ("100 Continue"). */
struct held {
    struct t_conn c;
    char *mp;
    size_t len;
};

static void test_upload_cap(void **state)
{
    sign_in();
    t_db_exec(conninfo, "DELETE FROM instrument_draft", 0, NULL);
    static const char *const years[MAX_UPLOADS] = {"2566", "2567", "2568", "2569"};
    struct held h[MAX_UPLOADS];
    char hdr[256];
    snprintf(hdr, sizeof hdr, "Cookie: ita_admin=%s\r\nExpect: 100-continue", cookie);
    for (int i = 0; i < MAX_UPLOADS; i++) {
        h[i].mp = multipart(years[i], &h[i].len);
        assert_true(t_connect(&h[i].c, port, NULL, 0));
        send_head(&h[i].c, UPLOADS[2], hdr, MP, (long)h[i].len);
        assert_int_equal(t_read_response(&h[i].c, NULL, 0, 5000), 100);
        assert_true(t_send(&h[i].c, h[i].mp, h[i].len / 2));
    }
    /* one more from a browser: 503, a Thai page, the body never read */
    char bhdr[300];
    snprintf(bhdr, sizeof bhdr, "Cookie: ita_admin=%s\r\nAccept: text/html,*/*;q=0.8", cookie);
    probe(UPLOADS[2], bhdr, 503);
    assert_non_null(strstr(t_last_headers(), "Retry-After: "));
    assert_non_null(strstr(page, "<html lang=\"th\""));
    assert_non_null(strstr(page, "โปรดรอสักครู่แล้วส่งไฟล์อีกครั้ง"));
    /* and from itactl: 503 in JSON, in Thai */
    probe(UPLOADS[2], bearer, 503);
    assert_non_null(strstr(t_last_headers(), "Retry-After: "));
    assert_non_null(strstr(page, "\"error\":\"ขณะนี้มีการส่งไฟล์เข้าระบบพร้อมกัน"));
    /* a small administrator form is no upload: it goes through meanwhile */
    assert_int_equal(
        t_admin_request(port, "GET", "/admin/instruments", cookie, NULL, page, sizeof page), 200);
    /* the held ones finish and are stored */
    for (int i = 0; i < MAX_UPLOADS; i++) {
        assert_true(t_send(&h[i].c, h[i].mp + h[i].len / 2, h[i].len - h[i].len / 2));
        assert_int_equal(t_read_response(&h[i].c, page, sizeof page, 30000), 303);
        t_close(&h[i].c);
        free(h[i].mp);
    }
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM instrument_draft"), "4");
    /* their slots are free again */
    size_t len;
    char *mp = multipart("2570", &len);
    struct t_conn c;
    snprintf(hdr, sizeof hdr, "Cookie: ita_admin=%s", cookie);
    assert_true(t_connect(&c, port, NULL, 0));
    send_head(&c, UPLOADS[2], hdr, MP, (long)len);
    assert_true(t_send(&c, mp, len));
    assert_int_equal(t_read_response(&c, page, sizeof page, 30000), 303);
    t_close(&c);
    free(mp);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM instrument_draft"), "5");
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        /* first, while the server's high-water mark is still its start-up's */
        cmocka_unit_test(test_strangers_memory),
        cmocka_unit_test(test_refused_from_head),
        cmocka_unit_test(test_expect_continue_after_check),
        cmocka_unit_test(test_valid_uploads),
        cmocka_unit_test(test_upload_cap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
