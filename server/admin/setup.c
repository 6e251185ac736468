/* What the fiscal-year set-up pages share (see admin_setup.h). */
#include "admin_setup.h"
#include "setup_sql.h"
#include "setup_view.h"
#include "db/db_row.h"
#include "import_util.h"
#include "log.h"
#include "app/page_frame.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const SETUP_INSTRUMENTS[2] = {"IIT", "EIT"};
const char *const SETUP_LIST_TH[2] = {"รายชื่อบุคลากร (IIT)",
                                      "รายชื่อผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"};

/* ---- answering ---- */

void setup_page_begin(struct strbuf *p, struct http_request *req, const struct setup *s,
                      const char *title)
{
    strbuf_init(p);
    admin_page_begin(p, req, s->u, title);
}

void setup_send_page(struct http_request *req, int status, struct strbuf *p)
{
    page_frame_finish(p);
    admin_send_page(req, status, p);
}

void setup_answer(struct http_request *req, const struct setup *s, json_t *doc, const char *title,
                  setup_view view, const void *model)
{
    if (s->u->api) {
        setup_send_json(req, 200, doc);
        return;
    }
    json_decref(doc);
    struct strbuf p;
    setup_page_begin(&p, req, s, title);
    view(&p, s, model);
    setup_send_page(req, 200, &p);
}

/* The page a failed request came from, once its agency is resolved: the set-up page of the path
 * asked (a form's page for its post), else the agency's page; NULL before resolving. */
static void setup_back(struct http_request *req, const struct setup *s, const char **href,
                       const char **text)
{
    static const struct {
        const char *prefix, *page, *text;
        bool instrument;
    } pages[] = {
        {"/admin/year", "/admin/year", "กลับไปหน้าตั้งค่าปีงบประมาณ", false},
        {"/admin/contacts", "/admin/contacts", "กลับไปหน้ารายชื่อ", true},
        {"/admin/links", "/admin/contacts", "กลับไปหน้ารายชื่อ", true},
        {"/admin/progress", "/admin/progress", "กลับไปหน้าความคืบหน้า", false},
    };
    if (!s->agency_id[0] || !s->name)
        return;
    const char *path = req->path ? req->path : "";
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        size_t n = strlen(pages[i].prefix);
        if (strncmp(path, pages[i].prefix, n) || (path[n] && path[n] != '/'))
            continue;
        if (pages[i].instrument && s->instrument < 0)
            break;
        *href = arena_sprintf(&req->arena, "%s?%s%s%s", pages[i].page, setup_qs(req, s),
                              pages[i].instrument ? "&amp;instrument=" : "",
                              pages[i].instrument ? SETUP_INSTRUMENTS[s->instrument] : "");
        *text = pages[i].text;
        return;
    }
    *href = arena_sprintf(&req->arena, "/admin/agency?id=%s", s->agency_id);
    *text = "กลับไปหน้าหน่วยงาน";
}

void setup_fail(struct http_request *req, const struct setup *s, int status, const char *msg)
{
    if (s->u->api) {
        admin_send_json_error(req, status, msg);
        return;
    }
    struct strbuf p;
    setup_page_begin(&p, req, s, "ทำรายการไม่สำเร็จ");
    const char *back_href = NULL, *back_text = NULL;
    setup_back(req, s, &back_href, &back_text);
    setup_view_fail(&p, s, msg, back_href, back_text);
    setup_send_page(req, status, &p);
}

void setup_db_failed(struct http_request *req, const struct setup *s, const struct db_result *r)
{
    if (r->unavailable || !r->sqlstate) {
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    log_error("event=admin_setup_sql_error w=%d sqlstate=%s error=\"%s\"", req->worker->id,
              r->sqlstate, r->error);
    setup_fail(req, s, 500, "ระบบฐานข้อมูลขัดข้อง กรุณาลองใหม่ภายหลัง");
}

void setup_redirect(struct http_request *req, const char *to)
{
    http_add_header(req, "Location", to);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

void setup_send_json(struct http_request *req, int status, json_t *doc)
{
    admin_send_json(req, status, doc);
    json_decref(doc);
}

const char *setup_qs(struct http_request *req, const struct setup *s)
{
    return arena_sprintf(&req->arena, "agency=%s&amp;fy=%s", s->agency_id, s->fy);
}

const char *setup_csrf(struct http_request *req, const struct setup *s)
{
    char csrf[40];
    admin_csrf_token(req, s->u, csrf);
    return arena_sprintf(&req->arena, "%s", csrf);
}

void setup_csrf_field(struct strbuf *p, struct http_request *req, const struct setup *s)
{
    setup_view_csrf(p, setup_csrf(req, s));
}

/* ---- waiting ---- */

void setup_dispatch(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (s->state < 0 || (size_t)s->state >= s->nsteps || !s->steps[s->state])
        abort();
    s->steps[s->state](req, s, r);
}

static void statement_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok && !s->own_db_errors) {
        setup_db_failed(req, s, r);
        return;
    }
    setup_dispatch(req, s, r);
}

void setup_run(struct http_request *req, struct setup *s, const struct db_statement *stmt,
               const char *const *params, int state)
{
    s->state = state;
    http_db(req, stmt, params, NULL, statement_done);
}

static void job_done(struct http_request *req, void *data)
{
    struct setup *s = req->handler_state;
    s->job = data;
    setup_dispatch(req, s, NULL);
}

void setup_job(struct http_request *req, struct setup *s, void *data, req_job_work work,
               req_job_free free_data, int state)
{
    s->state = state;
    req_job_start(req, data, work, job_done, free_data);
}

/* ---- what the request names ---- */

/* A parameter from the posted form, else from the query string. */
const char *setup_param(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = s->form ? form_get(s->form, name) : NULL;
    return v ? v : admin_query_str(req, name);
}

/* A new request state; takes over the posted form and upload from admin_with_user's state,
 * which it replaces as req->handler_state. */
struct setup *setup_new(struct http_request *req, const struct admin_user *u,
                        const setup_step *steps, size_t nsteps)
{
    struct setup *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    s->steps = steps;
    s->nsteps = nsteps;
    s->instrument = -1;
    s->form = admin_form(req);
    s->upload = admin_upload(req, "file");
    admin_scope(u, s->sys, s->uagency);
    snprintf(s->admin, sizeof s->admin, "%d", u->id);
    /* the page's tab in the year's sub-menu (the contact lists' follows the instrument) */
    s->tab = PAGE_YEAR_NONE;
    if (req->path && !strcmp(req->path, "/admin/year"))
        s->tab = PAGE_YEAR_SETUP;
    else if (req->path && !strcmp(req->path, "/admin/progress"))
        s->tab = PAGE_YEAR_PROGRESS;
    req->handler_state = s;
    return s;
}

bool setup_digits(const char *v, size_t max)
{
    size_t n = v ? strlen(v) : 0;
    return n >= 1 && n <= max && strspn(v, "0123456789") == n;
}

static void view_done(struct http_request *req, const struct db_result *r);

static void run_view(struct http_request *req, struct setup *s)
{
    const char *p[SETUP_VIEW_NPARAMS];
    p[SETUP_VIEW_P_SYSTEM] = s->sys;
    p[SETUP_VIEW_P_OWN_AGENCY] = s->uagency;
    p[SETUP_VIEW_P_ID] = s->id_param;
    p[SETUP_VIEW_P_CODE] = s->code_param;
    p[SETUP_VIEW_P_YEAR] = s->fy;
    http_db(req, &sql_setup_view, p, NULL, view_done);
}

/* Reads agency/code, fy and (when want_instrument) instrument, then resolves them and calls
 * the step. Answers 400 itself when they are missing or malformed. */
void setup_resolve(struct http_request *req, const struct admin_user *u, bool want_instrument,
                   const setup_step *steps, size_t nsteps)
{
    struct setup *s = setup_new(req, u, steps, nsteps);
    const char *id = setup_param(req, s, "agency"), *code = setup_param(req, s, "code"),
               *fy = setup_param(req, s, "fy");
    if (!(setup_digits(id, 9) || (code && *code)) || !setup_digits(fy, 4) || atoi(fy) < 2500 ||
        atoi(fy) > 2700) {
        setup_fail(req, s, 400,
                   "ต้องระบุหน่วยงาน (agency=รหัสตัวเลข หรือ code=รหัสหน่วยงาน) และปีงบประมาณ "
                   "พ.ศ. (fy เช่น 2567)");
        return;
    }
    if (want_instrument) {
        const char *in = setup_param(req, s, "instrument");
        s->instrument = in && !strcmp(in, "IIT") ? 0 : in && !strcmp(in, "EIT") ? 1 : -1;
        if (s->instrument < 0) {
            setup_fail(req, s, 400, "ต้องระบุแบบสำรวจ instrument=IIT หรือ EIT");
            return;
        }
    }
    snprintf(s->id_param, sizeof s->id_param, "%s", setup_digits(id, 9) ? id : "-1");
    s->code_param = code ? code : "";
    snprintf(s->fy, sizeof s->fy, "%s", fy);
    s->state = SETUP_RESOLVED;
    run_view(req, s);
}

void setup_reload(struct http_request *req, struct setup *s, int state)
{
    snprintf(s->id_param, sizeof s->id_param, "%s", s->agency_id);
    s->code_param = "";
    s->state = state;
    run_view(req, s);
}

static const char *col(struct http_request *req, const PGresult *res, int c)
{
    return arena_strndup(&req->arena, db_text(res, 0, c), (size_t)db_len(res, 0, c));
}

static void view_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    const PGresult *res = r->res;
    if (PQntuples(res) != 1) {
        setup_fail(req, s, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    static const int population_col[2] = {SETUP_VIEW_STAFF_POPULATION, SETUP_VIEW_EIT_POPULATION};
    static const int link_col[2] = {SETUP_VIEW_IIT_LINK_ID, SETUP_VIEW_EIT_LINK_ID};
    static const int slug_col[2] = {SETUP_VIEW_IIT_SLUG, SETUP_VIEW_EIT_SLUG};
    snprintf(s->agency_id, sizeof s->agency_id, "%s", db_text(res, 0, SETUP_VIEW_ID));
    s->code = col(req, res, SETUP_VIEW_CODE);
    s->name = col(req, res, SETUP_VIEW_NAME);
    s->year_set = db_bool(res, 0, SETUP_VIEW_YEAR_SET);
    s->version_exists = db_bool(res, 0, SETUP_VIEW_VERSION_EXISTS);
    s->closed = db_bool(res, 0, SETUP_VIEW_CLOSED);
    s->unverified = (long)db_int(res, 0, SETUP_VIEW_UNVERIFIED);
    s->private_delivery[0] = db_bool(res, 0, SETUP_VIEW_IIT_PRIVATE);
    s->private_delivery[1] = db_bool(res, 0, SETUP_VIEW_EIT_PRIVATE);
    s->opens_on = col(req, res, SETUP_VIEW_OPENS_ON);
    s->closes_on = col(req, res, SETUP_VIEW_CLOSES_ON);
    for (int k = 0; k < 2; k++) {
        s->population[k] =
            db_null(res, 0, population_col[k]) ? -1 : (long)db_int(res, 0, population_col[k]);
        s->link_id[k] = db_null(res, 0, link_col[k]) ? 0 : (long)db_int(res, 0, link_col[k]);
        s->slug[k] = col(req, res, slug_col[k]);
    }
    char err[256];
    const char *rule =
        db_null(res, 0, SETUP_VIEW_SAMPLE_RULE) ? NULL : db_text(res, 0, SETUP_VIEW_SAMPLE_RULE);
    if (ita_sample_rules_parse_text(rule, s->rules, err, sizeof err) != 0) {
        log_error("event=bad_sample_rule fy=%s error=\"%s\"", s->fy, err);
        for (int k = 0; k < 2; k++)
            s->rules[k] = ita_sample_rule_default(k);
    }
    setup_dispatch(req, s, NULL);
}

long setup_min_sample(const struct setup *s, int k)
{
    return ita_min_sample(&s->rules[k], s->population[k]);
}

const char *setup_link_url(struct http_request *req, const struct setup *s, int k)
{
    return s->link_id[k] ? arena_sprintf(&req->arena, "%s/s/%s", admin_public_base(req), s->slug[k])
                         : NULL;
}

void setup_list_errors(struct http_request *req, const struct setup *s,
                       const struct ita_import_errors *e, const char *list_th, const char *title,
                       const char *back_href, const char *back_text)
{
    if (s->u->api) {
        json_t *arr = json_array();
        for (size_t i = 0; i < e->n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "line",
                                                 (json_int_t)e->items[i].line, "column",
                                                 e->items[i].column, "reason", e->items[i].reason));
        setup_send_json(
            req, 422,
            json_pack("{s:s, s:i, s:o, s:I, s:I}", "error",
                      arena_sprintf(&req->arena, "%sมีข้อผิดพลาด ยังไม่ได้นำเข้าข้อมูลใด ๆ", list_th),
                      "status", 422, "errors", arr, "error_count", (json_int_t)e->total, "bad_rows",
                      (json_int_t)e->bad_rows));
        return;
    }
    struct strbuf p;
    setup_page_begin(&p, req, s, title);
    setup_view_list_errors(&p, s, e, back_href, back_text);
    setup_send_page(req, 422, &p);
}
