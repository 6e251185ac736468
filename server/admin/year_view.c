/* The year settings page (see year_view.h). */
#include "year_view.h"
#include "setup_view.h"

#include <stdlib.h>

static void population_input(struct strbuf *p, const char *name, long v)
{
    strbuf_printf(p,
                  "<input id=\"%s\" name=\"%s\" inputmode=\"numeric\" pattern=\"[0-9]*\" "
                  "maxlength=\"8\" value=\"",
                  name, name);
    if (v >= 0)
        strbuf_printf(p, "%ld", v);
    strbuf_puts(p, "\">");
}

void year_view(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct year_page *y = model;
    setup_view_nav(p, s);
    if (y->saved)
        strbuf_puts(p, "<p class=\"ok\" role=\"status\">บันทึกแล้ว</p>\n");
    admin_page_unverified(p, s->u, atoi(s->fy), s->unverified);
    if (!s->version_exists)
        strbuf_puts(p,
                    "<p class=\"er\" role=\"alert\">ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ "
                    "ผู้ดูแลระบบต้องเผยแพร่แบบวัดของปีนี้ก่อน (หน้าแบบวัด หรือ itad --load-instruments)</p>\n");
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/year\" id=\"year-form\">");
    setup_view_csrf(p, y->csrf);
    setup_view_hidden_scope(p, s, -1);
    strbuf_printf(
        p,
        "<p><label for=\"opens_on\">วันเปิดรับคำตอบ</label>"
        "<input type=\"date\" id=\"opens_on\" name=\"opens_on\" required value=\"%s\"></p>"
        "<p><label for=\"closes_on\">วันปิดรับคำตอบ (วันสุดท้ายที่ตอบได้)</label>"
        "<input type=\"date\" id=\"closes_on\" name=\"closes_on\" required "
        "value=\"%s\"></p>"
        "<p><label for=\"staff_population\">จำนวนบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า 1 "
        "ปี</label>",
        s->opens_on, s->closes_on);
    population_input(p, "staff_population", s->population[0]);
    strbuf_puts(p, "</p><p><label for=\"eit_population\">"
                   "จำนวนผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอกโดยประมาณ "
                   "(ไม่ทราบให้เว้นว่าง)</label>");
    population_input(p, "eit_population", s->population[1]);
    strbuf_puts(p, "</p><button type=\"submit\">บันทึก</button></form>\n");
    strbuf_puts(p, "<h2>จำนวนตัวอย่างขั้นต่ำ</h2><table id=\"min-sample\"><thead><tr>"
                   "<th>แบบสำรวจ</th><th>จำนวนประชากร</th><th>ต้องได้อย่างน้อย</th></tr></thead>"
                   "<tbody>\n");
    for (int k = 0; k < 2; k++) {
        strbuf_printf(p, "<tr><td>%s</td><td>", SETUP_INSTRUMENTS[k]);
        if (s->population[k] >= 0)
            strbuf_printf(p, "%ld", s->population[k]);
        else
            strbuf_puts(p, "ยังไม่ระบุ");
        strbuf_printf(p, "</td><td>%ld</td></tr>\n", y->min_sample[k]);
    }
    strbuf_puts(p, "</tbody></table>\n");
    if (!s->year_set)
        return;
    strbuf_puts(p, "<h2>ลิงก์แบบสำรวจ คิวอาร์โค้ดและโปสเตอร์</h2><ul id=\"year-links\">\n");
    for (int k = 0; k < 2; k++) {
        if (!y->url[k])
            continue;
        long id = s->link_id[k];
        strbuf_printf(p, "<li>%s: <code>", SETUP_INSTRUMENTS[k]);
        strbuf_html_escape(p, y->url[k]);
        strbuf_printf(p,
                      "</code> · <a href=\"/admin/qr?link=%ld&amp;format=pdf\">โปสเตอร์ A4 (PDF)</a>"
                      " · <a href=\"/admin/qr?link=%ld&amp;format=png\">คิวอาร์โค้ด PNG</a>"
                      " · <a href=\"/admin/qr?link=%ld&amp;format=svg\">SVG</a>"
                      " · <a href=\"/admin/qr?link=%ld&amp;format=html\">โค้ดสำหรับเว็บไซต์</a>"
                      "</li>\n",
                      id, id, id, id);
    }
    strbuf_puts(p, "</ul>\n");
}
