/* The CPU pool's password lane (server/cpu_pool.c): on a two-thread pool at most one password job
 * runs at a time, the other thread stays free for general work (a results page is not queued
 * behind waiting hashes), and the lane's waiting jobs are bounded. Real threads, a real event
 * base; the jobs wait on a gate the test opens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu_pool.h"

#include <event2/event.h>
#include <event2/thread.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool gate_open;  /* password jobs wait until the test opens it */
static int pw_running;  /* password jobs inside run() now */
static int pw_started;  /* password jobs that entered run() */
static int pw_max;      /* most password jobs seen running at once */
static int general_ran; /* general jobs finished */
static int done_count;  /* done() callbacks on the loop */

static void pw_job(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    pw_running++;
    pw_started++;
    if (pw_running > pw_max)
        pw_max = pw_running;
    pthread_cond_broadcast(&cv);
    while (!gate_open)
        pthread_cond_wait(&cv, &mu);
    pw_running--;
    pthread_mutex_unlock(&mu);
}

static void general_job(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    general_ran++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void done(void *arg, bool cancelled)
{
    (void)arg;
    assert_false(cancelled);
    done_count++;
}

/* Waits up to 5 s until *v reaches want (under mu). */
static bool wait_for(const int *v, int want)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += 5;
    pthread_mutex_lock(&mu);
    int rc = 0;
    while (*v < want && rc == 0)
        rc = pthread_cond_timedwait(&cv, &mu, &t);
    bool ok = *v >= want;
    pthread_mutex_unlock(&mu);
    return ok;
}

static int read_locked(const int *v)
{
    pthread_mutex_lock(&mu);
    int x = *v;
    pthread_mutex_unlock(&mu);
    return x;
}

static void test_password_lane(void **state)
{
    (void)state;
    assert_int_equal(evthread_use_pthreads(), 0);
    struct event_base *base = event_base_new();
    struct cpu_pool *p = cpu_pool_new(2);
    assert_non_null(p);
    cpu_pool_limit_passwords(p, 2);

    struct cpu_job *a = cpu_job_submit_lane(p, CPU_LANE_PASSWORD, base, pw_job, done, NULL);
    assert_non_null(a);
    assert_true(wait_for(&pw_started, 1));
    /* two more wait; a fourth finds the lane's queue full */
    for (int i = 0; i < 2; i++)
        assert_non_null(cpu_job_submit_lane(p, CPU_LANE_PASSWORD, base, pw_job, done, NULL));
    assert_null(cpu_job_submit_lane(p, CPU_LANE_PASSWORD, base, pw_job, done, NULL));
    int queued, running;
    cpu_pool_lane_load(p, CPU_LANE_PASSWORD, &queued, &running);
    assert_int_equal(queued, 2);
    assert_int_equal(running, 1);
    /* the second thread is idle, yet takes no second password job */
    usleep(100 * 1000);
    assert_int_equal(read_locked(&pw_started), 1);
    /* general work runs at once, while the password jobs still wait on the gate */
    assert_non_null(cpu_job_submit(p, base, general_job, done, NULL));
    assert_true(wait_for(&general_ran, 1));
    assert_int_equal(read_locked(&pw_started), 1);

    pthread_mutex_lock(&mu);
    gate_open = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < 5000 && done_count < 4; i++) {
        event_base_loop(base, EVLOOP_NONBLOCK);
        usleep(1000);
    }
    assert_int_equal(done_count, 4);
    assert_int_equal(read_locked(&pw_started), 3);
    assert_int_equal(read_locked(&pw_max), 1);
    cpu_pool_lane_load(p, CPU_LANE_PASSWORD, &queued, &running);
    assert_int_equal(queued + running, 0);
    cpu_pool_free(p);
    event_base_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_password_lane)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
