/* The OIT work pages' HTML (see oit_work_view.h). Items are cards, not table rows: one column on
 * a phone, as many as fit on a desktop, so no page scrolls sideways. */
#include "oit_work_view.h"
#include "db/db_row.h"
#include "oit_work_sql.h"
#include "thai_date.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *col(struct arena *a, const PGresult *res, int row, int c)
{
    return arena_strndup(a, db_text(res, row, c), (size_t)db_len(res, row, c));
}

struct oit_row *oit_rows_read(struct arena *a, const PGresult *res, const char *today, size_t *n)
{
    int rows = PQntuples(res);
    struct oit_row *out = arena_alloc(a, sizeof *out * (size_t)(rows ? rows : 1));
    for (int i = 0; i < rows; i++) {
        struct oit_row *r = &out[i];
        r->code = col(a, res, i, OIT_ITEMS_CODE);
        r->sub_code = col(a, res, i, OIT_ITEMS_SUB_CODE);
        r->sub_name = col(a, res, i, OIT_ITEMS_SUB_NAME);
        r->title = col(a, res, i, OIT_ITEMS_TITLE);
        r->requirements = col(a, res, i, OIT_ITEMS_REQUIREMENTS);
        r->suggested = col(a, res, i, OIT_ITEMS_SUGGESTED);
        r->state = col(a, res, i, OIT_ITEMS_STATE);
        r->due_on = col(a, res, i, OIT_ITEMS_DUE_ON);
        r->note = col(a, res, i, OIT_ITEMS_NOTE);
        r->units = col(a, res, i, OIT_ITEMS_UNITS);
        r->unit_ids = col(a, res, i, OIT_ITEMS_UNIT_IDS);
        r->urls = col(a, res, i, OIT_ITEMS_URLS);
        r->updated = col(a, res, i, OIT_ITEMS_UPDATED);
        r->updated_by = col(a, res, i, OIT_ITEMS_UPDATED_BY);
        r->n_urls = (long)db_int(res, i, OIT_ITEMS_N_URLS);
        r->n_failed = (long)db_int(res, i, OIT_ITEMS_N_FAILED);
        r->n_checked = (long)db_int(res, i, OIT_ITEMS_N_CHECKED);
        r->st = oit_state_of(r->state);
        if (r->st < 0)
            r->st = OIT_NOT_STARTED;
        r->late = oit_late(r->due_on, today, r->state);
    }
    *n = (size_t)rows;
    return out;
}

static bool in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *c = list; c && *c;) {
        size_t k = strcspn(c, ",");
        if (k == n && !strncmp(c, id, n))
            return true;
        c += k + (c[k] == ',');
    }
    return false;
}

bool oit_row_has_unit(const struct oit_row *row, const char *id)
{
    return id && *id && in_list(row->unit_ids, id);
}

static void esc(struct strbuf *p, const char *s)
{
    strbuf_html_escape(p, s ? s : "");
}

/* Lines of s, escaped, joined with sep (raw HTML). */
static void lines(struct strbuf *p, const char *s, const char *sep)
{
    bool first = true;
    for (const char *c = s; c && *c;) {
        size_t k = strcspn(c, "\n");
        if (!first)
            strbuf_puts(p, sep);
        char *line = xstrndup(c, k);
        esc(p, line);
        free(line);
        first = false;
        c += k + (c[k] == '\n');
    }
}

static void state_badge(struct strbuf *p, int st)
{
    strbuf_printf(p, "<span class=\"st st%d\">%s</span>", st, OIT_STATE_TH[st]);
}

static void thai_due(struct strbuf *p, const char *due)
{
    char d[ITA_THAI_DATE_SIZE];
    if (due && *due && ita_thai_date_short(due, d, sizeof d))
        strbuf_puts(p, d);
    else
        strbuf_puts(p, "ยังไม่กำหนด");
}

static void item_href(struct strbuf *p, const struct oreq *o, const char *code)
{
    strbuf_printf(p, "/admin/oit-work/item?agency=%s&amp;year=%d&amp;code=", o->agency_id, o->year);
    esc(p, code);
}

/* ---- the overview ---- */

static bool shown(const struct oit_row *r, const struct oit_filter *f)
{
    return (f->state < 0 || r->st == f->state) && (!f->unit[0] || oit_row_has_unit(r, f->unit)) &&
           (!f->late || r->late) && (!f->broken || r->n_failed > 0);
}

static void summary(struct strbuf *p, const struct oit_overview_model *m)
{
    long per[OIT_N_STATES] = {0}, late = 0, broken = 0, unassigned = 0;
    for (size_t i = 0; i < m->n; i++) {
        per[m->rows[i].st]++;
        late += m->rows[i].late;
        broken += m->rows[i].n_failed > 0;
        unassigned += !m->rows[i].unit_ids[0];
    }
    strbuf_printf(p,
                  "<h2 id=\"summary-title\">สรุป %zu ข้อ</h2><ul id=\"summary\" class=\"sm\" "
                  "aria-labelledby=\"summary-title\">",
                  m->n);
    for (int k = 0; k < OIT_N_STATES; k++)
        strbuf_printf(
            p, "<li id=\"sum-%s\"><span class=\"st st%d\">%s</span> <strong>%ld</strong></li>",
            OIT_STATE_CODE[k], k, OIT_STATE_TH[k], per[k]);
    strbuf_printf(p,
                  "<li id=\"sum-late\"%s>เลยกำหนด <strong>%ld</strong></li>"
                  "<li id=\"sum-broken\"%s>ลิงก์เสีย <strong>%ld</strong></li>"
                  "<li id=\"sum-unassigned\">ยังไม่มอบหมาย <strong>%ld</strong></li></ul>\n",
                  late ? " class=\"bad\"" : "", late, broken ? " class=\"bad\"" : "", broken,
                  unassigned);
}

static void filters(struct strbuf *p, const struct oreq *o, const struct oit_overview_model *m)
{
    strbuf_printf(p,
                  "<form method=\"get\" action=\"/admin/oit-work\" id=\"oit-filter\" class=\"of\">"
                  "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                  "<div><label for=\"f-state\">สถานะ</label><select id=\"f-state\" name=\"state\">"
                  "<option value=\"\">ทุกสถานะ</option>",
                  o->agency_id, o->year);
    for (int k = 0; k < OIT_N_STATES; k++)
        strbuf_printf(p, "<option value=\"%s\"%s>%s</option>", OIT_STATE_CODE[k],
                      m->f.state == k ? " selected" : "", OIT_STATE_TH[k]);
    strbuf_puts(p, "</select></div><div><label for=\"f-unit\">หน่วยงาน</label>"
                   "<select id=\"f-unit\" name=\"unit\"><option value=\"\">ทุกหน่วยงาน</option>");
    for (int i = 0; m->units && i < m->units->rows; i++) {
        const char *id = oit_cell(m->units, i, OIT_UNITS_ID);
        strbuf_printf(p, "<option value=\"%s\"%s>", id, !strcmp(m->f.unit, id) ? " selected" : "");
        esc(p, oit_cell(m->units, i, OIT_UNITS_NAME_TH));
        strbuf_puts(p, oit_cell_bool(m->units, i, OIT_UNITS_RETIRED) ? " (เลิกใช้แล้ว)</option>"
                                                                     : "</option>");
    }
    strbuf_printf(p,
                  "</select></div><div class=\"cbs\"><label class=\"cb\"><input type=\"checkbox\" "
                  "name=\"late\" value=\"1\"%s> เฉพาะที่เลยกำหนด</label>"
                  "<label class=\"cb\"><input type=\"checkbox\" name=\"broken\" value=\"1\"%s> "
                  "เฉพาะที่ลิงก์เสีย</label></div>"
                  "<div><button type=\"submit\">กรอง</button> <a href=\"/admin/oit-work?agency=%s"
                  "&amp;year=%d\">ล้างตัวกรอง</a></div></form>\n",
                  m->f.late ? " checked" : "", m->f.broken ? " checked" : "", o->agency_id,
                  o->year);
}

static void actions(struct strbuf *p, const struct oreq *o, const struct oit_overview_model *m)
{
    strbuf_printf(p,
                  "<ul class=\"acts\"><li><a href=\"/admin/units?agency=%s&amp;year=%d\">"
                  "จัดการหน่วยงานภายใน</a></li><li><a id=\"csv-link\" href=\"/admin/oit-work.csv?"
                  "agency=%s&amp;year=%d\" download>ดาวน์โหลดตารางผู้รับผิดชอบ (CSV)</a></li></ul>\n",
                  o->agency_id, o->year, o->agency_id, o->year);
    if (o->prev_version)
        strbuf_printf(p,
                      "<form method=\"post\" action=\"/admin/oit-work/copy\" id=\"copy-form\" "
                      "class=\"box\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                      "<p>คัดลอกหน่วยงานที่รับผิดชอบและกำหนดเสร็จของข้อที่มีทั้งสองปี "
                      "ข้อที่มอบหมายในปี %d แล้วจะไม่ถูกเปลี่ยน</p>"
                      "<label class=\"cb\"><input type=\"checkbox\" name=\"shift\" value=\"1\" "
                      "checked> เลื่อนกำหนดเสร็จไปหนึ่งปี</label>"
                      "<button type=\"submit\">คัดลอกการมอบหมายจากปี %d</button></form>\n",
                      m->csrf, o->agency_id, o->year, o->year, o->year - 1);
    if (o->suggested)
        strbuf_printf(p,
                      "<form method=\"post\" action=\"/admin/oit-work/suggested\" "
                      "id=\"suggested-form\" class=\"box\">"
                      "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                      "<p>แบบวัดปีนี้แนะนำหน่วยงานที่รับผิดชอบแต่ละข้อ ระบบจะเพิ่มหน่วยงานที่ยังไม่มี"
                      "ตามชื่อ และมอบหมายเฉพาะข้อที่ยังไม่มีหน่วยงาน</p>"
                      "<button type=\"submit\">ใช้หน่วยงานที่แนะนำ</button></form>\n",
                      m->csrf, o->agency_id, o->year);
}

static void card(struct strbuf *p, const struct oreq *o, const struct oit_row *r)
{
    strbuf_puts(p, "<li id=\"item-");
    esc(p, r->code);
    strbuf_printf(p, "\" class=\"%s%s\"><p class=\"ot\"><a href=\"", r->late ? "late " : "",
                  r->n_failed ? "broken" : "");
    item_href(p, o, r->code);
    strbuf_puts(p, "\"><span class=\"oc-code\">");
    esc(p, r->code);
    strbuf_puts(p, "</span> ");
    esc(p, r->title);
    strbuf_puts(p, "</a></p><p class=\"fl\">");
    state_badge(p, r->st);
    if (r->late)
        strbuf_puts(p, " <span class=\"flag\">เลยกำหนด</span>");
    if (r->n_failed)
        strbuf_puts(p, " <span class=\"flag\">ลิงก์เสีย</span>");
    strbuf_puts(p, "</p><dl class=\"od\"><dt>หน่วยงาน</dt><dd>");
    if (r->units[0])
        lines(p, r->units, ", ");
    else
        strbuf_puts(p, "<span class=\"nt\">ยังไม่มอบหมาย</span>");
    strbuf_puts(p, "</dd><dt>กำหนดเสร็จ</dt><dd>");
    thai_due(p, r->due_on);
    strbuf_puts(p, "</dd><dt>ลิงก์หลักฐาน</dt><dd>");
    if (r->n_urls == 0)
        strbuf_puts(p, "ยังไม่มี");
    else {
        strbuf_printf(p, "%ld ลิงก์", r->n_urls);
        if (r->n_failed)
            strbuf_printf(p, " · <strong class=\"bad-t\">ลิงก์ใช้ไม่ได้ %ld</strong>", r->n_failed);
        else if (r->n_checked == r->n_urls)
            strbuf_puts(p, " · ใช้ได้ทั้งหมด");
        else
            strbuf_printf(p, " · ยังไม่ได้ตรวจ %ld", r->n_urls - r->n_checked);
    }
    strbuf_puts(p, "</dd></dl></li>\n");
}

void oit_overview_view(struct strbuf *p, const struct oreq *o, const struct oit_overview_model *m)
{
    strbuf_puts(p, "<p>ข้อ OIT ทุกข้อของปีงบประมาณนี้ หน่วยงานที่รับผิดชอบ กำหนดเสร็จ สถานะ "
                   "และลิงก์หลักฐานที่ระบบตรวจให้ กดชื่อข้อเพื่อแก้ไข</p>\n");
    if (m->notice)
        strbuf_printf(p, "<p class=\"ok\" role=\"status\" id=\"notice\">%s</p>\n", m->notice);
    summary(p, m);
    actions(p, o, m);
    filters(p, o, m);
    size_t n_shown = 0;
    for (size_t i = 0; i < m->n; i++)
        n_shown += shown(&m->rows[i], &m->f);
    strbuf_printf(p, "<p id=\"shown\" role=\"status\">แสดง %zu จาก %zu ข้อ</p>\n", n_shown, m->n);
    const char *open_sub = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const struct oit_row *r = &m->rows[i];
        if (!shown(r, &m->f))
            continue;
        if (!open_sub || strcmp(open_sub, r->sub_code) != 0) {
            if (open_sub)
                strbuf_puts(p, "</ul></section>\n");
            open_sub = r->sub_code;
            strbuf_puts(p, "<section class=\"sub\"><h2>ตัวชี้วัดย่อยที่ ");
            esc(p, r->sub_code);
            strbuf_puts(p, " ");
            esc(p, r->sub_name);
            strbuf_puts(p, "</h2><ul class=\"oc\">\n");
        }
        card(p, o, r);
    }
    if (open_sub)
        strbuf_puts(p, "</ul></section>\n");
}

/* ---- one item ---- */

static const char *done_th(const char *op)
{
    static const struct {
        const char *op, *th;
    } t[] = {{"save", "บันทึกแล้ว"},
             {"url_add", "เพิ่มลิงก์แล้ว"},
             {"url_remove", "ลบลิงก์แล้ว"},
             {"url_up", "เลื่อนลำดับลิงก์แล้ว"},
             {"url_down", "เลื่อนลำดับลิงก์แล้ว"},
             {"check", "ขอให้ตรวจลิงก์แล้ว ผลจะแสดงเมื่อระบบตรวจเสร็จ"}};
    for (size_t i = 0; op && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(op, t[i].op))
            return t[i].th;
    return NULL;
}

static void hidden_target(struct strbuf *p, const struct oreq *o, const struct oit_item_model *m)
{
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"agency\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">"
                  "<input type=\"hidden\" name=\"code\" value=\"",
                  m->csrf, o->agency_id, o->year);
    esc(p, m->row->code);
    strbuf_puts(p, "\">");
}

static const char *invalid(const struct oit_item_model *m, const char *field)
{
    return m->error && m->error_field && !strcmp(m->error_field, field)
               ? " aria-invalid=\"true\" aria-describedby=\"item-error\""
               : "";
}

static void item_form(struct strbuf *p, const struct oreq *o, const struct oit_item_model *m)
{
    const struct oit_item_form *f = &m->form;
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/oit-work/item\" id=\"item-form\">");
    hidden_target(p, o, m);
    strbuf_printf(
        p,
        "<input type=\"hidden\" name=\"op\" value=\"save\">"
        "<div><label for=\"i-state\">สถานะ</label><select id=\"i-state\" name=\"state\"%s>",
        invalid(m, "state"));
    for (int k = 0; k < OIT_N_STATES; k++)
        strbuf_printf(p, "<option value=\"%s\"%s>%s</option>", OIT_STATE_CODE[k],
                      !strcmp(f->state, OIT_STATE_CODE[k]) ? " selected" : "", OIT_STATE_TH[k]);
    strbuf_printf(p,
                  "</select></div><div><label for=\"i-due\">กำหนดเสร็จ</label>"
                  "<input type=\"date\" id=\"i-due\" name=\"due_on\" min=\"2000-01-01\" "
                  "max=\"2200-12-31\"%s value=\"",
                  invalid(m, "due_on"));
    esc(p, f->due_on);
    strbuf_puts(p, "\">");
    char th[ITA_THAI_DATE_SIZE];
    if (f->due_on[0] && ita_thai_date_long(f->due_on, th, sizeof th))
        strbuf_printf(p, "<p class=\"nt\" id=\"i-due-th\">%s</p>", th);
    strbuf_puts(p, "</div><fieldset id=\"i-units\"><legend>หน่วยงานที่รับผิดชอบ</legend>");
    int shown_units = 0;
    for (int i = 0; m->units && i < m->units->rows; i++) {
        const char *id = oit_cell(m->units, i, OIT_UNITS_ID);
        bool retired = oit_cell_bool(m->units, i, OIT_UNITS_RETIRED);
        bool on = in_list(f->unit_ids, id);
        if (retired && !on)
            continue; /* retired units are offered only to the items that still have them */
        strbuf_printf(p,
                      "<label class=\"cb\"><input type=\"checkbox\" name=\"unit\" value=\"%s\"%s> ",
                      id, on ? " checked" : "");
        esc(p, oit_cell(m->units, i, OIT_UNITS_NAME_TH));
        strbuf_puts(p, retired ? " (เลิกใช้แล้ว)</label>" : "</label>");
        shown_units++;
    }
    if (!shown_units)
        strbuf_printf(p,
                      "<p class=\"nt\">ยังไม่มีหน่วยงาน <a href=\"/admin/units?agency=%s&amp;"
                      "year=%d\">เพิ่มหน่วยงานภายใน</a></p>",
                      o->agency_id, o->year);
    strbuf_printf(p,
                  "</fieldset><div><label for=\"i-note\">หมายเหตุ</label>"
                  "<textarea id=\"i-note\" name=\"note\" rows=\"3\" maxlength=\"2000\"%s>",
                  invalid(m, "note"));
    esc(p, f->note);
    strbuf_puts(p, "</textarea></div><button type=\"submit\">บันทึก</button></form>\n");
}

static void url_button(struct strbuf *p, const struct oreq *o, const struct oit_item_model *m,
                       const char *id, const char *op, const char *text, const char *label,
                       bool danger)
{
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/oit-work/item\" class=\"inline\">");
    hidden_target(p, o, m);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"evidence\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"op\" value=\"%s\"><button type=\"submit\"%s "
                  "aria-label=\"%s\">%s</button></form>",
                  id, op, danger ? " class=\"sec\"" : "", label, text);
}

static void evidence(struct strbuf *p, const struct oreq *o, const struct oit_item_model *m)
{
    int n = m->evidence ? m->evidence->rows : 0;
    strbuf_printf(p, "<h2 id=\"evidence-title\">ลิงก์หลักฐาน (%d)</h2>\n", n);
    if (n == 0)
        strbuf_puts(p, "<p id=\"no-evidence\">ยังไม่มีลิงก์หลักฐาน</p>\n");
    else
        strbuf_puts(p, "<ol id=\"evidence\" class=\"ev\" aria-labelledby=\"evidence-title\">\n");
    for (int i = 0; i < n; i++) {
        const struct oit_table *e = m->evidence;
        const char *id = oit_cell(e, i, OIT_EVIDENCE_ID), *url = oit_cell(e, i, OIT_EVIDENCE_URL);
        const char *state = oit_cell(e, i, OIT_EVIDENCE_STATE);
        const char *status = oit_cell(e, i, OIT_EVIDENCE_STATUS);
        const char *at = oit_cell(e, i, OIT_EVIDENCE_CHECKED_AT);
        bool failed = !strcmp(state, "failed"), ok = !strcmp(state, "ok");
        strbuf_printf(p, "<li id=\"evidence-%s\"%s><p class=\"eu\"><a href=\"", id,
                      failed ? " class=\"broken\"" : "");
        esc(p, url);
        strbuf_puts(p, "\" rel=\"noopener noreferrer\">");
        esc(p, oit_url_display(m->arena, url));
        strbuf_puts(p, "</a></p><p class=\"vd\">");
        if (ok)
            strbuf_puts(p, "<span class=\"ok-t\">ตรวจแล้ว ใช้ได้</span>");
        else if (failed) {
            strbuf_puts(p, "<strong class=\"bad-t\">ใช้ไม่ได้: ");
            esc(p, oit_cell(e, i, OIT_EVIDENCE_REASON));
            strbuf_puts(p, "</strong>");
        } else
            strbuf_puts(p, "ยังไม่ได้ตรวจ");
        if (*status)
            strbuf_printf(p, " · สถานะ HTTP %s", status);
        char when[ITA_THAI_DATE_SIZE + 16];
        if (*at && ita_thai_datetime_short(at, when, sizeof when))
            strbuf_printf(p, " · ตรวจเมื่อ %s", when);
        if (oit_cell_bool(e, i, OIT_EVIDENCE_REQUESTED))
            strbuf_puts(p, " · รอตรวจ");
        strbuf_puts(p, "</p><div class=\"ub\">");
        char label[160];
        if (i > 0) {
            snprintf(label, sizeof label, "เลื่อนลิงก์ที่ %d ขึ้น", i + 1);
            url_button(p, o, m, id, "url_up", "ขึ้น", label, false);
        }
        if (i + 1 < n) {
            snprintf(label, sizeof label, "เลื่อนลิงก์ที่ %d ลง", i + 1);
            url_button(p, o, m, id, "url_down", "ลง", label, false);
        }
        snprintf(label, sizeof label, "ลบ ลิงก์ที่ %d", i + 1);
        url_button(p, o, m, id, "url_remove", "ลบ", label, true);
        strbuf_puts(p, "</div></li>\n");
    }
    if (n)
        strbuf_puts(p, "</ol>\n");
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/oit-work/item\" id=\"url-add\">");
    hidden_target(p, o, m);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"op\" value=\"url_add\">"
                  "<div><label for=\"i-url\">เพิ่มลิงก์หลักฐาน (ที่อยู่เว็บ http:// หรือ https://)</label>"
                  "<input id=\"i-url\" name=\"url\" inputmode=\"url\" autocomplete=\"off\" "
                  "maxlength=\"4000\"%s value=\"",
                  invalid(m, "url"));
    esc(p, m->form.url);
    strbuf_puts(p, "\"></div><button type=\"submit\">เพิ่มลิงก์</button></form>\n");
    if (n) {
        strbuf_puts(p, "<form method=\"post\" action=\"/admin/oit-work/item\" id=\"check-now\">");
        hidden_target(p, o, m);
        strbuf_puts(p, "<input type=\"hidden\" name=\"op\" value=\"check\">"
                       "<button type=\"submit\">ตรวจลิงก์ตอนนี้</button></form>\n");
    }
}

static void history(struct strbuf *p, const struct oit_item_model *m)
{
    int n = m->history ? m->history->rows : 0;
    strbuf_puts(p, "<h2 id=\"history-title\">ประวัติการแก้ไข</h2>\n");
    if (n == 0) {
        strbuf_puts(p, "<p id=\"no-history\">ยังไม่มีการแก้ไข</p>\n");
        return;
    }
    strbuf_puts(p, "<ol id=\"history\" class=\"hi\" aria-labelledby=\"history-title\">\n");
    for (int i = 0; i < n; i++) {
        char when[ITA_THAI_DATE_SIZE + 16];
        if (!ita_thai_datetime_short(oit_cell(m->history, i, OIT_ITEM_HISTORY_AT), when,
                                     sizeof when))
            when[0] = '\0';
        strbuf_printf(p, "<li><p class=\"nt\">%s · ", when);
        esc(p, oit_cell(m->history, i, OIT_ITEM_HISTORY_EMAIL));
        strbuf_puts(p, "</p><p>");
        oit_history_describe(p, oit_cell(m->history, i, OIT_ITEM_HISTORY_ACTION),
                             oit_cell(m->history, i, OIT_ITEM_HISTORY_DETAIL));
        strbuf_puts(p, "</p></li>\n");
    }
    strbuf_puts(p, "</ol>\n");
}

void oit_item_view(struct strbuf *p, const struct oreq *o, const struct oit_item_model *m)
{
    const struct oit_row *r = m->row;
    strbuf_printf(p, "<p><a href=\"/admin/oit-work?agency=%s&amp;year=%d#item-", o->agency_id,
                  o->year);
    esc(p, r->code);
    strbuf_puts(p, "\">กลับไปภาพรวมงาน OIT</a></p>\n<p class=\"ot big\" id=\"item-title\">"
                   "<span class=\"oc-code\">");
    esc(p, r->code);
    strbuf_puts(p, "</span> ");
    esc(p, r->title);
    strbuf_puts(p, "</p><p class=\"nt\">ตัวชี้วัดย่อยที่ ");
    esc(p, r->sub_code);
    strbuf_puts(p, " ");
    esc(p, r->sub_name);
    strbuf_puts(p, "</p>\n<p class=\"fl\" id=\"item-flags\">");
    state_badge(p, r->st);
    if (r->late)
        strbuf_puts(p, " <span class=\"flag\">เลยกำหนด</span>");
    if (r->n_failed)
        strbuf_puts(p, " <span class=\"flag\">ลิงก์เสีย</span>");
    strbuf_puts(p, "</p>\n");
    const char *done = m->error ? NULL : done_th(m->done);
    if (done)
        strbuf_printf(p, "<p class=\"ok\" role=\"status\" id=\"done\">%s</p>\n", done);
    if (m->error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"item-error\"><p>");
        esc(p, m->error);
        strbuf_puts(p, "</p></div>\n");
    }
    if (r->requirements[0]) {
        strbuf_puts(p, "<h2 id=\"req-title\">องค์ประกอบด้านข้อมูล</h2>"
                       "<ul id=\"requirements\" aria-labelledby=\"req-title\"><li>");
        lines(p, r->requirements, "</li><li>");
        strbuf_puts(p, "</li></ul>\n");
    }
    if (r->suggested[0]) {
        strbuf_puts(p, "<p class=\"nt\" id=\"suggested\">หน่วยงานที่แบบวัดแนะนำ: ");
        lines(p, r->suggested, ", ");
        strbuf_puts(p, "</p>\n");
    }
    strbuf_puts(p, "<h2>การมอบหมายและสถานะ</h2>\n");
    item_form(p, o, m);
    if (r->updated[0]) {
        char when[ITA_THAI_DATE_SIZE + 16];
        if (ita_thai_datetime_short(r->updated, when, sizeof when)) {
            strbuf_printf(p, "<p class=\"nt\">แก้ไขล่าสุด %s", when);
            if (r->updated_by[0]) {
                strbuf_puts(p, " โดย ");
                esc(p, r->updated_by);
            }
            strbuf_puts(p, "</p>\n");
        }
    }
    evidence(p, o, m);
    history(p, m);
}

/* ---- the history's sentences ---- */

static const char *text_of(const json_t *d, const char *key)
{
    const char *s = json_string_value(json_object_get(d, key));
    return s ? s : "";
}

void oit_history_describe(struct strbuf *p, const char *action, const char *detail)
{
    json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
    if (!json_is_object(d)) {
        json_decref(d);
        d = json_object();
    }
    const char *a = action ? action : "";
    if (!strcmp(a, "oit_item_set")) {
        int st = oit_state_of(text_of(d, "state")), was = oit_state_of(text_of(d, "state_was"));
        strbuf_puts(p, "บันทึก");
        if (st >= 0)
            strbuf_printf(p, " สถานะ %s", OIT_STATE_TH[st]);
        if (st >= 0 && was >= 0 && was != st)
            strbuf_printf(p, " (เดิม %s)", OIT_STATE_TH[was]);
        if (strcmp(text_of(d, "due_on"), text_of(d, "due_was")) != 0) {
            strbuf_puts(p, " · กำหนดเสร็จ ");
            thai_due(p, text_of(d, "due_on"));
        }
        if (json_is_true(json_object_get(d, "units_changed"))) {
            strbuf_puts(p, " · หน่วยงาน: ");
            const json_t *u = json_object_get(d, "units");
            size_t i;
            const json_t *v;
            if (!json_array_size(u))
                strbuf_puts(p, "ไม่มี");
            json_array_foreach(u, i, v)
            {
                if (i)
                    strbuf_puts(p, ", ");
                esc(p, json_string_value(v));
            }
        }
        if (json_is_true(json_object_get(d, "note_changed")))
            strbuf_puts(p, " · แก้หมายเหตุ");
    } else if (!strcmp(a, "oit_evidence_add") || !strcmp(a, "oit_evidence_remove") ||
               !strcmp(a, "oit_evidence_move")) {
        strbuf_puts(p, !strcmp(a, "oit_evidence_add") ? "เพิ่มลิงก์หลักฐาน "
                       : !strcmp(a, "oit_evidence_remove") ? "ลบลิงก์หลักฐาน "
                                                           : "เลื่อนลำดับลิงก์หลักฐาน ");
        strbuf_puts(p, "<span class=\"eu\">");
        esc(p, text_of(d, "url"));
        strbuf_puts(p, "</span>");
    } else if (!strcmp(a, "oit_check_request")) {
        json_int_t n = json_integer_value(json_object_get(d, "urls"));
        strbuf_printf(p, "ขอให้ตรวจลิงก์หลักฐานทันที %lld ลิงก์", (long long)n);
    } else if (!strcmp(a, "oit_copy_year")) {
        strbuf_printf(p, "คัดลอกการมอบหมายจากปี %lld",
                      (long long)json_integer_value(json_object_get(d, "from")));
    } else if (!strcmp(a, "oit_suggested_units")) {
        strbuf_puts(p, "มอบหมายตามหน่วยงานที่แบบวัดแนะนำ");
    } else {
        esc(p, a);
    }
    json_decref(d);
}
