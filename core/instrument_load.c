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
    "points",       ": ระบุคะแนนของแต่ละระดับ เริ่มจากระดับ 0 เช่น [0, \"100/3\", \"200/3\", 100]",
    "อาร์เรย์ [...]", "ค่า",
    "มาตรวัดมีได้",    ITA_MIN_LEVELS,
    ITA_MAX_LEVELS, "ระดับ"};
static const struct ita_ld_array LABELS_TH = {
    "labels_th",       ": ระบุป้ายคำตอบภาษาไทยของแต่ละระดับ เริ่มจากระดับ 0",
    "อาร์เรย์ของข้อความ", "ป้าย",
    "มาตรวัดมีได้",       ITA_MIN_LEVELS,
    ITA_MAX_LEVELS,    "ระดับ"};

/* ---------------------------------------------------------------------------------------------
 * Checked readers shared with instrument_load_survey.c. */

int ita_ld_fail(struct loader *ld, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ita_errors_vadd(&ld->errs, path, fmt, ap);
    va_end(ap);
    return -1;
}

const char *ita_ld_json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "ออบเจกต์ {...}";
    case JSON_ARRAY:
        return "อาร์เรย์ [...]";
    case JSON_STRING:
        return "ข้อความ";
    case JSON_INTEGER:
        return "จำนวนเต็ม";
    case JSON_REAL:
        return "ตัวเลขทศนิยม";
    case JSON_TRUE:
    case JSON_FALSE:
        return "true/false";
    case JSON_NULL:
        return "null";
    }
    return "ค่า JSON ที่ไม่รู้จัก";
}

/* Reject keys outside `allowed` (NULL-terminated) so that typos do not pass silently; each
 * unknown key is an error of its own. */
ITA_WUR int ita_ld_check_keys(struct loader *ld, json_t *obj, const char *path,
                              const char *const *allowed)
{
    int rc = 0;
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
            rc = ita_ld_fail(ld, path, "ไม่รู้จักคีย์ \"%s\" (คีย์ที่ใช้ได้ตรงนี้: %s)", key, b.data);
            strbuf_free(&b);
        }
    }
    return rc;
}

ITA_WUR int ita_ld_need_object(struct loader *ld, json_t *j, const char *path)
{
    if (!json_is_object(j))
        return ita_ld_fail(ld, path, "ต้องเป็นออบเจกต์ {...} แต่พบ%s", ita_ld_json_kind(j));
    return 0;
}

ITA_WUR int ita_ld_get_part(struct loader *ld, json_t *root, const char *key, json_type type,
                            json_t **out)
{
    *out = json_object_get(root, key);
    if (!*out)
        return ita_ld_fail(ld, "", "ขาด \"%s\"", key);
    if (type == JSON_OBJECT)
        return ita_ld_need_object(ld, *out, key);
    if (!json_is_array(*out))
        return ita_ld_fail(ld, key, "ต้องเป็นอาร์เรย์ [...] แต่พบ%s", ita_ld_json_kind(*out));
    return 0;
}

ITA_WUR int ita_ld_get_array(struct loader *ld, json_t *obj, const char *path,
                             const struct ita_ld_array *a, json_t **out, size_t *n)
{
    *out = json_object_get(obj, a->key);
    if (!*out)
        return ita_ld_fail(ld, path, "ขาด \"%s\"%s", a->key, a->hint);
    if (!json_is_array(*out))
        return ita_ld_fail(ld, path, "\"%s\" ต้องเป็น%s แต่พบ%s", a->key, a->type,
                           ita_ld_json_kind(*out));
    *n = json_array_size(*out);
    if (*n < (size_t)a->min || *n > (size_t)a->max)
        return ita_ld_fail(ld, path, "\"%s\" มี %zu %s แต่%s %d ถึง %d %s", a->key, *n, a->entries,
                           a->holder, a->min, a->max, a->unit);
    return 0;
}

/* A text value: non-empty, no surrounding spaces, no control characters except newline. `key`
 * names it in the message; NULL when the path already ends at the value (labels_th[2]). */
ITA_WUR static int check_text(struct loader *ld, const char *path, const char *key, const char *s,
                              size_t len)
{
    char *k = key ? xasprintf("\"%s\" ", key) : xstrdup("");
    int rc = 0;
    if (len == 0)
        rc = ita_ld_fail(ld, path, "%sต้องไม่ว่าง", k);
    else if (len > MAX_TEXT_BYTES)
        rc = ita_ld_fail(ld, path, "%sยาว %zu ไบต์ เกินกำหนด %d ไบต์", k, len, MAX_TEXT_BYTES);
    else if (strlen(s) != len)
        rc = ita_ld_fail(ld, path, "%sมีอักขระ NUL (\\u0000)", k);
    for (size_t i = 0; rc == 0 && i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            rc = ita_ld_fail(ld, path, "%sมีอักขระควบคุม 0x%02x ที่ไบต์ที่ %zu", k, c, i);
    }
    if (rc == 0 && (s[0] == ' ' || s[0] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\n'))
        rc = ita_ld_fail(ld, path, "%sขึ้นต้นหรือลงท้ายด้วยช่องว่างหรือการขึ้นบรรทัดใหม่ ให้ลบออก", k);
    free(k);
    return rc;
}

ITA_WUR int ita_ld_check_text(struct loader *ld, const char *path, const char *key, const char *s,
                              size_t len)
{
    return check_text(ld, path, key, s, len);
}

ITA_WUR int ita_ld_get_text(struct loader *ld, json_t *obj, const char *path, const char *key,
                            bool required, char **out)
{
    *out = NULL;
    json_t *j = json_object_get(obj, key);
    if (!j) {
        if (required)
            return ita_ld_fail(ld, path, "ขาด \"%s\"", key);
        return 0;
    }
    if (!json_is_string(j))
        return ita_ld_fail(ld, path, "\"%s\" ต้องเป็นข้อความ แต่พบ%s", key, ita_ld_json_kind(j));
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
        return ita_ld_fail(ld, path, "ขาด \"%s\" (ใส่ true หรือ false)", key);
    if (!json_is_boolean(j))
        return ita_ld_fail(ld, path, "\"%s\" ต้องเป็น true หรือ false แต่พบ%s", key,
                           ita_ld_json_kind(j));
    *out = json_is_true(j);
    return 0;
}

ITA_WUR int ita_ld_get_int(struct loader *ld, json_t *obj, const char *path, const char *key,
                           int min, int max, int *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return ita_ld_fail(ld, path, "ขาด \"%s\"", key);
    if (!json_is_integer(j))
        return ita_ld_fail(ld, path, "\"%s\" ต้องเป็นจำนวนเต็ม แต่พบ%s", key, ita_ld_json_kind(j));
    json_int_t n = json_integer_value(j);
    if (n < min || n > max)
        return ita_ld_fail(ld, path, "\"%s\" เป็น %lld แต่ต้องอยู่ระหว่าง %d ถึง %d", key, (long long)n,
                           min, max);
    *out = (int)n;
    return 0;
}

/* Codes and names: 1-32 characters from A-Z a-z 0-9 . _ + -, starting with a letter or digit.
 * `what` names the value in the message: a quoted key ("\"code\"") or words (ชื่อมาตรวัด). */
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
                           "%s '%s' ใช้ไม่ได้: ใช้ได้ 1-%d ตัวอักษรจาก A-Z a-z 0-9 . _ + - และต้อง"
                           "ขึ้นต้นด้วยตัวอักษรหรือตัวเลข",
                           what, s, MAX_CODE_CHARS);
    return 0;
}

ITA_WUR int ita_ld_get_code(struct loader *ld, json_t *obj, const char *path, const char *key,
                            char **out)
{
    if (ita_ld_get_text(ld, obj, path, key, true, out) < 0)
        return -1;
    char *what = xasprintf("\"%s\"", key);
    int rc = check_code(ld, path, what, *out);
    free(what);
    return rc;
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
            return ita_ld_fail(ld, path, "%lld คะแนนอยู่นอกช่วง 0 ถึง 100", (long long)n);
        num = n;
    } else if (json_is_real(j)) {
        return ita_ld_fail(ld, path,
                           "%.17g เป็นตัวเลขทศนิยมที่คอมพิวเตอร์เก็บได้เพียงค่าประมาณ ให้เขียน"
                           "คะแนนที่มีเศษเป็นข้อความ เช่น \"100/3\" หรือ \"33.33\" เพื่อให้ค่า"
                           "ตรงทุกหลัก",
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
            return ita_ld_fail(ld, path,
                               "\"%s\" ไม่ใช่ค่าคะแนน: เขียนเป็นจำนวนเต็ม (25) ทศนิยมไม่เกิน %d "
                               "ตำแหน่ง (\"33.33\") หรือเศษส่วน (\"100/3\" ตัวส่วนไม่เกิน %d)",
                               s, MAX_DECIMALS, MAX_COMMON_DEN);
        if (num > 100 * den)
            return ita_ld_fail(ld, path, "\"%s\" คะแนนเกิน 100", s);
    } else {
        return ita_ld_fail(ld, path, "ค่าคะแนนต้องเป็นตัวเลขหรือข้อความ เช่น \"100/3\" แต่พบ%s",
                           ita_ld_json_kind(j));
    }
    *out = ita_rational_make(num, den);
    return 0;
}

/* The pm->levels values of "points" (pts): each value, then, when all of them were read, the
 * order, the top against level 0 and the common denominator. */
ITA_WUR static int parse_point_list(struct loader *ld, const char *path, json_t *pts,
                                    struct ita_point_map *pm)
{
    size_t n = (size_t)pm->levels;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *p = xasprintf("%s.points[%zu]", path, i);
        rc |= parse_points(ld, json_array_get(pts, i), p, &pm->points[i]);
        free(p);
    }
    if (rc < 0)
        return -1;
    for (size_t i = 1; i < n; i++) {
        if (!ita_rational_le(pm->points[i - 1], pm->points[i])) {
            char *a = ita_rational_text(pm->points[i - 1]);
            char *b = ita_rational_text(pm->points[i]);
            ita_ld_fail(ld, path,
                        "คะแนนต้องไม่ลดลงจากระดับ 0 ขึ้นไป แต่ระดับ %zu ได้ %s และระดับ %zu ได้ %s "
                        "(ข้อย่อยที่ให้คะแนนกลับด้านให้ใช้ \"polarity\": \"negative\" แทน)",
                        i - 1, a, i, b);
            free(a);
            free(b);
            return -1;
        }
    }
    if (ita_rational_le(pm->points[n - 1], pm->points[0])) {
        char *a = ita_rational_text(pm->points[0]);
        ita_ld_fail(ld, path, "ระดับสูงสุดต้องได้คะแนนมากกว่าระดับ 0 แต่ทุกระดับได้ %s เท่ากัน", a);
        free(a);
        return -1;
    }
    int64_t d = 1;
    for (size_t i = 0; i < n; i++) {
        d = d / ita_gcd64(d, pm->points[i].den) * pm->points[i].den;
        if (d > MAX_COMMON_DEN)
            return ita_ld_fail(ld, path, "ตัวส่วนของคะแนนละเอียดเกินไป (ตัวส่วนร่วมเกิน %d)",
                               MAX_COMMON_DEN);
    }
    pm->common_den = d;
    for (size_t i = 0; i < n; i++)
        pm->weight[i] = pm->points[i].num * (d / pm->points[i].den);
    return 0;
}

/* Point map number `at` of "point_maps" (ld->v->point_maps has room for all of them). Its
 * `levels` stays 0 when "points" cannot be counted, so that scales skip comparing with it. */
ITA_WUR static int parse_point_map(struct loader *ld, const char *path, const char *name, json_t *j,
                                   size_t at)
{
    static const char *const keys[] = {"points", "verified", "note", NULL};
    struct ita_point_map *pm = &ld->v->point_maps[at];
    pm->name = xstrdup(name);
    int rc = check_code(ld, path, "ชื่อตารางคะแนน", name);
    if (ita_ld_need_object(ld, j, path) < 0)
        return -1;
    rc |= ita_ld_check_keys(ld, j, path, keys);
    json_t *pts;
    size_t n;
    if (ita_ld_get_array(ld, j, path, &POINTS, &pts, &n) == 0) {
        pm->levels = (int)n;
        rc |= parse_point_list(ld, path, pts, pm);
    } else {
        rc = -1;
    }
    rc |= ita_ld_get_bool(ld, j, path, "verified", &pm->verified);
    rc |= ita_ld_get_text(ld, j, path, "note", false, &pm->note);
    return rc;
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
    if (b.len == 0)
        strbuf_puts(&b, "ไม่มีเลย");
    return strbuf_detach(&b);
}

static char *list_named_scales(const struct loader *ld, size_t n_named)
{
    struct strbuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < n_named; i++)
        strbuf_printf(&b, "%s%s", i ? ", " : "", ld->v->scales[i].name);
    if (b.len == 0)
        strbuf_puts(&b, "ไม่มีเลย");
    return strbuf_detach(&b);
}

/* The "labels_th" of a scale: each label, then (when all were read) that no two are the same.
 * s->levels stays 0 when they cannot be counted. */
ITA_WUR static int parse_labels(struct loader *ld, const char *path, json_t *j, struct ita_scale *s)
{
    json_t *labels;
    size_t n;
    if (ita_ld_get_array(ld, j, path, &LABELS_TH, &labels, &n) < 0)
        return -1;
    s->levels = (int)n;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(labels, i);
        char *p = xasprintf("%s.labels_th[%zu]", path, i);
        if (!json_is_string(l))
            rc = ita_ld_fail(ld, p, "ต้องเป็นข้อความ แต่พบ%s", ita_ld_json_kind(l));
        else if (check_text(ld, p, NULL, json_string_value(l), json_string_length(l)) < 0)
            rc = -1;
        else
            s->labels_th[i] = xstrdup(json_string_value(l));
        free(p);
    }
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(s->labels_th[i], s->labels_th[k]) == 0)
                return ita_ld_fail(ld, path, "ระดับ %zu และระดับ %zu ใช้ป้ายคำตอบเดียวกัน '%s'", k, i,
                                   s->labels_th[i]);
    return 0;
}

/* "point_map" of a scale: a point map of "point_maps" with as many levels as the labels. */
ITA_WUR static int scale_point_map(struct loader *ld, const char *path, json_t *j,
                                   struct ita_scale *s)
{
    char *pm_name = NULL;
    if (ita_ld_get_text(ld, j, path, "point_map", false, &pm_name) < 0)
        return -1;
    if (!pm_name) {
        char *names = list_point_maps(ld->v);
        ita_ld_fail(ld, path,
                    "ขาด \"point_map\": ระบุชื่อตารางคะแนนใน \"point_maps\" (ที่มี: %s) ที่มีจำนวน"
                    "ระดับเท่ากับ \"labels_th\" โดยทั่วไปใช้ [0, 100] สำหรับ 2 ระดับ และ "
                    "[0, \"100/3\", \"200/3\", 100] สำหรับ 4 ระดับ",
                    names);
        free(names);
        return -1;
    }
    int rc = 0;
    bool found = false;
    for (size_t i = 0; i < ld->v->n_point_maps; i++) {
        if (strcmp(ld->v->point_maps[i].name, pm_name) == 0) {
            s->point_map = i;
            found = true;
        }
    }
    if (ld->point_maps_unread) {
        rc = -1; /* already reported: "point_maps" could not be read */
    } else if (!found) {
        char *names = list_point_maps(ld->v);
        rc = ita_ld_fail(ld, path, "ไม่มีตารางคะแนน '%s' ใน \"point_maps\" (ที่มี: %s)", pm_name, names);
        free(names);
    } else {
        int pm_levels = ld->v->point_maps[s->point_map].levels;
        if (pm_levels != 0 && s->levels != 0 && pm_levels != s->levels)
            rc = ita_ld_fail(ld, path, "มีป้ายคำตอบ %d ระดับ แต่ตารางคะแนน '%s' มี %d ระดับ", s->levels,
                             pm_name, pm_levels);
    }
    free(pm_name);
    return rc;
}

/* The body of a scale, named or inline: labels, point map, verification. */
ITA_WUR static int parse_scale_body(struct loader *ld, const char *path, json_t *j,
                                    struct ita_scale *s)
{
    static const char *const keys[] = {"labels_th", "point_map", "verified", "note", NULL};
    if (ita_ld_need_object(ld, j, path) < 0)
        return -1;
    int rc = ita_ld_check_keys(ld, j, path, keys);
    rc |= parse_labels(ld, path, j, s);
    rc |= scale_point_map(ld, path, j, s);
    rc |= ita_ld_get_bool(ld, j, path, "verified", &s->verified);
    rc |= ita_ld_get_text(ld, j, path, "note", false, &s->note);
    return rc;
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
        if (ld->scales_unread)
            return -1; /* already reported: "scales" could not be read */
        char *names = list_named_scales(ld, n_named);
        ita_ld_fail(ld, path, "ไม่มีมาตรวัด '%s' ใน \"scales\" (ที่มี: %s)", name, names);
        free(names);
        return -1;
    }
    if (!json_is_object(j))
        return ita_ld_fail(ld, path,
                           "\"scale\" ต้องเป็นชื่อมาตรวัดใน \"scales\" หรือออบเจกต์ของมาตรวัด "
                           "แต่พบ%s",
                           ita_ld_json_kind(j));
    size_t existing;
    if (owner_code && find_scale(ld->v, owner_code, &existing) == 0)
        return ita_ld_fail(ld, path,
                           "มาตรวัดที่เขียนไว้ในคำถามหรือข้อย่อยจะได้ชื่อตามรหัสของคำถามหรือ"
                           "ข้อย่อยนั้น คือ '%s' แต่มีมาตรวัดชื่อนี้อยู่แล้ว ให้เปลี่ยนชื่อมาตรวัดนั้น",
                           owner_code);
    char *p = xasprintf("%s.scale", path);
    struct ita_scale *s = new_scale(ld);
    s->name = xstrdup(owner_code ? owner_code : "");
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
    int rc = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        char *p = xasprintf("%s.%s", part, key);
        rc |= one(ld, p, key, val, i++);
        free(p);
    }
    return rc;
}

ITA_WUR static int parse_point_maps(struct loader *ld, json_t *root)
{
    json_t *pms;
    if (ita_ld_get_part(ld, root, "point_maps", JSON_OBJECT, &pms) < 0) {
        ld->point_maps_unread = true;
        return -1;
    }
    size_t n = json_object_size(pms);
    if (n == 0) {
        ld->point_maps_unread = true;
        return ita_ld_fail(ld, "point_maps", "ต้องมีตารางคะแนนอย่างน้อยหนึ่งตาราง");
    }
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
    int rc = check_code(ld, path, "ชื่อมาตรวัด", name);
    return rc | parse_scale_body(ld, path, j, s);
}

ITA_WUR static int parse_scales(struct loader *ld, json_t *root)
{
    json_t *scales;
    if (ita_ld_get_part(ld, root, "scales", JSON_OBJECT, &scales) < 0) {
        ld->scales_unread = true;
        return -1;
    }
    return parse_members(ld, scales, "scales", parse_named_scale);
}

/* "format": a file of another format (or none) is not checked further. */
ITA_WUR static int check_format(struct loader *ld, json_t *root)
{
    json_t *j = json_object_get(root, "format");
    if (!j)
        return ita_ld_fail(ld, "",
                           "ขาด \"format\": ไฟล์แบบวัดต้องขึ้นต้นด้วย \"format\": \"%s\" (ไม่ได้"
                           "ตรวจส่วนอื่นต่อ)",
                           ITA_FORMAT_NAME);
    if (!json_is_string(j) || strcmp(json_string_value(j), ITA_FORMAT_NAME) != 0) {
        if (json_is_string(j))
            return ita_ld_fail(ld, "format",
                               "เป็น '%s' แต่โปรแกรมนี้อ่านได้เฉพาะ \"%s\" (ไม่ได้ตรวจส่วนอื่นต่อ)",
                               json_string_value(j), ITA_FORMAT_NAME);
        return ita_ld_fail(ld, "format", "ต้องเป็นข้อความ \"%s\" แต่พบ%s (ไม่ได้ตรวจส่วนอื่นต่อ)",
                           ITA_FORMAT_NAME, ita_ld_json_kind(j));
    }
    return 0;
}

struct ita_version *ita_version_load_string(const char *text, size_t len, const char *source,
                                            char **err)
{
    static const char *const keys[] = {
        "format", "fiscal_year", "title_th",    "note", "weights",     "rating", "point_maps",
        "scales", "indicators",  "instruments", "oit",  "sample_rule", "report", NULL};
    struct loader ld = {.source = source ? source : "<instrument version>"};
    ld.errs.source = ld.source;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    *err = NULL;
    ld.v = xcalloc(1, sizeof *ld.v);
    if (!root) {
        char *at =
            jerr.line > 0 ? xasprintf("บรรทัด %d คอลัมน์ %d", jerr.line, jerr.column) : xstrdup("");
        char *why = ita_ld_json_syntax_th(jerr.text);
        ita_ld_fail(&ld, at, "ไม่ใช่ JSON ที่ถูกต้อง: %s", why);
        free(why);
        free(at);
        goto fail;
    }
    /* Not an object, or not this format: nothing else can be checked. */
    if (!json_is_object(root)) {
        ita_ld_fail(&ld, "", "ทั้งไฟล์ต้องเป็นออบเจกต์ {...} แต่พบ%s", ita_ld_json_kind(root));
        goto fail;
    }
    if (check_format(&ld, root) < 0)
        goto fail;
    /* Every part is read even after errors in earlier ones, so that all are reported at once. */
    int rc = ita_ld_check_keys(&ld, root, "", keys);
    rc |= ita_ld_get_int(&ld, root, "", "fiscal_year", 2550, 2700, &ld.v->fiscal_year);
    rc |= ita_ld_get_text(&ld, root, "", "title_th", true, &ld.v->title_th);
    rc |= ita_ld_get_text(&ld, root, "", "note", false, &ld.v->note);
    rc |= ita_ld_rules(&ld, root);
    rc |= parse_point_maps(&ld, root);
    rc |= parse_scales(&ld, root);
    rc |= ita_ld_indicators(&ld, root);
    rc |= ita_ld_instruments(&ld, root);
    rc |= ita_ld_oit(&ld, root);
    rc |= ita_ld_sample_rules(&ld, root);
    rc |= ita_ld_report(&ld, root);
    rc |= ita_ld_finish(&ld);
    if (rc < 0 || ld.errs.n > 0)
        goto fail;
    json_decref(root);
    return ld.v;
fail:
    json_decref(root);
    ita_version_free(ld.v);
    *err = ita_errors_take(&ld.errs);
    if (!*err) /* cannot happen: every -1 comes with an error */
        *err = xasprintf("%s: ตรวจไฟล์ไม่ผ่าน", ld.source);
    return NULL;
}

struct ita_version *ita_version_load_file(const char *path, char **err)
{
    struct ita_version *v = NULL;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    *err = NULL;
    if (!f) {
        *err = xasprintf("%s: เปิดไฟล์ไม่ได้ (%s)", path, strerror(errno));
        goto out;
    }
    size_t cap = 65536, len = 0;
    buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap >= MAX_FILE_BYTES) {
                *err = xasprintf("%s: ไฟล์ใหญ่เกิน %u ไบต์ จึงไม่ใช่ไฟล์แบบวัด", path, MAX_FILE_BYTES);
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
        *err = xasprintf("%s: อ่านไฟล์ไม่ได้ (%s)", path, strerror(errno));
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
