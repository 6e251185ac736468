/* The link checker (server/oit/link_check.c): the pure mapping of an outcome to its Thai reason,
 * then real checks on one event loop against real HTTPS servers (tests/support/
 * https_test_server.py with a test CA; a second one whose self-signed certificate nobody trusts),
 * an unresolvable host and a closed port; and freeing the checker with transfers in flight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "link_fixture.h"
#include "oit/link_check.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <event2/event.h>
#include <stdio.h>
#include <string.h>

static void expect_reason(int code, int status, int timeout_ms, bool ok, const char *reason)
{
    struct link_result r;
    memset(&r, 0x55, sizeof r);
    link_verdict(&r, code, status, timeout_ms);
    if (r.ok != ok || strcmp(r.reason, reason) != 0)
        fail_msg("curl %d status %d: ok=%d reason \"%s\", expected ok=%d \"%s\"", code, status,
                 r.ok, r.reason, ok, reason);
    assert_int_equal(r.status, status);
    assert_int_equal(r.curl_code, code);
}

static void test_reason_mapping(void **state)
{
    (void)state;
    expect_reason(CURLE_OK, 200, 15000, true, "");
    expect_reason(CURLE_OK, 204, 15000, true, "");
    expect_reason(CURLE_OK, 301, 15000, true, ""); /* a final 3xx (no Location) still answers */
    expect_reason(CURLE_OK, 404, 15000, false, "เซิร์ฟเวอร์ตอบ 404 (ไม่พบหน้า)");
    expect_reason(CURLE_OK, 403, 15000, false, "เซิร์ฟเวอร์ตอบ 403 (ไม่อนุญาตให้เข้าถึง)");
    expect_reason(CURLE_OK, 410, 15000, false, "เซิร์ฟเวอร์ตอบ 410 (หน้านี้ถูกลบแล้ว)");
    expect_reason(CURLE_OK, 500, 15000, false, "เซิร์ฟเวอร์ตอบ 500");
    expect_reason(CURLE_OK, 503, 15000, false, "เซิร์ฟเวอร์ตอบ 503 (ไม่พร้อมให้บริการชั่วคราว)");
    expect_reason(CURLE_OK, 0, 15000, false, "ไม่ได้รับคำตอบจากเซิร์ฟเวอร์");
    expect_reason(CURLE_COULDNT_RESOLVE_HOST, 0, 15000, false, "ไม่พบชื่อโดเมน (DNS)");
    expect_reason(CURLE_COULDNT_CONNECT, 0, 15000, false, "เชื่อมต่อไม่ได้");
    expect_reason(CURLE_OPERATION_TIMEDOUT, 0, 15000, false, "หมดเวลารอ 15 วินาที");
    expect_reason(CURLE_OPERATION_TIMEDOUT, 0, 1500, false, "หมดเวลารอ 2 วินาที");
    expect_reason(CURLE_PEER_FAILED_VERIFICATION, 0, 15000, false, "ใบรับรอง TLS ไม่ถูกต้อง");
    expect_reason(CURLE_SSL_CONNECT_ERROR, 0, 15000, false, "เชื่อมต่อแบบปลอดภัย (TLS) ไม่สำเร็จ");
    expect_reason(CURLE_TOO_MANY_REDIRECTS, 302, 15000, false, "เปลี่ยนเส้นทางเกิน 5 ครั้ง");
    expect_reason(CURLE_UNSUPPORTED_PROTOCOL, 0, 15000, false,
                  "ลิงก์ต้องเป็น http:// หรือ https:// เท่านั้น");
    expect_reason(CURLE_GOT_NOTHING, 0, 15000, false, "เซิร์ฟเวอร์ตัดการเชื่อมต่อก่อนตอบ");
    expect_reason(CURLE_OUT_OF_MEMORY, 0, 15000, false, "ตรวจลิงก์ไม่สำเร็จ (รหัส 27)");
    /* HEAD refused → GET decides; a good HEAD is enough */
    assert_true(link_head_refused(405));
    assert_true(link_head_refused(501));
    assert_true(link_head_refused(403));
    assert_true(link_head_refused(404));
    assert_false(link_head_refused(200));
    assert_false(link_head_refused(302));
}

static bool private_addr(const char *text)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1)
        v4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1)
        v6->sin6_family = AF_INET6;
    else
        fail_msg("bad address %s", text);
    return link_addr_private((struct sockaddr *)&ss);
}

static void test_private_addresses(void **state)
{
    (void)state;
    static const char *const inside[] = {"127.0.0.1",
                                         "127.8.9.10",
                                         "10.1.2.3",
                                         "172.16.0.1",
                                         "172.31.255.255",
                                         "192.168.1.1",
                                         "169.254.169.254",
                                         "100.64.0.1",
                                         "0.0.0.0",
                                         "224.0.0.1",
                                         "255.255.255.255",
                                         "198.18.0.1",
                                         "::1",
                                         "::",
                                         "fd00::1",
                                         "fc00::2",
                                         "fe80::1",
                                         "ff02::1",
                                         "::ffff:127.0.0.1",
                                         "::ffff:10.0.0.1"};
    static const char *const outside[] = {"8.8.8.8",         "203.150.1.1",    "172.32.0.1",
                                          "172.15.255.255",  "100.128.0.1",    "1.1.1.1",
                                          "2001:4860::8888", "::ffff:8.8.8.8", "2404:6800::1"};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        if (!private_addr(inside[i]))
            fail_msg("%s taken for a public address", inside[i]);
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
        if (private_addr(outside[i]))
            fail_msg("%s taken for a private address", outside[i]);
    expect_reason(LINK_CODE_PRIVATE, 0, 15000, false, "ลิงก์ชี้ไปที่เครือข่ายภายใน ประชาชนทั่วไปเปิดไม่ได้");
}

/* ---- real servers ---- */

struct want {
    const char *name;
    char url[300];
    bool ok;
    int status;
    bool via_get;
    const char *reason;
    bool done;
    struct link_result got;
};

static struct event_base *base;
static int outstanding;
static struct lf_server good, bad; /* stopped by the group teardown even when a test fails */

struct sbuf {
    char *p;
    size_t len, cap;
};
static size_t sbuf_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sbuf *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n >= b->cap)
        return 0;
    memcpy(b->p + b->len, ptr, n);
    b->len += n;
    b->p[b->len] = '\0';
    return n;
}

/* GET /stats of the test server (a plain blocking request: this is the test, not the loop). */
static void server_stats(int port, const char *cafile, char *out, size_t outlen)
{
    char url[100];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/stats", port);
    struct sbuf b = {.p = out, .cap = outlen};
    out[0] = '\0';
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CAINFO, cafile);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sbuf_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 10000L);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    if (rc != CURLE_OK)
        fail_msg("GET /stats: %s", curl_easy_strerror(rc));
}

static void on_result(const struct link_result *r, void *arg)
{
    struct want *w = arg;
    assert_false(w->done);
    w->done = true;
    w->got = *r;
    if (--outstanding == 0)
        event_base_loopbreak(base);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    event_base_loopbreak(base);
}

static void test_real_servers(void **state)
{
    (void)state;
    char dir[300], cafile[400], cert[400], key[400];
    snprintf(dir, sizeof dir, "%s", t_tmpdir("linkcheck"));
    lf_make_certs(dir);
    snprintf(cafile, sizeof cafile, "%s/ca.pem", dir);
    snprintf(cert, sizeof cert, "%s/srv.pem", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
    char udir[400], ucert[450], ukey[450];
    snprintf(udir, sizeof udir, "%s", t_tmpdir("linkcheck-untrusted"));
    t_make_cert(udir, "untrusted");
    snprintf(ucert, sizeof ucert, "%s/cert.pem", udir);
    snprintf(ukey, sizeof ukey, "%s/key.pem", udir);
    lf_start(&good, dir, "good", cert, key, "4");
    lf_start(&bad, dir, "untrusted", ucert, ukey, "4");
    int closed = lf_closed_port();

#define W(n, u, o, s, g, r)                                                                        \
    {                                                                                              \
        .name = n, .url = u, .ok = o, .status = s, .via_get = g, .reason = r                       \
    }
    struct want w[] = {
        W("ok", "", true, 200, false, ""),
        W("missing", "", false, 404, true, "เซิร์ฟเวอร์ตอบ 404 (ไม่พบหน้า)"),
        W("error", "", false, 500, true, "เซิร์ฟเวอร์ตอบ 500"),
        W("slow", "", false, 0, false, "หมดเวลารอ 2 วินาที"),
        W("loop", "", false, 302, false, "เปลี่ยนเส้นทางเกิน 5 ครั้ง"),
        W("redirect", "", true, 200, false, ""),
        W("nohead", "", true, 200, true, ""),
        W("localhost", "", true, 200, false, ""),
        W("dns", "https://does-not-exist.invalid/", false, 0, false, "ไม่พบชื่อโดเมน (DNS)"),
        W("closed", "", false, 0, false, "เชื่อมต่อไม่ได้"),
        W("untrusted", "", false, 0, false, "ใบรับรอง TLS ไม่ถูกต้อง"),
        W("ftp", "ftp://127.0.0.1/", false, 0, false, "ลิงก์ต้องเป็น http:// หรือ https:// เท่านั้น"),
    };
#undef W
    size_t n = sizeof w / sizeof w[0];
    for (size_t i = 0; i < n; i++) {
        if (w[i].url[0])
            continue;
        if (!strcmp(w[i].name, "localhost"))
            snprintf(w[i].url, sizeof w[i].url, "https://localhost:%d/ok", good.port);
        else if (!strcmp(w[i].name, "closed"))
            snprintf(w[i].url, sizeof w[i].url, "https://127.0.0.1:%d/", closed);
        else if (!strcmp(w[i].name, "untrusted"))
            snprintf(w[i].url, sizeof w[i].url, "https://127.0.0.1:%d/ok", bad.port);
        else
            snprintf(w[i].url, sizeof w[i].url, "https://127.0.0.1:%d/%s", good.port, w[i].name);
    }

    assert_int_equal(link_check_global_init(), 0);
    base = event_base_new();
    struct link_check_config cfg = {.concurrency = 4,
                                    .connect_timeout_ms = 2000,
                                    .timeout_ms = 2000,
                                    .cafile = cafile,
                                    .user_agent = "ita-test",
                                    .allow_private = true};
    struct link_checker *lc = link_checker_new(base, &cfg);
    assert_non_null(lc);
    outstanding = (int)n;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(link_check_url(lc, w[i].url, on_result, &w[i]), 0);
    assert_int_equal(link_checker_pending(lc), n);
    struct event *deadline = evtimer_new(base, on_deadline, NULL);
    struct timeval tv = {.tv_sec = 30};
    evtimer_add(deadline, &tv);
    long long t0 = t_now_ms();
    event_base_dispatch(base);
    long long ms = t_now_ms() - t0;
    printf("%zu URLs checked in %lld ms (4 at once)\n", n, ms);
    for (size_t i = 0; i < n; i++) {
        printf("  %-9s ok=%d status=%d via_get=%d curl=%d reason=\"%s\"\n", w[i].name, w[i].got.ok,
               w[i].got.status, w[i].got.via_get, w[i].got.curl_code, w[i].got.reason);
        if (!w[i].done)
            fail_msg("%s: no verdict within 30 s", w[i].name);
        if (w[i].got.ok != w[i].ok || w[i].got.status != w[i].status ||
            strcmp(w[i].got.reason, w[i].reason) != 0)
            fail_msg("%s: ok=%d status=%d \"%s\", expected ok=%d status=%d \"%s\"", w[i].name,
                     w[i].got.ok, w[i].got.status, w[i].got.reason, w[i].ok, w[i].status,
                     w[i].reason);
        if (w[i].status && w[i].got.via_get != w[i].via_get)
            fail_msg("%s: via_get=%d, expected %d", w[i].name, w[i].got.via_get, w[i].via_get);
    }
    assert_int_equal(link_checker_pending(lc), 0);
    /* the server saw HEAD only for /ok, HEAD then GET for /nohead, 6 HEADs for the loop */
    char stats[4096];
    server_stats(good.port, cafile, stats, sizeof stats);
    assert_non_null(strstr(stats, "HEAD /ok 3\n")); /* /ok, /redirect's target, localhost */
    assert_null(strstr(stats, "GET /ok"));
    assert_non_null(strstr(stats, "HEAD /nohead 1\n"));
    assert_non_null(strstr(stats, "GET /nohead 1\n"));
    assert_non_null(strstr(stats, "HEAD /loop 6\n"));
    /* without allow_private: loopback refused at connect time, by address and by name */
    cfg.allow_private = false;
    struct link_checker *strict = link_checker_new(base, &cfg);
    struct want p[2] = {{.name = "127.0.0.1"}, {.name = "localhost"}};
    snprintf(p[0].url, sizeof p[0].url, "https://127.0.0.1:%d/ok", good.port);
    snprintf(p[1].url, sizeof p[1].url, "https://localhost:%d/redirect", good.port);
    outstanding = 2;
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(link_check_url(strict, p[i].url, on_result, &p[i]), 0);
    tv.tv_sec = 10;
    evtimer_add(deadline, &tv);
    event_base_dispatch(base);
    for (size_t i = 0; i < 2; i++) {
        assert_true(p[i].done);
        assert_false(p[i].got.ok);
        assert_string_equal(p[i].got.reason, "ลิงก์ชี้ไปที่เครือข่ายภายใน ประชาชนทั่วไปเปิดไม่ได้");
    }
    link_checker_free(strict);
    /* freeing the checker with transfers running and queued: no callback, nothing leaks */
    static struct want pending[12];
    outstanding = 100;
    for (size_t i = 0; i < 12; i++) {
        snprintf(pending[i].url, sizeof pending[i].url, "https://127.0.0.1:%d/slow", good.port);
        assert_int_equal(link_check_url(lc, pending[i].url, on_result, &pending[i]), 0);
    }
    tv.tv_sec = 0;
    tv.tv_usec = 300000;
    evtimer_add(deadline, &tv);
    event_base_dispatch(base); /* the first four connect and wait on /slow */
    link_checker_free(lc);
    for (size_t i = 0; i < 12; i++)
        assert_false(pending[i].done);
    event_free(deadline);
    event_base_free(base);
}

static int stop_servers(void **state)
{
    (void)state;
    lf_stop(&good);
    lf_stop(&bad);
    link_check_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_mapping),
        cmocka_unit_test(test_private_addresses),
        cmocka_unit_test(test_real_servers),
    };
    return cmocka_run_group_tests(tests, NULL, stop_servers);
}
