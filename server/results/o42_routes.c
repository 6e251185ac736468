/* The O42 report as files (/admin/report.pdf and /admin/report.docx, ?agency=&year=) and the save
 * of its editable texts (/admin/report/texts, the form on /admin/report).
 *
 * A download: the report's inputs in one statement (scoped: another agency answers 404 like a
 * missing one), then, when the year has an instrument version, the year's responses and OIT marks
 * (results' own data statement) so that a result the system computes can be used; then on the CPU
 * pool the versions parsed, the scores computed, the document built (o42_doc.h) and written by
 * doc/'s PDF or DOCX writer. Which result the report shows: the system's when it is rated (every
 * minimum met); else the stored one (agency_result: entered, imported or published) when there is
 * one; else the system's preliminary figures. */
#include "doc_docx.h"
#include "doc_pdf.h"
#include "o42_doc.h"
#include "o42_sql.h"
#include "o42_texts.h"
#include "results_page.h"
#include "results_handlers.h"
#include "results_job.h"
#include "results_sql.h"
#include "app/req_job.h"
#include "db/db_row.h"
#include "log.h"
#include "server.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PDF, DOCX, or the report page of a year only stored as a past result (HTML with its forms) */
enum o42_format { O42_PDF, O42_DOCX, O42_HTML };
enum o42_state { O42_ST_INPUTS, O42_ST_DATA };

/* The CPU part: owns copies of everything it reads. */
struct o42_job {
    enum o42_format format;
    int year, k_min;
    bool kept;        /* back with the request after the CPU pool */
    int agency_id;    /* HTML: the forms' agency */
    char csrf[40];    /* HTML: the forms' token */
    char *form_error; /* HTML: why the posted texts were refused, or NULL */
    char *posted;     /* HTML: the posted texts shown instead of the stored ones, or NULL */
    char *name_th, *code;
    bool has_version, stored;
    char *version, *next_version;
    char *total, *iit, *eit, *oit, *indicators, *rating;
    char *texts, *assignments, *measures, *history;
    struct results_agency *ag; /* the year's computed rows (0 or 1) */
    size_t n_ag;
    /* results */
    int rc;
    char err[300];
    struct strbuf out;
};

struct o42_req {
    const struct admin_user *u;
    enum o42_state step;
    enum o42_format format;
    long year, agency;
    char year_s[16], agency_s[16], sys[8], own[16], k_s[16];
    struct o42_job *job;
};

static char *dup_col(const PGresult *r, int col)
{
    return db_null(r, 0, col) ? NULL : xstrndup(db_text(r, 0, col), (size_t)db_len(r, 0, col));
}

static void o42_job_free(struct o42_job *j)
{
    if (!j)
        return;
    char **s[] = {&j->name_th, &j->code,        &j->version,  &j->next_version, &j->total,
                  &j->iit,     &j->eit,         &j->oit,      &j->indicators,   &j->rating,
                  &j->texts,   &j->assignments, &j->measures, &j->history};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(*s[i]);
    for (size_t i = 0; i < j->n_ag; i++)
        results_agency_clear(&j->ag[i]);
    free(j->ag);
    free(j->form_error);
    free(j->posted);
    strbuf_free(&j->out);
    free(j);
}

static void o42_gone(struct http_request *req)
{
    struct o42_req *rq = req->handler_state;
    if (rq && rq->job)
        o42_job_free(rq->job);
}

/* ---- on the CPU pool ---- */

static struct ita_value num_value(const char *s)
{
    if (!s || !*s)
        return (struct ita_value){0, false};
    return (struct ita_value){strtod(s, NULL), true};
}

/* PostgreSQL numeric[] text "{94.56,88.13,...}" into ten values (all undefined when absent). */
static void parse_indicators(const char *s, struct ita_value out[ITA_N_INDICATORS])
{
    memset(out, 0, sizeof(struct ita_value) * ITA_N_INDICATORS);
    if (!s || *s != '{')
        return;
    const char *p = s + 1;
    for (int k = 0; k < ITA_N_INDICATORS && *p && *p != '}'; k++) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return;
        out[k] = (struct ita_value){v, true};
        p = end + (*end == ',');
    }
}

static struct results_history_row *parse_history(const char *json, size_t *n)
{
    *n = 0;
    json_t *root = json ? json_loads(json, 0, NULL) : NULL;
    size_t len = json_is_array(root) ? json_array_size(root) : 0;
    struct results_history_row *h = xcalloc(len ? len : 1, sizeof *h);
    for (size_t i = 0; i < len; i++) {
        json_t *o = json_array_get(root, i);
        h[i].year = (int)json_integer_value(json_object_get(o, "year"));
        const char *t = json_string_value(json_object_get(o, "total"));
        h[i].total = t ? strtod(t, NULL) : 0;
        const char *r = json_string_value(json_object_get(o, "rating"));
        snprintf(h[i].rating, sizeof h[i].rating, "%s", r ? r : "");
        const char *s = json_string_value(json_object_get(o, "source"));
        snprintf(h[i].source, sizeof h[i].source, "%s", s ? s : "");
        (*n)++;
    }
    json_decref(root);
    return h;
}

static struct o42_assignment *parse_assignments(const char *json, size_t *n)
{
    *n = 0;
    json_t *root = json ? json_loads(json, 0, NULL) : NULL;
    size_t len = json_is_array(root) ? json_array_size(root) : 0;
    struct o42_assignment *a = xcalloc(len ? len : 1, sizeof *a);
    for (size_t i = 0; i < len; i++) {
        json_t *o = json_array_get(root, i);
        const char *item = json_string_value(json_object_get(o, "item"));
        const char *unit = json_string_value(json_object_get(o, "unit"));
        if (!item || !unit)
            continue;
        a[*n].item_code = xstrdup(item);
        a[*n].unit = xstrdup(unit);
        (*n)++;
    }
    json_decref(root);
    return a;
}

static void o42_work(void *data)
{
    struct o42_job *j = data;
    struct ita_version *v = NULL, *nv = NULL;
    struct results_history_row *hist = NULL;
    struct o42_assignment *asg = NULL;
    struct results_measure *ms = NULL;
    struct o42_texts texts;
    size_t n_hist = 0, n_asg = 0, n_ms = 0;
    struct doc *d = NULL;
    memset(&texts, 0, sizeof texts);
    j->rc = -1;
    v = results_load_version(j->version, j->err, sizeof j->err);
    if (!v)
        goto out;
    if (j->next_version && !(nv = results_load_version(j->next_version, j->err, sizeof j->err)))
        goto out;
    struct o42_in in = {.v = v, .year = j->year, .agency_name = j->name_th, .next_v = nv};
    bool computed = false;
    if (j->has_version && j->n_ag == 1) {
        char *e = NULL;
        if (results_compute(v, &j->ag[0], j->k_min, &e) != 0) {
            snprintf(j->err, sizeof j->err, "%s", e);
            free(e);
            goto out;
        }
        const struct results_agency *a = &j->ag[0];
        bool any = a->responses[ITA_IIT] + a->responses[ITA_EIT] > 0 || a->n_oit > 0;
        computed = a->rated || (!j->stored && any);
    }
    if (computed) {
        o42_figures_computed(&in.fig, j->ag[0].res, j->ag[0].rated);
    } else if (j->stored) {
        struct ita_value tool[ITA_N_INSTRUMENTS] = {num_value(j->iit), num_value(j->eit),
                                                    num_value(j->oit)};
        struct ita_value ind[ITA_N_INDICATORS];
        parse_indicators(j->indicators, ind);
        o42_figures_stored(&in.fig, &v->rules, strtod(j->total, NULL), tool, ind, j->rating);
    }
    hist = parse_history(j->history, &n_hist);
    asg = parse_assignments(j->assignments, &n_asg);
    ms = results_measures_parse(j->measures, &n_ms);
    o42_texts_parse(&texts, j->posted ? j->posted : j->texts);
    in.history = hist;
    in.n_history = n_hist;
    in.assignments = asg;
    in.n_assignments = n_asg;
    in.measures = ms;
    in.n_measures = n_ms;
    in.texts = &texts;
    d = o42_build(&in);
    if (j->format == O42_HTML) {
        results_report_open(&j->out, j->name_th, j->agency_id, j->year, true);
        results_report_error(&j->out, j->form_error, "texts-form");
        o42_doc_html(&j->out, d);
        if (j->csrf[0]) {
            results_measures_form(&j->out, ms, n_ms, j->agency_id, j->year, j->csrf);
            o42_texts_form(&j->out, &in, j->agency_id, j->csrf, j->form_error);
        }
        results_report_close(&j->out, "ผลของปีนี้เป็นผลที่บันทึกไว้ในหน้าผลการประเมินย้อนหลัง "
                                      "(กรอกหรือนำเข้า) ไม่มีคะแนนรายข้อในระบบ");
        j->rc = 0;
        goto out;
    }
    char *e = NULL;
    int rc = j->format == O42_PDF ? doc_write_pdf(d, &j->out, &e) : doc_write_docx(d, &j->out, &e);
    if (rc != 0) {
        snprintf(j->err, sizeof j->err, "%s", e ? e : "writer failed");
        free(e);
        goto out;
    }
    j->rc = 0;
out:
    doc_free(d);
    o42_texts_clear(&texts);
    results_measures_free(ms, n_ms);
    for (size_t i = 0; i < n_asg; i++) {
        free(asg[i].item_code);
        free(asg[i].unit);
    }
    free(asg);
    free(hist);
    ita_version_free(nv);
    ita_version_free(v);
}

/* ---- back on the loop ---- */

static void o42_finish(struct http_request *req, void *data)
{
    struct o42_job *j = data;
    struct o42_req *rq = req->handler_state;
    j->kept = true;
    rq->job = j; /* freed with the request */
    req->on_gone = o42_gone;
    if (j->rc == 0 && j->format == O42_HTML) {
        http_add_header(req, "Content-Security-Policy", results_report_csp());
        http_add_header(req, "Referrer-Policy", "same-origin");
        http_respond(req, j->form_error ? 422 : 200, "text/html; charset=utf-8", j->out.data,
                     j->out.len);
        return;
    }
    if (j->rc != 0) {
        log_error("event=o42_failed w=%d error=\"%s\"", req->worker->id, j->err);
        results_fail(req, rq->u, 500, "จัดทำไฟล์รายงานไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    /* an ASCII name: ita-o42-2565-<agency code>.pdf */
    char code[64];
    snprintf(code, sizeof code, "%s", j->code ? j->code : "agency");
    results_safe_filename(code);
    char disp[160];
    snprintf(disp, sizeof disp, "attachment; filename=\"ita-o42-%d-%s.%s\"", j->year, code,
             j->format == O42_PDF ? "pdf" : "docx");
    http_add_header(req, "Content-Disposition", disp);
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, 200,
                 j->format == O42_PDF
                     ? "application/pdf"
                     : "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 j->out.data, j->out.len);
}

/* req_job's free: a job handed back to the request (kept) is freed with the request. */
static void o42_release(void *data)
{
    struct o42_job *j = data;
    if (!j->kept)
        o42_job_free(j);
}

static void o42_busy(struct http_request *req)
{
    struct o42_req *rq = req->handler_state;
    results_fail(req, rq->u, 503, "ระบบกำลังทำงานหนัก กรุณาลองใหม่อีกครั้งในอีกสักครู่");
}

static void o42_submit(struct http_request *req, struct o42_req *rq)
{
    struct o42_job *j = rq->job;
    rq->job = NULL;
    req->on_gone = NULL;
    req_job_start_or(req, j, o42_work, o42_finish, o42_release, o42_busy);
}

static void o42_step(struct http_request *req, const struct db_result *r)
{
    struct o42_req *rq = req->handler_state;
    struct o42_job *j = rq->job;
    if (!r->ok) {
        log_error("event=o42_db_error w=%d step=%d error=\"%s\"", req->worker->id, (int)rq->step,
                  r->error ? r->error : "");
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    const PGresult *res = r->res;
    if (rq->step == O42_ST_INPUTS) {
        if (PQntuples(res) != 1) {
            results_fail(req, rq->u, 404, "ไม่พบหน่วยงานนี้");
            return;
        }
        if (rq->format == O42_HTML && !db_bool(res, 0, O42_IN_STORED)) {
            results_fail(req, rq->u, 404, "ยังไม่มีแบบวัดของปีงบประมาณนี้ในระบบ");
            return;
        }
        if (db_null(res, 0, O42_IN_VERSION)) {
            results_fail(req, rq->u, 404, "ยังไม่มีแบบวัดของปีงบประมาณนี้หรือปีถัดไปในระบบ");
            return;
        }
        j->name_th = dup_col(res, O42_IN_NAME_TH);
        j->code = dup_col(res, O42_IN_CODE);
        j->has_version = db_bool(res, 0, O42_IN_HAS_VERSION);
        j->version = dup_col(res, O42_IN_VERSION);
        j->next_version = dup_col(res, O42_IN_NEXT_VERSION);
        j->stored = db_bool(res, 0, O42_IN_STORED);
        j->total = dup_col(res, O42_IN_TOTAL);
        j->iit = dup_col(res, O42_IN_IIT);
        j->eit = dup_col(res, O42_IN_EIT);
        j->oit = dup_col(res, O42_IN_OIT);
        j->indicators = dup_col(res, O42_IN_INDICATORS);
        j->rating = dup_col(res, O42_IN_RATING);
        j->texts = dup_col(res, O42_IN_TEXTS);
        j->assignments = dup_col(res, O42_IN_ASSIGNMENTS);
        j->measures = dup_col(res, O42_IN_MEASURES);
        j->history = dup_col(res, O42_IN_HISTORY);
        j->agency_id = (int)db_int(res, 0, O42_IN_ID);
        if (!j->has_version) {
            o42_submit(req, rq);
            return;
        }
        const char *p[RES_DATA_NPARAMS];
        p[RES_DATA_P_YEAR] = rq->year_s;
        p[RES_DATA_P_SYSTEM] = rq->sys;
        p[RES_DATA_P_OWN] = rq->own;
        p[RES_DATA_P_AGENCY] = rq->agency_s;
        snprintf(rq->k_s, sizeof rq->k_s, "%d", j->k_min);
        p[RES_DATA_P_K] = rq->k_s;
        rq->step = O42_ST_DATA;
        http_db(req, &sql_res_data, p, NULL, o42_step);
        return;
    }
    if (results_copy_rows(res, &j->ag, &j->n_ag, j->err, sizeof j->err) != 0) {
        log_error("event=o42_bad_row w=%d error=\"%s\"", req->worker->id, j->err);
        results_fail(req, rq->u, 500, "อ่านข้อมูลผลไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    o42_submit(req, rq);
}

static void o42_start(struct http_request *req, const struct admin_user *u, enum o42_format format,
                      long agency, long year, const char *posted, const char *form_error)
{
    struct o42_req *rq = arena_alloc(&req->arena, sizeof *rq);
    memset(rq, 0, sizeof *rq);
    rq->u = u;
    rq->format = format;
    req->handler_state = rq;
    admin_scope(u, rq->sys, rq->own);
    rq->year = year;
    rq->agency = agency;
    snprintf(rq->year_s, sizeof rq->year_s, "%ld", rq->year);
    snprintf(rq->agency_s, sizeof rq->agency_s, "%ld", rq->agency);
    struct o42_job *j = xcalloc(1, sizeof *j);
    j->format = format;
    j->year = (int)rq->year;
    j->k_min = req->worker->srv->cfg.results_min_responses;
    strbuf_init(&j->out);
    if (format == O42_HTML && !u->api)
        admin_csrf_token(req, u, j->csrf);
    j->posted = posted ? xstrdup(posted) : NULL;
    j->form_error = form_error ? xstrdup(form_error) : NULL;
    rq->job = j;
    req->on_gone = o42_gone;
    const char *p[O42_IN_NPARAMS];
    p[O42_IN_P_YEAR] = rq->year_s;
    p[O42_IN_P_AGENCY] = rq->agency_s;
    p[O42_IN_P_SYSTEM] = rq->sys;
    p[O42_IN_P_OWN] = rq->own;
    rq->step = O42_ST_INPUTS;
    http_db(req, &sql_o42_inputs, p, NULL, o42_step);
}

static void o42_download(struct http_request *req, const struct admin_user *u,
                         enum o42_format format)
{
    long year = admin_query_int(req, "year"), agency = admin_query_int(req, "agency");
    if (year < 2557 || year > 2700 || agency <= 0) {
        results_fail(req, u, 400, "ที่อยู่ไม่ถูกต้อง: ใช้ ?agency=รหัส&year=ปีงบประมาณ");
        return;
    }
    o42_start(req, u, format, agency, year, NULL, NULL);
}

void o42_report_stored(struct http_request *req, const struct admin_user *u, long agency, long year,
                       const char *posted_texts, const char *form_error)
{
    o42_start(req, u, O42_HTML, agency, year, posted_texts, form_error);
}

void admin_report_pdf(struct http_request *req, const struct admin_user *u)
{
    o42_download(req, u, O42_PDF);
}

void admin_report_docx(struct http_request *req, const struct admin_user *u)
{
    o42_download(req, u, O42_DOCX);
}
