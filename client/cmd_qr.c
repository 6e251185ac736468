/* itactl qr / itactl poster (see cmd_qr.h): their arguments, then the QR code, poster and snippet
 * from qr/ written to files. Usage and help texts come from the command table. */
#include "cmd_qr.h"
#include "commands.h"
#include "qr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The usage of cmd from the command table, on standard error: exit status 2. */
static int usage_error(const struct itactl_cmd *cmd)
{
    itactl_cmd_print_help(stderr, cmd, cmd->name);
    return 2;
}

/* The value of option argv[*i] (advancing *i past it), or NULL with a message when it has none. */
static const char *opt_value(const struct itactl_cmd *cmd, int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "itactl %s: %s needs a value\n", cmd->name, argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "itactl: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

int cmd_qr_run(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc, char **argv)
{
    const char *url = NULL, *png = NULL, *svg = NULL;
    int px = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (a[0] != '-') {
            if (url) {
                fprintf(stderr, "itactl qr: one URL only\n");
                return 2;
            }
            url = a;
        } else if (!(v = opt_value(cmd, argc, argv, &i))) {
            return 2;
        } else if (!strcmp(a, "--png")) {
            png = v;
        } else if (!strcmp(a, "--svg")) {
            svg = v;
        } else if (!strcmp(a, "--module-px")) {
            px = atoi(v);
            if (px < 1 || px > 100) {
                fprintf(stderr, "itactl qr: --module-px must be 1 to 100\n");
                return 2;
            }
        } else {
            fprintf(stderr, "itactl qr: unknown option %s\n", a);
            return usage_error(cmd);
        }
    }
    if (!url || (!png && !svg))
        return usage_error(cmd);
    struct qr_code q;
    char err[256];
    if (qr_make(url, &q, err, sizeof err) != 0) {
        fprintf(stderr, "itactl qr: %s\n", err);
        return 1;
    }
    int rc = 0;
    if (png && qr_png(&q, px, png, err, sizeof err) != 0) {
        fprintf(stderr, "itactl qr: %s\n", err);
        rc = 1;
    }
    if (svg && rc == 0) {
        char *text = qr_svg(&q, px);
        rc = write_text(svg, text);
        free(text);
    }
    qr_free(&q);
    return rc;
}

static int poster_main(const struct itactl_cmd *cmd, int argc, char **argv)
{
    struct poster p = {.instrument = "EIT"};
    const char *pdf = NULL, *png = NULL, *html = NULL;
    int dpi = 300;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = opt_value(cmd, argc, argv, &i);
        if (!v)
            return 2;
        if (!strcmp(a, "--url"))
            p.url = v;
        else if (!strcmp(a, "--agency"))
            p.agency_th = v;
        else if (!strcmp(a, "--year"))
            p.fiscal_year = atoi(v);
        else if (!strcmp(a, "--instrument"))
            p.instrument = v;
        else if (!strcmp(a, "--pdf"))
            pdf = v;
        else if (!strcmp(a, "--png"))
            png = v;
        else if (!strcmp(a, "--html"))
            html = v;
        else if (!strcmp(a, "--dpi"))
            dpi = atoi(v);
        else {
            fprintf(stderr, "itactl poster: unknown option %s\n", a);
            return usage_error(cmd);
        }
    }
    if (!p.url || !p.agency_th || !*p.agency_th || (!pdf && !png && !html))
        return usage_error(cmd);
    if (p.fiscal_year < 2500 || p.fiscal_year > 2700) {
        fprintf(stderr, "itactl poster: --year must be a Buddhist-Era fiscal year such as 2566\n");
        return 2;
    }
    if (strcmp(p.instrument, "EIT") != 0 && strcmp(p.instrument, "IIT") != 0) {
        fprintf(stderr, "itactl poster: --instrument must be EIT or IIT\n");
        return 2;
    }
    char err[256];
    if (pdf && poster_pdf(&p, pdf, err, sizeof err) != 0) {
        fprintf(stderr, "itactl poster: %s\n", err);
        return 1;
    }
    if (png && poster_png(&p, dpi, png, err, sizeof err) != 0) {
        fprintf(stderr, "itactl poster: %s\n", err);
        return 1;
    }
    if (html) {
        char *snippet = poster_html_snippet(&p, err, sizeof err);
        if (!snippet) {
            fprintf(stderr, "itactl poster: %s\n", err);
            return 1;
        }
        int rc = write_text(html, snippet);
        free(snippet);
        if (rc)
            return rc;
    }
    return 0;
}

int cmd_poster_run(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,
                   char **argv)
{
    int rc = poster_main(cmd, argc, argv);
    poster_cleanup();
    return rc;
}
