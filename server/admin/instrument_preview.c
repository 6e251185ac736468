/* The preview of an instrument version for system administrators
 * (/admin/instruments/preview?draft=ID&instrument=IIT|EIT, or ?fy=YYYY&instrument= for a published
 * year): the form exactly as respondents see it (pages_form, with a sample agency's name), under
 * a Thai banner saying that nothing will be stored, posting back to the same address. The posted
 * answers go through the respondents' own check (survey_answers_read): a tampered form is
 * refused, missing answers bring the form back with its Thai errors, and a complete one shows the
 * chosen levels and their points — and nothing is stored. The version is loaded on the CPU pool.
 * The same preview serves an agency's year (/admin/year/preview?agency=ID&fy=YYYY&instrument=):
 * the year's published form with the agency's own name, for the administrators of that agency
 * (resolved within their scope like every year page) and system administrators. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "instruments_page.h"
#include "instruments_sql.h"
#include "instruments_view.h"
#include "setup_sql.h"
#include "db/db_row.h"
#include "server.h"
#include "survey/answers.h"
#include "survey/pages.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_AGENCY_TH "หน่วยงานตัวอย่าง (ไม่ใช่หน่วยงานจริง)"

enum preview_state {
    PV_RESOLVED = SETUP_RESOLVED, /* an agency's year: the agency and its year were resolved */
    PV_DOC,                       /* sql_instrument_doc answered */
    PV_LOADED,                    /* the version was loaded on the CPU pool */
};

/* What the request asks (request arena, in setup's page). */
struct preview_req {
    bool posting;                   /* answers to check, else the blank form */
    enum ita_instrument instrument; /* ITA_IIT or ITA_EIT */
    long draft;                     /* the draft, or -1 */
    long fy;                        /* the published year, or -1 */
    bool year;                      /* an agency's year (/admin/year/preview) */
};

/* Loading the version on the CPU pool. */
struct load_job {
    char *doc; /* owned */
    size_t len;
    struct ita_version *v; /* loaded, or NULL */
    char *err;             /* v NULL: why */
};

static void load_job_free(void *data)
{
    struct load_job *j = data;
    free(j->doc);
    ita_version_free(j->v);
    free(j->err);
    free(j);
}

static void load_work(void *data)
{
    struct load_job *j = data;
    j->v = ita_version_load_string(j->doc, j->len, "แบบวัด", &j->err);
}

/* This preview's own address (for the form's action and the links back). */
static const char *self_path(struct http_request *req, const struct preview_req *pq)
{
    const char *code = ita_instrument_code(pq->instrument);
    const struct setup *s = req->handler_state;
    if (pq->year)
        return arena_sprintf(&req->arena, "/admin/year/preview?agency=%s&fy=%s&instrument=%s",
                             s->agency_id, s->fy, code);
    return pq->draft > 0
               ? arena_sprintf(&req->arena, "/admin/instruments/preview?draft=%ld&instrument=%s",
                               pq->draft, code)
               : arena_sprintf(&req->arena, "/admin/instruments/preview?fy=%ld&instrument=%s",
                               pq->fy, code);
}

/* The form as respondents see it, with the banner, answers (or NULL) and errors marked. */
static void send_form(struct http_request *req, struct setup *s, const struct ita_version *v,
                      const int *answers, int status)
{
    const struct preview_req *pq = s->page;
    const char *which =
        pq->year ? arena_sprintf(&req->arena, "แบบสำรวจ %s ปีงบประมาณ %d ของหน่วยงาน",
                                 ita_instrument_code(pq->instrument), v->fiscal_year)
        : pq->draft > 0
            ? arena_sprintf(&req->arena, "ฉบับร่าง #%ld ปีงบประมาณ %d", pq->draft, v->fiscal_year)
            : arena_sprintf(&req->arena, "ฉบับที่ใช้อยู่ของปีงบประมาณ %d", v->fiscal_year);
    struct form_view fv = {
        .v = v,
        .instrument = pq->instrument,
        .agency_name_th = pq->year ? s->name : SAMPLE_AGENCY_TH,
        .action = self_path(req, pq),
        .form_token = "preview",
        .answers = answers,
        .show_errors = answers != NULL,
        .notice_th = arena_sprintf(&req->arena,
                                   "ตัวอย่าง — คำตอบจะไม่ถูกบันทึก · %s ตามที่ผู้ตอบจะเห็น "
                                   "กด \"ส่งคำตอบ\" เพื่อทดลองตรวจคำตอบแบบเดียวกับการส่งจริง",
                                   which),
        .k = req->worker->srv->cfg.results_min_responses,
        .csrf = setup_csrf(req, s),
    };
    struct strbuf page;
    strbuf_init(&page);
    pages_form(&page, &fv);
    admin_send_page(req, status, &page);
}

static void doc_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (PQntuples(r->res) < 1) {
        setup_fail(req, s, 404, "ไม่พบฉบับร่างนี้ หรือปีงบประมาณนี้ยังไม่มีแบบวัด");
        return;
    }
    struct load_job *j = xcalloc(1, sizeof *j);
    j->len = (size_t)db_len(r->res, 0, INSTRUMENT_DOC_DOCUMENT);
    j->doc = xstrndup(db_text(r->res, 0, INSTRUMENT_DOC_DOCUMENT), j->len);
    setup_job(req, s, j, load_work, load_job_free, PV_LOADED);
}

static json_t *answers_json(const struct ita_version *v, enum ita_instrument k, const int *answers)
{
    json_t *o = json_object();
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    for (size_t i = 0; i < v->surveys[k].n_fields; i++)
        json_object_set_new(o, v->field_list[first + i]->code, json_integer(answers[i]));
    return o;
}

static void loaded(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const struct preview_req *pq = s->page;
    const struct load_job *j = s->job;
    if (!j->v) {
        setup_fail(
            req, s, 409,
            arena_sprintf(&req->arena, "แบบวัดนี้อ่านไม่ได้ด้วยรูปแบบไฟล์ปัจจุบัน: %s", j->err ? j->err : ""));
        return;
    }
    if (!pq->posting) {
        send_form(req, s, j->v, NULL, 200);
        return;
    }
    /* the check a real submission passes (answers.h), then nothing is stored */
    size_t n = j->v->surveys[pq->instrument].n_fields;
    int *answers = arena_alloc(&req->arena, sizeof *answers * (n ? n : 1));
    int missing =
        s->form ? survey_answers_read(j->v, pq->instrument, s->form, "csrf", answers) : -1;
    if (missing < 0) {
        setup_fail(req, s, 400,
                   "ข้อมูลที่ส่งมาไม่ถูกต้อง (มีช่องที่ไม่ใช่ข้อของแบบวัดนี้ ส่งข้อเดียวกันซ้ำ "
                   "หรือระดับคำตอบอยู่นอกช่วง) การส่งจริงจะถูกปฏิเสธแบบเดียวกัน "
                   "ตัวอย่างเท่านั้น ไม่ได้บันทึก");
        return;
    }
    if (missing > 0) {
        send_form(req, s, j->v, answers, 422);
        return;
    }
    struct preview_result m = {
        .v = j->v,
        .instrument = pq->instrument,
        .answers = answers,
        .again_href = self_path(req, pq),
        .back_href = pq->year ? arena_sprintf(&req->arena, "/admin/year?agency=%s&fy=%s",
                                              s->agency_id, s->fy)
                     : pq->draft > 0
                         ? arena_sprintf(&req->arena, "/admin/instruments/draft?id=%ld", pq->draft)
                         : "/admin/instruments",
    };
    setup_answer(req, s,
                 json_pack("{s:b, s:o}", "stored", 0, "answers",
                           answers_json(j->v, pq->instrument, answers)),
                 "ตัวอย่างเท่านั้น ไม่ได้บันทึก", instruments_view_preview_result, &m);
}

static void start(struct http_request *req, const struct admin_user *u, bool posting)
{
    static const setup_step steps[] = {[PV_DOC] = doc_read, [PV_LOADED] = loaded};
    struct setup *s = instruments_begin(req, u, SETUP_STEPS(steps));
    if (!s)
        return;
    struct preview_req *pq = arena_alloc(&req->arena, sizeof *pq);
    s->page = pq;
    /* from the address only: the posted form holds the respondent's fields */
    const char *in = admin_query_str(req, "instrument");
    long draft = admin_query_int(req, "draft"), fy = admin_query_int(req, "fy");
    *pq = (struct preview_req){.posting = posting, .draft = draft, .fy = fy};
    if (!in || (strcmp(in, "IIT") != 0 && strcmp(in, "EIT") != 0)) {
        setup_fail(req, s, 400, "ต้องระบุแบบวัด instrument=IIT หรือ EIT");
        return;
    }
    pq->instrument = strcmp(in, "IIT") == 0 ? ITA_IIT : ITA_EIT;
    if ((draft < 1) == (fy < 2500 || fy > 2700)) {
        setup_fail(req, s, 400,
                   "ต้องระบุฉบับร่าง (draft=เลขที่) หรือปีงบประมาณที่เผยแพร่แล้ว (fy=ปี พ.ศ.) "
                   "อย่างใดอย่างหนึ่ง");
        return;
    }
    if (draft < 1)
        pq->draft = -1;
    else
        pq->fy = -1;
    char d[24], y[24];
    snprintf(d, sizeof d, "%ld", pq->draft);
    snprintf(y, sizeof y, "%ld", pq->fy);
    const char *p[INSTRUMENT_DOC_NPARAMS];
    p[INSTRUMENT_DOC_P_DRAFT] = d;
    p[INSTRUMENT_DOC_P_YEAR] = y;
    setup_run(req, s, &sql_instrument_doc, p, PV_DOC);
}

void admin_instrument_preview(struct http_request *req, const struct admin_user *u)
{
    start(req, u, false);
}

void admin_instrument_preview_check(struct http_request *req, const struct admin_user *u)
{
    start(req, u, true);
}

/* ---- an agency's year: /admin/year/preview ---- */

/* The agency and its year resolved within the administrator's scope: the year's published
 * version is read (a year without one says so). */
static void year_resolved(struct http_request *req, struct setup *s, bool posting)
{
    struct preview_req *pq = arena_alloc(&req->arena, sizeof *pq);
    *pq = (struct preview_req){.posting = posting,
                               .instrument = s->instrument == 0 ? ITA_IIT : ITA_EIT,
                               .draft = -1,
                               .fy = atol(s->fy),
                               .year = true};
    s->page = pq;
    if (!s->version_exists) {
        setup_fail(req, s, 404, "ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ ผู้ดูแลระบบต้องเผยแพร่แบบวัดของปีนี้ก่อน");
        return;
    }
    const char *p[INSTRUMENT_DOC_NPARAMS];
    p[INSTRUMENT_DOC_P_DRAFT] = "-1";
    p[INSTRUMENT_DOC_P_YEAR] = s->fy;
    setup_run(req, s, &sql_instrument_doc, p, PV_DOC);
}

static void year_form(struct http_request *req, struct setup *s, const struct db_result *r)
{
    year_resolved(req, s, false);
}

static void year_check(struct http_request *req, struct setup *s, const struct db_result *r)
{
    year_resolved(req, s, true);
}

/* agency, fy and instrument come from the address (the posted form holds the respondent's
 * fields); setup_resolve answers 400/404 itself */
void admin_year_preview(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [PV_RESOLVED] = year_form, [PV_DOC] = doc_read, [PV_LOADED] = loaded};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}

void admin_year_preview_check(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [PV_RESOLVED] = year_check, [PV_DOC] = doc_read, [PV_LOADED] = loaded};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}
