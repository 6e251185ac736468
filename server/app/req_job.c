/* CPU-pool work tied to a request (see req_job.h). */
#include "req_job.h"

#include "cpu_pool.h"
#include "net/http.h"
#include "server.h"
#include "xalloc.h"

#include <malloc.h>
#include <stdlib.h>

struct req_job {
    struct http_request *req; /* NULL once the request is gone */
    struct cpu_job *handle;
    void *data;
    req_job_work work;
    req_job_finish finish;
    req_job_free free_data;
};

static void job_run(void *arg)
{
    struct req_job *j = arg;
    j->work(j->data);
}

static void job_done(void *arg, bool cancelled)
{
    struct req_job *j = arg;
    struct http_request *req = j->req;
    if (!cancelled && req) {
        req->on_gone = NULL;
        req->gone_arg = NULL;
        j->finish(req, j->data);
    }
    j->free_data(j->data);
    free(j);
    /* A job may have held a 100,000-row list: hand the freed pages back to the system so the
     * server's footprint does not keep the high-water mark of every import (glibc keeps one
     * malloc arena per thread and trims them only on request). */
    malloc_trim(0);
}

static void job_gone(struct http_request *req)
{
    struct req_job *j = req->gone_arg;
    j->req = NULL;
    cpu_job_cancel(j->handle);
}

void req_job_start(struct http_request *req, void *data, req_job_work work, req_job_finish finish,
                   req_job_free free_data)
{
    req_job_start_or(req, data, work, finish, free_data, NULL);
}

void req_job_start_or(struct http_request *req, void *data, req_job_work work,
                      req_job_finish finish, req_job_free free_data,
                      void (*busy)(struct http_request *req))
{
    req_job_start_lane(req, CPU_LANE_GENERAL, data, work, finish, free_data, busy);
}

void req_job_start_lane(struct http_request *req, enum cpu_lane lane, void *data, req_job_work work,
                        req_job_finish finish, req_job_free free_data,
                        void (*busy)(struct http_request *req))
{
    struct req_job *j = xcalloc(1, sizeof *j);
    *j = (struct req_job){req, NULL, data, work, finish, free_data};
    j->handle =
        cpu_job_submit_lane(req->worker->srv->cpu, lane, req->worker->base, job_run, job_done, j);
    if (!j->handle) {
        free_data(data);
        free(j);
        if (busy)
            busy(req);
        else
            http_respond_unavailable(req, "server busy");
        return;
    }
    req->on_gone = job_gone;
    req->gone_arg = j;
}
