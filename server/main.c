/* itad: the ITA survey server. Reads configuration, applies migrations, binds one listening
 * socket per worker and the metrics listener's, starts the workers, the metrics listener and the
 * evidence-link checker (server/oit/evidence_check.h), the mail sender (server/mail/mail_sender.h)
 * when smtp_url is set, and then handles signals on the main thread:
 * SIGHUP reloads the TLS certificate, SIGTERM/SIGINT drain and exit 0. Under systemd it says
 * when it serves, reloads and stops (server/service_notify.h). */
#include "build_config.h"
#include "config.h"
#include "log.h"
#include "metrics_http.h"
#include "admin_cli.h"
#include "cpu_pool.h"
#include "demo.h"
#include "db/instrument_store.h"
#include "db/migrate.h"
#include "qr.h"
#include "results/results_manifest.h"
#include "mail/mail_channel.h"
#include "mail/mail_sender.h"
#include "oit/evidence_check.h"
#include "oit/link_check.h"
#include "admin/admin_session.h"
#include "app/app.h"
#include "server.h"
#include "service_notify.h"
#include "net/tls.h"
#include "xalloc.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

extern char **environ;

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: itad [-c FILE] [--KEY=VALUE ...] [--migrate-only] [--check-config]\n"
        "            [--load-instruments FILE ...]\n"
        "\n"
        "--migrate-only          apply pending migrations and exit\n"
        "--load-instruments F    load or correct the instrument version in F (JSON, see\n"
        "                        instruments/README.md) after migrating, then exit\n"
        "--check-config          validate configuration and certificate, then exit\n"
        "--create-admin EMAIL    create a system administrator and print its password once;\n"
        "                        with --if-no-admin only when there is no administrator yet;\n"
        "                        with --agency CODE an administrator of that agency only\n"
        "--create-api-token EMAIL [--token-name NAME]\n"
        "                        issue an API token (for itactl) for administrator EMAIL and\n"
        "                        print it once on stdout\n"
        "--demo                  create a demonstration agency with public EIT and IIT links\n"
        "                        and print them with a new personal IIT link, then exit\n"
        "\n"
        "Configuration precedence (later wins): built-in default < file (-c FILE or ITAD_CONFIG)\n"
        "< environment ITAD_<KEY> (and DATABASE_URL) < command-line --KEY=VALUE.\n"
        "\n"
        "Keys:\n");
    for (size_t i = 0; i < config_key_count(); i++)
        fprintf(f, "  %-26s %s (default: %s)\n", config_key_name(i), config_key_help(i),
                config_key_default(i)[0] ? config_key_default(i) : "none");
}

static int bind_listener(const char *addr, int port, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    int gai = getaddrinfo(addr, ps, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "listen = '%s' is not allowed; expected an IPv4 or IPv6 address (%s)",
                 addr, gai_strerror(gai));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 4096) != 0) {
        snprintf(err, errlen, "cannot listen on %s port %d: %s", addr, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* proxy_from: IP literals separated by commas (no names, so no lookup is ever needed). */
static int parse_proxy_from(const char *text, struct server *srv, char *err, size_t errlen)
{
    char *list = xstrdup(text);
    int rc = 0;
    for (char *tok = strtok(list, ", "); tok; tok = strtok(NULL, ", ")) {
        size_t i = srv->n_proxy_from;
        if (i == 16 || (inet_pton(AF_INET, tok, srv->proxy_from[i]) != 1 &&
                        inet_pton(AF_INET6, tok, srv->proxy_from[i]) != 1)) {
            snprintf(err, errlen,
                     "proxy_from: '%s' is not allowed; expected at most 16 IPv4 or "
                     "IPv6 addresses separated by commas",
                     tok);
            rc = -1;
            break;
        }
        srv->proxy_from_len[i] = strchr(tok, ':') ? 16 : 4;
        srv->n_proxy_from++;
    }
    free(list);
    return rc;
}

struct main_ctx {
    struct server *srv;
    struct event_base *base;
    bool stopping;
};

static void on_stop_signal(evutil_socket_t sig, short what, void *arg)
{
    struct main_ctx *m = arg;
    if (m->stopping)
        return;
    m->stopping = true;
    service_notify_stopping();
    log_info("event=stopping signal=%s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    event_base_loopbreak(m->base);
}

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
    struct main_ctx *m = arg;
    char err[1024];
    service_notify_reloading();
    SSL_CTX *ctx = tls_server_ctx_new(m->srv->cfg.tls_cert, m->srv->cfg.tls_key, err, sizeof err);
    if (!ctx) {
        char q[1100];
        log_quote(q, sizeof q, err);
        log_error("event=tls_reload_failed error=%s keeping=previous", q);
        service_notify_reloaded(false);
        return;
    }
    server_reload_tls(m->srv, ctx);
    service_notify_reloaded(true);
}

static int write_pid_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f);
}

/* The value after option argv[*i] (and *i moves onto it), or NULL after saying on stderr that
 * the option needs `what`. */
static const char *opt_value(int argc, char **argv, int *i, const char *what)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "itad: %s needs %s\n", argv[*i], what);
        return NULL;
    }
    return argv[++*i];
}

int main(int argc, char **argv)
{
    struct server srv;
    memset(&srv, 0, sizeof srv);
    struct config *cfg = &srv.cfg;
    config_defaults(cfg);
    char err[4096];
    bool migrate_only = false, check_only = false, demo = false, if_no_admin = false;
    const char *create_admin = NULL, *create_token = NULL, *token_name = "itactl",
               *admin_agency = NULL;
    const char *load_files[64];
    int n_load = 0;
    const char *config_file = getenv("ITAD_CONFIG");

    /* First pass: find the file and the mode flags. */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("itad %s\n", ITA_VERSION);
            return 0;
        } else if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) {
            if (!(config_file = opt_value(argc, argv, &i, "a file name")))
                return 2;
        } else if (!strcmp(argv[i], "--migrate-only")) {
            migrate_only = true;
        } else if (!strcmp(argv[i], "--load-instruments")) {
            if (n_load == 64 || !(load_files[n_load++] =
                                      opt_value(argc, argv, &i, "a file name (at most 64 files)")))
                return 2;
            migrate_only = true; /* a maintenance run: load and exit */
        } else if (!strcmp(argv[i], "--check-config")) {
            check_only = true;
        } else if (!strcmp(argv[i], "--demo")) {
            demo = true;
            migrate_only = true;
        } else if (!strcmp(argv[i], "--create-admin")) {
            if (!(create_admin = opt_value(argc, argv, &i, "an e-mail address")))
                return 2;
            migrate_only = true;
        } else if (!strcmp(argv[i], "--if-no-admin")) {
            if_no_admin = true;
        } else if (!strcmp(argv[i], "--agency")) {
            if (!(admin_agency = opt_value(argc, argv, &i, "an agency code")))
                return 2;
        } else if (!strcmp(argv[i], "--create-api-token") || !strcmp(argv[i], "--token-name")) {
            const char **dst = !strcmp(argv[i], "--token-name") ? &token_name : &create_token;
            if (!(*dst = opt_value(argc, argv, &i, "a value")))
                return 2;
            migrate_only = true;
        }
    }
    if (config_file && config_file[0] && config_load_file(cfg, config_file, err, sizeof err) != 0)
        goto config_error;
    if (config_load_env(cfg, environ, err, sizeof err) != 0)
        goto config_error;
    /* Second pass: --key=value and --key value override everything. */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-c") || !strcmp(a, "--config") || !strcmp(a, "--load-instruments") ||
            !strcmp(a, "--create-admin") || !strcmp(a, "--create-api-token") ||
            !strcmp(a, "--agency") || !strcmp(a, "--token-name")) {
            i++;
            continue;
        }
        if (!strcmp(a, "--migrate-only") || !strcmp(a, "--check-config") || !strcmp(a, "--demo") ||
            !strcmp(a, "--if-no-admin"))
            continue;
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "itad: unexpected argument '%s' (see itad --help)\n", a);
            return 2;
        }
        const char *eq = strchr(a, '=');
        char key[128];
        const char *val;
        if (eq) {
            snprintf(key, sizeof key, "%.*s", (int)(eq - a - 2), a + 2);
            val = eq + 1;
        } else {
            snprintf(key, sizeof key, "%s", a + 2);
            if (!(val = opt_value(argc, argv, &i, "a value")))
                return 2;
        }
        char origin[160];
        snprintf(origin, sizeof origin, "command line --%s", key);
        if (config_set(cfg, key, val, origin, err, sizeof err) != 0)
            goto config_error;
    }
    if (parse_proxy_from(cfg->proxy_from, &srv, err, sizeof err) != 0)
        goto config_error;
    if (!migrate_only && config_validate(cfg, err, sizeof err) != 0)
        goto config_error;
    log_set_level((enum log_level)log_level_parse(cfg->log_level));
    signal(SIGPIPE, SIG_IGN);

    if (cfg->migrate_on_start || migrate_only) {
        int applied = 0;
        if (migrate_apply(cfg->database_url, cfg->migrations_dir, &applied, err, sizeof err) != 0) {
            fprintf(stderr, "itad: %s\n", err);
            config_free(cfg);
            return 1;
        }
        log_info("event=migrations applied=%d dir=\"%s\"", applied, cfg->migrations_dir);
    }
    for (int i = 0; i < n_load; i++) {
        /* room for the loader's whole list of errors (at most 50 lines, then a count) */
        static char load_msg[65536];
        if (instrument_store_load(cfg->database_url, load_files[i], load_msg, sizeof load_msg) !=
            0) {
            fprintf(stderr, "itad: %s\n", load_msg);
            config_free(cfg);
            return 1;
        }
        printf("itad: %s\n", load_msg);
    }
    if (demo) {
        char base[300];
        if (cfg->public_url[0])
            snprintf(base, sizeof base, "%s", cfg->public_url);
        else
            snprintf(base, sizeof base, "https://localhost:%d", cfg->port);
        if (secret_load(&srv.secret, cfg->secret_file, err, sizeof err) != 0 ||
            demo_links(cfg->database_url, &srv.secret, base, err, sizeof err) != 0) {
            fprintf(stderr, "itad: %s\n", err);
            config_free(cfg);
            return 1;
        }
    }
    if (create_admin && admin_create(cfg->database_url, create_admin, admin_agency, if_no_admin,
                                     err, sizeof err) != 0) {
        fprintf(stderr, "itad: %s\n", err);
        config_free(cfg);
        return 1;
    }
    if (create_token && (secret_load(&srv.secret, cfg->secret_file, err, sizeof err) != 0 ||
                         admin_create_api_token(cfg->database_url, &srv.secret, create_token,
                                                token_name, err, sizeof err) != 0)) {
        fprintf(stderr, "itad: %s\n", err);
        config_free(cfg);
        return 1;
    }
    if (migrate_only) {
        config_free(cfg);
        return 0;
    }

    if (secret_load(&srv.secret, cfg->secret_file, err, sizeof err) != 0 ||
        results_key_init(cfg->signing_key_file, &srv.secret, err, sizeof err) != 0) {
        fprintf(stderr, "itad: %s\n", err);
        config_free(cfg);
        return 1;
    }
    SSL_CTX *tls = tls_server_ctx_new(cfg->tls_cert, cfg->tls_key, err, sizeof err);
    if (!tls) {
        fprintf(stderr, "itad: %s\n", err);
        config_free(cfg);
        return 1;
    }
    if (check_only) {
        printf("itad: configuration is valid\n");
        SSL_CTX_free(tls);
        config_free(cfg);
        return 0;
    }

    /* Every connection is a file descriptor: raise the soft limit to what max_connections needs
     * (as far as the hard limit allows; a PAM session often leaves the soft limit at 1024). */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
        rlim_t want = (rlim_t)cfg->max_connections * 2 + 1024;
        if (nofile.rlim_cur < want) {
            nofile.rlim_cur = nofile.rlim_max < want ? nofile.rlim_max : want;
            setrlimit(RLIMIT_NOFILE, &nofile);
        }
        if ((rlim_t)cfg->max_connections + 256 > nofile.rlim_cur)
            log_warn("event=fd_limit_low limit=%llu max_connections=%d",
                     (unsigned long long)nofile.rlim_cur, cfg->max_connections);
    }

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    srv.nworkers = cfg->workers > 0 ? cfg->workers : (cores > 0 ? (int)cores : 1);
    srv.app = &app_hooks;
    srv.stmts = app_statements(&srv.nstmts);
    pthread_mutex_init(&srv.tls_mu, NULL);

    int *fds = xcalloc((size_t)srv.nworkers, sizeof *fds);
    for (int i = 0; i < srv.nworkers; i++) {
        fds[i] = bind_listener(cfg->listen, cfg->port, err, sizeof err);
        if (fds[i] < 0) {
            fprintf(stderr, "itad: %s\n", err);
            for (int j = 0; j < i; j++)
                close(fds[j]);
            return 1;
        }
    }
    /* The metrics listener's port is taken now too, so that a port in use stops start-up here. */
    struct metrics_http *mh = NULL;
    if (cfg->metrics_listen[0] && !(mh = metrics_http_bind(cfg->metrics_listen, err, sizeof err))) {
        fprintf(stderr, "itad: %s\n", err);
        for (int j = 0; j < srv.nworkers; j++)
            close(fds[j]);
        return 1;
    }

    evthread_use_pthreads();
    if (admin_init() != 0) {
        fprintf(stderr, "itad: libsodium could not start\n");
        metrics_http_free(mh);
        return 1;
    }
    srv.cpu = cpu_pool_new(cfg->cpu_threads);
    if (!srv.cpu) {
        fprintf(stderr, "itad: cannot start %d CPU threads\n", cfg->cpu_threads);
        metrics_http_free(mh);
        return 1;
    }
    cpu_pool_limit_passwords(srv.cpu, cfg->signin_queue_max);
    struct event_base *base = event_base_new();
    struct main_ctx mc = {.srv = &srv, .base = base};
    struct event *ev_term = evsignal_new(base, SIGTERM, on_stop_signal, &mc);
    struct event *ev_int = evsignal_new(base, SIGINT, on_stop_signal, &mc);
    struct event *ev_hup = evsignal_new(base, SIGHUP, on_hup, &mc);
    evsignal_add(ev_term, NULL);
    evsignal_add(ev_int, NULL);
    evsignal_add(ev_hup, NULL);

    log_start_thread();
    if (server_start_workers(&srv, fds, tls, err, sizeof err) != 0) {
        log_error("event=start_failed error=\"%s\"", err);
        metrics_http_free(mh);
        server_stop_and_join(&srv);
        log_stop_thread();
        return 1;
    }
    free(fds);
    SSL_CTX_free(tls); /* each worker holds its own reference */
    if (mh) {
        /* /metrics of every worker, on its own thread; stopped before the workers go away */
        struct worker_metrics **wm = xcalloc((size_t)srv.nworkers, sizeof *wm);
        for (int i = 0; i < srv.nworkers; i++)
            wm[i] = &srv.workers[i].metrics;
        size_t nnames;
        const char *const *names = srv.app->route_names(&nnames);
        int rc = metrics_http_start(mh, wm, (size_t)srv.nworkers, names, nnames, err, sizeof err);
        free(wm);
        if (rc != 0) {
            log_error("event=start_failed error=\"%s\"", err);
            metrics_http_free(mh);
            server_stop_and_join(&srv);
            log_stop_thread();
            return 1;
        }
    }
    /* the evidence-link checker: its own thread and loop, stopped before the workers */
    struct evidence_check *ec = NULL;
    struct mail_sender *ms = NULL;
    bool curl = (cfg->link_check || cfg->smtp_url[0]) && link_check_global_init() == 0;
    if (cfg->link_check) {
        err[0] = '\0';
        if (!curl)
            snprintf(err, sizeof err, "libcurl could not start");
        else
            ec = evidence_check_start(cfg, err, sizeof err);
        if (!ec) /* the survey goes on without it */
            log_error("event=link_check_not_started error=\"%s\"", err);
    }
    /* the sender of invitations and reminders: its own threads, loop and connection */
    if (cfg->smtp_url[0]) {
        err[0] = '\0';
        if (!curl)
            snprintf(err, sizeof err, "libcurl could not start");
        else
            ms = mail_sender_start(cfg, &srv.secret, &smtp_channel, err, sizeof err);
        if (!ms) /* the survey goes on without it; queued messages wait */
            log_error("event=mail_not_started error=\"%s\"", err);
    }
    if (cfg->pid_file[0] && write_pid_file(cfg->pid_file) != 0)
        log_warn("event=pid_file_failed path=\"%s\" error=\"%s\"", cfg->pid_file, strerror(errno));
    log_info("event=started version=%s workers=%d listen=%s port=%d metrics_listen=\"%s\"",
             ITA_VERSION, srv.nworkers, cfg->listen, cfg->port, cfg->metrics_listen);
    { /* systemd (Type=notify): READY=1 once every worker serves */
        struct worker_metrics **wm = xcalloc((size_t)srv.nworkers, sizeof *wm);
        for (int i = 0; i < srv.nworkers; i++)
            wm[i] = &srv.workers[i].metrics;
        char status[200];
        snprintf(status, sizeof status, "serving on %s port %d with %d workers", cfg->listen,
                 cfg->port, srv.nworkers);
        service_notify_ready_when_serving(base, wm, (size_t)srv.nworkers, status);
        free(wm);
    }

    event_base_dispatch(base);
    service_notify_free();

    mail_sender_stop(ms);
    evidence_check_stop(ec);
    if (curl)
        link_check_global_cleanup();
    metrics_http_free(mh); /* reads the workers' metrics: stop it first */
    server_stop_and_join(&srv);
    cpu_pool_free(srv.cpu);
    poster_cleanup(); /* fontconfig and pango caches of the posters drawn (LeakSanitizer) */
    log_info("event=stopped");
    log_stop_thread();
    if (cfg->pid_file[0])
        unlink(cfg->pid_file);
    event_free(ev_term);
    event_free(ev_int);
    event_free(ev_hup);
    event_base_free(base);
    pthread_mutex_destroy(&srv.tls_mu);
    config_free(cfg);
    return 0;

config_error:
    fprintf(stderr, "itad: configuration error: %s\n", err);
    config_free(cfg);
    return 2;
}
