/* Creating, editing and importing agencies. A system administrator creates agencies one at a
 * time (POST /admin/agency/save without an id) or imports a CSV list (POST /admin/agencies/import:
 * a browser's multipart upload or an API client's CSV body, parsed and validated on the CPU pool
 * by core/agency_list; any bad row imports nothing; known codes are updated), and may change any
 * agency's code and parent. An agency administrator may correct the Thai name and type of its own
 * agency only; anything else answers 404 like an agency that does not exist. */
#include "admin_session.h"
#include "admin_handlers.h"
#include "agency_sql.h"
#include "admin_setup.h"
#include "agency_list.h"
#include "import_util.h"
#include "log.h"
#include "survey/pages.h"
#include "app/req_job.h"
#include "server.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one agency ---- */

/* The cleaned value of a text field, or "" (arena). */
static const char *field(struct http_request *req, const struct setup *s, const char *name)
{
    const char *v = setup_param(req, s, name);
    if (!v)
        return "";
    char *c = ita_text_clean(&req->arena, v, strlen(v));
    return c ? c : "";
}

static void saved(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        if (r->sqlstate && !strcmp(r->sqlstate, "23505")) {
            setup_fail(req, s, 409, "มีหน่วยงานที่ใช้รหัสนี้อยู่แล้ว");
            return;
        }
        if (r->sqlstate && (!strcmp(r->sqlstate, "23503") || !strcmp(r->sqlstate, "23514"))) {
            setup_fail(req, s, 422, "หน่วยงานต้นสังกัดไม่ถูกต้อง (ไม่พบรหัส หรือเป็นหน่วยงานเดียวกัน)");
            return;
        }
        setup_db_failed(req, s, r);
        return;
    }
    bool created = s->page != NULL;
    if (PQntuples(r->res) == 0 || PQgetvalue(r->res, 0, 1)[0] != 't') {
        setup_fail(req, s, 422, "ไม่พบหน่วยงานต้นสังกัดรหัสนี้");
        return;
    }
    const char *id = PQgetvalue(r->res, 0, 0);
    if (PQgetisnull(r->res, 0, 0)) {
        setup_fail(req, s, 404, "ไม่พบหน่วยงานนี้ หรือท่านไม่มีสิทธิ์ดูแลหน่วยงานนี้");
        return;
    }
    log_info("event=agency_saved w=%d admin=%d agency=%s created=%d", req->worker->id, s->u->id, id,
             created);
    if (s->u->api) {
        setup_send_json(req, created ? 201 : 200, json_pack("{s:I, s:b}", "id", atoll(id), "created", created));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/agency?id=%s", id));
}

void admin_agency_save(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    const char *id = setup_param(req, s, "id");
    const char *code = field(req, s, "code"), *name = field(req, s, "name_th"),
               *kind = field(req, s, "kind"), *parent = field(req, s, "parent_code");
    if (id && *id && !setup_digits(id, 9)) {
        setup_fail(req, s, 404, "ไม่พบหน่วยงานนี้");
        return;
    }
    bool create = !id || !*id;
    if (create && !u->system) {
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มหน่วยงานได้");
        return;
    }
    if (!*name || ita_utf8_chars(name) > ITA_AGENCY_NAME_MAX || ita_utf8_chars(kind) > ITA_AGENCY_KIND_MAX) {
        setup_fail(req, s, 400, "ชื่อหน่วยงานต้องมี 1–300 ตัวอักษร และประเภทไม่เกิน 100 ตัวอักษร");
        return;
    }
    if ((create || u->system) && (!ita_agency_code_valid(code) ||
                                  (*parent && !ita_agency_code_valid(parent)))) {
        setup_fail(req, s, 400, "รหัสหน่วยงานใช้ได้เฉพาะ A-Z a-z 0-9 . _ - (ไม่เกิน 64 ตัว) "
                                "และต้องขึ้นต้นด้วยตัวอักษรหรือตัวเลข");
        return;
    }
    if (*parent && !strcmp(parent, code)) {
        setup_fail(req, s, 422, "หน่วยงานเป็นต้นสังกัดของตัวเองไม่ได้");
        return;
    }
    if (create) {
        s->page = (void *)"create";
        char admin[16];
        snprintf(admin, sizeof admin, "%d", u->id);
        const char *p[5] = {code, name, kind, parent, admin};
        http_db(req, &sql_agency_create, p, NULL, saved);
        return;
    }
    const char *p[7] = {id, code, name, kind, parent, s->sys, s->uagency};
    http_db(req, &sql_agency_update, p, NULL, saved);
}

/* ---- a list ---- */

/* Parsing an uploaded agency list on the CPU pool: owns a copy of the upload and the result. */
struct agency_job {
    unsigned char *bytes;
    size_t len;
    struct ita_agency_list list;
    bool importable;
    struct strbuf cols[4];
};

static void agency_job_free(void *data)
{
    struct agency_job *j = data;
    free(j->bytes);
    ita_agency_list_free(&j->list);
    for (int i = 0; i < 4; i++)
        strbuf_free(&j->cols[i]);
    free(j);
}

static void agency_job_work(void *data)
{
    struct agency_job *j = data;
    j->importable = ita_agency_list_parse(j->bytes, j->len, &j->list) == 0 &&
                    ita_agency_list_pg_arrays(&j->list, &j->cols[0], &j->cols[1], &j->cols[2],
                                              &j->cols[3]) == 0;
}

static void imported(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        if (r->sqlstate && !strcmp(r->sqlstate, "23503")) { /* unknown parent code: Thai message */
            setup_fail(req, s, 422, r->error && strstr(r->error, "ไม่พบ") ? strstr(r->error, "ไม่พบ")
                                                                           : "ไม่พบหน่วยงานต้นสังกัด");
            return;
        }
        setup_db_failed(req, s, r);
        return;
    }
    long ins = atol(PQgetvalue(r->res, 0, 0)), upd = atol(PQgetvalue(r->res, 0, 1));
    const char *enc = s->page;
    log_info("event=agencies_imported w=%d admin=%d inserted=%ld updated=%ld", req->worker->id,
             s->u->id, ins, upd);
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:I, s:I, s:I, s:s}", "inserted", (json_int_t)ins,
                                            "updated", (json_int_t)upd, "rows",
                                            (json_int_t)(ins + upd), "encoding", enc));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "นำเข้ารายการหน่วยงานแล้ว");
    strbuf_printf(&p, "<p id=\"import-summary\">เพิ่มใหม่ %ld "
                      "หน่วยงาน ปรับปรุง %ld หน่วยงาน (ไฟล์ ", ins, upd);
    strbuf_html_escape(&p, enc);
    strbuf_puts(&p, ")</p><p><a href=\"/admin/agencies\">ไปหน้าหน่วยงาน</a></p>\n");
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void parsed(struct http_request *req, void *data)
{
    struct agency_job *j = data;
    struct setup *s = req->handler_state;
    if (!j->importable) {
        setup_list_errors(req, s, &j->list.errors, "รายการหน่วยงาน", "นำเข้ารายการหน่วยงานไม่สำเร็จ",
                          "/admin/agencies", "กลับไปหน้าหน่วยงาน");
        return;
    }
    s->page = arena_sprintf(&req->arena, "%s", ita_text_encoding_name(j->list.encoding));
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[5] = {j->cols[0].data, j->cols[1].data, j->cols[2].data, j->cols[3].data, admin};
    http_db(req, &sql_agencies_import, p, NULL, imported);
}

void admin_agencies_import(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = setup_new(req, u);
    if (!u->system) {
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่นำเข้ารายการหน่วยงานได้");
        return;
    }
    const void *data = s->upload ? s->upload->data : NULL;
    size_t len = s->upload ? s->upload->len : 0;
    if (!s->upload && u->api) {
        len = evbuffer_get_length(req->body);
        data = evbuffer_pullup(req->body, -1);
    }
    if (!data || len == 0) {
        setup_fail(req, s, 400, "กรุณาเลือกไฟล์รายการหน่วยงาน (.csv) ที่มีข้อมูล");
        return;
    }
    struct agency_job *j = xcalloc(1, sizeof *j);
    for (int i = 0; i < 4; i++)
        strbuf_init(&j->cols[i]);
    j->bytes = xmalloc(len);
    memcpy(j->bytes, data, len);
    j->len = len;
    req_job_start(req, j, agency_job_work, parsed, agency_job_free);
}

