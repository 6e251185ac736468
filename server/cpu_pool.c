/* CPU job pool (see cpu_pool.h): a mutex-protected queue, a condition variable, and one
 * libevent event per job that the pool thread activates when the job is finished. */
#include "cpu_pool.h"
#include "xalloc.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/queue.h>

#define QUEUE_MAX 1024

struct cpu_job {
    struct cpu_pool *pool;
    cpu_run_fn run;
    cpu_done_fn done;
    void *arg;
    struct event *ev;       /* activated on the submitting loop when finished */
    _Atomic bool cancelled; /* set by the loop; checked there when ev fires */
    TAILQ_ENTRY(cpu_job) link;
};

struct cpu_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    TAILQ_HEAD(, cpu_job) queue;
    int queued;
    bool stopping;
    int nthreads;
    pthread_t *threads;
};

static void job_finished(evutil_socket_t fd, short what, void *arg)
{
    struct cpu_job *j = arg;
    j->done(j->arg, j->cancelled);
    event_free(j->ev);
    free(j);
}

static void *pool_main(void *arg)
{
    struct cpu_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (TAILQ_EMPTY(&p->queue) && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stopping)
            break;
        struct cpu_job *j = TAILQ_FIRST(&p->queue);
        TAILQ_REMOVE(&p->queue, j, link);
        p->queued--;
        pthread_mutex_unlock(&p->mu);
        if (!j->cancelled)
            j->run(j->arg);
        event_active(j->ev, 0, 0); /* thread-safe: evthread_use_pthreads() is on */
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

struct cpu_pool *cpu_pool_new(int n)
{
    struct cpu_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    TAILQ_INIT(&p->queue);
    p->threads = xcalloc((size_t)n, sizeof *p->threads);
    for (int i = 0; i < n; i++) {
        if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0) {
            p->nthreads = i;
            cpu_pool_free(p);
            return NULL;
        }
        p->nthreads = i + 1;
    }
    return p;
}

void cpu_pool_free(struct cpu_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    while (!TAILQ_EMPTY(&p->queue)) {
        struct cpu_job *j = TAILQ_FIRST(&p->queue);
        TAILQ_REMOVE(&p->queue, j, link);
        j->done(j->arg, true);
        event_free(j->ev);
        free(j);
    }
    free(p->threads);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

struct cpu_job *cpu_job_submit(struct cpu_pool *p, struct event_base *base, cpu_run_fn run,
                               cpu_done_fn done, void *arg)
{
    struct cpu_job *j = xcalloc(1, sizeof *j);
    j->pool = p;
    j->run = run;
    j->done = done;
    j->arg = arg;
    j->ev = event_new(base, -1, 0, job_finished, j);
    pthread_mutex_lock(&p->mu);
    if (p->queued >= QUEUE_MAX || p->stopping) {
        pthread_mutex_unlock(&p->mu);
        event_free(j->ev);
        free(j);
        return NULL;
    }
    TAILQ_INSERT_TAIL(&p->queue, j, link);
    p->queued++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return j;
}

void cpu_job_cancel(struct cpu_job *j)
{
    if (j)
        j->cancelled = true; /* freed by job_finished on the loop, after run() if it started */
}
