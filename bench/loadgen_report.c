/* The load generator's latency histograms and its report (see loadgen.h). */
#include "loadgen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(1);
    }
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xcalloc(n + 1, 1);
    memcpy(p, s, n);
    return p;
}

void hist_add(struct hist *h, uint64_t ns)
{
    if (ns > (UINT64_MAX >> 1))
        ns = 0;
    double us = (double)ns / 1000.0;
    int i = us < 1.0 ? 0 : (int)(log(us) / log(HIST_GROWTH)) + 1;
    if (i >= HIST_BUCKETS)
        i = HIST_BUCKETS - 1;
    h->b[i]++;
    h->n++;
    if ((uint64_t)us > h->max_us)
        h->max_us = (uint64_t)us;
}

void hist_merge(struct hist *into, const struct hist *from)
{
    for (int i = 0; i < HIST_BUCKETS; i++)
        into->b[i] += from->b[i];
    into->n += from->n;
    if (from->max_us > into->max_us)
        into->max_us = from->max_us;
}

/* The q-quantile in milliseconds (middle of its bucket), or 0 with no samples. */
double hist_ms(const struct hist *h, double q)
{
    if (h->n == 0)
        return 0.0;
    uint64_t rank = (uint64_t)ceil(q * (double)h->n);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank) {
            if (i == 0)
                return 0.0005;
            double lo = pow(HIST_GROWTH, i - 1), hi = pow(HIST_GROWTH, i);
            double mid = (lo + hi) / 2.0 / 1000.0;
            double max = (double)h->max_us / 1000.0;
            return mid > max ? max : mid;
        }
    }
    return (double)h->max_us / 1000.0;
}

void stats_merge(struct stats *into, const struct stats *s)
{
    into->views += s->views;
    into->submits += s->submits;
    into->statics += s->statics;
    into->requests += s->requests;
    into->handshakes += s->handshakes;
    into->bytes_in += s->bytes_in;
    for (int i = 0; i < 600; i++)
        into->status[i] += s->status[i];
    into->err_connect += s->err_connect;
    into->err_tls += s->err_tls;
    into->err_closed += s->err_closed;
    into->err_timeout += s->err_timeout;
    into->err_parse += s->err_parse;
    into->err_form += s->err_form;
    hist_merge(&into->lat_get, &s->lat_get);
    hist_merge(&into->lat_post, &s->lat_post);
    hist_merge(&into->lat_txn, &s->lat_txn);
    hist_merge(&into->lat_hs, &s->lat_hs);
}

/* ---- report ---- */

const char *const mode_names[] = {"view", "submit", "static", "idle"};

static void print_hist_line(const char *what, const struct hist *h)
{
    if (h->n == 0)
        return;
    printf("  %-28s %9.2f %9.2f %9.2f %9.2f %10llu\n", what, hist_ms(h, 0.5), hist_ms(h, 0.99),
           hist_ms(h, 0.999), (double)h->max_us / 1000.0, (unsigned long long)h->n);
}

void report(const struct stats *s)
{
    double d = opt.duration_s;
    uint64_t non2xx = 0, errors = s->err_connect + s->err_tls + s->err_closed + s->err_timeout +
                                  s->err_parse + s->err_form;
    for (int i = 0; i < 600; i++)
        if (i < 200 || i > 299)
            non2xx += s->status[i];
    printf(
        "loadgen: mode %s, https://%s, %d connection(s), %d thread(s), new-connection share %.2f",
        mode_names[opt.mode], opt.hostport, opt.connections, opt.threads, opt.new_conn_share);
    if (opt.rate > 0)
        printf(", paced at %.0f transactions/s", opt.rate);
    if (opt.mode == MODE_IDLE) {
        printf("\n  connections open at the end: %llu, failed or closed: %llu (connect %llu, tls "
               "%llu, "
               "timeout %llu, bad response %llu)\n",
               (unsigned long long)s->requests, (unsigned long long)s->err_closed,
               (unsigned long long)s->err_connect, (unsigned long long)s->err_tls,
               (unsigned long long)s->err_timeout, (unsigned long long)s->err_parse);
        printf("SUMMARY mode=idle conns=%d open=%llu failed=%llu handshakes=%llu hs_p50_ms=%.3f "
               "hs_p99_ms=%.3f\n",
               opt.connections, (unsigned long long)s->requests, (unsigned long long)s->err_closed,
               (unsigned long long)s->handshakes, hist_ms(&s->lat_hs, 0.5),
               hist_ms(&s->lat_hs, 0.99));
        return;
    }
    printf(", %.1f s measured after %.1f s warm-up\n", d, opt.warmup_s);
    printf("  requests      %10llu %10.1f/s   (%.1f MB/s received)\n",
           (unsigned long long)s->requests, (double)s->requests / d, (double)s->bytes_in / d / 1e6);
    printf("  form views    %10llu %10.1f/s\n", (unsigned long long)s->views, (double)s->views / d);
    printf("  submissions   %10llu %10.1f/s\n", (unsigned long long)s->submits,
           (double)s->submits / d);
    printf("  static GETs   %10llu %10.1f/s\n", (unsigned long long)s->statics,
           (double)s->statics / d);
    printf("  TLS handshakes%10llu %10.1f/s\n", (unsigned long long)s->handshakes,
           (double)s->handshakes / d);
    printf("  latency (ms)                       p50       p99     p99.9       max    samples\n");
    print_hist_line(opt.mode == MODE_STATIC ? "static GET" : "form GET", &s->lat_get);
    print_hist_line("submission POST", &s->lat_post);
    print_hist_line(opt.mode == MODE_SUBMIT ? "submission GET+POST (txn)" : "transaction",
                    &s->lat_txn);
    print_hist_line("TCP + TLS handshake", &s->lat_hs);
    printf("  non-2xx:");
    for (int i = 0; i < 600; i++)
        if ((i < 200 || i > 299) && s->status[i])
            printf(" %d x %llu", i, (unsigned long long)s->status[i]);
    printf(non2xx ? "\n" : " none\n");
    printf("  errors: connect %llu, tls %llu, closed early %llu, timeout %llu, bad response %llu, "
           "unusable form %llu\n",
           (unsigned long long)s->err_connect, (unsigned long long)s->err_tls,
           (unsigned long long)s->err_closed, (unsigned long long)s->err_timeout,
           (unsigned long long)s->err_parse, (unsigned long long)s->err_form);
    printf("SUMMARY mode=%s conns=%d duration=%.1f req_s=%.1f views_s=%.1f submits_s=%.1f "
           "static_s=%.1f handshakes_s=%.1f get_p50_ms=%.3f get_p99_ms=%.3f get_p999_ms=%.3f "
           "post_p50_ms=%.3f post_p99_ms=%.3f post_p999_ms=%.3f txn_p50_ms=%.3f txn_p99_ms=%.3f "
           "txn_p999_ms=%.3f hs_p99_ms=%.3f non2xx=%llu errors=%llu\n",
           mode_names[opt.mode], opt.connections, d, (double)s->requests / d, (double)s->views / d,
           (double)s->submits / d, (double)s->statics / d, (double)s->handshakes / d,
           hist_ms(&s->lat_get, 0.5), hist_ms(&s->lat_get, 0.99), hist_ms(&s->lat_get, 0.999),
           hist_ms(&s->lat_post, 0.5), hist_ms(&s->lat_post, 0.99), hist_ms(&s->lat_post, 0.999),
           hist_ms(&s->lat_txn, 0.5), hist_ms(&s->lat_txn, 0.99), hist_ms(&s->lat_txn, 0.999),
           hist_ms(&s->lat_hs, 0.99), (unsigned long long)non2xx, (unsigned long long)errors);
}
