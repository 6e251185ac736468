/* The metrics listener (see metrics_http.h): one thread, one event base, libevent's evhttp. It
 * only reads the workers' counters (relaxed atomic loads in metrics_render), so it shares nothing
 * mutable with them. */
#include "metrics_http.h"
#include "config.h"
#include "log.h"
#include "xalloc.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct metrics_http {
    int fd; /* bound and listening; owned by http once started */
    struct event_base *base;
    struct evhttp *http;
    struct event *stop_ev; /* activated by the main thread: leave the loop */
    pthread_t thread;
    bool started;
    struct worker_metrics **workers;
    size_t nworkers;
    const char *const *route_names;
    size_t nroutes;
};

struct metrics_http *metrics_http_bind(const char *spec, char *err, size_t errlen)
{
    char addr[64];
    int port;
    if (config_parse_host_port(spec, addr, sizeof addr, &port) != 0) {
        snprintf(err, errlen,
                 "metrics_listen = '%s' is not allowed; expected ADDRESS:PORT with an IPv4 "
                 "address or [IPv6]:PORT",
                 spec);
        return NULL;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    int gai = getaddrinfo(addr, ps, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "metrics_listen = '%s' is not allowed (%s)", spec, gai_strerror(gai));
        return NULL;
    }
    /* SO_REUSEADDR for a quick restart, but not SO_REUSEPORT: a second server must not share
     * (and silently split) the scrapes of the first. */
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 64) != 0) {
        snprintf(err, errlen, "metrics_listen: cannot listen on %s port %d: %s", addr, port,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return NULL;
    }
    freeaddrinfo(res);
    struct metrics_http *m = xcalloc(1, sizeof *m);
    m->fd = fd;
    return m;
}

static void reply_text(struct evhttp_request *req, int status, const char *reason, const char *body)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "text/plain; charset=utf-8");
    evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
    evhttp_send_reply(req, status, reason, NULL);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct metrics_http *m = arg;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!path || strcmp(path, "/metrics") != 0) {
        reply_text(req, 404, "Not Found", "not found\n");
        return;
    }
    enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
    if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
        reply_text(req, 405, "Method Not Allowed", "method not allowed\n");
        return;
    }
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    evhttp_add_header(h, "Cache-Control", "no-store");
    metrics_render(evhttp_request_get_output_buffer(req), m->workers, m->nworkers, m->route_names,
                   m->nroutes, log_dropped_lines());
    evhttp_send_reply(req, 200, "OK", NULL);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    struct metrics_http *m = arg;
    event_base_loopbreak(m->base);
}

static void *metrics_main(void *arg)
{
    struct metrics_http *m = arg;
    event_base_dispatch(m->base);
    return NULL;
}

int metrics_http_start(struct metrics_http *m, struct worker_metrics *const *workers,
                       size_t nworkers, const char *const *route_names, size_t nroutes, char *err,
                       size_t errlen)
{
    m->workers = xcalloc(nworkers ? nworkers : 1, sizeof *m->workers);
    memcpy(m->workers, workers, nworkers * sizeof *workers);
    m->nworkers = nworkers;
    m->route_names = route_names;
    m->nroutes = nroutes;
    m->base = event_base_new();
    m->http = m->base ? evhttp_new(m->base) : NULL;
    m->stop_ev = m->base ? event_new(m->base, -1, 0, on_stop, m) : NULL;
    if (!m->http || !m->stop_ev) {
        snprintf(err, errlen, "metrics listener: cannot create its event loop");
        return -1;
    }
    /* every method reaches on_request, which answers 405 (evhttp itself would answer 501) */
    evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                            EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_timeout(m->http, 10);
    evhttp_set_max_headers_size(m->http, 8192);
    evhttp_set_max_body_size(m->http, 4096);
    evhttp_set_gencb(m->http, on_request, m);
    if (!evhttp_accept_socket_with_handle(m->http, m->fd)) {
        snprintf(err, errlen, "metrics listener: cannot accept on its socket");
        return -1;
    }
    m->fd = -1; /* closed by evhttp_free */
    if (pthread_create(&m->thread, NULL, metrics_main, m) != 0) {
        snprintf(err, errlen, "metrics listener: cannot start its thread");
        return -1;
    }
    m->started = true;
    return 0;
}

void metrics_http_free(struct metrics_http *m)
{
    if (!m)
        return;
    if (m->started) {
        event_active(m->stop_ev, 0, 0); /* thread-safe: the base was made with evthread on */
        pthread_join(m->thread, NULL);
    }
    if (m->stop_ev)
        event_free(m->stop_ev);
    if (m->http)
        evhttp_free(m->http); /* open scrapes and the listening socket with it */
    if (m->base)
        event_base_free(m->base);
    if (m->fd >= 0)
        close(m->fd);
    free(m->workers);
    free(m);
}
