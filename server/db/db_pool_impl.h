/* Inside the pool (db_pool.c: connections, queue, dispatch; db_op.c: an operation's own life —
 * its parameter copies, its results, and the report to its owner). Nothing outside server/db/
 * includes this. */
#ifndef ITA_DB_POOL_IMPL_H
#define ITA_DB_POOL_IMPL_H

#include "db_pool.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/queue.h>

enum dbc_state {
    DBC_DOWN,       /* no connection; timer waits for the next attempt */
    DBC_RESOLVING,  /* looking up the host name through evdns */
    DBC_CONNECTING, /* PQconnectPoll in progress */
    DBC_PREPARING,  /* pipelined prepares and settings in flight */
    DBC_IDLE,       /* ready, on the idle list */
    DBC_BUSY,       /* running one operation */
    DBC_ROLLBACK,   /* rolling back a transaction an operation left open */
};

struct db_conn {
    struct db_pool *pool;
    int index;  /* position in pool->conns, for logs */
    PGconn *pg; /* NULL when DOWN or RESOLVING */
    enum dbc_state state;
    struct event *sock_ev;  /* socket readiness; re-assigned on every wait (PQsocket may change) */
    struct event *timer_ev; /* connect deadline or reconnect backoff */
    int backoff_ms;         /* next reconnect delay */
    bool want_write;        /* PQflush returned 1: wait for writability too */
    struct db_op *op;       /* current operation when BUSY */
    int prep_pending;       /* PREPARING: results still expected before the sync */
    bool prep_failed;       /* PREPARING: a prepare or setting failed */
    struct evdns_getaddrinfo_request *dns_req;
    TAILQ_ENTRY(db_conn) idle_link;
};

/* One statement of an operation, with its own copies of the parameter values. */
struct op_item {
    const struct db_statement *st; /* one of pool->stmts */
    int nparams;
    char **values; /* copies; NULL entries are SQL NULL */
    int *lengths;
    PGresult *result; /* first result of the statement, or NULL */
};

struct db_op {
    struct db_pool *pool;
    struct op_item *items; /* nitems statements (1 unless batch) */
    size_t nitems;
    bool batch;           /* pipeline mode: BEGIN; items; COMMIT; sync (db_exec_batch) */
    db_done_cb cb;        /* single statement: NULL once cancelled */
    db_batch_cb batch_cb; /* batch: NULL once cancelled */
    void *arg;
    struct event *timer;  /* op deadline */
    struct db_conn *conn; /* set once sent */
    size_t pos;           /* batch: statement being read (0 BEGIN, 1..nitems, nitems+1 COMMIT) */
    bool committed;       /* batch: COMMIT answered COMMIT */
    PGresult *error_res;  /* batch: the first error result (owned when not an item's) */
    bool error_owned;
    bool queued; /* on pool->queue */
    TAILQ_ENTRY(db_op) link;
};

TAILQ_HEAD(op_queue, db_op);
TAILQ_HEAD(conn_list, db_conn);

struct db_pool {
    struct event_base *base;
    struct evdns_base *dns;
    struct db_pool_config cfg;
    char *conninfo;     /* owned copy of cfg.conninfo */
    char *resolve_host; /* host name to resolve ourselves, or NULL */
    const struct db_statement *const *stmts;
    size_t nstmts;
    struct worker_metrics *m;
    struct db_conn *conns; /* cfg.size entries */
    struct conn_list idle;
    struct op_queue queue;
    int queue_len;
    char last_error[512];
    bool freeing;
};

/* ---- operations (db_op.c) ---- */

/* Not cancelled: its owner still wants the callback. */
bool op_live(const struct db_op *op);
/* Unlinks op from the queue if it is there and frees it without calling back. */
void op_free(struct db_op *op);
/* Reports the outcome to the owner (unless cancelled) and frees the operation. */
void op_finish(struct db_op *op, bool ok, bool unavailable, PGresult *res, const char *error);
/* Copies one statement's parameters into it; aborts for a statement the pool does not prepare. */
void item_init(const struct db_pool *p, struct op_item *it, const struct db_statement *st,
               const char *const *values, const int *lengths);
/* Reports a finished operation from its results (checking their declared shape). */
void op_report(struct db_op *op);
/* Takes one result of a batch, in pipeline order: BEGIN, the items, COMMIT. */
void batch_take(struct db_op *op, PGresult *r);

#endif
