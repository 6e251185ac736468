/* Instrument versions in memory: facts fixed by NACC's method (instrument codes, indicator
 * ranges), exact rational points, lookups by code and freeing. Loading, canonical JSON and the
 * replacement rule are in instrument_load*.c, instrument_json.c and instrument_replace.c. */
#include "instrument_priv.h"

#include "enum_name.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Facts that are fixed by NACC's method, not by a version file. */

const char *ita_instrument_code(enum ita_instrument k)
{
    static const char *const CODES[ITA_N_INSTRUMENTS] = {
        [ITA_IIT] = "IIT", [ITA_EIT] = "EIT", [ITA_OIT] = "OIT"};
    return ITA_ENUM_NAME(CODES, k);
}

int ita_indicator_instrument(int number)
{
    if (number >= 1 && number <= 5)
        return ITA_IIT;
    if (number >= 6 && number <= 8)
        return ITA_EIT;
    if (number == 9 || number == 10)
        return ITA_OIT;
    return -1;
}

const char *ita_indicator_range(enum ita_instrument k)
{
    static const char *const RANGES[ITA_N_INSTRUMENTS] = {
        [ITA_IIT] = "1-5", [ITA_EIT] = "6-8", [ITA_OIT] = "9-10"};
    return ITA_ENUM_NAME(RANGES, k);
}

double ita_rational_value(struct ita_rational r)
{
    return (double)r.num / (double)r.den;
}

int64_t ita_gcd64(int64_t a, int64_t b)
{
    while (b != 0) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

struct ita_rational ita_rational_make(int64_t num, int64_t den)
{
    int64_t g = ita_gcd64(num, den);
    if (g == 0)
        g = 1;
    struct ita_rational r = {num / g, den / g};
    return r;
}

bool ita_rational_eq(struct ita_rational a, struct ita_rational b)
{
    return a.num == b.num && a.den == b.den; /* both in lowest terms */
}

/* a <= b, exact: numerators <= 1e8 and denominators <= 1e6 keep the products in range. */
bool ita_rational_le(struct ita_rational a, struct ita_rational b)
{
    return a.num * b.den <= b.num * a.den;
}

/* Text of a rational as the file format writes it: "25", "33.33" (a short decimal) or "100/3". */
char *ita_rational_text(struct ita_rational r)
{
    if (r.den == 1)
        return xasprintf("%lld", (long long)r.num);
    int64_t scale = 1;
    for (int k = 1; k <= MAX_DECIMALS; k++) {
        scale *= 10;
        if (scale % r.den == 0) {
            int64_t scaled = r.num * (scale / r.den);
            return xasprintf("%lld.%0*lld", (long long)(scaled / scale), k,
                             (long long)(scaled % scale));
        }
    }
    return xasprintf("%lld/%lld", (long long)r.num, (long long)r.den);
}

struct ita_rational ita_field_points(const struct ita_version *v, const struct ita_field *f,
                                     int level)
{
    const struct ita_scale *s = &v->scales[f->scale];
    const struct ita_point_map *pm = &v->point_maps[s->point_map];
    int l = f->polarity == ITA_NEGATIVE ? pm->levels - 1 - level : level;
    return pm->points[l];
}

/* ---------------------------------------------------------------------------------------------
 * Lookups. */

const struct ita_question *ita_version_find_question(const struct ita_version *v, const char *code)
{
    for (size_t i = 0; i < v->n_questions; i++)
        if (strcmp(v->question_list[i]->code, code) == 0)
            return v->question_list[i];
    return NULL;
}

const struct ita_field *ita_version_find_field(const struct ita_version *v, const char *code)
{
    for (size_t i = 0; i < v->n_fields; i++)
        if (strcmp(v->field_list[i]->code, code) == 0)
            return v->field_list[i];
    return NULL;
}

const struct ita_oit_item *ita_version_find_oit_item(const struct ita_version *v, const char *code)
{
    for (size_t i = 0; i < v->n_oit_items; i++)
        if (strcmp(v->oit_items[i].code, code) == 0)
            return &v->oit_items[i];
    return NULL;
}

char *ita_fill_agency(const char *text, const char *agency_name)
{
    static const char P[] = ITA_AGENCY_PLACEHOLDER;
    struct strbuf b;
    strbuf_init(&b);
    for (const char *at; (at = strstr(text, P)) != NULL; text = at + sizeof P - 1)
        strbuf_printf(&b, "%.*s%s", (int)(at - text), text, agency_name);
    strbuf_puts(&b, text);
    return strbuf_detach(&b);
}

/* ---------------------------------------------------------------------------------------------
 * Freeing. Works on a partly built version: arrays are zeroed when allocated. */

/* Frees each of the n elements of `array` with free_one(), then the array itself. */
#define FREE_ARRAY(array, n, free_one)                                                             \
    do {                                                                                           \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            free_one(&(array)[i_]);                                                                \
        free(array);                                                                               \
    } while (0)

static void free_field(struct ita_field *f)
{
    free(f->code);
    free(f->label_th);
    free(f->label_en);
}

static void free_question(struct ita_question *q)
{
    free(q->code);
    free(q->text_th);
    free(q->text_en);
    free(q->note_th);
    free(q->source);
    free(q->suggestion_th);
    FREE_ARRAY(q->fields, q->n_fields, free_field);
}

static void free_point_map(struct ita_point_map *pm)
{
    free(pm->name);
    free(pm->note);
}

static void free_scale(struct ita_scale *s)
{
    free(s->name);
    free(s->note);
    for (int l = 0; l < ITA_MAX_LEVELS; l++)
        free(s->labels_th[l]);
}

static void free_oit_sub(struct ita_oit_sub *sub)
{
    free(sub->code);
    free(sub->name_th);
}

static void free_text(char **s)
{
    free(*s);
}

static void free_oit_item(struct ita_oit_item *it)
{
    free(it->code);
    free(it->title_th);
    free(it->source);
    FREE_ARRAY(it->requirements_th, it->n_requirements, free_text);
    FREE_ARRAY(it->units_th, it->n_units, free_text);
}

static void free_timetable_row(struct ita_timetable_row *row)
{
    free(row->step_th);
    free(row->period_th);
    free(row->method_th);
}

static void free_report(struct ita_report_defaults *r)
{
    FREE_ARRAY(r->objectives_th, r->n_objectives, free_text);
    FREE_ARRAY(r->benefits_th, r->n_benefits, free_text);
    FREE_ARRAY(r->timetable, r->n_timetable, free_timetable_row);
    free(r->coordinator_th);
}

static void free_rules(struct ita_rules *r)
{
    free(r->weights_source);
    free(r->rating_source);
    for (size_t i = 0; i < r->n_levels; i++) {
        free(r->levels[i].name_th);
        free(r->levels[i].name_en);
    }
}

void ita_version_free(struct ita_version *v)
{
    if (!v)
        return;
    free(v->title_th);
    free(v->note);
    FREE_ARRAY(v->point_maps, v->n_point_maps, free_point_map);
    FREE_ARRAY(v->scales, v->n_scales, free_scale);
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        free(v->indicators[i].name_th);
        free(v->indicators[i].name_en);
    }
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        free(v->surveys[k].name_th);
        free(v->surveys[k].name_en);
        FREE_ARRAY(v->surveys[k].questions, v->surveys[k].n_questions, free_question);
    }
    free(v->question_list);
    free(v->field_list);
    FREE_ARRAY(v->oit_subs, v->n_oit_subs, free_oit_sub);
    FREE_ARRAY(v->oit_items, v->n_oit_items, free_oit_item);
    free_rules(&v->rules);
    free_report(&v->report);
    free(v);
}

size_t ita_version_unverified(const struct ita_version *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n_point_maps; i++)
        n += !v->point_maps[i].verified;
    for (size_t i = 0; i < v->n_scales; i++)
        n += !v->scales[i].verified;
    for (size_t i = 0; i < v->n_questions; i++) {
        const struct ita_question *q = v->question_list[i];
        n += !q->verified;
        n += q->note_th && !q->note_verified;
    }
    for (size_t i = 0; i < v->n_oit_items; i++)
        n += !v->oit_items[i].verified;
    n += !v->rules.weights_verified;
    n += !v->rules.rating_verified;
    return n;
}
