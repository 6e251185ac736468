/* The contact list pages (see contacts_view.h). */
#include "contacts_view.h"
#include "setup_view.h"
#include "slips_view.h"
#include "thai_date.h"

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
    strbuf_puts(p, "</ul>\n");
    if (c->too_recent > 0) {
        /* by name, so that the clerk can check nobody was left out by a mistyped date */
        strbuf_puts(p, "<h2 id=\"left-out-title\">ผู้ที่ไม่ถูกนำเข้า: ปฏิบัติงานยังไม่ครบ 1 ปี "
                       "ณ วันเปิดรับคำตอบ</h2><p>หากวันที่เริ่มปฏิบัติงานผิด "
                       "ให้แก้ในไฟล์แล้วนำเข้าอีกครั้ง (รายชื่อที่นำเข้าแล้วจะไม่ซ้ำ)</p>"
                       "<table id=\"left-out\" aria-labelledby=\"left-out-title\"><thead><tr>"
                       "<th>ชื่อ-นามสกุล</th><th>หน่วยงานย่อย</th><th>วันที่เริ่มปฏิบัติงาน</th>"
                       "</tr></thead><tbody>\n");
        for (size_t i = 0; i < c->too_recent; i++) {
            const struct ita_contact *r = &c->left_out[i];
            char d[ITA_THAI_DATE_SIZE];
            if (!ita_thai_date_short(r->started_on, d, sizeof d))
                d[0] = '\0';
            strbuf_puts(p, "<tr><td>");
            strbuf_html_escape(p, r->name);
            strbuf_puts(p, "</td><td>");
            strbuf_html_escape(p, r->unit ? r->unit : "");
            strbuf_printf(p, "</td><td>%s</td></tr>\n", d);
        }
        strbuf_puts(p, "</tbody></table>\n");
    }
    strbuf_printf(p,
                  "<p><a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                  "ไปหน้ารายชื่อและออกลิงก์</a></p>\n",
                  s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
}

/* "ชื่อ (หน่วยงานย่อย · อีเมล)" escaped. */
static void whose(struct strbuf *p, const struct contact_fields *f)
{
    strbuf_puts(p, "<strong>");
    strbuf_html_escape(p, f->name);
    strbuf_puts(p, "</strong>");
    if (f->unit[0] || f->email[0]) {
        strbuf_puts(p, " (");
        strbuf_html_escape(p, f->unit);
        if (f->unit[0] && f->email[0])
            strbuf_puts(p, " · ");
        strbuf_html_escape(p, f->email);
        strbuf_puts(p, ")");
    }
}

static void back_to_list(struct strbuf *p, const struct setup *s, const char *id, const char *text)
{
    strbuf_printf(p,
                  "<p><a id=\"%s\" href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                  "%s</a></p>\n",
                  id, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], text);
}

static void text_input(struct strbuf *p, const char *name, const char *label, const char *type,
                       const char *value, const char *extra)
{
    strbuf_printf(p,
                  "<p><label for=\"%s\">%s</label><input type=\"%s\" id=\"%s\" name=\"%s\" "
                  "value=\"",
                  name, label, type, name, name);
    strbuf_html_escape(p, value);
    strbuf_printf(p, "\"%s></p>", extra);
}

void contacts_view_edit(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct contact_one *c = model;
    setup_view_nav(p, s);
    if (c->nerrors > 0) {
        strbuf_puts(p, "<div id=\"edit-errors\" class=\"er\" role=\"alert\"><p>ยังไม่ได้บันทึก "
                       "โปรดแก้ไขแล้วกดบันทึกอีกครั้ง:</p><ul>");
        for (size_t i = 0; i < c->nerrors; i++) {
            strbuf_puts(p, "<li>");
            strbuf_html_escape(p, c->errors[i]);
            strbuf_puts(p, "</li>");
        }
        strbuf_puts(p, "</ul></div>\n");
    }
    strbuf_puts(p, "<p>แก้ไขรายชื่อของ ");
    whose(p, &c->stored);
    strbuf_puts(p, " ตรวจด้วยเกณฑ์เดียวกับการนำเข้าจากไฟล์</p>\n"
                   "<form method=\"post\" action=\"/admin/contacts/edit\" id=\"edit-form\">");
    setup_view_csrf(p, c->csrf);
    strbuf_printf(p, "<input type=\"hidden\" name=\"contact\" value=\"%ld\">", c->id);
    text_input(p, "name", "ชื่อ-นามสกุล", "text", c->typed.name,
               " required maxlength=\"200\" autocomplete=\"off\"");
    text_input(p, "unit", "หน่วยงานย่อย", "text", c->typed.unit,
               " maxlength=\"200\" autocomplete=\"off\"");
    text_input(p, "email", "อีเมล", "text", c->typed.email,
               " inputmode=\"email\" autocomplete=\"off\" spellcheck=\"false\"");
    text_input(p, "phone", "โทรศัพท์ (เช่น 081-234-5678)", "text", c->typed.phone,
               " inputmode=\"tel\" autocomplete=\"off\"");
    if (s->instrument == 0)
        text_input(p, "started_on", "วันที่เริ่มปฏิบัติงาน (วัน/เดือน/ปี พ.ศ. เช่น 1/10/2565)", "text",
                   c->typed.started_on, " required autocomplete=\"off\"");
    strbuf_puts(p, "<button type=\"submit\">บันทึก</button></form>\n");
    back_to_list(p, s, "edit-cancel", "ยกเลิก กลับไปหน้ารายชื่อ");
}

void contacts_view_delete_confirm(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct contact_one *c = model;
    setup_view_nav(p, s);
    strbuf_puts(p, "<p id=\"delete-whose\">ลบ ");
    whose(p, &c->stored);
    strbuf_printf(p,
                  " ออกจาก%s</p>\n<ul id=\"delete-effects\"><li>ย้อนกลับไม่ได้ "
                  "(ถ้าลบผิด ให้นำเข้าหรือเพิ่มรายชื่อนี้ใหม่)</li>",
                  SETUP_LIST_TH[s->instrument]);
    if (c->generation > 0)
        strbuf_puts(p, "<li>ลิงก์ส่วนบุคคลที่ส่งให้ผู้นี้แล้วจะใช้ไม่ได้ทันที</li>");
    strbuf_puts(p, "<li>คำตอบที่ได้รับไว้ไม่ถูกลบ และระบบไม่แสดงว่าผู้ใดตอบแล้ว</li></ul>\n"
                   "<form method=\"post\" action=\"/admin/contacts/delete\" id=\"delete-form\">");
    setup_view_csrf(p, c->csrf);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"contact\" value=\"%ld\">"
                  "<button type=\"submit\" class=\"sec\">ยืนยัน ลบรายชื่อนี้</button></form>\n",
                  c->id);
    back_to_list(p, s, "delete-cancel", "ยกเลิก กลับไปหน้ารายชื่อ");
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
    strbuf_printf(p,
                  "<p><a id=\"template\" href=\"/admin/contacts/template?agency=%s&amp;fy=%s&amp;"
                  "instrument=%s\" download>ดาวน์โหลดแบบฟอร์มรายชื่อ (CSV)</a> "
                  "หัวตารางตรงกับที่ระบบอ่าน แทนแถวตัวอย่างด้วยรายชื่อจริง</p>\n",
                  s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
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
        if (s->private_delivery[s->instrument])
            strbuf_printf(p,
                          "<p id=\"private-delivery\">รายชื่อนี้ให้ระบบส่งลิงก์ทางอีเมลเอง: "
                          "ผู้ดูแลไม่เห็นลิงก์ของผู้ใด "
                          "<a id=\"mail-page\" href=\"/admin/mail?agency=%s&amp;fy=%s&amp;"
                          "instrument=%s\">ส่งคำเชิญ คำเตือน และดูสถานะการส่ง</a></p>\n",
                          s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
        else if (c->with_link > 0)
            strbuf_printf(p,
                          "<p><a id=\"mailmerge\" href=\"/admin/links/mailmerge?agency=%s&amp;"
                          "fy=%s&amp;instrument=%s\">"
                          "ดาวน์โหลดไฟล์สำหรับจดหมายเวียน (CSV เปิดด้วย Excel ได้)</a> "
                          "<a id=\"mail-page\" href=\"/admin/mail?agency=%s&amp;fy=%s&amp;"
                          "instrument=%s\">หรือให้ระบบส่งทางอีเมล</a></p>\n",
                          s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], s->agency_id,
                          s->fy, SETUP_INSTRUMENTS[s->instrument]);
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
    if (c->edited)
        strbuf_puts(p, c->resent ? "<p id=\"notice\" role=\"status\">บันทึกการแก้ไขรายชื่อแล้ว "
                                   "ระบบออกลิงก์ใหม่ให้ผู้นี้ (ลิงก์เดิมใช้ไม่ได้) "
                                   "และจะส่งคำเชิญถึงอีเมลใหม่เอง</p>\n"
                                 : "<p id=\"notice\" role=\"status\">บันทึกการแก้ไขรายชื่อแล้ว</p>\n");
    if (c->deleted)
        strbuf_puts(p, "<p id=\"notice\" role=\"status\">ลบรายชื่อแล้ว</p>\n");
    forms(p, s, c);
    slips_view_section(p, s, c->with_link);
    strbuf_puts(p, "<table id=\"contacts\"><thead><tr><th>ชื่อ-นามสกุล</th><th>หน่วยงานย่อย</th>"
                   "<th>อีเมล</th><th>โทรศัพท์</th><th>ลิงก์</th><th>แก้ไข</th></tr></thead><tbody>\n");
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
        /* the person's name in each link's accessible name: many rows have the same texts; a
         * cell of their own, last, so that on a phone the card's narrow right-hand column holds
         * only these two short words and the name keeps its width */
        strbuf_printf(
            p,
            "</td><td><a class=\"ed\" href=\"/admin/contacts/edit?contact=%s\" aria-label=\"แก้ไข ",
            r->id);
        strbuf_html_escape(p, r->name);
        strbuf_printf(p,
                      "\">แก้ไข</a> <a class=\"del\" href=\"/admin/contacts/delete?contact=%s\" "
                      "aria-label=\"ลบ ",
                      r->id);
        strbuf_html_escape(p, r->name);
        strbuf_puts(p, "\">ลบ</a></td></tr>\n");
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
