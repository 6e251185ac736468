/* The clerk's results page: the agency's scores with the OIT entry form, and the blocks it shares
 * with the printable report (results_report.c): samples, indicator and weighting tables, verdict.
 */
#include "results_html.h"
#include "thai_date.h"
#include "results_page.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const results_instrument_th[ITA_N_INSTRUMENTS] = {
    "การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)",
    "การรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)",
    "การเปิดเผยข้อมูลสาธารณะ (OIT)",
};

void results_html_esc(struct strbuf *o, const char *s)
{
    strbuf_html_escape(o, s ? s : "");
}

void results_html_fig(struct strbuf *o, struct ita_value v)
{
    char b[ITA_FMT_SIZE];
    strbuf_puts(o, v.defined ? ita_format_2dp(v.value, b) : "–");
}

/* ---- blocks shared with the report ---- */

void results_html_samples(struct strbuf *o, const struct ita_version *v,
                          const struct results_agency *a, int k_min)
{
    strbuf_puts(o, "<table id=\"samples\"><caption>จำนวนผู้ตอบเทียบกับกลุ่มตัวอย่างขั้นต่ำ</caption>"
                   "<thead><tr><th>แบบวัด</th><th>ผู้ตอบ</th><th>ประชากร</th>"
                   "<th>ขั้นต่ำ</th><th>ครบ</th></tr></thead><tbody>\n");
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        strbuf_printf(o, "<tr><td>%s</td><td class=\"n\">%llu</td>",
                      ita_instrument_code((enum ita_instrument)k),
                      (unsigned long long)a->responses[k]);
        if (a->population[k] >= 0)
            strbuf_printf(o, "<td class=\"n\">%ld</td><td class=\"n\">%ld</td>", a->population[k],
                          a->min_sample[k]);
        else
            strbuf_printf(o, "<td>ไม่ได้กรอก</td><td class=\"n\">%ld*</td>", a->min_sample[k]);
        strbuf_printf(o, "<td>%s</td></tr>\n", a->sample_reached[k] ? "ครบ" : "ยังไม่ครบ");
    }
    strbuf_puts(o, "</tbody></table>\n");
    /* the footnote of a minimum taken from the rule because the population is not entered */
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        if (a->population[k] >= 0)
            continue;
        strbuf_printf(o, "<p class=\"nt\" id=\"min-note-%s\">* %s ขั้นต่ำ %ld",
                      ita_instrument_code((enum ita_instrument)k),
                      ita_instrument_code((enum ita_instrument)k), a->min_sample[k]);
        results_min_sample_note_th(o, v, a, k);
        strbuf_puts(o, "</p>\n");
    }
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        if (a->shown[k])
            continue;
        const char *code = ita_instrument_code((enum ita_instrument)k);
        strbuf_printf(o, "<p class=\"suppressed\" id=\"suppressed-%s\">", code);
        char day[ITA_THAI_DATE_SIZE];
        if (!a->sealed[k] && ita_thai_date_short(a->last_day, day, sizeof day))
            strbuf_printf(o,
                          "แบบวัด %s ยังเปิดรับคำตอบถึงวันที่ %s คะแนนจะแสดงหลังปิดรับ "
                          "เมื่อนับคำตอบสุดท้ายแล้ว (ไม่เกินหนึ่งนาทีหลังปิดรับ) "
                          "และมีผู้ตอบอย่างน้อย %d คน",
                          code, day, k_min);
        else if (!a->sealed[k])
            strbuf_printf(o,
                          "แบบวัด %s ยังเปิดรับคำตอบอยู่ คะแนนจะแสดงหลังปิดรับ "
                          "และมีผู้ตอบอย่างน้อย %d คน",
                          code, k_min);
        else
            strbuf_printf(o, "แบบวัด %s มีผู้ตอบน้อยกว่า %d คน จึงไม่แสดงคะแนน", code, k_min);
        strbuf_puts(o, " เพื่อไม่ให้ผู้ใดระบุได้ว่าใครตอบอย่างไร "
                       "(รวมถึงการเทียบผลก่อนและหลังที่คนหนึ่งตอบ)</p>\n");
    }
}

void results_html_indicators(struct strbuf *o, const struct ita_version *v,
                             const struct ita_summary *s, const struct ita_summary *prev,
                             bool preliminary)
{
    strbuf_printf(o,
                  "<table id=\"indicators\"><caption>คะแนนรายตัวชี้วัด%s</caption><thead><tr>"
                  "<th>ตัวชี้วัด</th><th>คะแนน</th>%s"
                  "<th>เครื่องมือการประเมิน</th></tr></thead><tbody>\n",
                  preliminary ? " (ผลเบื้องต้น)" : "", prev ? "<th>ปีก่อน</th><th>เปลี่ยนแปลง</th>" : "");
    for (int k = 0; k < ITA_N_INDICATORS; k++) {
        strbuf_printf(o, "<tr><td>ตัวชี้วัดที่ %d ", k + 1);
        results_html_esc(o, v->indicators[k].name_th);
        strbuf_puts(o, "</td><td class=\"n\">");
        results_html_fig(o, s->indicator[k]);
        strbuf_puts(o, "</td>");
        if (prev) {
            strbuf_puts(o, "<td class=\"n\">");
            results_html_fig(o, prev->indicator[k]);
            strbuf_puts(o, "</td><td class=\"n\">");
            if (s->indicator[k].defined && prev->indicator[k].defined) {
                char b[ITA_FMT_SIZE];
                double d = s->indicator[k].value - prev->indicator[k].value;
                strbuf_printf(o, "%s%s", d >= 0 ? "+" : "", ita_format_2dp(d, b));
            } else {
                strbuf_puts(o, "–");
            }
            strbuf_puts(o, "</td>");
        }
        strbuf_printf(o, "<td>%s</td></tr>\n",
                      results_instrument_th[ita_indicator_instrument(k + 1)]);
    }
    strbuf_puts(o, "</tbody></table>\n");
}

void results_html_weights(struct strbuf *o, const struct ita_summary *s, bool preliminary)
{
    const int *w = s->rules->weight;
    strbuf_printf(o,
                  "<table id=\"weights\"><caption>คะแนนถ่วงน้ำหนักตามเกณฑ์การประเมิน%s</caption>"
                  "<thead><tr><th>ประเด็นการประเมิน</th><th>น้ำหนัก</th>"
                  "<th>คะแนนเฉลี่ยที่ได้รับ</th><th>คะแนนถ่วงน้ำหนัก</th></tr></thead><tbody>\n",
                  preliminary ? " (ผลเบื้องต้น)" : "");
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        strbuf_printf(o, "<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">",
                      results_instrument_th[g], w[g]);
        results_html_fig(o, s->group[g]);
        strbuf_puts(o, "</td><td class=\"n\">");
        results_html_fig(o, s->weighted[g]);
        strbuf_puts(o, "</td></tr>\n");
    }
    char b[ITA_FMT_SIZE];
    strbuf_printf(o,
                  "<tr class=\"total\"><td>รวม%s</td><td class=\"n\">%d</td><td></td><td "
                  "class=\"n\" id=\"total\">%s</td></tr>\n",
                  preliminary ? " (เบื้องต้น)" : "", s->total_max,
                  s->state == ITA_TOTAL_NONE ? "–" : ita_format_2dp(s->total, b));
    strbuf_puts(o, "</tbody></table>\n");
}

/* The lowest total that can pass: the smallest total minimum of a passing level. */
static double pass_mark(const struct ita_rules *r)
{
    double m = 100.0;
    for (size_t i = 0; i < r->n_levels; i++)
        if (r->levels[i].pass && ita_rational_value(r->levels[i].total_min) < m)
            m = ita_rational_value(r->levels[i].total_min);
    return m;
}

/* "EIT 84.20 < 85.00, OIT ..." for the tools below level's minimums. */
static void tools_below(struct strbuf *o, const struct ita_summary *s, int level)
{
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];
    int n = 0;
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        double min;
        if (ita_tool_short(s->rules, level, s, (enum ita_instrument)g, &min) <= 0)
            continue;
        strbuf_printf(o, "%s%s %s &lt; %s", n++ ? ", " : "",
                      ita_instrument_code((enum ita_instrument)g),
                      ita_format_2dp(s->group[g].value, b1), ita_format_2dp(min, b2));
    }
}

/* For each better level that needs tool minimums: what each tool must gain. */
static void tool_plans(struct strbuf *o, const struct ita_summary *s)
{
    const struct ita_rules *r = s->rules;
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];
    bool open = false;
    for (int level = s->rating - 1; level >= 0; level--) {
        struct ita_tool_plan p;
        if (!r->levels[level].has_tool_min || ita_tool_plan(s, level, &p) < 0 || p.reached)
            continue;
        if (!open)
            strbuf_puts(o, "<ul id=\"tool-plans\">\n");
        open = true;
        strbuf_puts(o, "<li>เพื่อให้ได้ระดับ <strong>");
        results_html_esc(o, r->levels[level].name_th);
        strbuf_puts(o, "</strong>: ");
        if (!p.possible) {
            strbuf_puts(o, "ไม่สามารถไปถึงได้ในปีนี้ (ต้องได้คะแนนเกิน 100)</li>\n");
            continue;
        }
        int n = 0;
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
            if (p.to_minimum[g] <= 0)
                continue;
            strbuf_printf(o, "%s%s ต้องเพิ่มอีก %s (เป็น %s)", n++ ? " และ " : "",
                          ita_instrument_code((enum ita_instrument)g),
                          ita_format_2dp_up(p.to_minimum[g], b1),
                          ita_format_2dp_up(s->group[g].value + p.to_minimum[g], b2));
        }
        if (p.total_gap > 0) {
            strbuf_printf(o, "%sคะแนนรวมยังขาด %s: เพิ่ม", n ? " แล้ว" : "",
                          ita_format_2dp_up(p.total_gap, b1));
            int m = 0;
            for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
                if (p.alone_possible[g])
                    strbuf_printf(o, "%s %s อีก %s", m++ ? " หรือ" : "",
                                  ita_instrument_code((enum ita_instrument)g),
                                  ita_format_2dp_up(p.alone[g], b2));
        }
        strbuf_puts(o, "</li>\n");
    }
    if (open)
        strbuf_puts(o, "</ul>\n");
}

void results_html_rating_rule(struct strbuf *o, const struct ita_rules *r, int fiscal_year)
{
    char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];
    strbuf_printf(o,
                  "<table id=\"rating-rule\"><caption>เกณฑ์ระดับผลการประเมิน ปีงบประมาณ %d%s</caption>"
                  "<thead><tr><th>ระดับ</th><th>คะแนนรวม</th><th>IIT, EIT และ OIT แต่ละเครื่องมือ</th>"
                  "</tr></thead><tbody>\n",
                  fiscal_year, r->rating_verified ? "" : " (ยังไม่ได้ยืนยันกับคู่มือ)");
    for (size_t i = 0; i < r->n_levels; i++) {
        const struct ita_rating_level *lv = &r->levels[i];
        strbuf_puts(o, "<tr><td>");
        results_html_esc(o, lv->name_th);
        strbuf_printf(o, "</td><td>ตั้งแต่ %s</td><td>",
                      ita_format_2dp(ita_rational_value(lv->total_min), b1));
        if (lv->has_tool_min) {
            for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
                strbuf_printf(o, "%s%s ≥ %s", g ? ", " : "",
                              ita_instrument_code((enum ita_instrument)g),
                              ita_format_2dp(ita_rational_value(lv->tool_min[g]), b2));
        } else {
            strbuf_puts(o, "–");
        }
        strbuf_puts(o, "</td></tr>\n");
    }
    strbuf_puts(o, "</tbody></table>\n");
}

void results_html_preliminary(struct strbuf *o, const char *cls, const struct ita_version *v,
                              const struct results_agency *a, int k_min)
{
    if (a->rated)
        return;
    struct strbuf unmet;
    strbuf_init(&unmet);
    results_unmet(&unmet, v, a, k_min, true);
    strbuf_printf(o,
                  "<section class=\"%s\" id=\"preliminary\" aria-labelledby=\"preliminary-h\">"
                  "<h2 id=\"preliminary-h\">ผลเบื้องต้น: ยังไม่ครบเกณฑ์ขั้นต่ำ</h2>\n"
                  "<p>คะแนนในหน้านี้เป็นผลเบื้องต้น ยังไม่มีระดับผลการประเมินจนกว่าจะครบทุกเกณฑ์ "
                  "ที่ยังไม่ครบ:</p>\n<ul id=\"unmet\">",
                  cls);
    /* results_unmet separates its items with "; " */
    const char *p = unmet.data ? unmet.data : "";
    while (*p) {
        const char *e = strstr(p, "; ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *item = xstrndup(p, len);
        strbuf_puts(o, "<li>");
        results_html_esc(o, item);
        strbuf_puts(o, "</li>");
        free(item);
        p += len + (e ? 2 : 0);
    }
    strbuf_puts(o, "</ul>\n</section>\n");
    strbuf_free(&unmet);
}

void results_html_verdict(struct strbuf *o, const struct results_agency *a)
{
    const struct ita_summary *s = &a->res->summary;
    char b[ITA_FMT_SIZE], m[ITA_FMT_SIZE];
    if (a->rated) {
        strbuf_printf(o,
                      "<p id=\"verdict\">คะแนนรวม <strong>%s</strong> คะแนน ระดับ <strong "
                      "id=\"grade\">",
                      ita_format_2dp(s->total, b));
        results_html_esc(o, ita_rating_name(s->rules, s->rating));
        strbuf_printf(o, "</strong> (%sเกณฑ์ %s คะแนน)</p>\n", s->pass ? "ผ่าน" : "ไม่ผ่าน",
                      ita_format_2dp(pass_mark(s->rules), m));
        if (s->blocked >= 0) {
            strbuf_puts(o, "<p id=\"blocked\">");
            tools_below(o, s, s->blocked);
            strbuf_puts(o, ": ได้ระดับ ");
            results_html_esc(o, ita_rating_name(s->rules, s->rating));
            strbuf_puts(o, " ไม่ถึงระดับ ");
            results_html_esc(o, ita_rating_name(s->rules, s->blocked));
            strbuf_puts(o, " เพราะเครื่องมือนี้ต่ำกว่าเกณฑ์ขั้นต่ำรายเครื่องมือ</p>\n");
        }
        if (s->rules->tiered)
            tool_plans(o, s);
    } else if (s->state != ITA_TOTAL_NONE) {
        /* preliminary: the score so far, never a rating, pass or plan */
        strbuf_printf(o,
                      "<p id=\"verdict\">คะแนนรวมเบื้องต้น <strong>%s</strong> จาก %d คะแนน "
                      "(ผลเบื้องต้น ยังไม่มีระดับผลการประเมิน)</p>\n",
                      ita_format_2dp(s->total, b), s->total_max);
    } else {
        strbuf_puts(o, "<p id=\"verdict\">ยังไม่มีคะแนน (ผลเบื้องต้น)</p>\n");
    }
}

/* ---- the scores page ---- */

/* One OIT item as a card: its title as the legend, the result as the respondent form's radios
 * (.r: 48 px rows), the evidence URL and note each under its label, who entered it and when. */
static void oit_item(struct strbuf *o, const struct ita_oit_item *it,
                     const struct results_oit_entry *e)
{
    strbuf_printf(o, "<fieldset class=\"q\" id=\"item-%s\"><legend><span class=\"n\">ข้อ %s</span> ",
                  it->code, it->code);
    results_html_esc(o, it->title_th);
    strbuf_puts(o, "</legend>\n<div class=\"r\">");
    static const char *const value[3] = {"", "1", "0"};
    static const char *const label[3] = {"ยังไม่ตรวจ", "ผ่าน", "ไม่ผ่าน"};
    int chosen = !e ? 0 : e->met ? 1 : 2;
    for (int i = 0; i < 3; i++)
        strbuf_printf(o, "<label><input type=\"radio\" name=\"met_%s\" value=\"%s\"%s> %s</label>",
                      it->code, value[i], i == chosen ? " checked" : "", label[i]);
    strbuf_printf(o,
                  "</div>\n<label for=\"url_%s\">URL หลักฐานข้อ %s</label>"
                  "<input type=\"url\" id=\"url_%s\" name=\"url_%s\" value=\"",
                  it->code, it->code, it->code, it->code);
    results_html_esc(o, e ? e->url : "");
    strbuf_printf(o,
                  "\">\n<label for=\"note_%s\">หมายเหตุข้อ %s</label>"
                  "<input type=\"text\" id=\"note_%s\" name=\"note_%s\" value=\"",
                  it->code, it->code, it->code, it->code);
    results_html_esc(o, e ? e->note : "");
    strbuf_puts(o, "\">\n");
    if (e) {
        char when[ITA_THAI_DATE_SIZE];
        strbuf_puts(o, "<p class=\"nt\">บันทึกโดย ");
        results_html_esc(o, e->by[0] ? e->by : "ไม่ทราบ");
        if (ita_thai_datetime_short(e->at, when, sizeof when))
            strbuf_printf(o, " เมื่อ %s", when);
        strbuf_puts(o, "</p>\n");
    }
    strbuf_puts(o, "</fieldset>\n");
}

static void oit_form(struct strbuf *o, const struct ita_version *v, const struct results_agency *a,
                     const char *csrf)
{
    strbuf_printf(o,
                  "<h2 id=\"oit-h\">ผลการตรวจแบบ OIT (%zu ข้อ)</h2>\n"
                  "<p>OIT: ตรวจแล้ว %zu จาก %zu ข้อ</p>\n"
                  "<form method=\"post\" action=\"/admin/oit\" id=\"oit\" "
                  "aria-labelledby=\"oit-h\">\n"
                  "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
                  "<input type=\"hidden\" name=\"agency\" value=\"%d\">\n"
                  "<input type=\"hidden\" name=\"year\" value=\"%d\">\n",
                  v->n_oit_items, a->oit_assessed, v->n_oit_items, csrf, a->id, v->fiscal_year);
    size_t last_sub = (size_t)-1;
    for (size_t i = 0; i < v->n_oit_items; i++) {
        const struct ita_oit_item *it = &v->oit_items[i];
        if (it->sub != last_sub) {
            last_sub = it->sub;
            strbuf_printf(o, "<h3 class=\"sub\">ตัวชี้วัดย่อยที่ %s ", v->oit_subs[it->sub].code);
            results_html_esc(o, v->oit_subs[it->sub].name_th);
            strbuf_puts(o, "</h3>\n");
        }
        const struct results_oit_entry *e = NULL;
        for (size_t j = 0; j < a->n_oit; j++)
            if (strcmp(a->oit[j].code, it->code) == 0)
                e = &a->oit[j];
        oit_item(o, it, e);
    }
    strbuf_puts(o, "<button type=\"submit\">บันทึกผล OIT</button>\n</form>\n");
}

void results_page_scores(struct strbuf *o, const struct ita_version *v,
                         const struct results_agency *a, int k_min, const char *csrf,
                         const struct results_history_row *history, size_t n_history)
{
    const struct ita_summary *s = &a->res->summary;
    results_html_preliminary(o, "nc", v, a, k_min);
    strbuf_printf(o, "<p>ปีงบประมาณ พ.ศ. %d · รหัสหน่วยงาน ", v->fiscal_year);
    results_html_esc(o, a->code);
    strbuf_printf(
        o,
        "</p>\n<p><a href=\"/admin/report?agency=%d&amp;year=%d\" "
        "id=\"report-link\">รายงานผลการวิเคราะห์ (พิมพ์ได้)</a>"
        " · รายงาน O42: <a href=\"/admin/report.pdf?agency=%d&amp;year=%d\" "
        "id=\"o42-pdf\">PDF</a> · <a href=\"/admin/report.docx?agency=%d&amp;year=%d\" "
        "id=\"o42-docx\">DOCX (แก้ไขต่อได้)</a>"
        " · ส่งออก: <a href=\"/admin/export?agency=%d&amp;year=%d&amp;format=csv\" "
        "id=\"export-csv\">คะแนน CSV</a>"
        " · <a href=\"/admin/export?agency=%d&amp;year=%d&amp;format=json\">คะแนน JSON</a>"
        " · <a href=\"/admin/export?agency=%d&amp;year=%d&amp;kind=questions&amp;format=csv\" "
        "id=\"export-questions\">รายข้อ CSV</a>"
        " · <a href=\"/admin/export-raw?agency=%d&amp;year=%d\">คำตอบดิบ (ไม่ระบุตัวตน) CSV</a>"
        "</p>\n<p>ไฟล์ CSV มีชื่อคอลัมน์ภาษาไทย เปิดด้วย Excel ได้ทันที สำหรับโปรแกรมที่ต้องการชื่อคอลัมน์ภาษาอังกฤษ "
        "<a href=\"/admin/export?agency=%d&amp;year=%d&amp;format=csv&amp;keys=en\" "
        "id=\"export-csv-en\">คะแนน CSV (ชื่อคอลัมน์อังกฤษ)</a></p>\n",
        a->id, v->fiscal_year, a->id, v->fiscal_year, a->id, v->fiscal_year, a->id, v->fiscal_year,
        a->id, v->fiscal_year, a->id, v->fiscal_year, a->id, v->fiscal_year, a->id, v->fiscal_year);
    results_html_verdict(o, a);
    results_html_samples(o, v, a, k_min);
    results_html_indicators(o, v, s, NULL, !a->rated);
    results_chart_indicators(o, v, a, "indicators");
    results_html_weights(o, s, !a->rated);
    results_html_rating_rule(o, &v->rules, v->fiscal_year);
    results_chart_tools(o, v, a, "weights");
    results_chart_history(o, v, a, history, n_history);
    results_chart_answers(o, v, a);
    oit_form(o, v, a, csrf);
}
