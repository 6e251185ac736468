/* The application's hooks for the network layer (see app.h): per-worker state created after the
 * worker's database pool, the maintenance timers of worker 0, and the statement list gathered
 * from every folder's *_sql.c. Routing and dispatch are in routes.c. */
#include "app.h"
#include "admin/admin_sql.h"
#include "admin/agency_sql.h"
#include "admin/audit_sql.h"
#include "admin/national_sql.h"
#include "admin/instruments_sql.h"
#include "admin/mail_admin_sql.h"
#include "admin/setup_sql.h"
#include "admin/slips_sql.h"
#include "app_sql.h"
#include "db/db_row.h"
#include "db/submit_batch.h"
#include "instrument.h"
#include "log.h"
#include "results/history_sql.h"
#include "results/o42_sql.h"
#include "oit/oit_work_sql.h"
#include "results/results_sql.h"
#include "routes.h"
#include "system.h"
#include "survey/link_cache.h"
#include "survey/page_cache.h"
#include "survey/survey_sql.h"
#include "xalloc.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statements ---- */

static const struct db_statement *all_statements[192];
static size_t n_statements;
static pthread_once_t statements_once = PTHREAD_ONCE_INIT;

static void gather(const struct db_statement *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (n_statements == sizeof all_statements / sizeof all_statements[0])
            abort(); /* more statements than the table holds: make it larger */
        all_statements[n_statements++] = list[i];
    }
}

static void statements_init(void)
{
    gather(app_statements_list, app_statements_count);
    gather(survey_statements, survey_statements_count);
    gather(admin_statements, admin_statements_count);
    gather(setup_statements, setup_statements_count);
    gather(slips_statements, slips_statements_count);
    gather(agency_statements, agency_statements_count);
    gather(audit_statements, audit_statements_count);
    gather(national_statements, national_statements_count);
    gather(instruments_statements, instruments_statements_count);
    gather(results_statements, results_statements_count);
    gather(history_statements, history_statements_count);
    gather(o42_statements, o42_statements_count);
    gather(oit_work_statements, oit_work_statements_count);
    gather(mail_admin_statements, mail_admin_statements_count);
    gather(mail_template_statements, mail_template_statements_count);
}

const struct db_statement *const *app_statements(size_t *n)
{
    pthread_once(&statements_once, statements_init);
    *n = n_statements;
    return all_statements;
}

/* ---- maintenance (worker 0) ---- */

static void job_then_done(const struct db_result *r, void *arg)
{
    struct maintenance_job *j = arg;
    j->op = NULL;
    if (!r->ok && !r->unavailable) {
        char q[600];
        log_quote(q, sizeof q, r->error ? r->error : "");
        log_warn("event=maintenance_failed job=%s step=%s w=%d error=%s", j->name, j->then->name,
                 j->w->id, q);
    }
}

static void job_done(const struct db_result *r, void *arg)
{
    struct maintenance_job *j = arg;
    j->op = NULL;
    if (r->ok) {
        const char *rows =
            j->rows_col >= 0 && PQresultStatus(r->res) == PGRES_TUPLES_OK && PQntuples(r->res) == 1
                ? db_text(r->res, 0, j->rows_col)
                : PQcmdTuples(r->res);
        if (strcmp(rows, "0") != 0) {
            log_debug("event=maintenance job=%s w=%d rows=%s", j->name, j->w->id, rows);
            j->then_left = JOB_THEN_RUNS;
        }
        if (j->then && j->then_left > 0 && !j->w->draining) {
            j->then_left--;
            j->op = db_exec(j->w->db, j->then, NULL, NULL, job_then_done, j);
        }
    } else if (!r->unavailable) {
        char q[600];
        log_quote(q, sizeof q, r->error ? r->error : "");
        log_warn("event=maintenance_failed job=%s w=%d error=%s", j->name, j->w->id, q);
    }
}

static void job_cb(evutil_socket_t fd, short what, void *arg)
{
    struct maintenance_job *j = arg;
    struct worker *w = j->w;
    if (j->op || w->draining || !db_pool_ready(w->db))
        return;
    j->op = db_exec(w->db, j->st, j->st->nparams ? j->params : NULL, NULL, job_done, j);
}

/* param: the statement's one parameter (outlives the job), or NULL; then: see struct
 * maintenance_job. */
static void job_start(struct worker *w, struct maintenance_job *j, const char *name,
                      const struct db_statement *st, const char *param,
                      const struct db_statement *then, int rows_col, int interval_ms)
{
    j->w = w;
    j->params[0] = param;
    j->then = then;
    j->name = name;
    j->st = st;
    j->rows_col = rows_col;
    j->ev = event_new(w->base, -1, EV_PERSIST, job_cb, j);
    struct timeval tv = {interval_ms / 1000, (interval_ms % 1000) * 1000};
    event_add(j->ev, &tv);
}

/* ---- rate limiters, one pair per process ---- */

/* The limits hold per process: every worker takes from the same two tables (their striped locks
 * make that safe), created with the first worker and freed with the last. */
static struct {
    pthread_mutex_t mu;
    int users; /* workers holding the tables */
    struct ratelimit ip, link;
} limiters = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int limiters_acquire(struct app_worker *a, const struct config *cfg)
{
    int rc = 0;
    pthread_mutex_lock(&limiters.mu);
    if (limiters.users == 0) {
        if (ratelimit_init(&limiters.ip, 65536, cfg->rate_ip_per_min, cfg->rate_ip_burst) != 0 ||
            ratelimit_init(&limiters.link, 65536, cfg->rate_link_per_min, cfg->rate_link_burst) !=
                0) {
            ratelimit_free(&limiters.ip);
            ratelimit_free(&limiters.link);
            rc = -1;
        }
    }
    if (rc == 0) {
        limiters.users++;
        a->rl_ip = &limiters.ip;
        a->rl_link = &limiters.link;
    }
    pthread_mutex_unlock(&limiters.mu);
    return rc;
}

static void limiters_release(struct app_worker *a)
{
    if (!a->rl_ip)
        return;
    pthread_mutex_lock(&limiters.mu);
    if (--limiters.users == 0) {
        ratelimit_free(&limiters.ip);
        ratelimit_free(&limiters.link);
    }
    pthread_mutex_unlock(&limiters.mu);
    a->rl_ip = a->rl_link = NULL;
}

/* ---- per-worker state ---- */

static int worker_init(struct worker *w, char *err, size_t errlen)
{
    const struct config *cfg = &w->srv->cfg;
    struct app_worker *a = xcalloc(1, sizeof *a);
    w->app = a;
    if (limiters_acquire(a, cfg) != 0) {
        snprintf(err, errlen, "cannot draw random bytes for the rate limiter");
        return -1;
    }
    a->links = link_cache_new(4096, cfg->link_cache_ms);
    a->pages = page_cache_new(64);
    a->batch = submit_batch_new(w->base, w->db, cfg->submit_batch_max, w->id, cfg->db_timeout_ms);
    if (w->id == 0 && cfg->rollup_interval_ms > 0) {
        snprintf(a->rollup_k, sizeof a->rollup_k, "%d", cfg->results_min_responses);
        job_start(w, &a->jobs[0], "rollup", &sql_rollup, a->rollup_k, &sql_rollup_vacuum,
                  ROLLUP_TAKEN, cfg->rollup_interval_ms);
        job_start(w, &a->jobs[1], "purge_nonces", &sql_purge_nonces, NULL, NULL, -1, 3600 * 1000);
    }
    return 0;
}

static void worker_stop(struct worker *w)
{
    struct app_worker *a = app_worker_of(w);
    for (size_t i = 0; i < sizeof a->jobs / sizeof a->jobs[0]; i++) {
        if (a->jobs[i].ev)
            event_del(a->jobs[i].ev);
        db_op_cancel(a->jobs[i].op);
        a->jobs[i].op = NULL;
    }
}

static void worker_free(struct worker *w)
{
    struct app_worker *a = app_worker_of(w);
    for (size_t i = 0; i < sizeof a->jobs / sizeof a->jobs[0]; i++)
        if (a->jobs[i].ev)
            event_free(a->jobs[i].ev);
    limiters_release(a);
    submit_batch_free(a->batch);
    page_cache_free(a->pages);
    link_cache_free(a->links);
    for (size_t i = 0; i < sizeof a->versions / sizeof a->versions[0]; i++)
        ita_version_free(a->versions[i].v);
    for (size_t i = 0; i < a->n_retired; i++)
        ita_version_free(a->retired[i]);
    free(a->retired);
    free(a);
    w->app = NULL;
}

const struct http_app app_hooks = {
    .match = routes_match,
    .dispatch = routes_dispatch,
    .before_body = routes_before_body,
    .not_found = app_not_found,
    .error_page = app_error_page,
    .error_plain = app_error_plain,
    .worker_init = worker_init,
    .worker_stop = worker_stop,
    .worker_free = worker_free,
    .route_names = routes_names,
};
