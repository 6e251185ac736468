/* An uploaded list (see upload.h). */
#include "upload.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <stdlib.h>
#include <string.h>

void *upload_take(struct http_request *req, struct setup *s, size_t job_size, const char *none_msg,
                  const char *empty_msg)
{
    const void *data;
    size_t len;
    if (s->upload) {
        data = s->upload->data;
        len = s->upload->len;
    } else if (s->u->api) {
        len = evbuffer_get_length(req->body);
        data = evbuffer_pullup(req->body, -1);
    } else {
        setup_fail(req, s, 400, none_msg);
        return NULL;
    }
    if (len == 0 || !data) {
        setup_fail(req, s, 400, empty_msg);
        return NULL;
    }
    struct upload *up = xcalloc(1, job_size);
    up->bytes = xmalloc(len);
    memcpy(up->bytes, data, len);
    up->len = len;
    for (int i = 0; i < UPLOAD_MAX_COLS; i++)
        strbuf_init(&up->cols[i]);
    return up;
}

static void upload_job_free(void *data)
{
    struct upload *up = data;
    up->release(up);
    free(up->bytes);
    for (int i = 0; i < UPLOAD_MAX_COLS; i++)
        strbuf_free(&up->cols[i]);
    free(up);
}

void upload_parse(struct http_request *req, struct setup *s, struct upload *up, req_job_work work,
                  void (*release)(struct upload *up), int state)
{
    up->release = release;
    setup_job(req, s, up, work, upload_job_free, state);
}
