/* Client connection state machine over an OpenSSL bufferevent. States: IDLE (waiting for the first
 * byte of a request), HEAD (receiving the request head), CHECK (the application checks the head,
 * say its credentials, before any body byte is read; reading is off), BODY (receiving
 * Content-Length bytes), HANDLING (a handler owns the request), STREAMING (the handler sends a
 * chunked response piece by piece), WRITING (response queued, waiting for it to drain), LINGER
 * (answered without reading the body: close_notify and FIN sent, what the client still sends is
 * read and dropped for a moment so that closing does not reset the answer away).
 * conn_set_state is the only place that changes the state, and with it the deadline timer. */
#include "http_conn.h"
#include "accept_encoding.h"
#include "http.h"
#include "log.h"
#include "reentry.h"
#include "http_app.h"
#include "server.h"
#include "tls.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <strings.h>

enum conn_state {
    CS_IDLE,
    CS_HEAD,
    CS_CHECK,
    CS_BODY,
    CS_HANDLING,
    CS_STREAMING,
    CS_WRITING,
    CS_LINGER
};

/* How long a connection answered without its body still reads (and drops) what comes. */
#define LINGER_MS 2000

/* Upload slots taken in this process (http_upload_slot), at most cfg.max_uploads. */
static atomic_int uploads_open;

struct http_conn {
    uint64_t id; /* per worker, logged as conn= */
    struct worker *w;
    struct bufferevent *bev; /* owns the socket and the SSL object */
    enum conn_state state;
    struct event *deadline;   /* timeout of the current state */
    struct http_request *req; /* current request (HEAD..WRITING) */
    uint64_t nreq;            /* requests started on this connection */
    bool close_after_write;   /* send Connection: close and close when drained */
    bool handshake_done;
    bool tls_failed;           /* a TLS error was seen: no close_notify */
    bool over_cap;             /* accepted beyond the connection cap: every request gets 503 */
    struct reentry guard;      /* our own callbacks on the stack; free_pending: close once
                                  the outermost one returns */
    unsigned char peer_ip[16]; /* client address (IPv4: 4 bytes, IPv6: 16); memory only */
    size_t peer_ip_len;

    struct http_route_match match; /* the current request's route (found once its head is in) */
    bool body_unread; /* its body is not (all) read: the answer closes the connection (LINGER) */
    bool notify_sent; /* close_notify already sent (LINGER) */
    TAILQ_ENTRY(http_conn) link;
};

static void conn_process(struct http_conn *c);
static void conn_free(struct http_conn *c);

/* ---- request objects ---- */

static struct http_request *req_new(struct http_conn *c)
{
    struct http_request *r = xcalloc(1, sizeof *r);
    r->conn = c;
    r->worker = c->w;
    r->id = ++c->nreq;
    arena_init(&r->arena, 4096);
    r->body = evbuffer_new();
    r->route = HTTP_ROUTE_BAD_REQUEST;
    r->route_pattern = "-";
    r->peer_ip = c->peer_ip;
    r->peer_ip_len = c->peer_ip_len;
    clock_gettime(CLOCK_MONOTONIC, &r->t_start);
    return r;
}

static void req_free(struct http_request *r)
{
    if (r->on_gone)
        r->on_gone(r);
    if (r->db_op)
        db_op_cancel(r->db_op);
    if (r->upload_slot)
        atomic_fetch_sub(&uploads_open, 1);
    evbuffer_free(r->body);
    arena_reset(&r->arena);
    free(r);
}

static uint64_t micros_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t us = (int64_t)(now.tv_sec - t0->tv_sec) * 1000000 + (now.tv_nsec - t0->tv_nsec) / 1000;
    return us < 0 ? 0 : (uint64_t)us;
}

/* Access log and metrics for a finished (or abandoned) request. No path, query or token is
 * logged: only the route's pattern. */
static void req_log(struct http_conn *c, struct http_request *r, int status)
{
    uint64_t us = micros_since(&r->t_start);
    metrics_observe(&c->w->metrics, r->route, status, us);
    log_info(
        "event=access w=%d conn=%llu req=%llu method=%s route=%s status=%d bytes=%zu dur_ms=%.3f",
        c->w->id, (unsigned long long)c->id, (unsigned long long)r->id,
        r->head_buf ? http_method_name(r->head.method) : "-", r->route_pattern, status,
        r->resp_bytes, (double)us / 1000.0);
}

/* ---- state and lifetime ---- */

static void conn_set_state(struct http_conn *c, enum conn_state s)
{
    const struct config *cfg = &c->w->srv->cfg;
    int ms = 0;
    switch (s) {
    case CS_IDLE:
        ms = c->nreq == 0 ? cfg->header_timeout_ms : cfg->idle_timeout_ms;
        break;
    case CS_HEAD:
        ms = cfg->header_timeout_ms;
        break;
    case CS_CHECK:
        ms = 0; /* bounded by the database timeout, not by the client */
        break;
    case CS_BODY:
        ms = cfg->body_timeout_ms;
        break;
    case CS_HANDLING:
        ms = 0; /* bounded by the database timeout, not by the client */
        break;
    case CS_STREAMING:
        ms = 0; /* the bufferevent's write timeout cuts off a client that stops reading */
        break;
    case CS_WRITING:
        ms = 0; /* the bufferevent's write timeout cuts off a client that stops reading */
        break;
    case CS_LINGER:
        ms = LINGER_MS;
        break;
    default:
        abort();
    }
    c->state = s;
    evtimer_del(c->deadline);
    if (ms > 0) {
        struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
        evtimer_add(c->deadline, &tv);
    }
}

void http_conn_close(struct http_conn *c)
{
    if (c->guard.depth) {
        c->guard.free_pending = true;
        bufferevent_disable(c->bev, EV_READ | EV_WRITE);
        return;
    }
    conn_free(c);
}

static void conn_free(struct http_conn *c)
{
    struct worker *w = c->w;
    if (c->req) {
        /* The client left before its response: cancel whatever the handler waits on. */
        METRIC_INC(w->metrics.client_aborts);
        if (c->state == CS_CHECK || c->state == CS_HANDLING || c->state == CS_STREAMING)
            req_log(c, c->req, 499);
        req_free(c->req);
        c->req = NULL;
    }
    evtimer_del(c->deadline);
    event_free(c->deadline);
    /* Say goodbye properly (close_notify) when the session is healthy; libevent's free does not. */
    SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
    if (ssl && c->handshake_done && !c->tls_failed && !c->notify_sent &&
        SSL_is_init_finished(ssl)) {
        SSL_shutdown(ssl);
        ERR_clear_error();
    }
    bufferevent_free(c->bev); /* BEV_OPT_CLOSE_ON_FREE: closes the socket, frees the SSL */
    TAILQ_REMOVE(&w->conns, c, link);
    w->nconns--;
    METRIC_DEC(w->metrics.open_connections);
    free(c);
    worker_conn_closed(w);
}

/* Returns false when the connection was freed. */
static bool leave(struct http_conn *c)
{
    return REENTRY_LEAVE(&c->guard, conn_free, c);
}

/* ---- responses ---- */

static void write_head(struct http_conn *c, struct http_request *r, int status, const char *ctype,
                       size_t len)
{
    struct evbuffer *out = bufferevent_get_output(c->bev);
    if (c->body_unread)
        c->close_after_write = true; /* the unread body would be taken for the next request */
    bool keep = !c->close_after_write && r->head_buf && r->head.keep_alive && !c->w->draining;
    if (!keep)
        c->close_after_write = true;
    evbuffer_add_printf(out,
                        "HTTP/1.1 %d %s\r\n"
                        "Date: %s\r\n",
                        status, http_status_reason(status), worker_date(c->w));
    if (!r->streaming)
        evbuffer_add_printf(out, "Content-Length: %zu\r\n", len);
    else if (r->stream_chunked)
        evbuffer_add_printf(out, "Transfer-Encoding: chunked\r\n");
    if (ctype)
        evbuffer_add_printf(out, "Content-Type: %s\r\n", ctype);
    bool has_cache = false, has_referrer = false, has_csp = false;
    for (struct http_resp_header *h = r->resp_headers; h; h = h->next) {
        evbuffer_add_printf(out, "%s: %s\r\n", h->name, h->value);
        has_cache |= strcasecmp(h->name, "Cache-Control") == 0;
        has_referrer |= strcasecmp(h->name, "Referrer-Policy") == 0;
        has_csp |= strcasecmp(h->name, "Content-Security-Policy") == 0;
    }
    /* Secure defaults for every response that did not set its own: no caching of dynamic
     * answers, no Referer at all (link tokens stay out of other sites' logs), no framing. */
    if (!has_cache)
        evbuffer_add_printf(out, "Cache-Control: no-store\r\n");
    if (!has_referrer)
        evbuffer_add_printf(out, "Referrer-Policy: no-referrer\r\n");
    if (!has_csp)
        evbuffer_add_printf(out, "Content-Security-Policy: default-src 'none'; frame-ancestors "
                                 "'none'; base-uri 'none'\r\n");
    evbuffer_add_printf(out, "Strict-Transport-Security: max-age=31536000\r\n"
                             "X-Content-Type-Options: nosniff\r\n"
                             "X-Frame-Options: DENY\r\n");
    if (r->head_buf && r->head.version_minor == 0 && keep)
        evbuffer_add_printf(out, "Connection: keep-alive\r\n");
    else if (!keep)
        evbuffer_add_printf(out, "Connection: close\r\n");
    evbuffer_add(out, "\r\n", 2);
}

static void finish_response(struct http_conn *c, struct http_request *r, int status)
{
    r->responded = true;
    r->status = status;
    conn_set_state(c, CS_WRITING);
    bufferevent_enable(c->bev, EV_WRITE);
}

static bool may_respond(struct http_request *r)
{
    if (r->responded)
        abort(); /* a handler answered twice */
    return r->conn != NULL;
}

void http_add_header(struct http_request *r, const char *name, const char *value)
{
    struct http_resp_header *h = arena_alloc(&r->arena, sizeof *h);
    h->name = arena_strndup(&r->arena, name, strlen(name));
    h->value = arena_strndup(&r->arena, value, strlen(value));
    h->next = r->resp_headers;
    r->resp_headers = h;
}

void http_respond(struct http_request *r, int status, const char *ctype, const void *body,
                  size_t len)
{
    if (!may_respond(r))
        return;
    struct http_conn *c = r->conn;
    /* head and body in one contiguous chain: one SSL_write, so a 24 KB page goes out as two
     * TLS records in two writes instead of a separate record (and write) for the head */
    evbuffer_expand(bufferevent_get_output(c->bev), len + 2048);
    write_head(c, r, status, ctype, len);
    if (!(r->head_buf && r->head.method == HTTP_HEAD) && len > 0)
        evbuffer_add(bufferevent_get_output(c->bev), body, len);
    r->resp_bytes = len;
    finish_response(c, r, status);
}

void http_respond_parts(struct http_request *r, int status, const char *ctype,
                        const struct http_part *parts, size_t n)
{
    if (!may_respond(r))
        return;
    struct http_conn *c = r->conn;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += parts[i].len;
    struct evbuffer *out = bufferevent_get_output(c->bev);
    evbuffer_expand(out, len + 2048); /* one chain, as in http_respond */
    write_head(c, r, status, ctype, len);
    if (!(r->head_buf && r->head.method == HTTP_HEAD))
        for (size_t i = 0; i < n; i++)
            evbuffer_add(out, parts[i].data, parts[i].len);
    r->resp_bytes = len;
    finish_response(c, r, status);
}

void http_respond_evbuffer(struct http_request *r, int status, const char *ctype,
                           struct evbuffer *body)
{
    if (!may_respond(r))
        return;
    struct http_conn *c = r->conn;
    size_t len = evbuffer_get_length(body);
    struct evbuffer *out = bufferevent_get_output(c->bev);
    bool small = len <= 65536; /* copied behind the head (see http_respond); larger bodies move */
    if (small)
        evbuffer_expand(out, len + 2048);
    write_head(c, r, status, ctype, len);
    if (r->head_buf && r->head.method == HTTP_HEAD) {
        evbuffer_drain(body, len);
    } else if (small && len > 0) {
        evbuffer_add(out, evbuffer_pullup(body, -1), len);
        evbuffer_drain(body, len);
    } else {
        evbuffer_add_buffer(out, body);
    }
    r->resp_bytes = len;
    finish_response(c, r, status);
}

/* True when the request came from a browser page (its Accept names text/html). */
static bool wants_html(const struct http_request *r)
{
    if (!r->head_buf)
        return false;
    const struct http_header *h = http_head_find(&r->head, "accept");
    if (!h)
        return false;
    static const char want[] = "text/html";
    size_t n = sizeof want - 1;
    for (size_t i = 0; i + n <= h->value_len; i++)
        if (!memcmp(h->value + i, want, n))
            return true;
    return false;
}

void http_respond_error(struct http_request *r, int status, const char *message)
{
    const struct http_app *app = r->conn->w->srv->app;
    bool html = wants_html(r);
    if (app->error_page && html) {
        app->error_page(r, status, message);
        return;
    }
    if (app->error_plain && !html) {
        app->error_plain(r, status, message);
        return;
    }
    char body[512];
    int n = snprintf(body, sizeof body, "%d %s: %s\n", status, http_status_reason(status), message);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof body)
        n = sizeof body - 1;
    http_respond(r, status, "text/plain; charset=utf-8", body, (size_t)n);
}

void http_respond_unavailable(struct http_request *r, const char *what)
{
    http_add_header(r, "Retry-After", "5");
    http_respond_error(r, 503, what);
}

/* ---- streamed responses (see http.h) ---- */

bool http_stream_begin(struct http_request *r, int status, const char *ctype,
                       void (*on_drained)(struct http_request *r))
{
    if (!may_respond(r))
        return false;
    struct http_conn *c = r->conn;
    bool head = r->head_buf && r->head.method == HTTP_HEAD;
    r->streaming = true;
    r->stream_chunked = r->head_buf && r->head.version_minor >= 1;
    if (!r->stream_chunked)
        c->close_after_write =
            true; /* HTTP/1.0: the end of the body is the end of the connection */
    write_head(c, r, status, ctype, 0);
    r->status = status;
    r->responded = true; /* no other answer from here on */
    if (head) {
        r->streaming = false;
        finish_response(c, r, status);
        return false;
    }
    r->stream_cb = on_drained;
    conn_set_state(c, CS_STREAMING);
    /* write_cb runs once the output has drained to the low-water mark */
    bufferevent_setwatermark(c->bev, EV_WRITE, HTTP_STREAM_LOW_WATER, 0);
    bufferevent_enable(c->bev, EV_WRITE);
    return true;
}

bool http_stream_write(struct http_request *r, struct evbuffer *chunk)
{
    if (!r->streaming || !r->conn)
        abort(); /* write outside http_stream_begin .. http_stream_end */
    struct evbuffer *out = bufferevent_get_output(r->conn->bev);
    size_t len = evbuffer_get_length(chunk);
    if (len > 0) {
        if (r->stream_chunked)
            evbuffer_add_printf(out, "%zx\r\n", len);
        evbuffer_add_buffer(out, chunk);
        if (r->stream_chunked)
            evbuffer_add(out, "\r\n", 2);
        r->resp_bytes += len;
    }
    r->stream_waiting = evbuffer_get_length(out) > HTTP_STREAM_HIGH_WATER;
    return !r->stream_waiting;
}

void http_stream_end(struct http_request *r, bool complete)
{
    if (!r->streaming || !r->conn)
        abort();
    struct http_conn *c = r->conn;
    r->streaming = false;
    r->stream_waiting = false;
    r->stream_cb = NULL;
    if (complete && r->stream_chunked)
        evbuffer_add(bufferevent_get_output(c->bev), "0\r\n\r\n", 5);
    if (!complete || !r->stream_chunked)
        c->close_after_write =
            true; /* truncated (or close-delimited): the client sees it end here */
    bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
    finish_response(c, r, r->status);
    /* if everything is out already no write will call write_cb: ask for it on the next turn */
    bufferevent_trigger(c->bev, EV_WRITE, BEV_TRIG_DEFER_CALLBACKS);
}

/* The output of a streamed response drained to the low-water mark: let the handler go on. */
static void stream_drained(struct http_conn *c)
{
    struct http_request *r = c->req;
    if (!r->stream_waiting || !r->stream_cb)
        return;
    r->stream_waiting = false;
    r->stream_cb(r);
}

static void db_done(const struct db_result *res, void *arg)
{
    struct http_request *r = arg;
    r->db_op = NULL;
    http_db_cb cb = r->db_cb;
    r->db_cb = NULL;
    struct http_conn *c = r->conn;
    reentry_enter(&c->guard);
    cb(r, res);
    leave(c);
}

bool http_db_try(struct http_request *r, const struct db_statement *st, const char *const *values,
                 const int *lengths, http_db_cb cb)
{
    if (r->db_op)
        abort(); /* one operation at a time per request */
    r->db_cb = cb;
    r->db_op = db_exec(r->worker->db, st, values, lengths, db_done, r);
    if (!r->db_op)
        r->db_cb = NULL;
    return r->db_op != NULL;
}

bool http_db_failed(struct http_request *r, const struct db_result *res)
{
    if (res->ok)
        return false;
    http_respond_unavailable(r, "database unavailable");
    return true;
}

bool http_db(struct http_request *r, const struct db_statement *st, const char *const *values,
             const int *lengths, http_db_cb cb)
{
    if (http_db_try(r, st, values, lengths, cb))
        return true;
    http_respond_unavailable(r, "database unavailable");
    return false;
}

bool http_accepts_gzip(const struct http_request *r)
{
    /* several Accept-Encoding lines are one comma-separated list (RFC 9110 5.3) */
    char all[1024];
    size_t n = 0;
    for (size_t i = 0; r->head_buf && i < r->head.num_headers; i++) {
        const struct http_header *h = &r->head.headers[i];
        if (h->name_len != 15 || strncasecmp(h->name, "accept-encoding", 15) != 0)
            continue;
        if (n + h->value_len + 1 > sizeof all)
            return false; /* longer than any real client's: identity */
        if (n)
            all[n++] = ',';
        memcpy(all + n, h->value, h->value_len);
        n += h->value_len;
    }
    return n > 0 && accept_encoding_gzip(all, n);
}

bool http_same_origin(const struct http_request *r, bool referer_fallback)
{
    const struct http_header *host = http_head_find(&r->head, "host");
    if (!host)
        return false;
    char want[300];
    int n = snprintf(want, sizeof want, "https://%.*s", (int)host->value_len, host->value);
    if (n < 0 || (size_t)n >= sizeof want)
        return false;
    const struct http_header *o = http_head_find(&r->head, "origin");
    if (o)
        return o->value_len == (size_t)n && memcmp(o->value, want, (size_t)n) == 0;
    const struct http_header *ref = referer_fallback ? http_head_find(&r->head, "referer") : NULL;
    return ref && ref->value_len > (size_t)n && memcmp(ref->value, want, (size_t)n) == 0 &&
           ref->value[n] == '/';
}

/* ---- reading requests ---- */

/* Responds to a request that could not be parsed and closes the connection afterwards. */
static void reject(struct http_conn *c, int status, const char *msg)
{
    if (!c->req)
        c->req = req_new(c);
    c->close_after_write = true;
    bufferevent_disable(c->bev, EV_READ);
    http_respond_error(c->req, status, msg);
}

static void split_target(struct http_request *r)
{
    const char *t = r->head.target;
    size_t n = r->head.target_len;
    const char *q = memchr(t, '?', n);
    size_t plen = q ? (size_t)(q - t) : n;
    r->path = arena_strndup(&r->arena, t, plen);
    r->query = q ? arena_strndup(&r->arena, q + 1, n - plen - 1) : NULL;
}

static void dispatch(struct http_conn *c)
{
    struct http_request *r = c->req;
    conn_set_state(c, CS_HANDLING);
    if (c->over_cap) {
        r->route = HTTP_ROUTE_OVER_CAPACITY;
        c->close_after_write = true;
        http_respond_unavailable(r, "server has too many open connections");
        return;
    }
    const struct http_app *app = c->w->srv->app;
    const struct http_route_match *m = &c->match;
    if (!m->route) {
        r->route = HTTP_ROUTE_NOT_FOUND;
        if (m->path_known)
            http_add_header(r, "Allow", m->allow);
        if (app->not_found)
            app->not_found(r, m->path_known ? 405 : 404, m->path_known ? m->allow : NULL);
        else if (m->path_known)
            http_respond_error(r, 405, "method not allowed for this path");
        else
            http_respond_error(r, 404, "no such page");
        return;
    }
    r->route = m->index;
    r->route_pattern = m->pattern;
    app->dispatch(r, m->route);
}

bool http_upload_slot(struct http_request *r)
{
    struct http_conn *c = r->conn;
    if (r->upload_slot || r->head.content_length <= c->w->srv->cfg.max_body_bytes)
        return true;
    int cap = c->w->srv->cfg.max_uploads;
    int n = atomic_load(&uploads_open);
    do {
        if (n >= cap) {
            log_info("event=upload_busy w=%d conn=%llu uploads=%d", c->w->id,
                     (unsigned long long)c->id, n);
            return false;
        }
    } while (!atomic_compare_exchange_weak(&uploads_open, &n, n + 1));
    r->upload_slot = true;
    return true;
}

/* Goes on to read the body; false when the request was answered instead (no upload slot). */
static bool body_begin(struct http_conn *c)
{
    struct http_request *r = c->req;
    if (!http_upload_slot(r)) {
        http_respond_unavailable(r, "too many uploads at once");
        return false;
    }
    conn_set_state(c, CS_BODY);
    bufferevent_enable(c->bev, EV_READ);
    if (r->head.expect_continue)
        evbuffer_add_printf(bufferevent_get_output(c->bev), "HTTP/1.1 100 Continue\r\n\r\n");
    return true;
}

void http_read_body(struct http_request *r)
{
    struct http_conn *c = r->conn;
    if (!c || c->req != r || c->state != CS_CHECK || r->responded)
        abort(); /* only once, from a check that has not answered */
    if (body_begin(c))
        conn_process(c); /* what arrived before reading stopped */
}

static void start_request(struct http_conn *c, const char *head, size_t head_len)
{
    struct http_request *r = req_new(c);
    c->req = r;
    c->body_unread = false;
    r->head_buf = arena_strndup(&r->arena, head, head_len);
    struct http_parse_error perr;
    if (http_parse_request_head(r->head_buf, head_len, &c->w->limits, &r->head, &perr) !=
        HTTP_PARSE_DONE)
        abort(); /* the same bytes parsed a moment ago */
    split_target(r);
    clock_gettime(CLOCK_MONOTONIC, &r->t_start);
    const struct http_app *app = c->w->srv->app;
    app->match(r->head.method, r->path, &c->match);
    if (r->head.content_length == 0) {
        dispatch(c);
        return;
    }
    c->body_unread = true;
    if (r->head.content_length > c->w->srv->cfg.max_body_bytes &&
        (!c->match.route || !c->match.upload)) {
        reject(c, 413, "request body too large");
        return;
    }
    if (c->over_cap) {
        dispatch(c); /* 503 at once: no body read for it */
        return;
    }
    if (c->match.route && app->before_body) {
        /* the application looks at the head first (credentials); no byte of the body is read
         * until it says so, nor is "100 Continue" sent */
        r->route = c->match.index;
        r->route_pattern = c->match.pattern;
        conn_set_state(c, CS_CHECK);
        bufferevent_disable(c->bev, EV_READ);
        if (!app->before_body(r, c->match.route))
            return;
    }
    body_begin(c);
}

/* The answer went out while the body was left unread: say goodbye (close_notify, FIN) and drop
 * what the client still sends for LINGER_MS, so that closing with unread bytes does not reset
 * the connection before the client has read the answer. */
static void conn_linger(struct http_conn *c)
{
    SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
    if (ssl && c->handshake_done && !c->tls_failed && SSL_is_init_finished(ssl)) {
        SSL_shutdown(ssl);
        ERR_clear_error();
    }
    c->notify_sent = true;
    shutdown(bufferevent_getfd(c->bev), SHUT_WR);
    conn_set_state(c, CS_LINGER);
    bufferevent_enable(c->bev, EV_READ);
    conn_process(c);
}

static void conn_process(struct http_conn *c)
{
    struct evbuffer *in = bufferevent_get_input(c->bev);
    for (;;) {
        if (c->guard.free_pending)
            return;
        size_t len = evbuffer_get_length(in);
        switch (c->state) {
        case CS_IDLE:
            if (len == 0)
                return;
            if (c->w->draining) {
                http_conn_close(c);
                return;
            }
            conn_set_state(c, CS_HEAD);
            /* fall through */
        case CS_HEAD: {
            size_t want = len;
            size_t cap = (size_t)c->w->limits.max_head_bytes + 1;
            if (want > cap)
                want = cap;
            const char *p = (const char *)evbuffer_pullup(in, (ev_ssize_t)want);
            struct http_request_head head;
            struct http_parse_error perr;
            enum http_parse_result pr =
                http_parse_request_head(p, want, &c->w->limits, &head, &perr);
            if (pr == HTTP_PARSE_INCOMPLETE)
                return;
            if (pr == HTTP_PARSE_ERROR) {
                log_debug("event=bad_request w=%d conn=%llu status=%d reason=\"%s\"", c->w->id,
                          (unsigned long long)c->id, perr.status, perr.message);
                reject(c, perr.status, perr.message);
                return;
            }
            start_request(c, p, head.head_len);
            evbuffer_drain(in, head.head_len);
            continue;
        }
        case CS_BODY: {
            struct http_request *r = c->req;
            size_t have = evbuffer_get_length(r->body);
            size_t need = (size_t)r->head.content_length - have;
            if (len > 0)
                evbuffer_remove_buffer(in, r->body, len < need ? len : need);
            if (evbuffer_get_length(r->body) < (size_t)r->head.content_length)
                return;
            c->body_unread = false;
            dispatch(c);
            continue;
        }
        case CS_CHECK:
        case CS_HANDLING:
        case CS_STREAMING:
        case CS_WRITING:
            return; /* pipelined bytes wait until this response is out */
        case CS_LINGER:
            evbuffer_drain(in, len);
            return;
        }
    }
}

/* ---- bufferevent callbacks ---- */

static void read_cb(struct bufferevent *bev, void *arg)
{
    struct http_conn *c = arg;
    reentry_enter(&c->guard);
    conn_process(c);
    leave(c);
}

static void write_cb(struct bufferevent *bev, void *arg)
{
    struct http_conn *c = arg;
    if (c->state == CS_STREAMING) {
        reentry_enter(&c->guard);
        stream_drained(c);
        leave(c);
        return;
    }
    if (c->state != CS_WRITING)
        return;
    reentry_enter(&c->guard);
    struct http_request *r = c->req;
    req_log(c, r, r->status);
    c->req = NULL;
    req_free(r);
    if (c->body_unread && !c->w->draining) {
        conn_linger(c);
    } else if (c->close_after_write || c->w->draining) {
        http_conn_close(c);
    } else {
        conn_set_state(c, CS_IDLE);
        bufferevent_enable(c->bev, EV_READ);
        conn_process(c);
    }
    leave(c);
}

static void log_tls_errors(struct http_conn *c, const char *when)
{
    unsigned long e;
    char buf[256];
    bool any = false;
    while ((e = bufferevent_get_openssl_error(c->bev)) != 0) {
        ERR_error_string_n(e, buf, sizeof buf);
        log_debug("event=tls_error w=%d conn=%llu when=%s error=\"%s\"", c->w->id,
                  (unsigned long long)c->id, when, buf);
        any = true;
    }
    if (any)
        METRIC_INC(c->w->metrics.tls_errors);
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
    struct http_conn *c = arg;
    reentry_enter(&c->guard);
    if (what & BEV_EVENT_CONNECTED) {
        c->handshake_done = true;
        METRIC_INC(c->w->metrics.tls_handshakes);
        SSL *ssl = bufferevent_openssl_get_ssl(bev);
        if (ssl && SSL_session_reused(ssl))
            METRIC_INC(c->w->metrics.tls_resumed);
    } else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) {
        if (what & BEV_EVENT_ERROR) {
            c->tls_failed = true;
            log_tls_errors(c, c->handshake_done ? "io" : "handshake");
        }
        if ((what & BEV_EVENT_EOF) && c->state == CS_WRITING && !(what & BEV_EVENT_WRITING)) {
            /* The client half-closed after sending its request; finish writing the answer. */
            c->close_after_write = true;
        } else {
            http_conn_close(c);
        }
    }
    leave(c);
}

static void deadline_cb(evutil_socket_t fd, short what, void *arg)
{
    struct http_conn *c = arg;
    reentry_enter(&c->guard);
    switch (c->state) {
    case CS_HEAD:
    case CS_BODY:
        log_debug("event=request_timeout w=%d conn=%llu state=%s", c->w->id,
                  (unsigned long long)c->id, c->state == CS_HEAD ? "head" : "body");
        if (c->handshake_done) {
            reject(c, 408, "request not received in time");
            if (c->req)
                c->req->route = HTTP_ROUTE_BAD_REQUEST;
            break;
        }
        http_conn_close(c);
        break;
    case CS_IDLE:
    case CS_WRITING:
    case CS_LINGER:
        http_conn_close(c);
        break;
    case CS_CHECK:
    case CS_HANDLING:
    case CS_STREAMING:
        break;
    }
    leave(c);
}

struct http_conn *http_conn_next(struct http_conn *c)
{
    return TAILQ_NEXT(c, link);
}

void http_conn_drain(struct http_conn *c)
{
    if ((c->state == CS_IDLE && evbuffer_get_length(bufferevent_get_input(c->bev)) == 0) ||
        c->state == CS_LINGER)
        http_conn_close(c);
    else
        c->close_after_write = true;
}

void http_conn_start_tls(struct worker *w, evutil_socket_t fd, const unsigned char *ip,
                         size_t ip_len)
{
    /* Responses leave as several TLS records; without this each waits ~40 ms for the client's
     * delayed ACK of the previous one (Nagle). */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    SSL *ssl = SSL_new(w->tls);
    if (!ssl) {
        char e[256];
        log_error("event=ssl_new_failed w=%d error=\"%s\"", w->id, tls_error_string(e, sizeof e));
        evutil_closesocket(fd);
        return;
    }
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        w->base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        log_error("event=bufferevent_failed w=%d", w->id);
        return; /* with BEV_OPT_CLOSE_ON_FREE, libevent has released fd and ssl */
    }
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    struct http_conn *c = xcalloc(1, sizeof *c);
    c->id = ++w->next_conn_id;
    c->w = w;
    c->bev = bev;
    c->over_cap = w->nconns >= w->conn_cap;
    memcpy(c->peer_ip, ip, ip_len);
    c->peer_ip_len = ip_len;
    c->deadline = evtimer_new(w->base, deadline_cb, c);
    TAILQ_INSERT_TAIL(&w->conns, c, link);
    w->nconns++;
    METRIC_INC(w->metrics.open_connections);
    METRIC_INC(w->metrics.connections_total);
    /* Stop reading when a pipelined backlog builds up while a handler works. */
    bufferevent_setwatermark(bev, EV_READ, 0, (size_t)w->limits.max_head_bytes + 16384);
    struct timeval wt = {w->srv->cfg.write_timeout_ms / 1000,
                         (w->srv->cfg.write_timeout_ms % 1000) * 1000};
    bufferevent_set_timeouts(bev, NULL, &wt);
    bufferevent_setcb(bev, read_cb, write_cb, event_cb, c);
    conn_set_state(c, CS_IDLE);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
}
