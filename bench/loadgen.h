/* The load generator's shared parts (loadgen.c drives the connections; loadgen_options.c reads
 * the command line and sets up TLS and the target; loadgen_report.c keeps the latency histograms
 * and prints the report). */
#ifndef ITA_LOADGEN_H
#define ITA_LOADGEN_H

#include <openssl/ssl.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

/* Log-bucket latency histogram (1 % wide buckets, 1 µs .. ~10^9 µs). */

#define HIST_BUCKETS 2100
#define HIST_GROWTH 1.01

struct hist {
    uint64_t b[HIST_BUCKETS]; /* b[i]: samples with HIST_GROWTH^(i-1) <= µs < HIST_GROWTH^i */
    uint64_t n;               /* samples */
    uint64_t max_us;          /* largest sample, µs */
};

/* Adds one sample; ns is an elapsed time (end - start), so a negative difference that wrapped
 * around is counted as 0. */
void hist_add(struct hist *h, uint64_t ns);
void hist_merge(struct hist *into, const struct hist *from);
/* The q-quantile in milliseconds. */
double hist_ms(const struct hist *h, double q);

/* ---- options, statistics ---- */

enum mode { MODE_VIEW, MODE_SUBMIT, MODE_STATIC, MODE_IDLE };

struct options {
    char host[300]; /* from --url */
    char port[16];
    char hostport[300]; /* Host header and Origin after https:// */
    enum mode mode;
    int connections; /* total across threads */
    int threads;
    double duration_s;     /* measured window */
    double warmup_s;       /* before the window, not counted */
    double new_conn_share; /* 0..1: share of transactions that start on a new TLS connection */
    double rate;           /* transactions/s across threads; 0 = as fast as possible */
    double timeout_s;      /* per response */
    int max_connecting;    /* handshakes in flight per thread */
    const char *path;      /* static and idle: the path to GET */
    char **links;          /* view, submit: form paths */
    size_t n_links;
    const char *cacert;
    bool insecure;
    unsigned seed;
};

struct stats {
    uint64_t views;       /* 2xx form GETs (view mode, and the GET of each submission) */
    uint64_t submits;     /* 2xx POSTs of a complete form */
    uint64_t statics;     /* 2xx static GETs */
    uint64_t requests;    /* every response received */
    uint64_t handshakes;  /* completed TLS handshakes */
    uint64_t bytes_in;    /* response bytes (head + body) */
    uint64_t status[600]; /* responses by status code */
    uint64_t err_connect; /* TCP connect failures */
    uint64_t err_tls;     /* TLS handshake or record failures */
    uint64_t err_closed;  /* connection closed while a response was due */
    uint64_t err_timeout; /* no response within --timeout */
    uint64_t err_parse;   /* malformed or unsupported response */
    uint64_t err_form;    /* form page without token or fields */
    struct hist lat_get;  /* form GET (view/submit) or static GET: request sent → response read */
    struct hist lat_post; /* submission POST: sent → response read */
    struct hist lat_txn;  /* whole transaction from its (scheduled) start, incl. handshake */
    struct hist lat_hs;   /* TCP connect + TLS handshake */
};

extern struct options opt;
extern SSL_CTX *ssl_ctx;
extern struct sockaddr_storage target;
extern socklen_t target_len;

/* loadgen_options.c */
void usage(FILE *f);
bool parse_options(int argc, char **argv);
bool setup_tls(void);
bool resolve_target(void);

/* loadgen_report.c; the allocators exit on out of memory */
extern const char *const mode_names[];
void *xcalloc(size_t n, size_t size);
char *xstrndup(const char *s, size_t n);
void stats_merge(struct stats *into, const struct stats *s);
void report(const struct stats *s);

#endif
