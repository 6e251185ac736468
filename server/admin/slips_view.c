/* The printed link slips' section of the contacts page (see slips_view.h). */
#include "slips_view.h"

void slips_view_section(struct strbuf *p, const struct setup *s, long with_link)
{
    if (!s->link_id[s->instrument] || with_link <= 0)
        return;
    const char *in = SETUP_INSTRUMENTS[s->instrument];
    strbuf_puts(p, "<section id=\"slips\" aria-labelledby=\"slips-title\">"
                   "<h2 id=\"slips-title\">ใบแจ้งลิงก์สำหรับผู้ไม่มีอีเมล</h2>"
                   "<p>พิมพ์ใบแจ้งลิงก์ (PDF ขนาด A4 หน้าละ 8 ใบ) ตัดตามเส้นประ "
                   "แล้วแจกให้แต่ละคน ในใบมีชื่อ คิวอาร์โค้ด และลิงก์ส่วนบุคคลของผู้นั้น</p>"
                   "<p id=\"slips-warning\"><strong>โปรดระวัง:</strong> ผู้ที่พิมพ์หรือถือใบแจ้งลิงก์ "
                   "จะถือลิงก์ส่วนบุคคลของทุกคนในใบนั้น และตอบแทนผู้อื่นได้ "
                   "ควรให้ผู้ที่ไม่ใช่ผู้บังคับบัญชาพิมพ์ และแจกในซองปิดผนึก "
                   "ทุกครั้งที่ดาวน์โหลดจะถูกบันทึกในประวัติการดำเนินการ</p><ul>");
    strbuf_printf(p,
                  "<li><a id=\"slips-noemail\" href=\"/admin/links/slips?agency=%s&amp;fy=%s&amp;"
                  "instrument=%s\">ดาวน์โหลดใบแจ้งลิงก์ของผู้ที่ไม่มีอีเมล (PDF)</a></li>"
                  "<li><a id=\"slips-all\" href=\"/admin/links/slips?agency=%s&amp;fy=%s&amp;"
                  "instrument=%s&amp;who=all\">ดาวน์โหลดใบแจ้งลิงก์ของทุกคนที่มีลิงก์ (PDF)</a></li>"
                  "</ul></section>\n",
                  s->agency_id, s->fy, in, s->agency_id, s->fy, in);
}
