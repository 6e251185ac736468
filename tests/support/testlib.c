/* Test support: real PostgreSQL, real certificates, the real itad, real TLS (see testlib.h). */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "test setup failed: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

const char *t_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        die("test environment variable %s is not set (run the tests through ctest)", name);
    return v;
}

long long t_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *admin_conninfo(void)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "host=%s port=5432 dbname=postgres user=ita",
             t_env("ITA_TEST_PG_DIR"));
    return buf;
}

static void exec_or_die(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        die("SQL failed: %s", PQresultErrorMessage(r));
    PQclear(r);
}

const char *t_db_create(const char *name)
{
    static char buf[512];
    PGconn *pg = PQconnectdb(admin_conninfo());
    if (PQstatus(pg) != CONNECTION_OK)
        die("cannot connect to the test cluster: %s", PQerrorMessage(pg));
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    exec_or_die(pg, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    exec_or_die(pg, sql);
    PQfinish(pg);
    snprintf(buf, sizeof buf, "host=%s port=5432 dbname=%s user=ita", t_env("ITA_TEST_PG_DIR"),
             name);
    return buf;
}

const char *t_db_value(const char *conninfo, const char *sql)
{
    static char buf[4096];
    PGconn *pg = PQconnectdb(conninfo);
    const char *out = NULL;
    if (PQstatus(pg) == CONNECTION_OK) {
        PGresult *r = PQexec(pg, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
            snprintf(buf, sizeof buf, "%s", PQgetvalue(r, 0, 0));
            out = buf;
        }
        PQclear(r);
    }
    PQfinish(pg);
    return out;
}

static void fixture(const char *cmd)
{
    char line[1024];
    snprintf(line, sizeof line, "'%s' %s '%s'", t_env("ITA_TEST_PG_FIXTURE"), cmd,
             t_env("ITA_TEST_PG_DIR"));
    if (system(line) != 0)
        die("pg fixture command failed: %s", line);
}

void t_pg_stop(void)
{
    fixture("stop");
}

void t_pg_start(void)
{
    fixture("start");
}

const char *t_hidden_value(const char *page, const char *name)
{
    static char v[256];
    char needle[96];
    snprintf(needle, sizeof needle, "name=\"%s\" value=\"", name);
    const char *p = strstr(page, needle);
    if (!p)
        die("no hidden input %s in the page", name);
    p += strlen(needle);
    snprintf(v, sizeof v, "%.*s", (int)strcspn(p, "\""), p);
    return v;
}

int t_run_capture(const char *cmd, char *out, size_t outlen)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        die("cannot run %s", cmd);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *t_tmpdir(const char *tag)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s-XXXXXX", t_env("ITA_TEST_TMP"), tag);
    mkdir(t_env("ITA_TEST_TMP"), 0755);
    if (!mkdtemp(buf))
        die("mkdtemp failed for %s", buf);
    return buf;
}

void t_make_cert(const char *dir, const char *cn)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    if (!key || !x)
        die("%s", "cannot generate a test key");
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(t_now_ms() & 0x7fffffff));
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext =
        X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    if (!X509_sign(x, key, EVP_sha256()))
        die("%s", "cannot sign the test certificate");
    char path[512];
    snprintf(path, sizeof path, "%s/cert.pem", dir);
    FILE *f = fopen(path, "w");
    if (!f || !PEM_write_X509(f, x))
        die("cannot write %s", path);
    fclose(f);
    snprintf(path, sizeof path, "%s/key.pem", dir);
    f = fopen(path, "w");
    if (!f || !PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL))
        die("cannot write %s", path);
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(key);
}

void t_server_start(struct t_server *s, int port, const char *conninfo, const char *const *extra)
{
    memset(s, 0, sizeof *s);
    s->port = port;
    snprintf(s->dir, sizeof s->dir, "%s", t_tmpdir("itad"));
    t_make_cert(s->dir, "first");
    snprintf(s->log, sizeof s->log, "%s/itad.log", s->dir);
    char a_cert[300], a_key[300], a_port[32], a_db[600], a_sql[600], a_secret[300];
    snprintf(a_secret, sizeof a_secret, "%s/secret", s->dir);
    FILE *sf = fopen(a_secret, "wb");
    unsigned char rnd[48];
    if (!sf || RAND_bytes(rnd, sizeof rnd) != 1 || fwrite(rnd, 1, sizeof rnd, sf) != sizeof rnd)
        die("cannot write %s", a_secret);
    fclose(sf);
    snprintf(a_secret, sizeof a_secret, "--secret-file=%s/secret", s->dir);
    snprintf(a_cert, sizeof a_cert, "--tls-cert=%s/cert.pem", s->dir);
    snprintf(a_key, sizeof a_key, "--tls-key=%s/key.pem", s->dir);
    snprintf(a_port, sizeof a_port, "--port=%d", port);
    snprintf(a_db, sizeof a_db, "--database-url=%s", conninfo);
    snprintf(a_sql, sizeof a_sql, "--migrations-dir=%s", t_env("ITA_SQL_DIR"));
    /* Tests run side by side with sanitizer builds and browsers: a database wait gets 20 s, not
     * the 3 s default, unless the test passes its own --db-timeout-ms (the last flag wins). */
    const char *argv[64] = {t_env("ITA_ITAD"),
                            a_cert,
                            a_key,
                            a_port,
                            a_db,
                            a_sql,
                            a_secret,
                            "--log-level=debug",
                            "--metrics-listen=",
                            "--db-timeout-ms=20000"};
    int n = 10;
    for (int i = 0; extra && extra[i] && n < 62; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        die("%s", "fork failed");
    if (pid == 0) {
        FILE *lf = freopen(s->log, "w", stderr);
        (void)lf;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    s->pid = pid;
    /* Ready when a TLS handshake succeeds (behind a PROXY header when the server expects one). */
    bool via_proxy = false;
    for (int i = 0; extra && extra[i]; i++)
        via_proxy |= strncmp(extra[i], "--proxy-from=", 13) == 0;
    for (int i = 0; i < 300; i++) {
        struct t_conn c;
        if (via_proxy ? t_connect_via_proxy(&c, port, "127.0.0.1") : t_connect(&c, port, NULL, 0)) {
            t_close(&c);
            return;
        }
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            char cmd[400];
            snprintf(cmd, sizeof cmd, "cat '%s' >&2", s->log);
            if (system(cmd) != 0)
                fprintf(stderr, "(no log)\n");
            die("%s", "itad exited during start-up");
        }
        usleep(50000);
    }
    die("%s", "itad did not accept connections within 15 s");
}

int t_server_wait(struct t_server *s, int timeout_ms)
{
    long long end = t_now_ms() + timeout_ms;
    while (t_now_ms() < end) {
        int st;
        pid_t r = waitpid(s->pid, &st, WNOHANG);
        if (r == s->pid) {
            s->pid = 0;
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        usleep(10000);
    }
    return -1;
}

int t_server_stop(struct t_server *s, int sig, int timeout_ms)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, sig);
    int rc = t_server_wait(s, timeout_ms);
    if (rc == -1) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
    return rc;
}

static bool connect_impl(struct t_conn *c, int port, const char *cafile, int max_proto,
                         const char *proxy_src);

bool t_connect(struct t_conn *c, int port, const char *cafile, int max_proto)
{
    return connect_impl(c, port, cafile, max_proto, NULL);
}

bool t_connect_via_proxy(struct t_conn *c, int port, const char *src)
{
    return connect_impl(c, port, NULL, 0, src);
}

static bool connect_impl(struct t_conn *c, int port, const char *cafile, int max_proto,
                         const char *proxy_src)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {10, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(c->fd);
        c->fd = -1;
        return false;
    }
    if (proxy_src) {
        unsigned char h[28] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51,
                               0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C};
        inet_pton(AF_INET, proxy_src, h + 16);
        inet_pton(AF_INET, "127.0.0.1", h + 20);
        h[24] = 0x30;
        h[26] = (unsigned char)(port >> 8);
        h[27] = (unsigned char)port;
        if (send(c->fd, h, sizeof h, 0) != (ssize_t)sizeof h) {
            close(c->fd);
            c->fd = -1;
            return false;
        }
    }
    c->ctx = SSL_CTX_new(TLS_client_method());
    if (max_proto) {
        SSL_CTX_set_min_proto_version(c->ctx, 0);
        SSL_CTX_set_max_proto_version(c->ctx, max_proto);
        SSL_CTX_set_security_level(c->ctx, 0);
    }
    if (cafile) {
        SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
        SSL_CTX_load_verify_locations(c->ctx, cafile, NULL);
    }
    c->ssl = SSL_new(c->ctx);
    SSL_set_fd(c->ssl, c->fd);
    SSL_set_tlsext_host_name(c->ssl, "localhost");
    if (cafile)
        SSL_set1_host(c->ssl, "localhost");
    if (SSL_connect(c->ssl) != 1) {
        ERR_clear_error();
        t_close(c);
        return false;
    }
    return true;
}

void t_close(struct t_conn *c)
{
    if (c->ssl)
        SSL_free(c->ssl);
    if (c->ctx)
        SSL_CTX_free(c->ctx);
    if (c->fd >= 0)
        close(c->fd);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

bool t_send(struct t_conn *c, const void *buf, size_t len)
{
    return SSL_write(c->ssl, buf, (int)len) == (int)len;
}

/* Reads with a deadline; returns bytes, 0 on close, -1 on timeout/error. */
static int read_some(struct t_conn *c, char *buf, size_t len, long long deadline)
{
    for (;;) {
        if (SSL_pending(c->ssl) == 0) {
            long long left = deadline - t_now_ms();
            if (left <= 0)
                return -1;
            struct pollfd p = {.fd = c->fd, .events = POLLIN};
            int pr = poll(&p, 1, (int)left);
            if (pr == 0)
                return -1;
        }
        int r = SSL_read(c->ssl, buf, (int)len);
        if (r > 0)
            return r;
        int e = SSL_get_error(c->ssl, r);
        ERR_clear_error();
        if (e == SSL_ERROR_WANT_READ)
            continue;
        return e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL || e == SSL_ERROR_SSL ? 0 : -1;
    }
}

static _Thread_local char last_headers[16384]; /* per thread: tests send from many at once */

const char *t_last_headers(void)
{
    return last_headers;
}

/* The body of a chunked response whose head ends at buf + head (n bytes read so far, buf of 1 MiB),
 * decoded into body until the last chunk. False when it is cut short or malformed. */
static bool read_chunked(struct t_conn *c, char *buf, size_t n, size_t head, char *body,
                         size_t bodylen, long long deadline)
{
    size_t pos = head, out = 0, cap = (size_t)1 << 20;
    for (;;) {
        char *eol;
        while (buf[n] = '\0', !(eol = strstr(buf + pos, "\r\n"))) {
            int r = n < cap - 1 ? read_some(c, buf + n, cap - 1 - n, deadline) : -1;
            if (r <= 0)
                return false;
            n += (size_t)r;
        }
        size_t size = strtoul(buf + pos, NULL, 16);
        size_t data = (size_t)(eol + 2 - buf);
        while (n < data + size + 2) {
            int r = n < cap - 1 ? read_some(c, buf + n, cap - 1 - n, deadline) : -1;
            if (r <= 0)
                return false;
            n += (size_t)r;
        }
        if (size == 0)
            break;
        if (body && bodylen) {
            size_t m = out + size < bodylen - 1 ? size : bodylen - 1 - out;
            memcpy(body + out, buf + data, m);
            out += m;
        }
        pos = data + size + 2;
    }
    if (body && bodylen)
        body[out] = '\0';
    return true;
}

static int read_response(struct t_conn *c, char *body, size_t bodylen, int timeout_ms,
                         bool head_only, long *clen)
{
    long long deadline = t_now_ms() + timeout_ms;
    static _Thread_local char buf[1 << 20]; /* per thread: racing tests read at once */
    size_t n = 0;
    for (;;) {
        buf[n] = '\0';
        char *sep = strstr(buf, "\r\n\r\n");
        if (sep) {
            int status = -1;
            if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
                return -1;
            size_t cl = 0;
            bool chunked = false;
            for (char *p = buf; p && p < sep; p = strstr(p + 1, "\r\n")) {
                char *q = p[0] == '\r' ? p + 2 : p;
                if (strncasecmp(q, "Content-Length:", 15) == 0)
                    cl = strtoul(q + 15, NULL, 10);
                if (strncasecmp(q, "Transfer-Encoding: chunked", 26) == 0)
                    chunked = true;
            }
            size_t head = (size_t)(sep + 4 - buf);
            snprintf(last_headers, sizeof last_headers, "%.*s", (int)(sep - buf), buf);
            if (clen)
                *clen = (long)cl;
            if (head_only)
                return n == head ? status : -1; /* nothing may follow the head */
            if (chunked)
                return read_chunked(c, buf, n, head, body, bodylen, deadline) ? status : -1;
            while (n < head + cl) {
                int r = read_some(c, buf + n, sizeof buf - 1 - n, deadline);
                if (r <= 0)
                    return -1;
                n += (size_t)r;
            }
            if (body && bodylen) {
                size_t m = cl < bodylen - 1 ? cl : bodylen - 1;
                memcpy(body, buf + head, m);
                body[m] = '\0';
            }
            return status;
        }
        if (n >= sizeof buf - 1)
            return -1;
        int r = read_some(c, buf + n, sizeof buf - 1 - n, deadline);
        if (r <= 0)
            return -1;
        n += (size_t)r;
    }
}

int t_read_response(struct t_conn *c, char *body, size_t bodylen, int timeout_ms)
{
    return read_response(c, body, bodylen, timeout_ms, false, NULL);
}

int t_read_head_response(struct t_conn *c, long *clen, int timeout_ms)
{
    return read_response(c, NULL, 0, timeout_ms, true, clen);
}

bool t_wait_closed(struct t_conn *c, int timeout_ms)
{
    long long deadline = t_now_ms() + timeout_ms;
    char buf[4096];
    for (;;) {
        int r = read_some(c, buf, sizeof buf, deadline);
        if (r == 0)
            return true;
        if (r < 0)
            return false;
    }
}

int t_get(int port, const char *cafile, const char *path, char *body, size_t bodylen)
{
    struct t_conn c;
    if (!t_connect(&c, port, cafile, 0))
        return -1;
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", path);
    int st = t_send(&c, req, (size_t)n) ? t_read_response(&c, body, bodylen, 15000) : -1;
    t_close(&c);
    return st;
}

int t_plain_request(int port, const char *method, const char *path, char *body, size_t bodylen)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char req[512];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", method,
                     path, port);
    static char buf[1 << 20];
    size_t got = 0;
    long long deadline = t_now_ms() + 10000;
    bool ok = send(fd, req, (size_t)n, MSG_NOSIGNAL) == n;
    while (ok && got < sizeof buf - 1) { /* Connection: close, so the answer ends at EOF */
        long long left = deadline - t_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            ok = false;
            break;
        }
        ssize_t r = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (r <= 0) {
            ok = r == 0;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    int status = -1;
    if (!ok || !sep || sscanf(buf, "HTTP/1.1 %d", &status) != 1)
        return -1;
    snprintf(last_headers, sizeof last_headers, "%.*s", (int)(sep - buf), buf);
    if (body && bodylen)
        snprintf(body, bodylen, "%s", sep + 4);
    return status;
}

bool t_wait_counted(const char *conninfo, int waiting, int timeout_ms)
{
    char want[32];
    snprintf(want, sizeof want, "0/%d", waiting);
    for (int waited = 0;; waited += 50) {
        const char *got = t_db_value(conninfo, "SELECT (SELECT count(*) FROM response_inbox) || '/'"
                                               " || (SELECT count(*) FROM response_pending)");
        if (strcmp(got, want) == 0)
            return true;
        if (waited >= timeout_ms)
            return false;
        usleep(50 * 1000);
    }
}

bool t_wait_healthy(int port, const char *cafile, int timeout_ms)
{
    long long t0 = t_now_ms();
    int streak = 0;
    while (t_now_ms() - t0 < timeout_ms) {
        if (t_get(port, cafile, "/healthz", NULL, 0) == 200) {
            if (++streak >= 8)
                return true;
            continue;
        }
        streak = 0;
        usleep(100 * 1000);
    }
    return false;
}

/* ---- administrator e2e helpers (results, raw export) ---- */

/* cmocka's checks, for the helpers below only (included here to keep the additions together) */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

void t_db_exec(const char *conninfo, const char *sql, int n, const char *const *params)
{
    PGconn *pg = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    PGresult *r = n > 0 ? PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0) : PQexec(pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(pg);
}

/* crypto_pwhash_str("correct horse", OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE), made once. */
#define T_ADMIN_PASSWORD_HASH                                                                      \
    "$argon2id$v=19$m=65536,t=2,p=1$u4Xz9XhbNHTjWqg8pn4hfA$"                                       \
    "zZfFSE3HxAu8MvnJ5wdamQM9FXC1OXeTq39uCoHZJ6A"

void t_make_admin(const char *conninfo, const char *email, const char *role, const char *agency_id)
{
    char q[1024];
    snprintf(q, sizeof q,
             "INSERT INTO admin_user (email, role, agency_id, password_hash) "
             "VALUES ('%s', '%s', %s, '%s') RETURNING id",
             email, role, agency_id, T_ADMIN_PASSWORD_HASH);
    assert_non_null(t_db_value(conninfo, q));
}

int t_create_api_token(const char *conninfo, const char *server_dir, const char *email, char *token,
                       size_t len)
{
    char cmd[2048], out[512];
    snprintf(cmd, sizeof cmd,
             "'%s' --database-url='%s' --secret-file='%s/secret' --create-api-token %s 2>/dev/null",
             t_env("ITA_ITAD"), conninfo, server_dir, email);
    if (t_run_capture(cmd, out, sizeof out) != 0)
        return -1;
    snprintf(token, len, "%.*s", (int)strcspn(out, "\n"), out);
    return 0;
}

int t_http(int port, const struct t_http_req *r, char *page, size_t pagelen)
{
    struct t_conn c;
    if (!t_connect(&c, port, NULL, 0))
        return -1;
    char head[4096];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: localhost:%d\r\n", r->method,
                     r->path, port);
    if (!r->no_origin)
        n += snprintf(head + n, sizeof head - (size_t)n, "Origin: https://localhost:%d\r\n", port);
    if (r->header)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", r->header);
    if (r->body)
        n += snprintf(head + n, sizeof head - (size_t)n,
                      "Content-Type: %s\r\nContent-Length: %zu\r\n", r->ctype, r->body_len);
    n += snprintf(head + n, sizeof head - (size_t)n, "Connection: close\r\n\r\n");
    int st = -1;
    if (t_send(&c, head, (size_t)n) && (!r->body || t_send(&c, r->body, r->body_len)))
        st = t_read_response(&c, page, pagelen, r->timeout_ms);
    t_close(&c);
    return st;
}

int t_admin_request(int port, const char *method, const char *path, const char *cookie,
                    const char *body, char *page, size_t pagelen)
{
    char header[160];
    if (cookie)
        snprintf(header, sizeof header, "Cookie: ita_admin=%s", cookie);
    struct t_http_req r = {.method = method,
                           .path = path,
                           .header = cookie ? header : NULL,
                           .ctype = "application/x-www-form-urlencoded",
                           .body = body,
                           .body_len = body ? strlen(body) : 0,
                           .timeout_ms = 60000};
    return t_http(port, &r, page, pagelen);
}

void t_admin_login(int port, const char *email, char *cookie, char *page, size_t pagelen)
{
    assert_int_equal(t_admin_request(port, "GET", "/admin/login", NULL, NULL, page, pagelen), 200);
    char body[512];
    snprintf(body, sizeof body, "f=%s&email=%s&password=correct+horse", t_hidden_value(page, "f"),
             email);
    assert_int_equal(t_admin_request(port, "POST", "/admin/login", NULL, body, page, pagelen), 303);
    const char *sc = strstr(t_last_headers(), "Set-Cookie: ita_admin=");
    assert_non_null(sc);
    sc += strlen("Set-Cookie: ita_admin=");
    snprintf(cookie, 64, "%.*s", (int)strcspn(sc, ";"), sc);
}

int t_load_instruments(const char *conninfo, const char *year, char *path, size_t pathlen)
{
    char cmd[2048], out[512];
    snprintf(path, pathlen, "%s/instruments/%s.json", t_env("ITA_SOURCE_DIR"), year);
    snprintf(cmd, sizeof cmd, "'%s' --database-url='%s' --load-instruments '%s' >/dev/null 2>&1",
             t_env("ITA_ITAD"), conninfo, path);
    return t_run_capture(cmd, out, sizeof out) != 0 ? -1 : 0;
}
