/* Administrator pages and API for results: an agency's scores with the OIT entry form
 * (/admin/results), saving OIT marks (/admin/oit), the printable Thai report and its draft
 * improvement measures (/admin/report, /admin/measures), aggregate and per-question exports with
 * their signed manifests (/admin/export, /admin/export-manifest, /admin/export-key).
 *
 * Every query carries the administrator's scope, so another agency's id answers 404 like a
 * missing one. Scoring, rendering, hashing and signing run on the CPU pool (struct rjob owns
 * copies of everything it reads); the event loop only moves rows and bytes. Every export is
 * written to audit_log, with its manifest, before the file is sent: no log row, no file. */
#include "admin/admin_session.h"
#include "results_handlers.h"
#include "results_sql.h"
#include "cpu_pool.h"
#include "digest.h"
#include "net/http.h"
#include "log.h"
#include "survey/pages.h"
#include "results_manifest.h"
#include "results_model.h"
#include "results_page.h"
#include "server.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum rview { RV_PAGE, RV_REPORT, RV_EXPORT };

/* The CPU part of a results request: owns its inputs and outputs (see cpu_pool.h). */
struct rjob {
    struct http_request *req;      /* NULL once the request is gone */
    struct cpu_job *handle;        /* NULL until submitted */
    enum rview view;
    int k_min;
    bool questions, json;          /* export: per-question file; JSON instead of CSV */
    char *doc;                     /* instrument version document (JSON) */
    int revision;
    char vsha[65];                 /* its SHA-256 */
    struct results_agency *ag;     /* rows of the data statement */
    size_t n_ag;
    char *prev_doc;                /* report: previous year's version, or NULL */
    struct results_agency *prev;   /* its rows (0 or 1) */
    size_t n_prev;
    char *measures_json;           /* report: draft measures */
    char csrf[40];                 /* forms on the page and report */
    char scope[96];                /* export: "all" or the agency code */
    char email[256];               /* who exports */
    char filename[160];
    /* results */
    int rc;                        /* 0 ok, -1 failed (err) */
    char err[300];
    struct strbuf body;
    char *manifest;                /* export: signed manifest */
    char file_sha[65];
    uint64_t responses[ITA_N_SURVEYS];
};

/* The handler's state, in the request arena. */
struct rreq {
    const struct admin_user *u;
    enum rview view;
    int step;                      /* which statement the next callback answers */
    long year, agency;             /* agency 0: all in scope (exports only) */
    char year_s[24], prev_s[24], agency_s[24], sys[8], own[16], uid[16];
    struct rjob *job;
};

enum { ST_VERSION, ST_DATA, ST_MEASURES, ST_PREV_VERSION, ST_PREV_DATA, ST_AUDIT };

static void rjob_free(struct rjob *j)
{
    free(j->doc);
    free(j->prev_doc);
    for (size_t i = 0; i < j->n_ag; i++)
        results_agency_clear(&j->ag[i]);
    free(j->ag);
    for (size_t i = 0; i < j->n_prev; i++)
        results_agency_clear(&j->prev[i]);
    free(j->prev);
    free(j->measures_json);
    strbuf_free(&j->body);
    free(j->manifest);
    free(j);
}

static int k_min_of(const struct http_request *req)
{
    int k = req->worker->srv->cfg.results_min_responses;
    return k > 0 ? k : RESULTS_K_MIN_DEFAULT;
}

static void fail_json_or_text(struct http_request *req, const struct admin_user *u, int status,
                              const char *msg)
{
    if (u && u->api)
        admin_send_json_error(req, status, msg);
    else
        http_respond_error(req, status, msg);
}

static void unavailable(struct http_request *req)
{
    http_respond_unavailable(req, "database unavailable");
}

/* ---- the CPU part ---- */

static char *copy_value(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return xstrndup(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

/* Copies the data statement's rows (see STMT_RES_DATA) into agencies. */
static int copy_rows(const PGresult *r, struct results_agency **out, size_t *n, char *err, size_t errlen)
{
    int rows = PQntuples(r);
    *out = xcalloc(rows ? (size_t)rows : 1, sizeof **out);
    *n = 0;
    for (int i = 0; i < rows; i++) {
        struct results_agency *a = &(*out)[(*n)++];
        a->id = atoi(PQgetvalue(r, i, 0));
        a->code = copy_value(r, i, 1);
        a->name_th = copy_value(r, i, 2);
        a->responses[ITA_IIT] = strtoull(PQgetvalue(r, i, 3), NULL, 10);
        a->tally[ITA_IIT] = copy_value(r, i, 4);
        a->responses[ITA_EIT] = strtoull(PQgetvalue(r, i, 5), NULL, 10);
        a->tally[ITA_EIT] = copy_value(r, i, 6);
        a->population[ITA_IIT] = strtol(PQgetvalue(r, i, 7), NULL, 10);
        a->population[ITA_EIT] = strtol(PQgetvalue(r, i, 8), NULL, 10);
        char *e = NULL;
        if (results_parse_oit(a, PQgetisnull(r, i, 9) ? NULL : PQgetvalue(r, i, 9), &e) != 0) {
            snprintf(err, errlen, "%s", e);
            free(e);
            return -1;
        }
        a->digest_rows = strtoull(PQgetvalue(r, i, 10), NULL, 10);
        for (int k = 0; k < 4; k++)
            a->digest_sum[k] = copy_value(r, i, 11 + k);
    }
    return 0;
}

static struct ita_version *load_version(const char *doc, char *err, size_t errlen)
{
    char *e = NULL;
    struct ita_version *v = ita_version_load_string(doc, strlen(doc), "stored version", &e);
    if (!v) {
        snprintf(err, errlen, "%s", e);
        free(e);
    }
    return v;
}

static int compute_all(const struct ita_version *v, struct results_agency *a, size_t n, int k_min,
                       char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        char *e = NULL;
        if (results_compute(v, &a[i], k_min, &e) != 0) {
            snprintf(err, errlen, "agency %s: %s", a[i].code, e);
            free(e);
            return -1;
        }
    }
    return 0;
}

static void export_run(struct rjob *j, const struct ita_version *v)
{
    uint64_t rows;
    char digest[65];
    if (results_response_digest(j->ag, j->n_ag, &rows, digest) != 0) {
        snprintf(j->err, sizeof j->err, "malformed response digest");
        j->rc = -1;
        return;
    }
    for (size_t i = 0; i < j->n_ag; i++)
        for (int k = 0; k < ITA_N_SURVEYS; k++)
            j->responses[k] += j->ag[i].responses[k];
    if (rows != j->responses[ITA_IIT] + j->responses[ITA_EIT]) {
        /* one snapshot serves both, so this is a broken invariant of the SQL, not a race */
        snprintf(j->err, sizeof j->err, "response count %llu differs from the digest's %llu",
                 (unsigned long long)(j->responses[0] + j->responses[1]), (unsigned long long)rows);
        j->rc = -1;
        return;
    }
    if (j->questions && j->json)
        results_write_questions_json(&j->body, v, &j->ag[0]);
    else if (j->questions)
        results_write_questions_csv(&j->body, v, &j->ag[0]);
    else if (j->json)
        results_write_aggregates_json(&j->body, v, j->ag, j->n_ag, j->k_min);
    else
        results_write_aggregates_csv(&j->body, v, j->ag, j->n_ag, j->k_min);
    snprintf(j->filename, sizeof j->filename, "ita-%d-%s-%s.%s", v->fiscal_year, j->scope,
             j->questions ? "questions" : "aggregates", j->json ? "json" : "csv");
    for (char *p = j->filename; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            *p = '_';
    sha256_hex(j->body.data, j->body.len, j->file_sha);
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct results_manifest_in mi = {
        .kind = j->questions ? "questions" : "aggregates",
        .format = j->json ? "json" : "csv",
        .filename = j->filename,
        .file = j->body.data,
        .file_len = j->body.len,
        .v = v,
        .revision = j->revision,
        .version_sha256 = j->vsha,
        .scope = j->scope,
        .agencies = j->n_ag,
        .responses = {j->responses[0], j->responses[1]},
        .digest_rows = rows,
        .digest = digest,
        .k_min = j->k_min,
        .generated_by = j->email,
        .generated_at = when,
    };
    j->manifest = results_manifest_make(&mi);
    if (!j->manifest) {
        snprintf(j->err, sizeof j->err, "no signing key");
        j->rc = -1;
    }
}

static void rjob_run(void *arg)
{
    struct rjob *j = arg;
    struct ita_version *v = NULL, *pv = NULL;
    struct results_measure *m = NULL;
    size_t nm = 0;
    j->rc = -1;
    v = load_version(j->doc, j->err, sizeof j->err);
    if (!v || compute_all(v, j->ag, j->n_ag, j->k_min, j->err, sizeof j->err) != 0)
        goto out;
    switch (j->view) {
    case RV_PAGE:
        results_page_scores(&j->body, v, &j->ag[0], j->k_min, j->csrf);
        break;
    case RV_REPORT:
        if (j->prev_doc && j->n_prev == 1) {
            pv = load_version(j->prev_doc, j->err, sizeof j->err);
            if (!pv || compute_all(pv, j->prev, j->n_prev, j->k_min, j->err, sizeof j->err) != 0)
                goto out;
        }
        m = results_measures_parse(j->measures_json, &nm);
        struct results_report_in in = {
            .v = v, .a = &j->ag[0], .prev_v = pv, .prev = pv ? &j->prev[0] : NULL,
            .measures = m, .n_measures = nm, .k_min = j->k_min, .csrf = j->csrf[0] ? j->csrf : NULL,
        };
        results_report(&j->body, &in);
        break;
    case RV_EXPORT:
        j->rc = 0;
        export_run(j, v);
        goto out;
    }
    j->rc = 0;
out:
    results_measures_free(m, nm);
    ita_version_free(pv);
    ita_version_free(v);
}

static void send_export(struct http_request *req, struct rreq *rq, const char *audit_id);

static void rjob_done(void *arg, bool cancelled)
{
    struct rjob *j = arg;
    struct http_request *req = j->req;
    if (cancelled || !req) {
        rjob_free(j);
        return;
    }
    req->on_gone = NULL;
    struct rreq *rq = req->handler_state;
    j->handle = NULL;
    if (j->rc != 0) {
        log_error("event=results_failed w=%d error=\"%s\"", req->worker->id, j->err);
        fail_json_or_text(req, rq->u, 500, "the results could not be computed");
        rq->job = NULL;
        rjob_free(j);
        return;
    }
    if (rq->view == RV_EXPORT) {
        send_export(req, rq, NULL);
        return;
    }
    if (rq->view == RV_REPORT) {
        http_add_header(req, "Content-Security-Policy", results_report_csp());
        http_add_header(req, "Referrer-Policy", "same-origin");
        http_respond(req, 200, "text/html; charset=utf-8", j->body.data, j->body.len);
    } else if (rq->u->api) {
        /* programs get the agency's figures as the aggregates JSON */
        http_respond(req, 200, "application/json; charset=utf-8", j->body.data, j->body.len);
    } else {
        struct strbuf p;
        strbuf_init(&p);
        admin_page_begin(&p, req, rq->u, j->ag[0].name_th);
        strbuf_append(&p, j->body.data, j->body.len);
        pages_finish(&p);
        admin_send_page(req, 200, &p);
    }
    rq->job = NULL;
    rjob_free(j);
}

static void rjob_gone(struct http_request *req)
{
    struct rreq *rq = req->handler_state;
    struct rjob *j = rq ? rq->job : NULL;
    if (!j)
        return;
    rq->job = NULL;
    if (j->handle) {
        j->req = NULL;
        cpu_job_cancel(j->handle);
    } else {
        rjob_free(j);
    }
}

/* ---- the database steps ---- */

static void step(struct http_request *req, const struct db_result *r);

static void exec(struct http_request *req, struct rreq *rq, int st, const struct db_statement *stmt,
                 const char *const *p)
{
    rq->step = st;
    http_db(req, stmt, p, NULL, step);
}

static void query_data(struct http_request *req, struct rreq *rq, const char *year, int st)
{
    const char *p[4] = {year, rq->sys, rq->own, rq->agency > 0 ? rq->agency_s : NULL};
    exec(req, rq, st, &sql_res_data, p);
}

static void submit_job(struct http_request *req, struct rreq *rq)
{
    struct rjob *j = rq->job;
    j->handle = cpu_job_submit(req->worker->srv->cpu, req->worker->base, rjob_run, rjob_done, j);
    if (!j->handle) {
        fail_json_or_text(req, rq->u, 503, "server busy, try again");
        rq->job = NULL;
        rjob_free(j);
    }
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct rreq *rq = req->handler_state;
    struct rjob *j = rq->job;
    if (!r->ok) {
        log_error("event=results_db_error w=%d step=%d error=\"%s\"", req->worker->id, rq->step,
                  r->error ? r->error : "");
        unavailable(req);
        return;
    }
    switch (rq->step) {
    case ST_VERSION:
        if (PQntuples(r->res) != 1) {
            fail_json_or_text(req, rq->u, 404, "no instrument version for this fiscal year");
            return;
        }
        j->revision = atoi(PQgetvalue(r->res, 0, 0));
        j->doc = copy_value(r->res, 0, 1);
        snprintf(j->vsha, sizeof j->vsha, "%s", PQgetvalue(r->res, 0, 2));
        query_data(req, rq, rq->year_s, ST_DATA);
        return;
    case ST_DATA:
        if (copy_rows(r->res, &j->ag, &j->n_ag, j->err, sizeof j->err) != 0) {
            log_error("event=results_bad_row w=%d error=\"%s\"", req->worker->id, j->err);
            fail_json_or_text(req, rq->u, 500, "unreadable results row");
            return;
        }
        if (rq->agency > 0 && j->n_ag != 1) {
            fail_json_or_text(req, rq->u, 404, "no such agency");
            return;
        }
        if (j->n_ag > 0)
            snprintf(j->scope, sizeof j->scope, "%s", rq->agency > 0 ? j->ag[0].code : "all");
        if (rq->view == RV_REPORT) {
            const char *p[4] = {rq->agency_s, rq->year_s, rq->sys, rq->own};
            exec(req, rq, ST_MEASURES, &sql_res_measures, p);
            return;
        }
        submit_job(req, rq);
        return;
    case ST_MEASURES: {
        j->measures_json = copy_value(r->res, 0, 0);
        const char *p[1] = {rq->prev_s};
        exec(req, rq, ST_PREV_VERSION, &sql_res_version, p);
        return;
    }
    case ST_PREV_VERSION:
        if (PQntuples(r->res) != 1) {
            submit_job(req, rq);
            return;
        }
        j->prev_doc = copy_value(r->res, 0, 1);
        query_data(req, rq, rq->prev_s, ST_PREV_DATA);
        return;
    case ST_PREV_DATA:
        if (copy_rows(r->res, &j->prev, &j->n_prev, j->err, sizeof j->err) != 0) {
            fail_json_or_text(req, rq->u, 500, "unreadable results row");
            return;
        }
        /* a previous year with no responses and no OIT is no comparison */
        if (j->n_prev == 1 && j->prev[0].responses[0] + j->prev[0].responses[1] == 0 &&
            j->prev[0].n_oit == 0)
            j->n_prev = 0, results_agency_clear(&j->prev[0]);
        submit_job(req, rq);
        return;
    case ST_AUDIT:
        send_export(req, rq, PQntuples(r->res) == 1 ? PQgetvalue(r->res, 0, 0) : NULL);
        return;
    }
    abort();
}

/* Export: first logs it (with the manifest) in audit_log, then sends the file. */
static void send_export(struct http_request *req, struct rreq *rq, const char *audit_id)
{
    struct rjob *j = rq->job;
    if (!audit_id) {
        char bytes[24], n[24];
        snprintf(bytes, sizeof bytes, "%zu", j->body.len);
        snprintf(n, sizeof n, "%zu", j->n_ag);
        const char *action = j->questions ? "export_questions" : "export_aggregates";
        const char *p[11] = {rq->uid, action, rq->agency > 0 ? rq->agency_s : NULL, rq->year_s,
                             j->json ? "json" : "csv", j->scope, j->file_sha, bytes, n,
                             j->manifest, j->filename};
        rq->step = ST_AUDIT;
        if (!http_db(req, &sql_res_audit, p, NULL, step)) {
            rq->job = NULL;
            rjob_free(j);
        }
        return;
    }
    log_info("event=export w=%d user=%d audit=%s kind=%s scope=%s bytes=%zu", req->worker->id,
             rq->u->id, audit_id, j->questions ? "questions" : "aggregates", j->scope, j->body.len);
    char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", j->filename);
    http_add_header(req, "Content-Disposition", disp);
    http_add_header(req, "X-ITA-Export-Id", audit_id);
    http_add_header(req, "X-ITA-File-SHA256", j->file_sha);
    http_respond(req, 200, j->json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
                 j->body.data, j->body.len);
    rq->job = NULL;
    rjob_free(j);
}

/* ---- entry points ---- */

static struct rreq *rreq_new(struct http_request *req, const struct admin_user *u, enum rview view)
{
    struct rreq *rq = arena_alloc(&req->arena, sizeof *rq);
    memset(rq, 0, sizeof *rq);
    rq->u = u;
    rq->view = view;
    admin_scope(u, rq->sys, rq->own);
    snprintf(rq->uid, sizeof rq->uid, "%d", u->id);
    req->handler_state = rq;
    return rq;
}

/* Reads year (required) and agency (required unless allow_all) from the query. */
static bool read_target(struct http_request *req, struct rreq *rq, bool allow_all)
{
    rq->year = admin_query_int(req, "year");
    rq->agency = admin_query_int(req, "agency");
    if (rq->year < 2500 || rq->year > 2700 || (!allow_all && rq->agency <= 0)) {
        fail_json_or_text(req, rq->u, 400, allow_all ? "use ?year=YYYY[&agency=ID]"
                                                     : "use ?agency=ID&year=YYYY");
        return false;
    }
    if (rq->agency < 0)
        rq->agency = 0;
    snprintf(rq->year_s, sizeof rq->year_s, "%ld", rq->year);
    snprintf(rq->prev_s, sizeof rq->prev_s, "%ld", rq->year - 1);
    snprintf(rq->agency_s, sizeof rq->agency_s, "%ld", rq->agency);
    return true;
}

static void start(struct http_request *req, struct rreq *rq)
{
    struct rjob *j = xcalloc(1, sizeof *j);
    j->req = req;
    j->view = rq->view;
    j->k_min = k_min_of(req);
    strbuf_init(&j->body);
    snprintf(j->email, sizeof j->email, "%s", rq->u->email);
    if (!rq->u->api && rq->view != RV_EXPORT)
        admin_csrf_token(req, rq->u, j->csrf);
    rq->job = j;
    req->on_gone = rjob_gone;
    const char *p[1] = {rq->year_s};
    exec(req, rq, ST_VERSION, &sql_res_version, p);
}

void admin_results(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = rreq_new(req, u, RV_PAGE);
    if (!read_target(req, rq, false))
        return;
    start(req, rq);
    if (u->api && rq->job) {
        /* the same figures as an export, for one agency, not logged as an export */
        rq->job->view = RV_EXPORT;
        rq->job->json = true;
    }
}

void admin_report(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = rreq_new(req, u, RV_REPORT);
    if (read_target(req, rq, false))
        start(req, rq);
}

void admin_export(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = rreq_new(req, u, RV_EXPORT);
    if (!read_target(req, rq, true))
        return;
    const char *format = admin_query_str(req, "format");
    const char *kind = admin_query_str(req, "kind");
    bool json = format && strcmp(format, "json") == 0;
    bool questions = kind && strcmp(kind, "questions") == 0;
    if ((format && !json && strcmp(format, "csv") != 0) ||
        (kind && !questions && strcmp(kind, "aggregates") != 0) || (questions && rq->agency <= 0)) {
        fail_json_or_text(req, u, 400, "use ?year=YYYY[&agency=ID][&format=csv|json]"
                                       "[&kind=aggregates|questions (one agency)]");
        return;
    }
    start(req, rq);
    if (rq->job) {
        rq->job->json = json;
        rq->job->questions = questions;
    }
}

/* ---- manifests and the public key ---- */

static void manifest_done(struct http_request *req, const struct db_result *r)
{
    struct rreq *rq = req->handler_state;
    if (!r->ok) {
        unavailable(req);
        return;
    }
    if (PQntuples(r->res) != 1 || PQgetisnull(r->res, 0, 0)) {
        fail_json_or_text(req, rq->u, 404, "no such export");
        return;
    }
    char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s.manifest.json\"", PQgetvalue(r->res, 0, 1));
    http_add_header(req, "Content-Disposition", disp);
    http_respond(req, 200, "application/json; charset=utf-8", PQgetvalue(r->res, 0, 0),
                 (size_t)PQgetlength(r->res, 0, 0));
}

void admin_export_manifest(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = rreq_new(req, u, RV_EXPORT);
    long id = admin_query_int(req, "id");
    if (id <= 0) {
        fail_json_or_text(req, u, 400, "use ?id=EXPORT_ID (the X-ITA-Export-Id of the export)");
        return;
    }
    char ids[24];
    snprintf(ids, sizeof ids, "%ld", id);
    const char *p[3] = {ids, rq->sys, rq->own};
    http_db(req, &sql_res_manifest, p, NULL, manifest_done);
}

void admin_export_key(struct http_request *req, const struct admin_user *u)
{
    char body[128];
    int n = snprintf(body, sizeof body, "%s\n", results_public_key_hex());
    http_respond(req, 200, "text/plain; charset=utf-8", body, (size_t)n);
}

/* ---- saving OIT marks ---- */

/* Appends a PostgreSQL text[] literal element (quoted, backslash-escaped). */
static void pg_array_item(struct strbuf *b, const char *s)
{
    strbuf_puts(b, b->len > 1 ? ",\"" : "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_append(b, "\\", 1);
        strbuf_append(b, s, 1);
    }
    strbuf_puts(b, "\"");
}

static bool valid_url(const char *u)
{
    if (!*u)
        return true;
    if (strlen(u) > 2000 || (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0))
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= ' ')
            return false;
    return true;
}

struct oit_save {
    const struct admin_user *u;
    long agency, year;
    char agency_s[16], year_s[16], sys[8], own[16], uid[16];
    const struct form_data *form;  /* the posted form (read before handler_state is ours) */
};

static void oit_saved(struct http_request *req, const struct db_result *r)
{
    struct oit_save *s = req->handler_state;
    if (!r->ok) {
        if (r->sqlstate && strncmp(r->sqlstate, "23", 2) == 0)
            fail_json_or_text(req, s->u, 422, "an entry was refused by the database checks");
        else
            unavailable(req);
        return;
    }
    if (PQntuples(r->res) != 1 || PQgetvalue(r->res, 0, 0)[0] != 't') {
        fail_json_or_text(req, s->u, 404, "no such agency");
        return;
    }
    if (s->u->api) {
        json_t *doc = json_pack("{s:i, s:i, s:s, s:s}", "agency", (int)s->agency, "fiscal_year",
                                (int)s->year, "saved", PQgetvalue(r->res, 0, 1), "cleared",
                                PQgetvalue(r->res, 0, 2));
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char loc[96];
    snprintf(loc, sizeof loc, "/admin/results?agency=%ld&year=%ld", s->agency, s->year);
    http_add_header(req, "Location", loc);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void oit_version(struct http_request *req, const struct db_result *r)
{
    struct oit_save *s = req->handler_state;
    if (!r->ok) {
        unavailable(req);
        return;
    }
    if (PQntuples(r->res) != 1) {
        fail_json_or_text(req, s->u, 404, "no instrument version for this fiscal year");
        return;
    }
    char err[300];
    struct ita_version *v = load_version(PQgetvalue(r->res, 0, 1), err, sizeof err);
    if (!v) {
        fail_json_or_text(req, s->u, 500, "the stored instrument version cannot be read");
        return;
    }
    const struct form_data *f = s->form;
    struct strbuf codes, mets, urls, notes;
    strbuf_init(&codes);
    strbuf_init(&mets);
    strbuf_init(&urls);
    strbuf_init(&notes);
    strbuf_puts(&codes, "{");
    strbuf_puts(&mets, "{");
    strbuf_puts(&urls, "{");
    strbuf_puts(&notes, "{");
    const char *bad = NULL;
    size_t n = 0;
    for (size_t i = 0; f && i < v->n_oit_items && !bad; i++) {
        const char *code = v->oit_items[i].code;
        char name[32];
        snprintf(name, sizeof name, "met_%s", code);
        const char *met = form_get(f, name);
        if (!met)
            continue; /* items not in the form are left as they are */
        snprintf(name, sizeof name, "url_%s", code);
        const char *url = form_get(f, name);
        snprintf(name, sizeof name, "note_%s", code);
        const char *note = form_get(f, name);
        url = url ? url : "";
        note = note ? note : "";
        if (strcmp(met, "") && strcmp(met, "1") && strcmp(met, "0"))
            bad = "met_ITEM must be 1 (met), 0 (not met) or empty (not assessed)";
        else if (!valid_url(url))
            bad = "the evidence URL must start with http:// or https:// and have no spaces";
        else if (strlen(note) > 2000)
            bad = "a note may hold at most 2000 bytes";
        pg_array_item(&codes, code);
        pg_array_item(&mets, !strcmp(met, "1") ? "t" : !strcmp(met, "0") ? "f" : "");
        pg_array_item(&urls, url);
        pg_array_item(&notes, note);
        n++;
    }
    /* a field naming an item the year does not have is an error, not silently ignored */
    for (size_t i = 0; f && i < f->n && !bad; i++)
        if (strncmp(f->pairs[i].name, "met_", 4) == 0 && !ita_version_find_oit_item(v, f->pairs[i].name + 4))
            bad = "unknown OIT item (fiscal year's items are O1 to O43)";
    ita_version_free(v);
    strbuf_puts(&codes, "}");
    strbuf_puts(&mets, "}");
    strbuf_puts(&urls, "}");
    strbuf_puts(&notes, "}");
    if (bad || n == 0) {
        fail_json_or_text(req, s->u, bad ? 422 : 400, bad ? bad : "no OIT item in the form (met_O1=1 ...)");
    } else {
        const char *p[9] = {s->agency_s, s->sys, s->own, s->year_s, codes.data, mets.data,
                            urls.data, notes.data, s->uid};
        http_db(req, &sql_res_oit_save, p, NULL, oit_saved);
    }
    strbuf_free(&codes);
    strbuf_free(&mets);
    strbuf_free(&urls);
    strbuf_free(&notes);
}

/* Reads agency and year from the posted form (f) into the numbers and their text. */
static bool form_target(const struct form_data *f, long *agency, long *year, char *agency_s, char *year_s)
{
    const char *a = f ? form_get(f, "agency") : NULL, *y = f ? form_get(f, "year") : NULL;
    if (!a || !y || !*a || !*y || strlen(a) > 9 || strlen(y) != 4 ||
        strspn(a, "0123456789") != strlen(a) || strspn(y, "0123456789") != 4)
        return false;
    *agency = strtol(a, NULL, 10);
    *year = strtol(y, NULL, 10);
    snprintf(agency_s, 16, "%ld", *agency);
    snprintf(year_s, 16, "%ld", *year);
    return *agency > 0 && *year >= 2500 && *year <= 2700;
}

void admin_oit(struct http_request *req, const struct admin_user *u)
{
    struct oit_save *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    s->form = admin_form(req); /* admin_form reads the admin state: before it is replaced */
    req->handler_state = s;
    admin_scope(u, s->sys, s->own);
    snprintf(s->uid, sizeof s->uid, "%d", u->id);
    if (!form_target(s->form, &s->agency, &s->year, s->agency_s, s->year_s)) {
        fail_json_or_text(req, u, 400, "the form needs agency=ID and year=YYYY");
        return;
    }
    const char *p[1] = {s->year_s};
    http_db(req, &sql_res_version, p, NULL, oit_version);
}

/* ---- saving the draft improvement measures ---- */

static void measures_saved(struct http_request *req, const struct db_result *r)
{
    struct oit_save *s = req->handler_state;
    if (!r->ok) {
        if (r->sqlstate && strncmp(r->sqlstate, "23", 2) == 0)
            fail_json_or_text(req, s->u, 422, "a measure was refused by the database checks");
        else
            unavailable(req);
        return;
    }
    if (PQntuples(r->res) != 1 || PQgetvalue(r->res, 0, 0)[0] != 't') {
        fail_json_or_text(req, s->u, 404, "no such agency");
        return;
    }
    if (s->u->api) {
        json_t *doc = json_pack("{s:s}", "saved", PQgetvalue(r->res, 0, 1));
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char loc[96];
    snprintf(loc, sizeof loc, "/admin/report?agency=%ld&year=%ld", s->agency, s->year);
    http_add_header(req, "Location", loc);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

void admin_measures(struct http_request *req, const struct admin_user *u)
{
    struct oit_save *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    s->form = admin_form(req); /* admin_form reads the admin state: before it is replaced */
    req->handler_state = s;
    admin_scope(u, s->sys, s->own);
    snprintf(s->uid, sizeof s->uid, "%d", u->id);
    const struct form_data *f = s->form;
    if (!form_target(f, &s->agency, &s->year, s->agency_s, s->year_s)) {
        fail_json_or_text(req, u, 400, "the form needs agency=ID and year=YYYY");
        return;
    }
    static const char *const names[5] = {"measure", "method", "responsible", "period", "follow_up"};
    static const size_t max_len[5] = {2000, 2000, 500, 500, 2000};
    struct strbuf col[5];
    for (int k = 0; k < 5; k++) {
        strbuf_init(&col[k]);
        strbuf_puts(&col[k], "{");
    }
    const char *bad = NULL;
    for (int i = 1; i <= RESULTS_MAX_MEASURES && !bad; i++) {
        const char *v[5];
        for (int k = 0; k < 5; k++) {
            char name[32];
            snprintf(name, sizeof name, "%s_%d", names[k], i);
            v[k] = form_get(f, name);
            v[k] = v[k] ? v[k] : "";
            if (strlen(v[k]) > max_len[k])
                bad = "a cell of the measures table is too long";
        }
        if (!v[0][0])
            continue; /* an empty measure drops its row */
        for (int k = 0; k < 5; k++)
            pg_array_item(&col[k], v[k]);
    }
    for (int k = 0; k < 5; k++)
        strbuf_puts(&col[k], "}");
    if (bad) {
        fail_json_or_text(req, u, 422, bad);
    } else {
        const char *p[10] = {s->agency_s, s->sys, s->own, s->year_s, col[0].data, col[1].data,
                             col[2].data, col[3].data, col[4].data, s->uid};
        http_db(req, &sql_res_measures_save, p, NULL, measures_saved);
    }
    for (int k = 0; k < 5; k++)
        strbuf_free(&col[k]);
}

