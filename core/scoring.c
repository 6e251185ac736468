/* The scoring engine: field -> question -> indicator -> group -> weighted total -> rating, the
 * indicator classes and weakest questions of the seed report, the closed-form what-if, and the
 * half-up display rounding. No I/O; shared by itad and itactl. */
#include "scoring.h"

#include "enum_name.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EXACT_DOUBLE_LIMIT 9007199254740992ull /* 2^53: integers up to here are exact */

static const int group_size[ITA_N_INSTRUMENTS] = {5, 3, 2}; /* indicators per group */

/* ---------------------------------------------------------------------------------------------
 * Thresholds, grades, classes. */

bool ita_at_least(double v, double threshold)
{
    return v >= threshold - ITA_SCORE_EPSILON;
}

int ita_rate(const struct ita_rules *r, double total, const double tool[ITA_N_INSTRUMENTS])
{
    for (size_t i = 0; i < r->n_levels; i++) {
        const struct ita_rating_level *lv = &r->levels[i];
        if (!ita_at_least(total, ita_rational_value(lv->total_min)))
            continue;
        bool tools_ok = true;
        for (int g = 0; lv->has_tool_min && g < ITA_N_INSTRUMENTS; g++)
            if (!ita_at_least(tool[g], ita_rational_value(lv->tool_min[g])))
                tools_ok = false;
        if (tools_ok)
            return (int)i;
    }
    return r->n_levels ? (int)r->n_levels - 1 : -1;
}

const char *ita_rating_name(const struct ita_rules *r, int level)
{
    if (level < 0 || (size_t)level >= r->n_levels)
        return "-";
    return r->levels[level].name_th;
}

int ita_rating_parse(const struct ita_rules *r, const char *s)
{
    for (size_t i = 0; i < r->n_levels; i++) {
        const struct ita_rating_level *lv = &r->levels[i];
        if (strcmp(s, lv->name_th) == 0 || strcasecmp(s, lv->name_th) == 0 ||
            (lv->name_en && strcasecmp(s, lv->name_en) == 0))
            return (int)i;
    }
    return -1;
}

double ita_tool_short(const struct ita_rules *r, int level, const struct ita_summary *s,
                      enum ita_instrument g, double *min)
{
    const struct ita_rating_level *lv = &r->levels[level];
    double m = lv->has_tool_min ? ita_rational_value(lv->tool_min[g]) : 0.0;
    if (min)
        *min = m;
    if (!lv->has_tool_min || ita_at_least(s->group[g].value, m))
        return 0.0;
    return m - s->group[g].value;
}

enum ita_class ita_classify(double indicator_score)
{
    if (!ita_at_least(indicator_score, 90.0))
        return ITA_CLASS_URGENT;
    if (!ita_at_least(indicator_score, 95.0))
        return ITA_CLASS_DEVELOP;
    return ITA_CLASS_KEEP;
}

const char *ita_class_name(enum ita_class c)
{
    static const char *const NAMES[] = {
        [ITA_CLASS_URGENT] = "urgent", [ITA_CLASS_DEVELOP] = "develop", [ITA_CLASS_KEEP] = "keep"};
    return ITA_ENUM_NAME(NAMES, c);
}

const char *ita_class_name_th(enum ita_class c)
{
    static const char *const NAMES[] = {[ITA_CLASS_URGENT] = "ต้องแก้ไขอย่างเร่งด่วน",
                                        [ITA_CLASS_DEVELOP] = "ต้องพัฒนาให้ดียิ่งขึ้น",
                                        [ITA_CLASS_KEEP] = "ควรรักษามาตรฐานไว้"};
    return ITA_ENUM_NAME(NAMES, c);
}

/* ---------------------------------------------------------------------------------------------
 * Display rounding. v * 100 is one correctly rounded multiplication; the tolerance is
 * ITA_SCORE_EPSILON expressed in hundredths. */

int64_t ita_round_hundredths(double v)
{
    if (v < 0)
        return -ita_round_hundredths(-v);
    double r = v * 100.0;
    double f = floor(r);
    if (r - f >= 0.5 - ITA_SCORE_EPSILON * 100.0)
        f += 1.0;
    return (int64_t)f;
}

int64_t ita_ceil_hundredths(double v)
{
    return (int64_t)ceil(v * 100.0 - ITA_SCORE_EPSILON * 100.0);
}

static char *format_hundredths(int64_t h, char buf[ITA_FMT_SIZE])
{
    const char *sign = h < 0 ? "-" : "";
    int64_t a = h < 0 ? -h : h;
    snprintf(buf, ITA_FMT_SIZE, "%s%lld.%02lld", sign, (long long)(a / 100), (long long)(a % 100));
    return buf;
}

char *ita_format_2dp(double v, char buf[ITA_FMT_SIZE])
{
    return format_hundredths(ita_round_hundredths(v), buf);
}

char *ita_format_2dp_up(double v, char buf[ITA_FMT_SIZE])
{
    return format_hundredths(ita_ceil_hundredths(v), buf);
}

/* ---------------------------------------------------------------------------------------------
 * From indicators to the total. */

static bool valid_score(double v)
{
    return isfinite(v) && v >= 0.0 && v <= 100.0;
}

/* The group's indicator numbers are first..first+size-1. */
static int group_first(enum ita_instrument g)
{
    return g == ITA_IIT ? 1 : g == ITA_EIT ? 6 : 9;
}

int ita_summarise(const struct ita_rules *rules, const struct ita_value indicator[ITA_N_INDICATORS],
                  struct ita_summary *out)
{
    const int *group_weight = rules->weight;
    memset(out, 0, sizeof *out);
    out->rules = rules;
    out->rating = -1;
    out->blocked = -1;
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        if (indicator[i].defined && !valid_score(indicator[i].value))
            return -1;
        out->indicator[i] = indicator[i];
    }
    int defined_groups = 0;
    double weighted_sum = 0.0; /* sum of weight * group, in percent-points */
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        int first = group_first((enum ita_instrument)g);
        double sum = 0.0;
        bool all = true;
        for (int k = 0; k < group_size[g]; k++) {
            const struct ita_value *iv = &indicator[first - 1 + k];
            if (!iv->defined)
                all = false;
            else
                sum += iv->value;
        }
        if (!all)
            continue;
        out->group[g].defined = true;
        out->group[g].value = sum / group_size[g];
        out->weighted[g].defined = true;
        out->weighted[g].value = out->group[g].value * group_weight[g] / 100.0;
        weighted_sum += out->group[g].value * group_weight[g];
        out->total_max += group_weight[g];
        defined_groups++;
    }
    out->total = weighted_sum / 100.0;
    if (defined_groups == 0) {
        out->state = ITA_TOTAL_NONE;
    } else if (defined_groups < ITA_N_INSTRUMENTS) {
        out->state = ITA_TOTAL_PARTIAL;
    } else {
        out->state = ITA_TOTAL_COMPLETE;
        double tool[ITA_N_INSTRUMENTS];
        for (int g = 0; g < ITA_N_INSTRUMENTS; g++)
            tool[g] = out->group[g].value;
        out->rating = ita_rate(rules, out->total, tool);
        out->pass = out->rating >= 0 && rules->levels[out->rating].pass;
        if (out->rating > 0) {
            int up = out->rating - 1;
            if (ita_at_least(out->total, ita_rational_value(rules->levels[up].total_min)))
                out->blocked = up;
        }
    }
    return 0;
}

int ita_whatif(const struct ita_rules *rules, const struct ita_value indicator[ITA_N_INDICATORS],
               int target, struct ita_whatif out[ITA_N_INDICATORS])
{
    struct ita_summary s;
    if (target < 0 || (size_t)target >= rules->n_levels ||
        ita_summarise(rules, indicator, &s) < 0 || s.state != ITA_TOTAL_COMPLETE)
        return -1;
    const struct ita_rating_level *lv = &rules->levels[target];
    double total_min = ita_rational_value(lv->total_min);
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        int g = ita_indicator_instrument(i + 1);
        double cur = indicator[i].value;
        memset(&out[i], 0, sizeof out[i]);
        out[i].new_score = cur;
        if (s.rating <= target) {
            out[i].state = ITA_WHATIF_REACHED;
            continue;
        }
        bool blocked = false;
        for (int h = 0; h < ITA_N_INSTRUMENTS; h++)
            if (h != g && ita_tool_short(rules, target, &s, (enum ita_instrument)h, NULL) > 0)
                blocked = true;
        if (blocked || rules->weight[g] == 0) {
            out[i].state = ITA_WHATIF_BLOCKED;
            continue;
        }
        /* The indicator's share of the total is weight / size percent, so one point more on it
         * adds weight / size / 100 to the total and 1 / size to its tool. */
        double increase = 0.0;
        if (!ita_at_least(s.total, total_min))
            increase = (total_min - s.total) * 100.0 * group_size[g] / rules->weight[g];
        double tool_gap = ita_tool_short(rules, target, &s, (enum ita_instrument)g, NULL);
        if (tool_gap * group_size[g] > increase)
            increase = tool_gap * group_size[g];
        out[i].increase = increase;
        out[i].new_score = cur + increase;
        if (out[i].new_score > 100.0 + ITA_SCORE_EPSILON) {
            out[i].state = ITA_WHATIF_UNREACHABLE;
        } else {
            out[i].state = ITA_WHATIF_RAISE;
            if (out[i].new_score > 100.0)
                out[i].new_score = 100.0;
        }
    }
    return 0;
}

int ita_tool_plan(const struct ita_summary *s, int level, struct ita_tool_plan *out)
{
    const struct ita_rules *r = s->rules;
    memset(out, 0, sizeof *out);
    if (s->state != ITA_TOTAL_COMPLETE || !r || level < 0 || (size_t)level >= r->n_levels)
        return -1;
    out->reached = s->rating <= level;
    double total = s->total;
    bool within = true;
    for (int g = 0; g < ITA_N_INSTRUMENTS; g++) {
        out->to_minimum[g] = out->reached ? 0.0 : ita_tool_short(r, level, s, g, NULL);
        total += out->to_minimum[g] * r->weight[g] / 100.0;
        if (s->group[g].value + out->to_minimum[g] > 100.0 + ITA_SCORE_EPSILON)
            within = false;
    }
    double total_min = ita_rational_value(r->levels[level].total_min);
    if (!out->reached && !ita_at_least(total, total_min))
        out->total_gap = total_min - total;
    bool any = out->total_gap == 0.0;
    for (int g = 0; g < ITA_N_INSTRUMENTS && out->total_gap > 0.0; g++) {
        if (r->weight[g] == 0)
            continue;
        out->alone[g] = out->total_gap * 100.0 / r->weight[g];
        out->alone_possible[g] =
            s->group[g].value + out->to_minimum[g] + out->alone[g] <= 100.0 + ITA_SCORE_EPSILON;
        any = any || out->alone_possible[g];
    }
    out->possible = out->reached || (within && any);
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * From answer counts to indicators. */

/* Mean points of one field's answers, computed exactly in integers (points * common
 * denominator) and divided once, so the result is the correctly rounded mean whenever the sums
 * stay below 2^53 (always, for realistic respondent numbers). */
ITA_WUR static int field_score(const struct ita_version *v, const struct ita_field *f,
                               const struct ita_field_counts *c, struct ita_value *out,
                               uint64_t *answers, char **err)
{
    const struct ita_scale *sc = &v->scales[f->scale];
    const struct ita_point_map *pm = &v->point_maps[sc->point_map];
    uint64_t n = 0, sum = 0;
    for (int l = sc->levels; l < ITA_MAX_LEVELS; l++) {
        if (c->at_level[l] != 0) {
            *err =
                xasprintf("field %s: %llu answers at level %d, but its scale '%s' has levels "
                          "0 to %d",
                          f->code, (unsigned long long)c->at_level[l], l, sc->name, sc->levels - 1);
            return -1;
        }
    }
    for (int l = 0; l < sc->levels; l++) {
        int pl = f->polarity == ITA_NEGATIVE ? sc->levels - 1 - l : l;
        uint64_t w = (uint64_t)pm->weight[pl];
        uint64_t term;
        if (__builtin_add_overflow(n, c->at_level[l], &n) ||
            __builtin_mul_overflow(c->at_level[l], w, &term) ||
            __builtin_add_overflow(sum, term, &sum)) {
            *err = xasprintf("field %s: answer counts too large to add up", f->code);
            return -1;
        }
    }
    *answers = n;
    out->defined = n > 0;
    out->value = 0.0;
    if (n == 0)
        return 0;
    uint64_t den;
    if (__builtin_mul_overflow(n, (uint64_t)pm->common_den, &den)) {
        *err = xasprintf("field %s: answer counts too large to add up", f->code);
        return -1;
    }
    if (sum <= EXACT_DOUBLE_LIMIT && den <= EXACT_DOUBLE_LIMIT)
        out->value = (double)sum / (double)den;
    else
        out->value = (double)((long double)sum / (long double)den);
    return 0;
}

void ita_result_free(struct ita_result *r)
{
    if (!r)
        return;
    free(r->field_answers);
    free(r->field);
    free(r->question);
    free(r);
}

struct ita_result *ita_score(const struct ita_version *v, const struct ita_score_input *in,
                             char **err)
{
    struct ita_result *r = xcalloc(1, sizeof *r);
    struct ita_value ind[ITA_N_INDICATORS];
    *err = NULL;
    r->version = v;
    r->field_answers = xcalloc(v->n_fields, sizeof *r->field_answers);
    r->field = xcalloc(v->n_fields, sizeof *r->field);
    r->question = xcalloc(v->n_questions, sizeof *r->question);
    memset(ind, 0, sizeof ind);

    if (in->fields && in->n_fields != v->n_fields) {
        *err = xasprintf("answer counts for %zu fields, but fiscal year %d has %zu", in->n_fields,
                         v->fiscal_year, v->n_fields);
        goto fail;
    }
    if (in->oit && !v->has_oit) {
        *err = xasprintf("OIT marks given, but fiscal year %d's version lists no OIT items",
                         v->fiscal_year);
        goto fail;
    }
    if (in->oit && in->n_oit != v->n_oit_items) {
        *err = xasprintf("OIT marks for %zu items, but fiscal year %d has %zu", in->n_oit,
                         v->fiscal_year, v->n_oit_items);
        goto fail;
    }
    for (size_t i = 0; in->fields && i < v->n_fields; i++) {
        if (field_score(v, v->field_list[i], &in->fields[i], &r->field[i], &r->field_answers[i],
                        err) < 0)
            goto fail;
    }
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        double sum = 0.0;
        bool all = true;
        for (size_t f = 0; f < q->n_fields; f++) {
            const struct ita_value *fv = &r->field[q->fields[f].index];
            if (!fv->defined)
                all = false;
            else
                sum += fv->value;
        }
        r->question[i].defined = all;
        r->question[i].value = all ? sum / (double)q->n_fields : 0.0;
    }
    for (int n = 1; n <= 8; n++) {
        double sum = 0.0;
        size_t count = 0;
        bool all = true;
        for (size_t i = 0; i < v->n_questions; i++) {
            if (v->question_list[i]->indicator != n)
                continue;
            count++;
            if (!r->question[i].defined)
                all = false;
            else
                sum += r->question[i].value;
        }
        ind[n - 1].defined = all && count > 0;
        ind[n - 1].value = ind[n - 1].defined ? sum / (double)count : 0.0;
    }
    for (size_t i = 0; i < v->n_oit_items; i++) {
        int k = v->oit_items[i].indicator - 9;
        r->oit_items[k]++;
        if (!in->oit || in->oit[i] == ITA_OIT_NOT_ASSESSED)
            continue;
        if (in->oit[i] != ITA_OIT_MET && in->oit[i] != ITA_OIT_NOT_MET) {
            *err = xasprintf("OIT item %s: mark %d is neither met nor not met",
                             v->oit_items[i].code, (int)in->oit[i]);
            goto fail;
        }
        r->oit_assessed[k]++;
        if (in->oit[i] == ITA_OIT_MET)
            r->oit_met[k]++;
    }
    for (int k = 0; k < 2; k++) {
        ind[8 + k].defined = r->oit_items[k] > 0 && r->oit_assessed[k] == r->oit_items[k];
        ind[8 + k].value =
            ind[8 + k].defined ? 100.0 * (double)r->oit_met[k] / (double)r->oit_items[k] : 0.0;
    }
    if (ita_summarise(&v->rules, ind, &r->summary) < 0) {
        /* Means of values in 0..100 stay in 0..100: reaching this is a bug in this file. */
        fputs("fatal: scoring produced an indicator outside 0..100\n", stderr);
        abort();
    }
    return r;
fail:
    ita_result_free(r);
    return NULL;
}

size_t ita_lowest_insert(size_t *idx, size_t n, size_t max, size_t i,
                         const struct ita_value *values)
{
    /* Insertion into a sorted prefix of length <= max; strict < keeps arrival order for ties. */
    size_t pos = n;
    while (pos > 0 && values[i].value < values[idx[pos - 1]].value)
        pos--;
    if (pos >= max)
        return n;
    size_t last = n < max ? n : max - 1;
    for (size_t k = last; k > pos; k--)
        idx[k] = idx[k - 1];
    idx[pos] = i;
    return n < max ? n + 1 : n;
}

size_t ita_lowest_questions(const struct ita_result *r, int indicator, size_t max,
                            const struct ita_question **out)
{
    const struct ita_version *v = r->version;
    if (max == 0)
        return 0;
    size_t *idx = xcalloc(max, sizeof *idx); /* question indexes, lowest first */
    size_t n = 0;
    for (size_t i = 0; i < v->n_questions; i++)
        if (v->question_list[i]->indicator == indicator && r->question[i].defined)
            n = ita_lowest_insert(idx, n, max, i, r->question);
    for (size_t k = 0; k < n; k++)
        out[k] = v->question_list[idx[k]];
    free(idx);
    return n;
}
