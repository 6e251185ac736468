/* A small blocking HTTPS/1.1 client for itactl: verified TLS (CA file or system store, host name
 * checked), one request per connection, whole response read into memory. */
#ifndef ITA_HTTPS_CLIENT_H
#define ITA_HTTPS_CLIENT_H

#include <stddef.h>
#include <stdio.h>

struct https_target {
    char host[256]; /* from the URL; used for SNI and certificate verification */
    char port[8];
    char base_path[512]; /* path prefix from the URL, without trailing slash */
};

struct https_response {
    int status;    /* HTTP status code */
    char *headers; /* raw header block, NUL-terminated; free() */
    char *body;    /* NUL-terminated; free() */
    size_t body_len;
};

/* Parses https://host[:port][/prefix]; -1 with a message in err. */
int https_parse_url(const char *url, struct https_target *t, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Performs one request. cafile NULL = the system trust store. body may be NULL.
 * Returns 0 and fills resp (caller frees with https_response_free), or -1 with err. */
int https_request(const struct https_target *t, const char *cafile, const char *method,
                  const char *path, const char *extra_headers, const char *body, size_t body_len,
                  int timeout_s, struct https_response *resp, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* The same; with sink, a 2xx body (Content-Length, chunked, or until close) is written to sink as
 * it arrives instead (resp->body is then ""), and a transfer that ends early is an error. Other
 * statuses are read into resp as by https_request. */
int https_request_to(const struct https_target *t, const char *cafile, const char *method,
                     const char *path, const char *extra_headers, const char *body, size_t body_len,
                     int timeout_s, FILE *sink, struct https_response *resp, char *err,
                     size_t errlen) __attribute__((warn_unused_result));

void https_response_free(struct https_response *r);

#endif
