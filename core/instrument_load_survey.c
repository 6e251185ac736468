/* Instrument version loader, second half: answer fields, questions, the IIT and EIT
 * questionnaires, the indicator list, the OIT items, the sample rule and the final cross-checks,
 * built on the checked readers of instrument_load.c. */
#include "instrument_load.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The arrays of a question, of an instrument and of "oit". */
static const struct ita_ld_array FIELDS = {"fields",
                                           ": ระบุข้อย่อย (คำถามที่ไม่มีข้อย่อยให้ใส่หนึ่งรายการ)",
                                           "อาร์เรย์ [...]",
                                           "ข้อ",
                                           "คำถามหนึ่งข้อมีข้อย่อยได้",
                                           1,
                                           MAX_FIELDS,
                                           "ข้อ"};
static const struct ita_ld_array QUESTIONS = {"questions",          "", "อาร์เรย์ [...]", "ข้อ",
                                              "แบบวัดหนึ่งชุดมีคำถามได้", 1,  MAX_QUESTIONS,  "ข้อ"};
static const struct ita_ld_array OIT_SUBS = {"sub_indicators", "", "อาร์เรย์ [...]", "รายการ",
                                             "ต้องมี",           1,  MAX_OIT_ITEMS,  "รายการ"};
static const struct ita_ld_array OIT_ITEMS = {"items", "", "อาร์เรย์ [...]", "ข้อ",
                                              "ต้องมี",  1,  MAX_OIT_ITEMS,  "ข้อ"};

ITA_WUR static int get_polarity(struct loader *ld, json_t *j, const char *path,
                                enum ita_polarity *out)
{
    const char *s = json_is_string(j) ? json_string_value(j) : NULL;
    if (s && strcmp(s, "positive") == 0) {
        *out = ITA_POSITIVE;
        return 0;
    }
    if (s && strcmp(s, "negative") == 0) {
        *out = ITA_NEGATIVE;
        return 0;
    }
    if (s)
        return ita_ld_fail(ld, path,
                           "\"polarity\" เป็น '%s' ให้เขียน \"positive\" (ระดับสูงสุดดีที่สุด) "
                           "หรือ \"negative\" (ให้คะแนนกลับด้าน: ระดับ 0 ดีที่สุด)",
                           s);
    return ita_ld_fail(ld, path, "\"polarity\" ต้องเป็นข้อความ \"positive\" หรือ \"negative\" แต่พบ%s",
                       ita_ld_json_kind(j));
}

/* What a question passes on to its fields: its scale and polarity, when it sets them. A value
 * that is set but wrong (`*_bad`) was reported with the question; its fields say nothing more. */
struct inherit {
    bool has_scale, scale_bad;
    size_t scale;
    bool has_polarity, polarity_bad;
    enum ita_polarity polarity;
};

/* "<path> (<code>)" when the code was read, else "<path>"; the caller frees it. */
static char *coded_path(const char *path, const char *code)
{
    return code ? xasprintf("%s (%s)", path, code) : xstrdup(path);
}

ITA_WUR static int parse_field(struct loader *ld, const char *path, json_t *j, bool many,
                               const struct inherit *q, size_t n_named, struct ita_field *f)
{
    static const char *const keys[] = {"code", "label_th", "label_en", "scale", "polarity", NULL};
    if (ita_ld_need_object(ld, j, path) < 0)
        return -1;
    int rc = ita_ld_get_code(ld, j, path, "code", &f->code);
    char *p = coded_path(path, f->code);
    rc |= ita_ld_check_keys(ld, j, p, keys);
    rc |= ita_ld_get_text(ld, j, p, "label_th", false, &f->label_th);
    rc |= ita_ld_get_text(ld, j, p, "label_en", false, &f->label_en);
    if (many && !json_object_get(j, "label_th"))
        rc = ita_ld_fail(ld, p, "ขาด \"label_th\": คำถามที่มีหลายข้อย่อยต้องมีข้อความของข้อย่อยทุกข้อ");
    json_t *sj = json_object_get(j, "scale");
    if (sj)
        rc |= ita_ld_resolve_scale(ld, p, sj, f->code, n_named, &f->scale);
    else if (q->has_scale)
        f->scale = q->scale;
    else if (q->scale_bad)
        rc = -1; /* reported with the question */
    else
        rc = ita_ld_fail(ld, p, "ไม่ได้กำหนดมาตรวัด: ใส่ \"scale\" ที่ข้อย่อยหรือที่คำถาม");
    json_t *pj = json_object_get(j, "polarity");
    if (pj)
        rc |= get_polarity(ld, pj, p, &f->polarity);
    else if (q->has_polarity)
        f->polarity = q->polarity;
    else if (q->polarity_bad)
        rc = -1; /* reported with the question */
    else
        rc = ita_ld_fail(ld, p,
                         "ไม่ได้กำหนดทิศทางการให้คะแนน: ใส่ \"polarity\" (\"positive\" หรือ "
                         "\"negative\") ที่ข้อย่อยหรือที่คำถาม");
    free(p);
    return rc;
}

/* A question of instrument `kind`. q->indicator stays 0 unless it is one of kind's indicators,
 * so that ita_ld_finish() knows not to judge which indicators have questions. */
ITA_WUR static int parse_question(struct loader *ld, const char *path, json_t *j,
                                  enum ita_instrument kind, size_t n_named, struct ita_question *q)
{
    static const char *const keys[] = {"code",    "indicator",     "text_th",  "text_en",
                                       "note_th", "note_verified", "verified", "source",
                                       "scale",   "polarity",      "fields",   "suggestion_th",
                                       NULL};
    q->instrument = kind;
    if (ita_ld_need_object(ld, j, path) < 0)
        return -1;
    int rc = ita_ld_get_code(ld, j, path, "code", &q->code);
    char *p = coded_path(path, q->code);
    rc |= ita_ld_check_keys(ld, j, p, keys);
    int indicator = 0;
    if (ita_ld_get_int(ld, j, p, "indicator", 1, ITA_N_INDICATORS, &indicator) < 0)
        rc = -1;
    else if (ita_indicator_instrument(indicator) != (int)kind)
        rc = ita_ld_fail(
            ld, p, "ตัวชี้วัดที่ %d เป็นของ %s แต่คำถามของ %s ใช้ตัวชี้วัดที่ %s", indicator,
            ita_instrument_code((enum ita_instrument)ita_indicator_instrument(indicator)),
            ita_instrument_code(kind), ita_indicator_range(kind));
    else
        q->indicator = indicator;
    rc |= ita_ld_get_text(ld, j, p, "text_th", true, &q->text_th);
    rc |= ita_ld_get_text(ld, j, p, "text_en", false, &q->text_en);
    rc |= ita_ld_get_text(ld, j, p, "note_th", false, &q->note_th);
    rc |= ita_ld_get_bool(ld, j, p, "verified", &q->verified);
    rc |= ita_ld_get_text(ld, j, p, "source", false, &q->source);
    rc |= ita_ld_question_texts(ld, j, p, q);
    if (json_object_get(j, "note_th"))
        rc |= ita_ld_get_bool(ld, j, p, "note_verified", &q->note_verified);
    else if (json_object_get(j, "note_verified"))
        rc = ita_ld_fail(ld, p, "มี \"note_verified\" แต่ไม่มี \"note_th\"");
    struct inherit in = {0};
    json_t *sj = json_object_get(j, "scale");
    if (sj) {
        in.has_scale = ita_ld_resolve_scale(ld, p, sj, q->code, n_named, &in.scale) == 0;
        in.scale_bad = !in.has_scale;
    }
    json_t *pj = json_object_get(j, "polarity");
    if (pj) {
        in.has_polarity = get_polarity(ld, pj, p, &in.polarity) == 0;
        in.polarity_bad = !in.has_polarity;
    }
    if (in.scale_bad || in.polarity_bad)
        rc = -1;
    json_t *fields;
    size_t n;
    if (ita_ld_get_array(ld, j, p, &FIELDS, &fields, &n) == 0) {
        q->fields = xcalloc(n, sizeof *q->fields);
        q->n_fields = n;
        for (size_t i = 0; i < n; i++) {
            char *fp = xasprintf("%s.fields[%zu]", path, i);
            rc |=
                parse_field(ld, fp, json_array_get(fields, i), n > 1, &in, n_named, &q->fields[i]);
            free(fp);
        }
    } else {
        rc = -1;
    }
    free(p);
    return rc;
}

ITA_WUR int ita_ld_indicators(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"number", "name_th", "name_en", NULL};
    json_t *arr;
    if (ita_ld_get_part(ld, root, "indicators", JSON_ARRAY, &arr) < 0)
        return -1;
    int rc = 0;
    if (json_array_size(arr) != ITA_N_INDICATORS)
        rc = ita_ld_fail(ld, "indicators", "มี %zu รายการ แต่ต้องระบุตัวชี้วัดครบทั้ง %d ตัว",
                         json_array_size(arr), ITA_N_INDICATORS);
    size_t listed_at[ITA_N_INDICATORS] = {0};
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *j = json_array_get(arr, i);
        char *p = xasprintf("indicators[%zu]", i);
        if (ita_ld_need_object(ld, j, p) < 0) {
            rc = -1;
            free(p);
            continue;
        }
        rc |= ita_ld_check_keys(ld, j, p, keys);
        int number = 0;
        if (ita_ld_get_int(ld, j, p, "number", 1, ITA_N_INDICATORS, &number) < 0) {
            rc = -1;
            number = 0;
        } else if (ld->v->indicators[number - 1].number != 0) {
            rc =
                ita_ld_fail(ld, p, "ตัวชี้วัดที่ %d ซ้ำกับ indicators[%zu]", number, listed_at[number - 1]);
            number = 0;
        }
        char *name_th = NULL, *name_en = NULL;
        rc |= ita_ld_get_text(ld, j, p, "name_th", true, &name_th);
        rc |= ita_ld_get_text(ld, j, p, "name_en", false, &name_en);
        if (number != 0) {
            struct ita_indicator *ind = &ld->v->indicators[number - 1];
            listed_at[number - 1] = i;
            ind->number = number;
            ind->instrument = (enum ita_instrument)ita_indicator_instrument(number);
            ind->name_th = name_th;
            ind->name_en = name_en;
        } else {
            free(name_th);
            free(name_en);
        }
        free(p);
    }
    return rc;
}

/* Survey `kind` from its entry j of "instruments" at path p ("instruments[0]"; cp adds the
 * code); sets ld->survey_read[kind] when the "questions" array itself was read. */
ITA_WUR static int parse_survey(struct loader *ld, const char *p, const char *cp, json_t *j,
                                enum ita_instrument kind, size_t n_named)
{
    static const char *const keys[] = {"code", "name_th", "name_en", "questions", NULL};
    struct ita_survey *s = &ld->v->surveys[kind];
    s->kind = kind;
    int rc = ita_ld_check_keys(ld, j, cp, keys);
    rc |= ita_ld_get_text(ld, j, cp, "name_th", true, &s->name_th);
    rc |= ita_ld_get_text(ld, j, cp, "name_en", false, &s->name_en);
    json_t *qs;
    size_t nq;
    if (ita_ld_get_array(ld, j, cp, &QUESTIONS, &qs, &nq) < 0)
        return -1;
    ld->survey_read[kind] = true;
    s->questions = xcalloc(nq, sizeof *s->questions);
    s->n_questions = nq;
    for (size_t k = 0; k < nq; k++) {
        char *qp = xasprintf("%s.questions[%zu]", p, k);
        rc |= parse_question(ld, qp, json_array_get(qs, k), kind, n_named, &s->questions[k]);
        free(qp);
        s->n_fields += s->questions[k].n_fields;
    }
    return rc;
}

ITA_WUR int ita_ld_instruments(struct loader *ld, json_t *root)
{
    json_t *arr;
    if (ita_ld_get_part(ld, root, "instruments", JSON_ARRAY, &arr) < 0)
        return -1;
    size_t n_named = ld->v->n_scales;
    bool seen[ITA_N_SURVEYS] = {false, false};
    bool unknown = false; /* an entry that is neither IIT nor EIT: maybe the missing one */
    int rc = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *j = json_array_get(arr, i);
        char *p = xasprintf("instruments[%zu]", i);
        char *code = NULL;
        enum ita_instrument kind = ITA_IIT;
        bool usable = false;
        if (ita_ld_need_object(ld, j, p) < 0) {
            rc = -1;
            unknown = true;
        } else if (ita_ld_get_text(ld, j, p, "code", true, &code) < 0) {
            rc = -1;
            unknown = true;
        } else if (strcmp(code, "IIT") != 0 && strcmp(code, "EIT") != 0) {
            rc = ita_ld_fail(ld, p,
                             "\"code\" เป็น '%s' แต่แบบวัดต้องเป็น \"IIT\" หรือ \"EIT\" (ข้อของ OIT "
                             "ให้ใส่ใน \"oit\")",
                             code);
            unknown = true;
        } else {
            kind = strcmp(code, "IIT") == 0 ? ITA_IIT : ITA_EIT;
            if (seen[kind])
                rc = ita_ld_fail(ld, p, "%s ซ้ำกับ instruments[%zu]", code, ld->survey_at[kind]);
            else
                usable = true;
        }
        /* Without a known, first-listed code the questions cannot be judged: skip them. */
        if (usable) {
            char *cp = xasprintf("%s (%s)", p, code);
            seen[kind] = true;
            ld->survey_at[kind] = i;
            rc |= parse_survey(ld, p, cp, j, kind, n_named);
            free(cp);
        }
        free(code);
        free(p);
    }
    for (int k = 0; k < ITA_N_SURVEYS && !unknown; k++)
        if (!seen[k])
            rc = ita_ld_fail(ld, "instruments", "ไม่มีแบบวัด %s: ไฟล์ต้องมีทั้ง IIT และ EIT",
                             ita_instrument_code((enum ita_instrument)k));
    return rc;
}

/* "sample_rule" (optional): see sample_rule.h. Each line of its message is one error; a line
 * "IIT: ..." or "EIT: ..." is about that instrument's rule. */
ITA_WUR int ita_ld_sample_rules(struct loader *ld, json_t *root)
{
    char err[2048];
    if (ita_sample_rules_parse(json_object_get(root, "sample_rule"), ld->v->sample_rules, err,
                               sizeof err) == 0)
        return 0;
    for (char *line = err; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (strncmp(line, "IIT: ", 5) == 0 || strncmp(line, "EIT: ", 5) == 0)
            ita_ld_fail(ld, line[0] == 'I' ? "sample_rule.IIT" : "sample_rule.EIT", "%s", line + 5);
        else
            ita_ld_fail(ld, "sample_rule", "%s", line);
        line = next;
    }
    return -1;
}

/* The "sub_indicators" of "oit"; *all_read when every code was read (items can be matched). */
ITA_WUR static int parse_oit_subs(struct loader *ld, json_t *oit, bool *all_read)
{
    static const char *const sub_keys[] = {"code", "indicator", "name_th", NULL};
    struct ita_version *v = ld->v;
    json_t *subs;
    size_t n;
    *all_read = false;
    if (ita_ld_get_array(ld, oit, "oit", &OIT_SUBS, &subs, &n) < 0)
        return -1;
    *all_read = true;
    v->n_oit_subs = n;
    v->oit_subs = xcalloc(n, sizeof *v->oit_subs);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_array_get(subs, i);
        struct ita_oit_sub *s = &v->oit_subs[i];
        char *p = xasprintf("oit.sub_indicators[%zu]", i);
        if (ita_ld_need_object(ld, j, p) < 0) {
            rc = -1;
            *all_read = false;
            free(p);
            continue;
        }
        if (ita_ld_get_code(ld, j, p, "code", &s->code) < 0) {
            rc = -1;
            *all_read = false;
        }
        char *pc = coded_path(p, s->code);
        rc |= ita_ld_check_keys(ld, j, pc, sub_keys);
        rc |= ita_ld_get_int(ld, j, pc, "indicator", 9, 10, &s->indicator);
        rc |= ita_ld_get_text(ld, j, pc, "name_th", true, &s->name_th);
        for (size_t k = 0; s->code && k < i; k++) {
            if (v->oit_subs[k].code && strcmp(v->oit_subs[k].code, s->code) == 0) {
                rc = ita_ld_fail(ld, pc, "ตัวชี้วัดย่อย '%s' ซ้ำกับ oit.sub_indicators[%zu]", s->code, k);
                break;
            }
        }
        free(pc);
        free(p);
    }
    return rc;
}

/* The "items" of "oit", matched to the sub-indicators when subs_read. */
ITA_WUR static int parse_oit_items(struct loader *ld, json_t *oit, bool subs_read)
{
    static const char *const item_keys[] = {"code",   "sub_indicator",   "title_th", "verified",
                                            "source", "requirements_th", "units_th", NULL};
    struct ita_version *v = ld->v;
    json_t *items;
    size_t n;
    if (ita_ld_get_array(ld, oit, "oit", &OIT_ITEMS, &items, &n) < 0)
        return -1;
    v->n_oit_items = n;
    v->oit_items = xcalloc(n, sizeof *v->oit_items);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_array_get(items, i);
        struct ita_oit_item *it = &v->oit_items[i];
        char *p = xasprintf("oit.items[%zu]", i);
        it->index = i;
        if (ita_ld_need_object(ld, j, p) < 0) {
            rc = -1;
            free(p);
            continue;
        }
        rc |= ita_ld_get_code(ld, j, p, "code", &it->code);
        char *pc = coded_path(p, it->code);
        char *sub = NULL;
        rc |= ita_ld_check_keys(ld, j, pc, item_keys);
        rc |= ita_ld_get_text(ld, j, pc, "sub_indicator", true, &sub);
        rc |= ita_ld_get_text(ld, j, pc, "title_th", true, &it->title_th);
        rc |= ita_ld_get_bool(ld, j, pc, "verified", &it->verified);
        rc |= ita_ld_get_text(ld, j, pc, "source", false, &it->source);
        rc |= ita_ld_oit_item_texts(ld, j, pc, it);
        for (size_t k = 0; it->code && k < i; k++) {
            if (v->oit_items[k].code && strcmp(v->oit_items[k].code, it->code) == 0) {
                rc = ita_ld_fail(ld, pc, "ข้อ '%s' ซ้ำกับ oit.items[%zu]", it->code, k);
                break;
            }
        }
        bool found = false;
        for (size_t k = 0; sub && k < v->n_oit_subs; k++) {
            if (v->oit_subs[k].code && strcmp(v->oit_subs[k].code, sub) == 0) {
                it->sub = k;
                it->indicator = v->oit_subs[k].indicator;
                found = true;
            }
        }
        if (sub && !found && subs_read) {
            struct strbuf b;
            strbuf_init(&b);
            for (size_t k = 0; k < v->n_oit_subs; k++)
                strbuf_printf(&b, "%s%s", k ? ", " : "", v->oit_subs[k].code);
            rc =
                ita_ld_fail(ld, pc, "ไม่มีตัวชี้วัดย่อย '%s' ใน oit.sub_indicators (ที่มี: %s)", sub, b.data);
            strbuf_free(&b);
        } else if (sub && !found) {
            rc = -1;
        }
        free(sub);
        free(pc);
        free(p);
    }
    return rc;
}

ITA_WUR int ita_ld_oit(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"sub_indicators", "items", NULL};
    struct ita_version *v = ld->v;
    json_t *oit = json_object_get(root, "oit");
    if (!oit)
        return 0;
    v->has_oit = true;
    if (ita_ld_need_object(ld, oit, "oit") < 0)
        return -1;
    bool subs_read;
    int rc = ita_ld_check_keys(ld, oit, "oit", keys);
    rc |= parse_oit_subs(ld, oit, &subs_read);
    rc |= parse_oit_items(ld, oit, subs_read);
    if (rc < 0)
        return -1; /* which indicator has items is unknown after an error */
    for (int ind = 9; ind <= 10; ind++) {
        size_t count = 0;
        for (size_t i = 0; i < v->n_oit_items; i++)
            if (v->oit_items[i].indicator == ind)
                count++;
        if (count == 0)
            rc = ita_ld_fail(ld, "oit", "ตัวชี้วัดที่ %d ไม่มีข้อใดเลย", ind);
    }
    return rc;
}

/* "instruments[0].questions[3]" for question q of survey k (the path of its JSON value). */
static char *question_path(const struct loader *ld, const struct ita_question *q)
{
    const struct ita_survey *s = &ld->v->surveys[q->instrument];
    return xasprintf("instruments[%zu].questions[%zu]", ld->survey_at[q->instrument],
                     (size_t)(q - s->questions));
}

/* Each survey that was read has a question for each of its indicators; skipped for a survey
 * with a question whose indicator could not be read. */
ITA_WUR static int check_indicator_coverage(struct loader *ld)
{
    struct ita_version *v = ld->v;
    int rc = 0;
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        const struct ita_survey *s = &v->surveys[k];
        bool known = ld->survey_read[k];
        for (size_t i = 0; known && i < s->n_questions; i++)
            if (s->questions[i].indicator == 0)
                known = false;
        for (int ind = 1; known && ind <= ITA_N_INDICATORS; ind++) {
            if (ita_indicator_instrument(ind) != k)
                continue;
            bool any = false;
            for (size_t i = 0; i < s->n_questions; i++)
                if (s->questions[i].indicator == ind)
                    any = true;
            if (any)
                continue;
            char *p = xasprintf("instruments[%zu] (%s)", ld->survey_at[k],
                                ita_instrument_code((enum ita_instrument)k));
            const char *name = v->indicators[ind - 1].name_th;
            if (name)
                rc = ita_ld_fail(ld, p, "ตัวชี้วัดที่ %d (%s) ไม่มีคำถามเลย", ind, name);
            else
                rc = ita_ld_fail(ld, p, "ตัวชี้วัดที่ %d ไม่มีคำถามเลย", ind);
            free(p);
        }
    }
    return rc;
}

/* Cross-checks and the global indexes once every part has been read. */
ITA_WUR int ita_ld_finish(struct loader *ld)
{
    struct ita_version *v = ld->v;
    int rc = check_indicator_coverage(ld);
    v->n_questions = v->surveys[ITA_IIT].n_questions + v->surveys[ITA_EIT].n_questions;
    v->n_fields = v->surveys[ITA_IIT].n_fields + v->surveys[ITA_EIT].n_fields;
    v->question_list = xcalloc(v->n_questions, sizeof *v->question_list);
    v->field_list = xcalloc(v->n_fields, sizeof *v->field_list);
    size_t qi = 0, fi = 0;
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        struct ita_survey *s = &v->surveys[k];
        for (size_t i = 0; i < s->n_questions; i++) {
            struct ita_question *q = &s->questions[i];
            q->index = qi;
            v->question_list[qi++] = q;
            for (size_t f = 0; f < q->n_fields; f++) {
                q->fields[f].index = fi;
                q->fields[f].question = q->index;
                v->field_list[fi++] = &q->fields[f];
            }
        }
    }
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        for (size_t k = 0; q->code && k < i; k++) {
            const struct ita_question *first = v->question_list[k];
            if (first->code && strcmp(q->code, first->code) == 0) {
                char *qp = question_path(ld, q);
                char *p = xasprintf("%s (%s)", qp, q->code);
                char *fp = question_path(ld, first);
                rc = ita_ld_fail(ld, p, "รหัสคำถาม '%s' ซ้ำกับ %s", q->code, fp);
                free(fp);
                free(p);
                free(qp);
                break;
            }
        }
    }
    for (size_t i = 0; i < v->n_fields; i++) {
        const struct ita_field *f = v->field_list[i];
        for (size_t k = 0; f->code && k < i; k++) {
            const struct ita_field *first = v->field_list[k];
            if (first->code && strcmp(f->code, first->code) == 0) {
                const struct ita_question *q = v->question_list[f->question];
                const struct ita_question *fq = v->question_list[first->question];
                char *qp = question_path(ld, q);
                char *fqp = question_path(ld, fq);
                char *p = xasprintf("%s.fields[%zu] (%s)", qp, (size_t)(f - q->fields), f->code);
                rc = ita_ld_fail(ld, p, "รหัสข้อย่อย '%s' ซ้ำกับ %s.fields[%zu]", f->code, fqp,
                                 (size_t)(first - fq->fields));
                free(p);
                free(fqp);
                free(qp);
                break;
            }
        }
    }
    return rc;
}
