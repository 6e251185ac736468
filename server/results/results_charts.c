/* The results page's and report's charts (see results_charts.h): the figures the tables already
 * show, drawn with core/svg_chart.h. Every number comes from the computed summary or the stored
 * history rows; the charts add no figure the page does not already give as text. */
#include "results_charts.h"
#include "results_html.h"
#include "svg_chart.h"
#include "tally.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *class_css(enum ita_class c)
{
    switch (c) {
    case ITA_CLASS_URGENT:
        return "svgc-urgent";
    case ITA_CLASS_DEVELOP:
        return "svgc-develop";
    case ITA_CLASS_KEEP:
        return "svgc-keep";
    }
    return NULL;
}

static const char *class_th(enum ita_class c)
{
    switch (c) {
    case ITA_CLASS_URGENT:
        return "เร่งแก้ไข";
    case ITA_CLASS_DEVELOP:
        return "พัฒนาต่อ";
    case ITA_CLASS_KEEP:
        return "รักษามาตรฐาน";
    }
    return "";
}

static void figure_open(struct strbuf *o, const char *id, const char *caption)
{
    strbuf_printf(o, "<figure class=\"chart\" id=\"%s\"><figcaption>", id);
    results_html_esc(o, caption);
    strbuf_puts(o, "</figcaption>\n");
}

void results_chart_indicators(struct strbuf *o, const struct ita_version *v,
                              const struct results_agency *a, const char *table_id)
{
    const struct ita_summary *s = &a->res->summary;
    struct svg_bar bars[ITA_N_INDICATORS];
    char labels[ITA_N_INDICATORS][160];
    memset(bars, 0, sizeof bars);
    int defined = 0;
    for (int k = 0; k < ITA_N_INDICATORS; k++) {
        snprintf(labels[k], sizeof labels[k], "%d %s", k + 1,
                 v->indicators[k].name_th ? v->indicators[k].name_th : "");
        bars[k].label = labels[k];
        if (!s->indicator[k].defined) {
            bars[k].missing = true;
            continue;
        }
        defined++;
        enum ita_class c = ita_classify(s->indicator[k].value);
        bars[k].value = s->indicator[k].value;
        bars[k].note = class_th(c);
        bars[k].css_class = class_css(c);
    }
    if (defined == 0)
        return;
    static const struct svg_ref_line lines[] = {{85, "85"}};
    static const struct svg_band bands[] = {
        {0, 90, "เร่งแก้ไข: ต่ำกว่า 90", "svgc-urgent"},
        {90, 95, "พัฒนาต่อ: 90 ถึงต่ำกว่า 95", "svgc-develop"},
        {95, 100, "รักษามาตรฐาน: 95 ขึ้นไป", "svgc-keep"},
    };
    struct svg_chart c = {
        .id = "chart-indicators",
        .title = a->rated ? "คะแนน 10 ตัวชี้วัด" : "คะแนน 10 ตัวชี้วัด (ผลเบื้องต้น)",
        .desc = "แท่งละหนึ่งตัวชี้วัด คะแนน 0 ถึง 100 เส้นประที่ 85 "
                "พื้นหลังแบ่งเป็นช่วงเร่งแก้ไข (ต่ำกว่า 90) พัฒนาต่อ (90 ถึงต่ำกว่า 95) "
                "และรักษามาตรฐาน (95 ขึ้นไป) ตัวเลขอยู่ในตารางคะแนนรายตัวชี้วัด",
        .described_by = table_id,
        .min = 0,
        .max = 100,
        .decimals = 2,
        .bars = bars,
        .n_bars = ITA_N_INDICATORS,
        .lines = lines,
        .n_lines = 1,
        .bands = bands,
        .n_bands = 3,
    };
    figure_open(o, "fig-indicators", "แผนภูมิคะแนนรายตัวชี้วัดเทียบเส้น 85 และช่วงการวิเคราะห์");
    svg_chart_hbar(o, &c);
    strbuf_puts(o, "</figure>\n");
}

void results_chart_tools(struct strbuf *o, const struct ita_version *v,
                         const struct results_agency *a, const char *table_id)
{
    const struct ita_summary *s = &a->res->summary;
    const struct ita_rules *r = &v->rules;
    struct svg_bar bars[ITA_N_INSTRUMENTS + 1];
    char targets[ITA_N_INSTRUMENTS][120];
    memset(bars, 0, sizeof bars);
    int defined = 0;
    /* tiered years: each tool's minimum for the next better level that has one */
    int aim = -1;
    if (r->tiered) {
        int from = a->rated && s->rating >= 0 ? s->rating - 1 : (int)r->n_levels - 1;
        for (int l = from; l >= 0; l--) {
            if (r->levels[l].has_tool_min) {
                aim = l;
                break;
            }
        }
    }
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        bars[g].label = ita_instrument_code((enum ita_instrument)g);
        if (!s->group[g].defined) {
            bars[g].missing = true;
        } else {
            bars[g].value = s->group[g].value;
            defined++;
        }
        if (aim >= 0) {
            char b[ITA_FMT_SIZE];
            double m = ita_rational_value(r->levels[aim].tool_min[g]);
            bars[g].has_target = true;
            bars[g].target = m;
            snprintf(targets[g], sizeof targets[g], "ขั้นต่ำระดับ%s %s",
                     r->levels[aim].name_th ? r->levels[aim].name_th : "", ita_format_2dp(m, b));
            bars[g].target_text = targets[g];
        }
    }
    struct svg_bar *t = &bars[ITA_N_INSTRUMENTS];
    t->label = "คะแนนรวม";
    if (s->state == ITA_TOTAL_COMPLETE) {
        t->value = s->total;
        t->note = a->rated ? ita_rating_name(r, s->rating) : "ผลเบื้องต้น";
        t->css_class = a->rated ? NULL : "svgc-prelim";
        defined++;
    } else {
        t->missing = true;
    }
    if (defined == 0)
        return;
    /* one line per distinct total minimum above 0, named by its best level */
    struct svg_ref_line lines[ITA_MAX_RATING_LEVELS];
    char names[ITA_MAX_RATING_LEVELS][96];
    size_t nl = 0;
    for (size_t l = 0; l < r->n_levels; l++) {
        double m = ita_rational_value(r->levels[l].total_min);
        if (m <= 0)
            continue;
        bool seen = false;
        for (size_t i = 0; i < nl; i++)
            seen = seen || lines[i].value == m;
        if (seen)
            continue;
        char b[ITA_FMT_SIZE];
        ita_format_2dp(m, b);
        /* "85.00" reads as "85" on the chart; a short grade name goes with it ("A 85"), a tier's
         * name is too long for the line (the list under the chart names every level) */
        char *dot = strstr(b, ".00");
        if (dot)
            *dot = '\0';
        const char *name = r->levels[l].name_th ? r->levels[l].name_th : "";
        if (strlen(name) <= 3)
            snprintf(names[nl], sizeof names[nl], "%s %s", name, b);
        else
            snprintf(names[nl], sizeof names[nl], "%s", b);
        lines[nl].value = m;
        lines[nl].label = names[nl];
        nl++;
    }
    char title[160];
    snprintf(title, sizeof title, "คะแนน IIT EIT OIT และคะแนนรวม เทียบเกณฑ์ระดับปี %d%s",
             v->fiscal_year, a->rated ? "" : " (ผลเบื้องต้น)");
    struct svg_chart c = {
        .id = "chart-tools",
        .title = title,
        .desc = "แท่งละหนึ่งเครื่องมือและคะแนนรวม เส้นประคือคะแนนรวมขั้นต่ำของแต่ละระดับ "
                "ตามตารางเกณฑ์ระดับผลการประเมิน เครื่องหมายขีดดำบนแท่งคือคะแนนขั้นต่ำรายเครื่องมือ",
        .described_by = table_id,
        .min = 0,
        .max = 100,
        .decimals = 2,
        .bars = bars,
        .n_bars = ITA_N_INSTRUMENTS + 1,
        .lines = lines,
        .n_lines = nl,
    };
    figure_open(o, "fig-tools", "แผนภูมิคะแนนรายเครื่องมือและคะแนนรวมเทียบเกณฑ์ระดับ");
    svg_chart_hbar(o, &c);
    strbuf_puts(o, "<p class=\"nt\">เกณฑ์ระดับ: ");
    for (size_t l = 0; l < r->n_levels; l++) {
        char b[ITA_FMT_SIZE];
        strbuf_puts(o, l ? ", " : "");
        results_html_esc(o, r->levels[l].name_th);
        strbuf_printf(o, " ตั้งแต่ %s", ita_format_2dp(ita_rational_value(r->levels[l].total_min), b));
    }
    strbuf_puts(o, "</p></figure>\n");
}

static const char *source_th(const char *source)
{
    if (strcmp(source, "entered") == 0)
        return "กรอกจากผลที่ประกาศ";
    if (strcmp(source, "imported") == 0)
        return "นำเข้าจากไฟล์";
    if (strcmp(source, "published") == 0)
        return "ผลสุดท้ายจากระบบนี้";
    return source;
}

/* A grade or tier under its year's column: a long tier in two lines ("ต้องปรับปรุง" /
 * "โดยด่วน"), so that it stays readable in a narrow column. */
static void tier_lines(char *out, size_t size, const char *rating)
{
    const char *cut = strstr(rating, "โดยด่วน");
    if (cut && cut > rating)
        snprintf(out, size, "%.*s\n%s", (int)(cut - rating), rating, cut);
    else
        snprintf(out, size, "%s", rating);
}

void results_chart_history(struct strbuf *o, const struct ita_version *v,
                           const struct results_agency *a, const struct results_history_row *rows,
                           size_t n)
{
    const struct ita_summary *s = &a->res->summary;
    bool current = s->state == ITA_TOTAL_COMPLETE;
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        nb += rows[i].year < v->fiscal_year;
    if (nb + current == 0)
        return;
    struct svg_bar *bars = xcalloc(nb + 1, sizeof *bars);
    char(*years)[16] = xcalloc(nb + 1, sizeof *years);
    char(*notes)[96] = xcalloc(nb + 1, sizeof *notes);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].year >= v->fiscal_year)
            continue;
        snprintf(years[m], sizeof years[m], "%d", rows[i].year);
        bars[m].label = years[m];
        bars[m].value = rows[i].total;
        tier_lines(notes[m], sizeof notes[m], rows[i].rating);
        bars[m].note = notes[m][0] ? notes[m] : NULL;
        m++;
    }
    if (current) {
        snprintf(years[m], sizeof years[m], "%d", v->fiscal_year);
        bars[m].label = years[m];
        bars[m].value = s->total;
        if (a->rated) {
            tier_lines(notes[m], sizeof notes[m], ita_rating_name(s->rules, s->rating));
        } else {
            snprintf(notes[m], sizeof notes[m], "เบื้องต้น");
            bars[m].css_class = "svgc-prelim";
        }
        bars[m].note = notes[m];
        m++;
    }
    /* the pass mark of this year's rule */
    double pass = 100;
    for (size_t l = 0; l < v->rules.n_levels; l++)
        if (v->rules.levels[l].pass && ita_rational_value(v->rules.levels[l].total_min) < pass)
            pass = ita_rational_value(v->rules.levels[l].total_min);
    struct svg_ref_line line = {pass, NULL};
    char title[200];
    snprintf(title, sizeof title, "คะแนนรวม ITA ของ%s รายปีงบประมาณ", a->name_th ? a->name_th : "");
    struct svg_chart c = {
        .id = "chart-history",
        .title = title,
        .desc = "แท่งละหนึ่งปีงบประมาณ ตัวเลขบนแท่งคือคะแนนรวม ใต้ปีคือระดับผลการประเมิน "
                "ปีปัจจุบันที่ยังไม่ครบเกณฑ์ระบุว่าเบื้องต้น ตัวเลขอยู่ในตารางผลย้อนหลัง",
        .described_by = "history",
        .min = 0,
        .max = 100,
        .decimals = 2,
        .bars = bars,
        .n_bars = m,
        .lines = &line,
        .n_lines = 1,
    };
    figure_open(o, "fig-history", "แผนภูมิคะแนนรวมย้อนหลังรายปี");
    svg_chart_columns(o, &c);
    strbuf_puts(o, "</figure>\n<div class=\"tw\"><table id=\"history\"><caption>ผลการประเมินย้อนหลัง"
                   "</caption><thead><tr><th>ปีงบประมาณ</th><th>คะแนนรวม</th><th>ระดับ</th>"
                   "<th>ที่มา</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        if (rows[i].year >= v->fiscal_year)
            continue;
        char b[ITA_FMT_SIZE];
        strbuf_printf(o, "<tr data-year=\"%d\"><td>%d</td><td class=\"n\">%s</td><td>",
                      rows[i].year, rows[i].year, ita_format_2dp(rows[i].total, b));
        results_html_esc(o, rows[i].rating[0] ? rows[i].rating : "–");
        strbuf_printf(o, "</td><td>%s</td></tr>\n", source_th(rows[i].source));
    }
    if (current) {
        char b[ITA_FMT_SIZE];
        strbuf_printf(o, "<tr data-year=\"%d\"><td>%d</td><td class=\"n\">%s</td><td>",
                      v->fiscal_year, v->fiscal_year, ita_format_2dp(s->total, b));
        results_html_esc(o, a->rated ? ita_rating_name(s->rules, s->rating) : "เบื้องต้น");
        strbuf_printf(o, "</td><td>%s</td></tr>\n",
                      a->rated ? "คำนวณจากระบบนี้" : "คำนวณจากระบบนี้ (ผลเบื้องต้น)");
    }
    strbuf_puts(o, "</tbody></table></div>\n");
    free(bars);
    free(years);
    free(notes);
}

void results_chart_answers(struct strbuf *o, const struct ita_version *v,
                           const struct results_agency *a)
{
    struct ita_field_counts *fields = NULL;
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        /* exactly the rule of every per-question figure: sealed and at least k responses */
        if (!a->shown[k] || !a->tally[k])
            continue;
        if (!fields)
            fields = xcalloc(v->n_fields ? v->n_fields : 1, sizeof *fields);
        char *err = NULL;
        if (ita_tally_apply(v, (enum ita_instrument)k, a->tally[k], fields, &err) != 0) {
            free(err);
            continue;
        }
        const char *code = ita_instrument_code((enum ita_instrument)k);
        const struct ita_survey *sv = &v->surveys[k];
        strbuf_printf(
            o,
            "<details class=\"answers\" id=\"answers-%s\"><summary>การกระจายคำตอบรายข้อ %s "
            "(%llu คน)</summary>\n",
            code, code, (unsigned long long)a->responses[k]);
        for (size_t q = 0; q < sv->n_questions; q++) {
            const struct ita_question *qu = &sv->questions[q];
            for (size_t f = 0; f < qu->n_fields; f++) {
                const struct ita_field *fd = &qu->fields[f];
                const struct ita_scale *sc = &v->scales[fd->scale];
                const struct ita_field_counts *fc = &fields[fd->index];
                uint64_t total = 0;
                for (int l = 0; l < sc->levels; l++)
                    total += fc->at_level[l];
                struct svg_bar bars[ITA_MAX_LEVELS];
                char texts[ITA_MAX_LEVELS][40];
                memset(bars, 0, sizeof bars);
                for (int l = 0; l < sc->levels; l++) {
                    bars[l].label = sc->labels_th[l] ? sc->labels_th[l] : "";
                    bars[l].value = (double)fc->at_level[l];
                    snprintf(texts[l], sizeof texts[l], "%llu (%.0f%%)",
                             (unsigned long long)fc->at_level[l],
                             total ? 100.0 * (double)fc->at_level[l] / (double)total : 0.0);
                    bars[l].value_text = texts[l];
                }
                char id[64], tid[64], title[400];
                snprintf(id, sizeof id, "chart-ans-%s", fd->code);
                snprintf(tid, sizeof tid, "ans-%s", fd->code);
                snprintf(title, sizeof title, "ข้อ %s%s%s: จำนวนผู้ตอบแต่ละคำตอบ",
                         results_code_number(fd->code), fd->label_th ? " " : "",
                         fd->label_th ? fd->label_th : "");
                strbuf_puts(o, "<figure class=\"chart\"><figcaption>");
                strbuf_printf(o, "ข้อ %s ", results_code_number(qu->code));
                results_html_esc(o, qu->text_th);
                if (fd->label_th) {
                    strbuf_puts(o, " — ");
                    results_html_esc(o, fd->label_th);
                }
                strbuf_puts(o, "</figcaption>\n");
                struct svg_chart c = {
                    .id = id,
                    .title = title,
                    .described_by = tid,
                    .decimals = 0,
                    .bars = bars,
                    .n_bars = (size_t)sc->levels,
                };
                svg_chart_counts(o, &c);
                strbuf_printf(o,
                              "<table id=\"%s\" class=\"ans\"><thead><tr><th>คำตอบ</th>"
                              "<th>จำนวน</th></tr></thead><tbody>",
                              tid);
                for (int l = 0; l < sc->levels; l++) {
                    strbuf_puts(o, "<tr><td>");
                    results_html_esc(o, bars[l].label);
                    strbuf_printf(o, "</td><td class=\"n\">%llu</td></tr>",
                                  (unsigned long long)fc->at_level[l]);
                }
                strbuf_puts(o, "</tbody></table></figure>\n");
            }
        }
        strbuf_puts(o, "</details>\n");
    }
    free(fields);
}
