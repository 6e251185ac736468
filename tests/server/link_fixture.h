/* The real web servers of the link checker's tests: a test CA and a server certificate for
 * 127.0.0.1 and localhost made with the openssl command, tests/support/https_test_server.py
 * started on a free port with it (and a second one with a self-signed certificate nobody trusts),
 * and a port where nothing listens. Included by test_link_check.c and test_evidence_check.c. */
#ifndef ITA_LINK_FIXTURE_H
#define ITA_LINK_FIXTURE_H

#include "testlib.h"

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct lf_server {
    pid_t pid;
    int port;
};

/* dir/ca.pem (a test CA) and dir/srv.pem + dir/srv.key (127.0.0.1 and localhost, signed by it). */
static void lf_make_certs(const char *dir)
{
    char cmd[4096], out[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n"
             "basicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf && "
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
             "-out ca.pem -days 2 -subj '/CN=ITA link test CA' 2>&1 && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key "
             "-out srv.csr -subj '/CN=localhost' 2>&1 && "
             "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
             "-days 2 -extfile ext.cnf 2>&1",
             dir);
    if (t_run_capture(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "openssl failed: %s\n", out);
        abort();
    }
}

/* Starts the test server with cert and key; /slow answers after slow_s seconds. */
static void lf_start(struct lf_server *s, const char *dir, const char *tag, const char *cert,
                     const char *key, const char *slow_s)
{
    char script[600], portfile[600], log[600];
    snprintf(script, sizeof script, "%s/tests/support/https_test_server.py",
             t_env("ITA_SOURCE_DIR"));
    snprintf(portfile, sizeof portfile, "%s/%s.port", dir, tag);
    snprintf(log, sizeof log, "%s/%s.log", dir, tag);
    unlink(portfile);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        if (!freopen(log, "w", stderr))
            _exit(126);
        /* nothing of the test's (ctest's lock file among them) may outlive it in the server */
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* and it goes when the test dies */
        execlp("python3", "python3", script, cert, key, portfile, slow_s, (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    for (int i = 0; i < 300; i++) {
        FILE *f = fopen(portfile, "r");
        if (f) {
            int ok = fscanf(f, "%d", &s->port);
            fclose(f);
            if (ok == 1)
                return;
        }
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            break;
        usleep(50000);
    }
    fprintf(stderr, "the test web server %s did not start (see %s)\n", tag, log);
    abort();
}

static void lf_stop(struct lf_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int st;
        for (int i = 0; i < 100 && waitpid(s->pid, &st, WNOHANG) == 0; i++)
            usleep(50000);
        if (waitpid(s->pid, &st, WNOHANG) == 0) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &st, 0);
        }
        s->pid = 0;
    }
}

/* A port on 127.0.0.1 where nothing listens (taken from the kernel, then closed). */
static int lf_closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        abort();
    close(fd);
    return ntohs(a.sin_port);
}

#endif
