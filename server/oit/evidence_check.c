/* The evidence-link job: one thread, one event loop, one database connection and one link
 * checker. Due rows are fetched a few batches ahead of the checker (requested checks first), the
 * rows in hand are excluded from the next fetch, and every verdict is written by its own UPDATE
 * that also clears the request, unless a newer request or a new URL arrived meanwhile. */
#include "oit/evidence_check.h"
#include "build_config.h"
#include "config.h"
#include "db/db_pool.h"
#include "db/db_row.h"
#include "log.h"
#include "metrics.h"
#include "oit/link_check.h"
#include "strbuf.h"
#include "xalloc.h"

#include <event2/dns.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

/* ---- statements ---- */

/* sql_evidence_due: $1 re-check interval in hours, $2 rows at most, $3 ids in hand (bigint[]
 * text) → due rows: requested checks first (oldest request first), then the oldest verdicts, and
 * the time they were picked (passed back to the UPDATE) */
enum { EVIDENCE_DUE_P_HOURS, EVIDENCE_DUE_P_LIMIT, EVIDENCE_DUE_P_IN_HAND, EVIDENCE_DUE_NPARAMS };
enum { EVIDENCE_DUE_ID, EVIDENCE_DUE_URL, EVIDENCE_DUE_PICKED_AT, EVIDENCE_DUE_NCOLS };
DB_STATEMENT(evidence_due, EVIDENCE_DUE,
             "SELECT id, url, now()::text AS picked_at FROM ("
             " (SELECT id, url, 0 AS pri, check_requested_at AS t FROM oit_evidence"
             "  WHERE check_requested_at IS NOT NULL AND NOT (id = ANY ($3::bigint[]))"
             "  ORDER BY check_requested_at LIMIT $2::int)"
             " UNION ALL"
             " (SELECT id, url, 1 AS pri, checked_at AS t FROM oit_evidence"
             "  WHERE check_requested_at IS NULL"
             "  AND (checked_at IS NULL OR checked_at < now() - make_interval(hours => $1::int))"
             "  AND NOT (id = ANY ($3::bigint[]))"
             "  ORDER BY checked_at NULLS FIRST LIMIT $2::int)"
             ") due ORDER BY pri, t NULLS FIRST, id LIMIT $2::int");

/* sql_evidence_verdict: $1 id, $2 the URL that was checked, $3 'ok' or 'failed', $4 HTTP status
 * (NULL when none), $5 Thai reason ("" when ok), $6 picked_at of sql_evidence_due → no rows.
 * Nothing changes when the URL was edited meanwhile; a request made after the row was picked
 * stays (it asks about a state the check may not have seen). */
enum {
    EVIDENCE_VERDICT_P_ID,
    EVIDENCE_VERDICT_P_URL,
    EVIDENCE_VERDICT_P_STATE,
    EVIDENCE_VERDICT_P_STATUS,
    EVIDENCE_VERDICT_P_REASON,
    EVIDENCE_VERDICT_P_PICKED_AT,
    EVIDENCE_VERDICT_NPARAMS
};
enum { EVIDENCE_VERDICT_NCOLS };
DB_STATEMENT(evidence_verdict, EVIDENCE_VERDICT,
             "UPDATE oit_evidence SET check_state = $3, check_status = $4::int,"
             " check_reason = $5, checked_at = now(),"
             " check_requested_at = CASE WHEN check_requested_at > $6::timestamptz"
             "  THEN check_requested_at END"
             " WHERE id = $1::bigint AND url = $2");

static const struct db_statement *const statements[] = {&sql_evidence_due, &sql_evidence_verdict};

const struct db_statement *const *evidence_check_statements(size_t *n)
{
    *n = sizeof statements / sizeof statements[0];
    return statements;
}

/* ---- the job ---- */

/* One row in hand: from its fetch until its verdict is written (or dropped). */
struct ev_item {
    LIST_ENTRY(ev_item) link;
    struct evidence_check *ec;
    char id[24];
    char *url;          /* owned */
    char picked_at[64]; /* the fetch's now(), as PostgreSQL wrote it */
    struct db_op *op;   /* the verdict's UPDATE while it runs */
    bool ok;            /* the verdict being written */
};
LIST_HEAD(ev_item_list, ev_item);

struct evidence_check {
    pthread_t thread;
    struct event_base *base;
    struct evdns_base *dns;
    struct worker_metrics *metrics; /* the pool's gauges (not rendered) */
    struct db_pool *db;
    struct link_checker *lc;
    struct event *poll_ev;  /* every link_check_poll_s */
    struct event *stop_ev;  /* activated by evidence_check_stop */
    struct db_op *fetch_op; /* the running sql_evidence_due */
    struct ev_item_list items;
    size_t nitems;
    size_t batch;       /* rows in hand at most */
    size_t concurrency; /* below this many in hand a fetch follows at once while more are due */
    int interval_hours;
    bool more_due; /* the last fetch was full: more rows wait */
    /* the current round, for its log line */
    unsigned long round_checked, round_ok, round_failed;
    struct timeval round_start;
};

static void fetch(struct evidence_check *ec);

static void item_free(struct ev_item *it)
{
    LIST_REMOVE(it, link);
    it->ec->nitems--;
    free(it->url);
    free(it);
}

static void round_end_if_idle(struct evidence_check *ec)
{
    if (ec->nitems > 0 || ec->fetch_op || ec->round_checked == 0)
        return;
    struct timeval now;
    event_base_gettimeofday_cached(ec->base, &now);
    long ms = (now.tv_sec - ec->round_start.tv_sec) * 1000L +
              (now.tv_usec - ec->round_start.tv_usec) / 1000L;
    log_info("event=link_check_round checked=%lu ok=%lu failed=%lu ms=%ld", ec->round_checked,
             ec->round_ok, ec->round_failed, ms);
    ec->round_checked = ec->round_ok = ec->round_failed = 0;
}

static void on_verdict_written(const struct db_result *r, void *arg)
{
    struct ev_item *it = arg;
    struct evidence_check *ec = it->ec;
    it->op = NULL;
    if (!r->ok) {
        log_warn("event=link_check_write_failed id=%s error=\"%s\"", it->id,
                 r->error ? r->error : "unavailable");
        METRIC_INC(metrics_link_check.dropped);
    } else if (strcmp(PQcmdTuples(r->res), "0") == 0) { /* edited or deleted while checked */
        log_info("event=link_check_dropped id=%s reason=url_changed", it->id);
        METRIC_INC(metrics_link_check.dropped);
    } else if (it->ok) {
        METRIC_INC(metrics_link_check.ok);
    } else {
        METRIC_INC(metrics_link_check.failed);
    }
    item_free(it);
    if (ec->more_due && !ec->fetch_op && ec->nitems <= ec->concurrency)
        fetch(ec);
    round_end_if_idle(ec);
}

static void on_checked(const struct link_result *res, void *arg)
{
    struct ev_item *it = arg;
    struct evidence_check *ec = it->ec;
    char status[16] = "";
    if (res->status >= 100 && res->status <= 999)
        snprintf(status, sizeof status, "%d", res->status);
    const char *values[EVIDENCE_VERDICT_NPARAMS];
    values[EVIDENCE_VERDICT_P_ID] = it->id;
    values[EVIDENCE_VERDICT_P_URL] = it->url;
    values[EVIDENCE_VERDICT_P_STATE] = res->ok ? "ok" : "failed";
    values[EVIDENCE_VERDICT_P_STATUS] = status[0] ? status : NULL;
    values[EVIDENCE_VERDICT_P_REASON] = res->reason;
    values[EVIDENCE_VERDICT_P_PICKED_AT] = it->picked_at;
    it->ok = res->ok;
    ec->round_checked++;
    if (res->ok)
        ec->round_ok++;
    else
        ec->round_failed++;
    if (log_enabled(LOG_DEBUG)) {
        char q[LINK_REASON_MAX * 4 + 8];
        log_quote(q, sizeof q, res->reason);
        log_debug("event=link_checked id=%s ok=%d status=%d via_get=%d curl=%d reason=%s", it->id,
                  res->ok, res->status, res->via_get, res->curl_code, q);
    }
    it->op = db_exec(ec->db, &sql_evidence_verdict, values, NULL, on_verdict_written, it);
    if (!it->op) {
        log_warn("event=link_check_write_failed id=%s error=\"database unavailable\"", it->id);
        METRIC_INC(metrics_link_check.dropped);
        item_free(it);
        round_end_if_idle(ec);
    }
}

static void on_fetched(const struct db_result *r, void *arg)
{
    struct evidence_check *ec = arg;
    ec->fetch_op = NULL;
    if (!r->ok) {
        log_warn("event=link_check_fetch_failed error=\"%s\"", r->error ? r->error : "unavailable");
        ec->more_due = false; /* the next poll tries again */
        return;
    }
    int n = PQntuples(r->res);
    if (n > 0 && ec->nitems == 0 && ec->round_checked == 0)
        event_base_gettimeofday_cached(ec->base, &ec->round_start);
    for (int i = 0; i < n; i++) {
        struct ev_item *it = xcalloc(1, sizeof *it);
        it->ec = ec;
        snprintf(it->id, sizeof it->id, "%s", db_text(r->res, i, EVIDENCE_DUE_ID));
        it->url = xstrdup(db_text(r->res, i, EVIDENCE_DUE_URL));
        snprintf(it->picked_at, sizeof it->picked_at, "%s",
                 db_text(r->res, i, EVIDENCE_DUE_PICKED_AT));
        LIST_INSERT_HEAD(&ec->items, it, link);
        ec->nitems++;
        if (link_check_url(ec->lc, it->url, on_checked, it) != 0)
            item_free(it);
    }
    ec->more_due = (size_t)n > 0 && ec->nitems >= ec->batch;
    round_end_if_idle(ec);
}

/* Fetches due rows up to the batch, leaving out the rows in hand. */
static void fetch(struct evidence_check *ec)
{
    if (ec->fetch_op || ec->nitems >= ec->batch)
        return;
    struct strbuf ids;
    strbuf_init(&ids);
    strbuf_puts(&ids, "{");
    struct ev_item *it;
    LIST_FOREACH(it, &ec->items, link)
    {
        if (ids.len > 1)
            strbuf_puts(&ids, ",");
        strbuf_puts(&ids, it->id);
    }
    strbuf_puts(&ids, "}");
    char hours[16], limit[16];
    snprintf(hours, sizeof hours, "%d", ec->interval_hours);
    snprintf(limit, sizeof limit, "%zu", ec->batch - ec->nitems);
    const char *values[EVIDENCE_DUE_NPARAMS];
    values[EVIDENCE_DUE_P_HOURS] = hours;
    values[EVIDENCE_DUE_P_LIMIT] = limit;
    values[EVIDENCE_DUE_P_IN_HAND] = ids.data;
    ec->fetch_op = db_exec(ec->db, &sql_evidence_due, values, NULL, on_fetched, ec);
    strbuf_free(&ids);
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    fetch(arg);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct evidence_check *ec = arg;
    event_base_loopbreak(ec->base);
}

static void *job_main(void *arg)
{
    struct evidence_check *ec = arg;
    event_active(ec->poll_ev, EV_TIMEOUT, 0); /* the first look at once */
    event_base_dispatch(ec->base);
    return NULL;
}

/* Frees what evidence_check_start made (any part may be missing). */
static void job_free(struct evidence_check *ec)
{
    link_checker_free(ec->lc); /* no callback runs any more */
    struct ev_item *it;
    while ((it = LIST_FIRST(&ec->items))) {
        if (it->op)
            db_op_cancel(it->op);
        item_free(it);
    }
    if (ec->fetch_op)
        db_op_cancel(ec->fetch_op);
    if (ec->db)
        db_pool_free(ec->db);
    if (ec->poll_ev)
        event_free(ec->poll_ev);
    if (ec->stop_ev)
        event_free(ec->stop_ev);
    if (ec->dns)
        evdns_base_free(ec->dns, 0);
    if (ec->base)
        event_base_free(ec->base);
    free(ec->metrics);
    free(ec);
}

struct evidence_check *evidence_check_start(const struct config *cfg, char *err, size_t errlen)
{
    struct evidence_check *ec = xcalloc(1, sizeof *ec);
    LIST_INIT(&ec->items);
    ec->concurrency = (size_t)cfg->link_check_concurrency;
    ec->batch = ec->concurrency * 4;
    ec->interval_hours = cfg->link_check_interval_hours;
    ec->metrics = xcalloc(1, sizeof *ec->metrics);
    ec->base = event_base_new();
    if (!ec->base) {
        snprintf(err, errlen, "link check: cannot create an event base");
        goto fail;
    }
    ec->dns = evdns_base_new(ec->base, EVDNS_BASE_INITIALIZE_NAMESERVERS);
    if (!ec->dns) /* no resolv.conf: unix sockets and IP addresses still work */
        ec->dns = evdns_base_new(ec->base, 0);
    char ua[160];
    snprintf(ua, sizeof ua,
             "ITA-LinkCheck/%s (ITA survey system: checks OIT evidence links; HEAD, small GET)",
             ITA_VERSION);
    struct link_check_config lcc = {
        .concurrency = cfg->link_check_concurrency,
        .connect_timeout_ms = cfg->link_check_connect_timeout_ms,
        .timeout_ms = cfg->link_check_timeout_ms,
        .cafile = cfg->link_check_cafile,
        .user_agent = ua,
        .allow_private = cfg->link_check_allow_private,
    };
    ec->lc = link_checker_new(ec->base, &lcc);
    if (!ec->lc) {
        snprintf(err, errlen, "link check: libcurl could not start");
        goto fail;
    }
    struct db_pool_config pc = {
        .conninfo = cfg->database_url,
        .size = 1,
        .queue_max = (int)ec->batch + 16,
        .op_timeout_ms = cfg->db_timeout_ms,
        .statement_timeout_ms = cfg->db_statement_timeout_ms,
        .owner_id = -1,
        .application_name = "itad-linkcheck", /* told apart from the workers' connections */
    };
    ec->db = db_pool_new(ec->base, ec->dns, &pc, statements,
                         sizeof statements / sizeof statements[0], ec->metrics);
    ec->poll_ev = event_new(ec->base, -1, EV_PERSIST, on_poll, ec);
    ec->stop_ev = event_new(ec->base, -1, 0, on_stop, ec);
    struct timeval tv = {.tv_sec = cfg->link_check_poll_s};
    if (!ec->db || !ec->poll_ev || !ec->stop_ev || event_add(ec->poll_ev, &tv) != 0) {
        snprintf(err, errlen, "link check: cannot set up its event loop");
        goto fail;
    }
    if (pthread_create(&ec->thread, NULL, job_main, ec) != 0) {
        snprintf(err, errlen, "link check: cannot start its thread");
        goto fail;
    }
    log_info("event=link_check_started concurrency=%d timeout_ms=%d interval_hours=%d poll_s=%d",
             cfg->link_check_concurrency, cfg->link_check_timeout_ms,
             cfg->link_check_interval_hours, cfg->link_check_poll_s);
    return ec;
fail:
    job_free(ec);
    return NULL;
}

void evidence_check_stop(struct evidence_check *ec)
{
    if (!ec)
        return;
    event_active(ec->stop_ev, EV_TIMEOUT, 0); /* thread-safe: evthread_use_pthreads() is on */
    pthread_join(ec->thread, NULL);
    job_free(ec);
    log_info("event=link_check_stopped");
}
