/* The statements of results/ (results_sql.c): text, parameter count and result columns, declared
 * once. Each statement has an enum of its parameters (ending _NPARAMS) and one of its result
 * columns (ending _NCOLS): call sites fill `const char *p[X_NPARAMS]` by name and read columns
 * by name through db/db_row.h. */
#ifndef ITA_RESULTS_SQL_H
#define ITA_RESULTS_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_res_version: $1 fiscal year → the instrument version scores are computed with */
extern const struct db_statement sql_res_version;
enum { RES_VERSION_P_YEAR, RES_VERSION_NPARAMS };
enum {
    RES_VERSION_REVISION,
    RES_VERSION_DOCUMENT,
    RES_VERSION_SHA256,
    RES_VERSION_UNVERIFIED, /* items not confirmed against NACC's manual */
    RES_VERSION_NCOLS
};

/* sql_res_data: $1 fiscal year, $2 system administrator, $3 own agency, $4 one agency or NULL
 * (every agency in scope) → per agency: tallies, populations, OIT marks, response digest */
extern const struct db_statement sql_res_data;
enum {
    RES_DATA_P_YEAR,
    RES_DATA_P_SYSTEM,
    RES_DATA_P_OWN,
    RES_DATA_P_AGENCY,
    RES_DATA_P_K, /* results_min_responses: the digest covers groups with at least k */
    RES_DATA_NPARAMS
};
enum {
    RES_DATA_ID,
    RES_DATA_CODE,
    RES_DATA_NAME_TH,
    RES_DATA_IIT_RESPONSES, /* 0 when none */
    RES_DATA_IIT_COUNTS,    /* tally as JSON text, NULL when none */
    RES_DATA_EIT_RESPONSES,
    RES_DATA_EIT_COUNTS,
    RES_DATA_IIT_SEALED, /* window closed and last responses counted */
    RES_DATA_EIT_SEALED,
    RES_DATA_LAST_DAY,         /* the window's last day, YYYY-MM-DD, "" when no year row */
    RES_DATA_STAFF_POPULATION, /* -1: not entered */
    RES_DATA_EIT_POPULATION,   /* -1: not entered */
    RES_DATA_OIT,              /* the OIT marks as a JSON array, NULL when none */
    RES_DATA_DIGEST_ROWS,      /* responses summed into the digest */
    RES_DATA_DIGEST_S1,        /* the four digest sums, in order S1..S4 */
    RES_DATA_DIGEST_S2,
    RES_DATA_DIGEST_S3,
    RES_DATA_DIGEST_S4,
    RES_DATA_NCOLS
};

/* sql_res_measures: $1 agency, $2 fiscal year, $3 system administrator, $4 own agency → the draft
 * improvement measures as a JSON array (NULL when none) */
extern const struct db_statement sql_res_measures;
enum {
    RES_MEASURES_P_AGENCY,
    RES_MEASURES_P_YEAR,
    RES_MEASURES_P_SYSTEM,
    RES_MEASURES_P_OWN,
    RES_MEASURES_NPARAMS
};
enum { RES_MEASURES_JSON, RES_MEASURES_NCOLS };

/* sql_res_oit_save: $1 agency, $2 system administrator, $3 own agency, $4 fiscal year, $5..$8
 * text[] of item codes, marks ('t', 'f', '' not assessed), evidence URLs, notes, $9 who saves →
 * whether the agency is in scope, rows saved, rows cleared */
extern const struct db_statement sql_res_oit_save;
enum {
    RES_OIT_SAVE_P_AGENCY,
    RES_OIT_SAVE_P_SYSTEM,
    RES_OIT_SAVE_P_OWN,
    RES_OIT_SAVE_P_YEAR,
    RES_OIT_SAVE_P_CODES,
    RES_OIT_SAVE_P_METS,
    RES_OIT_SAVE_P_URLS,
    RES_OIT_SAVE_P_NOTES,
    RES_OIT_SAVE_P_USER,
    RES_OIT_SAVE_NPARAMS
};
enum { RES_OIT_SAVE_FOUND, RES_OIT_SAVE_SAVED, RES_OIT_SAVE_CLEARED, RES_OIT_SAVE_NCOLS };

/* sql_res_measures_save: $1 agency, $2 system administrator, $3 own agency, $4 fiscal year,
 * $5..$9 text[] of the five columns of the table, $10 who saves → whether the agency is in scope,
 * rows saved */
extern const struct db_statement sql_res_measures_save;
enum {
    RES_MEASURES_SAVE_P_AGENCY,
    RES_MEASURES_SAVE_P_SYSTEM,
    RES_MEASURES_SAVE_P_OWN,
    RES_MEASURES_SAVE_P_YEAR,
    RES_MEASURES_SAVE_P_MEASURE, /* the five columns, in order */
    RES_MEASURES_SAVE_P_METHOD,
    RES_MEASURES_SAVE_P_RESPONSIBLE,
    RES_MEASURES_SAVE_P_PERIOD,
    RES_MEASURES_SAVE_P_FOLLOW_UP,
    RES_MEASURES_SAVE_P_USER,
    RES_MEASURES_SAVE_NPARAMS
};
enum { RES_MEASURES_SAVE_FOUND, RES_MEASURES_SAVE_SAVED, RES_MEASURES_SAVE_NCOLS };

/* sql_res_audit: an export's audit_log row → its id */
extern const struct db_statement sql_res_audit;
enum {
    RES_AUDIT_P_USER,
    RES_AUDIT_P_ACTION,
    RES_AUDIT_P_AGENCY, /* NULL: every agency in scope */
    RES_AUDIT_P_YEAR,
    RES_AUDIT_P_FORMAT,
    RES_AUDIT_P_SCOPE,
    RES_AUDIT_P_FILE_SHA256,
    RES_AUDIT_P_BYTES,
    RES_AUDIT_P_AGENCIES,
    RES_AUDIT_P_MANIFEST,
    RES_AUDIT_P_FILE_NAME,
    RES_AUDIT_NPARAMS
};
enum { RES_AUDIT_ID, RES_AUDIT_NCOLS };

/* sql_res_manifest: $1 export id (audit_log), $2 system administrator, $3 own agency → its signed
 * manifest and file name */
extern const struct db_statement sql_res_manifest;
enum { RES_MANIFEST_P_ID, RES_MANIFEST_P_SYSTEM, RES_MANIFEST_P_OWN, RES_MANIFEST_NPARAMS };
enum { RES_MANIFEST_MANIFEST, RES_MANIFEST_FILE_NAME, RES_MANIFEST_NCOLS };

/* sql_res_history: $1 agency, $2 system administrator, $3 own agency, $4 fiscal year → the
 * agency's published results (agency_result) of the years from 2561 up to the one before $4,
 * oldest first, for the history chart */
extern const struct db_statement sql_res_history;
enum {
    RES_HISTORY_P_AGENCY,
    RES_HISTORY_P_SYSTEM,
    RES_HISTORY_P_OWN,
    RES_HISTORY_P_YEAR,
    RES_HISTORY_NPARAMS
};
enum {
    RES_HISTORY_YEAR,
    RES_HISTORY_TOTAL,
    RES_HISTORY_RATING,
    RES_HISTORY_SOURCE,
    RES_HISTORY_NCOLS
};

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const results_statements[];
extern const size_t results_statements_count;

#endif
