/* The replacement rule (ita_version_can_replace): may a corrected instrument version replace one
 * whose instruments already have stored responses? Lists every conflicting change in English and
 * Thai. */
#include "instrument_priv.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Replacement rule. */

struct reasons {
    struct strbuf en; /* English lines (owned) */
    struct strbuf th; /* Thai lines (owned) */
    size_t n;         /* conflicts found (more than are listed when above MAX_REASONS) */
};

static void reason(struct reasons *r, const char *en, const char *th)
{
    r->n++;
    if (r->n > MAX_REASONS)
        return;
    strbuf_printf(&r->en, "  - %s\n", en);
    strbuf_printf(&r->th, "  - %s\n", th);
}

/* Add a conflict from two formats; each format is a literal at the call site. */
#define REASON(r, en_fmt, th_fmt, ...)                                                             \
    do {                                                                                           \
        char *en_ = xasprintf(en_fmt, __VA_ARGS__);                                                \
        char *th_ = xasprintf(th_fmt, __VA_ARGS__);                                                \
        reason((r), en_, th_);                                                                     \
        free(en_);                                                                                 \
        free(th_);                                                                                 \
    } while (0)

static const char *polarity_en(enum ita_polarity p)
{
    return p == ITA_NEGATIVE ? "negative (reverse-scored)" : "positive";
}

static const char *polarity_th(enum ita_polarity p)
{
    return p == ITA_NEGATIVE ? "กลับด้าน (ลบ)" : "ปกติ (บวก)";
}

static const struct ita_question *find_in_survey(const struct ita_survey *s, const char *code)
{
    for (size_t i = 0; i < s->n_questions; i++)
        if (strcmp(s->questions[i].code, code) == 0)
            return &s->questions[i];
    return NULL;
}

static const struct ita_field *find_in_survey_field(const struct ita_version *v,
                                                    const struct ita_survey *s, const char *code)
{
    const struct ita_field *f = ita_version_find_field(v, code);
    if (f && v->question_list[f->question]->instrument == s->kind)
        return f;
    return NULL;
}

static void compare_field(struct reasons *r, const struct ita_version *ov,
                          const struct ita_field *of, const struct ita_version *nv,
                          const struct ita_field *nf)
{
    const char *oq = ov->question_list[of->question]->code;
    const char *nq = nv->question_list[nf->question]->code;
    if (strcmp(oq, nq) != 0)
        REASON(r, "field %s moves from question %s to question %s",
               "ข้อย่อย %s ย้ายจากคำถาม %s ไปคำถาม %s", of->code, oq, nq);
    const struct ita_scale *os = &ov->scales[of->scale];
    const struct ita_scale *ns = &nv->scales[nf->scale];
    if (os->levels != ns->levels) {
        REASON(r, "field %s has %d answer levels; the new version has %d",
               "ข้อย่อย %s มีระดับคำตอบ %d ระดับ แต่ฉบับใหม่มี %d ระดับ", of->code, os->levels, ns->levels);
        return;
    }
    if (of->polarity != nf->polarity) {
        char *en = xasprintf("field %s changes polarity from %s to %s", of->code,
                             polarity_en(of->polarity), polarity_en(nf->polarity));
        char *th = xasprintf("ข้อย่อย %s เปลี่ยนทิศทางการให้คะแนนจาก%sเป็น%s", of->code,
                             polarity_th(of->polarity), polarity_th(nf->polarity));
        reason(r, en, th);
        free(en);
        free(th);
    }
    const struct ita_point_map *opm = &ov->point_maps[os->point_map];
    const struct ita_point_map *npm = &nv->point_maps[ns->point_map];
    for (int l = 0; l < os->levels; l++) {
        if (!ita_rational_eq(opm->points[l], npm->points[l])) {
            char *a = ita_rational_text(opm->points[l]);
            char *b = ita_rational_text(npm->points[l]);
            REASON(r, "field %s changes the points of level %d from %s to %s",
                   "ข้อย่อย %s เปลี่ยนคะแนนของระดับ %d จาก %s เป็น %s", of->code, l, a, b);
            free(a);
            free(b);
            break;
        }
    }
}

static void compare_survey(struct reasons *r, const struct ita_version *ov,
                           const struct ita_version *nv, enum ita_instrument k)
{
    const struct ita_survey *os = &ov->surveys[k];
    const struct ita_survey *ns = &nv->surveys[k];
    for (size_t i = 0; i < os->n_questions; i++) {
        const struct ita_question *oq = &os->questions[i];
        const struct ita_question *nq = find_in_survey(ns, oq->code);
        if (!nq) {
            REASON(r, "question %s is missing from the new version", "ฉบับใหม่ไม่มีคำถาม %s", oq->code);
            continue;
        }
        if (oq->indicator != nq->indicator)
            REASON(r, "question %s moves from indicator %d to indicator %d",
                   "คำถาม %s ย้ายจากตัวชี้วัดที่ %d ไปตัวชี้วัดที่ %d", oq->code, oq->indicator, nq->indicator);
        for (size_t f = 0; f < oq->n_fields; f++) {
            const struct ita_field *of = &oq->fields[f];
            const struct ita_field *nf = find_in_survey_field(nv, ns, of->code);
            if (!nf)
                REASON(r, "field %s of question %s is missing from the new version",
                       "ฉบับใหม่ไม่มีข้อย่อย %s ของคำถาม %s", of->code, oq->code);
            else
                compare_field(r, ov, of, nv, nf);
        }
    }
    for (size_t i = 0; i < ns->n_questions; i++) {
        const struct ita_question *nq = &ns->questions[i];
        if (!find_in_survey(os, nq->code))
            REASON(r, "question %s is new", "ฉบับใหม่เพิ่มคำถาม %s", nq->code);
        for (size_t f = 0; f < nq->n_fields; f++)
            if (!find_in_survey_field(ov, os, nq->fields[f].code))
                REASON(r, "field %s of question %s is new", "ฉบับใหม่เพิ่มข้อย่อย %s ของคำถาม %s",
                       nq->fields[f].code, nq->code);
    }
}

static void compare_oit(struct reasons *r, const struct ita_version *ov,
                        const struct ita_version *nv)
{
    for (size_t i = 0; i < ov->n_oit_items; i++) {
        const struct ita_oit_item *oi = &ov->oit_items[i];
        const struct ita_oit_item *ni = ita_version_find_oit_item(nv, oi->code);
        if (!ni)
            REASON(r, "OIT item %s is missing from the new version", "ฉบับใหม่ไม่มีข้อ OIT %s",
                   oi->code);
        else if (ni->indicator != oi->indicator)
            REASON(r, "OIT item %s moves from indicator %d to indicator %d",
                   "ข้อ OIT %s ย้ายจากตัวชี้วัดที่ %d ไปตัวชี้วัดที่ %d", oi->code, oi->indicator, ni->indicator);
    }
    for (size_t i = 0; i < nv->n_oit_items; i++)
        if (!ita_version_find_oit_item(ov, nv->oit_items[i].code))
            REASON(r, "OIT item %s is new", "ฉบับใหม่เพิ่มข้อ OIT %s", nv->oit_items[i].code);
}

bool ita_version_can_replace(const struct ita_version *old_v, const struct ita_version *new_v,
                             const bool has_responses[ITA_N_INSTRUMENTS], char **why)
{
    *why = NULL;
    if (old_v->fiscal_year != new_v->fiscal_year) {
        *why = xasprintf("Refused: the new version is for fiscal year %d, not %d; load it as a "
                         "version of its own year.\n"
                         "ไม่อนุญาต: ฉบับใหม่เป็นของปีงบประมาณ %d ไม่ใช่ %d "
                         "ให้นำเข้าเป็นฉบับของปีนั้นแทน\n",
                         new_v->fiscal_year, old_v->fiscal_year, new_v->fiscal_year,
                         old_v->fiscal_year);
        return false;
    }
    struct reasons r = {.n = 0};
    struct strbuf head_en, head_th; /* instruments with conflicts (owned) */
    strbuf_init(&r.en);
    strbuf_init(&r.th);
    strbuf_init(&head_en);
    strbuf_init(&head_th);
    for (int k = 0; k < ITA_N_INSTRUMENTS; k++) {
        if (!has_responses[k])
            continue;
        size_t before = r.n;
        if (k == ITA_OIT)
            compare_oit(&r, old_v, new_v);
        else
            compare_survey(&r, old_v, new_v, (enum ita_instrument)k);
        if (r.n > before) {
            strbuf_printf(&head_en, "%s%s", head_en.len ? ", " : "",
                          ita_instrument_code((enum ita_instrument)k));
            strbuf_printf(&head_th, "%s%s", head_th.len ? ", " : "",
                          ita_instrument_code((enum ita_instrument)k));
        }
    }
    if (r.n == 0) {
        strbuf_free(&r.en);
        strbuf_free(&r.th);
        strbuf_free(&head_en);
        strbuf_free(&head_th);
        return true;
    }
    struct strbuf msg;
    strbuf_init(&msg);
    strbuf_printf(&msg,
                  "Refused: fiscal year %d %s already has stored responses, and the new version "
                  "would change what they mean:\n%s",
                  old_v->fiscal_year, head_en.data, r.en.data);
    if (r.n > MAX_REASONS)
        strbuf_printf(&msg, "  ... and %zu more\n", r.n - MAX_REASONS);
    strbuf_printf(&msg,
                  "Only texts, notes, labels, verification flags and display order may change "
                  "once responses exist; load the changed instrument as a new fiscal year's "
                  "version instead.\n");
    strbuf_printf(&msg,
                  "ไม่อนุญาต: แบบวัด %s ปีงบประมาณ %d มีคำตอบบันทึกไว้แล้ว "
                  "และฉบับใหม่จะเปลี่ยนความหมายของคำตอบเหล่านั้น:\n%s",
                  head_th.data, old_v->fiscal_year, r.th.data);
    if (r.n > MAX_REASONS)
        strbuf_printf(&msg, "  ... และอีก %zu รายการ\n", r.n - MAX_REASONS);
    strbuf_printf(&msg, "เมื่อมีคำตอบแล้ว แก้ไขได้เฉพาะข้อความ หมายเหตุ ป้ายคำตอบ สถานะการยืนยัน "
                        "และลำดับการแสดงผลเท่านั้น\n");
    strbuf_free(&r.en);
    strbuf_free(&r.th);
    strbuf_free(&head_en);
    strbuf_free(&head_th);
    *why = strbuf_detach(&msg);
    return false;
}
