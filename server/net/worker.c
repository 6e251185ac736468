/* Worker threads: each runs its own event loop with its own listener, TLS context reference,
 * database pool and metrics. The main thread talks to workers only through two events (reload,
 * stop) activated across threads, and the mutex-guarded tls_pending slot. */
#include "http_conn.h"
#include "log.h"
#include "server.h"
#include "tls.h"
#include "xalloc.h"

#include <errno.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *worker_date(struct worker *w)
{
    time_t now = time(NULL);
    if (now != w->date_sec) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(w->date_header, sizeof w->date_header, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        w->date_sec = now;
    }
    return w->date_header;
}

static void worker_finish(struct worker *w)
{
    if (w->finished)
        return;
    w->finished = true;
    if (w->app)
        w->srv->app->worker_stop(w);
    db_pool_free(w->db);
    w->db = NULL;
    event_base_loopexit(w->base, NULL);
}

void worker_conn_closed(struct worker *w)
{
    if (w->draining && w->nconns == 0)
        worker_finish(w);
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *addr,
                      int socklen, void *arg)
{
    http_conn_accept(arg, fd, addr, socklen);
}

static void listen_retry_cb(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    if (w->listener && !w->draining)
        evconnlistener_enable(w->listener);
}

static void accept_error_cb(struct evconnlistener *l, void *arg)
{
    struct worker *w = arg;
    int err = EVUTIL_SOCKET_ERROR();
    log_error("event=accept_failed w=%d error=\"%s\"", w->id, evutil_socket_error_to_string(err));
    /* Out of file descriptors or similar: pause accepting briefly instead of spinning. */
    evconnlistener_disable(l);
    struct timeval tv = {0, 200000};
    evtimer_add(w->listen_retry_ev, &tv);
}

static void reload_cb(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->srv->tls_mu);
    SSL_CTX *next = w->tls_pending;
    w->tls_pending = NULL;
    pthread_mutex_unlock(&w->srv->tls_mu);
    if (!next)
        return;
    SSL_CTX_free(w->tls); /* connections keep their own reference through their SSL objects */
    w->tls = next;
    log_info("event=tls_reloaded w=%d", w->id);
}

static void drain_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    log_warn("event=shutdown_deadline w=%d open_connections=%d", w->id, w->nconns);
    while (!TAILQ_EMPTY(&w->conns))
        http_conn_close(TAILQ_FIRST(&w->conns));
    worker_finish(w);
}

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    if (w->draining)
        return;
    w->draining = true;
    if (w->listener) {
        evconnlistener_free(w->listener); /* closes the listening socket */
        w->listener = NULL;
    }
    struct http_conn *c = TAILQ_FIRST(&w->conns);
    while (c) {
        /* http_conn_drain may free c; take the next one first. */
        struct http_conn *next = http_conn_next(c);
        http_conn_drain(c);
        c = next;
    }
    if (w->nconns == 0) {
        worker_finish(w);
        return;
    }
    int ms = w->srv->cfg.shutdown_timeout_ms;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(w->drain_deadline_ev, &tv);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    event_base_dispatch(w->base);
    /* Loop exited: everything was closed by worker_finish or the deadline. */
    while (!TAILQ_EMPTY(&w->conns))
        http_conn_close(TAILQ_FIRST(&w->conns));
    db_pool_free(w->db);
    w->db = NULL;
    return NULL;
}

static int worker_init(struct server *s, struct worker *w, int id, int fd, SSL_CTX *tls, char *err,
                       size_t errlen)
{
    const struct config *cfg = &s->cfg;
    memset(w, 0, sizeof *w);
    w->id = id;
    w->srv = s;
    w->listen_fd = fd;
    TAILQ_INIT(&w->conns);
    w->base = event_base_new();
    if (!w->base) {
        snprintf(err, errlen, "cannot create event base for worker %d", id);
        return -1;
    }
    w->dns = evdns_base_new(w->base, EVDNS_BASE_INITIALIZE_NAMESERVERS);
    if (!w->dns) /* no resolv.conf: unix sockets and IP addresses still work */
        w->dns = evdns_base_new(w->base, 0);
    SSL_CTX_up_ref(tls);
    w->tls = tls;
    w->limits.max_head_bytes = (size_t)cfg->max_header_bytes;
    w->limits.max_target_bytes = (size_t)cfg->max_header_bytes / 2; /* longer URL → 414 */
    /* the parser admits the larger upload limit; http_conn applies max_body_bytes to every
     * route that is not an upload */
    w->limits.max_body_bytes =
        cfg->max_upload_bytes > cfg->max_body_bytes ? cfg->max_upload_bytes : cfg->max_body_bytes;
    w->conn_cap = (cfg->max_connections + s->nworkers - 1) / s->nworkers;
    w->reload_ev = event_new(w->base, -1, 0, reload_cb, w);
    w->stop_ev = event_new(w->base, -1, 0, stop_cb, w);
    w->drain_deadline_ev = evtimer_new(w->base, drain_deadline_cb, w);
    w->listen_retry_ev = evtimer_new(w->base, listen_retry_cb, w);
    w->listener = evconnlistener_new(w->base, accept_cb, w, LEV_OPT_CLOSE_ON_FREE, -1, fd);
    if (!w->listener) {
        snprintf(err, errlen, "cannot listen on socket for worker %d", id);
        return -1;
    }
    evconnlistener_set_error_cb(w->listener, accept_error_cb);
    struct db_pool_config pc = {
        .conninfo = cfg->database_url,
        .size = cfg->db_pool_size,
        .queue_max = cfg->db_queue_max,
        .op_timeout_ms = cfg->db_timeout_ms,
        .statement_timeout_ms = cfg->db_statement_timeout_ms,
        .owner_id = id,
    };
    w->db = db_pool_new(w->base, w->dns, &pc, s->stmts, s->nstmts, &w->metrics);
    return s->app->worker_init(w, err, errlen);
}

static void worker_destroy(struct worker *w)
{
    if (w->listener)
        evconnlistener_free(w->listener);
    if (w->reload_ev)
        event_free(w->reload_ev);
    if (w->stop_ev)
        event_free(w->stop_ev);
    if (w->drain_deadline_ev)
        event_free(w->drain_deadline_ev);
    if (w->listen_retry_ev)
        event_free(w->listen_retry_ev);
    if (w->dns)
        evdns_base_free(w->dns, 0);
    SSL_CTX_free(w->tls);
    SSL_CTX_free(w->tls_pending);
    if (w->app) /* after the pool: db_pool_free answered what was in flight */
        w->srv->app->worker_free(w);
    if (w->base)
        event_base_free(w->base);
}

int server_start_workers(struct server *s, const int *fds, SSL_CTX *tls, char *err, size_t errlen)
{
    size_t nnames;
    s->app->route_names(&nnames); /* fills the shared name table before threads read it */
    if (tls_ctx_use_tickets(tls, &s->secret, s->cfg.tls_ticket_rotate_s, s->cfg.tls_tickets_tls12,
                            err, errlen) != 0)
        return -1;
    s->workers = xcalloc((size_t)s->nworkers, sizeof *s->workers);
    /* Workers must not receive process signals; the main thread's loop handles them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = 0;
    for (int i = 0; i < s->nworkers; i++) {
        if (worker_init(s, &s->workers[i], i, fds[i], tls, err, errlen) != 0) {
            for (int j = 0; j <= i; j++)
                worker_destroy(&s->workers[j]);
            free(s->workers);
            s->workers = NULL;
            s->nworkers = 0;
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            return -1;
        }
    }
    for (int i = 0; rc == 0 && i < s->nworkers; i++) {
        if (pthread_create(&s->workers[i].thread, NULL, worker_main, &s->workers[i]) != 0) {
            snprintf(err, errlen, "cannot start worker thread %d: %s", i, strerror(errno));
            rc = -1;
            /* threads already started are stopped by the caller through server_stop_and_join */
            s->nworkers = i;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void server_reload_tls(struct server *s, SSL_CTX *ctx)
{
    /* the same secret, the same ticket keys: tickets issued before the reload still resume */
    char err[256];
    if (tls_ctx_use_tickets(ctx, &s->secret, s->cfg.tls_ticket_rotate_s, s->cfg.tls_tickets_tls12,
                            err, sizeof err) != 0) {
        log_error("event=tls_reload_failed error=\"%s\" keeping=previous", err);
        SSL_CTX_free(ctx);
        return;
    }
    for (int i = 0; i < s->nworkers; i++) {
        struct worker *w = &s->workers[i];
        SSL_CTX_up_ref(ctx);
        pthread_mutex_lock(&s->tls_mu);
        SSL_CTX *old = w->tls_pending;
        w->tls_pending = ctx;
        pthread_mutex_unlock(&s->tls_mu);
        SSL_CTX_free(old);
        event_active(w->reload_ev, 0, 0);
    }
    SSL_CTX_free(ctx);
}

void server_stop_and_join(struct server *s)
{
    for (int i = 0; i < s->nworkers; i++)
        event_active(s->workers[i].stop_ev, 0, 0);
    for (int i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i].thread, NULL);
    for (int i = 0; i < s->nworkers; i++)
        worker_destroy(&s->workers[i]);
    free(s->workers);
    s->workers = NULL;
}
