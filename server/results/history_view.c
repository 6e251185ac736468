/* The past-results pages (see history_view.h). */
#include "history_view.h"
#include "app/page_frame.h"
#include "thai_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *history_source_th(const char *source)
{
    if (!strcmp(source, "entered"))
        return "กรอกเอง";
    if (!strcmp(source, "imported"))
        return "นำเข้า";
    if (!strcmp(source, "published"))
        return "ผลจากระบบนี้";
    return source;
}

static void csrf_field(struct strbuf *p, const struct history_page *h)
{
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"fy\" value=\"%d\">",
                  h->csrf, h->agency_id, h->fy);
}

static void esc_or_dash(struct strbuf *p, const char *v)
{
    if (v && *v)
        strbuf_html_escape(p, v);
    else
        strbuf_puts(p, "–");
}

/* An e-mail address with break opportunities after "@" and each ".", so that a narrow screen
 * wraps it instead of scrolling sideways. */
static void email_html(struct strbuf *p, const char *email)
{
    char one[2] = {0, 0};
    for (const char *c = email; *c; c++) {
        one[0] = *c;
        strbuf_html_escape(p, one);
        if (*c == '@' || *c == '.')
            strbuf_puts(p, "<wbr>");
    }
}

/* One year in three columns (year and rating; scores; where it came from and what to do), narrow
 * enough for a 360 px phone. */
static void row_html(struct strbuf *p, const struct history_page *h, const struct history_row *r)
{
    char at[ITA_THAI_DATE_SIZE];
    if (!ita_thai_datetime_short(r->at, at, sizeof at))
        at[0] = '\0';
    strbuf_printf(p, "<tr id=\"y%s\"><th scope=\"row\">", r->year);
    strbuf_html_escape(p, r->year);
    strbuf_puts(p, "<br><span class=\"st\">ผล ");
    strbuf_html_escape(p, r->rating);
    strbuf_puts(p, "</span></th><td class=\"n\"><strong>");
    strbuf_html_escape(p, r->total);
    strbuf_puts(p, "</strong>");
    if (r->tool[0] || r->tool[1] || r->tool[2]) {
        static const char *const tools[3] = {"IIT", "EIT", "OIT"};
        for (int t = 0; t < 3; t++) {
            strbuf_printf(p, "<br>%s ", tools[t]);
            esc_or_dash(p, r->tool[t]);
        }
    }
    if (r->indicators) {
        strbuf_puts(p, "<details><summary>ตัวชี้วัด 10 ตัว</summary><ol>");
        const char *s = r->indicators;
        while (*s) {
            size_t n = strcspn(s, ",");
            char v[16];
            snprintf(v, sizeof v, "%.*s", (int)(n < 15 ? n : 15), s);
            strbuf_puts(p, "<li>");
            strbuf_html_escape(p, v);
            strbuf_puts(p, "</li>");
            s += n + (s[n] == ',');
        }
        strbuf_puts(p, "</ol></details>");
    }
    strbuf_printf(p, "</td><td>%s<br><small>", history_source_th(r->source));
    if (r->by && *r->by) {
        email_html(p, r->by);
        strbuf_puts(p, "<br>");
    }
    strbuf_printf(p,
                  "%s</small><br><a href=\"/admin/history?agency=%s&amp;fy=%d&amp;edit=%s#form-h\" "
                  "aria-label=\"แก้ไขผลปี %s\">แก้ไข</a> · "
                  "<a href=\"/admin/history/delete?agency=%s&amp;fy=%d&amp;year=%s\" "
                  "aria-label=\"ลบผลปี %s\">ลบ</a></td></tr>\n",
                  at, h->agency_id, h->fy, r->year, r->year, h->agency_id, h->fy, r->year, r->year);
}

/* One input with its label and error, tied by aria-describedby and marked aria-invalid. */
static void input(struct strbuf *p, const struct history_page *h, int f, const char *name,
                  const char *label, const char *mode, const char *extra)
{
    strbuf_printf(p,
                  "<p><label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" inputmode=\"%s\" "
                  "autocomplete=\"off\" maxlength=\"8\" %s",
                  name, label, name, name, mode, extra);
    if (h->error[f])
        strbuf_printf(p, "aria-invalid=\"true\" aria-describedby=\"%s-error\" ", name);
    strbuf_puts(p, "value=\"");
    strbuf_html_escape(p, h->value[f] ? h->value[f] : "");
    strbuf_puts(p, "\">");
    if (h->error[f]) {
        strbuf_printf(p, "<span class=\"er\" id=\"%s-error\">", name);
        strbuf_html_escape(p, h->error[f]);
        strbuf_puts(p, "</span>");
    }
    strbuf_puts(p, "</p>");
}

static void option(struct strbuf *p, const char *name, const char *chosen)
{
    strbuf_puts(p, "<option value=\"");
    strbuf_html_escape(p, name);
    strbuf_puts(p, chosen && !strcmp(chosen, name) ? "\" selected>" : "\">");
    strbuf_html_escape(p, name);
    strbuf_puts(p, "</option>");
}

static void form_html(struct strbuf *p, const struct history_page *h)
{
    strbuf_printf(p,
                  "<h2 id=\"form-h\">%s</h2>"
                  "<p>กรอกตามผลที่ ป.ป.ช. ประกาศ ปีงบประมาณ %d–%d คะแนน 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง "
                  "ตัวชี้วัดกรอกครบ 10 ตัวหรือเว้นว่างทั้งหมด ถ้าปีนั้นมีผลอยู่แล้วจะบันทึกทับ</p>",
                  h->editing ? "แก้ไขผลการประเมิน" : "เพิ่มหรือแก้ไขผลการประเมินหนึ่งปี",
                  ITA_RESULT_FIRST_YEAR, h->last_year);
    if (h->n_errors > 0)
        strbuf_printf(p,
                      "<div class=\"es\" id=\"es\" role=\"alert\" tabindex=\"-1\"><p>ยังไม่ได้บันทึก: "
                      "มีข้อมูลที่ต้องแก้ %d ช่อง ดูข้อความสีแดงใต้ช่องนั้น</p></div>",
                      h->n_errors);
    strbuf_puts(p,
                "<form method=\"post\" action=\"/admin/history\" id=\"history-form\" novalidate>");
    csrf_field(p, h);
    input(p, h, ITA_RF_YEAR, "year", "ปีงบประมาณ (พ.ศ.)", "numeric", "required ");
    input(p, h, ITA_RF_TOTAL, "total", "คะแนนรวม", "decimal", "required ");
    input(p, h, ITA_RF_IIT, "iit", "IIT (ไม่บังคับ)", "decimal", "");
    input(p, h, ITA_RF_EIT, "eit", "EIT (ไม่บังคับ)", "decimal", "");
    input(p, h, ITA_RF_OIT, "oit", "OIT (ไม่บังคับ)", "decimal", "");
    bool open = h->error[ITA_RF_IND1] != NULL;
    for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++)
        open |= h->value[ITA_RF_IND1 + i] && h->value[ITA_RF_IND1 + i][0];
    strbuf_printf(p, "<details id=\"indicators\"%s><summary>ตัวชี้วัด 1–10 (ไม่บังคับ)</summary>",
                  open ? " open" : "");
    for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++) {
        char name[8], label[40];
        snprintf(name, sizeof name, "i%d", i + 1);
        snprintf(label, sizeof label, "ตัวชี้วัด %d", i + 1);
        input(p, h, ITA_RF_IND1 + i, name, label, "decimal", "");
    }
    strbuf_puts(p, "</details>");
    const char *chosen = h->value[ITA_RF_RATING];
    strbuf_puts(p, "<p><label for=\"rating\">ผลการประเมิน (ระดับผล)</label>"
                   "<select id=\"rating\" name=\"rating\" required");
    if (h->error[ITA_RF_RATING])
        strbuf_puts(p, " aria-invalid=\"true\" aria-describedby=\"rating-error\"");
    strbuf_puts(p, "><option value=\"\">เลือก</option>"
                   "<optgroup label=\"ถึงปี 2566: ระดับ AA–F\">");
    for (int i = 0; i < ITA_RESULT_N_GRADES; i++)
        option(p, ITA_RESULT_GRADES[i], chosen);
    strbuf_puts(p, "</optgroup><optgroup label=\"ตั้งแต่ปี 2567: ระดับผล\">");
    for (size_t i = 0; i < h->n_tiers; i++)
        option(p, h->tiers[i], chosen);
    strbuf_puts(p, "</optgroup></select>");
    if (h->error[ITA_RF_RATING]) {
        strbuf_puts(p, "<span class=\"er\" id=\"rating-error\">");
        strbuf_html_escape(p, h->error[ITA_RF_RATING]);
        strbuf_puts(p, "</span>");
    }
    strbuf_puts(p, "</p><button type=\"submit\">บันทึกผลปีนี้</button></form>\n");
}

static void upload_html(struct strbuf *p, const struct history_page *h)
{
    strbuf_puts(p, "<h2 id=\"import-h\">นำเข้าหลายปีจากไฟล์ CSV</h2>"
                   "<p>หัวตาราง: ปีงบประมาณ, คะแนนรวม, IIT, EIT, OIT, ตัวชี้วัด 1 … ตัวชี้วัด 10, "
                   "ผลการประเมิน (บันทึกจาก Excel เป็น CSV หรือ CSV UTF-8) ถ้ามีแถวใดผิด "
                   "จะไม่บันทึกสักแถว และแสดงทุกแถวที่ต้องแก้</p>"
                   "<form method=\"post\" enctype=\"multipart/form-data\" "
                   "action=\"/admin/history/upload\" id=\"import-form\">");
    csrf_field(p, h);
    strbuf_printf(p,
                  "<p><label for=\"file\">ไฟล์ผลการประเมิน (.csv)</label><input type=\"file\" "
                  "id=\"file\" name=\"file\" accept=\".csv,text/csv\" required></p>"
                  "<button type=\"submit\">นำเข้า</button></form>\n"
                  "<p><a id=\"template\" href=\"/admin/history/template?agency=%s&amp;fy=%d\" "
                  "download>ดาวน์โหลดแบบฟอร์มผลการประเมิน (CSV)</a> "
                  "แทนแถวตัวอย่างด้วยผลจริงของแต่ละปี</p>\n",
                  h->agency_id, h->fy);
}

static void publish_html(struct strbuf *p, const struct history_page *h)
{
    strbuf_printf(p, "<h2 id=\"publish-h\">ผลปี %d จากระบบนี้</h2>", h->fy);
    if (h->final) {
        strbuf_puts(p,
                    "<p>ผลของปีนี้เป็นผลสุดท้ายแล้ว (ปิดรับคำตอบแล้ว ครบจำนวนขั้นต่ำ "
                    "และตรวจ OIT ครบทุกข้อ) บันทึกไว้เป็นผลที่เผยแพร่ได้ "
                    "เพื่อให้กราฟย้อนหลังและหน้าภาพรวมใช้ตัวเลขเดียวกัน</p>"
                    "<form method=\"post\" action=\"/admin/history/publish\" id=\"publish-form\">");
        csrf_field(p, h);
        strbuf_printf(p, "<button type=\"submit\">บันทึกผลปี %d เป็นผลที่เผยแพร่</button></form>\n",
                      h->fy);
    } else {
        strbuf_puts(p, "<p id=\"not-final\">ยังบันทึกเป็นผลที่เผยแพร่ไม่ได้: ");
        strbuf_html_escape(p, h->not_final ? h->not_final : "ยังไม่มีผลของปีนี้");
        strbuf_puts(p, "</p>\n");
    }
}

void history_view_page(struct strbuf *p, const struct history_page *h)
{
    page_year_nav(p, h->agency_id, h->name, h->fy, PAGE_YEAR_NONE);
    if (h->notice) {
        strbuf_puts(p, "<p class=\"ok\" id=\"notice\" role=\"status\">");
        strbuf_html_escape(p, h->notice);
        strbuf_puts(p, "</p>\n");
    }
    strbuf_puts(p, "<h2 id=\"years-h\">ผลที่บันทึกไว้</h2>");
    if (h->n == 0) {
        strbuf_puts(p, "<p id=\"no-years\">ยังไม่มีผลการประเมินย้อนหลังของหน่วยงานนี้ "
                       "กรอกทีละปีหรือนำเข้าจากไฟล์ CSV ด้านล่าง</p>\n");
    } else {
        strbuf_puts(p, "<table id=\"years\" aria-labelledby=\"years-h\"><thead><tr>"
                       "<th scope=\"col\">ปีงบประมาณ และผลการประเมิน</th>"
                       "<th scope=\"col\">คะแนนรวม (IIT, EIT, OIT)</th>"
                       "<th scope=\"col\">ที่มา ผู้บันทึก และเวลา</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < h->n; i++)
            row_html(p, h, &h->rows[i]);
        strbuf_puts(p, "</tbody></table>\n");
    }
    form_html(p, h);
    upload_html(p, h);
    publish_html(p, h);
    if (h->system)
        strbuf_puts(p, "<p><a href=\"/admin/history/import\">นำเข้าผลของหลายหน่วยงานในไฟล์เดียว "
                       "(ผู้ดูแลระบบ)</a></p>\n");
}

void history_view_delete(struct strbuf *p, const struct history_page *h,
                         const struct history_row *r)
{
    page_year_nav(p, h->agency_id, h->name, h->fy, PAGE_YEAR_NONE);
    strbuf_puts(p, "<p>ลบผลการประเมินปีงบประมาณ <strong>");
    strbuf_html_escape(p, r->year);
    strbuf_puts(p, "</strong> (คะแนนรวม ");
    strbuf_html_escape(p, r->total);
    strbuf_puts(p, " ผลการประเมิน ");
    strbuf_html_escape(p, r->rating);
    strbuf_printf(p, ", %s) ออกจากประวัติของหน่วยงานนี้? การลบบันทึกไว้ในบันทึกการใช้งาน</p>",
                  history_source_th(r->source));
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/history/delete\" id=\"delete-form\">");
    csrf_field(p, h);
    strbuf_puts(p, "<input type=\"hidden\" name=\"year\" value=\"");
    strbuf_html_escape(p, r->year);
    strbuf_printf(
        p,
        "\"><button type=\"submit\" class=\"sec\">ลบผลปี %s</button></form>"
        "<p><a href=\"/admin/history?agency=%s&amp;fy=%d\">ยกเลิก กลับไปหน้าผลย้อนหลัง</a></p>\n",
        r->year, h->agency_id, h->fy);
}

void history_view_import_errors(struct strbuf *p, const struct ita_import_errors *e,
                                size_t rows_read, const char *back_href)
{
    strbuf_printf(p,
                  "<div class=\"es\" id=\"es\" role=\"alert\" tabindex=\"-1\"><p>ยังไม่ได้บันทึกสักแถว: "
                  "ไฟล์มีข้อผิดพลาด %zu รายการใน %zu แถว (จากทั้งหมด %zu แถว) "
                  "แก้ไฟล์แล้วนำเข้าอีกครั้ง</p></div>\n",
                  e->total, e->bad_rows, rows_read);
    strbuf_puts(p, "<table id=\"import-errors\" aria-label=\"แถวที่ต้องแก้\"><thead><tr>"
                   "<th scope=\"col\">แถวที่</th><th scope=\"col\">คอลัมน์</th>"
                   "<th scope=\"col\">ต้องแก้</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < e->n; i++) {
        if (e->items[i].line)
            strbuf_printf(p, "<tr><td class=\"n\">%lu</td><td>", e->items[i].line);
        else
            strbuf_puts(p, "<tr><td>ทั้งไฟล์</td><td>");
        strbuf_html_escape(p, e->items[i].column);
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, e->items[i].reason);
        strbuf_puts(p, "</td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
    if (e->total > e->n)
        strbuf_printf(p, "<p>และอีก %zu รายการ</p>\n", e->total - e->n);
    strbuf_printf(p, "<p><a id=\"back\" href=\"%s\">กลับไปนำเข้าอีกครั้ง</a></p>\n", back_href);
}

void history_view_import_page(struct strbuf *p, const char *csrf)
{
    strbuf_printf(p,
                  "<p>ไฟล์เดียวสำหรับหลายหน่วยงาน: หัวตารางเหมือนไฟล์ของหน่วยงานเดียว "
                  "และมีคอลัมน์ รหัสหน่วยงาน เพิ่ม ถ้ามีแถวใดผิด (เช่น รหัสหน่วยงานที่ไม่มีในระบบ) "
                  "จะไม่บันทึกสักแถว</p>"
                  "<form method=\"post\" enctype=\"multipart/form-data\" "
                  "action=\"/admin/history/import\" id=\"import-form\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<p><label for=\"file\">ไฟล์ผลการประเมินหลายหน่วยงาน (.csv)</label>"
                  "<input type=\"file\" id=\"file\" name=\"file\" accept=\".csv,text/csv\" "
                  "required></p><button type=\"submit\">นำเข้า</button></form>\n"
                  "<p><a id=\"template\" href=\"/admin/history/template?many=1\" download>"
                  "ดาวน์โหลดแบบฟอร์มหลายหน่วยงาน (CSV)</a></p>\n",
                  csrf);
}
