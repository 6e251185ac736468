/* What the fiscal-year set-up pages share (see admin_setup.h). */
#include "admin_setup.h"
#include "setup_sql.h"
#include "import_util.h"
#include "log.h"
#include "survey/pages.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const SETUP_INSTRUMENTS[2] = {"IIT", "EIT"};
const char *const SETUP_LIST_TH[2] = {"รายชื่อบุคลากร (IIT)",
                                      "รายชื่อผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)"};

/* ---- answering ---- */

void setup_fail(struct http_request *req, const struct setup *s, int status, const char *msg)
{
    if (s->u->api) {
        admin_send_json_error(req, status, msg);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ทำรายการไม่สำเร็จ");
    strbuf_puts(&p, "<p class=\"er\" role=\"alert\">");
    strbuf_html_escape(&p, msg);
    strbuf_puts(&p, "</p>\n");
    if (s->agency_id[0] && s->name) /* resolved: the way back to the year's pages */
        setup_nav(&p, req, s);
    strbuf_puts(&p, "<p><a href=\"/admin/agencies\">กลับไปหน้าหน่วยงาน</a></p>\n");
    pages_finish(&p);
    admin_send_page(req, status, &p);
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

/* ---- what the request names ---- */

/* A parameter from the posted form, else from the query string. */
const char *setup_param(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = s->form ? form_get(s->form, name) : NULL;
    return v ? v : admin_query_str(req, name);
}

/* A new request state; takes over the posted form and upload from admin_with_user's state,
 * which it replaces as req->handler_state. */
struct setup *setup_new(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    s->instrument = -1;
    s->form = admin_form(req);
    s->upload = admin_upload(req, "file");
    admin_scope(u, s->sys, s->uagency);
    req->handler_state = s;
    return s;
}

bool setup_digits(const char *v, size_t max)
{
    size_t n = v ? strlen(v) : 0;
    return n >= 1 && n <= max && strspn(v, "0123456789") == n;
}

static void view_done(struct http_request *req, const struct db_result *r);

/* Reads agency/code, fy and (when want_instrument) instrument, then resolves them and calls
 * next. Answers 400 itself when they are missing or malformed. */
void setup_resolve(struct http_request *req, const struct admin_user *u, bool want_instrument,
                    setup_next next)
{
    struct setup *s = setup_new(req, u);
    s->next = next;
    const char *id = setup_param(req, s, "agency"), *code = setup_param(req, s, "code"),
               *fy = setup_param(req, s, "fy");
    if (!(setup_digits(id, 9) || (code && *code)) || !setup_digits(fy, 4) || atoi(fy) < 2500 ||
        atoi(fy) > 2700) {
        setup_fail(req, s, 400, "ต้องระบุหน่วยงาน (agency=รหัสตัวเลข หรือ code=รหัสหน่วยงาน) และปีงบประมาณ "
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
    const char *p[5] = {s->sys, s->uagency, s->id_param, s->code_param, s->fy};
    http_db(req, &sql_setup_view, p, NULL, view_done);
}

static const char *col(struct http_request *req, PGresult *res, int c)
{
    return arena_strndup(&req->arena, PQgetvalue(res, 0, c), (size_t)PQgetlength(res, 0, c));
}

static void view_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    PGresult *res = r->res;
    if (PQntuples(res) != 1) {
        setup_fail(req, s, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    snprintf(s->agency_id, sizeof s->agency_id, "%s", PQgetvalue(res, 0, 0));
    s->code = col(req, res, 1);
    s->name = col(req, res, 2);
    s->year_set = PQgetvalue(res, 0, 3)[0] == 't';
    s->version_exists = PQgetvalue(res, 0, 4)[0] == 't';
    s->closed = PQgetvalue(res, 0, 5)[0] == 't';
    s->opens_on = col(req, res, 6);
    s->closes_on = col(req, res, 7);
    for (int k = 0; k < 2; k++) {
        s->population[k] = PQgetisnull(res, 0, 8 + k) ? -1 : atol(PQgetvalue(res, 0, 8 + k));
        s->link_id[k] = PQgetisnull(res, 0, 11 + 2 * k) ? 0 : atol(PQgetvalue(res, 0, 11 + 2 * k));
        s->slug[k] = col(req, res, 12 + 2 * k);
    }
    char err[256];
    if (ita_sample_rules_parse_text(PQgetisnull(res, 0, 10) ? NULL : PQgetvalue(res, 0, 10),
                                    s->rules, err, sizeof err) != 0) {
        log_error("event=bad_sample_rule fy=%s error=\"%s\"", s->fy, err);
        for (int k = 0; k < 2; k++)
            s->rules[k] = ita_sample_rule_default(k);
    }
    s->next(req, s);
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

/* Links to the other pages of the same agency and year. */
void setup_nav(struct strbuf *p, struct http_request *req, const struct setup *s)
{
    const char *qs = setup_qs(req, s);
    strbuf_puts(p, "<p class=\"yn\"><strong>");
    strbuf_html_escape(p, s->name);
    strbuf_printf(p, "</strong> ปีงบประมาณ %s · <a href=\"/admin/year?%s\">ตั้งค่าปีงบประมาณ</a> · "
                     "<a href=\"/admin/contacts?%s&amp;instrument=IIT\">รายชื่อบุคลากร</a> · "
                     "<a href=\"/admin/contacts?%s&amp;instrument=EIT\">รายชื่อผู้มีส่วนได้ส่วนเสียภายนอก</a> · "
                     "<a href=\"/admin/progress?%s\">ความคืบหน้า</a></p>\n",
                  s->fy, qs, qs, qs, qs);
}

void setup_csrf_field(struct strbuf *p, struct http_request *req, const struct setup *s)
{
    char csrf[40];
    admin_csrf_token(req, s->u, csrf);
    strbuf_printf(p, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", csrf);
}

void setup_hidden_scope(struct strbuf *p, const struct setup *s, int instrument)
{
    strbuf_printf(p, "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                     "<input type=\"hidden\" name=\"fy\" value=\"%s\">",
                  s->agency_id, s->fy);
    if (instrument >= 0)
        strbuf_printf(p, "<input type=\"hidden\" name=\"instrument\" value=\"%s\">",
                      SETUP_INSTRUMENTS[instrument]);
}


void setup_reload(struct http_request *req, struct setup *s, setup_next next)
{
    snprintf(s->id_param, sizeof s->id_param, "%s", s->agency_id);
    s->code_param = "";
    s->next = next;
    const char *p[5] = {s->sys, s->uagency, s->id_param, s->code_param, s->fy};
    http_db(req, &sql_setup_view, p, NULL, view_done);
}

void setup_list_errors(struct http_request *req, const struct setup *s,
                       const struct ita_import_errors *e, const char *list_th, const char *title,
                       const char *back_href, const char *back_text)
{
    if (s->u->api) {
        json_t *arr = json_array();
        for (size_t i = 0; i < e->n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)e->items[i].line,
                                                 "column", e->items[i].column, "reason",
                                                 e->items[i].reason));
        setup_send_json(req, 422,
                        json_pack("{s:s, s:i, s:o, s:I, s:I}", "error",
                                  arena_sprintf(&req->arena, "%sมีข้อผิดพลาด ยังไม่ได้นำเข้าข้อมูลใด ๆ", list_th),
                                  "status", 422, "errors", arr, "error_count", (json_int_t)e->total,
                                  "bad_rows", (json_int_t)e->bad_rows));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, title);
    if (s->agency_id[0])
        setup_nav(&p, req, s);
    strbuf_printf(&p, "<p class=\"er\" role=\"alert\" id=\"import-errors-summary\">พบข้อผิดพลาด %zu รายการ",
                  e->total);
    if (e->bad_rows > 0) /* errors about the whole file (encoding, header) name no row */
        strbuf_printf(&p, "ใน %zu แถว", e->bad_rows);
    strbuf_puts(&p, " ยังไม่ได้นำเข้าข้อมูลใด ๆ กรุณาแก้ไขไฟล์แล้วนำเข้าใหม่</p>\n"
                    "<table id=\"import-errors\"><thead><tr><th>บรรทัด</th><th>คอลัมน์</th>"
                    "<th>ปัญหา</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < e->n; i++) {
        strbuf_printf(&p, "<tr><td>%lu</td><td>", e->items[i].line);
        strbuf_html_escape(&p, e->items[i].column);
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, e->items[i].reason);
        strbuf_puts(&p, "</td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (e->total > e->n)
        strbuf_printf(&p, "<p>แสดง %zu รายการแรกจาก %zu</p>\n", e->n, e->total);
    strbuf_printf(&p, "<p><a href=\"%s\">", back_href);
    strbuf_html_escape(&p, back_text);
    strbuf_puts(&p, "</a></p>\n");
    pages_finish(&p);
    admin_send_page(req, 422, &p);
}
