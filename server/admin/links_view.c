/* The personal-link pages (see links_view.h). */
#include "links_view.h"

void links_view_reissued(struct strbuf *p, const struct setup *s, const void *model)
{
    const char *url = model;
    strbuf_puts(p, "<p>ลิงก์เดิมใช้ไม่ได้แล้ว ส่งลิงก์ใหม่นี้ให้ผู้ตอบ:</p>"
                   "<p><code id=\"new-link\">");
    strbuf_html_escape(p, url);
    strbuf_printf(p,
                  "</code></p><p><a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                  "กลับไปหน้ารายชื่อ</a></p>\n",
                  s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
}
