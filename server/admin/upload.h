/* An uploaded list (contacts, agencies): the multipart file "file" a browser sends, or the raw
 * CSV body of an API client (itactl), copied into a job for parsing on the CPU pool. */
#ifndef ITA_UPLOAD_H
#define ITA_UPLOAD_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define UPLOAD_MAX_COLS 6 /* columns of the widest list (contacts) */

/* The first member of every upload job: its own copy of the bytes and what the parse made. */
struct upload {
    unsigned char *bytes;
    size_t len;
    void (*release)(struct upload *up);  /* frees the job's own parse result */
    bool importable;                     /* parsed without errors: cols hold the list */
    struct strbuf cols[UPLOAD_MAX_COLS]; /* PostgreSQL array literals, one per column */
};

/* A new job of job_size bytes (zeroed, beginning with a struct upload holding a copy of the
 * upload and empty cols), or NULL after answering 400: none_msg when a browser sent no file,
 * empty_msg when there is nothing to read. */
void *upload_take(struct http_request *req, struct setup *s, size_t job_size, const char *none_msg,
                  const char *empty_msg);
/* Parses the upload on the CPU pool (work sets up->importable and fills up->cols), then the
 * step in state with s->job = up; afterwards release(up) and the job are freed. */
void upload_parse(struct http_request *req, struct setup *s, struct upload *up, req_job_work work,
                  void (*release)(struct upload *up), int state);

#endif
