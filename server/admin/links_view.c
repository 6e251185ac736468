/* The personal-link pages (see links_view.h). */
#include "links_view.h"
#include "setup_view.h"

/* "ชื่อ (หน่วยงานย่อย · อีเมล)" escaped. */
static void whose(struct strbuf *p, const struct links_whose *w)
{
    strbuf_puts(p, "<strong>");
    strbuf_html_escape(p, w->name);
    strbuf_puts(p, "</strong>");
    if (w->unit[0] || w->email[0]) {
        strbuf_puts(p, " (");
        strbuf_html_escape(p, w->unit);
        if (w->unit[0] && w->email[0])
            strbuf_puts(p, " · ");
        strbuf_html_escape(p, w->email);
        strbuf_puts(p, ")");
    }
}

static void back(struct strbuf *p, const struct setup *s, const char *text)
{
    strbuf_printf(
        p, "<p><a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s\">%s</a></p>\n",
        s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], text);
}

void links_view_reissue_confirm(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct links_whose *w = model;
    setup_view_nav(p, s);
    strbuf_puts(p, "<p id=\"reissue-whose\">ออกลิงก์ส่วนบุคคลใหม่ให้ ");
    whose(p, w);
    strbuf_puts(p, "</p>\n<ul id=\"reissue-effects\"><li>ลิงก์เดิมที่ส่งไปแล้วจะใช้ไม่ได้ทันที "
                   "(ใช้เมื่อผู้ตอบทำลิงก์หาย หรือส่งผิดคน)</li>"
                   "<li>ถ้าผู้นี้ตอบแบบสำรวจไปแล้ว ลิงก์ใหม่ก็ใช้ตอบซ้ำไม่ได้ "
                   "และระบบไม่แสดงว่าผู้ใดตอบแล้ว</li></ul>\n"
                   "<form method=\"post\" action=\"/admin/links/reissue\" id=\"reissue-form\">");
    setup_view_csrf(p, w->csrf);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"contact\" value=\"%ld\">"
                  "<button type=\"submit\">ยืนยัน ออกลิงก์ใหม่ให้ผู้นี้</button></form>\n",
                  w->contact_id);
    back(p, s, "ยกเลิก กลับไปหน้ารายชื่อ");
}

void links_view_reissued(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct links_whose *w = model;
    setup_view_nav(p, s);
    if (!w->url) { /* a privately delivered list: the link is never shown */
        strbuf_puts(p, "<p id=\"reissued-whose\">ออกลิงก์ใหม่ให้ ");
        whose(p, w);
        strbuf_puts(p, w->emailed ? " แล้ว ลิงก์เดิมใช้ไม่ได้แล้ว ระบบจะส่งลิงก์ใหม่ถึงอีเมลของผู้นี้เอง "
                                    "(ดูสถานะได้ที่หน้า ส่งลิงก์ทางอีเมล)</p>\n"
                                  : " แล้ว ลิงก์เดิมใช้ไม่ได้แล้ว ผู้นี้ไม่มีอีเมล "
                                    "พิมพ์ใบแจ้งลิงก์ใหม่ให้ได้จากหน้ารายชื่อ</p>\n");
        back(p, s, "กลับไปหน้ารายชื่อ");
        return;
    }
    strbuf_puts(p, "<p id=\"reissued-whose\">ลิงก์ใหม่ของ ");
    whose(p, w);
    strbuf_puts(p, " ลิงก์เดิมใช้ไม่ได้แล้ว ส่งลิงก์ใหม่นี้ให้ผู้นี้:</p>"
                   "<p class=\"cp\"><code id=\"new-link\">");
    strbuf_html_escape(p, w->url);
    strbuf_puts(p, "</code><button type=\"button\" data-copy=\"new-link\" hidden>คัดลอกลิงก์"
                   "</button></p>\n");
    back(p, s, "กลับไปหน้ารายชื่อ");
}
