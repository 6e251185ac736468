/* A bounded pool of asynchronous PostgreSQL connections for one worker's event loop. Every
 * operation is a prepared statement with parameters; connections prepare all statements in one
 * pipelined round trip when they connect, reconnect with backoff when the server goes away, and
 * waiting operations fail within a bounded time so that a request can answer 503 instead of
 * hanging. Nothing here blocks: sockets, timers and DNS all go through the event loop. */
#ifndef ITA_DB_POOL_H
#define ITA_DB_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

struct event_base;
struct evdns_base;
struct worker_metrics;

/* One SQL statement, declared next to the code that runs it (the *_sql.c file of its folder),
 * with named parameter and column constants beside it. Every connection prepares all of them. */
struct db_statement {
    const char *name;  /* prepared statement name */
    const char *sql;   /* text with $1..$n placeholders */
    int nparams;       /* number of placeholders: every call passes exactly this many values */
    int ncols;         /* columns of its result (0 for none): a result with another number of
                          columns fails the operation, so named column constants cannot drift */
    bool long_running; /* bulk statement (imports, issuing links, the mail merge): waits up to the
                          statement timeout (10 minutes without one) instead of op_timeout_ms */
};

/* Declares `const struct db_statement sql_<name>`, prepared as "<name>", whose parameters and
 * columns are the enums ID_P_... ending ID_NPARAMS and ID_... ending ID_NCOLS declared beside it
 * in its *_sql.h; the rest is its SQL text. DB_BULK_STATEMENT is the same for a bulk statement
 * (long_running). */
#define DB_STATEMENT(stmt, ID, ...)                                                                \
    const struct db_statement sql_##stmt = {                                                       \
        .name = #stmt, .sql = __VA_ARGS__, .nparams = ID##_NPARAMS, .ncols = ID##_NCOLS}
#define DB_BULK_STATEMENT(stmt, ID, ...)                                                           \
    const struct db_statement sql_##stmt = {.name = #stmt,                                         \
                                            .sql = __VA_ARGS__,                                    \
                                            .nparams = ID##_NPARAMS,                               \
                                            .ncols = ID##_NCOLS,                                   \
                                            .long_running = true}

struct db_result {
    bool ok;              /* statement succeeded (COMMAND_OK or TUPLES_OK) */
    bool unavailable;     /* no database could run it in time: answer 503 */
    PGresult *res;        /* the statement's result; owned by the pool, valid during the callback */
    const char *error;    /* message when !ok; valid during the callback */
    const char *sqlstate; /* SQLSTATE when the server reported an error, else NULL */
};

/* Called exactly once per operation unless it was cancelled first. */
typedef void (*db_done_cb)(const struct db_result *r, void *arg);

struct db_pool_config {
    const char *conninfo;     /* libpq connection string or URI */
    int size;                 /* connections */
    int queue_max;            /* operations allowed to wait */
    int op_timeout_ms;        /* longest an operation may wait + run; also the connect timeout */
    int statement_timeout_ms; /* server-side statement_timeout; 0 = none */
    int owner_id;             /* worker id, for log lines (w=) */
    const char *application_name; /* for pg_stat_activity (kept); NULL = "itad" */
};

struct db_pool;
struct db_op;

/* Starts connecting at once. stmts (the statements every connection prepares) must outlive the
 * pool. dns may be NULL (then host names in the
 * connection string are resolved by libpq, which blocks; start-up warns). Owned by the caller:
 * db_pool_free. */
struct db_pool *db_pool_new(struct event_base *base, struct evdns_base *dns,
                            const struct db_pool_config *cfg,
                            const struct db_statement *const *stmts, size_t nstmts,
                            struct worker_metrics *metrics);

/* Fails every pending operation as unavailable, closes all connections and frees the pool. */
void db_pool_free(struct db_pool *p);

/* Queues statement st (one of the pool's statements) with its st->nparams parameter values
 * (copied; NULL entries are SQL NULL; lengths may be NULL for text).
 * Returns NULL without calling cb when the pool cannot take it (no usable connection and none
 * coming, or the queue is full): answer 503 at once. The returned handle stays valid until the
 * callback has returned or db_op_cancel has been called. */
struct db_op *db_exec(struct db_pool *p, const struct db_statement *st, const char *const *values,
                      const int *lengths, db_done_cb cb, void *arg)
    __attribute__((warn_unused_result));

/* One statement of a batch; its parameter values are copied by db_exec_batch. */
struct db_batch_stmt {
    const struct db_statement *st; /* one of the pool's statements */
    const char *const *values;     /* st->nparams text parameters; NULL entries are SQL NULL */
};

struct db_batch_result {
    bool ok;              /* committed: every statement succeeded and COMMIT answered COMMIT */
    bool unavailable;     /* no database could run it in time (or the connection was lost) */
    const char *error;    /* first error when !ok; valid during the callback */
    const char *sqlstate; /* its SQLSTATE, or NULL */
    size_t n;             /* statements in the batch */
    PGresult **res;       /* [n] each statement's result (NULL if it never ran); owned by the
                             pool, valid during the callback. When !ok nothing was committed. */
};

typedef void (*db_batch_cb)(const struct db_batch_result *r, void *arg);

/* Runs n statements as one transaction in a single round trip (pipeline mode: BEGIN; each
 * statement; COMMIT; sync), so that they share one commit. If any statement fails, the whole
 * transaction is rolled back and cb sees ok == false. Otherwise like db_exec: NULL when the pool
 * refuses at once; the handle is cancelled with db_op_cancel. */
struct db_op *db_exec_batch(struct db_pool *p, const struct db_batch_stmt *stmts, size_t n,
                            db_batch_cb cb, void *arg) __attribute__((warn_unused_result));

/* The callback will not be called; the operation is unlinked if still queued, or its result is
 * drained and dropped if already sent. */
void db_op_cancel(struct db_op *op);

/* True when at least one connection is connected and prepared. */
bool db_pool_ready(const struct db_pool *p);

/* Text of the last connection failure ("" if none); for logs and /healthz. */
const char *db_pool_last_error(const struct db_pool *p);

#endif
