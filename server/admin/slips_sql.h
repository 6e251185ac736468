/* The statement of the printed link slips (slips_sql.c), with its parameters and columns named. */
#ifndef ITA_SLIPS_SQL_H
#define ITA_SLIPS_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* sql_slips_list: $1 agency id, $2 fiscal year, $3 instrument, $4 administrator, $5 everyone
 * (false: only contacts without an e-mail address) → the contacts to print (those with a link),
 * by unit and name, each row with the totals of the selection; one row with a NULL id when none
 * has a link. Writes the audit_log row 'links_slips' (instrument, who, count) when there is
 * something to print. */
enum {
    SLIPS_LIST_P_AGENCY,
    SLIPS_LIST_P_YEAR,
    SLIPS_LIST_P_INSTRUMENT,
    SLIPS_LIST_P_ADMIN,
    SLIPS_LIST_P_ALL,
    SLIPS_LIST_NPARAMS
};
enum {
    SLIPS_LIST_TOTAL,     /* contacts of the selection, with a link or not */
    SLIPS_LIST_WITH_LINK, /* of those, with a link */
    SLIPS_LIST_ID,        /* NULL when nothing to print */
    SLIPS_LIST_GENERATION,
    SLIPS_LIST_NAME,
    SLIPS_LIST_UNIT,
    SLIPS_LIST_NCOLS
};
extern const struct db_statement sql_slips_list;

extern const struct db_statement *const slips_statements[];
extern const size_t slips_statements_count;

#endif
