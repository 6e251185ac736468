/* The statements of setting up a fiscal year (setup_sql.c): text, parameter count and result
 * columns, declared once, with their parameters and columns named. */
#ifndef ITA_SETUP_SQL_H
#define ITA_SETUP_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_setup_view: $1 system administrator, $2 own agency, $3 agency id (-1 when not given),
 * $4 agency code, $5 fiscal year → the agency with its year's settings, rule and public links,
 * and whether each contact list is delivered privately (sql/0018_mail.sql) */
enum {
    SETUP_VIEW_P_SYSTEM,
    SETUP_VIEW_P_OWN_AGENCY,
    SETUP_VIEW_P_ID,
    SETUP_VIEW_P_CODE,
    SETUP_VIEW_P_YEAR,
    SETUP_VIEW_NPARAMS
};
enum {
    SETUP_VIEW_ID,
    SETUP_VIEW_CODE,
    SETUP_VIEW_NAME,
    SETUP_VIEW_YEAR_SET,
    SETUP_VIEW_VERSION_EXISTS,
    SETUP_VIEW_CLOSED,
    SETUP_VIEW_OPENS_ON,
    SETUP_VIEW_CLOSES_ON,
    SETUP_VIEW_STAFF_POPULATION,
    SETUP_VIEW_EIT_POPULATION,
    SETUP_VIEW_SAMPLE_RULE,
    SETUP_VIEW_IIT_LINK_ID,
    SETUP_VIEW_IIT_SLUG,
    SETUP_VIEW_EIT_LINK_ID,
    SETUP_VIEW_EIT_SLUG,
    SETUP_VIEW_UNVERIFIED,
    SETUP_VIEW_IIT_PRIVATE,
    SETUP_VIEW_EIT_PRIVATE,
    SETUP_VIEW_NCOLS
};
extern const struct db_statement sql_setup_view;

/* sql_year_save: $1 agency id, $2 fiscal year, $3 opening day, $4 closing day (inclusive),
 * $5 staff population, $6 outside population, $7 new IIT slug, $8 new EIT slug → saved */
enum {
    YEAR_SAVE_P_AGENCY,
    YEAR_SAVE_P_YEAR,
    YEAR_SAVE_P_OPENS_ON,
    YEAR_SAVE_P_CLOSES_ON,
    YEAR_SAVE_P_STAFF_POPULATION,
    YEAR_SAVE_P_EIT_POPULATION,
    YEAR_SAVE_P_IIT_SLUG,
    YEAR_SAVE_P_EIT_SLUG,
    YEAR_SAVE_NPARAMS
};
enum { YEAR_SAVE_RESULT, YEAR_SAVE_NCOLS };
extern const struct db_statement sql_year_save;

/* sql_contacts_import: $1 agency id, $2 fiscal year, $3 instrument, $4..$9 column arrays
 * (name, email, phone, unit, started on, dedupe key), $10 administrator → how many were new */
enum {
    CONTACTS_IMPORT_P_AGENCY,
    CONTACTS_IMPORT_P_YEAR,
    CONTACTS_IMPORT_P_INSTRUMENT,
    CONTACTS_IMPORT_P_NAMES,
    CONTACTS_IMPORT_P_EMAILS,
    CONTACTS_IMPORT_P_PHONES,
    CONTACTS_IMPORT_P_UNITS,
    CONTACTS_IMPORT_P_STARTED_ON,
    CONTACTS_IMPORT_P_DEDUPE_KEYS,
    CONTACTS_IMPORT_P_ADMIN,
    CONTACTS_IMPORT_NPARAMS
};
enum { CONTACTS_IMPORT_IMPORTED, CONTACTS_IMPORT_NCOLS };
extern const struct db_statement sql_contacts_import;

/* sql_contacts_list: $1 agency id, $2 fiscal year, $3 instrument, $4 offset → row 0 the totals
 * (TOTAL, WITH_LINK), then one page of contacts (ID .. LINK_ISSUED) */
enum {
    CONTACTS_LIST_P_AGENCY,
    CONTACTS_LIST_P_YEAR,
    CONTACTS_LIST_P_INSTRUMENT,
    CONTACTS_LIST_P_OFFSET,
    CONTACTS_LIST_NPARAMS
};
enum {
    CONTACTS_LIST_ORDER,
    CONTACTS_LIST_TOTAL,
    CONTACTS_LIST_WITH_LINK,
    CONTACTS_LIST_ID,
    CONTACTS_LIST_NAME,
    CONTACTS_LIST_UNIT,
    CONTACTS_LIST_EMAIL,
    CONTACTS_LIST_PHONE,
    CONTACTS_LIST_LINK_ISSUED,
    CONTACTS_LIST_NCOLS
};
extern const struct db_statement sql_contacts_list;

/* sql_links_unissued: $1 agency id, $2 fiscal year, $3 instrument → contacts without a link */
enum {
    LINKS_UNISSUED_P_AGENCY,
    LINKS_UNISSUED_P_YEAR,
    LINKS_UNISSUED_P_INSTRUMENT,
    LINKS_UNISSUED_NPARAMS
};
enum { LINKS_UNISSUED_ID, LINKS_UNISSUED_NCOLS };
extern const struct db_statement sql_links_unissued;

/* sql_links_issue: $1 agency id, $2 fiscal year, $3 instrument, $4 contact ids, $5 their token
 * hashes, $6 administrator → how many were issued, how many contacts now have a link */
enum {
    LINKS_ISSUE_P_AGENCY,
    LINKS_ISSUE_P_YEAR,
    LINKS_ISSUE_P_INSTRUMENT,
    LINKS_ISSUE_P_IDS,
    LINKS_ISSUE_P_HASHES,
    LINKS_ISSUE_P_ADMIN,
    LINKS_ISSUE_NPARAMS
};
enum { LINKS_ISSUE_ISSUED, LINKS_ISSUE_WITH_LINK, LINKS_ISSUE_NCOLS };
extern const struct db_statement sql_links_issue;

/* sql_mailmerge: $1 agency id, $2 fiscal year, $3 instrument, $4 administrator → every contact
 * with a link */
enum {
    MAILMERGE_P_AGENCY,
    MAILMERGE_P_YEAR,
    MAILMERGE_P_INSTRUMENT,
    MAILMERGE_P_ADMIN,
    MAILMERGE_NPARAMS
};
enum {
    MAILMERGE_ID,
    MAILMERGE_GENERATION,
    MAILMERGE_NAME,
    MAILMERGE_EMAIL,
    MAILMERGE_PHONE,
    MAILMERGE_UNIT,
    MAILMERGE_NCOLS
};
extern const struct db_statement sql_mailmerge;

/* sql_contact_get: $1 system administrator, $2 own agency, $3 contact id → its agency, year,
 * instrument and link number */
enum { CONTACT_GET_P_SYSTEM, CONTACT_GET_P_OWN_AGENCY, CONTACT_GET_P_ID, CONTACT_GET_NPARAMS };
enum {
    CONTACT_GET_AGENCY,
    CONTACT_GET_YEAR,
    CONTACT_GET_INSTRUMENT,
    CONTACT_GET_GENERATION,
    CONTACT_GET_NAME,
    CONTACT_GET_UNIT,
    CONTACT_GET_EMAIL,
    CONTACT_GET_AGENCY_NAME,
    CONTACT_GET_PRIVATE, /* the list is delivered privately */
    CONTACT_GET_NCOLS
};
extern const struct db_statement sql_contact_get;

/* sql_link_reissue: $1 agency id, $2 fiscal year, $3 instrument, $4 contact id, $5 its link
 * number, $6 old token hash, $7 new token hash, $8 administrator → the new link number, NULL
 * when nothing changed */
enum {
    LINK_REISSUE_P_AGENCY,
    LINK_REISSUE_P_YEAR,
    LINK_REISSUE_P_INSTRUMENT,
    LINK_REISSUE_P_CONTACT,
    LINK_REISSUE_P_GENERATION,
    LINK_REISSUE_P_OLD_HASH,
    LINK_REISSUE_P_NEW_HASH,
    LINK_REISSUE_P_ADMIN,
    LINK_REISSUE_NPARAMS
};
enum { LINK_REISSUE_GENERATION, LINK_REISSUE_NCOLS };
extern const struct db_statement sql_link_reissue;

/* sql_contact_read: $1 system administrator, $2 own agency, $3 contact id → the contact with its
 * agency, year, instrument and link number (for editing and deleting one contact) */
enum { CONTACT_READ_P_SYSTEM, CONTACT_READ_P_OWN_AGENCY, CONTACT_READ_P_ID, CONTACT_READ_NPARAMS };
enum {
    CONTACT_READ_AGENCY,
    CONTACT_READ_YEAR,
    CONTACT_READ_INSTRUMENT,
    CONTACT_READ_GENERATION,
    CONTACT_READ_NAME,
    CONTACT_READ_UNIT,
    CONTACT_READ_EMAIL,
    CONTACT_READ_PHONE,
    CONTACT_READ_STARTED_ON,
    CONTACT_READ_NCOLS
};
extern const struct db_statement sql_contact_read;

/* sql_contact_update: $1 agency id, $2 fiscal year, $3 instrument, $4 contact id, $5 name,
 * $6 e-mail, $7 phone, $8 unit, $9 started on ('' when none), $10 dedupe key, $11 administrator
 * → 'ok', 'duplicate' (another contact of the list has that key) or 'gone' */
enum {
    CONTACT_UPDATE_P_AGENCY,
    CONTACT_UPDATE_P_YEAR,
    CONTACT_UPDATE_P_INSTRUMENT,
    CONTACT_UPDATE_P_ID,
    CONTACT_UPDATE_P_NAME,
    CONTACT_UPDATE_P_EMAIL,
    CONTACT_UPDATE_P_PHONE,
    CONTACT_UPDATE_P_UNIT,
    CONTACT_UPDATE_P_STARTED_ON,
    CONTACT_UPDATE_P_DEDUPE_KEY,
    CONTACT_UPDATE_P_ADMIN,
    CONTACT_UPDATE_NPARAMS
};
enum { CONTACT_UPDATE_OUTCOME, CONTACT_UPDATE_NCOLS };
extern const struct db_statement sql_contact_update;

/* sql_contact_delete: $1 agency id, $2 fiscal year, $3 contact id, $4 its link number as read,
 * $5 its current token hash (NULL when no link was issued), $6 administrator → deleted */
enum {
    CONTACT_DELETE_P_AGENCY,
    CONTACT_DELETE_P_YEAR,
    CONTACT_DELETE_P_ID,
    CONTACT_DELETE_P_GENERATION,
    CONTACT_DELETE_P_TOKEN_HASH,
    CONTACT_DELETE_P_ADMIN,
    CONTACT_DELETE_NPARAMS
};
enum { CONTACT_DELETE_DELETED, CONTACT_DELETE_NCOLS };
extern const struct db_statement sql_contact_delete;

/* sql_contacts_purge: $1 agency id, $2 fiscal year, $3 administrator → whether the window has
 * closed, how many contacts went */
enum {
    CONTACTS_PURGE_P_AGENCY,
    CONTACTS_PURGE_P_YEAR,
    CONTACTS_PURGE_P_ADMIN,
    CONTACTS_PURGE_NPARAMS
};
enum { CONTACTS_PURGE_CLOSED, CONTACTS_PURGE_PURGED, CONTACTS_PURGE_NCOLS };
extern const struct db_statement sql_contacts_purge;

/* sql_progress: $1 agency id, $2 fiscal year → responses counted per instrument and batch day
 * (KIND 'd'), responses still waiting to be counted (KIND 'w': COUNT), then personal-link uptake
 * per instrument (KIND 'l': COUNT issued, SPENT) */
enum { PROGRESS_P_AGENCY, PROGRESS_P_YEAR, PROGRESS_NPARAMS };
enum {
    PROGRESS_KIND,
    PROGRESS_INSTRUMENT,
    PROGRESS_DAY,
    PROGRESS_COUNT,
    PROGRESS_SPENT,
    PROGRESS_NCOLS
};
extern const struct db_statement sql_progress;

/* ---- copying an earlier year's set-up (year.c) ---- */
/* sql_year_previous: $1 agency id, $2 fiscal year → the agency's latest set-up fiscal year
 * before it (no row when none): its window (closing day inclusive) and populations */
enum { YEAR_PREVIOUS_P_AGENCY, YEAR_PREVIOUS_P_YEAR, YEAR_PREVIOUS_NPARAMS };
enum {
    YEAR_PREVIOUS_YEAR,
    YEAR_PREVIOUS_OPENS_ON,
    YEAR_PREVIOUS_CLOSES_ON,
    YEAR_PREVIOUS_STAFF_POPULATION,
    YEAR_PREVIOUS_EIT_POPULATION,
    YEAR_PREVIOUS_NCOLS
};
extern const struct db_statement sql_year_previous;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const setup_statements[];
extern const size_t setup_statements_count;

#endif
