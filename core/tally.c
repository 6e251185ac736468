/* Parser for tally arrays (see tally.h). Strict: digits and commas inside braces, nothing else,
 * so a changed database function cannot be misread silently. */
#include "tally.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int fail(char **err, char *msg)
{
    *err = msg;
    return -1;
}

int ita_tally_apply(const struct ita_version *v, enum ita_instrument k, const char *text,
                    struct ita_field_counts *fields, char **err)
{
    if (k != ITA_IIT && k != ITA_EIT)
        return fail(err, xstrdup("tally: only IIT and EIT have answer tallies"));
    const struct ita_survey *s = &v->surveys[k];
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    size_t want = s->n_fields * ITA_TALLY_STRIDE;
    const char *p = text;
    if (*p != '{')
        return fail(err, xasprintf("tally: expected '{' at the start, found '%.20s'", text));
    p++;
    size_t n = 0;
    while (*p != '}') {
        if (*p < '0' || *p > '9')
            return fail(err, xasprintf("tally: unexpected character '%c' at position %zu", *p,
                                       (size_t)(p - text)));
        uint64_t x = 0;
        while (*p >= '0' && *p <= '9') {
            x = x * 10 + (uint64_t)(*p - '0');
            if (x > INT32_MAX)
                return fail(
                    err, xasprintf("tally: count too large at position %zu", (size_t)(p - text)));
            p++;
        }
        if (n >= want)
            return fail(err, xasprintf("tally of %s has more than %zu entries (%zu fields of "
                                       "fiscal year %d)",
                                       ita_instrument_code(k), want, s->n_fields, v->fiscal_year));
        size_t f = n / ITA_TALLY_STRIDE, level = n % ITA_TALLY_STRIDE;
        const struct ita_field *fd = v->field_list[first + f];
        int levels = v->scales[fd->scale].levels;
        if (x > 0 && (int)level >= levels)
            return fail(err, xasprintf("tally of %s: %llu answers at level %zu of field %s, whose "
                                       "scale has %d levels",
                                       ita_instrument_code(k), (unsigned long long)x, level,
                                       fd->code, levels));
        fields[first + f].at_level[level] = x;
        n++;
        if (*p == ',')
            p++;
        else if (*p != '}')
            return fail(
                err, xasprintf("tally: expected ',' or '}' at position %zu", (size_t)(p - text)));
    }
    if (p[1] != '\0')
        return fail(err, xstrdup("tally: text after the closing '}'"));
    if (n != want)
        return fail(err, xasprintf("tally of %s has %zu entries; fiscal year %d needs %zu (%zu "
                                   "fields x %d levels)",
                                   ita_instrument_code(k), n, v->fiscal_year, want, s->n_fields,
                                   ITA_TALLY_STRIDE));
    return 0;
}
