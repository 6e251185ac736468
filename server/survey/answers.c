/* The check of posted answers (see answers.h). */
#include "answers.h"
#include "pages.h"

#include <stdlib.h>
#include <string.h>

/* Position within survey k's fields of the field called name, or -1 when k has no such field.
 * Browsers post fields in page order, so `hint` (the position after the last one) is tried
 * first: one comparison per field instead of a search. */
static long field_slot(const struct ita_version *v, enum ita_instrument k, const char *name,
                       size_t hint)
{
    const struct ita_survey *s = &v->surveys[k];
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    if (hint < s->n_fields && strcmp(v->field_list[first + hint]->code, name) == 0)
        return (long)hint;
    const struct ita_field *f = ita_version_find_field(v, name);
    if (!f || v->question_list[f->question]->instrument != k)
        return -1;
    return (long)(f->index - first);
}

int survey_answers_read(const struct ita_version *v, enum ita_instrument k,
                        const struct form_data *form, const char *also_skip, int *answers)
{
    const struct ita_survey *s = &v->surveys[k];
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    for (size_t i = 0; i < s->n_fields; i++)
        answers[i] = -1;
    size_t hint = 0;
    for (size_t i = 0; i < form->n; i++) {
        const char *name = form->pairs[i].name;
        if (strcmp(name, PAGES_FORM_TOKEN_FIELD) == 0 || (also_skip && !strcmp(name, also_skip)))
            continue;
        long slot = field_slot(v, k, name, hint);
        if (slot < 0 || answers[slot] != -1)
            return -1;
        hint = (size_t)slot + 1;
        const struct ita_field *f = v->field_list[first + (size_t)slot];
        const char *val = form->pairs[i].value;
        char *end;
        long level = strtol(val, &end, 10);
        if (*val == '\0' || *end != '\0' || level < 0 || level >= v->scales[f->scale].levels)
            return -1;
        answers[slot] = (int)level;
    }
    int missing = 0;
    for (size_t i = 0; i < s->n_fields; i++)
        missing += answers[i] < 0;
    return missing;
}
