/* Instrument versions as data: the loader and validator for the JSON file format documented in
 * instruments/README.md, the canonical JSON writer used to store a version, and the rule that
 * decides whether a corrected version may replace one that already has responses. */
#include "instrument.h"

#include "xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_BYTES (16u * 1024u * 1024u) /* largest version file accepted */
#define MAX_TEXT_BYTES 8000                  /* longest single text value, bytes */
#define MAX_CODE_CHARS 32                    /* longest code or name */
#define MAX_QUESTIONS 200                    /* per survey */
#define MAX_FIELDS 20                        /* per question */
#define MAX_OIT_ITEMS 200                    /* per version */
#define MAX_COMMON_DEN 1000000               /* finest common denominator of a point map */
#define MAX_DECIMALS 6                       /* digits after the point in "33.33"-style points */
#define MAX_REASONS 20                       /* conflicts listed in a refusal message */

/* ---------------------------------------------------------------------------------------------
 * Small string builder for messages. */

struct sbuf {
    char *s;    /* NUL-terminated text, owned */
    size_t len; /* bytes before the NUL */
    size_t cap; /* bytes allocated */
};

static void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        abort(); /* only an invalid format string can do this: a programming error */
    size_t need = b->len + (size_t)n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap *= 2;
        b->s = xreallocarray(b->s, cap, 1);
        b->cap = cap;
    }
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    b->len += (size_t)n;
}

static void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------------------------------
 * Facts that are fixed by NACC's method, not by a version file. */

const char *ita_instrument_code(enum ita_instrument k)
{
    switch (k) {
    case ITA_IIT:
        return "IIT";
    case ITA_EIT:
        return "EIT";
    case ITA_OIT:
        return "OIT";
    }
    return "?";
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

static const char *indicator_range(enum ita_instrument k)
{
    switch (k) {
    case ITA_IIT:
        return "1-5";
    case ITA_EIT:
        return "6-8";
    case ITA_OIT:
        return "9-10";
    }
    return "?";
}

double ita_rational_value(struct ita_rational r)
{
    return (double)r.num / (double)r.den;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b != 0) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static struct ita_rational rational_make(int64_t num, int64_t den)
{
    int64_t g = gcd64(num, den);
    if (g == 0)
        g = 1;
    struct ita_rational r = {num / g, den / g};
    return r;
}

static bool rational_eq(struct ita_rational a, struct ita_rational b)
{
    return a.num == b.num && a.den == b.den; /* both in lowest terms */
}

/* a <= b, exact: numerators <= 1e8 and denominators <= 1e6 keep the products in range. */
static bool rational_le(struct ita_rational a, struct ita_rational b)
{
    return a.num * b.den <= b.num * a.den;
}

/* Text of a rational as the file format writes it: "25", "33.33" (a short decimal) or "100/3". */
static char *rational_text(struct ita_rational r)
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

/* ---------------------------------------------------------------------------------------------
 * Freeing. Works on a partly built version: arrays are zeroed when allocated. */

static void free_question(struct ita_question *q)
{
    free(q->code);
    free(q->text_th);
    free(q->text_en);
    free(q->note_th);
    free(q->source);
    for (size_t i = 0; i < q->n_fields; i++) {
        free(q->fields[i].code);
        free(q->fields[i].label_th);
        free(q->fields[i].label_en);
    }
    free(q->fields);
}

void ita_version_free(struct ita_version *v)
{
    if (!v)
        return;
    free(v->title_th);
    free(v->note);
    for (size_t i = 0; i < v->n_point_maps; i++) {
        free(v->point_maps[i].name);
        free(v->point_maps[i].note);
    }
    free(v->point_maps);
    for (size_t i = 0; i < v->n_scales; i++) {
        free(v->scales[i].name);
        free(v->scales[i].note);
        for (int l = 0; l < ITA_MAX_LEVELS; l++)
            free(v->scales[i].labels_th[l]);
    }
    free(v->scales);
    for (int i = 0; i < ITA_N_INDICATORS; i++) {
        free(v->indicators[i].name_th);
        free(v->indicators[i].name_en);
    }
    for (int k = 0; k < ITA_N_SURVEYS; k++) {
        struct ita_survey *s = &v->surveys[k];
        free(s->name_th);
        free(s->name_en);
        for (size_t i = 0; i < s->n_questions; i++)
            free_question(&s->questions[i]);
        free(s->questions);
    }
    free(v->question_list);
    free(v->field_list);
    for (size_t i = 0; i < v->n_oit_subs; i++) {
        free(v->oit_subs[i].code);
        free(v->oit_subs[i].name_th);
    }
    free(v->oit_subs);
    for (size_t i = 0; i < v->n_oit_items; i++) {
        free(v->oit_items[i].code);
        free(v->oit_items[i].title_th);
    }
    free(v->oit_items);
    free(v);
}

/* ---------------------------------------------------------------------------------------------
 * Loader: every check reports the first problem as "<source>: <json path>: <what to fix>". */

struct loader {
    const char *source;    /* file name used in messages */
    char *err;             /* first error message, owned until handed to the caller */
    struct ita_version *v; /* the version being built */
    size_t scales_cap;     /* allocated length of v->scales */
};

static int fail(struct loader *ld, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct loader *ld, const char *path, const char *fmt, ...)
{
    if (ld->err)
        return -1;
    struct sbuf b = {0};
    if (path && *path)
        sbuf_printf(&b, "%s: %s: ", ld->source, path);
    else
        sbuf_printf(&b, "%s: ", ld->source);
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    ld->err = b.s;
    return -1;
}

static const char *json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a decimal number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "true/false";
    case JSON_NULL:
        return "null";
    }
    return "an unknown JSON value";
}

/* Reject keys outside `allowed` (NULL-terminated) so that typos do not pass silently. */
ITA_WUR static int check_keys(struct loader *ld, json_t *obj, const char *path,
                              const char *const *allowed)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        bool ok = false;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(key, allowed[i]) == 0)
                ok = true;
        if (!ok) {
            struct sbuf b = {0};
            for (size_t i = 0; allowed[i]; i++)
                sbuf_printf(&b, "%s%s", i ? ", " : "", allowed[i]);
            int rc = fail(ld, path, "unknown key \"%s\" (allowed here: %s)", key, b.s);
            free(b.s);
            return rc;
        }
    }
    return 0;
}

ITA_WUR static int need_object(struct loader *ld, json_t *j, const char *path)
{
    if (!json_is_object(j))
        return fail(ld, path, "must be an object {...}, not %s", json_kind(j));
    return 0;
}

/* A text value: non-empty, no surrounding spaces, no control characters except newline. */
ITA_WUR static int check_text(struct loader *ld, const char *path, const char *key, const char *s,
                              size_t len)
{
    if (len == 0)
        return fail(ld, path, "\"%s\" must not be empty", key);
    if (len > MAX_TEXT_BYTES)
        return fail(ld, path, "\"%s\" is %zu bytes long; the limit is %d", key, len,
                    MAX_TEXT_BYTES);
    if (strlen(s) != len)
        return fail(ld, path, "\"%s\" contains a NUL character", key);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            return fail(ld, path, "\"%s\" contains control character 0x%02x at byte %zu", key, c,
                        i);
    }
    if (s[0] == ' ' || s[0] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\n')
        return fail(ld, path, "\"%s\" starts or ends with white space; remove it", key);
    return 0;
}

ITA_WUR static int get_text(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool required, char **out)
{
    *out = NULL;
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (required)
            return fail(ld, path, "\"%s\" is missing", key);
        return 0;
    }
    if (!json_is_string(j))
        return fail(ld, path, "\"%s\" must be a string, not %s", key, json_kind(j));
    const char *s = json_string_value(j);
    if (check_text(ld, path, key, s, json_string_length(j)) < 0)
        return -1;
    *out = xstrdup(s);
    return 0;
}

ITA_WUR static int get_bool(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return fail(ld, path, "\"%s\" is missing (write true or false)", key);
    if (!json_is_boolean(j))
        return fail(ld, path, "\"%s\" must be true or false, not %s", key, json_kind(j));
    *out = json_is_true(j);
    return 0;
}

ITA_WUR static int get_int(struct loader *ld, json_t *obj, const char *path, const char *key,
                           int min, int max, int *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return fail(ld, path, "\"%s\" is missing", key);
    if (!json_is_integer(j))
        return fail(ld, path, "\"%s\" must be a whole number, not %s", key, json_kind(j));
    json_int_t n = json_integer_value(j);
    if (n < min || n > max)
        return fail(ld, path, "\"%s\" is %lld; it must be between %d and %d", key, (long long)n,
                    min, max);
    *out = (int)n;
    return 0;
}

/* Codes and names: 1-32 characters from A-Z a-z 0-9 . _ + -, starting with a letter or digit. */
ITA_WUR static int check_code(struct loader *ld, const char *path, const char *what, const char *s)
{
    size_t n = strlen(s);
    bool ok = n >= 1 && n <= MAX_CODE_CHARS;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '+' && c != '-')))
            ok = false;
    }
    if (!ok)
        return fail(ld, path,
                    "%s '%s' is not valid: use 1-%d characters from A-Z a-z 0-9 . _ + -, "
                    "starting with a letter or digit",
                    what, s, MAX_CODE_CHARS);
    return 0;
}

ITA_WUR static int get_code(struct loader *ld, json_t *obj, const char *path, const char *key,
                            char **out)
{
    if (get_text(ld, obj, path, key, true, out) < 0)
        return -1;
    return check_code(ld, path, key, *out);
}

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
        return fail(ld, path,
                    "\"polarity\" is '%s'; write \"positive\" (highest level is best) "
                    "or \"negative\" (reverse-scored: level 0 is best)",
                    s);
    return fail(ld, path, "\"polarity\" must be the string \"positive\" or \"negative\", not %s",
                json_kind(j));
}

/* Parse digits s[0..n) into *out; false when empty, not all digits or above `max`. */
ITA_WUR static bool parse_digits(const char *s, size_t n, int64_t max, int64_t *out)
{
    int64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* One point value: an integer, or a string "33.33" (up to 6 decimals) or "100/3". */
ITA_WUR static int parse_points(struct loader *ld, json_t *j, const char *path,
                                struct ita_rational *out)
{
    int64_t num = 0;
    int64_t den = 1;
    if (json_is_integer(j)) {
        json_int_t n = json_integer_value(j);
        if (n < 0 || n > 100)
            return fail(ld, path, "%lld points is outside 0..100", (long long)n);
        num = n;
    } else if (json_is_real(j)) {
        return fail(ld, path,
                    "%.17g is a binary decimal number; write fractional points as a string such "
                    "as \"100/3\" or \"33.33\" so that the value is exact",
                    json_real_value(j));
    } else if (json_is_string(j)) {
        const char *s = json_string_value(j);
        size_t n = strlen(s);
        const char *slash = strchr(s, '/');
        const char *dot = strchr(s, '.');
        bool ok;
        if (slash) {
            ok = parse_digits(s, (size_t)(slash - s), 100000000, &num) &&
                 parse_digits(slash + 1, n - (size_t)(slash - s) - 1, MAX_COMMON_DEN, &den) &&
                 den >= 1;
        } else if (dot) {
            int64_t whole = 0, frac = 0;
            size_t nf = n - (size_t)(dot - s) - 1;
            ok = nf >= 1 && nf <= MAX_DECIMALS && parse_digits(s, (size_t)(dot - s), 100, &whole) &&
                 parse_digits(dot + 1, nf, 999999, &frac);
            for (size_t i = 0; ok && i < nf; i++)
                den *= 10;
            num = whole * den + frac;
        } else {
            ok = parse_digits(s, n, 100, &num);
        }
        if (!ok)
            return fail(ld, path,
                        "\"%s\" is not a point value: write an integer (25), a decimal with at "
                        "most %d digits after the point (\"33.33\") or a fraction (\"100/3\", "
                        "denominator at most %d)",
                        s, MAX_DECIMALS, MAX_COMMON_DEN);
        if (num > 100 * den)
            return fail(ld, path, "\"%s\" points is above 100", s);
    } else {
        return fail(ld, path,
                    "a point value must be a number or a string such as \"100/3\", "
                    "not %s",
                    json_kind(j));
    }
    *out = rational_make(num, den);
    return 0;
}

ITA_WUR static int parse_point_map(struct loader *ld, const char *path, const char *name, json_t *j,
                                   struct ita_point_map *pm)
{
    static const char *const keys[] = {"points", "verified", "note", NULL};
    pm->name = xstrdup(name);
    if (check_code(ld, path, "point map name", name) < 0 || need_object(ld, j, path) < 0 ||
        check_keys(ld, j, path, keys) < 0)
        return -1;
    json_t *pts = json_object_get(j, "points");
    if (!pts)
        return fail(ld, path,
                    "\"points\" is missing: list the points of each level, level 0 "
                    "first, e.g. [0, \"100/3\", \"200/3\", 100]");
    if (!json_is_array(pts))
        return fail(ld, path, "\"points\" must be an array, not %s", json_kind(pts));
    size_t n = json_array_size(pts);
    if (n < ITA_MIN_LEVELS || n > ITA_MAX_LEVELS)
        return fail(ld, path, "\"points\" has %zu values; a scale has %d to %d levels", n,
                    ITA_MIN_LEVELS, ITA_MAX_LEVELS);
    pm->levels = (int)n;
    for (size_t i = 0; i < n; i++) {
        char *p = xasprintf("%s.points[%zu]", path, i);
        int rc = parse_points(ld, json_array_get(pts, i), p, &pm->points[i]);
        free(p);
        if (rc < 0)
            return -1;
    }
    for (size_t i = 1; i < n; i++) {
        if (!rational_le(pm->points[i - 1], pm->points[i])) {
            char *a = rational_text(pm->points[i - 1]);
            char *b = rational_text(pm->points[i]);
            fail(ld, path,
                 "points must not decrease from level 0 upwards, but level %zu has %s and level "
                 "%zu has %s (reverse-scored fields use \"polarity\": \"negative\" instead)",
                 i - 1, a, i, b);
            free(a);
            free(b);
            return -1;
        }
    }
    if (rational_le(pm->points[n - 1], pm->points[0]))
        return fail(ld, path, "the top level must earn more points than level 0");
    int64_t d = 1;
    for (size_t i = 0; i < n; i++) {
        d = d / gcd64(d, pm->points[i].den) * pm->points[i].den;
        if (d > MAX_COMMON_DEN)
            return fail(ld, path,
                        "the denominators of the points are too fine (common "
                        "denominator above %d)",
                        MAX_COMMON_DEN);
    }
    pm->common_den = d;
    for (size_t i = 0; i < n; i++)
        pm->weight[i] = pm->points[i].num * (d / pm->points[i].den);
    if (get_bool(ld, j, path, "verified", &pm->verified) < 0)
        return -1;
    return get_text(ld, j, path, "note", false, &pm->note);
}

static struct ita_scale *new_scale(struct loader *ld)
{
    struct ita_version *v = ld->v;
    if (v->n_scales == ld->scales_cap) {
        size_t cap = ld->scales_cap ? ld->scales_cap * 2 : 8;
        v->scales = xreallocarray(v->scales, cap, sizeof *v->scales);
        memset(v->scales + ld->scales_cap, 0, (cap - ld->scales_cap) * sizeof *v->scales);
        ld->scales_cap = cap;
    }
    return &v->scales[v->n_scales++];
}

ITA_WUR static int find_scale(const struct ita_version *v, const char *name, size_t *out)
{
    for (size_t i = 0; i < v->n_scales; i++) {
        if (strcmp(v->scales[i].name, name) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

static char *list_point_maps(const struct ita_version *v)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < v->n_point_maps; i++)
        sbuf_printf(&b, "%s%s", i ? ", " : "", v->point_maps[i].name);
    return b.s;
}

static char *list_named_scales(const struct loader *ld, size_t n_named)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < n_named; i++)
        sbuf_printf(&b, "%s%s", i ? ", " : "", ld->v->scales[i].name);
    if (!b.s)
        sbuf_printf(&b, "none");
    return b.s;
}

/* The body of a scale, named or inline: labels, point map, verification. */
ITA_WUR static int parse_scale_body(struct loader *ld, const char *path, json_t *j,
                                    struct ita_scale *s)
{
    static const char *const keys[] = {"labels_th", "point_map", "verified", "note", NULL};
    if (need_object(ld, j, path) < 0 || check_keys(ld, j, path, keys) < 0)
        return -1;
    json_t *labels = json_object_get(j, "labels_th");
    if (!labels)
        return fail(ld, path,
                    "\"labels_th\" is missing: list the Thai label of each level, "
                    "level 0 first");
    if (!json_is_array(labels))
        return fail(ld, path, "\"labels_th\" must be an array of strings, not %s",
                    json_kind(labels));
    size_t n = json_array_size(labels);
    if (n < ITA_MIN_LEVELS || n > ITA_MAX_LEVELS)
        return fail(ld, path, "\"labels_th\" has %zu labels; a scale has %d to %d levels", n,
                    ITA_MIN_LEVELS, ITA_MAX_LEVELS);
    s->levels = (int)n;
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(labels, i);
        char *p = xasprintf("%s.labels_th[%zu]", path, i);
        int rc = 0;
        if (!json_is_string(l))
            rc = fail(ld, p, "must be a string, not %s", json_kind(l));
        else
            rc = check_text(ld, p, "label", json_string_value(l), json_string_length(l));
        free(p);
        if (rc < 0)
            return -1;
        s->labels_th[i] = xstrdup(json_string_value(l));
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(s->labels_th[i], s->labels_th[k]) == 0)
                return fail(ld, path, "levels %zu and %zu have the same label '%s'", k, i,
                            s->labels_th[i]);
    char *pm_name = NULL;
    if (get_text(ld, j, path, "point_map", false, &pm_name) < 0)
        return -1;
    if (!pm_name) {
        char *names = list_point_maps(ld->v);
        fail(ld, path,
             "\"point_map\" is missing: name one of \"point_maps\" (%s) with %d levels; the "
             "usual map is [0, 100] for 2 levels and [0, \"100/3\", \"200/3\", 100] for 4",
             names, s->levels);
        free(names);
        return -1;
    }
    bool found = false;
    for (size_t i = 0; i < ld->v->n_point_maps; i++) {
        if (strcmp(ld->v->point_maps[i].name, pm_name) == 0) {
            s->point_map = i;
            found = true;
        }
    }
    if (!found) {
        char *names = list_point_maps(ld->v);
        fail(ld, path, "point map '%s' is not defined in \"point_maps\" (defined: %s)", pm_name,
             names);
        free(names);
        free(pm_name);
        return -1;
    }
    int pm_levels = ld->v->point_maps[s->point_map].levels;
    if (pm_levels != s->levels) {
        fail(ld, path, "%d labels but point map '%s' has %d levels", s->levels, pm_name, pm_levels);
        free(pm_name);
        return -1;
    }
    free(pm_name);
    if (get_bool(ld, j, path, "verified", &s->verified) < 0)
        return -1;
    return get_text(ld, j, path, "note", false, &s->note);
}

/* "scale": either the name of a scale in "scales", or an inline scale object that is named after
 * the question or field defining it. `n_named` is the number of scales from "scales". */
ITA_WUR static int resolve_scale(struct loader *ld, const char *path, json_t *j,
                                 const char *owner_code, size_t n_named, size_t *out)
{
    if (json_is_string(j)) {
        const char *name = json_string_value(j);
        for (size_t i = 0; i < n_named; i++) {
            if (strcmp(ld->v->scales[i].name, name) == 0) {
                *out = i;
                return 0;
            }
        }
        char *names = list_named_scales(ld, n_named);
        fail(ld, path, "scale '%s' is not defined in \"scales\" (defined: %s)", name, names);
        free(names);
        return -1;
    }
    if (!json_is_object(j))
        return fail(ld, path,
                    "\"scale\" must name a scale in \"scales\" or be a scale object, not %s",
                    json_kind(j));
    size_t existing;
    if (find_scale(ld->v, owner_code, &existing) == 0)
        return fail(ld, path,
                    "an inline scale is named after its question or field, '%s', but a scale "
                    "with that name already exists; rename that scale",
                    owner_code);
    char *p = xasprintf("%s.scale", path);
    struct ita_scale *s = new_scale(ld);
    s->name = xstrdup(owner_code);
    int rc = parse_scale_body(ld, p, j, s);
    free(p);
    if (rc < 0)
        return -1;
    *out = (size_t)(s - ld->v->scales);
    return 0;
}

ITA_WUR static int parse_field(struct loader *ld, const char *path, json_t *j, bool many,
                               bool has_qscale, size_t qscale, bool has_qpol,
                               enum ita_polarity qpol, size_t n_named, struct ita_field *f)
{
    static const char *const keys[] = {"code", "label_th", "label_en", "scale", "polarity", NULL};
    if (need_object(ld, j, path) < 0 || check_keys(ld, j, path, keys) < 0 ||
        get_code(ld, j, path, "code", &f->code) < 0)
        return -1;
    char *p = xasprintf("%s (%s)", path, f->code);
    int rc = -1;
    if (get_text(ld, j, p, "label_th", false, &f->label_th) < 0 ||
        get_text(ld, j, p, "label_en", false, &f->label_en) < 0)
        goto out;
    if (many && !f->label_th) {
        fail(ld, p,
             "\"label_th\" is missing: a question with several fields needs the "
             "sub-item text of each");
        goto out;
    }
    json_t *sj = json_object_get(j, "scale");
    if (sj) {
        if (resolve_scale(ld, p, sj, f->code, n_named, &f->scale) < 0)
            goto out;
    } else if (has_qscale) {
        f->scale = qscale;
    } else {
        fail(ld, p, "no scale: set \"scale\" on the field or on its question");
        goto out;
    }
    json_t *pj = json_object_get(j, "polarity");
    if (pj) {
        if (get_polarity(ld, pj, p, &f->polarity) < 0)
            goto out;
    } else if (has_qpol) {
        f->polarity = qpol;
    } else {
        fail(ld, p,
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
    if (need_object(ld, j, path) < 0 || check_keys(ld, j, path, keys) < 0 ||
        get_code(ld, j, path, "code", &q->code) < 0)
        return -1;
    char *p = xasprintf("%s (%s)", path, q->code);
    int rc = -1;
    if (get_int(ld, j, p, "indicator", 1, ITA_N_INDICATORS, &q->indicator) < 0)
        goto out;
    if (ita_indicator_instrument(q->indicator) != (int)kind) {
        fail(ld, p, "indicator %d belongs to %s; %s questions use indicators %s", q->indicator,
             ita_instrument_code((enum ita_instrument)ita_indicator_instrument(q->indicator)),
             ita_instrument_code(kind), indicator_range(kind));
        goto out;
    }
    if (get_text(ld, j, p, "text_th", true, &q->text_th) < 0 ||
        get_text(ld, j, p, "text_en", false, &q->text_en) < 0 ||
        get_text(ld, j, p, "note_th", false, &q->note_th) < 0 ||
        get_bool(ld, j, p, "verified", &q->verified) < 0 ||
        get_text(ld, j, p, "source", false, &q->source) < 0)
        goto out;
    if (q->note_th) {
        if (get_bool(ld, j, p, "note_verified", &q->note_verified) < 0)
            goto out;
    } else if (json_object_get(j, "note_verified")) {
        fail(ld, p, "\"note_verified\" is set but there is no \"note_th\"");
        goto out;
    }
    bool has_qscale = false, has_qpol = false;
    size_t qscale = 0;
    enum ita_polarity qpol = ITA_POSITIVE;
    json_t *sj = json_object_get(j, "scale");
    if (sj) {
        if (resolve_scale(ld, p, sj, q->code, n_named, &qscale) < 0)
            goto out;
        has_qscale = true;
    }
    json_t *pj = json_object_get(j, "polarity");
    if (pj) {
        if (get_polarity(ld, pj, p, &qpol) < 0)
            goto out;
        has_qpol = true;
    }
    json_t *fields = json_object_get(j, "fields");
    if (!fields) {
        fail(ld, p,
             "\"fields\" is missing: list the answer fields (one for a question without "
             "sub-items)");
        goto out;
    }
    if (!json_is_array(fields)) {
        fail(ld, p, "\"fields\" must be an array, not %s", json_kind(fields));
        goto out;
    }
    size_t n = json_array_size(fields);
    if (n < 1 || n > MAX_FIELDS) {
        fail(ld, p, "\"fields\" has %zu entries; a question has 1 to %d", n, MAX_FIELDS);
        goto out;
    }
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

ITA_WUR static int parse_point_maps(struct loader *ld, json_t *root)
{
    json_t *pms = json_object_get(root, "point_maps");
    if (!pms)
        return fail(ld, "", "\"point_maps\" is missing");
    if (need_object(ld, pms, "point_maps") < 0)
        return -1;
    size_t n = json_object_size(pms);
    if (n == 0)
        return fail(ld, "point_maps", "define at least one point map");
    ld->v->point_maps = xcalloc(n, sizeof *ld->v->point_maps);
    ld->v->n_point_maps = n;
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach(pms, key, val)
    {
        char *p = xasprintf("point_maps.%s", key);
        int rc = parse_point_map(ld, p, key, val, &ld->v->point_maps[i++]);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

ITA_WUR static int parse_scales(struct loader *ld, json_t *root)
{
    json_t *scales = json_object_get(root, "scales");
    if (!scales)
        return fail(ld, "", "\"scales\" is missing");
    if (need_object(ld, scales, "scales") < 0)
        return -1;
    const char *key;
    json_t *val;
    json_object_foreach(scales, key, val)
    {
        char *p = xasprintf("scales.%s", key);
        struct ita_scale *s = new_scale(ld);
        s->name = xstrdup(key);
        int rc = check_code(ld, p, "scale name", key);
        if (rc == 0)
            rc = parse_scale_body(ld, p, val, s);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

ITA_WUR static int parse_indicators(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"number", "name_th", "name_en", NULL};
    json_t *arr = json_object_get(root, "indicators");
    if (!arr)
        return fail(ld, "", "\"indicators\" is missing");
    if (!json_is_array(arr))
        return fail(ld, "indicators", "must be an array, not %s", json_kind(arr));
    if (json_array_size(arr) != ITA_N_INDICATORS)
        return fail(ld, "indicators", "has %zu entries; list all %d indicators",
                    json_array_size(arr), ITA_N_INDICATORS);
    for (size_t i = 0; i < ITA_N_INDICATORS; i++) {
        json_t *j = json_array_get(arr, i);
        char *p = xasprintf("indicators[%zu]", i);
        int number = 0;
        int rc = -1;
        if (need_object(ld, j, p) < 0 || check_keys(ld, j, p, keys) < 0 ||
            get_int(ld, j, p, "number", 1, ITA_N_INDICATORS, &number) < 0)
            goto next;
        struct ita_indicator *ind = &ld->v->indicators[number - 1];
        if (ind->number != 0) {
            fail(ld, p, "indicator %d is listed twice", number);
            goto next;
        }
        ind->number = number;
        ind->instrument = (enum ita_instrument)ita_indicator_instrument(number);
        if (get_text(ld, j, p, "name_th", true, &ind->name_th) < 0 ||
            get_text(ld, j, p, "name_en", false, &ind->name_en) < 0)
            goto next;
        rc = 0;
    next:
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

ITA_WUR static int parse_instruments(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"code", "name_th", "name_en", "questions", NULL};
    json_t *arr = json_object_get(root, "instruments");
    if (!arr)
        return fail(ld, "", "\"instruments\" is missing");
    if (!json_is_array(arr))
        return fail(ld, "instruments", "must be an array, not %s", json_kind(arr));
    size_t n_named = ld->v->n_scales;
    bool seen[ITA_N_SURVEYS] = {false, false};
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *j = json_array_get(arr, i);
        char *p = xasprintf("instruments[%zu]", i);
        char *code = NULL;
        int rc = -1;
        if (need_object(ld, j, p) < 0 || check_keys(ld, j, p, keys) < 0 ||
            get_text(ld, j, p, "code", true, &code) < 0)
            goto next;
        enum ita_instrument kind;
        if (strcmp(code, "IIT") == 0) {
            kind = ITA_IIT;
        } else if (strcmp(code, "EIT") == 0) {
            kind = ITA_EIT;
        } else {
            fail(ld, p,
                 "\"code\" is '%s'; an instrument is \"IIT\" or \"EIT\" (OIT items go in "
                 "\"oit\")",
                 code);
            goto next;
        }
        if (seen[kind]) {
            fail(ld, p, "%s is listed twice", code);
            goto next;
        }
        seen[kind] = true;
        struct ita_survey *s = &ld->v->surveys[kind];
        s->kind = kind;
        if (get_text(ld, j, p, "name_th", true, &s->name_th) < 0 ||
            get_text(ld, j, p, "name_en", false, &s->name_en) < 0)
            goto next;
        json_t *qs = json_object_get(j, "questions");
        if (!qs) {
            fail(ld, p, "\"questions\" is missing");
            goto next;
        }
        if (!json_is_array(qs)) {
            fail(ld, p, "\"questions\" must be an array, not %s", json_kind(qs));
            goto next;
        }
        size_t nq = json_array_size(qs);
        if (nq < 1 || nq > MAX_QUESTIONS) {
            fail(ld, p, "\"questions\" has %zu entries; an instrument has 1 to %d", nq,
                 MAX_QUESTIONS);
            goto next;
        }
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
            return fail(ld, "instruments", "%s is missing; a version describes both IIT and EIT",
                        ita_instrument_code((enum ita_instrument)k));
    return 0;
}

/* "sample_rule" (optional): see sample_rule.h. */
ITA_WUR static int parse_sample_rules(struct loader *ld, json_t *root)
{
    char err[256];
    if (ita_sample_rules_parse(json_object_get(root, "sample_rule"), ld->v->sample_rules, err,
                               sizeof err) != 0)
        return fail(ld, "sample_rule", "%s", err);
    return 0;
}

ITA_WUR static int parse_oit(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"sub_indicators", "items", NULL};
    static const char *const sub_keys[] = {"code", "indicator", "name_th", NULL};
    static const char *const item_keys[] = {"code", "sub_indicator", "title_th", NULL};
    struct ita_version *v = ld->v;
    json_t *oit = json_object_get(root, "oit");
    if (!oit)
        return 0;
    v->has_oit = true;
    if (need_object(ld, oit, "oit") < 0 || check_keys(ld, oit, "oit", keys) < 0)
        return -1;
    json_t *subs = json_object_get(oit, "sub_indicators");
    json_t *items = json_object_get(oit, "items");
    if (!subs || !json_is_array(subs) || json_array_size(subs) == 0)
        return fail(ld, "oit", "\"sub_indicators\" must be a non-empty array");
    if (!items || !json_is_array(items) || json_array_size(items) == 0)
        return fail(ld, "oit", "\"items\" must be a non-empty array");
    if (json_array_size(subs) > MAX_OIT_ITEMS || json_array_size(items) > MAX_OIT_ITEMS)
        return fail(ld, "oit", "at most %d sub-indicators and %d items", MAX_OIT_ITEMS,
                    MAX_OIT_ITEMS);
    v->n_oit_subs = json_array_size(subs);
    v->oit_subs = xcalloc(v->n_oit_subs, sizeof *v->oit_subs);
    for (size_t i = 0; i < v->n_oit_subs; i++) {
        json_t *j = json_array_get(subs, i);
        struct ita_oit_sub *s = &v->oit_subs[i];
        char *p = xasprintf("oit.sub_indicators[%zu]", i);
        int rc = -1;
        if (need_object(ld, j, p) < 0 || check_keys(ld, j, p, sub_keys) < 0 ||
            get_code(ld, j, p, "code", &s->code) < 0 ||
            get_int(ld, j, p, "indicator", 9, 10, &s->indicator) < 0 ||
            get_text(ld, j, p, "name_th", true, &s->name_th) < 0)
            goto next_sub;
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->oit_subs[k].code, s->code) == 0) {
                fail(ld, p, "sub-indicator '%s' is listed twice", s->code);
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
        if (need_object(ld, j, p) < 0 || check_keys(ld, j, p, item_keys) < 0 ||
            get_code(ld, j, p, "code", &it->code) < 0)
            goto next_item;
        pc = xasprintf("%s (%s)", p, it->code);
        if (get_text(ld, j, pc, "sub_indicator", true, &sub) < 0 ||
            get_text(ld, j, pc, "title_th", true, &it->title_th) < 0)
            goto next_item;
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->oit_items[k].code, it->code) == 0) {
                fail(ld, pc, "item '%s' is listed twice (also oit.items[%zu])", it->code, k);
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
            fail(ld, pc, "sub-indicator '%s' is not listed in oit.sub_indicators", sub);
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
            return fail(ld, "oit", "indicator %d has no items", ind);
    }
    return 0;
}

/* Cross-checks and the global indexes once every part has been read. */
ITA_WUR static int finish(struct loader *ld)
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
            return fail(ld, "instruments", "indicator %d (%s) has no questions in %s", ind,
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
                return fail(ld, "instruments", "question code '%s' is used twice",
                            v->question_list[i]->code);
        }
    }
    for (size_t i = 0; i < v->n_fields; i++) {
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v->field_list[i]->code, v->field_list[k]->code) == 0)
                return fail(
                    ld, "instruments", "field code '%s' is used twice (questions %s and %s)",
                    v->field_list[i]->code, v->question_list[v->field_list[k]->question]->code,
                    v->question_list[v->field_list[i]->question]->code);
        }
    }
    return 0;
}

struct ita_version *ita_version_load_string(const char *text, size_t len, const char *source,
                                            char **err)
{
    static const char *const keys[] = {"format", "fiscal_year", "title_th",    "note", "point_maps",
                                       "scales", "indicators",  "instruments", "oit",  "sample_rule", NULL};
    struct loader ld = {.source = source ? source : "<instrument version>"};
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    *err = NULL;
    ld.v = xcalloc(1, sizeof *ld.v);
    if (!root) {
        ld.err =
            xasprintf("%s:%d:%d: not valid JSON: %s", ld.source, jerr.line, jerr.column, jerr.text);
        goto fail;
    }
    if (need_object(&ld, root, "(top level)") < 0 || check_keys(&ld, root, "(top level)", keys) < 0)
        goto fail;
    char *format = NULL;
    if (get_text(&ld, root, "", "format", true, &format) < 0)
        goto fail;
    if (strcmp(format, ITA_FORMAT_NAME) != 0) {
        fail(&ld, "format", "is '%s'; this program reads \"%s\"", format, ITA_FORMAT_NAME);
        free(format);
        goto fail;
    }
    free(format);
    if (get_int(&ld, root, "", "fiscal_year", 2550, 2700, &ld.v->fiscal_year) < 0 ||
        get_text(&ld, root, "", "title_th", true, &ld.v->title_th) < 0 ||
        get_text(&ld, root, "", "note", false, &ld.v->note) < 0 ||
        parse_point_maps(&ld, root) < 0 || parse_scales(&ld, root) < 0 ||
        parse_indicators(&ld, root) < 0 || parse_instruments(&ld, root) < 0 ||
        parse_oit(&ld, root) < 0 || parse_sample_rules(&ld, root) < 0 || finish(&ld) < 0)
        goto fail;
    json_decref(root);
    return ld.v;
fail:
    json_decref(root);
    ita_version_free(ld.v);
    *err = ld.err;
    return NULL;
}

struct ita_version *ita_version_load_file(const char *path, char **err)
{
    struct ita_version *v = NULL;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    *err = NULL;
    if (!f) {
        *err = xasprintf("%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    size_t cap = 65536, len = 0;
    buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap >= MAX_FILE_BYTES) {
                *err = xasprintf("%s: larger than %u bytes; not an instrument version", path,
                                 MAX_FILE_BYTES);
                goto out;
            }
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        *err = xasprintf("%s: read error: %s", path, strerror(errno));
        goto out;
    }
    v = ita_version_load_string(buf, len, path, err);
out:
    if (f)
        fclose(f);
    free(buf);
    return v;
}

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

static json_t *points_json(struct ita_rational r)
{
    if (r.den == 1)
        return json_integer(r.num);
    char *t = rational_text(r);
    json_t *j = json_string(t);
    free(t);
    return j;
}

char *ita_version_to_json(const struct ita_version *v)
{
    json_t *root = jcheck(json_object());
    jset(root, "format", json_string(ITA_FORMAT_NAME));
    jset(root, "fiscal_year", json_integer(v->fiscal_year));
    jset(root, "title_th", json_string(v->title_th));
    jset_opt(root, "note", v->note);

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

/* ---------------------------------------------------------------------------------------------
 * Replacement rule. */

struct reasons {
    struct sbuf en; /* English lines */
    struct sbuf th; /* Thai lines */
    size_t n;       /* conflicts found (more than are listed when above MAX_REASONS) */
};

static void reason(struct reasons *r, const char *en, const char *th)
{
    r->n++;
    if (r->n > MAX_REASONS)
        return;
    sbuf_printf(&r->en, "  - %s\n", en);
    sbuf_printf(&r->th, "  - %s\n", th);
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
        if (!rational_eq(opm->points[l], npm->points[l])) {
            char *a = rational_text(opm->points[l]);
            char *b = rational_text(npm->points[l]);
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
    struct reasons r = {0};
    struct sbuf head_en = {0}, head_th = {0};
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
    for (int k = 0; k < ITA_N_INSTRUMENTS; k++) {
        if (!has_responses[k])
            continue;
        size_t before = r.n;
        if (k == ITA_OIT)
            compare_oit(&r, old_v, new_v);
        else
            compare_survey(&r, old_v, new_v, (enum ita_instrument)k);
        if (r.n > before) {
            sbuf_printf(&head_en, "%s%s", head_en.s ? ", " : "",
                        ita_instrument_code((enum ita_instrument)k));
            sbuf_printf(&head_th, "%s%s", head_th.s ? ", " : "",
                        ita_instrument_code((enum ita_instrument)k));
        }
    }
    if (r.n == 0) {
        free(r.en.s);
        free(r.th.s);
        return true;
    }
    struct sbuf msg = {0};
    sbuf_printf(&msg,
                "Refused: fiscal year %d %s already has stored responses, and the new version "
                "would change what they mean:\n%s",
                old_v->fiscal_year, head_en.s, r.en.s);
    if (r.n > MAX_REASONS)
        sbuf_printf(&msg, "  ... and %zu more\n", r.n - MAX_REASONS);
    sbuf_printf(&msg, "Only texts, notes, labels, verification flags and display order may change "
                      "once responses exist; load the changed instrument as a new fiscal year's "
                      "version instead.\n");
    sbuf_printf(&msg,
                "ไม่อนุญาต: แบบวัด %s ปีงบประมาณ %d มีคำตอบบันทึกไว้แล้ว "
                "และฉบับใหม่จะเปลี่ยนความหมายของคำตอบเหล่านั้น:\n%s",
                head_th.s, old_v->fiscal_year, r.th.s);
    if (r.n > MAX_REASONS)
        sbuf_printf(&msg, "  ... และอีก %zu รายการ\n", r.n - MAX_REASONS);
    sbuf_printf(&msg, "เมื่อมีคำตอบแล้ว แก้ไขได้เฉพาะข้อความ หมายเหตุ ป้ายคำตอบ สถานะการยืนยัน "
                      "และลำดับการแสดงผลเท่านั้น\n");
    free(r.en.s);
    free(r.th.s);
    free(head_en.s);
    free(head_th.s);
    *why = msg.s;
    return false;
}
