/* Instrument version loader, second half: answer fields, questions, the IIT and EIT
 * questionnaires, the indicator list, the OIT items, the sample rule and the final cross-checks,
 * built on the checked readers of instrument_load.c. */
#include "instrument_load.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The arrays of a question and of an instrument. */
static const struct ita_ld_array FIELDS = {
    "fields",     ": list the answer fields (one for a question without sub-items)",
    "an array",   "entries",
    "a question", 1,
    MAX_FIELDS,   ""};
static const struct ita_ld_array QUESTIONS = {"questions",     "", "an array",    "entries",
                                              "an instrument", 1,  MAX_QUESTIONS, ""};

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
                           "\"polarity\" is '%s'; write \"positive\" (highest level is best) "
                           "or \"negative\" (reverse-scored: level 0 is best)",
                           s);
    return ita_ld_fail(ld, path,
                       "\"polarity\" must be the string \"positive\" or \"negative\", not %s",
                       ita_ld_json_kind(j));
}

ITA_WUR static int parse_field(struct loader *ld, const char *path, json_t *j, bool many,
                               bool has_qscale, size_t qscale, bool has_qpol,
                               enum ita_polarity qpol, size_t n_named, struct ita_field *f)
{
    static const char *const keys[] = {"code", "label_th", "label_en", "scale", "polarity", NULL};
    if (ita_ld_need_object(ld, j, path) < 0 || ita_ld_check_keys(ld, j, path, keys) < 0 ||
        ita_ld_get_code(ld, j, path, "code", &f->code) < 0)
        return -1;
    char *p = xasprintf("%s (%s)", path, f->code);
    int rc = -1;
    if (ita_ld_get_text(ld, j, p, "label_th", false, &f->label_th) < 0 ||
        ita_ld_get_text(ld, j, p, "label_en", false, &f->label_en) < 0)
        goto out;
    if (many && !f->label_th) {
        ita_ld_fail(ld, p,
                    "\"label_th\" is missing: a question with several fields needs the "
                    "sub-item text of each");
        goto out;
    }
    json_t *sj = json_object_get(j, "scale");
    if (sj) {
        if (ita_ld_resolve_scale(ld, p, sj, f->code, n_named, &f->scale) < 0)
            goto out;
    } else if (has_qscale) {
        f->scale = qscale;
    } else {
        ita_ld_fail(ld, p, "no scale: set \"scale\" on the field or on its question");
        goto out;
    }
    json_t *pj = json_object_get(j, "polarity");
    if (pj) {
        if (get_polarity(ld, pj, p, &f->polarity) < 0)
            goto out;
    } else if (has_qpol) {
        f->polarity = qpol;
    } else {
        ita_ld_fail(ld, p,
                    "no polarity: set \"polarity\" (\"positive\" or \"negative\") on the field "
                    "or on its question");
        goto out;
    }
    rc = 0;
out:
    free(p);
    return rc;
}

ITA_WUR static int parse_question(struct loader *ld, const char *path, json_t *j,
                                  enum ita_instrument kind, size_t n_named, struct ita_question *q)
{
    static const char *const keys[] = {"code",    "indicator",     "text_th",  "text_en",
                                       "note_th", "note_verified", "verified", "source",
                                       "scale",   "polarity",      "fields",   NULL};
    q->instrument = kind;
    if (ita_ld_need_object(ld, j, path) < 0 || ita_ld_check_keys(ld, j, path, keys) < 0 ||
        ita_ld_get_code(ld, j, path, "code", &q->code) < 0)
        return -1;
    char *p = xasprintf("%s (%s)", path, q->code);
    int rc = -1;
    if (ita_ld_get_int(ld, j, p, "indicator", 1, ITA_N_INDICATORS, &q->indicator) < 0)
        goto out;
    if (ita_indicator_instrument(q->indicator) != (int)kind) {
        ita_ld_fail(
            ld, p, "indicator %d belongs to %s; %s questions use indicators %s", q->indicator,
            ita_instrument_code((enum ita_instrument)ita_indicator_instrument(q->indicator)),
            ita_instrument_code(kind), ita_indicator_range(kind));
        goto out;
    }
    if (ita_ld_get_text(ld, j, p, "text_th", true, &q->text_th) < 0 ||
        ita_ld_get_text(ld, j, p, "text_en", false, &q->text_en) < 0 ||
        ita_ld_get_text(ld, j, p, "note_th", false, &q->note_th) < 0 ||
        ita_ld_get_bool(ld, j, p, "verified", &q->verified) < 0 ||
        ita_ld_get_text(ld, j, p, "source", false, &q->source) < 0)
        goto out;
    if (q->note_th) {
        if (ita_ld_get_bool(ld, j, p, "note_verified", &q->note_verified) < 0)
            goto out;
    } else if (json_object_get(j, "note_verified")) {
        ita_ld_fail(ld, p, "\"note_verified\" is set but there is no \"note_th\"");
        goto out;
    }
    bool has_qscale = false, has_qpol = false;
    size_t qscale = 0;
    enum ita_polarity qpol = ITA_POSITIVE;
    json_t *sj = json_object_get(j, "scale");
    if (sj) {
        if (ita_ld_resolve_scale(ld, p, sj, q->code, n_named, &qscale) < 0)
            goto out;
        has_qscale = true;
    }
    json_t *pj = json_object_get(j, "polarity");
    if (pj) {
        if (get_polarity(ld, pj, p, &qpol) < 0)
            goto out;
        has_qpol = true;
    }
    json_t *fields;
    size_t n;
    if (ita_ld_get_array(ld, j, p, &FIELDS, &fields, &n) < 0)
        goto out;
    q->fields = xcalloc(n, sizeof *q->fields);
    q->n_fields = n;
    for (size_t i = 0; i < n; i++) {
        char *fp = xasprintf("%s.fields[%zu]", path, i);
        int frc = parse_field(ld, fp, json_array_get(fields, i), n > 1, has_qscale, qscale,
                              has_qpol, qpol, n_named, &q->fields[i]);
        free(fp);
        if (frc < 0)
            goto out;
    }
    rc = 0;
out:
    free(p);
    return rc;
}

ITA_WUR int ita_ld_indicators(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"number", "name_th", "name_en", NULL};
    json_t *arr;
    if (ita_ld_get_part(ld, root, "indicators", JSON_ARRAY, &arr) < 0)
        return -1;
    if (json_array_size(arr) != ITA_N_INDICATORS)
        return ita_ld_fail(ld, "indicators", "has %zu entries; list all %d indicators",
                           json_array_size(arr), ITA_N_INDICATORS);
    for (size_t i = 0; i < ITA_N_INDICATORS; i++) {
        json_t *j = json_array_get(arr, i);
        char *p = xasprintf("indicators[%zu]", i);
        int number = 0;
        int rc = -1;
        if (ita_ld_need_object(ld, j, p) < 0 || ita_ld_check_keys(ld, j, p, keys) < 0 ||
            ita_ld_get_int(ld, j, p, "number", 1, ITA_N_INDICATORS, &number) < 0)
            goto next;
        struct ita_indicator *ind = &ld->v->indicators[number - 1];
        if (ind->number != 0) {
            ita_ld_fail(ld, p, "indicator %d is listed twice", number);
            goto next;
        }
        ind->number = number;
        ind->instrument = (enum ita_instrument)ita_indicator_instrument(number);
        if (ita_ld_get_text(ld, j, p, "name_th", true, &ind->name_th) < 0 ||
            ita_ld_get_text(ld, j, p, "name_en", false, &ind->name_en) < 0)
            goto next;
        rc = 0;
    next:
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

ITA_WUR int ita_ld_instruments(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"code", "name_th", "name_en", "questions", NULL};
    json_t *arr;
    if (ita_ld_get_part(ld, root, "instruments", JSON_ARRAY, &arr) < 0)
        return -1;
    size_t n_named = ld->v->n_scales;
    bool seen[ITA_N_SURVEYS] = {false, false};
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *j = json_array_get(arr, i);
        char *p = xasprintf("instruments[%zu]", i);
        char *code = NULL;
        int rc = -1;
        if (ita_ld_need_object(ld, j, p) < 0 || ita_ld_check_keys(ld, j, p, keys) < 0 ||
            ita_ld_get_text(ld, j, p, "code", true, &code) < 0)
            goto next;
        enum ita_instrument kind;
        if (strcmp(code, "IIT") == 0) {
            kind = ITA_IIT;
        } else if (strcmp(code, "EIT") == 0) {
            kind = ITA_EIT;
        } else {
            ita_ld_fail(ld, p,
                        "\"code\" is '%s'; an instrument is \"IIT\" or \"EIT\" (OIT items go in "
                        "\"oit\")",
                        code);
            goto next;
        }
        if (seen[kind]) {
            ita_ld_fail(ld, p, "%s is listed twice", code);
            goto next;
        }
        seen[kind] = true;
        struct ita_survey *s = &ld->v->surveys[kind];
        s->kind = kind;
        if (ita_ld_get_text(ld, j, p, "name_th", true, &s->name_th) < 0 ||
            ita_ld_get_text(ld, j, p, "name_en", false, &s->name_en) < 0)
            goto next;
        json_t *qs;
        size_t nq;
        if (ita_ld_get_array(ld, j, p, &QUESTIONS, &qs, &nq) < 0)
            goto next;
        s->questions = xcalloc(nq, sizeof *s->questions);
        s->n_questions = nq;
        for (size_t k = 0; k < nq; k++) {
            char *qp = xasprintf("%s.questions[%zu]", p, k);
            int qrc =
                parse_question(ld, qp, json_array_get(qs, k), kind, n_named, &s->questions[k]);
            free(qp);
            if (qrc < 0)
                goto next;
            s->n_fields += s->questions[k].n_fields;
        }
        rc = 0;
    next:
        free(code);
        free(p);
        if (rc < 0)
            return -1;
    }
    for (int k = 0; k < ITA_N_SURVEYS; k++)
        if (!seen[k])
            return ita_ld_fail(ld, "instruments",
                               "%s is missing; a version describes both IIT and EIT",
                               ita_instrument_code((enum ita_instrument)k));
    return 0;
}

/* "sample_rule" (optional): see sample_rule.h. */
ITA_WUR int ita_ld_sample_rules(struct loader *ld, json_t *root)
{
    char err[256];
    if (ita_sample_rules_parse(json_object_get(root, "sample_rule"), ld->v->sample_rules, err,
                               sizeof err) != 0)
        return ita_ld_fail(ld, "sample_rule", "%s", err);
    return 0;
}

ITA_WUR int ita_ld_oit(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"sub_indicators", "items", NULL};
    static const char *const sub_keys[] = {"code", "indicator", "name_th", NULL};
    static const char *const item_keys[] = {"code",     "sub_indicator", "title_th",
                                            "verified", "source",        NULL};
    struct ita_version *v = ld->v;
    json_t *oit = json_object_get(root, "oit");
    if (!oit)
        return 0;
    v->has_oit = true;
    if (ita_ld_need_object(ld, oit, "oit") < 0 || ita_ld_check_keys(ld, oit, "oit", keys) < 0)
        return -1;
    json_t *subs = json_object_get(oit, "sub_indicators");
    json_t *items = json_object_get(oit, "items");
    if (!subs || !json_is_array(subs) || json_array_size(subs) == 0)
        return ita_ld_fail(ld, "oit", "\"sub_indicators\" must be a non-empty array");
    if (!items || !json_is_array(items) || json_array_size(items) == 0)
        return ita_ld_fail(ld, "oit", "\"items\" must be a non-empty array");
    if (json_array_size(subs) > MAX_OIT_ITEMS || json_array_size(items) > MAX_OIT_ITEMS)
        return ita_ld_fail(ld, "oit", "at most %d sub-indicators and %d items", MAX_OIT_ITEMS,
                           MAX_OIT_ITEMS);
    v->n_oit_subs = json_array_size(subs);
    v->oit_subs = xcalloc(v->n_oit_subs, sizeof *v->oit_subs);
    for (size_t i = 0; i < v->n_oit_subs; i++) {
        json_t *j = json_array_get(subs, i);
        struct ita_oit_sub *s = &v->oit_subs[i];
        char *p = xasprintf("oit.sub_indicators[%zu]", i);
        int rc = -1;
        if (ita_ld_need_object(ld, j, p) < 0 || ita_ld_check_keys(ld, j, p, sub_keys) < 0 ||
            ita_ld_get_code(ld, j, p, "code", &s->code) < 0 ||
            ita_ld_get_int(ld, j, p, "indicator", 9, 10, &s->indicator) < 0 ||
            ita_ld_get_text(ld, j, p, "name_th", true, &s->name_th) < 0)
            goto next_sub;
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->oit_subs[k].code, s->code) == 0) {
                ita_ld_fail(ld, p, "sub-indicator '%s' is listed twice", s->code);
                goto next_sub;
            }
        }
        rc = 0;
    next_sub:
        free(p);
        if (rc < 0)
            return -1;
    }
    v->n_oit_items = json_array_size(items);
    v->oit_items = xcalloc(v->n_oit_items, sizeof *v->oit_items);
    for (size_t i = 0; i < v->n_oit_items; i++) {
        json_t *j = json_array_get(items, i);
        struct ita_oit_item *it = &v->oit_items[i];
        char *p = xasprintf("oit.items[%zu]", i);
        char *pc = NULL;
        char *sub = NULL;
        int rc = -1;
        it->index = i;
        if (ita_ld_need_object(ld, j, p) < 0 || ita_ld_check_keys(ld, j, p, item_keys) < 0 ||
            ita_ld_get_code(ld, j, p, "code", &it->code) < 0)
            goto next_item;
        pc = xasprintf("%s (%s)", p, it->code);
        if (ita_ld_get_text(ld, j, pc, "sub_indicator", true, &sub) < 0 ||
            ita_ld_get_text(ld, j, pc, "title_th", true, &it->title_th) < 0 ||
            ita_ld_get_bool(ld, j, pc, "verified", &it->verified) < 0 ||
            ita_ld_get_text(ld, j, pc, "source", false, &it->source) < 0)
            goto next_item;
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->oit_items[k].code, it->code) == 0) {
                ita_ld_fail(ld, pc, "item '%s' is listed twice (also oit.items[%zu])", it->code, k);
                goto next_item;
            }
        }
        bool found = false;
        for (size_t k = 0; k < v->n_oit_subs; k++) {
            if (strcmp(v->oit_subs[k].code, sub) == 0) {
                it->sub = k;
                it->indicator = v->oit_subs[k].indicator;
                found = true;
            }
        }
        if (!found) {
            ita_ld_fail(ld, pc, "sub-indicator '%s' is not listed in oit.sub_indicators", sub);
            goto next_item;
        }
        rc = 0;
    next_item:
        free(sub);
        free(pc);
        free(p);
        if (rc < 0)
            return -1;
    }
    for (int ind = 9; ind <= 10; ind++) {
        size_t count = 0;
        for (size_t i = 0; i < v->n_oit_items; i++)
            if (v->oit_items[i].indicator == ind)
                count++;
        if (count == 0)
            return ita_ld_fail(ld, "oit", "indicator %d has no items", ind);
    }
    return 0;
}

/* Cross-checks and the global indexes once every part has been read. */
ITA_WUR int ita_ld_finish(struct loader *ld)
{
    struct ita_version *v = ld->v;
    for (int ind = 1; ind <= 8; ind++) {
        enum ita_instrument k = (enum ita_instrument)ita_indicator_instrument(ind);
        const struct ita_survey *s = &v->surveys[k];
        bool any = false;
        for (size_t i = 0; i < s->n_questions; i++)
            if (s->questions[i].indicator == ind)
                any = true;
        if (!any)
            return ita_ld_fail(ld, "instruments", "indicator %d (%s) has no questions in %s", ind,
                               v->indicators[ind - 1].name_th, ita_instrument_code(k));
    }
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
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->question_list[i]->code, v->question_list[k]->code) == 0)
                return ita_ld_fail(ld, "instruments", "question code '%s' is used twice",
                                   v->question_list[i]->code);
        }
    }
    for (size_t i = 0; i < v->n_fields; i++) {
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->field_list[i]->code, v->field_list[k]->code) == 0)
                return ita_ld_fail(
                    ld, "instruments", "field code '%s' is used twice (questions %s and %s)",
                    v->field_list[i]->code, v->question_list[v->field_list[k]->question]->code,
                    v->question_list[v->field_list[i]->question]->code);
        }
    }
    return 0;
}
