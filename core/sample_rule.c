/* Minimum sample rule (see sample_rule.h). Integer arithmetic only: the result is a head count. */
#include "sample_rule.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct ita_sample_rule ita_sample_rule_default(int instrument)
{
    if (instrument == 0)
        return (struct ita_sample_rule){.minimum = 25, .percent_bp = 0};
    return (struct ita_sample_rule){
        .minimum = 30, .percent_bp = 1000, .large_above = 4000, .large_sample = 400};
}

long ita_min_sample(const struct ita_sample_rule *r, long population)
{
    if (population < 0)
        return r->minimum;
    if (population <= r->minimum)
        return population;
    long n;
    if (r->large_above > 0 && population > r->large_above)
        n = r->large_sample;
    else
        n = (population * r->percent_bp + 9999) / 10000; /* round up: 10 % of 301 is 31 */
    if (n < r->minimum)
        n = r->minimum;
    return n > population ? population : n;
}

/* The problems found, one line each, in the caller's buffer; a line that does not fit is
 * dropped whole (never cut inside a UTF-8 character). */
struct problems {
    char *buf;
    size_t size, len;
    int n;
};

static void problem(struct problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct problems *p, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    p->n++;
    size_t need = (size_t)n + (p->len ? 1 : 0);
    if (n < 0 || (size_t)n >= sizeof line || p->len + need >= p->size)
        return;
    snprintf(p->buf + p->len, p->size - p->len, "%s%s", p->len ? "\n" : "", line);
    p->len += need;
}

static void get_count(const json_t *r, const char *name, const char *key, int lo, int hi, int *out,
                      struct problems *p)
{
    json_t *j = json_object_get(r, key);
    if (!j)
        problem(p, "%s: ขาด \"%s\" (จำนวนเต็มตั้งแต่ %d ถึง %d)", name, key, lo, hi);
    else if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi)
        problem(p, "%s: \"%s\" ต้องเป็นจำนวนเต็มตั้งแต่ %d ถึง %d", name, key, lo, hi);
    else
        *out = (int)json_integer_value(j);
}

static void parse_one(const json_t *r, const char *name, struct ita_sample_rule *out,
                      struct problems *p)
{
    const char *key;
    json_t *val;
    if (!json_is_object(r)) {
        problem(p, "%s: ต้องเป็นออบเจกต์ {...}", name);
        return;
    }
    json_object_foreach((json_t *)r, key, val)
    {
        if (strcmp(key, "minimum") && strcmp(key, "percent") && strcmp(key, "large_above") &&
            strcmp(key, "large_sample"))
            problem(p,
                    "%s: ไม่รู้จักคีย์ \"%s\" (คีย์ที่ใช้ได้: minimum, percent, large_above, "
                    "large_sample)",
                    name, key);
    }
    get_count(r, name, "minimum", 0, 1000000, &out->minimum, p);
    out->percent_bp = 0;
    json_t *pc = json_object_get(r, "percent");
    if (pc) {
        double d = json_is_number(pc) ? json_number_value(pc) : -1;
        long bp = lround(d * 100);
        if (d < 0 || d > 100 || fabs(d * 100 - (double)bp) > 1e-6)
            problem(p, "%s: \"percent\" ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100 มีทศนิยมไม่เกินสองตำแหน่ง", name);
        else
            out->percent_bp = (int)bp;
    }
    out->large_above = out->large_sample = 0;
    if (json_object_get(r, "large_above") || json_object_get(r, "large_sample")) {
        get_count(r, name, "large_above", 1, 100000000, &out->large_above, p);
        get_count(r, name, "large_sample", 1, 100000000, &out->large_sample, p);
    }
}

int ita_sample_rules_parse(const json_t *obj, struct ita_sample_rule rules[2], char *err,
                           size_t errlen)
{
    static const char *const names[2] = {"IIT", "EIT"};
    struct problems p = {err, errlen, 0, 0};
    if (errlen)
        err[0] = '\0';
    for (int k = 0; k < 2; k++)
        rules[k] = ita_sample_rule_default(k);
    if (!obj)
        return 0;
    if (!json_is_object(obj)) {
        problem(&p, "ต้องเป็นออบเจกต์ที่มี \"IIT\" และ/หรือ \"EIT\"");
        return -1;
    }
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val)
    {
        if (strcmp(key, "IIT") && strcmp(key, "EIT"))
            problem(&p, "ไม่รู้จักแบบวัด \"%s\" (ที่ใช้ได้: IIT, EIT)", key);
    }
    for (int k = 0; k < 2; k++) {
        json_t *r = json_object_get(obj, names[k]);
        if (r)
            parse_one(r, names[k], &rules[k], &p);
    }
    return p.n ? -1 : 0;
}

int ita_sample_rules_parse_text(const char *text, struct ita_sample_rule rules[2], char *err,
                                size_t errlen)
{
    if (!text || !*text)
        return ita_sample_rules_parse(NULL, rules, err, errlen);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j) {
        snprintf(err, errlen, "ไม่ใช่ JSON ที่ถูกต้อง: %s", je.text);
        return -1;
    }
    int rc = ita_sample_rules_parse(j, rules, err, errlen);
    json_decref(j);
    return rc;
}
