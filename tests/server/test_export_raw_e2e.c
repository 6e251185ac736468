/* The raw anonymous-response export on the real server and the real database: scope (an agency
 * administrator gets 404 for another agency, like every admin route), the exact file for a small
 * set of responses (day only, columns from the instrument version, sorted by content), the same
 * file for an API token and for an HTTP/1.0 client, HEAD, the audit_log row completed with the
 * row count and the file's SHA-256, 1,000,000 rows streamed completely with itad's peak memory
 * and rows/s printed (and bounded outside sanitizer builds), and clients that stop reading or
 * leave midway: no crash, no leak (the ASan build checks at exit), the export's backend gone;
 * and a backend that dies midway gives a truncated transfer, not a short file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "testlib.h"

#include <libpq-fe.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define BIG_ROWS 1000000

static struct t_server srv;
static int port;
static char conninfo[512];
static char agency_a[16], agency_b[16], agency_big[16];
static char cookie_sys[64], cookie_a[64], token_sys[64];
static struct ita_version *v;
static char page[1 << 16];

/* ---- a client that reads a chunked (or close-delimited) response as it comes ---- */

struct reader {
    struct t_conn c;
    char buf[1 << 16];
    size_t pos, len;
};

static int rd_fill(struct reader *r)
{
    if (r->pos == r->len)
        r->pos = r->len = 0;
    if (r->len == sizeof r->buf) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    int n = SSL_read(r->c.ssl, r->buf + r->len, (int)(sizeof r->buf - r->len));
    if (n <= 0)
        return 0;
    r->len += (size_t)n;
    return n;
}

/* One line without its CRLF into out; false on end of stream. */
static bool rd_line(struct reader *r, char *out, size_t outlen)
{
    for (;;) {
        char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        if (nl) {
            size_t n = (size_t)(nl - (r->buf + r->pos));
            size_t m = n > 0 && nl[-1] == '\r' ? n - 1 : n;
            snprintf(out, outlen, "%.*s", (int)m, r->buf + r->pos);
            r->pos += n + 1;
            return true;
        }
        if (rd_fill(r) == 0)
            return false;
    }
}

struct result {
    int status;
    char headers[4096];
    bool complete; /* the terminating chunk arrived (or, HTTP/1.0, the connection ended) */
    size_t bytes;  /* body bytes */
    size_t lines;  /* CRLF-terminated lines of the body */
    char *body;    /* the body when small enough (malloc'd), else NULL */
    size_t body_cap;
    unsigned char sha[32];
    long peak_rss_kb;        /* itad's largest VmRSS seen while reading */
    long long first_byte_ms; /* when the first body byte arrived (t_now_ms) */
};

static long proc_kb(const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)srv.pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kb = -1;
    size_t fl = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, fl) == 0 && line[fl] == ':')
            kb = strtol(line + fl + 1, NULL, 10);
    fclose(f);
    return kb;
}

static void sink(struct result *res, EVP_MD_CTX *sha, const char *p, size_t n)
{
    if (res->bytes == 0)
        res->first_byte_ms = t_now_ms();
    EVP_DigestUpdate(sha, p, n);
    for (size_t i = 0; i < n; i++)
        res->lines += p[i] == '\n';
    if (res->body && res->bytes + n < res->body_cap) {
        memcpy(res->body + res->bytes, p, n);
        res->body[res->bytes + n] = '\0';
    } else if (res->body) {
        free(res->body);
        res->body = NULL;
    }
    res->bytes += n;
}

/* Takes n body bytes; stop_after > 0 stops (returns false) once that many were read. */
static bool take_bytes(struct reader *r, struct result *res, EVP_MD_CTX *sha, size_t n,
                       size_t stop_after)
{
    while (n > 0) {
        if (r->pos == r->len && rd_fill(r) == 0)
            return false;
        size_t k = r->len - r->pos < n ? r->len - r->pos : n;
        sink(res, sha, r->buf + r->pos, k);
        r->pos += k;
        n -= k;
        if ((res->bytes >> 20) != ((res->bytes - k) >> 20)) { /* every MiB */
            long rss = proc_kb("VmRSS");
            if (rss > res->peak_rss_kb)
                res->peak_rss_kb = rss;
        }
        if (stop_after && res->bytes >= stop_after)
            return false;
    }
    return true;
}

static void read_body(struct reader *r, struct result *res, EVP_MD_CTX *sha, bool chunked,
                      size_t stop_after)
{
    char line[256];
    if (!chunked) {
        for (;;) {
            if (r->pos == r->len && rd_fill(r) == 0) {
                res->complete = true;
                return;
            }
            if (!take_bytes(r, res, sha, r->len - r->pos, stop_after))
                return;
        }
    }
    for (;;) {
        if (!rd_line(r, line, sizeof line))
            return;
        char *end;
        unsigned long n = strtoul(line, &end, 16);
        assert_true(end != line);
        if (n == 0) {
            assert_true(rd_line(r, line, sizeof line));
            assert_string_equal(line, ""); /* no trailers */
            res->complete = true;
            return;
        }
        if (!take_bytes(r, res, sha, n, stop_after))
            return;
        assert_true(rd_line(r, line, sizeof line));
        assert_string_equal(line, "");
    }
}

/* GET path as a cookie or a token holder; reads the whole response unless stop_after > 0, then
 * pause_ms is waited (not reading) and the connection is dropped. */
static struct result fetch(const char *method, const char *path, const char *cookie,
                           const char *token, int http_minor, size_t stop_after, int pause_ms)
{
    struct result res = {0};
    res.body_cap = 1 << 20;
    res.body = calloc(1, res.body_cap);
    struct reader *r = calloc(1, sizeof *r);
    assert_true(t_connect(&r->c, port, NULL, 0));
    struct timeval tv = {300, 0}; /* the first row comes after PostgreSQL's sort */
    setsockopt(r->c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char head[1024];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.%d\r\nHost: localhost:%d\r\n", method, path,
                     http_minor, port);
    if (cookie)
        n += snprintf(head + n, sizeof head - (size_t)n, "Cookie: ita_admin=%s\r\n", cookie);
    if (token)
        n += snprintf(head + n, sizeof head - (size_t)n, "Authorization: Bearer %s\r\n", token);
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    assert_true(t_send(&r->c, head, (size_t)n));
    char line[1024];
    size_t hl = 0;
    assert_true(rd_line(r, line, sizeof line));
    assert_int_equal(sscanf(line, "HTTP/1.1 %d", &res.status), 1);
    long clen = -1;
    bool chunked = false;
    while (rd_line(r, line, sizeof line) && line[0]) {
        hl += (size_t)snprintf(res.headers + hl, sizeof res.headers - hl, "%s\n", line);
        if (strncasecmp(line, "Content-Length:", 15) == 0)
            clen = strtol(line + 15, NULL, 10);
        if (strcasecmp(line, "Transfer-Encoding: chunked") == 0)
            chunked = true;
    }
    EVP_MD_CTX *sha = EVP_MD_CTX_new();
    EVP_DigestInit_ex(sha, EVP_sha256(), NULL);
    if (strcmp(method, "HEAD") == 0) {
        res.complete = true;
    } else if (clen >= 0) {
        res.complete = take_bytes(r, &res, sha, (size_t)clen, 0);
    } else {
        read_body(r, &res, sha, chunked, stop_after);
    }
    if (stop_after && pause_ms > 0) {
        long peak = 0;
        for (int i = 0; i < pause_ms / 50; i++) {
            usleep(50 * 1000);
            long rss = proc_kb("VmRSS");
            peak = rss > peak ? rss : peak;
        }
        res.peak_rss_kb = peak;
    }
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(sha, res.sha, &mdlen);
    EVP_MD_CTX_free(sha);
    if (stop_after) { /* leave abruptly: no close_notify, a reset if data is still unread */
        struct linger lg = {1, 0};
        setsockopt(r->c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        close(r->c.fd);
        r->c.fd = -1;
        SSL_free(r->c.ssl);
        SSL_CTX_free(r->c.ctx);
    } else {
        t_close(&r->c);
    }
    free(r);
    return res;
}

static void sha_hex(const unsigned char *md, char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- set-up ---- */

static void exec_sql(const char *sql)
{
    t_db_exec(conninfo, sql, 0, NULL);
}

static void make_admin(const char *email, const char *role, const char *agency_id)
{
    t_make_admin(conninfo, email, role, agency_id);
}

static void login(const char *email, char *cookie)
{
    t_admin_login(port, email, cookie, page, sizeof page);
}

/* The tallies of what is in `response`, sealed (as ita_rollup leaves a group whose window has
 * closed): the export gives only rows of sealed groups with at least k (1 in this server). The
 * counts are left empty: the export does not read them. */
static void seal_all(void)
{
    exec_sql(
        "INSERT INTO response_tally (agency_id, fiscal_year, instrument, responses, counts,"
        " sealed) SELECT agency_id, fiscal_year, instrument, count(*), '{}', true FROM response"
        " GROUP BY 1, 2, 3 ON CONFLICT (fiscal_year, agency_id, instrument) DO UPDATE"
        " SET responses = excluded.responses, sealed = true");
}

/* A stored response (straight into `response`, as ita_rollup leaves it): every field at
 * `level`, except the first at `first`. */
static void stored(const char *agency, enum ita_instrument k, const char *day, int first, int level)
{
    size_t n = v->surveys[k].n_fields;
    char hex[2 * 1000 + 1] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", i == 0 ? first : level);
    char q[3000];
    snprintf(q, sizeof q,
             "INSERT INTO response (agency_id, fiscal_year, instrument, answers, received_on) "
             "VALUES (%s, 2566, '%s', '\\x%s'::bytea, '%s')",
             agency, ita_instrument_code(k), hex, day);
    exec_sql(q);
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_export_raw"));
    const char *extra[] = {"--workers=2", "--rollup-interval-ms=0", "--write-timeout-ms=4000",
                           "--results-min-responses=1", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char path[512];
    if (t_load_instruments(conninfo, "2566", path, sizeof path) != 0)
        return -1;
    char *err = NULL;
    v = ita_version_load_file(path, &err);
    if (!v)
        return -1;
    snprintf(
        agency_a, sizeof agency_a, "%s",
        t_db_value(conninfo,
                   "INSERT INTO agency (code, name_th) VALUES ('A1', 'เทศบาลเอ') RETURNING id"));
    snprintf(
        agency_b, sizeof agency_b, "%s",
        t_db_value(conninfo,
                   "INSERT INTO agency (code, name_th) VALUES ('B2', 'เทศบาลบี') RETURNING id"));
    snprintf(
        agency_big, sizeof agency_big, "%s",
        t_db_value(conninfo,
                   "INSERT INTO agency (code, name_th) VALUES ('BIG', 'กรมใหญ่') RETURNING id"));
    stored(agency_a, ITA_IIT, "2023-02-03", 1, 0);
    stored(agency_a, ITA_IIT, "2023-02-01", 1, 1);
    stored(agency_a, ITA_EIT, "2023-02-02", 0, 0);
    stored(agency_b, ITA_IIT, "2023-02-05", 0, 0);
    seal_all();
    make_admin("sys@example.go.th", "system", "NULL");
    make_admin("a@example.go.th", "agency", agency_a);
    login("sys%40example.go.th", cookie_sys);
    login("a%40example.go.th", cookie_a);
    return t_create_api_token(conninfo, srv.dir, "sys@example.go.th", token_sys, sizeof token_sys);
}

static int teardown(void **state)
{
    ita_version_free(v);
    return t_server_stop(&srv, SIGTERM, 20000) == 0 ? 0 : -1;
}

/* ---- the expected file, written here by hand ---- */

static void expect_header(char *out, size_t len, bool iit, bool eit)
{
    size_t o = (size_t)snprintf(out, len,
                                "\xEF\xBB\xBF"
                                "agency_code,fiscal_year,instrument,counted_on");
    for (size_t i = 0; i < v->n_fields; i++) {
        bool is_iit = i < v->surveys[ITA_IIT].n_fields;
        if ((is_iit && iit) || (!is_iit && eit))
            o += (size_t)snprintf(out + o, len - o, ",%s", v->field_list[i]->code);
    }
    snprintf(out + o, len - o, "\r\n");
}

/* A row: code, instrument k, day, first field's level, the others' level. */
static void expect_row(char *out, size_t len, const char *code, enum ita_instrument k,
                       const char *day, int first, int level, bool iit_cols, bool eit_cols)
{
    size_t o = strlen(out);
    o += (size_t)snprintf(out + o, len - o, "%s,2566,%s,%s", code, ita_instrument_code(k), day);
    for (int s = 0; s < 2; s++) {
        if ((s == ITA_IIT && !iit_cols) || (s == ITA_EIT && !eit_cols))
            continue;
        for (size_t i = 0; i < v->surveys[s].n_fields; i++)
            o += (size_t)snprintf(out + o, len - o, s == (int)k ? ",%d" : ",",
                                  i == 0 ? first : level);
    }
    snprintf(out + o, len - o, "\r\n");
}

static void free_result(struct result *r)
{
    free(r->body);
    r->body = NULL;
}

/* ---- tests ---- */

/* GET path with the cookie (NULL: nobody signed in) answers status. */
static void expect_status(const char *path, const char *cookie, int status)
{
    struct result r = fetch("GET", path, cookie, NULL, 1, 0, 0);
    assert_int_equal(r.status, status);
    free_result(&r);
}

static void test_scope(void **state)
{
    char path[128];
    /* an agency administrator: another agency and a missing one answer the same 404 */
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_b);
    struct result r = fetch("GET", path, cookie_a, NULL, 1, 0, 0);
    assert_int_equal(r.status, 404);
    static char other[1 << 16];
    snprintf(other, sizeof other, "%s", r.body);
    free_result(&r);
    r = fetch("GET", "/admin/export-raw?year=2566&agency=999999", cookie_a, NULL, 1, 0, 0);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, other);
    free_result(&r);
    /* its own agency, named or not: only its rows */
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_a);
    r = fetch("GET", path, cookie_a, NULL, 1, 0, 0);
    assert_int_equal(r.status, 200);
    assert_true(r.complete);
    assert_int_equal(r.lines, 1 + 3);
    struct result all = fetch("GET", "/admin/export-raw?year=2566", cookie_a, NULL, 1, 0, 0);
    assert_int_equal(all.status, 200);
    assert_string_equal(all.body, r.body);
    assert_null(strstr(all.body, "B2,"));
    free_result(&all);
    free_result(&r);
    /* the system administrator: another agency, and every agency */
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_b);
    r = fetch("GET", path, cookie_sys, NULL, 1, 0, 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.lines, 1 + 1);
    free_result(&r);
    /* bad requests, a year without an instrument version, nobody signed in */
    expect_status("/admin/export-raw?year=99", cookie_sys, 400);
    expect_status("/admin/export-raw?year=2566&instrument=OIT", cookie_sys, 400);
    expect_status("/admin/export-raw?year=2567", cookie_sys, 404);
    expect_status("/admin/export-raw?year=2566", NULL, 303);
}

static void test_content(void **state)
{
    static char want[1 << 16];
    char path[128];
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s&keys=en", agency_a);
    struct result r = fetch("GET", path, cookie_sys, NULL, 1, 0, 0);
    assert_int_equal(r.status, 200);
    assert_true(r.complete);
    assert_non_null(strstr(r.headers, "Transfer-Encoding: chunked"));
    assert_null(strstr(r.headers, "Content-Length"));
    assert_non_null(strstr(r.headers, "Content-Type: text/csv; charset=utf-8"));
    assert_non_null(
        strstr(r.headers, "Content-Disposition: attachment; filename=\"ita-2566-A1-raw.csv\""));
    assert_non_null(strstr(r.headers, "X-ITA-Export-Id: "));
    /* sorted by content (agency, instrument, day, answers): EIT before IIT, then by day; the day
     * only, nothing else */
    expect_header(want, sizeof want, true, true);
    expect_row(want, sizeof want, "A1", ITA_EIT, "2023-02-02", 0, 0, true, true);
    expect_row(want, sizeof want, "A1", ITA_IIT, "2023-02-01", 1, 1, true, true);
    expect_row(want, sizeof want, "A1", ITA_IIT, "2023-02-03", 1, 0, true, true);
    assert_string_equal(r.body, want);
    /* the same bytes for an API token and for an HTTP/1.0 client (no chunks, ends with the
     * connection) */
    struct result t = fetch("GET", path, NULL, token_sys, 1, 0, 0);
    assert_int_equal(t.status, 200);
    assert_string_equal(t.body, want);
    free_result(&t);
    t = fetch("GET", path, cookie_sys, NULL, 0, 0, 0);
    assert_int_equal(t.status, 200);
    assert_null(strstr(t.headers, "Transfer-Encoding"));
    assert_non_null(strstr(t.headers, "Connection: close"));
    assert_string_equal(t.body, want);
    free_result(&t);
    /* one instrument: only its columns */
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s&instrument=EIT&keys=en",
             agency_a);
    t = fetch("GET", path, cookie_sys, NULL, 1, 0, 0);
    assert_int_equal(t.status, 200);
    expect_header(want, sizeof want, false, true);
    expect_row(want, sizeof want, "A1", ITA_EIT, "2023-02-02", 0, 0, false, true);
    assert_string_equal(t.body, want);
    free_result(&t);
    /* HEAD: the head, no body, nothing exported */
    const char *before =
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'export_raw'");
    char n_before[16];
    snprintf(n_before, sizeof n_before, "%s", before);
    t = fetch("HEAD", path, cookie_sys, NULL, 1, 0, 0);
    assert_int_equal(t.status, 200);
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM audit_log WHERE action = 'export_raw'"),
        n_before);
    free_result(&t);
    /* the audit row of the first export: who, what, and the file's size, rows and hash */
    char id[32], q[512], hex[65];
    const char *h = strstr(r.headers, "X-ITA-Export-Id: ") + strlen("X-ITA-Export-Id: ");
    snprintf(id, sizeof id, "%.*s", (int)strcspn(h, "\n"), h);
    sha_hex(r.sha, hex);
    snprintf(q, sizeof q,
             "SELECT u.email || ' ' || l.agency_id || ' ' || l.fiscal_year || ' ' || "
             "(l.detail->>'scope')"
             " || ' ' || (l.detail->>'complete') || ' ' || (l.detail->>'rows') || ' ' || "
             "(l.detail->>'bytes')"
             " || ' ' || (l.detail->>'file_sha256') FROM audit_log l JOIN admin_user u ON u.id = "
             "l.admin_id"
             " WHERE l.id = %s AND l.action = 'export_raw'",
             id);
    char expect[256];
    snprintf(expect, sizeof expect, "sys@example.go.th %s 2566 A1 true 3 %zu %s", agency_a, r.bytes,
             hex);
    assert_string_equal(t_db_value(conninfo, q), expect);
    free_result(&r);
    /* a person gets Thai column names (the question as the form numbers it), the same rows */
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_a);
    t = fetch("GET", path, cookie_sys, NULL, 1, 0, 0);
    assert_int_equal(t.status, 200);
    static const char head_th[] = "\xEF\xBB\xBFรหัสหน่วยงาน,ปีงบประมาณ,แบบวัด,วันที่นับ,IIT ข้อ 1.1,";
    assert_memory_equal(t.body, head_th, strlen(head_th));
    assert_non_null(strstr(t.body, ",EIT ข้อ 1.1,"));
    expect_header(want, sizeof want, false, true);
    expect_row(want, sizeof want, "A1", ITA_EIT, "2023-02-02", 0, 0, true, true);
    assert_non_null(strstr(t.body, strstr(want, "\r\n") + 2));
    free_result(&t);
    expect_status("/admin/export-raw?year=2566&keys=xx", cookie_sys, 400);
}

/* itad's CPU time so far (user + system), in clock ticks. */
static long long cpu_ticks(void)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)srv.pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &ut, &st) != 2)
        return -1;
    return ut + st;
}

/* 1,000,000 rows, generated in SQL, streamed whole; itad's memory stays flat. */
/* itactl export --raw: the chunked stream decoded into the file, byte for byte; an error answer
 * leaves no file behind. */
static void test_itactl_raw(void **state)
{
    static char want[1 << 16], got[1 << 16];
    expect_header(want, sizeof want, true, true);
    expect_row(want, sizeof want, "A1", ITA_EIT, "2023-02-02", 0, 0, true, true);
    expect_row(want, sizeof want, "A1", ITA_IIT, "2023-02-01", 1, 1, true, true);
    expect_row(want, sizeof want, "A1", ITA_IIT, "2023-02-03", 1, 0, true, true);
    const char *dir = t_tmpdir("itactl-raw");
    char tokfile[512], outfile[512], cmd[2048], out[1024];
    snprintf(tokfile, sizeof tokfile, "%s/token", dir);
    snprintf(outfile, sizeof outfile, "%s/raw.csv", dir);
    FILE *f = fopen(tokfile, "w");
    assert_non_null(f);
    fprintf(f, "%s\n", token_sys);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "env -u ITACTL_TOKEN -u ITACTL_TOKEN_FILE '%s' --url https://localhost:%d --cacert "
             "'%s/cert.pem' "
             "--token-file '%s' export --raw --fy 2566 --agency %s -o '%s' 2>&1",
             t_env("ITA_ITACTL"), port, srv.dir, tokfile, agency_a, outfile);
    if (t_run_capture(cmd, out, sizeof out) != 0)
        fail_msg("itactl export --raw failed: %s", out);
    f = fopen(outfile, "rb");
    assert_non_null(f);
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    assert_string_equal(got, want);
    /* an agency that does not exist: exit 1, the message, no file and no temporary file */
    unlink(outfile);
    snprintf(cmd, sizeof cmd,
             "env -u ITACTL_TOKEN -u ITACTL_TOKEN_FILE '%s' --url https://localhost:%d --cacert "
             "'%s/cert.pem' "
             "--token-file '%s' export --raw --fy 2566 --agency 999999 -o '%s' 2>&1",
             t_env("ITA_ITACTL"), port, srv.dir, tokfile, outfile);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 1);
    assert_non_null(strstr(out, "404"));
    assert_int_equal(access(outfile, F_OK), -1);
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);
    assert_string_equal(out, "token\n");
}

static void test_million_rows(void **state)
{
    char q[1024];
    long long t0 = t_now_ms();
    snprintf(
        q, sizeof q,
        "INSERT INTO response (agency_id, fiscal_year, instrument, answers, received_on)"
        " SELECT %s, 2566, 'IIT', set_byte(set_byte(decode(repeat('00', %zu), 'hex'), i %% %zu, 1),"
        " (i / 7) %% %zu, 1), date '2023-01-01' + (i %% 90) FROM generate_series(1, %d) AS i",
        agency_big, v->surveys[ITA_IIT].n_fields, v->surveys[ITA_IIT].n_fields,
        v->surveys[ITA_IIT].n_fields, BIG_ROWS);
    exec_sql(q);
    seal_all();
    exec_sql("ANALYZE response");
    long long t1 = t_now_ms();
    long hwm_before = proc_kb("VmHWM"), rss_before = proc_kb("VmRSS");
    char path[128];
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_big);
    long long cpu0 = cpu_ticks();
    long long t2 = t_now_ms();
    struct result r = fetch("GET", path, NULL, token_sys, 1, 0, 0);
    long long t3 = t_now_ms();
    long long cpu1 = cpu_ticks();
    long hwm_after = proc_kb("VmHWM");
    assert_int_equal(r.status, 200);
    assert_true(r.complete);
    assert_int_equal(r.lines, 1 + BIG_ROWS);
    char hex[65];
    sha_hex(r.sha, hex);
    char id[32];
    const char *h = strstr(r.headers, "X-ITA-Export-Id: ") + strlen("X-ITA-Export-Id: ");
    snprintf(id, sizeof id, "%.*s", (int)strcspn(h, "\n"), h);
    snprintf(
        q, sizeof q,
        "SELECT (detail->>'rows') || ' ' || (detail->>'file_sha256') FROM audit_log WHERE id = %s",
        id);
    char expect[128];
    snprintf(expect, sizeof expect, "%d %s", BIG_ROWS, hex);
    assert_string_equal(t_db_value(conninfo, q), expect);
    double secs = (double)(t3 - t2) / 1000.0;
    printf("export_raw: %d rows, %.1f MB in %.2f s = %.0f rows/s (%.1f MB/s); generating them took "
           "%.1f s\n"
           "export_raw: first byte after %.2f s (PostgreSQL sorting), then %.0f rows/s; itad CPU "
           "%.2f s\n"
           "export_raw: itad VmRSS %ld kB before, peak while streaming %ld kB (+%ld kB); VmHWM %ld "
           "-> %ld kB%s\n",
           BIG_ROWS, (double)r.bytes / 1e6, secs, BIG_ROWS / secs, (double)r.bytes / 1e6 / secs,
           (double)(t1 - t0) / 1000.0, (double)(r.first_byte_ms - t2) / 1000.0,
           BIG_ROWS / ((double)(t3 - r.first_byte_ms) / 1000.0),
           (double)(cpu1 - cpu0) / (double)sysconf(_SC_CLK_TCK), rss_before, r.peak_rss_kb,
           r.peak_rss_kb - rss_before, hwm_before, hwm_after,
           SANITIZED ? " (sanitizer build: quarantine inflates RSS, not checked)" : "");
    fflush(stdout);
    if (!SANITIZED) /* the file is ~130 MB; the server holds a few hundred KiB of it at a time */
        assert_true(hwm_after - hwm_before < 32 * 1024);
    free_result(&r);
}

static int export_backends(void)
{
    return atoi(t_db_value(
        conninfo, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'itad-export'"));
}

static void wait_no_export_backend(void)
{
    long long deadline = t_now_ms() + 15000;
    while (export_backends() > 0 && t_now_ms() < deadline)
        usleep(100 * 1000);
    assert_int_equal(export_backends(), 0);
}

/* Clients that stop reading for a while, then leave; or leave at once: the server stays up, the
 * export's backend goes away, memory stays bounded while the client does not read, the audit
 * row stays incomplete, and later exports (2 per worker at once) are still served. */
static void test_client_leaves_midway(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_big);
    long rss_before = proc_kb("VmRSS");
    struct result r = fetch("GET", path, cookie_sys, NULL, 1, 4 << 20, 2000);
    assert_int_equal(r.status, 200);
    assert_false(r.complete);
    printf("export_raw: client stopped reading after 4 MB for 2 s: itad VmRSS %ld kB before, %ld "
           "kB at most "
           "while it waited\n",
           rss_before, r.peak_rss_kb);
    fflush(stdout);
    if (!SANITIZED)
        assert_true(r.peak_rss_kb - rss_before < 32 * 1024);
    free_result(&r);
    wait_no_export_backend();
    for (int i = 0; i < 3; i++) {
        r = fetch("GET", path, cookie_sys, NULL, 1, (size_t)(i + 1) << 16, 0);
        assert_int_equal(r.status, 200);
        free_result(&r);
    }
    wait_no_export_backend();
    assert_string_equal(
        t_db_value(conninfo,
                   "SELECT count(*) FROM audit_log WHERE action = 'export_raw'"
                   " AND detail->>'scope' = 'BIG' AND NOT (detail->>'complete')::boolean"),
        "4");
    /* a client that does not read at all is cut off after write_timeout_ms (4 s here) */
    r = fetch("GET", path, cookie_sys, NULL, 1, 1, 6000);
    free_result(&r);
    wait_no_export_backend();
    assert_int_equal(t_get(port, NULL, "/healthz", NULL, 0), 200);
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_a);
    for (int i = 0; i < 6; i++) {
        r = fetch("GET", path, cookie_sys, NULL, 1, 0, 0);
        assert_int_equal(r.status, 200);
        assert_true(r.complete);
        assert_int_equal(r.lines, 4);
        free_result(&r);
    }
}

/* The export's backend dies midway: the transfer ends without its terminating chunk (the client
 * sees it truncated, never a whole-looking short file) and the server carries on. */
static void test_database_fails_midway(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/export-raw?year=2566&agency=%s", agency_big);
    struct t_conn c;
    assert_true(t_connect(&c, port, NULL, 0));
    struct timeval tv = {120, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char head[512];
    int n = snprintf(head, sizeof head,
                     "GET %s HTTP/1.1\r\nHost: localhost:%d\r\nAuthorization: Bearer %s\r\n\r\n",
                     path, port, token_sys);
    assert_true(t_send(&c, head, (size_t)n));
    /* read the first MiB raw, then kill the backend and read the rest */
    static char buf[1 << 16];
    size_t got = 0;
    while (got < (1u << 20)) {
        int r = SSL_read(c.ssl, buf, sizeof buf);
        assert_true(r > 0);
        got += (size_t)r;
    }
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                   " WHERE application_name = 'itad-export'"
                                   " AND backend_type = 'client backend'"),
                        "1");
    char tail[8] = "";
    size_t total = got;
    for (;;) {
        int r = SSL_read(c.ssl, buf, sizeof buf);
        if (r <= 0)
            break;
        total += (size_t)r;
        size_t keep = (size_t)r < sizeof tail - 1 ? (size_t)r : sizeof tail - 1;
        memcpy(tail, buf + r - (int)keep, keep);
        tail[keep] = '\0';
    }
    /* the body stopped at a chunk boundary or inside one, never with the last chunk */
    assert_null(strstr(tail, "0\r\n\r\n"));
    assert_true(total < 100u << 20);
    t_close(&c);
    assert_int_equal(t_get(port, NULL, "/healthz", NULL, 0), 200);
    wait_no_export_backend();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_itactl_raw),
        cmocka_unit_test(test_million_rows),
        cmocka_unit_test(test_client_leaves_midway),
        cmocka_unit_test(test_database_fails_midway),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
