/* Strict parser for multipart/form-data bodies (RFC 7578): what a browser posts for a form with a
 * file input. Pure: unit-tested and fuzzable. Text fields are copied into the caller's arena as a
 * form_data; file contents are not copied and point into the body. */
#ifndef ITA_MULTIPART_H
#define ITA_MULTIPART_H

#include "arena.h"
#include "form_parse.h"

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_MAX_FILES 4

struct multipart_file {
    const char *name;     /* form field name (arena) */
    const char *filename; /* as the browser sent it, may be "" (arena) */
    const char *data;     /* points into the body: not NUL-terminated, not owned */
    size_t len;
};

struct multipart_data {
    struct form_data fields; /* parts without a filename */
    struct multipart_file files[MULTIPART_MAX_FILES];
    size_t nfiles;
};

/* True when the Content-Type value announces multipart/form-data. */
bool multipart_is(const char *content_type, size_t len);

/* Parses body[0..len) sent with the given Content-Type value. Returns 0, or -1 with a static
 * English reason in *why (no boundary, missing delimiter, part without a name, NUL in a text
 * field, too many parts, truncated body). */
int multipart_parse(const char *content_type, size_t ct_len, const char *body, size_t len,
                    struct arena *a, struct multipart_data *out, const char **why)
    __attribute__((warn_unused_result));

/* The file part called name, or NULL. */
const struct multipart_file *multipart_file(const struct multipart_data *m, const char *name);

#endif
