/* Reading a respondent's posted answers against the instrument: the one check every submission
 * passes (survey.c) and that the administrators' preview of a version repeats without storing
 * anything (admin/instrument_preview.c). Pure: no I/O, no libevent, no libpq. */
#ifndef ITA_SURVEY_ANSWERS_H
#define ITA_SURVEY_ANSWERS_H

#include "instrument.h"
#include "net/form_parse.h"

/* Fills answers[0 .. v->surveys[k].n_fields) with the level posted for each field of survey k of
 * v, in field order, -1 where none was posted. The form token (PAGES_FORM_TOKEN_FIELD) and, when
 * not NULL, the field called `also_skip` are ignored. Returns the number of unanswered fields, or
 * -1 for a tampered or malformed form: a name that is not one of the instrument's fields, a field
 * sent twice, or a level that is not a number inside its scale. */
int survey_answers_read(const struct ita_version *v, enum ita_instrument k,
                        const struct form_data *form, const char *also_skip, int *answers)
    __attribute__((warn_unused_result));

#endif
