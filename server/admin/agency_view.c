/* The HTML of the agency list and of one agency's page (see agency_view.h). */
#include "agency_view.h"
#include "admin_sql.h"
#include "db/db_row.h"
#include "thai_date.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void agency_view_list(struct strbuf *p, bool system, const char *csrf, const PGresult *agencies,
                      long page)
{
    int n = PQntuples(agencies);
    strbuf_puts(p, "\n");
    if (system) {
        strbuf_printf(
            p,
            "<details><summary>เพิ่มหน่วยงาน</summary>"
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
            "<form method=\"post\" enctype=\"multipart/form-data\" "
            "action=\"/admin/agencies/import\" "
            "id=\"import-agencies\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<p><label for=\"agency-file\">ไฟล์รายการหน่วยงาน (.csv)</label>"
            "<input type=\"file\" id=\"agency-file\" name=\"file\" accept=\".csv,text/csv\" "
            "required></p>"
            "<button type=\"submit\">นำเข้า</button></form></details>\n",
            csrf, csrf);
    }
    strbuf_puts(
        p,
        "<table id=\"agencies\"><thead><tr><th>รหัส</th><th>ชื่อหน่วยงาน</th></tr></thead><tbody>\n");
    for (int i = 0; i < n && i < AGENCY_PAGE_ROWS; i++) {
        strbuf_puts(p, "<tr><td>");
        strbuf_html_escape(p, db_text(agencies, i, ADMIN_AGENCIES_CODE));
        strbuf_printf(p, "</td><td><a href=\"/admin/agency?id=%s\">",
                      db_text(agencies, i, ADMIN_AGENCIES_ID));
        strbuf_html_escape(p, db_text(agencies, i, ADMIN_AGENCIES_NAME_TH));
        strbuf_puts(p, "</a></td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
    if (n == 0)
        strbuf_puts(p, "<p>ยังไม่มีหน่วยงาน</p>\n");
    if (page > 0)
        strbuf_printf(p, "<p><a href=\"/admin/agencies?page=%ld\">หน้าก่อน</a></p>\n", page - 1);
    if (n > AGENCY_PAGE_ROWS)
        strbuf_printf(p, "<p><a href=\"/admin/agencies?page=%ld\">หน้าถัดไป</a></p>\n", page + 1);
}

/* " · <label> <value>" when value is set. */
static void fact(struct strbuf *p, const char *label, const char *value)
{
    if (!value[0])
        return;
    strbuf_puts(p, label);
    strbuf_html_escape(p, value);
}

/* The edit form's text field: label, then an input named and identified `name`. */
static void text_field(struct strbuf *p, const char *name, const char *label, const char *attrs,
                       const char *value)
{
    strbuf_printf(p, "<p><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" %s value=\"",
                  name, label, name, name, attrs);
    strbuf_html_escape(p, value);
    strbuf_puts(p, "\"></p>");
}

static void years(struct strbuf *p, const struct agency_info *a)
{
    int current = ita_fiscal_year_now();
    bool has_current = false;
    strbuf_puts(p, "<h2>ปีงบประมาณ</h2>\n<ul id=\"years\">\n");
    for (const char *y = a->years; y && *y;) {
        int l = (int)strcspn(y, ",");
        const char *id = a->id;
        bool is_current = atoi(y) == current;
        has_current = has_current || is_current;
        strbuf_printf(
            p,
            "<li%s>ปีงบประมาณ %.*s%s: <a "
            "href=\"/admin/year?agency=%s&amp;fy=%.*s\">ตั้งค่าและโปสเตอร์</a>"
            " · <a "
            "href=\"/admin/contacts?agency=%s&amp;fy=%.*s&amp;instrument=IIT\">รายชื่อบุคลากร</a>"
            " · <a "
            "href=\"/admin/"
            "contacts?agency=%s&amp;fy=%.*s&amp;instrument=EIT\">รายชื่อผู้มีส่วนได้ส่วนเสียภายนอก</a>"
            " · <a href=\"/admin/progress?agency=%s&amp;fy=%.*s\">ความคืบหน้า</a>"
            " · <a href=\"/admin/results?agency=%s&amp;year=%.*s\">ผลคะแนน</a></li>\n",
            is_current ? " class=\"current\"" : "", l, y,
            is_current ? " <strong>(ปีปัจจุบัน)</strong>" : "", id, l, y, id, l, y, id, l, y, id, l, y,
            id, l, y);
        y += l + (y[l] == ',');
    }
    if (!has_current && a->years[0])
        strbuf_printf(p,
                      "<li id=\"no-current-year\">ปีงบประมาณปัจจุบัน (%d) ยังไม่มีแบบวัดในระบบ: "
                      "ผู้ดูแลระบบเผยแพร่ได้ที่หน้า \"แบบวัด\" (/admin/instruments)</li>\n",
                      current);
    if (!a->years[0])
        strbuf_puts(p, "<li>ยังไม่มีแบบวัดในระบบ: ผู้ดูแลระบบเผยแพร่ได้ที่หน้า \"แบบวัด\" "
                       "(/admin/instruments) หรือด้วย itad --load-instruments</li>\n");
    strbuf_puts(p, "</ul>\n");
}

static void edit_form(struct strbuf *p, const struct agency_info *a, bool system, const char *csrf)
{
    strbuf_printf(p,
                  "<details><summary>แก้ไขข้อมูลหน่วยงาน</summary>"
                  "<form method=\"post\" action=\"/admin/agency/save\" id=\"edit-agency\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" "
                  "name=\"id\" value=\"%s\">",
                  csrf, a->id);
    if (system) {
        text_field(p, "code", "รหัสหน่วยงาน", "required maxlength=\"64\"", a->code);
        text_field(p, "parent_code", "รหัสหน่วยงานต้นสังกัด", "maxlength=\"64\"", a->parent_code);
    }
    text_field(p, "name_th", "ชื่อหน่วยงาน", "required maxlength=\"300\"", a->name);
    text_field(p, "kind", "ประเภทหน่วยงาน", "maxlength=\"100\"", a->kind);
    strbuf_puts(p, "<button type=\"submit\">บันทึก</button></form></details>\n");
}

static void links(struct strbuf *p, const char *base, const PGresult *links)
{
    strbuf_puts(p, "<h2>ลิงก์สาธารณะของแบบวัด</h2>\n");
    int n = PQntuples(links);
    if (n == 0)
        strbuf_puts(p, "<p>ยังไม่มีลิงก์</p>\n");
    strbuf_puts(p, "<table id=\"links\"><thead><tr><th>ปีงบประมาณ</th><th>แบบวัด</th><th>ลิงก์</th>"
                   "<th>คิวอาร์โค้ดและโปสเตอร์</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const char *id = db_text(links, i, ADMIN_AGENCY_LINKS_ID);
        strbuf_printf(p, "<tr><td>%s</td><td>%s</td><td>",
                      db_text(links, i, ADMIN_AGENCY_LINKS_FISCAL_YEAR),
                      db_text(links, i, ADMIN_AGENCY_LINKS_INSTRUMENT));
        if (db_bool(links, i, ADMIN_AGENCY_LINKS_REVOKED)) {
            strbuf_puts(p, "(ยกเลิกแล้ว)</td><td></td></tr>\n");
            continue;
        }
        strbuf_html_escape(p, base);
        strbuf_puts(p, "/s/");
        strbuf_html_escape(p, db_text(links, i, ADMIN_AGENCY_LINKS_SLUG));
        strbuf_printf(
            p,
            "</td><td><a href=\"/admin/qr?link=%s&amp;format=png\">PNG</a> · "
            "<a href=\"/admin/qr?link=%s&amp;format=svg\">SVG</a> · "
            "<a href=\"/admin/qr?link=%s&amp;format=pdf\">โปสเตอร์ PDF</a> · "
            "<a href=\"/admin/qr?link=%s&amp;format=poster-png\">โปสเตอร์ PNG</a> · "
            "<a href=\"/admin/qr?link=%s&amp;format=html\">โค้ดสำหรับเว็บไซต์</a></td></tr>\n",
            id, id, id, id, id);
    }
    strbuf_puts(p, "</tbody></table>\n");
}

void agency_view_page(struct strbuf *p, const struct agency_info *a, bool system, const char *csrf,
                      const char *base, const PGresult *agency_links)
{
    strbuf_puts(p, "<p>รหัสหน่วยงาน ");
    strbuf_html_escape(p, a->code);
    fact(p, " · ประเภท ", a->kind);
    fact(p, " · ต้นสังกัด ", a->parent_code);
    strbuf_puts(p, "</p>\n");
    years(p, a);
    edit_form(p, a, system, csrf);
    links(p, base, agency_links);
}
