/* The statements of the O42 report (o42_routes.c): the report's inputs in one row, and the save
 * of the clerk's texts. Declared as in results_sql.h: parameter and column enums by name. */
#ifndef ITA_O42_SQL_H
#define ITA_O42_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_o42_inputs: $1 fiscal year, $2 agency, $3 system administrator, $4 own agency → one row
 * when the agency is in scope: its name, the year's version (or, for a past year without one,
 * the nearest later one) and the next year's, the stored result of the year, the clerk's texts
 * (JSON, see o42_texts_parse), the next year's assignments (JSON [{item, unit}]), the measures
 * (JSON as sql_res_measures) and the earlier years' results (JSON [{year, total, rating,
 * source}]). */
extern const struct db_statement sql_o42_inputs;
enum { O42_IN_P_YEAR, O42_IN_P_AGENCY, O42_IN_P_SYSTEM, O42_IN_P_OWN, O42_IN_NPARAMS };
enum {
    O42_IN_ID,
    O42_IN_CODE,
    O42_IN_NAME_TH,
    O42_IN_HAS_VERSION, /* the year itself has a version (responses can be scored) */
    O42_IN_VERSION,     /* document text, NULL when no version at or after the year */
    O42_IN_NEXT_VERSION,
    O42_IN_STORED, /* the year's agency_result row exists */
    O42_IN_TOTAL,
    O42_IN_IIT,
    O42_IN_EIT,
    O42_IN_OIT,
    O42_IN_INDICATORS, /* numeric[] text, NULL when not stored */
    O42_IN_RATING,
    O42_IN_TEXTS,
    O42_IN_ASSIGNMENTS,
    O42_IN_MEASURES,
    O42_IN_HISTORY,
    O42_IN_NCOLS
};

/* sql_o42_texts_save: $1 agency, $2 system, $3 own agency, $4 year, $5 objectives, $6 benefits,
 * $7 coordinator (each NULL: the default), $8 timetable JSON (NULL: the default), $9 question
 * codes text[], $10 their texts text[] ("" leaves the question out, NULL element: back to the
 * default), $11 administrator → found (the agency is in scope), saved. Logged as
 * report_text_set. */
extern const struct db_statement sql_o42_texts_save;
enum {
    O42_SAVE_P_AGENCY,
    O42_SAVE_P_SYSTEM,
    O42_SAVE_P_OWN,
    O42_SAVE_P_YEAR,
    O42_SAVE_P_OBJECTIVES,
    O42_SAVE_P_BENEFITS,
    O42_SAVE_P_COORDINATOR,
    O42_SAVE_P_TIMETABLE,
    O42_SAVE_P_CODES,
    O42_SAVE_P_TEXTS,
    O42_SAVE_P_ADMIN,
    O42_SAVE_NPARAMS
};
enum { O42_SAVE_FOUND, O42_SAVE_NCOLS };

/* sql_o42_texts: $1 agency, $2 year, $3 system, $4 own agency → the clerk's texts (JSON) and the
 * version defaults' source: the next year's version document, or NULL (the HTML report's forms). */
extern const struct db_statement sql_o42_texts;
enum { O42_TX_P_AGENCY, O42_TX_P_YEAR, O42_TX_P_SYSTEM, O42_TX_P_OWN, O42_TX_NPARAMS };
enum { O42_TX_TEXTS, O42_TX_NEXT_VERSION, O42_TX_NCOLS };

extern const struct db_statement *const o42_statements[];
extern const size_t o42_statements_count;

#endif
