/* What the OIT work pages share (oit_work_req.c): the agency and year a request names, resolved
 * within the administrator's scope by one statement (another agency answers 404 like one that
 * does not exist; an agency administrator without agency= gets its own; a system administrator
 * without one is asked for the agency's code), one way of waiting (a handler's named-state enum
 * and one step per state, every statement coming back to it), the Thai failure page, and the
 * pure checks of what a clerk types (oit_work_check.c). */
#ifndef ITA_OIT_WORK_H
#define ITA_OIT_WORK_H

#include "admin/admin_session.h"
#include "db/db_pool.h"
#include "net/http.h"
#include "strbuf.h"

#include <libpq-fe.h>

#include <stdbool.h>
#include <stddef.h>

struct oreq;
/* A handler's step: with the statement's result, or r NULL right after the agency was resolved
 * (state OREQ_RESOLVED). */
typedef void (*oreq_step)(struct http_request *req, struct oreq *o, const struct db_result *r);
#define OREQ_STEPS(steps) (steps), sizeof(steps) / sizeof(steps)[0]
enum { OREQ_RESOLVED = 0 };

/* The request's state (request arena; it replaces admin_with_user's as req->handler_state). */
struct oreq {
    const struct admin_user *u;
    char sys[8], own[16], uid[16]; /* scope parameters, the administrator's id */
    const struct form_data *form;  /* posted form, or NULL */
    const oreq_step *steps;
    size_t nsteps;
    int state;
    const char *page; /* path of the page asked for (the agency picker's form goes back there) */
    /* resolved */
    char agency_id[16];
    const char *code, *name; /* the agency's code and Thai name */
    int year;                /* fiscal year (Buddhist Era) */
    char year_s[8];
    bool version, prev_version, suggested; /* see sql_oit_agency */
    void *data;                            /* the handler's own (request arena) */
};

/* Reads agency= (or agency_code=) and year= from the form or the query (year defaults to the
 * current fiscal year), resolves the agency, then runs steps[OREQ_RESOLVED]. */
void oreq_resolve(struct http_request *req, const struct admin_user *u, const char *page,
                  const oreq_step *steps, size_t nsteps);
/* Runs a statement; its result comes to steps[state]. A failed statement answers 503 (database
 * unavailable) or a Thai 500 page; own_errors: the step gets it (r->ok false) instead. */
void oreq_run(struct http_request *req, struct oreq *o, const struct db_statement *stmt,
              const char *const *p, int state);
void oreq_run_own_errors(struct http_request *req, struct oreq *o, const struct db_statement *stmt,
                         const char *const *p, int state);
/* A Thai page (JSON for API tokens) saying msg, with status. */
void oreq_fail(struct http_request *req, const struct oreq *o, int status, const char *msg);
/* 303 to location (request arena or static). */
void oreq_redirect(struct http_request *req, const char *location);
/* A form field, else the query parameter of that name, else NULL. */
const char *oreq_param(struct http_request *req, const struct oreq *o, const char *name);
/* The start of each page: the admin frame, the year's sub-menu and the page's heading line. */
void oreq_page_begin(struct strbuf *p, struct http_request *req, const struct oreq *o,
                     const char *title);

/* A statement's rows copied into the request arena, for a page that waits on more statements
 * after it (a PGresult lives only while its callback runs). Cells as text ("" for NULL). */
struct oit_table {
    int rows, cols;
    const char **cell; /* [rows * cols] */
};
const struct oit_table *oit_table_copy(struct arena *a, const PGresult *res);
const char *oit_cell(const struct oit_table *t, int row, int col);
bool oit_cell_bool(const struct oit_table *t, int row, int col); /* "t" */
long long oit_cell_int(const struct oit_table *t, int row, int col);

/* ---- what a clerk types (oit_work_check.c: pure, unit-tested) ---- */

#define OIT_UNIT_NAME_MAX 200 /* characters, as sql/0016 allows */
#define OIT_NOTE_MAX 2000     /* characters */

/* The four states, in order; their Thai names. */
enum oit_state { OIT_NOT_STARTED, OIT_IN_PROGRESS, OIT_READY, OIT_PUBLISHED, OIT_N_STATES };
extern const char *const OIT_STATE_CODE[OIT_N_STATES]; /* not_started ... (as stored) */
extern const char *const OIT_STATE_TH[OIT_N_STATES];   /* ยังไม่เริ่ม ... */
/* The state of a stored code; -1 when unknown. */
int oit_state_of(const char *code);

/* Number of characters (UTF-8 code points) of s. */
size_t oit_utf8_chars(const char *s);
/* The unit name as stored: spaces around it dropped (arena). NULL with *why_th set when it is
 * empty or longer than OIT_UNIT_NAME_MAX characters. */
const char *oit_unit_name(struct arena *a, const char *typed, const char **why_th);
/* A due date from a date field: "" (none) or a valid YYYY-MM-DD between 2000 and 2200 (CE). */
bool oit_due_ok(const char *s);
/* The evidence URL as stored (arena): normalised (core/url_norm.h), http or https, at most
 * ITA_URL_MAX bytes. NULL with *why_th set otherwise (also for an empty one). */
const char *oit_evidence_url(struct arena *a, const char *typed, const char **why_th);
/* An evidence URL as a person reads it: percent-escapes decoded (arena) when that gives valid
 * UTF-8 without control characters or spaces at either end; the URL itself otherwise. */
const char *oit_url_display(struct arena *a, const char *url);
/* Whether an item is late: a due date before today (both YYYY-MM-DD) and not yet published. */
bool oit_late(const char *due_on, const char *today, const char *state);

#endif
