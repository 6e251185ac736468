/* Group commit for form submissions, one per worker. Submissions that arrive while the worker's
 * previous batch is in flight wait, and then go to PostgreSQL together as one transaction in one
 * round trip (db_exec_batch: BEGIN; each submission statement; COMMIT), so that many answers
 * share one commit. A submission is answered only from its own statement's result, after the
 * COMMIT returned, so every 2xx is durable (synchronous_commit stays on). Each statement keeps
 * its own semantics inside the shared transaction (a repeated nonce stores nothing, a personal
 * token is spent once). If the batch fails (a bad row, a deadlock), every submission of it runs
 * again on its own, so one bad row cannot lose the others. A lone submission runs as a plain
 * statement, without BEGIN/COMMIT.
 *
 * Every submission has a deadline, timeout_ms after it was queued, however long the batch ahead
 * of it takes: when it passes, the submitter is answered "unavailable" (503) at once, whether the
 * submission still waits its turn or is already in flight. One still waiting is dropped and never
 * sent. One in flight may still commit after that answer; that is safe because every submission
 * statement is idempotent by its form nonce (survey_sql.c): the respondent's retry of the same
 * form carries the same form token, hence the same nonce, so a public link stores nothing the
 * second time and answers "thank you" (link_ok without stored), and a personal token is spent
 * once and the retry finds its nonce used. A response is therefore never lost (the respondent
 * was told to try again) and never counted twice. */
#ifndef ITA_SUBMIT_BATCH_H
#define ITA_SUBMIT_BATCH_H

#include "db_pool.h"

#include <stddef.h>

struct event_base;
struct db_pool;
struct submit_batch;
struct submit_entry;

#define SUBMIT_BATCH_PARAMS 3 /* every submission statement takes three text parameters */

/* max: submissions per transaction (1 = every submission commits on its own); timeout_ms: the
 * longest a submission waits from being queued to its answer (the pool's op_timeout_ms). Owned by
 * the caller: submit_batch_free, after the pool has been freed (which answers what was in
 * flight). */
struct submit_batch *submit_batch_new(struct event_base *base, struct db_pool *db, int max,
                                      int owner_id, int timeout_ms);
void submit_batch_free(struct submit_batch *sb);

/* Queues statement st (one of the pool's, taking SUBMIT_BATCH_PARAMS values) with params
 * (copied); cb(result, arg) runs exactly once with the statement's own result (like db_exec), or
 * unavailable when the deadline passes first, unless submit_entry_cancel was called first.
 * Never calls cb before returning. The handle is valid until cb has been called. */
struct submit_entry *submit_batch_exec(struct submit_batch *sb, const struct db_statement *st,
                                       const char *const params[SUBMIT_BATCH_PARAMS], db_done_cb cb,
                                       void *arg);

/* The submitter is going away: cb will not be called. */
void submit_entry_cancel(struct submit_entry *e);

#endif
