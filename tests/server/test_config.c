/* Unit tests for the configuration table: defaults, the file format, precedence of sources,
 * messages for bad values, and that every key is documented in the sample file and README. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *write_tmp(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/ita-config-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_defaults(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.port, 8443);
    assert_string_equal(c.listen, "127.0.0.1");
    assert_int_equal(c.max_header_bytes, 8192);
    assert_true(c.migrate_on_start);
    char err[256];
    /* no certificate configured: validation names the keys */
    assert_int_equal(config_validate(&c, err, sizeof err), -1);
    assert_non_null(strstr(err, "tls_cert"));
    config_free(&c);
}

static void test_file_and_precedence(void **state)
{
    struct config c;
    config_defaults(&c);
    char err[512];
    char *path = write_tmp("# comment\n\nport = 9000   # inline comment\nlisten=\"::1\"\n"
                           "tls-cert = /x/c.pem\ntls_key = /x/k.pem\nlog_level = debug\n"
                           "migrate_on_start = no\ndatabase_url = \"host=/a # not a comment\"\n"
                           "secret_file = /x/secret\n");
    assert_int_equal(config_load_file(&c, path, err, sizeof err), 0);
    assert_int_equal(c.port, 9000);
    assert_string_equal(c.listen, "::1");
    assert_string_equal(c.tls_cert, "/x/c.pem");
    assert_false(c.migrate_on_start);
    assert_string_equal(c.database_url, "host=/a # not a comment");
    /* environment overrides the file */
    char *env[] = {"ITAD_PORT=9100", "DATABASE_URL=dbname=x", "UNRELATED=1", NULL};
    assert_int_equal(config_load_env(&c, env, err, sizeof err), 0);
    assert_int_equal(c.port, 9100);
    assert_string_equal(c.database_url, "dbname=x");
    /* flags override the environment */
    assert_int_equal(config_set(&c, "port", "9200", "command line", err, sizeof err), 0);
    assert_int_equal(c.port, 9200);
    assert_int_equal(config_validate(&c, err, sizeof err), 0);
    unlink(path);
    config_free(&c);
}

static void test_bad_values(void **state)
{
    struct config c;
    config_defaults(&c);
    char err[512];
    assert_int_equal(config_set(&c, "port", "70000", "command line --port", err, sizeof err), -1);
    assert_string_equal(
        err,
        "command line --port: port = '70000' is not allowed; expected an integer from 1 to 65535");
    assert_int_equal(config_set(&c, "port", "12ab", "x", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "workers", "", "x", err, sizeof err), -1);
    assert_int_equal(config_set(&c, "migrate_on_start", "maybe", "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "expected true or false"));
    assert_int_equal(config_set(&c, "log_level", "loud", "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "error warn info debug"));
    assert_int_equal(config_set(&c, "colour", "blue", "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown configuration key 'colour'"));
    assert_int_equal(c.port, 8443); /* failed sets change nothing */

    char *path = write_tmp("port = 1\nnot a pair\n");
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 2"));
    assert_non_null(strstr(err, "expected 'key = value'"));
    unlink(path);
    path = write_tmp("db_pool_size = 0\n");
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    assert_non_null(
        strstr(err, "line 1: db_pool_size = '0' is not allowed; expected an integer from 1 to 64"));
    unlink(path);
    char *env[] = {"ITAD_PROT=1", NULL};
    assert_int_equal(config_load_env(&c, env, err, sizeof err), -1);
    assert_non_null(strstr(err, "ITAD_PROT"));
    assert_int_equal(config_load_file(&c, "/nonexistent/itad.conf", err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open configuration file /nonexistent/itad.conf"));
    config_free(&c);
}

/* metrics_listen: IPv4:PORT or [IPv6]:PORT, empty for none; anything else is refused by name. */
static void test_metrics_listen(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.metrics_listen, "127.0.0.1:9464");
    char err[512], addr[64];
    int port = 0;
    assert_int_equal(config_parse_host_port(c.metrics_listen, addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "127.0.0.1");
    assert_int_equal(port, 9464);
    assert_int_equal(config_set(&c, "metrics-listen", "[::1]:9100", "x", err, sizeof err), 0);
    assert_int_equal(config_parse_host_port(c.metrics_listen, addr, sizeof addr, &port), 0);
    assert_string_equal(addr, "::1");
    assert_int_equal(port, 9100);
    assert_int_equal(config_set(&c, "metrics_listen", "", "x", err, sizeof err), 0);
    assert_string_equal(c.metrics_listen, "");
    static const char *const bad[] = {"localhost:9464", "127.0.0.1", "::1:9464",    "[::1]",
                                      "[::1]9464",      ":9464",     "127.0.0.1:0", "1.2.3.4:65536",
                                      "1.2.3.4:+80",    "1.2.3.4:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (config_set(&c, "metrics_listen", bad[i], "command line --metrics-listen", err,
                       sizeof err) != -1)
            fail_msg("metrics_listen = '%s' was accepted", bad[i]);
        assert_non_null(strstr(err, "command line --metrics-listen: metrics_listen = '"));
        assert_non_null(strstr(err, "is not allowed; expected ADDRESS:PORT"));
    }
    assert_string_equal(c.metrics_listen, ""); /* failed sets change nothing */
    config_free(&c);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Every key appears in the sample configuration (as "key =") and in README.md, and the sample
 * file itself loads with the real parser. */
static void test_every_key_documented(void **state)
{
    const char *src = getenv("ITA_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/server/itad.conf.sample", src);
    char *sample = strdup(slurp(path));
    snprintf(path, sizeof path, "%s/README.md", src);
    char *readme = strdup(slurp(path));
    for (size_t i = 0; i < config_key_count(); i++) {
        char pat[128];
        snprintf(pat, sizeof pat, "\n%s =", config_key_name(i));
        if (!strstr(sample, pat))
            fail_msg("key %s is missing from server/itad.conf.sample", config_key_name(i));
        snprintf(pat, sizeof pat, "`%s`", config_key_name(i));
        if (!strstr(readme, pat))
            fail_msg("key %s is missing from README.md (as `%s`)", config_key_name(i),
                     config_key_name(i));
    }
    struct config c;
    config_defaults(&c);
    char err[512];
    snprintf(path, sizeof path, "%s/server/itad.conf.sample", src);
    if (config_load_file(&c, path, err, sizeof err) != 0)
        fail_msg("sample config does not load: %s", err);
    config_free(&c);
    free(sample);
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_file_and_precedence),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_metrics_listen),
        cmocka_unit_test(test_every_key_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
