/* The statement of the national view (national_sql.c), with its parameters and columns named. */
#ifndef ITA_NATIONAL_SQL_H
#define ITA_NATIONAL_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_national_year: $1 fiscal year, $2 ILIKE pattern over code and name ('' for none) → first,
 * when the year has an instrument version, one row with NATIONAL_O 0 and the year's columns (sample
 * rule, OIT items, rating levels); then one row per agency (NATIONAL_O 1) with its set-up, counted
 * responses, OIT marks and published result of the year. */
enum { NATIONAL_P_YEAR, NATIONAL_P_LIKE, NATIONAL_NPARAMS };
enum {
    NATIONAL_O,         /* 0: the year's row, 1: an agency's */
    NATIONAL_ID,        /* agency id */
    NATIONAL_CODE,      /* agency code */
    NATIONAL_NAME,      /* Thai name */
    NATIONAL_KIND,      /* agency.kind (core/agency_kind.h), "" when not set */
    NATIONAL_PARENT,    /* the parent's code, "" when none */
    NATIONAL_SET,       /* the agency has an agency_year row of the year */
    NATIONAL_OPENS,     /* YYYY-MM-DD, "" when not set */
    NATIONAL_CLOSES,    /* YYYY-MM-DD, the closing day included; "" when not set */
    NATIONAL_STAFF,     /* IIT population; NULL when not entered */
    NATIONAL_OUTSIDE,   /* EIT population; NULL when not entered */
    NATIONAL_IIT,       /* IIT responses counted (response_tally), 0 when none */
    NATIONAL_EIT,       /* EIT responses counted */
    NATIONAL_OIT,       /* OIT items assessed (oit_result rows) */
    NATIONAL_TOTAL,     /* published total (agency_result), two decimals; NULL when none */
    NATIONAL_RATING,    /* published grade or tier, "" when none */
    NATIONAL_RULE,      /* year's row: the version's "sample_rule" as JSON text, or NULL */
    NATIONAL_OIT_ITEMS, /* year's row: how many OIT items the version has */
    NATIONAL_LEVELS,    /* year's row: the rating levels' Thai names, best first, as a JSON array */
    NATIONAL_HIT,       /* agency rows: the code or name matches $2 (always true for an empty $2) */
    NATIONAL_NCOLS
};
extern const struct db_statement sql_national_year;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const national_statements[];
extern const size_t national_statements_count;

#endif
