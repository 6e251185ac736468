/* The national view's page (see national_view.h). */
#include "national_view.h"
#include "agency_kind.h"
#include "app/list_view.h"
#include "svg_chart.h"

#include <stdio.h>
#include <string.h>

/* The list as list_view sees it (app/list_view.h): its filters in the order of the address, the
 * sort in force (a bad one typed: the default, so the form does not send it back) and the page. */
static struct list_view list_of(const struct national_page *m, struct list_filter f[6], long page)
{
    f[0] = (struct list_filter){"fy", m->fy};
    f[1] = (struct list_filter){"q", m->q};
    f[2] = (struct list_filter){"kind", m->kind};
    f[3] = (struct list_filter){"parent", m->parent};
    f[4] = (struct list_filter){"state", m->state};
    f[5] = (struct list_filter){"rating", m->rating};
    int col = *m->sort ? national_choice_find(NATIONAL_COLS, NC_COUNT, m->sort) : NC_CODE;
    return (struct list_view){
        .path = "/admin/national",
        .filters = f,
        .n_filters = 6,
        .default_sort = NATIONAL_COLS[NC_CODE].key,
        .sort = NATIONAL_COLS[col < 0 ? NC_CODE : col].key,
        .desc = col >= 0 && !strcmp(m->dir, "desc"),
        .page = page,
        .per_page = NATIONAL_PAGE_SIZE,
        .total = (long)m->n,
    };
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

static void form(struct strbuf *p, const struct national_page *m, const struct list_view *v)
{
    strbuf_puts(p,
                "<form method=\"get\" action=\"/admin/national\" id=\"national-filter\" "
                "class=\"lv-filter\" role=\"search\" aria-label=\"ค้นหาและกรองหน่วยงานทั้งประเทศ\">\n");
    text_field(p, "fy", "ปีงบประมาณ", NULL, m->fy);
    text_field(p, "q", "ค้นหารหัสหรือชื่อหน่วยงาน", NULL, m->q);
    const char *values[ITA_AGENCY_KINDS_MAX + NS_COUNT + NATIONAL_MAX_LEVELS];
    const char *labels[ITA_AGENCY_KINDS_MAX + NS_COUNT];
    for (size_t i = 0; i < ita_agency_kinds_count; i++) {
        values[i] = ita_agency_kinds[i].key;
        labels[i] = ita_agency_kinds[i].th;
    }
    list_view_select(p, "n-kind", "kind", "ประเภทหน่วยงาน", "ทุกประเภท", values, labels,
                     ita_agency_kinds_count, m->kind);
    text_field(p, "parent", "รหัสหน่วยงานต้นสังกัด", "เว้นว่างได้", m->parent);
    for (int i = NS_ALL + 1; i < NS_COUNT; i++) {
        values[i - 1] = NATIONAL_STATES[i].key;
        labels[i - 1] = NATIONAL_STATES[i].th;
    }
    list_view_select(p, "n-state", "state", "สถานะ", NATIONAL_STATES[NS_ALL].th, values, labels,
                     NS_COUNT - 1, !strcmp(m->state, NATIONAL_STATES[NS_ALL].key) ? "" : m->state);
    size_t n = 0;
    bool listed = !*m->rating;
    for (size_t l = 0; m->y && l < m->y->n_levels; l++) {
        values[n++] = m->y->levels[l];
        listed |= !strcmp(m->rating, m->y->levels[l]);
    }
    if (!listed)
        values[n++] = m->rating; /* as typed, so that it stays chosen */
    list_view_select(p, "n-rating", "rating", "ระดับผล", "ทุกระดับ", values, NULL, n, m->rating);
    list_view_keep_sort(p, v);
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

static void table(struct strbuf *p, const struct national_page *m, const struct list_view *v)
{
    size_t from = (size_t)list_view_offset(v);
    size_t to = from + NATIONAL_PAGE_SIZE < m->n ? from + NATIONAL_PAGE_SIZE : m->n;
    strbuf_printf(p,
                  "<div class=\"lv-scroll\" role=\"region\" aria-labelledby=\"national-caption\" "
                  "tabindex=\"0\"><table id=\"national\"><caption id=\"national-caption\">"
                  "หน่วยงาน %zu–%zu จาก %zu (หน้า %ld จาก %ld)</caption><thead><tr>",
                  m->n ? from + 1 : 0, to, m->n, v->page, list_view_pages(v));
    for (int c = 0; c < NC_COUNT; c++)
        list_view_sort_th(p, v, NATIONAL_COLS[c].key, NATIONAL_COLS[c].th);
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
    struct list_filter f[6];
    struct list_view v = list_of(m, f, 1);
    form(p, m, &v);
    if (!m->have_year)
        return;
    totals(p, m);
    distributions(p, m);
    long pages = list_view_pages(&v);
    v.page = m->query->page <= pages ? m->query->page : pages;
    strbuf_puts(p, "<h2 id=\"national-list\">รายชื่อหน่วยงาน</h2>\n<p class=\"cp\">ดาวน์โหลด: <a "
                   "id=\"national-csv\" href=\"");
    /* fy is always in the address, so the format follows with &amp; */
    list_view_href(p, &v, NULL, v.desc, 1);
    strbuf_puts(p, "&amp;format=csv\">CSV (หัวคอลัมน์ภาษาไทย)</a> <a id=\"national-csv-en\" href=\"");
    list_view_href(p, &v, NULL, v.desc, 1);
    strbuf_puts(p, "&amp;format=csv&amp;keys=en\">CSV (ชื่อคอลัมน์ภาษาอังกฤษ)</a> <a "
                   "id=\"national-json\" href=\"");
    list_view_href(p, &v, NULL, v.desc, 1);
    strbuf_puts(p, "&amp;format=json\">JSON</a></p>\n");
    table(p, m, &v);
    list_view_pager(p, &v, "national-pages", "หน้าของตารางหน่วยงานทั้งประเทศ");
}
