/* itactl: the administrators' command-line client. Reads the global options, then runs the
 * command from the command table (commands.c); offline commands (score, qr, ...) need none. */
#include "api_client.h"
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    /* offline commands: no server options apply to them */
    if (itactl_is_offline(argc - 1, argv + 1))
        return itactl_dispatch(NULL, argc - 1, argv + 1);
    struct itactl_global g = {
        .url = getenv("ITACTL_URL") ? getenv("ITACTL_URL") : "https://localhost:8443",
        .cacert = getenv("ITACTL_CACERT"),
        .timeout_s = 10,
    };
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            itactl_print_usage(stdout);
            return ITACTL_OK;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "itactl: %s needs a value\n", a);
            return ITACTL_USAGE;
        }
        if (!strcmp(a, "--url")) {
            g.url = argv[++i];
        } else if (!strcmp(a, "--cacert")) {
            g.cacert = argv[++i];
        } else if (!strcmp(a, "--timeout")) {
            g.timeout_s = atoi(argv[++i]);
            if (g.timeout_s <= 0 || g.timeout_s > 3600) {
                fprintf(stderr, "itactl: --timeout must be 1..3600 seconds\n");
                return ITACTL_USAGE;
            }
            g.timeout_given = true;
        } else if (!strcmp(a, "--token-file")) {
            g.token_file = argv[++i];
        } else {
            fprintf(stderr, "itactl: unknown option %s (see itactl --help)\n", a);
            return ITACTL_USAGE;
        }
    }
    if (i >= argc) {
        itactl_print_usage(stderr);
        return ITACTL_USAGE;
    }
    return itactl_dispatch(&g, argc - i, argv + i);
}
