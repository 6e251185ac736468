/* The statements of the administrator pages (admin_sql.c): text, parameters and result columns,
 * declared once. Per statement: an enum of its parameters ($1 first, ending _NPARAMS) and one of
 * its result columns (ending _NCOLS); callers fill params[X_P_...] and read columns by name
 * (db/db_row.h). */
#ifndef ITA_ADMIN_SQL_H
#define ITA_ADMIN_SQL_H

#include "db/db_pool.h"

#include <stddef.h>

/* ---- sign-in and sessions (signin.c, session.c) ---- */

/* sql_admin_by_email: $1 e-mail → the account: password hash, locked now, disabled */
extern const struct db_statement sql_admin_by_email;
enum { ADMIN_BY_EMAIL_P_EMAIL, ADMIN_BY_EMAIL_NPARAMS };
enum {
    ADMIN_BY_EMAIL_ID,
    ADMIN_BY_EMAIL_PASSWORD_HASH,
    ADMIN_BY_EMAIL_LOCKED,
    ADMIN_BY_EMAIL_DISABLED,
    ADMIN_BY_EMAIL_NCOLS
};

/* sql_admin_login_ok: $1 user id, $2 HMAC of the new session token → no rows */
extern const struct db_statement sql_admin_login_ok;
enum { ADMIN_LOGIN_OK_P_USER, ADMIN_LOGIN_OK_P_TOKEN_HASH, ADMIN_LOGIN_OK_NPARAMS };
enum { ADMIN_LOGIN_OK_NCOLS };

/* sql_admin_login_fail: $1 user id (0: none) → one row: the transaction id, rows counted (0, 1) */
extern const struct db_statement sql_admin_login_fail;
enum { ADMIN_LOGIN_FAIL_P_USER, ADMIN_LOGIN_FAIL_NPARAMS };
enum { ADMIN_LOGIN_FAIL_XID, ADMIN_LOGIN_FAIL_COUNTED, ADMIN_LOGIN_FAIL_NCOLS };

/* sql_session_user: $1 HMAC of the cookie's token → the signed-in administrator */
extern const struct db_statement sql_session_user;
enum { SESSION_USER_P_TOKEN_HASH, SESSION_USER_NPARAMS };
enum {
    SESSION_USER_ID,
    SESSION_USER_EMAIL,
    SESSION_USER_ROLE,
    SESSION_USER_AGENCY_NAME, /* "" for system administrators */
    SESSION_USER_AGENCY_ID,   /* NULL for system administrators */
    SESSION_USER_NCOLS
};

/* sql_api_token_user: $1 HMAC of the API token → the administrator (columns as session_user) */
extern const struct db_statement sql_api_token_user;
enum { API_TOKEN_USER_P_TOKEN_HASH, API_TOKEN_USER_NPARAMS };
enum {
    API_TOKEN_USER_ID,
    API_TOKEN_USER_EMAIL,
    API_TOKEN_USER_ROLE,
    API_TOKEN_USER_AGENCY_NAME,
    API_TOKEN_USER_AGENCY_ID,
    API_TOKEN_USER_NCOLS
};

/* sql_session_revoke: $1 HMAC of the session token → no rows */
extern const struct db_statement sql_session_revoke;
enum { SESSION_REVOKE_P_TOKEN_HASH, SESSION_REVOKE_NPARAMS };
enum { SESSION_REVOKE_NCOLS };

/* ---- agencies and links (agency.c; sql_admin_agency also results/export_raw.c) ---- */

/* sql_admin_agencies: $1 system, $2 own agency, $3 ILIKE pattern of code or name ('' none),
 * $4 type filter ('' all, 'is': kind = $5, 'none': no type, 'other': a type not in the list
 * $6), $5 the type's Thai name, $6 the list's Thai names (text[] literal), $7 parent filter (''
 * all,
 * '-' none, else the parent's code), $8 sort key (code, name, kind, parent, created), $9
 * descending, $10 offset, $11 page size → one page of the agencies in scope, the matching count on
 * every row; ties broken by code */
extern const struct db_statement sql_admin_agencies;
enum {
    ADMIN_AGENCIES_P_SYSTEM,
    ADMIN_AGENCIES_P_AGENCY,
    ADMIN_AGENCIES_P_PATTERN,
    ADMIN_AGENCIES_P_KIND_MODE,
    ADMIN_AGENCIES_P_KIND,
    ADMIN_AGENCIES_P_KINDS,
    ADMIN_AGENCIES_P_PARENT,
    ADMIN_AGENCIES_P_SORT,
    ADMIN_AGENCIES_P_DESC,
    ADMIN_AGENCIES_P_OFFSET,
    ADMIN_AGENCIES_P_LIMIT,
    ADMIN_AGENCIES_NPARAMS
};
enum {
    ADMIN_AGENCIES_ID,
    ADMIN_AGENCIES_CODE,
    ADMIN_AGENCIES_NAME_TH,
    ADMIN_AGENCIES_KIND,
    ADMIN_AGENCIES_PARENT_CODE, /* "" without a parent */
    ADMIN_AGENCIES_PARENT_NAME, /* "" without a parent */
    ADMIN_AGENCIES_PARENT_ID,   /* "" without a parent */
    ADMIN_AGENCIES_CREATED,     /* YYYY-MM-DD, Thailand */
    ADMIN_AGENCIES_TOTAL,       /* the agencies matching, on every row */
    ADMIN_AGENCIES_YEARS,       /* loaded fiscal years, newest first: "2569,2568" or "" */
    ADMIN_AGENCIES_NCOLS
};

/* sql_admin_agency: $1 agency id, $2 system, $3 own agency → the agency within scope */
extern const struct db_statement sql_admin_agency;
enum { ADMIN_AGENCY_P_ID, ADMIN_AGENCY_P_SYSTEM, ADMIN_AGENCY_P_AGENCY, ADMIN_AGENCY_NPARAMS };
enum {
    ADMIN_AGENCY_ID,
    ADMIN_AGENCY_CODE,
    ADMIN_AGENCY_NAME_TH,
    ADMIN_AGENCY_KIND,
    ADMIN_AGENCY_PARENT_CODE, /* "" without a parent */
    ADMIN_AGENCY_YEARS,       /* loaded fiscal years, newest first: "2567,2566" or "" */
    ADMIN_AGENCY_PARENT_NAME, /* "" without a parent */
    ADMIN_AGENCY_PARENT_ID,   /* "" without a parent */
    ADMIN_AGENCY_NCOLS
};

/* sql_admin_agency_links: $1 agency id → its public links, newest year first */
extern const struct db_statement sql_admin_agency_links;
enum { ADMIN_AGENCY_LINKS_P_AGENCY, ADMIN_AGENCY_LINKS_NPARAMS };
enum {
    ADMIN_AGENCY_LINKS_ID,
    ADMIN_AGENCY_LINKS_FISCAL_YEAR,
    ADMIN_AGENCY_LINKS_INSTRUMENT,
    ADMIN_AGENCY_LINKS_SLUG,
    ADMIN_AGENCY_LINKS_REVOKED,
    ADMIN_AGENCY_LINKS_NCOLS
};

/* sql_admin_link: $1 link id, $2 system, $3 own agency → the live link within scope */
extern const struct db_statement sql_admin_link;
enum { ADMIN_LINK_P_ID, ADMIN_LINK_P_SYSTEM, ADMIN_LINK_P_AGENCY, ADMIN_LINK_NPARAMS };
enum {
    ADMIN_LINK_SLUG,
    ADMIN_LINK_FISCAL_YEAR,
    ADMIN_LINK_INSTRUMENT,
    ADMIN_LINK_AGENCY_NAME_TH,
    ADMIN_LINK_NCOLS
};

/* ---- accounts (accounts.c) ---- */

/* sql_tokens_list: $1 user id → the user's API tokens, newest first */
extern const struct db_statement sql_tokens_list;
enum { TOKENS_LIST_P_USER, TOKENS_LIST_NPARAMS };
enum {
    TOKENS_LIST_ID,
    TOKENS_LIST_NAME,
    TOKENS_LIST_CREATED, /* YYYY-MM-DD HH24:MI, Bangkok time */
    TOKENS_LIST_REVOKED,
    TOKENS_LIST_LAST_USED, /* YYYY-MM-DD, "" when never used */
    TOKENS_LIST_NCOLS
};

/* sql_token_create: $1 HMAC of the token, $2 user id, $3 name → the new token's id */
extern const struct db_statement sql_token_create;
enum { TOKEN_CREATE_P_HASH, TOKEN_CREATE_P_USER, TOKEN_CREATE_P_NAME, TOKEN_CREATE_NPARAMS };
enum { TOKEN_CREATE_ID, TOKEN_CREATE_NCOLS };

/* sql_token_revoke: $1 token id, $2 user id (the owner) → how many were revoked (0 or 1) */
extern const struct db_statement sql_token_revoke;
enum { TOKEN_REVOKE_P_ID, TOKEN_REVOKE_P_USER, TOKEN_REVOKE_NPARAMS };
enum { TOKEN_REVOKE_COUNT, TOKEN_REVOKE_NCOLS };

/* sql_users_page: $1 system, $2 own agency, $3 ILIKE pattern ('' for every account), $4 offset,
 * $5 page size, $6 role ('' any, 'system', 'agency'), $7 agency code ('' any), $8 state ('' any,
 * 'active', 'disabled', 'locked'), $9 sort (email: disabled accounts last; agency, role, last),
 * $10 descending → the accounts within scope; ties by e-mail; total on every row */
extern const struct db_statement sql_users_page;
enum {
    USERS_PAGE_P_SYSTEM,
    USERS_PAGE_P_AGENCY,
    USERS_PAGE_P_PATTERN,
    USERS_PAGE_P_OFFSET,
    USERS_PAGE_P_LIMIT,
    USERS_PAGE_P_ROLE,
    USERS_PAGE_P_AGENCY_CODE,
    USERS_PAGE_P_STATE,
    USERS_PAGE_P_SORT,
    USERS_PAGE_P_DESC,
    USERS_PAGE_NPARAMS
};
enum {
    USERS_PAGE_ID,
    USERS_PAGE_EMAIL,
    USERS_PAGE_ROLE,        /* "system" or "agency" */
    USERS_PAGE_AGENCY_CODE, /* "" for system administrators */
    USERS_PAGE_AGENCY_NAME, /* "" for system administrators */
    USERS_PAGE_DISABLED,
    USERS_PAGE_LOCKED,       /* locked now by failed sign-ins */
    USERS_PAGE_LOCKED_UNTIL, /* YYYY-MM-DD HH24:MI Bangkok time, "" when never locked */
    USERS_PAGE_TOTAL,        /* the accounts matching, on every page */
    USERS_PAGE_LAST_SIGNIN,  /* YYYY-MM-DD HH24:MI Bangkok time of the newest session, "" never */
    USERS_PAGE_NCOLS
};

/* sql_user_one: $1 account, $2 the administrator (excluded), $3 system, $4 own agency → the
 * account within scope (for the confirmation pages) */
extern const struct db_statement sql_user_one;
enum { USER_ONE_P_ID, USER_ONE_P_ADMIN, USER_ONE_P_SYSTEM, USER_ONE_P_AGENCY, USER_ONE_NPARAMS };
enum {
    USER_ONE_ID,
    USER_ONE_EMAIL,
    USER_ONE_ROLE,
    USER_ONE_AGENCY_NAME,
    USER_ONE_DISABLED,
    USER_ONE_LOCKED,
    USER_ONE_NCOLS
};

/* sql_user_create: $1 e-mail, $2 role ("system" or "agency"), $3 agency code (system
 * administrators), $4 password hash, $5 the creating administrator, $6 its system flag, $7 its
 * agency (an agency administrator's accounts are of that agency) → one row: the new account's id
 * (0 when nothing was made), whether the agency was found, and for an e-mail already taken the
 * existing account's id within scope (0 outside it), whether it is disabled, whether it exists */
extern const struct db_statement sql_user_create;
enum {
    USER_CREATE_P_EMAIL,
    USER_CREATE_P_ROLE,
    USER_CREATE_P_AGENCY_CODE,
    USER_CREATE_P_PASSWORD_HASH,
    USER_CREATE_P_ADMIN,
    USER_CREATE_P_SYSTEM,
    USER_CREATE_P_AGENCY,
    USER_CREATE_NPARAMS
};
enum {
    USER_CREATE_ID,
    USER_CREATE_AGENCY_FOUND,
    USER_CREATE_EXISTING_ID,
    USER_CREATE_EXISTING_DISABLED,
    USER_CREATE_EXISTING,
    USER_CREATE_NCOLS
};

/* sql_user_disable, sql_user_enable, sql_user_unlock: $1 account, $2 the administrator, $3
 * system, $4 own agency → how many accounts were changed (0 or 1) */
extern const struct db_statement sql_user_disable;
extern const struct db_statement sql_user_enable;
extern const struct db_statement sql_user_unlock;
enum {
    USER_SWITCH_P_USER,
    USER_SWITCH_P_ADMIN,
    USER_SWITCH_P_SYSTEM,
    USER_SWITCH_P_AGENCY,
    USER_SWITCH_NPARAMS
};
enum { USER_SWITCH_COUNT, USER_SWITCH_NCOLS };

/* sql_user_reset: $1 account, $2 the administrator, $3 system, $4 own agency, $5 the new
 * password's hash → the account's e-mail (no row when out of scope or disabled) */
extern const struct db_statement sql_user_reset;
enum {
    USER_RESET_P_USER,
    USER_RESET_P_ADMIN,
    USER_RESET_P_SYSTEM,
    USER_RESET_P_AGENCY,
    USER_RESET_P_HASH,
    USER_RESET_NPARAMS
};
enum { USER_RESET_EMAIL, USER_RESET_NCOLS };

/* sql_own_password: $1 the administrator → the stored password hash, locked now by failures */
extern const struct db_statement sql_own_password;
enum { OWN_PASSWORD_P_USER, OWN_PASSWORD_NPARAMS };
enum { OWN_PASSWORD_HASH, OWN_PASSWORD_LOCKED, OWN_PASSWORD_NCOLS };

/* sql_own_password_set: $1 the administrator, $2 the new hash, $3 the HMAC of the session that
 * stays signed in → how many accounts were changed (0 or 1) */
extern const struct db_statement sql_own_password_set;
enum {
    OWN_PASSWORD_SET_P_USER,
    OWN_PASSWORD_SET_P_HASH,
    OWN_PASSWORD_SET_P_KEEP,
    OWN_PASSWORD_SET_NPARAMS
};
enum { OWN_PASSWORD_SET_COUNT, OWN_PASSWORD_SET_NCOLS };

/* Every statement above, for the pool to prepare (app/app.c gathers every folder's list). */
extern const struct db_statement *const admin_statements[];
extern const size_t admin_statements_count;

#endif
