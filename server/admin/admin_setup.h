/* What the fiscal-year set-up pages share (setup.c): the agency and year a request names,
 * resolved within the administrator's scope together with the year's settings in one statement
 * (an agency outside the scope answers 404 like one that does not exist), one way of waiting
 * (each handler has one step function and a named-state enum: every statement and CPU job of the
 * request comes back to it), and the answers every page gives in HTML to browsers or JSON to API
 * tokens (docs/api.md). The pages themselves: year.c, contacts.c, links.c, progress.c,
 * agency_edit.c; their HTML is in the *_view.c beside them. */
#ifndef ITA_ADMIN_SETUP_H
#define ITA_ADMIN_SETUP_H

#include "admin_session.h"
#include "app/req_job.h"
#include "db/db_pool.h"
#include "net/http.h"
#include "sample_rule.h"
#include "strbuf.h"

#include <jansson.h>
#include <stdbool.h>

extern const char *const SETUP_INSTRUMENTS[2]; /* "IIT", "EIT" */
extern const char *const SETUP_LIST_TH[2];     /* the Thai names of the two contact lists */

struct setup;
/* What a handler does in one of its states: called with the statement's result, or with r NULL
 * after the agency was resolved (SETUP_RESOLVED) and after a CPU job (its data in s->job). A
 * failed statement reaches it only when s->own_db_errors. */
typedef void (*setup_step)(struct http_request *req, struct setup *s, const struct db_result *r);
/* A handler's steps: a static const array indexed by its named-state enum, passed with
 * SETUP_STEPS(array) (the array and its length). */
#define SETUP_STEPS(steps) (steps), sizeof(steps) / sizeof(steps)[0]
/* Writes a page's body from the page's model (see setup_answer). */
typedef void (*setup_view)(struct strbuf *p, const struct setup *s, const void *model);

enum { SETUP_RESOLVED = 0 }; /* the first state of every handler that resolves an agency */

/* What a request names and, once resolved, the agency and its year (request arena; it replaces
 * admin_with_user's state as req->handler_state). */
struct setup {
    const struct admin_user *u;
    char sys[8], uagency[16]; /* scope parameters */
    char id_param[16];        /* agency=<id> as asked, or "-1" */
    const char *code_param;   /* code=<code> as asked, or "" */
    char fy[8];               /* fiscal year, digits */
    int instrument;           /* 0 IIT, 1 EIT, -1 not asked */
    int tab;                  /* enum page_year_tab of the page (year, progress; NONE otherwise) */
    const struct form_data *form;        /* posted form, or NULL */
    const struct multipart_file *upload; /* uploaded file "file", or NULL */
    /* how the request proceeds */
    const setup_step *steps; /* indexed by state */
    size_t nsteps;
    int state;          /* the handler's own named state */
    bool own_db_errors; /* the step answers failed statements itself */
    void *job;          /* the data of the last CPU job, while its step runs */
    char admin[16];     /* the administrator's id as a parameter */
    /* resolved by sql_setup_view */
    char agency_id[16];
    const char *code, *name;
    bool year_set, version_exists, closed;
    const char *opens_on, *closes_on; /* YYYY-MM-DD, closing day inclusive; "" when unset */
    long population[2];               /* staff (IIT), outside (EIT); -1 when not entered */
    struct ita_sample_rule rules[2];
    long link_id[2]; /* live public links; 0 when none */
    const char *slug[2];
    long unverified; /* items of the year's instrument version not confirmed (0 when none) */
    bool private_delivery[2]; /* the server sends the list's links; the clerk never sees them */
    /* per page */
    void *page; /* the page's own state (request arena) */
};

/* A new state for a request of u with the handler's steps, taking over the posted form and
 * upload. */
struct setup *setup_new(struct http_request *req, const struct admin_user *u,
                        const setup_step *steps, size_t nsteps);
/* Reads agency/code, fy and (when want_instrument) instrument, resolves them and runs the step of
 * SETUP_RESOLVED; answers 400/404 itself. */
void setup_resolve(struct http_request *req, const struct admin_user *u, bool want_instrument,
                   const setup_step *steps, size_t nsteps);
/* Runs the step of s->state (aborts on a state without one). */
void setup_dispatch(struct http_request *req, struct setup *s, const struct db_result *r);
/* Runs the resolving statement again for s's agency (after a change), then step in state. */
void setup_reload(struct http_request *req, struct setup *s, int state);
/* Runs a statement; its result comes to the step in state. */
void setup_run(struct http_request *req, struct setup *s, const struct db_statement *stmt,
               const char *const *params, int state);
/* Runs work(data) on the CPU pool; then the step in state with s->job = data (freed with
 * free_data after the request). */
void setup_job(struct http_request *req, struct setup *s, void *data, req_job_work work,
               req_job_free free_data, int state);

/* A parameter from the posted form, else from the query string; NULL when absent. */
const char *setup_param(struct http_request *req, const struct setup *s, const char *name);
/* True when v is 1..max decimal digits. */
bool setup_digits(const char *v, size_t max);

/* Answers: an error (JSON for API tokens, a Thai page otherwise); a failed statement (503 when
 * the database is unreachable, else a logged 500); a 303; a JSON document (consumed); a page
 * (its body in p, written by a view after setup_page_begin). */
void setup_fail(struct http_request *req, const struct setup *s, int status, const char *msg);
void setup_db_failed(struct http_request *req, const struct setup *s, const struct db_result *r);
void setup_redirect(struct http_request *req, const char *to);
void setup_send_json(struct http_request *req, int status, json_t *doc);
void setup_page_begin(struct strbuf *p, struct http_request *req, const struct setup *s,
                      const char *title);
void setup_send_page(struct http_request *req, int status, struct strbuf *p);
/* Answers 200: doc for API tokens, else (doc dropped; it may be NULL) the page titled title whose
 * body view writes from model. */
void setup_answer(struct http_request *req, const struct setup *s, json_t *doc, const char *title,
                  setup_view view, const void *model);

/* Answers 422 for an uploaded list with errors (nothing imported): JSON with every kept error
 * for API tokens, else a Thai page titled title with the error table and a link back_href
 * (arena or static) labelled back_text. list_th names the list in the message ("รายชื่อ"). */
struct ita_import_errors;
void setup_list_errors(struct http_request *req, const struct setup *s,
                       const struct ita_import_errors *e, const char *list_th, const char *title,
                       const char *back_href, const char *back_text);

/* The minimum sample of instrument k (0 IIT, 1 EIT) from the year's rule and population. */
long setup_min_sample(const struct setup *s, int k);
/* The public link of instrument k, or NULL (arena). */
const char *setup_link_url(struct http_request *req, const struct setup *s, int k);
/* "agency=<id>&amp;fy=<year>" for links in pages (arena). */
const char *setup_qs(struct http_request *req, const struct setup *s);
/* The CSRF token of the administrator's forms (arena); the hidden field carrying it. */
const char *setup_csrf(struct http_request *req, const struct setup *s);
void setup_csrf_field(struct strbuf *p, struct http_request *req, const struct setup *s);

#endif
