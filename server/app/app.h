/* The application behind the network layer: its table of hooks (net/http_app.h) and the state
 * each worker keeps for it — the respondent side's caches and group commit, its handle on the
 * process-wide rate limiters, and the periodic maintenance statements that worker 0 runs. */
#ifndef ITA_APP_H
#define ITA_APP_H

#include "net/http_app.h"
#include "ratelimit.h"
#include "server.h"

#include <stddef.h>

struct ita_version;

/* Periodic database maintenance (worker 0 only): one operation of each job in flight at most. */
#define JOB_THEN_RUNS                                                                              \
    10 /* `then` follows a run that handled rows and the 9 runs after it: a                        \
          VACUUM cannot remove what a snapshot taken earlier may still see, so it                  \
          is tried again until the oldest such snapshot has surely gone */
struct maintenance_job {
    struct worker *w;
    const char *name;                /* for logs */
    const struct db_statement *st;   /* statement to run */
    const char *params[1];           /* its parameters (static or owned by the job), if any */
    const struct db_statement *then; /* run after a run that handled rows and after the next
                                        JOB_THEN_RUNS - 1 runs, or NULL */
    int then_left;                   /* runs left that are followed by `then` */
    int rows_col;                    /* its result column counting the rows it handled, or -1:
                                        the command tag counts them */
    struct event *ev;                /* persistent timer; NULL when the job is off */
    struct db_op *op;                /* the run in flight, if any */
};

struct app_worker {
    struct link_cache *links;   /* public link rows, link_cache_ms (survey/survey.c) */
    struct page_cache *pages;   /* rendered blank form pages (survey/survey.c) */
    struct submit_batch *batch; /* group commit of submissions; freed after the pool */
    struct cached_version {
        int fiscal_year; /* 0 = empty slot */
        int revision;
        struct ita_version *v;    /* parsed instrument version */
    } versions[8];                /* instrument versions parsed by this worker */
    struct ita_version **retired; /* replaced versions, freed when the worker ends */
    size_t n_retired;
    struct ratelimit *rl_ip;        /* submissions per client address (IPv6: per /64); one
                                       table for the whole process, shared by every worker */
    struct ratelimit *rl_link;      /* valid submissions per link; shared like rl_ip */
    struct maintenance_job jobs[2]; /* ita_rollup() and the purge of expired nonces */
    char rollup_k[16];              /* jobs[0]'s parameter: results_min_responses */
};

/* The hooks main.c gives the network layer. */
extern const struct http_app app_hooks;

/* A worker's application state. */
static inline struct app_worker *app_worker_of(struct worker *w)
{
    return (struct app_worker *)w->app;
}

/* Every statement of every folder, for the database pools to prepare (static table). */
const struct db_statement *const *app_statements(size_t *n);

#endif
