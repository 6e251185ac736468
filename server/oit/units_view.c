/* The units page (see units_view.h): one card per unit so that a phone never scrolls sideways;
 * every button is its own small form with the CSRF token. */
#include "units_view.h"
#include "db/db_row.h"
#include "oit_work_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *done_th(const char *op)
{
    static const struct {
        const char *op, *th;
    } t[] = {{"add", "เพิ่มหน่วยงานแล้ว"},      {"rename", "เปลี่ยนชื่อแล้ว"},
             {"up", "เลื่อนลำดับแล้ว"},         {"down", "เลื่อนลำดับแล้ว"},
             {"retire", "เลิกใช้หน่วยงานแล้ว"}, {"restore", "นำหน่วยงานกลับมาใช้แล้ว"},
             {"delete", "ลบหน่วยงานแล้ว"}};
    for (size_t i = 0; op && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(op, t[i].op))
            return t[i].th;
    return NULL;
}

/* One button posting op about unit id. */
static void button(struct strbuf *p, const struct oreq *o, const char *csrf, const char *id,
                   const char *op, const char *text, const char *label, bool danger)
{
    strbuf_printf(p,
                  "<form method=\"post\" action=\"/admin/units\" class=\"inline\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                  "<input type=\"hidden\" name=\"unit\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"op\" value=\"%s\">"
                  "<button type=\"submit\"%s aria-label=\"",
                  csrf, o->agency_id, o->year, id, op, danger ? " class=\"sec\"" : "");
    strbuf_html_escape(p, label);
    strbuf_printf(p, "\">%s</button></form>", text);
}

void units_view(struct strbuf *p, const struct oreq *o, const struct units_model *m)
{
    const char *done = done_th(m->done);
    strbuf_puts(p, "<p>หน่วยงานภายในของ");
    strbuf_html_escape(p, o->name);
    strbuf_printf(p,
                  " ที่รับผิดชอบเผยแพร่ข้อมูลแต่ละข้อ OIT ลำดับที่นี่เป็นลำดับที่แสดงในหน้า"
                  "<a href=\"/admin/oit-work?agency=%s&amp;year=%d\">งาน OIT</a>และตาราง "
                  "หน่วยงานที่มีการมอบหมายแล้วลบไม่ได้ แต่เลิกใช้ได้ (ชื่อยังอยู่ในงานของปีก่อน)</p>\n",
                  o->agency_id, o->year);
    if (done)
        strbuf_printf(p, "<p class=\"ok\" role=\"status\" id=\"done\">%s</p>\n", done);
    if (m->error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"units-error\"><p>");
        strbuf_html_escape(p, m->error);
        strbuf_puts(p, "</p></div>\n");
    }
    /* the add form */
    bool add_err = m->error && m->error_unit == 0;
    strbuf_printf(p,
                  "<form method=\"post\" action=\"/admin/units\" id=\"unit-add\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                  "<input type=\"hidden\" name=\"op\" value=\"add\">"
                  "<div><label for=\"unit-name\">เพิ่มหน่วยงาน (เช่น สำนักปลัดเทศบาล กองคลัง)</label>"
                  "<input id=\"unit-name\" name=\"name\" maxlength=\"400\" autocomplete=\"off\"%s"
                  " value=\"",
                  m->csrf, o->agency_id, o->year,
                  add_err ? " aria-invalid=\"true\" aria-describedby=\"units-error\"" : "");
    if (add_err && m->typed)
        strbuf_html_escape(p, m->typed);
    strbuf_puts(p, "\"></div><button type=\"submit\">เพิ่ม</button></form>\n");

    int n = m->units->rows;
    strbuf_printf(p, "<h2 id=\"units-title\">หน่วยงานทั้งหมด (%d)</h2>\n", n);
    if (n == 0) {
        strbuf_puts(p, "<p id=\"no-units\">ยังไม่มีหน่วยงาน เพิ่มด้านบน หรือใช้หน่วยงานตามที่แนะนำ"
                       "ในหน้างาน OIT</p>\n");
        return;
    }
    strbuf_puts(p, "<ol id=\"units\" class=\"uc\" aria-labelledby=\"units-title\">\n");
    for (int i = 0; i < n; i++) {
        const char *id = oit_cell(m->units, i, OIT_UNITS_ID);
        const char *name = oit_cell(m->units, i, OIT_UNITS_NAME_TH);
        bool retired = oit_cell_bool(m->units, i, OIT_UNITS_RETIRED);
        long long used = oit_cell_int(m->units, i, OIT_UNITS_USED);
        bool err = m->error && m->error_unit == atol(id);
        strbuf_printf(p, "<li id=\"unit-%s\"%s><p class=\"un\"><strong>", id,
                      retired ? " class=\"retired\"" : "");
        strbuf_html_escape(p, name);
        strbuf_puts(p, "</strong>");
        if (retired)
            strbuf_puts(p, " <span class=\"tag\">เลิกใช้แล้ว</span>");
        strbuf_printf(p, " <span class=\"nt\">มอบหมาย %lld ข้อ</span></p>", used);
        /* rename */
        strbuf_printf(
            p,
            "<form method=\"post\" action=\"/admin/units\" class=\"rn\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
            "<input type=\"hidden\" name=\"year\" value=\"%d\">"
            "<input type=\"hidden\" name=\"unit\" value=\"%s\">"
            "<input type=\"hidden\" name=\"op\" value=\"rename\">"
            "<div><label for=\"rename-%s\">ชื่อใหม่</label>"
            "<input id=\"rename-%s\" name=\"name\" maxlength=\"400\" autocomplete=\"off\"%s"
            " value=\"",
            m->csrf, o->agency_id, o->year, id, id, id,
            err ? " aria-invalid=\"true\" aria-describedby=\"units-error\"" : "");
        strbuf_html_escape(p, err && m->typed ? m->typed : name);
        strbuf_puts(p,
                    "\"></div><button type=\"submit\">เปลี่ยนชื่อ</button></form><div class=\"ub\">");
        char label[1024];
        if (i > 0) {
            snprintf(label, sizeof label, "เลื่อน %s ขึ้น", name);
            button(p, o, m->csrf, id, "up", "ขึ้น", label, false);
        }
        if (i + 1 < n) {
            snprintf(label, sizeof label, "เลื่อน %s ลง", name);
            button(p, o, m->csrf, id, "down", "ลง", label, false);
        }
        snprintf(label, sizeof label, "%s %s", retired ? "นำกลับมาใช้" : "เลิกใช้", name);
        button(p, o, m->csrf, id, retired ? "restore" : "retire", retired ? "นำกลับมาใช้" : "เลิกใช้",
               label, false);
        if (used == 0) {
            snprintf(label, sizeof label, "ลบ %s", name);
            button(p, o, m->csrf, id, "delete", "ลบ", label, true);
        }
        strbuf_puts(p, "</div></li>\n");
    }
    strbuf_puts(p, "</ol>\n");
}
