/* itactl's administration commands (the pure parts are in test_itactl.c): token loading
 * and usage without a server, then the real itactl against the real itad and database: agencies
 * import, a fiscal year set up and shown, contact lists in UTF-8 with BOM and Windows-874 (and a
 * bad one that imports nothing), personal links issued, exported and reissued, progress, a QR code
 * fetched and decoded, and an agency administrator's token that cannot see another agency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api_client.h"
#include "cmd_admin.h"
#include "text_table.h"
#include "testlib.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static struct t_server srv;
static int port;
static char conninfo[512];
static char dir[256];          /* this test's files */
static char sys_token[300];    /* file holding the system administrator's token */
static char agency_token[300]; /* file holding agency T02's administrator's token */
static char out[1 << 20];      /* output of the last itactl run */

/* ---- helpers ---- */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 24];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Runs the shell command `prefix itactl args tail`, with stdout (and stderr, when tail says so)
 * in out. prefix: environment settings or "env -u ..." ("" for none); tail: redirections or a
 * pipe. Returns the exit status. */
static int run_itactl(const char *prefix, const char *args, const char *tail)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s '%s' %s %s", prefix, t_env("ITA_ITACTL"), args, tail);
    int rc = t_run_capture(cmd, out, sizeof out);
    if (getenv("ITA_TEST_VERBOSE"))
        fprintf(stderr, "$ itactl %s\n[%d] %s\n", args, rc, out);
    return rc;
}

/* The arguments that point itactl at the test server with the token in token_file (NULL: none),
 * then args. */
static const char *server_args(const char *token_file, const char *args)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "--url https://localhost:%d --cacert '%s/cert.pem' %s%s%s %s", port,
             srv.dir, token_file ? "--token-file '" : "", token_file ? token_file : "",
             token_file ? "'" : "", args);
    return buf;
}

#define NO_TOKEN_ENV "env -u ITACTL_TOKEN -u ITACTL_TOKEN_FILE"

/* Runs itactl against the test server with the token in token_file (NULL: none); stdout and
 * stderr together in out. */
static int itactl(const char *token_file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int itactl(const char *token_file, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return run_itactl(NO_TOKEN_ENV, server_args(token_file, args), "2>&1");
}

/* itactl(token_file, fmt ...) with --json added; it must succeed with a JSON document, which is
 * returned (the caller json_decref()s it). */
static json_t *itactl_json(const char *token_file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static json_t *itactl_json(const char *token_file, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    assert_int_equal(itactl(token_file, "%s --json", args), 0);
    json_t *doc = json_loads(out, 0, NULL);
    if (!doc)
        fail_msg("itactl %s --json printed no JSON document:\n%s", args, out);
    return doc;
}

static void expect_out(const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("expected \"%s\" in itactl's output:\n%s", needle, out);
}

/* A date `days` from today (UTC), YYYY-MM-DD (static buffer per call slot). */
static const char *day(int days, int slot)
{
    static char buf[4][16];
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf[slot], sizeof buf[slot], "%Y-%m-%d", &tm);
    return buf[slot];
}

/* UTF-8 Thai (U+0E01..U+0E5B) and ASCII to TIS-620 / Windows-874 bytes, as Thai Excel saves. */
static size_t to_windows874(const char *in, unsigned char *outb)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p;) {
        if (*p < 0x80) {
            outb[n++] = *p++;
            continue;
        }
        unsigned cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        assert_true(p[0] == 0xE0 && cp >= 0x0E01 && cp <= 0x0E5B);
        outb[n++] = (unsigned char)(cp - 0x0E00 + 0xA0);
        p += 3;
    }
    return n;
}

/* ---- without a server ---- */

static void test_token_sources(void **state)
{
    char err[512], path[300], path2[300];
    snprintf(path, sizeof path, "%s/tok-crlf", dir);
    write_file(path, "  abcDEF-_123\r\n", 15);
    snprintf(path2, sizeof path2, "%s/tok-two", dir);
    write_file(path2, "abc\ndef\n", 8);
    unsetenv("ITACTL_TOKEN");
    unsetenv("ITACTL_TOKEN_FILE");
    char *t = api_token_load(NULL, err, sizeof err);
    assert_null(t);
    assert_string_equal(err, "no API token given");
    setenv("ITACTL_TOKEN", "fromenv\n", 1);
    t = api_token_load(NULL, err, sizeof err);
    assert_string_equal(t, "fromenv");
    free(t);
    setenv("ITACTL_TOKEN_FILE", path, 1); /* the file wins over the token itself */
    t = api_token_load(NULL, err, sizeof err);
    assert_string_equal(t, "abcDEF-_123");
    free(t);
    t = api_token_load(path2, err, sizeof err); /* --token-file wins over both */
    assert_null(t);
    assert_non_null(strstr(err, "does not hold one token"));
    assert_non_null(strstr(err, "--token-file"));
    t = api_token_load("/nonexistent/token", err, sizeof err);
    assert_null(t);
    assert_non_null(strstr(err, "cannot read the API token file /nonexistent/token"));
    setenv("ITACTL_TOKEN", "has space", 1);
    unsetenv("ITACTL_TOKEN_FILE");
    assert_null(api_token_load(NULL, err, sizeof err));
    unsetenv("ITACTL_TOKEN");
}

/* api_print_error's text for status and body. */
static void test_usage_without_server(void **state)
{
    assert_int_equal(run_itactl("", "--help", "2>&1"), 0);
    expect_out("--token-file FILE");
    expect_out("itactl fetch-qr --link ID");
    expect_out("ITACTL_TOKEN_FILE");
    assert_int_equal(run_itactl("", "contacts import --help", "2>&1"), 0);
    expect_out("Windows-874");
    /* no token: exit 2 and how to get one; the token is never accepted as an argument */
    assert_int_equal(run_itactl(NO_TOKEN_ENV, "progress --code A --fy 2567", "2>&1"), 2);
    expect_out("no API token given");
    expect_out("/admin/tokens");
    expect_out("itad --create-api-token");
    assert_int_equal(run_itactl("", "--token abc progress --code A --fy 2567", "2>&1"), 2);
    assert_int_equal(run_itactl("", "year set --code A --fy 2567 --opens 2024-01-01", "2>&1"), 2);
    expect_out("itactl year set: --closes is required");
    /* unreachable: exit 3 */
    assert_int_equal(run_itactl("ITACTL_TOKEN=x",
                                "--url https://localhost:1 progress --code A --fy 2567", "2>&1"),
                     3);
    expect_out("cannot connect to localhost port 1");
}

/* ---- against the real server ---- */

/* Runs itad on the test database with the arguments of fmt; its standard output in buf.
 * Returns its exit status. */
static int itad(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int itad(char *buf, size_t len, const char *fmt, ...)
{
    char args[1024], cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' %s", t_env("ITA_ITAD"), conninfo, args);
    return t_run_capture(cmd, buf, len);
}

/* A new API token for email, written to path (mode 0600). */
static void make_token(const char *email, const char *path)
{
    char tok[256];
    if (itad(tok, sizeof tok, "--secret-file='%s/secret' --create-api-token %s --token-name test",
             srv.dir, email) != 0)
        fail_msg("itad --create-api-token %s failed: %s", email, tok);
    write_file(path, tok, strlen(tok));
    assert_int_equal(chmod(path, 0600), 0);
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    snprintf(dir, sizeof dir, "%s", t_tmpdir("itactl-admin"));
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_itactl_admin"));
    const char *extra[] = {"--workers=2", NULL};
    t_server_start(&srv, port, conninfo, extra);
    char o[1024];
    if (itad(o, sizeof o, "--load-instruments '%s/instruments/2566.json' 2>&1",
             t_env("ITA_SOURCE_DIR")) != 0 ||
        itad(o, sizeof o, "--create-admin sys@example.go.th 2>&1") != 0) {
        fprintf(stderr, "%s\n", o);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static const char AGENCIES_CSV[] = "\xEF\xBB\xBF"
                                   "รหัสหน่วยงาน,ชื่อหน่วยงาน,ประเภท,หน่วยงานต้นสังกัด\r\n"
                                   "T00,จังหวัดทดสอบ,จังหวัด,\r\n"
                                   "T01,เทศบาลตำบลบางพลี,เทศบาลตำบล,T00\r\n"
                                   "T02,\"องค์การบริหารส่วนตำบล \"\"ทดลอง\"\" & บ้านใหม่\",sao,T00\r\n";

static void walk_agencies(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/agencies.csv", dir);
    write_file(path, AGENCIES_CSV, sizeof AGENCIES_CSV - 1);
    assert_int_equal(itactl(sys_token, "agencies import '%s'", path), 0);
    expect_out("3 new agencies");
    assert_int_equal(itactl(sys_token, "agencies list"), 0);
    expect_out("เทศบาลตำบลบางพลี");
    expect_out("องค์การบริหารส่วนตำบล \"ทดลอง\" & บ้านใหม่");
    expect_out("3 agencies");
    json_t *doc = itactl_json(sys_token, "agencies list");
    assert_int_equal(json_array_size(json_object_get(doc, "agencies")), 3);
    json_decref(doc);
}

/* The year of T01 with its window around today; returns the IIT link's id and URL. */
static void walk_year(char *link_id, char *link_url)
{
    assert_int_equal(itactl(sys_token, "year show --code T01 --fy 2566"), 1);
    expect_out("HTTP 404");
    assert_int_equal(
        itactl(sys_token,
               "year set --code T01 --fy 2566 --opens %s --closes %s --staff 120 --eit 40",
               day(0, 0), day(30, 1)),
        0);
    expect_out("minimum IIT sample");
    /* a later save without populations keeps them */
    assert_int_equal(itactl(sys_token, "year set --code T01 --fy 2566 --opens %s --closes %s",
                            day(-1, 0), day(30, 1)),
                     0);
    assert_int_equal(itactl(sys_token, "year show --code T01 --fy 2566"), 0);
    expect_out("เทศบาลตำบลบางพลี");
    expect_out("120 with at least a year of service");
    expect_out(day(-1, 0));
    expect_out("IIT link");
    json_t *doc = itactl_json(sys_token, "year show --code T01 --fy 2566");
    const json_t *l = json_object_get(json_object_get(doc, "links"), "IIT");
    snprintf(link_id, 32, "%lld", (long long)json_integer_value(json_object_get(l, "id")));
    snprintf(link_url, 256, "%s", json_string_value(json_object_get(l, "url")));
    assert_int_equal(json_integer_value(json_object_get(doc, "staff_population")), 120);
    assert_int_equal(json_integer_value(json_object_get(doc, "eit_population")), 40);
    json_decref(doc);
}

static void walk_contacts(void)
{
    char path[300], q[512];
    /* staff list: UTF-8 with BOM, Thai headers, a quoted field with a comma, Buddhist-Era dates,
     * one new starter (less than a year) left out */
    struct strbuf csv;
    strbuf_init(&csv);
    strbuf_printf(&csv,
                  "\xEF\xBB\xBFชื่อ-นามสกุล,อีเมล,โทรศัพท์,หน่วยงานย่อย,วันที่เริ่มปฏิบัติงาน\r\n"
                  "นายสมชาย ใจดี,somchai@example.go.th,081-234-5678,\"กองคลัง, งานบัญชี\",1/10/2560\r\n"
                  "นางสาวสมหญิง รักงาน,somying@example.go.th,,สำนักปลัด,15/06/2555\r\n"
                  "นายมานะ ขยัน,mana@example.go.th,,กองช่าง,%s\r\n",
                  day(-30, 2));
    snprintf(path, sizeof path, "%s/staff.csv", dir);
    write_file(path, csv.data, csv.len);
    strbuf_free(&csv);
    assert_int_equal(
        itactl(sys_token, "contacts import --code T01 --fy 2566 --instrument IIT '%s'", path), 0);
    expect_out("3 rows");
    expect_out("left out: less than a year of service");
    snprintf(q, sizeof q, "SELECT count(*) FROM contact WHERE instrument = 'IIT'");
    assert_string_equal(t_db_value(conninfo, q), "2");
    /* the same list again adds nobody */
    json_t *doc =
        itactl_json(sys_token, "contacts import --code T01 --fy 2566 --instrument iit '%s'", path);
    assert_int_equal(json_integer_value(json_object_get(doc, "imported")), 0);
    assert_int_equal(json_integer_value(json_object_get(doc, "already_present")), 2);
    json_decref(doc);
    /* stakeholders: Windows-874 as Thai Excel saves "CSV" */
    static const char eit_utf8[] = "ชื่อ,อีเมล,หน่วยงานย่อย\r\n"
                                   "บริษัท ก้าวหน้า จำกัด,contact@kaona.co.th,ผู้รับเหมา\r\n"
                                   "นางบุญมี ศรีสุข,boonmee@example.com,ประชาชน\r\n";
    unsigned char w874[sizeof eit_utf8];
    size_t n = to_windows874(eit_utf8, w874);
    snprintf(path, sizeof path, "%s/eit-874.csv", dir);
    write_file(path, w874, n);
    assert_int_equal(
        itactl(sys_token, "contacts import --code T01 --fy 2566 --instrument EIT '%s'", path), 0);
    expect_out("2 rows");
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT string_agg(name, '|' ORDER BY name) FROM contact "
                                   "WHERE instrument = 'EIT'"),
                        "นางบุญมี ศรีสุข|บริษัท ก้าวหน้า จำกัด");
    /* a bad list: every error shown, exit 1, nothing imported */
    static const char bad[] = "ชื่อ-นามสกุล,อีเมล,วันที่เริ่มปฏิบัติงาน\n"
                              "นายดี มีสุข,not-an-email,1/10/2560\n"
                              ",empty@example.go.th,1/10/2560\n"
                              "นายใหม่ ใจงาม,new@example.go.th,1/10/2560\n";
    snprintf(path, sizeof path, "%s/bad.csv", dir);
    write_file(path, bad, sizeof bad - 1);
    assert_int_equal(
        itactl(sys_token, "contacts import --code T01 --fy 2566 --instrument IIT '%s'", path), 1);
    expect_out("line 2, column \"อีเมล\"");
    expect_out("line 3");
    expect_out("nothing was imported (HTTP 422");
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM contact WHERE instrument = 'IIT'"), "2");
    /* a missing file is a usage error */
    assert_int_equal(itactl(sys_token,
                            "contacts import --code T01 --fy 2566 --instrument IIT '%s/none.csv'",
                            dir),
                     2);
    expect_out("cannot read");
    assert_int_equal(itactl(sys_token, "contacts list --code T01 --fy 2566 --instrument IIT"), 0);
    expect_out("นายสมชาย ใจดี");
    expect_out("กองคลัง, งานบัญชี");
    expect_out("2 contacts, 0 with a personal link");
}

/* Issues the personal links of agency code's list of instrument (fiscal year 2566), n of them
 * new, and saves its mail merge of n contacts to path. Returns the file's bytes (read_file). */
static const char *issue_and_export(const char *code, const char *instrument, int n,
                                    const char *path, size_t *len)
{
    char msg[64];
    assert_int_equal(
        itactl(sys_token, "links issue --code %s --fy 2566 --instrument %s", code, instrument), 0);
    snprintf(msg, sizeof msg, "issued %d new personal %s links", n, instrument);
    expect_out(msg);
    assert_int_equal(itactl(sys_token, "links export --code %s --fy 2566 --instrument %s -o '%s'",
                            code, instrument, path),
                     0);
    snprintf(msg, sizeof msg, "wrote %d contacts", n);
    expect_out(msg);
    const char *data = read_file(path, len);
    assert_non_null(data);
    return data;
}

/* Issues and exports links; returns the personal link of นายสมชาย from the export. */
static void walk_links(char *old_link)
{
    char path[300];
    snprintf(path, sizeof path, "%s/mailmerge.csv", dir);
    /* an IIT list is delivered privately by default (#18): the export is refused with the
     * server's Thai reason, and no file is left behind */
    assert_int_equal(
        itactl(sys_token, "links export --code T01 --fy 2566 --instrument IIT -o '%s'", path), 1);
    expect_out("403");
    expect_out("รายชื่อนี้ส่งลิงก์แบบส่วนตัว");
    struct stat none;
    assert_int_not_equal(stat(path, &none), 0);
    /* this walk is about the mail merge: the list switched to it (as POST /admin/mail/mode does) */
    t_db_value(conninfo, "INSERT INTO contact_list_delivery (agency_id, fiscal_year, instrument,"
                         " delivery) SELECT id, 2566, 'IIT', 'mailmerge' FROM agency"
                         " WHERE code = 'T01' RETURNING 1");
    size_t len;
    const char *csv = issue_and_export("T01", "IIT", 2, path, &len);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(csv, "ชื่อ-นามสกุล"));
    assert_non_null(strstr(csv, "ลิงก์"));
    const char *row = strstr(csv, "นายสมชาย ใจดี");
    assert_non_null(row);
    const char *link = strstr(row, "https://");
    assert_non_null(link);
    assert_non_null(strstr(link, "/t/"));
    snprintf(old_link, 256, "%.*s", (int)strcspn(link, "\",\r\n"), link);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* personal data */
    /* a second export to standard output: the same bytes */
    assert_int_equal(run_itactl("",
                                server_args(sys_token, "links export --code T01 --fy 2566 "
                                                       "--instrument IIT -o -"),
                                "2>/dev/null"),
                     0);
    assert_memory_equal(out, csv, len);
}

static void walk_reissue(const char *old_link)
{
    char id[32], body[4096];
    snprintf(id, sizeof id, "%s",
             t_db_value(conninfo, "SELECT id FROM contact WHERE name = 'นายสมชาย ใจดี'"));
    assert_int_equal(itactl(sys_token, "links reissue --contact %s", id), 0);
    expect_out("has a new personal link: https://");
    const char *nl = strstr(out, "https://");
    char new_link[256];
    snprintf(new_link, sizeof new_link, "%.*s", (int)strcspn(nl, "\n"), nl);
    assert_string_not_equal(new_link, old_link);
    char cafile[300];
    snprintf(cafile, sizeof cafile, "%s/cert.pem", srv.dir);
    int old_status = t_get(port, cafile, strstr(old_link, "/t/"), body, sizeof body);
    assert_true(old_status == 410 || old_status == 404);
    assert_int_equal(t_get(port, cafile, strstr(new_link, "/t/"), body, sizeof body), 200);
}

/* The list back to private delivery: reissuing shows no link, mail status shows counts, and
 * mail send is refused in Thai on this server without a relay. */
static void walk_private(void)
{
    t_db_value(conninfo, "UPDATE contact_list_delivery SET delivery = 'private' FROM agency a"
                         " WHERE a.id = agency_id AND a.code = 'T01' AND instrument = 'IIT'"
                         " RETURNING 1");
    char id[32];
    snprintf(id, sizeof id, "%s",
             t_db_value(conninfo, "SELECT id FROM contact WHERE name = 'นายสมชาย ใจดี'"));
    assert_int_equal(itactl(sys_token, "links reissue --contact %s", id), 0);
    expect_out("has a new personal link; the old link no longer works");
    expect_out("the server e-mails the new link");
    assert_null(strstr(out, "/t/"));
    assert_int_equal(itactl(sys_token, "mail status --code T01 --fy 2566 --instrument IIT"), 0);
    expect_out("private");
    expect_out("queued");
    assert_null(strstr(out, "/t/"));
    assert_int_equal(itactl(sys_token, "mail send --code T01 --fy 2566 --instrument IIT"), 1);
    expect_out("smtp_url");
}

static void walk_progress_and_qr(const char *link_id, const char *link_url)
{
    assert_int_equal(itactl(sys_token, "progress --code T01 --fy 2566"), 0);
    expect_out("fiscal year 2566");
    expect_out("minimum sample");
    expect_out("IIT");
    json_t *doc = itactl_json(sys_token, "progress --code T01 --fy 2566");
    const json_t *iit = json_object_get(json_object_get(doc, "instruments"), "IIT");
    assert_true(
        json_integer_value(json_object_get(json_object_get(iit, "personal_links"), "issued")) >= 2);
    json_decref(doc);
    char png[300], cmd[600], decoded[512];
    snprintf(png, sizeof png, "%s/iit.png", dir);
    assert_int_equal(itactl(sys_token, "fetch-qr --link %s --format png -o '%s'", link_id, png), 0);
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>/dev/null", png);
    assert_int_equal(t_run_capture(cmd, decoded, sizeof decoded), 0);
    decoded[strcspn(decoded, "\n")] = '\0';
    assert_string_equal(decoded, link_url);
    snprintf(png, sizeof png, "%s/poster.pdf", dir);
    assert_int_equal(itactl(sys_token, "fetch-qr --link %s --format pdf -o '%s'", link_id, png), 0);
    size_t len;
    assert_memory_equal(read_file(png, &len), "%PDF", 4);
    /* a link that does not exist: 404, and no file left behind */
    snprintf(png, sizeof png, "%s/none.png", dir);
    assert_int_equal(itactl(sys_token, "fetch-qr --link 999999 --format png -o '%s'", png), 1);
    expect_out("no such agency/link, or not yours");
    struct stat st;
    assert_int_not_equal(stat(png, &st), 0);
}

/* An agency administrator of T02 sees T02 only: T01's year, link and contacts answer 404. */
static void walk_other_agency(const char *link_id)
{
    char q[512];
    snprintf(q, sizeof q,
             "INSERT INTO admin_user (email, role, agency_id, password_hash) "
             "SELECT 'b@example.go.th', 'agency', id, '$argon2id$not-used' FROM agency "
             "WHERE code = 'T02' RETURNING id");
    assert_non_null(t_db_value(conninfo, q));
    make_token("b@example.go.th", agency_token);
    assert_int_equal(itactl(agency_token, "agencies list"), 0);
    expect_out("1 agency");
    assert_null(strstr(out, "บางพลี"));
    assert_int_equal(itactl(agency_token, "year show --code T01 --fy 2566"), 1);
    expect_out("no such agency/link, or not yours (HTTP 404");
    assert_int_equal(itactl(agency_token, "progress --code T01 --fy 2566"), 1);
    expect_out("HTTP 404");
    char path[300];
    snprintf(path, sizeof path, "%s/stolen.png", dir);
    assert_int_equal(itactl(agency_token, "fetch-qr --link %s --format png -o '%s'", link_id, path),
                     1);
    expect_out("HTTP 404");
    char id[32];
    snprintf(id, sizeof id, "%s",
             t_db_value(conninfo, "SELECT id FROM contact WHERE name = 'นายสมชาย ใจดี'"));
    assert_int_equal(itactl(agency_token, "links reissue --contact %s", id), 1);
    expect_out("HTTP 404");
    snprintf(path, sizeof path, "%s/stolen.csv", dir);
    assert_int_equal(
        itactl(agency_token, "links export --code T01 --fy 2566 --instrument IIT -o '%s'", path),
        1);
    expect_out("HTTP 404");
    /* agencies are imported by system administrators only */
    snprintf(path, sizeof path, "%s/agencies.csv", dir);
    assert_int_equal(itactl(agency_token, "agencies import '%s'", path), 1);
    expect_out("HTTP 403");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM agency"), "3");
    /* its own agency works */
    assert_int_equal(itactl(agency_token,
                            "year set --code T02 --fy 2566 --opens %s --closes %s --staff 10",
                            day(0, 0), day(10, 1)),
                     0);
}

static void walk_purge(void)
{
    assert_int_equal(itactl(sys_token, "contacts purge --code T01 --fy 2566"), 1);
    expect_out("HTTP 409");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact WHERE agency_id = "
                                             "(SELECT id FROM agency WHERE code = 'T01')"),
                        "4");
    assert_int_equal(itactl(sys_token, "year set --code T01 --fy 2566 --opens %s --closes %s",
                            day(-40, 0), day(-10, 1)),
                     0);
    assert_int_equal(itactl(sys_token, "contacts purge --code T01 --fy 2566"), 0);
    expect_out("purged 4 contacts");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM contact"), "0");
}

/* A list of many thousand stakeholders (a body of several MB up, a mail merge of several MB
 * down), listed over many pages. */
static void walk_large(void)
{
    enum { N = 20000 };
    assert_int_equal(itactl(sys_token,
                            "year set --code T00 --fy 2566 --opens %s --closes %s --eit %d",
                            day(0, 0), day(20, 1), N),
                     0);
    struct strbuf csv;
    strbuf_init(&csv);
    strbuf_puts(&csv, "\xEF\xBB\xBFชื่อ-นามสกุล,อีเมล,โทรศัพท์,หน่วยงานย่อย\r\n");
    for (int i = 0; i < N; i++)
        strbuf_printf(&csv,
                      "ผู้รับบริการ ลำดับที่ %d,person%d@example.co.th,08%08d,\"ชุมชน %d, หมู่ %d\"\r\n", i,
                      i, i, i % 50, i % 12);
    char path[300];
    snprintf(path, sizeof path, "%s/large.csv", dir);
    write_file(path, csv.data, csv.len);
    assert_true(csv.len > 2 * 1000 * 1000);
    strbuf_free(&csv);
    json_t *doc =
        itactl_json(sys_token, "contacts import --code T00 --fy 2566 --instrument EIT '%s'", path);
    assert_int_equal(json_integer_value(json_object_get(doc, "imported")), N);
    json_decref(doc);
    snprintf(path, sizeof path, "%s/large-merge.csv", dir);
    size_t len;
    const char *merge = issue_and_export("T00", "EIT", N, path, &len);
    assert_true(len > 2 * 1000 * 1000);
    assert_non_null(strstr(merge, "ผู้รับบริการ ลำดับที่ 19999"));
    /* every page of the list: 200 pages of 100 */
    assert_int_equal(run_itactl("",
                                server_args(sys_token, "contacts list --code T00 --fy 2566 "
                                                       "--instrument EIT"),
                                "| wc -l"),
                     0);
    assert_int_equal(atoi(out), N + 2); /* header and totals */
    doc = itactl_json(sys_token, "contacts list --code T00 --fy 2566 --instrument EIT --page 199");
    assert_int_equal(json_array_size(json_object_get(doc, "contacts")), 100);
    assert_true(json_is_null(json_object_get(doc, "next_page")));
    json_decref(doc);
}

static void test_walk(void **state)
{
    snprintf(sys_token, sizeof sys_token, "%s/sys.token", dir);
    snprintf(agency_token, sizeof agency_token, "%s/agency.token", dir);
    make_token("sys@example.go.th", sys_token);
    /* an unknown token: 401 with what to do */
    char bogus[300];
    snprintf(bogus, sizeof bogus, "%s/bogus.token", dir);
    write_file(bogus, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", 44);
    assert_int_equal(itactl(bogus, "agencies list"), 1);
    expect_out("HTTP 401");
    expect_out("ไม่รู้จักโทเค็น API นี้"); /* the server's words, in Thai */
    expect_out("/admin/tokens");
    char link_id[32], link_url[256], old_link[256];
    walk_agencies();
    walk_year(link_id, link_url);
    walk_contacts();
    walk_links(old_link);
    walk_reissue(old_link);
    walk_private();
    walk_progress_and_qr(link_id, link_url);
    walk_other_agency(link_id);
    walk_purge();
    walk_large();
}

int main(void)
{
    const struct CMUnitTest with_files[] = {
        cmocka_unit_test(test_token_sources),
        cmocka_unit_test(test_usage_without_server),
    };
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_walk),
    };
    snprintf(dir, sizeof dir, "%s", t_tmpdir("itactl-admin"));
    int failed = cmocka_run_group_tests_name("no server", with_files, NULL, NULL);
    failed += cmocka_run_group_tests_name("real server", real, setup, teardown);
    return failed;
}
