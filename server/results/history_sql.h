/* The statements of the past-results pages (history.c): text, parameters and result columns, one
 * enum of each per statement (see results_sql.h for the convention). Every statement that names
 * an agency takes one already resolved within the administrator's scope by sql_history_agency,
 * except the import, which applies the scope itself. */
#ifndef ITA_HISTORY_SQL_H
#define ITA_HISTORY_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_history_agency: $1 agency id (-1: by code), $2 code, $3 system, $4 own agency → the agency
 * within scope, and the rating level names of every loaded instrument from 2567 */
extern const struct db_statement sql_history_agency;
enum {
    HISTORY_AGENCY_P_ID,
    HISTORY_AGENCY_P_CODE,
    HISTORY_AGENCY_P_SYSTEM,
    HISTORY_AGENCY_P_OWN,
    HISTORY_AGENCY_NPARAMS
};
enum {
    HISTORY_AGENCY_ID,
    HISTORY_AGENCY_CODE,
    HISTORY_AGENCY_NAME_TH,
    HISTORY_AGENCY_TIERS, /* "2567\tผ่านดีเยี่ยม\tผ่านดี...\n2568\t..." ("" when none) */
    HISTORY_AGENCY_NCOLS
};

/* sql_history_list: $1 agency → its results, newest year first */
extern const struct db_statement sql_history_list;
enum { HISTORY_LIST_P_AGENCY, HISTORY_LIST_NPARAMS };
enum {
    HISTORY_LIST_YEAR,
    HISTORY_LIST_TOTAL, /* "85.50" */
    HISTORY_LIST_IIT,   /* NULL when not known */
    HISTORY_LIST_EIT,
    HISTORY_LIST_OIT,
    HISTORY_LIST_INDICATORS, /* "90.00,85.10,..." (ten), NULL when not known */
    HISTORY_LIST_RATING,
    HISTORY_LIST_SOURCE, /* entered, imported, published */
    HISTORY_LIST_BY,     /* e-mail of who stored it, "" when unknown */
    HISTORY_LIST_AT,     /* "YYYY-MM-DD HH:MM", Thailand time */
    HISTORY_LIST_NCOLS
};

/* sql_history_save: one year stored (replacing the year's row) and logged in audit_log */
extern const struct db_statement sql_history_save;
enum {
    HISTORY_SAVE_P_AGENCY,
    HISTORY_SAVE_P_YEAR,
    HISTORY_SAVE_P_TOTAL,
    HISTORY_SAVE_P_IIT, /* NULL when not given */
    HISTORY_SAVE_P_EIT,
    HISTORY_SAVE_P_OIT,
    HISTORY_SAVE_P_INDICATORS, /* numeric[] literal or NULL */
    HISTORY_SAVE_P_RATING,
    HISTORY_SAVE_P_SOURCE, /* entered or published */
    HISTORY_SAVE_P_ADMIN,
    HISTORY_SAVE_NPARAMS
};
enum { HISTORY_SAVE_REPLACED, HISTORY_SAVE_NCOLS }; /* true when the year had a row */

/* sql_history_delete: $1 agency, $2 year, $3 admin → rows deleted (0 or 1), logged */
extern const struct db_statement sql_history_delete;
enum {
    HISTORY_DELETE_P_AGENCY,
    HISTORY_DELETE_P_YEAR,
    HISTORY_DELETE_P_ADMIN,
    HISTORY_DELETE_NPARAMS
};
enum { HISTORY_DELETE_N, HISTORY_DELETE_NCOLS };

/* sql_history_codes: $1 system, $2 own agency → the codes in scope, one per line, and the tier
 * names as sql_history_agency gives them */
extern const struct db_statement sql_history_codes;
enum { HISTORY_CODES_P_SYSTEM, HISTORY_CODES_P_OWN, HISTORY_CODES_NPARAMS };
enum { HISTORY_CODES_LIST, HISTORY_CODES_TIERS, HISTORY_CODES_NCOLS };

/* sql_history_import: a checked list as column arrays (core/result_import.h), every row stored
 * with source 'imported' (replacing the years' rows) in one statement, logged once */
extern const struct db_statement sql_history_import;
enum {
    HISTORY_IMPORT_P_ADMIN,
    HISTORY_IMPORT_P_SYSTEM,
    HISTORY_IMPORT_P_OWN,
    HISTORY_IMPORT_P_AGENCY, /* one agency's file: its id (for the log), else NULL */
    HISTORY_IMPORT_P_CODES,  /* the ITA_RESULT_PG_COLS arrays, in their order */
    HISTORY_IMPORT_P_YEARS,
    HISTORY_IMPORT_P_TOTALS,
    HISTORY_IMPORT_P_IITS,
    HISTORY_IMPORT_P_EITS,
    HISTORY_IMPORT_P_OITS,
    HISTORY_IMPORT_P_INDICATORS,
    HISTORY_IMPORT_P_RATINGS,
    HISTORY_IMPORT_NPARAMS
};
enum { HISTORY_IMPORT_ROWS, HISTORY_IMPORT_AGENCIES, HISTORY_IMPORT_NCOLS };

extern const struct db_statement *const history_statements[];
extern const size_t history_statements_count;

#endif
