/* The national view's page (see national_view.h). */
#include "national_view.h"
#include "agency_kind.h"
#include "svg_chart.h"

#include <stdio.h>
#include <string.h>

/* value percent-encoded for a query string, as "&amp;name=value" (nothing when value is ""). */
static void keep(struct strbuf *p, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    strbuf_printf(p, "&amp;%s=", name);
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            strchr("-_.~", *c))
            strbuf_append(p, c, 1);
        else
            strbuf_printf(p, "%%%02X", *c);
    }
}

/* The view's address with its filters and the given sort, direction, page and format. */
static void href(struct strbuf *p, const struct national_page *m, const char *sort, const char *dir,
                 long page, const char *extra)
{
    strbuf_puts(p, "/admin/national?fy=");
    strbuf_html_escape(p, m->fy);
    keep(p, "q", m->q);
    keep(p, "kind", m->kind);
    keep(p, "parent", m->parent);
    keep(p, "state", m->state);
    keep(p, "rating", m->rating);
    keep(p, "sort", sort);
    keep(p, "dir", dir);
    if (page > 1)
        strbuf_printf(p, "&amp;page=%ld", page);
    if (extra)
        strbuf_puts(p, extra);
}

static void text_field(struct strbuf *p, const char *id, const char *label, const char *hint,
                       const char *value)
{
    strbuf_printf(p, "<div><label for=\"n-%s\">%s</label>", id, label);
    if (hint)
        strbuf_printf(p, "<p class=\"nt\" id=\"n-%s-hint\">%s</p>", id, hint);
    strbuf_printf(p, "<input type=\"text\" id=\"n-%s\" name=\"%s\"", id, id);
    if (hint)
        strbuf_printf(p, " aria-describedby=\"n-%s-hint\"", id);
    strbuf_puts(p, " value=\"");
    strbuf_html_escape(p, value);
    strbuf_puts(p, "\"></div>\n");
}

static void option(struct strbuf *p, const char *value, const char *label, const char *current)
{
    strbuf_puts(p, "<option value=\"");
    strbuf_html_escape(p, value);
    strbuf_printf(p, "\"%s>", strcmp(value, current) == 0 ? " selected" : "");
    strbuf_html_escape(p, label);
    strbuf_puts(p, "</option>");
}

static void form(struct strbuf *p, const struct national_page *m)
{
    strbuf_puts(p, "<form method=\"get\" action=\"/admin/national\" id=\"national-filter\">\n");
    text_field(p, "fy", "ปีงบประมาณ", NULL, m->fy);
    text_field(p, "q", "ค้นหารหัสหรือชื่อหน่วยงาน", NULL, m->q);
    strbuf_puts(p, "<div><label for=\"n-kind\">ประเภทหน่วยงาน</label><select id=\"n-kind\" "
                   "name=\"kind\">");
    option(p, "", "ทุกประเภท", m->kind);
    for (size_t i = 0; i < ita_agency_kinds_count; i++)
        option(p, ita_agency_kinds[i].key, ita_agency_kinds[i].th, m->kind);
    strbuf_puts(p, "</select></div>\n");
    text_field(p, "parent", "รหัสหน่วยงานต้นสังกัด", "เว้นว่างได้", m->parent);
    strbuf_puts(p, "<div><label for=\"n-state\">สถานะ</label><select id=\"n-state\" "
                   "name=\"state\">");
    for (int i = 0; i < NS_COUNT; i++)
        option(p, i == NS_ALL ? "" : NATIONAL_STATES[i].key, NATIONAL_STATES[i].th,
               !strcmp(m->state, "all") ? "" : m->state);
    strbuf_puts(p, "</select></div>\n<div><label for=\"n-rating\">ระดับผล</label><select "
                   "id=\"n-rating\" name=\"rating\">");
    option(p, "", "ทุกระดับ", m->rating);
    bool listed = !*m->rating;
    for (size_t l = 0; m->y && l < m->y->n_levels; l++) {
        option(p, m->y->levels[l], m->y->levels[l], m->rating);
        listed |= !strcmp(m->rating, m->y->levels[l]);
    }
    if (!listed)
        option(p, m->rating, m->rating, m->rating);
    strbuf_puts(p, "</select></div>\n");
    if (*m->sort) {
        strbuf_puts(p, "<input type=\"hidden\" name=\"sort\" value=\"");
        strbuf_html_escape(p, m->sort);
        strbuf_puts(p, "\">");
    }
    if (*m->dir) {
        strbuf_puts(p, "<input type=\"hidden\" name=\"dir\" value=\"");
        strbuf_html_escape(p, m->dir);
        strbuf_puts(p, "\">");
    }
    strbuf_puts(p, "<button type=\"submit\">แสดง</button>\n</form>\n");
}

static void totals(struct strbuf *p, const struct national_page *m)
{
    const struct national_totals *t = m->t;
    strbuf_printf(p,
                  "<h2 id=\"national-totals-h\">สรุปตามเงื่อนไขที่เลือก</h2>\n"
                  "<dl class=\"kv\" id=\"national-totals\">"
                  "<dt>หน่วยงาน</dt><dd data-total=\"agencies\">%ld</dd>"
                  "<dt>ตั้งค่าปีแล้ว</dt><dd data-total=\"set_up\">%ld</dd>"
                  "<dt>ถึงขั้นต่ำทั้ง IIT และ EIT</dt><dd data-total=\"reached\">%ld</dd>"
                  "<dt>ต่ำกว่าขั้นต่ำ และเหลือไม่เกิน %d วัน</dt><dd data-total=\"low14\">%ld</dd>"
                  "<dt>ปิดรับแล้ว</dt><dd data-total=\"closed\">%ld</dd>"
                  "<dt>เผยแพร่ผลแล้ว</dt><dd data-total=\"published\">%ld</dd></dl>\n",
                  t->agencies, t->set, t->reached, NATIONAL_LOW_DAYS, t->low14, t->closed,
                  t->published);
}

/* One distribution: a chart (core/svg_chart.h, each bar's figure in data-value) and the same
 * figures as a table for screen readers and print, in a figure of its own (id). */
static void dist(struct strbuf *p, const char *id, const char *caption, const char *head,
                 const char *const *labels, const long *values, size_t n)
{
    struct svg_bar bars[NATIONAL_MAX_LEVELS + NATIONAL_SCORE_BINS];
    char tid[48];
    snprintf(tid, sizeof tid, "%s-t", id);
    for (size_t i = 0; i < n && i < sizeof bars / sizeof bars[0]; i++)
        bars[i] = (struct svg_bar){.label = labels[i], .value = (double)values[i]};
    strbuf_printf(p, "<figure class=\"chart\" id=\"%s\"><figcaption>%s</figcaption>", id, caption);
    struct svg_chart c = {
        .title = caption,
        .desc = "จำนวนหน่วยงานในแต่ละกลุ่ม ตัวเลขเดียวกับตารางใต้แผนภูมิ",
        .described_by = tid,
        .bars = bars,
        .n_bars = n,
    };
    svg_chart_counts(p, &c);
    strbuf_printf(p,
                  "<table id=\"%s\" class=\"dist\"><thead><tr><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">หน่วยงาน</th></tr></thead><tbody>",
                  tid, head);
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(p, "<tr><th scope=\"row\">");
        strbuf_html_escape(p, labels[i]);
        strbuf_printf(p, "</th><td class=\"n\">%ld</td></tr>", values[i]);
    }
    strbuf_puts(p, "</tbody></table></figure>\n");
}

static void distributions(struct strbuf *p, const struct national_page *m)
{
    const struct national_totals *t = m->t;
    const struct national_year *y = m->y;
    strbuf_puts(p, "<h2>การกระจาย</h2>\n<div id=\"national-charts\">");
    const char *labels[NATIONAL_MAX_LEVELS + 1];
    long values[NATIONAL_MAX_LEVELS + 1];
    size_t n = 0;
    for (size_t l = 0; l < y->n_levels; l++) {
        labels[n] = y->levels[l];
        values[n++] = t->per_level[l];
    }
    if (t->other_level) {
        labels[n] = "ระดับอื่น";
        values[n++] = t->other_level;
    }
    dist(p, "dist-rating", "หน่วยงานที่เผยแพร่ผลแล้ว แยกตามระดับผล", "ระดับผล", labels, values, n);
    dist(p, "dist-score", "คะแนนรวมที่เผยแพร่แล้ว (ช่วงคะแนน)", "ช่วงคะแนน", NATIONAL_BIN_TH, t->bins,
         NATIONAL_SCORE_BINS);
    const char *pl[] = {"ถึงขั้นต่ำทั้งสองแบบแล้ว", "ยังไม่ถึง"};
    long pv[] = {t->reached, t->not_reached};
    dist(p, "dist-progress", "ความคืบหน้าของหน่วยงานที่ตั้งค่าปีแล้ว", "สถานะ", pl, pv, 2);
    strbuf_puts(p, "</div>\n");
}

static void head_cell(struct strbuf *p, const struct national_page *m, enum national_col c)
{
    bool active = m->query->sort == c;
    const char *next = active && !m->query->desc ? "desc" : "asc";
    strbuf_puts(p, "<th scope=\"col\"");
    if (active)
        strbuf_printf(p, " aria-sort=\"%s\"", m->query->desc ? "descending" : "ascending");
    strbuf_puts(p, "><a href=\"");
    href(p, m, NATIONAL_COLS[c].key, next, 1, NULL);
    strbuf_printf(p, "\">%s", NATIONAL_COLS[c].th);
    if (active)
        strbuf_puts(p, m->query->desc ? " ▼" : " ▲");
    strbuf_puts(p, "</a></th>");
}

static void progress_cell(struct strbuf *p, const struct national_row *r, int k)
{
    strbuf_puts(p, "<td class=\"n\">");
    if (!r->set) {
        strbuf_printf(p, "%ld</td>", r->responses[k]);
        return;
    }
    strbuf_printf(p, "%ld / %ld", r->responses[k], r->need[k]);
    if (r->responses[k] >= r->need[k])
        strbuf_puts(p, " <span class=\"ok-t\">ครบ</span>");
    strbuf_puts(p, "</td>");
}

static void days_cell(struct strbuf *p, const struct national_row *r)
{
    strbuf_puts(p, "<td>");
    switch (r->window) {
    case NW_UNSET:
        strbuf_puts(p, "ยังไม่ตั้งค่าปี");
        break;
    case NW_NOT_OPEN:
        strbuf_printf(p, "เปิดในอีก %ld วัน", r->days);
        break;
    case NW_OPEN:
        strbuf_printf(p, "เหลือ %ld วัน", r->days);
        break;
    case NW_CLOSED:
        strbuf_puts(p, "ปิดรับแล้ว");
        break;
    }
    strbuf_puts(p, "</td>");
}

static void table(struct strbuf *p, const struct national_page *m, long page, long pages)
{
    size_t from = (size_t)(page - 1) * NATIONAL_PAGE_SIZE;
    size_t to = from + NATIONAL_PAGE_SIZE < m->n ? from + NATIONAL_PAGE_SIZE : m->n;
    strbuf_printf(p,
                  "<div class=\"tw\" role=\"region\" aria-labelledby=\"national-caption\" "
                  "tabindex=\"0\"><table id=\"national\"><caption id=\"national-caption\">"
                  "หน่วยงาน %zu–%zu จาก %zu (หน้า %ld จาก %ld)</caption><thead><tr>",
                  m->n ? from + 1 : 0, to, m->n, page, pages);
    for (int c = 0; c < NC_COUNT; c++)
        head_cell(p, m, (enum national_col)c);
    strbuf_puts(p, "</tr></thead><tbody>\n");
    for (size_t i = from; i < to; i++) {
        const struct national_row *r = &m->rows[m->idx[i]];
        strbuf_printf(p, "<tr data-code=\"");
        strbuf_html_escape(p, r->code);
        strbuf_printf(p, "\"><td><a href=\"/admin/agency?id=%ld&amp;fy=%d\">", r->id, m->y->fy);
        strbuf_html_escape(p, r->code);
        strbuf_puts(p, "</a></td><td>");
        strbuf_html_escape(p, r->name);
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, *r->kind ? r->kind : "–");
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, *r->parent ? r->parent : "–");
        strbuf_puts(p, "</td>");
        progress_cell(p, r, 0);
        progress_cell(p, r, 1);
        days_cell(p, r);
        strbuf_printf(p, "<td class=\"n\">%ld / %ld</td><td class=\"n\">", r->oit, m->y->oit_items);
        strbuf_html_escape(p, r->published ? r->total : "–");
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, r->published && *r->rating ? r->rating : "–");
        strbuf_puts(p, "</td></tr>\n");
    }
    if (m->n == 0)
        strbuf_printf(p, "<tr><td colspan=\"%d\">ไม่พบหน่วยงานตามเงื่อนไขนี้</td></tr>", NC_COUNT);
    strbuf_puts(p, "</tbody></table></div>\n");
}

static void pager_link(struct strbuf *p, const struct national_page *m, long to, const char *label,
                       const char *rel, bool current)
{
    if (current) {
        strbuf_printf(p, "<li><a aria-current=\"page\" href=\"");
    } else {
        strbuf_printf(p, "<li><a%s%s%s href=\"", rel ? " rel=\"" : "", rel ? rel : "",
                      rel ? "\"" : "");
    }
    href(p, m, m->sort, m->dir, to, NULL);
    strbuf_printf(p, "\">%s</a></li>", label);
}

static void pager(struct strbuf *p, const struct national_page *m, long page, long pages)
{
    if (pages <= 1)
        return;
    strbuf_puts(p, "<nav class=\"ym\" id=\"national-pages\" aria-label=\"หน้าของตาราง\"><ul>");
    char label[32];
    if (page > 1)
        pager_link(p, m, page - 1, "ก่อนหน้า", "prev", false);
    long last_shown = 0;
    for (long i = 1; i <= pages; i++) {
        if (i != 1 && i != pages && (i < page - 2 || i > page + 2))
            continue;
        if (last_shown && i > last_shown + 1)
            strbuf_puts(p, "<li aria-hidden=\"true\">…</li>");
        snprintf(label, sizeof label, "%ld", i);
        pager_link(p, m, i, label, NULL, i == page);
        last_shown = i;
    }
    if (page < pages)
        pager_link(p, m, page + 1, "ถัดไป", "next", false);
    strbuf_puts(p, "</ul></nav>\n");
}

void national_view(struct strbuf *p, const struct setup *s, const void *model)
{
    (void)s;
    const struct national_page *m = model;
    strbuf_puts(p, "<p><a href=\"/admin/\">หน้าหลักผู้ดูแล</a> · <a "
                   "href=\"/admin/agencies\">หน่วยงานทั้งหมด</a></p>\n"
                   "<p class=\"nt\">ทุกหน่วยงานของปีงบประมาณ: จำนวนคำตอบที่นับแล้วเทียบกับขั้นต่ำ "
                   "จำนวนวันที่เหลือ การประเมิน OIT และผลที่เผยแพร่แล้ว "
                   "จำนวนคำตอบนับเป็นกลุ่ม ไม่มีข้อมูลว่าใครตอบอะไร</p>\n");
    if (m->error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"national-error\"><p>");
        strbuf_html_escape(p, m->error);
        strbuf_puts(p, "</p></div>\n");
    }
    form(p, m);
    if (!m->have_year)
        return;
    totals(p, m);
    distributions(p, m);
    long pages = m->n ? (long)((m->n + NATIONAL_PAGE_SIZE - 1) / NATIONAL_PAGE_SIZE) : 1;
    long page = m->query->page <= pages ? m->query->page : pages;
    strbuf_puts(p, "<h2 id=\"national-list\">รายชื่อหน่วยงาน</h2>\n<p class=\"cp\">ดาวน์โหลด: <a "
                   "id=\"national-csv\" href=\"");
    href(p, m, m->sort, m->dir, 1, "&amp;format=csv");
    strbuf_puts(p, "\">CSV (หัวคอลัมน์ภาษาไทย)</a> <a id=\"national-csv-en\" href=\"");
    href(p, m, m->sort, m->dir, 1, "&amp;format=csv&amp;keys=en");
    strbuf_puts(p, "\">CSV (ชื่อคอลัมน์ภาษาอังกฤษ)</a> <a id=\"national-json\" href=\"");
    href(p, m, m->sort, m->dir, 1, "&amp;format=json");
    strbuf_puts(p, "\">JSON</a></p>\n");
    table(p, m, page, pages);
    pager(p, m, page, pages);
}
