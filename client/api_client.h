/* The administration API (docs/api.md) from itactl's side: where the API token comes from, how
 * query strings and form bodies are URL-encoded, one authenticated request, and how the server's
 * answers become itactl's exit statuses and messages a person can act on. */
#ifndef ITA_API_CLIENT_H
#define ITA_API_CLIENT_H

#include "https_client.h"
#include "strbuf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* itactl's exit statuses (itactl --help). */
enum itactl_exit {
    ITACTL_OK = 0,
    ITACTL_SERVER_ERROR = 1, /* the server answered with an error, or its answer was unusable or
                                could not be saved */
    ITACTL_USAGE = 2,        /* bad arguments, no token, unreadable input file */
    ITACTL_UNREACHABLE = 3,  /* no connection, or the certificate was not trusted */
};

/* Where to send requests and with which token. */
struct api_conn {
    struct https_target target; /* from --url */
    const char *cacert;         /* --cacert; NULL = system trust store (borrowed) */
    int timeout_s;              /* per connect/read/write, seconds */
    char *auth_header;          /* "Authorization: Bearer <token>\r\n" (owned; api_conn_close) */
};

/* Appends s to b encoded for application/x-www-form-urlencoded (and query strings): letters,
 * digits and -._~ stay, a space becomes '+', every other byte (UTF-8 Thai included) %XX. */
void api_url_encode(struct strbuf *b, const char *s);

/* Appends key=value (both encoded) to b, preceded by '&' unless b is empty. */
void api_param(struct strbuf *b, const char *key, const char *value);

/* The API token: the file token_file (if not NULL), else the file $ITACTL_TOKEN_FILE, else
 * $ITACTL_TOKEN. Surrounding white space (a final newline, CR LF from Windows) is removed.
 * Returns a new string (free()), or NULL with a message saying how to get a token in err. */
char *api_token_load(const char *token_file, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Parses url and loads the token into c. Returns ITACTL_OK, or ITACTL_USAGE with a message
 * already written to errf. Always pair with api_conn_close(). */
int api_conn_open(struct api_conn *c, const char *url, const char *cacert, int timeout_s,
                  const char *token_file, FILE *errf) __attribute__((warn_unused_result));
void api_conn_close(struct api_conn *c);

/* One request to path (with "?query" when query is not NULL or empty); a body is sent with
 * content_type. On a 2xx answer returns ITACTL_OK with resp filled (the caller frees it with
 * https_response_free); otherwise writes what went wrong to errf (unless errf is NULL) and
 * returns ITACTL_SERVER_ERROR or ITACTL_UNREACHABLE with resp empty. */
int api_call(const struct api_conn *c, const char *method, const char *path, const char *query,
             const char *content_type, const void *body, size_t body_len,
             struct https_response *resp, FILE *errf) __attribute__((warn_unused_result));
/* The same, with a 2xx body streamed to sink as it arrives (https_request_to). */
int api_call_to(const struct api_conn *c, const char *method, const char *path, const char *query,
                const char *content_type, const void *body, size_t body_len, FILE *sink,
                struct https_response *resp, FILE *errf);

/* The answer's JSON object (the caller json_decref()s it), or NULL with a message to errf when
 * the body is not a JSON object. */
json_t *api_json(const struct https_response *resp, FILE *errf) __attribute__((warn_unused_result));

/* Writes what an error answer means for a person to f: the server's message, what the status
 * means here (401: token unknown or revoked, and how to get a new one; 404 in JSON: no such
 * agency/link, or not yours; a plain 404 may also be a path the server does not know), and for 422
 * every row error (line, column, reason), then their count. body need not be JSON or
 * NUL-terminated. */
void api_print_error(FILE *f, int status, const char *body, size_t body_len);

/* The value of header `name` in a raw header block (case-insensitive), copied into out
 * (truncated to outlen - 1), or false when absent. */
bool api_header(const char *headers, const char *name, char *out, size_t outlen);

#endif
