/* Asynchronous PostgreSQL connection pool (one per worker). Each connection is a small state
 * machine driven by its socket and a timer; dbc_set_state is the only place that changes a
 * connection's state, and with it the metrics and the idle list. */
#include "db_pool.h"
#include "db_pool_impl.h"
#include "pg_conn.h"
#include "log.h"
#include "metrics.h"
#include "xalloc.h"

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

static void conn_start(struct db_conn *c);
static void conn_fail(struct db_conn *c, const char *why);
static void conn_wait(struct db_conn *c, short what);
static void conn_dispatch_next(struct db_conn *c);

static gauge_t *state_gauge(struct db_conn *c, enum dbc_state s)
{
    struct worker_metrics *m = c->pool->m;
    switch (s) {
    case DBC_DOWN:
        return &m->db_conns_down;
    case DBC_RESOLVING:
    case DBC_CONNECTING:
    case DBC_PREPARING:
        return &m->db_conns_connecting;
    case DBC_IDLE:
    case DBC_BUSY:
    case DBC_ROLLBACK:
        return &m->db_conns_ready;
    }
    abort();
}

static void dbc_set_state(struct db_conn *c, enum dbc_state s)
{
    if (c->state == s)
        return;
    METRIC_DEC(*state_gauge(c, c->state));
    METRIC_INC(*state_gauge(c, s));
    bool was_busy = c->state == DBC_BUSY || c->state == DBC_ROLLBACK;
    bool is_busy = s == DBC_BUSY || s == DBC_ROLLBACK;
    if (was_busy != is_busy)
        METRIC_ADD(c->pool->m->db_conns_busy, is_busy ? 1 : -1);
    if (c->state == DBC_IDLE)
        TAILQ_REMOVE(&c->pool->idle, c, idle_link);
    if (s == DBC_IDLE)
        TAILQ_INSERT_TAIL(&c->pool->idle, c, idle_link);
    switch (s) {
    case DBC_DOWN:
    case DBC_RESOLVING:
    case DBC_CONNECTING:
    case DBC_PREPARING:
    case DBC_IDLE:
    case DBC_BUSY:
    case DBC_ROLLBACK:
        break;
    default:
        abort();
    }
    c->state = s;
}

static struct timeval ms_tv(int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return tv;
}

/* ---- operations ---- */

static void op_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    struct db_op *op = arg;
    char msg[128];
    if (op->conn) {
        struct db_conn *c = op->conn;
        snprintf(msg, sizeof msg, "database did not answer within %d ms",
                 op->pool->cfg.op_timeout_ms);
        c->op = NULL;
        op->conn = NULL;
        op_finish(op, false, true, NULL, msg);
        /* The connection is in an unknown state; start over with a fresh one. */
        conn_fail(c, msg);
    } else {
        snprintf(msg, sizeof msg, "no database connection became available within %d ms",
                 op->pool->cfg.op_timeout_ms);
        op_finish(op, false, true, NULL, msg);
    }
}

static bool send_item(struct db_conn *c, const struct op_item *it)
{
    return PQsendQueryPrepared(c->pg, it->st->name, it->nparams, (const char *const *)it->values,
                               it->lengths, NULL, 0) == 1;
}

/* A batch in one round trip: BEGIN, every item, COMMIT and a sync, in pipeline mode. */
static bool send_batch(struct db_conn *c, const struct db_op *op)
{
    if (!PQenterPipelineMode(c->pg) ||
        !PQsendQueryParams(c->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0))
        return false;
    for (size_t k = 0; k < op->nitems; k++)
        if (!send_item(c, &op->items[k]))
            return false;
    return PQsendQueryParams(c->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) &&
           PQpipelineSync(c->pg);
}

/* On false the connection may hold half a pipeline: the caller takes it down. */
static bool conn_send(struct db_conn *c, struct db_op *op)
{
    if (!(op->batch ? send_batch(c, op) : send_item(c, &op->items[0])))
        return false;
    int f = PQflush(c->pg);
    if (f < 0)
        return false;
    c->want_write = f == 1;
    c->op = op;
    op->conn = c;
    dbc_set_state(c, DBC_BUSY);
    conn_wait(c, EV_READ);
    return true;
}

/* Gives an idle connection the next queued operation, if any. */
static void conn_dispatch_next(struct db_conn *c)
{
    while (c->state == DBC_IDLE && !TAILQ_EMPTY(&c->pool->queue)) {
        struct db_op *op = TAILQ_FIRST(&c->pool->queue);
        TAILQ_REMOVE(&c->pool->queue, op, link);
        op->queued = false;
        c->pool->queue_len--;
        METRIC_DEC(c->pool->m->db_queue);
        if (!op_live(op)) { /* cancelled while queued (defensive: cancel frees queued ops) */
            op_free(op);
            continue;
        }
        if (!conn_send(c, op)) {
            /* put it back at the head; another connection (or this one, later) takes it */
            TAILQ_INSERT_HEAD(&c->pool->queue, op, link);
            op->queued = true;
            c->pool->queue_len++;
            METRIC_INC(c->pool->m->db_queue);
            conn_fail(c, PQerrorMessage(c->pg));
            return;
        }
    }
}

static bool pool_has_prospect(const struct db_pool *p)
{
    for (int i = 0; i < p->cfg.size; i++)
        if (p->conns[i].state != DBC_DOWN)
            return true;
    return false;
}

static bool pool_refuses(struct db_pool *p)
{
    if (p->freeing || p->queue_len >= p->cfg.queue_max || !pool_has_prospect(p)) {
        METRIC_INC(p->m->db_unavailable);
        return true;
    }
    return false;
}

/* Sends op on an idle connection or queues it; NULL (op freed, no callback) when no connection
 * is left that could run it. */
static struct db_op *op_start(struct db_pool *p, struct db_op *op)
{
    op->timer = evtimer_new(p->base, op_timeout_cb, op);
    int ms = p->cfg.op_timeout_ms;
    if (!op->batch && op->items[0].st->long_running) {
        int longest = p->cfg.statement_timeout_ms > 0 ? p->cfg.statement_timeout_ms + 1000 : 600000;
        ms = longest > ms ? longest : ms;
    }
    struct timeval tv = ms_tv(ms);
    evtimer_add(op->timer, &tv);
    /* Never call back from here: a send failure only takes the connection down. */
    for (;;) {
        struct db_conn *c = TAILQ_FIRST(&p->idle);
        if (!c || !TAILQ_EMPTY(&p->queue))
            break;
        if (conn_send(c, op))
            return op;
        conn_fail(c, PQerrorMessage(c->pg));
    }
    if (!pool_has_prospect(p)) {
        op->cb = NULL;
        op->batch_cb = NULL;
        op_free(op);
        METRIC_INC(p->m->db_unavailable);
        return NULL;
    }
    TAILQ_INSERT_TAIL(&p->queue, op, link);
    op->queued = true;
    p->queue_len++;
    METRIC_INC(p->m->db_queue);
    return op;
}

struct db_op *db_exec(struct db_pool *p, const struct db_statement *st, const char *const *values,
                      const int *lengths, db_done_cb cb, void *arg)
{
    if (pool_refuses(p))
        return NULL;
    struct db_op *op = xcalloc(1, sizeof *op);
    op->pool = p;
    op->nitems = 1;
    op->items = xcalloc(1, sizeof *op->items);
    item_init(p, &op->items[0], st, values, lengths);
    op->cb = cb;
    op->arg = arg;
    return op_start(p, op);
}

struct db_op *db_exec_batch(struct db_pool *p, const struct db_batch_stmt *stmts, size_t n,
                            db_batch_cb cb, void *arg)
{
    if (n == 0)
        abort(); /* caller bug: an empty batch */
    if (pool_refuses(p))
        return NULL;
    struct db_op *op = xcalloc(1, sizeof *op);
    op->pool = p;
    op->batch = true;
    op->nitems = n;
    op->items = xcalloc(n, sizeof *op->items);
    for (size_t k = 0; k < n; k++)
        item_init(p, &op->items[k], stmts[k].st, stmts[k].values, NULL);
    op->batch_cb = cb;
    op->arg = arg;
    return op_start(p, op);
}

void db_op_cancel(struct db_op *op)
{
    if (!op)
        return;
    op->cb = NULL;
    op->batch_cb = NULL;
    if (!op->conn) {
        op_free(op); /* still queued: unlink and free */
        return;
    }
    /* In flight: the connection drains its result and frees the op (see conn_read). */
    if (op->timer)
        evtimer_del(op->timer);
}

bool db_pool_ready(const struct db_pool *p)
{
    for (int i = 0; i < p->cfg.size; i++)
        if (p->conns[i].state >= DBC_IDLE)
            return true;
    return false;
}

const char *db_pool_last_error(const struct db_pool *p)
{
    return p->last_error;
}

/* ---- connections ---- */

static void conn_event_cb(evutil_socket_t fd, short what, void *arg);

static void conn_wait(struct db_conn *c, short what)
{
    if (!pg_sock_wait(c->pg, c->sock_ev, c->pool->base, what, c->want_write, conn_event_cb, c))
        conn_fail(c, "connection has no socket");
}

static void conn_close(struct db_conn *c)
{
    if (c->sock_ev)
        event_del(c->sock_ev);
    evtimer_del(c->timer_ev);
    pg_conn_close(&c->pg, &c->dns_req);
    c->want_write = false;
}

/* Closes c and fails the operation it was running, if any, as unavailable with why. */
static void conn_down(struct db_conn *c, const char *why)
{
    struct db_op *op = c->op;
    c->op = NULL;
    conn_close(c);
    dbc_set_state(c, DBC_DOWN);
    if (op) {
        op->conn = NULL;
        op_finish(op, false, true, NULL, why);
    }
}

static void conn_fail(struct db_conn *c, const char *why)
{
    struct db_pool *p = c->pool;
    char msg[sizeof p->last_error];
    pg_message(msg, sizeof msg, why);
    bool was_up = c->state >= DBC_IDLE;
    if (was_up || strcmp(p->last_error, msg) != 0) {
        char q[600];
        log_quote(q, sizeof q, msg);
        log_warn("event=db_conn_failed w=%d db_conn=%d error=%s", p->cfg.owner_id, c->index, q);
    }
    snprintf(p->last_error, sizeof p->last_error, "%s", msg);
    conn_down(c, msg);
    if (p->freeing)
        return;
    /* Reconnect with exponential backoff and jitter, so that many workers do not reconnect in step.
     */
    int delay = was_up ? 0 : c->backoff_ms;
    if (delay > 0)
        delay = delay * 3 / 4 + (int)(arc4random_uniform((uint32_t)delay / 2 + 1));
    c->backoff_ms = c->backoff_ms < BACKOFF_MIN_MS ? BACKOFF_MIN_MS : c->backoff_ms * 2;
    if (c->backoff_ms > BACKOFF_MAX_MS)
        c->backoff_ms = BACKOFF_MAX_MS;
    struct timeval tv = ms_tv(delay);
    evtimer_add(c->timer_ev, &tv);
    /* Operations waiting for a connection fail fast when none is left that could serve them. */
    if (!pool_has_prospect(p)) {
        while (!TAILQ_EMPTY(&p->queue))
            op_finish(TAILQ_FIRST(&p->queue), false, true, NULL, p->last_error);
    }
}

static void conn_connect_with(struct db_conn *c, const char *hostaddr)
{
    if (!pg_connect_start(&c->pg, c->pool->conninfo,
                          c->pool->cfg.application_name ? c->pool->cfg.application_name : "itad",
                          hostaddr)) {
        conn_fail(c, c->pg ? PQerrorMessage(c->pg) : "out of memory");
        return;
    }
    dbc_set_state(c, DBC_CONNECTING);
    struct timeval tv = ms_tv(c->pool->cfg.op_timeout_ms);
    evtimer_add(c->timer_ev, &tv);
    c->want_write = false;
    conn_wait(c, EV_WRITE); /* libpq: behave as if PQconnectPoll returned PGRES_POLLING_WRITING */
}

static void dns_cb(int result, struct evutil_addrinfo *res, void *arg)
{
    struct db_conn *c = arg;
    if (result == EVUTIL_EAI_CANCEL)
        return; /* conn_close cancelled us; c may be going away */
    c->dns_req = NULL;
    if (result != 0 || !res) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot resolve database host %s: %s", c->pool->resolve_host,
                 evutil_gai_strerror(result));
        if (res)
            evutil_freeaddrinfo(res);
        conn_fail(c, msg);
        return;
    }
    char addr[INET6_ADDRSTRLEN];
    pg_first_addr(res, addr, sizeof addr);
    evutil_freeaddrinfo(res);
    conn_connect_with(c, addr);
}

static void conn_start(struct db_conn *c)
{
    struct db_pool *p = c->pool;
    if (p->resolve_host && p->dns) {
        dbc_set_state(c, DBC_RESOLVING);
        c->dns_req = pg_resolve(p->dns, p->resolve_host, dns_cb, c);
        return; /* dns_cb may already have run */
    }
    conn_connect_with(c, NULL);
}

static void conn_begin_prepare(struct db_conn *c)
{
    struct db_pool *p = c->pool;
    evtimer_del(c->timer_ev);
    if (PQsetnonblocking(c->pg, 1) != 0 || !PQenterPipelineMode(c->pg))
        goto fail;
    c->prep_pending = 0;
    c->prep_failed = false;
    char tmo[32];
    snprintf(tmo, sizeof tmo, "%d", p->cfg.statement_timeout_ms);
    const char *params[1] = {tmo};
    if (!PQsendQueryParams(c->pg, "SELECT set_config('statement_timeout', $1, false)", 1, NULL,
                           params, NULL, NULL, 0))
        goto fail;
    c->prep_pending++;
    for (size_t i = 0; i < p->nstmts; i++) {
        if (!PQsendPrepare(c->pg, p->stmts[i]->name, p->stmts[i]->sql, p->stmts[i]->nparams, NULL))
            goto fail;
        c->prep_pending++;
    }
    if (!PQpipelineSync(c->pg))
        goto fail;
    int f = PQflush(c->pg);
    if (f < 0)
        goto fail;
    c->want_write = f == 1;
    dbc_set_state(c, DBC_PREPARING);
    struct timeval tv = ms_tv(p->cfg.op_timeout_ms);
    evtimer_add(c->timer_ev, &tv);
    conn_wait(c, EV_READ);
    return;
fail:
    conn_fail(c, PQerrorMessage(c->pg));
}

static void conn_became_idle(struct db_conn *c)
{
    dbc_set_state(c, DBC_IDLE);
    conn_wait(c, EV_READ); /* notices the server closing an idle connection */
    conn_dispatch_next(c);
}

/* Reads what has arrived; returns false when the connection failed (already handled). */
static bool conn_consume(struct db_conn *c)
{
    if (!PQconsumeInput(c->pg)) {
        conn_fail(c, PQerrorMessage(c->pg));
        return false;
    }
    return true;
}

/* The next result of a pipeline that has arrived, past the NULL that ends each statement's
 * results; NULL when libpq needs more input (*dead false) or the connection broke (*dead true:
 * already failed). */
static PGresult *pipeline_next(struct db_conn *c, bool *dead)
{
    *dead = false;
    while (!PQisBusy(c->pg)) {
        PGresult *r = PQgetResult(c->pg);
        if (r)
            return r;
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            conn_fail(c, PQerrorMessage(c->pg));
            *dead = true;
            return NULL;
        }
    }
    return NULL;
}

static void conn_read_prepare(struct db_conn *c)
{
    bool dead;
    PGresult *r;
    while ((r = pipeline_next(c, &dead))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            if (c->prep_failed || c->prep_pending != 0 || !PQexitPipelineMode(c->pg)) {
                conn_fail(c, c->pool->last_error[0] ? c->pool->last_error
                                                    : "preparing statements failed");
                return;
            }
            evtimer_del(c->timer_ev);
            c->backoff_ms = 0;
            if (c->pool->last_error[0])
                log_info("event=db_conn_ready w=%d db_conn=%d", c->pool->cfg.owner_id, c->index);
            c->pool->last_error[0] = '\0';
            conn_became_idle(c);
            return;
        }
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            if (!c->prep_failed) {
                snprintf(c->pool->last_error, sizeof c->pool->last_error,
                         "preparing statements failed: %s", PQresultErrorMessage(r));
                char q[600];
                log_quote(q, sizeof q, PQresultErrorMessage(r));
                log_error("event=db_prepare_failed w=%d db_conn=%d error=%s", c->pool->cfg.owner_id,
                          c->index, q);
            }
            c->prep_failed = true;
        }
        c->prep_pending--;
        PQclear(r);
    }
    if (!dead)
        conn_wait(c, EV_READ);
}

/* The operation on c has all its results: make the connection reusable (rolling back a
 * transaction the operation left open or failed), report, and give it the next operation. */
static void conn_op_complete(struct db_conn *c)
{
    struct db_op *op = c->op;
    c->op = NULL;
    if (c->state == DBC_ROLLBACK || PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        dbc_set_state(c, DBC_IDLE);
    } else if (!PQsendQuery(c->pg, "ROLLBACK") || PQflush(c->pg) < 0) {
        conn_fail(c, PQerrorMessage(c->pg));
        c = NULL;
    } else {
        dbc_set_state(c, DBC_ROLLBACK);
    }
    if (op) {
        op->conn = NULL;
        op_report(op);
    }
    if (c && c->state == DBC_IDLE)
        conn_became_idle(c);
}

/* A batch in flight: collect results until the pipeline's sync, then leave pipeline mode. */
static void conn_read_pipeline(struct db_conn *c)
{
    bool dead;
    PGresult *r;
    while ((r = pipeline_next(c, &dead))) {
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            if (!PQexitPipelineMode(c->pg)) {
                conn_fail(c, PQerrorMessage(c->pg));
                return;
            }
            conn_op_complete(c);
            if (c->state == DBC_ROLLBACK)
                conn_wait(c, EV_READ);
            return;
        }
        if (c->op)
            batch_take(c->op, r);
        else
            PQclear(r);
    }
    if (!dead)
        conn_wait(c, EV_READ);
}

static void conn_read_busy(struct db_conn *c)
{
    if (PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF) {
        conn_read_pipeline(c);
        return;
    }
    while (!PQisBusy(c->pg)) {
        PGresult *r = PQgetResult(c->pg);
        if (r) {
            struct db_op *op = c->op;
            if (op && !op->items[0].result)
                op->items[0].result = r;
            else
                PQclear(r);
            continue;
        }
        /* NULL: the statement is complete. */
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            conn_fail(c, PQerrorMessage(c->pg));
            return;
        }
        conn_op_complete(c);
        if (c->state != DBC_ROLLBACK)
            return;
    }
    conn_wait(c, EV_READ);
}

static void conn_event_cb(evutil_socket_t fd, short what, void *arg)
{
    struct db_conn *c = arg;
    switch (c->state) {
    case DBC_CONNECTING: {
        PostgresPollingStatusType s = PQconnectPoll(c->pg);
        if (s == PGRES_POLLING_FAILED) {
            conn_fail(c, PQerrorMessage(c->pg));
        } else if (s == PGRES_POLLING_OK) {
            conn_begin_prepare(c);
        } else {
            c->want_write = false;
            conn_wait(c, s == PGRES_POLLING_WRITING ? EV_WRITE : EV_READ);
        }
        return;
    }
    case DBC_PREPARING:
    case DBC_BUSY:
    case DBC_ROLLBACK:
    case DBC_IDLE:
        if (what & EV_WRITE) {
            int f = PQflush(c->pg);
            if (f < 0) {
                conn_fail(c, PQerrorMessage(c->pg));
                return;
            }
            c->want_write = f == 1;
        }
        if ((what & EV_READ) && !conn_consume(c))
            return;
        if (c->state == DBC_PREPARING) {
            conn_read_prepare(c);
        } else if (c->state == DBC_IDLE) {
            /* Nothing is expected on an idle connection but notices or the server closing it. */
            if (!pg_drain_idle(c->pg))
                conn_fail(c, PQerrorMessage(c->pg));
            else
                conn_wait(c, EV_READ);
        } else {
            conn_read_busy(c);
        }
        return;
    case DBC_DOWN:
    case DBC_RESOLVING:
        return;
    }
    abort();
}

static void conn_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct db_conn *c = arg;
    if (c->state == DBC_DOWN) {
        if (c->pool->last_error[0])
            METRIC_INC(c->pool->m->db_reconnects);
        conn_start(c);
    } else if (c->state == DBC_CONNECTING || c->state == DBC_PREPARING) {
        char msg[96];
        snprintf(msg, sizeof msg, "connecting to the database took longer than %d ms",
                 c->pool->cfg.op_timeout_ms);
        conn_fail(c, msg);
    }
}

struct db_pool *db_pool_new(struct event_base *base, struct evdns_base *dns,
                            const struct db_pool_config *cfg,
                            const struct db_statement *const *stmts, size_t nstmts,
                            struct worker_metrics *metrics)
{
    struct db_pool *p = xcalloc(1, sizeof *p);
    p->base = base;
    p->dns = dns;
    p->cfg = *cfg;
    p->conninfo = xstrdup(cfg->conninfo);
    p->cfg.conninfo = p->conninfo;
    p->resolve_host = db_conninfo_host_to_resolve(cfg->conninfo);
    p->stmts = stmts;
    p->nstmts = nstmts;
    p->m = metrics;
    TAILQ_INIT(&p->idle);
    TAILQ_INIT(&p->queue);
    p->conns = xcalloc((size_t)cfg->size, sizeof *p->conns);
    for (int i = 0; i < cfg->size; i++) {
        struct db_conn *c = &p->conns[i];
        c->pool = p;
        c->index = i;
        c->state = DBC_DOWN;
        METRIC_INC(metrics->db_conns_down);
        c->sock_ev = event_new(base, -1, 0, conn_event_cb, c);
        c->timer_ev = evtimer_new(base, conn_timer_cb, c);
        conn_start(c);
    }
    return p;
}

void db_pool_free(struct db_pool *p)
{
    if (!p)
        return;
    p->freeing = true;
    for (int i = 0; i < p->cfg.size; i++)
        conn_down(&p->conns[i], "server is shutting down");
    while (!TAILQ_EMPTY(&p->queue))
        op_finish(TAILQ_FIRST(&p->queue), false, true, NULL, "server is shutting down");
    for (int i = 0; i < p->cfg.size; i++) {
        METRIC_DEC(p->m->db_conns_down);
        event_free(p->conns[i].sock_ev);
        event_free(p->conns[i].timer_ev);
    }
    free(p->conns);
    free(p->resolve_host);
    free(p->conninfo);
    free(p);
}
