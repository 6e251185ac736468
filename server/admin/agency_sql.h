/* The statements of creating, editing and importing agencies (agency_sql.c), with their
 * parameters and columns named. */
#ifndef ITA_AGENCY_SQL_H
#define ITA_AGENCY_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_agency_update: $1 agency id, $2 code, $3 Thai name, $4 kind, $5 parent code ('' none),
 * $6 system administrator, $7 own agency → the id (NULL when not found), whether the parent
 * exists */
enum {
    AGENCY_UPDATE_P_ID,
    AGENCY_UPDATE_P_CODE,
    AGENCY_UPDATE_P_NAME,
    AGENCY_UPDATE_P_KIND,
    AGENCY_UPDATE_P_PARENT,
    AGENCY_UPDATE_P_SYSTEM,
    AGENCY_UPDATE_P_OWN_AGENCY,
    AGENCY_UPDATE_NPARAMS
};
enum { AGENCY_UPDATE_ID, AGENCY_UPDATE_PARENT_OK, AGENCY_UPDATE_NCOLS };
extern const struct db_statement sql_agency_update;

/* sql_agency_create: $1 code, $2 Thai name, $3 kind, $4 parent code ('' none), $5 administrator
 * → the new id and true; no row when the parent does not exist */
enum {
    AGENCY_CREATE_P_CODE,
    AGENCY_CREATE_P_NAME,
    AGENCY_CREATE_P_KIND,
    AGENCY_CREATE_P_PARENT,
    AGENCY_CREATE_P_ADMIN,
    AGENCY_CREATE_NPARAMS
};
enum { AGENCY_CREATE_ID, AGENCY_CREATE_PARENT_OK, AGENCY_CREATE_NCOLS };
extern const struct db_statement sql_agency_create;

/* sql_agencies_import: $1..$4 column arrays (code, Thai name, kind, parent code),
 * $5 administrator → how many were inserted and updated, the id of the first agency */
enum {
    AGENCIES_IMPORT_P_CODES,
    AGENCIES_IMPORT_P_NAMES,
    AGENCIES_IMPORT_P_KINDS,
    AGENCIES_IMPORT_P_PARENTS,
    AGENCIES_IMPORT_P_ADMIN,
    AGENCIES_IMPORT_NPARAMS
};
enum {
    AGENCIES_IMPORT_INSERTED,
    AGENCIES_IMPORT_UPDATED,
    AGENCIES_IMPORT_FIRST_ID,
    AGENCIES_IMPORT_NCOLS
};
extern const struct db_statement sql_agencies_import;

/* sql_agency_checklist: $1 agency id (already checked to be within scope), $2 fiscal year →
 * one row: where the year's work stands (see agency_sql.c) */
enum { AGENCY_CHECKLIST_P_AGENCY, AGENCY_CHECKLIST_P_YEAR, AGENCY_CHECKLIST_NPARAMS };
enum {
    AGENCY_CHECKLIST_HAS_VERSION,
    AGENCY_CHECKLIST_YEAR_SET,
    AGENCY_CHECKLIST_OPENS_ON,      /* YYYY-MM-DD in Thailand, "" when not set */
    AGENCY_CHECKLIST_LAST_DAY,      /* the last day answers are taken */
    AGENCY_CHECKLIST_WINDOW,        /* "", before, open, closed */
    AGENCY_CHECKLIST_DAYS_TO_CLOSE, /* days from today to the closing bound (the day after) */
    AGENCY_CHECKLIST_DAYS_TO_OPEN,
    AGENCY_CHECKLIST_STAFF_KNOWN,
    AGENCY_CHECKLIST_IIT_CONTACTS,
    AGENCY_CHECKLIST_IIT_ISSUED,
    AGENCY_CHECKLIST_EIT_CONTACTS,
    AGENCY_CHECKLIST_PUBLIC_LINKS,
    AGENCY_CHECKLIST_OIT_MARKED,
    AGENCY_CHECKLIST_OIT_ITEMS,
    AGENCY_CHECKLIST_MEASURES,
    AGENCY_CHECKLIST_NCOLS
};
extern const struct db_statement sql_agency_checklist;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const agency_statements[];
extern const size_t agency_statements_count;

#endif
