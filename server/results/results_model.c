/* Per-agency results from tallies and OIT marks through the scoring engine, and the aggregate and
 * per-question writers (CSV for spreadsheets, JSON for programs). Every figure comes from
 * ita_score()/ita_summary; this file only formats them. */
#include "results_model.h"
#include "csv_write.h"
#include "digest.h"
#include "tally.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

int results_parse_oit(struct results_agency *a, const char *json, char **err)
{
    if (!json || !*json)
        return 0;
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    if (!root || !json_is_array(root)) {
        *err = xasprintf("OIT detail is not a JSON array: %s", root ? "" : je.text);
        json_decref(root);
        return -1;
    }
    size_t n = json_array_size(root);
    a->oit = xcalloc(n ? n : 1, sizeof *a->oit);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(root, i);
        struct results_oit_entry *e = &a->oit[a->n_oit++];
        e->code = dup_or_empty(json_string_value(json_object_get(o, "code")));
        e->met = json_is_true(json_object_get(o, "met"));
        e->url = dup_or_empty(json_string_value(json_object_get(o, "url")));
        e->note = dup_or_empty(json_string_value(json_object_get(o, "note")));
        e->at = dup_or_empty(json_string_value(json_object_get(o, "at")));
        e->by = dup_or_empty(json_string_value(json_object_get(o, "by")));
    }
    json_decref(root);
    return 0;
}

int results_compute(const struct ita_version *v, struct results_agency *a, int k_min, char **err)
{
    struct ita_field_counts *fields = xcalloc(v->n_fields ? v->n_fields : 1, sizeof *fields);
    enum ita_oit_mark *oit = xcalloc(v->n_oit_items ? v->n_oit_items : 1, sizeof *oit);
    int rc = -1;
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        a->shown[k] = a->sealed[k] && a->responses[k] >= (uint64_t)k_min;
        /* a population not entered yet: the rule's minimum applies (shown as such) */
        a->min_sample[k] = ita_min_sample(&v->sample_rules[k], a->population[k]);
        a->sample_reached[k] = a->responses[k] >= (uint64_t)a->min_sample[k];
        /* not sealed or fewer than k_min responses: as if nobody had answered */
        if (a->tally[k] && a->shown[k] &&
            ita_tally_apply(v, (enum ita_instrument)k, a->tally[k], fields, err) != 0)
            goto out;
    }
    a->oit_assessed = 0;
    for (size_t i = 0; i < a->n_oit; i++) {
        const struct ita_oit_item *it = ita_version_find_oit_item(v, a->oit[i].code);
        if (!it) {
            *err =
                xasprintf("OIT item %s is not in fiscal year %d", a->oit[i].code, v->fiscal_year);
            goto out;
        }
        oit[it->index] = a->oit[i].met ? ITA_OIT_MET : ITA_OIT_NOT_MET;
        a->oit_assessed++;
    }
    struct ita_score_input in = {
        .fields = fields,
        .n_fields = v->n_fields,
        .oit = v->n_oit_items ? oit : NULL,
        .n_oit = v->n_oit_items,
    };
    a->oit_items = v->n_oit_items;
    a->res = ita_score(v, &in, err);
    rc = a->res ? 0 : -1;
    a->rated =
        a->res && a->res->summary.state == ITA_TOTAL_COMPLETE && a->oit_assessed >= v->n_oit_items;
    for (int k = 0; k < ITA_N_SURVEYS; k++)
        a->rated = a->rated && a->shown[k] && a->sample_reached[k];
out:
    free(fields);
    free(oit);
    return rc;
}

void results_agency_clear(struct results_agency *a)
{
    free(a->code);
    free(a->name_th);
    free(a->last_day);
    for (int k = 0; k < ITA_N_SURVEYS; k++)
        free(a->tally[k]);
    for (size_t i = 0; i < a->n_oit; i++) {
        free(a->oit[i].code);
        free(a->oit[i].url);
        free(a->oit[i].note);
        free(a->oit[i].at);
        free(a->oit[i].by);
    }
    free(a->oit);
    for (int i = 0; i < 4; i++)
        free(a->digest_sum[i]);
    ita_result_free(a->res);
    memset(a, 0, sizeof *a);
}

const char *results_code_number(const char *code)
{
    const char *p = code;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
        p++;
    return *p >= '0' && *p <= '9' ? p : code;
}

/* Who the population of instrument k is, for "ยังไม่ได้กรอกจำนวน...". */
static const char *const population_th[ITA_N_SURVEYS] = {"บุคลากร", "ผู้มีส่วนได้ส่วนเสียภายนอก"};

void results_min_sample_note_th(struct strbuf *out, const struct ita_version *v,
                                const struct results_agency *a, int k)
{
    if (a->population[k] >= 0)
        return;
    const struct ita_sample_rule *r = &v->sample_rules[k];
    strbuf_printf(out, " (ตามเกณฑ์ขั้นต่ำ เพราะยังไม่ได้กรอกจำนวน%s", population_th[k]);
    if (r->percent_bp > 0) {
        strbuf_printf(out, " เมื่อกรอกแล้วต้องได้ร้อยละ %d", r->percent_bp / 100);
        if (r->percent_bp % 100)
            strbuf_printf(out, ".%02d", r->percent_bp % 100);
        strbuf_printf(out, " ของจำนวนนั้น แต่ไม่น้อยกว่า %d", r->minimum);
        if (r->large_above > 0)
            strbuf_printf(out, " และ %d เมื่อเกิน %d", r->large_sample, r->large_above);
    }
    strbuf_puts(out, ")");
}

void results_unmet(struct strbuf *out, const struct ita_version *v, const struct results_agency *a,
                   int k_min, bool thai)
{
    if (a->rated)
        return;
    int n = 0;
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        const char *code = ita_instrument_code((enum ita_instrument)k);
        unsigned long long got = (unsigned long long)a->responses[k];
        if (a->sample_reached[k] && a->shown[k])
            continue;
        strbuf_puts(out, n++ ? "; " : "");
        if (!thai) {
            strbuf_printf(out, "%s %llu/%ld%s", code, got, a->min_sample[k],
                          !a->sealed[k]          ? " open"
                          : a->sample_reached[k] ? " hidden"
                                                 : "");
            continue;
        }
        if (!a->sealed[k])
            strbuf_printf(out, "%s ยังเปิดรับคำตอบ: ", code);
        else if (a->sample_reached[k])
            strbuf_printf(out, "%s มีผู้ตอบน้อยกว่า %d คน จึงยังไม่แสดงคะแนน: ", code, k_min);
        else
            strbuf_printf(out, "%s ", code);
        strbuf_printf(out, "%llu จาก %ld คำตอบขั้นต่ำ", got, a->min_sample[k]);
        results_min_sample_note_th(out, v, a, k);
    }
    if (a->oit_assessed < v->n_oit_items) {
        strbuf_puts(out, n++ ? "; " : "");
        if (thai)
            strbuf_printf(out, "OIT ตรวจแล้ว %zu จาก %zu ข้อ", a->oit_assessed, v->n_oit_items);
        else
            strbuf_printf(out, "OIT %zu/%zu", a->oit_assessed, v->n_oit_items);
    }
    if (n == 0) /* every count met, yet some score is missing */
        strbuf_puts(out, thai ? "คะแนนบางตัวชี้วัดยังไม่มี" : "scores incomplete");
}

const char *results_total_state(const struct ita_summary *s)
{
    return s->state == ITA_TOTAL_COMPLETE  ? "complete"
           : s->state == ITA_TOTAL_PARTIAL ? "partial"
                                           : "none";
}

/* ---- CSV ---- */

void results_csv_cell(struct strbuf *out, const char *text)
{
    /* one field of a row already started: core/csv_write.h quotes it and guards formulas */
    ita_csv_write_field(out, true, text, strlen(text));
}

static void csv_value(struct strbuf *out, struct ita_value v)
{
    char b[ITA_FMT_SIZE];
    strbuf_puts(out, ",");
    if (v.defined)
        strbuf_puts(out, ita_format_2dp(v.value, b));
}

static const char *const agg_columns =
    "fiscal_year,agency_code,agency_name,iit_responses,iit_min_sample,iit_sample_reached,"
    "eit_responses,eit_min_sample,eit_sample_reached,oit_items_assessed,"
    "indicator_1,indicator_2,indicator_3,indicator_4,indicator_5,indicator_6,indicator_7,"
    "indicator_8,indicator_9,indicator_10,iit,iit_weighted,eit,eit_weighted,oit,oit_weighted,"
    "total,total_of,total_state,rating,pass,blocked_by,preliminary,minimums_not_met";

/* The same columns for people, in Thai. */
static const char *const agg_columns_th =
    "ปีงบประมาณ,รหัสหน่วยงาน,ชื่อหน่วยงาน,IIT จำนวนผู้ตอบ,IIT กลุ่มตัวอย่างขั้นต่ำ,IIT ถึงขั้นต่ำ,"
    "EIT จำนวนผู้ตอบ,EIT กลุ่มตัวอย่างขั้นต่ำ,EIT ถึงขั้นต่ำ,OIT ตรวจแล้ว (ข้อ),"
    "ตัวชี้วัดที่ 1,ตัวชี้วัดที่ 2,ตัวชี้วัดที่ 3,ตัวชี้วัดที่ 4,ตัวชี้วัดที่ 5,ตัวชี้วัดที่ 6,ตัวชี้วัดที่ 7,"
    "ตัวชี้วัดที่ 8,ตัวชี้วัดที่ 9,ตัวชี้วัดที่ 10,IIT คะแนนเฉลี่ย,IIT ถ่วงน้ำหนัก,EIT คะแนนเฉลี่ย,"
    "EIT ถ่วงน้ำหนัก,OIT คะแนนเฉลี่ย,OIT ถ่วงน้ำหนัก,คะแนนรวม,คะแนนรวมจากเต็ม,สถานะคะแนนรวม,"
    "ระดับผลการประเมิน,ผ่านเกณฑ์,เครื่องมือที่ต่ำกว่าขั้นต่ำรายเครื่องมือ,ผลเบื้องต้น,"
    "เกณฑ์ขั้นต่ำที่ยังไม่ครบ";

static const char *yes_no(bool b, bool thai, const char *yes_th, const char *no_th)
{
    return thai ? (b ? yes_th : no_th) : (b ? "yes" : "no");
}

static void csv_sample(struct strbuf *out, const struct results_agency *a, int k, bool thai)
{
    strbuf_printf(out, ",%llu,%ld,%s", (unsigned long long)a->responses[k], a->min_sample[k],
                  yes_no(a->sample_reached[k], thai, "ถึง", "ไม่ถึง"));
}

static const char *total_state_th(const struct ita_summary *s)
{
    return s->state == ITA_TOTAL_COMPLETE  ? "ครบ"
           : s->state == ITA_TOTAL_PARTIAL ? "บางส่วน"
                                           : "ไม่มี";
}

void results_write_aggregates_csv(struct strbuf *out, const struct ita_version *v,
                                  const struct results_agency *a, size_t n, int k_min, bool thai)
{
    ita_csv_write_bom(out);
    strbuf_puts(out, thai ? agg_columns_th : agg_columns);
    strbuf_puts(out, "\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct ita_summary *s = &a[i].res->summary;
        strbuf_printf(out, "%d,", v->fiscal_year);
        results_csv_cell(out, a[i].code);
        strbuf_puts(out, ",");
        results_csv_cell(out, a[i].name_th);
        csv_sample(out, &a[i], ITA_IIT, thai);
        csv_sample(out, &a[i], ITA_EIT, thai);
        strbuf_printf(out, ",%zu", a[i].oit_assessed);
        for (int k = 0; k < ITA_N_INDICATORS; k++)
            csv_value(out, s->indicator[k]);
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
            csv_value(out, s->group[g]);
            csv_value(out, s->weighted[g]);
        }
        struct ita_value total = {s->total, s->state != ITA_TOTAL_NONE};
        csv_value(out, total);
        strbuf_printf(out, ",%d,%s,", s->total_max,
                      thai ? total_state_th(s) : results_total_state(s));
        /* a rating only once every minimum is met */
        if (a[i].rated) {
            results_csv_cell(out, ita_rating_name(&v->rules, s->rating));
            strbuf_printf(out, ",%s,", yes_no(s->pass, thai, "ผ่าน", "ไม่ผ่าน"));
            for (int g = 0, nb = 0; s->blocked >= 0 && g < ITA_N_INSTRUMENTS; g++)
                if (ita_tool_short(&v->rules, s->blocked, s, (enum ita_instrument)g, NULL) > 0)
                    strbuf_printf(out, "%s%s", nb++ ? ";" : "",
                                  ita_instrument_code((enum ita_instrument)g));
        } else {
            strbuf_puts(out, ",,");
        }
        strbuf_printf(out, ",%s,", yes_no(!a[i].rated, thai, "ใช่", "ไม่ใช่"));
        struct strbuf unmet;
        strbuf_init(&unmet);
        results_unmet(&unmet, v, &a[i], k_min, thai);
        results_csv_cell(out, unmet.len ? unmet.data : "");
        strbuf_free(&unmet);
        strbuf_puts(out, "\r\n");
    }
}

/* ---- JSON ---- */

static void json_str(struct strbuf *out, const char *s)
{
    strbuf_puts(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            strbuf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            strbuf_printf(out, "\\u%04x", *p);
        else
            strbuf_append(out, p, 1);
    }
    strbuf_puts(out, "\"");
}

static void json_value(struct strbuf *out, struct ita_value v)
{
    char b[ITA_FMT_SIZE];
    if (!v.defined)
        strbuf_puts(out, "null");
    else
        strbuf_printf(out, "{\"value\": %.17g, \"display\": \"%s\"}", v.value,
                      ita_format_2dp(v.value, b));
}

static void json_sample(struct strbuf *out, const struct results_agency *a, int k)
{
    strbuf_printf(out, "{\"responses\": %llu, \"sealed\": %s, \"shown\": %s, ",
                  (unsigned long long)a->responses[k], a->sealed[k] ? "true" : "false",
                  a->shown[k] ? "true" : "false");
    if (a->population[k] >= 0)
        strbuf_printf(out, "\"population\": %ld, ", a->population[k]);
    else
        strbuf_puts(out, "\"population\": null, ");
    /* without a population the rule's minimum applies (min_sample_from_population false) */
    strbuf_printf(out,
                  "\"min_sample\": %ld, \"min_sample_from_population\": %s, "
                  "\"sample_reached\": %s}",
                  a->min_sample[k], a->population[k] >= 0 ? "true" : "false",
                  a->sample_reached[k] ? "true" : "false");
}

void results_write_aggregates_json(struct strbuf *out, const struct ita_version *v,
                                   const struct results_agency *a, size_t n, int k_min)
{
    strbuf_printf(out,
                  "{\"format\": \"ita-aggregates/1\", \"fiscal_year\": %d, \"k_min\": %d,"
                  " \"agencies\": [",
                  v->fiscal_year, k_min);
    for (size_t i = 0; i < n; i++) {
        const struct ita_summary *s = &a[i].res->summary;
        strbuf_puts(out, i ? ",\n  {" : "\n  {");
        strbuf_puts(out, "\"code\": ");
        json_str(out, a[i].code);
        strbuf_puts(out, ", \"name_th\": ");
        json_str(out, a[i].name_th);
        strbuf_puts(out, ", \"IIT\": ");
        json_sample(out, &a[i], ITA_IIT);
        strbuf_puts(out, ", \"EIT\": ");
        json_sample(out, &a[i], ITA_EIT);
        strbuf_printf(out, ", \"OIT\": {\"items\": %zu, \"assessed\": %zu}", v->n_oit_items,
                      a[i].oit_assessed);
        strbuf_puts(out, ", \"indicators\": [");
        for (int k = 0; k < ITA_N_INDICATORS; k++) {
            if (k)
                strbuf_puts(out, ", ");
            json_value(out, s->indicator[k]);
        }
        strbuf_puts(out, "], \"groups\": {");
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
            strbuf_printf(out, "%s\"%s\": {\"weight\": %d, \"mean\": ", g ? ", " : "",
                          ita_instrument_code((enum ita_instrument)g), s->rules->weight[g]);
            json_value(out, s->group[g]);
            strbuf_puts(out, ", \"weighted\": ");
            json_value(out, s->weighted[g]);
            strbuf_puts(out, "}");
        }
        strbuf_puts(out, "}, \"total\": ");
        struct ita_value total = {s->total, s->state != ITA_TOTAL_NONE};
        json_value(out, total);
        strbuf_printf(out, ", \"total_of\": %d, \"total_state\": \"%s\", \"preliminary\": %s",
                      s->total_max, results_total_state(s), a[i].rated ? "false" : "true");
        strbuf_puts(out, ", \"minimums_not_met\": ");
        if (a[i].rated) {
            strbuf_puts(out, "null");
        } else {
            struct strbuf unmet;
            strbuf_init(&unmet);
            results_unmet(&unmet, v, &a[i], k_min, false);
            json_str(out, unmet.data);
            strbuf_free(&unmet);
        }
        strbuf_puts(out, ", \"rating\": ");
        /* a rating only once every minimum is met */
        if (a[i].rated) {
            json_str(out, ita_rating_name(s->rules, s->rating));
            strbuf_printf(out, ", \"pass\": %s, \"blocked\": ", s->pass ? "true" : "false");
            if (s->blocked >= 0) {
                strbuf_puts(out, "{\"level\": ");
                json_str(out, ita_rating_name(s->rules, s->blocked));
                strbuf_puts(out, ", \"tools\": [");
                for (int g = 0, nb = 0; g < ITA_N_INSTRUMENTS; g++)
                    if (ita_tool_short(s->rules, s->blocked, s, (enum ita_instrument)g, NULL) > 0)
                        strbuf_printf(out, "%s\"%s\"", nb++ ? ", " : "",
                                      ita_instrument_code((enum ita_instrument)g));
                strbuf_puts(out, "]}}");
            } else {
                strbuf_puts(out, "null}");
            }
        } else {
            strbuf_puts(out, "null, \"pass\": null, \"blocked\": null}");
        }
    }
    strbuf_puts(out, "\n]}\n");
}

/* ---- per question ---- */

void results_write_questions_csv(struct strbuf *out, const struct ita_version *v,
                                 const struct results_agency *a, bool thai)
{
    char b[ITA_FMT_SIZE];
    ita_csv_write_bom(out);
    strbuf_puts(out, thai ? "ปีงบประมาณ,รหัสหน่วยงาน,แบบวัด,ตัวชี้วัดที่,ข้อ,จำนวนผู้ตอบ,คะแนน,คำถาม\r\n"
                          : "fiscal_year,agency_code,instrument,indicator,question,respondents,"
                            "score,text_th\r\n");
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        if (!a->shown[q->instrument])
            continue;
        struct ita_value s = a->res->question[i];
        uint64_t resp = a->res->field_answers[q->fields[0].index];
        strbuf_printf(out, "%d,", v->fiscal_year);
        results_csv_cell(out, a->code);
        strbuf_printf(out, ",%s,%d,%s%s,%llu,%s,", ita_instrument_code(q->instrument), q->indicator,
                      thai ? "ข้อ " : "", thai ? results_code_number(q->code) : q->code,
                      (unsigned long long)resp, s.defined ? ita_format_2dp(s.value, b) : "");
        results_csv_cell(out, q->text_th);
        strbuf_puts(out, "\r\n");
    }
}

void results_write_questions_json(struct strbuf *out, const struct ita_version *v,
                                  const struct results_agency *a)
{
    strbuf_printf(out, "{\"format\": \"ita-questions/1\", \"fiscal_year\": %d, \"agency_code\": ",
                  v->fiscal_year);
    json_str(out, a->code);
    strbuf_puts(out, ", \"questions\": [");
    bool first = true;
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        if (!a->shown[q->instrument])
            continue;
        strbuf_printf(out, "%s\n  {\"instrument\": \"%s\", \"indicator\": %d, \"code\": ",
                      first ? "" : ",", ita_instrument_code(q->instrument), q->indicator);
        first = false;
        json_str(out, q->code);
        strbuf_printf(out, ", \"respondents\": %llu, \"score\": ",
                      (unsigned long long)a->res->field_answers[q->fields[0].index]);
        json_value(out, a->res->question[i]);
        strbuf_puts(out, ", \"fields\": [");
        for (size_t f = 0; f < q->n_fields; f++) {
            strbuf_puts(out, f ? ", {\"code\": " : "{\"code\": ");
            json_str(out, q->fields[f].code);
            strbuf_puts(out, ", \"score\": ");
            json_value(out, a->res->field[q->fields[f].index]);
            strbuf_puts(out, "}");
        }
        strbuf_puts(out, "]}");
    }
    strbuf_puts(out, "\n]}\n");
}

/* ---- response-set digest ---- */

typedef unsigned __int128 u128;

static int parse_u128(const char *s, u128 *out)
{
    u128 x = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        x = x * 10 + (u128)(*s - '0');
    }
    *out = x;
    return 0;
}

static void print_u128(char *buf, size_t len, u128 x)
{
    char tmp[48];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(x % 10));
        x /= 10;
    } while (x && n < sizeof tmp);
    size_t i = 0;
    for (; i < n && i + 1 < len; i++)
        buf[i] = tmp[n - 1 - i];
    buf[i] = '\0';
}

int results_response_digest(const struct results_agency *a, size_t n, uint64_t *rows, char out[65])
{
    u128 sum[4] = {0, 0, 0, 0};
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        total += a[i].digest_rows;
        for (int k = 0; k < 4 && a[i].digest_rows; k++) {
            u128 x;
            if (!a[i].digest_sum[k] || parse_u128(a[i].digest_sum[k], &x) != 0)
                return -1;
            sum[k] += x;
        }
    }
    char text[256], s[4][48];
    for (int k = 0; k < 4; k++)
        print_u128(s[k], sizeof s[k], sum[k]);
    snprintf(text, sizeof text, "%llu:%s:%s:%s:%s", (unsigned long long)total, s[0], s[1], s[2],
             s[3]);
    sha256_hex(text, strlen(text), out);
    *rows = total;
    return 0;
}
