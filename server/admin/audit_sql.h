/* The statement of the audit log page (audit_sql.c), with its parameters and columns named. */
#ifndef ITA_AUDIT_SQL_H
#define ITA_AUDIT_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_audit_page: $1 system administrator, $2 own agency (an agency administrator sees only the
 * entries of it), then the filters, each NULL for none: $3 action, $4 agency code (system
 * administrators only), $5 part of the administrator's e-mail, $6 first day, $7 last day
 * (YYYY-MM-DD, Thailand's days, both included), $8 entries older than this id (the next page);
 * $9 how many → the entries, newest first. */
enum {
    AUDIT_PAGE_P_SYSTEM,
    AUDIT_PAGE_P_AGENCY,
    AUDIT_PAGE_P_ACTION,
    AUDIT_PAGE_P_CODE,
    AUDIT_PAGE_P_EMAIL,
    AUDIT_PAGE_P_FROM,
    AUDIT_PAGE_P_TO,
    AUDIT_PAGE_P_BEFORE,
    AUDIT_PAGE_P_LIMIT,
    AUDIT_PAGE_NPARAMS
};
enum {
    AUDIT_PAGE_ID,
    AUDIT_PAGE_AT,          /* YYYY-MM-DD HH:MM in Thailand */
    AUDIT_PAGE_EMAIL,       /* "" when the account is gone or none was recorded */
    AUDIT_PAGE_AGENCY_CODE, /* "" when the entry is of no agency */
    AUDIT_PAGE_AGENCY_NAME,
    AUDIT_PAGE_ACTION,
    AUDIT_PAGE_FISCAL_YEAR, /* "" when none */
    AUDIT_PAGE_DETAIL,      /* jsonb as text */
    AUDIT_PAGE_TARGET,      /* the e-mail of the account an admin_* entry is about, or "" */
    AUDIT_PAGE_NCOLS
};
extern const struct db_statement sql_audit_page;

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const audit_statements[];
extern const size_t audit_statements_count;

#endif
