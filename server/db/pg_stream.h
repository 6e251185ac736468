/* One asynchronous PostgreSQL connection owned by one long request (the raw export), outside the
 * worker's shared pool so that a long COPY never holds a connection respondents need. Its socket
 * is in the worker's event loop like the pool's: connecting, sending and reading never block.
 * Rows of a COPY TO STDOUT are handed over one at a time, and the owner can pause reading
 * (backpressure: PostgreSQL then stops when its socket buffer is full) and resume.
 *
 * Cancelling: libpq 15 has no asynchronous cancel (PQcancelStart is libpq 17), and PQcancel
 * blocks, so pg_stream_free simply closes the connection. The owner sets
 * client_connection_check_interval so that a backend busy sorting notices within a second;
 * one that is sending notices at once. */
#ifndef ITA_PG_STREAM_H
#define ITA_PG_STREAM_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

struct event_base;
struct evdns_base;
struct pg_stream;

/* What the owner is told; every callback may call pg_stream_query (from ready and result),
 * pg_stream_pause/resume and pg_stream_free (the free is deferred until the callback returns). */
struct pg_stream_ops {
    /* Connected and idle (ok), or the connection failed before that (msg). */
    void (*ready)(void *arg, bool ok, const char *msg);
    /* The query sent last has finished: its final result (for a COPY: the command status after
     * the last row), valid during the call; NULL when the connection failed or the query's
     * deadline passed (msg says which). After NULL the stream is dead: only free it. */
    void (*result)(void *arg, PGresult *res, const char *msg);
    /* One COPY OUT data message, valid during the call. Return false to pause after it. */
    bool (*copy_row)(void *arg, const char *data, size_t len);
    /* Every row received so far has been handed over; more may come (flush what you batched). */
    void (*copy_idle)(void *arg);
};

/* Starts connecting (host names through dns when given, like the pool; unix sockets and IP
 * literals directly). connect_timeout_ms bounds the connection set-up. Never calls back from
 * here. Owned by the caller: pg_stream_free. */
struct pg_stream *pg_stream_open(struct event_base *base, struct evdns_base *dns,
                                 const char *conninfo, int connect_timeout_ms,
                                 const struct pg_stream_ops *ops, void *arg);

/* Sends one statement with text parameters (values copied by libpq; NULL entries are SQL NULL).
 * timeout_ms > 0 bounds the wait for its result (then result(NULL)); 0 waits as long as it takes.
 * Only when idle (after ready or result). Returns false when it could not be sent: the stream
 * is then dead and no callback follows. */
bool pg_stream_query(struct pg_stream *s, const char *sql, int nparams, const char *const *values,
                     int timeout_ms) __attribute__((warn_unused_result));

/* Stops handing over COPY rows (and reading the socket) until pg_stream_resume. */
void pg_stream_pause(struct pg_stream *s);
/* Goes on: rows libpq already holds are handed over on the next loop turn. */
void pg_stream_resume(struct pg_stream *s);

/* Closes the connection (a running query is abandoned: see above) and frees the stream. No
 * callback runs afterwards. NULL is ignored. */
void pg_stream_free(struct pg_stream *s);

#endif
