/* Prometheus text exposition (version 0.0.4) of the per-worker metrics, summed over workers. */
#include "metrics.h"

#include <event2/buffer.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>

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

/* The single-value metrics: name, Prometheus type, help, and where each worker keeps it. */
struct scalar_metric {
    const char *name, *type, *help;
    size_t offset; /* of a counter_t (counter) or gauge_t (gauge) in struct worker_metrics */
};
#define COUNTER(name, field, help)                                                                 \
    {                                                                                              \
        name, "counter", help, offsetof(struct worker_metrics, field)                              \
    }
#define GAUGE(name, field, help)                                                                   \
    {                                                                                              \
        name, "gauge", help, offsetof(struct worker_metrics, field)                                \
    }
static const struct scalar_metric http_scalars[] = {
    GAUGE("ita_http_open_connections", open_connections, "Open client connections."),
    COUNTER("ita_http_connections_total", connections_total, "Accepted client connections."),
    COUNTER("ita_http_connections_rejected_total", connections_rejected,
            "Connections closed at once because the hard connection cap was reached."),
    COUNTER("ita_tls_handshakes_total", tls_handshakes, "Completed TLS handshakes."),
    COUNTER("ita_tls_resumed_total", tls_resumed,
            "Completed TLS handshakes that resumed a session from a ticket."),
    COUNTER("ita_tls_errors_total", tls_errors, "Failed TLS handshakes and TLS I/O errors."),
    COUNTER("ita_http_client_aborts_total", client_aborts,
            "Requests whose client went away before the response."),
    COUNTER("ita_rate_limited_total", rate_limited,
            "Form submissions refused by the rate limiter (429)."),
};
/* after the database pool's connections by state */
static const struct scalar_metric db_scalars[] = {
    GAUGE("ita_db_pool_queue", db_queue, "Database operations waiting for a connection."),
    COUNTER("ita_db_operations_total", db_ops, "Database operations finished."),
    COUNTER("ita_db_errors_total", db_errors, "Database operations that returned an SQL error."),
    COUNTER("ita_db_unavailable_total", db_unavailable,
            "Database operations failed because no connection was available in time."),
    COUNTER("ita_db_reconnects_total", db_reconnects, "Reconnection attempts after a failure."),
};

/* The value at offset summed over the workers (a gauge read as signed, a counter as unsigned). */
static int64_t sum(struct worker_metrics *const *workers, size_t nworkers, size_t offset,
                   bool gauge)
{
    int64_t v = 0;
    for (size_t w = 0; w < nworkers; w++) {
        const char *base = (const char *)workers[w] + offset;
        v +=
            gauge ? (int64_t)METRIC_GET(*(gauge_t *)base) : (int64_t)METRIC_GET(*(counter_t *)base);
    }
    return v;
}

static void scalar(struct evbuffer *out, const char *name, const char *type, const char *help,
                   int64_t v)
{
    evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %" PRId64 "\n", name, help, name, type,
                        name, v);
}

static void scalars_render(struct evbuffer *out, struct worker_metrics *const *workers,
                           size_t nworkers, const struct scalar_metric *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        scalar(out, m[i].name, m[i].type, m[i].help,
               sum(workers, nworkers, m[i].offset, m[i].type[0] == 'g'));
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
    scalars_render(out, workers, nworkers, http_scalars,
                   sizeof http_scalars / sizeof http_scalars[0]);
#define SUM(field) sum(workers, nworkers, offsetof(struct worker_metrics, field), true)
    int64_t ready = SUM(db_conns_ready), busy = SUM(db_conns_busy);
    evbuffer_add_printf(out,
                        "# HELP ita_db_pool_connections Database connections by state.\n"
                        "# TYPE ita_db_pool_connections gauge\n"
                        "ita_db_pool_connections{state=\"idle\"} %" PRId64 "\n"
                        "ita_db_pool_connections{state=\"busy\"} %" PRId64 "\n"
                        "ita_db_pool_connections{state=\"connecting\"} %" PRId64 "\n"
                        "ita_db_pool_connections{state=\"down\"} %" PRId64 "\n",
                        ready - busy, busy, SUM(db_conns_connecting), SUM(db_conns_down));
#undef SUM
    scalars_render(out, workers, nworkers, db_scalars, sizeof db_scalars / sizeof db_scalars[0]);
    scalar(out, "ita_log_dropped_lines_total", "counter",
           "Log lines dropped because the log queue was full.", (int64_t)log_dropped);
    evbuffer_add_printf(out,
                        "# HELP ita_link_checks_total Evidence links checked, by verdict "
                        "(dropped: not written).\n"
                        "# TYPE ita_link_checks_total counter\n"
                        "ita_link_checks_total{verdict=\"ok\"} %" PRIu64 "\n"
                        "ita_link_checks_total{verdict=\"failed\"} %" PRIu64 "\n"
                        "ita_link_checks_total{verdict=\"dropped\"} %" PRIu64 "\n",
                        (uint64_t)METRIC_GET(metrics_link_check.ok),
                        (uint64_t)METRIC_GET(metrics_link_check.failed),
                        (uint64_t)METRIC_GET(metrics_link_check.dropped));
    evbuffer_add_printf(out,
                        "# HELP ita_mail_messages_total Invitations and reminders handed to the "
                        "relay, by outcome.\n"
                        "# TYPE ita_mail_messages_total counter\n"
                        "ita_mail_messages_total{outcome=\"sent\"} %" PRIu64 "\n"
                        "ita_mail_messages_total{outcome=\"deferred\"} %" PRIu64 "\n"
                        "ita_mail_messages_total{outcome=\"refused\"} %" PRIu64 "\n",
                        (uint64_t)METRIC_GET(metrics_mail.sent),
                        (uint64_t)METRIC_GET(metrics_mail.deferred),
                        (uint64_t)METRIC_GET(metrics_mail.refused));
    evbuffer_add_printf(out,
                        "# HELP ita_signin_password_checks_total Password checks (argon2id) run "
                        "for sign-ins, known or unknown address alike.\n"
                        "# TYPE ita_signin_password_checks_total counter\n"
                        "ita_signin_password_checks_total %" PRIu64 "\n"
                        "# HELP ita_signin_refused_total Sign-ins refused before any hashing: "
                        "throttled (per-address limit) or busy (too many checks waiting).\n"
                        "# TYPE ita_signin_refused_total counter\n"
                        "ita_signin_refused_total{reason=\"throttled\"} %" PRIu64 "\n"
                        "ita_signin_refused_total{reason=\"busy\"} %" PRIu64 "\n"
                        "# HELP ita_signin_pending Sign-ins waiting for or running their password "
                        "check.\n"
                        "# TYPE ita_signin_pending gauge\n"
                        "ita_signin_pending %" PRId64 "\n",
                        (uint64_t)METRIC_GET(metrics_signin.password_checks),
                        (uint64_t)METRIC_GET(metrics_signin.throttled),
                        (uint64_t)METRIC_GET(metrics_signin.busy),
                        (int64_t)METRIC_GET(metrics_signin.pending));
}

struct link_check_metrics metrics_link_check;
struct mail_metrics metrics_mail;
struct signin_metrics metrics_signin;
