/* What every administrator page handler uses: the signed-in user (or a redirect to the login
 * page), the CSRF check of posted forms, and the common page frame. Implemented in session.c;
 * admin_init (the password check's set-up) in signin.c. */
#ifndef ITA_ADMIN_SESSION_H
#define ITA_ADMIN_SESSION_H

#include "net/form_parse.h"
#include "net/multipart.h"
#include "net/http.h"
#include "strbuf.h"

#include <stdbool.h>

struct admin_user {
    int id;                    /* admin_user.id */
    const char *email;         /* request arena */
    bool system;               /* system administrator: every agency */
    int agency_id;             /* agency administrator: the one agency; 0 for system */
    const char *agency_name;   /* "" for system administrators */
    const char *session_token; /* the cookie's token, for CSRF tokens ("" for API tokens) */
    bool api;                  /* signed in with an API token (Authorization: Bearer): answer
                                  JSON, not HTML; no cookie, so no CSRF check */
};

/* Once before the workers start: libsodium and the dummy hash that keeps sign-in time alike for
 * unknown e-mail addresses. */
int admin_init(void);

typedef void (*admin_then)(struct http_request *req, const struct admin_user *u);

/* The dispatcher's sign-in (app/routes.c), for routes that ask for an administrator; handlers
 * never call it. Looks up the administrator and calls then(). Browsers: the session cookie, else
 * 303 to /admin/login; with posting, the body must be a same-origin form with the session's CSRF
 * token (else 403), then available through admin_form(). Programs (itactl): "Authorization: Bearer
 * <API token>", else 401 JSON; a posted form body is available through admin_form(), other
 * bodies (CSV) are read by the handler itself. */
void admin_with_user(struct http_request *req, bool posting, admin_then then);
const struct form_data *admin_form(struct http_request *req);
/* The uploaded file field `name` of a browser's multipart form (CSRF-checked like any form), or
 * NULL (not multipart, or no such field). Its bytes point into the request body. */
const struct multipart_file *admin_upload(struct http_request *req, const char *name);
void admin_csrf_token(struct http_request *req, const struct admin_user *u, char out[40]);

/* A query parameter, percent-decoded (request arena), or NULL. */
const char *admin_query_str(struct http_request *req, const char *name);
/* The same as typed in a filter form: spaces around it dropped, "" when absent (request arena). */
const char *admin_query_typed(struct http_request *req, const char *name);
/* A non-negative integer query parameter (at most 9 digits), or -1 when absent or malformed. */
long admin_query_int(struct http_request *req, const char *name);
/* The scope parameters every administrator statement takes: sys "true"/"false", agency id. */
void admin_scope(const struct admin_user *u, char sys[8], char agency[16]);
/* The address respondents use: public_url, else https:// and this request's Host (arena). */
const char *admin_public_base(struct http_request *req);

/* True when the request carries an API token (Authorization: Bearer): answer in JSON. */
bool admin_is_api(struct http_request *req);

/* Answers a JSON document (owned by the caller, not stolen) with status. */
struct json_t;
void admin_send_json(struct http_request *req, int status, struct json_t *doc);
/* Answers {"error": message} with status; message is English or Thai text for a person. */
void admin_send_json_error(struct http_request *req, int status, const char *message);

/* The page frame: title, who is signed in, navigation and the sign-out button. */
void admin_page_begin(struct strbuf *p, struct http_request *req, const struct admin_user *u,
                      const char *title);
/* The warning of the pages of a fiscal year whose instrument version has n items not yet
 * confirmed against NACC's manual (nothing when n is 0): in Thai, with a link to the instrument
 * pages for system administrators (who can correct it) and the advice to ask one otherwise. */
void admin_page_unverified(struct strbuf *p, const struct admin_user *u, int fiscal_year, long n);
/* Sends a finished page (page_frame_finish already called) with the pages' CSP. */
void admin_send_page(struct http_request *req, int status, struct strbuf *page);

#endif
