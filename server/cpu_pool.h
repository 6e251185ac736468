/* A small pool of threads for CPU-heavy work (argon2id password hashing takes tens of
 * milliseconds and a lot of memory): the event loop hands a job over and is called back on its
 * own loop when the job is done, so no loop ever blocks on it. Password checks have a lane of
 * their own, bounded in jobs running and waiting, so that a burst of sign-ins never makes other
 * work (results, PDFs, imports) wait behind a queue of hashes. */
#ifndef ITA_CPU_POOL_H
#define ITA_CPU_POOL_H

#include <stdbool.h>

struct event_base;
struct cpu_pool;
struct cpu_job;

/* Which queue a job waits in. A pool thread takes general work first; a password job runs when
 * fewer than the lane's limit of them are running, and, when both queues wait, only if no
 * password job is running (so each lane always makes progress). General work thus waits at most
 * for the password jobs already running, never for queued ones. */
enum cpu_lane {
    CPU_LANE_GENERAL,  /* results, PDFs, exports, imports */
    CPU_LANE_PASSWORD, /* argon2id: sign-in checks, new and changed passwords */
    CPU_NLANES
};

/* run() executes on a pool thread with arg; done() then runs on the submitting loop, always,
 * with cancelled telling whether cpu_job_cancel was called (then it only frees arg). arg must
 * be owned by the job, never by a request that may go away while run() works on it. */
typedef void (*cpu_run_fn)(void *arg);
typedef void (*cpu_done_fn)(void *arg, bool cancelled);

/* Starts n threads (n >= 1). NULL on failure. The password lane runs at most max(1, n - 1) jobs
 * at once (one on a two-thread pool) and lets 1024 wait until cpu_pool_limit_passwords. */
struct cpu_pool *cpu_pool_new(int n);
/* Caps the password jobs waiting (not yet running) at queued (>= 1); beyond, submitting fails.
 * Call before the pool is shared. */
void cpu_pool_limit_passwords(struct cpu_pool *p, int queued);
/* Jobs of a lane waiting and running now (a snapshot, for /metrics and tests). */
void cpu_pool_lane_load(struct cpu_pool *p, enum cpu_lane lane, int *queued, int *running);
/* Waits for running jobs and stops the threads; call after every loop that submitted jobs has
 * run its last callbacks. Jobs still queued get done(arg, true) from here. */
void cpu_pool_free(struct cpu_pool *p);

/* Queues a job; done runs on base's loop afterwards. Returns NULL when the queue is full (the
 * caller answers 503). The handle is valid until done() has run or cpu_job_cancel was called. */
struct cpu_job *cpu_job_submit(struct cpu_pool *p, struct event_base *base, cpu_run_fn run,
                               cpu_done_fn done, void *arg) __attribute__((warn_unused_result));
/* The same in a given lane (cpu_job_submit is CPU_LANE_GENERAL). */
struct cpu_job *cpu_job_submit_lane(struct cpu_pool *p, enum cpu_lane lane, struct event_base *base,
                                    cpu_run_fn run, cpu_done_fn done, void *arg)
    __attribute__((warn_unused_result));
/* done() will be called with cancelled = true (after run() if it already started). Call from the
 * submitting loop's thread. */
void cpu_job_cancel(struct cpu_job *j);

#endif
