/* The O42 report as a struct doc (o42_doc.h), section by section in the seed report's order. */
#include "o42_doc.h"
#include "results_html.h"
#include "results_text.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the clerk's texts ---- */

static char *json_str_or_null(json_t *o, const char *key, bool *has)
{
    json_t *s = json_object_get(o, key);
    *has = json_is_string(s);
    return *has ? xstrdup(json_string_value(s)) : NULL;
}

void o42_texts_parse(struct o42_texts *t, const char *json)
{
    memset(t, 0, sizeof *t);
    json_t *root = json && *json ? json_loads(json, 0, NULL) : NULL;
    if (!json_is_object(root)) {
        json_decref(root);
        return;
    }
    t->objectives = json_str_or_null(root, "objectives", &t->has_objectives);
    t->benefits = json_str_or_null(root, "benefits", &t->has_benefits);
    t->coordinator = json_str_or_null(root, "coordinator", &t->has_coordinator);
    json_t *tt = json_object_get(root, "timetable");
    if (json_is_array(tt)) {
        t->has_timetable = true;
        size_t n = json_array_size(tt);
        t->timetable = xcalloc(n ? n : 1, sizeof *t->timetable);
        for (size_t i = 0; i < n; i++) {
            json_t *r = json_array_get(tt, i);
            const char *s = json_string_value(json_object_get(r, "step"));
            const char *p = json_string_value(json_object_get(r, "period"));
            const char *m = json_string_value(json_object_get(r, "method"));
            t->timetable[i] =
                (struct o42_step){xstrdup(s ? s : ""), xstrdup(p ? p : ""), xstrdup(m ? m : "")};
        }
        t->n_timetable = n;
    }
    json_t *sg = json_object_get(root, "suggestions");
    if (json_is_object(sg)) {
        size_t n = json_object_size(sg), i = 0;
        t->suggestions = xcalloc(n ? n : 1, sizeof *t->suggestions);
        const char *key;
        json_t *val;
        json_object_foreach(sg, key, val)
        {
            if (!json_is_string(val))
                continue;
            t->suggestions[i].code = xstrdup(key);
            t->suggestions[i].text = xstrdup(json_string_value(val));
            i++;
        }
        t->n_suggestions = i;
    }
    json_decref(root);
}

void o42_texts_clear(struct o42_texts *t)
{
    free(t->objectives);
    free(t->benefits);
    free(t->coordinator);
    for (size_t i = 0; i < t->n_timetable; i++) {
        free(t->timetable[i].step);
        free(t->timetable[i].period);
        free(t->timetable[i].method);
    }
    free(t->timetable);
    for (size_t i = 0; i < t->n_suggestions; i++) {
        free(t->suggestions[i].code);
        free(t->suggestions[i].text);
    }
    free(t->suggestions);
    memset(t, 0, sizeof *t);
}

char *o42_fill_agency(const char *text, const char *agency)
{
    struct strbuf b;
    strbuf_init(&b);
    static const char key[] = "{agency}";
    const char *p = text ? text : "";
    for (const char *q; (q = strstr(p, key)) != NULL; p = q + sizeof key - 1) {
        strbuf_append(&b, p, (size_t)(q - p));
        strbuf_puts(&b, agency ? agency : "");
    }
    strbuf_puts(&b, p);
    char *out = xstrdup(b.data ? b.data : "");
    strbuf_free(&b);
    return out;
}

/* ---- figures ---- */

void o42_figures_stored(struct o42_figures *f, const struct ita_rules *rules, double total,
                        const struct ita_value tool[ITA_N_INSTRUMENTS],
                        const struct ita_value indicator[ITA_N_INDICATORS], const char *rating)
{
    memset(f, 0, sizeof *f);
    for (int k = 0; k < ITA_N_INDICATORS; k++)
        f->indicator[k] = indicator[k];
    f->total = (struct ita_value){total, true};
    /* weighted parts in ten-thousandths of a point: tool hundredths x weight percent */
    int64_t part[ITA_N_INSTRUMENTS], sum = 0;
    bool half[ITA_N_INSTRUMENTS];
    bool all = true;
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        f->tool[g] = tool[g];
        half[g] = false;
        part[g] = 0;
        if (!tool[g].defined) {
            all = false;
            continue;
        }
        int64_t x = ita_round_hundredths(tool[g].value) * rules->weight[g];
        part[g] = x / 100 + (x % 100 >= 50);
        half[g] = x % 100 == 50;
        sum += part[g];
    }
    int64_t want = ita_round_hundredths(total);
    for (int g = ITA_N_INSTRUMENTS - 1; all && g >= 0 && sum > want; g--)
        if (half[g])
            part[g]--, sum--;
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
        if (tool[g].defined)
            f->weighted[g] = (struct ita_value){(double)part[g] / 100.0, true};
    if (rating && *rating) {
        snprintf(f->rating, sizeof f->rating, "%s", rating);
    } else if (all) {
        double t[ITA_N_INSTRUMENTS];
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
            t[g] = tool[g].value;
        int lv = ita_rate(rules, total, t);
        if (lv >= 0)
            snprintf(f->rating, sizeof f->rating, "%s", ita_rating_name(rules, lv));
    }
}

void o42_figures_computed(struct o42_figures *f, const struct ita_result *res, bool rated)
{
    memset(f, 0, sizeof *f);
    const struct ita_summary *s = &res->summary;
    f->computed = true;
    f->res = res;
    for (int k = 0; k < ITA_N_INDICATORS; k++)
        f->indicator[k] = s->indicator[k];
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        f->tool[g] = s->group[g];
        f->weighted[g] = s->weighted[g];
    }
    f->total = (struct ita_value){s->total, s->state != ITA_TOTAL_NONE};
    if (rated && s->state == ITA_TOTAL_COMPLETE && s->rating >= 0)
        snprintf(f->rating, sizeof f->rating, "%s", ita_rating_name(s->rules, s->rating));
}

/* ---- helpers ---- */

static const char *fig(struct ita_value v, char b[ITA_FMT_SIZE])
{
    if (!v.defined)
        return "–";
    return ita_format_2dp(v.value, b);
}

/* A threshold as the seed writes it: "85" for a whole number, else two decimals. */
static const char *mark(double v, char b[ITA_FMT_SIZE])
{
    int64_t h = ita_round_hundredths(v);
    if (h % 100 == 0)
        snprintf(b, ITA_FMT_SIZE, "%lld", (long long)(h / 100));
    else
        ita_format_2dp(v, b);
    return b;
}

static const struct ita_report_defaults *defaults(const struct o42_in *in)
{
    return in->next_v ? &in->next_v->report : &in->v->report;
}

/* Numbered paragraphs "1. ..." from lines (clerk's text) or a default list. */
static void numbered(struct doc *d, const struct o42_in *in, bool has, const char *lines,
                     char *const *list, size_t n)
{
    int no = 0;
    if (has) {
        const char *p = lines;
        while (*p) {
            size_t len = strcspn(p, "\n");
            size_t a = 0, b = len;
            while (a < b && isspace((unsigned char)p[a]))
                a++;
            while (b > a && isspace((unsigned char)p[b - 1]))
                b--;
            if (b > a) {
                char *t = xstrndup(p + a, b - a);
                char *f = o42_fill_agency(t, in->agency_name);
                doc_paragraphf(d, "%d. %s", ++no, f);
                free(f);
                free(t);
            }
            p += len + (p[len] == '\n');
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            char *f = o42_fill_agency(list[i], in->agency_name);
            doc_paragraphf(d, "%d. %s", ++no, f);
            free(f);
        }
    }
    if (no == 0)
        doc_paragraph(d, "(ยังไม่ได้กำหนด)");
}

/* ---- sections ---- */

static void title_block(struct doc *d, const struct o42_in *in)
{
    doc_title(d, "รายงานผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใส");
    char line[160];
    snprintf(line, sizeof line, "ในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. %d", in->year);
    doc_title(d, line);
    doc_title(d, in->agency_name);
    doc_paragraph(d, "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and "
                     "Transparency Assessment : ITA) เป็นเครื่องมือเชิงบวกที่มุ่งพัฒนาระบบราชการไทย "
                     "เปรียบเสมือนการตรวจสุขภาพองค์กรประจำปี ผลการประเมินช่วยให้หน่วยงานรับทราบสถานะ "
                     "และปัญหาการดำเนินงานด้านคุณธรรมและความโปร่งใส เพื่อนำไปปรับปรุงการดำเนินงาน "
                     "และจัดทำมาตรการป้องกันการทุจริตและประพฤติมิชอบต่อไป");
}

static void objectives(struct doc *d, const struct o42_in *in)
{
    const struct ita_report_defaults *r = defaults(in);
    const struct o42_texts *t = in->texts;
    doc_heading(d, 1, "วัตถุประสงค์");
    numbered(d, in, t && t->has_objectives, t ? t->objectives : NULL, r->objectives_th,
             r->n_objectives);
    doc_heading(d, 1, "ประโยชน์ที่คาดว่าจะได้รับ");
    numbered(d, in, t && t->has_benefits, t ? t->benefits : NULL, r->benefits_th, r->n_benefits);
}

static const char *const tool_long_th[ITA_N_INSTRUMENTS] = {
    "การเก็บข้อมูลจากบุคลากรในหน่วยงานภาครัฐ (Internal Integrity and Transparency Assessment : "
    "IIT) โดยสอบถามการรับรู้และความคิดเห็นของบุคลากรต่อคุณธรรมและความโปร่งใสของหน่วยงานตนเอง",
    "การเก็บข้อมูลจากผู้รับบริการหรือผู้ติดต่อหน่วยงานภาครัฐ (External Integrity and Transparency "
    "Assessment : EIT) โดยสอบถามการรับรู้และความคิดเห็นต่อการดำเนินงานของหน่วยงาน",
    "การเปิดเผยข้อมูลทางเว็บไซต์ของหน่วยงาน (Open Data Integrity and Transparency Assessment : "
    "OIT) ตรวจสอบระดับการเปิดเผยข้อมูลที่เผยแพร่ไว้ทางหน้าเว็บไซต์หลักของหน่วยงาน",
};

static void principles(struct doc *d, const struct o42_in *in)
{
    const struct ita_version *v = in->v;
    doc_heading(d, 1, "หลักการพื้นฐาน");
    doc_paragraphf(d,
                   "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ "
                   "พ.ศ. %d เก็บข้อมูลจาก 3 ส่วน (3 เครื่องมือ) รวม 10 ตัวชี้วัด ดังนี้",
                   in->year);
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        doc_paragraphf(d, "ส่วนที่ %d %s ได้แก่", g + 1, tool_long_th[g]);
        for (int k = 0; k < ITA_N_INDICATORS; k++) {
            if ((int)v->indicators[k].instrument != g)
                continue;
            char b[512];
            snprintf(b, sizeof b, "ตัวชี้วัดที่ %d %s", k + 1, v->indicators[k].name_th);
            doc_bullet(d, b);
            for (size_t s = 0; g == ITA_OIT && s < v->n_oit_subs; s++) {
                if (v->oit_subs[s].indicator != k + 1)
                    continue;
                snprintf(b, sizeof b, "ตัวชี้วัดย่อยที่ %s %s", v->oit_subs[s].code,
                         v->oit_subs[s].name_th);
                doc_bullet(d, b);
            }
        }
    }
}

static void rating_table(struct doc *d, const struct o42_in *in)
{
    const struct ita_rules *r = &in->v->rules;
    bool tiered = false;
    for (size_t i = 0; i < r->n_levels; i++)
        tiered |= r->levels[i].has_tool_min;
    doc_heading(d, 2, "เกณฑ์ระดับผลการประเมิน");
    doc_paragraphf(d, "เกณฑ์ระดับการประเมิน มี %zu ระดับ ดังนี้", r->n_levels);
    static const char *const head2[2] = {"คะแนน", "ระดับ"};
    static const char *const head3[3] = {"คะแนน", "ระดับ", "คะแนนขั้นต่ำของ IIT, EIT และ OIT"};
    static const double w3[3] = {2, 2, 3};
    static const double w2[2] = {3, 2};
    struct doc_table *t =
        doc_table(d, NULL, tiered ? 3 : 2, tiered ? head3 : head2, tiered ? w3 : w2);
    double above;
    bool whole = true;
    for (size_t i = 0; i < r->n_levels; i++)
        whole &= ita_round_hundredths(ita_rational_value(r->levels[i].total_min)) % 100 == 0;
    int pass_level = -1;
    for (size_t i = 0; i < r->n_levels; i++) {
        const struct ita_rating_level *lv = &r->levels[i];
        double lo = ita_rational_value(lv->total_min);
        char b1[ITA_FMT_SIZE], b2[ITA_FMT_SIZE], range[80], tools[160] = "–";
        /* up to just below the nearest higher total minimum (levels told apart only by the
           tools' minimums share their range) */
        above = 100.0;
        for (size_t k = 0; k < i; k++) {
            double hi = ita_rational_value(r->levels[k].total_min);
            if (hi > lo + ITA_SCORE_EPSILON && hi - (whole ? 1.0 : 0.01) < above)
                above = hi - (whole ? 1.0 : 0.01);
        }
        snprintf(range, sizeof range, "%s – %s", mark(lo, b1), mark(above, b2));
        if (lv->has_tool_min) {
            size_t o = 0;
            for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
                o += (size_t)snprintf(tools + o, sizeof tools - o, "%s%s ≥ %s", g ? ", " : "",
                                      ita_instrument_code((enum ita_instrument)g),
                                      mark(ita_rational_value(lv->tool_min[g]), b1));
        }
        const char *cells[3] = {range, lv->name_th, tools};
        doc_table_row(t, cells);
        if (lv->pass)
            pass_level = (int)i;
    }
    t->numeric[0] = false;
    if (pass_level >= 0) {
        char b[ITA_FMT_SIZE];
        doc_paragraphf(d,
                       "โดยหน่วยงานภาครัฐที่ผ่านเกณฑ์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
                       "หน่วยงานภาครัฐ ต้องมีผลคะแนนการประเมิน %s คะแนน (ระดับ %s) ขึ้นไป",
                       mark(ita_rational_value(r->levels[pass_level].total_min), b),
                       r->levels[pass_level].name_th);
    }
}

struct ranked {
    int k;
    double value;
};

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    int64_t hx = ita_round_hundredths(x->value), hy = ita_round_hundredths(y->value);
    if (hx != hy)
        return hx > hy ? -1 : 1;
    return x->k - y->k;
}

static void overall(struct doc *d, const struct o42_in *in)
{
    const struct o42_figures *f = &in->fig;
    char b[ITA_FMT_SIZE], b2[ITA_FMT_SIZE];
    char head[160];
    snprintf(head, sizeof head, "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. %d", in->year);
    doc_heading(d, 1, head);
    if (f->total.defined && f->rating[0])
        doc_paragraphf(d,
                       "ผลการประเมิน ITA ของ%s ในภาพรวมมีคะแนนอยู่ที่ %s คะแนน "
                       "ระดับผลการประเมินอยู่ในระดับ %s พิจารณาเป็นรายตัวชี้วัด ดังนี้",
                       in->agency_name, fig(f->total, b), f->rating);
    else if (f->total.defined)
        doc_paragraphf(d,
                       "ผลการประเมิน ITA ของ%s (ผลเบื้องต้น ยังไม่ครบเกณฑ์ขั้นต่ำ จึงยังไม่มีระดับ) "
                       "มีคะแนนอยู่ที่ %s คะแนน พิจารณาเป็นรายตัวชี้วัด ดังนี้",
                       in->agency_name, fig(f->total, b));
    else
        doc_paragraphf(d, "ยังไม่มีผลการประเมิน ITA ของ%s ในปีนี้", in->agency_name);

    struct ranked r[ITA_N_INDICATORS];
    size_t n = 0;
    for (int k = 0; k < ITA_N_INDICATORS; k++)
        if (f->indicator[k].defined)
            r[n++] = (struct ranked){k, f->indicator[k].value};
    qsort(r, n, sizeof r[0], ranked_cmp);
    static const char *const head3[3] = {"อันดับ", "ตัวชี้วัด", "คะแนน"};
    static const double w3[3] = {1, 5, 1.5};
    struct doc_table *t = doc_table(d, "คะแนนรายตัวชี้วัด เรียงจากคะแนนสูงสุด", 3, head3, w3);
    t->numeric[0] = t->numeric[2] = true;
    for (size_t i = 0; i < n; i++) {
        char no[16];
        snprintf(no, sizeof no, "%d", (int)i + 1);
        const char *cells[3] = {no, in->v->indicators[r[i].k].name_th,
                                ita_format_2dp(r[i].value, b)};
        doc_table_row(t, cells);
    }
    if (n)
        doc_paragraphf(d, "คะแนนสูงสุด %s คะแนน คะแนนต่ำสุด %s คะแนน", ita_format_2dp(r[0].value, b),
                       ita_format_2dp(r[n - 1].value, b2));

    static const char *const head4[4] = {"เครื่องมือ", "ค่าน้ำหนัก", "คะแนนที่ได้", "คะแนนถ่วงน้ำหนัก"};
    static const double w4[4] = {5, 1.5, 1.5, 2};
    char cap[400];
    snprintf(cap, sizeof cap, "ตารางแสดงค่าคะแนนการถ่วงน้ำหนักของ%sตามเกณฑ์การประเมิน", in->agency_name);
    t = doc_table(d, cap, 4, head4, w4);
    t->numeric[1] = t->numeric[2] = t->numeric[3] = true;
    t->bold_last_row = true;
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        char w[16];
        snprintf(w, sizeof w, "%d", in->v->rules.weight[g]);
        const char *cells[4] = {results_instrument_th[g], w, fig(f->tool[g], b),
                                fig(f->weighted[g], b2)};
        doc_table_row(t, cells);
    }
    const char *total[4] = {"รวม", "100", "", fig(f->total, b)};
    doc_table_row(t, total);
}

static void history_chart(struct doc *d, const struct o42_in *in)
{
    int first = in->year;
    for (size_t i = 0; i < in->n_history; i++)
        if (in->history[i].year < first)
            first = in->history[i].year;
    char title[200];
    snprintf(title, sizeof title, "กราฟแสดงภาพรวมการเปรียบเทียบผลการประเมิน ITA รายปี (พ.ศ. %d - %d)",
             first, in->year);
    doc_heading(d, 2, title);
    struct doc_bars *bars = doc_bars(d, NULL, 100);
    char b[ITA_FMT_SIZE], label[16], text[96];
    for (size_t i = 0; i < in->n_history; i++) {
        if (in->history[i].year >= in->year)
            continue;
        snprintf(label, sizeof label, "%d", in->history[i].year);
        snprintf(text, sizeof text, "%s%s%s", ita_format_2dp(in->history[i].total, b),
                 in->history[i].rating[0] ? " " : "", in->history[i].rating);
        doc_bars_add(bars, label, in->history[i].total, text);
    }
    if (in->fig.total.defined) {
        snprintf(label, sizeof label, "%d", in->year);
        snprintf(text, sizeof text, "%s%s%s", ita_format_2dp(in->fig.total.value, b),
                 in->fig.rating[0] ? " " : "", in->fig.rating);
        doc_bars_add(bars, label, in->fig.total.value, text);
    }
    doc_bars_ref(bars, 85, "เกณฑ์ผ่าน 85 คะแนน");
    if (in->n_history == 0)
        doc_paragraph(d, "(ยังไม่มีผลการประเมินของปีก่อนหน้าในระบบ)");
}

static const struct o42_suggestion *clerk_text(const struct o42_in *in, const char *code)
{
    for (size_t i = 0; in->texts && i < in->texts->n_suggestions; i++)
        if (strcasecmp(in->texts->suggestions[i].code, code) == 0)
            return &in->texts->suggestions[i];
    return NULL;
}

const char *o42_suggestion_for(const struct o42_in *in, const struct ita_question *q)
{
    const struct o42_suggestion *s = clerk_text(in, q->code);
    if (s)
        return s->text;
    return q->suggestion_th ? q->suggestion_th : "";
}

static int index_cmp(const void *a, const void *b)
{
    const struct ita_question *x = *(const struct ita_question *const *)a,
                              *y = *(const struct ita_question *const *)b;
    return (x->index > y->index) - (x->index < y->index);
}

size_t o42_weak_questions(const struct o42_in *in, enum ita_instrument k,
                          const struct ita_question **out, size_t max)
{
    const struct ita_version *v = in->v;
    size_t n = 0;
    bool *pick = xcalloc(v->n_questions ? v->n_questions : 1, sizeof *pick);
    if (in->fig.computed && in->fig.res) {
        int low = 0;
        for (int ind = 1; ind <= ITA_N_INDICATORS; ind++)
            if (ita_indicator_instrument(ind) == (int)k && in->fig.indicator[ind - 1].defined &&
                (!low || in->fig.indicator[ind - 1].value < in->fig.indicator[low - 1].value))
                low = ind;
        if (low && in->fig.indicator[low - 1].value < 95.0 - ITA_SCORE_EPSILON) {
            const struct ita_question *q[3];
            size_t m = ita_lowest_questions(in->fig.res, low, 3, q);
            for (size_t i = 0; i < m; i++)
                pick[q[i]->index] = true;
        }
    }
    bool kept = false;
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        const struct o42_suggestion *s = clerk_text(in, q->code);
        if (s && (int)ita_indicator_instrument(q->indicator) == (int)k)
            kept = true, pick[i] = s->text[0] != '\0';
    }
    if (!in->fig.computed && !kept)
        for (size_t i = 0; i < v->n_questions; i++) {
            const struct ita_question *q = v->question_list[i];
            if (ita_indicator_instrument(q->indicator) == (int)k && q->suggestion_th &&
                q->suggestion_th[0])
                pick[i] = true;
        }
    for (size_t i = 0; i < v->n_questions && n < max; i++)
        if (pick[i])
            out[n++] = v->question_list[i];
    free(pick);
    qsort(out, n, sizeof *out, index_cmp);
    return n;
}

static const char *const tool_heading_th[ITA_N_INSTRUMENTS] = {
    "ผลการประเมินจากแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (Internal Integrity and "
    "Transparency Assessment : IIT)",
    "ผลการประเมินจากแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (External Integrity and "
    "Transparency Assessment : EIT)",
    "ผลการประเมินจากแบบตรวจการเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency "
    "Assessment : OIT)",
};

/* "I20" for "i20". */
static void upper_code(char *out, size_t size, const char *code)
{
    snprintf(out, size, "%s", code);
    out[0] = (char)toupper((unsigned char)out[0]);
}

static void tool_analysis(struct doc *d, const struct o42_in *in, enum ita_instrument g)
{
    const struct o42_figures *f = &in->fig;
    const struct ita_version *v = in->v;
    char b[ITA_FMT_SIZE];
    doc_heading(d, 2, tool_heading_th[g]);
    if (!f->tool[g].defined) {
        doc_paragraph(d, "ยังไม่มีคะแนนของเครื่องมือนี้");
        return;
    }
    doc_paragraphf(d, "ผลการประเมินอยู่ในระดับคะแนน %s คะแนน", fig(f->tool[g], b));
    char head[200];
    snprintf(head, sizeof head, "ข้อเสนอแนะจากสำนักงาน ป.ป.ช. สำหรับการประเมินตามแบบวัด (%s)",
             ita_instrument_code(g));
    doc_heading(d, 3, head);
    if (g == ITA_OIT) {
        if (ita_at_least(f->tool[g].value, 100.0))
            doc_paragraphf(d,
                           "%s ได้คะแนนผลการประเมินตามแบบวัด (OIT) ที่ดีเยี่ยม ควรรักษามาตรฐานไว้ "
                           "และควรพัฒนาประสิทธิภาพของการทำงานอย่างต่อเนื่อง",
                           in->agency_name);
        else
            doc_paragraphf(d,
                           "%s ควรเผยแพร่ข้อมูลบนเว็บไซต์หลักของหน่วยงานให้ครบถ้วนตามองค์ประกอบ"
                           "ด้านข้อมูลของทุกข้อในแบบตรวจ (OIT) โดยเฉพาะข้อที่ยังไม่ผ่านการตรวจ "
                           "และกำหนดหน่วยงานรับผิดชอบแต่ละข้ออย่างชัดเจน",
                           in->agency_name);
        return;
    }
    int hi = 0, lo = 0;
    for (int ind = 1; ind <= ITA_N_INDICATORS; ind++) {
        if (ita_indicator_instrument(ind) != (int)g || !f->indicator[ind - 1].defined)
            continue;
        if (!hi || f->indicator[ind - 1].value > f->indicator[hi - 1].value)
            hi = ind;
        if (!lo || f->indicator[ind - 1].value < f->indicator[lo - 1].value)
            lo = ind;
    }
    const struct ita_question *q[64];
    size_t n = o42_weak_questions(in, g, q, 64);
    if (hi && lo && hi != lo)
        doc_paragraphf(d,
                       "%s ได้มีการดำเนินการตามตัวชี้วัดที่ %d %s ที่ดีเยี่ยม ควรรักษามาตรฐานไว้ "
                       "ทั้งนี้ ควรพัฒนาและปรับปรุงการดำเนินการตามตัวชี้วัดที่ %d %s%s",
                       in->agency_name, hi, v->indicators[hi - 1].name_th, lo,
                       v->indicators[lo - 1].name_th,
                       n ? " ซึ่งผู้ตรวจประเมินมีข้อเสนอแนะในการปรับปรุง พัฒนาการดำเนินงานในตัวชี้วัด"
                           "ที่สามารถพัฒนาต่อได้ โดยเฉพาะใน"
                         : "");
    for (size_t i = 0; i < n; i++) {
        const char *s = o42_suggestion_for(in, q[i]);
        char code[24];
        upper_code(code, sizeof code, q[i]->code);
        char *t = o42_fill_agency(s[0] ? s : "(ยังไม่ได้กรอกข้อเสนอแนะ)", in->agency_name);
        doc_paragraphf(d, "%s %s", code, t);
        free(t);
    }
}

static void tool_analyses(struct doc *d, const struct o42_in *in)
{
    char head[400];
    snprintf(head, sizeof head,
             "ผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ%s แยกตามแบบวัดการรับรู้",
             in->agency_name);
    doc_heading(d, 1, head);
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
        tool_analysis(d, in, (enum ita_instrument)g);
}

static const char *const tool_col_th[ITA_N_INSTRUMENTS] = {
    "ผู้มีส่วนได้ส่วนเสียภายใน (IIT)",
    "ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)",
    "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)",
};

static void measures(struct doc *d, const struct o42_in *in)
{
    static const char *const head[5] = {"มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ",
                                        "ระยะเวลาการดำเนินการ", "การติดตามและรายงานผล"};
    static const double w[5] = {3, 5, 2, 2, 2.5};
    doc_heading(d, 3, "มาตรการในการส่งเสริมและพัฒนา");
    struct doc_table *t = doc_table(d, NULL, 5, head, w);
    for (size_t i = 0; i < in->n_measures; i++) {
        const struct results_measure *m = &in->measures[i];
        const char *cells[5] = {m->measure, m->method, m->responsible, m->period, m->follow_up};
        doc_table_row(t, cells);
    }
    if (in->n_measures == 0) {
        const char *cells[5] = {"(ยังไม่ได้กำหนดมาตรการ)", "", "", "", ""};
        doc_table_row(t, cells);
    }
}

static void indicator_analyses(struct doc *d, const struct o42_in *in)
{
    const struct o42_figures *f = &in->fig;
    const struct ita_version *v = in->v;
    char head[400], b[ITA_FMT_SIZE];
    snprintf(head, sizeof head,
             "ผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ%s แยกตามรายตัวชี้วัด",
             in->agency_name);
    doc_heading(d, 1, head);
    static const char *const h3[3] = {"ประเด็นตัวชี้วัด", "คะแนน (ร้อยละ)", "เครื่องมือการประเมิน"};
    static const double w3[3] = {5, 2, 4};
    struct doc_table *t = doc_table(d, "กรอบการประเมิน 10 ตัวชี้วัด เชื่อมโยงกับ 3 เครื่องมือ", 3, h3, w3);
    t->numeric[1] = true;
    int last_tool = -1;
    for (int k = 0; k < ITA_N_INDICATORS; k++) {
        char name[400];
        snprintf(name, sizeof name, "ตัวชี้วัดที่ %d %s", k + 1, v->indicators[k].name_th);
        int g = ita_indicator_instrument(k + 1);
        const char *cells[3] = {name, fig(f->indicator[k], b),
                                g != last_tool ? tool_col_th[g] : ""};
        last_tool = g;
        doc_table_row(t, cells);
    }
    static const char *const criterion[3] = {
        "พิจารณาจากตัวชี้วัดที่ได้คะแนนเฉลี่ยน้อยกว่าร้อยละ 90.00",
        "พิจารณาจากตัวชี้วัดที่ได้คะแนนเฉลี่ยตั้งแต่ร้อยละ 90.00 แต่ไม่ถึงร้อยละ 95.00",
        "พิจารณาจากตัวชี้วัดที่ได้คะแนนเฉลี่ยตั้งแต่ร้อยละ 95.00 ขึ้นไป",
    };
    for (int c = ITA_CLASS_URGENT; c <= ITA_CLASS_KEEP; c++) {
        int count = 0;
        for (int k = 0; k < ITA_N_INDICATORS; k++)
            count += f->indicator[k].defined && (int)ita_classify(f->indicator[k].value) == c;
        snprintf(head, sizeof head, "การวิเคราะห์%s", results_class_heading_th((enum ita_class)c));
        doc_heading(d, 2, head);
        doc_paragraphf(d, "%s มีจำนวน %d ตัวชี้วัด%s", criterion[c], count, count ? " ดังนี้" : "");
        for (int k = 0; k < ITA_N_INDICATORS; k++) {
            if (!f->indicator[k].defined || (int)ita_classify(f->indicator[k].value) != c)
                continue;
            snprintf(head, sizeof head, "ตัวชี้วัดที่ %d %s คะแนนเฉลี่ยร้อยละ %s", k + 1,
                     v->indicators[k].name_th, fig(f->indicator[k], b));
            doc_heading(d, 3, head);
            doc_paragraph(d, results_indicator_description_th[k]);
        }
        if (c == ITA_CLASS_URGENT)
            measures(d, in);
    }
}

static void coordinator_and_timetable(struct doc *d, const struct o42_in *in)
{
    const struct ita_report_defaults *r = defaults(in);
    const struct o42_texts *t = in->texts;
    doc_heading(d, 1, "มาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน");
    const char *c = t && t->has_coordinator ? t->coordinator : r->coordinator_th;
    if (c && *c) {
        char *f = o42_fill_agency(c, in->agency_name);
        doc_paragraph(d, f);
        free(f);
    }
    doc_heading(d, 2, "ขั้นตอน ระยะเวลา และวิธีปฏิบัติ");
    static const char *const head[3] = {"ขั้นตอน", "ระยะเวลา", "วิธีปฏิบัติ"};
    static const double w[3] = {2, 2.5, 7};
    struct doc_table *tab = doc_table(d, NULL, 3, head, w);
    bool own = t && t->has_timetable;
    size_t n = own ? t->n_timetable : r->n_timetable;
    for (size_t i = 0; i < n; i++) {
        const char *s = own ? t->timetable[i].step : r->timetable[i].step_th;
        const char *p = own ? t->timetable[i].period : r->timetable[i].period_th;
        const char *m = own ? t->timetable[i].method : r->timetable[i].method_th;
        char *fs = o42_fill_agency(s, in->agency_name), *fp = o42_fill_agency(p, in->agency_name),
             *fm = o42_fill_agency(m, in->agency_name);
        const char *cells[3] = {fs, fp, fm};
        doc_table_row(tab, cells);
        free(fs);
        free(fp);
        free(fm);
    }
    if (n == 0) {
        const char *cells[3] = {"(ยังไม่ได้กำหนด)", "", ""};
        doc_table_row(tab, cells);
    }
}

static void oit_table(struct doc *d, const struct o42_in *in)
{
    const struct ita_version *nv = in->next_v;
    char head[300];
    doc_heading(d, 1, "หน่วยงานที่รับผิดชอบเรื่อง แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)");
    if (!nv) {
        doc_paragraphf(d,
                       "ยังไม่มีแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ของปีงบประมาณ พ.ศ. %d ในระบบ "
                       "จึงยังแสดงตารางหน่วยงานรับผิดชอบไม่ได้",
                       in->year + 1);
        return;
    }
    doc_paragraphf(d,
                   "สำหรับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                   "ประจำปีงบประมาณ พ.ศ. %d การกำหนดหน่วยงานรับผิดชอบแต่ละข้อ เพื่อการกำกับติดตาม "
                   "รวบรวมข้อมูล และเผยแพร่ลงเว็บไซต์ของหน่วยงาน รายละเอียดดังต่อไปนี้",
                   nv->fiscal_year);
    bool any_suggested = false;
    static const char *const h4[4] = {"ข้อ", "ข้อมูล", "องค์ประกอบด้านข้อมูล", "หน่วยงานรับผิดชอบ"};
    static const double w4[4] = {1, 3, 7, 3};
    for (size_t s = 0; s < nv->n_oit_subs; s++) {
        snprintf(head, sizeof head, "ตัวชี้วัดย่อยที่ %s %s", nv->oit_subs[s].code,
                 nv->oit_subs[s].name_th);
        doc_heading(d, 2, head);
        struct doc_table *t = doc_table(d, NULL, 4, h4, w4);
        for (size_t i = 0; i < nv->n_oit_items; i++) {
            const struct ita_oit_item *it = &nv->oit_items[i];
            if (it->sub != s)
                continue;
            struct strbuf req, units;
            strbuf_init(&req);
            strbuf_init(&units);
            for (size_t r = 0; r < it->n_requirements; r++)
                strbuf_printf(&req, "%s• %s", r ? "\n" : "", it->requirements_th[r]);
            for (size_t a = 0; a < in->n_assignments; a++)
                if (strcmp(in->assignments[a].item_code, it->code) == 0)
                    strbuf_printf(&units, "%s%s", units.len ? "\n" : "", in->assignments[a].unit);
            if (units.len == 0 && it->n_units) {
                for (size_t u = 0; u < it->n_units; u++)
                    strbuf_printf(&units, "%s%s", u ? "\n" : "", it->units_th[u]);
                strbuf_puts(&units, " *");
                any_suggested = true;
            }
            const char *cells[4] = {it->code, it->title_th, req.len ? req.data : "",
                                    units.len ? units.data : "(ยังไม่ได้มอบหมาย)"};
            doc_table_row(t, cells);
            strbuf_free(&req);
            strbuf_free(&units);
        }
    }
    if (any_suggested)
        doc_paragraph(d, "* ยังไม่ได้มอบหมายในระบบ: แสดงหน่วยงานที่แบบตรวจแนะนำไว้");
}

struct doc *o42_build(const struct o42_in *in)
{
    char name[300];
    snprintf(name, sizeof name, "รายงานผลการวิเคราะห์การประเมิน ITA %d %s", in->year, in->agency_name);
    struct doc *d = doc_new(name);
    title_block(d, in);
    objectives(d, in);
    principles(d, in);
    rating_table(d, in);
    overall(d, in);
    history_chart(d, in);
    tool_analyses(d, in);
    indicator_analyses(d, in);
    coordinator_and_timetable(d, in);
    doc_page_break(d);
    oit_table(d, in);
    return d;
}
