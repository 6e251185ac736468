/* A single asynchronous PostgreSQL connection for one long request (see pg_stream.h): a small
 * state machine driven by its socket and one timer, like a connection of db_pool.c, but owned by
 * its request and able to hand over COPY OUT rows with backpressure. */
#include "pg_stream.h"
#include "db_pool.h"
#include "pg_conn.h"
#include "reentry.h"
#include "xalloc.h"

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pgs_state {
    PGS_START,      /* opened; the timer starts connecting on the next loop turn */
    PGS_RESOLVING,  /* looking up the host name through evdns */
    PGS_CONNECTING, /* PQconnectPoll in progress */
    PGS_IDLE,       /* connected, no query */
    PGS_QUERY,      /* a query is in flight; waiting for its results */
    PGS_COPY,       /* COPY OUT rows are coming */
    PGS_DEAD,       /* failed or closed; waiting to be freed */
};

struct pg_stream {
    struct event_base *base;
    struct evdns_base *dns;
    char *conninfo; /* owned copy */
    char *host;     /* host name to resolve ourselves, or NULL */
    int connect_timeout_ms;
    const struct pg_stream_ops *ops;
    void *arg; /* the owner's, passed to every callback */
    enum pgs_state state;
    PGconn *pg;             /* NULL before connecting and once dead */
    struct event *sock_ev;  /* socket readiness, re-assigned on every wait */
    struct event *timer_ev; /* start, connect deadline or query deadline */
    struct evdns_getaddrinfo_request *dns_req;
    bool want_write;      /* PQflush returned 1 */
    bool paused;          /* the owner asked for no more COPY rows for now */
    PGresult *last;       /* last result of the query in flight (owned) */
    struct reentry guard; /* our callbacks on the stack; free_pending: pg_stream_free was
                             called inside one */
    char error[512];      /* message of the failure being reported */
};

static void sock_cb(evutil_socket_t fd, short what, void *arg);
static void read_results(struct pg_stream *s);

static struct timeval ms_tv(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

static void close_pg(struct pg_stream *s)
{
    event_del(s->sock_ev);
    evtimer_del(s->timer_ev);
    pg_conn_close(&s->pg, &s->dns_req);
    if (s->last) {
        PQclear(s->last);
        s->last = NULL;
    }
}

static void really_free(struct pg_stream *s)
{
    close_pg(s);
    event_free(s->sock_ev);
    event_free(s->timer_ev);
    free(s->host);
    free(s->conninfo);
    free(s);
}

/* Returns false when the stream was freed. */
static bool leave(struct pg_stream *s)
{
    return REENTRY_LEAVE(&s->guard, really_free, s);
}

/* Closes the connection and tells the owner (ready or result, depending on how far it got). */
static void fail(struct pg_stream *s, const char *why)
{
    pg_message(s->error, sizeof s->error, why);
    enum pgs_state was = s->state;
    close_pg(s);
    s->state = PGS_DEAD;
    if (was == PGS_START || was == PGS_RESOLVING || was == PGS_CONNECTING)
        s->ops->ready(s->arg, false, s->error);
    else if (was != PGS_DEAD)
        s->ops->result(s->arg, NULL, s->error);
}

static void wait_for(struct pg_stream *s, short what)
{
    if (!pg_sock_wait(s->pg, s->sock_ev, s->base, what, s->want_write, sock_cb, s))
        fail(s, "connection has no socket");
}

/* ---- connecting ---- */

static void connect_with(struct pg_stream *s, const char *hostaddr)
{
    if (!pg_connect_start(&s->pg, s->conninfo, "itad-export", hostaddr)) {
        fail(s, s->pg ? PQerrorMessage(s->pg) : "out of memory");
        return;
    }
    s->state = PGS_CONNECTING;
    s->want_write = false;
    wait_for(s, EV_WRITE); /* libpq: as if PQconnectPoll had returned PGRES_POLLING_WRITING */
}

static void dns_cb(int result, struct evutil_addrinfo *res, void *arg)
{
    if (result == EVUTIL_EAI_CANCEL)
        return; /* close_pg cancelled us; the stream may be gone */
    struct pg_stream *s = arg;
    s->dns_req = NULL;
    reentry_enter(&s->guard);
    if (result != 0 || !res) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot resolve database host %s: %s", s->host,
                 evutil_gai_strerror(result));
        fail(s, msg);
    } else {
        char addr[INET6_ADDRSTRLEN];
        pg_first_addr(res, addr, sizeof addr);
        connect_with(s, addr);
    }
    if (res)
        evutil_freeaddrinfo(res);
    leave(s);
}

static void start(struct pg_stream *s)
{
    struct timeval tv = ms_tv(s->connect_timeout_ms);
    evtimer_add(s->timer_ev, &tv);
    if (!s->host || !s->dns) {
        connect_with(s, NULL);
        return;
    }
    s->state = PGS_RESOLVING;
    struct evdns_getaddrinfo_request *r = pg_resolve(s->dns, s->host, dns_cb, s);
    if (s->state == PGS_RESOLVING)
        s->dns_req = r; /* else dns_cb has already run */
}

static void poll_connect(struct pg_stream *s)
{
    PostgresPollingStatusType st = PQconnectPoll(s->pg);
    if (st == PGRES_POLLING_FAILED) {
        fail(s, PQerrorMessage(s->pg));
        return;
    }
    if (st != PGRES_POLLING_OK) {
        s->want_write = false;
        wait_for(s, st == PGRES_POLLING_WRITING ? EV_WRITE : EV_READ);
        return;
    }
    evtimer_del(s->timer_ev);
    if (PQsetnonblocking(s->pg, 1) != 0) {
        fail(s, PQerrorMessage(s->pg));
        return;
    }
    s->state = PGS_IDLE;
    s->ops->ready(s->arg, true, NULL);
    if (s->state == PGS_IDLE && !s->guard.free_pending)
        wait_for(s, EV_READ); /* notices the server closing the connection */
}

/* ---- queries and COPY rows ---- */

/* Hands over rows until libpq holds no complete one, the owner pauses, or the COPY ends. */
static void copy_rows(struct pg_stream *s)
{
    for (;;) {
        if (s->paused || s->guard.free_pending)
            return;
        char *buf = NULL;
        int n = PQgetCopyData(s->pg, &buf, 1);
        if (n > 0) {
            bool more = s->ops->copy_row(s->arg, buf, (size_t)n);
            PQfreemem(buf);
            if (!more)
                s->paused = true;
            continue;
        }
        if (n == 0) {
            s->ops->copy_idle(s->arg);
            if (!s->paused && !s->guard.free_pending && s->state == PGS_COPY)
                wait_for(s, EV_READ);
            return;
        }
        if (n == -1) { /* COPY done: its command status follows */
            s->state = PGS_QUERY;
            read_results(s);
            return;
        }
        fail(s, PQerrorMessage(s->pg));
        return;
    }
}

/* Collects the results of the query in flight; reports the last one when libpq says it is done. */
static void read_results(struct pg_stream *s)
{
    while (!PQisBusy(s->pg)) {
        PGresult *r = PQgetResult(s->pg);
        if (r && PQresultStatus(r) == PGRES_COPY_OUT) {
            PQclear(r);
            s->state = PGS_COPY;
            copy_rows(s);
            return;
        }
        if (r) {
            if (s->last)
                PQclear(s->last);
            s->last = r;
            continue;
        }
        if (PQstatus(s->pg) == CONNECTION_BAD) {
            fail(s, PQerrorMessage(s->pg));
            return;
        }
        evtimer_del(s->timer_ev);
        PGresult *res = s->last;
        s->last = NULL;
        s->state = PGS_IDLE;
        s->ops->result(s->arg, res, res ? NULL : "the statement returned no result");
        PQclear(res);
        if (s->state == PGS_IDLE && !s->guard.free_pending)
            wait_for(s, EV_READ);
        return;
    }
    wait_for(s, EV_READ);
}

static void io(struct pg_stream *s, short what)
{
    if (what & EV_WRITE) {
        int f = PQflush(s->pg);
        if (f < 0) {
            fail(s, PQerrorMessage(s->pg));
            return;
        }
        s->want_write = f == 1;
    }
    if ((what & EV_READ) && !PQconsumeInput(s->pg)) {
        fail(s, PQerrorMessage(s->pg));
        return;
    }
    switch (s->state) {
    case PGS_IDLE:
        /* nothing is expected but notices or the server going away */
        if (!pg_drain_idle(s->pg))
            fail(s, PQerrorMessage(s->pg));
        else
            wait_for(s, EV_READ);
        return;
    case PGS_QUERY:
        read_results(s);
        return;
    case PGS_COPY:
        copy_rows(s);
        return;
    case PGS_START:
    case PGS_RESOLVING:
    case PGS_CONNECTING:
    case PGS_DEAD:
        return;
    }
    abort();
}

static void sock_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pg_stream *s = arg;
    reentry_enter(&s->guard);
    if (s->state == PGS_CONNECTING)
        poll_connect(s);
    else if (s->state != PGS_DEAD)
        io(s, what);
    leave(s);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pg_stream *s = arg;
    reentry_enter(&s->guard);
    if (s->state == PGS_START) {
        start(s);
    } else if (s->state == PGS_RESOLVING || s->state == PGS_CONNECTING) {
        char msg[96];
        snprintf(msg, sizeof msg, "connecting to the database took longer than %d ms",
                 s->connect_timeout_ms);
        fail(s, msg);
    } else if (s->state == PGS_QUERY || s->state == PGS_COPY) {
        fail(s, "the database did not answer in time");
    }
    leave(s);
}

struct pg_stream *pg_stream_open(struct event_base *base, struct evdns_base *dns,
                                 const char *conninfo, int connect_timeout_ms,
                                 const struct pg_stream_ops *ops, void *arg)
{
    struct pg_stream *s = xcalloc(1, sizeof *s);
    s->base = base;
    s->dns = dns;
    s->conninfo = xstrdup(conninfo);
    s->host = db_conninfo_host_to_resolve(conninfo);
    s->connect_timeout_ms = connect_timeout_ms > 0 ? connect_timeout_ms : 3000;
    s->ops = ops;
    s->arg = arg;
    s->state = PGS_START;
    s->sock_ev = event_new(base, -1, 0, sock_cb, s);
    s->timer_ev = evtimer_new(base, timer_cb, s);
    struct timeval now = {0, 0};
    evtimer_add(s->timer_ev, &now);
    return s;
}

bool pg_stream_query(struct pg_stream *s, const char *sql, int nparams, const char *const *values,
                     int timeout_ms)
{
    if (s->state != PGS_IDLE)
        abort(); /* one statement at a time, only once connected */
    int f = -1;
    if (PQsendQueryParams(s->pg, sql, nparams, NULL, values, NULL, NULL, 0) == 1)
        f = PQflush(s->pg);
    if (f < 0) {
        snprintf(s->error, sizeof s->error, "%s", PQerrorMessage(s->pg));
        close_pg(s);
        s->state = PGS_DEAD;
        return false;
    }
    s->want_write = f == 1;
    s->state = PGS_QUERY;
    evtimer_del(s->timer_ev);
    if (timeout_ms > 0) {
        struct timeval tv = ms_tv(timeout_ms);
        evtimer_add(s->timer_ev, &tv);
    }
    wait_for(s, EV_READ);
    return true;
}

void pg_stream_pause(struct pg_stream *s)
{
    s->paused = true;
    if (s->state == PGS_COPY)
        event_del(s->sock_ev);
}

void pg_stream_resume(struct pg_stream *s)
{
    if (!s->paused)
        return;
    s->paused = false;
    if (s->state != PGS_COPY || !s->pg)
        return;
    /* rows libpq already holds may never make the socket readable again: look on the next turn */
    event_del(s->sock_ev);
    event_assign(s->sock_ev, s->base, PQsocket(s->pg), EV_READ, sock_cb, s);
    event_active(s->sock_ev, EV_READ, 0);
}

void pg_stream_free(struct pg_stream *s)
{
    if (!s)
        return;
    if (s->guard.depth > 0) {
        s->guard.free_pending = true;
        close_pg(s);
        s->state = PGS_DEAD;
        return;
    }
    really_free(s);
}
