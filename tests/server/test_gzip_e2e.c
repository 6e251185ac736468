/* Compressed respondent pages end to end (issue #20): the real itad over real TLS. A client that
 * accepts gzip gets the form gzip-coded with Vary: Accept-Encoding, and it inflates (zlib, the
 * gzip program, curl --compressed) to the identity page but for the form token; two requests get
 * different tokens and both inflate; gzip;q=0 gets identity (also on a second header line); HEAD's
 * Content-Length is the gzip body's; a form token from a compressed page submits (the thank-you
 * page, compressed too); personal links (two people's, from one cached entry) and status pages as
 * well. Prints the EIT and IIT forms'
 * bytes on the wire before and after, and holds the EIT form to 8 KB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "secret.h"
#include "survey_fixture.h"
#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static struct secret secret;
static struct ita_version *v;
static char eit_slug[32], iit_slug[32];
static int iit_link_id;

static char raw[1 << 20];
static size_t raw_len;     /* bytes of the last body */
static size_t head_len;    /* bytes of the last head, with its blank line */
static char page[1 << 21]; /* the last body, inflated when it was gzip-coded */
static size_t page_len;

static void make_link(const char *instrument, char *out, int *id)
{
    assert_true(secret_random_b64url(16, out));
    char q[1024];
    snprintf(q, sizeof q,
             "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, "
             "closes_at) SELECT id, 2566, '%s', '%s', now() - interval '1 day', "
             "now() + interval '30 days' FROM agency WHERE code = 'G1' RETURNING id",
             instrument, out);
    const char *got = t_db_value(conninfo, q);
    assert_non_null(got);
    if (id)
        *id = atoi(got);
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_gzip"));
    const char *extra[] = {"--workers=2", "--rate-ip-per-min=100000", "--rate-ip-burst=1000", NULL};
    t_server_start(&srv, port, conninfo, extra);
    if (fx_load_instrument_and_secret(conninfo, srv.dir, &v, &secret) != 0)
        return -1;
    if (!t_db_value(conninfo, "INSERT INTO agency (code, name_th) VALUES ('G1', "
                              "'เทศบาลตำบลบีบอัด') RETURNING 1"))
        return -1;
    make_link("EIT", eit_slug, NULL);
    make_link("IIT", iit_slug, &iit_link_id);
    return 0;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return t_server_stop(&srv, SIGTERM, 15000) == 0 ? 0 : -1;
}

/* The value of header name in the last response's head (static), or NULL. */
static const char *header(const char *name)
{
    static char val[512];
    const char *h = t_last_headers();
    size_t n = strlen(name);
    for (const char *p = h; p; p = strstr(p, "\r\n")) {
        if (*p == '\r')
            p += 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *s = p + n + 1;
            while (*s == ' ')
                s++;
            size_t l = strcspn(s, "\r");
            snprintf(val, sizeof val, "%.*s", (int)l, s);
            return val;
        }
    }
    return NULL;
}

static bool gzip_coded(void)
{
    const char *ce = header("Content-Encoding");
    return ce && strcmp(ce, "gzip") == 0;
}

/* Inflates raw into page (zlib checks CRC-32 and ISIZE); fails the test on any error. */
static void inflate_raw(void)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    zs.next_in = (Bytef *)raw;
    zs.avail_in = (uInt)raw_len;
    zs.next_out = (Bytef *)page;
    zs.avail_out = sizeof page - 1;
    int rc = inflate(&zs, Z_FINISH);
    if (rc != Z_STREAM_END)
        fail_msg("inflate: %d (%s)", rc, zs.msg ? zs.msg : "");
    assert_int_equal(zs.avail_in, 0);
    page_len = sizeof page - 1 - zs.avail_out;
    page[page_len] = '\0';
    inflateEnd(&zs);
}

/* One request on a fresh connection with an Accept-Encoding line when ae is set; the body lands
 * in raw and, inflated when gzip-coded, in page. Returns the status. */
static int request(const char *method, const char *path, const char *ae, const char *body)
{
    struct t_conn c;
    if (!t_connect(&c, port, NULL, 0))
        return -1;
    char head[2048];
    size_t blen = body ? strlen(body) : 0;
    int n =
        snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: localhost:%d\r\n", method, path, port);
    if (ae)
        n += snprintf(head + n, sizeof head - (size_t)n, "Accept-Encoding: %s\r\n", ae);
    if (body)
        n += snprintf(head + n, sizeof head - (size_t)n,
                      "Origin: https://localhost:%d\r\n"
                      "Content-Type: application/x-www-form-urlencoded\r\n",
                      port);
    n += snprintf(head + n, sizeof head - (size_t)n,
                  "Content-Length: %zu\r\nConnection: close\r\n\r\n", blen);
    int st = -1;
    if (t_send(&c, head, (size_t)n) && (!blen || t_send(&c, body, blen)))
        st = t_read_response(&c, raw, sizeof raw, 15000);
    t_close(&c);
    if (st < 0)
        return st;
    const char *cl = header("Content-Length");
    raw_len = cl ? strtoul(cl, NULL, 10) : 0;
    head_len = strlen(t_last_headers()) + 4;
    if (gzip_coded()) {
        inflate_raw();
    } else {
        memcpy(page, raw, raw_len);
        page_len = raw_len;
        page[page_len] = '\0';
    }
    return st;
}

/* The page with the form token's value cut out (static copy); *token gets the value. */
static char *without_token(const char *p, size_t len, char *token, size_t token_len)
{
    static char out[2][1 << 21];
    static int which;
    char *o = out[which ^= 1];
    static const char mark[] = "name=\"f\" value=\"";
    const char *at = strstr(p, mark);
    assert_non_null(at);
    at += sizeof mark - 1;
    const char *end = strchr(at, '"');
    assert_non_null(end);
    snprintf(token, token_len, "%.*s", (int)(end - at), at);
    size_t before = (size_t)(at - p);
    memcpy(o, p, before);
    memcpy(o + before, end, len - (size_t)(end - p));
    o[before + len - (size_t)(end - p)] = '\0';
    return o;
}

/* Fetches path gzip-coded (twice) and as identity; checks that all three are the same page but
 * for the token, that the tokens differ, and returns the wire bytes (head + body) of each. */
static void check_form(const char *path, size_t *wire_gzip, size_t *wire_plain)
{
    char t1[128], t2[128], t3[128];
    assert_int_equal(request("GET", path, "gzip, deflate, br", NULL), 200);
    assert_true(gzip_coded());
    assert_non_null(header("Vary"));
    assert_string_equal(header("Vary"), "Accept-Encoding");
    *wire_gzip = head_len + raw_len;
    static char first[1 << 21];
    size_t first_len = page_len;
    memcpy(first, page, page_len + 1);
    char *a = without_token(first, first_len, t1, sizeof t1);

    /* HEAD: the same headers, the gzip body's length, no body */
    struct t_conn c;
    assert_true(t_connect(&c, port, NULL, 0));
    char h[512];
    int n = snprintf(h, sizeof h,
                     "HEAD %s HTTP/1.1\r\nHost: localhost:%d\r\nAccept-Encoding: gzip\r\n"
                     "Connection: close\r\n\r\n",
                     path, port);
    assert_true(t_send(&c, h, (size_t)n));
    long clen = -1;
    assert_int_equal(t_read_head_response(&c, &clen, 15000), 200);
    t_close(&c);
    assert_true(gzip_coded());
    assert_int_equal(clen, (long)(*wire_gzip - head_len));

    assert_int_equal(request("GET", path, "gzip", NULL), 200);
    assert_true(gzip_coded());
    char *b = without_token(page, page_len, t2, sizeof t2);
    assert_string_equal(a, b);
    assert_string_not_equal(t1, t2); /* each request its own token, both inflate */

    assert_int_equal(request("GET", path, NULL, NULL), 200);
    assert_false(gzip_coded());
    assert_string_equal(header("Vary"), "Accept-Encoding"); /* the identity variant too */
    *wire_plain = head_len + raw_len;
    char *i = without_token(page, page_len, t3, sizeof t3);
    assert_string_equal(a, i); /* the inflated page is the identity page but for the token */
    assert_true(strlen(t1) > 20);
}

static void test_forms_compressed(void **state)
{
    char path[64];
    size_t eit_gz, eit_plain, iit_gz, iit_plain;
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    check_form(path, &eit_gz, &eit_plain);
    snprintf(path, sizeof path, "/s/%s", iit_slug);
    check_form(path, &iit_gz, &iit_plain);
    /* the figure of issue #20: bytes on the wire (HTTP head + body, before TLS framing) */
    printf("wire bytes: EIT form %zu -> %zu (gzip), IIT form %zu -> %zu (gzip)\n", eit_plain,
           eit_gz, iit_plain, iit_gz);
    assert_true(eit_gz <= 8192);
    assert_true(eit_gz * 3 < eit_plain);
    assert_true(iit_gz * 4 < iit_plain);
}

/* The gzip program inflates what the server sent, and curl --compressed reads it. */
static void test_other_clients(void **state)
{
    char path[64], cmd[4096], out[1 << 16];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    assert_int_equal(request("GET", path, "gzip", NULL), 200);
    assert_true(gzip_coded());
    char file[512];
    snprintf(file, sizeof file, "%s/eit.gz", t_tmpdir("gzip"));
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(raw, 1, raw_len, f), raw_len);
    fclose(f);
    snprintf(cmd, sizeof cmd, "gzip -dc < '%s' | cmp - '%s.txt' && echo same", file, file);
    snprintf(out, sizeof out, "%s.txt", file);
    f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(page, 1, page_len, f), page_len);
    fclose(f);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_string_equal(out, "same\n");
    snprintf(cmd, sizeof cmd,
             "curl -sk --compressed -o '%s.curl' -w '%%{http_code} %%{size_download}\\n' "
             "https://localhost:%d%s && grep -c 'lang=\"th\"' '%s.curl'",
             file, port, path, file);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    int code = 0;
    size_t got = 0;
    assert_int_equal(sscanf(out, "%d %zu", &code, &got), 2);
    assert_int_equal(code, 200);
    assert_true(got > 0 && got < 8192); /* what curl downloaded: the compressed body */
}

static void test_refused_gzip_gets_identity(void **state)
{
    char path[64];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    static const char *const refusals[] = {"gzip;q=0", "gzip;q=0, identity", "br, deflate", "*;q=0",
                                           "gzip;q=0.5, identity;q=1"};
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        assert_int_equal(request("GET", path, refusals[i], NULL), 200);
        assert_false(gzip_coded());
        assert_string_equal(header("Vary"), "Accept-Encoding");
        assert_non_null(strstr(page, "<!doctype html>"));
    }
    assert_int_equal(request("GET", path, "gzip;q=0.2", NULL), 200);
    assert_true(gzip_coded());
    /* two Accept-Encoding lines are one list */
    assert_int_equal(request("GET", path, "deflate\r\nAccept-Encoding: gzip", NULL), 200);
    assert_true(gzip_coded());
    assert_int_equal(request("GET", path, "gzip\r\nAccept-Encoding: gzip;q=0", NULL), 200);
    assert_false(gzip_coded());
}

/* urlencoded answers for instrument k with the form token: every field at level 0. */
static char *answers(enum ita_instrument k, const char *token)
{
    static char body[8192];
    int n = snprintf(body, sizeof body, "f=%s", token);
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    for (size_t i = 0; i < v->surveys[k].n_fields; i++)
        n += snprintf(body + n, sizeof body - (size_t)n, "&%s=0", v->field_list[first + i]->code);
    return body;
}

static void test_submit_from_compressed_form(void **state)
{
    char path[64], token[128];
    snprintf(path, sizeof path, "/s/%s", eit_slug);
    assert_int_equal(request("GET", path, "gzip, deflate, br", NULL), 200);
    assert_true(gzip_coded());
    without_token(page, page_len, token, sizeof token);
    assert_int_equal(request("POST", path, "gzip, deflate, br", answers(ITA_EIT, token)), 200);
    assert_true(gzip_coded()); /* the thank-you page, compressed (no secret in it) */
    assert_string_equal(header("Vary"), "Accept-Encoding");
    assert_non_null(strstr(page, "ขอบคุณ"));
    /* a form with a missing answer: the same page again with the answers kept, compressed */
    assert_int_equal(request("GET", path, "gzip", NULL), 200);
    without_token(page, page_len, token, sizeof token);
    char *body = answers(ITA_EIT, token);
    *strrchr(body, '&') = '\0';
    assert_int_equal(request("POST", path, "gzip", body), 422);
    assert_true(gzip_coded());
    assert_non_null(strstr(page, "ยังตอบไม่ครบ"));
}

static void test_personal_and_status_pages(void **state)
{
    char tok[64], path[96], t1[128], t2[128];
    fx_issue_token(conninfo, &secret, iit_link_id, tok);
    snprintf(path, sizeof path, "/t/%s", tok);
    assert_int_equal(request("GET", path, "gzip", NULL), 200);
    assert_true(gzip_coded());
    size_t gz = raw_len;
    static char a[1 << 21];
    snprintf(a, sizeof a, "%s", without_token(page, page_len, t1, sizeof t1));
    assert_int_equal(request("GET", path, NULL, NULL), 200);
    assert_false(gzip_coded());
    assert_string_equal(a, without_token(page, page_len, t2, sizeof t2));
    assert_true(gz * 4 < raw_len);
    /* another person's link: the same cached entry, deflated with the first link's address and
     * token lengths as history (gz_piece_init_after), still gzip-coded and right */
    char tok2[64], path2[96];
    fx_issue_token(conninfo, &secret, iit_link_id, tok2);
    snprintf(path2, sizeof path2, "/t/%s", tok2);
    assert_int_equal(request("GET", path2, "gzip", NULL), 200);
    assert_true(gzip_coded());
    assert_true(raw_len <= gz + 8);
    snprintf(a, sizeof a, "%s", without_token(page, page_len, t1, sizeof t1));
    assert_non_null(strstr(a, path2));
    assert_null(strstr(a, path));
    assert_int_equal(request("GET", path2, NULL, NULL), 200);
    assert_false(gzip_coded());
    assert_string_equal(a, without_token(page, page_len, t1, sizeof t1));
    assert_int_equal(request("POST", path, "gzip", answers(ITA_IIT, t2)), 200);
    assert_true(gzip_coded());
    assert_non_null(strstr(page, "ขอบคุณ"));
    /* used once: the "already answered" status page, compressed and with Vary */
    assert_int_equal(request("GET", path, "gzip", NULL), 409);
    assert_true(gzip_coded());
    assert_string_equal(header("Vary"), "Accept-Encoding");
    assert_non_null(strstr(page, "lang=\"th\""));
    /* an unknown link */
    assert_int_equal(request("GET", "/s/AAAAAAAAAAAAAAAAAAAAAA", "gzip", NULL), 404);
    assert_true(gzip_coded());
    assert_non_null(strstr(page, "ไม่พบแบบสำรวจ"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_compressed),
        cmocka_unit_test(test_other_clients),
        cmocka_unit_test(test_refused_gzip_gets_identity),
        cmocka_unit_test(test_submit_from_compressed_form),
        cmocka_unit_test(test_personal_and_status_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
