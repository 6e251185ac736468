/* itactl: the administrators' command-line client. Talks to itad over verified HTTPS; some
 * commands (score) work without a server. */
#include "build_config.h"
#include "cmd_admin.h"
#include "cmd_qr.h"
#include "cmd_results.h"
#include "cmd_score.h"
#include "https_client.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opts {
    const char *url;    /* --url or ITACTL_URL */
    const char *cacert; /* --cacert or ITACTL_CACERT; NULL = system trust store */
    int timeout_s;      /* --timeout seconds */
    bool timeout_given; /* --timeout was given (imports and exports otherwise wait longer) */
    const char *token_file; /* --token-file; NULL = ITACTL_TOKEN_FILE or ITACTL_TOKEN */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: itactl [--url https://HOST:PORT] [--cacert FILE] [--timeout SECONDS]\n"
               "              [--token-file FILE] COMMAND\n"
               "\n"
               "Commands:\n"
               "  healthz      ask the server whether it can serve (exit 0 when healthy)\n"
               "  score I1 .. I10 [--target GRADE] | score --csv FILE [--target GRADE]\n"
               "               ITA what-if from indicator scores, no server needed\n"
               "               (itactl score --help for details)\n"
               "  qr URL --png FILE --svg FILE      QR code of a survey link\n"
               "  poster --url URL --agency NAME --year YEAR [--instrument EIT|IIT]\n"
               "         [--pdf FILE] [--png FILE] [--html FILE]   A4 poster and website snippet\n"
               "  version      print the client version\n"
               "\n"
               "Administration over the server's JSON API (an API token is needed; every command\n"
               "has --help; --json prints the server's answer as it came):\n");
    admin_print_summary(f);
    cmd_results_print_summary(f);
    fprintf(f, "\n"
               "The API token never goes on the command line (ps would show it): --token-file FILE,\n"
               "else the file named by ITACTL_TOKEN_FILE, else ITACTL_TOKEN itself. Tokens are made\n"
               "on the web admin's API tokens page (/admin/tokens) or by itad --create-api-token.\n"
               "Environment: ITACTL_URL, ITACTL_CACERT (defaults for --url and --cacert).\n"
               "Exit status: 0 success, 1 the server answered with an error (or its answer could\n"
               "not be used or saved), 2 usage error (also: no token, unreadable input file),\n"
               "3 the server could not be reached or its certificate was not trusted.\n");
}

static int cmd_healthz(const struct opts *o)
{
    struct https_target t;
    char err[512];
    if (https_parse_url(o->url, &t, err, sizeof err) != 0) {
        fprintf(stderr, "itactl: %s\n", err);
        return 2;
    }
    struct https_response r;
    if (https_request(&t, o->cacert, "GET", "/healthz", NULL, NULL, 0, o->timeout_s, &r, err,
                      sizeof err) != 0) {
        fprintf(stderr, "itactl: %s\n", err);
        return 3;
    }
    fputs(r.body, stdout);
    int rc = r.status == 200 ? 0 : 1;
    if (rc)
        fprintf(stderr, "itactl: server answered %d\n", r.status);
    https_response_free(&r);
    return rc;
}

int main(int argc, char **argv)
{
    /* score works offline: no server options apply to it */
    if (argc > 1 && strcmp(argv[1], "score") == 0)
        return cmd_score(argc - 1, argv + 1);
    if (argc > 1 && (strcmp(argv[1], "qr") == 0 || strcmp(argv[1], "poster") == 0))
        return cmd_qr(argc - 1, argv + 1);
    struct opts o = {
        .url = getenv("ITACTL_URL") ? getenv("ITACTL_URL") : "https://localhost:8443",
        .cacert = getenv("ITACTL_CACERT"),
        .timeout_s = 10,
    };
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "itactl: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--url")) {
            o.url = argv[++i];
        } else if (!strcmp(a, "--cacert")) {
            o.cacert = argv[++i];
        } else if (!strcmp(a, "--timeout")) {
            o.timeout_s = atoi(argv[++i]);
            if (o.timeout_s <= 0 || o.timeout_s > 3600) {
                fprintf(stderr, "itactl: --timeout must be 1..3600 seconds\n");
                return 2;
            }
            o.timeout_given = true;
        } else if (!strcmp(a, "--token-file")) {
            o.token_file = argv[++i];
        } else {
            fprintf(stderr, "itactl: unknown option %s (see itactl --help)\n", a);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[i];
    if (!strcmp(cmd, "healthz"))
        return cmd_healthz(&o);
    if (cmd_admin_is_command(cmd)) {
        struct admin_global g = {o.url, o.cacert, o.timeout_s, o.timeout_given, o.token_file};
        return cmd_admin(&g, argc - i, argv + i);
    }
    if (cmd_results_is_command(cmd)) {
        struct admin_global g = {o.url, o.cacert, o.timeout_s, o.timeout_given, o.token_file};
        return cmd_results(&g, argc - i, argv + i);
    }
    if (!strcmp(cmd, "version")) {
        printf("itactl %s\n", ITA_VERSION);
        return 0;
    }
    fprintf(stderr, "itactl: unknown command '%s' (see itactl --help)\n", cmd);
    return 2;
}
