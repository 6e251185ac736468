/* Strict HTTP/1.1 request-head parser (RFC 9112): a pure function over a byte buffer, so it can be
 * unit-tested and fuzzed without sockets. It accepts only what the server needs and rejects
 * anything ambiguous (obs-fold, Transfer-Encoding, conflicting Content-Length) to rule out request
 * smuggling. */
#ifndef ITA_HTTP_PARSE_H
#define ITA_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEADERS 64

enum http_method {
    HTTP_GET,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_PUT,
    HTTP_DELETE,
    HTTP_OPTIONS,
    HTTP_PATCH,
};

struct http_header {
    const char *name; /* points into the parsed buffer; not NUL-terminated */
    size_t name_len;
    const char *value; /* leading/trailing whitespace removed */
    size_t value_len;
};

struct http_request_head {
    enum http_method method;
    const char *target; /* request-target as sent (path and query), not NUL-terminated */
    size_t target_len;
    int version_minor; /* 0 for HTTP/1.0, 1 for HTTP/1.1 */
    struct http_header headers[HTTP_MAX_HEADERS];
    size_t num_headers;
    long long content_length; /* bytes of body; 0 when absent */
    bool keep_alive;          /* what the client asked for (version default + Connection) */
    bool expect_continue;     /* "Expect: 100-continue" */
    size_t head_len;          /* bytes of the head including the blank line */
};

struct http_limits {
    size_t max_head_bytes;    /* request line + headers; beyond → 431 (or 414 for the line) */
    size_t max_target_bytes;  /* request-target; beyond → 414 */
    long long max_body_bytes; /* Content-Length beyond → 413 */
};

enum http_parse_result {
    HTTP_PARSE_INCOMPLETE = 0, /* need more bytes */
    HTTP_PARSE_DONE = 1,       /* head complete; out is filled */
    HTTP_PARSE_ERROR = -1,     /* malformed or over a limit; err is filled */
};

struct http_parse_error {
    int status;          /* HTTP status to answer: 400, 411, 413, 414, 431, 501, 505 */
    const char *message; /* static English text for logs */
};

/* Parses buf[0..len), the bytes received so far on a connection, starting at a request boundary.
 * Leading empty lines (CRLF) are tolerated as RFC 9112 §2.2 allows. On DONE, out's pointers refer
 * into buf, which must stay unchanged while they are used. */
enum http_parse_result http_parse_request_head(const char *buf, size_t len,
                                               const struct http_limits *lim,
                                               struct http_request_head *out,
                                               struct http_parse_error *err);

/* Case-insensitive lookup of a header; NULL when absent. */
const struct http_header *http_head_find(const struct http_request_head *h, const char *name);

const char *http_method_name(enum http_method m);

/* The reason phrase of an HTTP status code ("Unknown" for one not listed). */
const char *http_status_reason(int status);

#endif
