/* itad and systemd (Type=notify, debian/itad.service): the real itad started with NOTIFY_SOCKET
 * naming a datagram socket this test owns. READY=1 must not come while the database is out of
 * reach (the server then answers /healthz with 503), must come once every worker has its database
 * (from then on /healthz answers 200 on every worker), and SIGHUP brings RELOADING=1 then READY=1,
 * SIGTERM STOPPING=1. The database is made reachable by linking its socket into the directory the
 * server's database_url names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testlib.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int notify_fd = -1;

/* Receives one notification within timeout_ms into buf; false when none came. */
static bool next_message(char *buf, size_t len, int timeout_ms)
{
    struct pollfd p = {.fd = notify_fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) != 1)
        return false;
    ssize_t n = recv(notify_fd, buf, len - 1, 0);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return true;
}

/* True when `state` (e.g. "READY=1") is one of the message's lines. */
static bool has_line(const char *msg, const char *state)
{
    size_t n = strlen(state);
    for (const char *p = msg; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, state, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return true;
    return false;
}

/* Waits up to timeout_ms for a message carrying `state`; the messages before it go to `seen`. */
static bool wait_for(const char *state, int timeout_ms, char *seen, size_t seenlen)
{
    long long end = t_now_ms() + timeout_ms;
    char msg[1024];
    for (long long left; (left = end - t_now_ms()) > 0;) {
        if (!next_message(msg, sizeof msg, (int)left))
            break;
        fprintf(stderr, "# notify: %s\n", msg);
        if (has_line(msg, state))
            return true;
        if (seen)
            snprintf(seen + strlen(seen), seenlen - strlen(seen), "%s|", msg);
    }
    return false;
}

static void test_ready_reload_stopping(void **state)
{
    int port = atoi(t_env("ITA_TEST_PORT"));
    const char *db = t_db_create("ita_sd_notify");
    char cmd[1400], out[4096];
    snprintf(cmd, sizeof cmd, "'%s' --migrate-only --database-url='%s' --migrations-dir='%s' 2>&1",
             t_env("ITA_ITAD"), db, t_env("ITA_SQL_DIR"));
    assert_int_equal(t_run_capture(cmd, out, sizeof out), 0);

    char dir[256], sockdir[300], path[320], pg_sock[300], conninfo[600];
    snprintf(dir, sizeof dir, "%s", t_tmpdir("notify"));
    snprintf(sockdir, sizeof sockdir, "%s/pg", dir);
    assert_int_equal(mkdir(sockdir, 0700), 0);
    snprintf(path, sizeof path, "%s/notify.sock", dir);
    notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    assert_true(strlen(path) < sizeof sa.sun_path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    assert_int_equal(bind(notify_fd, (struct sockaddr *)&sa, sizeof sa), 0);
    setenv("NOTIFY_SOCKET", path, 1);

    /* the database_url names a directory that has no PostgreSQL socket yet */
    snprintf(conninfo, sizeof conninfo, "host=%s port=5432 dbname=ita_sd_notify user=ita", sockdir);
    const char *extra[] = {"--workers=2", "--migrate-on-start=false", "--db-timeout-ms=300", NULL};
    struct t_server srv;
    t_server_start(&srv, port, conninfo, extra);
    unsetenv("NOTIFY_SOCKET");

    char seen[2048] = "";
    char body[4096];
    assert_int_equal(t_get(port, NULL, "/healthz", body, sizeof body), 503);
    assert_false(wait_for("READY=1", 2500, seen, sizeof seen)); /* serving 503: not ready */
    assert_non_null(strstr(seen, "STATUS=starting"));
    assert_int_equal(t_get(port, NULL, "/healthz", body, sizeof body), 503);

    /* the database comes: READY=1 follows, and from then on every worker answers 200 */
    snprintf(pg_sock, sizeof pg_sock, "%s/.s.PGSQL.5432", t_env("ITA_TEST_PG_DIR"));
    snprintf(path, sizeof path, "%s/.s.PGSQL.5432", sockdir);
    assert_int_equal(symlink(pg_sock, path), 0);
    seen[0] = '\0';
    assert_true(wait_for("READY=1", 20000, seen, sizeof seen));
    for (int i = 0; i < 12; i++) { /* fresh connections reach both workers */
        assert_int_equal(t_get(port, NULL, "/healthz", body, sizeof body), 200);
        assert_non_null(strstr(body, "database: ok"));
    }

    /* SIGHUP: RELOADING=1, then READY=1 again */
    kill(srv.pid, SIGHUP);
    char msg[1024];
    assert_true(next_message(msg, sizeof msg, 5000));
    assert_true(has_line(msg, "RELOADING=1"));
    assert_non_null(strstr(msg, "MONOTONIC_USEC="));
    assert_true(wait_for("READY=1", 5000, NULL, 0));

    /* SIGTERM: STOPPING=1, and a clean exit */
    kill(srv.pid, SIGTERM);
    assert_true(next_message(msg, sizeof msg, 5000));
    assert_true(has_line(msg, "STOPPING=1"));
    assert_int_equal(t_server_wait(&srv, 15000), 0);
    close(notify_fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_ready_reload_stopping)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
