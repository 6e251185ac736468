/* A small pool of threads for CPU-heavy work (argon2id password hashing takes tens of
 * milliseconds and a lot of memory): the event loop hands a job over and is called back on its
 * own loop when the job is done, so no loop ever blocks on it. */
#ifndef ITA_CPU_POOL_H
#define ITA_CPU_POOL_H

#include <stdbool.h>

struct event_base;
struct cpu_pool;
struct cpu_job;

/* run() executes on a pool thread with arg; done() then runs on the submitting loop, always,
 * with cancelled telling whether cpu_job_cancel was called (then it only frees arg). arg must
 * be owned by the job, never by a request that may go away while run() works on it. */
typedef void (*cpu_run_fn)(void *arg);
typedef void (*cpu_done_fn)(void *arg, bool cancelled);

/* Starts n threads (n >= 1). NULL on failure. */
struct cpu_pool *cpu_pool_new(int n);
/* Waits for running jobs and stops the threads; call after every loop that submitted jobs has
 * run its last callbacks. Jobs still queued get done(arg, true) from here. */
void cpu_pool_free(struct cpu_pool *p);

/* Queues a job; done runs on base's loop afterwards. Returns NULL when the queue is full (the
 * caller answers 503). The handle is valid until done() has run or cpu_job_cancel was called. */
struct cpu_job *cpu_job_submit(struct cpu_pool *p, struct event_base *base, cpu_run_fn run,
                               cpu_done_fn done, void *arg) __attribute__((warn_unused_result));
/* done() will be called with cancelled = true (after run() if it already started). Call from the
 * submitting loop's thread. */
void cpu_job_cancel(struct cpu_job *j);

#endif
