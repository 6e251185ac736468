/* The route table and the dispatcher (see routes.h): the folders' tables gathered into one array
 * at start-up, matching by method and path, and the access checks an entry asks for (those of a
 * request with a body twice: from its head before the body is read, and then in full). */
#include "routes.h"
#include "admin/admin_session.h"
#include "admin/session_head.h"
#include "system.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct route system_routes[] = {
    {.method = HTTP_GET, .path = "/healthz", .handler = handle_healthz, .name = "healthz"},
    {.method = HTTP_GET, .path = "/", .handler = handle_home, .name = "home"},
};

#define MAX_ROUTES 128

static struct route table[MAX_ROUTES];
static size_t ntable;
static const char *names[HTTP_ROUTE_FIRST + MAX_ROUTES];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void add(const struct route *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ntable == MAX_ROUTES)
            abort(); /* more routes than MAX_ROUTES: make it larger */
        /* an entry that cannot be dispatched is a table bug, found at start-up */
        if ((r[i].access == ROUTE_PUBLIC) != (r[i].handler != NULL) ||
            (r[i].access != ROUTE_PUBLIC) != (r[i].admin != NULL) || !r[i].name)
            abort();
        table[ntable++] = r[i];
    }
}

static void table_init(void)
{
    add(system_routes, sizeof system_routes / sizeof system_routes[0]);
    add(survey_routes, survey_routes_count);
    add(admin_routes, admin_routes_count);
    add(results_routes, results_routes_count);
    add(oit_work_routes, oit_work_routes_count);
    names[HTTP_ROUTE_NOT_FOUND] = "not_found";
    names[HTTP_ROUTE_BAD_REQUEST] = "bad_request";
    names[HTTP_ROUTE_OVER_CAPACITY] = "over_capacity";
    for (size_t i = 0; i < ntable; i++)
        names[HTTP_ROUTE_FIRST + i] = table[i].name;
}

const struct route *routes_table(size_t *n)
{
    pthread_once(&table_once, table_init);
    *n = ntable;
    return table;
}

const char *const *routes_names(size_t *n)
{
    pthread_once(&table_once, table_init);
    *n = HTTP_ROUTE_FIRST + ntable;
    return names;
}

static bool path_matches(const struct route *r, const char *path)
{
    if (!r->segment)
        return strcmp(r->path, path) == 0;
    size_t pl = strlen(r->path);
    return strncmp(r->path, path, pl) == 0 && path[pl] != '\0' && !strchr(path + pl, '/');
}

void routes_match(enum http_method m, const char *path, struct http_route_match *out)
{
    size_t n;
    const struct route *t = routes_table(&n);
    memset(out, 0, sizeof *out);
    out->index = HTTP_ROUTE_NOT_FOUND;
    for (size_t i = 0; i < n; i++) {
        if (!path_matches(&t[i], path))
            continue;
        /* HEAD is served by the GET handler without a body. */
        if (t[i].method == m || (m == HTTP_HEAD && t[i].method == HTTP_GET)) {
            out->route = &t[i];
            out->index = HTTP_ROUTE_FIRST + (int)i;
            out->pattern = t[i].log_as ? t[i].log_as : t[i].path;
            out->upload = t[i].upload;
            out->path_known = false;
            out->allow = NULL;
            return;
        }
        out->path_known = true;
        out->allow = t[i].segment              ? "GET, HEAD, POST"
                     : t[i].method == HTTP_GET ? "GET, HEAD"
                                               : http_method_name(t[i].method);
    }
}

void routes_dispatch(struct http_request *req, const void *route)
{
    const struct route *r = route;
    switch (r->access) {
    case ROUTE_PUBLIC:
        r->handler(req);
        return;
    case ROUTE_ADMIN:
        admin_with_user(req, false, r->admin);
        return;
    case ROUTE_ADMIN_FORM:
        admin_with_user(req, true, r->admin);
        return;
    }
    abort();
}

bool routes_before_body(struct http_request *req, const void *route)
{
    const struct route *r = route;
    switch (r->access) {
    case ROUTE_PUBLIC:
        return true; /* the respondents' forms: read as they come (max_body_bytes at most) */
    case ROUTE_ADMIN:
    case ROUTE_ADMIN_FORM:
        /* nobody sends an administrator a body before being known: the credentials of the head
         * are checked first, and the body is read only when they hold */
        admin_check_head(req, r->access == ROUTE_ADMIN_FORM);
        return false;
    }
    abort();
}
