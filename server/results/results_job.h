/* What the results handlers (results_steps.c, results_views.c, results_export.c) share: the
 * request's state, the CPU job that computes scores and renders or exports them, and the one step
 * function that runs their statements in turn.
 *
 * A request goes: version → data [→ history (page, report)] [→ measures → previous version →
 * previous data (report)] → CPU job (app/req_job.h: scores, then the page, report or export file) →
 * answer [→ audit row (exports) → file]. The job (struct rjob) is owned by the request from
 * results_start on and freed when the request is (on_gone), except while it is on the CPU pool,
 * where req_job owns it.
 */
#ifndef ITA_RESULTS_JOB_H
#define ITA_RESULTS_JOB_H

#include "admin/admin_session.h"
#include "results_charts.h"
#include "results_model.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdint.h>

enum rview { RV_PAGE, RV_REPORT, RV_EXPORT };

/* The statement the step function waits for. */
enum rstate {
    ST_VERSION,      /* the year's instrument version */
    ST_DATA,         /* the agencies' rows */
    ST_MEASURES,     /* report: the draft measures */
    ST_PREV_VERSION, /* report: the previous year's version */
    ST_PREV_DATA,    /* report: the agency's previous-year row */
    ST_AUDIT,        /* export: its audit_log row */
    ST_HISTORY,      /* page and report: earlier years' published results (the history chart) */
    ST_TEXTS,        /* report: the O42 report's editable texts (o42_sql.h) */
};

/* The CPU part of a results request: owns its inputs and outputs. */
struct rjob {
    enum rview view;
    int k_min;            /* cfg.results_min_responses */
    bool questions, json; /* export: per-question file; JSON instead of CSV */
    bool thai;            /* CSV export: Thai column names and words (?keys=th), else English */
    bool kept;            /* back with the request after the CPU pool (see results_job_free) */
    char *doc;            /* instrument version document (JSON) */
    int revision;
    char vsha[65];             /* its SHA-256 */
    long unverified;           /* its items not confirmed against NACC's manual */
    struct results_agency *ag; /* rows of the data statement */
    size_t n_ag;
    char *prev_doc;              /* report: previous year's version, or NULL */
    struct results_agency *prev; /* its rows (0 or 1) */
    size_t n_prev;
    char *measures_json;                 /* report: draft measures */
    char *texts_json;                    /* report: the O42 texts (o42_texts_parse) */
    char *next_doc;                      /* report: next year's version (their defaults), or NULL */
    char *form_error;                    /* report: why the O42 texts were refused, or NULL */
    struct results_history_row *history; /* page and report: earlier years, oldest first */
    size_t n_history;
    char csrf[40];   /* forms on the page and report */
    char scope[96];  /* export: "all" or the agency code */
    char email[256]; /* who exports */
    char filename[160];
    /* results */
    int rc; /* 0 ok, -1 failed (err) */
    char err[300];
    struct strbuf body;
    char *manifest; /* export: signed manifest */
    char file_sha[65];
    uint64_t responses[ITA_N_SURVEYS];
};

/* The handler's state, in the request arena. */
struct rreq {
    const struct admin_user *u;
    enum rview view;
    enum rstate step;  /* which statement the next callback answers */
    long year, agency; /* agency 0: all in scope (exports only) */
    char year_s[24], prev_s[24], agency_s[24], sys[8], own[16], uid[16];
    char k_s[16]; /* results_min_responses */
    bool thai;    /* CSV export: Thai column names (?keys=th, people's default) */
    /* report after a refused O42 texts save: the typed texts (o42_texts_parse JSON) shown
       instead of the stored ones, and why they were refused (arena strings, or NULL) */
    const char *posted_texts, *form_error;
    struct rjob *job;
};

/* An error answer: JSON for programs, text for people. */
void results_fail(struct http_request *req, const struct admin_user *u, int status,
                  const char *msg);
/* The stored version document parsed; NULL with err filled. */
struct ita_version *results_load_version(const char *doc, char *err, size_t errlen);

/* The handler's state for view, in the request arena. */
struct rreq *results_rreq_new(struct http_request *req, const struct admin_user *u,
                              enum rview view);
/* Reads year (required) and agency (required unless allow_all) from the query; false: answered 400.
 */
bool results_read_target(struct http_request *req, struct rreq *rq, bool allow_all);
/* Creates the job (job_view: what its CPU part writes; json, questions: which export file) and
 * runs the first statement. */
void results_start(struct http_request *req, struct rreq *rq, enum rview job_view, bool json,
                   bool questions);
/* Runs stmt; its answer comes to the step function in state st. */
void results_exec(struct http_request *req, struct rreq *rq, enum rstate st,
                  const struct db_statement *stmt, const char *const *p);

/* Copies the rows of sql_res_data into *out (n of them, xcalloc'd; each cleared with
 * results_agency_clear, then the array freed, by the caller, also when it fails). Returns 0, or
 * -1 with err filled. The past-results page uses it to freeze a final result (history.c). */
int results_copy_rows(const struct pg_result *r, struct results_agency **out, size_t *n, char *err,
                      size_t errlen);

/* Keeps letters, digits, '.', '-' and '_' of an export's file name; anything else becomes '_'. */
void results_safe_filename(char *name);

/* The page or report of a computed job, on the CPU pool (results_views.c). */
void results_render(struct rjob *j, const struct ita_version *v, const struct ita_version *prev_v);
/* Answers the page or report (results_views.c). */
void results_send_view(struct http_request *req, struct rreq *rq);
/* The export file and its manifest, on the CPU pool (results_export.c). */
void results_export_run(struct rjob *j, const struct ita_version *v);
/* Logs the export in audit_log (audit_id NULL), then, with its id, sends the file
 * (results_export.c). */
void results_send_export(struct http_request *req, struct rreq *rq, const char *audit_id);

#endif
