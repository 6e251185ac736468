/* itactl's results commands: OIT marks (one item, or a CSV of many agencies), an agency's scores,
 * aggregate and per-question exports saved with their signed manifests, the printable report,
 * and `verify`, which checks a file against its manifest (SHA-256 of the file, Ed25519 signature
 * over the canonical payload) without trusting the server's word for either. */
#include "cmd_results.h"

#include "api_client.h"
#include "commands.h"
#include "csv_table.h"
#include "outfile.h"
#include "strbuf.h"
#include "thai_date.h"
#include "xalloc.h"

#include <errno.h>
#include <stddef.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

struct ropts {
    const char *agency, *fy, *item, *met, *url, *note, *kind, *format, *output, *key, *key_file;
    const char *instrument;
    const char *pos[2];
    int npos;
    bool json, raw;
};

/* The options that take a value, and where parse() puts it. */
static const struct {
    const char *name, *alias; /* alias: NULL = none */
    size_t offset;            /* of the const char * in struct ropts */
} ropt_defs[] = {
    {"--agency", NULL, offsetof(struct ropts, agency)},
    {"--fy", NULL, offsetof(struct ropts, fy)},
    {"--item", NULL, offsetof(struct ropts, item)},
    {"--met", NULL, offsetof(struct ropts, met)},
    {"--url", NULL, offsetof(struct ropts, url)},
    {"--note", NULL, offsetof(struct ropts, note)},
    {"--kind", NULL, offsetof(struct ropts, kind)},
    {"--format", NULL, offsetof(struct ropts, format)},
    {"--output", "-o", offsetof(struct ropts, output)},
    {"--key", NULL, offsetof(struct ropts, key)},
    {"--key-file", NULL, offsetof(struct ropts, key_file)},
    {"--instrument", NULL, offsetof(struct ropts, instrument)},
};

/* Where the value of option a goes in o, or NULL when a takes none. */
static const char **value_slot(struct ropts *o, const char *a)
{
    for (size_t k = 0; k < sizeof ropt_defs / sizeof ropt_defs[0]; k++)
        if (!strcmp(a, ropt_defs[k].name) || (ropt_defs[k].alias && !strcmp(a, ropt_defs[k].alias)))
            return (const char **)((char *)o + ropt_defs[k].offset);
    return NULL;
}

/* Reads the arguments after cmd's words into o. Returns 0, or -1 on a usage error (message
 * written). */
static int parse(const struct itactl_cmd *cmd, int argc, char **argv, struct ropts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = itactl_cmd_words(cmd); i < argc; i++) {
        const char *a = argv[i];
        const char **slot = value_slot(o, a);
        if (!strcmp(a, "--json") || !strcmp(a, "--raw")) {
            *(a[2] == 'j' ? &o->json : &o->raw) = true;
        } else if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "itactl: %s needs a value\n", a);
                return -1;
            }
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "itactl: unknown option %s\n", a);
            return -1;
        } else if (o->npos == 2) {
            fprintf(stderr, "itactl: too many arguments\n");
            return -1;
        } else {
            o->pos[o->npos++] = a;
        }
    }
    static char current_fy[8]; /* outlives the call: o->fy borrows it */
    if (!o->fy) {
        snprintf(current_fy, sizeof current_fy, "%d", ita_fiscal_year_now());
        o->fy = current_fy; /* the fiscal year defaults to the current one */
    }
    return 0;
}

static bool need(const char *v, const char *name)
{
    if (!v || !*v) {
        fprintf(stderr, "itactl: %s is required\n", name);
        return false;
    }
    return true;
}

enum { R_AGENCY = 1, R_FY = 2, R_OUTPUT = 4 };

/* The options in `what` (R_ bits) are all given; otherwise the first missing one is named. */
static bool need_all(const struct ropts *o, unsigned what)
{
    return (!(what & R_AGENCY) || need(o->agency, "--agency")) &&
           (!(what & R_FY) || need(o->fy, "--fy")) &&
           (!(what & R_OUTPUT) || need(o->output, "-o FILE"));
}

/* Opens cmd's connection and starts a query or form with agency= (when given) and year=.
 * Finish with call_end, also when this fails. */
static int call_begin(const struct itactl_cmd *cmd, const struct itactl_global *g,
                      const struct ropts *o, struct api_conn *c, struct strbuf *q)
{
    strbuf_init(q);
    if (o->agency)
        api_param(q, "agency", o->agency);
    api_param(q, "year", o->fy);
    return itactl_conn_open(cmd, g, c);
}

/* Frees what call_begin made; returns rc. */
static int call_end(struct api_conn *c, struct strbuf *q, int rc)
{
    strbuf_free(q);
    api_conn_close(c);
    return rc;
}

/* Writes a whole file (or standard output for "-") in place atomically (outfile.h). */
static int write_file(const char *path, const void *data, size_t len)
{
    struct outfile o;
    if (outfile_open(&o, path, false) != ITACTL_OK)
        return ITACTL_SERVER_ERROR;
    return outfile_commit(&o, data, len);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf b;
    strbuf_init(&b);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(&b, buf, n);
    fclose(f);
    *len = b.len;
    return strbuf_detach(&b);
}

/* ---- oit ---- */

static const char *met_value(const char *m)
{
    if (!strcasecmp(m, "yes") || !strcmp(m, "1") || !strcasecmp(m, "met") || !strcmp(m, "ผ่าน"))
        return "1";
    if (!strcasecmp(m, "no") || !strcmp(m, "0") || !strcasecmp(m, "not-met") || !strcmp(m, "ไม่ผ่าน"))
        return "0";
    if (!strcasecmp(m, "none") || !strcmp(m, ""))
        return "";
    return NULL;
}

static void oit_item_params(struct strbuf *b, const char *item, const char *met, const char *url,
                            const char *note)
{
    char k[40];
    snprintf(k, sizeof k, "met_%s", item);
    api_param(b, k, met);
    snprintf(k, sizeof k, "url_%s", item);
    api_param(b, k, url ? url : "");
    snprintf(k, sizeof k, "note_%s", item);
    api_param(b, k, note ? note : "");
}

static int post_oit(const struct api_conn *c, struct strbuf *body, bool json)
{
    struct https_response r;
    int rc = api_call(c, "POST", "/admin/oit", NULL, "application/x-www-form-urlencoded",
                      body->data, body->len, &r, stderr);
    if (rc != ITACTL_OK)
        return rc;
    if (json)
        printf("%s\n", r.body);
    https_response_free(&r);
    return ITACTL_OK;
}

static int run_oit_set(const struct itactl_cmd *cmd, const struct itactl_global *g,
                       const struct ropts *o)
{
    if (o->npos > 0) {
        fprintf(stderr, "itactl: too many arguments\n");
        return ITACTL_USAGE;
    }
    if (!need_all(o, R_AGENCY | R_FY) || !need(o->item, "--item"))
        return ITACTL_USAGE;
    if (!o->met) {
        fprintf(stderr, "itactl: --met yes|no|none is required\n");
        return ITACTL_USAGE;
    }
    const char *met = met_value(o->met);
    if (!met) {
        fprintf(stderr, "itactl: --met must be yes, no or none\n");
        return ITACTL_USAGE;
    }
    struct api_conn c;
    struct strbuf b;
    int rc = call_begin(cmd, g, o, &c, &b);
    if (rc == ITACTL_OK) {
        oit_item_params(&b, o->item, met, o->url, o->note);
        rc = post_oit(&c, &b, o->json);
    }
    if (rc == ITACTL_OK && !o->json)
        printf("OIT %s of agency %s, %s: saved\n", o->item, o->agency, o->fy);
    return call_end(&c, &b, rc);
}

/* The CSV import: rows grouped by agency and year in file order, one request per group. */
struct import_state {
    const struct api_conn *c;
    struct strbuf body;
    char agency[32], fy[8];
    unsigned long rows, groups;
    int rc;
    bool header_seen;
};

static int flush_group(struct import_state *s)
{
    if (!s->agency[0])
        return ITACTL_OK;
    int rc = post_oit(s->c, &s->body, false);
    s->groups++;
    strbuf_free(&s->body);
    strbuf_init(&s->body);
    s->agency[0] = '\0';
    return rc;
}

static int import_row(void *ctx, const struct ita_csv_record *rec)
{
    struct import_state *s = ctx;
    if (!s->header_seen) {
        s->header_seen = true;
        if (rec->n >= 1 && (!strcasecmp(rec->fields[0].data, "agency") ||
                            !strcmp(rec->fields[0].data, "\xEF\xBB\xBF"
                                                         "agency")))
            return 0;
    }
    if (rec->n < 4) {
        fprintf(stderr, "itactl: line %lu: need agency,fiscal_year,item,met[,url,note]\n",
                rec->line);
        s->rc = ITACTL_USAGE;
        return 1;
    }
    const char *agency = rec->fields[0].data, *fy = rec->fields[1].data,
               *item = rec->fields[2].data;
    const char *met = met_value(rec->fields[3].data);
    if (!met || strlen(agency) >= sizeof s->agency || strlen(fy) >= sizeof s->fy) {
        fprintf(stderr, "itactl: line %lu: met must be yes/no/1/0/ผ่าน/ไม่ผ่าน or empty\n", rec->line);
        s->rc = ITACTL_USAGE;
        return 1;
    }
    if (strcmp(agency, s->agency) || strcmp(fy, s->fy)) {
        int rc = flush_group(s);
        if (rc != ITACTL_OK) {
            s->rc = rc;
            return 1;
        }
        snprintf(s->agency, sizeof s->agency, "%s", agency);
        snprintf(s->fy, sizeof s->fy, "%s", fy);
        api_param(&s->body, "agency", agency);
        api_param(&s->body, "year", fy);
    }
    oit_item_params(&s->body, item, met, rec->n > 4 ? rec->fields[4].data : "",
                    rec->n > 5 ? rec->fields[5].data : "");
    s->rows++;
    return 0;
}

static int run_oit_import(const struct itactl_cmd *cmd, const struct itactl_global *g,
                          const struct ropts *o)
{
    if (!need(o->pos[0], "FILE"))
        return ITACTL_USAGE;
    const char *path = o->pos[0];
    size_t len;
    char *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "itactl: cannot read %s\n", path);
        return ITACTL_USAGE;
    }
    struct api_conn c;
    int rc = itactl_conn_open(cmd, g, &c);
    if (rc != ITACTL_OK) {
        free(data);
        api_conn_close(&c);
        return rc;
    }
    struct import_state s = {.c = &c, .rc = ITACTL_OK};
    strbuf_init(&s.body);
    const char *error = NULL;
    unsigned long line = 0;
    enum ita_csv_status st = ita_csv_read(data, len, import_row, &s, &error, &line);
    if (st == ITA_CSV_SYNTAX) {
        fprintf(stderr, "itactl: %s line %lu: %s\n", path, line, error);
        rc = ITACTL_USAGE;
    } else if (st == ITA_CSV_STOPPED) {
        rc = s.rc;
    } else {
        rc = flush_group(&s);
        if (rc == ITACTL_OK)
            printf("%lu OIT rows of %lu agency-years saved\n", s.rows, s.groups);
    }
    strbuf_free(&s.body);
    free(data);
    api_conn_close(&c);
    return rc;
}

/* ---- scores, export, report ---- */

/* Why an instrument's scores are not shown: its window still open (not sealed), or fewer than
 * the server's results_min_responses (k_min in its answer), never a number of itactl's own. */
static void print_not_shown(const json_t *doc, const json_t *s)
{
    const json_t *k = json_object_get(doc, "k_min");
    if (json_is_false(json_object_get(s, "sealed"))) {
        printf(" (not shown: the survey window is still open; scores appear once it has closed");
        if (json_is_integer(k))
            printf(" and at least %lld have answered", (long long)json_integer_value(k));
        printf(")");
        return;
    }
    printf(" (too few: not shown)");
    if (json_is_integer(k))
        printf(", fewer than the server's results_min_responses (%lld)",
               (long long)json_integer_value(k));
}

static const char *fig(json_t *v)
{
    const char *s = json_string_value(json_object_get(v, "display"));
    return s ? s : "-";
}

static int run_scores(const struct itactl_cmd *cmd, const struct itactl_global *g,
                      const struct ropts *o)
{
    if (!need_all(o, R_AGENCY | R_FY))
        return ITACTL_USAGE;
    struct api_conn c;
    struct strbuf q;
    struct https_response r;
    int rc = call_begin(cmd, g, o, &c, &q);
    if (rc == ITACTL_OK)
        rc = api_call(&c, "GET", "/admin/results", q.data, NULL, NULL, 0, &r, stderr);
    if (call_end(&c, &q, rc) != ITACTL_OK)
        return rc;
    if (o->json) {
        fputs(r.body, stdout);
        https_response_free(&r);
        return ITACTL_OK;
    }
    json_t *doc = api_json(&r, stderr);
    https_response_free(&r);
    if (!doc)
        return ITACTL_SERVER_ERROR;
    json_t *a = json_array_get(json_object_get(doc, "agencies"), 0);
    printf("%s %s, fiscal year %s\n", json_string_value(json_object_get(a, "code")),
           json_string_value(json_object_get(a, "name_th")), o->fy);
    static const char *const inst[3] = {"IIT", "EIT", "OIT"};
    for (int k = 0; k < 2; k++) {
        json_t *s = json_object_get(a, inst[k]);
        printf("%s responses %lld", inst[k],
               (long long)json_integer_value(json_object_get(s, "responses")));
        if (!json_is_true(json_object_get(s, "shown")))
            print_not_shown(doc, s);
        fputc('\n', stdout);
    }
    json_t *ind = json_object_get(a, "indicators");
    for (size_t i = 0; i < json_array_size(ind); i++)
        printf("indicator %2zu  %s\n", i + 1, fig(json_array_get(ind, i)));
    json_t *groups = json_object_get(a, "groups");
    for (int k = 0; k < 3; k++) {
        json_t *gk = json_object_get(groups, inst[k]);
        printf("%s  %s  weighted %s\n", inst[k], fig(json_object_get(gk, "mean")),
               fig(json_object_get(gk, "weighted")));
    }
    const char *rating = json_string_value(json_object_get(a, "rating"));
    /* the server gives a rating only once every minimum sample is met and OIT is complete */
    bool preliminary = json_is_true(json_object_get(a, "preliminary")) || !rating;
    printf("total %s of %lld  %s\n", fig(json_object_get(a, "total")),
           (long long)json_integer_value(json_object_get(a, "total_of")),
           preliminary ? "preliminary, no rating" : rating);
    const char *unmet = json_string_value(json_object_get(a, "minimums_not_met"));
    if (preliminary && unmet)
        printf("minimums not met: %s\n", unmet);
    json_t *blocked = json_object_get(a, "blocked");
    if (json_is_object(blocked)) {
        json_t *tools = json_object_get(blocked, "tools");
        printf("not %s: below the tool minimum:",
               json_string_value(json_object_get(blocked, "level")));
        for (size_t i = 0; i < json_array_size(tools); i++)
            printf(" %s", json_string_value(json_array_get(tools, i)));
        printf("\n");
    }
    json_decref(doc);
    return ITACTL_OK;
}

static int fetch_to(const struct api_conn *c, const char *path, const char *query, const char *out,
                    char *export_id, size_t idlen)
{
    struct https_response r;
    int rc = api_call(c, "GET", path, query, NULL, NULL, 0, &r, stderr);
    if (rc != ITACTL_OK)
        return rc;
    if (export_id && !api_header(r.headers, "X-ITA-Export-Id", export_id, idlen)) {
        fprintf(stderr, "itactl: the server's answer has no export id\n");
        rc = ITACTL_SERVER_ERROR;
    } else {
        rc = write_file(out, r.body, r.body_len);
    }
    https_response_free(&r);
    return rc;
}

/* The raw export, streamed into a temporary file next to FILE, put in place only once the last
 * chunk has arrived (outfile.h). */
static int run_export_raw(const struct itactl_cmd *cmd, const struct itactl_global *g,
                          const struct ropts *o)
{
    if (!need_all(o, R_FY | R_OUTPUT))
        return ITACTL_USAGE;
    if (o->instrument && strcmp(o->instrument, "IIT") && strcmp(o->instrument, "EIT")) {
        fprintf(stderr, "itactl: --instrument is IIT or EIT\n");
        return ITACTL_USAGE;
    }
    struct outfile out;
    if (outfile_open(&out, o->output, false) != ITACTL_OK)
        return ITACTL_SERVER_ERROR;
    FILE *sink = outfile_stream(&out);
    struct api_conn c;
    struct strbuf q;
    int rc = call_begin(cmd, g, o, &c, &q);
    if (o->instrument)
        api_param(&q, "instrument", o->instrument);
    api_param(&q, "keys", "en"); /* the English column names scripts read */
    struct https_response r;
    if (rc == ITACTL_OK && !sink)
        rc = ITACTL_SERVER_ERROR;
    if (rc == ITACTL_OK)
        rc = api_call_to(&c, "GET", "/admin/export-raw", q.data, NULL, NULL, 0, sink, &r, stderr);
    if (rc == ITACTL_OK) {
        https_response_free(&r);
        rc = outfile_commit(&out, NULL, 0);
        if (rc == ITACTL_OK && strcmp(o->output, "-"))
            printf("%s\n", o->output);
    } else {
        outfile_abort(&out);
    }
    return call_end(&c, &q, rc);
}

static int run_export(const struct itactl_cmd *cmd, const struct itactl_global *g,
                      const struct ropts *o)
{
    if (!need_all(o, R_FY | R_OUTPUT))
        return ITACTL_USAGE;
    if (!strcmp(o->output, "-")) {
        fprintf(stderr, "itactl: export needs a file (-o FILE): the manifest goes next to it\n");
        return ITACTL_USAGE;
    }
    struct api_conn c;
    struct strbuf q;
    int rc = call_begin(cmd, g, o, &c, &q);
    if (o->kind)
        api_param(&q, "kind", o->kind);
    api_param(&q, "format", o->format ? o->format : "csv");
    api_param(&q, "keys", "en"); /* CSV column names stay the English keys scripts read */
    char id[32];
    if (rc == ITACTL_OK)
        rc = fetch_to(&c, "/admin/export", q.data, o->output, id, sizeof id);
    if (rc == ITACTL_OK) {
        strbuf_free(&q);
        strbuf_init(&q);
        api_param(&q, "id", id);
        char *mpath = xasprintf("%s.manifest.json", o->output);
        rc = fetch_to(&c, "/admin/export-manifest", q.data, mpath, NULL, 0);
        if (rc == ITACTL_OK)
            printf("%s\n%s (export %s)\n", o->output, mpath, id);
        free(mpath);
    }
    return call_end(&c, &q, rc);
}

static int run_report(const struct itactl_cmd *cmd, const struct itactl_global *g,
                      const struct ropts *o)
{
    if (!need_all(o, R_AGENCY | R_FY | R_OUTPUT))
        return ITACTL_USAGE;
    struct api_conn c;
    struct strbuf q;
    int rc = call_begin(cmd, g, o, &c, &q);
    if (rc == ITACTL_OK)
        rc = fetch_to(&c, "/admin/report", q.data, o->output, NULL, 0);
    return call_end(&c, &q, rc);
}

/* ---- verify ---- */

static bool unhex(const char *hex, unsigned char *out, size_t n)
{
    if (!hex || strlen(hex) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
            return false;
    return true;
}

static bool ed25519_ok(const unsigned char pk[32], const unsigned char sig[64], const char *msg)
{
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = key && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
              EVP_DigestVerify(ctx, sig, 64, (const unsigned char *)msg, strlen(msg)) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

/* The trusted public key: --key, --key-file, else the server's (with the API token). */
static int trusted_key(const struct itactl_cmd *cmd, const struct itactl_global *g,
                       const struct ropts *o, char out[80])
{
    if (o->key) {
        snprintf(out, 80, "%s", o->key);
        return ITACTL_OK;
    }
    if (o->key_file) {
        size_t len;
        char *k = read_file(o->key_file, &len);
        if (!k) {
            fprintf(stderr, "itactl: cannot read %s\n", o->key_file);
            return ITACTL_USAGE;
        }
        snprintf(out, 80, "%.*s", (int)strcspn(k, " \r\n"), k);
        free(k);
        return ITACTL_OK;
    }
    struct api_conn c;
    struct https_response r;
    int rc = itactl_conn_open(cmd, g, &c);
    if (rc == ITACTL_OK)
        rc = api_call(&c, "GET", "/admin/export-key", NULL, NULL, NULL, 0, &r, stderr);
    api_conn_close(&c);
    if (rc != ITACTL_OK)
        return rc;
    snprintf(out, 80, "%.*s", (int)strcspn(r.body, " \r\n"), r.body);
    https_response_free(&r);
    return ITACTL_OK;
}

static int run_verify(const struct itactl_cmd *cmd, const struct itactl_global *g,
                      const struct ropts *o)
{
    if (o->npos != 2) {
        fprintf(stderr,
                "itactl: usage: itactl verify FILE MANIFEST [--key HEX | --key-file FILE]\n");
        return ITACTL_USAGE;
    }
    size_t flen, mlen;
    char *file = read_file(o->pos[0], &flen), *mtext = read_file(o->pos[1], &mlen);
    json_t *m = mtext ? json_loads(mtext, 0, NULL) : NULL;
    int rc = ITACTL_USAGE;
    char key[80];
    if (!file || !m) {
        fprintf(stderr, "itactl: cannot read %s\n", !file ? o->pos[0] : o->pos[1]);
        goto out;
    }
    rc = trusted_key(cmd, g, o, key);
    if (rc != ITACTL_OK)
        goto out;
    rc = ITACTL_SERVER_ERROR;
    json_t *payload = json_object_get(m, "payload");
    json_t *sig = json_object_get(m, "signature");
    unsigned char pk[32], sg[64];
    if (!json_is_object(payload) || !unhex(key, pk, 32) ||
        !unhex(json_string_value(json_object_get(sig, "value")), sg, 64)) {
        fprintf(stderr, "itactl: the manifest or the key is malformed\n");
        goto out;
    }
    const char *mkey = json_string_value(json_object_get(sig, "public_key"));
    if (!mkey || strcasecmp(mkey, key) != 0) {
        printf("FAILED: the manifest was signed with another key (%s)\n", mkey ? mkey : "none");
        goto out;
    }
    char *canon = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    bool sig_ok = canon && ed25519_ok(pk, sg, canon);
    free(canon);
    if (!sig_ok) {
        printf("FAILED: the manifest's signature does not verify\n");
        goto out;
    }
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)file, flen, h);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    const char *want = json_string_value(json_object_get(payload, "file_sha256"));
    if (!want || strcmp(want, hex) != 0) {
        printf("FAILED: %s is not the file of this manifest (SHA-256 %s, manifest says %s)\n",
               o->pos[0], hex, want ? want : "nothing");
        goto out;
    }
    json_t *rs = json_object_get(payload, "response_set");
    printf("OK: %s matches its signed manifest\n"
           "fiscal year %lld, instrument version revision %lld, %s, %lld agencies, %lld responses\n"
           "response-set digest %s\n",
           o->pos[0], (long long)json_integer_value(json_object_get(payload, "fiscal_year")),
           (long long)json_integer_value(
               json_object_get(json_object_get(payload, "instrument_version"), "revision")),
           json_string_value(json_object_get(payload, "kind")),
           (long long)json_integer_value(json_object_get(payload, "agencies")),
           (long long)json_integer_value(json_object_get(rs, "rows")),
           json_string_value(json_object_get(rs, "digest")));
    rc = ITACTL_OK;
out:
    json_decref(m);
    free(file);
    free(mtext);
    return rc;
}

/* The handlers of the command table: the arguments read, then run_NAME. */
#define RESULTS_DEFINE(name)                                                                       \
    int results_##name(const struct itactl_cmd *cmd, const struct itactl_global *g, int argc,      \
                       char **argv)                                                                \
    {                                                                                              \
        struct ropts o;                                                                            \
        return parse(cmd, argc, argv, &o) != 0 ? ITACTL_USAGE : run_##name(cmd, g, &o);            \
    }
RESULTS_COMMANDS(RESULTS_DEFINE)
