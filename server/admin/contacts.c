/* Contact lists of an agency's year (IIT staff, EIT outside stakeholders): the list page with its
 * upload form (/admin/contacts), the import (/admin/contacts/import: a browser's multipart upload
 * or an API client's CSV body, parsed and validated on the CPU pool by core/contact_list; a list
 * with any bad row imports nothing; a contact already on the list is kept as it is) and the PDPA
 * purge after the window has closed (/admin/contacts/purge; answers are never touched). Contact
 * data lives only in the contact table; imports and purges are logged in audit_log. */
#include "admin_setup.h"
#include "admin_handlers.h"
#include "setup_sql.h"
#include "contact_list.h"
#include "log.h"
#include "survey/pages.h"
#include "app/req_job.h"
#include "server.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTACT_PAGE 100 /* contacts per page */

/* ---- /admin/contacts/import ---- */

/* Parsing an uploaded list on the CPU pool: owns a copy of the upload and everything made. */
struct import_job {
    unsigned char *bytes; /* copy of the upload */
    size_t len;
    struct ita_contact_options opt;
    struct ita_contact_list list;
    bool importable;
    struct strbuf cols[6]; /* PostgreSQL array literals, one per column */
};

static void import_job_free(void *data)
{
    struct import_job *j = data;
    free(j->bytes);
    ita_contact_list_free(&j->list);
    for (int i = 0; i < 6; i++)
        strbuf_free(&j->cols[i]);
    free(j);
}

static void import_work(void *data)
{
    struct import_job *j = data;
    if (ita_contact_list_parse(j->bytes, j->len, &j->opt, &j->list) == 0 &&
        ita_contact_list_pg_arrays(&j->list, &j->cols[0], &j->cols[1], &j->cols[2], &j->cols[3],
                                   &j->cols[4], &j->cols[5]) == 0)
        j->importable = true;
}

/* Summary of the parse kept for the answer (request arena). */
struct import_summary {
    size_t rows, accepted, too_recent, duplicates;
    const char *encoding;
};

static void import_errors(struct http_request *req, struct setup *s, struct import_job *j)
{
    setup_list_errors(req, s, &j->list.errors, "รายชื่อ", "นำเข้ารายชื่อไม่สำเร็จ",
                      arena_sprintf(&req->arena, "/admin/contacts?%s&amp;instrument=%s", setup_qs(req, s),
                                    SETUP_INSTRUMENTS[s->instrument]),
                      "กลับไปหน้ารายชื่อ");
}

static void import_stored(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    const struct import_summary *sum = s->page;
    long imported = atol(PQgetvalue(r->res, 0, 0));
    long present = (long)sum->accepted - imported;
    log_info("event=contacts_imported w=%d admin=%d agency=%s fy=%s instrument=%s rows=%zu "
             "imported=%ld", req->worker->id, s->u->id, s->agency_id, s->fy,
             SETUP_INSTRUMENTS[s->instrument], sum->rows, imported);
    if (s->u->api) {
        setup_send_json(req, 200,
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "rows", (json_int_t)sum->rows,
                                  "imported", (json_int_t)imported, "already_present",
                                  (json_int_t)present, "duplicates_in_file",
                                  (json_int_t)sum->duplicates, "left_out_short_service",
                                  (json_int_t)sum->too_recent, "encoding", sum->encoding));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "นำเข้ารายชื่อแล้ว");
    strbuf_puts(&p, "\n");
    setup_nav(&p, req, s);
    strbuf_printf(&p, "<ul id=\"import-summary\"><li>อ่านได้ %zu แถว (ไฟล์ %s)</li>"
                      "<li>นำเข้าใหม่ %ld รายชื่อ</li><li>มีอยู่แล้วในระบบ %ld รายชื่อ</li>"
                      "<li>ซ้ำกันในไฟล์ %zu แถว</li>",
                  sum->rows, sum->encoding, imported, present, sum->duplicates);
    if (s->instrument == 0)
        strbuf_printf(&p, "<li>ไม่นำเข้าเพราะปฏิบัติงานยังไม่ครบ 1 ปี %zu คน</li>", sum->too_recent);
    strbuf_printf(&p, "</ul><p><a href=\"/admin/contacts?%s&amp;instrument=%s\">ไปหน้ารายชื่อและออกลิงก์</a></p>\n",
                  setup_qs(req, s), SETUP_INSTRUMENTS[s->instrument]);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void import_parsed(struct http_request *req, void *data)
{
    struct import_job *j = data;
    struct setup *s = req->handler_state;
    if (!j->importable) {
        import_errors(req, s, j);
        return;
    }
    struct import_summary *sum = arena_alloc(&req->arena, sizeof *sum);
    sum->rows = j->list.rows_read;
    sum->accepted = j->list.n_rows;
    sum->too_recent = j->list.too_recent;
    sum->duplicates = j->list.duplicates;
    sum->encoding = ita_text_encoding_name(j->list.encoding);
    s->page = sum;
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[10] = {s->agency_id,    s->fy,           SETUP_INSTRUMENTS[s->instrument],
                         j->cols[0].data, j->cols[1].data, j->cols[2].data,
                         j->cols[3].data, j->cols[4].data, j->cols[5].data,
                         admin};
    http_db(req, &sql_contacts_import, p, NULL, import_stored);
}

static void import_go(struct http_request *req, struct setup *s)
{
    if (!s->year_set) {
        setup_fail(req, s, 409, "ต้องตั้งค่าปีงบประมาณ (วันเปิดรับคำตอบ) ก่อนนำเข้ารายชื่อ "
                          "เพราะใช้วันเปิดนับอายุงาน 1 ปี");
        return;
    }
    const void *data;
    size_t len;
    const struct multipart_file *f = s->upload;
    if (f) {
        data = f->data;
        len = f->len;
    } else if (s->u->api) {
        len = evbuffer_get_length(req->body);
        data = evbuffer_pullup(req->body, -1);
    } else {
        setup_fail(req, s, 400, "กรุณาเลือกไฟล์รายชื่อ (.csv) ก่อนกดนำเข้า");
        return;
    }
    if (len == 0 || !data) {
        setup_fail(req, s, 400, "ไฟล์ว่างเปล่า กรุณาเลือกไฟล์รายชื่อ (.csv)");
        return;
    }
    struct import_job *j = xcalloc(1, sizeof *j);
    for (int i = 0; i < 6; i++)
        strbuf_init(&j->cols[i]);
    j->bytes = xmalloc(len);
    memcpy(j->bytes, data, len);
    j->len = len;
    j->opt.kind = s->instrument == 0 ? ITA_CONTACT_IIT : ITA_CONTACT_EIT;
    j->opt.reference = (struct ita_date){atoi(s->opens_on), atoi(s->opens_on + 5),
                                         atoi(s->opens_on + 8)};
    req_job_start(req, j, import_work, import_parsed, import_job_free);
}

void admin_contacts_import(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, true, import_go);
}

/* ---- /admin/contacts ---- */

static void contacts_listed(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    PGresult *res = r->res;
    int n = PQntuples(res);
    long page = admin_query_int(req, "page");
    if (page < 0)
        page = 0;
    long total = atol(PQgetvalue(res, 0, 1)), with_link = atol(PQgetvalue(res, 0, 2));
    bool more = n - 1 > CONTACT_PAGE;
    if (s->u->api) {
        json_t *arr = json_array();
        for (int i = 1; i < n && i <= CONTACT_PAGE; i++)
            json_array_append_new(
                arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id",
                               (json_int_t)atoll(PQgetvalue(res, i, 3)), "name",
                               PQgetvalue(res, i, 4), "unit", PQgetvalue(res, i, 5), "email",
                               PQgetvalue(res, i, 6), "phone", PQgetvalue(res, i, 7), "link_issued",
                               PQgetvalue(res, i, 8)[0] == 't'));
        setup_send_json(req, 200,
                        json_pack("{s:I, s:I, s:o, s:o}", "total", (json_int_t)total, "with_link",
                                  (json_int_t)with_link, "contacts", arr, "next_page",
                                  more ? json_integer(page + 1) : json_null()));
        return;
    }
    const char *in = SETUP_INSTRUMENTS[s->instrument];
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, SETUP_LIST_TH[s->instrument]);
    setup_nav(&p, req, s);
    strbuf_printf(&p, "<p id=\"contact-counts\">มีรายชื่อ %ld รายชื่อ ออกลิงก์ส่วนบุคคลแล้ว %ld รายชื่อ</p>\n",
                  total, with_link);
    /* upload */
    strbuf_puts(&p, "<h2>นำเข้ารายชื่อจากไฟล์ CSV</h2><p>บันทึกจาก Excel เป็น CSV หรือ CSV UTF-8 "
                    "หัวตาราง: ชื่อ-นามสกุล, อีเมล, โทรศัพท์, หน่วยงานย่อย");
    if (s->instrument == 0)
        strbuf_puts(&p, ", วันที่เริ่มปฏิบัติงาน (บุคลากรที่ปฏิบัติงานยังไม่ครบ 1 ปี ณ วันเปิดรับคำตอบจะไม่ถูกนำเข้า)");
    strbuf_puts(&p, " นำเข้าซ้ำได้โดยไม่เกิดรายชื่อซ้ำ</p>"
                    "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/admin/contacts/import\" id=\"import-form\">");
    setup_csrf_field(&p, req, s);
    setup_hidden_scope(&p, s, s->instrument);
    strbuf_puts(&p, "<p><label for=\"file\">ไฟล์รายชื่อ (.csv)</label><input type=\"file\" id=\"file\" name=\"file\" "
                    "accept=\".csv,text/csv\" required></p><button type=\"submit\">นำเข้า</button></form>\n");
    if (!s->link_id[s->instrument])
        strbuf_puts(&p, "<p class=\"er\">ต้องบันทึกการตั้งค่าปีงบประมาณก่อน จึงจะออกลิงก์ส่วนบุคคลได้</p>\n");
    else if (total > 0) {
        strbuf_puts(&p, "<h2>ลิงก์ส่วนบุคคล</h2>");
        if (with_link < total) {
            strbuf_puts(&p, "<form method=\"post\" action=\"/admin/links/issue\" id=\"issue-form\">");
            setup_csrf_field(&p, req, s);
            setup_hidden_scope(&p, s, s->instrument);
            strbuf_printf(&p, "<button type=\"submit\">ออกลิงก์ให้ %ld รายชื่อที่ยังไม่มีลิงก์</button></form>\n",
                          total - with_link);
        }
        if (with_link > 0)
            strbuf_printf(&p, "<p><a id=\"mailmerge\" href=\"/admin/links/mailmerge?%s&amp;instrument=%s\">"
                              "ดาวน์โหลดไฟล์สำหรับจดหมายเวียน (CSV เปิดด้วย Excel ได้)</a></p>\n",
                          setup_qs(req, s), in);
    }
    if (s->closed && total > 0) {
        strbuf_puts(&p, "<h2>ลบข้อมูลรายชื่อ (PDPA)</h2><p>ปิดรับคำตอบแล้ว ลบรายชื่อทั้งหมดของปีงบประมาณนี้ได้ "
                        "คำตอบที่ได้รับไว้ไม่ถูกลบ</p><form method=\"post\" action=\"/admin/contacts/purge\" id=\"purge-form\">");
        setup_csrf_field(&p, req, s);
        setup_hidden_scope(&p, s, -1);
        strbuf_puts(&p, "<button type=\"submit\">ลบรายชื่อทั้งหมดของปีนี้</button></form>\n");
    }
    strbuf_puts(&p, "<table id=\"contacts\"><thead><tr><th>ชื่อ-นามสกุล</th><th>หน่วยงานย่อย</th><th>อีเมล</th>"
                    "<th>โทรศัพท์</th><th>ลิงก์</th></tr></thead><tbody>\n");
    for (int i = 1; i < n && i <= CONTACT_PAGE; i++) {
        strbuf_puts(&p, "<tr><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 4));
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 5));
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 6));
        strbuf_puts(&p, "</td><td>");
        strbuf_html_escape(&p, PQgetvalue(res, i, 7));
        strbuf_puts(&p, "</td><td>");
        if (PQgetvalue(res, i, 8)[0] == 't') {
            strbuf_puts(&p, "<form method=\"post\" action=\"/admin/links/reissue\" class=\"inline\">");
            setup_csrf_field(&p, req, s);
            strbuf_printf(&p, "<input type=\"hidden\" name=\"contact\" value=\"%s\">"
                              "<button type=\"submit\">ออกลิงก์ใหม่</button></form>",
                          PQgetvalue(res, i, 3));
        } else {
            strbuf_puts(&p, "ยังไม่ออก");
        }
        strbuf_puts(&p, "</td></tr>\n");
    }
    strbuf_puts(&p, "</tbody></table>\n");
    if (page > 0)
        strbuf_printf(&p, "<p><a href=\"/admin/contacts?%s&amp;instrument=%s&amp;page=%ld\">หน้าก่อน</a></p>",
                      setup_qs(req, s), in, page - 1);
    if (more)
        strbuf_printf(&p, "<p><a href=\"/admin/contacts?%s&amp;instrument=%s&amp;page=%ld\">หน้าถัดไป</a></p>",
                      setup_qs(req, s), in, page + 1);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void contacts_go(struct http_request *req, struct setup *s)
{
    long page = admin_query_int(req, "page");
    char offset[24];
    snprintf(offset, sizeof offset, "%ld", (page < 0 ? 0 : page) * CONTACT_PAGE);
    const char *p[4] = {s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], offset};
    http_db(req, &sql_contacts_list, p, NULL, contacts_listed);
}

void admin_contacts(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, true, contacts_go);
}

/* ---- /admin/contacts/purge ---- */

static void purge_done(struct http_request *req, const struct db_result *r)
{
    struct setup *s = req->handler_state;
    if (!r->ok) {
        setup_db_failed(req, s, r);
        return;
    }
    if (PQgetvalue(r->res, 0, 0)[0] != 't') {
        setup_fail(req, s, 409, "ยังลบรายชื่อไม่ได้: ต้องรอให้ปิดรับคำตอบของปีงบประมาณนี้ก่อน");
        return;
    }
    long n = atol(PQgetvalue(r->res, 0, 1));
    log_info("event=contacts_purged w=%d admin=%d agency=%s fy=%s n=%ld", req->worker->id,
             s->u->id, s->agency_id, s->fy, n);
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:I}", "purged", (json_int_t)n));
        return;
    }
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, s->u, "ลบรายชื่อแล้ว");
    strbuf_printf(&p, "<p id=\"purged\">ลบรายชื่อ %ld รายชื่อของปีงบประมาณ %s "
                      "แล้ว (บันทึกในประวัติการดำเนินการ) คำตอบที่ได้รับไว้ไม่ถูกลบ</p>\n",
                  n, s->fy);
    setup_nav(&p, req, s);
    pages_finish(&p);
    admin_send_page(req, 200, &p);
}

static void purge_go(struct http_request *req, struct setup *s)
{
    char admin[16];
    snprintf(admin, sizeof admin, "%d", s->u->id);
    const char *p[3] = {s->agency_id, s->fy, admin};
    http_db(req, &sql_contacts_purge, p, NULL, purge_done);
}

void admin_contacts_purge(struct http_request *req, const struct admin_user *u)
{
    setup_resolve(req, u, false, purge_go);
}

