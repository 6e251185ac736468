/* Group commit of form submissions: a pending queue, at most IN_FLIGHT transactions in flight,
 * and a flush at the end of the loop turn in which work arrived or a transaction finished.
 * Entries move PENDING → IN_BATCH (one transaction of several) or SINGLE (a statement of its
 * own: a lone submission, or one re-run after its batch failed) → answered and freed. Each entry
 * has a deadline timer from the moment it was queued (see submit_batch.h for why answering 503
 * while its statement may still commit is safe). */
#include "submit_batch.h"
#include "log.h"
#include "xalloc.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

/* Transactions (or lone statements) of the group-commit loop in flight at once, per worker. One
 * makes the batches as large as the load allows, hence the fewest commits and round trips per
 * submission; the workers' transactions still overlap in PostgreSQL's own group commit. */
#define IN_FLIGHT 1

enum entry_state {
    SE_PENDING,  /* on sb->pending */
    SE_IN_BATCH, /* part of a transaction in flight; cb is NULL once cancelled */
    SE_SINGLE,   /* its own statement in flight (op) */
};

struct submit_entry {
    struct submit_batch *sb;
    enum entry_state state;
    db_done_cb cb; /* whom to answer; NULL once cancelled or answered at the deadline */
    void *arg;     /* cb's argument */
    const struct db_statement *st;
    char *params[SUBMIT_BATCH_PARAMS]; /* owned copies */
    struct db_op *op;                  /* SE_SINGLE */
    bool counted;                      /* SE_SINGLE: holds one of the IN_FLIGHT slots */
    struct event *deadline;            /* fires timeout_ms after the entry was queued */
    struct timespec queued;            /* CLOCK_MONOTONIC, for the log line */
    TAILQ_ENTRY(submit_entry) link;    /* SE_PENDING */
};

/* One transaction in flight. */
struct batch {
    struct submit_batch *sb;
    struct submit_entry **entries; /* [n] in the order sent */
    size_t n;
};

TAILQ_HEAD(entry_list, submit_entry);

struct submit_batch {
    struct event_base *base;
    struct db_pool *db;
    int max;                /* submissions per transaction */
    int owner_id;           /* worker id, for logs */
    int timeout_ms;         /* from queueing to the answer, at most */
    struct event *flush_ev; /* sends what is pending, once per loop turn */
    struct entry_list pending;
    int in_flight; /* slots taken, at most IN_FLIGHT */
};

static void flush_cb(evutil_socket_t fd, short what, void *arg);

struct submit_batch *submit_batch_new(struct event_base *base, struct db_pool *db, int max,
                                      int owner_id, int timeout_ms)
{
    struct submit_batch *sb = xcalloc(1, sizeof *sb);
    sb->base = base;
    sb->db = db;
    sb->max = max < 1 ? 1 : max;
    sb->owner_id = owner_id;
    sb->timeout_ms = timeout_ms < 1 ? 1 : timeout_ms;
    sb->flush_ev = event_new(base, -1, 0, flush_cb, sb);
    TAILQ_INIT(&sb->pending);
    return sb;
}

static void entry_free(struct submit_entry *e)
{
    event_free(e->deadline);
    for (int i = 0; i < SUBMIT_BATCH_PARAMS; i++)
        free(e->params[i]);
    free(e);
}

void submit_batch_free(struct submit_batch *sb)
{
    if (!sb)
        return;
    while (!TAILQ_EMPTY(&sb->pending)) {
        struct submit_entry *e = TAILQ_FIRST(&sb->pending);
        TAILQ_REMOVE(&sb->pending, e, link);
        entry_free(e);
    }
    event_free(sb->flush_ev);
    free(sb);
}

static void schedule_flush(struct submit_batch *sb)
{
    if (!TAILQ_EMPTY(&sb->pending) && sb->in_flight < IN_FLIGHT)
        event_active(sb->flush_ev, EV_TIMEOUT, 0);
}

/* Frees e and answers its submitter (unless cancelled) with r. */
static void deliver(struct submit_entry *e, const struct db_result *r)
{
    db_done_cb cb = e->cb;
    void *arg = e->arg;
    entry_free(e);
    if (cb)
        cb(r, arg);
}

static void deliver_unavailable(struct submit_entry *e, const char *why)
{
    struct db_result r = {.ok = false, .unavailable = true, .error = why};
    deliver(e, &r);
}

static const char *const state_names[] = {"pending", "in_batch", "single"};

/* The deadline passed: the submitter hears "unavailable" now. A pending entry is dropped (it was
 * never sent); one in flight stays with its transaction or statement, which may still commit
 * (its result is then dropped; the nonce makes the respondent's retry harmless), and is freed
 * when that ends. The pool's own timeout still bounds the statement itself. */
static void deadline_cb(evutil_socket_t fd, short what, void *arg)
{
    struct submit_entry *e = arg;
    if (e->state != SE_PENDING && !e->cb)
        return; /* nobody is waiting any more */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long waited =
        (long)(now.tv_sec - e->queued.tv_sec) * 1000 + (now.tv_nsec - e->queued.tv_nsec) / 1000000;
    log_warn("event=submit_timeout w=%d state=%s waited_ms=%ld timeout_ms=%d", e->sb->owner_id,
             state_names[e->state], waited, e->sb->timeout_ms);
    struct db_result r = {.ok = false, .unavailable = true, .error = "submission timed out"};
    if (e->state == SE_PENDING) {
        TAILQ_REMOVE(&e->sb->pending, e, link);
        deliver(e, &r);
        return;
    }
    db_done_cb cb = e->cb;
    e->cb = NULL;
    cb(&r, e->arg);
}

struct submit_entry *submit_batch_exec(struct submit_batch *sb, const struct db_statement *st,
                                       const char *const params[SUBMIT_BATCH_PARAMS], db_done_cb cb,
                                       void *arg)
{
    if (st->nparams != SUBMIT_BATCH_PARAMS)
        abort(); /* caller bug: every submission statement takes SUBMIT_BATCH_PARAMS values */
    struct submit_entry *e = xcalloc(1, sizeof *e);
    e->sb = sb;
    e->state = SE_PENDING;
    e->cb = cb;
    e->arg = arg;
    e->st = st;
    for (int i = 0; i < SUBMIT_BATCH_PARAMS; i++)
        e->params[i] = params[i] ? xstrdup(params[i]) : NULL;
    clock_gettime(CLOCK_MONOTONIC, &e->queued);
    e->deadline = evtimer_new(sb->base, deadline_cb, e);
    struct timeval tv = {sb->timeout_ms / 1000, (sb->timeout_ms % 1000) * 1000};
    evtimer_add(e->deadline, &tv);
    TAILQ_INSERT_TAIL(&sb->pending, e, link);
    schedule_flush(sb);
    return e;
}

/* ---- lone statements ---- */

static void single_done(const struct db_result *r, void *arg)
{
    struct submit_entry *e = arg;
    struct submit_batch *sb = e->sb;
    e->op = NULL;
    if (e->counted) {
        sb->in_flight--;
        schedule_flush(sb);
    }
    deliver(e, r);
}

/* Runs e's statement on its own; counted: it takes an IN_FLIGHT slot (a lone submission), else
 * it is the re-run of a failed batch's member. */
static void run_single(struct submit_entry *e, bool counted)
{
    struct submit_batch *sb = e->sb;
    e->state = SE_SINGLE;
    e->counted = counted;
    e->op = db_exec(sb->db, e->st, (const char *const *)e->params, NULL, single_done, e);
    if (!e->op) {
        deliver_unavailable(e, "database unavailable");
        return;
    }
    if (counted)
        sb->in_flight++;
}

void submit_entry_cancel(struct submit_entry *e)
{
    if (!e)
        return;
    struct submit_batch *sb = e->sb;
    switch (e->state) {
    case SE_PENDING:
        TAILQ_REMOVE(&sb->pending, e, link);
        entry_free(e);
        return;
    case SE_IN_BATCH:
        e->cb = NULL; /* the transaction runs on; its result for e is dropped */
        evtimer_del(e->deadline);
        return;
    case SE_SINGLE:
        db_op_cancel(e->op);
        if (e->counted) {
            sb->in_flight--;
            schedule_flush(sb);
        }
        entry_free(e);
        return;
    }
    abort();
}

/* ---- transactions of several submissions ---- */

/* A fixed order of rows in every transaction (statement, then token or link, then nonce), so
 * two workers' transactions take row locks in the same order and do not deadlock each other. */
static int entry_cmp(const void *a, const void *b)
{
    const struct submit_entry *x = *(struct submit_entry *const *)a;
    const struct submit_entry *y = *(struct submit_entry *const *)b;
    int s = strcmp(x->st->name, y->st->name);
    if (s)
        return s;
    for (int i = 0; i < 2; i++) {
        int c = strcmp(x->params[i] ? x->params[i] : "", y->params[i] ? y->params[i] : "");
        if (c)
            return c;
    }
    return 0;
}

static void batch_free(struct batch *b)
{
    free(b->entries);
    free(b);
}

/* The batch failed as a whole (nothing was committed): run every member again on its own. */
static void batch_fall_back(struct batch *b, const struct db_batch_result *r)
{
    struct submit_batch *sb = b->sb;
    char q[600];
    log_quote(q, sizeof q, r->error ? r->error : "");
    log_warn("event=submit_batch_failed w=%d n=%zu sqlstate=%s error=%s fallback=each",
             sb->owner_id, b->n, r->sqlstate ? r->sqlstate : "-", q);
    for (size_t i = 0; i < b->n; i++) {
        struct submit_entry *e = b->entries[i];
        if (e->cb)
            run_single(e, false);
        else
            entry_free(e);
    }
}

static void batch_done(const struct db_batch_result *r, void *arg)
{
    struct batch *b = arg;
    struct submit_batch *sb = b->sb;
    sb->in_flight--;
    if (r->ok) {
        for (size_t i = 0; i < b->n; i++) {
            struct db_result one = {.ok = true, .res = r->res[i]};
            deliver(b->entries[i], &one);
        }
    } else if (r->unavailable) {
        for (size_t i = 0; i < b->n; i++)
            deliver_unavailable(b->entries[i], r->error);
    } else {
        batch_fall_back(b, r);
    }
    batch_free(b);
    schedule_flush(sb);
}

static void send_batch(struct submit_batch *sb, struct submit_entry **entries, size_t n)
{
    qsort(entries, n, sizeof *entries, entry_cmp);
    struct db_batch_stmt *stmts = xcalloc(n, sizeof *stmts);
    for (size_t i = 0; i < n; i++) {
        entries[i]->state = SE_IN_BATCH;
        stmts[i].st = entries[i]->st;
        stmts[i].values = (const char *const *)entries[i]->params;
    }
    struct batch *b = xcalloc(1, sizeof *b);
    b->sb = sb;
    b->entries = entries;
    b->n = n;
    struct db_op *op = db_exec_batch(sb->db, stmts, n, batch_done, b);
    free(stmts);
    if (!op) {
        for (size_t i = 0; i < n; i++)
            deliver_unavailable(entries[i], "database unavailable");
        batch_free(b);
        return;
    }
    sb->in_flight++;
    log_debug("event=submit_batch w=%d n=%zu", sb->owner_id, n);
}

/* Takes up to max pending submissions and sends them: alone, or as one transaction. */
static void flush_cb(evutil_socket_t fd, short what, void *arg)
{
    struct submit_batch *sb = arg;
    while (sb->in_flight < IN_FLIGHT && !TAILQ_EMPTY(&sb->pending)) {
        struct submit_entry **take = xcalloc((size_t)sb->max, sizeof *take);
        size_t n = 0;
        while (n < (size_t)sb->max && !TAILQ_EMPTY(&sb->pending)) {
            struct submit_entry *e = TAILQ_FIRST(&sb->pending);
            TAILQ_REMOVE(&sb->pending, e, link);
            take[n++] = e;
        }
        if (n == 1) {
            struct submit_entry *e = take[0];
            free(take);
            run_single(e, true);
        } else {
            send_batch(sb, take, n); /* takes take */
        }
    }
}
