/* The operations behind itactl's administration commands (see admin_ops.h): request parameters,
 * uploads read from files, downloads saved through a temporary file renamed into place, and the
 * human rendering of each JSON answer. Human output goes to stdout, problems to stderr. */
#include "admin_ops.h"
#include "outfile.h"

#include "text_table.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FORM_TYPE "application/x-www-form-urlencoded"

/* ---- parameters ---- */

/* The agency (code= or agency=), fy= and, when given, instrument=. */
static void year_params(struct strbuf *q, const struct admin_args *a)
{
    if (a->opt[AO_CODE])
        api_param(q, "code", a->opt[AO_CODE]);
    else
        api_param(q, "agency", a->opt[AO_AGENCY]);
    api_param(q, "fy", a->opt[AO_FY]);
    if (a->opt[AO_INSTRUMENT])
        api_param(q, "instrument", a->opt[AO_INSTRUMENT]);
}

/* ---- answers ---- */

/* Writes a JSON answer exactly as received, ending with one newline. */
static void print_raw(const struct https_response *r)
{
    fwrite(r->body, 1, r->body_len, stdout);
    if (r->body_len == 0 || r->body[r->body_len - 1] != '\n')
        fputc('\n', stdout);
}

/* One request whose answer is a JSON object: *doc (caller json_decref()s) on ITACTL_OK. With
 * raw, the answer is also printed as it came. */
static int call_json(const struct api_conn *c, const char *method, const char *path,
                     const char *query, const char *ctype, const void *body, size_t len, bool raw,
                     json_t **doc)
{
    struct https_response r;
    *doc = NULL;
    int rc = api_call(c, method, path, query, ctype, body, len, &r, stderr);
    if (rc != ITACTL_OK)
        return rc;
    if (raw)
        print_raw(&r);
    *doc = api_json(&r, stderr);
    https_response_free(&r);
    return *doc ? ITACTL_OK : ITACTL_SERVER_ERROR;
}

static int post_form(const struct api_conn *c, const char *path, const struct strbuf *form,
                     bool raw, json_t **doc)
{
    return call_json(c, "POST", path, NULL, FORM_TYPE, form->data, form->len, raw, doc);
}

/* A request about a's agency and year: year_params() as the query (GET) or the form (POST).
 * *doc as call_json, but NULL with --json (the answer was printed as it came), so the caller
 * renders it only when there is one. */
static int year_call(const struct api_conn *c, const struct admin_args *a, const char *method,
                     const char *path, json_t **doc)
{
    struct strbuf q;
    strbuf_init(&q);
    year_params(&q, a);
    bool post = !strcmp(method, "POST");
    int rc = call_json(c, method, path, post ? NULL : q.data, post ? FORM_TYPE : NULL,
                       post ? q.data : NULL, post ? q.len : 0, a->json, doc);
    strbuf_free(&q);
    if (a->json) {
        json_decref(*doc);
        *doc = NULL;
    }
    return rc;
}

/* A JSON value as text for a table cell: numbers, strings, yes/no; "-" for null or missing.
 * The result is valid while v lives (strings) or until buf is reused. */
static const char *txt(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%.2f", json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, n, "%s", json_is_true(v) ? "yes" : "no");
    else
        snprintf(buf, n, "-");
    return buf;
}

/* txt() of doc's member key. */
static const char *field(const json_t *doc, const char *key, char *buf, size_t n)
{
    return txt(json_object_get(doc, key), buf, n);
}

static void kv(const char *label, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kv(const char *label, const char *fmt, ...)
{
    printf("%-16s", label);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

/* ---- files ---- */

/* Reads path ("-" = standard input) whole into b (initialised here; the caller frees it). */
static int load_file(const char *path, struct strbuf *b)
{
    strbuf_init(b);
    bool is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "itactl: cannot read %s: %s\n", path, strerror(errno));
        return ITACTL_USAGE;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_append(b, chunk, n);
    bool bad = ferror(f) != 0;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        fprintf(stderr, "itactl: cannot read %s\n", path);
        return ITACTL_USAGE;
    }
    return ITACTL_OK;
}

/* GET path?query and save the answer's bytes as they came. r is always filled (empty on
 * failure); the caller frees it with https_response_free(). */
static int download(const struct api_conn *c, const char *path, const char *query,
                    const char *out_path, bool private, struct https_response *r)
{
    memset(r, 0, sizeof *r);
    struct outfile o;
    int rc = outfile_open(&o, out_path, private);
    if (rc != ITACTL_OK)
        return rc;
    rc = api_call(c, "GET", path, query, NULL, NULL, 0, r, stderr);
    if (rc != ITACTL_OK) {
        outfile_abort(&o);
        return rc;
    }
    return outfile_commit(&o, r->body, r->body_len);
}

/* Records in CSV text (quoted line breaks do not end a record). */
static size_t csv_records(const char *s, size_t len)
{
    size_t n = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == '\n' && !quoted)
            n++;
    }
    return n + (len > 0 && s[len - 1] != '\n' ? 1 : 0);
}

/* ---- lists of several pages ---- */

typedef void (*page_fn)(const json_t *doc, void *ctx);

/* GETs path?base&page=N from --page, or every page from 0 while next_page says so, calling each
 * for every page's document. */
static int fetch_pages(const struct api_conn *c, const struct admin_args *a, const char *path,
                       const char *base, page_fn each, void *ctx)
{
    long long page = a->opt[AO_PAGE] ? atoll(a->opt[AO_PAGE]) : 0;
    for (;;) {
        struct strbuf q;
        strbuf_init(&q);
        strbuf_printf(&q, "%s%spage=%lld", base, base[0] ? "&" : "", page);
        json_t *doc;
        int rc = call_json(c, "GET", path, q.data, NULL, NULL, 0, a->json, &doc);
        strbuf_free(&q);
        if (rc != ITACTL_OK)
            return rc;
        each(doc, ctx);
        const json_t *next = json_object_get(doc, "next_page");
        bool more = !a->opt[AO_PAGE] && json_is_integer(next) && json_integer_value(next) > page;
        if (more)
            page = json_integer_value(next);
        json_decref(doc);
        if (!more)
            return ITACTL_OK;
    }
}

/* ---- agencies ---- */

static void agency_rows(const json_t *doc, void *ctx)
{
    struct text_table *t = ctx;
    const json_t *list = json_object_get(doc, "agencies");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *ag = json_array_get(list, i);
        char b[5][32];
        const char *cells[5] = {field(ag, "id", b[0], 32), field(ag, "code", b[1], 32),
                                field(ag, "name_th", b[2], 32), field(ag, "kind", b[3], 32),
                                field(ag, "parent_code", b[4], 32)};
        text_table_add(t, cells);
    }
}

int op_agencies_list(const struct api_conn *c, const struct admin_args *a)
{
    static const char *const head[] = {"id", "code", "name", "kind", "parent"};
    static const bool right[] = {true, false, false, false, false};
    struct text_table t;
    text_table_init(&t, 5, head, right);
    int rc = fetch_pages(c, a, "/admin/agencies", "", agency_rows, &t);
    if (rc == ITACTL_OK && !a->json) {
        if (t.nrows > 0)
            text_table_print(&t, stdout);
        printf("%zu agenc%s\n", t.nrows, t.nrows == 1 ? "y" : "ies");
    }
    text_table_free(&t);
    return rc;
}

int op_agencies_import(const struct api_conn *c, const struct admin_args *a)
{
    struct strbuf body;
    int rc = load_file(a->file, &body);
    json_t *doc = NULL;
    if (rc == ITACTL_OK)
        rc = call_json(c, "POST", "/admin/agencies/import", NULL, "text/csv", body.data, body.len,
                       a->json, &doc);
    strbuf_free(&body);
    if (rc != ITACTL_OK || a->json) {
        json_decref(doc);
        return rc;
    }
    char b[4][32];
    printf("%s: %s rows in %s: %s new agencies, %s updated\n", a->file,
           field(doc, "rows", b[0], 32), field(doc, "encoding", b[1], 32),
           field(doc, "inserted", b[2], 32), field(doc, "updated", b[3], 32));
    json_decref(doc);
    return ITACTL_OK;
}

/* Past ITA results of many agencies from one CSV (a system administrator's token). */
int op_history_import(const struct api_conn *c, const struct admin_args *a)
{
    struct strbuf body;
    int rc = load_file(a->file, &body);
    json_t *doc = NULL;
    if (rc == ITACTL_OK)
        rc = call_json(c, "POST", "/admin/history/import", NULL, "text/csv", body.data, body.len,
                       a->json, &doc);
    strbuf_free(&body);
    if (rc != ITACTL_OK || a->json) {
        json_decref(doc);
        return rc;
    }
    char b[2][32];
    printf("%s: %s years of %s agencies imported\n", a->file, field(doc, "imported", b[0], 32),
           field(doc, "agencies", b[1], 32));
    json_decref(doc);
    return ITACTL_OK;
}

/* ---- fiscal year ---- */

static void print_year_link(const json_t *links, const char *instrument)
{
    const json_t *l = json_object_get(links, instrument);
    char label[16], b[2][32];
    snprintf(label, sizeof label, "%s link", instrument);
    if (!json_is_object(l))
        kv(label, "none");
    else
        kv(label, "id %s  %s", field(l, "id", b[0], 32), field(l, "url", b[1], 32));
}

/* A population, or "not entered" when the server has none (null). */
static const char *population(const json_t *doc, const char *key, char buf[32])
{
    return json_is_integer(json_object_get(doc, key)) ? field(doc, key, buf, 32) : "not entered";
}

static void print_year(const json_t *doc)
{
    const json_t *ag = json_object_get(doc, "agency");
    const json_t *min = json_object_get(doc, "min_sample");
    char b[8][32];
    kv("agency", "%s  %s (id %s)", field(ag, "code", b[0], 32), field(ag, "name_th", b[1], 32),
       field(ag, "id", b[2], 32));
    kv("fiscal year", "%s", field(doc, "fiscal_year", b[3], 32));
    kv("survey window", "%s to %s (Thailand time, closing day included)",
       field(doc, "opens_on", b[4], 32), field(doc, "closes_on", b[5], 32));
    kv("staff", "%s with at least a year of service; minimum IIT sample %s",
       population(doc, "staff_population", b[6]), field(min, "IIT", b[7], 32));
    kv("EIT population", "%s; minimum EIT sample %s", population(doc, "eit_population", b[0]),
       field(min, "EIT", b[1], 32));
    const json_t *links = json_object_get(doc, "links");
    print_year_link(links, "IIT");
    print_year_link(links, "EIT");
}

/* GETs path about a's year and renders the answer with print (with --json: as it came). */
static int year_get(const struct api_conn *c, const struct admin_args *a, const char *path,
                    void (*print)(const json_t *doc))
{
    json_t *doc;
    int rc = year_call(c, a, "GET", path, &doc);
    if (doc)
        print(doc);
    json_decref(doc);
    return rc;
}

int op_year_show(const struct api_conn *c, const struct admin_args *a)
{
    return year_get(c, a, "/admin/year", print_year);
}

/* The year's current populations ("" when not entered or the year is not set up yet): the
 * server stores what a save sends, so values not given on the command line are sent again. */
static void current_populations(const struct api_conn *c, const struct admin_args *a,
                                char staff[32], char eit[32])
{
    staff[0] = eit[0] = '\0';
    struct strbuf q;
    strbuf_init(&q);
    year_params(&q, a);
    struct https_response r;
    if (api_call(c, "GET", "/admin/year", q.data, NULL, NULL, 0, &r, NULL) == ITACTL_OK) {
        json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
        if (json_is_integer(json_object_get(doc, "staff_population")))
            (void)field(doc, "staff_population", staff, 32);
        if (json_is_integer(json_object_get(doc, "eit_population")))
            (void)field(doc, "eit_population", eit, 32);
        json_decref(doc);
        https_response_free(&r);
    }
    strbuf_free(&q);
}

int op_year_set(const struct api_conn *c, const struct admin_args *a)
{
    char staff[32], eit[32];
    if (!a->opt[AO_STAFF] || !a->opt[AO_EIT])
        current_populations(c, a, staff, eit);
    struct strbuf f;
    strbuf_init(&f);
    year_params(&f, a);
    api_param(&f, "opens_on", a->opt[AO_OPENS]);
    api_param(&f, "closes_on", a->opt[AO_CLOSES]);
    api_param(&f, "staff_population", a->opt[AO_STAFF] ? a->opt[AO_STAFF] : staff);
    api_param(&f, "eit_population", a->opt[AO_EIT] ? a->opt[AO_EIT] : eit);
    json_t *doc;
    int rc = post_form(c, "/admin/year", &f, a->json, &doc);
    strbuf_free(&f);
    if (rc == ITACTL_OK && !a->json)
        print_year(doc);
    json_decref(doc);
    return rc;
}

/* ---- contacts ---- */

int op_contacts_import(const struct api_conn *c, const struct admin_args *a)
{
    struct strbuf body, q;
    int rc = load_file(a->file, &body);
    strbuf_init(&q);
    year_params(&q, a);
    json_t *doc = NULL;
    if (rc == ITACTL_OK)
        rc = call_json(c, "POST", "/admin/contacts/import", q.data, "text/csv", body.data, body.len,
                       a->json, &doc);
    strbuf_free(&body);
    strbuf_free(&q);
    if (rc != ITACTL_OK || a->json) {
        json_decref(doc);
        return rc;
    }
    char b[6][32];
    printf("%s: %s rows in %s\n", a->file, field(doc, "rows", b[0], 32),
           field(doc, "encoding", b[1], 32));
    printf("  %-38s %8s\n", "imported", field(doc, "imported", b[2], 32));
    printf("  %-38s %8s\n", "already present", field(doc, "already_present", b[3], 32));
    printf("  %-38s %8s\n", "duplicates within the file",
           field(doc, "duplicates_in_file", b[4], 32));
    printf("  %-38s %8s\n", "left out: less than a year of service",
           field(doc, "left_out_short_service", b[5], 32));
    json_decref(doc);
    return ITACTL_OK;
}

struct contact_list {
    struct text_table table; /* the rows */
    char totals[96];         /* from the first page: "N contacts, M with a personal link" */
};

static void contact_rows(const json_t *doc, void *ctx)
{
    struct contact_list *cl = ctx;
    char b[8][32];
    if (!cl->totals[0])
        snprintf(cl->totals, sizeof cl->totals, "%s contacts, %s with a personal link",
                 field(doc, "total", b[0], 32), field(doc, "with_link", b[1], 32));
    const json_t *list = json_object_get(doc, "contacts");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *ct = json_array_get(list, i);
        const char *cells[6] = {field(ct, "id", b[2], 32),    field(ct, "name", b[3], 32),
                                field(ct, "unit", b[4], 32),  field(ct, "email", b[5], 32),
                                field(ct, "phone", b[6], 32), field(ct, "link_issued", b[7], 32)};
        text_table_add(&cl->table, cells);
    }
}

int op_contacts_list(const struct api_conn *c, const struct admin_args *a)
{
    static const char *const head[] = {"id", "name", "unit", "e-mail", "phone", "link"};
    static const bool right[] = {true, false, false, false, false, false};
    struct contact_list cl = {.totals = ""};
    text_table_init(&cl.table, 6, head, right);
    struct strbuf q;
    strbuf_init(&q);
    year_params(&q, a);
    int rc = fetch_pages(c, a, "/admin/contacts", q.data, contact_rows, &cl);
    strbuf_free(&q);
    if (rc == ITACTL_OK && !a->json) {
        if (cl.table.nrows > 0)
            text_table_print(&cl.table, stdout);
        printf("%s\n", cl.totals);
    }
    text_table_free(&cl.table);
    return rc;
}

int op_contacts_purge(const struct api_conn *c, const struct admin_args *a)
{
    json_t *doc;
    int rc = year_call(c, a, "POST", "/admin/contacts/purge", &doc);
    if (doc) {
        char b[32];
        printf("purged %s contacts of fiscal year %s; responses are untouched\n",
               field(doc, "purged", b, sizeof b), a->opt[AO_FY]);
    }
    json_decref(doc);
    return rc;
}

/* ---- links ---- */

int op_links_issue(const struct api_conn *c, const struct admin_args *a)
{
    json_t *doc;
    int rc = year_call(c, a, "POST", "/admin/links/issue", &doc);
    if (doc) {
        char b[2][32];
        printf("issued %s new personal %s links; %s contacts of the list have one\n",
               field(doc, "issued", b[0], 32), a->opt[AO_INSTRUMENT],
               field(doc, "with_link", b[1], 32));
    }
    json_decref(doc);
    return rc;
}

int op_mail_send(const struct api_conn *c, const struct admin_args *a)
{
    json_t *doc;
    int rc = year_call(c, a, "POST", "/admin/mail/send", &doc);
    if (doc) {
        char b[32];
        printf("queued %s invitations of the %s list; the server sends them itself\n",
               field(doc, "queued", b, sizeof b), a->opt[AO_INSTRUMENT]);
    }
    json_decref(doc);
    return rc;
}

static void print_mail(const json_t *doc)
{
    char b[32];
    const json_t *n = json_object_get(doc, "counts");
    kv("delivery", "%s", field(doc, "delivery", b, sizeof b));
    static const char *const keys[] = {"contacts", "with_email", "with_link", "unsent",
                                       "queued",   "sent",       "failed",    "answered"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        kv(keys[i], "%s", field(n, keys[i], b, sizeof b));
    const json_t *r;
    size_t i;
    json_array_foreach(json_object_get(doc, "reminders"), i, r)
    {
        char d[32], st[32], sent[32], failed[32];
        printf("reminder %zu: %s %s, sent %s, refused %s\n", i + 1, field(r, "send_on", d, 32),
               field(r, "state", st, 32), field(r, "sent", sent, 32),
               field(r, "failed", failed, 32));
    }
    json_array_foreach(json_object_get(doc, "failed"), i, r)
    {
        char name[256], email[256], reply[512];
        printf("refused: %s <%s>: %s\n", field(r, "name", name, sizeof name),
               field(r, "email", email, sizeof email), field(r, "reply", reply, sizeof reply));
    }
}

int op_mail_status(const struct api_conn *c, const struct admin_args *a)
{
    return year_get(c, a, "/admin/mail", print_mail);
}

int op_links_export(const struct api_conn *c, const struct admin_args *a)
{
    struct strbuf q;
    strbuf_init(&q);
    year_params(&q, a);
    struct https_response r;
    const char *out = a->opt[AO_OUTPUT];
    int rc = download(c, "/admin/links/mailmerge", q.data, out, true, &r);
    strbuf_free(&q);
    if (rc == ITACTL_OK) {
        size_t records = csv_records(r.body, r.body_len);
        bool to_stdout = !strcmp(out, "-");
        fprintf(to_stdout ? stderr : stdout, "wrote %zu contacts (%zu bytes) to %s\n",
                records > 0 ? records - 1 : 0, r.body_len, to_stdout ? "standard output" : out);
    }
    https_response_free(&r);
    return rc;
}

int op_links_reissue(const struct api_conn *c, const struct admin_args *a)
{
    struct strbuf f;
    strbuf_init(&f);
    api_param(&f, "contact", a->opt[AO_CONTACT]);
    json_t *doc;
    int rc = post_form(c, "/admin/links/reissue", &f, a->json, &doc);
    strbuf_free(&f);
    if (rc == ITACTL_OK && !a->json) {
        char b[2][32];
        printf("contact %s has a new personal link: %s\nthe old link no longer works\n",
               field(doc, "contact", b[0], 32), field(doc, "url", b[1], 32));
    }
    json_decref(doc);
    return rc;
}

/* ---- progress ---- */

static void progress_row(struct text_table *t, const char *inst, const json_t *p)
{
    const json_t *pl = json_object_get(p, "personal_links");
    char b[6][32];
    const char *cells[7] = {inst,
                            field(p, "responses", b[0], 32),
                            field(p, "min_sample", b[1], 32),
                            field(p, "reached", b[2], 32),
                            field(p, "waiting", b[5], 32),
                            field(pl, "issued", b[3], 32),
                            field(pl, "spent", b[4], 32)};
    text_table_add(t, cells);
}

static void progress_days(struct text_table *t, const char *inst, const json_t *p, const char *k)
{
    const json_t *days = json_object_get(p, "by_day");
    for (size_t i = 0; i < json_array_size(days); i++) {
        const json_t *d = json_array_get(days, i);
        char b[2][32], few[48];
        const char *n = field(d, "responses", b[1], 32);
        if (json_is_true(json_object_get(d, "fewer_than_k")) ||
            json_is_null(json_object_get(d, "responses"))) {
            snprintf(few, sizeof few, "fewer than %s", k);
            n = few;
        }
        const char *cells[3] = {field(d, "day", b[0], 32), inst, n};
        text_table_add(t, cells);
    }
}

static void print_progress(const json_t *doc)
{
    static const char *const head[] = {"instrument",   "counted",      "minimum sample", "reached",
                                       "some waiting", "links issued", "links spent"};
    static const bool right[] = {false, true, true, false, false, true, true};
    static const char *const dhead[] = {"day", "instrument", "responses"};
    static const bool dright[] = {false, false, true};
    static const char *const inst[] = {"IIT", "EIT"};
    char b[2][32];
    const char *k = field(doc, "k", b[1], 32);
    printf("fiscal year %s; responses are counted in groups of at least %s (the rest when the "
           "window closes); days are the days groups were counted, and days with fewer than %s "
           "are not shown\n",
           field(doc, "fiscal_year", b[0], 32), k, k);
    const json_t *all = json_object_get(doc, "instruments");
    struct text_table t, d;
    text_table_init(&t, 7, head, right);
    text_table_init(&d, 3, dhead, dright);
    for (size_t i = 0; i < 2; i++) {
        const json_t *p = json_object_get(all, inst[i]);
        if (!json_is_object(p))
            continue;
        progress_row(&t, inst[i], p);
        progress_days(&d, inst[i], p, k);
    }
    text_table_print(&t, stdout);
    if (d.nrows > 0) {
        fputc('\n', stdout);
        text_table_print(&d, stdout);
    }
    text_table_free(&t);
    text_table_free(&d);
}

int op_progress(const struct api_conn *c, const struct admin_args *a)
{
    return year_get(c, a, "/admin/progress", print_progress);
}

/* ---- QR codes and posters ---- */

int op_fetch_qr(const struct api_conn *c, const struct admin_args *a)
{
    struct strbuf q;
    strbuf_init(&q);
    api_param(&q, "link", a->opt[AO_LINK]);
    api_param(&q, "format", a->opt[AO_FORMAT]);
    struct https_response r;
    const char *out = a->opt[AO_OUTPUT];
    int rc = download(c, "/admin/qr", q.data, out, false, &r);
    strbuf_free(&q);
    if (rc == ITACTL_OK && strcmp(out, "-") != 0)
        printf("wrote %s of link %s (%zu bytes) to %s\n", a->opt[AO_FORMAT], a->opt[AO_LINK],
               r.body_len, out);
    https_response_free(&r);
    return rc;
}
