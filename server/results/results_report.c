/* The printable Thai report. It follows the seed report (Nakhon Pathom city municipality, 2565):
 * the 10-indicator table, the weighting table, the indicators grouped as urgent (< 90), to develop
 * (90 to < 95) and keep (>= 95) with the standard description of each indicator, the weakest
 * questions per instrument, the previous year when there is one, and the draft improvement
 * measures published as OIT item O42. */
#include "results_charts.h"
#include "results_html.h"
#include "svg_chart.h"
#include "results_page.h"
#include "results_text.h"
#include "xalloc.h"

#include <jansson.h>
#include <pthread.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- improvement measures ---- */

struct results_measure *results_measures_parse(const char *json, size_t *n)
{
    *n = 0;
    json_t *root = json && *json ? json_loads(json, 0, NULL) : NULL;
    size_t len = json_is_array(root) ? json_array_size(root) : 0;
    struct results_measure *m = xcalloc(len ? len : 1, sizeof *m);
    for (size_t i = 0; i < len && i < RESULTS_MAX_MEASURES; i++) {
        json_t *o = json_array_get(root, i);
        const char *f[5] = {"measure", "method", "responsible", "period", "follow_up"};
        char **slot[5] = {&m[i].measure, &m[i].method, &m[i].responsible, &m[i].period,
                          &m[i].follow_up};
        for (int k = 0; k < 5; k++) {
            const char *s = json_string_value(json_object_get(o, f[k]));
            *slot[k] = xstrdup(s ? s : "");
        }
        (*n)++;
    }
    json_decref(root);
    return m;
}

void results_measures_free(struct results_measure *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].measure);
        free(m[i].method);
        free(m[i].responsible);
        free(m[i].period);
        free(m[i].follow_up);
    }
    free(m);
}

/* ---- the report ---- */

static const char REPORT_STYLE[] =
    "*,::before,::after{box-sizing:border-box}"
    "body{font-family:'TH Sarabun New','Sarabun','Garuda','Loma',sans-serif;margin:0 "
    "auto;max-width:60rem;"
    "padding:1rem;color:#000;background:#fff;font-size:16px;line-height:1.5;"
    "overflow-wrap:anywhere}"
    "h1{font-size:1.4rem;text-align:center}h2{font-size:1.15rem;margin-top:1.5rem}h3{font-size:"
    "1rem}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid "
    "#444;padding:.25rem .4rem;"
    "vertical-align:top}th{background:#eee}td.n{text-align:right;white-space:nowrap}"
    "caption{text-align:left;font-weight:bold;padding:.25rem 0}th{overflow-wrap:normal}"
    ".lowest td:first-child{white-space:nowrap}"
    /* the measures on a phone: one card per measure, each cell under its column's name */
    "@media screen and (max-width:40rem){#measures,#measures tbody,#measures tr,#measures td{"
    "display:block}#measures thead{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip-path:inset(50%)}#measures tr{margin:.5rem 0;border:1px solid #444}"
    "#measures td{border:0;border-bottom:1px solid #ccc}#measures td:empty{display:none}"
    "#measures td[data-label]::before{content:attr(data-label);display:block;font-weight:bold}}"
    "tr.total td{font-weight:bold}.sub{font-weight:bold}"
    /* the charts (issue #16): core/svg_chart.h's style */
    SVG_CHART_CSS ".tw{overflow-x:auto;max-width:100%}"
    ".prelim{margin:1rem 0;padding:.5rem 1rem;border:3px solid #8a5a00;background:#fff4ce}"
    ".prelim h2{margin:.25rem 0}.prelim p,.prelim ul{margin:.25rem 0}"
    ".bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}"
    "button{min-height:2.75rem;padding:.5rem 1.25rem;border:0;border-radius:.5rem;"
    "background:#0d3b66;color:#fff;font:inherit;font-weight:bold;cursor:pointer}"
    "button:hover{background:#154a80}:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}"
    "a{color:#0b57a4}.bar a{display:inline-block;padding:.5rem 0}"
    ".edit{border:2px dashed #888;padding:.5rem;margin-top:1rem}"
    ".edit fieldset{margin:.75rem 0;padding:.5rem .75rem;border:1px solid #888;min-width:0}"
    ".edit legend{font-weight:bold}.edit label{display:block;margin-top:.5rem}"
    ".err{margin:1rem 0;padding:.5rem 1rem;border:3px solid #a4262c;background:#fde7e9}"
    ".err p{margin:.25rem 0}.edit .hint{display:block;color:#444}.edit "
    "input:not([type=hidden]){display:block;"
    "min-height:2.75rem;padding:.4rem;border:1px solid #6b7785;border-radius:.25rem;font:inherit}"
    ".edit textarea{display:block;width:100%;min-height:4.5rem;margin-top:.25rem;"
    "padding:.5rem;border:1px solid #6b7785;border-radius:.25rem;font:inherit;resize:vertical}"
    "@media(min-width:48rem){.edit .m{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}"
    ".edit .m label:first-child{grid-column:1/-1}}"
    "@page{size:A4;margin:15mm}"
    "@media print{.edit,.noprint,button{display:none}body{max-width:none;padding:0}"
    "h2{break-after:avoid}.tw{overflow:visible}"
    "table{break-inside:auto}tr{break-inside:avoid}}";

/* The print button: hidden without script (the page says Ctrl+P), shown and wired up here. */
static const char REPORT_SCRIPT[] =
    "(function(){var b=document.getElementById(\"print\");if(!b)return;b.hidden=false;"
    "b.addEventListener(\"click\",function(){window.print()})})();";

static char report_csp[384];

static void sha256_b64(const char *text, unsigned char b64[64])
{
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)text, strlen(text), h);
    EVP_EncodeBlock(b64, h, sizeof h);
}

static void make_report_csp(void)
{
    unsigned char style[64], script[64];
    sha256_b64(REPORT_STYLE, style);
    sha256_b64(REPORT_SCRIPT, script);
    snprintf(report_csp, sizeof report_csp,
             "default-src 'none'; style-src 'sha256-%s'; script-src 'sha256-%s'; "
             "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
             (const char *)style, (const char *)script);
}

const char *results_report_csp(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_report_csp);
    return report_csp;
}

/* A question among the lowest: its score and its position in the version. */
struct lowest {
    double value;
    size_t index;
};

/* Lowest score first; equal scores in questionnaire order. */
static int lowest_cmp(const void *a, const void *b)
{
    const struct lowest *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void lowest_questions(struct strbuf *o, const struct ita_version *v,
                             const struct results_agency *a, enum ita_instrument k, size_t max)
{
    const struct ita_result *r = a->res;
    strbuf_printf(o, "<h3>%s</h3>\n", results_instrument_th[k]);
    if (!a->shown[k]) {
        strbuf_puts(o, a->sealed[k] ? "<p>มีผู้ตอบไม่ถึงเกณฑ์ขั้นต่ำ จึงไม่แสดงคะแนนรายข้อ</p>\n"
                                    : "<p>ยังเปิดรับคำตอบอยู่ คะแนนรายข้อจะแสดงหลังปิดรับ</p>\n");
        return;
    }
    /* the `max` lowest defined questions of the instrument, lowest first, ties in order: the
     * lowest `max` of each of its indicators (core/scoring.h), merged */
    struct lowest cand[ITA_N_INDICATORS * 64];
    size_t n = 0;
    max = max < 64 ? max : 64;
    for (int ind = 1; ind <= ITA_N_INDICATORS; ind++) {
        if (ita_indicator_instrument(ind) != (int)k)
            continue;
        const struct ita_question *q[64];
        size_t m = ita_lowest_questions(r, ind, max, q);
        for (size_t i = 0; i < m; i++)
            cand[n++] = (struct lowest){r->question[q[i]->index].value, q[i]->index};
    }
    qsort(cand, n, sizeof cand[0], lowest_cmp);
    n = n < max ? n : max;
    strbuf_printf(o,
                  "<div class=\"tw\"><table class=\"lowest\" id=\"lowest-%s\"><caption>ข้อคำถาม %s "
                  "ที่ได้คะแนนต่ำสุด%s"
                  "</caption><thead><tr><th>ข้อ</th><th>ตัวชี้วัด</th><th>คำถาม</th>"
                  "<th>คะแนน</th></tr></thead><tbody>\n",
                  ita_instrument_code(k), ita_instrument_code(k), a->rated ? "" : " (ผลเบื้องต้น)");
    for (size_t j = 0; j < n; j++) {
        const struct ita_question *q = v->question_list[cand[j].index];
        strbuf_printf(o, "<tr><td>ข้อ %s</td><td class=\"n\">%d</td><td>",
                      results_code_number(q->code), q->indicator);
        results_html_esc(o, q->text_th);
        strbuf_puts(o, "</td><td class=\"n\">");
        results_html_fig(o, r->question[cand[j].index]);
        strbuf_puts(o, "</td></tr>\n");
    }
    strbuf_puts(o, "</tbody></table></div>\n");
}

static void groups(struct strbuf *o, const struct ita_version *v, const struct ita_summary *s)
{
    for (int c = ITA_CLASS_URGENT; c <= ITA_CLASS_KEEP; c++) {
        int count = 0;
        for (int k = 0; k < ITA_N_INDICATORS; k++)
            count += s->indicator[k].defined && (int)ita_classify(s->indicator[k].value) == c;
        strbuf_printf(o,
                      "<section class=\"group\" id=\"group-%s\"><h3>การวิเคราะห์%s</h3>\n<p>มีจำนวน "
                      "%d ตัวชี้วัด</p>\n",
                      ita_class_name((enum ita_class)c),
                      results_class_heading_th((enum ita_class)c), count);
        for (int k = 0; k < ITA_N_INDICATORS; k++) {
            if (!s->indicator[k].defined || (int)ita_classify(s->indicator[k].value) != c)
                continue;
            strbuf_printf(o, "<h4>ตัวชี้วัดที่ %d ", k + 1);
            results_html_esc(o, v->indicators[k].name_th);
            strbuf_puts(o, " คะแนนเฉลี่ยร้อยละ ");
            results_html_fig(o, s->indicator[k]);
            strbuf_puts(o, "</h4>\n<p>");
            strbuf_puts(o, results_indicator_description_th[k]);
            strbuf_puts(o, "</p>\n");
        }
        strbuf_puts(o, "</section>\n");
    }
    int undefined = 0;
    for (int k = 0; k < ITA_N_INDICATORS; k++)
        undefined += !s->indicator[k].defined;
    if (undefined)
        strbuf_printf(o, "<p>ยังไม่มีคะแนน %d ตัวชี้วัด (ผู้ตอบไม่ถึงเกณฑ์ขั้นต่ำ หรือยังตรวจ OIT ไม่ครบ)</p>\n",
                      undefined);
}

static void measures(struct strbuf *o, const struct results_report_in *in)
{
    strbuf_puts(o, "<h2>มาตรการในการส่งเสริมและพัฒนา</h2>\n<div class=\"tw\"><table "
                   "id=\"measures\"><thead><tr><th>มาตรการ/แนวทาง</th>"
                   "<th>วิธีการดำเนินการ</th><th>ผู้รับผิดชอบ</th><th>ระยะเวลาการดำเนินการ</th>"
                   "<th>การติดตามและรายงานผล</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < in->n_measures; i++) {
        const struct results_measure *m = &in->measures[i];
        const char *cells[5] = {m->measure, m->method, m->responsible, m->period, m->follow_up};
        strbuf_puts(o, "<tr>");
        static const char *const heads[5] = {"มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ",
                                             "ระยะเวลาการดำเนินการ", "การติดตามและรายงานผล"};
        for (int k = 0; k < 5; k++) {
            strbuf_printf(o, "<td data-label=\"%s\">", heads[k]);
            results_html_esc(o, cells[k]);
            strbuf_puts(o, "</td>");
        }
        strbuf_puts(o, "</tr>\n");
    }
    if (in->n_measures == 0)
        strbuf_puts(o, "<tr><td colspan=\"5\">(ยังไม่ได้กำหนดมาตรการ)</td></tr>\n");
    strbuf_puts(o, "</tbody></table></div>\n");
    if (in->csrf)
        results_measures_form(o, in->measures, in->n_measures, in->a->id, in->v->fiscal_year,
                              in->csrf);
}

void results_measures_form(struct strbuf *o, const struct results_measure *measures,
                           size_t n_measures, int agency_id, int year, const char *csrf)
{
    size_t rows = n_measures + 3 > RESULTS_MAX_MEASURES ? RESULTS_MAX_MEASURES : n_measures + 3;
    strbuf_printf(
        o,
        "<form class=\"edit\" method=\"post\" action=\"/admin/measures\" id=\"measures-form\">\n"
        "<p>แก้ไขร่างมาตรการ (ส่วนนี้ไม่พิมพ์) เว้นช่องมาตรการว่างเพื่อลบแถว</p>\n"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
        "<input type=\"hidden\" name=\"agency\" value=\"%d\">\n"
        "<input type=\"hidden\" name=\"year\" value=\"%d\">\n",
        csrf, agency_id, year);
    static const char *const names[5] = {"measure", "method", "responsible", "period", "follow_up"};
    static const char *const labels[5] = {"มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ",
                                          "ระยะเวลาการดำเนินการ", "การติดตามและรายงานผล"};
    for (size_t i = 0; i < rows; i++) {
        const struct results_measure *m = i < n_measures ? &measures[i] : NULL;
        const char *cells[5] = {m ? m->measure : "", m ? m->method : "", m ? m->responsible : "",
                                m ? m->period : "", m ? m->follow_up : ""};
        strbuf_printf(o, "<fieldset><legend>มาตรการที่ %zu%s</legend><div class=\"m\">", i + 1,
                      m ? "" : " (ว่าง)");
        for (int k = 0; k < 5; k++) {
            strbuf_printf(o, "<label>%s<textarea name=\"%s_%zu\" rows=\"3\">", labels[k], names[k],
                          i + 1);
            results_html_esc(o, cells[k]);
            strbuf_puts(o, "</textarea></label>");
        }
        strbuf_puts(o, "</div></fieldset>\n");
    }
    strbuf_puts(o, "<button type=\"submit\">บันทึกร่างมาตรการ</button>\n</form>\n");
}

/* A table in a box of its own that scrolls sideways when the screen is narrower than it. */
static void table_box_open(struct strbuf *o)
{
    strbuf_puts(o, "<div class=\"tw\">");
}

static void table_box_close(struct strbuf *o)
{
    strbuf_puts(o, "</div>\n");
}

void results_report_open(struct strbuf *o, const char *agency_name, int agency_id, int year,
                         bool stored)
{
    strbuf_puts(o, "<!doctype html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n<title>รายงานผล ITA ");
    results_html_esc(o, agency_name);
    strbuf_printf(o, " %d</title>\n<style>%s</style>\n</head>\n<body>\n", year, REPORT_STYLE);
    strbuf_printf(o,
                  "<div class=\"noprint bar\"><a href=\"/admin/%s?agency=%d&amp;%s=%d\">%s</a>"
                  "<button type=\"button\" id=\"print\" hidden>พิมพ์รายงาน</button>"
                  "<span>พิมพ์หรือบันทึกเป็น PDF: กดปุ่มพิมพ์ หรือ Ctrl+P (บน Mac กด ⌘+P)</span>"
                  "<span>รายงาน O42 ฉบับเต็ม: <a href=\"/admin/report.pdf?agency=%d&amp;year=%d\" "
                  "id=\"o42-pdf\">ดาวน์โหลด PDF</a> · <a "
                  "href=\"/admin/report.docx?agency=%d&amp;year=%d\" id=\"o42-docx\">ดาวน์โหลด "
                  "DOCX (แก้ไขต่อได้)</a></span></div>\n",
                  stored ? "history" : "results", agency_id, stored ? "fy" : "year",
                  stored ? year + 1 : year, stored ? "กลับไปหน้าผลย้อนหลัง" : "กลับไปหน้าคะแนน",
                  agency_id, year, agency_id, year);
}

void results_report_error(struct strbuf *o, const char *msg, const char *form_id)
{
    if (!msg)
        return;
    strbuf_puts(o, "<div class=\"noprint err\" role=\"alert\"><p>ยังไม่ได้บันทึก: ");
    results_html_esc(o, msg);
    strbuf_printf(o, "</p><p><a href=\"#%s\">ไปที่แบบฟอร์มเพื่อแก้ไข</a> (ข้อความที่กรอกไว้ยังอยู่)</p></div>\n",
                  form_id);
}

void results_report_close(struct strbuf *o, const char *foot)
{
    strbuf_puts(o, "<p class=\"foot\">");
    results_html_esc(o, foot);
    strbuf_printf(o, "</p>\n<script>%s</script>\n</body>\n</html>\n", REPORT_SCRIPT);
}

void results_report(struct strbuf *o, const struct results_report_in *in)
{
    const struct ita_version *v = in->v;
    const struct results_agency *a = in->a;
    const struct ita_summary *s = &a->res->summary;
    results_report_open(o, a->name_th, a->id, v->fiscal_year, false);
    results_report_error(o, in->form_error, "texts-form");
    strbuf_printf(o,
                  "<h1>รายงานผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใส<br>"
                  "ในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. %d<br>",
                  v->fiscal_year);
    results_html_esc(o, a->name_th);
    strbuf_puts(o, "</h1>\n");
    results_html_preliminary(o, "prelim", v, a, in->k_min);
    strbuf_printf(o, "<h2>ผลการประเมิน ITA ปีงบประมาณ พ.ศ. %d%s</h2>\n", v->fiscal_year,
                  a->rated ? "" : " (ผลเบื้องต้น)");
    results_html_verdict(o, a);
    strbuf_puts(o, "<h2>กรอบการประเมิน 10 ตัวชี้วัด เชื่อมโยงกับ 3 เครื่องมือ</h2>\n");
    table_box_open(o);
    results_html_indicators(o, v, s, in->prev ? &in->prev->res->summary : NULL, !a->rated);
    table_box_close(o);
    results_chart_indicators(o, v, a, "indicators");
    if (in->prev) {
        const struct ita_summary *p = &in->prev->res->summary;
        char b[ITA_FMT_SIZE];
        strbuf_printf(o, "<p id=\"previous\">เปรียบเทียบกับปีงบประมาณ พ.ศ. %d (คะแนนรวม ",
                      in->prev_v->fiscal_year);
        strbuf_printf(o, "%s%s", p->state == ITA_TOTAL_NONE ? "–" : ita_format_2dp(p->total, b),
                      in->prev->rated ? "" : " ผลเบื้องต้น");
        if (in->prev->rated) {
            strbuf_puts(o, " ระดับ ");
            results_html_esc(o, ita_rating_name(p->rules, p->rating));
        }
        strbuf_puts(o, ")</p>\n");
    }
    strbuf_puts(o, "<h2>ตารางแสดงค่าคะแนนการถ่วงน้ำหนักตามเกณฑ์การประเมิน</h2>\n");
    table_box_open(o);
    results_html_weights(o, s, !a->rated);
    table_box_close(o);
    table_box_open(o);
    results_html_rating_rule(o, &v->rules, v->fiscal_year);
    table_box_close(o);
    results_chart_tools(o, v, a, "weights");
    strbuf_puts(o, "<h2>ผลการประเมินย้อนหลัง</h2>\n");
    results_chart_history(o, v, a, in->history, in->n_history);
    strbuf_puts(o, "<h2>จำนวนผู้ตอบแบบวัด</h2>\n");
    table_box_open(o);
    results_html_samples(o, v, a, in->k_min);
    table_box_close(o);
    strbuf_puts(o, "<h2>ผลการวิเคราะห์แยกตามรายตัวชี้วัด</h2>\n");
    groups(o, v, s);
    strbuf_puts(o, "<h2>ข้อคำถามที่ได้คะแนนต่ำสุด</h2>\n");
    lowest_questions(o, v, a, ITA_IIT, 5);
    lowest_questions(o, v, a, ITA_EIT, 5);
    measures(o, in);
    if (in->texts_form)
        strbuf_puts(o, in->texts_form);
    results_report_close(o, "รายงานนี้จัดทำจากคำตอบที่เก็บในระบบ "
                            "คะแนนคำนวณด้วยเครื่องมือคำนวณเดียวกับที่ใช้ส่งออกข้อมูล "
                            "แสดงทศนิยม 2 ตำแหน่ง (ปัดครึ่งขึ้น) จากค่าที่ไม่ได้ปัด");
}
