/* One operation of the pool (see db_pool_impl.h): its parameter copies, the judgement of its
 * results (status, and the column count its statement declares), and the report to its owner. */
#include "db_pool_impl.h"
#include "log.h"
#include "metrics.h"
#include "xalloc.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

bool op_live(const struct db_op *op)
{
    return op->cb || op->batch_cb;
}

void op_free(struct db_op *op)
{
    if (op->queued) {
        TAILQ_REMOVE(&op->pool->queue, op, link);
        op->pool->queue_len--;
        METRIC_DEC(op->pool->m->db_queue);
        op->queued = false;
    }
    if (op->timer)
        event_free(op->timer);
    for (size_t k = 0; k < op->nitems; k++) {
        struct op_item *it = &op->items[k];
        for (int i = 0; i < it->nparams; i++)
            free(it->values[i]);
        free(it->values);
        free(it->lengths);
        if (it->result)
            PQclear(it->result);
    }
    free(op->items);
    if (op->error_owned)
        PQclear(op->error_res);
    free(op);
}

/* Calls the owner's callback (unless cancelled): res is the single statement's result; a batch
 * hands over every item's result instead. */
static void op_call(struct db_op *op, bool ok, bool unavailable, PGresult *res, const char *error)
{
    const char *sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!op->batch) {
        db_done_cb cb = op->cb;
        op->cb = NULL;
        struct db_result r = {ok, unavailable, res, error, sqlstate};
        if (cb)
            cb(&r, op->arg);
        return;
    }
    db_batch_cb cb = op->batch_cb;
    op->batch_cb = NULL;
    if (!cb)
        return;
    PGresult **all = xcalloc(op->nitems, sizeof *all);
    for (size_t k = 0; k < op->nitems; k++)
        all[k] = op->items[k].result;
    struct db_batch_result r = {ok, unavailable, error, sqlstate, op->nitems, all};
    cb(&r, op->arg);
    free(all);
}

/* Reports the outcome to the owner (unless cancelled) and frees the operation. */
void op_finish(struct db_op *op, bool ok, bool unavailable, PGresult *res, const char *error)
{
    struct worker_metrics *m = op->pool->m;
    METRIC_INC(m->db_ops);
    if (unavailable)
        METRIC_INC(m->db_unavailable);
    else if (!ok)
        METRIC_INC(m->db_errors);
    if (op->queued) {
        TAILQ_REMOVE(&op->pool->queue, op, link);
        op->pool->queue_len--;
        METRIC_DEC(m->db_queue);
        op->queued = false;
    }
    if (op->timer)
        evtimer_del(op->timer);
    op_call(op, ok, unavailable, res, error);
    op_free(op);
}

/* Copies one statement's parameters into it. */
void item_init(const struct db_pool *p, struct op_item *it, const struct db_statement *st,
               const char *const *values, const int *lengths)
{
    size_t k = 0;
    while (k < p->nstmts && p->stmts[k] != st)
        k++;
    if (k == p->nstmts)
        abort(); /* caller bug: a statement the pool's connections do not prepare */
    int nparams = st->nparams;
    it->st = st;
    it->nparams = nparams;
    it->values = xcalloc((size_t)nparams + 1, sizeof *it->values);
    it->lengths = xcalloc((size_t)nparams + 1, sizeof *it->lengths);
    for (int i = 0; i < nparams; i++) {
        if (!values[i])
            continue;
        size_t n = lengths ? (size_t)lengths[i] : strlen(values[i]);
        it->values[i] = xmalloc(n + 1);
        memcpy(it->values[i], values[i], n);
        it->values[i][n] = '\0';
        it->lengths[i] = (int)n;
    }
}

static bool res_ok(const PGresult *r)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* A result whose shape is not the statement's declared one: its column constants would read the
 * wrong columns, so the operation fails (and the log says which statement). */
static bool shape_ok(const struct db_pool *p, const struct op_item *it)
{
    if (!it->result || PQresultStatus(it->result) != PGRES_TUPLES_OK ||
        PQnfields(it->result) == it->st->ncols)
        return true;
    log_error("event=db_result_shape w=%d stmt=%s columns=%d declared=%d", p->cfg.owner_id,
              it->st->name, PQnfields(it->result), it->st->ncols);
    return false;
}

/* Reports a finished operation: a batch is ok only when COMMIT answered and every item ran. */
void op_report(struct db_op *op)
{
    if (!op->batch) {
        PGresult *res = op->items[0].result;
        if (!shape_ok(op->pool, &op->items[0])) {
            op_finish(op, false, false, NULL,
                      "result columns differ from the statement's declaration");
            return;
        }
        bool ok = res_ok(res);
        op_finish(op, ok, false, res, ok ? NULL : (res ? PQresultErrorMessage(res) : "no result"));
        return;
    }
    bool ok = op->committed;
    for (size_t k = 0; ok && k < op->nitems; k++)
        ok = res_ok(op->items[k].result) && shape_ok(op->pool, &op->items[k]);
    const char *err = ok              ? NULL
                      : op->error_res ? PQresultErrorMessage(op->error_res)
                                      : "the batch was not committed";
    op_finish(op, ok, false, ok ? NULL : op->error_res, err);
}

/* One result of a batch, in pipeline order: BEGIN, the items, COMMIT. */
void batch_take(struct db_op *op, PGresult *r)
{
    size_t pos = op->pos++;
    ExecStatusType st = PQresultStatus(r);
    bool failed = !res_ok(r) && st != PGRES_PIPELINE_ABORTED;
    if (pos == op->nitems + 1 && st == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0)
        op->committed = true;
    if (pos >= 1 && pos <= op->nitems && !op->items[pos - 1].result) {
        op->items[pos - 1].result = r;
        if (failed && !op->error_res)
            op->error_res = r;
        return;
    }
    if (failed && !op->error_res) {
        op->error_res = r;
        op->error_owned = true;
        return;
    }
    PQclear(r);
}
