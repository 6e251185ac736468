/* The HTML of the agency list and of one agency's page (see agency_view.h). */
#include "agency_view.h"
#include "admin_sql.h"
#include "db/db_row.h"
#include "app/page_frame.h"
#include "agency_kind.h"
#include "thai_date.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void agency_view_kind(struct strbuf *p, const char *kind)
{
    if (!kind[0])
        return;
    strbuf_html_escape(p, kind);
    if (ita_agency_kind_find(kind) < 0 ||
        strcmp(kind, ita_agency_kinds[ita_agency_kind_find(kind)].th))
        strbuf_puts(p, " <strong class=\"er\">(ไม่อยู่ในรายการ — โปรดเลือกใหม่)</strong>");
}

/* The type <select> of the add and edit forms: option values are the keys. "ไม่ระบุ" ('') is a
 * choice unless the stored value is an old one not in the list: then the person must choose
 * (required, with no type chosen). */
static void kind_select(struct strbuf *p, const char *id, const char *current)
{
    int k = current[0] ? ita_agency_kind_find(current) : -1;
    bool unmatched = current[0] && (k < 0 || strcmp(current, ita_agency_kinds[k].th));
    strbuf_printf(p, "<p><label for=\"%s\">ประเภทหน่วยงาน</label><select id=\"%s\" name=\"kind\"%s>",
                  id, id, unmatched ? " required aria-describedby=\"kind-old\"" : "");
    if (unmatched)
        strbuf_puts(p, "<option value=\"\" selected>— เลือกประเภทจากรายการ —</option>");
    else
        strbuf_printf(p, "<option value=\"\"%s>ไม่ระบุ</option>", k < 0 ? " selected" : "");
    for (size_t i = 0; i < ita_agency_kinds_count; i++)
        strbuf_printf(p, "<option value=\"%s\"%s>%s</option>", ita_agency_kinds[i].key,
                      (int)i == k && !unmatched ? " selected" : "", ita_agency_kinds[i].th);
    strbuf_puts(p, "</select></p>");
    if (unmatched) {
        strbuf_puts(p, "<p class=\"er\" id=\"kind-old\">ประเภทเดิม \"");
        strbuf_html_escape(p, current);
        strbuf_puts(p, "\" ไม่อยู่ในรายการ โปรดเลือกประเภทใหม่ก่อนบันทึก</p>");
    }
}

/* The search and filter form of the list (GET, every value as typed). */
static void filter_form(struct strbuf *p, const struct agency_list_view *v)
{
    strbuf_puts(p, "<form method=\"get\" action=\"/admin/agencies\" id=\"agency-filter\" "
                   "class=\"lv-filter\" role=\"search\" aria-label=\"ค้นหาและกรองหน่วยงาน\">"
                   "<p><label for=\"f-q\">ค้นหาด้วยรหัสหรือชื่อหน่วยงาน</label>"
                   "<input type=\"search\" id=\"f-q\" name=\"q\" maxlength=\"100\" value=\"");
    strbuf_html_escape(p, v->q);
    strbuf_puts(p, "\"></p>");
    const char *values[ITA_AGENCY_KINDS_MAX + 2], *labels[ITA_AGENCY_KINDS_MAX + 2];
    for (size_t i = 0; i < ita_agency_kinds_count; i++) {
        values[i] = ita_agency_kinds[i].key;
        labels[i] = ita_agency_kinds[i].th;
    }
    values[ita_agency_kinds_count] = "none";
    labels[ita_agency_kinds_count] = "ไม่ระบุประเภท";
    values[ita_agency_kinds_count + 1] = "other";
    labels[ita_agency_kinds_count + 1] = "ประเภทเดิมที่ไม่อยู่ในรายการ";
    list_view_select(p, "f-kind", "kind", "ประเภทหน่วยงาน", "ทุกประเภท", values, labels,
                     ita_agency_kinds_count + 2, v->kind);
    bool none = !strcmp(v->parent, "-");
    strbuf_puts(p, "<p><label for=\"f-parent\">รหัสหน่วยงานต้นสังกัด</label>"
                   "<input id=\"f-parent\" name=\"parent\" maxlength=\"64\" "
                   "aria-describedby=\"f-parent-hint\" value=\"");
    strbuf_html_escape(p, none ? "" : v->parent);
    strbuf_printf(p,
                  "\"></p><p class=\"nt\" id=\"f-parent-hint\">เว้นว่างได้ หรือเลือกด้านล่าง</p>"
                  "<p><label class=\"lv-check\"><input type=\"checkbox\" id=\"f-noparent\" "
                  "name=\"noparent\" value=\"1\"%s> เฉพาะที่ไม่มีหน่วยงานต้นสังกัด</label></p>",
                  none ? " checked" : "");
    list_view_keep_sort(p, &v->lv);
    strbuf_puts(p, "<button type=\"submit\">ค้นหา</button></form>\n");
    if (v->q[0] || v->kind[0] || v->parent[0])
        strbuf_puts(p, "<p><a href=\"/admin/agencies\" id=\"clear-filter\">ล้างเงื่อนไข "
                       "แสดงทุกหน่วยงาน</a></p>\n");
}

/* The all-agency results CSV of each loaded fiscal year (/admin/export without an agency). */
static void export_links(struct strbuf *p, const char *years)
{
    if (!years || !years[0])
        return;
    strbuf_puts(p, "<p id=\"all-csv\">ผลคะแนนของทุกหน่วยงาน (CSV ทั้งประเทศ ไม่กรองตามเงื่อนไขด้านบน):");
    int shown = 0;
    for (const char *y = years; *y && shown < 3; shown++) {
        int fy = atoi(y);
        strbuf_printf(p,
                      "%s <a href=\"/admin/export?year=%d&amp;format=csv\" download>"
                      "ปีงบประมาณ %d</a>",
                      shown ? " ·" : "", fy, fy);
        size_t l = strcspn(y, ",");
        y += l + (y[l] == ',');
    }
    strbuf_puts(p, "</p>\n");
}

void agency_view_list(struct strbuf *p, const struct agency_list_view *v, const PGresult *agencies)
{
    int n = PQntuples(agencies);
    const char *csrf = v->csrf;
    strbuf_puts(p, "\n");
    if (v->system) {
        strbuf_puts(p, "<p><a href=\"/admin/national\" id=\"national-link\">ภาพรวมทั้งประเทศ: "
                       "ความคืบหน้าและผลของทุกหน่วยงาน</a></p>\n");
        strbuf_printf(
            p,
            "<details><summary>เพิ่มหน่วยงาน</summary>"
            "<form method=\"post\" action=\"/admin/agency/save\" id=\"new-agency\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<p><label for=\"code\">รหัสหน่วยงาน</label><input id=\"code\" name=\"code\" required "
            "maxlength=\"64\" pattern=\"[A-Za-z0-9][A-Za-z0-9._\\-]*\"></p>"
            "<p><label for=\"name_th\">ชื่อหน่วยงาน</label><input id=\"name_th\" name=\"name_th\" "
            "required maxlength=\"300\"></p>",
            csrf);
        kind_select(p, "kind", "");
        strbuf_printf(
            p,
            "<p><label for=\"parent_code\">รหัสหน่วยงานต้นสังกัด (ถ้ามี)</label>"
            "<input id=\"parent_code\" name=\"parent_code\" maxlength=\"64\"></p>"
            "<button type=\"submit\">เพิ่มหน่วยงาน</button></form></details>\n"
            "<details><summary>นำเข้ารายการหน่วยงานจากไฟล์ CSV</summary>"
            "<p>หัวตาราง: รหัสหน่วยงาน, ชื่อหน่วยงาน, ประเภทหน่วยงาน, หน่วยงานต้นสังกัด "
            "(CSV หรือ CSV UTF-8 จาก Excel) รหัสที่มีอยู่แล้วจะถูกปรับปรุง "
            "ประเภทหน่วยงานต้องเป็นชื่อใดชื่อหนึ่งในรายการประเภท (หรือเว้นว่าง)</p>"
            "<form method=\"post\" enctype=\"multipart/form-data\" "
            "action=\"/admin/agencies/import\" "
            "id=\"import-agencies\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<p><label for=\"agency-file\">ไฟล์รายการหน่วยงาน (.csv)</label>"
            "<input type=\"file\" id=\"agency-file\" name=\"file\" accept=\".csv,text/csv\" "
            "required></p>"
            "<button type=\"submit\">นำเข้า</button></form></details>\n",
            csrf);
        strbuf_puts(p, "<h2 id=\"list-h\">รายการหน่วยงาน</h2>\n");
        filter_form(p, v);
    }
    if (v->error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"list-error\"><p>");
        strbuf_html_escape(p, v->error);
        strbuf_puts(p, "</p></div>\n");
    }
    char total[32];
    list_view_group_digits(v->lv.total, total, sizeof total);
    if (n == 0 && v->lv.page > 1) {
        strbuf_puts(p, "<p id=\"agencies-count\" role=\"status\">ไม่มีหน้านี้ในรายการ <a href=\"");
        list_view_href(p, &v->lv, NULL, v->lv.desc, 1);
        strbuf_puts(p, "\">ไปหน้าแรกของรายการ</a></p>\n");
    } else if (n == 0) {
        strbuf_puts(p,
                    v->system && (v->q[0] || v->kind[0] || v->parent[0])
                        ? "<p id=\"agencies-count\" role=\"status\">ไม่พบหน่วยงานที่ตรงกับเงื่อนไข</p>\n"
                        : "<p id=\"agencies-count\" role=\"status\">ยังไม่มีหน่วยงาน</p>\n");
    } else {
        long first = list_view_offset(&v->lv) + 1;
        char a[32], b[32];
        list_view_group_digits(first, a, sizeof a);
        list_view_group_digits(first + n - 1, b, sizeof b);
        strbuf_printf(p,
                      "<p id=\"agencies-count\" role=\"status\">พบ %s หน่วยงาน "
                      "(แสดงลำดับที่ %s–%s)</p>\n",
                      total, a, b);
    }
    if (n > 0) {
        strbuf_puts(p, "<div class=\"lv-scroll\" role=\"region\" aria-labelledby=\"agencies-cap\" "
                       "tabindex=\"0\"><table id=\"agencies\"><caption id=\"agencies-cap\">"
                       "หน่วยงาน (เลือกหัวคอลัมน์เพื่อเรียงลำดับ)</caption><thead><tr>");
        const struct list_view *lv = &v->lv;
        list_view_sort_th(p, lv, "code", "รหัส");
        list_view_sort_th(p, lv, "name", "ชื่อหน่วยงาน");
        list_view_sort_th(p, lv, "kind", "ประเภท");
        list_view_sort_th(p, lv, "parent", "ต้นสังกัด");
        list_view_sort_th(p, lv, "created", "เพิ่มเมื่อ");
        strbuf_puts(p, "</tr></thead><tbody>\n");
    }
    for (int i = 0; i < n; i++) {
        strbuf_puts(p, "<tr><td>");
        strbuf_html_escape(p, db_text(agencies, i, ADMIN_AGENCIES_CODE));
        strbuf_printf(p, "</td><td><a href=\"/admin/agency?id=%s\">",
                      db_text(agencies, i, ADMIN_AGENCIES_ID));
        strbuf_html_escape(p, db_text(agencies, i, ADMIN_AGENCIES_NAME_TH));
        strbuf_puts(p, "</a></td><td>");
        agency_view_kind(p, db_text(agencies, i, ADMIN_AGENCIES_KIND));
        strbuf_puts(p, "</td><td>");
        if (db_text(agencies, i, ADMIN_AGENCIES_PARENT_ID)[0]) {
            strbuf_printf(p, "<a href=\"/admin/agency?id=%s\">",
                          db_text(agencies, i, ADMIN_AGENCIES_PARENT_ID));
            strbuf_html_escape(p, db_text(agencies, i, ADMIN_AGENCIES_PARENT_NAME));
            strbuf_puts(p, "</a> (");
            strbuf_html_escape(p, db_text(agencies, i, ADMIN_AGENCIES_PARENT_CODE));
            strbuf_puts(p, ")");
        }
        char day[ITA_THAI_DATE_SIZE];
        const char *created = db_text(agencies, i, ADMIN_AGENCIES_CREATED);
        strbuf_printf(p, "</td><td>%s</td></tr>\n",
                      ita_thai_date_short(created, day, sizeof day) ? day : created);
    }
    if (n > 0)
        strbuf_puts(p, "</tbody></table></div>\n");
    list_view_pager(p, &v->lv, "agencies-pager", "หน้าของรายการหน่วยงาน");
    if (v->system && n > 0)
        export_links(p, db_text(agencies, 0, ADMIN_AGENCIES_YEARS));
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

/* The other loaded years, each a link to its checklist; the shown one marked. */
static void years(struct strbuf *p, const struct agency_info *a, int shown)
{
    int current = ita_fiscal_year_now();
    bool has_current = false;
    strbuf_puts(p, "<h2>ปีงบประมาณ</h2>\n<ul id=\"years\">\n");
    for (const char *y = a->years; y && *y;) {
        int l = (int)strcspn(y, ",");
        int fy = atoi(y);
        bool is_current = fy == current;
        has_current = has_current || is_current;
        strbuf_printf(p,
                      "<li%s><a href=\"/admin/agency?id=%s&amp;fy=%d\"%s>ปีงบประมาณ %d</a>%s</li>\n",
                      is_current ? " class=\"current\"" : "", a->id, fy,
                      fy == shown ? " aria-current=\"page\"" : "", fy,
                      is_current ? " <strong>(ปีปัจจุบัน)</strong>" : "");
        y += l + (y[l] == ',');
    }
    if (!has_current && a->years[0])
        strbuf_printf(p,
                      "<li id=\"no-current-year\">ปีงบประมาณปัจจุบัน (%d) ยังไม่มีแบบวัดในระบบ: "
                      "ผู้ดูแลระบบเผยแพร่ได้ที่หน้า \"แบบวัด\"</li>\n",
                      current);
    if (!a->years[0])
        strbuf_puts(p, "<li>ยังไม่มีแบบวัดในระบบ: ผู้ดูแลระบบเผยแพร่แบบวัดของแต่ละปีได้ที่หน้า "
                       "\"แบบวัด\"</li>\n");
    strbuf_puts(p, "</ul>\n");
}

/* One step of the checklist: done, the step to do now, or later. */
static void step_begin(struct strbuf *p, const char *id, bool done, bool now, const char *title)
{
    strbuf_printf(p, "<li id=\"%s\"%s><h3>%s</h3><p class=\"st\">%s</p>", id,
                  done  ? " class=\"done\""
                  : now ? " class=\"now\""
                        : "",
                  title,
                  done  ? "เสร็จแล้ว"
                  : now ? "ขั้นตอนถัดไป"
                        : "ยังไม่เสร็จ");
}

static const char *thai(const char *iso, char *buf)
{
    return ita_thai_date_short(iso, buf, ITA_THAI_DATE_SIZE) ? buf : iso;
}

/* The year's work in the order it is done, each step with where it stands and its page. */
static void checklist(struct strbuf *p, const struct agency_info *a,
                      const struct agency_checklist *c)
{
    const char *id = a->id;
    int fy = c->fy;
    char d1[ITA_THAI_DATE_SIZE], d2[ITA_THAI_DATE_SIZE];
    strbuf_printf(p, "<h2 id=\"checklist-h\">ขั้นตอนการประเมิน ปีงบประมาณ %d</h2>\n", fy);
    if (!c->has_version) {
        strbuf_puts(p, "<p class=\"er\">ยังไม่มีแบบวัดของปีงบประมาณนี้ในระบบ "
                       "ผู้ดูแลระบบต้องเผยแพร่แบบวัดของปีนี้ก่อน</p>\n");
        return;
    }
    bool closed = !strcmp(c->window, "closed"), open = !strcmp(c->window, "open");
    bool s1 = c->year_set && c->staff_known;
    bool s2 = c->iit_contacts > 0;
    bool s3 = c->public_links >= 2 && s2 && c->iit_issued >= c->iit_contacts;
    bool s4 = closed;
    bool s5 = c->oit_items > 0 && c->oit_marked >= c->oit_items;
    bool s6 = s4 && s5 && c->measures > 0;
    bool done[6] = {s1, s2, s3, s4, s5, s6};
    int now = 0;
    while (now < 6 && done[now])
        now++;
    strbuf_puts(p, "<ol id=\"checklist\">\n");

    step_begin(p, "step-year", s1, now == 0, "ตั้งค่าปีงบประมาณ");
    if (c->year_set)
        strbuf_printf(p, "<p>รับคำตอบตั้งแต่ %s ถึง %s%s</p>", thai(c->opens_on, d1),
                      thai(c->last_day, d2), c->staff_known ? "" : " · ยังไม่ได้ระบุจำนวนบุคลากร");
    else
        strbuf_puts(p, "<p>กำหนดวันเปิดและปิดรับคำตอบ และจำนวนบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า 1 ปี</p>");
    strbuf_printf(p, "<p><a href=\"/admin/year?agency=%s&amp;fy=%d\">ไปที่หน้าตั้งค่าปี</a></p></li>\n",
                  id, fy);

    step_begin(p, "step-lists", s2, now == 1, "นำเข้ารายชื่อ");
    if (c->iit_contacts > 0)
        strbuf_printf(p, "<p>รายชื่อบุคลากร %ld คน</p>", c->iit_contacts);
    else
        strbuf_puts(p, "<p>นำเข้ารายชื่อบุคลากรจากไฟล์ CSV หรือ Excel ของงานบุคคล "
                       "(ระบบคัดผู้ที่ปฏิบัติงานไม่ถึง 1 ปีออกให้)</p>");
    strbuf_printf(p,
                  "<p>รายชื่อผู้รับบริการและผู้มีส่วนได้ส่วนเสียภายนอก %ld คน "
                  "(ไม่บังคับ: ผู้รับบริการตอบผ่านลิงก์สาธารณะหรือคิวอาร์โค้ดได้)</p>"
                  "<p><a href=\"/admin/contacts?agency=%s&amp;fy=%d&amp;instrument=IIT\">"
                  "รายชื่อบุคลากร</a> · <a href=\"/admin/contacts?agency=%s&amp;fy=%d&amp;"
                  "instrument=EIT\">รายชื่อภายนอก</a></p></li>\n",
                  c->eit_contacts, id, fy, id, fy);

    step_begin(p, "step-links", s3, now == 2, "ส่งลิงก์และติดโปสเตอร์");
    if (c->public_links >= 2)
        strbuf_puts(p, "<p>ลิงก์สาธารณะ คิวอาร์โค้ดและโปสเตอร์ของ IIT และ EIT พร้อมใช้</p>");
    else
        strbuf_puts(p, "<p>ลิงก์สาธารณะ คิวอาร์โค้ดและโปสเตอร์จะพร้อมเมื่อบันทึกการตั้งค่าปี</p>");
    if (c->iit_contacts > 0)
        strbuf_printf(p, "<p>ออกลิงก์ส่วนบุคคลให้บุคลากรแล้ว %ld จาก %ld คน</p>", c->iit_issued,
                      c->iit_contacts);
    strbuf_printf(p,
                  "<p><a href=\"/admin/year?agency=%s&amp;fy=%d#year-links\">ลิงก์และโปสเตอร์</a>"
                  " · <a href=\"/admin/contacts?agency=%s&amp;fy=%d&amp;instrument=IIT\">"
                  "ออกลิงก์ส่วนบุคคล</a>"
                  " · <a href=\"/admin/mail?agency=%s&amp;fy=%d&amp;instrument=IIT\">"
                  "ส่งลิงก์ทางอีเมล</a></p></li>\n",
                  id, fy, id, fy, id, fy);

    step_begin(p, "step-progress", s4, now == 3, "ติดตามการตอบแบบสำรวจ");
    if (open && c->days_to_close <= 1)
        strbuf_printf(p, "<p><strong>เปิดรับอยู่</strong> วันนี้เป็นวันสุดท้าย (%s)</p>",
                      thai(c->last_day, d1));
    else if (open)
        strbuf_printf(p, "<p><strong>เปิดรับอยู่</strong> เหลือ %ld วัน (วันสุดท้าย %s)</p>",
                      c->days_to_close, thai(c->last_day, d1));
    else if (closed)
        strbuf_printf(p, "<p>ปิดรับคำตอบแล้ว (วันสุดท้ายคือ %s)</p>", thai(c->last_day, d1));
    else if (c->year_set)
        strbuf_printf(p, "<p>ยังไม่เปิดรับ: เปิด %s (อีก %ld วัน)</p>", thai(c->opens_on, d1),
                      c->days_to_open);
    else
        strbuf_puts(p, "<p>เริ่มได้เมื่อตั้งค่าปีแล้ว</p>");
    strbuf_printf(p, "<p><a href=\"/admin/progress?agency=%s&amp;fy=%d\">ดูความคืบหน้า</a></p></li>\n",
                  id, fy);

    step_begin(p, "step-oit", s5, now == 4, "ตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)");
    strbuf_printf(p, "<p>บันทึกผลแล้ว %ld จาก %ld ข้อ</p>", c->oit_marked, c->oit_items);
    strbuf_printf(
        p, "<p><a href=\"/admin/results?agency=%s&amp;year=%d#oit\">บันทึกผล OIT</a></p></li>\n", id,
        fy);

    step_begin(p, "step-report", s6, now == 5, "ผลคะแนนและรายงาน");
    strbuf_printf(p, "<p>%s · ร่างมาตรการส่งเสริมคุณธรรมและความโปร่งใสแล้ว %ld รายการ</p>",
                  closed ? "ดูผลคะแนนได้แล้ว" : "ผลคะแนนจะแสดงหลังปิดรับคำตอบ", c->measures);
    strbuf_printf(p,
                  "<p><a href=\"/admin/results?agency=%s&amp;year=%d\">ผลคะแนน</a> · "
                  "<a href=\"/admin/report?agency=%s&amp;year=%d\">รายงานสำหรับพิมพ์</a></p></li>\n",
                  id, fy, id, fy);
    strbuf_puts(p, "</ol>\n");
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
    kind_select(p, "kind", a->kind);
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
        strbuf_printf(p, "<span class=\"cp\"><a id=\"lk-%s\" href=\"", id);
        strbuf_html_escape(p, base);
        strbuf_puts(p, "/s/");
        strbuf_html_escape(p, db_text(links, i, ADMIN_AGENCY_LINKS_SLUG));
        strbuf_puts(p, "\">");
        strbuf_html_escape(p, base);
        strbuf_puts(p, "/s/");
        strbuf_html_escape(p, db_text(links, i, ADMIN_AGENCY_LINKS_SLUG));
        strbuf_printf(p,
                      "</a><button type=\"button\" data-copy=\"lk-%s\" hidden>คัดลอกลิงก์"
                      "</button></span>",
                      id);
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
                      const char *base, const PGresult *agency_links,
                      const struct agency_checklist *list)
{
    if (list->fy)
        page_year_nav(p, a->id, a->name, list->fy, PAGE_YEAR_OVERVIEW);
    strbuf_puts(p, "<p>รหัสหน่วยงาน ");
    strbuf_html_escape(p, a->code);
    if (a->kind[0]) {
        strbuf_puts(p, " · ประเภท ");
        agency_view_kind(p, a->kind);
    }
    if (a->parent_id && a->parent_id[0]) {
        strbuf_printf(p, " · ต้นสังกัด <a href=\"/admin/agency?id=%s\">", a->parent_id);
        strbuf_html_escape(p, a->parent_name);
        strbuf_puts(p, "</a> (");
        strbuf_html_escape(p, a->parent_code);
        strbuf_puts(p, ")");
    }
    strbuf_puts(p, "</p>\n");
    if (list->fy)
        checklist(p, a, list);
    years(p, a, list->fy);
    edit_form(p, a, system, csrf);
    links(p, base, agency_links);
}
