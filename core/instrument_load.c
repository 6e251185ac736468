/* Instrument version loader, first half: the checked JSON readers, point values, point maps and
 * scales, and the entry points that read a version file (the questionnaires, indicators and OIT
 * items are read by instrument_load_survey.c). */
#include "instrument_load.h"

#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arrays of a point map and of a scale. */
static const struct ita_ld_array POINTS = {
    "points",
    ": list the points of each level, level 0 first, e.g. [0, \"100/3\", \"200/3\", 100]",
    "an array",
    "values",
    "a scale",
    ITA_MIN_LEVELS,
    ITA_MAX_LEVELS,
    " levels"};
static const struct ita_ld_array LABELS_TH = {"labels_th",
                                              ": list the Thai label of each level, level 0 first",
                                              "an array of strings",
                                              "labels",
                                              "a scale",
                                              ITA_MIN_LEVELS,
                                              ITA_MAX_LEVELS,
                                              " levels"};

/* ---------------------------------------------------------------------------------------------
 * Checked readers shared with instrument_load_survey.c. */

int ita_ld_fail(struct loader *ld, const char *path, const char *fmt, ...)
{
    if (ld->err)
        return -1;
    struct strbuf b;
    strbuf_init(&b);
    if (path && *path)
        strbuf_printf(&b, "%s: %s: ", ld->source, path);
    else
        strbuf_printf(&b, "%s: ", ld->source);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    ld->err = strbuf_detach(&b);
    return -1;
}

const char *ita_ld_json_kind(const json_t *j)
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
ITA_WUR int ita_ld_check_keys(struct loader *ld, json_t *obj, const char *path,
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
            struct strbuf b;
            strbuf_init(&b);
            for (size_t i = 0; allowed[i]; i++)
                strbuf_printf(&b, "%s%s", i ? ", " : "", allowed[i]);
            int rc = ita_ld_fail(ld, path, "unknown key \"%s\" (allowed here: %s)", key, b.data);
            strbuf_free(&b);
            return rc;
        }
    }
    return 0;
}

ITA_WUR int ita_ld_need_object(struct loader *ld, json_t *j, const char *path)
{
    if (!json_is_object(j))
        return ita_ld_fail(ld, path, "must be an object {...}, not %s", ita_ld_json_kind(j));
    return 0;
}

ITA_WUR int ita_ld_get_part(struct loader *ld, json_t *root, const char *key, json_type type,
                            json_t **out)
{
    *out = json_object_get(root, key);
    if (!*out)
        return ita_ld_fail(ld, "", "\"%s\" is missing", key);
    if (type == JSON_OBJECT)
        return ita_ld_need_object(ld, *out, key);
    if (!json_is_array(*out))
        return ita_ld_fail(ld, key, "must be an array, not %s", ita_ld_json_kind(*out));
    return 0;
}

ITA_WUR int ita_ld_get_array(struct loader *ld, json_t *obj, const char *path,
                             const struct ita_ld_array *a, json_t **out, size_t *n)
{
    *out = json_object_get(obj, a->key);
    if (!*out)
        return ita_ld_fail(ld, path, "\"%s\" is missing%s", a->key, a->hint);
    if (!json_is_array(*out))
        return ita_ld_fail(ld, path, "\"%s\" must be %s, not %s", a->key, a->type,
                           ita_ld_json_kind(*out));
    *n = json_array_size(*out);
    if (*n < (size_t)a->min || *n > (size_t)a->max)
        return ita_ld_fail(ld, path, "\"%s\" has %zu %s; %s has %d to %d%s", a->key, *n, a->entries,
                           a->holder, a->min, a->max, a->unit);
    return 0;
}

/* A text value: non-empty, no surrounding spaces, no control characters except newline. */
ITA_WUR static int check_text(struct loader *ld, const char *path, const char *key, const char *s,
                              size_t len)
{
    if (len == 0)
        return ita_ld_fail(ld, path, "\"%s\" must not be empty", key);
    if (len > MAX_TEXT_BYTES)
        return ita_ld_fail(ld, path, "\"%s\" is %zu bytes long; the limit is %d", key, len,
                           MAX_TEXT_BYTES);
    if (strlen(s) != len)
        return ita_ld_fail(ld, path, "\"%s\" contains a NUL character", key);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            return ita_ld_fail(ld, path, "\"%s\" contains control character 0x%02x at byte %zu",
                               key, c, i);
    }
    if (s[0] == ' ' || s[0] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\n')
        return ita_ld_fail(ld, path, "\"%s\" starts or ends with white space; remove it", key);
    return 0;
}

ITA_WUR int ita_ld_get_text(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool required, char **out)
{
    *out = NULL;
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (required)
            return ita_ld_fail(ld, path, "\"%s\" is missing", key);
        return 0;
    }
    if (!json_is_string(j))
        return ita_ld_fail(ld, path, "\"%s\" must be a string, not %s", key, ita_ld_json_kind(j));
    const char *s = json_string_value(j);
    if (check_text(ld, path, key, s, json_string_length(j)) < 0)
        return -1;
    *out = xstrdup(s);
    return 0;
}

ITA_WUR int ita_ld_get_bool(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return ita_ld_fail(ld, path, "\"%s\" is missing (write true or false)", key);
    if (!json_is_boolean(j))
        return ita_ld_fail(ld, path, "\"%s\" must be true or false, not %s", key,
                           ita_ld_json_kind(j));
    *out = json_is_true(j);
    return 0;
}

ITA_WUR int ita_ld_get_int(struct loader *ld, json_t *obj, const char *path, const char *key,
                           int min, int max, int *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return ita_ld_fail(ld, path, "\"%s\" is missing", key);
    if (!json_is_integer(j))
        return ita_ld_fail(ld, path, "\"%s\" must be a whole number, not %s", key,
                           ita_ld_json_kind(j));
    json_int_t n = json_integer_value(j);
    if (n < min || n > max)
        return ita_ld_fail(ld, path, "\"%s\" is %lld; it must be between %d and %d", key,
                           (long long)n, min, max);
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
        return ita_ld_fail(ld, path,
                           "%s '%s' is not valid: use 1-%d characters from A-Z a-z 0-9 . _ + -, "
                           "starting with a letter or digit",
                           what, s, MAX_CODE_CHARS);
    return 0;
}

ITA_WUR int ita_ld_get_code(struct loader *ld, json_t *obj, const char *path, const char *key,
                            char **out)
{
    if (ita_ld_get_text(ld, obj, path, key, true, out) < 0)
        return -1;
    return check_code(ld, path, key, *out);
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
            return ita_ld_fail(ld, path, "%lld points is outside 0..100", (long long)n);
        num = n;
    } else if (json_is_real(j)) {
        return ita_ld_fail(
            ld, path,
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
            return ita_ld_fail(
                ld, path,
                "\"%s\" is not a point value: write an integer (25), a decimal with at "
                "most %d digits after the point (\"33.33\") or a fraction (\"100/3\", "
                "denominator at most %d)",
                s, MAX_DECIMALS, MAX_COMMON_DEN);
        if (num > 100 * den)
            return ita_ld_fail(ld, path, "\"%s\" points is above 100", s);
    } else {
        return ita_ld_fail(ld, path,
                           "a point value must be a number or a string such as \"100/3\", "
                           "not %s",
                           ita_ld_json_kind(j));
    }
    *out = ita_rational_make(num, den);
    return 0;
}

/* Point map number `at` of "point_maps" (ld->v->point_maps has room for all of them). */
ITA_WUR static int parse_point_map(struct loader *ld, const char *path, const char *name, json_t *j,
                                   size_t at)
{
    static const char *const keys[] = {"points", "verified", "note", NULL};
    struct ita_point_map *pm = &ld->v->point_maps[at];
    pm->name = xstrdup(name);
    if (check_code(ld, path, "point map name", name) < 0 || ita_ld_need_object(ld, j, path) < 0 ||
        ita_ld_check_keys(ld, j, path, keys) < 0)
        return -1;
    json_t *pts;
    size_t n;
    if (ita_ld_get_array(ld, j, path, &POINTS, &pts, &n) < 0)
        return -1;
    pm->levels = (int)n;
    for (size_t i = 0; i < n; i++) {
        char *p = xasprintf("%s.points[%zu]", path, i);
        int rc = parse_points(ld, json_array_get(pts, i), p, &pm->points[i]);
        free(p);
        if (rc < 0)
            return -1;
    }
    for (size_t i = 1; i < n; i++) {
        if (!ita_rational_le(pm->points[i - 1], pm->points[i])) {
            char *a = ita_rational_text(pm->points[i - 1]);
            char *b = ita_rational_text(pm->points[i]);
            ita_ld_fail(
                ld, path,
                "points must not decrease from level 0 upwards, but level %zu has %s and level "
                "%zu has %s (reverse-scored fields use \"polarity\": \"negative\" instead)",
                i - 1, a, i, b);
            free(a);
            free(b);
            return -1;
        }
    }
    if (ita_rational_le(pm->points[n - 1], pm->points[0]))
        return ita_ld_fail(ld, path, "the top level must earn more points than level 0");
    int64_t d = 1;
    for (size_t i = 0; i < n; i++) {
        d = d / ita_gcd64(d, pm->points[i].den) * pm->points[i].den;
        if (d > MAX_COMMON_DEN)
            return ita_ld_fail(ld, path,
                               "the denominators of the points are too fine (common "
                               "denominator above %d)",
                               MAX_COMMON_DEN);
    }
    pm->common_den = d;
    for (size_t i = 0; i < n; i++)
        pm->weight[i] = pm->points[i].num * (d / pm->points[i].den);
    if (ita_ld_get_bool(ld, j, path, "verified", &pm->verified) < 0)
        return -1;
    return ita_ld_get_text(ld, j, path, "note", false, &pm->note);
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
    struct strbuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < v->n_point_maps; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", v->point_maps[i].name);
    return strbuf_detach(&b);
}

static char *list_named_scales(const struct loader *ld, size_t n_named)
{
    struct strbuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < n_named; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", ld->v->scales[i].name);
    if (b.len == 0)
        strbuf_puts(&b, "none");
    return strbuf_detach(&b);
}

/* The body of a scale, named or inline: labels, point map, verification. */
ITA_WUR static int parse_scale_body(struct loader *ld, const char *path, json_t *j,
                                    struct ita_scale *s)
{
    static const char *const keys[] = {"labels_th", "point_map", "verified", "note", NULL};
    if (ita_ld_need_object(ld, j, path) < 0 || ita_ld_check_keys(ld, j, path, keys) < 0)
        return -1;
    json_t *labels;
    size_t n;
    if (ita_ld_get_array(ld, j, path, &LABELS_TH, &labels, &n) < 0)
        return -1;
    s->levels = (int)n;
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(labels, i);
        char *p = xasprintf("%s.labels_th[%zu]", path, i);
        int rc = 0;
        if (!json_is_string(l))
            rc = ita_ld_fail(ld, p, "must be a string, not %s", ita_ld_json_kind(l));
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
                return ita_ld_fail(ld, path, "levels %zu and %zu have the same label '%s'", k, i,
                                   s->labels_th[i]);
    char *pm_name = NULL;
    if (ita_ld_get_text(ld, j, path, "point_map", false, &pm_name) < 0)
        return -1;
    if (!pm_name) {
        char *names = list_point_maps(ld->v);
        ita_ld_fail(ld, path,
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
        ita_ld_fail(ld, path, "point map '%s' is not defined in \"point_maps\" (defined: %s)",
                    pm_name, names);
        free(names);
        free(pm_name);
        return -1;
    }
    int pm_levels = ld->v->point_maps[s->point_map].levels;
    if (pm_levels != s->levels) {
        ita_ld_fail(ld, path, "%d labels but point map '%s' has %d levels", s->levels, pm_name,
                    pm_levels);
        free(pm_name);
        return -1;
    }
    free(pm_name);
    if (ita_ld_get_bool(ld, j, path, "verified", &s->verified) < 0)
        return -1;
    return ita_ld_get_text(ld, j, path, "note", false, &s->note);
}

/* "scale": either the name of a scale in "scales", or an inline scale object that is named after
 * the question or field defining it. `n_named` is the number of scales from "scales". */
ITA_WUR int ita_ld_resolve_scale(struct loader *ld, const char *path, json_t *j,
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
        ita_ld_fail(ld, path, "scale '%s' is not defined in \"scales\" (defined: %s)", name, names);
        free(names);
        return -1;
    }
    if (!json_is_object(j))
        return ita_ld_fail(ld, path,
                           "\"scale\" must name a scale in \"scales\" or be a scale object, not %s",
                           ita_ld_json_kind(j));
    size_t existing;
    if (find_scale(ld->v, owner_code, &existing) == 0)
        return ita_ld_fail(
            ld, path,
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

/* Reads each member of a top-level object part ("point_maps": {"<name>": {...}, ...}) with
 * `one`, which gets the member's path "<part>.<name>", its name, value and position. */
ITA_WUR static int parse_members(struct loader *ld, json_t *obj, const char *part,
                                 int (*one)(struct loader *ld, const char *path, const char *name,
                                            json_t *j, size_t i))
{
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        char *p = xasprintf("%s.%s", part, key);
        int rc = one(ld, p, key, val, i++);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

ITA_WUR static int parse_point_maps(struct loader *ld, json_t *root)
{
    json_t *pms;
    if (ita_ld_get_part(ld, root, "point_maps", JSON_OBJECT, &pms) < 0)
        return -1;
    size_t n = json_object_size(pms);
    if (n == 0)
        return ita_ld_fail(ld, "point_maps", "define at least one point map");
    ld->v->point_maps = xcalloc(n, sizeof *ld->v->point_maps);
    ld->v->n_point_maps = n;
    return parse_members(ld, pms, "point_maps", parse_point_map);
}

/* One scale of "scales", added to ld->v->scales. */
ITA_WUR static int parse_named_scale(struct loader *ld, const char *path, const char *name,
                                     json_t *j, size_t i)
{
    (void)i;
    struct ita_scale *s = new_scale(ld);
    s->name = xstrdup(name);
    if (check_code(ld, path, "scale name", name) < 0)
        return -1;
    return parse_scale_body(ld, path, j, s);
}

ITA_WUR static int parse_scales(struct loader *ld, json_t *root)
{
    json_t *scales;
    if (ita_ld_get_part(ld, root, "scales", JSON_OBJECT, &scales) < 0)
        return -1;
    return parse_members(ld, scales, "scales", parse_named_scale);
}

struct ita_version *ita_version_load_string(const char *text, size_t len, const char *source,
                                            char **err)
{
    static const char *const keys[] = {
        "format", "fiscal_year", "title_th",    "note", "weights",     "rating", "point_maps",
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
    if (ita_ld_need_object(&ld, root, "(top level)") < 0 ||
        ita_ld_check_keys(&ld, root, "(top level)", keys) < 0)
        goto fail;
    char *format = NULL;
    if (ita_ld_get_text(&ld, root, "", "format", true, &format) < 0)
        goto fail;
    if (strcmp(format, ITA_FORMAT_NAME) != 0) {
        ita_ld_fail(&ld, "format", "is '%s'; this program reads \"%s\"", format, ITA_FORMAT_NAME);
        free(format);
        goto fail;
    }
    free(format);
    if (ita_ld_get_int(&ld, root, "", "fiscal_year", 2550, 2700, &ld.v->fiscal_year) < 0 ||
        ita_ld_get_text(&ld, root, "", "title_th", true, &ld.v->title_th) < 0 ||
        ita_ld_get_text(&ld, root, "", "note", false, &ld.v->note) < 0 ||
        ita_ld_rules(&ld, root) < 0 || parse_point_maps(&ld, root) < 0 ||
        parse_scales(&ld, root) < 0 || ita_ld_indicators(&ld, root) < 0 ||
        ita_ld_instruments(&ld, root) < 0 || ita_ld_oit(&ld, root) < 0 ||
        ita_ld_sample_rules(&ld, root) < 0 || ita_ld_finish(&ld) < 0)
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

int ita_ld_points(struct loader *ld, json_t *j, const char *path, struct ita_rational *out)
{
    return parse_points(ld, j, path, out);
}
