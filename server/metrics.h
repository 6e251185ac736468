/* Per-worker counters and gauges, rendered together as Prometheus text by GET /metrics. Each worker
 * writes only its own struct (single writer, relaxed atomics, no lock prefix on the hot path);
 * the renderer reads every worker's struct. */
#ifndef ITA_METRICS_H
#define ITA_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_MAX_ROUTES 64
#define METRICS_N_BUCKETS 14

typedef _Atomic uint64_t counter_t;
typedef _Atomic int64_t gauge_t;

/* Increment by the owning worker only (single writer: load + store, no atomic RMW needed). */
#define METRIC_ADD(c, n)                                                                           \
    atomic_store_explicit(&(c), atomic_load_explicit(&(c), memory_order_relaxed) + (n),            \
                          memory_order_relaxed)
#define METRIC_INC(c) METRIC_ADD(c, 1)
#define METRIC_DEC(c) METRIC_ADD(c, -1)
#define METRIC_GET(c) atomic_load_explicit(&(c), memory_order_relaxed)

/* HTTP statuses counted individually; anything else is counted as "other". */
int metrics_status_index(int status);
int metrics_status_code(int index); /* 0 for "other" */
#define METRICS_N_STATUS 30

struct worker_metrics {
    counter_t requests[METRICS_MAX_ROUTES][METRICS_N_STATUS];         /* completed requests */
    counter_t latency_buckets[METRICS_MAX_ROUTES][METRICS_N_BUCKETS]; /* non-cumulative */
    counter_t latency_sum_us[METRICS_MAX_ROUTES];                     /* microseconds */
    gauge_t open_connections;                                         /* client connections now */
    counter_t connections_total;                                      /* accepted */
    counter_t connections_rejected; /* closed at once: over the hard cap */
    counter_t tls_handshakes;       /* completed */
    counter_t tls_resumed;          /* of those, resumed from a session ticket */
    counter_t tls_errors;           /* failed handshakes and TLS I/O errors */
    counter_t client_aborts;        /* clients gone before their response */
    counter_t rate_limited;         /* submissions refused by the rate limiter */
    gauge_t db_conns_ready;         /* idle or busy, usable */
    gauge_t db_conns_busy;          /* running an operation */
    gauge_t db_conns_connecting;    /* connecting or preparing */
    gauge_t db_conns_down;          /* waiting to reconnect */
    gauge_t db_queue;               /* operations waiting for a connection */
    counter_t db_ops;               /* operations completed (any outcome) */
    counter_t db_errors;            /* operations that returned an SQL error */
    counter_t db_unavailable;       /* operations failed for lack of a database */
    counter_t db_reconnects;        /* connection attempts after a failure */
};

/* The evidence-link checker's counters (server/oit/evidence_check.c; its one thread writes). */
struct link_check_metrics {
    counter_t ok;      /* verdicts "ok" written */
    counter_t failed;  /* verdicts "failed" written */
    counter_t dropped; /* verdicts not written: the URL was edited meanwhile, or no database */
};
extern struct link_check_metrics metrics_link_check;

/* The mail sender's counters (server/mail/mail_sender.c; its loop thread writes). */
struct mail_metrics {
    counter_t sent;     /* messages the relay accepted (invitations and reminders) */
    counter_t deferred; /* attempts the relay put off or could not take */
    counter_t refused;  /* messages the relay refused (the address) */
};
extern struct mail_metrics metrics_mail;

/* Sign-in counters (server/admin/signin.c). Written from every worker and the CPU pool's threads,
 * so always with an atomic read-modify-write (METRIC_SHARED_ADD), never METRIC_ADD. */
struct signin_metrics {
    counter_t
        password_checks; /* argon2id verifications run (dummy ones for unknown addresses too) */
    counter_t throttled; /* attempts refused by the per-address limit, before any hashing */
    counter_t busy;      /* attempts refused because too many checks were waiting */
    gauge_t pending;     /* checks submitted and not yet answered */
};
extern struct signin_metrics metrics_signin;
#define METRIC_SHARED_ADD(c, n) atomic_fetch_add_explicit(&(c), (n), memory_order_relaxed)

/* Upper bounds of the latency buckets in microseconds (the last bucket is +Inf). */
extern const uint64_t metrics_bucket_le_us[METRICS_N_BUCKETS - 1];

void metrics_observe(struct worker_metrics *m, int route, int status, uint64_t micros);

struct evbuffer;
/* Appends the Prometheus exposition of all workers to out. route_names[i] names route i. */
void metrics_render(struct evbuffer *out, struct worker_metrics *const *workers, size_t nworkers,
                    const char *const *route_names, size_t nroutes, uint64_t log_dropped);

#endif
