/* The statements of survey/ (survey_sql.c): text, parameter count and result columns, declared
 * once. */
#ifndef ITA_SURVEY_SQL_H
#define ITA_SURVEY_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* Parameters: <NAME>_P_<WHAT> in order, then <NAME>_NPARAMS. Result columns: <NAME>_<WHAT> in
 * order, then <NAME>_NCOLS (call sites fill `const char *p[X_NPARAMS]` by name and read columns
 * with db/db_row.h by name). */

/* sql_link_by_slug: $1 slug → the link row a form page needs (LINK_* columns) */
extern const struct db_statement sql_link_by_slug;
enum { LINK_BY_SLUG_P_SLUG, LINK_BY_SLUG_NPARAMS };
/* sql_link_by_token: $1 token_hash (bytea "\x...") → the same row for a personal link */
extern const struct db_statement sql_link_by_token;
enum { LINK_BY_TOKEN_P_TOKEN_HASH, LINK_BY_TOKEN_NPARAMS };
/* The columns of sql_link_by_slug and sql_link_by_token (the same row). */
enum {
    LINK_ID,            /* survey_link.id */
    LINK_YEAR,          /* fiscal year */
    LINK_INSTRUMENT,    /* 'IIT' or 'EIT' */
    LINK_AGENCY_NAME,   /* agency.name_th */
    LINK_REVISION,      /* the year's instrument_version.revision */
    LINK_REVOKED,       /* the link was withdrawn */
    LINK_NOT_OPEN,      /* before its window */
    LINK_CLOSED,        /* after its window */
    LINK_OPENS,         /* YYYY-MM-DD in Thailand */
    LINK_CLOSES,        /* YYYY-MM-DD in Thailand */
    LINK_SPENT,         /* personal token used (false for a public link) */
    LINK_TOKEN_REVOKED, /* personal token withdrawn (false for a public link) */
    LINK_NCOLS
};

/* sql_version_doc: $1 fiscal year → its instrument version */
extern const struct db_statement sql_version_doc;
enum { VERSION_DOC_P_YEAR, VERSION_DOC_NPARAMS };
enum { VERSION_DOC_REVISION, VERSION_DOC_DOCUMENT, VERSION_DOC_NCOLS };

/* The two submissions take the same parameters and answer the same first two columns, so one
 * group commit and one reader serve both:
 * sql_submit_public: $1 link id, $2 nonce hash, $3 answers (bytea) → was the link open, was a
 * response stored;
 * sql_submit_personal: $1 token hash, $2 nonce hash, $3 answers → (always true), was a response
 * stored, nonces recorded. */
extern const struct db_statement sql_submit_public;
extern const struct db_statement sql_submit_personal;
enum { SUBMIT_P_KEY, SUBMIT_P_NONCE, SUBMIT_P_ANSWERS, SUBMIT_NPARAMS };
enum { SUBMIT_LINK_OK, SUBMIT_STORED, SUBMIT_PERSONAL_NONCES };
enum {
    SUBMIT_PUBLIC_NPARAMS = SUBMIT_NPARAMS,
    SUBMIT_PUBLIC_NCOLS = SUBMIT_STORED + 1,
    SUBMIT_PERSONAL_NPARAMS = SUBMIT_NPARAMS,
    SUBMIT_PERSONAL_NCOLS = SUBMIT_PERSONAL_NONCES + 1
};

/* sql_nonce_used: $1 nonce hash → was this form stored already */
extern const struct db_statement sql_nonce_used;
enum { NONCE_USED_P_NONCE, NONCE_USED_NPARAMS };
enum { NONCE_USED_USED, NONCE_USED_NCOLS };

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const survey_statements[];
extern const size_t survey_statements_count;

#endif
