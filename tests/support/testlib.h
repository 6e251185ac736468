/* Helpers shared by the tests that run real things: a throwaway database per test, a freshly
 * generated ECDSA P-256 certificate, the real itad binary started as a child process, and a
 * blocking TLS client that speaks raw HTTP/1.1 to it. Paths and connection data come from the
 * environment that CTest sets (see tests/CMakeLists.txt). */
#ifndef ITA_TESTLIB_H
#define ITA_TESTLIB_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Required environment variable (aborts the test with a message when missing). */
const char *t_env(const char *name);

/* Drops and creates database `name` in the test cluster; returns its conninfo (static buffer). */
const char *t_db_create(const char *name);
/* Runs SQL against conninfo and returns the first value of the first row (static buffer), or
 * NULL on error/no rows. */
const char *t_db_value(const char *conninfo, const char *sql);
/* Stops / starts the test cluster through tests/pg_fixture.sh. */
void t_pg_stop(void);
void t_pg_start(void);

/* Writes a self-signed P-256 certificate for localhost into dir/cert.pem, dir/key.pem.
 * cn distinguishes certificates in reload tests. */
void t_make_cert(const char *dir, const char *cn);
/* A new empty temporary directory (static buffer). */
const char *t_tmpdir(const char *tag);

struct t_server {
    pid_t pid;
    int port;
    char dir[256]; /* temp dir holding cert, key, log */
    char log[300]; /* itad's stderr */
};
/* Starts itad on port with conninfo and extra "--key=value" args (NULL-terminated); waits until
 * it accepts TLS connections. The metrics listener is off (--metrics-listen=) unless extra sets
 * --metrics-listen=127.0.0.1:PORT, so that test servers never meet on its default port. */
void t_server_start(struct t_server *s, int port, const char *conninfo, const char *const *extra);
/* Sends sig and waits for exit; returns the exit status (or 128+signal). */
int t_server_stop(struct t_server *s, int sig, int timeout_ms);
/* Waits for exit without signalling; -1 on timeout. */
int t_server_wait(struct t_server *s, int timeout_ms);

/* TLS client connection to localhost:port verified against cafile (NULL = no verification). */
struct t_conn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
};
bool t_connect(struct t_conn *c, int port, const char *cafile, int max_proto);
/* The same, first sending a PROXY v2 header that names client IPv4 address src (e.g. "10.0.0.1"),
 * as a load balancer would. */
bool t_connect_via_proxy(struct t_conn *c, int port, const char *src);
void t_close(struct t_conn *c);
bool t_send(struct t_conn *c, const void *buf, size_t len);
/* Reads one HTTP response (head + Content-Length body); returns status, or -1 when the
 * connection closed or timed out first. Body copied into body (may be NULL). */
int t_read_response(struct t_conn *c, char *body, size_t bodylen, int timeout_ms);
/* Header block of the last response read (NUL-terminated, static). */
const char *t_last_headers(void);
/* The same for a response that has no body whatever its Content-Length (HEAD); *clen receives
 * the Content-Length header's value. */
int t_read_head_response(struct t_conn *c, long *clen, int timeout_ms);
/* True when the peer closes the connection within timeout_ms (reads and discards data). */
bool t_wait_closed(struct t_conn *c, int timeout_ms);
/* GET path on a fresh connection; returns status or -1. */
int t_get(int port, const char *cafile, const char *path, char *body, size_t bodylen);

/* One plain-HTTP request (no TLS) to 127.0.0.1:port with Connection: close, as a metrics scraper
 * sends it; returns the status (-1 when nothing came within 10 s), the body lands in body and the
 * head in t_last_headers(). */
int t_plain_request(int port, const char *method, const char *path, char *body, size_t bodylen);

/* Waits until the server at port is healthy on every worker: /healthz answers 200 on `streak`
 * fresh connections in a row (the kernel spreads connections over the workers, so a streak of 8
 * reaches both of two workers but for a 1-in-128 chance). False when timeout_ms passes first.
 * Tests that stop the database or reload the server call this before relying on it again. */
bool t_wait_healthy(int port, const char *cafile, int timeout_ms);

/* Waits until the running server's rollup has counted every response that can be counted now:
 * nothing left in response_inbox, and nothing in response_pending but groups that wait for k
 * (`waiting` rows in all: 0 when every group's window has closed). False after timeout_ms. */
bool t_wait_counted(const char *conninfo, int waiting, int timeout_ms);

/* Runs a shell command, captures its standard output (NUL-terminated) and returns its exit status
 * (-1 when it did not exit normally). */
int t_run_capture(const char *cmd, char *out, size_t outlen);

/* The value of the hidden input `name` in an HTML page (static buffer); fails the test when the
 * page has none. */
const char *t_hidden_value(const char *page, const char *name);

long long t_now_ms(void);

/* ---- administrator e2e helpers (results, raw export) ---- */

/* Runs sql on a fresh connection (n text parameters; n 0: several statements allowed) and fails
 * the test if it does not succeed. */
void t_db_exec(const char *conninfo, const char *sql, int n, const char *const *params);
/* An administrator whose password is "correct horse" (role "system" or "agency"; agency_id as SQL
 * text: "NULL" or the agency's id). */
void t_make_admin(const char *conninfo, const char *email, const char *role, const char *agency_id);
/* A new API token for the administrator `email`, made by `itad --create-api-token` with the
 * secret of the server whose directory is server_dir (the server's own secret signs it), into
 * token (without the newline). 0, or -1 when itad failed. */
int t_create_api_token(const char *conninfo, const char *server_dir, const char *email, char *token,
                       size_t len);
/* One HTTP/1.1 request on a fresh connection to localhost:port (Connection: close), with
 * `Origin: https://localhost:port` unless no_origin, an extra header line (without CRLF) when
 * header is set, and a body of content type ctype when body is set. Returns the status (-1 when
 * no response came within timeout_ms); the body lands in page. */
struct t_http_req {
    const char *method, *path;
    const char *header; /* e.g. "Authorization: Bearer x" or "Cookie: ita_admin=x", or NULL */
    bool no_origin;
    const char *ctype;
    const void *body;
    size_t body_len;
    int timeout_ms;
};
int t_http(int port, const struct t_http_req *r, char *page, size_t pagelen);

/* One request to https://localhost:port with its own Origin, an optional ita_admin cookie and an
 * optional form body, on its own connection; the body of the answer goes to page. Returns the
 * status, -1 if nothing came. */
int t_admin_request(int port, const char *method, const char *path, const char *cookie,
                    const char *body, char *page, size_t pagelen);
/* Signs email (URL-encoded) in with "correct horse"; cookie gets ita_admin's value (64 bytes). */
void t_admin_login(int port, const char *email, char *cookie, char *page, size_t pagelen);

/* Loads instruments/<year>.json of the source tree into the database (itad --load-instruments);
 * path gets the file's path. Returns 0 on success. */
int t_load_instruments(const char *conninfo, const char *year, char *path, size_t pathlen);

#endif
