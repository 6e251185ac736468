/* The metrics listener: GET /metrics (Prometheus text, metrics_render) over plain HTTP on its own
 * address (metrics_listen), served by libevent's evhttp on its own thread and event base. It is
 * never on the respondents' HTTPS port: per-route status counts show when each personal
 * submission happens. Other paths answer 404, other methods 405. */
#ifndef ITA_METRICS_HTTP_H
#define ITA_METRICS_HTTP_H

#include "metrics.h"

#include <stddef.h>

struct metrics_http;

/* Binds and listens on spec ("IPv4:PORT" or "[IPv6]:PORT"), without SO_REUSEPORT so that a port
 * another process holds is refused. NULL with a message in err when the value is malformed or the
 * port cannot be had. */
struct metrics_http *metrics_http_bind(const char *spec, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Starts serving on a thread of its own (call after evthread_use_pthreads and once the workers
 * exist). workers[i] and route_names[i] must stay valid until metrics_http_free; the counters are
 * read with relaxed atomic loads while their workers write them. 0, or -1 with err. */
int metrics_http_start(struct metrics_http *m, struct worker_metrics *const *workers,
                       size_t nworkers, const char *const *route_names, size_t nroutes, char *err,
                       size_t errlen) __attribute__((warn_unused_result));

/* Stops the thread (if started), waits for it and frees everything, the socket included. NULL is
 * allowed. */
void metrics_http_free(struct metrics_http *m);

#endif
