/* CPU job pool (see cpu_pool.h): mutex-protected queues (one per lane), a condition variable, and
 * one libevent event per job that the pool thread activates when the job is finished. */
#include "cpu_pool.h"
#include "xalloc.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/queue.h>

#define QUEUE_MAX 1024

struct cpu_job {
    struct cpu_pool *pool;
    enum cpu_lane lane;
    cpu_run_fn run;
    cpu_done_fn done;
    void *arg;
    struct event *ev;       /* activated on the submitting loop when finished */
    _Atomic bool cancelled; /* set by the loop; checked there when ev fires */
    TAILQ_ENTRY(cpu_job) link;
};

TAILQ_HEAD(cpu_job_queue, cpu_job);

struct cpu_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct cpu_job_queue queue[CPU_NLANES]; /* waiting jobs, oldest first */
    int queued[CPU_NLANES];                 /* entries in queue[lane] */
    int running[CPU_NLANES];                /* jobs of the lane being run by a thread now */
    int max_queued[CPU_NLANES];             /* beyond this, submitting fails */
    int max_running[CPU_NLANES];            /* a lane's jobs at once (general: every thread) */
    bool stopping;
    int nthreads;
    pthread_t *threads;
};

static void job_finished(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct cpu_job *j = arg;
    j->done(j->arg, j->cancelled);
    event_free(j->ev);
    free(j);
}

/* The job a free thread should take now (see enum cpu_lane), or NULL. Under p->mu. */
static struct cpu_job *next_job(struct cpu_pool *p)
{
    struct cpu_job *g = TAILQ_FIRST(&p->queue[CPU_LANE_GENERAL]);
    struct cpu_job *w = p->running[CPU_LANE_PASSWORD] < p->max_running[CPU_LANE_PASSWORD]
                            ? TAILQ_FIRST(&p->queue[CPU_LANE_PASSWORD])
                            : NULL;
    if (w && (!g || p->running[CPU_LANE_PASSWORD] == 0))
        return w;
    return g;
}

static void *pool_main(void *arg)
{
    struct cpu_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct cpu_job *j = NULL;
        while (!p->stopping && !(j = next_job(p)))
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stopping)
            break;
        enum cpu_lane lane = j->lane;
        TAILQ_REMOVE(&p->queue[lane], j, link);
        p->queued[lane]--;
        p->running[lane]++;
        pthread_mutex_unlock(&p->mu);
        if (!j->cancelled)
            j->run(j->arg);
        event_active(j->ev, 0, 0); /* thread-safe: evthread_use_pthreads() is on */
        pthread_mutex_lock(&p->mu);
        p->running[lane]--;
        if (lane == CPU_LANE_PASSWORD && p->queued[CPU_LANE_PASSWORD] > 0)
            pthread_cond_broadcast(&p->cv); /* a waiting thread may take the next password job */
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

struct cpu_pool *cpu_pool_new(int n)
{
    struct cpu_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int l = 0; l < CPU_NLANES; l++) {
        TAILQ_INIT(&p->queue[l]);
        p->max_queued[l] = QUEUE_MAX;
        p->max_running[l] = n;
    }
    p->max_running[CPU_LANE_PASSWORD] = n > 1 ? n - 1 : 1;
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

void cpu_pool_limit_passwords(struct cpu_pool *p, int queued)
{
    pthread_mutex_lock(&p->mu);
    p->max_queued[CPU_LANE_PASSWORD] = queued < 1 ? 1 : queued;
    pthread_mutex_unlock(&p->mu);
}

void cpu_pool_lane_load(struct cpu_pool *p, enum cpu_lane lane, int *queued, int *running)
{
    pthread_mutex_lock(&p->mu);
    *queued = p->queued[lane];
    *running = p->running[lane];
    pthread_mutex_unlock(&p->mu);
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
    for (int l = 0; l < CPU_NLANES; l++) {
        while (!TAILQ_EMPTY(&p->queue[l])) {
            struct cpu_job *j = TAILQ_FIRST(&p->queue[l]);
            TAILQ_REMOVE(&p->queue[l], j, link);
            j->done(j->arg, true);
            event_free(j->ev);
            free(j);
        }
    }
    free(p->threads);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

struct cpu_job *cpu_job_submit_lane(struct cpu_pool *p, enum cpu_lane lane, struct event_base *base,
                                    cpu_run_fn run, cpu_done_fn done, void *arg)
{
    struct cpu_job *j = xcalloc(1, sizeof *j);
    j->pool = p;
    j->lane = lane;
    j->run = run;
    j->done = done;
    j->arg = arg;
    j->ev = event_new(base, -1, 0, job_finished, j);
    pthread_mutex_lock(&p->mu);
    if (p->queued[lane] >= p->max_queued[lane] || p->stopping) {
        pthread_mutex_unlock(&p->mu);
        event_free(j->ev);
        free(j);
        return NULL;
    }
    TAILQ_INSERT_TAIL(&p->queue[lane], j, link);
    p->queued[lane]++;
    /* every idle thread looks: the one woken by a signal might not be allowed the lane */
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return j;
}

struct cpu_job *cpu_job_submit(struct cpu_pool *p, struct event_base *base, cpu_run_fn run,
                               cpu_done_fn done, void *arg)
{
    return cpu_job_submit_lane(p, CPU_LANE_GENERAL, base, run, done, arg);
}

void cpu_job_cancel(struct cpu_job *j)
{
    if (j)
        j->cancelled = true; /* freed by job_finished on the loop, after run() if it started */
}
