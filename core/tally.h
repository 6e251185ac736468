/* Turning the database's per-agency tallies into the scoring engine's input. A tally is the text
 * form of a PostgreSQL integer[] (as ita_tallies() returns it): counts[f * 10 + l] = answers at
 * level l of field f of one instrument (sql/0002_survey_data.sql). Pure parsing: no libpq. */
#ifndef ITA_TALLY_H
#define ITA_TALLY_H

#include "instrument.h"
#include "scoring.h"

#include <stddef.h>

#define ITA_TALLY_STRIDE 10 /* levels reserved per field in a tally (= ITA_MAX_LEVELS) */

/* Parses `text` ("{1,0,2,...}") and stores the counts of instrument k's fields into
 * fields[version field index] (an array of v->n_fields entries; other instruments' entries are
 * left alone). Returns 0, or -1 with *err (caller frees) when the text is malformed, its length
 * does not match the instrument's fields, or a count sits at a level the field's scale lacks. */
int ita_tally_apply(const struct ita_version *v, enum ita_instrument k, const char *text,
                    struct ita_field_counts *fields, char **err) ITA_WUR;

#endif
