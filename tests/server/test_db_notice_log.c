/* libpq notices through the logger (server/db/pg_conn.c): a connection made by pg_conn writes a
 * server's NOTICE as one logfmt line with its level, severity and SQLSTATE (not libpq's text on
 * stderr), and a flood of one WARNING passes the logger's repeated-line limiter: 10 lines, then
 * one "repeated=K" line for the rest. A real PostgreSQL (the test cluster). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/pg_conn.h"
#include "log.h"
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[512];
static int fd = -1;

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static const char *read_log(void)
{
    static char buf[1 << 20];
    int r = open(path, O_RDONLY);
    assert_true(r >= 0);
    ssize_t n = read(r, buf, sizeof buf - 1);
    close(r);
    buf[n < 0 ? 0 : n] = '\0';
    return buf;
}

static void test_notice_is_one_logfmt_line(void **state)
{
    const char *conninfo = t_db_create("ita_notice_log");
    snprintf(path, sizeof path, "%s/log", t_tmpdir("notice"));
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    log_set_fd(fd);
    log_set_level(LOG_INFO);
    char err[512];
    PGconn *pg = pg_connect_blocking(conninfo, err, sizeof err);
    assert_non_null(pg);
    PGresult *r = PQexec(pg, "DO $$ BEGIN RAISE NOTICE 'the disk is % percent full', 93"
                             " USING DETAIL = 'tablespace \"pg_default\"'; END $$");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    const char *log = read_log();
    printf("%s", log);
    fflush(stdout);
    assert_int_equal(count(log, "\n"), 1);
    assert_non_null(strstr(log, " level=info event=pg_notice severity=NOTICE sqlstate=00000"
                                " message=\"the disk is 93 percent full\""
                                " detail=\"tablespace \\\"pg_default\\\"\"\n"));
    assert_int_equal(strncmp(log, "ts=", 3), 0);

    /* 50 warnings at once: 10 written, the other 40 summarised by the next one after a second */
    r = PQexec(pg, "DO $$ BEGIN FOR i IN 1..50 LOOP RAISE WARNING 'could not write block %', i"
                   " USING ERRCODE = '53100'; END LOOP; END $$");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    usleep(1100 * 1000);
    r = PQexec(pg, "DO $$ BEGIN RAISE WARNING 'could not write block 51' USING ERRCODE = '53100';"
                   " END $$");
    PQclear(r);
    log = read_log();
    printf("%s", log);
    fflush(stdout);
    assert_int_equal(count(log, "level=warn event=pg_notice severity=WARNING sqlstate=53100"),
                     LOG_LIMIT_PER_SEC + 1);
    assert_int_equal(count(log, "level=warn event=pg_notice repeated=40 window_ms="), 1);
    assert_int_equal(count(log, "\n"), 1 + LOG_LIMIT_PER_SEC + 2);
    PQfinish(pg);
    log_set_fd(2);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_is_one_logfmt_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
