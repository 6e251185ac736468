/* The background job that keeps the link checker's verdicts of oit_evidence current: on its own
 * thread with its own event loop (so the HTTP workers never wait for it), it reads due rows through
 * its own asynchronous database pool (first those a clerk asked to check by setting
 * check_requested_at, then verdicts older than link_check_interval_hours), checks their URLs with
 * link_check and writes each verdict back in one UPDATE, unless the URL changed meanwhile. */
#ifndef ITA_EVIDENCE_CHECK_H
#define ITA_EVIDENCE_CHECK_H

#include <stddef.h>

struct config;
struct db_statement;
struct evidence_check;

/* Starts the thread (cfg is read now, not kept). Needs evthread_use_pthreads() and
 * link_check_global_init() first. NULL with a message in err when it cannot start. */
struct evidence_check *evidence_check_start(const struct config *cfg, char *err, size_t errlen);

/* Stops the thread (running checks are abandoned: their rows stay due and are checked again
 * after the next start), joins it and frees everything. NULL is ignored. */
void evidence_check_stop(struct evidence_check *ec);

/* The statements the job runs (for test_sql-style checks against the schema). */
const struct db_statement *const *evidence_check_statements(size_t *n);

#endif
