/* Prometheus text exposition (version 0.0.4) of the per-worker metrics, summed over workers. */
#include "metrics.h"

#include <event2/buffer.h>
#include <inttypes.h>

static const int status_codes[METRICS_N_STATUS] = {
    0,   200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 408, 409,
    410, 411, 413, 414, 415, 417, 422, 429, 431, 500, 501, 502, 503, 504, 505,
};

const uint64_t metrics_bucket_le_us[METRICS_N_BUCKETS - 1] = {
    250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 5000000,
};

int metrics_status_index(int status)
{
    for (int i = 1; i < METRICS_N_STATUS; i++)
        if (status_codes[i] == status)
            return i;
    return 0;
}

int metrics_status_code(int index)
{
    return status_codes[index];
}

void metrics_observe(struct worker_metrics *m, int route, int status, uint64_t micros)
{
    if (route < 0 || route >= METRICS_MAX_ROUTES)
        return;
    METRIC_INC(m->requests[route][metrics_status_index(status)]);
    int b = 0;
    while (b < METRICS_N_BUCKETS - 1 && micros > metrics_bucket_le_us[b])
        b++;
    METRIC_INC(m->latency_buckets[route][b]);
    METRIC_ADD(m->latency_sum_us[route], micros);
}

/* Sums one field over all workers into `var` (int64_t). */
#define SUM_INTO(var, field)                                                                       \
    do {                                                                                           \
        var = 0;                                                                                   \
        for (size_t w_ = 0; w_ < nworkers; w_++)                                                   \
            var += (int64_t)METRIC_GET(workers[w_]->field);                                        \
    } while (0)

static void scalar(struct evbuffer *out, const char *name, const char *type, const char *help,
                   int64_t v)
{
    evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %" PRId64 "\n", name, help, name, type,
                        name, v);
}

void metrics_render(struct evbuffer *out, struct worker_metrics *const *workers, size_t nworkers,
                    const char *const *route_names, size_t nroutes, uint64_t log_dropped)
{
    evbuffer_add_printf(out, "# HELP ita_http_requests_total Completed HTTP requests.\n"
                             "# TYPE ita_http_requests_total counter\n");
    for (size_t r = 0; r < nroutes && r < METRICS_MAX_ROUTES; r++) {
        for (int s = 0; s < METRICS_N_STATUS; s++) {
            uint64_t v = 0;
            for (size_t w = 0; w < nworkers; w++)
                v += METRIC_GET(workers[w]->requests[r][s]);
            if (v == 0)
                continue;
            if (s == 0)
                evbuffer_add_printf(
                    out, "ita_http_requests_total{route=\"%s\",status=\"other\"} %" PRIu64 "\n",
                    route_names[r], v);
            else
                evbuffer_add_printf(
                    out, "ita_http_requests_total{route=\"%s\",status=\"%d\"} %" PRIu64 "\n",
                    route_names[r], status_codes[s], v);
        }
    }
    evbuffer_add_printf(out,
                        "# HELP ita_http_request_duration_seconds Time from a complete request "
                        "head to the response handed to TLS.\n"
                        "# TYPE ita_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < nroutes && r < METRICS_MAX_ROUTES; r++) {
        uint64_t cum = 0, sum_us = 0;
        uint64_t counts[METRICS_N_BUCKETS] = {0};
        for (size_t w = 0; w < nworkers; w++) {
            for (int b = 0; b < METRICS_N_BUCKETS; b++)
                counts[b] += METRIC_GET(workers[w]->latency_buckets[r][b]);
            sum_us += METRIC_GET(workers[w]->latency_sum_us[r]);
        }
        uint64_t total = 0;
        for (int b = 0; b < METRICS_N_BUCKETS; b++)
            total += counts[b];
        if (total == 0)
            continue;
        for (int b = 0; b < METRICS_N_BUCKETS - 1; b++) {
            cum += counts[b];
            evbuffer_add_printf(
                out,
                "ita_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %" PRIu64 "\n",
                route_names[r], (double)metrics_bucket_le_us[b] / 1e6, cum);
        }
        evbuffer_add_printf(
            out,
            "ita_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %" PRIu64 "\n"
            "ita_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
            "ita_http_request_duration_seconds_count{route=\"%s\"} %" PRIu64 "\n",
            route_names[r], total, route_names[r], (double)sum_us / 1e6, route_names[r], total);
    }
    int64_t t_open_connections, t_connections_total, t_connections_rejected, t_tls_handshakes,
        t_tls_errors, t_client_aborts, t_rate_limited, t_db_conns_ready, t_db_conns_busy,
        t_db_conns_connecting, t_db_conns_down, t_db_queue, t_db_ops, t_db_errors, t_db_unavailable,
        t_db_reconnects;
    SUM_INTO(t_open_connections, open_connections);
    SUM_INTO(t_connections_total, connections_total);
    SUM_INTO(t_connections_rejected, connections_rejected);
    SUM_INTO(t_tls_handshakes, tls_handshakes);
    SUM_INTO(t_tls_errors, tls_errors);
    SUM_INTO(t_client_aborts, client_aborts);
    SUM_INTO(t_rate_limited, rate_limited);
    SUM_INTO(t_db_conns_ready, db_conns_ready);
    SUM_INTO(t_db_conns_busy, db_conns_busy);
    SUM_INTO(t_db_conns_connecting, db_conns_connecting);
    SUM_INTO(t_db_conns_down, db_conns_down);
    SUM_INTO(t_db_queue, db_queue);
    SUM_INTO(t_db_ops, db_ops);
    SUM_INTO(t_db_errors, db_errors);
    SUM_INTO(t_db_unavailable, db_unavailable);
    SUM_INTO(t_db_reconnects, db_reconnects);
    scalar(out, "ita_http_open_connections", "gauge", "Open client connections.",
           t_open_connections);
    scalar(out, "ita_http_connections_total", "counter", "Accepted client connections.",
           t_connections_total);
    scalar(out, "ita_http_connections_rejected_total", "counter",
           "Connections closed at once because the hard connection cap was reached.",
           t_connections_rejected);
    scalar(out, "ita_tls_handshakes_total", "counter", "Completed TLS handshakes.",
           t_tls_handshakes);
    scalar(out, "ita_tls_errors_total", "counter", "Failed TLS handshakes and TLS I/O errors.",
           t_tls_errors);
    scalar(out, "ita_http_client_aborts_total", "counter",
           "Requests whose client went away before the response.", t_client_aborts);
    scalar(out, "ita_rate_limited_total", "counter",
           "Form submissions refused by the rate limiter (429).", t_rate_limited);
    evbuffer_add_printf(out,
                        "# HELP ita_db_pool_connections Database connections by state.\n"
                        "# TYPE ita_db_pool_connections gauge\n"
                        "ita_db_pool_connections{state=\"idle\"} %" PRId64 "\n"
                        "ita_db_pool_connections{state=\"busy\"} %" PRId64 "\n"
                        "ita_db_pool_connections{state=\"connecting\"} %" PRId64 "\n"
                        "ita_db_pool_connections{state=\"down\"} %" PRId64 "\n",
                        t_db_conns_ready - t_db_conns_busy, t_db_conns_busy, t_db_conns_connecting,
                        t_db_conns_down);
    scalar(out, "ita_db_pool_queue", "gauge", "Database operations waiting for a connection.",
           t_db_queue);
    scalar(out, "ita_db_operations_total", "counter", "Database operations finished.", t_db_ops);
    scalar(out, "ita_db_errors_total", "counter", "Database operations that returned an SQL error.",
           t_db_errors);
    scalar(out, "ita_db_unavailable_total", "counter",
           "Database operations failed because no connection was available in time.",
           t_db_unavailable);
    scalar(out, "ita_db_reconnects_total", "counter", "Reconnection attempts after a failure.",
           t_db_reconnects);
    scalar(out, "ita_log_dropped_lines_total", "counter",
           "Log lines dropped because the log queue was full.", (int64_t)log_dropped);
}
