/* Blocking HTTPS client used by itactl (a command-line tool may block; the server never does). */
#include "https_client.h"
#include "xalloc.h"

#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int https_parse_url(const char *url, struct https_target *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (strncmp(url, "https://", 8) != 0) {
        snprintf(err, errlen, "URL '%s' must start with https://", url);
        return -1;
    }
    const char *h = url + 8;
    const char *slash = strchr(h, '/');
    size_t hostport_len = slash ? (size_t)(slash - h) : strlen(h);
    const char *colon = NULL;
    if (h[0] == '[') {
        const char *rb = memchr(h, ']', hostport_len);
        if (!rb) {
            snprintf(err, errlen, "URL '%s': unterminated IPv6 address", url);
            return -1;
        }
        snprintf(t->host, sizeof t->host, "%.*s", (int)(rb - h - 1), h + 1);
        if (rb + 1 < h + hostport_len && rb[1] == ':')
            colon = rb + 1;
    } else {
        colon = memchr(h, ':', hostport_len);
        size_t hl = colon ? (size_t)(colon - h) : hostport_len;
        if (hl == 0 || hl >= sizeof t->host) {
            snprintf(err, errlen, "URL '%s': missing or too long host name", url);
            return -1;
        }
        snprintf(t->host, sizeof t->host, "%.*s", (int)hl, h);
    }
    if (colon) {
        size_t pl = (size_t)(h + hostport_len - colon - 1);
        if (pl == 0 || pl > 5 || strspn(colon + 1, "0123456789") < pl) {
            snprintf(err, errlen, "URL '%s': port must be a number", url);
            return -1;
        }
        snprintf(t->port, sizeof t->port, "%.*s", (int)pl, colon + 1);
    } else {
        snprintf(t->port, sizeof t->port, "443");
    }
    if (slash) {
        size_t pl = strlen(slash);
        while (pl > 0 && slash[pl - 1] == '/')
            pl--;
        if (pl >= sizeof t->base_path) {
            snprintf(err, errlen, "URL '%s': path too long", url);
            return -1;
        }
        snprintf(t->base_path, sizeof t->base_path, "%.*s", (int)pl, slash);
    }
    return 0;
}

static int connect_tcp(const struct https_target *t, int timeout_s, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(t->host, t->port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", t->host, gai_strerror(gai));
        return -1;
    }
    int fd = -1, last = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        struct timeval tv = {timeout_s, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        last = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, errlen, "cannot connect to %s port %s: %s", t->host, t->port, strerror(last));
    return fd;
}

static const char *ssl_err(char *buf, size_t len)
{
    unsigned long e = ERR_get_error();
    if (!e)
        snprintf(buf, len, "connection closed during TLS");
    else
        ERR_error_string_n(e, buf, len);
    ERR_clear_error();
    return buf;
}

/* True once the head and Content-Length bytes of body are in buf (NUL-terminated). */
static bool response_complete(const char *buf, size_t n)
{
    const char *sep = strstr(buf, "\r\n\r\n");
    if (!sep)
        return false;
    for (const char *p = buf; p && p < sep; p = strstr(p, "\r\n")) {
        if (*p == '\r')
            p += 2;
        if (strncasecmp(p, "Content-Length:", 15) == 0) {
            unsigned long long cl = strtoull(p + 15, NULL, 10);
            return (size_t)(sep + 4 - buf) + cl <= n;
        }
    }
    return false;
}

/* Decodes a body framed by chunked transfer coding (RFC 9112 7.1) as it arrives, writing the
 * data to a file. No chunk extensions or trailers are expected (itad sends none). */
struct chunk_decoder {
    enum { CH_SIZE, CH_DATA, CH_DATA_END, CH_LAST, CH_DONE } state;
    unsigned long long left; /* CH_DATA: bytes of the chunk still to come */
    char line[32];           /* CH_SIZE: the size line so far */
    size_t line_len;
    int crlf; /* CH_DATA_END, CH_LAST: bytes of the CRLF seen */
};

/* Feeds n bytes; 0, or -1 with a message in err when the framing is broken. */
static int chunk_feed(struct chunk_decoder *d, const char *p, size_t n, FILE *out, char *err,
                      size_t errlen)
{
    while (n > 0 && d->state != CH_DONE) {
        switch (d->state) {
        case CH_SIZE:
            if (*p == '\n') {
                if (d->line_len == 0 || d->line[d->line_len - 1] != '\r') {
                    snprintf(err, errlen, "malformed chunk size line");
                    return -1;
                }
                d->line[d->line_len - 1] = '\0';
                char *end;
                d->left = strtoull(d->line, &end, 16);
                if (end == d->line || *end) {
                    snprintf(err, errlen, "malformed chunk size '%s'", d->line);
                    return -1;
                }
                d->line_len = 0;
                d->state = d->left ? CH_DATA : CH_LAST;
                d->crlf = 0;
            } else if (d->line_len + 1 >= sizeof d->line) {
                snprintf(err, errlen, "chunk size line too long");
                return -1;
            } else {
                d->line[d->line_len++] = *p;
            }
            p++, n--;
            break;
        case CH_DATA: {
            size_t k = n < d->left ? n : (size_t)d->left;
            if (fwrite(p, 1, k, out) != k) {
                snprintf(err, errlen, "writing the file failed: %s", strerror(errno));
                return -1;
            }
            p += k, n -= k, d->left -= k;
            if (d->left == 0) {
                d->state = CH_DATA_END;
                d->crlf = 0;
            }
            break;
        }
        case CH_DATA_END:
        case CH_LAST:
            if (*p != "\r\n"[d->crlf]) {
                snprintf(err, errlen, "malformed chunk end");
                return -1;
            }
            p++, n--;
            if (++d->crlf == 2)
                d->state = d->state == CH_LAST ? CH_DONE : CH_SIZE;
            break;
        case CH_DONE:
            break;
        }
    }
    return 0;
}

int https_request(const struct https_target *t, const char *cafile, const char *method,
                  const char *path, const char *extra_headers, const char *body, size_t body_len,
                  int timeout_s, struct https_response *resp, char *err, size_t errlen)
{
    return https_request_to(t, cafile, method, path, extra_headers, body, body_len, timeout_s, NULL,
                            resp, err, errlen);
}

/* The header value of name in the raw head (case-insensitive), or NULL; points into head. */
static const char *head_value(const char *head, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p, "\r\n")) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            p += nl + 1;
            while (*p == ' ')
                p++;
            return p;
        }
    }
    return NULL;
}

/* Streams the rest of a 2xx body to sink: chunked, Content-Length or until the server closes.
 * `have` bytes of body already read are at `first`. */
static int stream_body(SSL *ssl, const char *head, const char *first, size_t have, FILE *sink,
                       char *err, size_t errlen)
{
    const char *te = head_value(head, "Transfer-Encoding"),
               *cl = head_value(head, "Content-Length");
    bool chunked = te && strncasecmp(te, "chunked", 7) == 0;
    unsigned long long want = cl ? strtoull(cl, NULL, 10) : 0, got = 0;
    struct chunk_decoder d = {0};
    char buf[65536], e[256];
    const char *p = first;
    size_t n = have;
    for (;;) {
        if (chunked) {
            if (chunk_feed(&d, p, n, sink, err, errlen) != 0)
                return -1;
            if (d.state == CH_DONE)
                return 0;
        } else {
            if (cl && got + n > want)
                n = (size_t)(want - got);
            if (fwrite(p, 1, n, sink) != n) {
                snprintf(err, errlen, "writing the file failed: %s", strerror(errno));
                return -1;
            }
            got += n;
            if (cl && got == want)
                return 0;
        }
        int r = SSL_read(ssl, buf, (int)sizeof buf);
        if (r <= 0) {
            int se = SSL_get_error(ssl, r);
            if (!chunked && !cl && (se == SSL_ERROR_ZERO_RETURN || se == SSL_ERROR_SYSCALL))
                return 0; /* delimited by the end of the connection */
            snprintf(err, errlen, "the transfer ended early (%s): the file is incomplete",
                     se == SSL_ERROR_SYSCALL && errno == EAGAIN ? "timed out"
                                                                : ssl_err(e, sizeof e));
            return -1;
        }
        p = buf;
        n = (size_t)r;
    }
}

int https_request_to(const struct https_target *t, const char *cafile, const char *method,
                     const char *path, const char *extra_headers, const char *body, size_t body_len,
                     int timeout_s, FILE *sink, struct https_response *resp, char *err,
                     size_t errlen)
{
    memset(resp, 0, sizeof *resp);
    int rc = -1, fd = -1;
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    char *buf = NULL, *req = NULL;
    char e[256];

    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        snprintf(err, errlen, "TLS setup failed: %s", ssl_err(e, sizeof e));
        goto out;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (cafile ? SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1
               : SSL_CTX_set_default_verify_paths(ctx) != 1) {
        snprintf(err, errlen, "cannot load CA certificates%s%s: %s", cafile ? " from " : "",
                 cafile ? cafile : "", ssl_err(e, sizeof e));
        goto out;
    }
    fd = connect_tcp(t, timeout_s, err, errlen);
    if (fd < 0)
        goto out;
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, t->host);
    if (SSL_set1_host(ssl, t->host) != 1) {
        snprintf(err, errlen, "cannot set host name for verification");
        goto out;
    }
    if (SSL_connect(ssl) != 1) {
        long vr = SSL_get_verify_result(ssl);
        if (vr != X509_V_OK)
            snprintf(err, errlen, "TLS certificate of %s not trusted: %s%s", t->host,
                     X509_verify_cert_error_string(vr),
                     cafile ? "" : " (give the server's CA with --cacert)");
        else
            snprintf(err, errlen, "TLS handshake with %s failed: %s", t->host,
                     ssl_err(e, sizeof e));
        goto out;
    }
    /* Host names the port unless it is 443 (RFC 9110 7.2): the server builds links from it */
    bool v6 = strchr(t->host, ':') != NULL, std_port = strcmp(t->port, "443") == 0;
    req = xasprintf("%s %s%s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: itactl\r\n"
                    "Connection: close\r\nContent-Length: %zu\r\n%s\r\n",
                    method, t->base_path, path, v6 ? "[" : "", t->host, v6 ? "]" : "",
                    std_port ? "" : ":", std_port ? "" : t->port, body ? body_len : 0,
                    extra_headers ? extra_headers : "");
    if (SSL_write(ssl, req, (int)strlen(req)) <= 0 ||
        (body && body_len && SSL_write(ssl, body, (int)body_len) <= 0)) {
        snprintf(err, errlen, "sending the request failed: %s", ssl_err(e, sizeof e));
        goto out;
    }
    size_t cap = 16384, n = 0;
    buf = xmalloc(cap);
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        int r = SSL_read(ssl, buf + n, (int)(cap - n - 1));
        if (r <= 0) {
            int se = SSL_get_error(ssl, r);
            if (se == SSL_ERROR_ZERO_RETURN || (se == SSL_ERROR_SYSCALL && n > 0))
                break;
            snprintf(err, errlen, "reading the response failed: %s",
                     se == SSL_ERROR_SYSCALL && errno == EAGAIN ? "timed out"
                                                                : ssl_err(e, sizeof e));
            goto out;
        }
        n += (size_t)r;
        buf[n] = '\0';
        char *hs;
        if (sink && (hs = strstr(buf, "\r\n\r\n")) &&
            sscanf(buf, "HTTP/1.%*d %d", &resp->status) == 1 && resp->status >= 200 &&
            resp->status <= 299) {
            *hs = '\0';
            resp->headers = xstrdup(buf);
            resp->body = xstrdup("");
            if (stream_body(ssl, buf, hs + 4, n - (size_t)(hs + 4 - buf), sink, err, errlen) != 0) {
                https_response_free(resp);
                goto out;
            }
            rc = 0;
            goto out;
        }
        if (response_complete(buf, n))
            break;
    }
    buf[n] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep || sscanf(buf, "HTTP/1.%*d %d", &resp->status) != 1) {
        snprintf(err, errlen, "malformed HTTP response from %s", t->host);
        goto out;
    }
    *sep = '\0';
    resp->headers = xstrdup(buf);
    resp->body_len = n - (size_t)(sep + 4 - buf);
    resp->body = xmalloc(resp->body_len + 1);
    memcpy(resp->body, sep + 4, resp->body_len);
    resp->body[resp->body_len] = '\0';
    rc = 0;
out:
    free(buf);
    free(req);
    if (ssl) {
        SSL_shutdown(ssl);
        SSL_free(ssl);
    }
    if (fd >= 0)
        close(fd);
    SSL_CTX_free(ctx);
    return rc;
}

void https_response_free(struct https_response *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}
