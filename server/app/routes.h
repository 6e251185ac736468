/* The route table (method + path → handler) and the prepared statements the handlers use. */
#ifndef ITA_ROUTES_H
#define ITA_ROUTES_H

#include "db/db_pool.h"
#include "net/http.h"
#include "net/http_parse.h"

#include <stdbool.h>
#include <stddef.h>

enum stmt_id {
    STMT_HEALTH,
    STMT_ROLLUP,
    STMT_LINK_BY_SLUG,
    STMT_LINK_BY_TOKEN,
    STMT_VERSION_DOC,
    STMT_SUBMIT_PUBLIC,
    STMT_SUBMIT_PERSONAL,
    STMT_NONCE_USED,
    STMT_PURGE_NONCES,
    STMT_ADMIN_BY_EMAIL,
    STMT_ADMIN_LOGIN_OK,
    STMT_ADMIN_LOGIN_FAIL,
    STMT_SESSION_USER,
    STMT_SESSION_REVOKE,
    STMT_API_TOKEN_USER,
    STMT_ADMIN_AGENCIES,
    STMT_ADMIN_AGENCY,
    STMT_ADMIN_AGENCY_LINKS,
    STMT_ADMIN_LINK,
    STMT_AGENCIES_IMPORT,
    STMT_AGENCY_UPDATE,
    STMT_AGENCY_CREATE,
    STMT_TOKENS_LIST,
    STMT_TOKEN_CREATE,
    STMT_TOKEN_REVOKE,
    STMT_USERS_LIST,
    STMT_USER_CREATE,
    STMT_USER_DISABLE,
    /* setting up a fiscal year (handlers_admin_setup.c) */
    STMT_SETUP_VIEW,
    STMT_YEAR_SAVE,
    STMT_CONTACTS_IMPORT,
    STMT_CONTACTS_LIST,
    STMT_LINKS_UNISSUED,
    STMT_LINKS_ISSUE,
    STMT_MAILMERGE,
    STMT_CONTACT_GET,
    STMT_LINK_REISSUE,
    STMT_CONTACTS_PURGE,
    STMT_PROGRESS,
    /* results: OIT, scores, report, exports (handlers_results.c) */
    STMT_RES_VERSION,
    STMT_RES_DATA,
    STMT_RES_MEASURES,
    STMT_RES_OIT_SAVE,
    STMT_RES_MEASURES_SAVE,
    STMT_RES_AUDIT,
    STMT_RES_MANIFEST,
    STMT__COUNT
};
extern const struct db_statement server_statements[STMT__COUNT];
/* Bulk statements (list imports, issuing links, the mail merge) that may take longer than
 * db_timeout_ms: they wait up to the statement timeout (db_pool_config.long_stmts). */
extern const bool server_long_statements[STMT__COUNT];

/* Metrics indexes of the routes that are not in the table. */
enum { ROUTE_NOT_FOUND = 0, ROUTE_BAD_REQUEST = 1, ROUTE_OVER_CAPACITY = 2, ROUTE_FIRST_TABLE = 3 };

typedef void (*http_handler)(struct http_request *req);

struct route {
    enum http_method method;
    const char *path;    /* exact path, or the prefix when prefix is true */
    bool prefix;         /* path is a prefix followed by one segment without '/' */
    http_handler handler;
    const char *name;    /* metrics label */
    const char *pattern; /* what the access log shows (never the real path: it holds tokens) */
    bool upload;         /* takes bodies up to max_upload_bytes instead of max_body_bytes */
};

/* Finds the route for method and path. Returns NULL when none matches; *path_known tells whether
 * the path exists with another method (405) and *allow lists the methods it takes. */
const struct route *routes_match(enum http_method m, const char *path, bool *path_known,
                                 const char **allow);
/* The route table itself (for tests that walk every route). */
const struct route *routes_table(size_t *n);
/* Metrics index of a table route. */
int routes_index(const struct route *r);
size_t routes_count(void);
const char *const *routes_names(void);

/* Handlers (handlers_system.c). */
void handle_healthz(struct http_request *req);
void handle_metrics(struct http_request *req);

/* Respondent handlers (handlers_survey.c). */
void handle_public_get(struct http_request *req);
void handle_public_post(struct http_request *req);
void handle_personal_get(struct http_request *req);
void handle_personal_post(struct http_request *req);

/* Administrator sign-in (handlers_admin.c). admin_init runs once before the workers start. */
int admin_init(void);
void handle_admin_login_get(struct http_request *req);
void handle_admin_login_post(struct http_request *req);
void handle_admin_home(struct http_request *req);
void handle_admin_logout(struct http_request *req);
void handle_admin_agencies(struct http_request *req);
void handle_admin_agency(struct http_request *req);
void handle_admin_qr(struct http_request *req);

/* Results: OIT entry, scores, report, exports (handlers_results.c). */
void handle_admin_results(struct http_request *req);
void handle_admin_report(struct http_request *req);
void handle_admin_export(struct http_request *req);
void handle_admin_export_manifest(struct http_request *req);
void handle_admin_export_key(struct http_request *req);
/* The raw anonymous-response export, streamed (export_raw.c). */
void handle_admin_export_raw(struct http_request *req);
void handle_admin_oit(struct http_request *req);
void handle_admin_measures(struct http_request *req);

/* API tokens and administrator accounts (handlers_admin_accounts.c). */
void handle_admin_tokens(struct http_request *req);
void handle_admin_tokens_new(struct http_request *req);
void handle_admin_tokens_revoke(struct http_request *req);
void handle_admin_users(struct http_request *req);
void handle_admin_users_new(struct http_request *req);
void handle_admin_users_disable(struct http_request *req);

/* Creating, editing and importing agencies (handlers_admin_agency_edit.c). */
void handle_admin_agencies_import(struct http_request *req);
void handle_admin_agency_save(struct http_request *req);

/* Setting up a fiscal year (handlers_admin_year.c, _contacts.c, _links.c, _progress.c). */
void handle_admin_year(struct http_request *req);
void handle_admin_year_post(struct http_request *req);
void handle_admin_contacts(struct http_request *req);
void handle_admin_contacts_import(struct http_request *req);
void handle_admin_contacts_purge(struct http_request *req);
void handle_admin_links_issue(struct http_request *req);
void handle_admin_links_mailmerge(struct http_request *req);
void handle_admin_links_reissue(struct http_request *req);
void handle_admin_progress(struct http_request *req);

#endif
