/* Canonical JSON of a loaded instrument version (ita_version_to_json): fixed key order,
 * every field's scale and polarity written out, points as integers, short decimals or
 * fractions, so that load -> write -> load -> write gives the same bytes. */
#include "instrument_priv.h"

#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------------------------------------
 * Canonical JSON. Jansson reports allocation failure by returning NULL or -1; the project's
 * policy for exhausted memory is to abort, as xmalloc does. */

static json_t *jcheck(json_t *j)
{
    if (!j) {
        fputs("fatal: out of memory building JSON\n", stderr);
        abort();
    }
    return j;
}

static void jset(json_t *obj, const char *key, json_t *val)
{
    if (json_object_set_new(obj, key, jcheck(val)) != 0) {
        fputs("fatal: out of memory building JSON\n", stderr);
        abort();
    }
}

static void jappend(json_t *arr, json_t *val)
{
    if (json_array_append_new(arr, jcheck(val)) != 0) {
        fputs("fatal: out of memory building JSON\n", stderr);
        abort();
    }
}

static void jset_opt(json_t *obj, const char *key, const char *s)
{
    if (s)
        jset(obj, key, json_string(s));
}

/* An array of the n texts, or nothing when n is 0 (the key is optional). */
static void jset_texts(json_t *obj, const char *key, char *const *texts, size_t n)
{
    if (n == 0)
        return;
    json_t *a = jcheck(json_array());
    for (size_t i = 0; i < n; i++)
        jappend(a, json_string(texts[i]));
    jset(obj, key, a);
}

/* "report": the O42 report's default texts; NULL when the version has none. */
static json_t *report_json(const struct ita_report_defaults *r)
{
    if (r->n_objectives == 0 && r->n_benefits == 0 && r->n_timetable == 0 && !r->coordinator_th)
        return NULL;
    json_t *o = jcheck(json_object());
    jset_texts(o, "objectives_th", r->objectives_th, r->n_objectives);
    jset_texts(o, "benefits_th", r->benefits_th, r->n_benefits);
    if (r->n_timetable > 0) {
        json_t *rows = jcheck(json_array());
        for (size_t i = 0; i < r->n_timetable; i++) {
            json_t *row = jcheck(json_object());
            jset(row, "step_th", json_string(r->timetable[i].step_th));
            jset(row, "period_th", json_string(r->timetable[i].period_th));
            jset(row, "method_th", json_string(r->timetable[i].method_th));
            jappend(rows, row);
        }
        jset(o, "timetable", rows);
    }
    jset_opt(o, "coordinator_th", r->coordinator_th);
    return o;
}

static json_t *points_json(struct ita_rational r)
{
    if (r.den == 1)
        return json_integer(r.num);
    char *t = ita_rational_text(r);
    json_t *j = json_string(t);
    free(t);
    return j;
}

static json_t *rules_weights_json(const struct ita_rules *r)
{
    json_t *w = jcheck(json_object());
    jset(w, "IIT", json_integer(r->weight[ITA_IIT]));
    jset(w, "EIT", json_integer(r->weight[ITA_EIT]));
    jset(w, "OIT", json_integer(r->weight[ITA_OIT]));
    jset(w, "verified", json_boolean(r->weights_verified));
    jset_opt(w, "source", r->weights_source);
    return w;
}

static json_t *rules_rating_json(const struct ita_rules *r)
{
    json_t *o = jcheck(json_object());
    json_t *levels = jcheck(json_array());
    for (size_t i = 0; i < r->n_levels; i++) {
        const struct ita_rating_level *lv = &r->levels[i];
        json_t *l = jcheck(json_object());
        jset(l, "name_th", json_string(lv->name_th));
        jset_opt(l, "name_en", lv->name_en);
        jset(l, "total_min", points_json(lv->total_min));
        if (lv->has_tool_min) {
            if (ita_rational_eq(lv->tool_min[0], lv->tool_min[1]) &&
                ita_rational_eq(lv->tool_min[0], lv->tool_min[2])) {
                jset(l, "tool_min", points_json(lv->tool_min[0]));
            } else {
                json_t *t = jcheck(json_object());
                jset(t, "IIT", points_json(lv->tool_min[ITA_IIT]));
                jset(t, "EIT", points_json(lv->tool_min[ITA_EIT]));
                jset(t, "OIT", points_json(lv->tool_min[ITA_OIT]));
                jset(l, "tool_min", t);
            }
        }
        jset(l, "pass", json_boolean(lv->pass));
        jappend(levels, l);
    }
    jset(o, "levels", levels);
    jset(o, "verified", json_boolean(r->rating_verified));
    jset_opt(o, "source", r->rating_source);
    return o;
}

char *ita_version_to_json(const struct ita_version *v)
{
    json_t *root = jcheck(json_object());
    jset(root, "format", json_string(ITA_FORMAT_NAME));
    jset(root, "fiscal_year", json_integer(v->fiscal_year));
    jset(root, "title_th", json_string(v->title_th));
    jset_opt(root, "note", v->note);
    jset(root, "weights", rules_weights_json(&v->rules));
    jset(root, "rating", rules_rating_json(&v->rules));

    json_t *pms = jcheck(json_object());
    for (size_t i = 0; i < v->n_point_maps; i++) {
        const struct ita_point_map *pm = &v->point_maps[i];
        json_t *o = jcheck(json_object());
        json_t *pts = jcheck(json_array());
        for (int l = 0; l < pm->levels; l++)
            jappend(pts, points_json(pm->points[l]));
        jset(o, "points", pts);
        jset(o, "verified", json_boolean(pm->verified));
        jset_opt(o, "note", pm->note);
        jset(pms, pm->name, o);
    }
    jset(root, "point_maps", pms);

    json_t *scales = jcheck(json_object());
    for (size_t i = 0; i < v->n_scales; i++) {
        const struct ita_scale *s = &v->scales[i];
        json_t *o = jcheck(json_object());
        json_t *labels = jcheck(json_array());
        for (int l = 0; l < s->levels; l++)
            jappend(labels, json_string(s->labels_th[l]));
        jset(o, "labels_th", labels);
        jset(o, "point_map", json_string(v->point_maps[s->point_map].name));
        jset(o, "verified", json_boolean(s->verified));
        jset_opt(o, "note", s->note);
        jset(scales, s->name, o);
    }
    jset(root, "scales", scales);

    json_t *inds = jcheck(json_array());
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        json_t *o = jcheck(json_object());
        jset(o, "number", json_integer(v->indicators[i].number));
        jset(o, "name_th", json_string(v->indicators[i].name_th));
        jset_opt(o, "name_en", v->indicators[i].name_en);
        jappend(inds, o);
    }
    jset(root, "indicators", inds);

    json_t *insts = jcheck(json_array());
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        const struct ita_survey *s = &v->surveys[k];
        json_t *o = jcheck(json_object());
        jset(o, "code", json_string(ita_instrument_code(s->kind)));
        jset(o, "name_th", json_string(s->name_th));
        jset_opt(o, "name_en", s->name_en);
        json_t *qs = jcheck(json_array());
        for (size_t i = 0; i < s->n_questions; i++) {
            const struct ita_question *q = &s->questions[i];
            json_t *qo = jcheck(json_object());
            jset(qo, "code", json_string(q->code));
            jset(qo, "indicator", json_integer(q->indicator));
            jset(qo, "verified", json_boolean(q->verified));
            jset(qo, "text_th", json_string(q->text_th));
            jset_opt(qo, "text_en", q->text_en);
            if (q->note_th) {
                jset(qo, "note_th", json_string(q->note_th));
                jset(qo, "note_verified", json_boolean(q->note_verified));
            }
            jset_opt(qo, "source", q->source);
            jset_opt(qo, "suggestion_th", q->suggestion_th);
            json_t *fs = jcheck(json_array());
            for (size_t f = 0; f < q->n_fields; f++) {
                const struct ita_field *fd = &q->fields[f];
                json_t *fo = jcheck(json_object());
                jset(fo, "code", json_string(fd->code));
                jset_opt(fo, "label_th", fd->label_th);
                jset_opt(fo, "label_en", fd->label_en);
                jset(fo, "scale", json_string(v->scales[fd->scale].name));
                jset(fo, "polarity",
                     json_string(fd->polarity == ITA_NEGATIVE ? "negative" : "positive"));
                jappend(fs, fo);
            }
            jset(qo, "fields", fs);
            jappend(qs, qo);
        }
        jset(o, "questions", qs);
        jappend(insts, o);
    }
    jset(root, "instruments", insts);

    if (v->has_oit) {
        json_t *oit = jcheck(json_object());
        json_t *subs = jcheck(json_array());
        for (size_t i = 0; i < v->n_oit_subs; i++) {
            json_t *o = jcheck(json_object());
            jset(o, "code", json_string(v->oit_subs[i].code));
            jset(o, "indicator", json_integer(v->oit_subs[i].indicator));
            jset(o, "name_th", json_string(v->oit_subs[i].name_th));
            jappend(subs, o);
        }
        jset(oit, "sub_indicators", subs);
        json_t *items = jcheck(json_array());
        for (size_t i = 0; i < v->n_oit_items; i++) {
            json_t *o = jcheck(json_object());
            jset(o, "code", json_string(v->oit_items[i].code));
            jset(o, "sub_indicator", json_string(v->oit_subs[v->oit_items[i].sub].code));
            jset(o, "title_th", json_string(v->oit_items[i].title_th));
            jset(o, "verified", json_boolean(v->oit_items[i].verified));
            jset_opt(o, "source", v->oit_items[i].source);
            jset_texts(o, "requirements_th", v->oit_items[i].requirements_th,
                       v->oit_items[i].n_requirements);
            jset_texts(o, "units_th", v->oit_items[i].units_th, v->oit_items[i].n_units);
            jappend(items, o);
        }
        jset(oit, "items", items);
        jset(root, "oit", oit);
    }
    json_t *rules = jcheck(json_object());
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        const struct ita_sample_rule *r = &v->sample_rules[k];
        json_t *o = jcheck(json_object());
        jset(o, "minimum", json_integer(r->minimum));
        if (r->percent_bp % 100 == 0)
            jset(o, "percent", json_integer(r->percent_bp / 100));
        else
            jset(o, "percent", json_real(r->percent_bp / 100.0));
        if (r->large_above > 0) {
            jset(o, "large_above", json_integer(r->large_above));
            jset(o, "large_sample", json_integer(r->large_sample));
        }
        jset(rules, k == ITA_IIT ? "IIT" : "EIT", o);
    }
    jset(root, "sample_rule", rules);
    json_t *report = report_json(&v->report);
    if (report)
        jset(root, "report", report);

    char *dumped = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    if (!dumped) {
        fputs("fatal: out of memory writing JSON\n", stderr);
        abort();
    }
    char *out = xasprintf("%s\n", dumped);
    free(dumped);
    return out;
}
