/* CPU-heavy work for one request (parsing an uploaded list, deriving thousands of tokens,
 * writing a large CSV) on the server's CPU pool, so the event loop never blocks on it. work()
 * runs on a pool thread with the job's data only; finish() runs afterwards on the request's loop.
 * If the client leaves first the job is cancelled, finish() is not called and the data is freed:
 * data is owned by the job from req_job_start on, never by the request. */
#ifndef ITA_REQ_JOB_H
#define ITA_REQ_JOB_H

#include "cpu_pool.h"

struct http_request;

typedef void (*req_job_work)(void *data);
typedef void (*req_job_finish)(struct http_request *req, void *data);
typedef void (*req_job_free)(void *data);

/* Starts the job. When the pool's queue is full it frees data and answers 503 "server busy"
 * itself, or, with req_job_start_or, calls busy(req) to answer in the handler's own words. */
void req_job_start(struct http_request *req, void *data, req_job_work work, req_job_finish finish,
                   req_job_free free_data);
void req_job_start_or(struct http_request *req, void *data, req_job_work work,
                      req_job_finish finish, req_job_free free_data,
                      void (*busy)(struct http_request *req));
/* The same in a lane of the pool (password checks: CPU_LANE_PASSWORD, see cpu_pool.h). */
void req_job_start_lane(struct http_request *req, enum cpu_lane lane, void *data, req_job_work work,
                        req_job_finish finish, req_job_free free_data,
                        void (*busy)(struct http_request *req));

#endif
