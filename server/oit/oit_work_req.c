/* The machinery of the OIT work pages (see oit_work.h): the agency and year resolved within the
 * administrator's scope, the steps run as statements answer, the Thai failure page, redirects
 * and the top of every page. */
#include "oit_work.h"
#include "oit_work_sql.h"
#include "app/page_frame.h"
#include "db/db_row.h"
#include "log.h"
#include "server.h"
#include "thai_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool digits(const char *v, size_t max)
{
    size_t n = v ? strlen(v) : 0;
    return n >= 1 && n <= max && strspn(v, "0123456789") == n;
}

const char *oreq_param(struct http_request *req, const struct oreq *o, const char *name)
{
    const char *v = o->form ? form_get(o->form, name) : NULL;
    return v ? v : admin_query_str(req, name);
}

void oreq_fail(struct http_request *req, const struct oreq *o, int status, const char *msg)
{
    if (o->u && o->u->api) {
        admin_send_json_error(req, status, msg);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, o->u, "ทำรายการไม่สำเร็จ");
    strbuf_puts(&p, "<div class=\"es\" role=\"alert\"><p>");
    strbuf_html_escape(&p, msg);
    strbuf_puts(&p, "</p></div>\n<p>ยังไม่ได้บันทึกสิ่งใดจากคำขอนี้</p>\n");
    if (o->agency_id[0])
        strbuf_printf(
            &p, "<p><a href=\"/admin/oit-work?agency=%s&amp;year=%d\">กลับไปหน้างาน OIT</a></p>\n",
            o->agency_id, o->year);
    else
        strbuf_puts(&p, "<p><a href=\"/admin/\">ไปหน้าแรกของผู้ดูแล</a></p>\n");
    page_frame_finish(&p);
    admin_send_page(req, status, &p);
}

void oreq_redirect(struct http_request *req, const char *location)
{
    http_add_header(req, "Location", location);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void dispatch(struct http_request *req, struct oreq *o, const struct db_result *r)
{
    if (o->state < 0 || (size_t)o->state >= o->nsteps || !o->steps[o->state]) {
        log_error("event=oit_work_bad_state state=%d nsteps=%zu", o->state, o->nsteps);
        abort();
    }
    o->steps[o->state](req, o, r);
}

static void statement_done(struct http_request *req, const struct db_result *r)
{
    struct oreq *o = req->handler_state;
    if (!r->ok) {
        if (r->unavailable || !r->sqlstate) {
            http_respond_unavailable(req, "database unavailable");
            return;
        }
        log_error("event=oit_work_sql_error w=%d state=%d sqlstate=%s error=\"%s\"",
                  req->worker->id, o->state, r->sqlstate, r->error ? r->error : "");
        oreq_fail(req, o, 500, "ระบบฐานข้อมูลขัดข้อง กรุณาลองใหม่ภายหลัง");
        return;
    }
    dispatch(req, o, r);
}

static void statement_done_own(struct http_request *req, const struct db_result *r)
{
    struct oreq *o = req->handler_state;
    if (!r->ok && (r->unavailable || !r->sqlstate)) {
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    dispatch(req, o, r);
}

void oreq_run(struct http_request *req, struct oreq *o, const struct db_statement *stmt,
              const char *const *p, int state)
{
    o->state = state;
    http_db(req, stmt, p, NULL, statement_done);
}

void oreq_run_own_errors(struct http_request *req, struct oreq *o, const struct db_statement *stmt,
                         const char *const *p, int state)
{
    o->state = state;
    http_db(req, stmt, p, NULL, statement_done_own);
}

void oreq_page_begin(struct strbuf *p, struct http_request *req, const struct oreq *o,
                     const char *title)
{
    admin_page_begin(p, req, o->u, title);
    page_year_nav(p, o->agency_id, o->name, o->year,
                  strncmp(o->page, "/admin/oit-work", 15) == 0 ? PAGE_YEAR_OIT : PAGE_YEAR_NONE);
}

static const char *text_at(struct http_request *req, const PGresult *res, int c)
{
    return arena_strndup(&req->arena, db_text(res, 0, c), (size_t)db_len(res, 0, c));
}

/* A system administrator who named no agency: the code is asked for, then the same page. */
static void agency_picker(struct http_request *req, struct oreq *o)
{
    if (o->u->api) {
        admin_send_json_error(req, 400,
                              "ต้องระบุหน่วยงาน (agency=รหัสตัวเลข หรือ agency_code=รหัสหน่วยงาน)");
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, o->u, "เลือกหน่วยงาน");
    strbuf_printf(&p,
                  "<p>หน้านี้เป็นงานของหน่วยงานหนึ่ง กรอกรหัสหน่วยงาน หรือเลือกจาก"
                  "<a href=\"/admin/agencies\">รายชื่อหน่วยงาน</a></p>\n"
                  "<form method=\"get\" action=\"%s\" id=\"agency-pick\">"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                  "<div><label for=\"pick-code\">รหัสหน่วยงาน</label>"
                  "<input id=\"pick-code\" name=\"agency_code\" required maxlength=\"40\"></div>"
                  "<button type=\"submit\">เปิด</button></form>\n",
                  o->page, o->year);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

static void agency_done(struct http_request *req, const struct db_result *r)
{
    struct oreq *o = req->handler_state;
    if (!r->ok) {
        statement_done(req, r);
        return;
    }
    const PGresult *res = r->res;
    if (PQntuples(res) != 1) {
        oreq_fail(req, o, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    snprintf(o->agency_id, sizeof o->agency_id, "%s", db_text(res, 0, OIT_AGENCY_ID));
    o->code = text_at(req, res, OIT_AGENCY_CODE);
    o->name = text_at(req, res, OIT_AGENCY_NAME_TH);
    o->version = db_bool(res, 0, OIT_AGENCY_VERSION);
    o->prev_version = db_bool(res, 0, OIT_AGENCY_PREV_VERSION);
    o->suggested = db_bool(res, 0, OIT_AGENCY_SUGGESTED);
    o->state = OREQ_RESOLVED;
    dispatch(req, o, NULL);
}

void oreq_resolve(struct http_request *req, const struct admin_user *u, const char *page,
                  const oreq_step *steps, size_t nsteps)
{
    struct oreq *o = arena_alloc(&req->arena, sizeof *o);
    memset(o, 0, sizeof *o);
    o->u = u;
    o->page = page;
    o->steps = steps;
    o->nsteps = nsteps;
    o->form = admin_form(req); /* admin_form reads admin_with_user's state: before it is ours */
    admin_scope(u, o->sys, o->own);
    snprintf(o->uid, sizeof o->uid, "%d", u->id);
    req->handler_state = o;
    const char *id = oreq_param(req, o, "agency"), *code = oreq_param(req, o, "agency_code"),
               *year = oreq_param(req, o, "year");
    o->year = ita_fiscal_year_now();
    if (year && *year) {
        o->year = digits(year, 4) ? atoi(year) : 0;
        if (o->year < 2500 || o->year > 2700) {
            oreq_fail(req, o, 400, "ปีงบประมาณไม่ถูกต้อง (year= เช่น 2569)");
            return;
        }
    }
    snprintf(o->year_s, sizeof o->year_s, "%d", o->year);
    char id_param[16];
    if (id && *id && !digits(id, 9)) {
        oreq_fail(req, o, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    if (digits(id, 9))
        snprintf(id_param, sizeof id_param, "%s", id);
    else if (code && *code)
        snprintf(id_param, sizeof id_param, "-1");
    else if (!u->system)
        snprintf(id_param, sizeof id_param, "%d", u->agency_id);
    else {
        agency_picker(req, o);
        return;
    }
    const char *p[OIT_AGENCY_NPARAMS];
    p[OIT_AGENCY_P_ID] = arena_strndup(&req->arena, id_param, strlen(id_param));
    p[OIT_AGENCY_P_CODE] = code ? code : "";
    p[OIT_AGENCY_P_SYSTEM] = o->sys;
    p[OIT_AGENCY_P_OWN] = o->own;
    p[OIT_AGENCY_P_YEAR] = o->year_s;
    http_db(req, &sql_oit_agency, p, NULL, agency_done);
}

const struct oit_table *oit_table_copy(struct arena *a, const PGresult *res)
{
    struct oit_table *t = arena_alloc(a, sizeof *t);
    t->rows = PQntuples(res);
    t->cols = PQnfields(res);
    size_t n = (size_t)t->rows * (size_t)t->cols;
    t->cell = arena_alloc(a, sizeof *t->cell * (n ? n : 1));
    for (int i = 0; i < t->rows; i++)
        for (int c = 0; c < t->cols; c++)
            t->cell[i * t->cols + c] =
                arena_strndup(a, db_text(res, i, c), (size_t)db_len(res, i, c));
    return t;
}

const char *oit_cell(const struct oit_table *t, int row, int col)
{
    if (!t || row < 0 || row >= t->rows || col < 0 || col >= t->cols)
        abort(); /* a column the statement does not declare: a programming error */
    return t->cell[row * t->cols + col];
}

bool oit_cell_bool(const struct oit_table *t, int row, int col)
{
    return oit_cell(t, row, col)[0] == 't';
}

long long oit_cell_int(const struct oit_table *t, int row, int col)
{
    return strtoll(oit_cell(t, row, col), NULL, 10);
}
