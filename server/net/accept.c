/* Accepting a client connection: the connection cap, the client's address, and for a trusted
 * load balancer the PROXY v2 header that names the real client, read before TLS starts
 * (http_conn_start_tls). */
#include "http_conn.h"
#include "log.h"
#include "proxy_proto.h"
#include "server.h"
#include "xalloc.h"

#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- PROXY protocol v2 from trusted balancers ---- */

struct proxy_wait {
    struct worker *w;
    evutil_socket_t fd;
    struct event *ev;                /* readable */
    struct event *timer;             /* header_timeout */
    unsigned char buf[PROXY_V2_MAX]; /* header bytes so far */
    size_t len;
    unsigned char peer[16]; /* the balancer's own address (for LOCAL) */
    size_t peer_len;
};

static void proxy_wait_end(struct proxy_wait *pw, const unsigned char *ip, size_t ip_len)
{
    struct worker *w = pw->w;
    evutil_socket_t fd = pw->fd;
    event_free(pw->ev);
    event_free(pw->timer);
    free(pw);
    w->nconns--; /* counted while waiting; http_conn_start_tls counts the connection again */
    METRIC_DEC(w->metrics.open_connections);
    if (ip) {
        http_conn_start_tls(w, fd, ip, ip_len);
        return;
    }
    evutil_closesocket(fd);
    worker_conn_closed(w);
}

static void proxy_read_cb(evutil_socket_t fd, short what, void *arg)
{
    struct proxy_wait *pw = arg;
    size_t need = 16;
    unsigned char ip[16];
    size_t ip_len = 0;
    for (;;) {
        enum proxy_result r = proxy_v2_parse(pw->buf, pw->len, &need, ip, &ip_len);
        if (r == PROXY_INVALID) {
            log_debug("event=proxy_header_invalid w=%d", pw->w->id);
            proxy_wait_end(pw, NULL, 0);
            return;
        }
        if (r == PROXY_DONE) {
            /* LOCAL (the balancer's health check): its own address stands */
            if (ip_len == 0)
                proxy_wait_end(pw, pw->peer, pw->peer_len);
            else
                proxy_wait_end(pw, ip, ip_len);
            return;
        }
        /* read exactly what the header still needs: the TLS hello behind it stays in the socket */
        ssize_t n = recv(fd, pw->buf + pw->len, need - pw->len, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            proxy_wait_end(pw, NULL, 0);
            return;
        }
        if (n < 0)
            return; /* wait for more */
        pw->len += (size_t)n;
    }
}

static void proxy_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    proxy_wait_end(arg, NULL, 0);
}

static bool trusted_proxy(const struct server *srv, const unsigned char *ip, size_t ip_len)
{
    for (size_t i = 0; i < srv->n_proxy_from; i++)
        if (srv->proxy_from_len[i] == ip_len && memcmp(srv->proxy_from[i], ip, ip_len) == 0)
            return true;
    return false;
}

void http_conn_accept(struct worker *w, evutil_socket_t fd, const struct sockaddr *addr, int len)
{
    /* Beyond twice the cap, refuse without spending a TLS handshake; between cap and twice the
     * cap, complete the handshake and answer 503 so that clients see why. */
    if (w->nconns >= 2 * w->conn_cap) {
        METRIC_INC(w->metrics.connections_rejected);
        evutil_closesocket(fd);
        return;
    }
    unsigned char ip[16] = {0};
    size_t ip_len = 0;
    if (addr && addr->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in)) {
        memcpy(ip, &((const struct sockaddr_in *)addr)->sin_addr, 4);
        ip_len = 4;
    } else if (addr && addr->sa_family == AF_INET6 && len >= (int)sizeof(struct sockaddr_in6)) {
        memcpy(ip, &((const struct sockaddr_in6 *)addr)->sin6_addr, 16);
        ip_len = 16;
    }
    if (!trusted_proxy(w->srv, ip, ip_len)) {
        http_conn_start_tls(w, fd, ip, ip_len);
        return;
    }
    /* A trusted balancer: its PROXY header comes first and names the real client. */
    struct proxy_wait *pw = xcalloc(1, sizeof *pw);
    pw->w = w;
    pw->fd = fd;
    memcpy(pw->peer, ip, ip_len);
    pw->peer_len = ip_len;
    pw->ev = event_new(w->base, fd, EV_READ | EV_PERSIST, proxy_read_cb, pw);
    pw->timer = evtimer_new(w->base, proxy_timeout_cb, pw);
    int ms = w->srv->cfg.header_timeout_ms;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    event_add(pw->ev, NULL);
    evtimer_add(pw->timer, &tv);
    w->nconns++;
    METRIC_INC(w->metrics.open_connections);
}
