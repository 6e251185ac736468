/* itactl national: every agency of a fiscal year with its progress, OIT state and published
 * result, as the server's national view gives it (GET /admin/national?format=csv|json, CSV with
 * the English keys unless --keys th), filtered and sorted like the web page, written to standard
 * output or -o FILE (put in place only once complete). System administrators' tokens only. */
#include "cmd_national.h"

#include "api_client.h"
#include "outfile.h"

#include <stdio.h>
#include <string.h>

/* The options passed on as query parameters, each "--NAME VALUE" → NAME=VALUE ("--search" is q). */
static const struct {
    const char *opt, *param;
} PASSED[] = {
    {"--fy", "fy"},         {"--state", "state"},   {"--search", "q"},  {"--kind", "kind"},
    {"--parent", "parent"}, {"--rating", "rating"}, {"--sort", "sort"}, {"--dir", "dir"},
    {"--format", "format"}, {"--keys", "keys"},
};
#define NPASSED (sizeof PASSED / sizeof PASSED[0])
enum { P_FORMAT = 8, P_KEYS = 9 }; /* the two PASSED entries itactl sets itself */

int cmd_national(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc, char **argv)
{
    const char *value[NPASSED] = {0};
    const char *out = "-";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            itactl_cmd_print_help(stdout, cmd, NULL);
            return ITACTL_OK;
        }
        bool known = false;
        if (i + 1 < argc && (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output"))) {
            out = argv[++i];
            continue;
        }
        for (size_t k = 0; k < NPASSED && !known; k++)
            if (!strcmp(argv[i], PASSED[k].opt) && i + 1 < argc) {
                value[k] = argv[++i];
                known = true;
            }
        if (!known) {
            fprintf(stderr,
                    "itactl national: unknown or incomplete option %s\nusage: itactl %s %s\n",
                    argv[i], cmd->name, cmd->usage);
            return ITACTL_USAGE;
        }
    }
    const char *format = value[P_FORMAT] ? value[P_FORMAT] : "csv";
    if (strcmp(format, "csv") && strcmp(format, "json")) {
        fprintf(stderr, "itactl national: --format is csv or json\n");
        return ITACTL_USAGE;
    }
    struct strbuf q;
    strbuf_init(&q);
    for (size_t k = 0; k < NPASSED; k++)
        if (k != P_FORMAT && k != P_KEYS && value[k])
            api_param(&q, PASSED[k].param, value[k]);
    api_param(&q, "format", format);
    if (!strcmp(format, "csv"))
        api_param(&q, "keys", value[P_KEYS] ? value[P_KEYS] : "en");
    struct api_conn c;
    int rc = itactl_conn_open(cmd, g, &c);
    struct outfile o;
    if (rc == ITACTL_OK)
        rc = outfile_open(&o, out, false);
    if (rc == ITACTL_OK) {
        struct https_response r;
        rc = api_call(&c, "GET", "/admin/national", q.data, NULL, NULL, 0, &r, stderr);
        if (rc == ITACTL_OK) {
            rc = outfile_commit(&o, r.body, r.body_len);
            https_response_free(&r);
        } else {
            outfile_abort(&o);
        }
    }
    api_conn_close(&c);
    strbuf_free(&q);
    return rc;
}
