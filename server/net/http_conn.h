/* One client connection: TLS bufferevent, request parsing, timeouts, keep-alive and pipelining,
 * the response writer and the access log. */
#ifndef ITA_HTTP_CONN_H
#define ITA_HTTP_CONN_H

#include <event2/util.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

struct worker;
struct http_conn;

/* Takes ownership of fd (closed on any failure). The peer address is kept in memory for rate
 * limiting only: never logged, never stored. */
void http_conn_accept(struct worker *w, evutil_socket_t fd, const struct sockaddr *addr, int len);
/* Starts TLS on an accepted socket whose client address is known (ip_len 4 or 16, or 0); the
 * connection is counted from here on. Called by http_conn_accept (net/accept.c). */
void http_conn_start_tls(struct worker *w, evutil_socket_t fd, const unsigned char *ip,
                         size_t ip_len);
/* Draining: close the connection now if it is between requests, else after its response. */
void http_conn_drain(struct http_conn *c);
/* The connection after c in its worker's list, or NULL. */
struct http_conn *http_conn_next(struct http_conn *c);
/* Closes at once; an in-flight request is abandoned (its database operation cancelled). */
void http_conn_close(struct http_conn *c);

#endif
