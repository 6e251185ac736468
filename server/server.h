/* The server's shared state and its per-worker context. A worker is one thread with its own event
 * base, listening socket (SO_REUSEPORT), TLS context reference, database pool and metrics; workers
 * share nothing mutable on the request path. */
#ifndef ITA_SERVER_H
#define ITA_SERVER_H

#include "config.h"
#include "db/db_pool.h"
#include "net/http_app.h"
#include "net/http_parse.h"
#include "metrics.h"
#include "secret.h"

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

struct http_conn;
TAILQ_HEAD(http_conn_list, http_conn);

struct worker {
    int id; /* 0..nworkers-1, in logs as w= */
    struct server *srv;
    pthread_t thread;
    struct event_base *base;
    struct evdns_base *dns;          /* for database host names */
    int listen_fd;                   /* bound and listening; owned by listener once created */
    struct evconnlistener *listener; /* NULL once draining */
    SSL_CTX *tls;                    /* context for new connections (one reference held) */
    SSL_CTX *tls_pending;            /* set by the main thread on reload, under srv->tls_mu */
    struct event *reload_ev;         /* activated by the main thread: take tls_pending */
    struct event *stop_ev;           /* activated by the main thread: drain and exit */
    struct event *drain_deadline_ev; /* shutdown_timeout after stop */
    struct event *listen_retry_ev;   /* re-enables accepting after EMFILE */
    struct db_pool *db;
    struct worker_metrics metrics;
    void *app;                   /* the application's per-worker state (app/app.h) */
    struct http_conn_list conns; /* every open client connection */
    int nconns;                  /* entries in conns */
    int conn_cap;                /* beyond this, requests get 503 */
    uint64_t next_conn_id;       /* per-worker counter, logged as conn= */
    bool draining;               /* SIGTERM received: finish in-flight work, accept nothing */
    bool finished;               /* pool closed, loop exiting */
    struct http_limits limits;   /* from configuration */
    time_t date_sec;             /* second cached in date_header */
    char date_header[40];        /* IMF-fixdate for the Date header */
};

struct server {
    struct config cfg; /* read-only after start-up */
    int nworkers;
    struct worker *workers;
    pthread_mutex_t tls_mu;                  /* guards every worker's tls_pending */
    const struct http_app *app;              /* routes, dispatch and per-worker state (app/app.c) */
    const struct db_statement *const *stmts; /* every statement, prepared on each connection */
    struct secret secret;                    /* HMAC key (secret_file) */
    struct cpu_pool *cpu;                    /* threads for CPU-heavy work (app/req_job.h) */
    unsigned char proxy_from[16][16];        /* balancers trusted to send a PROXY v2 header */
    size_t proxy_from_len[16];               /* 4 or 16 */
    size_t n_proxy_from;
    size_t nstmts;
};

/* Starts the workers on already-bound sockets (fds[i] for worker i); returns 0 or -1 with err. */
int server_start_workers(struct server *s, const int *fds, SSL_CTX *tls, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Hands a new TLS context to every worker; consumes the caller's reference. */
void server_reload_tls(struct server *s, SSL_CTX *ctx);
/* Asks every worker to drain, then waits for all of them to exit. */
void server_stop_and_join(struct server *s);

/* Worker-internal API used by http_conn.c. */
void worker_conn_closed(struct worker *w);
const char *worker_date(struct worker *w);

#endif
