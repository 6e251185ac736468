/* Minimum sample rule (see sample_rule.h). Integer arithmetic only: the result is a head count. */
#include "sample_rule.h"

#include <jansson.h>
#include <math.h>
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

static int get_count(const json_t *r, const char *name, const char *key, int lo, int hi, int *out,
                     char *err, size_t errlen)
{
    json_t *j = json_object_get(r, key);
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi) {
        snprintf(err, errlen, "%s: \"%s\" must be a whole number from %d to %d", name, key, lo, hi);
        return -1;
    }
    *out = (int)json_integer_value(j);
    return 0;
}

static int parse_one(const json_t *r, const char *name, struct ita_sample_rule *out, char *err,
                     size_t errlen)
{
    const char *key;
    json_t *val;
    if (!json_is_object(r)) {
        snprintf(err, errlen, "%s must be an object", name);
        return -1;
    }
    json_object_foreach((json_t *)r, key, val)
    {
        if (strcmp(key, "minimum") && strcmp(key, "percent") && strcmp(key, "large_above") &&
            strcmp(key, "large_sample")) {
            snprintf(err, errlen,
                     "%s: unknown key \"%s\" (minimum, percent, large_above, "
                     "large_sample)",
                     name, key);
            return -1;
        }
    }
    if (get_count(r, name, "minimum", 0, 1000000, &out->minimum, err, errlen) != 0)
        return -1;
    out->percent_bp = 0;
    json_t *pc = json_object_get(r, "percent");
    if (pc) {
        double d = json_is_number(pc) ? json_number_value(pc) : -1;
        long bp = lround(d * 100);
        if (d < 0 || d > 100 || fabs(d * 100 - (double)bp) > 1e-6) {
            snprintf(err, errlen,
                     "%s: \"percent\" must be a number from 0 to 100 with at most two "
                     "decimals",
                     name);
            return -1;
        }
        out->percent_bp = (int)bp;
    }
    out->large_above = out->large_sample = 0;
    if (json_object_get(r, "large_above") || json_object_get(r, "large_sample")) {
        if (get_count(r, name, "large_above", 1, 100000000, &out->large_above, err, errlen) != 0 ||
            get_count(r, name, "large_sample", 1, 100000000, &out->large_sample, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int ita_sample_rules_parse(const json_t *obj, struct ita_sample_rule rules[2], char *err,
                           size_t errlen)
{
    static const char *const names[2] = {"IIT", "EIT"};
    for (int k = 0; k < 2; k++)
        rules[k] = ita_sample_rule_default(k);
    if (!obj)
        return 0;
    if (!json_is_object(obj)) {
        snprintf(err, errlen, "must be an object with \"IIT\" and/or \"EIT\"");
        return -1;
    }
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val)
    {
        if (strcmp(key, "IIT") && strcmp(key, "EIT")) {
            snprintf(err, errlen, "unknown instrument \"%s\" (IIT, EIT)", key);
            return -1;
        }
    }
    for (int k = 0; k < 2; k++) {
        json_t *r = json_object_get(obj, names[k]);
        if (r && parse_one(r, names[k], &rules[k], err, errlen) != 0)
            return -1;
    }
    return 0;
}

int ita_sample_rules_parse_text(const char *text, struct ita_sample_rule rules[2], char *err,
                                size_t errlen)
{
    if (!text || !*text)
        return ita_sample_rules_parse(NULL, rules, err, errlen);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j) {
        snprintf(err, errlen, "not valid JSON: %s", je.text);
        return -1;
    }
    int rc = ita_sample_rules_parse(j, rules, err, errlen);
    json_decref(j);
    return rc;
}
