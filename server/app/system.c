/* Operational endpoints: /healthz (is this process able to serve, i.e. does the database answer)
 * and /metrics (Prometheus text). */
#include "net/http.h"
#include "log.h"
#include "app_sql.h"
#include "routes.h"
#include "system.h"
#include "server.h"

#include <event2/buffer.h>

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

void handle_metrics(struct http_request *req)
{
    struct server *s = req->worker->srv;
    struct worker_metrics *ms[256];
    size_t n = 0;
    for (int i = 0; i < s->nworkers && n < 256; i++)
        ms[n++] = &s->workers[i].metrics;
    struct evbuffer *out = evbuffer_new();
    size_t nnames;
    const char *const *names = routes_names(&nnames);
    metrics_render(out, ms, n, names, nnames, log_dropped_lines());
    http_respond_evbuffer(req, 200, "text/plain; version=0.0.4; charset=utf-8", out);
    evbuffer_free(out);
}
