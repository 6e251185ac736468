/* itactl against the real itad: verified TLS, exit statuses for healthy, unhealthy, untrusted
 * and unreachable servers, and URL parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "https_client.h"
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
    snprintf(args, sizeof args, "--url https://localhost:%d --cacert '%s/cert.pem' healthz", port, srv.dir);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_string_equal(out, "ok\ndatabase: ok\n");
    /* 127.0.0.1 is in the certificate's subjectAltName too */
    snprintf(args, sizeof args, "--url https://127.0.0.1:%d --cacert '%s/cert.pem' healthz", port, srv.dir);
    assert_int_equal(run(args, out, sizeof out), 0);
}

static void test_untrusted_certificate(void **state)
{
    char out[2048], args[1024];
    const char *other = t_tmpdir("otherca");
    t_make_cert(other, "someone-else");
    snprintf(args, sizeof args, "--url https://localhost:%d --cacert '%s/cert.pem' healthz", port, other);
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
    snprintf(args, sizeof args, "--url https://localhost:%d --cacert '%s/cert.pem' healthz", port, srv.dir);
    int rc = run(args, out, sizeof out);
    t_pg_start();
    assert_true(t_wait_healthy(port, NULL, 15000)); /* later tests need every worker's pool back */
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "database: unavailable"));
    assert_non_null(strstr(out, "server answered 503"));
    snprintf(args, sizeof args, "--url https://localhost:1 --cacert '%s/cert.pem' healthz", srv.dir);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_url),
        cmocka_unit_test(test_healthz_verified),
        cmocka_unit_test(test_untrusted_certificate),
        cmocka_unit_test(test_unhealthy_and_unreachable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
