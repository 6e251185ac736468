/* The contact list pages (see contacts_view.h). */
#include "contacts_view.h"
#include "setup_view.h"

void contacts_view_imported(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct contacts_imported *c = model;
    strbuf_puts(p, "\n");
    setup_view_nav(p, s);
    strbuf_printf(p,
                  "<ul id=\"import-summary\"><li>อ่านได้ %zu แถว (ไฟล์ %s)</li>"
                  "<li>นำเข้าใหม่ %ld รายชื่อ</li><li>มีอยู่แล้วในระบบ %ld รายชื่อ</li>"
                  "<li>ซ้ำกันในไฟล์ %zu แถว</li>",
                  c->rows, c->encoding, c->imported, c->present, c->duplicates);
    if (s->instrument == 0)
        strbuf_printf(p, "<li>ไม่นำเข้าเพราะปฏิบัติงานยังไม่ครบ 1 ปี %zu คน</li>", c->too_recent);
    strbuf_printf(p,
                  "</ul><p><a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                  "ไปหน้ารายชื่อและออกลิงก์</a></p>\n",
                  s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
}

/* The upload form and, when a public link exists, issuing links and the mail merge. */
static void forms(struct strbuf *p, const struct setup *s, const struct contacts_page *c)
{
    strbuf_puts(p, "<h2>นำเข้ารายชื่อจากไฟล์ CSV</h2><p>บันทึกจาก Excel เป็น CSV หรือ CSV UTF-8 "
                   "หัวตาราง: ชื่อ-นามสกุล, อีเมล, โทรศัพท์, หน่วยงานย่อย");
    if (s->instrument == 0)
        strbuf_puts(p, ", วันที่เริ่มปฏิบัติงาน (บุคลากรที่ปฏิบัติงานยังไม่ครบ 1 ปี "
                       "ณ วันเปิดรับคำตอบจะไม่ถูกนำเข้า)");
    strbuf_puts(p, " นำเข้าซ้ำได้โดยไม่เกิดรายชื่อซ้ำ</p>"
                   "<form method=\"post\" enctype=\"multipart/form-data\" "
                   "action=\"/admin/contacts/import\" id=\"import-form\">");
    setup_view_csrf(p, c->csrf);
    setup_view_hidden_scope(p, s, s->instrument);
    strbuf_puts(p, "<p><label for=\"file\">ไฟล์รายชื่อ (.csv)</label><input type=\"file\" "
                   "id=\"file\" name=\"file\" accept=\".csv,text/csv\" required></p>"
                   "<button type=\"submit\">นำเข้า</button></form>\n");
    if (!s->link_id[s->instrument]) {
        strbuf_puts(p, "<p class=\"er\">ต้องบันทึกการตั้งค่าปีงบประมาณก่อน "
                       "จึงจะออกลิงก์ส่วนบุคคลได้</p>\n");
    } else if (c->total > 0) {
        strbuf_puts(p, "<h2>ลิงก์ส่วนบุคคล</h2>");
        if (c->with_link < c->total) {
            strbuf_puts(p,
                        "<form method=\"post\" action=\"/admin/links/issue\" id=\"issue-form\">");
            setup_view_csrf(p, c->csrf);
            setup_view_hidden_scope(p, s, s->instrument);
            strbuf_printf(p,
                          "<button type=\"submit\">ออกลิงก์ให้ %ld รายชื่อที่ยังไม่มีลิงก์</button>"
                          "</form>\n",
                          c->total - c->with_link);
        }
        if (c->with_link > 0)
            strbuf_printf(p,
                          "<p><a id=\"mailmerge\" href=\"/admin/links/mailmerge?agency=%s&amp;"
                          "fy=%s&amp;instrument=%s\">"
                          "ดาวน์โหลดไฟล์สำหรับจดหมายเวียน (CSV เปิดด้วย Excel ได้)</a></p>\n",
                          s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
    }
    if (s->closed && c->total > 0) {
        strbuf_puts(p, "<h2>ลบข้อมูลรายชื่อ (PDPA)</h2><p>ปิดรับคำตอบแล้ว "
                       "ลบรายชื่อทั้งหมดของปีงบประมาณนี้ได้ "
                       "คำตอบที่ได้รับไว้ไม่ถูกลบ</p><form method=\"post\" "
                       "action=\"/admin/contacts/purge\" id=\"purge-form\">");
        setup_view_csrf(p, c->csrf);
        setup_view_hidden_scope(p, s, -1);
        strbuf_printf(
            p,
            "<p><input type=\"checkbox\" id=\"purge-confirm\" name=\"confirm\" value=\"1\" "
            "> <label for=\"purge-confirm\">ยืนยันลบรายชื่อทั้งหมด "
            "%ld รายชื่อของปีงบประมาณ %s (ย้อนกลับไม่ได้)</label></p>"
            "<button type=\"submit\" class=\"sec\">ลบรายชื่อทั้งหมดของปีนี้</button></form>\n",
            c->total, s->fy);
    }
}

static void cell(struct strbuf *p, const char *v)
{
    strbuf_puts(p, "<td>");
    strbuf_html_escape(p, v);
    strbuf_puts(p, "</td>");
}

void contacts_view_list(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct contacts_page *c = model;
    setup_view_nav(p, s);
    strbuf_printf(p,
                  "<p id=\"contact-counts\">มีรายชื่อ %ld รายชื่อ ออกลิงก์ส่วนบุคคลแล้ว %ld "
                  "รายชื่อ</p>\n",
                  c->total, c->with_link);
    forms(p, s, c);
    strbuf_puts(p, "<table id=\"contacts\"><thead><tr><th>ชื่อ-นามสกุล</th><th>หน่วยงานย่อย</th>"
                   "<th>อีเมล</th><th>โทรศัพท์</th><th>ลิงก์</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < c->n; i++) {
        const struct contact_row *r = &c->rows[i];
        strbuf_puts(p, "<tr>");
        cell(p, r->name);
        cell(p, r->unit);
        cell(p, r->email);
        cell(p, r->phone);
        strbuf_puts(p, "<td>");
        if (r->link_issued) {
            /* a page that says whose link is replaced and asks first (links_view.c) */
            strbuf_printf(p, "<a href=\"/admin/links/reissue?contact=%s\">ออกลิงก์ใหม่</a>", r->id);
        } else {
            strbuf_puts(p, "ยังไม่ออก");
        }
        strbuf_puts(p, "</td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
    const char *in = SETUP_INSTRUMENTS[s->instrument];
    if (c->page > 0)
        strbuf_printf(p,
                      "<p><a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s&amp;"
                      "page=%ld\">หน้าก่อน</a></p>",
                      s->agency_id, s->fy, in, c->page - 1);
    if (c->more)
        strbuf_printf(p,
                      "<p><a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s&amp;"
                      "page=%ld\">หน้าถัดไป</a></p>",
                      s->agency_id, s->fy, in, c->page + 1);
}

void contacts_view_purged(struct strbuf *p, const struct setup *s, const void *model)
{
    long purged = *(const long *)model;
    strbuf_printf(p,
                  "<p id=\"purged\">ลบรายชื่อ %ld รายชื่อของปีงบประมาณ %s "
                  "แล้ว (บันทึกในประวัติการดำเนินการ) คำตอบที่ได้รับไว้ไม่ถูกลบ</p>\n",
                  purged, s->fy);
    setup_view_nav(p, s);
}
