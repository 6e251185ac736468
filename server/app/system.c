/* Operational endpoint /healthz: is this process able to serve, i.e. does the database answer.
 * (/metrics is not on this port: metrics_http.c serves it on its own listener.) */
#include "net/http.h"
#include "app_sql.h"
#include "system.h"

static void healthz_done(struct http_request *req, const struct db_result *r)
{
    if (r->ok) {
        static const char body[] = "ok\ndatabase: ok\n";
        http_respond(req, 200, "text/plain; charset=utf-8", body, sizeof body - 1);
        return;
    }
    http_add_header(req, "Retry-After", "5");
    static const char body[] = "unavailable\ndatabase: unavailable\n";
    http_respond(req, 503, "text/plain; charset=utf-8", body, sizeof body - 1);
}

void handle_healthz(struct http_request *req)
{
    if (!http_db_try(req, &sql_health, NULL, NULL, healthz_done)) {
        struct db_result r = {.ok = false, .unavailable = true, .error = "pool refused"};
        healthz_done(req, &r);
    }
}
