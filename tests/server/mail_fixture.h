/* The real SMTP relay of the mail tests: tests/support/smtp_sink.py (Debian's python3-aiosmtpd,
 * STARTTLS required, optional AUTH, addresses refused or deferred at RCPT TO) started as a child
 * on a free port, stopped and started again on the same port (a relay that goes away and comes
 * back), and tests/support/mail_check.py reading back what it stored, as JSON. The certificates
 * come from link_fixture.h's lf_make_certs (a test CA, a server certificate for 127.0.0.1).
 * Both scripts run on Debian's /usr/bin/python3, the interpreter python3-aiosmtpd is built for. */
#ifndef ITA_MAIL_FIXTURE_H
#define ITA_MAIL_FIXTURE_H

/* each test uses only some of these helpers (test_mail_message only the checker) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"

#include "link_fixture.h"

#include <dirent.h>
#include <jansson.h>

#define MF_PYTHON "/usr/bin/python3"
#define MF_ARGS_MAX 12

struct mf_relay {
    pid_t pid;
    int port;           /* the port it listens on (kept across mf_restart) */
    char maildir[512];  /* where accepted messages land as NNNNNNNN.eml */
    char portfile[512]; /* the sink writes its port here */
    char log[512];      /* its stderr */
    char *argv[MF_ARGS_MAX + 8];
    int argc; /* arguments after the script, before --port */
};

static void mf_spawn(struct mf_relay *r)
{
    char script[600], port[16];
    snprintf(script, sizeof script, "%s/tests/support/smtp_sink.py", t_env("ITA_SOURCE_DIR"));
    snprintf(port, sizeof port, "%d", r->port);
    unlink(r->portfile);
    char *argv[MF_ARGS_MAX + 16];
    int n = 0;
    argv[n++] = MF_PYTHON;
    argv[n++] = script;
    for (int i = 0; i < r->argc; i++)
        argv[n++] = r->argv[i];
    argv[n++] = "--port";
    argv[n++] = port;
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        if (!freopen(r->log, "a", stderr))
            _exit(126);
        /* nothing of the test's (ctest's lock file among them) may outlive it in the relay */
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* and it goes when the test dies */
        execv(MF_PYTHON, argv);
        _exit(127);
    }
    r->pid = pid;
    for (int i = 0; i < 300; i++) {
        FILE *f = fopen(r->portfile, "r");
        if (f) {
            int ok = fscanf(f, "%d", &r->port);
            fclose(f);
            if (ok == 1)
                return;
        }
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            break;
        usleep(50000);
    }
    fprintf(stderr, "the test SMTP relay did not start (see %s)\n", r->log);
    abort();
}

/* Starts the relay in dir/tag.mail with cert and key, on a free port; opts: more arguments of
 * smtp_sink.py ("--refuse", FILE, "--auth", "u:p", "--no-tls", ...), NULL-terminated, or NULL. */
static void mf_start(struct mf_relay *r, const char *dir, const char *tag, const char *cert,
                     const char *key, const char *const *opts)
{
    memset(r, 0, sizeof *r);
    snprintf(r->maildir, sizeof r->maildir, "%s/%s.mail", dir, tag);
    snprintf(r->portfile, sizeof r->portfile, "%s/%s.port", dir, tag);
    snprintf(r->log, sizeof r->log, "%s/%s.log", dir, tag);
    r->argv[r->argc++] = strdup(cert);
    r->argv[r->argc++] = strdup(key);
    r->argv[r->argc++] = strdup(r->portfile);
    r->argv[r->argc++] = strdup(r->maildir);
    for (int i = 0; opts && opts[i]; i++) {
        if (r->argc >= MF_ARGS_MAX)
            abort();
        r->argv[r->argc++] = strdup(opts[i]);
    }
    mf_spawn(r);
}

/* Stops the relay (SIGTERM, SIGKILL after 5 s); its connections close with it. */
static void mf_stop(struct mf_relay *r)
{
    struct lf_server s = {.pid = r->pid, .port = r->port};
    lf_stop(&s);
    r->pid = 0;
}

/* Starts the stopped relay again with the same arguments on the same port. */
static void mf_restart(struct mf_relay *r)
{
    mf_spawn(r);
}

static void mf_free(struct mf_relay *r)
{
    mf_stop(r);
    for (int i = 0; i < r->argc; i++)
        free(r->argv[i]);
    r->argc = 0;
}

/* How many messages the relay has stored. */
static int mf_count(const struct mf_relay *r)
{
    DIR *d = opendir(r->maildir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] != '.' && l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* How many connections the relay has taken since it first started (the sink counts them). */
static int mf_connections(const struct mf_relay *r)
{
    char path[600];
    snprintf(path, sizeof path, "%s/.connections", r->maildir);
    FILE *f = fopen(path, "r");
    int n = 0;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = 0;
        fclose(f);
    }
    return n;
}

/* mail_check.py's verdict on every message of maildir (the caller json_decref's it); aborts when
 * the script fails or prints no JSON. */
static json_t *mf_check(const char *maildir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, MF_PYTHON " '%s/tests/support/mail_check.py' '%s'",
             t_env("ITA_SOURCE_DIR"), maildir);
    size_t cap = 8 << 20;
    char *out = malloc(cap);
    if (!out)
        abort();
    int rc = t_run_capture(cmd, out, cap);
    json_error_t je;
    json_t *j = rc == 0 ? json_loads(out, 0, &je) : NULL;
    if (!j) {
        fprintf(stderr, "mail_check.py failed (%d): %.2000s\n", rc, out);
        abort();
    }
    free(out);
    return j;
}

#pragma GCC diagnostic pop

#endif
