/* The load generator's command line, TLS context and target address (see loadgen.h). */
#define _GNU_SOURCE
#include "loadgen.h"

#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct options opt;
SSL_CTX *ssl_ctx;
struct sockaddr_storage target;
socklen_t target_len;

/* ---- options ---- */

void usage(FILE *f)
{
    fprintf(
        f,
        "usage: loadgen --url https://HOST:PORT --mode view|submit|static|idle [options]\n"
        "  --connections N     concurrent connections (default 32)\n"
        "  --threads N         event-loop threads (default 1)\n"
        "  --duration S        measured seconds (default 5; idle: how long to hold)\n"
        "  --warmup S          seconds before measuring (default 1)\n"
        "  --links FILE        view/submit: one form path (/s/SLUG) or URL per line\n"
        "  --path PATH         static/idle: the path to GET\n"
        "  --new-conn-share X  0..1: share of transactions on a new TLS connection (default 0)\n"
        "  --rate R            pace transactions at R/s in total (default: as fast as possible)\n"
        "  --timeout S         per response (default 30)\n"
        "  --max-connecting N  TLS handshakes in flight per thread (default 256)\n"
        "  --cacert FILE       verify the server against FILE; or --insecure\n"
        "  --seed N            random seed (answers, link choice)\n"
        "A submission is GET form + POST of every field; both are counted (views, submissions).\n");
}

static bool parse_url(const char *url)
{
    if (strncmp(url, "https://", 8) != 0)
        return false;
    const char *h = url + 8;
    const char *slash = strchr(h, '/');
    size_t hl = slash ? (size_t)(slash - h) : strlen(h);
    if (hl == 0 || hl >= sizeof opt.hostport)
        return false;
    memcpy(opt.hostport, h, hl);
    opt.hostport[hl] = '\0';
    const char *colon = strrchr(opt.hostport, ':');
    if (!colon) {
        memcpy(opt.host, opt.hostport, hl + 1);
        snprintf(opt.port, sizeof opt.port, "443");
    } else {
        snprintf(opt.host, sizeof opt.host, "%.*s", (int)(colon - opt.hostport), opt.hostport);
        snprintf(opt.port, sizeof opt.port, "%s", colon + 1);
    }
    return opt.host[0] != '\0';
}

static bool load_links(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "loadgen: cannot open %s: %s\n", file, strerror(errno));
        return false;
    }
    char line[4096];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (strncmp(p, "https://", 8) == 0) {
            char *slash = strchr(p + 8, '/');
            if (!slash)
                continue;
            p = slash;
        }
        if (opt.n_links == cap) {
            cap = cap ? 2 * cap : 16;
            char **nl = realloc(opt.links, cap * sizeof *nl);
            if (!nl) {
                fclose(f);
                return false;
            }
            opt.links = nl;
        }
        opt.links[opt.n_links++] = xstrndup(p, strlen(p));
    }
    fclose(f);
    if (opt.n_links == 0)
        fprintf(stderr, "loadgen: no links in %s\n", file);
    return opt.n_links > 0;
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool parse_options(int argc, char **argv)
{
    opt.mode = MODE_VIEW;
    opt.connections = 32;
    opt.threads = 1;
    opt.duration_s = 5;
    opt.warmup_s = 1;
    opt.timeout_s = 30;
    opt.max_connecting = 256;
    opt.seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    bool have_url = false, have_mode = false;
    const char *links = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        double d;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--insecure")) {
            opt.insecure = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "loadgen: %s needs a value\n", a);
            return false;
        }
        i++;
        if (!strcmp(a, "--url")) {
            have_url = parse_url(v);
            if (!have_url) {
                fprintf(stderr, "loadgen: --url must be https://HOST[:PORT]\n");
                return false;
            }
        } else if (!strcmp(a, "--mode")) {
            have_mode = true;
            if (!strcmp(v, "view"))
                opt.mode = MODE_VIEW;
            else if (!strcmp(v, "submit"))
                opt.mode = MODE_SUBMIT;
            else if (!strcmp(v, "static"))
                opt.mode = MODE_STATIC;
            else if (!strcmp(v, "idle"))
                opt.mode = MODE_IDLE;
            else
                have_mode = false;
        } else if (!strcmp(a, "--connections") && parse_double(v, 1, 1000000, &d)) {
            opt.connections = (int)d;
        } else if (!strcmp(a, "--threads") && parse_double(v, 1, 64, &d)) {
            opt.threads = (int)d;
        } else if (!strcmp(a, "--duration") && parse_double(v, 0.1, 86400, &d)) {
            opt.duration_s = d;
        } else if (!strcmp(a, "--warmup") && parse_double(v, 0, 3600, &d)) {
            opt.warmup_s = d;
        } else if (!strcmp(a, "--new-conn-share") && parse_double(v, 0, 1, &d)) {
            opt.new_conn_share = d;
        } else if (!strcmp(a, "--rate") && parse_double(v, 0, 1e9, &d)) {
            opt.rate = d;
        } else if (!strcmp(a, "--timeout") && parse_double(v, 0.01, 3600, &d)) {
            opt.timeout_s = d;
        } else if (!strcmp(a, "--max-connecting") && parse_double(v, 1, 1000000, &d)) {
            opt.max_connecting = (int)d;
        } else if (!strcmp(a, "--seed") && parse_double(v, 0, 4294967295.0, &d)) {
            opt.seed = (unsigned)d;
        } else if (!strcmp(a, "--links")) {
            links = v;
        } else if (!strcmp(a, "--path")) {
            opt.path = v;
        } else if (!strcmp(a, "--cacert")) {
            opt.cacert = v;
        } else {
            fprintf(stderr, "loadgen: unknown option or bad value: %s %s\n", a, v);
            return false;
        }
    }
    if (!have_url || !have_mode) {
        usage(stderr);
        return false;
    }
    if (!opt.cacert && !opt.insecure) {
        fprintf(stderr, "loadgen: give --cacert FILE or --insecure\n");
        return false;
    }
    if ((opt.mode == MODE_VIEW || opt.mode == MODE_SUBMIT) && (!links || !load_links(links))) {
        fprintf(stderr, "loadgen: --mode %s needs --links FILE with at least one path\n",
                mode_names[opt.mode]);
        return false;
    }
    if ((opt.mode == MODE_STATIC || opt.mode == MODE_IDLE) && (!opt.path || opt.path[0] != '/')) {
        fprintf(stderr, "loadgen: --mode %s needs --path /SOMETHING\n", mode_names[opt.mode]);
        return false;
    }
    if (opt.threads > opt.connections)
        opt.threads = opt.connections;
    return true;
}

bool setup_tls(void)
{
    ssl_ctx = SSL_CTX_new(TLS_client_method());
    if (!ssl_ctx)
        return false;
    SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_2_VERSION);
    /* every new connection is a full handshake, as from a phone that scanned a poster */
    SSL_CTX_set_session_cache_mode(ssl_ctx, SSL_SESS_CACHE_OFF);
    if (opt.insecure) {
        SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, NULL);
        return true;
    }
    if (SSL_CTX_load_verify_locations(ssl_ctx, opt.cacert, NULL) != 1) {
        fprintf(stderr, "loadgen: cannot load --cacert %s\n", opt.cacert);
        ERR_print_errors_fp(stderr);
        return false;
    }
    SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_PEER, NULL);
    return true;
}

bool resolve_target(void)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(opt.host, opt.port, &hints, &res);
    if (rc != 0 || !res) {
        fprintf(stderr, "loadgen: cannot resolve %s:%s: %s\n", opt.host, opt.port,
                gai_strerror(rc));
        return false;
    }
    memcpy(&target, res->ai_addr, res->ai_addrlen);
    target_len = res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}
