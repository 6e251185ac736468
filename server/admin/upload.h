/* An uploaded list (contacts, agencies): the multipart file "file" a browser sends, or the raw
 * CSV body of an API client (itactl), copied into a job for parsing on the CPU pool. */
#ifndef ITA_UPLOAD_H
#define ITA_UPLOAD_H

#include "admin_setup.h"

#include <stddef.h>

/* The first member of every upload job: its own copy of the bytes. */
struct upload {
    unsigned char *bytes;
    size_t len;
};

/* A new job of job_size bytes (zeroed, beginning with a struct upload holding a copy of the
 * upload), or NULL after answering 400: none_msg when a browser sent no file, empty_msg when
 * there is nothing to read. */
void *upload_take(struct http_request *req, struct setup *s, size_t job_size, const char *none_msg,
                  const char *empty_msg);
/* Frees what upload_take copied (not the job itself). */
void upload_free(struct upload *up);

#endif
