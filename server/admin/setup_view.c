/* The HTML pieces the set-up pages share (see setup_view.h). */
#include "setup_view.h"
#include "app/page_frame.h"
#include "import_util.h"

#include <stdlib.h>

void setup_view_nav(struct strbuf *p, const struct setup *s)
{
    enum page_year_tab tab = s->instrument == 0   ? PAGE_YEAR_IIT
                             : s->instrument == 1 ? PAGE_YEAR_EIT
                                                  : (enum page_year_tab)s->tab;
    page_year_nav(p, s->agency_id, s->name, atoi(s->fy), tab);
}

void setup_view_csrf(struct strbuf *p, const char *csrf)
{
    strbuf_printf(p, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", csrf);
}

void setup_view_hidden_scope(struct strbuf *p, const struct setup *s, int instrument)
{
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"fy\" value=\"%s\">",
                  s->agency_id, s->fy);
    if (instrument >= 0)
        strbuf_printf(p, "<input type=\"hidden\" name=\"instrument\" value=\"%s\">",
                      SETUP_INSTRUMENTS[instrument]);
}

void setup_view_fail(struct strbuf *p, const struct setup *s, const char *msg,
                     const char *back_href, const char *back_text)
{
    if (s->agency_id[0] && s->name) /* resolved: the way back to the year's pages */
        setup_view_nav(p, s);
    strbuf_puts(p, "<p class=\"er\" role=\"alert\">");
    strbuf_html_escape(p, msg);
    strbuf_puts(p, "</p>\n");
    if (back_href) {
        strbuf_printf(p, "<p><a href=\"%s\" id=\"back\">", back_href);
        strbuf_html_escape(p, back_text);
        strbuf_puts(p, "</a></p>\n");
    }
    strbuf_puts(p, "<p><a href=\"/admin/agencies\">รายการหน่วยงานทั้งหมด</a></p>\n");
}

void setup_view_list_errors(struct strbuf *p, const struct setup *s,
                            const struct ita_import_errors *e, const char *back_href,
                            const char *back_text)
{
    if (s->agency_id[0])
        setup_view_nav(p, s);
    strbuf_printf(p,
                  "<p class=\"er\" role=\"alert\" id=\"import-errors-summary\">พบข้อผิดพลาด %zu "
                  "รายการ",
                  e->total);
    if (e->bad_rows > 0) /* errors about the whole file (encoding, header) name no row */
        strbuf_printf(p, "ใน %zu แถว", e->bad_rows);
    strbuf_puts(p, " ยังไม่ได้นำเข้าข้อมูลใด ๆ กรุณาแก้ไขไฟล์แล้วนำเข้าใหม่</p>\n"
                   "<table id=\"import-errors\"><thead><tr><th>บรรทัด</th><th>คอลัมน์</th>"
                   "<th>ปัญหา</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < e->n; i++) {
        strbuf_printf(p, "<tr><td>%lu</td><td>", e->items[i].line);
        strbuf_html_escape(p, e->items[i].column);
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, e->items[i].reason);
        strbuf_puts(p, "</td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
    if (e->total > e->n)
        strbuf_printf(p, "<p>แสดง %zu รายการแรกจาก %zu</p>\n", e->n, e->total);
    strbuf_printf(p, "<p><a href=\"%s\">", back_href);
    strbuf_html_escape(p, back_text);
    strbuf_puts(p, "</a></p>\n");
}

void setup_view_agencies_imported(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct agencies_imported *a = model;
    strbuf_printf(p,
                  "<p id=\"import-summary\">เพิ่มใหม่ %ld "
                  "หน่วยงาน ปรับปรุง %ld หน่วยงาน (ไฟล์ ",
                  a->inserted, a->updated);
    strbuf_html_escape(p, a->encoding);
    strbuf_puts(p, ")</p><p><a href=\"/admin/agencies\">ไปหน้าหน่วยงาน</a></p>\n");
}
