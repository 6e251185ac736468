/* itactl's pure parts (URL parsing and encoding, the administration commands' argument parsing
 * and validation, the messages for the server's error answers, Thai text in tables), then itactl
 * against the real itad: verified TLS, exit statuses for healthy, unhealthy, untrusted and
 * unreachable servers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api_client.h"
#include "cmd_admin.h"
#include "https_client.h"
#include "text_table.h"
#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static struct t_server srv;
static int port;

static int run(const char *args, char *out, size_t outlen)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", t_env("ITA_ITACTL"), args);
    return t_run_capture(cmd, out, outlen);
}

static int setup(void **state)
{
    port = atoi(t_env("ITA_TEST_PORT"));
    const char *db = t_db_create("ita_itactl");
    char ci[512];
    snprintf(ci, sizeof ci, "%s", db);
    const char *extra[] = {"--workers=1", "--db-timeout-ms=1000", NULL};
    t_server_start(&srv, port, ci, extra);
    return 0;
}

static int teardown(void **state)
{
    return t_server_stop(&srv, SIGTERM, 10000) == 0 ? 0 : -1;
}

static void test_healthz_verified(void **state)
{
    char out[2048], args[1024];
    snprintf(args, sizeof args, "--url https://localhost:%d --cacert '%s/cert.pem' healthz", port,
             srv.dir);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_string_equal(out, "ok\ndatabase: ok\n");
    /* 127.0.0.1 is in the certificate's subjectAltName too */
    snprintf(args, sizeof args, "--url https://127.0.0.1:%d --cacert '%s/cert.pem' healthz", port,
             srv.dir);
    assert_int_equal(run(args, out, sizeof out), 0);
}

static void test_untrusted_certificate(void **state)
{
    char out[2048], args[1024];
    const char *other = t_tmpdir("otherca");
    t_make_cert(other, "someone-else");
    snprintf(args, sizeof args, "--url https://localhost:%d --cacert '%s/cert.pem' healthz", port,
             other);
    assert_int_equal(run(args, out, sizeof out), 3);
    assert_non_null(strstr(out, "not trusted"));
    /* the system store does not know our self-signed certificate either */
    snprintf(args, sizeof args, "--url https://localhost:%d healthz", port);
    assert_int_equal(run(args, out, sizeof out), 3);
    assert_non_null(strstr(out, "--cacert"));
}

static void test_unhealthy_and_unreachable(void **state)
{
    char out[2048], args[1024];
    t_pg_stop();
    snprintf(args, sizeof args, "--url https://localhost:%d --cacert '%s/cert.pem' healthz", port,
             srv.dir);
    int rc = run(args, out, sizeof out);
    t_pg_start();
    assert_true(t_wait_healthy(port, NULL, 15000)); /* later tests need every worker's pool back */
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "database: unavailable"));
    assert_non_null(strstr(out, "server answered 503"));
    snprintf(args, sizeof args, "--url https://localhost:1 --cacert '%s/cert.pem' healthz",
             srv.dir);
    assert_int_equal(run(args, out, sizeof out), 3);
    assert_non_null(strstr(out, "cannot connect to localhost port 1"));
    assert_int_equal(run("--url http://localhost healthz", out, sizeof out), 2);
    assert_non_null(strstr(out, "must start with https://"));
    assert_int_equal(run("frobnicate", out, sizeof out), 2);
    assert_non_null(strstr(out, "unknown command 'frobnicate'"));
}

static void test_parse_url(void **state)
{
    struct https_target t;
    char err[256];
    assert_int_equal(https_parse_url("https://example.org", &t, err, sizeof err), 0);
    assert_string_equal(t.host, "example.org");
    assert_string_equal(t.port, "443");
    assert_string_equal(t.base_path, "");
    assert_int_equal(https_parse_url("https://[::1]:8443/ita/", &t, err, sizeof err), 0);
    assert_string_equal(t.host, "::1");
    assert_string_equal(t.port, "8443");
    assert_string_equal(t.base_path, "/ita");
    assert_int_equal(https_parse_url("https://h:80x", &t, err, sizeof err), -1);
    assert_int_equal(https_parse_url("https://:80", &t, err, sizeof err), -1);
    assert_int_equal(https_parse_url("ftp://h", &t, err, sizeof err), -1);
}

static void test_url_encode(void **state)
{
    struct strbuf b;
    strbuf_init(&b);
    api_param(&b, "code", "ก ข&=+/?%");
    api_param(&b, "fy", "2567");
    api_param(&b, "x", "a-b_c.d~e");
    assert_string_equal(b.data, "code=%E0%B8%81+%E0%B8%82%26%3D%2B%2F%3F%25&fy=2567&x=a-b_c.d~e");
    strbuf_free(&b);
    strbuf_init(&b);
    api_url_encode(&b, "\r\n\"");
    assert_string_equal(b.data, "%0D%0A%22");
    strbuf_free(&b);
}
static enum admin_parse_result parse(struct admin_args *a, char *err, size_t errlen, ...)
{
    static char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, errlen);
    for (char *s; (s = va_arg(ap, char *)) != NULL && argc < 31;)
        argv[argc++] = s;
    va_end(ap);
    argv[argc] = NULL;
    return admin_parse(argc, argv, a, err, errlen);
}

static void test_parse_arguments(void **state)
{
    struct admin_args a;
    char err[512];
    assert_int_equal(parse(&a, err, sizeof err, "year", "set", "--code", "ก01", "--fy=2567",
                           "--opens", "2024-01-15", "--closes", "2024-03-31", "--staff", "120",
                           NULL),
                     ADMIN_PARSE_OK);
    assert_string_equal(a.opt[AO_CODE], "ก01");
    assert_string_equal(a.opt[AO_FY], "2567");
    assert_string_equal(a.opt[AO_STAFF], "120");
    assert_null(a.opt[AO_EIT]);
    assert_int_equal(parse(&a, err, sizeof err, "contacts", "import", "--agency", "7", "--fy",
                           "2567", "--instrument", "iit", "staff.csv", "--json", NULL),
                     ADMIN_PARSE_OK);
    assert_string_equal(a.opt[AO_INSTRUMENT], "IIT");
    assert_string_equal(a.file, "staff.csv");
    assert_true(a.json);
    assert_int_equal(parse(&a, err, sizeof err, "fetch-qr", "--link", "3", "--format", "poster-png",
                           "-o", "-", NULL),
                     ADMIN_PARSE_OK);
    assert_string_equal(a.opt[AO_OUTPUT], "-");
    /* help, anywhere */
    assert_int_equal(parse(&a, err, sizeof err, "links", "export", "--help", NULL),
                     ADMIN_PARSE_HELP);
    assert_non_null(a.cmd);
    assert_int_equal(parse(&a, err, sizeof err, "links", "-h", NULL), ADMIN_PARSE_HELP);
    assert_null(a.cmd);
    assert_int_equal(parse(&a, err, sizeof err, "progress", "--fy", "x", "--help", NULL),
                     ADMIN_PARSE_HELP);
    /* mistakes, each named */
    static const struct {
        const char *args[16];
        const char *msg;
    } bad[] = {
        {{"links", NULL}, "which one?"},
        {{"links", "burn", NULL}, "unknown subcommand 'burn'"},
        {{"progress", "--fy", "2567", NULL}, "either --code CODE or --agency ID"},
        {{"progress", "--fy", "2567", "--code", "A", "--agency", "1", NULL}, "either --code"},
        {{"progress", "--fy", "2024", "--code", "A", NULL}, "Buddhist Era"},
        {{"progress", "--fy", "2567", "--code", "A", "--fy", "2568", NULL}, "--fy given twice"},
        {{"progress", "--fy", "2567", "--code", NULL}, "--code needs a value"},
        {{"progress", "--fy", "2567", "--code", "A", "--instrument", "IIT", NULL},
         "unknown option --instrument"},
        {{"progress", "--fy", "2567", "--code", "A", "extra", NULL}, "unexpected argument 'extra'"},
        {{"links", "issue", "--code", "A", "--fy", "2567", "--instrument", "OIT", NULL},
         "IIT (staff) or EIT"},
        {{"links", "export", "--code", "A", "--fy", "2567", "--instrument", "EIT", NULL},
         "--output is required"},
        {{"links", "reissue", "--contact", "0", NULL}, "positive number"},
        {{"links", "reissue", "--contact", "12a", NULL}, "positive number"},
        {{"contacts", "import", "--code", "A", "--fy", "2567", "--instrument", "EIT", NULL},
         "FILE.csv is required"},
        {{"year", "set", "--code", "A", "--fy", "2567", "--opens", "2024-02-30", "--closes",
          "2024-03-01", NULL},
         "not a valid date"},
        {{"year", "set", "--code", "A", "--fy", "2567", "--opens", "2567-01-15", "--closes",
          "2024-03-01", NULL},
         "e.g. 2024-01-15"},
        {{"year", "set", "--code", "A", "--fy", "2567", "--opens", "2024-03-15", "--closes",
          "2024-03-01", NULL},
         "before --opens"},
        {{"year", "set", "--code", "A", "--fy", "2567", "--opens", "2024-03-01", "--closes",
          "2024-03-01", "--staff", "-1", NULL},
         "whole number"},
        {{"fetch-qr", "--link", "1", "--format", "gif", "-o", "x", NULL},
         "png, svg, pdf, poster-png or html"},
        {{"agencies", "list", "--json", "--page", "x", NULL}, "whole number"},
        {{"fetch-qr", "--json", "--link", "1", NULL}, "unknown option --json"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int argc = 0;
        while (bad[i].args[argc])
            argc++;
        enum admin_parse_result r = admin_parse(argc, (char **)bad[i].args, &a, err, sizeof err);
        if (r != ADMIN_PARSE_USAGE || !strstr(err, bad[i].msg))
            fail_msg("case %zu: result %d, message \"%s\", wanted \"%s\"", i, r, err, bad[i].msg);
    }
    /* Without --fy the current fiscal year is taken (ITA_TODAY stands in for the clock). */
    static const char *const no_fy[] = {"progress", "--code", "A", NULL};
    setenv("ITA_TODAY", "2026-12-06", 1);
    assert_int_equal(admin_parse(3, (char **)no_fy, &a, err, sizeof err), ADMIN_PARSE_OK);
    assert_string_equal(a.opt[AO_FY], "2570");
    unsetenv("ITA_TODAY");
    assert_true(cmd_admin_is_command("fetch-qr"));
    assert_false(cmd_admin_is_command("healthz"));
}
static const char *error_text(int status, const char *body)
{
    static char *buf;
    size_t len;
    free(buf);
    FILE *f = open_memstream(&buf, &len);
    api_print_error(f, status, body, body ? strlen(body) : 0);
    fclose(f);
    return buf;
}

static void test_error_messages(void **state)
{
    const char *t =
        error_text(401, "{\"error\":\"ไม่รู้จักโทเค็น API นี้ หรือโทเค็นถูกยกเลิกแล้ว\",\"status\":401}");
    assert_non_null(strstr(t, "HTTP 401: ไม่รู้จักโทเค็น API นี้ หรือโทเค็นถูกยกเลิกแล้ว"));
    assert_non_null(strstr(t, "/admin/tokens"));
    assert_non_null(strstr(t, "itad --create-api-token EMAIL\n"));
    t = error_text(404, "{\"error\":\"ไม่พบหน่วยงานนี้\",\"status\":404}");
    assert_non_null(strstr(t, "no such agency/link, or not yours (HTTP 404: ไม่พบหน่วยงานนี้)"));
    t = error_text(422, "{\"error\":\"รายชื่อมีข้อผิดพลาด\",\"status\":422,\"errors\":["
                        "{\"line\":3,\"column\":\"อีเมล\",\"reason\":\"อีเมลไม่ถูกต้อง\"},"
                        "{\"line\":5,\"column\":\"ชื่อ-นามสกุล\",\"reason\":\"ไม่มีชื่อ\"}],"
                        "\"error_count\":1002,\"bad_rows\":900}");
    const char *l3 = strstr(t, "  line 3, column \"อีเมล\": อีเมลไม่ถูกต้อง\n");
    const char *l5 = strstr(t, "  line 5, column \"ชื่อ-นามสกุล\": ไม่มีชื่อ\n");
    const char *count =
        strstr(t, "itactl: 1002 errors in 900 rows (the first 2 shown); nothing was imported");
    assert_true(l3 && l5 && count && l3 < l5 && l5 < count);
    t = error_text(404, "404 ไม่พบข้อมูลที่ต้องการ: โปรดเลือกจากเมนูอีกครั้ง\n");
    assert_non_null(strstr(t,
                           "or a request this server does not know (HTTP 404: 404 ไม่พบข้อมูลที่ต้องการ: "
                           "โปรดเลือกจากเมนูอีกครั้ง)"));
    t = error_text(409, "{\"error\":\"ยังเปิดรับคำตอบอยู่\",\"status\":409}");
    assert_string_equal(t, "itactl: refused in the current state (HTTP 409: ยังเปิดรับคำตอบอยู่)\n");
    t = error_text(413, "request body too large\r\n");
    assert_string_equal(t,
                        "itactl: the file is larger than the server accepts (its max_upload_bytes) "
                        "(HTTP 413: request body too large)\n");
    t = error_text(502, "<html>bad gateway</html>");
    assert_string_equal(t, "itactl: the server refused the request (HTTP 502)\n");
    t = error_text(500, NULL);
    assert_non_null(strstr(t, "HTTP 500"));
    char v[64];
    assert_true(api_header("HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\nX: y", "Content-Type", v,
                           sizeof v));
    assert_string_equal(v, "text/csv");
    assert_false(api_header("HTTP/1.1 200 OK\r\nX: y", "Content-Type", v, sizeof v));
}
static void test_thai_table(void **state)
{
    assert_int_equal(utf8_width("abc"), 3);
    assert_int_equal(utf8_width("ที่"), 1);                /* base + vowel above + tone mark */
    assert_int_equal(utf8_width("เทศบาลตำบลบางพลี"), 15); /* ำ is a spacing vowel; ี is not */
    assert_int_equal(utf8_width("日本"), 4);
    assert_int_equal(utf8_width("\xE0\xB8"), 2); /* truncated: one column per byte */
    static const char *const head[] = {"id", "name", "n"};
    static const bool right[] = {true, false, true};
    struct text_table t;
    text_table_init(&t, 3, head, right);
    const char *r1[] = {"7", "ที่ว่าการอำเภอ", "12"};
    const char *r2[] = {"10", "abc", NULL};
    text_table_add(&t, r1);
    text_table_add(&t, r2);
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    text_table_print(&t, f);
    fclose(f);
    text_table_free(&t);
    assert_string_equal(buf, "id  name          n\n"
                             " 7  ที่ว่าการอำเภอ  12\n"
                             "10  abc           -\n");
    free(buf);
}
int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_parse_url),       cmocka_unit_test(test_url_encode),
        cmocka_unit_test(test_parse_arguments), cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_thai_table),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthz_verified),
        cmocka_unit_test(test_untrusted_certificate),
        cmocka_unit_test(test_unhealthy_and_unreachable),
    };
    int failed = cmocka_run_group_tests_name("pure", pure, NULL, NULL);
    return failed + cmocka_run_group_tests_name("real server", tests, setup, teardown);
}
