/* Route table and statement table: the one place that lists what the server answers and which
 * SQL it may run. Every statement is prepared on each connection and takes parameters only. */
#include "routes.h"

#include <string.h>

const struct db_statement server_statements[STMT__COUNT] = {
    [STMT_HEALTH] = {"health", "SELECT 1", 0},
    [STMT_ROLLUP] = {"rollup", "SELECT ita_rollup()", 0},
};

static const struct route table[] = {
    {HTTP_GET, "/healthz", handle_healthz, "healthz"},
    {HTTP_GET, "/metrics", handle_metrics, "metrics"},
};

#define NROUTES (sizeof table / sizeof table[0])

static const char *names[ROUTE_FIRST_TABLE + NROUTES];

const struct route *routes_match(enum http_method m, const char *path, bool *path_known,
                                 const char **allow)
{
    *path_known = false;
    *allow = NULL;
    for (size_t i = 0; i < NROUTES; i++) {
        if (strcmp(table[i].path, path) != 0)
            continue;
        /* HEAD is served by the GET handler without a body. */
        if (table[i].method == m || (m == HTTP_HEAD && table[i].method == HTTP_GET))
            return &table[i];
        *path_known = true;
        *allow = table[i].method == HTTP_GET ? "GET, HEAD" : http_method_name(table[i].method);
    }
    return NULL;
}

int routes_index(const struct route *r)
{
    return ROUTE_FIRST_TABLE + (int)(r - table);
}

size_t routes_count(void)
{
    return ROUTE_FIRST_TABLE + NROUTES;
}

const char *const *routes_names(void)
{
    if (!names[0]) {
        names[ROUTE_NOT_FOUND] = "not_found";
        names[ROUTE_BAD_REQUEST] = "bad_request";
        names[ROUTE_OVER_CAPACITY] = "over_capacity";
        for (size_t i = 0; i < NROUTES; i++)
            names[ROUTE_FIRST_TABLE + i] = table[i].name;
    }
    return names;
}
