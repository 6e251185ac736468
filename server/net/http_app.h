/* What the network layer asks of the application, and nothing more: find the route of a request
 * head, run a request, and keep per-worker state. The net layer calls these through
 * server.app (set by main.c to app/app.c's table); it never includes app/ or area headers, so
 * connections and HTTP stay free of survey, admin and results code. */
#ifndef ITA_HTTP_APP_H
#define ITA_HTTP_APP_H

#include "http_parse.h"

#include <stdbool.h>
#include <stddef.h>

struct http_request;
struct worker;

/* Metrics indexes of requests that match no route (route names start at HTTP_ROUTE_FIRST). */
enum {
    HTTP_ROUTE_NOT_FOUND = 0,
    HTTP_ROUTE_BAD_REQUEST = 1,
    HTTP_ROUTE_OVER_CAPACITY = 2,
    HTTP_ROUTE_FIRST = 3
};

struct http_route_match {
    const void *route;   /* the application's route (NULL: none for this method and path) */
    int index;           /* metrics index of the route */
    const char *pattern; /* what the access log shows instead of the real path (it may hold a
                            token) */
    bool upload;         /* takes bodies up to max_upload_bytes instead of max_body_bytes */
    bool path_known;     /* no route, but the path exists with another method: 405 */
    const char *allow;   /* then: the methods it takes, for the Allow header */
};

struct http_app {
    /* Looks up method and path; fills *m (m->route NULL when nothing matches). */
    void (*match)(enum http_method method, const char *path, struct http_route_match *m);
    /* Runs a request whose route was found (req->route and route_pattern are set). */
    void (*dispatch)(struct http_request *req, const void *route);
    /* Asked when the head of a request with a body for `route` is in, before any byte of the
     * body is read; the connection stops reading meanwhile. true: read the body now (then
     * dispatch). false: the application took the request over and either answers it (the body
     * is never read: the answer says Connection: close) or, satisfied by a later check (say a
     * database lookup of the credentials in the head), calls http_read_body. It never calls
     * http_read_body before returning. NULL: every body is read. */
    bool (*before_body)(struct http_request *req, const void *route);
    /* Answers a request no route takes: status 404, or 405 with `allow` (the methods the path
     * takes; the Allow header is already set). NULL: a plain-text answer. */
    void (*not_found)(struct http_request *req, int status, const char *allow);
    /* Answers an error given to http_respond_error (status >= 400, `message` English, for the
     * log) for a browser (the request's Accept names text/html); it must answer with
     * http_respond, never http_respond_error. NULL, or a client that does not ask for HTML
     * (itactl, curl, monitoring): error_plain, or without it "<status> <reason>: <message>" as
     * plain text. */
    void (*error_page)(struct http_request *req, int status, const char *message);
    /* The same for a client that does not ask for HTML: a plain-text answer in the user's
     * language (the English message only as a technical detail). Same rule: http_respond only. */
    void (*error_plain)(struct http_request *req, int status, const char *message);
    /* Per-worker state, in the worker's thread set-up: after the database pool exists (0 or -1
     * with err), when draining ends (before the pool closes: stop what runs on it), and after
     * the pool is freed. */
    int (*worker_init)(struct worker *w, char *err, size_t errlen);
    void (*worker_stop)(struct worker *w);
    void (*worker_free)(struct worker *w);
    /* Metrics names of every index; the table is filled before the workers start. */
    const char *const *(*route_names)(size_t *n);
};

#endif
