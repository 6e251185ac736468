/* itactl qr / itactl poster (see cmd_qr.h). */
#include "cmd_qr.h"
#include "qr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_qr(FILE *f)
{
    fprintf(f, "usage: itactl qr URL [--png FILE] [--svg FILE] [--module-px N]\n"
               "Writes the QR code of URL (error correction M, 4-module quiet zone) as PNG and/or\n"
               "SVG; N pixels per module (default 10).\n");
    return f == stdout ? 0 : 2;
}

static int usage_poster(FILE *f)
{
    fprintf(f, "usage: itactl poster --url URL --agency NAME --year YEAR [--instrument EIT|IIT]\n"
               "                     [--pdf FILE] [--png FILE] [--dpi N] [--html FILE]\n"
               "Writes an A4 poster (PDF, and/or PNG at N dpi, default 300) with the agency's Thai\n"
               "name, the fiscal year (Buddhist Era), a Thai instruction, the QR code and the link;\n"
               "--html writes a snippet to paste into the agency website.\n");
    return f == stdout ? 0 : 2;
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

static int qr_main(int argc, char **argv)
{
    const char *url = NULL, *png = NULL, *svg = NULL;
    int px = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return usage_qr(stdout);
        if (a[0] == '-' && i + 1 >= argc) {
            fprintf(stderr, "itactl qr: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--png"))
            png = argv[++i];
        else if (!strcmp(a, "--svg"))
            svg = argv[++i];
        else if (!strcmp(a, "--module-px")) {
            px = atoi(argv[++i]);
            if (px < 1 || px > 100) {
                fprintf(stderr, "itactl qr: --module-px must be 1 to 100\n");
                return 2;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "itactl qr: unknown option %s\n", a);
            return usage_qr(stderr);
        } else if (!url) {
            url = a;
        } else {
            fprintf(stderr, "itactl qr: one URL only\n");
            return 2;
        }
    }
    if (!url || (!png && !svg))
        return usage_qr(stderr);
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

static int poster_main(int argc, char **argv)
{
    struct poster p = {.instrument = "EIT"};
    const char *pdf = NULL, *png = NULL, *html = NULL;
    int dpi = 300;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return usage_poster(stdout);
        if (i + 1 >= argc) {
            fprintf(stderr, "itactl poster: %s needs a value\n", a);
            return 2;
        }
        const char *v = argv[++i];
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
            return usage_poster(stderr);
        }
    }
    if (!p.url || !p.agency_th || !*p.agency_th || (!pdf && !png && !html))
        return usage_poster(stderr);
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

int cmd_qr(int argc, char **argv)
{
    if (strcmp(argv[0], "poster") != 0)
        return qr_main(argc, argv);
    int rc = poster_main(argc, argv);
    poster_cleanup();
    return rc;
}
