/* The year settings page (see year_view.h). */
#include "year_view.h"
#include "setup_view.h"
#include "contact_list.h"
#include "thai_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FIELD_ID[YF_COUNT] = {"opens_on", "closes_on", "staff_population",
                                               "eit_population"};

bool year_shift_day(const char *iso, int years, char *out, size_t size)
{
    struct ita_date d;
    char tail;
    if (size > 0)
        out[0] = '\0';
    if (!iso || strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%c", &d.y, &d.m, &d.d, &tail) != 3 ||
        !ita_date_valid(d) || size < 11)
        return false;
    d.y += years;
    if (d.y < 1 || d.y > 9999)
        return false;
    if (!ita_date_valid(d)) /* 29 February in a year without it */
        d.d = 28;
    snprintf(out, size, "%04d-%02d-%02d", d.y, d.m, d.d);
    return true;
}

/* A count with thousands separators, as the pages print populations ("4,000"). */
static void count(struct strbuf *p, long n)
{
    char d[24];
    int len = snprintf(d, sizeof d, "%ld", n);
    for (int i = 0; i < len; i++) {
        if (i > 0 && d[i - 1] != '-' && (len - i) % 3 == 0)
            strbuf_puts(p, ",");
        strbuf_printf(p, "%c", d[i]);
    }
}

static void thai_day(struct strbuf *p, const char *iso)
{
    char d[ITA_THAI_DATE_SIZE];
    strbuf_html_escape(p, ita_thai_date_short(iso, d, sizeof d) ? d : iso);
}

void year_view_window_state(struct strbuf *p, const struct setup *s, const char *today)
{
    struct ita_window w = ita_window_on(s->opens_on, s->closes_on, today);
    static const char *const cls[] = {"pd", "pd", "ok", "nc"};
    strbuf_printf(p, "<p id=\"window-state\" class=\"%s\" data-state=\"%d\"><strong>", cls[w.state],
                  (int)w.state);
    switch (w.state) {
    case ITA_WINDOW_UNSET:
        strbuf_puts(p, "ยังไม่ได้ตั้งค่า</strong> — ยังไม่ได้กำหนดช่วงเวลารับคำตอบของปีงบประมาณนี้");
        break;
    case ITA_WINDOW_NOT_OPEN:
        strbuf_puts(p, "ยังไม่เปิด</strong> — เปิด ");
        thai_day(p, s->opens_on);
        strbuf_printf(p, " (อีก %ld วัน)", w.days);
        break;
    case ITA_WINDOW_OPEN:
        strbuf_printf(p, "เปิดรับอยู่ — เหลือ %ld วัน</strong> (ปิดหลังวันที่ ", w.days);
        thai_day(p, s->closes_on);
        strbuf_puts(p, ")");
        break;
    case ITA_WINDOW_CLOSED:
        strbuf_puts(p, "ปิดแล้ว</strong> เมื่อสิ้นวันที่ ");
        thai_day(p, s->closes_on);
        strbuf_printf(p, " (%ld วันที่แล้ว)", w.days);
        break;
    default:
        abort();
    }
    if (w.state != ITA_WINDOW_UNSET) {
        strbuf_puts(p, "<br>ช่วงรับคำตอบ ");
        thai_day(p, s->opens_on);
        strbuf_puts(p, " ถึง ");
        thai_day(p, s->closes_on);
        strbuf_puts(p, " (รวมวันปิด) ตามเวลาประเทศไทย");
    }
    strbuf_puts(p, "</p>\n");
}

/* A field's value: as typed after a post, else the saved one (dates as d/m/Buddhist-Era year). */
static const char *field_value(const struct setup *s, const struct year_page *y, int f, char *buf,
                               size_t size)
{
    if (y->typed[f])
        return y->typed[f];
    buf[0] = '\0';
    if (f == YF_OPENS || f == YF_CLOSES)
        ita_thai_date_numeric(f == YF_OPENS ? s->opens_on : s->closes_on, buf, size);
    else if (s->population[f - YF_STAFF] >= 0)
        snprintf(buf, size, "%ld", s->population[f - YF_STAFF]);
    return buf;
}

/* One field with its label, hint and error: the hint and the error are tied to the input by
 * aria-describedby, and an error marks it aria-invalid. */
static void field(struct strbuf *p, const struct setup *s, const struct year_page *y, int f,
                  const char *label, const char *hint, const char *extra_described)
{
    const char *id = FIELD_ID[f];
    char buf[32];
    strbuf_printf(p, "<p><label for=\"%s\">%s</label>", id, label);
    if (hint)
        strbuf_printf(p, "<span class=\"nt\" id=\"%s-hint\">%s</span>", id, hint);
    bool date = f == YF_OPENS || f == YF_CLOSES;
    strbuf_printf(p, "<input id=\"%s\" name=\"%s\" inputmode=\"numeric\" autocomplete=\"off\" ", id,
                  id);
    if (date)
        strbuf_puts(p, "placeholder=\"วว/ดด/ปปปป\" maxlength=\"20\" required ");
    else
        strbuf_puts(p, "maxlength=\"8\" ");
    if (hint || y->error[f] || extra_described) {
        strbuf_puts(p, "aria-describedby=\"");
        const char *sep = "";
        if (hint) {
            strbuf_printf(p, "%s-hint", id);
            sep = " ";
        }
        if (y->error[f]) {
            strbuf_printf(p, "%s%s-error", sep, id);
            sep = " ";
        }
        if (extra_described)
            strbuf_printf(p, "%s%s", sep, extra_described);
        strbuf_puts(p, "\" ");
    }
    if (y->error[f])
        strbuf_puts(p, "aria-invalid=\"true\" ");
    strbuf_puts(p, "value=\"");
    strbuf_html_escape(p, field_value(s, y, f, buf, sizeof buf));
    strbuf_puts(p, "\">");
    if (y->error[f]) {
        strbuf_printf(p, "<span class=\"er\" id=\"%s-error\">", id);
        strbuf_html_escape(p, y->error[f]);
        strbuf_puts(p, "</span>");
    }
    strbuf_puts(p, "</p>");
}

/* What the clerk must confirm before a window that is allowed but probably a mistake is saved. */
static void warnings(struct strbuf *p, const struct setup *s, const struct year_page *y)
{
    strbuf_puts(p, "<div class=\"nc\" id=\"window-warning\"><p><strong>"
                   "ตรวจสอบก่อนบันทึก — ยังไม่ได้บันทึก</strong></p><ul>");
    if (y->warnings & ITA_WINDOW_PAST) {
        strbuf_puts(p, "<li>วันปิดรับคำตอบ (");
        thai_day(p, y->closes_iso);
        strbuf_puts(p, ") ผ่านไปแล้ว ถ้าบันทึก แบบสำรวจจะปิดทันที ลิงก์แบบสำรวจจะใช้ตอบไม่ได้ "
                       "และรายชื่อผู้ตอบจะลบได้</li>");
    }
    if (y->warnings & ITA_WINDOW_OUTSIDE_FY) {
        char first[16], last[16];
        ita_fiscal_year_bounds(atoi(s->fy), first, last, sizeof first);
        strbuf_printf(p, "<li>ช่วงเวลานี้ไม่อยู่ในปีงบประมาณ %s (", s->fy);
        thai_day(p, first);
        strbuf_puts(p, " ถึง ");
        thai_day(p, last);
        strbuf_puts(p, ") ตรวจสอบปี พ.ศ. ที่กรอกอีกครั้ง</li>");
    }
    strbuf_printf(p,
                  "</ul><label for=\"confirm\"><input type=\"checkbox\" id=\"confirm\" "
                  "name=\"confirm\" value=\"%u\"> ยืนยัน บันทึกช่วงเวลานี้ตามที่กรอก</label>"
                  "<p class=\"nt\">หรือแก้วันที่แล้วกดบันทึกอีกครั้ง</p></div>",
                  y->warnings);
}

/* A sample rule in words, e.g. "ร้อยละ 10 ของประชากร แต่ไม่น้อยกว่า 30 ราย ...". */
static void rule_words(struct strbuf *p, const struct ita_sample_rule *r)
{
    if (r->percent_bp > 0) {
        strbuf_printf(p, "ร้อยละ %d", r->percent_bp / 100);
        if (r->percent_bp % 100)
            strbuf_printf(p, ".%02d", r->percent_bp % 100);
        strbuf_puts(p, " ของประชากร แต่ไม่น้อยกว่า ");
    } else {
        strbuf_puts(p, "อย่างน้อย ");
    }
    count(p, r->minimum);
    strbuf_puts(p, " ราย (ถ้าประชากรน้อยกว่านั้น ทุกคน)");
    if (r->large_above > 0) {
        strbuf_puts(p, " ประชากรเกิน ");
        count(p, r->large_above);
        strbuf_puts(p, " ราย ใช้ ");
        count(p, r->large_sample);
        strbuf_puts(p, " ราย");
    }
}

static void min_samples(struct strbuf *p, const struct setup *s, const struct year_page *y)
{
    strbuf_puts(p, "<h2>กลุ่มตัวอย่างขั้นต่ำ</h2><table id=\"min-sample\"><thead><tr>"
                   "<th>แบบวัด</th><th>ประชากร</th><th>กลุ่มตัวอย่างขั้นต่ำ</th></tr></thead>"
                   "<tbody>\n");
    for (int k = 0; k < 2; k++) {
        strbuf_printf(p, "<tr><td>%s</td><td>", SETUP_INSTRUMENTS[k]);
        if (s->population[k] >= 0) {
            strbuf_printf(p, "%ld</td><td>%ld</td></tr>\n", s->population[k], y->min_sample[k]);
        } else {
            strbuf_printf(p, "ยังไม่ได้กรอก</td><td>อย่างน้อย %ld</td></tr>\n", y->min_sample[k]);
        }
    }
    strbuf_puts(p, "</tbody></table>\n<ul class=\"nt\" id=\"sample-rules\">");
    for (int k = 0; k < 2; k++) {
        strbuf_printf(p, "<li>เกณฑ์ %s: ", SETUP_INSTRUMENTS[k]);
        rule_words(p, &s->rules[k]);
        if (s->population[k] < 0)
            strbuf_printf(p,
                          " — ยังไม่ได้กรอกจำนวนประชากร จึงใช้ขั้นต่ำตามเกณฑ์ %ld ราย "
                          "จนกว่าจะกรอก",
                          y->min_sample[k]);
        strbuf_puts(p, "</li>");
    }
    strbuf_puts(p, "</ul>\n");
}

/* A year not set up yet: the offer to copy the agency's earlier set-up into the form, or, once
 * copied, what was copied and that nothing is saved until the clerk saves. */
static void copy_offer(struct strbuf *p, const struct setup *s, const struct year_page *y)
{
    if (y->copied) {
        strbuf_printf(p,
                      "<div class=\"nc\" role=\"status\" id=\"copy-note\"><p><strong>"
                      "คัดลอกการตั้งค่าจากปีงบประมาณ %d มาใส่ในแบบฟอร์มแล้ว — ยังไม่ได้บันทึก"
                      "</strong></p><ul><li>ช่วงเวลารับคำตอบของปี %d (",
                      y->previous_fy, y->previous_fy);
        thai_day(p, y->previous_opens);
        strbuf_puts(p, " ถึง ");
        thai_day(p, y->previous_closes);
        strbuf_printf(p,
                      ") เลื่อนมาเป็นปีงบประมาณ %s: วันและเดือนเดิม ปีเพิ่มขึ้น %d ปี "
                      "(29 ก.พ. เป็น 28 ก.พ. ในปีที่ไม่มีวันนั้น)</li>"
                      "<li>จำนวนบุคลากรและจำนวนผู้มีส่วนได้ส่วนเสียของปี %d</li>"
                      "<li>ไม่ได้คัดลอก: ลิงก์แบบสำรวจ (สร้างใหม่เมื่อบันทึก) และรายชื่อผู้ตอบ</li></ul>"
                      "<p>ตรวจสอบวันที่และจำนวนให้ตรงกับปีนี้ แก้ได้ แล้วกด \"บันทึก\"</p></div>\n",
                      s->fy, atoi(s->fy) - y->previous_fy, y->previous_fy);
        return;
    }
    if (s->year_set || y->previous_fy <= 0)
        return;
    strbuf_printf(p,
                  "<div class=\"pd\" id=\"copy-box\"><p>ปีงบประมาณ %d ของหน่วยงานตั้งค่าไว้แล้ว "
                  "ใช้เป็นจุดเริ่มต้นของปีนี้ได้</p>",
                  y->previous_fy);
    strbuf_puts(p, "<form method=\"get\" action=\"/admin/year\" id=\"copy-form\">");
    setup_view_hidden_scope(p, s, -1);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"copy\" value=\"%d\">"
                  "<p><button type=\"submit\" id=\"copy-previous\" "
                  "aria-describedby=\"copy-hint\">ใช้การตั้งค่าจากปีงบประมาณ %d</button> "
                  "<span class=\"nt\" id=\"copy-hint\">เติมช่วงเวลารับคำตอบ (เลื่อนมาเป็นปีนี้) "
                  "และจำนวนประชากรของปี %d ลงในแบบฟอร์มด้านล่าง ยังไม่บันทึกจนกว่าจะกด "
                  "\"บันทึก\"</span></p></form></div>\n",
                  y->previous_fy, y->previous_fy, y->previous_fy);
}

/* Links to the year's forms as respondents see them, answered without storing anything. */
static void preview_links(struct strbuf *p, const struct setup *s)
{
    if (!s->version_exists)
        return;
    strbuf_puts(p, "<h2>ตัวอย่างแบบสำรวจ</h2><p id=\"year-preview\">");
    for (int k = 0; k < 2; k++)
        strbuf_printf(p,
                      "%s<a href=\"/admin/year/preview?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                      "ดูตัวอย่างแบบสำรวจ %s</a>",
                      k ? " · " : "", s->agency_id, s->fy, SETUP_INSTRUMENTS[k],
                      SETUP_INSTRUMENTS[k]);
    strbuf_puts(p, "</p><p class=\"nt\">แบบสำรวจของปีนี้ตามที่ผู้ตอบจะเห็น ทดลองตอบและส่งได้ "
                   "ระบบตรวจคำตอบแบบเดียวกับการส่งจริง แต่คำตอบจะไม่ถูกบันทึก</p>\n");
}

void year_view(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct year_page *y = model;
    setup_view_nav(p, s);
    year_view_window_state(p, s, y->today);
    if (y->saved)
        strbuf_puts(p, "<p class=\"ok\" role=\"status\">บันทึกแล้ว</p>\n");
    bool refused = false;
    for (int f = 0; f < YF_COUNT; f++)
        refused |= y->error[f] != NULL;
    if (refused)
        strbuf_puts(p, "<p class=\"er\" role=\"alert\" id=\"year-errors\">ยังไม่ได้บันทึก "
                       "กรุณาแก้ไขช่องที่มีข้อความสีแดง</p>\n");
    else if (y->warnings)
        strbuf_puts(p, "<p class=\"er\" role=\"alert\" id=\"year-errors\">ยังไม่ได้บันทึก "
                       "กรุณาตรวจสอบช่วงเวลารับคำตอบและยืนยัน</p>\n");
    admin_page_unverified(p, s->u, atoi(s->fy), s->unverified);
    if (!s->version_exists)
        strbuf_puts(p, "<p class=\"er\" role=\"alert\">ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ "
                       "ผู้ดูแลระบบต้องเผยแพร่แบบวัดของปีนี้ก่อน (ที่หน้า \"แบบวัด\" ของผู้ดูแลระบบ)</p>\n");
    copy_offer(p, s, y);
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/year\" id=\"year-form\" novalidate>");
    setup_view_csrf(p, y->csrf);
    setup_view_hidden_scope(p, s, -1);
    static const char DATE_HINT[] = "วว/ดด/ปปปป พ.ศ. เช่น 1/11/2569";
    field(p, s, y, YF_OPENS, "วันเปิดรับคำตอบ", DATE_HINT, NULL);
    field(p, s, y, YF_CLOSES, "วันปิดรับคำตอบ (วันสุดท้ายที่ตอบได้)", DATE_HINT,
          y->warnings ? "window-warning" : NULL);
    if (y->warnings)
        warnings(p, s, y);
    field(p, s, y, YF_STAFF, "จำนวนบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า 1 ปี", NULL, NULL);
    field(p, s, y, YF_EIT, "จำนวนผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอกโดยประมาณ (ไม่ทราบให้เว้นว่าง)", NULL,
          NULL);
    strbuf_puts(p, "<button type=\"submit\">บันทึก</button></form>\n");
    min_samples(p, s, y);
    preview_links(p, s);
    if (!s->year_set)
        return;
    strbuf_puts(p, "<h2>ลิงก์แบบสำรวจ คิวอาร์โค้ดและโปสเตอร์</h2><ul id=\"year-links\">\n");
    for (int k = 0; k < 2; k++) {
        if (!y->url[k])
            continue;
        long id = s->link_id[k];
        /* the link itself (to open or copy), its copy button (page script), then its posters */
        strbuf_printf(p, "<li><span class=\"cp\">%s: <a class=\"yl\" id=\"yl-%s\" href=\"",
                      SETUP_INSTRUMENTS[k], SETUP_INSTRUMENTS[k]);
        strbuf_html_escape(p, y->url[k]);
        strbuf_puts(p, "\">");
        strbuf_html_escape(p, y->url[k]);
        strbuf_printf(p,
                      "</a><button type=\"button\" data-copy=\"yl-%s\" hidden>คัดลอกลิงก์</button>"
                      "</span>",
                      SETUP_INSTRUMENTS[k]);
        strbuf_printf(p,
                      "<a href=\"/admin/qr?link=%ld&amp;format=pdf\">โปสเตอร์ A4 (PDF)</a>"
                      " · <a href=\"/admin/qr?link=%ld&amp;format=png\">คิวอาร์โค้ด PNG</a>"
                      " · <a href=\"/admin/qr?link=%ld&amp;format=svg\">SVG</a>"
                      " · <a href=\"/admin/qr?link=%ld&amp;format=html\">โค้ดสำหรับเว็บไซต์</a>"
                      "</li>\n",
                      id, id, id, id);
    }
    strbuf_puts(p, "</ul>\n");
}
