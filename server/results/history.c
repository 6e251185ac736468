/* Past ITA results of an agency (issue #16): the page /admin/history listing the years on record
 * with a form to add or edit one year (checked by core/result_import.h, refused fields shown in
 * Thai beside the field with the typed values kept, 422), deleting one year after a confirmation
 * page, a CSV upload of many years for one agency (/admin/history/upload) and, for system
 * administrators, one CSV for many agencies (/admin/history/import), both all-or-nothing, the
 * CSV template (/admin/history/template), and freezing this system's own final result of a year
 * as the published one (/admin/history/publish). Every change is written to audit_log by the
 * statement that makes it (history_sql.c).
 *
 * Scope: an agency administrator reaches only their own agency (sql_history_agency answers no
 * row for another, which is a 404 like a missing agency); a system administrator any. Each
 * handler is a list of named steps run one after the other as statements and CPU jobs answer.
 *
 * Privacy of the frozen result: publishing is refused until the year's result is FINAL, that
 * is the survey window has closed (both instruments sealed), every minimum sample is reached and
 * the OIT audit is complete (results_model.h: rated). Only then are the figures stored; as no
 * answer can arrive after the window has closed, the frozen figures cannot be differenced against
 * a later computation to learn what the last few respondents said. */
#include "history_sql.h"
#include "history_view.h"
#include "results_handlers.h"
#include "results_job.h"
#include "results_sql.h"
#include "app/page_frame.h"
#include "app/req_job.h"
#include "db/db_row.h"
#include "log.h"
#include "result_import.h"
#include "server.h"
#include "thai_date.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hreq;
/* What a handler does in one of its states: with the statement's result, or r NULL after the
 * agency was resolved (state 0) and after a CPU job (its data in h->job). */
typedef void (*hstep)(struct http_request *req, struct hreq *h, const struct db_result *r);

/* The request's state (request arena). */
struct hreq {
    const struct admin_user *u;
    char sys[8], own[16], uid[16]; /* scope parameters */
    char id_param[16];             /* agency=<id> as asked, or "-1" */
    const char *code_param;        /* code=<code> as asked, or "" */
    int fy;                        /* the year of the page (publishing, the year menu) */
    char fy_s[8];
    const struct form_data *form;
    const struct multipart_file *upload;
    const hstep *steps;
    size_t nsteps;
    int state;
    /* resolved by sql_history_agency */
    char agency_id[16];
    const char *code, *name;
    const char *tiers_text; /* as the statement gave it (copied into parse jobs) */
    struct ita_result_rules rules;
    const char **tier_names; /* distinct tier names for the form's choice */
    size_t n_tier_names;
    /* per handler */
    struct history_page *page;
    int status;           /* of the page answered */
    void *job;            /* the data of the last CPU job, while its step runs */
    struct final_job *fj; /* the final-result job being prepared (freed if the client leaves) */
};

enum { H_RESOLVED = 0 };

/* ---- the machinery ---- */

static const char *param(struct http_request *req, const struct hreq *h, const char *name)
{
    const char *v = h->form ? form_get(h->form, name) : NULL;
    return v ? v : admin_query_str(req, name);
}

static bool digits(const char *v, size_t max)
{
    size_t n = v ? strlen(v) : 0;
    return n >= 1 && n <= max && strspn(v, "0123456789") == n;
}

static void dispatch(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    if (h->state < 0 || (size_t)h->state >= h->nsteps || !h->steps[h->state]) {
        log_error("event=history_bad_state state=%d nsteps=%zu", h->state, h->nsteps);
        abort();
    }
    h->steps[h->state](req, h, r);
}

static void fail(struct http_request *req, const struct hreq *h, int status, const char *msg)
{
    results_fail(req, h->u, status, msg);
}

static void statement_done(struct http_request *req, const struct db_result *r)
{
    struct hreq *h = req->handler_state;
    if (!r->ok) {
        if (r->unavailable || !r->sqlstate) {
            http_respond_unavailable(req, "database unavailable");
            return;
        }
        log_error("event=history_sql_error w=%d state=%d sqlstate=%s error=\"%s\"", req->worker->id,
                  h->state, r->sqlstate, r->error ? r->error : "");
        fail(req, h, 500, "ระบบฐานข้อมูลขัดข้อง กรุณาลองใหม่ภายหลัง");
        return;
    }
    dispatch(req, h, r);
}

static void run(struct http_request *req, struct hreq *h, const struct db_statement *stmt,
                const char *const *p, int state)
{
    h->state = state;
    http_db(req, stmt, p, NULL, statement_done);
}

static void job_done(struct http_request *req, void *data)
{
    struct hreq *h = req->handler_state;
    h->job = data;
    dispatch(req, h, NULL); /* the data is freed by req_job when this returns */
}

static void job(struct http_request *req, struct hreq *h, void *data, req_job_work work,
                req_job_free free_data, int state)
{
    h->state = state;
    req_job_start(req, data, work, job_done, free_data);
}

static struct hreq *hreq_new(struct http_request *req, const struct admin_user *u,
                             const hstep *steps, size_t nsteps)
{
    struct hreq *h = arena_alloc(&req->arena, sizeof *h);
    memset(h, 0, sizeof *h);
    h->u = u;
    h->steps = steps;
    h->nsteps = nsteps;
    h->form = admin_form(req);
    h->upload = admin_upload(req, "file");
    admin_scope(u, h->sys, h->own);
    snprintf(h->uid, sizeof h->uid, "%d", u->id);
    h->rules.last_year = ita_fiscal_year_now() - 1;
    h->status = 200;
    req->handler_state = h;
    return h;
}

/* The tier names of loaded instruments ("2567\tผ่านดีเยี่ยม\t...\n2568\t...") as rules (strings
 * and arrays in `a`) and, when names is not NULL, the names the form offers: the five defaults,
 * then any other name an instrument uses. */
static void tiers_parse(struct arena *a, const char *text, struct ita_result_rules *rules,
                        const char ***names, size_t *n_names)
{
    size_t lines = 1;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    struct ita_result_tiers *t = arena_alloc(a, sizeof *t * lines);
    size_t cap = ITA_RESULT_N_TIERS + 32, nn = 0;
    const char **all = arena_alloc(a, sizeof *all * cap);
    for (int i = 0; i < ITA_RESULT_N_TIERS; i++)
        all[nn++] = ITA_RESULT_TIERS[i];
    char *s = arena_strndup(a, text, strlen(text)), *save_line = NULL;
    size_t n = 0;
    for (char *line = strtok_r(s, "\n", &save_line); line;
         line = strtok_r(NULL, "\n", &save_line)) {
        char *save = NULL;
        char *year = strtok_r(line, "\t", &save);
        if (!year)
            continue;
        const char **lv = arena_alloc(a, sizeof *lv * 16);
        size_t k = 0;
        for (char *nm = strtok_r(NULL, "\t", &save); nm && k < 16;
             nm = strtok_r(NULL, "\t", &save)) {
            lv[k++] = nm;
            bool seen = false;
            for (size_t j = 0; j < nn; j++)
                seen |= !strcmp(all[j], nm);
            if (!seen && nn < cap)
                all[nn++] = nm;
        }
        t[n++] = (struct ita_result_tiers){atoi(year), lv, k};
    }
    rules->tiers = t;
    rules->n_tiers = n;
    if (names) {
        *names = all;
        *n_names = nn;
    }
}

static const char *text_at(struct http_request *req, const PGresult *res, int row, int c)
{
    if (db_null(res, row, c))
        return NULL;
    return arena_strndup(&req->arena, db_text(res, row, c), (size_t)db_len(res, row, c));
}

/* The agency statement's answer: the agency within scope, then the handler's first step. */
static void agency_done(struct http_request *req, const struct db_result *r)
{
    struct hreq *h = req->handler_state;
    if (!r->ok) {
        statement_done(req, r);
        return;
    }
    const PGresult *res = r->res;
    if (PQntuples(res) != 1) {
        fail(req, h, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    snprintf(h->agency_id, sizeof h->agency_id, "%s", db_text(res, 0, HISTORY_AGENCY_ID));
    h->code = text_at(req, res, 0, HISTORY_AGENCY_CODE);
    h->name = text_at(req, res, 0, HISTORY_AGENCY_NAME_TH);
    h->tiers_text = text_at(req, res, 0, HISTORY_AGENCY_TIERS);
    tiers_parse(&req->arena, h->tiers_text, &h->rules, &h->tier_names, &h->n_tier_names);
    h->state = H_RESOLVED;
    dispatch(req, h, NULL);
}

/* Reads agency= (or code=) and fy= (default: the current fiscal year), resolves the agency
 * within scope, then runs the step of H_RESOLVED. */
static void resolve(struct http_request *req, const struct admin_user *u, const hstep *steps,
                    size_t nsteps)
{
    struct hreq *h = hreq_new(req, u, steps, nsteps);
    const char *id = param(req, h, "agency"), *code = param(req, h, "code"),
               *fy = param(req, h, "fy");
    if (!(digits(id, 9) || (code && *code)) || (fy && *fy && !digits(fy, 4))) {
        fail(req, h, 400, "ต้องระบุหน่วยงาน (agency=รหัสตัวเลข หรือ code=รหัสหน่วยงาน)");
        return;
    }
    h->fy = fy && *fy ? atoi(fy) : ita_fiscal_year_now();
    if (h->fy < 2500 || h->fy > 2700) {
        fail(req, h, 400, "ปีงบประมาณไม่ถูกต้อง (fy เช่น 2569)");
        return;
    }
    snprintf(h->fy_s, sizeof h->fy_s, "%d", h->fy);
    snprintf(h->id_param, sizeof h->id_param, "%s", digits(id, 9) ? id : "-1");
    h->code_param = code ? code : "";
    const char *p[HISTORY_AGENCY_NPARAMS];
    p[HISTORY_AGENCY_P_ID] = h->id_param;
    p[HISTORY_AGENCY_P_CODE] = h->code_param;
    p[HISTORY_AGENCY_P_SYSTEM] = h->sys;
    p[HISTORY_AGENCY_P_OWN] = h->own;
    http_db(req, &sql_history_agency, p, NULL, agency_done);
}

/* ---- whether the year's own result is final (the page's button, the publishing) ---- */

/* On the CPU pool: the year's result computed from the stored version and the agency's row. */
struct final_job {
    char *doc;                 /* the year's instrument version (JSON) */
    struct results_agency *ag; /* the agency's row of sql_res_data */
    size_t n_ag;
    int k_min;
    /* results */
    bool final;
    char why[2048]; /* Thai: why it is not final (whole UTF-8 characters) */
    char total[ITA_FMT_SIZE], tool[3][ITA_FMT_SIZE], ind[ITA_N_INDICATORS][ITA_FMT_SIZE];
    char indicators[16 * ITA_N_INDICATORS]; /* numeric[] literal */
    char rating[128];
};

static void final_job_free(void *data)
{
    struct final_job *j = data;
    free(j->doc);
    for (size_t i = 0; i < j->n_ag; i++)
        results_agency_clear(&j->ag[i]);
    free(j->ag);
    free(j);
}

static void final_work(void *data)
{
    struct final_job *j = data;
    char err[300];
    struct ita_version *v = results_load_version(j->doc, err, sizeof err);
    char *e = NULL;
    if (!v || j->n_ag != 1 || results_compute(v, &j->ag[0], j->k_min, &e) != 0) {
        snprintf(j->why, sizeof j->why, "คำนวณผลของปีนี้ไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
        free(e);
        ita_version_free(v);
        return;
    }
    const struct results_agency *a = &j->ag[0];
    const struct ita_summary *s = &a->res->summary;
    /* FINAL: both windows sealed (closed, last answers counted), every minimum reached, every
     * OIT item assessed; anything less is a preliminary result that may still change */
    if (!a->sealed[ITA_IIT] || !a->sealed[ITA_EIT]) {
        snprintf(j->why, sizeof j->why,
                 "ยังไม่ปิดรับคำตอบ (บันทึกได้หลังวันปิดรับคำตอบ "
                 "เพื่อไม่ให้ตัวเลขที่บันทึกไว้เทียบกับคำตอบที่มาภายหลังได้)");
    } else if (!a->rated || s->state != ITA_TOTAL_COMPLETE || s->rating < 0) {
        struct strbuf unmet;
        strbuf_init(&unmet);
        results_unmet(&unmet, v, a, j->k_min, true);
        snprintf(j->why, sizeof j->why, "ผลยังเป็นผลเบื้องต้น ที่ยังไม่ครบ: %s",
                 unmet.data ? unmet.data : "");
        strbuf_free(&unmet);
        /* a cut message ends on a whole character: no continuation byte left dangling */
        size_t n = strlen(j->why);
        if (n == sizeof j->why - 1)
            while (n > 0 && ((unsigned char)j->why[n - 1] & 0xC0) == 0x80)
                j->why[--n] = '\0';
        if (n > 0 && (unsigned char)j->why[n - 1] >= 0xC0)
            j->why[--n] = '\0';
    } else {
        j->final = true;
        ita_format_2dp(s->total, j->total);
        for (int g = 0; g < 3; g++)
            ita_format_2dp(s->group[g].value, j->tool[g]);
        size_t at = 0;
        for (int i = 0; i < ITA_N_INDICATORS; i++) {
            ita_format_2dp(s->indicator[i].value, j->ind[i]);
            at += (size_t)snprintf(j->indicators + at, sizeof j->indicators - at, "%c%s",
                                   i ? ',' : '{', j->ind[i]);
        }
        snprintf(j->indicators + at, sizeof j->indicators - at, "}");
        snprintf(j->rating, sizeof j->rating, "%s", ita_rating_name(&v->rules, s->rating));
    }
    ita_version_free(v);
}

/* The statements before the job: the year's version, then the agency's row; then the job,
 * whose answer goes to the handler's own step F_JOB (with h->job). A year without a version
 * goes to F_JOB at once with h->job NULL. */
enum final_state { F_VERSION = 20, F_DATA, F_JOB, F_COUNT };

static void final_gone(struct http_request *req)
{
    struct hreq *h = req->handler_state;
    if (h && h->fj) {
        final_job_free(h->fj);
        h->fj = NULL;
    }
}

static void final_start(struct http_request *req, struct hreq *h)
{
    const char *p[RES_VERSION_NPARAMS];
    p[RES_VERSION_P_YEAR] = h->fy_s;
    run(req, h, &sql_res_version, p, F_VERSION);
}

static void final_on_version(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    if (PQntuples(r->res) != 1) {
        h->state = F_JOB;
        dispatch(req, h, NULL);
        return;
    }
    struct final_job *j = xcalloc(1, sizeof *j);
    j->doc = xstrndup(db_text(r->res, 0, RES_VERSION_DOCUMENT),
                      (size_t)db_len(r->res, 0, RES_VERSION_DOCUMENT));
    j->k_min = req->worker->srv->cfg.results_min_responses;
    h->fj = j;
    req->on_gone = final_gone;
    const char *p[RES_DATA_NPARAMS];
    p[RES_DATA_P_YEAR] = h->fy_s;
    p[RES_DATA_P_SYSTEM] = h->sys;
    p[RES_DATA_P_OWN] = h->own;
    p[RES_DATA_P_AGENCY] = h->agency_id;
    p[RES_DATA_P_K] = arena_sprintf(&req->arena, "%d", j->k_min);
    run(req, h, &sql_res_data, p, F_DATA);
}

static void final_on_data(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    struct final_job *j = h->fj;
    char err[300];
    h->fj = NULL;
    req->on_gone = NULL;
    if (results_copy_rows(r->res, &j->ag, &j->n_ag, err, sizeof err) != 0) {
        log_error("event=history_bad_row w=%d error=\"%s\"", req->worker->id, err);
        final_job_free(j);
        fail(req, h, 500, "อ่านข้อมูลผลไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    job(req, h, j, final_work, final_job_free, F_JOB);
}

/* ---- /admin/history: the page ---- */

enum page_state {
    P_LIST = 1, /* sql_history_list answered */
    S_SAVED,    /* sql_history_save answered */
    D_DONE,     /* sql_history_delete answered */
    U_PARSED,   /* an upload was parsed */
    U_STORED,   /* sql_history_import answered */
    M_CODES,    /* sql_history_codes answered (many agencies) */
};

static struct history_page *page_of(struct http_request *req, struct hreq *h)
{
    if (h->page)
        return h->page;
    struct history_page *pg = arena_alloc(&req->arena, sizeof *pg);
    memset(pg, 0, sizeof *pg);
    pg->agency_id = h->agency_id;
    pg->code = h->code;
    pg->name = h->name;
    pg->fy = h->fy;
    pg->last_year = h->rules.last_year;
    pg->system = h->u->system;
    pg->tiers = h->tier_names;
    pg->n_tiers = h->n_tier_names;
    char csrf[40] = "";
    if (!h->u->api)
        admin_csrf_token(req, h->u, csrf);
    pg->csrf = arena_sprintf(&req->arena, "%s", csrf);
    h->page = pg;
    return pg;
}

static void ask_list(struct http_request *req, struct hreq *h)
{
    const char *p[HISTORY_LIST_NPARAMS];
    p[HISTORY_LIST_P_AGENCY] = h->agency_id;
    run(req, h, &sql_history_list, p, P_LIST);
}

static void list_read(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    struct history_page *pg = page_of(req, h);
    const PGresult *res = r->res;
    int n = PQntuples(res);
    struct history_row *rows = arena_alloc(&req->arena, sizeof *rows * (n ? (size_t)n : 1));
    for (int i = 0; i < n; i++) {
        rows[i] = (struct history_row){
            .year = text_at(req, res, i, HISTORY_LIST_YEAR),
            .total = text_at(req, res, i, HISTORY_LIST_TOTAL),
            .tool = {text_at(req, res, i, HISTORY_LIST_IIT), text_at(req, res, i, HISTORY_LIST_EIT),
                     text_at(req, res, i, HISTORY_LIST_OIT)},
            .indicators = text_at(req, res, i, HISTORY_LIST_INDICATORS),
            .rating = text_at(req, res, i, HISTORY_LIST_RATING),
            .source = text_at(req, res, i, HISTORY_LIST_SOURCE),
            .by = text_at(req, res, i, HISTORY_LIST_BY),
            .at = text_at(req, res, i, HISTORY_LIST_AT),
        };
    }
    pg->rows = rows;
    pg->n = (size_t)n;
}

static const struct history_row *row_of_year(const struct history_page *pg, const char *year)
{
    for (size_t i = 0; year && i < pg->n; i++)
        if (!strcmp(pg->rows[i].year, year))
            return &pg->rows[i];
    return NULL;
}

/* ?edit=<year>: the form holds that year's stored figures. */
static void fill_edit(struct http_request *req, struct hreq *h, struct history_page *pg)
{
    const struct history_row *r = row_of_year(pg, admin_query_str(req, "edit"));
    if (!r || pg->n_errors)
        return;
    pg->editing = true;
    pg->value[ITA_RF_YEAR] = r->year;
    pg->value[ITA_RF_TOTAL] = r->total;
    for (int t = 0; t < 3; t++)
        pg->value[ITA_RF_IIT + t] = r->tool[t];
    pg->value[ITA_RF_RATING] = r->rating;
    if (r->indicators) {
        char *s = arena_strndup(&req->arena, r->indicators, strlen(r->indicators)), *save = NULL;
        int i = 0;
        for (char *v = strtok_r(s, ",", &save); v && i < ITA_RESULT_N_INDICATORS;
             v = strtok_r(NULL, ",", &save))
            pg->value[ITA_RF_IND1 + i++] = v;
    }
    (void)h;
}

/* What was just done, from the redirect's query. */
static void fill_notice(struct http_request *req, struct history_page *pg)
{
    const char *done = admin_query_str(req, "done"), *year = admin_query_str(req, "year"),
               *n = admin_query_str(req, "n");
    if (!done || (year && !digits(year, 4)) || (n && !digits(n, 9)))
        return;
    if (!strcmp(done, "saved") && year)
        pg->notice = arena_sprintf(&req->arena, "บันทึกผลปีงบประมาณ %s แล้ว", year);
    else if (!strcmp(done, "deleted") && year)
        pg->notice = arena_sprintf(&req->arena, "ลบผลปีงบประมาณ %s แล้ว", year);
    else if (!strcmp(done, "imported") && n)
        pg->notice = arena_sprintf(&req->arena, "นำเข้าแล้ว %s ปี", n);
    else if (!strcmp(done, "published") && year)
        pg->notice = arena_sprintf(&req->arena, "บันทึกผลปี %s จากระบบนี้เป็นผลที่เผยแพร่แล้ว", year);
}

static json_t *rows_json(const struct history_page *pg)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < pg->n; i++) {
        const struct history_row *r = &pg->rows[i];
        json_t *ind = json_null();
        if (r->indicators) {
            ind = json_array();
            for (const char *s = r->indicators; *s;) {
                size_t k = strcspn(s, ",");
                json_array_append_new(ind, json_stringn(s, k));
                s += k + (s[k] == ',');
            }
        }
        json_array_append_new(
            arr, json_pack("{s:i, s:s, s:s?, s:s?, s:s?, s:o, s:s, s:s, s:s, s:s}", "fiscal_year",
                           atoi(r->year), "total", r->total, "iit", r->tool[0], "eit", r->tool[1],
                           "oit", r->tool[2], "indicators", ind, "rating", r->rating, "source",
                           r->source, "entered_by", r->by, "entered_at", r->at));
    }
    return arr;
}

static void send_page(struct http_request *req, struct hreq *h)
{
    struct history_page *pg = page_of(req, h);
    if (h->u->api) {
        json_t *doc = json_pack("{s:s, s:o}", "agency", h->code, "results", rows_json(pg));
        if (pg->n_errors) {
            json_t *errs = json_object();
            static const char *const names[ITA_RF_COUNT] = {
                "year", "total", "iit", "eit", "oit", "i1", "i2",  "i3",
                "i4",   "i5",    "i6",  "i7",  "i8",  "i9", "i10", "rating"};
            for (int f = 0; f < ITA_RF_COUNT; f++)
                if (pg->error[f])
                    json_object_set_new(errs, names[f], json_string(pg->error[f]));
            json_object_set_new(doc, "errors", errs);
        }
        admin_send_json(req, h->status, doc);
        json_decref(doc);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, h->u, "ผลการประเมิน ITA ย้อนหลัง");
    history_view_page(&p, pg);
    page_frame_finish(&p);
    admin_send_page(req, h->status, &p);
}

/* The list read: the year's own result next (for the publish button), then the page. */
static void page_listed(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    struct history_page *pg = page_of(req, h);
    list_read(req, h, r);
    fill_edit(req, h, pg);
    fill_notice(req, pg);
    if (h->u->api) {
        send_page(req, h);
        return;
    }
    final_start(req, h);
}

static void page_final(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    struct history_page *pg = page_of(req, h);
    struct final_job *j = h->job;
    pg->final = j && j->final;
    pg->not_final = !j         ? arena_sprintf(&req->arena, "ยังไม่มีแบบวัดของปีงบประมาณ %d ในระบบ", h->fy)
                    : j->final ? NULL
                               : arena_sprintf(&req->arena, "%s", j->why);
    send_page(req, h);
}

static void page_resolved(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    ask_list(req, h);
}

void admin_history(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[F_COUNT] = {[H_RESOLVED] = page_resolved,
                                         [P_LIST] = page_listed,
                                         [F_VERSION] = final_on_version,
                                         [F_DATA] = final_on_data,
                                         [F_JOB] = page_final};
    resolve(req, u, steps, F_COUNT);
}

/* ---- POST /admin/history: one year added or edited ---- */

static void redirect_to_page(struct http_request *req, struct hreq *h, const char *extra)
{
    const char *to =
        arena_sprintf(&req->arena, "/admin/history?agency=%s&fy=%d&%s", h->agency_id, h->fy, extra);
    http_add_header(req, "Location", to);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void save_check(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    static const char *const names[ITA_RF_COUNT] = {"year", "total", "iit", "eit",   "oit", "i1",
                                                    "i2",   "i3",    "i4",  "i5",    "i6",  "i7",
                                                    "i8",   "i9",    "i10", "rating"};
    struct history_page *pg = page_of(req, h);
    const char *in[ITA_RF_COUNT];
    for (int f = 0; f < ITA_RF_COUNT; f++)
        pg->value[f] = in[f] = param(req, h, names[f]);
    struct ita_result_row row;
    pg->n_errors = ita_result_form_check(&req->arena, &h->rules, in, pg->error, &row);
    if (pg->n_errors > 0) {
        h->status = 422; /* the page again, typed values kept, each reason beside its field */
        ask_list(req, h);
        return;
    }
    const char *p[HISTORY_SAVE_NPARAMS];
    p[HISTORY_SAVE_P_AGENCY] = h->agency_id;
    p[HISTORY_SAVE_P_YEAR] = row.year;
    p[HISTORY_SAVE_P_TOTAL] = row.total;
    p[HISTORY_SAVE_P_IIT] = row.tool[0];
    p[HISTORY_SAVE_P_EIT] = row.tool[1];
    p[HISTORY_SAVE_P_OIT] = row.tool[2];
    p[HISTORY_SAVE_P_INDICATORS] = row.indicators;
    p[HISTORY_SAVE_P_RATING] = row.rating;
    p[HISTORY_SAVE_P_SOURCE] = "entered";
    p[HISTORY_SAVE_P_ADMIN] = h->uid;
    pg->value[ITA_RF_YEAR] = row.year;
    run(req, h, &sql_history_save, p, S_SAVED);
}

static void saved(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    const char *year = h->page->value[ITA_RF_YEAR];
    bool replaced = PQntuples(r->res) == 1 && db_bool(r->res, 0, HISTORY_SAVE_REPLACED);
    log_info("event=result_history_saved w=%d admin=%d agency=%s year=%s replaced=%d",
             req->worker->id, h->u->id, h->agency_id, year, replaced);
    if (h->u->api) {
        json_t *doc = json_pack("{s:s, s:i, s:b}", "agency", h->code, "fiscal_year", atoi(year),
                                "replaced", replaced);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    redirect_to_page(req, h, arena_sprintf(&req->arena, "done=saved&year=%s#y%s", year, year));
}

void admin_history_save(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[F_COUNT] = {
        [H_RESOLVED] = save_check,      [P_LIST] = page_listed,   [S_SAVED] = saved,
        [F_VERSION] = final_on_version, [F_DATA] = final_on_data, [F_JOB] = page_final};
    resolve(req, u, steps, F_COUNT);
}

/* ---- /admin/history/delete: confirm, then delete one year ---- */

static void delete_listed(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    struct history_page *pg = page_of(req, h);
    list_read(req, h, r);
    const struct history_row *row = row_of_year(pg, admin_query_str(req, "year"));
    if (!row) {
        fail(req, h, 404, "ไม่พบผลของปีงบประมาณนี้ในประวัติของหน่วยงาน");
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, h->u, arena_sprintf(&req->arena, "ลบผลการประเมินปี %s", row->year));
    history_view_delete(&p, pg, row);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

void admin_history_delete_confirm(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[] = {[H_RESOLVED] = page_resolved, [P_LIST] = delete_listed};
    resolve(req, u, steps, sizeof steps / sizeof steps[0]);
}

static void delete_run(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    const char *year = param(req, h, "year");
    if (!digits(year, 4)) {
        fail(req, h, 400, "ต้องระบุปีงบประมาณที่จะลบ (year เช่น 2565)");
        return;
    }
    page_of(req, h)->value[ITA_RF_YEAR] = year;
    const char *p[HISTORY_DELETE_NPARAMS];
    p[HISTORY_DELETE_P_AGENCY] = h->agency_id;
    p[HISTORY_DELETE_P_YEAR] = year;
    p[HISTORY_DELETE_P_ADMIN] = h->uid;
    run(req, h, &sql_history_delete, p, D_DONE);
}

static void deleted(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    const char *year = h->page->value[ITA_RF_YEAR];
    if (db_int(r->res, 0, HISTORY_DELETE_N) == 0) {
        fail(req, h, 404, "ไม่พบผลของปีงบประมาณนี้ในประวัติของหน่วยงาน (อาจถูกลบไปแล้ว)");
        return;
    }
    log_info("event=result_history_deleted w=%d admin=%d agency=%s year=%s", req->worker->id,
             h->u->id, h->agency_id, year);
    if (h->u->api) {
        json_t *doc = json_pack("{s:s, s:i}", "agency", h->code, "deleted", atoi(year));
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    redirect_to_page(req, h, arena_sprintf(&req->arena, "done=deleted&year=%s", year));
}

void admin_history_delete(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[] = {
        [H_RESOLVED] = delete_run, [P_LIST] = NULL, [S_SAVED] = NULL, [D_DONE] = deleted};
    resolve(req, u, steps, sizeof steps / sizeof steps[0]);
}

/* ---- uploads: one agency's file (/admin/history/upload), many agencies' (/admin/history/import)
 */

/* Parsing a file on the CPU pool: owns copies of everything it reads. */
struct parse_job {
    unsigned char *bytes;
    size_t len;
    char *only_code;  /* one agency's file: its code */
    char *codes_text; /* many agencies: the codes in scope, one per line */
    char *tiers_text;
    int last_year;
    struct arena arena; /* the codes and tiers parsed */
    struct ita_strmap codes;
    struct ita_result_import_options opt;
    struct ita_result_list list;
    bool importable;
    struct strbuf cols[ITA_RESULT_PG_COLS];
};

static void parse_job_free(void *data)
{
    struct parse_job *j = data;
    ita_result_list_free(&j->list);
    ita_strmap_free(&j->codes);
    arena_reset(&j->arena);
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        strbuf_free(&j->cols[i]);
    free(j->bytes);
    free(j->only_code);
    free(j->codes_text);
    free(j->tiers_text);
    free(j);
}

static void parse_work(void *data)
{
    struct parse_job *j = data;
    j->opt.rules.last_year = j->last_year;
    tiers_parse(&j->arena, j->tiers_text, &j->opt.rules, NULL, NULL);
    j->opt.only_code = j->only_code;
    if (j->codes_text) {
        for (char *s = j->codes_text, *save = NULL, *c = strtok_r(s, "\n", &save); c;
             c = strtok_r(NULL, "\n", &save))
            ita_strmap_add(&j->codes, c, 0, NULL);
        j->opt.codes = &j->codes;
    }
    struct strbuf *cols[ITA_RESULT_PG_COLS];
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        cols[i] = &j->cols[i];
    j->importable = ita_result_list_parse(j->bytes, j->len, &j->opt, &j->list) == 0 &&
                    ita_result_list_pg_arrays(&j->list, cols) == 0;
}

/* The uploaded bytes (a browser's file "file", or an API client's CSV body) in a new job, or
 * NULL after answering 400. */
static struct parse_job *take_upload(struct http_request *req, struct hreq *h)
{
    const void *data;
    size_t len;
    if (h->upload) {
        data = h->upload->data;
        len = h->upload->len;
    } else if (h->u->api) {
        len = evbuffer_get_length(req->body);
        data = evbuffer_pullup(req->body, -1);
    } else {
        fail(req, h, 400, "กรุณาเลือกไฟล์ผลการประเมิน (.csv) ก่อนกดนำเข้า");
        return NULL;
    }
    if (len == 0 || !data) {
        fail(req, h, 400, "ไฟล์ว่างเปล่า กรุณาเลือกไฟล์ผลการประเมิน (.csv)");
        return NULL;
    }
    struct parse_job *j = xcalloc(1, sizeof *j);
    j->bytes = xmalloc(len);
    memcpy(j->bytes, data, len);
    j->len = len;
    j->last_year = h->rules.last_year;
    j->tiers_text = xstrdup(h->tiers_text ? h->tiers_text : "");
    arena_init(&j->arena, 4096);
    ita_strmap_init(&j->codes);
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        strbuf_init(&j->cols[i]);
    return j;
}

static void upload_start(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    struct parse_job *j = take_upload(req, h);
    if (!j)
        return;
    j->only_code = xstrdup(h->code);
    job(req, h, j, parse_work, parse_job_free, U_PARSED);
}

static const char *back_href(struct http_request *req, const struct hreq *h)
{
    if (!h->agency_id[0])
        return "/admin/history/import";
    return arena_sprintf(&req->arena, "/admin/history?agency=%s&amp;fy=%d#import-h", h->agency_id,
                         h->fy);
}

/* The parsed file: every error (422, nothing stored), or one statement storing every row. */
static void upload_parsed(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    struct parse_job *j = h->job;
    if (!j->importable) {
        const struct ita_import_errors *e = &j->list.errors;
        if (h->u->api) {
            json_t *errs = json_array();
            for (size_t i = 0; i < e->n; i++)
                json_array_append_new(
                    errs, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)e->items[i].line,
                                    "column", e->items[i].column, "reason", e->items[i].reason));
            json_t *doc =
                json_pack("{s:s, s:i, s:I, s:o}", "error", "ไฟล์มีข้อผิดพลาด ยังไม่ได้บันทึกสักแถว", "status",
                          422, "error_count", (json_int_t)e->total, "errors", errs);
            admin_send_json(req, 422, doc);
            json_decref(doc);
            return;
        }
        struct strbuf p;
        strbuf_init(&p);
        admin_page_begin(&p, req, h->u, "นำเข้าผลการประเมินไม่สำเร็จ");
        if (h->agency_id[0])
            page_year_nav(&p, h->agency_id, h->name, h->fy, PAGE_YEAR_NONE);
        history_view_import_errors(&p, e, j->list.rows_read, back_href(req, h));
        page_frame_finish(&p);
        admin_send_page(req, 422, &p);
        return;
    }
    struct history_page *pg = page_of(req, h);
    pg->n = j->list.n_rows; /* rows in the file, for the answer */
    const char *p[HISTORY_IMPORT_NPARAMS];
    p[HISTORY_IMPORT_P_ADMIN] = h->uid;
    p[HISTORY_IMPORT_P_SYSTEM] = h->sys;
    p[HISTORY_IMPORT_P_OWN] = h->own;
    p[HISTORY_IMPORT_P_AGENCY] = h->agency_id[0] ? h->agency_id : NULL;
    for (int i = 0; i < ITA_RESULT_PG_COLS; i++)
        p[HISTORY_IMPORT_P_CODES + i] = j->cols[i].data;
    run(req, h, &sql_history_import, p, U_STORED);
}

static void upload_stored(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    long rows = (long)db_int(r->res, 0, HISTORY_IMPORT_ROWS),
         agencies = (long)db_int(r->res, 0, HISTORY_IMPORT_AGENCIES);
    log_info("event=result_history_imported w=%d admin=%d agency=%s rows=%ld agencies=%ld",
             req->worker->id, h->u->id, h->agency_id[0] ? h->agency_id : "many", rows, agencies);
    if (h->u->api) {
        json_t *doc =
            json_pack("{s:I, s:I}", "imported", (json_int_t)rows, "agencies", (json_int_t)agencies);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    if (h->agency_id[0]) {
        redirect_to_page(req, h, arena_sprintf(&req->arena, "done=imported&n=%ld", rows));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, h->u, "นำเข้าผลการประเมินแล้ว");
    strbuf_printf(
        &p,
        "<p class=\"ok\" id=\"notice\" role=\"status\">นำเข้าแล้ว %ld แถว ของ %ld หน่วยงาน</p>"
        "<p><a href=\"/admin/history/import\">นำเข้าไฟล์อื่น</a></p>\n",
        rows, agencies);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

void admin_history_upload(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[] = {
        [H_RESOLVED] = upload_start, [U_PARSED] = upload_parsed, [U_STORED] = upload_stored};
    resolve(req, u, steps, sizeof steps / sizeof steps[0]);
}

/* A system administrator's page and file: agency administrators answer 403. */
static struct hreq *many_new(struct http_request *req, const struct admin_user *u,
                             const hstep *steps, size_t n)
{
    struct hreq *h = hreq_new(req, u, steps, n);
    h->fy = ita_fiscal_year_now();
    if (!u->system) {
        fail(req, h, 403,
             "เฉพาะผู้ดูแลระบบจึงนำเข้าผลของหลายหน่วยงานได้ "
             "ผู้ดูแลหน่วยงานนำเข้าได้ที่หน้าผลการประเมินย้อนหลังของหน่วยงาน");
        return NULL;
    }
    return h;
}

void admin_history_import_page(struct http_request *req, const struct admin_user *u)
{
    struct hreq *h = many_new(req, u, NULL, 0);
    if (!h)
        return;
    char csrf[40] = "";
    admin_csrf_token(req, u, csrf);
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, u, "นำเข้าผลการประเมินย้อนหลังของหลายหน่วยงาน");
    history_view_import_page(&p, csrf);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

static void many_codes(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    h->tiers_text = text_at(req, r->res, 0, HISTORY_CODES_TIERS);
    struct parse_job *j = take_upload(req, h);
    if (!j)
        return;
    j->codes_text = xstrdup(db_text(r->res, 0, HISTORY_CODES_LIST));
    job(req, h, j, parse_work, parse_job_free, U_PARSED);
}

void admin_history_import(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[] = {
        [U_PARSED] = upload_parsed, [U_STORED] = upload_stored, [M_CODES] = many_codes};
    struct hreq *h = many_new(req, u, steps, sizeof steps / sizeof steps[0]);
    if (!h)
        return;
    const char *p[HISTORY_CODES_NPARAMS];
    p[HISTORY_CODES_P_SYSTEM] = h->sys;
    p[HISTORY_CODES_P_OWN] = h->own;
    run(req, h, &sql_history_codes, p, M_CODES);
}

/* ---- /admin/history/template ---- */

static void send_template(struct http_request *req, bool many, const char *code)
{
    struct strbuf csv;
    strbuf_init(&csv);
    ita_result_template(&csv, many, code);
    http_add_header(req, "Content-Disposition",
                    many ? "attachment; filename=\"ita-results-many-template.csv\""
                         : "attachment; filename=\"ita-results-template.csv\"");
    http_respond(req, 200, "text/csv; charset=utf-8", csv.data, csv.len);
    strbuf_free(&csv);
}

static void template_resolved(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    send_template(req, false, h->code);
}

void admin_history_template(struct http_request *req, const struct admin_user *u)
{
    const char *many = admin_query_str(req, "many");
    if (many && !strcmp(many, "1")) {
        if (many_new(req, u, NULL, 0))
            send_template(req, true, "LAO0001");
        return;
    }
    static const hstep steps[] = {[H_RESOLVED] = template_resolved};
    resolve(req, u, steps, sizeof steps / sizeof steps[0]);
}

/* ---- POST /admin/history/publish: this system's own final result frozen ---- */

static void publish_final(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    struct final_job *j = h->job;
    if (!j || !j->final) {
        /* refused: a preliminary result may still change, and a figure frozen while answers can
         * still arrive could be compared with a later one */
        fail(req, h, 409,
             arena_sprintf(&req->arena, "บันทึกผลปี %d เป็นผลที่เผยแพร่ไม่ได้: %s", h->fy,
                           j ? j->why : "ยังไม่มีแบบวัดของปีนี้ในระบบ"));
        return;
    }
    struct history_page *pg = page_of(req, h);
    pg->value[ITA_RF_YEAR] = h->fy_s;
    const char *p[HISTORY_SAVE_NPARAMS];
    p[HISTORY_SAVE_P_AGENCY] = h->agency_id;
    p[HISTORY_SAVE_P_YEAR] = h->fy_s;
    p[HISTORY_SAVE_P_TOTAL] = j->total;
    p[HISTORY_SAVE_P_IIT] = j->tool[0];
    p[HISTORY_SAVE_P_EIT] = j->tool[1];
    p[HISTORY_SAVE_P_OIT] = j->tool[2];
    p[HISTORY_SAVE_P_INDICATORS] = j->indicators;
    p[HISTORY_SAVE_P_RATING] = j->rating;
    p[HISTORY_SAVE_P_SOURCE] = "published";
    p[HISTORY_SAVE_P_ADMIN] = h->uid;
    run(req, h, &sql_history_save, p, S_SAVED);
}

static void published(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    log_info("event=result_published w=%d admin=%d agency=%s year=%d", req->worker->id, h->u->id,
             h->agency_id, h->fy);
    if (h->u->api) {
        json_t *doc = json_pack("{s:s, s:i}", "agency", h->code, "published", h->fy);
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    redirect_to_page(req, h,
                     arena_sprintf(&req->arena, "done=published&year=%d#y%d", h->fy, h->fy));
}

static void publish_resolved(struct http_request *req, struct hreq *h, const struct db_result *r)
{
    (void)r;
    final_start(req, h);
}

void admin_history_publish(struct http_request *req, const struct admin_user *u)
{
    static const hstep steps[F_COUNT] = {[H_RESOLVED] = publish_resolved,
                                         [S_SAVED] = published,
                                         [F_VERSION] = final_on_version,
                                         [F_DATA] = final_on_data,
                                         [F_JOB] = publish_final};
    resolve(req, u, steps, F_COUNT);
}
