/* The request object handlers see, and the calls they answer with. A handler either responds at
 * once or starts one database operation through http_db and responds from its callback. If
 * the client goes away first, the operation is cancelled and the request freed by the connection;
 * the callback is then never called, so a handler never touches a freed request. */
#ifndef ITA_HTTP_H
#define ITA_HTTP_H

#include "arena.h"
#include "db/db_pool.h"
#include "http_parse.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct http_conn;
struct worker;
struct evbuffer;

struct http_resp_header {
    const char *name;  /* arena */
    const char *value; /* arena */
    struct http_resp_header *next;
};

struct http_request;
typedef void (*http_db_cb)(struct http_request *req, const struct db_result *r);

struct http_request {
    struct http_conn *conn; /* owning connection */
    struct worker *worker;
    uint64_t id;                   /* per connection, 1-based */
    struct arena arena;            /* everything below that is a pointer lives here */
    struct http_request_head head; /* pointers into head_buf */
    char *head_buf;                /* copy of the raw head */
    char *path;                    /* target without the query, NUL-terminated, not decoded */
    char *query;                   /* text after '?', or NULL */
    struct evbuffer *body;         /* request body (Content-Length bytes) */
    int route;                     /* metrics index of the matched route */
    const char *route_pattern;     /* what the access log shows instead of the real path */
    struct timespec t_start;       /* head complete */
    struct db_op *db_op;           /* operation in flight, if any */
    http_db_cb db_cb;              /* handler continuation for db_op */
    const unsigned char *peer_ip;  /* client address bytes (4 or 16), for rate limiting only */
    size_t peer_ip_len;
    void *handler_state; /* the handler's own state, allocated in the arena */
    void *head_state;    /* what the application's check of the head (http_app.h before_body)
                            established, for its dispatch (arena); NULL when none ran */
    bool upload_slot;    /* holds one of the process's max_uploads slots until it is freed */
    /* Called when the request is freed, for work the handler started outside the database
     * (a CPU-pool job); database operations are cancelled by the connection itself. */
    void (*on_gone)(struct http_request *req);
    void *gone_arg; /* for on_gone's use (e.g. the job to cancel) */
    struct http_resp_header *resp_headers;
    /* Streamed response (http_stream_begin .. http_stream_end); see below. */
    void (*stream_cb)(struct http_request *req); /* the client drained below the low-water mark
                                                    after http_stream_write asked to wait */
    bool streaming;                              /* between http_stream_begin and http_stream_end */
    bool stream_waiting; /* http_stream_write returned false: stream_cb is due */
    bool stream_chunked; /* HTTP/1.1 chunked framing; HTTP/1.0: ends with the connection */
    int status;          /* response status once responded */
    size_t resp_bytes;   /* body bytes sent */
    bool responded;
};

/* Adds a response header (copied into the request arena). */
void http_add_header(struct http_request *r, const char *name, const char *value);
/* Sends the response; body is copied. For HEAD the body is omitted but Content-Length kept. */
void http_respond(struct http_request *r, int status, const char *content_type, const void *body,
                  size_t len);
/* Same, with the body given as pieces written one after the other. */
struct http_part {
    const void *data;
    size_t len;
};
void http_respond_parts(struct http_request *r, int status, const char *content_type,
                        const struct http_part *parts, size_t n);
/* Same, moving the contents out of body (which stays owned by the caller, now empty). */
void http_respond_evbuffer(struct http_request *r, int status, const char *content_type,
                           struct evbuffer *body);
/* Plain-text error page "status reason: message". */
void http_respond_error(struct http_request *r, int status, const char *message);
/* 503 with Retry-After, for when the database cannot serve the request. */
void http_respond_unavailable(struct http_request *r, const char *what);

/* Streamed responses, for downloads too large to hold in memory (the raw export). The head goes
 * out with Transfer-Encoding: chunked (HTTP/1.0 clients: no length, the connection closes at the
 * end); each http_stream_write sends one chunk. Backpressure: http_stream_write returns false
 * once the client's output buffer is above HTTP_STREAM_HIGH_WATER; the handler then stops
 * producing until on_drained is called (output at or below HTTP_STREAM_LOW_WATER). If the
 * client goes away, the request is freed as usual (on_gone) and on_drained is never called.
 * http_stream_end(r, true) sends the terminating chunk and the connection carries on (keep-alive);
 * http_stream_end(r, false) is for an error after the head went out: no terminating chunk, the
 * connection closes once the buffered bytes are out, so the client sees a truncated transfer.
 * http_stream_begin returns false for HEAD (head sent, response complete: write nothing). None
 * of these calls frees the request or calls back synchronously. */
#define HTTP_STREAM_HIGH_WATER (256 * 1024)
#define HTTP_STREAM_LOW_WATER (64 * 1024)
bool http_stream_begin(struct http_request *r, int status, const char *content_type,
                       void (*on_drained)(struct http_request *r));
/* Moves the contents of chunk (left empty, still owned by the caller) out as one chunk; an empty
 * chunk sends nothing. Returns true while the client keeps up. */
bool http_stream_write(struct http_request *r, struct evbuffer *chunk);
void http_stream_end(struct http_request *r, bool complete);

/* Starts statement st for this request with its st->nparams values (lengths NULL for text); cb
 * runs when it finishes (never if the client left). When the pool refuses at once, the request
 * has been answered 503 and the result is false: the handler only returns. */
bool http_db(struct http_request *r, const struct db_statement *st, const char *const *values,
             const int *lengths, http_db_cb cb);
/* For a handler's database callback: true when the statement failed, and then the request has
 * been answered 503 (the database could not serve it); the callback only returns. */
bool http_db_failed(struct http_request *r, const struct db_result *res);

/* The same without the answer: false when refused, and the caller answers (the respondent pages
 * answer with their own Thai page). */
bool http_db_try(struct http_request *r, const struct db_statement *st, const char *const *values,
                 const int *lengths, http_db_cb cb) __attribute__((warn_unused_result));

/* True when the client accepts a gzip-coded body (its Accept-Encoding; net/accept_encoding.h). A
 * handler that answers differently by it also sends "Vary: Accept-Encoding". */
bool http_accepts_gzip(const struct http_request *r);
/* For the application's before_body check (http_app.h), once it lets the request go on: the body
 * is read (after "100 Continue" when the client asked for it) and the request dispatched. A body
 * larger than max_body_bytes without an upload slot is not read: the request is answered 503. */
void http_read_body(struct http_request *r);
/* Before reading a body: true when the upload cap lets it be read, because it is no upload (at
 * most max_body_bytes) or because it took one of the process's max_uploads slots (held until
 * the request ends); false when every slot is taken, and the caller answers 503 with
 * Retry-After (the body is then never read). */
bool http_upload_slot(struct http_request *r) __attribute__((warn_unused_result));

/* True when the request's Origin header is https://<its Host>; when referer_fallback is set and
 * there is no Origin, a Referer under that origin is accepted instead. */
bool http_same_origin(const struct http_request *r, bool referer_fallback);

#endif
