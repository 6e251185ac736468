/* Administrator pages for agencies and their public links: the list of agencies the signed-in
 * administrator may see (all for a system administrator, one's own for an agency administrator),
 * an agency's links with their QR codes, and the code or the printable poster of one link. Every
 * query carries the administrator's scope, so a guessed id of another agency answers 404 exactly
 * like an id that does not exist. Posters are drawn on the CPU pool, not on the event loop. */
#include "admin_session.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "cpu_pool.h"
#include "net/http.h"
#include "log.h"
#include "survey/pages.h"
#include "qr.h"
#include "server.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_ROWS 100

/* An error in the form the client asked for: JSON for API tokens, plain text otherwise. */
static void answer_error(struct http_request *req, int status, const char *message)
{
    if (admin_is_api(req))
        admin_send_json_error(req, status, message);
    else
        http_respond_error(req, status, message);
}

static void not_found(struct http_request *req)
{
    answer_error(req, 404, "no such agency or link");
}

/* True when the lookup returned the one row the page needs; otherwise answers 503 or 404. */
static bool found_one(struct http_request *req, const struct db_result *r)
{
    if (!r->ok) {
        http_respond_unavailable(req, "database unavailable");
        return false;
    }
    if (PQntuples(r->res) != 1) {
        not_found(req);
        return false;
    }
    return true;
}

/* ---- the list ---- */

static void list_done(struct http_request *req, const struct db_result *r)
{
    if (!r->ok) {
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    const struct admin_user *u = req->handler_state;
    long page = admin_query_int(req, "page");
    if (page < 0)
        page = 0;
    int n = PQntuples(r->res);
    if (u->api) {
        json_t *arr = json_array();
        for (int i = 0; i < n && i < PAGE_ROWS; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                                 atoll(PQgetvalue(r->res, i, 0)), "code",
                                                 PQgetvalue(r->res, i, 1), "name_th",
                                                 PQgetvalue(r->res, i, 2), "kind",
                                                 PQgetvalue(r->res, i, 3), "parent_code",
                                                 PQgetvalue(r->res, i, 4)));
        json_t *doc = json_pack("{s:o, s:o}", "agencies", arr, "next_page",
                                n > PAGE_ROWS ? json_integer(page + 1) : json_null());
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, u, "หน่วยงาน");
    strbuf_puts(&p, "\n");
    if (u->system) {
        char csrf[40];
        admin_csrf_token(req, u, csrf);
        strbuf_printf(&p, "<details><summary>เพิ่มหน่วยงาน</summary>"
                          "<form method=\"post\" action=\"/admin/agency/save\" id=\"new-agency\">"
                          "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                          "<p><label for=\"code\">รหัสหน่วยงาน</label><input id=\"code\" name=\"code\" required "
                          "maxlength=\"64\" pattern=\"[A-Za-z0-9][A-Za-z0-9._\\-]*\"></p>"
                          "<p><label for=\"name_th\">ชื่อหน่วยงาน</label><input id=\"name_th\" name=\"name_th\" "
                          "required maxlength=\"300\"></p>"
                          "<p><label for=\"kind\">ประเภทหน่วยงาน</label><input id=\"kind\" name=\"kind\" "
                          "maxlength=\"100\"></p>"
                          "<p><label for=\"parent_code\">รหัสหน่วยงานต้นสังกัด (ถ้ามี)</label>"
                          "<input id=\"parent_code\" name=\"parent_code\" maxlength=\"64\"></p>"
                          "<button type=\"submit\">เพิ่มหน่วยงาน</button></form></details>\n"
                          "<details><summary>นำเข้ารายการหน่วยงานจากไฟล์ CSV</summary>"
                          "<p>หัวตาราง: รหัสหน่วยงาน, ชื่อหน่วยงาน, ประเภทหน่วยงาน, หน่วยงานต้นสังกัด "
                          "(CSV หรือ CSV UTF-8 จาก Excel) รหัสที่มีอยู่แล้วจะถูกปรับปรุง</p>"
                          "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/admin/agencies/import\" "
                          "id=\"import-agencies\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                          "<p><label for=\"agency-file\">ไฟล์รายการหน่วยงาน (.csv)</label>"
                          "<input type=\"file\" id=\"agency-file\" name=\"file\" accept=\".csv,text/csv\" required></p>"
                          "<button type=\"submit\">นำเข้า</button></form></details>\n",
                      csrf, csrf);
    }
    strbuf_puts(&p, "<table id=\"agencies\"><thead><tr><th>รหัส</th><th>ชื่อหน่วยงาน</th></tr></thead><tbody>\n");
    for (int i = 0; i < n && i < PAGE_ROWS; i++) {
        strbuf_printf(&p, "<tr><td>");
        strbuf_html_escape(&p, PQgetvalue(r->res, i, 1));
        strbuf_printf(&p, "</td><td><a href=\"/admin/agency?id=%s\">", PQgetvalue(r->res, i, 0));
        strbuf_html_escape(&p, PQgetvalue(r->res, i, 2));
        strbuf_puts(&p, "</a></td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (n == 0)
        strbuf_puts(&p, "<p>ยังไม่มีหน่วยงาน</p>\n");
    if (page > 0)
        strbuf_printf(&p, "<p><a href=\"/admin/agencies?page=%ld\">หน้าก่อน</a></p>\n", page - 1);
    if (n > PAGE_ROWS)
        strbuf_printf(&p, "<p><a href=\"/admin/agencies?page=%ld\">หน้าถัดไป</a></p>\n", page + 1);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

void admin_agencies(struct http_request *req, const struct admin_user *u)
{
    long page = admin_query_int(req, "page");
    char sys[8], agency[16], offset[24];
    admin_scope(u, sys, agency);
    snprintf(offset, sizeof offset, "%ld", (page < 0 ? 0 : page) * PAGE_ROWS);
    req->handler_state = (void *)u;
    const char *p[3] = {sys, agency, offset};
    http_db(req, &sql_admin_agencies, p, NULL, list_done);
}

/* ---- one agency ---- */

struct agency_view {
    const struct admin_user *u;
    char id[24];
    char *code, *name, *kind, *parent_code; /* arena */
    char *years;                            /* loaded fiscal years, "2567,2566" (arena) */
};

static void links_done(struct http_request *req, const struct db_result *r)
{
    if (!r->ok) {
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    struct agency_view *av = req->handler_state;
    const char *base = admin_public_base(req);
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, av->u, av->name);
    strbuf_puts(&p, "<p>รหัสหน่วยงาน ");
    strbuf_html_escape(&p, av->code);
    if (av->kind[0]) {
        strbuf_puts(&p, " · ประเภท ");
        strbuf_html_escape(&p, av->kind);
    }
    if (av->parent_code[0]) {
        strbuf_puts(&p, " · ต้นสังกัด ");
        strbuf_html_escape(&p, av->parent_code);
    }
    strbuf_puts(&p, "</p>\n<h2>ปีงบประมาณ</h2>\n<ul id=\"years\">\n");
    for (char *y = av->years; y && *y;) {
        size_t l = strcspn(y, ",");
        strbuf_printf(&p, "<li>ปีงบประมาณ %.*s: <a href=\"/admin/year?agency=%s&amp;fy=%.*s\">ตั้งค่าและโปสเตอร์</a>"
                          " · <a href=\"/admin/contacts?agency=%s&amp;fy=%.*s&amp;instrument=IIT\">รายชื่อบุคลากร</a>"
                          " · <a href=\"/admin/contacts?agency=%s&amp;fy=%.*s&amp;instrument=EIT\">รายชื่อผู้มีส่วนได้ส่วนเสียภายนอก</a>"
                          " · <a href=\"/admin/progress?agency=%s&amp;fy=%.*s\">ความคืบหน้า</a>"
                          " · <a href=\"/admin/results?agency=%s&amp;year=%.*s\">ผลคะแนน</a></li>\n",
                      (int)l, y, av->id, (int)l, y, av->id, (int)l, y, av->id, (int)l, y, av->id, (int)l,
                      y, av->id, (int)l, y);
        y += l + (y[l] == ',');
    }
    if (!av->years[0])
        strbuf_puts(&p, "<li>ยังไม่มีแบบสำรวจในระบบ (ผู้ดูแลระบบต้องโหลดด้วย itad --load-instruments)</li>\n");
    strbuf_puts(&p, "</ul>\n");
    char csrf[40];
    admin_csrf_token(req, av->u, csrf);
    strbuf_printf(&p, "<details><summary>แก้ไขข้อมูลหน่วยงาน</summary>"
                      "<form method=\"post\" action=\"/admin/agency/save\" id=\"edit-agency\">"
                      "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"id\" value=\"%s\">",
                  csrf, av->id);
    if (av->u->system) {
        strbuf_puts(&p, "<p><label for=\"code\">รหัสหน่วยงาน</label><input id=\"code\" name=\"code\" required maxlength=\"64\" value=\"");
        strbuf_html_escape(&p, av->code);
        strbuf_puts(&p, "\"></p><p><label for=\"parent_code\">รหัสหน่วยงานต้นสังกัด</label>"
                        "<input id=\"parent_code\" name=\"parent_code\" maxlength=\"64\" value=\"");
        strbuf_html_escape(&p, av->parent_code);
        strbuf_puts(&p, "\"></p>");
    }
    strbuf_puts(&p, "<p><label for=\"name_th\">ชื่อหน่วยงาน</label><input id=\"name_th\" name=\"name_th\" required maxlength=\"300\" value=\"");
    strbuf_html_escape(&p, av->name);
    strbuf_puts(&p, "\"></p><p><label for=\"kind\">ประเภทหน่วยงาน</label><input id=\"kind\" name=\"kind\" maxlength=\"100\" value=\"");
    strbuf_html_escape(&p, av->kind);
    strbuf_puts(&p, "\"></p><button type=\"submit\">บันทึก</button></form></details>\n");
    strbuf_puts(&p, "<h2>ลิงก์สาธารณะของแบบวัด</h2>\n");
    int n = PQntuples(r->res);
    if (n == 0)
        strbuf_puts(&p, "<p>ยังไม่มีลิงก์</p>\n");
    strbuf_puts(&p, "<table id=\"links\"><thead><tr><th>ปีงบประมาณ</th><th>แบบวัด</th><th>ลิงก์</th>"
                    "<th>คิวอาร์โค้ดและโปสเตอร์</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const char *id = PQgetvalue(r->res, i, 0);
        bool revoked = PQgetvalue(r->res, i, 4)[0] == 't';
        strbuf_printf(&p, "<tr><td>%s</td><td>%s</td><td>", PQgetvalue(r->res, i, 1),
                      PQgetvalue(r->res, i, 2));
        if (revoked) {
            strbuf_puts(&p, "(ยกเลิกแล้ว)</td><td></td></tr>\n");
            continue;
        }
        strbuf_html_escape(&p, base);
        strbuf_puts(&p, "/s/");
        strbuf_html_escape(&p, PQgetvalue(r->res, i, 3));
        strbuf_printf(&p, "</td><td><a href=\"/admin/qr?link=%s&amp;format=png\">PNG</a> · "
                          "<a href=\"/admin/qr?link=%s&amp;format=svg\">SVG</a> · "
                          "<a href=\"/admin/qr?link=%s&amp;format=pdf\">โปสเตอร์ PDF</a> · "
                          "<a href=\"/admin/qr?link=%s&amp;format=poster-png\">โปสเตอร์ PNG</a> · "
                          "<a href=\"/admin/qr?link=%s&amp;format=html\">โค้ดสำหรับเว็บไซต์</a></td></tr>\n",
                      id, id, id, id, id);
    }
    strbuf_puts(&p, "</tbody></table>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void agency_done(struct http_request *req, const struct db_result *r)
{
    if (!found_one(req, r))
        return;
    struct agency_view *av = req->handler_state;
    av->code = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 1), (size_t)PQgetlength(r->res, 0, 1));
    av->name = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 2), (size_t)PQgetlength(r->res, 0, 2));
    av->kind = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 3), (size_t)PQgetlength(r->res, 0, 3));
    av->parent_code = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 4), (size_t)PQgetlength(r->res, 0, 4));
    av->years = arena_strndup(&req->arena, PQgetvalue(r->res, 0, 5), (size_t)PQgetlength(r->res, 0, 5));
    const char *p[1] = {av->id};
    http_db(req, &sql_admin_agency_links, p, NULL, links_done);
}

void admin_agency(struct http_request *req, const struct admin_user *u)
{
    long id = admin_query_int(req, "id");
    if (id <= 0) {
        not_found(req);
        return;
    }
    struct agency_view *av = arena_alloc(&req->arena, sizeof *av);
    memset(av, 0, sizeof *av);
    av->u = u;
    snprintf(av->id, sizeof av->id, "%ld", id);
    req->handler_state = av;
    char sys[8], agency[16];
    admin_scope(u, sys, agency);
    const char *p[3] = {av->id, sys, agency};
    http_db(req, &sql_admin_agency, p, NULL, agency_done);
}

/* ---- codes and posters ---- */

struct poster_job {
    struct http_request *req; /* NULL once the request is gone */
    struct cpu_job *handle;
    struct poster p;          /* strings below are owned by the job */
    char agency[512];
    char url[512];
    enum poster_format fmt;
    unsigned char *out;       /* result, malloc'd */
    size_t len;
    char err[256];
    int rc;
};

static void poster_run(void *arg)
{
    struct poster_job *j = arg;
    j->rc = poster_render(&j->p, j->fmt, 300, &j->out, &j->len, j->err, sizeof j->err);
}

static void poster_done(void *arg, bool cancelled)
{
    struct poster_job *j = arg;
    struct http_request *req = j->req;
    if (!cancelled && req) {
        req->on_gone = NULL;
        req->handler_state = NULL;
        if (j->rc != 0) {
            log_error("event=poster_failed w=%d error=\"%s\"", req->worker->id, j->err);
            http_respond_error(req, 500, "the poster could not be drawn");
        } else {
            /* year and instrument in the name: a clerk saves the IIT and EIT posters side by side */
            http_add_header(req, "Content-Disposition",
                            arena_sprintf(&req->arena, "attachment; filename=\"ita-poster-%d-%s.%s\"",
                                          j->p.fiscal_year, j->p.instrument,
                                          j->fmt == POSTER_PDF ? "pdf" : "png"));
            http_respond(req, 200, j->fmt == POSTER_PDF ? "application/pdf" : "image/png", j->out, j->len);
        }
    }
    free(j->out);
    free(j);
}

static void poster_gone(struct http_request *req)
{
    struct poster_job *j = req->handler_state;
    if (j) {
        j->req = NULL;
        cpu_job_cancel(j->handle);
    }
}

static void link_done(struct http_request *req, const struct db_result *r)
{
    if (!found_one(req, r))
        return;
    const char *format = admin_query_str(req, "format");
    struct poster p = {
        .agency_th = PQgetvalue(r->res, 0, 3),
        .fiscal_year = atoi(PQgetvalue(r->res, 0, 1)),
        .instrument = PQgetvalue(r->res, 0, 2),
        .url = arena_sprintf(&req->arena, "%s/s/%s", admin_public_base(req), PQgetvalue(r->res, 0, 0)),
    };
    char err[256];
    if (!strcmp(format, "png") || !strcmp(format, "svg")) {
        struct qr_code q;
        if (qr_make(p.url, &q, err, sizeof err) != 0) {
            http_respond_error(req, 500, err);
            return;
        }
        if (!strcmp(format, "svg")) {
            char *svg = qr_svg(&q, 10);
            http_respond(req, 200, "image/svg+xml", svg, strlen(svg));
            free(svg);
        } else {
            unsigned char *png = NULL;
            size_t len = 0;
            if (qr_png_mem(&q, 10, &png, &len, err, sizeof err) != 0)
                http_respond_error(req, 500, err);
            else
                http_respond(req, 200, "image/png", png, len);
            free(png);
        }
        qr_free(&q);
        return;
    }
    if (!strcmp(format, "html")) {
        char *html = poster_html_snippet(&p, err, sizeof err);
        if (!html) {
            http_respond_error(req, 500, err);
            return;
        }
        http_respond(req, 200, "text/plain; charset=utf-8", html, strlen(html));
        free(html);
        return;
    }
    struct poster_job *j = xcalloc(1, sizeof *j);
    j->req = req;
    snprintf(j->agency, sizeof j->agency, "%s", p.agency_th);
    snprintf(j->url, sizeof j->url, "%s", p.url);
    j->p = p;
    j->p.agency_th = j->agency;
    j->p.url = j->url;
    j->p.instrument = strcmp(p.instrument, "IIT") == 0 ? "IIT" : "EIT";
    j->fmt = !strcmp(format, "pdf") ? POSTER_PDF : POSTER_PNG;
    j->handle = cpu_job_submit(req->worker->srv->cpu, req->worker->base, poster_run, poster_done, j);
    if (!j->handle) {
        free(j);
        http_respond_unavailable(req, "too many posters being drawn");
        return;
    }
    req->handler_state = j;
    req->on_gone = poster_gone;
}

void admin_qr(struct http_request *req, const struct admin_user *u)
{
    long link = admin_query_int(req, "link");
    const char *format = admin_query_str(req, "format");
    static const char *const formats[] = {"png", "svg", "pdf", "poster-png", "html"};
    bool known = false;
    for (size_t i = 0; format && i < sizeof formats / sizeof formats[0]; i++)
        known |= strcmp(format, formats[i]) == 0;
    if (link <= 0 || !known) {
        answer_error(req, 400, "use ?link=ID&format=png|svg|pdf|poster-png|html");
        return;
    }
    char id[24], sys[8], agency[16];
    snprintf(id, sizeof id, "%ld", link);
    admin_scope(u, sys, agency);
    const char *p[3] = {id, sys, agency};
    http_db(req, &sql_admin_link, p, NULL, link_done);
}

