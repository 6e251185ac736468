/* Routes as data: every path the server answers, in one table per folder (app/routes.c for the
 * operational endpoints, survey/survey_routes.c, admin/admin_routes.c, results/results_routes.c),
 * each entry saying who may call it. The dispatcher performs the sign-in, the CSRF check and the
 * answer for a missing session before an administrator handler runs, so no handler does. */
#ifndef ITA_ROUTES_H
#define ITA_ROUTES_H

#include "net/http.h"
#include "net/http_app.h"

#include <stdbool.h>
#include <stddef.h>

struct admin_user;

enum route_access {
    ROUTE_PUBLIC,     /* anyone; the handler answers */
    ROUTE_ADMIN,      /* a signed-in administrator: a session cookie (else 303 to /admin/login) or
                         an API token (else 401 JSON) */
    ROUTE_ADMIN_FORM, /* the same, posting: a browser's body must be a same-origin form carrying
                         the session's CSRF token (else 403); API tokens carry no cookie, so no
                         CSRF check */
};

struct route {
    enum http_method method; /* GET routes answer HEAD too, without a body */
    const char *path;        /* the exact path, or with .segment the prefix before it */
    bool segment;            /* path is followed by one segment without '/' (a slug or token) */
    enum route_access access;
    bool upload; /* takes bodies up to max_upload_bytes instead of max_body_bytes */
    void (*handler)(struct http_request *req);                           /* ROUTE_PUBLIC */
    void (*admin)(struct http_request *req, const struct admin_user *u); /* ROUTE_ADMIN* */
    const char *name;                                                    /* metrics label */
    const char *log_as; /* what the access log shows instead of the path (segment routes: the
                           segment is a token and never logged); NULL: the path itself */
};

/* Table entries, one line each. An administrator page (GET), an administrator form (POST,
 * CSRF-checked for browsers), and a form that takes a list upload; the handler's name is the
 * route's metrics name. */
#define ROUTE_ADMIN_GET(path_, fn)                                                                 \
    {                                                                                              \
        .method = HTTP_GET, .path = (path_), .access = ROUTE_ADMIN, .admin = (fn), .name = #fn     \
    }
#define ROUTE_ADMIN_POST(path_, fn)                                                                \
    {                                                                                              \
        .method = HTTP_POST, .path = (path_), .access = ROUTE_ADMIN_FORM, .admin = (fn),           \
        .name = #fn                                                                                \
    }
#define ROUTE_ADMIN_UPLOAD(path_, fn)                                                              \
    {                                                                                              \
        .method = HTTP_POST, .path = (path_), .access = ROUTE_ADMIN_FORM, .admin = (fn),           \
        .upload = true, .name = #fn                                                                \
    }
/* A public path, and a public prefix followed by one secret segment (slug or token) that the
 * access log shows as log_as_. */
#define ROUTE_OPEN(method_, path_, fn, name_)                                                      \
    {                                                                                              \
        .method = (method_), .path = (path_), .handler = (fn), .name = (name_)                     \
    }
#define ROUTE_OPEN_SECRET(method_, path_, fn, name_, log_as_)                                      \
    {                                                                                              \
        .method = (method_), .path = (path_), .segment = true, .handler = (fn), .name = (name_),   \
        .log_as = (log_as_)                                                                        \
    }

/* The folders' tables (each ends where its count says). */
extern const struct route survey_routes[];
extern const size_t survey_routes_count;
extern const struct route admin_routes[];
extern const size_t admin_routes_count;
extern const struct route results_routes[];
extern const size_t results_routes_count;
extern const struct route oit_work_routes[];
extern const size_t oit_work_routes_count;

/* Every route, in one array (built once; for tests that walk every route). */
const struct route *routes_table(size_t *n);

/* The hooks of net/http_app.h. */
void routes_match(enum http_method m, const char *path, struct http_route_match *out);
void routes_dispatch(struct http_request *req, const void *route);
/* Before a body is read: public routes read it; an administrator route first checks the
 * credentials in the head (admin/session_head.c) and reads it only when they hold. */
bool routes_before_body(struct http_request *req, const void *route);
const char *const *routes_names(size_t *n);

#endif
