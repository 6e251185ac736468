/* Unit tests for the HTTP/1.1 request-head parser: what it accepts, every rejection and the
 * status it maps to, and a seeded mutation run that must never crash or read out of bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/http_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct http_limits lim = {
    .max_head_bytes = 1024, .max_target_bytes = 256, .max_body_bytes = 1000};

static enum http_parse_result parse(const char *s, struct http_request_head *h,
                                    struct http_parse_error *e)
{
    return http_parse_request_head(s, strlen(s), &lim, h, e);
}

static int status_of(const char *s)
{
    struct http_request_head h;
    struct http_parse_error e = {0};
    enum http_parse_result r = parse(s, &h, &e);
    if (r == HTTP_PARSE_DONE)
        return 0;
    if (r == HTTP_PARSE_INCOMPLETE)
        return 1;
    return e.status;
}

static void test_simple_get(void **state)
{
    struct http_request_head h;
    struct http_parse_error e;
    const char *req = "GET /healthz?x=1 HTTP/1.1\r\nHost: a\r\nUser-Agent:  t  \r\n\r\nEXTRA";
    assert_int_equal(parse(req, &h, &e), HTTP_PARSE_DONE);
    assert_int_equal(h.method, HTTP_GET);
    assert_int_equal(h.target_len, strlen("/healthz?x=1"));
    assert_memory_equal(h.target, "/healthz?x=1", h.target_len);
    assert_int_equal(h.version_minor, 1);
    assert_true(h.keep_alive);
    assert_int_equal(h.content_length, 0);
    assert_int_equal(h.head_len, strlen(req) - strlen("EXTRA"));
    const struct http_header *ua = http_head_find(&h, "user-agent");
    assert_non_null(ua);
    assert_int_equal(ua->value_len, 1); /* surrounding whitespace trimmed */
    assert_memory_equal(ua->value, "t", 1);
    assert_null(http_head_find(&h, "cookie"));
}

static void test_post_body_and_connection(void **state)
{
    struct http_request_head h;
    struct http_parse_error e;
    assert_int_equal(
        parse("POST /s HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nConnection: close\r\n\r\n", &h,
              &e),
        HTTP_PARSE_DONE);
    assert_int_equal(h.method, HTTP_POST);
    assert_int_equal(h.content_length, 12);
    assert_false(h.keep_alive);
    /* HTTP/1.0 closes unless it asks for keep-alive */
    assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n", &h, &e), HTTP_PARSE_DONE);
    assert_false(h.keep_alive);
    assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &h, &e),
                     HTTP_PARSE_DONE);
    assert_true(h.keep_alive);
    /* identical repeated Content-Length is tolerated */
    assert_int_equal(
        parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", &h,
              &e),
        HTTP_PARSE_DONE);
    assert_int_equal(h.content_length, 5);
    assert_int_equal(
        parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n", &h,
              &e),
        HTTP_PARSE_DONE);
    assert_true(h.expect_continue);
}

/* A request head and what status_of says about it. */
struct parse_case {
    const char *head;
    int status; /* 0 complete, 1 incomplete, else the error status */
};

static void check_cases(const struct parse_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (status_of(c[i].head) != c[i].status)
            fail_msg("case %zu: status %d, expected %d", i, status_of(c[i].head), c[i].status);
}

static void test_incomplete(void **state)
{
    static const struct parse_case cases[] = {
        {"", 1},
        {"GET", 1},
        {"GET / HTTP/1.1\r\n", 1},
        {"GET / HTTP/1.1\r\nHost: a\r\n", 1},
        {"GET / HTTP/1.1\r\nHost: a\r\n\r", 1},
        /* leading empty lines are allowed */
        {"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 0},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_rejections(void **state)
{
    static const struct parse_case cases[] = {
        {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
        {"BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 501},
        {"GET / HTTP/1.1\nHost: a\n\n", 400},                  /* bare LF */
        {"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400}, /* obs-fold */
        {"GET / HTTP/1.1\r\n\r\n", 400},                       /* no Host */
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: a\001b\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400},
        {"GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n", 400}, /* absolute-form */
        {"GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", 413},
        {"POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417},
        {"\x16\x03\x01\x02", 400}, /* a TLS hello on the wrong port */
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_size_limits(void **state)
{
    /* a request line longer than the target limit → 414, even before its end arrives */
    char *line = malloc(2000);
    strcpy(line, "GET /");
    memset(line + 5, 'a', 600);
    line[605] = '\0';
    assert_int_equal(status_of(line), 414);
    strcat(line, " HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_int_equal(status_of(line), 414);
    /* headers beyond max_head_bytes → 431, complete or not */
    strcpy(line, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ");
    size_t l = strlen(line);
    memset(line + l, 'b', 1100);
    line[l + 1100] = '\0';
    assert_int_equal(status_of(line), 431);
    strcat(line, "\r\n\r\n");
    assert_int_equal(status_of(line), 431);
    free(line);
    /* too many header fields → 431 */
    char many[4096] = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < HTTP_MAX_HEADERS; i++)
        strcat(many, "A: b\r\n");
    strcat(many, "\r\n");
    struct http_limits big = lim;
    big.max_head_bytes = sizeof many;
    struct http_request_head h;
    struct http_parse_error e;
    assert_int_equal(http_parse_request_head(many, strlen(many), &big, &h, &e), HTTP_PARSE_ERROR);
    assert_int_equal(e.status, 431);
}

/* Byte-at-a-time arrival gives the same answer as all at once. */
static void test_incremental(void **state)
{
    const char *req = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
    size_t n = strlen(req);
    struct http_request_head h;
    struct http_parse_error e;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(http_parse_request_head(req, i, &lim, &h, &e), HTTP_PARSE_INCOMPLETE);
    assert_int_equal(http_parse_request_head(req, n, &lim, &h, &e), HTTP_PARSE_DONE);
    assert_int_equal(h.head_len, n);
}

/* Seeded mutations of valid requests: every result is consistent and nothing reads past the
 * buffer (each input is an exact-size heap copy, so ASan sees any overrun). */
static void test_mutations(void **state)
{
    static const char *seeds[] = {
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "POST /s/abc HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: keep-alive\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: close\r\nX: y\r\n\r\n",
    };
    uint32_t rng = 12345;
    for (int iter = 0; iter < 200000; iter++) {
        const char *seed = seeds[iter % 3];
        size_t n = strlen(seed);
        char *buf = malloc(n + 8);
        memcpy(buf, seed, n);
        int muts = 1 + (int)(rng % 4);
        for (int m = 0; m < muts && n > 0; m++) {
            rng = rng * 1103515245u + 12345u;
            size_t pos = (rng >> 8) % n;
            rng = rng * 1103515245u + 12345u;
            switch ((rng >> 16) % 3) {
            case 0:
                buf[pos] = (char)(rng >> 24);
                break;
            case 1:
                n = pos;
                break; /* truncate */
            default:
                buf[pos] = "\r\n :\0\t"[(rng >> 20) % 6];
                break;
            }
        }
        char *exact = malloc(n ? n : 1);
        memcpy(exact, buf, n);
        struct http_request_head h;
        struct http_parse_error e = {0};
        enum http_parse_result r = http_parse_request_head(exact, n, &lim, &h, &e);
        if (r == HTTP_PARSE_DONE) {
            assert_true(h.head_len <= n);
            assert_true(h.target >= exact && h.target + h.target_len <= exact + n);
        } else if (r == HTTP_PARSE_ERROR) {
            assert_true(e.status >= 400 && e.status <= 505);
            assert_non_null(e.message);
        }
        free(exact);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_get),  cmocka_unit_test(test_post_body_and_connection),
        cmocka_unit_test(test_incomplete),  cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_size_limits), cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
