/* The statements of the OIT work pages (oit_work_sql.c): an agency's internal units, the state,
 * units and due date of each OIT item of a year, its evidence URLs and the item's history. Per
 * statement an enum of its parameters ($1 first, ending _NPARAMS) and one of its result columns
 * (ending _NCOLS), read by name through db/db_row.h. Every statement that names an agency takes
 * one already resolved within the administrator's scope by sql_oit_agency, and every change is
 * written to audit_log by the same statement (one transaction). */
#ifndef ITA_OIT_WORK_SQL_H
#define ITA_OIT_WORK_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_oit_agency: $1 agency id (-1: by code), $2 code, $3 system, $4 own agency, $5 fiscal year
 * → the agency within scope and what the year (and the year before) has */
extern const struct db_statement sql_oit_agency;
enum {
    OIT_AGENCY_P_ID,
    OIT_AGENCY_P_CODE,
    OIT_AGENCY_P_SYSTEM,
    OIT_AGENCY_P_OWN,
    OIT_AGENCY_P_YEAR,
    OIT_AGENCY_NPARAMS
};
enum {
    OIT_AGENCY_ID,
    OIT_AGENCY_CODE,
    OIT_AGENCY_NAME_TH,
    OIT_AGENCY_VERSION,      /* the year has an instrument version with OIT items */
    OIT_AGENCY_PREV_VERSION, /* so has the year before */
    OIT_AGENCY_SUGGESTED,    /* the year's items carry suggested units (units_th) */
    OIT_AGENCY_NCOLS
};

/* sql_oit_units: $1 agency → its units in order, with how many assignments use each */
extern const struct db_statement sql_oit_units;
enum { OIT_UNITS_P_AGENCY, OIT_UNITS_NPARAMS };
enum {
    OIT_UNITS_ID,
    OIT_UNITS_NAME_TH,
    OIT_UNITS_RETIRED,
    OIT_UNITS_USED, /* assignments of any year */
    OIT_UNITS_NCOLS
};

/* sql_oit_unit_add: $1 agency, $2 name, $3 administrator → added 1, or 0 when the name exists */
extern const struct db_statement sql_oit_unit_add;
enum { OIT_UNIT_ADD_P_AGENCY, OIT_UNIT_ADD_P_NAME, OIT_UNIT_ADD_P_ADMIN, OIT_UNIT_ADD_NPARAMS };
enum { OIT_UNIT_ADD_ADDED, OIT_UNIT_ADD_NCOLS };

/* sql_oit_unit_rename: $1 agency, $2 unit, $3 new name, $4 administrator → whether the unit was
 * found and whether another unit has that name (then nothing changed) */
extern const struct db_statement sql_oit_unit_rename;
enum {
    OIT_UNIT_RENAME_P_AGENCY,
    OIT_UNIT_RENAME_P_UNIT,
    OIT_UNIT_RENAME_P_NAME,
    OIT_UNIT_RENAME_P_ADMIN,
    OIT_UNIT_RENAME_NPARAMS
};
enum { OIT_UNIT_RENAME_FOUND, OIT_UNIT_RENAME_DUPLICATE, OIT_UNIT_RENAME_NCOLS };

/* sql_oit_unit_move: $1 agency, $2 unit, $3 -1 (up) or 1 (down), $4 administrator → whether the
 * unit was found (at the top or bottom it stays where it is) */
extern const struct db_statement sql_oit_unit_move;
enum {
    OIT_UNIT_MOVE_P_AGENCY,
    OIT_UNIT_MOVE_P_UNIT,
    OIT_UNIT_MOVE_P_DELTA,
    OIT_UNIT_MOVE_P_ADMIN,
    OIT_UNIT_MOVE_NPARAMS
};
enum { OIT_UNIT_MOVE_FOUND, OIT_UNIT_MOVE_NCOLS };

/* sql_oit_unit_retire: $1 agency, $2 unit, $3 retired (true) or restored, $4 administrator */
extern const struct db_statement sql_oit_unit_retire;
enum {
    OIT_UNIT_RETIRE_P_AGENCY,
    OIT_UNIT_RETIRE_P_UNIT,
    OIT_UNIT_RETIRE_P_RETIRED,
    OIT_UNIT_RETIRE_P_ADMIN,
    OIT_UNIT_RETIRE_NPARAMS
};
enum { OIT_UNIT_RETIRE_FOUND, OIT_UNIT_RETIRE_NCOLS };

/* sql_oit_unit_delete: $1 agency, $2 unit, $3 administrator → found, and deleted (a unit that an
 * assignment uses is never deleted: retire it instead) */
extern const struct db_statement sql_oit_unit_delete;
enum {
    OIT_UNIT_DELETE_P_AGENCY,
    OIT_UNIT_DELETE_P_UNIT,
    OIT_UNIT_DELETE_P_ADMIN,
    OIT_UNIT_DELETE_NPARAMS
};
enum { OIT_UNIT_DELETE_FOUND, OIT_UNIT_DELETE_DELETED, OIT_UNIT_DELETE_NCOLS };

/* sql_oit_items: $1 agency, $2 fiscal year → every OIT item of the year's version in its order,
 * with the agency's work on it */
extern const struct db_statement sql_oit_items;
enum { OIT_ITEMS_P_AGENCY, OIT_ITEMS_P_YEAR, OIT_ITEMS_NPARAMS };
enum {
    OIT_ITEMS_CODE,
    OIT_ITEMS_SUB_CODE,
    OIT_ITEMS_SUB_NAME,
    OIT_ITEMS_TITLE,
    OIT_ITEMS_REQUIREMENTS, /* องค์ประกอบด้านข้อมูล, one per line ("" when the version has none) */
    OIT_ITEMS_SUGGESTED,    /* the version's suggested units, one per line ("" when none) */
    OIT_ITEMS_STATE,        /* not_started, in_progress, ready, published */
    OIT_ITEMS_DUE_ON,       /* YYYY-MM-DD or "" */
    OIT_ITEMS_NOTE,
    OIT_ITEMS_UNITS,    /* assigned units' names, one per line, in the units' order */
    OIT_ITEMS_UNIT_IDS, /* their ids, comma-separated ("" when none) */
    OIT_ITEMS_N_URLS,
    OIT_ITEMS_N_FAILED,   /* evidence URLs whose last check failed */
    OIT_ITEMS_N_CHECKED,  /* evidence URLs checked and found working */
    OIT_ITEMS_URLS,       /* the URLs, one per line, in order */
    OIT_ITEMS_UPDATED,    /* "YYYY-MM-DD HH:MM" Thailand, "" when never saved */
    OIT_ITEMS_UPDATED_BY, /* e-mail, "" when unknown */
    OIT_ITEMS_NCOLS
};

/* sql_oit_item_save: $1 agency, $2 year, $3 item code, $4 state, $5 due date ("" none), $6 note,
 * $7 unit ids (int[] literal; units of other agencies are ignored), $8 administrator → whether
 * the item is in the year's version (nothing is saved otherwise) */
extern const struct db_statement sql_oit_item_save;
enum {
    OIT_ITEM_SAVE_P_AGENCY,
    OIT_ITEM_SAVE_P_YEAR,
    OIT_ITEM_SAVE_P_CODE,
    OIT_ITEM_SAVE_P_STATE,
    OIT_ITEM_SAVE_P_DUE_ON,
    OIT_ITEM_SAVE_P_NOTE,
    OIT_ITEM_SAVE_P_UNITS,
    OIT_ITEM_SAVE_P_ADMIN,
    OIT_ITEM_SAVE_NPARAMS
};
enum { OIT_ITEM_SAVE_FOUND, OIT_ITEM_SAVE_NCOLS };

/* sql_oit_evidence: $1 agency, $2 year, $3 item code → its evidence URLs in order with the link
 * checker's last verdict */
extern const struct db_statement sql_oit_evidence;
enum { OIT_EVIDENCE_P_AGENCY, OIT_EVIDENCE_P_YEAR, OIT_EVIDENCE_P_CODE, OIT_EVIDENCE_NPARAMS };
enum {
    OIT_EVIDENCE_ID,
    OIT_EVIDENCE_URL,
    OIT_EVIDENCE_STATE,      /* pending, ok, failed */
    OIT_EVIDENCE_STATUS,     /* HTTP status, "" when none */
    OIT_EVIDENCE_REASON,     /* Thai, "" when none */
    OIT_EVIDENCE_CHECKED_AT, /* "YYYY-MM-DD HH:MM" Thailand, "" never */
    OIT_EVIDENCE_REQUESTED,  /* a check is asked for */
    OIT_EVIDENCE_NCOLS
};

/* sql_oit_evidence_add: $1 agency, $2 year, $3 item code, $4 URL, $5 administrator → whether the
 * item is in the year's version, and added 1 or 0 (the item has that URL already) */
extern const struct db_statement sql_oit_evidence_add;
enum {
    OIT_EVIDENCE_ADD_P_AGENCY,
    OIT_EVIDENCE_ADD_P_YEAR,
    OIT_EVIDENCE_ADD_P_CODE,
    OIT_EVIDENCE_ADD_P_URL,
    OIT_EVIDENCE_ADD_P_ADMIN,
    OIT_EVIDENCE_ADD_NPARAMS
};
enum { OIT_EVIDENCE_ADD_FOUND, OIT_EVIDENCE_ADD_ADDED, OIT_EVIDENCE_ADD_NCOLS };

/* sql_oit_evidence_remove: $1 agency, $2 year, $3 item code, $4 evidence id, $5 administrator */
extern const struct db_statement sql_oit_evidence_remove;
enum {
    OIT_EVIDENCE_REMOVE_P_AGENCY,
    OIT_EVIDENCE_REMOVE_P_YEAR,
    OIT_EVIDENCE_REMOVE_P_CODE,
    OIT_EVIDENCE_REMOVE_P_ID,
    OIT_EVIDENCE_REMOVE_P_ADMIN,
    OIT_EVIDENCE_REMOVE_NPARAMS
};
enum { OIT_EVIDENCE_REMOVE_REMOVED, OIT_EVIDENCE_REMOVE_NCOLS };

/* sql_oit_evidence_move: $1 agency, $2 year, $3 item code, $4 evidence id, $5 -1 up or 1 down,
 * $6 administrator */
extern const struct db_statement sql_oit_evidence_move;
enum {
    OIT_EVIDENCE_MOVE_P_AGENCY,
    OIT_EVIDENCE_MOVE_P_YEAR,
    OIT_EVIDENCE_MOVE_P_CODE,
    OIT_EVIDENCE_MOVE_P_ID,
    OIT_EVIDENCE_MOVE_P_DELTA,
    OIT_EVIDENCE_MOVE_P_ADMIN,
    OIT_EVIDENCE_MOVE_NPARAMS
};
enum { OIT_EVIDENCE_MOVE_MOVED, OIT_EVIDENCE_MOVE_NCOLS };

/* sql_oit_check_request: $1 agency, $2 year, $3 item code, $4 administrator → how many of the
 * item's URLs are now asked to be checked soon (check_requested_at = now()) */
extern const struct db_statement sql_oit_check_request;
enum {
    OIT_CHECK_REQUEST_P_AGENCY,
    OIT_CHECK_REQUEST_P_YEAR,
    OIT_CHECK_REQUEST_P_CODE,
    OIT_CHECK_REQUEST_P_ADMIN,
    OIT_CHECK_REQUEST_NPARAMS
};
enum { OIT_CHECK_REQUEST_REQUESTED, OIT_CHECK_REQUEST_NCOLS };

/* sql_oit_item_history: $1 agency, $2 year, $3 item code → the item's audit entries, newest
 * first (at most 100) */
extern const struct db_statement sql_oit_item_history;
enum {
    OIT_ITEM_HISTORY_P_AGENCY,
    OIT_ITEM_HISTORY_P_YEAR,
    OIT_ITEM_HISTORY_P_CODE,
    OIT_ITEM_HISTORY_NPARAMS
};
enum {
    OIT_ITEM_HISTORY_AT, /* "YYYY-MM-DD HH:MM" Thailand */
    OIT_ITEM_HISTORY_EMAIL,
    OIT_ITEM_HISTORY_ACTION,
    OIT_ITEM_HISTORY_DETAIL, /* JSON text */
    OIT_ITEM_HISTORY_NCOLS
};

/* sql_oit_copy_year: $1 agency, $2 year, $3 shift due dates by a year, $4 administrator → items
 * copied from the year before (units still in use, due date) and items skipped because they are
 * assigned already; only items whose code both years' versions have */
extern const struct db_statement sql_oit_copy_year;
enum {
    OIT_COPY_YEAR_P_AGENCY,
    OIT_COPY_YEAR_P_YEAR,
    OIT_COPY_YEAR_P_SHIFT,
    OIT_COPY_YEAR_P_ADMIN,
    OIT_COPY_YEAR_NPARAMS
};
enum { OIT_COPY_YEAR_COPIED, OIT_COPY_YEAR_SKIPPED, OIT_COPY_YEAR_NCOLS };

/* sql_oit_suggested: $1 agency, $2 year, $3 administrator → the version's suggested units
 * (units_th) made where missing and assigned to the items that have no unit yet */
extern const struct db_statement sql_oit_suggested;
enum { OIT_SUGGESTED_P_AGENCY, OIT_SUGGESTED_P_YEAR, OIT_SUGGESTED_P_ADMIN, OIT_SUGGESTED_NPARAMS };
enum { OIT_SUGGESTED_UNITS, OIT_SUGGESTED_ITEMS, OIT_SUGGESTED_NCOLS };

extern const struct db_statement *const oit_work_statements[];
extern const size_t oit_work_statements_count;

#endif
