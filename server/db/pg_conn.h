/* The pieces of a libpq connection that the worker's pool (db_pool.c) and a request's own
 * connection (pg_stream.c) share: resolving the host through evdns, starting a non-blocking
 * connection, waiting on its socket in the event loop, draining an idle connection and trimming
 * libpq's messages; and the blocking connection the command-line tools use before any event loop
 * exists. */
#ifndef ITA_PG_CONN_H
#define ITA_PG_CONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

/* Looks host up (any family, stream sockets, configured families only). Returns evdns's request,
 * or NULL when cb has already run. */
struct evdns_getaddrinfo_request *pg_resolve(struct evdns_base *dns, const char *host,
                                             evdns_getaddrinfo_cb cb, void *arg);

/* The numeric text of the first address of a lookup into addr ("" for another family). */
void pg_first_addr(const struct evutil_addrinfo *res, char *addr, size_t addrlen);

/* The host name in a libpq connection string that the caller must resolve itself (with evdns,
 * so that libpq never blocks on DNS): NULL for sockets, addresses, hostaddr and host lists, or an
 * unparsable string (libpq reports that one). Caller frees. */
char *db_conninfo_host_to_resolve(const char *conninfo);

/* Starts a non-blocking connection to conninfo (a connection string given as dbname, so it may
 * hold every key) as application_name, at hostaddr when not NULL. True when started; false with
 * *pg NULL (out of memory) or a broken *pg whose PQerrorMessage says why (the caller finishes it).
 * The caller then waits for EV_WRITE, as if PQconnectPoll had returned PGRES_POLLING_WRITING. */
bool pg_connect_start(PGconn **pg, const char *conninfo, const char *application_name,
                      const char *hostaddr);

/* (Re)arms ev on pg's socket (the socket may change while connecting) for what, plus EV_WRITE
 * when want_write (output libpq could not flush yet). False when the connection has no socket. */
bool pg_sock_wait(PGconn *pg, struct event *ev, struct event_base *base, short what,
                  bool want_write, event_callback_fn cb, void *arg);

/* An idle connection expects nothing but notices or the server closing it: drops what arrived.
 * False when the connection is broken (PQerrorMessage says why). */
bool pg_drain_idle(PGconn *pg);

/* why (or "connection lost" when empty) into dst without libpq's trailing newline and spaces. */
void pg_message(char *dst, size_t len, const char *why);

/* Takes a connection down: cancels its DNS lookup (*dns_req set to NULL first, since the
 * cancel calls back) and finishes *pg (set to NULL). Either may already be NULL. */
void pg_conn_close(PGconn **pg, struct evdns_getaddrinfo_request **dns_req);

/* Sends pg's notices and warnings (NOTICE, WARNING, ...: anything the server reports that is not
 * a statement's error) to the logger as one logfmt line each: event=pg_notice with severity,
 * sqlstate and message (and detail and hint when given), at level warn for WARNING, info for
 * NOTICE/INFO/LOG, debug for DEBUG, error otherwise. pg_connect_start and pg_connect_blocking do
 * this for every connection they make; call it for a PGconn made any other way. */
void pg_conn_log_notices(PGconn *pg);

/* A blocking connection for the command-line tools; NULL with "cannot connect to the database:
 * ..." in err when it fails. */
PGconn *pg_connect_blocking(const char *conninfo, char *err, size_t errlen);

#endif
