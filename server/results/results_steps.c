/* The data steps of the results pages, report and exports (see results_job.h): the handler's
 * state, the statements in turn through one step function, the rows copied into the job, and the
 * job's CPU part (scores computed, then the view or export written) through app/req_job.h.
 *
 * Every query carries the administrator's scope, so another agency's id answers 404 like a
 * missing one. The job owns copies of everything it reads; the event loop only moves rows and
 * bytes. */
#include "results_handlers.h"
#include "results_job.h"
#include "results_sql.h"
#include "o42_sql.h"
#include "app/page_frame.h"
#include "app/req_job.h"
#include "db/db_row.h"
#include "log.h"
#include "server.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void results_fail(struct http_request *req, const struct admin_user *u, int status, const char *msg)
{
    if (u && u->api) {
        admin_send_json_error(req, status, msg);
        return;
    }
    /* a person in a browser: a Thai page; the browser's back button returns to the form with
     * what was typed still there */
    struct strbuf p;
    strbuf_init(&p);
    page_frame_begin(&p, "ทำรายการไม่สำเร็จ");
    strbuf_puts(&p, "<div class=\"es\" role=\"alert\"><p>");
    strbuf_html_escape(&p, msg);
    strbuf_puts(&p, "</p></div>\n<p>ยังไม่ได้บันทึกสิ่งใดจากคำขอนี้ กดปุ่มย้อนกลับของเบราว์เซอร์เพื่อกลับไปแก้ไข "
                    "(ข้อมูลที่กรอกไว้ยังอยู่ในแบบฟอร์ม)</p>\n"
                    "<p><a href=\"/admin/\">ไปหน้าแรกของผู้ดูแล</a></p>\n");
    page_frame_finish(&p);
    admin_send_page(req, status, &p);
}

struct ita_version *results_load_version(const char *doc, char *err, size_t errlen)
{
    char *e = NULL;
    struct ita_version *v = ita_version_load_string(doc, strlen(doc), "stored version", &e);
    if (!v) {
        snprintf(err, errlen, "%s", e);
        free(e);
    }
    return v;
}

/* ---- the job ---- */

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
    free(j->texts_json);
    free(j->next_doc);
    free(j->form_error);
    free(j->history);
    strbuf_free(&j->body);
    free(j->manifest);
    free(j);
}

/* The request is freed: so is its job, unless the CPU pool has it (req_job frees it then). */
static void results_gone(struct http_request *req)
{
    struct rreq *rq = req->handler_state;
    if (rq && rq->job)
        rjob_free(rq->job);
}

/* req_job's free: a job handed back to the request (kept) is freed with the request. */
static void rjob_release(void *data)
{
    struct rjob *j = data;
    if (!j->kept)
        rjob_free(j);
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

/* On the CPU pool: scores of every row, then the page, report or export. */
static void rjob_work(void *data)
{
    struct rjob *j = data;
    struct ita_version *v = NULL, *pv = NULL;
    j->rc = -1;
    v = results_load_version(j->doc, j->err, sizeof j->err);
    if (!v || compute_all(v, j->ag, j->n_ag, j->k_min, j->err, sizeof j->err) != 0)
        goto out;
    if (j->view == RV_EXPORT) {
        j->rc = 0;
        results_export_run(j, v);
        goto out;
    }
    if (j->view == RV_REPORT && j->prev_doc && j->n_prev == 1) {
        pv = results_load_version(j->prev_doc, j->err, sizeof j->err);
        if (!pv || compute_all(pv, j->prev, j->n_prev, j->k_min, j->err, sizeof j->err) != 0)
            goto out;
    }
    results_render(j, v, pv);
    j->rc = 0;
out:
    ita_version_free(pv);
    ita_version_free(v);
}

/* Back on the loop: the job returns to the request, which answers. */
static void rjob_finish(struct http_request *req, void *data)
{
    struct rjob *j = data;
    struct rreq *rq = req->handler_state;
    j->kept = true;
    rq->job = j;
    req->on_gone = results_gone;
    if (j->rc != 0) {
        log_error("event=results_failed w=%d error=\"%s\"", req->worker->id, j->err);
        results_fail(req, rq->u, 500, "คำนวณผลไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
    } else if (rq->view == RV_EXPORT) {
        results_send_export(req, rq, NULL);
    } else {
        results_send_view(req, rq);
    }
}

static void results_busy(struct http_request *req)
{
    struct rreq *rq = req->handler_state;
    results_fail(req, rq->u, 503, "ระบบกำลังทำงานหนัก กรุณาลองใหม่อีกครั้งในอีกสักครู่");
}

static void submit_job(struct http_request *req, struct rreq *rq)
{
    struct rjob *j = rq->job;
    rq->job = NULL; /* req_job owns it until rjob_finish */
    req->on_gone = NULL;
    req_job_start_or(req, j, rjob_work, rjob_finish, rjob_release, results_busy);
}

/* ---- the rows ---- */

static char *copy_value(const PGresult *r, int row, int col)
{
    if (db_null(r, row, col))
        return NULL;
    return xstrndup(db_text(r, row, col), (size_t)db_len(r, row, col));
}

/* Copies the data statement's rows (sql_res_data) into agencies. */
static int copy_rows(const PGresult *r, struct results_agency **out, size_t *n, char *err,
                     size_t errlen)
{
    int rows = PQntuples(r);
    *out = xcalloc(rows ? (size_t)rows : 1, sizeof **out);
    *n = 0;
    for (int i = 0; i < rows; i++) {
        struct results_agency *a = &(*out)[(*n)++];
        a->id = (int)db_int(r, i, RES_DATA_ID);
        a->code = copy_value(r, i, RES_DATA_CODE);
        a->name_th = copy_value(r, i, RES_DATA_NAME_TH);
        a->responses[ITA_IIT] = (uint64_t)db_int(r, i, RES_DATA_IIT_RESPONSES);
        a->tally[ITA_IIT] = copy_value(r, i, RES_DATA_IIT_COUNTS);
        a->responses[ITA_EIT] = (uint64_t)db_int(r, i, RES_DATA_EIT_RESPONSES);
        a->tally[ITA_EIT] = copy_value(r, i, RES_DATA_EIT_COUNTS);
        a->sealed[ITA_IIT] = db_bool(r, i, RES_DATA_IIT_SEALED);
        a->sealed[ITA_EIT] = db_bool(r, i, RES_DATA_EIT_SEALED);
        a->last_day = copy_value(r, i, RES_DATA_LAST_DAY);
        a->population[ITA_IIT] = (long)db_int(r, i, RES_DATA_STAFF_POPULATION);
        a->population[ITA_EIT] = (long)db_int(r, i, RES_DATA_EIT_POPULATION);
        char *e = NULL;
        if (results_parse_oit(a, db_null(r, i, RES_DATA_OIT) ? NULL : db_text(r, i, RES_DATA_OIT),
                              &e) != 0) {
            snprintf(err, errlen, "%s", e);
            free(e);
            return -1;
        }
        a->digest_rows = (uint64_t)db_int(r, i, RES_DATA_DIGEST_ROWS);
        for (int k = 0; k < 4; k++)
            a->digest_sum[k] = copy_value(r, i, RES_DATA_DIGEST_S1 + k);
    }
    return 0;
}

/* ---- the statements in turn ---- */

static void step(struct http_request *req, const struct db_result *r);

void results_exec(struct http_request *req, struct rreq *rq, enum rstate st,
                  const struct db_statement *stmt, const char *const *p)
{
    rq->step = st;
    http_db(req, stmt, p, NULL, step);
}

static void exec_version(struct http_request *req, struct rreq *rq, const char *year,
                         enum rstate st)
{
    const char *p[RES_VERSION_NPARAMS];
    p[RES_VERSION_P_YEAR] = year;
    results_exec(req, rq, st, &sql_res_version, p);
}

static void exec_data(struct http_request *req, struct rreq *rq, const char *year, enum rstate st)
{
    const char *p[RES_DATA_NPARAMS];
    p[RES_DATA_P_YEAR] = year;
    p[RES_DATA_P_SYSTEM] = rq->sys;
    p[RES_DATA_P_OWN] = rq->own;
    p[RES_DATA_P_AGENCY] = rq->agency > 0 ? rq->agency_s : NULL;
    snprintf(rq->k_s, sizeof rq->k_s, "%d", req->worker->srv->cfg.results_min_responses);
    p[RES_DATA_P_K] = rq->k_s;
    results_exec(req, rq, st, &sql_res_data, p);
}

static void exec_measures(struct http_request *req, struct rreq *rq)
{
    const char *p[RES_MEASURES_NPARAMS];
    p[RES_MEASURES_P_AGENCY] = rq->agency_s;
    p[RES_MEASURES_P_YEAR] = rq->year_s;
    p[RES_MEASURES_P_SYSTEM] = rq->sys;
    p[RES_MEASURES_P_OWN] = rq->own;
    results_exec(req, rq, ST_MEASURES, &sql_res_measures, p);
}

static void exec_history(struct http_request *req, struct rreq *rq)
{
    const char *p[RES_HISTORY_NPARAMS];
    p[RES_HISTORY_P_AGENCY] = rq->agency_s;
    p[RES_HISTORY_P_SYSTEM] = rq->sys;
    p[RES_HISTORY_P_OWN] = rq->own;
    p[RES_HISTORY_P_YEAR] = rq->year_s;
    results_exec(req, rq, ST_HISTORY, &sql_res_history, p);
}

static void exec_texts(struct http_request *req, struct rreq *rq)
{
    const char *p[O42_TX_NPARAMS];
    p[O42_TX_P_AGENCY] = rq->agency_s;
    p[O42_TX_P_YEAR] = rq->year_s;
    p[O42_TX_P_SYSTEM] = rq->sys;
    p[O42_TX_P_OWN] = rq->own;
    results_exec(req, rq, ST_TEXTS, &sql_o42_texts, p);
}

/* Copies the history statement's rows into the job. */
static void copy_history(const PGresult *r, struct rjob *j)
{
    int rows = PQntuples(r);
    j->history = xcalloc(rows ? (size_t)rows : 1, sizeof *j->history);
    j->n_history = 0;
    for (int i = 0; i < rows; i++) {
        struct results_history_row *h = &j->history[j->n_history++];
        h->year = (int)db_int(r, i, RES_HISTORY_YEAR);
        h->total = strtod(db_text(r, i, RES_HISTORY_TOTAL), NULL);
        snprintf(h->rating, sizeof h->rating, "%s", db_text(r, i, RES_HISTORY_RATING));
        snprintf(h->source, sizeof h->source, "%s", db_text(r, i, RES_HISTORY_SOURCE));
    }
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct rreq *rq = req->handler_state;
    struct rjob *j = rq->job;
    if (!r->ok) {
        log_error("event=results_db_error w=%d step=%d error=\"%s\"", req->worker->id,
                  (int)rq->step, r->error ? r->error : "");
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    switch (rq->step) {
    case ST_VERSION:
        if (PQntuples(r->res) != 1 && rq->view == RV_REPORT) {
            /* a past year only stored as a result: its O42 report (o42_routes.c) */
            rjob_free(j);
            rq->job = NULL;
            req->on_gone = NULL;
            o42_report_stored(req, rq->u, rq->agency, rq->year, rq->posted_texts, rq->form_error);
            return;
        }
        if (PQntuples(r->res) != 1) {
            results_fail(req, rq->u, 404, "ยังไม่มีแบบวัดของปีงบประมาณนี้ในระบบ");
            return;
        }
        j->revision = (int)db_int(r->res, 0, RES_VERSION_REVISION);
        j->doc = copy_value(r->res, 0, RES_VERSION_DOCUMENT);
        snprintf(j->vsha, sizeof j->vsha, "%s", db_text(r->res, 0, RES_VERSION_SHA256));
        j->unverified = (long)db_int(r->res, 0, RES_VERSION_UNVERIFIED);
        exec_data(req, rq, rq->year_s, ST_DATA);
        return;
    case ST_DATA:
        if (copy_rows(r->res, &j->ag, &j->n_ag, j->err, sizeof j->err) != 0) {
            log_error("event=results_bad_row w=%d error=\"%s\"", req->worker->id, j->err);
            results_fail(req, rq->u, 500, "อ่านข้อมูลผลไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
            return;
        }
        if (rq->agency > 0 && j->n_ag != 1) {
            results_fail(req, rq->u, 404, "ไม่พบหน่วยงานนี้");
            return;
        }
        if (j->n_ag > 0)
            snprintf(j->scope, sizeof j->scope, "%s", rq->agency > 0 ? j->ag[0].code : "all");
        if (rq->view != RV_EXPORT && j->view != RV_EXPORT)
            exec_history(req, rq);
        else
            submit_job(req, rq);
        return;
    case ST_HISTORY:
        copy_history(r->res, j);
        if (rq->view == RV_REPORT)
            exec_measures(req, rq);
        else
            submit_job(req, rq);
        return;
    case ST_MEASURES:
        j->measures_json = copy_value(r->res, 0, RES_MEASURES_JSON);
        exec_texts(req, rq);
        return;
    case ST_TEXTS:
        if (rq->posted_texts) {
            j->texts_json = xstrdup(rq->posted_texts);
            j->form_error = xstrdup(rq->form_error);
        } else if (PQntuples(r->res) == 1) {
            j->texts_json = copy_value(r->res, 0, O42_TX_TEXTS);
        }
        if (PQntuples(r->res) == 1) {
            j->next_doc = copy_value(r->res, 0, O42_TX_NEXT_VERSION);
        }
        exec_version(req, rq, rq->prev_s, ST_PREV_VERSION);
        return;
    case ST_PREV_VERSION:
        if (PQntuples(r->res) != 1) {
            submit_job(req, rq);
            return;
        }
        j->prev_doc = copy_value(r->res, 0, RES_VERSION_DOCUMENT);
        exec_data(req, rq, rq->prev_s, ST_PREV_DATA);
        return;
    case ST_PREV_DATA:
        if (copy_rows(r->res, &j->prev, &j->n_prev, j->err, sizeof j->err) != 0) {
            results_fail(req, rq->u, 500, "อ่านข้อมูลผลไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
            return;
        }
        /* a previous year with no responses and no OIT is no comparison */
        if (j->n_prev == 1 && j->prev[0].responses[0] + j->prev[0].responses[1] == 0 &&
            j->prev[0].n_oit == 0)
            j->n_prev = 0, results_agency_clear(&j->prev[0]);
        submit_job(req, rq);
        return;
    case ST_AUDIT:
        results_send_export(req, rq,
                            PQntuples(r->res) == 1 ? db_text(r->res, 0, RES_AUDIT_ID) : NULL);
        return;
    }
    abort();
}

/* ---- entry ---- */

struct rreq *results_rreq_new(struct http_request *req, const struct admin_user *u, enum rview view)
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

bool results_read_target(struct http_request *req, struct rreq *rq, bool allow_all)
{
    rq->year = admin_query_int(req, "year");
    rq->agency = admin_query_int(req, "agency");
    if (rq->year < 2500 || rq->year > 2700 || (!allow_all && rq->agency <= 0)) {
        results_fail(req, rq->u, 400,
                     allow_all ? "ที่อยู่ไม่ถูกต้อง: ใช้ ?year=ปีงบประมาณ[&agency=รหัส]"
                               : "ที่อยู่ไม่ถูกต้อง: ใช้ ?agency=รหัส&year=ปีงบประมาณ");
        return false;
    }
    if (rq->agency < 0)
        rq->agency = 0;
    snprintf(rq->year_s, sizeof rq->year_s, "%ld", rq->year);
    snprintf(rq->prev_s, sizeof rq->prev_s, "%ld", rq->year - 1);
    snprintf(rq->agency_s, sizeof rq->agency_s, "%ld", rq->agency);
    return true;
}

void results_start(struct http_request *req, struct rreq *rq, enum rview job_view, bool json,
                   bool questions)
{
    struct rjob *j = xcalloc(1, sizeof *j);
    j->view = job_view;
    j->json = json;
    j->questions = questions;
    j->thai = rq->thai;
    j->k_min = req->worker->srv->cfg.results_min_responses; /* the one k of results/ */
    strbuf_init(&j->body);
    snprintf(j->email, sizeof j->email, "%s", rq->u->email);
    if (!rq->u->api && rq->view != RV_EXPORT)
        admin_csrf_token(req, rq->u, j->csrf);
    rq->job = j;
    req->on_gone = results_gone;
    exec_version(req, rq, rq->year_s, ST_VERSION);
}

int results_copy_rows(const PGresult *r, struct results_agency **out, size_t *n, char *err,
                      size_t errlen)
{
    return copy_rows(r, out, n, err, errlen);
}
